"""Value types of the advisor: request, design, components, outcomes, quotes and domain errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

ARCHITECTURES: tuple[str, ...] = (
    "single_server",
    "dag_only",
    "dag_cas_array_dns",
    "dag_cas_array_single_lb",
    "dag_cas_array_lb_pair",
    "dedicated_cas_wnlb",
)
FAILURE_KINDS: tuple[str, ...] = (
    "database",
    "server",
    "load_balancer",
    "witness",
    "domain_controller",
    "site",
)
SERVICES: tuple[str, ...] = ("outlook", "owa", "activesync", "smtp_inbound", "smtp_outbound")
OUTCOMES: tuple[str, ...] = ("unaffected", "failover", "outage")
STATUSES: tuple[str, ...] = (
    "recommended",
    "feasible",
    "over_budget",
    "misses_required_goal",
    "not_allowed",
)
EXCHANGE_VERSIONS: tuple[str, ...] = ("2010",)
WINDOWS_VERSIONS: tuple[str, ...] = (
    "2008",
    "2008R2",
    "2012",
    "2012R2",
    "2016",
    "2019",
    "2022",
    "2025",
)
WINDOWS_EDITIONS: tuple[str, ...] = ("standard", "enterprise", "datacenter")
EXCHANGE_EDITIONS: tuple[str, ...] = ("standard", "enterprise")

Outcome = Literal["unaffected", "failover", "outage"]
OUTCOME_SEVERITY: dict[str, int] = {"unaffected": 0, "failover": 1, "outage": 2}


def windows_name(version: str) -> str:
    """How people write a Windows Server version: 2008R2 -> "2008 R2"."""
    return version.replace("R2", " R2")


FAILURE_WORDS: dict[str, str] = {
    "database": "a database copy fails",
    "server": "an Exchange server shuts down",
    "load_balancer": "a load balancer fails",
    "witness": "the witness fails",
    "domain_controller": "a domain controller fails",
    "site": "the datacenter is lost",
}


def worst(a: str, b: str) -> str:
    """The more severe of two outcomes."""
    return a if OUTCOME_SEVERITY[a] >= OUTCOME_SEVERITY[b] else b


class AdvisorError(Exception):
    """Base of the errors the advisor raises on purpose."""


@dataclass
class FieldProblem:
    """One thing wrong with one field of an input."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidInput(AdvisorError):
    """The input breaks the contract; every problem names its field."""

    def __init__(self, problems: list[FieldProblem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


class UnknownCatalog(AdvisorError):
    """The request names a price book the advisor does not have."""

    def __init__(self, catalog_id: str, known: list[str]):
        super().__init__(f"unknown catalog {catalog_id!r}; known: {', '.join(known)}")
        self.catalog_id = catalog_id
        self.known = known


class SolverFailed(AdvisorError):
    """The MILP solver stopped without an answer (time limit or solver error)."""


@dataclass(frozen=True)
class Budget:
    amount_cents: int
    currency: str = "USD"
    applies_to: Literal["upfront", "total"] = "upfront"


@dataclass(frozen=True)
class Goal:
    failure: str
    services: tuple[str, ...]
    priority: Literal["required", "preferred"] = "required"
    weight: float = 1.0


@dataclass(frozen=True)
class Environment:
    domain_controllers: int = 2
    witness_host: Literal["existing", "buy"] = "existing"
    sites: int = 1
    cals_owned: int = 0


@dataclass(frozen=True)
class Project:
    name: str = ""
    customer: str = ""
    prepared_by: str = ""


@dataclass(frozen=True)
class Platform:
    """The Exchange and Windows versions and editions a request asks for ("any" = choose)."""

    exchange_version: str = "2010"
    exchange_edition: str = "any"
    windows_version: str = "2008R2"
    windows_edition: str = "any"


@dataclass(frozen=True)
class Request:
    budget: Budget
    goals: tuple[Goal, ...]
    platform: Platform = field(default_factory=Platform)
    horizon_years: int = 3
    mailboxes: int = 300
    databases: int = 4
    environment: Environment = field(default_factory=Environment)
    objective: Literal["min_cost", "max_goals"] = "min_cost"
    alternatives: int = 3
    catalog: str = "default"
    project: Project | None = None

    def goal_pairs(self) -> dict[tuple[str, str], Goal]:
        """Every (failure kind, service) the goals name, with the goal that names it.

        When two goals name the same pair, a required one wins over a preferred one and
        the larger weight wins among preferred ones.
        """
        pairs: dict[tuple[str, str], Goal] = {}
        for goal in self.goals:
            for service in goal.services:
                key = (goal.failure, service)
                held = pairs.get(key)
                if held is None or _stronger(goal, held):
                    pairs[key] = goal
        return pairs


def _stronger(new: Goal, held: Goal) -> bool:
    if new.priority != held.priority:
        return new.priority == "required"
    return new.weight > held.weight


@dataclass(frozen=True)
class Design:
    """One concrete design: what to buy and how it is put together."""

    architecture: str
    exchange_servers: int
    dedicated_cas_servers: int
    dag: bool
    cas_array: bool
    load_balancers: int
    witness: Literal["existing", "buy", "cas_server", "none"]
    windows_edition: str
    exchange_edition: str
    server_model: str
    database_copies: int
    domain_controllers_added: int = 0
    load_balancer_model: str | None = None
    cas_server_model: str | None = None
    cas_windows_edition: str | None = None
    cas_exchange_edition: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "exchange_servers": self.exchange_servers,
            "dedicated_cas_servers": self.dedicated_cas_servers,
            "dag": self.dag,
            "cas_array": self.cas_array,
            "load_balancers": self.load_balancers,
            "witness": self.witness,
            "windows_edition": self.windows_edition,
            "exchange_edition": self.exchange_edition,
            "server_model": self.server_model,
            "database_copies": self.database_copies,
            "domain_controllers_added": self.domain_controllers_added,
            "load_balancer_model": self.load_balancer_model,
            "cas_server_model": self.cas_server_model,
            "cas_windows_edition": self.cas_windows_edition,
            "cas_exchange_edition": self.cas_exchange_edition,
        }


@dataclass(frozen=True)
class Line:
    """One line of a bill of materials; money in integer cents."""

    sku: str
    description: str
    quantity: int
    unit_price_cents: int
    unit_annual_cents: int

    @property
    def upfront_cents(self) -> int:
        return self.quantity * self.unit_price_cents

    @property
    def annual_cents(self) -> int:
        return self.quantity * self.unit_annual_cents


@dataclass(frozen=True)
class Cost:
    upfront_cents: int
    annual_cents: int
    horizon_years: int

    @property
    def total_cents(self) -> int:
        return self.upfront_cents + self.horizon_years * self.annual_cents

    def measure(self, applies_to: str) -> int:
        """The figure a budget applies to."""
        return self.total_cents if applies_to == "total" else self.upfront_cents


def cents_to_money(cents: int) -> float:
    """Cents as the contract's money number (rounded to cents)."""
    return round(cents / 100, 2)


def money_to_cents(amount: float) -> int:
    return round(amount * 100)


def format_money(cents: int, currency: str) -> str:
    return f"{cents / 100:,.2f} {currency}"


@dataclass(frozen=True)
class SavedScenario:
    """A request and its result, pinned to the price book it was priced from."""

    id: str
    name: str
    notes: str
    request: dict[str, Any]
    response: dict[str, Any]
    catalog: dict[str, str]
    created_at: datetime
    updated_at: datetime
    repriced_from: str | None = None


class ScenarioNotFound(AdvisorError):
    """No saved scenario has that id (or it was deleted)."""

    def __init__(self, scenario_id: str):
        super().__init__(f"no saved scenario {scenario_id!r}")
        self.scenario_id = scenario_id
