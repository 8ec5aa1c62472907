"""Response schemas of recommendations and analyses, over the typed results (advisor.domain).

Each schema dumps a typed result (through the compiled path, `Contract`) and loads a stored
document back into one (`post_load`); derived figures (a cost's total, a design's `dag`) are
read off the typed value when dumping and checked present, then recomputed, when loading.
"""

from __future__ import annotations

from typing import Any

from marshmallow import fields, post_load, validate

from advisor import architectures
from advisor.contract.compiled import OMIT_NONE, Contract, Money
from advisor.domain import (
    BUDGET_MEASURES,
    EXCHANGE_EDITIONS,
    FAILURE_KINDS,
    OUTCOMES,
    PRIORITIES,
    SERVICES,
    STATUSES,
    WINDOWS_EDITIONS,
    WITNESS_PLACES,
    AvailabilityReport,
    Budget,
    BudgetStep,
    CatalogRef,
    CopyReport,
    CostReport,
    DatabaseLayout,
    Design,
    DesignReport,
    FrontierPoint,
    GoalReport,
    LifecycleReport,
    Line,
    MinimumBudget,
    Recommendation,
    Recommendations,
    ScenarioReport,
    ServerCapacity,
    ServerLoad,
    ServerReport,
    ServiceAvailability,
    SolverSummary,
    SpofReport,
    WeighedArchitecture,
)
from advisor.fields import StrictBoolean, StrictInteger


def doc(text: str, *, omit_none: bool = False, **extra: Any) -> dict[str, Any]:
    """A field's description for the OpenAPI document (and, with `omit_none`, that the field is
    written only when it has a value: no null in the output)."""
    metadata: dict[str, Any] = {"description": text}
    if omit_none:
        metadata[OMIT_NONE] = True
    return {"metadata": metadata, **extra}


def choice(choices: tuple[str, ...], text: str, **extra: Any) -> fields.String:
    return fields.String(validate=validate.OneOf(choices), **doc(text, **extra))


def money(text: str, **extra: Any) -> Money:
    return Money(**doc(f"{text} In the catalog's currency, rounded to cents.", **extra))


class Result(Contract):
    """A response object: documents and dumps a typed value, loads a stored one back (a field
    it does not know is refused: documents are stored by this version or an earlier one, and the
    contract only ever adds fields)."""


class CatalogSummarySchema(Result):
    id = fields.String(required=True, **doc("The catalog id requests name in `catalog`."))
    version = fields.String(required=True, **doc("The price book's version."))
    currency = fields.String(required=True, **doc("ISO 4217 code every price is in."))
    as_of = fields.String(required=True, **doc("The date the prices were taken (YYYY-MM-DD)."))

    @post_load
    def _typed(self, data: dict[str, Any], **kwargs: Any) -> CatalogRef:
        return CatalogRef(**data)


