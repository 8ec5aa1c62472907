"""The web blueprint's routes: the form, its post (PRG), the result page, its exports and diagrams."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Blueprint, Response, current_app, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError  # type: ignore[import-untyped]
from werkzeug.exceptions import HTTPException

from advisor import architectures
from advisor.api.admission import RETRY_AFTER_S, Busy, solves
from advisor.api.limits import retry_after
from advisor.domain import (
    FieldProblem,
    InvalidInput,
    Project,
    Recommendations,
    Request,
    SolverFailed,
    UnknownCatalog,
)
from advisor.exports import PICKABLE as EXPORT_PICKABLE
from advisor.quotes import quote
from advisor.schemas import REQUEST_SCHEMA, parse_request, with_catalog_problems
from advisor.service import Advisor
from advisor.web import codec, forms, present
from advisor.web.controls import (
    FAILURE_HELP,
    FAILURE_LABELS,
    PRIORITY_HELP,
    PRIORITY_LABELS,
    SECTIONS,
    SERVICE_LABELS,
    SERVICE_SHORT,
    control_anchor,
    control_id,
    control_label,
    goal_name,
    weight_name,
)
from advisor.web.diagram import render_svg
from advisor.web.frontier_chart import frontier_context
from advisor.web.security import csrf
from advisor.web.versions import VersionMenus, version_menus

bp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/web",
)
log = logging.getLogger("advisor.web")

EXPORT_FORMATS: dict[str, str] = {
    "pdf": "PDF quote",
    "xlsx": "Excel workbook",
    "csv-summary": "CSV, side by side",
    "csv": "CSV, line items",
    "json": "JSON",
}
PICKABLE = tuple(s for s in EXPORT_PICKABLE if s != "misses_required_goal")
EXPORT_FIELDS = {"format": "File format", "paper": "Paper size"}  # the download form's own fields


def _advisor() -> Advisor:
    found: Advisor = current_app.extensions["advisor"]
    return found


@bp.before_request
def _check_csrf() -> None:
    if request.method == "POST" and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


@bp.app_template_global()
def field_id(name: str) -> str:
    return control_id(name)


@bp.get("/favicon.ico")
def favicon() -> Response:
    """No icon: an empty answer the browser caches, rather than a 404 in every log."""
    response = current_app.response_class(status=204)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def _catalog_choices() -> list[tuple[str, str]]:
    catalogs = _advisor().catalogs
    default = catalogs.get("default")
    choices = [("default", f"default: {default.id} {default.version} of {default.as_of}")]
    for catalog in catalogs.all():
        if catalog.id == "default":
            continue  # the shipped book already stands as the default, or is shadowed by one's own
        choices.append((catalog.id, f"{catalog.id} {catalog.version} of {catalog.as_of}"))
    return choices


def _version_menus(values: Mapping[str, str]) -> VersionMenus:
    """The version menus of the price book the form names (the default one if it names none known)."""
    catalogs = _advisor().catalogs
    try:
        catalog = catalogs.get(values.get("catalog") or "default")
    except UnknownCatalog:
        catalog = catalogs.get("default")
    return version_menus(catalog, date.today().isoformat())


def architecture_info(request: Request) -> dict[str, Any]:
    """The architectures a request's Exchange version offers, by name (titles, descriptions)."""
    return {spec.name: spec for spec in architectures.for_version(request.platform.exchange_version)}


def _form_page(
    values: Mapping[str, str],
    errors: Mapping[str, list[str]] | None = None,
    status: int = 200,
    notice: str = "",
) -> tuple[str, int]:
    html = render_template(
        "web/form.html",
        sections=SECTIONS,
        values=values,
        errors=errors or {},
        notice=notice,
        catalogs=_catalog_choices(),
        versions=_version_menus(values),
        failure_labels=FAILURE_LABELS,
        failure_help=FAILURE_HELP,
        service_labels=SERVICE_LABELS,
        service_short=SERVICE_SHORT,
        priority_labels=PRIORITY_LABELS,
        priority_help=PRIORITY_HELP,
        goal_name=goal_name,
        weight_name=weight_name,
        options_for=lambda c: [(choice.value, choice.label) for choice in c.choices],
        control_label=control_label,
        control_anchor=control_anchor,
    )
    return html, status


def _no_store(page: tuple[str, int]) -> Response:
    """A page with a CSRF token in it: not for any cache."""
    response = current_app.make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
