"""Saved scenarios under /api/v1/scenarios: save, list, read, rename, delete, re-price, export, compare.

The use cases live in advisor.scenarios and the comparisons of stored results in
advisor.exports.multi; this module only translates between HTTP and them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Response, current_app, g, request, url_for
from flask.views import MethodView
from werkzeug.exceptions import MethodNotAllowed

from advisor.api.admission import solves
from advisor.api.advice import advisor
from advisor.api.auth import owner
from advisor.api.bodies import refuse_non_json_body, require_json_object
from advisor.api.descriptions import COMPARISON_EXAMPLE, RECOMMENDATION_EXAMPLE
from advisor.api.problems import LISTING_OFF, problem
from advisor.api.quotes import (
    FieldBlueprint,
    answers_a_file,
    documents_problems,
    download,
    problems_in_request,
)
from advisor.api.schemas import (
    ExportQuerySchema,
    NewScenarioSchema,
    RepricedScenarioSchema,
    ScenarioChangesSchema,
    ScenarioComparisonSchema,
    ScenarioPageSchema,
    ScenarioQuerySchema,
    ScenarioSchema,
    SharedScenarioSchema,
)
from advisor.domain import (
    Differences,
    FieldProblem,
    IdempotencyKey,
    InvalidInput,
    MinimumBudget,
    Recommendation,
    Recommendations,
    SavedScenario,
    ScenarioNotFound,
)
from advisor.exports import render
from advisor.exports.multi import StoredDesign, comparison_across, stored_comparison
from advisor.scenarios import Scenarios as ScenarioUseCases
from advisor.schemas import parse_request, parse_stored_request, request_from

blp = FieldBlueprint(
    "scenarios",
    __name__,
    url_prefix="/api/v1",
    description="Saved scenarios: a request and its result kept with the price book it used, to share by "
    "link, re-price against the current catalog, export, and compare with other scenarios' designs.",
)

LISTING = "scenarios.Scenarios"
BODYLESS = {"scenarios.Reprice"}
IDEMPOTENCY_KEY = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX = 255
_IDEMPOTENCY = {
    "in": "header",
    "name": IDEMPOTENCY_KEY,
    "required": False,
    "description": "Any printable ASCII of 1 to 255 characters the client makes up for this save (a UUID). "
    "Sent again with the same body by the same account, the save is not repeated: the answer is the "
    "scenario the first one saved (the same id, status 201). With another body it is refused (422). "
    "A key lasts as long as the scenario it saved.",
    "schema": {"type": "string", "minLength": 1, "maxLength": IDEMPOTENCY_KEY_MAX},
}
LOCATION = {
    "Location": {
        "description": "The new scenario's path (`/api/v1/scenarios/{id}`).",
        "schema": {"type": "string"},
        "required": True,
    }
}
_SCENARIO_ID = {
    "in": "path",
    "name": "scenario_id",
    "description": "A saved scenario's id: 22 URL-safe characters, as in its link.",
    "example": "Zx8qv3Tq0cS1yJ5b2uYw7A",
}
SCENARIO_EXAMPLE = {
    "name": "Contoso, 30k upfront",
    "notes": "First draft.",
    "request": RECOMMENDATION_EXAMPLE,
}


def scenarios() -> ScenarioUseCases:
    """The app's saved-scenario use cases."""
    found: ScenarioUseCases = current_app.extensions["scenarios"]
    return found


_SHARE_TOKEN = {
    "in": "path",
    "name": "share_token",
    "description": "The secret of a scenario's `share_url`: 43 URL-safe characters.",
    "example": "q3Ya0yqk3m1t8Jf0nGz2S9r4Wc6Vb7Xh5Ld2Pe1Uo0A",
}


