"""A concrete design and what it costs: the design's choices, bill-of-materials lines, cost."""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.domain.architecture import ArchitectureSpec
from advisor.domain.hashing import hash_once

# A design's fields in the order the contract writes them (the response's `design` object; a
# test holds this equal to the schema's fields).
DESIGN_FIELDS: tuple[str, ...] = (
    "exchange_servers",
    "dedicated_cas_servers",
    "dag",
    "cas_array",
    "load_balancers",
    "witness",
    "windows_edition",
    "exchange_edition",
    "server_model",
    "database_copies",
    "domain_controllers_added",
    "load_balancer_model",
    "cas_server_model",
    "cas_windows_edition",
    "cas_exchange_edition",
    "disk_model",
    "disks_per_server",
)


@hash_once  # part of the engine caches' keys: assessments, availabilities, quotes
@dataclass(frozen=True)
class Design:
    """One concrete design: what to buy and how it is put together.

    `dag`, `cas_array` and `load_balancers` are the architecture's, never stored apart from it.
    """

    spec: ArchitectureSpec
    exchange_servers: int
    dedicated_cas_servers: int
    witness: str  # one of WITNESS_PLACES
    windows_edition: str
    exchange_edition: str
    server_model: str
    database_copies: int
    domain_controllers_added: int = 0
    load_balancer_model: str | None = None
    cas_server_model: str | None = None
    cas_windows_edition: str | None = None
    cas_exchange_edition: str | None = None
    disk_model: str | None = None  # the database disks of each mailbox server
    disks_per_server: int = 0  # every database disk of one mailbox server, spares included
    # Each database's copies as server numbers (0 is ex-1) in activation-preference order: how the
    # design is set up rather than what it buys, so designs compare without it (a report gives
    # it as `copy_layout`).
    layout: tuple[tuple[int, ...], ...] = field(default=(), compare=False)

    @property
    def architecture(self) -> str:
        return self.spec.name

    @property
    def dag(self) -> bool:
        return self.spec.dag

    @property
    def cas_array(self) -> bool:
        return self.spec.cas_array

    @property
    def load_balancers(self) -> int:
        return self.spec.load_balancer_units

    def facts(self) -> dict[str, object]:
        """The design's fields by their contract names, in the contract's order."""
        return {name: getattr(self, name) for name in DESIGN_FIELDS}


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


@dataclass(frozen=True)
class Quote:
    """A design's bill of materials and its cost (the sums of the lines' columns)."""

    lines: tuple[Line, ...]
    cost: Cost

    @classmethod
    def of(cls, lines: tuple[Line, ...], horizon_years: int) -> Quote:
        upfront = sum(line.upfront_cents for line in lines)
        annual = sum(line.annual_cents for line in lines)
        return cls(lines, Cost(upfront, annual, horizon_years))