def form() -> Response:
    """The form: the seed case, or the inputs of a result when `r` names one."""
    token = request.args.get("r")
    if token is None:
        return _no_store(_form_page(forms.values_from_request({})))
    try:
        values = forms.values_from_request(codec.decode(token))
    except codec.BadToken as err:
        return _no_store(
            _form_page(forms.values_from_request({}), notice=f"That link could not be used: {err}.")
        )
    return _no_store(_form_page(values))


def _validate(submission: forms.Submission) -> tuple[dict[str, Any] | None, list[FieldProblem]]:
    """The request as the schema loads it (every default filled in), or every problem found."""
    advisor = _advisor()
    try:
        parsed = parse_request(submission.request)
    except InvalidInput as err:
        found = with_catalog_problems(err.problems, submission.request, advisor.catalog_problems)
        return None, forms.merge_problems(submission.problems, found)
    try:
        advisor.catalog_for(parsed)
    except InvalidInput as err:
        return None, forms.merge_problems(submission.problems, err.problems)
    except UnknownCatalog as err:
        return None, [*submission.problems, FieldProblem("catalog", str(err))]
    if submission.problems:
        return None, submission.problems
    loaded: dict[str, Any] = REQUEST_SCHEMA.load(submission.request)
    if loaded.get("project") is None:
        loaded.pop("project", None)
    return loaded, []


@bp.post("/")
def submit() -> ResponseReturnValue:
    """Read the form; on success redirect to the result's own URL (Post/Redirect/Get)."""
    values = forms.typed_values(request.form)
    submission = forms.build_request(values)
    loaded, problems = _validate(submission)
    if loaded is None:
        errors = forms.problems_by_control(problems, submission.goal_rows)
        return _no_store(_form_page(values, errors, 422))
    return redirect(url_for("web.result", r=codec.encode(loaded)), code=303)


