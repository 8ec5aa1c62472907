"""Response schemas of the advice endpoints: what a recommendation and an analysis answer (DESIGN.md).

They document the response contract in OpenAPI and dump the service's dictionaries, so a
field the service adds appears in the API only once it is described here.
"""

from __future__ import annotations

import copy
from typing import Any

from marshmallow import RAISE, Schema, fields, validate

from advisor.domain import (
    ARCHITECTURES,
    EXCHANGE_EDITIONS,
    FAILURE_KINDS,
    OUTCOMES,
    SERVICES,
    STATUSES,
    WINDOWS_EDITIONS,
)
from advisor.exports import FORMATS, PAPERS
from advisor.fields import TEXT_RULE, Text
from advisor.scenarios import ScenarioCreateSchema, ScenarioListSchema, ScenarioPatchSchema
from advisor.schemas import RequestSchema

MAX_COMPARED = 12  # designs in one comparison across scenarios: a readable spreadsheet, not a dump


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


# Saved scenarios and quote exports (advisor.api.scenarios, advisor.api.quotes). The body and query
# schemas are the use cases' own (advisor.scenarios) with words for the document added here, so the
# rules stay in one place.


def described(
    base: type[Schema], name: str, texts: dict[str, str], **replaced: fields.Field[Any]
) -> type[Schema]:
    """A subclass of `base` named `name` whose fields carry `texts` as descriptions (and any field
    given in `replaced` instead of its own); validation stays the base's."""
    attrs: dict[str, Any] = {}
    for field_name, field in base._declared_fields.items():
        if field_name in replaced:
            continue
        worded = copy.copy(field)
        text = texts[field_name]
        if isinstance(field, Text):  # the field's own rule stays beside the words
            text = f"{text} {TEXT_RULE}"
        worded.metadata = {**field.metadata, "description": text}
        attrs[field_name] = worded
    return type(name, (base,), {**attrs, **replaced, "__doc__": base.__doc__})


NewScenarioSchema = described(
    ScenarioCreateSchema,
    "NewScenarioSchema",
    {
        "name": "What the planner calls the scenario, e.g. `Contoso, 30k upfront`.",
        "notes": "Free text kept with the scenario. Default empty.",
    },
    request=fields.Nested(
        RequestSchema,
        required=True,
        **doc("The request to run and keep, as POST /api/v1/recommendations takes it."),
    ),
)
ScenarioChangesSchema = described(
    ScenarioPatchSchema,
    "ScenarioChangesSchema",
    {
        "name": "A new name.",
        "notes": "New notes (replacing the old ones).",
    },
)
ScenarioQuerySchema = described(
    ScenarioListSchema,
    "ScenarioQuerySchema",
    {
        "limit": "Scenarios per page. Default 20.",
        "offset": "Scenarios to skip, newest first. Default 0.",
        "name": "Only scenarios whose name contains this text (any case).",
    },
)


def _format(**extra: Any) -> fields.String:
    return choice(
        FORMATS,
        "The file to make: `json`, `csv` (the line items, one row each), `csv-summary` (the side-by-side "
        "summary), `xlsx` or `pdf`.",
        **extra,
    )


def _paper(**extra: Any) -> fields.String:
    return choice(PAPERS, "Paper size of the PDF and of the spreadsheet's print set-up. Default A4.", **extra)


def _picks(text: str, **extra: Any) -> fields.List[str]:
    return fields.List(
        fields.String(validate=validate.OneOf(ARCHITECTURES)),
        validate=validate.Length(min=1, max=len(ARCHITECTURES)),
        **doc(text, **extra),
    )


class GoalAskedSchema(Schema):
    failure = choice(FAILURE_KINDS, "The failure kind the goal names.", required=True)
    services = fields.List(fields.String(), required=True, **doc("The services that must survive it."))
    priority = choice(("required", "preferred"), "The goal's priority.", required=True)
    weight = fields.Float(required=True, **doc("The goal's weight."))


