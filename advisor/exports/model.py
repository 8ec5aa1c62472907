"""The comparison every export shows: its header, the designs side by side, the price basis; and
what it needs of a price book."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Protocol

from advisor.domain import (
    FAILURE_WORDS,
    SERVICES,
    AvailabilityReport,
    DatabaseLayout,
    Design,
    LifecycleReport,
    ServerLoad,
    ServerReport,
    cents_to_money,
    format_money,
    service_heading,
)
from advisor.exports.frontier import FrontierRow


class PricedItem(Protocol):
    @property
    def description(self) -> str: ...
    @property
    def basis(self) -> str: ...


class AnnualRate(Protocol):
    @property
    def rate(self) -> float: ...
    @property
    def basis(self) -> str: ...


class Policy(Protocol):
    @property
    def bases(self) -> Mapping[str, str]: ...


class PriceBook(Protocol):
    """What an export needs of a catalog (advisor.catalog.Catalog fits)."""

    @property
    def title(self) -> str: ...
    @property
    def rates(self) -> Mapping[str, AnnualRate]: ...
    @property
    def policy(self) -> Policy: ...
    def item(self, sku: str) -> PricedItem: ...


class PriceBooks(Protocol):
    def get(self, catalog_id: str = ...) -> PriceBook: ...


@dataclass(frozen=True)
class GoalAsked:
    failure: str
    services: tuple[str, ...]
    priority: str
    weight: float

    def text(self) -> str:
        services = ", ".join(service_heading(s) for s in self.services)
        weight = f", weight {self.weight:g}" if self.priority == "preferred" else ""
        return f"{self.failure}: {services} ({self.priority}{weight})"

    def words(self) -> str:
        """The goal as a customer reads it: 'Outlook, OWA when a database copy fails (required)'."""
        services = ", ".join(service_heading(s) for s in self.services)
        weight = f", weight {self.weight:g}" if self.priority == "preferred" else ""
        return f"{services} when {FAILURE_WORDS.get(self.failure, self.failure)} ({self.priority}{weight})"


@dataclass(frozen=True)
class Header:
    project: str
    customer: str
    prepared_by: str
    date: str
    catalog_id: str
    catalog_version: str
    catalog_as_of: str
    catalog_title: str
    currency: str
    budget_cents: int
    budget_applies_to: str
    horizon_years: int
    exchange: str
    windows: str
    mailboxes: int
    databases: int
    environment: Mapping[str, Any]
    goals: tuple[GoalAsked, ...]

    @property
    def notice(self) -> str:
        return (
            f"All figures are estimates from the price book {self.catalog_id!r} version "
            f"{self.catalog_version} as of {self.catalog_as_of} ({self.catalog_title}); "
            "confirm prices with your suppliers before ordering."
        )

    def money(self, cents: int) -> str:
        return format_money(cents, self.currency)


@dataclass(frozen=True)
class LineItem:
    sku: str
    description: str
    quantity: int
    unit_price_cents: int
    unit_annual_cents: int
    upfront_cents: int
    annual_cents: int
    basis: str


@dataclass(frozen=True)
class GoalResult:
    failure: str
    service: str
    priority: str
    met: bool
    worst_outcome: str
    explanation: str

    @property
    def name(self) -> str:
        return f"{self.failure}/{self.service}"

    @property
    def words(self) -> str:
        """The goal as a customer reads it: 'Outlook when a load balancer fails'."""
        return f"{service_heading(self.service)} when {FAILURE_WORDS.get(self.failure, self.failure)}"


@dataclass(frozen=True)
class SinglePoint:
    component: str
    kind: str
    services: tuple[str, ...]
    explanation: str


@dataclass(frozen=True)
class Scenario:
    component: str
    kind: str
    description: str
    outcomes: Mapping[str, str]
    explanation: str
    load: Mapping[str, ServerLoad] | None = None  # a server's failure: what each survivor carries


@dataclass(frozen=True)
class DesignColumn:
    """One design of the comparison, with everything its column, sheet and pages show."""

    label: str
    architecture: str
    title: str
    source: str
    design: Design
    lines: tuple[LineItem, ...]
    upfront_cents: int
    annual_cents: int
    total_cents: int
    horizon_years: int
    within_budget: bool | None
    budget_left_cents: int | None
    goals: tuple[GoalResult, ...]
    single_points_of_failure: tuple[SinglePoint, ...]
    failure_scenarios: tuple[Scenario, ...]
    notes: tuple[str, ...]
    reasons: tuple[str, ...] = ()
    # The budget the design was priced against (a comparison across saved scenarios mixes them).
    budget_cents: int | None = None
    budget_applies_to: str | None = None
    # Each Exchange server's capacity and load, and where each database's copies are (the
    # response's `servers` and `copy_layout`, field for field).
    servers: tuple[ServerReport, ...] = ()
    copy_layout: tuple[DatabaseLayout, ...] = ()
    # The support of the design's Exchange and Windows versions on the day it was priced (the
    # response's `lifecycle`); empty for a result stored before it was recorded.
    lifecycle: tuple[LifecycleReport, ...] = ()

    @property
    def out_of_support(self) -> tuple[LifecycleReport, ...]:
        return tuple(s for s in self.lifecycle if not s.supported)

    @property
    def support_text(self) -> str:
        """The design's support in words: what is out of support and since when."""
        if not self.lifecycle:
            return "not recorded"
        ended = self.out_of_support
        if not ended:
            return "supported"
        return "OUT OF SUPPORT: " + "; ".join(f"{s.product} since {s.end_of_support}" for s in ended)

    # Each service's expected downtime a year (the response's `availability`), and for an
    # alternative what it gives up or gains against #1 (`compared_with_first`).
    availability: AvailabilityReport | None = None
    compared_with_first: str = ""

    @property
    def past_sizing(self) -> tuple[ServerReport, ...]:
        """The servers that run past their sizing, normally or after one server fails."""
        return tuple(
            s for s in self.servers if not (s.normal.within_sizing and s.worst_failure.within_sizing)
        )

    def own_terms(self, header: Header) -> bool:
        """Whether the design was priced under another horizon or budget than the header's."""
        return self.horizon_years != header.horizon_years or (
            self.budget_cents is not None
            and (self.budget_cents, self.budget_applies_to) != (header.budget_cents, header.budget_applies_to)
        )

    @property
    def name(self) -> str:
        return f"{self.label}: {self.architecture}"

    @property
    def over_budget_by_cents(self) -> int:
        return max(0, -(self.budget_left_cents or 0))

    @property
    def goals_met(self) -> tuple[GoalResult, ...]:
        return tuple(g for g in self.goals if g.met)

    @property
    def goals_missed(self) -> tuple[GoalResult, ...]:
        return tuple(g for g in self.goals if not g.met)

    def budget_text(self, header: Header) -> str:
        if self.within_budget is None or self.budget_left_cents is None:
            return "no budget given"
        if self.within_budget:
            return f"within budget ({header.money(self.budget_left_cents)} left)"
        return f"over budget by {header.money(self.over_budget_by_cents)}"