class ConcreteDesignSchema(Result):
    """A concrete design. The analysis input takes the same fields (advisor.schemas.DesignSchema),
    each optional there; the ranges are the input's rules."""

    exchange_servers = StrictInteger(
        required=True,
        validate=validate.Range(min=1, max=16),
        **doc("Exchange servers holding mailboxes (DAG members)."),
    )
    dedicated_cas_servers = StrictInteger(
        required=True,
        validate=validate.Range(min=0, max=16),
        **doc("Dedicated Client Access/Hub Transport servers (Windows NLB designs only)."),
    )
    dag = StrictBoolean(
        required=True, **doc("Whether the mailbox servers form a Database Availability Group.")
    )
    cas_array = StrictBoolean(required=True, **doc("Whether clients reach a CAS array name."))
    load_balancers = StrictInteger(
        required=True,
        validate=validate.Range(min=0, max=2),
        **doc("Load-balancer units in front of the CAS array."),
    )
    witness = choice(WITNESS_PLACES, "Where the DAG's file share witness lives.", required=True)
    windows_edition = choice(
        WINDOWS_EDITIONS, "Windows Server edition of the Exchange servers.", required=True
    )
    exchange_edition = choice(EXCHANGE_EDITIONS, "Exchange edition of the Exchange servers.", required=True)
    server_model = fields.String(
        required=True,
        validate=validate.Length(min=1, max=64),
        **doc("Catalog SKU of the Exchange servers' hardware."),
    )
    database_copies = StrictInteger(
        required=True,
        validate=validate.Range(min=1, max=16),
        **doc("Copies of each database across the DAG."),
    )
    domain_controllers_added = StrictInteger(
        required=True, validate=validate.Range(min=0, max=10), **doc("Domain controllers the design buys.")
    )
    load_balancer_model = fields.String(
        required=True,
        allow_none=True,
        validate=validate.Length(min=1, max=64),
        **doc("Load-balancer SKU, if any."),
    )
    cas_server_model = fields.String(
        required=True,
        allow_none=True,
        validate=validate.Length(min=1, max=64),
        **doc("Hardware SKU of the dedicated Client Access servers, if any."),
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
    disk_model = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Length(min=1, max=64),
        **doc("Catalog SKU of each mailbox server's database disks (round 2)."),
    )
    disks_per_server = StrictInteger(
        load_default=0,
        validate=validate.Range(min=0, max=256),
        **doc("Database disks in each mailbox server, hot spares included (round 2)."),
    )

    @post_load
    def _fields(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """The design's own fields; its architecture comes from the object holding it."""
        for derived in ("dag", "cas_array", "load_balancers"):
            data.pop(derived, None)
        return data


def design_of(
    architecture: str,
    fields_: dict[str, Any] | None,
    layout: list[DatabaseLayout] | tuple[DatabaseLayout, ...] | None = None,
    exchange_version: str = "2010",
) -> Design | None:
    """A stored design of an architecture (from `ConcreteDesignSchema`'s fields) of an Exchange
    version, as a Design, with the copy layout its report gives."""
    if fields_ is None:
        return None
    placed: tuple[tuple[int, ...], ...] = ()
    if layout:
        placed = tuple(tuple(int(c.server.removeprefix("ex-")) - 1 for c in d.copies) for d in layout)
    return Design(spec=architectures.spec(architecture, exchange_version), **fields_, layout=placed)


class LifecycleSchema(Result):
    product = fields.String(
        required=True, **doc("The product version: Exchange Server 2019, Windows Server 2022, ...")
    )
    end_of_support = fields.String(
        required=True,
        allow_none=True,
        **doc("The end of its extended support (ISO date); null under the Modern Lifecycle Policy."),
    )
    supported = fields.Boolean(required=True, **doc("Whether it is supported on the answer's date."))

    @post_load
    def _typed(self, data: dict[str, Any], **kwargs: Any) -> LifecycleReport:
        return LifecycleReport(**data)


class ServiceAvailabilitySchema(Result):
    expected_outage_minutes_per_year = fields.Float(
        required=True,
        **doc(
            "Unplanned minutes a year the service is down: outages and automatic failovers' interruptions."
        ),
    )
    availability = fields.Float(required=True, **doc("1 - expected minutes / 525,600."))
    failover_minutes_per_year = fields.Float(
        load_default=0.0, **doc("Of the expected minutes, those automatic failovers take.")
    )
    degraded_minutes_per_year = fields.Float(
        load_default=0.0,
        **doc("Minutes a year it runs slowed: a survivor past its sizing (not in the outage)."),
    )
    planned_minutes_per_year = fields.Float(
        load_default=0.0, **doc("Minutes a year planned patching takes it down (not in the outage).")
    )

    @post_load
    def _typed(self, data: dict[str, Any], **kwargs: Any) -> ServiceAvailability:
        return ServiceAvailability(**data)


class AvailabilitySchema(Result):
    method = fields.String(required=True, **doc("How the figures are worked out, and what they leave out."))
    services = fields.Dict(
        keys=fields.String(validate=validate.OneOf(SERVICES)),
        values=fields.Nested(ServiceAvailabilitySchema),
        required=True,
        **doc("Each service's expected downtime."),
    )

    @post_load
    def _typed(self, data: dict[str, Any], **kwargs: Any) -> AvailabilityReport:
        return AvailabilityReport(**data)


_VERSION = {
    "load_default": "2010",
    **doc("The Exchange version the designs are of (the request's `exchange.version`)."),
}


class BillLineSchema(Result):
    sku = fields.String(required=True, **doc("Catalog SKU."))
    description = fields.String(required=True, **doc("What the line buys and for which role."))
    quantity = fields.Integer(required=True, **doc("How many."))
    unit_price = money("Price of one unit.", required=True, attribute="unit_price_cents")
    unit_annual = money(
        "Annual support or Software Assurance of one unit.", required=True, attribute="unit_annual_cents"
    )
    upfront = money("quantity x unit_price.", required=True, attribute="upfront_cents")
    annual = money("quantity x unit_annual, per year.", required=True, attribute="annual_cents")

    @post_load
    def _typed(self, data: dict[str, Any], **kwargs: Any) -> Line:
        return Line(
            data["sku"],
            data["description"],
            data["quantity"],
            data["unit_price_cents"],
            data["unit_annual_cents"],
        )


class CostSchema(Result):
    upfront = money("Sum of the bill of materials' upfront column.", required=True, attribute="upfront_cents")
    annual = money(
        "Sum of the bill of materials' annual column, per year.", required=True, attribute="annual_cents"
    )
    total = money("upfront + horizon_years x annual.", required=True, attribute="total_cents")
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
        attribute="budget_left_cents",
    )
    budget_applies_to = choice(
        BUDGET_MEASURES,
        "Which figure the budget was held against (only when a budget was given).",
        omit_none=True,
    )

    @post_load
    def _typed(self, data: dict[str, Any], **kwargs: Any) -> CostReport:
        cost = CostReport(
            data["upfront_cents"], data["annual_cents"], data["horizon_years"], data["currency"]
        )
        left, applies_to = data["budget_left_cents"], data.get("budget_applies_to")
        if left is None or applies_to is None:
            return cost
        amount = left + cost.measure(applies_to)
        return CostReport(
            cost.upfront_cents,
            cost.annual_cents,
            cost.horizon_years,
            cost.currency,
            Budget(amount, cost.currency, applies_to),
        )


