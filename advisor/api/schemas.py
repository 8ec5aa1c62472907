"""Schemas of the API's own bodies: quote orders and documents, saved scenarios and their pages.

The response contract of recommendations and analyses is advisor.contract.responses (shared with
the CLI and storage); the request bodies' rules are advisor.schemas, with words added here.
"""

from __future__ import annotations

import copy
from typing import Any

from marshmallow import RAISE, fields, validate
from marshmallow import Schema as MarshmallowSchema

from advisor import architectures
from advisor.contract.compiled import Document
from advisor.contract.responses import (
    CatalogSummarySchema,
    ConcreteDesignSchema,
    CostSchema,
    DatabaseLayoutSchema,
    FailureScenarioSchema,
    LifecycleSchema,
    MinimumBudgetSchema,
    RecommendationsResponseSchema,
    Result,
    ServerSchema,
    SinglePointOfFailureSchema,
    choice,
    doc,
    money,
)
from advisor.domain import FAILURE_KINDS, MAX_COMPARED, SERVICES, STATUSES
from advisor.exports import FORMATS, PAPERS
from advisor.fields import TEXT_RULE, Text
from advisor.schemas import RequestSchema, ScenarioCreateSchema, ScenarioListSchema, ScenarioPatchSchema

ARCHITECTURES = architectures.NAMES
Schema = Result  # the response objects here dump typed values through the compiled path


# Saved scenarios and quote exports (advisor.api.scenarios, advisor.api.quotes). The body and query
# schemas are the edges' own (advisor.schemas) with words for the document added here, so the
# rules stay in one place.


def described(
    base: type[MarshmallowSchema], name: str, texts: dict[str, str], **replaced: fields.Field[Any]
) -> type[MarshmallowSchema]:
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
    servers = fields.List(
        fields.Nested(ServerSchema),
        required=True,
        **doc("Each Exchange server with its capacity and its load, normally and in its worst failure."),
    )
    copy_layout = fields.List(
        fields.Nested(DatabaseLayoutSchema),
        required=True,
        **doc("Every database's copies by server and activation preference."),
    )
    lifecycle = fields.List(
        fields.Nested(LifecycleSchema),
        required=True,
        **doc(
            "The support of the design's Exchange and Windows versions on the day it was priced "
            "(empty for a result stored before it was recorded)."
        ),
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
    lifecycle_warnings = fields.List(
        fields.String(),
        required=True,
        **doc("One sentence for each product out of support in any design (rule lifecycle.support)."),
    )


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
    share_page = fields.String(
        required=True, **doc("Its read-only web page for anyone holding the link (as `share_url`).")
    )


class SharedLinksSchema(Schema):
    self = fields.String(required=True, **doc("This shared scenario (its `share_url`'s path)."))
    export = fields.String(required=True, **doc("Its export; add `?format=xlsx` (or another format)."))
    share_page = fields.String(required=True, **doc("Its read-only web page."))


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
    share_url = fields.String(
        required=True,
        **doc(
            "A read-only link to this scenario, as a path on this service like the `links` (its JSON; "
            "`links.share_page` is its web page): anyone "
            "holding it may GET it, with or without an account, but not change, re-price or delete it. "
            "It carries a secret of 256 random bits: share it like a password."
        ),
    )
    links = fields.Nested(ScenarioLinksSchema, required=True, **doc("Where to go from here."))


class ScenarioSchema(_ScenarioFieldsSchema):
    request = Document(RequestSchema, required=True, **doc("The request, as it was sent."))
    response = fields.Nested(
        RecommendationsResponseSchema,
        required=True,
        **doc("The result as it was when saved; it never changes (re-price for a fresh one)."),
    )


class SharedScenarioSchema(ScenarioSchema):
    links = fields.Nested(SharedLinksSchema, required=True, **doc("Where to go from here (read-only)."))


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


class StatusChangeSchema(Schema):
    before = choice(STATUSES, "The status in the original scenario.", required=True)
    after = choice(STATUSES, "The status in the re-priced one.", required=True)


class CatalogChangeSchema(Schema):
    before = fields.Nested(CatalogSummarySchema, required=True, **doc("The original's price book."))
    after = fields.Nested(CatalogSummarySchema, required=True, **doc("The re-priced one's price book."))


class RankingChangeSchema(Schema):
    before = fields.List(
        choice(ARCHITECTURES, "An architecture."), required=True, **doc("The original's ranking.")
    )
    after = fields.List(
        choice(ARCHITECTURES, "An architecture."), required=True, **doc("The re-priced one's ranking.")
    )


class MinimumBudgetChangeSchema(Schema):
    before = fields.Nested(
        MinimumBudgetSchema, required=True, allow_none=True, **doc("The original's least budget.")
    )
    after = fields.Nested(
        MinimumBudgetSchema, required=True, allow_none=True, **doc("The re-priced one's least budget.")
    )


class MoneyChangeSchema(Schema):
    upfront = money("After minus before, upfront.", required=True, attribute="upfront_cents")
    annual = money("After minus before, per year.", required=True, attribute="annual_cents")
    total = money("After minus before, over the horizon.", required=True, attribute="total_cents")


class ArchitectureChangeSchema(Schema):
    architecture = choice(ARCHITECTURES, "The architecture's contract name.", required=True)
    status = fields.Nested(StatusChangeSchema, required=True, **doc("Its status before and after."))
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
    catalog = fields.Nested(CatalogChangeSchema, required=True, **doc("The price book before and after."))
    ranking = fields.Nested(
        RankingChangeSchema,
        required=True,
        **doc("The recommended architectures, best first, before and after."),
    )
    minimum_budget = fields.Nested(
        MinimumBudgetChangeSchema,
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