class _Unreadable(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _request_from_url() -> tuple[str, dict[str, Any]]:
    token = request.args.get("r", "")
    try:
        return token, codec.decode(token)
    except codec.BadToken as err:
        raise _Unreadable(str(err)) from None


def _recommend(data: dict[str, Any]) -> tuple[Request, Recommendations]:
    """The request in a result link, parsed, and its answer (InvalidInput naming the fields)."""
    try:
        parsed = parse_request(data)
        return parsed, _advisor().recommend(parsed)
    except UnknownCatalog as err:
        raise InvalidInput([FieldProblem("catalog", str(err))]) from None


@bp.get("/result")
@solves
def result() -> ResponseReturnValue:
    """The result of the request in the URL, computed afresh: reloadable and shareable."""
    try:
        token, data = _request_from_url()
        parsed, response = _recommend(data)
    except _Unreadable as err:
        return _error_page(
            400, "This result link cannot be read", f"{err.reason[:1].upper()}{err.reason[1:]}."
        )
    except InvalidInput as err:
        values = forms.values_from_request(data)
        submission = forms.build_request(values)
        errors = forms.problems_by_control(err.problems, submission.goal_rows)
        notice = "The request in that link is not valid any more; correct it below."
        return _no_store(_form_page(values, errors, 422, notice))
    recommendations = response.recommendations
    project = parsed.project or Project()
    diagrams = {r.rank: render_svg(r, f"diagram-{r.rank}", project.name) for r in recommendations}
    html = render_template(
        "web/result.html",
        **frontier_context(response, parsed.budget),
        token=token,
        request_data=parsed,
        response=response,
        budget=parsed.budget,
        project=project,
        currency=response.catalog.currency,
        diagrams=diagrams,
        rows={r.rank: present.scenario_rows(r) for r in recommendations},
        info=architecture_info(parsed),
        lifecycle=_advisor().lifecycle(parsed),
        p=present,
        service_labels=SERVICE_LABELS,
        failure_labels=FAILURE_LABELS,
        export_formats=EXPORT_FORMATS,
        pickable=[w for w in response.weighed if w.status in PICKABLE],
    )
    return html, 200


@bp.get("/result/diagram-<int:rank>.svg")
@solves
def diagram(rank: int) -> ResponseReturnValue:
    """One recommendation's diagram as an SVG file, to paste into a proposal."""
    try:
        _, data = _request_from_url()
        parsed, response = _recommend(data)
    except _Unreadable as err:
        return _error_page(400, "This diagram link cannot be read", str(err))
    except InvalidInput as err:
        return _problems_page(err.problems)
    chosen = next((r for r in response.recommendations if r.rank == rank), None)
    if chosen is None:
        return _error_page(404, "No such design", f"The result has no recommendation number {rank}.")
    heading = parsed.project.name if parsed.project else ""
    svg = render_svg(chosen, f"diagram-{rank}", heading)
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + str(svg)
    filename = f"exchange-ha-design-{rank}-{chosen.architecture}.svg"
    return current_app.response_class(
        body,
        mimetype="image/svg+xml",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@bp.get("/result/export")
@solves
def export() -> ResponseReturnValue:
    """The quote comparison of the result in the URL, as a file (exports: pdf, xlsx, csv, json)."""
    try:
        _, data = _request_from_url()
    except _Unreadable as err:
        return _error_page(400, "This export link cannot be read", str(err))
    picks = request.args.getlist("picks") or None
    fmt = request.args.get("format", "pdf")
    paper = request.args.get("paper", "A4")
    back = url_for("web.result", r=request.args.get("r", "")) + "#exports"
    try:
        parsed = parse_request(data)
        rendered = quote(_advisor(), parsed, fmt, picks, paper=paper)
    except UnknownCatalog as err:
        return _problems_page([FieldProblem("catalog", str(err))], back)
    except InvalidInput as err:
        if any(p.field.startswith("picks") for p in err.problems):
            return _picks_page(picks or [], back, data)
        return _problems_page(err.problems, back)
    return current_app.response_class(rendered.content, headers=rendered.headers())


def _picks_page(picks: list[str], back: str, data: dict[str, Any]) -> ResponseReturnValue:
    """The designs to compare could not be used: say so in words, with the way back."""
    if not picks:
        detail = (
            "Nothing was ticked, and no design is recommended within this budget to compare by "
            "default. Go back, tick the designs to compare, and download again."
        )
    else:
        try:
            titles = architecture_info(parse_request(data))
        except InvalidInput:
            titles = {}
        unknown = "an architecture this Exchange version does not offer"
        named = [titles[p].title if p in titles else unknown for p in picks]
        detail = (
            "Not every design ticked can be compared ("
            + "; ".join(dict.fromkeys(named))
            + "): only designs the result priced can. Go back and tick others."
        )
    return _error_page(422, "Choose the designs to compare", detail, back=back)


def _problems_page(problems: list[FieldProblem], back: str = "") -> tuple[str, int, dict[str, str]]:
    lines = "; ".join(
        f"{EXPORT_FIELDS.get(p.field) or control_label(p.field)}: {forms.friendly(p.message)}"
        for p in problems
    )
    return _error_page(422, "That cannot be exported", lines, back=back)


def _error_page(
    status: int,
    title: str,
    detail: str,
    headers: Mapping[str, str] | None = None,
    back: str = "",
) -> tuple[str, int, dict[str, str]]:
    html = render_template("web/error.html", status=status, title=title, detail=detail, back=back)
    return html, status, dict(headers or {})


def csrf_refused(error: CSRFError) -> Response:
    """A post to the plan form without a valid token is refused; what was typed comes back for a
    second try. The blueprint's one CSRF handler (in scenario_views) calls it for the form."""
    values = forms.typed_values(request.form)
    notice = (
        "The form could not be accepted because its security token was missing or had expired "
        "(for example after a long pause or a server restart). Nothing was lost: check the values "
        "below and submit again."
    )
    return _no_store(_form_page(values, {}, 400, notice))


@bp.errorhandler(SolverFailed)
def _solver_failed(error: SolverFailed) -> ResponseReturnValue:
    return _error_page(
        503,
        "The optimiser ran out of time",
        f"{error}. The request is valid: try again in a moment, or ask for fewer designs.",
        {"Retry-After": "5"},
    )


@bp.errorhandler(Busy)
def _busy(error: Busy) -> ResponseReturnValue:
    return _error_page(
        503,
        "The advisor is busy",
        "Every optimiser is working on other requests just now. Nothing was lost: try again in a moment.",
        {"Retry-After": str(RETRY_AFTER_S)},
    )


@bp.errorhandler(HTTPException)
def html_error(error: HTTPException) -> ResponseReturnValue:
    """The HTML error page for an HTTP error (also used by the app for URLs outside any route)."""
    retry_after(error)
    page, status, headers = _error_page(error.code or 500, error.name, str(error.description or ""))
    headers.update({k: v for k, v in error.get_headers() if k.lower() != "content-type"})
    return page, status, headers


@bp.errorhandler(Exception)
def _unexpected(error: Exception) -> ResponseReturnValue:
    log.exception(
        "unhandled error on %s %s (request id %s)", request.method, request.path, g.get("request_id")
    )
    return _error_page(
        500,
        "Something went wrong",
        "The error has been logged. Try again, and quote the request id below if it happens again.",
    )