class QuoteHeaderSchema(Schema):
    project = fields.String(required=True, **doc("The request's project name; empty if none."))
    customer = fields.String(required=True, **doc("The request's customer; empty if none."))
    prepared_by = fields.String(required=True, **doc("Who prepared the quote; empty if not given."))
    date = fields.String(required=True, **doc("The day the quote was made (YYYY-MM-DD)."))
    catalog_id = fields.String(required=True, **doc("The price book's id."))
    catalog_version = fields.String(required=True, **doc("The price book's version."))
    catalog_as_of = fields.String(required=True, **doc("The date of the price book's prices."))
    catalog_title = fields.String(required=True, **doc("The price book's title."))
    currency = fields.String(required=True, **doc("ISO 4217 code of every figure."))
    budget = money("The request's budget.", required=True)
    budget_applies_to = choice(
        ("upfront", "total"), "Which figure the budget is held against.", required=True
    )
    horizon_years = fields.Integer(required=True, **doc("Years the totals cover."))
    exchange = fields.String(required=True, **doc("Exchange version and edition, in words."))
    windows = fields.String(required=True, **doc("Windows Server version and edition, in words."))
    mailboxes = fields.Integer(required=True, **doc("Mailboxes to carry."))
    databases = fields.Integer(required=True, **doc("Mailbox databases."))
    environment = fields.Dict(required=True, **doc("What the organisation already has, as in the request."))
    goals = fields.List(fields.Nested(GoalAskedSchema), required=True, **doc("The goals asked for."))


class QuoteLineSchema(Schema):
    sku = fields.String(required=True, **doc("Catalog SKU."))
    description = fields.String(required=True, **doc("What the line buys and for which role."))
    quantity = fields.Integer(required=True, **doc("How many."))
    unit_price = money("Price of one unit.", required=True)
    unit_annual = money("Annual support of one unit.", required=True)
    upfront = money("quantity x unit_price.", required=True)
    annual = money("quantity x unit_annual, per year.", required=True)
    basis = fields.String(required=True, **doc("Where the price comes from."))


class QuoteGoalSchema(Schema):
    failure = choice(FAILURE_KINDS, "The failure kind of the goal.", required=True)
    service = choice(SERVICES, "The client service of the goal.", required=True)
    priority = choice(("required", "preferred"), "The goal's priority.", required=True)
    met = fields.Boolean(required=True, **doc("Whether the design meets it."))
    worst_outcome = fields.String(required=True, **doc("The worst outcome any component of that kind gives."))
    explanation = fields.String(required=True, **doc("When missed: why; else empty."))


class QuoteDesignSchema(Schema):
    label = fields.String(required=True, **doc("The design's column: Option A, Option B, ..."))
    architecture = choice(ARCHITECTURES, "The architecture's contract name.", required=True)
    title = fields.String(required=True, **doc("The architecture's title."))
    source = fields.String(
        required=True, **doc("Where the design comes from: recommended #N, picked, a scenario.")
    )
    design = fields.Nested(
        ConcreteDesignSchema, required=True, **doc("What to buy and how it fits together.")
    )
    lines = fields.List(fields.Nested(QuoteLineSchema), required=True, **doc("The bill of materials."))
    upfront = money("Sum of the lines' upfront column.", required=True)
    annual = money("Sum of the lines' annual column, per year.", required=True)
    total = money("upfront + horizon_years x annual.", required=True)
    horizon_years = fields.Integer(required=True, **doc("Years the total covers."))
    within_budget = fields.Boolean(required=True, allow_none=True, **doc("Whether the budget covers it."))
    budget_left = money("Budget minus the figure it applies to; null without a budget.", allow_none=True)
    budget = money(
        "The budget the design was priced against (designs from other saved scenarios keep their own);"
        " null without a budget.",
        required=True,
        allow_none=True,
    )
    budget_applies_to = fields.String(
        required=True,
        allow_none=True,
        validate=validate.OneOf(["upfront", "total"]),
        **doc("What that budget caps: the upfront or the total cost; null without a budget."),
    )
    goals = fields.List(fields.Nested(QuoteGoalSchema), required=True, **doc("Each goal, met or missed."))
    single_points_of_failure = fields.List(
        fields.Nested(SinglePointOfFailureSchema), required=True, **doc("What can still take users down.")
    )
    failure_scenarios = fields.List(
        fields.Nested(FailureScenarioSchema), required=True, **doc("Every component failed alone.")
    )
    notes = fields.List(fields.String(), required=True, **doc("What a planner must also do or know."))
    reasons = fields.List(
        fields.String(), required=True, **doc("For a picked design: why it was not recommended.")
    )


