"""Response schemas of the advice endpoints: what a recommendation and an analysis answer (DESIGN.md).

They document the response contract in OpenAPI and dump the service's dictionaries, so a
field the service adds appears in the API only once it is described here.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from advisor.domain import (
    ARCHITECTURES,
    EXCHANGE_EDITIONS,
    FAILURE_KINDS,
    OUTCOMES,
    SERVICES,
    STATUSES,
    WINDOWS_EDITIONS,
)


def doc(text: str, **extra: Any) -> dict[str, Any]:
    return {"metadata": {"description": text}, **extra}


def choice(choices: tuple[str, ...], text: str, **extra: Any) -> fields.String:
    return fields.String(validate=validate.OneOf(choices), **doc(text, **extra))


def money(text: str, **extra: Any) -> fields.Float:
    return fields.Float(**doc(f"{text} In the catalog's currency, rounded to cents.", **extra))


class CatalogSummarySchema(Schema):
    id = fields.String(required=True, **doc("The catalog id requests name in `catalog`."))
    version = fields.String(required=True, **doc("The price book's version."))
    currency = fields.String(required=True, **doc("ISO 4217 code every price is in."))
    as_of = fields.String(required=True, **doc("The date the prices were taken (YYYY-MM-DD)."))


class ConcreteDesignSchema(Schema):
    exchange_servers = fields.Integer(
        required=True, **doc("Exchange servers holding mailboxes (DAG members).")
    )
    dedicated_cas_servers = fields.Integer(
        required=True, **doc("Dedicated Client Access/Hub Transport servers (Windows NLB designs only).")
    )
    dag = fields.Boolean(
        required=True, **doc("Whether the mailbox servers form a Database Availability Group.")
    )
    cas_array = fields.Boolean(required=True, **doc("Whether clients reach a CAS array name."))
    load_balancers = fields.Integer(required=True, **doc("Load-balancer units in front of the CAS array."))
    witness = choice(
        ("existing", "buy", "cas_server", "none"), "Where the DAG's file share witness lives.", required=True
    )
    windows_edition = choice(
        WINDOWS_EDITIONS, "Windows Server edition of the Exchange servers.", required=True
    )
    exchange_edition = choice(EXCHANGE_EDITIONS, "Exchange edition of the Exchange servers.", required=True)
    server_model = fields.String(required=True, **doc("Catalog SKU of the Exchange servers' hardware."))
    database_copies = fields.Integer(required=True, **doc("Copies of each database across the DAG."))
    domain_controllers_added = fields.Integer(required=True, **doc("Domain controllers the design buys."))
    load_balancer_model = fields.String(required=True, allow_none=True, **doc("Load-balancer SKU, if any."))
    cas_server_model = fields.String(
        required=True, allow_none=True, **doc("Hardware SKU of the dedicated Client Access servers, if any.")
    )
    cas_windows_edition = choice(
        WINDOWS_EDITIONS,
        "Windows edition of the dedicated Client Access servers.",
        required=True,
        allow_none=True,
    )
    cas_exchange_edition = choice(
        EXCHANGE_EDITIONS,
        "Exchange edition of the dedicated Client Access servers.",
        required=True,
        allow_none=True,
    )


class BillLineSchema(Schema):
    sku = fields.String(required=True, **doc("Catalog SKU."))
    description = fields.String(required=True, **doc("What the line buys and for which role."))
    quantity = fields.Integer(required=True, **doc("How many."))
    unit_price = money("Price of one unit.", required=True)
    unit_annual = money("Annual support or Software Assurance of one unit.", required=True)
    upfront = money("quantity x unit_price.", required=True)
    annual = money("quantity x unit_annual, per year.", required=True)


class CostSchema(Schema):
    upfront = money("Sum of the bill of materials' upfront column.", required=True)
    annual = money("Sum of the bill of materials' annual column, per year.", required=True)
    total = money("upfront + horizon_years x annual.", required=True)
    currency = fields.String(required=True, **doc("The catalog's currency."))
    horizon_years = fields.Integer(required=True, **doc("Years the total covers."))
    within_budget = fields.Boolean(
        required=True,
        allow_none=True,
        **doc("Whether the budget covers the figure it applies to; null without a budget."),
    )
    budget_left = money(
        "Budget minus the figure it applies to (negative when over); null without a budget.",
        required=True,
        allow_none=True,
    )
    budget_applies_to = choice(("upfront", "total"), "Which figure the budget was held against.")


class GoalOutcomeSchema(Schema):
    failure = choice(FAILURE_KINDS, "The failure kind of the goal.", required=True)
    service = choice(SERVICES, "The client service of the goal.", required=True)
    priority = choice(("required", "preferred"), "The goal's priority.", required=True)
    weight = fields.Float(required=True, **doc("The goal's weight (counts for preferred goals)."))
    met = fields.Boolean(
        required=True, **doc("True when no component of that kind gives an outage for the service.")
    )
    worst_outcome = choice(OUTCOMES, "The worst outcome any component of that kind gives.", required=True)
    component = fields.String(**doc("When missed: the component whose failure gives the outage."))
    explanation = fields.String(**doc("When missed: why, with the rule it rests on."))


class SinglePointOfFailureSchema(Schema):
    component = fields.String(required=True, **doc("Component id, e.g. ex-1, lb-1, db-2@ex-1."))
    kind = choice(FAILURE_KINDS, "The failure kind the component belongs to.", required=True)
    services = fields.List(
        fields.String(validate=validate.OneOf(SERVICES)),
        required=True,
        **doc("Services that have an outage when it fails."),
    )
    explanation = fields.String(required=True, **doc("One sentence for a proposal: what fails and why."))


class FailureScenarioSchema(Schema):
    component = fields.String(required=True, **doc("The component that fails."))
    kind = choice(FAILURE_KINDS, "Its failure kind.", required=True)
    description = fields.String(required=True, **doc("What the component is."))
    outcomes = fields.Dict(
        keys=fields.String(validate=validate.OneOf(SERVICES)),
        values=fields.String(validate=validate.OneOf(OUTCOMES)),
        required=True,
        **doc("Each service's outcome: unaffected, failover (brief, automatic) or outage."),
    )
    explanation = fields.String(required=True, **doc("One sentence: what the failure does and why."))


class DesignReportSchema(Schema):
    """One design with its price, goals and failures: an analysis, or a recommendation without rank."""

    architecture = choice(ARCHITECTURES, "The architecture's contract name.", required=True)
    title = fields.String(required=True, **doc("The architecture's title."))
    design = fields.Nested(
        ConcreteDesignSchema, required=True, **doc("What to buy and how it fits together.")
    )
    bill_of_materials = fields.List(fields.Nested(BillLineSchema), required=True, **doc("Every priced line."))
    cost = fields.Nested(CostSchema, required=True, **doc("The design's cost."))
    goals = fields.List(
        fields.Nested(GoalOutcomeSchema),
        required=True,
        **doc("Each (failure, service) the goals name, met or not."),
    )
    single_points_of_failure = fields.List(
        fields.Nested(SinglePointOfFailureSchema),
        required=True,
        **doc("Components whose failure alone gives an outage for at least one service."),
    )
    failure_scenarios = fields.List(
        fields.Nested(FailureScenarioSchema), required=True, **doc("Every component failed alone.")
    )
    notes = fields.List(fields.String(), required=True, **doc("What a planner must also do or know."))


class AnalysisResponseSchema(DesignReportSchema):
    catalog = fields.Nested(CatalogSummarySchema, required=True, **doc("The price book it was priced from."))


class _RankSchema(Schema):
    rank = fields.Integer(required=True, **doc("1 is best by the request's objective."))


class RecommendationSchema(DesignReportSchema, _RankSchema):
    """A recommended design: its rank, then the design report (marshmallow orders fields base first)."""


class WeighedSchema(Schema):
    architecture = choice(ARCHITECTURES, "The architecture's contract name.", required=True)
    title = fields.String(required=True, **doc("The architecture's title."))
    status = choice(STATUSES, "What became of the architecture for this request.", required=True)
    cost = fields.Nested(
        CostSchema, required=True, allow_none=True, **doc("Its best design's cost, if it has one.")
    )
    design = fields.Nested(
        ConcreteDesignSchema, required=True, allow_none=True, **doc("Its best design, if it has one.")
    )
    reasons = fields.List(fields.String(), required=True, **doc("Why, in words."))
    single_points_of_failure = fields.List(
        fields.Nested(SinglePointOfFailureSchema), required=True, **doc("What its design leaves.")
    )


class MinimumBudgetSchema(Schema):
    amount = money("What the cheapest design meeting every required goal costs.", required=True)
    currency = fields.String(required=True, **doc("The catalog's currency."))
    architecture = choice(ARCHITECTURES, "The architecture of that design.", required=True)
    applies_to = choice(("upfront", "total"), "Which figure the amount is.", required=True)


class SolverSummarySchema(Schema):
    name = fields.String(required=True, **doc("The MILP solver that answered (HiGHS or CBC)."))
    status = fields.String(required=True, **doc("optimal when every solve proved its best design."))
    solve_ms = fields.Float(required=True, **doc("Time spent in the solver, milliseconds."))
    solves = fields.Integer(required=True, **doc("How many models were solved."))


class RecommendationsResponseSchema(Schema):
    catalog = fields.Nested(
        CatalogSummarySchema, required=True, **doc("The price book every figure comes from.")
    )
    recommendations = fields.List(
        fields.Nested(RecommendationSchema),
        required=True,
        **doc("At most `alternatives` designs, best first, each of a different architecture."),
    )
    weighed = fields.List(
        fields.Nested(WeighedSchema), required=True, **doc("One entry per architecture, always.")
    )
    minimum_budget = fields.Nested(
        MinimumBudgetSchema,
        required=True,
        allow_none=True,
        **doc("The cheapest design that meets every required goal; null when none can."),
    )
    solver = fields.Nested(SolverSummarySchema, required=True, **doc("How the answer was solved."))