class GoalOutcomeSchema(Result):
    failure = choice(FAILURE_KINDS, "The failure kind of the goal.", required=True)
    service = choice(SERVICES, "The client service of the goal.", required=True)
    priority = choice(PRIORITIES, "The goal's priority.", required=True)
    weight = fields.Float(required=True, **doc("The goal's weight (counts for preferred goals)."))
    met = fields.Boolean(
        required=True, **doc("True when no component of that kind gives an outage for the service.")
    )
    worst_outcome = choice(OUTCOMES, "The worst outcome any component of that kind gives.", required=True)
    component = fields.String(
        **doc("When missed: the component whose failure gives the outage.", omit_none=True)
    )
    explanation = fields.String(**doc("When missed: why, with the rule it rests on.", omit_none=True))

    @post_load
    def _typed(self, data: dict[str, Any], **kwargs: Any) -> GoalReport:
        return GoalReport(**data)


class SinglePointOfFailureSchema(Result):
    component = fields.String(required=True, **doc("Component id, e.g. ex-1, lb-1, db-2@ex-1."))
    kind = choice(FAILURE_KINDS, "The failure kind the component belongs to.", required=True)
    services = fields.List(
        fields.String(validate=validate.OneOf(SERVICES)),
        required=True,
        **doc("Services that have an outage when it fails."),
    )
    explanation = fields.String(required=True, **doc("One sentence for a proposal: what fails and why."))

    @post_load
    def _typed(self, data: dict[str, Any], **kwargs: Any) -> SpofReport:
        return SpofReport(data["component"], data["kind"], tuple(data["services"]), data["explanation"])


class ServerLoadSchema(Result):
    active_mailboxes = fields.Integer(
        required=True, **doc("Mailboxes whose database is active on the server.")
    )
    cpu_utilisation = fields.Float(
        required=True, **doc("Share of the server's megacycles its load takes (sizing allows `cpu_ceiling`).")
    )
    memory_gb = fields.Float(required=True, **doc("Memory the load needs, GB."))
    iops = fields.Float(required=True, **doc("Database IOPS the load needs."))
    within_sizing = fields.Boolean(
        required=True,
        **doc("Whether CPU, memory, IOPS, disk and mounted copies all stay within the server's."),
    )
    failed = fields.String(
        **doc("For the worst failure: the server whose loss gives this load.", omit_none=True)
    )

    @post_load
    def _typed(self, data: dict[str, Any], **kwargs: Any) -> ServerLoad:
        return ServerLoad(**data)


