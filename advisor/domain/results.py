"""What the use cases answer, typed: reports of designs, the weighed architectures, saved scenarios.

Money is integer cents here; the contract's JSON (advisor.contract) turns it into currency units.
Each type mirrors one object of the response contract in DESIGN.md, field for field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from advisor.domain.design import Design, Line
from advisor.domain.values import Budget


@dataclass(frozen=True)
class CatalogRef:
    """The price book a figure was priced from: what every quote names."""

    id: str
    version: str
    currency: str
    as_of: str


@dataclass(frozen=True)
class CostReport:
    """A design's cost, and how it stands against the budget (`budget` None: none was given)."""

    upfront_cents: int
    annual_cents: int
    horizon_years: int
    currency: str
    budget: Budget | None = None

    @property
    def total_cents(self) -> int:
        return self.upfront_cents + self.horizon_years * self.annual_cents

    def measure(self, applies_to: str) -> int:
        """The figure a budget applies to."""
        return self.total_cents if applies_to == "total" else self.upfront_cents

    @property
    def budget_left_cents(self) -> int | None:
        if self.budget is None:
            return None
        return self.budget.amount_cents - self.measure(self.budget.applies_to)

    @property
    def within_budget(self) -> bool | None:
        left = self.budget_left_cents
        return None if left is None else left >= 0

    @property
    def budget_applies_to(self) -> str | None:
        return None if self.budget is None else self.budget.applies_to


@dataclass(frozen=True)
class GoalReport:
    """One (failure kind, service) the goals name, met or not; `component` and `explanation`
    say which failure gives the outage when it is missed."""

    failure: str
    service: str
    priority: str
    weight: float
    met: bool
    worst_outcome: str
    component: str | None = None
    explanation: str | None = None


@dataclass(frozen=True)
class SpofReport:
    """A single point of failure: a component whose failure alone takes services down."""

    component: str
    kind: str
    services: tuple[str, ...]
    explanation: str


@dataclass(frozen=True)
class ServerLoad:
    """What a server carries in one situation, and how much of its CPU that is."""

    active_mailboxes: int
    cpu_utilisation: float
    memory_gb: float = 0.0
    iops: float = 0.0
    within_sizing: bool = True
    failed: str | None = None  # for the worst failure: the server whose loss gives it


@dataclass(frozen=True)
class ServerCapacity:
    """What a server carries within every limit: `mailboxes` active at the profile, the platform's
    megacycles (sizing allows `cpu_ceiling` of them), memory, IOPS, disk and mounted copies."""

    mailboxes: int
    megacycles: float
    cpu_ceiling: float
    memory_gb: float
    iops: float
    disk_gb: float
    database_copies: int


@dataclass(frozen=True)
class ServerReport:
    """One Exchange server of a design: its model and roles, what it can carry, and what it
    carries normally and in its worst single-server failure."""

    name: str
    roles: tuple[str, ...]
    model: str
    capacity: ServerCapacity
    normal: ServerLoad
    worst_failure: ServerLoad
    database_copies: int = 0
    disk_gb: float = 0.0


@dataclass(frozen=True)
class CopyReport:
    server: str
    preference: int


@dataclass(frozen=True)
class DatabaseLayout:
    """One database: its mailboxes and size, and its copies in activation-preference order
    (what Add-MailboxDatabaseCopy is given)."""

    database: str
    mailboxes: int
    size_gb: float
    copies: tuple[CopyReport, ...]


@dataclass(frozen=True)
class ScenarioReport:
    """One component failed alone, and each service's outcome; a server's failure also says what
    each surviving Exchange server then carries."""

    component: str
    kind: str
    description: str
    outcomes: Mapping[str, str]
    explanation: str
    load: Mapping[str, ServerLoad] | None = None


@dataclass(frozen=True)
class ServiceAvailability:
    """One service's expected downtime a year for a design (advisor.availability)."""

    expected_outage_minutes_per_year: float  # unplanned: outages and automatic failovers
    availability: float
    failover_minutes_per_year: float = 0.0  # of which automatic failovers' interruptions
    degraded_minutes_per_year: float = 0.0  # up but slowed: a survivor past its sizing
    planned_minutes_per_year: float = 0.0  # patching, one server at a time


@dataclass(frozen=True)
class AvailabilityReport:
    method: str
    services: Mapping[str, ServiceAvailability]


@dataclass(frozen=True)
class LifecycleReport:
    """One product version of a design and its support on the answer's date."""

    product: str
    end_of_support: str | None  # ISO date; None: Modern Lifecycle Policy
    supported: bool