class PriceBasisSchema(Schema):
    sku = fields.String(required=True, **doc("Catalog SKU."))
    description = fields.String(required=True, **doc("What it is."))
    basis = fields.String(required=True, **doc("Where its price comes from."))


class AssumptionSchema(Schema):
    topic = fields.String(required=True, **doc("What the assumption is about."))
    value = fields.String(required=True, **doc("What was assumed."))
    basis = fields.String(required=True, **doc("Where it comes from."))


class QuoteDocumentSchema(Schema):
    """The `json` export: the data every other format shows."""

    header = fields.Nested(QuoteHeaderSchema, required=True, **doc("Project, price book, budget and goals."))
    designs = fields.List(fields.Nested(QuoteDesignSchema), required=True, **doc("The designs side by side."))
    price_bases = fields.List(
        fields.Nested(PriceBasisSchema), required=True, **doc("Each SKU's price basis.")
    )
    assumptions = fields.List(
        fields.Nested(AssumptionSchema), required=True, **doc("What the figures rest on.")
    )
    services = fields.List(fields.String(), required=True, **doc("The client services, in column order."))
    notice = fields.String(required=True, **doc("That the figures are estimates from the named price book."))


class _StrictBody(Schema):
    class Meta:
        unknown = RAISE


class QuoteOrderSchema(_StrictBody):
    request = fields.Nested(
        RequestSchema, required=True, **doc("The request, as POST /api/v1/recommendations takes it.")
    )
    format = _format(required=True)
    picks = _picks(
        "Architectures to compare, in the order wanted; default every recommendation. A weighed "
        "architecture that is not recommended may be added when it has a design (it is priced as analyzed)."
    )
    paper = _paper(load_default="A4")


class ExportQuerySchema(_StrictBody):
    format = _format(required=True)
    picks = _picks(
        "Architectures to export among the stored recommendations, in the order wanted (repeat the "
        "parameter); default every stored recommendation."
    )
    paper = _paper(load_default="A4")


class DesignPickSchema(_StrictBody):
    scenario = fields.String(
        required=True,
        validate=validate.Length(min=1, max=64),
        **doc("The id of a saved scenario."),
    )
    architecture = choice(
        ARCHITECTURES, "One of that scenario's stored recommendations, by architecture.", required=True
    )


class ScenarioComparisonSchema(_StrictBody):
    designs = fields.List(
        fields.Nested(DesignPickSchema),
        required=True,
        validate=validate.Length(min=2, max=MAX_COMPARED),
        **doc("The designs side by side, in this order; all priced in one currency, none twice."),
    )
    format = _format(required=True)
    paper = _paper(load_default="A4")


class ScenarioLinksSchema(Schema):
    self = fields.String(required=True, **doc("This scenario."))
    export = fields.String(required=True, **doc("Its export; add `?format=xlsx` (or another format)."))
    reprice = fields.String(required=True, **doc("POST here to re-price it against the current catalog."))
    repriced_from = fields.String(
        required=True, allow_none=True, **doc("The scenario this one re-priced, if any.")
    )


class _ScenarioFieldsSchema(Schema):
    id = fields.String(
        required=True, **doc("Unguessable id (128 random bits, URL-safe); the link is the key to it.")
    )
    name = fields.String(required=True, **doc("The scenario's name."))
    notes = fields.String(required=True, **doc("The scenario's notes."))
    catalog = fields.Nested(
        CatalogSummarySchema, required=True, **doc("The price book the stored result was priced from.")
    )
    created_at = fields.DateTime(required=True, **doc("When it was saved (ISO 8601, UTC)."))
    updated_at = fields.DateTime(required=True, **doc("When its name or notes last changed (ISO 8601, UTC)."))
    repriced_from = fields.String(
        required=True, allow_none=True, **doc("The id of the scenario this one re-priced; null if none.")
    )
    links = fields.Nested(ScenarioLinksSchema, required=True, **doc("Where to go from here."))