@dataclass(frozen=True)
class PriceBasis:
    sku: str
    description: str
    basis: str


@dataclass(frozen=True)
class Assumption:
    topic: str
    value: str
    basis: str


@dataclass(frozen=True)
class Comparison:
    header: Header
    designs: tuple[DesignColumn, ...]
    price_bases: tuple[PriceBasis, ...]
    assumptions: tuple[Assumption, ...]
    services: tuple[str, ...] = SERVICES
    # What each dollar buys (the PDF and XLSX show them): the cost-downtime frontier, what the
    # budget stands in the way of, and how expected downtime is estimated.
    frontier: tuple[FrontierRow, ...] = ()
    budget_sensitivity: str = ""
    availability_method: str = ""

    @property
    def lifecycle_warnings(self) -> tuple[str, ...]:
        """One sentence for each product out of support in any design, first design first."""
        seen: dict[str, str] = {}
        for design in self.designs:
            for s in design.out_of_support:
                seen.setdefault(
                    s.product,
                    f"Out of support: {s.product} left extended support on {s.end_of_support}, so it "
                    "gets no security updates; plan the migration, or price a supported version "
                    "(rule lifecycle.support).",
                )
        return tuple(seen.values())

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data; money in currency units rounded to cents, as in the response; each
        design's fields as the response names them (a failure scenario's `load` and a load's
        `failed` left out when there is none, as the response leaves them out). The JSON export
        keeps its shape: the availability figures stay in the PDF and XLSX."""
        data: dict[str, Any] = _money_fields(
            {f.name: _plain(getattr(self, f.name)) for f in fields(self) if f.name not in _NOT_IN_JSON}
        )
        return data | {"notice": self.header.notice, "lifecycle_warnings": list(self.lifecycle_warnings)}


_OMIT_NONE = frozenset({"load", "failed"})
_NOT_IN_JSON = frozenset(
    {"frontier", "budget_sensitivity", "availability_method", "availability", "compared_with_first"}
)


def _plain(value: Any) -> Any:
    if isinstance(value, Design):
        return value.facts()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in fields(value)
            if not (f.name in _OMIT_NONE and getattr(value, f.name) is None) and f.name not in _NOT_IN_JSON
        }
    return value


def _money_fields(value: Any) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key.endswith("_cents"):
                out[key.removesuffix("_cents")] = None if item is None else cents_to_money(item)
            else:
                out[key] = _money_fields(item)
        return out
    if isinstance(value, list | tuple):
        return [_money_fields(v) for v in value]
    return value