class ServerCapacitySchema(Result):
    mailboxes = fields.Integer(
        required=True,
        **doc(
            "Active mailboxes the server carries at the profile within every limit, beside its worst "
            "failure's other load."
        ),
    )
    megacycles = fields.Float(
        required=True, **doc("The platform's megacycles (SPECint_rate2006 x cores x the version's factor).")
    )
    cpu_ceiling = fields.Float(
        required=True, **doc("The share of them sizing allows in the worst failure mode.")
    )
    memory_gb = fields.Float(required=True, **doc("The server's memory, GB."))
    iops = fields.Float(
        required=True, **doc("Database IOPS its disks give, after the storage's write penalty.")
    )
    disk_gb = fields.Float(required=True, **doc("Usable database disk space, GB."))
    database_copies = fields.Integer(required=True, **doc("Database copies its Exchange edition mounts."))

    @post_load
    def _typed(self, data: dict[str, Any], **kwargs: Any) -> ServerCapacity:
        return ServerCapacity(**data)


class ServerSchema(Result):
    name = fields.String(required=True, **doc("The server: ex-1, ... or cas-1, ..."))
    roles = fields.List(fields.String(), required=True, **doc("Its Exchange roles."))
    model = fields.String(required=True, **doc("Its hardware model (catalog SKU)."))
    capacity = fields.Nested(
        ServerCapacitySchema, required=True, **doc("What it carries within every limit.")
    )
    normal = fields.Nested(ServerLoadSchema, required=True, **doc("Its load in normal operation."))
    worst_failure = fields.Nested(
        ServerLoadSchema, required=True, **doc("Its load after the single server failure that loads it most.")
    )
    database_copies = fields.Integer(required=True, **doc("Database copies it holds (active and passive)."))
    disk_gb = fields.Float(required=True, **doc("Disk its copies take, GB."))

    @post_load
    def _typed(self, data: dict[str, Any], **kwargs: Any) -> ServerReport:
        data["roles"] = tuple(data["roles"])
        return ServerReport(**data)


class CopySchema(Result):
    server = fields.String(required=True, **doc("The server holding the copy."))
    preference = fields.Integer(
        required=True, **doc("Activation preference: 1 is active in normal operation.")
    )

    @post_load
    def _typed(self, data: dict[str, Any], **kwargs: Any) -> CopyReport:
        return CopyReport(**data)


class DatabaseLayoutSchema(Result):
    database = fields.String(required=True, **doc("The database: db-1, db-2, ..."))
    mailboxes = fields.Integer(required=True, **doc("Mailboxes it holds (spread evenly over the databases)."))
    size_gb = fields.Float(required=True, **doc("Disk one copy takes, logs and content index included, GB."))
    copies = fields.List(
        fields.Nested(CopySchema),
        required=True,
        **doc("Its copies by activation preference, as Add-MailboxDatabaseCopy is given them."),
    )

    @post_load
    def _typed(self, data: dict[str, Any], **kwargs: Any) -> DatabaseLayout:
        data["copies"] = tuple(data["copies"])
        return DatabaseLayout(**data)


class FailureScenarioSchema(Result):
    component = fields.String(required=True, **doc("The component that fails."))
    kind = choice(FAILURE_KINDS, "Its failure kind.", required=True)
    description = fields.String(required=True, **doc("What the component is."))
    outcomes = fields.Dict(
        keys=fields.String(validate=validate.OneOf(SERVICES)),
        values=fields.String(validate=validate.OneOf(OUTCOMES)),
        required=True,
        **doc(
            "Each service's outcome: unaffected, failover (brief, automatic), degraded (up, but a "
            "survivor runs past its sizing) or outage."
        ),
    )
    explanation = fields.String(required=True, **doc("One sentence: what the failure does and why."))
    # Named apart from Schema.load; written and read as `load`.
    survivors_load = fields.Dict(
        data_key="load",
        attribute="load",
        keys=fields.String(),
        values=fields.Nested(ServerLoadSchema),
        **doc("For a server's failure: each surviving Exchange server's load.", omit_none=True),
    )

    @post_load
    def _typed(self, data: dict[str, Any], **kwargs: Any) -> ScenarioReport:
        return ScenarioReport(**data)