class ScenarioSchema(_ScenarioFieldsSchema):
    request = fields.Nested(RequestSchema, required=True, **doc("The request, as it was sent."))
    response = fields.Nested(
        RecommendationsResponseSchema,
        required=True,
        **doc("The result as it was when saved; it never changes (re-price for a fresh one)."),
    )


class RecommendedBriefSchema(Schema):
    rank = fields.Integer(required=True, **doc("1 is best by the request's objective."))
    architecture = choice(ARCHITECTURES, "The architecture's contract name.", required=True)
    title = fields.String(required=True, **doc("The architecture's title."))
    cost = fields.Nested(CostSchema, required=True, **doc("The design's cost."))


class ScenarioBriefSchema(_ScenarioFieldsSchema):
    """A listed scenario: all but the request and the full result, and its recommendations in brief."""

    recommendations = fields.List(
        fields.Nested(RecommendedBriefSchema),
        required=True,
        **doc("The stored recommendations: rank, architecture and cost (the designs to compare)."),
    )
    minimum_budget = fields.Nested(
        MinimumBudgetSchema,
        required=True,
        allow_none=True,
        **doc("The stored cheapest design meeting every required goal; null when none can."),
    )


class PageLinksSchema(Schema):
    self = fields.String(required=True, **doc("This page."))
    next = fields.String(required=True, allow_none=True, **doc("The next (older) page; null on the last."))
    prev = fields.String(
        required=True, allow_none=True, **doc("The previous (newer) page; null on the first.")
    )


class ScenarioPageSchema(Schema):
    items = fields.List(
        fields.Nested(ScenarioBriefSchema), required=True, **doc("The page's scenarios, newest first.")
    )
    total = fields.Integer(required=True, **doc("How many scenarios match, on every page together."))
    limit = fields.Integer(required=True, **doc("The page size asked for."))
    offset = fields.Integer(required=True, **doc("How many were skipped."))
    links = fields.Nested(PageLinksSchema, required=True, **doc("This, the next and the previous page."))


class ChangeSchema(Schema):
    before = fields.Raw(required=True, allow_none=True, **doc("The value in the original scenario."))
    after = fields.Raw(required=True, allow_none=True, **doc("The value in the re-priced one."))


class MoneyChangeSchema(Schema):
    upfront = money("After minus before, upfront.", required=True)
    annual = money("After minus before, per year.", required=True)
    total = money("After minus before, over the horizon.", required=True)


class ArchitectureChangeSchema(Schema):
    architecture = choice(ARCHITECTURES, "The architecture's contract name.", required=True)
    status = fields.Nested(ChangeSchema, required=True, **doc("Its status before and after."))
    cost_before = fields.Nested(
        CostSchema, required=True, allow_none=True, **doc("Its best design's cost before, if it had one.")
    )
    cost_after = fields.Nested(
        CostSchema, required=True, allow_none=True, **doc("Its best design's cost after, if it has one.")
    )
    cost_change = fields.Nested(
        MoneyChangeSchema,
        required=True,
        allow_none=True,
        **doc("After minus before; null unless it has a design both times."),
    )
    design_changes = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(ChangeSchema),
        required=True,
        **doc("Each design field that changed, before and after; empty when the design stayed."),
    )


class DifferencesSchema(Schema):
    catalog = fields.Nested(ChangeSchema, required=True, **doc("The price book before and after."))
    ranking = fields.Nested(
        ChangeSchema, required=True, **doc("The recommended architectures, best first, before and after.")
    )
    minimum_budget = fields.Nested(
        ChangeSchema,
        required=True,
        **doc("The cheapest design meeting the required goals, before and after."),
    )
    architectures = fields.List(
        fields.Nested(ArchitectureChangeSchema), required=True, **doc("Each architecture's change.")
    )


class RepricedScenarioSchema(ScenarioSchema):
    differences = fields.Nested(
        DifferencesSchema, required=True, **doc("What re-pricing changed, compared with the original.")
    )