@blp.before_request
def _listing_switch_and_body() -> Response | None:
    if (request.view_args or {}).get("scenario_id") == "compare":
        # /scenarios/compare is the comparison (POST), never a scenario's id (22 characters).
        raise MethodNotAllowed(valid_methods=["POST"])
    # HEAD is a GET without the body: it must not tell what the list would (its Content-Length).
    listing = request.endpoint == LISTING and request.method in ("GET", "HEAD")
    if listing and not current_app.config["ADVISOR_SCENARIO_LISTING"]:
        return problem(
            403,
            "This service does not list saved scenarios; open a scenario by its link.",
            type_=LISTING_OFF,
            title="Listing is off",
        )
    if request.endpoint in BODYLESS or request.method == "DELETE":
        refuse_non_json_body()
    else:
        require_json_object()
    return None


@dataclass(frozen=True)
class Links:
    self: str
    export: str
    reprice: str
    repriced_from: str | None
    share_page: str


@dataclass(frozen=True)
class SharedLinks:
    self: str
    export: str
    share_page: str


@dataclass(frozen=True)
class ScenarioView:
    """A saved scenario as the API answers it: the scenario, its links, and (after re-pricing)
    what changed; the response schemas dump it."""

    saved: SavedScenario
    differences: Differences | None = None
    shared: bool = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.saved, name)

    @property
    def created_at(self) -> datetime:
        return self.saved.created_at.astimezone(UTC)

    @property
    def updated_at(self) -> datetime:
        return self.saved.updated_at.astimezone(UTC)

    @property
    def response(self) -> Recommendations:
        return self.saved.result

    @property
    def recommendations(self) -> tuple[Recommendation, ...]:
        return self.saved.result.recommendations

    @property
    def minimum_budget(self) -> MinimumBudget | None:
        return self.saved.result.minimum_budget

    @property
    def share_url(self) -> str:
        return url_for("scenarios.Shared", share_token=self.saved.share_token)

    @property
    def links(self) -> Links | SharedLinks:
        saved = self.saved
        page = url_for("web.shared", share_token=saved.share_token)
        if self.shared:
            return SharedLinks(
                self=url_for("scenarios.Shared", share_token=saved.share_token),
                export=url_for("scenarios.SharedExport", share_token=saved.share_token),
                share_page=page,
            )
        return Links(
            self=url_for("scenarios.Scenario", scenario_id=saved.id),
            export=url_for("scenarios.Export", scenario_id=saved.id),
            reprice=url_for("scenarios.Reprice", scenario_id=saved.id),
            repriced_from=url_for("scenarios.Scenario", scenario_id=saved.repriced_from)
            if saved.repriced_from
            else None,
            share_page=page,
        )


