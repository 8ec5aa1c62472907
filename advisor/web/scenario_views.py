"""Saved scenarios on the web: save a result, its shareable page, rename, delete, re-price, list, compare."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import (
    Response,
    current_app,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError  # type: ignore[import-untyped]

from advisor import architectures
from advisor.api.admission import solves
from advisor.api.auth import owner
from advisor.domain import (
    MAX_COMPARED,
    CatalogRef,
    FieldProblem,
    InvalidInput,
    Project,
    Recommendation,
    Recommendations,
    Request,
    SavedScenario,
    ScenarioNotFound,
    UnknownCatalog,
)
from advisor.exports import Comparison, Rendered, render
from advisor.exports.build import option_label
from advisor.exports.multi import StoredDesign, comparison_across, stored_comparison
from advisor.scenarios import Scenarios, differences
from advisor.schemas import (
    SCENARIO_NAME_MAX as NAME_MAX,
)
from advisor.schemas import (
    SCENARIO_NOTES_MAX as NOTES_MAX,
)
from advisor.schemas import (
    ScenarioListSchema,
    load,
    parse_scenario,
    parse_stored_request,
)
from advisor.web import codec, forms, present
from advisor.web import views as web_views
from advisor.web.accounts import safe_next, sign_in_page
from advisor.web.controls import FAILURE_LABELS, SERVICE_LABELS
from advisor.web.diagram import render_svg
from advisor.web.frontier_chart import frontier_context
from advisor.web.views import EXPORT_FORMATS, architecture_info, bp

PAGE_SIZE = 20
# Endpoints of this module, whose refused posts get their own answer rather than the plan form.
_ENDPOINTS = {
    "web.scenario_save",
    "web.scenario_update",
    "web.scenario_delete",
    "web.scenario_reprice",
}


def _scenarios() -> Scenarios:
    found: Scenarios = current_app.extensions["scenarios"]
    return found


def _catalogs() -> Any:
    return current_app.extensions["advisor"].catalogs


def _page(html: str, status: int = 200, *, no_store: bool = True) -> Response:
    response = current_app.make_response((html, status))
    if no_store:
        response.headers["Cache-Control"] = "no-store"
    return response


def _error(status: int, title: str, detail: str, problems: list[str] | None = None) -> Response:
    html = render_template(
        "web/scenario_error.html", status=status, title=title, detail=detail, problems=problems or []
    )
    return _page(html, status, no_store=False)


def _when(moment: datetime) -> str:
    """A stored time for people: 2024-05-01 14:03 UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _any_version_info() -> dict[str, Any]:
    """Every architecture by name, whatever Exchange version offers it (for pages that show
    designs of several requests)."""
    return {spec.name: spec for spec in architectures.SPECS}


def _catalog_words(catalog: CatalogRef) -> str:
    return f"{catalog.id} version {catalog.version}, as of {catalog.as_of}"


@bp.app_template_global()
def scenario_when(moment: datetime) -> str:
    """The time format the scenario pages use."""
    return _when(moment)


# ---------- save ----------


