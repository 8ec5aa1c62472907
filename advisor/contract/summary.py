"""The compact answer to a recommendation request (`?view=summary`): each recommended design's
cost, goals, single points of failure and availability, and each architecture's fate, without
bills of materials, failure scenarios, servers, copy layouts or the frontier.

Its fields are the full answer's (same names, same meaning, same typed values); a client that
reads the full answer reads this one, less the parts left out.
"""

from __future__ import annotations

from typing import Any

from marshmallow import fields

from advisor import architectures
from advisor.contract.responses import (
    AvailabilitySchema,
    BudgetStepSchema,
    CatalogSummarySchema,
    ConcreteDesignSchema,
    CostSchema,
    GoalOutcomeSchema,
    MinimumBudgetSchema,
    Result,
    SinglePointOfFailureSchema,
    SolverSummarySchema,
    choice,
    doc,
)
from advisor.domain import STATUSES, Recommendations

VIEWS = ("full", "summary")


class RecommendationSummarySchema(Result):
    rank = fields.Integer(required=True, **doc("1 is best by the request's objective."))
    architecture = choice(architectures.NAMES, "The architecture's contract name.", required=True)
    title = fields.String(required=True, **doc("The architecture's title."))
    compared_with_first = fields.String(
        **doc("For #2 and later: what it gives up or gains against #1.", omit_none=True)
    )
    design = fields.Nested(
        ConcreteDesignSchema, required=True, **doc("What to buy and how it fits together.")
    )
    cost = fields.Nested(CostSchema, required=True, **doc("The design's cost."))
    goals = fields.List(fields.Nested(GoalOutcomeSchema), required=True, **doc("Every goal, met or missed."))
    single_points_of_failure = fields.List(
        fields.Nested(SinglePointOfFailureSchema), required=True, **doc("What can still take users down.")
    )
    availability = fields.Nested(
        AvailabilitySchema, **doc("Expected downtime a year and availability per service.", omit_none=True)
    )


class WeighedSummarySchema(Result):
    architecture = choice(architectures.NAMES, "The architecture's contract name.", required=True)
    title = fields.String(required=True, **doc("The architecture's title."))
    status = choice(STATUSES, "What became of the architecture for this request.", required=True)
    cost = fields.Nested(
        CostSchema, required=True, allow_none=True, **doc("Its best design's cost, if it has one.")
    )
    reasons = fields.List(fields.String(), required=True, **doc("Why, in words."))


class RecommendationsSummarySchema(Result):
    """The compact answer of POST /api/v1/recommendations?view=summary."""

    exchange_version = fields.String(
        required=True, **doc("The Exchange version the designs are of (the request's `exchange.version`).")
    )
    catalog = fields.Nested(
        CatalogSummarySchema, required=True, **doc("The price book every figure comes from.")
    )
    recommendations = fields.List(
        fields.Nested(RecommendationSummarySchema),
        required=True,
        **doc("At most `alternatives` designs, best first, as in the full answer but compact."),
    )
    weighed = fields.List(
        fields.Nested(WeighedSummarySchema), required=True, **doc("One entry per architecture, always.")
    )
    minimum_budget = fields.Nested(
        MinimumBudgetSchema,
        required=True,
        allow_none=True,
        **doc("The cheapest design that meets every required goal; null when none can."),
    )
    solver = fields.Nested(SolverSummarySchema, required=True, **doc("How the answer was solved."))
    budget_sensitivity = fields.Nested(
        BudgetStepSchema,
        required=True,
        allow_none=True,
        **doc("When the budget binds: the cheapest design over it that is down less; else null."),
    )


SUMMARY = RecommendationsSummarySchema()


def dump_summary(result: Recommendations) -> dict[str, Any]:
    """The compact answer of a recommendation result."""
    data: dict[str, Any] = SUMMARY.dump(result)
    return data