def _idempotency_key() -> IdempotencyKey | None:
    """The save's Idempotency-Key with the digest of its body (as JSON, keys sorted), or None."""
    key = request.headers.get(IDEMPOTENCY_KEY)
    if key is None:
        return None
    if not (0 < len(key) <= IDEMPOTENCY_KEY_MAX and key.isascii() and key.isprintable()):
        raise InvalidInput(
            [FieldProblem(IDEMPOTENCY_KEY, f"must be 1 to {IDEMPOTENCY_KEY_MAX} printable ASCII characters")]
        )
    canonical = json.dumps(g.json_body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    digest = hashlib.sha256(canonical.encode("ascii")).hexdigest()
    return IdempotencyKey(owner() or 0, key, digest)


def _created(view: ScenarioView) -> tuple[ScenarioView, int, dict[str, str]]:
    return view, 201, {"Location": url_for("scenarios.Scenario", scenario_id=view.saved.id)}


def _page_link(limit: int, offset: int, name: str | None) -> str:
    query: dict[str, Any] = {"limit": limit, "offset": offset}
    if name:
        query["name"] = name
    return url_for(LISTING, **query)


@blp.route("/scenarios")
class Scenarios(MethodView):
    @documents_problems(blp, 403, 503)
    @blp.arguments(ScenarioQuerySchema, location="query")
    @blp.response(200, ScenarioPageSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """List saved scenarios

        Newest first, `limit` at a time from `offset`, optionally only those whose name contains
        `name`. Each item leaves out the request and the full result for brevity and gives the
        stored recommendations in brief (rank, architecture, cost): what a comparison picks from.
        `links` holds the next and previous pages. When the service's ADVISOR_SCENARIO_LISTING
        setting is off (shared deployments), this answers a 403 problem: a link is then the only
        way to a scenario.
        """
        name = query.get("name")
        page = scenarios().list(query["limit"], query["offset"], name, owner())
        following = page.offset + page.limit
        return {
            "items": [ScenarioView(s) for s in page.items],
            "total": page.total,
            "limit": page.limit,
            "offset": page.offset,
            "links": {
                "self": _page_link(page.limit, page.offset, name),
                "next": _page_link(page.limit, following, name) if following < page.total else None,
                "prev": _page_link(page.limit, max(0, page.offset - page.limit), name)
                if page.offset > 0
                else None,
            },
        }

    @documents_problems(blp, 400, 413, 415, 503)
    @blp.doc(parameters=[_IDEMPOTENCY])
    @blp.arguments(NewScenarioSchema, example=SCENARIO_EXAMPLE)
    @blp.response(201, ScenarioSchema, headers=LOCATION)
    @solves
    def post(self, valid: dict[str, Any]) -> tuple[ScenarioView, int, dict[str, str]]:
        """Save a scenario

        Runs the request as POST /api/v1/recommendations does and keeps it, its result and the
        price book it was priced from (id, version, date) under a new unguessable id, as the
        signed-in account's. Answers 201 with the scenario and its `Location`. Problems in the
        request are named inside it: `request.budget.amount`. With an `Idempotency-Key` header,
        a retried save answers the first one's scenario instead of saving a second.
        """
        # Validated by @arguments; the request is kept as it was sent.
        request = request_from(valid["request"])
        with problems_in_request(named_already=True):
            saved = scenarios().save(
                valid["name"],
                valid["notes"],
                request,
                g.json_body["request"],
                owner=owner(),
                idempotency=_idempotency_key(),
            )
        return _created(ScenarioView(saved))


@blp.route("/scenarios/<scenario_id>", parameters=[_SCENARIO_ID])
class Scenario(MethodView):
    @documents_problems(blp, 404, 503)
    @blp.response(200, ScenarioSchema)
    def get(self, scenario_id: str) -> ScenarioView:
        """Show a saved scenario

        Its request and its result exactly as saved (a stored result never changes), the
        price book it was priced from and its links. An unknown id is a 404 problem.
        """
        return ScenarioView(scenarios().get(scenario_id, owner()))

    @documents_problems(blp, 400, 404, 413, 415, 503)
    @blp.arguments(ScenarioChangesSchema, example={"notes": "Sent to Contoso on Monday."})
    @blp.response(200, ScenarioSchema)
    def patch(self, valid: dict[str, Any], scenario_id: str) -> ScenarioView:
        """Rename or annotate a saved scenario

        Only `name` and `notes` change; any other field is invalid input (422), because a
        stored result never changes: re-price the scenario for a fresh one.
        """
        return ScenarioView(
            scenarios().update(scenario_id, valid.get("name"), valid.get("notes"), owner=owner())
        )

    @documents_problems(blp, 404, 503)
    @blp.response(204, description="Deleted.")
    def delete(self, scenario_id: str) -> Response:
        """Delete a saved scenario

        Its link stops working (404) and scenarios re-priced from it no longer point to it.
        """
        scenarios().delete(scenario_id, owner())
        return current_app.response_class(status=204)


@blp.route("/scenarios/<scenario_id>/reprice", parameters=[_SCENARIO_ID])
class Reprice(MethodView):
    @documents_problems(blp, 404, 503)
    @blp.response(201, RepricedScenarioSchema, headers=LOCATION)
    @solves
    def post(self, scenario_id: str) -> tuple[ScenarioView, int, dict[str, str]]:
        """Re-price a saved scenario

        Runs the scenario's request against the current catalog and saves the result as a new
        scenario (`repriced_from` names the original, which stays as it was). Answers 201 with
        the new scenario, its `Location`, and `differences`: the price book, the ranking, the
        minimum budget and each architecture's status, cost and design, before and after.
        """
        original = scenarios().get(scenario_id, owner())
        with problems_in_request():
            fresh, differences = scenarios().reprice(original, parse_request(original.request))
        return _created(ScenarioView(fresh, differences))


@blp.route("/scenarios/<scenario_id>/export", parameters=[_SCENARIO_ID])
class Export(MethodView):
    @documents_problems(blp, 404, 503)
    @blp.arguments(ExportQuerySchema, location="query")
    @answers_a_file(blp, "The saved scenario's designs as a file to download.")
    def get(self, query: dict[str, Any], scenario_id: str) -> Response:
        """Export a saved scenario

        Its stored recommendations side by side (or the `picks` among them, in that order) in
        any export format, with the figures exactly as saved: nothing is solved or priced again.
        A pick that was not a stored recommendation is invalid input naming `picks.N`.
        """
        return _export(scenarios().get(scenario_id, owner()), query)


def _export(saved: SavedScenario, query: dict[str, Any]) -> Response:
    request = parse_stored_request(saved.request)
    comparison = stored_comparison(request, saved.result, advisor().catalogs, query.get("picks"))
    return download(render(query["format"], comparison, paper=query["paper"]))


@blp.route("/shared/<share_token>", parameters=[_SHARE_TOKEN])
class Shared(MethodView):
    @documents_problems(blp, 404, 503)
    @blp.response(200, SharedScenarioSchema)
    def get(self, share_token: str) -> ScenarioView:
        """Show a shared scenario

        The scenario a `share_url` names, read-only, to anyone holding the link (no account
        needed): its request, its result as saved and its price book. Nothing here changes it.
        An unknown or incomplete link is a 404 problem.
        """
        return ScenarioView(scenarios().shared(share_token), shared=True)


@blp.route("/shared/<share_token>/export", parameters=[_SHARE_TOKEN])
class SharedExport(MethodView):
    @documents_problems(blp, 404, 503)
    @blp.arguments(ExportQuerySchema, location="query")
    @answers_a_file(blp, "The shared scenario's designs as a file to download.")
    def get(self, query: dict[str, Any], share_token: str) -> Response:
        """Export a shared scenario

        As exporting a saved scenario, for anyone holding its `share_url`.
        """
        return _export(scenarios().shared(share_token), query)


@blp.route("/scenarios/compare")
class Comparison(MethodView):
    @documents_problems(blp, 400, 413, 415, 503)
    @blp.arguments(
        ScenarioComparisonSchema,
        example=COMPARISON_EXAMPLE,
    )
    @answers_a_file(blp, "The designs side by side as a file to download.")
    def post(self, order: dict[str, Any]) -> Response:
        """Compare designs across saved scenarios

        Each design is one of a saved scenario's stored recommendations, taken exactly as
        saved; the header is the first scenario's, and a design from another scenario says
        under which budget and price book it was priced. An unknown scenario is invalid input
        naming `designs.N.scenario`; a design that was not a stored recommendation names
        `designs.N.architecture`; designs priced in different currencies cannot be compared.
        """
        found: dict[str, SavedScenario] = {}
        problems = []
        for i, pick in enumerate(order["designs"]):
            if pick["scenario"] in found:
                continue
            try:
                found[pick["scenario"]] = scenarios().get(pick["scenario"], owner())
            except ScenarioNotFound:
                problems.append(FieldProblem(f"designs.{i}.scenario", "no saved scenario has this id"))
        if problems:
            raise InvalidInput(problems)
        designs = [
            StoredDesign(
                parse_stored_request(saved.request),
                saved.result,
                pick["architecture"],
                f'saved scenario "{saved.name}"',
                key=saved.id,
            )
            for pick in order["designs"]
            for saved in (found[pick["scenario"]],)
        ]
        comparison = comparison_across(designs, advisor().catalogs)
        return download(render(order["format"], comparison, paper=order["paper"]))
