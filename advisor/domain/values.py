"""The request's value types and the contract's vocabulary: failure kinds, services, outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from advisor.domain.hashing import hash_once

FAILURE_KINDS: tuple[str, ...] = (
    "database",
    "server",
    "load_balancer",
    "witness",
    "domain_controller",
    "site",
)
SERVICES: tuple[str, ...] = ("outlook", "owa", "activesync", "smtp_inbound", "smtp_outbound")
CLIENT_SERVICES: tuple[str, ...] = ("outlook", "owa", "activesync")
OUTCOMES: tuple[str, ...] = ("unaffected", "failover", "degraded", "outage")
STATUSES: tuple[str, ...] = (
    "recommended",
    "feasible",
    "over_budget",
    "misses_required_goal",
    "not_allowed",
)
EXCHANGE_VERSIONS: tuple[str, ...] = ("2010", "2013", "2016", "2019", "SE")
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
BUDGET_MEASURES: tuple[str, ...] = ("upfront", "total")
PRIORITIES: tuple[str, ...] = ("required", "preferred")
OBJECTIVES: tuple[str, ...] = ("min_cost", "max_goals", "min_downtime")
WITNESS_HOSTS: tuple[str, ...] = ("existing", "buy")
# Where a design's witness lives: an existing server, one bought for it, a Client Access server
# outside the DAG (2010's default), or nowhere (no DAG, or an odd number of members).
WITNESS_PLACES: tuple[str, ...] = ("existing", "buy", "cas_server", "none")
# The MILP solvers the advisor runs: HiGHS in process, CBC as the fallback.
SOLVERS: tuple[str, ...] = ("highs", "cbc")
# The largest number of designs one comparison takes: a readable spreadsheet, not a dump.
MAX_COMPARED = 12

Outcome = Literal["unaffected", "failover", "degraded", "outage"]
# degraded: the service stays up, but a surviving server runs past its sizing (round 2).
OUTCOME_SEVERITY: dict[str, int] = {"unaffected": 0, "failover": 1, "degraded": 2, "outage": 3}
# What meets a goal: a failure that leaves the service unaffected or fails it over in time.
MEETS_GOAL: frozenset[str] = frozenset({"unaffected", "failover"})
STORAGES: tuple[str, ...] = ("raid", "jbod")
# Copies of each database a request may ask for (DESIGN.md round 2: 2 to 4, at most the DAG members).
FEWEST_DATABASE_COPIES = 2
MOST_DATABASE_COPIES = 4

# How every page, export and explanation names a service, in running text (capitalise to head a
# column: `service_heading`), and what each failure kind is, in running text.
SERVICE_LABELS: dict[str, str] = {
    "outlook": "Outlook",
    "owa": "OWA",
    "activesync": "ActiveSync",
    "smtp_inbound": "inbound mail",
    "smtp_outbound": "outbound mail",
}
FAILURE_WORDS: dict[str, str] = {
    "database": "a database copy fails",
    "server": "an Exchange server shuts down",
    "load_balancer": "a load balancer fails",
    "witness": "the witness fails",
    "domain_controller": "a domain controller fails",
    "site": "the datacenter is lost",
}


def service_heading(service: str) -> str:
    """A service's name to head a column or start a sentence: "Inbound mail"."""
    label = SERVICE_LABELS.get(service, service)
    return label[:1].upper() + label[1:]


def windows_name(version: str) -> str:
    """How people write a Windows Server version: 2008R2 -> "2008 R2"."""
    return version.replace("R2", " R2")


def worst(a: str, b: str) -> str:
    """The more severe of two outcomes."""
    return a if OUTCOME_SEVERITY[a] >= OUTCOME_SEVERITY[b] else b


def cents_to_money(cents: int) -> float:
    """Cents as the contract's money number (rounded to cents)."""
    return round(cents / 100, 2)


def money_to_cents(amount: float) -> int:
    return round(amount * 100)


def format_money(cents: int, currency: str) -> str:
    return f"{cents / 100:,.2f} {currency}"


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
    # Hypervisor hosts a virtual load balancer may run on: two units on one host are no pair.
    hypervisor_hosts: int = 2


@hash_once  # part of the engine caches' keys
@dataclass(frozen=True)
class MailboxProfile:
    """How busy and how large a mailbox is: what every sizing figure scales with."""

    messages_per_day: float = 100
    mailbox_size_gb: float = 2


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
    objective: Literal["min_cost", "max_goals", "min_downtime"] = "min_cost"
    alternatives: int = 3
    catalog: str = "default"
    project: Project | None = None
    mailbox_profile: MailboxProfile = field(default_factory=MailboxProfile)
    database_copies: int = 2
    storage: Literal["raid", "jbod"] = "raid"

    @property
    def survives_server_required(self) -> bool:
        return any(g.failure == "server" and g.priority == "required" for g in self.goals)

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
class DesignChoices:
    """The fields of a concrete design a planner gave for `analyze`; None = not given (the
    architecture's smallest valid value is taken). The derived ones (`dag`, `cas_array`,
    `load_balancers`) may be given, and must then agree with the architecture."""

    exchange_servers: int | None = None
    dedicated_cas_servers: int | None = None
    dag: bool | None = None
    cas_array: bool | None = None
    load_balancers: int | None = None
    witness: str | None = None
    windows_edition: str | None = None
    exchange_edition: str | None = None
    server_model: str | None = None
    database_copies: int | None = None
    domain_controllers_added: int | None = None
    load_balancer_model: str | None = None
    cas_server_model: str | None = None
    cas_windows_edition: str | None = None
    cas_exchange_edition: str | None = None
    disk_model: str | None = None
    disks_per_server: int | None = None


@dataclass(frozen=True)
class GivenCopies:
    """One database's copies as a planner gives them: server names by activation preference."""

    database: str
    copies: tuple[tuple[str, int], ...]  # (server, preference)
    mailboxes: int | None = None  # as an answer's copy_layout gives it: checked, never changed


@dataclass(frozen=True)
class AnalysisRequest:
    """One concrete design to price and check: the request's terms, the architecture and the
    design fields given. Without a budget (`budget_given` false) no budget figure is reported."""

    request: Request
    architecture: str
    design: DesignChoices = field(default_factory=DesignChoices)
    budget_given: bool = False
    copy_layout: tuple[GivenCopies, ...] | None = None  # None: the best layout of its servers