class DesignReportSchema(Result):
    """One design with its price, goals and failures: an analysis, or a recommendation without rank."""

    architecture = choice(architectures.NAMES, "The architecture's contract name.", required=True)
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
    servers = fields.List(
        fields.Nested(ServerSchema),
        load_default=list,
        **doc(
            "Each Exchange server with its capacity and its load, normally and in its worst failure "
            "(round 2)."
        ),
    )
    copy_layout = fields.List(
        fields.Nested(DatabaseLayoutSchema),
        load_default=list,
        **doc("Every database's copies by server and activation preference (round 2)."),
    )
    availability = fields.Nested(
        AvailabilitySchema,
        load_default=None,
        **doc("Expected downtime a year and availability per service (round 2).", omit_none=True),
    )
    lifecycle = fields.List(
        fields.Nested(LifecycleSchema),
        load_default=list,
        **doc("The support of the design's Exchange and Windows versions on the answer's date (round 2)."),
    )

    @post_load
    def _report(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """The report's fields, typed but for the design, which the answer's Exchange version
        types (see the responses' schemas); the catalog is the answer's."""
        for name in (
            "bill_of_materials",
            "goals",
            "single_points_of_failure",
            "failure_scenarios",
            "notes",
            "servers",
            "copy_layout",
            "lifecycle",
        ):
            data[name] = tuple(data[name])
        return data


class AnalysisResponseSchema(DesignReportSchema):
    exchange_version = fields.String(**_VERSION)
    catalog = fields.Nested(CatalogSummarySchema, required=True, **doc("The price book it was priced from."))

    @post_load
    def _report(self, data: dict[str, Any], **kwargs: Any) -> DesignReport:
        data = super()._report(data)
        data["design"] = design_of(
            data["architecture"], data["design"], data["copy_layout"], data["exchange_version"]
        )
        return DesignReport(**data)


class _RankSchema(Result):
    rank = fields.Integer(required=True, **doc("1 is best by the request's objective."))
    compared_with_first = fields.String(
        load_default=None,
        **doc(
            "For #2 and later: what it gives up or gains against #1, in money and expected downtime.",
            omit_none=True,
        ),
    )


class RecommendationSchema(DesignReportSchema, _RankSchema):
    """A recommended design: its rank, then the design report (marshmallow orders fields base first)."""


class WeighedSchema(Result):
    architecture = choice(architectures.NAMES, "The architecture's contract name.", required=True)
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

    @post_load
    def _typed(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """The fields, typed but for the design (the response's Exchange version types it)."""
        data["reasons"] = tuple(data["reasons"])
        data["single_points_of_failure"] = tuple(data["single_points_of_failure"])
        return data


class MinimumBudgetSchema(Result):
    amount = money(
        "What the cheapest design meeting every required goal costs.", required=True, attribute="amount_cents"
    )
    currency = fields.String(required=True, **doc("The catalog's currency."))
    architecture = choice(architectures.NAMES, "The architecture of that design.", required=True)
    applies_to = choice(BUDGET_MEASURES, "Which figure the amount is.", required=True)

    @post_load
    def _typed(self, data: dict[str, Any], **kwargs: Any) -> MinimumBudget:
        return MinimumBudget(**data)


class SolverSummarySchema(Result):
    name = fields.String(required=True, **doc("The MILP solver that answered (HiGHS or CBC)."))
    status = fields.String(required=True, **doc("optimal when every solve proved its best design."))
    solve_ms = fields.Float(required=True, **doc("Time spent in the solver, milliseconds."))
    solves = fields.Integer(required=True, **doc("How many models were solved."))

    @post_load
    def _typed(self, data: dict[str, Any], **kwargs: Any) -> SolverSummary:
        return SolverSummary(**data)


class FrontierPointSchema(Result):
    architecture = choice(architectures.NAMES, "The design's architecture.", required=True)
    title = fields.String(required=True, **doc("The architecture's title."))
    cost = fields.Nested(CostSchema, required=True, **doc("The design's cost."))
    expected_outage_minutes_per_year = fields.Dict(
        keys=fields.String(validate=validate.OneOf(SERVICES)),
        values=fields.Float(),
        required=True,
        **doc("Each service's expected unplanned minutes down a year (see `availability`)."),
    )
    adds = fields.String(
        required=True, **doc("What it adds over the previous point, and what that costs and buys.")
    )
    within_budget = fields.Boolean(required=True, **doc("Whether the budget covers it."))
    design = fields.Nested(ConcreteDesignSchema, required=True, **doc("The design: what to buy."))

    @post_load
    def _typed(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """Typed but for the design, which the response's Exchange version types."""
        return data


class BudgetStepSchema(Result):
    architecture = choice(architectures.NAMES, "The next design's architecture.", required=True)
    cost = fields.Nested(CostSchema, required=True, **doc("What it costs."))
    over_budget_by = money(
        "How much more than the budget it costs, by the budget's measure.",
        required=True,
        attribute="over_budget_by_cents",
    )
    expected_outage_minutes_per_year = fields.Dict(
        keys=fields.String(validate=validate.OneOf(SERVICES)),
        values=fields.Float(),
        required=True,
        **doc("Each service's expected unplanned minutes down a year with it."),
    )
    sentence = fields.String(required=True, **doc("What the extra money buys, in one sentence."))

    @post_load
    def _typed(self, data: dict[str, Any], **kwargs: Any) -> BudgetStep:
        return BudgetStep(**data)


class RecommendationsResponseSchema(Result):
    exchange_version = fields.String(**_VERSION)
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
    frontier = fields.List(
        fields.Nested(FrontierPointSchema),
        load_default=list,
        **doc(
            "The designs of every architecture weighed (that meet every required goal) that no other "
            "beats on both cost, by the budget's measure, and expected Outlook downtime, cheapest first "
            "(round 2)."
        ),
    )
    budget_sensitivity = fields.Nested(
        BudgetStepSchema,
        load_default=None,
        allow_none=True,
        **doc(
            "When the budget binds: the cheapest design over it that is down less than the best within "
            "it, and what it buys; null when the budget does not stand in the way (round 2)."
        ),
    )

    @post_load
    def _typed(self, data: dict[str, Any], **kwargs: Any) -> Recommendations:
        catalog = data["catalog"]
        version = data["exchange_version"]
        recommendations = []
        for r in data["recommendations"]:
            design = design_of(r["architecture"], r.pop("design"), r["copy_layout"], version)
            recommendations.append(
                Recommendation(**r, design=design, catalog=catalog, exchange_version=version)  # type: ignore[arg-type]
            )
        weighed = []
        for w in data["weighed"]:
            design = design_of(w["architecture"], w.pop("design"), None, version)
            weighed.append(WeighedArchitecture(**w, design=design))
        return Recommendations(
            catalog=catalog,
            recommendations=tuple(recommendations),
            weighed=tuple(weighed),
            minimum_budget=data["minimum_budget"],
            solver=data["solver"],
            exchange_version=version,
            frontier=tuple(
                FrontierPoint(**{**f, "design": design_of(f["architecture"], f["design"], None, version)})
                for f in data["frontier"]
            ),
            budget_sensitivity=data["budget_sensitivity"],
        )


RECOMMENDATIONS = RecommendationsResponseSchema()
ANALYSIS = AnalysisResponseSchema()


def dump_recommendations(result: Recommendations) -> dict[str, Any]:
    data: dict[str, Any] = RECOMMENDATIONS.dump(result)
    return data


def dump_analysis(report: DesignReport) -> dict[str, Any]:
    data: dict[str, Any] = ANALYSIS.dump(report)
    return data


def load_recommendations(document: dict[str, Any]) -> Recommendations:
    """A stored answer, typed again (ValidationError when it is not one)."""
    loaded: Recommendations = RECOMMENDATIONS.load(document)
    return loaded
