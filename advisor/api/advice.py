"""POST /api/v1/recommendations and /api/v1/analyses: the request in, the service's answer out."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from flask import Response, current_app, jsonify, request
from flask.views import MethodView

from advisor.api.admission import solves
from advisor.api.bodies import BodyBlueprint, require_json_object
from advisor.api.descriptions import ANALYSIS_EXAMPLE, RECOMMENDATION_EXAMPLE
from advisor.contract.responses import AnalysisResponseSchema, RecommendationsResponseSchema
from advisor.contract.summary import VIEWS, dump_summary
from advisor.domain import DesignReport, FieldProblem, InvalidInput
from advisor.domain import Recommendations as Answer
from advisor.schemas import ANALYSIS_SCHEMA, REQUEST_SCHEMA, analysis_from, request_from
from advisor.service import Advisor

blp = BodyBlueprint(
    "advice",
    __name__,
    url_prefix="/api/v1",
    description="Recommend the best designs for a budget and goals, or analyze one concrete design.",
)


def advisor() -> Advisor:
    """The app's Advisor (tests may put a fake in its place)."""
    found: Advisor = current_app.extensions["advisor"]
    return found


# The body becomes JSON once, before validation: 415, 413 and 400 come from there.
blp.before_request(require_json_object)


def _errors(view: Any) -> Any:
    """Document the problems a body endpoint answers besides 422 (which @arguments documents)."""
    for status in (400, 413, 415, 503):
        view = blp.alt_response(status, response=HTTPStatus(status).name)(view)
    return view


VIEW_PARAMETER = {
    "name": "view",
    "in": "query",
    "required": False,
    "description": "`full` (the default): the whole answer (`RecommendationsResponse`). `summary`: the "
    "compact answer (`RecommendationsSummary`): each recommendation's design, cost, goals, single points "
    "of failure and availability, and each architecture's status, cost and reasons, without bills of "
    "materials, failure scenarios, servers, copy layouts or the frontier. Any other value is a 422 "
    "naming `view`.",
    "schema": {"type": "string", "enum": list(VIEWS), "default": "full"},
}


def _view() -> str:
    """The answer's view from the query string: `full` or `summary` (InvalidInput otherwise)."""
    view = request.args.get("view", "full")
    if view not in VIEWS:
        raise InvalidInput([FieldProblem("view", f"must be one of {', '.join(VIEWS)}, not {view!r}")])
    return view


@blp.route("/recommendations")
class Recommendations(MethodView):
    @_errors
    @blp.doc(parameters=[VIEW_PARAMETER])
    @blp.arguments(REQUEST_SCHEMA, example=RECOMMENDATION_EXAMPLE)
    @blp.response(200, RecommendationsResponseSchema)
    @solves
    def post(self, valid: dict[str, Any]) -> Answer | Response:
        """Recommend designs for a request

        Weighs every architecture the Exchange version knows, sizes and prices the best design
        of each with a MILP, checks each with the failure simulator and returns at most
        `alternatives` designs, best first, with every architecture's fate under `weighed`.
        With `?view=summary` the answer is the compact `RecommendationsSummary`.
        An unknown catalog or a budget currency the catalog does not price in is invalid
        input (422) naming the field; a solver that stops without an answer is a 503.
        """
        # The body was validated by @arguments with the request schema; @response dumps the
        # typed answer through the response schema (the summary is dumped here, as it is not
        # the operation's default schema).
        view = _view()
        answer = advisor().recommend(request_from(valid))
        if view == "summary":
            return jsonify(dump_summary(answer))
        return answer


@blp.route("/analyses")
class Analyses(MethodView):
    @_errors
    @blp.arguments(ANALYSIS_SCHEMA, example=ANALYSIS_EXAMPLE)
    @blp.response(200, AnalysisResponseSchema)
    @solves
    def post(self, valid: dict[str, Any]) -> DesignReport:
        """Analyze one concrete design

        Prices the design and fails each of its components alone, without optimising: its bill
        of materials, cost, goals met and missed, failure scenarios and single points of
        failure. Design fields left out take the architecture's smallest valid value; a field
        a product rule forbids is invalid input (422) naming `design.<field>`.
        """
        return advisor().analyze(analysis_from(valid))