@dataclass(frozen=True)
class DesignReport:
    """A design with its price, goals and failures: what `analyze` answers."""

    architecture: str
    title: str
    design: Design
    bill_of_materials: tuple[Line, ...]
    cost: CostReport
    goals: tuple[GoalReport, ...]
    single_points_of_failure: tuple[SpofReport, ...]
    failure_scenarios: tuple[ScenarioReport, ...]
    notes: tuple[str, ...]
    catalog: CatalogRef
    servers: tuple[ServerReport, ...] = ()
    copy_layout: tuple[DatabaseLayout, ...] = ()
    lifecycle: tuple[LifecycleReport, ...] = ()
    exchange_version: str = "2010"
    availability: AvailabilityReport | None = None


@dataclass(frozen=True)
class Recommendation(DesignReport):
    """A recommended design: its rank by the request's objective (1 is best) and its report."""

    rank: int = 0
    # For #2 and later: what it gives up or gains against #1, in money and downtime.
    compared_with_first: str | None = None


@dataclass(frozen=True)
class FrontierPoint:
    """A design no other weighed design beats on both cost and expected Outlook downtime."""

    architecture: str
    title: str
    cost: CostReport
    expected_outage_minutes_per_year: Mapping[str, float]
    adds: str  # what it adds over the previous point and what that costs
    within_budget: bool
    design: Design | None = None


@dataclass(frozen=True)
class BudgetStep:
    """When the budget binds: the next design up the frontier, what it costs beyond the budget
    and what it buys."""

    architecture: str
    cost: CostReport
    over_budget_by_cents: int
    expected_outage_minutes_per_year: Mapping[str, float]
    sentence: str


@dataclass(frozen=True)
class WeighedArchitecture:
    """What became of one architecture for a request, and why."""

    architecture: str
    title: str
    status: str
    cost: CostReport | None
    design: Design | None
    reasons: tuple[str, ...]
    single_points_of_failure: tuple[SpofReport, ...]


@dataclass(frozen=True)
class MinimumBudget:
    """What the cheapest design meeting every required goal costs, by the budget's measure."""

    amount_cents: int
    currency: str
    architecture: str
    applies_to: str


@dataclass(frozen=True)
class SolverSummary:
    name: str = "HiGHS"
    status: str = "optimal"
    solve_ms: float = 0.0
    solves: int = 0


@dataclass(frozen=True)
class Recommendations:
    """The answer to a request: the best designs, every architecture's fate, the least budget."""

    catalog: CatalogRef
    recommendations: tuple[Recommendation, ...]
    weighed: tuple[WeighedArchitecture, ...]
    minimum_budget: MinimumBudget | None
    solver: SolverSummary = field(default_factory=SolverSummary)
    exchange_version: str = "2010"
    frontier: tuple[FrontierPoint, ...] = ()
    budget_sensitivity: BudgetStep | None = None

    def weighed_by_name(self) -> dict[str, WeighedArchitecture]:
        return {w.architecture: w for w in self.weighed}

    def recommended(self, architecture: str) -> Recommendation | None:
        return next((r for r in self.recommendations if r.architecture == architecture), None)


@dataclass(frozen=True)
class SavedScenario:
    """A request and its result, pinned to the price book it was priced from.

    `request` is the request's JSON document as it was sent; `result` the answer as it was
    when saved (it never changes: re-price for a fresh one).
    """

    id: str
    name: str
    notes: str
    request: Mapping[str, Any]
    result: Recommendations
    created_at: datetime
    updated_at: datetime
    repriced_from: str | None = None
    owner_id: int | None = None  # the account that saved it; None when saved without accounts
    share_token: str = ""  # the unguessable part of its read-only share link

    @property
    def catalog(self) -> CatalogRef:
        return self.result.catalog


@dataclass(frozen=True)
class Change:
    """A value before and after re-pricing."""

    before: Any
    after: Any


@dataclass(frozen=True)
class MoneyChange:
    """After minus before, in cents."""

    upfront_cents: int
    annual_cents: int
    total_cents: int


@dataclass(frozen=True)
class ArchitectureChange:
    architecture: str
    status: Change
    cost_before: CostReport | None
    cost_after: CostReport | None
    cost_change: MoneyChange | None
    design_changes: Mapping[str, Change]


@dataclass(frozen=True)
class Differences:
    """What re-pricing changed: price book, ranking, least budget, each architecture."""

    catalog: Change  # CatalogRef before and after
    ranking: Change  # tuples of architecture names, best first
    minimum_budget: Change  # MinimumBudget or None, before and after
    architectures: tuple[ArchitectureChange, ...]

    @property
    def anything(self) -> bool:
        """Whether re-pricing changed any figure, status, design or ranking."""
        return (
            self.catalog.before != self.catalog.after
            or self.ranking.before != self.ranking.after
            or self.minimum_budget.before != self.minimum_budget.after
            or any(
                a.status.before != a.status.after
                or a.design_changes
                or (a.cost_change is not None and any(vars(a.cost_change).values()))
                or (a.cost_before is None) != (a.cost_after is None)
                for a in self.architectures
            )
        )