def _field_errors(problems: list[FieldProblem]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for problem in problems:
        field = problem.field if problem.field in ("name", "notes") else "request"
        errors.setdefault(field, []).append(forms.friendly(problem.message))
    return errors


def _local_problems(name: str, notes: str) -> list[FieldProblem]:
    problems = []
    if not name.strip():
        problems.append(FieldProblem("name", "Give the scenario a name."))
    elif len(name) > NAME_MAX:
        problems.append(FieldProblem("name", f"Keep the name to {NAME_MAX} characters (it has {len(name)})."))
    if len(notes) > NOTES_MAX:
        problems.append(
            FieldProblem("notes", f"Keep the notes to {NOTES_MAX} characters (they have {len(notes)}).")
        )
    return problems


def _save_page(
    token: str, name: str, notes: str, errors: Mapping[str, list[str]], status: int, notice: str = ""
) -> Response:
    try:
        data: dict[str, Any] | None = codec.decode(token)
    except codec.BadToken:
        data = None
    project = (data or {}).get("project") or {}
    html = render_template(
        "web/scenario_new.html",
        token=token,
        values={"name": name, "notes": notes},
        errors=errors,
        notice=notice,
        project=project,
        budget=present.document_budget(data),
        p=present,
        readable=data is not None,
    )
    return _page(html, status)


@bp.get("/scenarios/new")
def scenario_new() -> ResponseReturnValue:
    """The Save form on a page of its own, for the result whose request is in `r`."""
    token = request.args.get("r", "")
    try:
        data = codec.decode(token)
    except codec.BadToken as err:
        return _error(400, "This result link cannot be read", f"{str(err).capitalize()}.")
    name = ((data.get("project") or {}).get("name") or "").strip()
    return _save_page(token, name, "", {}, 200)


@bp.post("/scenarios")
@solves
def scenario_save() -> ResponseReturnValue:
    """Run the result's request, store it with its result, and go to its shareable page (PRG)."""
    token = request.form.get("r", "")
    name = request.form.get("name", "")
    notes = request.form.get("notes", "").replace("\r\n", "\n")
    try:
        data = codec.decode(token)
    except codec.BadToken as err:
        return _error(400, "This result cannot be saved", f"Its request cannot be read: {err}.")
    problems = _local_problems(name, notes)
    if problems:
        return _save_page(token, name, notes, _field_errors(problems), 422)
    try:
        name, notes, parsed, document = parse_scenario(
            {"name": name.strip(), "notes": notes, "request": data}
        )
        saved = _scenarios().save(name, notes, parsed, document, owner=owner())
    except InvalidInput as err:
        return _save_page(token, name, notes, _field_errors(err.problems), 422)
    except UnknownCatalog as err:
        return _save_page(token, name, notes, {"request": [str(err)]}, 422)
    return redirect(url_for("web.scenario", scenario_id=saved.id), code=303)


# ---------- one scenario ----------


def _rows_of(response: Recommendations) -> dict[int, Any]:
    return {r.rank: present.scenario_rows(r) for r in response.recommendations}


@dataclass(frozen=True)
class _Origin:
    """The scenario a re-priced one came from, and what re-pricing changed."""

    scenario: SavedScenario | None
    changes: Any


def _origin(saved: SavedScenario) -> _Origin | None:
    if not saved.repriced_from:
        return None
    try:
        original = _scenarios().get(saved.repriced_from, owner())
    except ScenarioNotFound:
        return _Origin(None, None)
    return _Origin(original, differences(original.result, saved.result))


def _scenario_page(
    saved: SavedScenario,
    edit_values: Mapping[str, str] | None = None,
    edit_errors: Mapping[str, list[str]] | None = None,
    status: int = 200,
    *,
    share: str | None = None,
) -> Response:
    """The stored result with the result page's cards, never recomputed."""
    parsed: Request | None
    try:
        parsed = parse_stored_request(saved.request)
    except InvalidInput:  # an old request the contract no longer takes: show what is stored
        parsed = None
    response = saved.result
    recommendations = response.recommendations
    heading = saved.name
    diagrams = {r.rank: render_svg(r, f"diagram-{r.rank}", heading) for r in recommendations}
    html = render_template(
        "web/scenario.html",
        saved=saved,
        origin=None if share else _origin(saved),
        share=share,
        edit_values=edit_values or {"name": saved.name, "notes": saved.notes},
        edit_errors=edit_errors or {},
        flashes=get_flashed_messages(),
        token=codec.encode(dict(saved.request)),
        request_data=parsed,
        response=response,
        budget=parsed.budget if parsed else present.stored_budget(saved),
        horizon_years=parsed.horizon_years if parsed else "",
        project=(parsed.project if parsed else None) or Project(),
        currency=response.catalog.currency,
        diagrams=diagrams,
        **frontier_context(response, parsed.budget if parsed else present.stored_budget(saved)),
        rows=_rows_of(response),
        info=architecture_info(parsed) if parsed else _any_version_info(),
        p=present,
        service_labels=SERVICE_LABELS,
        failure_labels=FAILURE_LABELS,
        export_formats=EXPORT_FORMATS,
        pickable=list(recommendations),
        catalog_words=_catalog_words,
    )
    return _page(html, status)


@bp.get("/scenarios/<scenario_id>")
def scenario(scenario_id: str) -> ResponseReturnValue:
    """A saved scenario's shareable page: its stored result, name, notes and price book."""
    return _scenario_page(_scenarios().get(scenario_id, owner()))


@bp.post("/scenarios/<scenario_id>")
def scenario_update(scenario_id: str) -> ResponseReturnValue:
    """Rename the scenario or change its notes (the stored result never changes)."""
    saved = _scenarios().get(scenario_id, owner())
    name = request.form.get("name", "")
    notes = request.form.get("notes", "").replace("\r\n", "\n")
    values = {"name": name, "notes": notes}
    problems = _local_problems(name, notes)
    if problems:
        return _scenario_page(saved, values, _field_errors(problems), 422)
    changes = {k: v for k, v in (("name", name.strip()), ("notes", notes)) if v != getattr(saved, k)}
    if changes:
        try:
            _scenarios().update(scenario_id, changes.get("name"), changes.get("notes"), owner())
        except InvalidInput as err:
            return _scenario_page(saved, values, _field_errors(err.problems), 422)
        flash("Saved the new name and notes.")
    return redirect(url_for("web.scenario", scenario_id=scenario_id), code=303)


@bp.get("/scenarios/<scenario_id>/delete")
def scenario_confirm_delete(scenario_id: str) -> ResponseReturnValue:
    """The confirmation step before a scenario is deleted."""
    saved = _scenarios().get(scenario_id, owner())
    return _page(render_template("web/scenario_delete.html", saved=saved))


@bp.post("/scenarios/<scenario_id>/delete")
def scenario_delete(scenario_id: str) -> ResponseReturnValue:
    """Delete the scenario for good, then go to the list."""
    saved = _scenarios().get(scenario_id, owner())
    _scenarios().delete(scenario_id, owner())
    flash(f"Deleted the saved scenario “{saved.name}”.")
    return redirect(url_for("web.scenario_list"), code=303)


@bp.post("/scenarios/<scenario_id>/reprice")
@solves
def scenario_reprice(scenario_id: str) -> ResponseReturnValue:
    """A new scenario from the same request against today's catalog; its page shows what changed."""
    original = _scenarios().get(scenario_id, owner())
    try:
        fresh, changes = _scenarios().reprice_if_changed(original, parse_stored_request(original.request))
    except InvalidInput as err:
        lines = [f"{p.field}: {forms.friendly(p.message)}" for p in err.problems]
        return _error(422, "This scenario cannot be re-priced", "Its request is not valid any more.", lines)
    except UnknownCatalog as err:
        return _error(422, "This scenario cannot be re-priced", str(err))
    if fresh is None:
        catalog = changes.catalog.after
        flash(
            f"Nothing changed: re-priced against catalog {catalog.id} version {catalog.version} of "
            f"{catalog.as_of}, every price, design, status and the ranking are as saved, so nothing new "
            "was saved."
        )
        return redirect(url_for("web.scenario", scenario_id=original.id), code=303)
    flash("Re-priced against the current catalog: this is a new saved scenario; the original is kept.")
    return redirect(url_for("web.scenario", scenario_id=fresh.id), code=303)


@bp.get("/scenarios/<scenario_id>/diagram-<int:rank>.svg")
def scenario_diagram(scenario_id: str, rank: int) -> ResponseReturnValue:
    """One stored recommendation's diagram as an SVG file."""
    return _diagram(_scenarios().get(scenario_id, owner()), rank)


def _diagram(saved: SavedScenario, rank: int) -> Response:
    chosen = next((r for r in saved.result.recommendations if r.rank == rank), None)
    if chosen is None:
        return _error(404, "No such design", f"The saved result has no recommendation number {rank}.")
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + str(render_svg(chosen, f"diagram-{rank}", saved.name))
    filename = f"exchange-ha-design-{rank}-{chosen.architecture}.svg"
    return current_app.response_class(
        body, mimetype="image/svg+xml", headers={"Content-Disposition": f'inline; filename="{filename}"'}
    )


def _download(rendered: Rendered) -> Response:
    return current_app.response_class(rendered.content, headers=rendered.headers())


def _problem_lines(err: InvalidInput) -> list[str]:
    return [f"{p.field}: {forms.friendly(p.message)}" for p in err.problems]


@bp.get("/scenarios/<scenario_id>/export")
def scenario_export(scenario_id: str) -> ResponseReturnValue:
    """The stored designs of one scenario as a quote comparison file, exactly as they were saved."""
    return _export(_scenarios().get(scenario_id, owner()))


def _export(saved: SavedScenario) -> Response:
    picks = request.args.getlist("picks") or None
    try:
        comparison = stored_comparison(parse_stored_request(saved.request), saved.result, _catalogs(), picks)
        rendered = render(
            request.args.get("format", "pdf"), comparison, paper=request.args.get("paper", "A4")
        )
    except InvalidInput as err:
        return _error(
            400, "That cannot be exported", "The export asked for is not possible:", _problem_lines(err)
        )
    return _download(rendered)


# ---------- read-only share links ----------


@bp.get("/shared/<share_token>")
def shared(share_token: str) -> ResponseReturnValue:
    """A saved scenario's read-only page for anyone holding its share link."""
    return _scenario_page(_scenarios().shared(share_token), share=share_token)


@bp.get("/shared/<share_token>/diagram-<int:rank>.svg")
def shared_diagram(share_token: str, rank: int) -> ResponseReturnValue:
    return _diagram(_scenarios().shared(share_token), rank)


@bp.get("/shared/<share_token>/export")
def shared_export(share_token: str) -> ResponseReturnValue:
    return _export(_scenarios().shared(share_token))


# ---------- the list ----------


def _listing_off() -> Response | None:
    if current_app.config.get("ADVISOR_SCENARIO_LISTING", True):
        return None
    html = render_template("web/scenario_list_off.html", flashes=get_flashed_messages())
    return _page(html, 403)


@bp.get("/scenarios")
def scenario_list() -> ResponseReturnValue:
    """Saved scenarios, newest first, a page at a time, filtered by name; pick designs to compare."""
    refused = _listing_off()
    if refused is not None:
        return refused
    name = request.args.get("name", "").strip()
    try:
        offset = max(0, int(request.args.get("offset", "0") or 0))
    except ValueError:
        offset = 0
    try:
        query = load(ScenarioListSchema(), {"limit": PAGE_SIZE, "offset": offset, "name": name or None})
        page = _scenarios().list(query["limit"], query["offset"], query["name"], owner())
    except InvalidInput as err:
        return _error(400, "That list cannot be shown", "The filter is not valid:", _problem_lines(err))
    following = page.offset + page.limit
    html = render_template(
        "web/scenario_list.html",
        page=page,
        name=name,
        flashes=get_flashed_messages(),
        p=present,
        next_url=url_for("web.scenario_list", name=name or None, offset=following)
        if following < page.total
        else None,
        prev_url=url_for(
            "web.scenario_list", name=name or None, offset=max(0, page.offset - page.limit) or None
        )
        if page.offset > 0
        else None,
    )
    return _page(html)


# ---------- compare ----------


@dataclass(frozen=True)
class _Picked:
    saved: SavedScenario
    recommendation: Recommendation

    @property
    def design(self) -> StoredDesign:
        return StoredDesign(
            parse_stored_request(self.saved.request),
            self.saved.result,
            self.recommendation.architecture,
            f"saved scenario “{self.saved.name}”",
            key=self.saved.id,
        )


class _BadPicks(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _picked(values: list[str]) -> list[_Picked]:
    """The designs `d=<id>:<architecture>` names, each a recommendation stored in its scenario."""
    problems: list[str] = []
    if len(values) < 2:
        problems.append(f"Pick at least two designs to compare (this link names {len(values)}).")
    if len(values) > MAX_COMPARED:
        problems.append(f"Compare at most {MAX_COMPARED} designs at once (this link names {len(values)}).")
    picked: list[_Picked] = []
    loaded: dict[str, SavedScenario | None] = {}
    for index, value in enumerate(values[:MAX_COMPARED], start=1):
        scenario_id, sep, architecture = value.partition(":")
        if not sep or not scenario_id or not architecture:
            problems.append(f"Design {index} (“{value[:80]}”) is not of the form scenario:architecture.")
            continue
        if scenario_id not in loaded:
            try:
                loaded[scenario_id] = _scenarios().get(scenario_id, owner())
            except ScenarioNotFound:
                loaded[scenario_id] = None
        saved = loaded[scenario_id]
        if saved is None:
            problems.append(f"Design {index}: there is no saved scenario “{scenario_id[:40]}” (deleted?).")
            continue
        chosen = saved.result.recommended(architecture)
        if chosen is None:
            problems.append(
                f"Design {index}: “{architecture[:60]}” is not among the designs stored in “{saved.name}”."
            )
            continue
        if any(x.saved.id == saved.id and x.recommendation is chosen for x in picked):
            problems.append(f"Design {index} is picked twice.")
            continue
        picked.append(_Picked(saved, chosen))
    if problems:
        raise _BadPicks(problems)
    return picked


def _compare_problems(values: list[str]) -> tuple[list[_Picked], Comparison]:
    picked = _picked(values)
    try:
        comparison = comparison_across([x.design for x in picked], _catalogs())
    except InvalidInput as err:
        raise _BadPicks(_problem_lines(err)) from None
    return picked, comparison


@bp.get("/scenarios/compare")
def scenario_compare() -> ResponseReturnValue:
    """Designs picked from several saved scenarios side by side, as stored, with export links."""
    values = request.args.getlist("d")
    try:
        picked, _ = _compare_problems(values)
    except _BadPicks as err:
        return _error(
            400, "Those designs cannot be compared", "The comparison link has a problem:", err.problems
        )
    html = render_template(
        "web/scenario_compare.html",
        picked=picked,
        values=values,
        p=present,
        info=_any_version_info(),
        failure_labels=FAILURE_LABELS,
        export_formats=EXPORT_FORMATS,
        catalog_words=_catalog_words,
        option_label=option_label,
        listing=current_app.config.get("ADVISOR_SCENARIO_LISTING", True),
    )
    return _page(html, no_store=False)


@bp.get("/scenarios/compare/export")
def scenario_compare_export() -> ResponseReturnValue:
    """The comparison of designs from several saved scenarios as a file in any export format."""
    values = request.args.getlist("d")
    try:
        _, comparison = _compare_problems(values)
        rendered = render(
            request.args.get("format", "pdf"), comparison, paper=request.args.get("paper", "A4")
        )
    except _BadPicks as err:
        return _error(
            400, "Those designs cannot be compared", "The comparison link has a problem:", err.problems
        )
    except InvalidInput as err:
        return _error(
            400, "That cannot be exported", "The export asked for is not possible:", _problem_lines(err)
        )
    return _download(rendered)


# ---------- errors ----------


@bp.errorhandler(ScenarioNotFound)
def _not_found(error: ScenarioNotFound) -> ResponseReturnValue:
    return _error(
        404,
        "No such saved scenario",
        "There is no saved scenario at this address: the link may be mistyped or cut short, "
        "or the scenario was deleted.",
    )


@bp.errorhandler(CSRFError)
def _csrf_refused(error: CSRFError) -> ResponseReturnValue:
    """The blueprint's one handler of a post without a valid token: a scenario post is refused
    with its own page, a post to the plan form re-shows the form (`views.csrf_refused`)."""
    if request.endpoint == "web.sign_in":
        return sign_in_page(
            safe_next(request.form.get("next")),
            400,
            account=request.form.get("account", "")[:64],
            error="The form had expired (its security token was missing or old): sign in again.",
        )
    if request.endpoint == "web.sign_out":
        return redirect(url_for("web.form"), code=303)
    if request.endpoint not in _ENDPOINTS:
        return web_views.csrf_refused(error)
    notice = (
        "The form could not be accepted because its security token was missing or had expired "
        "(for example after a long pause or a server restart). Nothing was changed: check the values "
        "and submit again."
    )
    if request.endpoint == "web.scenario_save":
        token = request.form.get("r", "")
        return _save_page(token, request.form.get("name", ""), request.form.get("notes", ""), {}, 400, notice)
    scenario_id = (request.view_args or {}).get("scenario_id", "")
    html = render_template(
        "web/scenario_error.html",
        status=400,
        title="The form could not be accepted",
        detail=notice,
        problems=[],
        back=url_for("web.scenario", scenario_id=scenario_id) if scenario_id else None,
    )
    return _page(html, 400)
