"""The MILP for one architecture, built in named steps: the design, its servers, disks, load
balancer, cost and budget.

The model decides how many servers (a structure: server counts, witness, added domain
controllers, whose goal coverage the failure simulator has decided), which copy layout of those
servers (advisor.layout: each layout no other beats on both the most active databases after a
failure and the most copies on one server), whether the servers are sized for the worst single
server failure or for normal operation only, each group's hardware model and Windows and
Exchange editions, and how many of which disk each mailbox server holds. Its capacity rows are
the sizing rules (advisor.sizing): the chosen model's CPU within its ceiling, memory, the disks'
IOPS and space, the bays they fill and the edition's mounted-database limit must cover what the
chosen structure and layout need. Every cost coefficient is the sum of the lines
`advisor.pricing` gives the part the variable stands for. Constraints are named for what they
hold, so the written .lp file reads as the model's documentation (`advisor recommend --write-lp`).
The CPU, memory and mounted-database rows hold for every platform a column weighs, and a disk
model's least count (`least_data_disks`) meets its IOPS, space and JBOD rows: those rows are
written and given to CBC but marked implied, so HiGHS's presolve does not find them redundant
again on every run (about half its time on these models: `benchmarks/bench_engine.py` prints it).

Columns are left out only where no design can come of them: a structure whose need no hardware
in the catalog meets, or one whose cheapest possible cost (its servers at the cheapest price a
server has) already exceeds what a known design of at least its preferred weight costs.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from advisor.catalog.model import Catalog, DiskModel, ServerModel, SizingRules, StorageRules
from advisor.domain import ArchitectureSpec, Design, Request, assemble
from advisor.layout import Layout, layouts
from advisor.optimizer.cache import EngineCache, catalog_key
from advisor.optimizer.milp import EQ, GE, LE, Expr, Milp
from advisor.optimizer.variants import Options, Scorer, Structure, Variant
from advisor.pricing import (
    CLIENT_ACCESS_ROLE,
    Cents,
    cal_lines,
    disk_lines,
    domain_controller_lines,
    load_balancer_lines,
    server_group_lines,
    witness_lines,
)
from advisor.sizing import Demand, Sizing, disk_gb, disk_iops, layout_disks, platform_megacycles
from advisor.topology import Shape

_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
# Needs whose cheapest hardware one Hardware keeps before it starts again (about 10 MB at most).
_PRICED_NEEDS = 20_000
# A need's hardware cents: the cheapest hardware's upfront and annual, the least upfront and the
# least annual each (`Hardware._priced`).
_Priced = tuple[int, int, int, int]
# A known design as the pruning reads it: its weight, upfront and annual cents, and downtime.
_Incumbent = tuple[float, int, int, float]


def _name(text: str) -> str:
    """An LP-safe name (letters, digits, underscores)."""
    return _UNSAFE.sub("_", text)


@dataclass(frozen=True)
class Platform:
    """One server as bought: a hardware model with a Windows and an Exchange edition."""

    model: ServerModel
    windows: str
    exchange: str
    price: Cents  # one server: hardware and both licences
    mounts: int  # databases the Exchange edition mounts

    @cached_property
    def key(self) -> str:
        return _name(f"{self.model.item.sku}_{self.windows}_{self.exchange}")


@dataclass(frozen=True)
class Column:
    """One structure with one copy layout, sized through failures or for normal operation."""

    variant: Variant
    layout: Layout
    through_failures: bool
    demand: Demand  # of one mailbox server
    cas_demand: Demand  # of one dedicated Client Access server
    fixed: Cents  # what the structure buys besides its servers: witness server, domain controllers
    # Expected Outlook minutes a year down or slowed (objective min_downtime only; else 0).
    downtime: float = 0.0

    @property
    def servers(self) -> int:
        return self.variant.shape.exchange_servers

    @property
    def cas_servers(self) -> int:
        return self.variant.shape.dedicated_cas_servers

    @property
    def label(self) -> str:
        option = f"a{self.layout.worst_active}c{self.layout.most_copies}"
        mode = "failures" if self.through_failures else "normal"
        return _name(f"design_{self.variant.key}_{option}_{mode}")


@dataclass
class Model:
    """A request's model: its own copy of a kept body's MILP (`Body`), with the request's CALs,
    horizon and budget."""

    body: Body
    milp: Milp
    upfront: Expr
    annual: Expr
    total: Expr
    budget_overrun: int | None

    def lift_budget(self) -> None:
        """Let the cost exceed the budget, to find what the cheapest qualifying design costs."""
        if self.budget_overrun is not None:
            self.milp.set_upper(self.budget_overrun, math.inf)

    def enforce_budget(self) -> None:
        if self.budget_overrun is not None:
            self.milp.set_upper(self.budget_overrun, 0.0)

    def value(self, expr: Expr) -> float:
        """An expression's value in the last solution."""
        return self.milp.of(expr)


class Unsizable(Exception):
    """No structure of the architecture can be sized within the catalog and product limits."""

    def __init__(self, architecture: str, limit: str):
        super().__init__(limit)
        self.architecture = architecture
        self.limit = limit


def platforms(
    catalog: Catalog,
    request: Request,
    windows: tuple[str, ...],
    exchange: tuple[str, ...],
    role: str,
    client_access: bool = False,
) -> list[Platform]:
    """Every way to buy one server of a group: model x Windows edition x Exchange edition."""
    p = request.platform
    rules = catalog.sizing[p.exchange_version]
    limits = catalog.exchange[p.exchange_version].mounted_databases
    found = []
    for model, win, ex in itertools.product(
        catalog.mailbox_server_models(p.exchange_version), windows, exchange
    ):
        if client_access and model.memory_gb < max(
            rules.memory_minimum_gb, rules.client_access_memory_gb_per_core * model.cores
        ):
            continue
        lines = server_group_lines(
            catalog, p.exchange_version, p.windows_version, 1, model.item.sku, win, ex, role
        )
        found.append(Platform(model, win, ex, Cents.of(lines), limits[ex]))
    return found


def columns(
    spec: ArchitectureSpec,
    request: Request,
    catalog: Catalog,
    structures: Sequence[Structure],
    score: Scorer,
    engine: EngineCache,
) -> list[Column]:
    """Every structure with every layout of its servers, in each sizing mode the goals allow: a
    required goal on server failures sizes through failures only, a preferred one lets the model
    weigh both, none sizes for normal operation (the answer then says which failures degrade it)."""
    return [_scored(need, score) for need in _unscored(spec, request, catalog, structures, engine)]


# One column before it is scored: its structure, fixed costs, layout, sizing mode and needs.
_Unscored = tuple[Structure, Cents, Layout, bool, Demand, Demand]


def _unscored(
    spec: ArchitectureSpec,
    request: Request,
    catalog: Catalog,
    structures: Sequence[Structure],
    engine: EngineCache,
) -> list[_Unscored]:
    """`columns` before the simulator scores them (see `columns`), in the same order."""
    rules = catalog.sizing[request.platform.exchange_version]
    version = request.platform.windows_version
    witness = Cents.of(witness_lines(catalog, version))
    asked = {g.failure for g in request.goals}
    modes = (
        (True,) if request.survives_server_required else ((True, False) if "server" in asked else (False,))
    )
    found: list[_Unscored] = []
    table = _needs_table(spec, request, catalog, modes, engine)
    dc_cost: dict[int, Cents] = {}
    for structure in structures:
        shape = structure.shape
        added = structure.domain_controllers_added
        fixed = dc_cost.get(added)
        if fixed is None:
            fixed = dc_cost[added] = Cents.of(domain_controller_lines(catalog, version, added))
        if shape.witness == "buy":
            fixed = fixed + witness
        for layout, through, demand, cas_demand in _needs(spec, shape, request, rules, modes, table, engine):
            found.append((structure, fixed, layout, through, demand, cas_demand))
    return found


def _scored(need: _Unscored, score: Scorer) -> Column:
    """A column with its structure scored: through failures as the simulator says; sized for
    normal operation, a server's failure meets no goal."""
    structure, fixed, layout, through, demand, cas_demand = need
    return assemble(  # a few hundred columns a request (see `assemble`)
        Column,
        variant=score(structure) if through else score.without_server(structure),
        layout=layout,
        through_failures=through,
        demand=demand,
        cas_demand=cas_demand,
        fixed=fixed,
        downtime=0.0,
    )


def chosen_columns(
    spec: ArchitectureSpec,
    request: Request,
    catalog: Catalog,
    structures: Sequence[Structure],
    score: Scorer,
    kit: Hardware,
    engine: EngineCache,
) -> Selection:
    """`select_columns` over `columns`, with only the structures scored whose columns can still be
    chosen (cheapest first): a column is left out, unscored, once a scored one that meets every
    goal, required and preferred, costs no more than the least its own hardware can cost (upfront
    and annual each, strictly less in one). Whatever its score, `select_columns` would leave it
    out: that column beats it, and it beats no column that one does not (so it is never a
    bound of its own). Columns no hardware can size are scored only when none can be: they tell
    only what binds then (see `select_columns`). A cold engine (the CLI, a fresh worker)
    simulates fewer shapes, and a warm one makes fewer columns. Objective min_downtime weighs
    each column's downtime too: use `select_columns` there.

    The argument needs every preferred weight at least 0 (the request schema's range), so that no
    column's weight exceeds `most_weight`; with a negative one, every column is scored."""
    if any(weight < 0 for _, weight in score.preferred):
        return select_columns(
            spec, request, catalog, columns(spec, request, catalog, structures, score, engine), kit
        )
    needs = _unscored(spec, request, catalog, structures, engine)
    priced_of = kit._priced_need
    costs: list[tuple[int, int, int, int, int] | None] = []
    for structure, fixed, _, _, demand, cas_demand in needs:
        shape = structure.shape
        priced = priced_of(demand, shape.exchange_servers, cas_demand, shape.dedicated_cas_servers)
        if priced is None:
            costs.append(None)
        else:
            fu, fa = fixed.upfront, fixed.annual
            costs.append((priced[0] + fu, priced[1] + fa, priced[2] + fu, priced[3] + fa, len(costs)))
    perfect: list[tuple[int, int]] = []  # cheapest costs of scored columns that meet every goal
    most = score.most_weight
    made: dict[int, Column] = {}
    for cost in sorted(c for c in costs if c is not None):
        up, an, floor_up, floor_an, at = cost
        if any(u <= floor_up and a <= floor_an and (u < floor_up or a < floor_an) for u, a in perfect):
            continue
        column = made[at] = _scored(needs[at], score)
        if column.variant.meets_required and column.variant.weight >= most:
            perfect.append((up, an))
    # Some column can be sized, or none can: then every column, for what binds.
    found = [made[at] for at in sorted(made)] if made else [_scored(need, score) for need in needs]
    return select_columns(spec, request, catalog, found, kit)


_Need = tuple[Layout, bool, Demand, Demand]
_NeedsTable = dict[tuple[int, int, int, int], tuple[_Need, ...]]


def _needs_table(
    spec: ArchitectureSpec, request: Request, catalog: Catalog, modes: tuple[bool, ...], engine: EngineCache
) -> _NeedsTable:
    """The structures' needs kept for an architecture at a mailbox count and profile, by server
    counts, databases and copies (see `_needs`): looked up once per request and architecture, so
    each structure's lookup hashes four numbers."""
    key = (
        "needs",
        catalog_key(catalog),
        request.platform.exchange_version,
        spec,
        request.mailboxes,
        request.mailbox_profile,
        modes,
    )
    table: _NeedsTable = engine.needs.get(key, dict)  # type: ignore[assignment]
    return table


def _needs(
    spec: ArchitectureSpec,
    shape: Shape,
    request: Request,
    rules: SizingRules,
    modes: tuple[bool, ...],
    table: _NeedsTable,
    engine: EngineCache,
) -> tuple[_Need, ...]:
    """A structure's layouts, each in each sizing mode with what one mailbox server and one
    Client Access server of it need: worked out once per server counts, databases, copies,
    mailbox count and profile and kept (they depend on neither the goals, the budget, the
    editions, the witness nor the domain controllers)."""
    key = (shape.exchange_servers, shape.dedicated_cas_servers, shape.databases, shape.database_copies)
    found = table.get(key)
    if found is None:
        out = []
        for layout in layouts_of(shape.exchange_servers, shape.databases, shape.database_copies, engine):
            sizing = Sizing(
                spec, layout, shape.dedicated_cas_servers, request.mailboxes, request.mailbox_profile, rules
            )
            for through in modes if shape.exchange_servers > 1 else (False,):
                demand = sizing.demand(through)
                cas_demand = sizing.demand(through, client_access=True)
                out.append(
                    (
                        layout,
                        through,
                        engine.one_of(demand),
                        engine.one_of(cas_demand),
                    )
                )
        # Two threads may both work one out; they are equal, and a dict's item set is atomic.
        found = table[key] = tuple(out)
    return found


def layouts_of(servers: int, databases: int, copies: int, engine: EngineCache) -> tuple[Layout, ...]:
    """A shape's layouts, made once and kept: they depend on the shape alone."""

    def make() -> tuple[Layout, ...]:
        return layouts(servers, databases, copies)

    found: tuple[Layout, ...] = engine.structures.get(("layouts", servers, databases, copies), make)  # type: ignore[assignment]
    return found


@dataclass(frozen=True)
class _Offer:
    """One platform as the pruning bounds read it: its limits and its price as plain numbers."""

    megacycles: float  # usable, within the CPU ceiling
    memory_gb: float
    mounts: int
    bays: int
    price: tuple[int, int]  # one server: (upfront, annual) cents


@dataclass(frozen=True)
class _Disk:
    per_iops: float
    per_gb: float
    price: tuple[int, int]  # one disk


@dataclass(frozen=True)
class Hardware:
    """What the catalog offers an architecture's server groups under a request."""

    mailbox: list[Platform]
    cas: list[Platform]
    disks: list[DiskModel]
    rules: SizingRules
    storage: str
    store: StorageRules
    read_share: float

    @cached_property
    def _offers(self) -> list[_Offer]:
        """The mailbox platforms cheapest first (upfront, then annual)."""
        offers = [
            _Offer(
                platform_megacycles(p.model, self.rules) * self.rules.cpu_ceiling,
                float(p.model.memory_gb),
                p.mounts,
                p.model.disk_bays,
                (p.price.upfront, p.price.annual),
            )
            for p in self.mailbox
        ]
        return sorted(offers, key=lambda o: o.price)

    @cached_property
    def _cas_offers(self) -> list[tuple[float, tuple[int, int]]]:
        offers = [
            (
                platform_megacycles(p.model, self.rules) * self.rules.cpu_ceiling,
                (p.price.upfront, p.price.annual),
            )
            for p in self.cas
        ]
        return sorted(offers, key=lambda o: o[1])

    @cached_property
    def _disks(self) -> list[_Disk]:
        return [
            _Disk(
                disk_iops(d, self.store, self.read_share),
                disk_gb(d, self.store),
                (d.item.price_cents, d.item.annual_cents),
            )
            for d in self.disks
        ]

    @cached_property
    def _most(self) -> tuple[float, float, int, int, float]:
        """The most any mailbox platform offers of CPU, memory, mounts and bays, and the most
        Client Access CPU (each 0 when there is none)."""
        offers, cas = self._offers, self._cas_offers
        return (
            max((o.megacycles for o in offers), default=0.0),
            max((o.memory_gb for o in offers), default=0.0),
            max((o.mounts for o in offers), default=0),
            max((o.bays for o in offers), default=0),
            max((m for m, _ in cas), default=0.0),
        )

    def _count(self, d: Demand, disk: _Disk) -> int:
        """The disks (spares included) one server needs of a model: `least_disks`, inline."""
        data = max(1, math.ceil(max(d.iops / disk.per_iops, d.disk_gb / disk.per_gb) - 1e-9))
        data = max(data, layout_disks(d, self.store))
        if self.store.even_disks and data % 2:
            data += 1
        return data + self.store.spare_disks

    def disk_choices(self, column: Column, bays: int) -> list[int]:
        """The disk models (indices into `disks`) a column's model weighs when its servers hold
        at most `bays` drives: those whose least count fits, without the ones another model beats,
        needing no more bays for no more cost (upfront and annual) at its own least count; a
        model's disks cost its count times its price whichever server holds them, so a beaten
        one can never make a design cheaper (of equals, the first in the catalog stays)."""
        d = column.demand
        fitting = []
        for i, disk in enumerate(self._disks):
            count = self._count(d, disk)
            if count <= bays:
                fitting.append((count * disk.price[0], count * disk.price[1], count, i))
        kept: list[tuple[int, int, int, int]] = []
        for up, an, count, i in sorted(fitting):
            if not any(u <= up and a <= an and c <= count for u, a, c, _ in kept):
                kept.append((up, an, count, i))
        return sorted(i for _, _, _, i in kept)

    def fits(self, column: Column, catalog: Catalog) -> str | None:
        """Why no hardware meets the column's need, or None when some may."""
        why = self._limit(column)
        if why is None and self._priced(column) is None:  # each limit is met by some model, not all by one
            return "CPU, memory and disks together"
        return why

    def _limit(self, column: Column) -> str | None:
        """The first need no hardware meets on its own (CPU, memory, mounts, disks, Client
        Access), or None."""
        d = column.demand
        if not self._offers:
            return "no server model is offered for this Exchange version"
        megacycles, memory_gb, mounts, bays, cas_megacycles = self._most
        if d.megacycles > megacycles + 1e-9:
            return "CPU"
        if d.memory_gb > memory_gb + 1e-9:
            return "memory"
        if d.mounts > mounts:
            return "mounted databases"
        if not any(self._count(d, disk) <= bays for disk in self._disks):
            return "disk IOPS and space"
        if column.cas_servers:
            if not self._cas_offers:
                return "Client Access server memory"
            if column.cas_demand.megacycles > cas_megacycles + 1e-9:
                return "Client Access CPU"
        return None

    def _priced(self, column: Column) -> _Priced | None:
        """(the cheapest hardware of a column by upfront then annual: its upfront and annual
        cents; the least upfront and the least annual cents each) for its servers, or None when
        no hardware meets its need; worked out once per need, as many columns share one (the
        structure's witness and domain controllers aside). Plain integers, as `select_columns`
        adds them to a few hundred columns' fixed costs a request."""
        return self._priced_need(column.demand, column.servers, column.cas_demand, column.cas_servers)

    def _priced_need(self, d: Demand, n: int, cas_demand: Demand, cas_servers: int) -> _Priced | None:
        """`_priced` of a column of `n` mailbox servers of need `d` and `cas_servers` Client
        Access servers of need `cas_demand`."""
        # Needs come from the engine's tables (see `_needs`), one object per need, so they are
        # keyed by identity; the entry holds the objects, so no other can take their ids.
        key = (id(d), n, id(cas_demand), cas_servers)
        cache: dict[tuple[int, int, int, int], tuple[Demand, Demand, _Priced | None]]
        cache = self.__dict__.setdefault("_priced_by_need", {})
        entry = cache.get(key)
        if entry is not None:
            return entry[2]
        best: tuple[int, int] | None = None
        up = an = -1
        # The platforms that meet the need's CPU, memory and mounts, cheapest first.
        meeting = [
            o
            for o in self._offers
            if d.megacycles <= o.megacycles + 1e-9
            and d.memory_gb <= o.memory_gb + 1e-9
            and d.mounts <= o.mounts
        ]
        for disk in self._disks if meeting else ():
            count = self._count(d, disk)
            first = True
            for o in meeting:  # cheapest first: the first whose bays hold the disks is its best
                if count <= o.bays:
                    u = n * (o.price[0] + count * disk.price[0])
                    a = n * (o.price[1] + count * disk.price[1])
                    if first:
                        first = False
                        if best is None or (u, a) < best:
                            best = (u, a)
                    if up < 0 or u < up:
                        up = u
                    if an < 0 or a < an:
                        an = a
        result: _Priced | None = None
        if best is not None:
            if not cas_servers:
                result = (best[0], best[1], up, an)
            else:
                need = cas_demand.megacycles
                cas = [price for mc, price in self._cas_offers if need <= mc + 1e-9]
                if cas:
                    m = cas_servers
                    result = (
                        best[0] + cas[0][0] * m,
                        best[1] + cas[0][1] * m,
                        up + min(c[0] for c in cas) * m,
                        an + min(c[1] for c in cas) * m,
                    )
        if len(cache) >= _PRICED_NEEDS:  # a Hardware is kept across requests (see `hardware`)
            cache.clear()
        cache[key] = (d, cas_demand, result)
        return result

    def offered(self, column: Column, client_access: bool = False) -> list[Platform]:
        """The platforms a column's model weighs for its mailbox (or Client Access) servers:
        those that meet its CPU, memory and mounted-database need, without the ones another
        beats (`_undominated`). This choice is what holds HiGHS's solutions to those needs: the
        rows that state them are implied (written to the .lp file and given to CBC only)."""
        d = column.cas_demand if client_access else column.demand
        ceiling = self.rules.cpu_ceiling
        meeting = [
            p
            for p, megacycles in (self._cas_platforms if client_access else self._mailbox_platforms)
            if d.megacycles <= megacycles * ceiling + 1e-9
            and (client_access or (d.memory_gb <= p.model.memory_gb + 1e-9 and d.mounts <= p.mounts))
        ]
        if client_access:
            return _undominated(meeting, 0)
        # Bays beyond the most disks any disk model needs here (at its least count, spares
        # included) hold nothing a design would buy: more disks than the least never help.
        bays = max((p.model.disk_bays for p in meeting), default=0)
        needed = max((n for n in (self._count(d, disk) for disk in self._disks) if n <= bays), default=0)
        return _undominated(meeting, needed)

    @cached_property
    def _mailbox_platforms(self) -> list[tuple[Platform, float]]:
        return [(p, platform_megacycles(p.model, self.rules)) for p in self.mailbox]

    @cached_property
    def _cas_platforms(self) -> list[tuple[Platform, float]]:
        return [(p, platform_megacycles(p.model, self.rules)) for p in self.cas]


def _undominated(meeting: list[Platform], needed: int) -> list[Platform]:
    """The platforms no other one beats for a need they all meet: once CPU, memory and mounted
    databases are met, a mailbox platform differs from another only in its price (upfront and
    annual) and the drive bays its disks must fit, up to the `needed` bays (the most disks any
    disk model needs for it; a Client Access server holds no mailbox disks, `needed` 0: its
    price alone). One that costs at least as much in both and holds no more of the disks needed
    can never make a design cheaper, so the model leaves it out (of equals, the one with the
    most bays, then the first, stays)."""
    kept: list[Platform] = []
    for p in sorted(meeting, key=lambda p: (p.price.upfront, p.price.annual, -p.model.disk_bays)):
        holds = min(p.model.disk_bays, needed)
        if not any(
            q.price.upfront <= p.price.upfront
            and q.price.annual <= p.price.annual
            and min(q.model.disk_bays, needed) >= holds
            for q in kept
        ):
            kept.append(p)
    return kept


def hardware(
    spec: ArchitectureSpec,
    request: Request,
    catalog: Catalog,
    options: Options,
    engine: EngineCache | None = None,
) -> Hardware:
    """What the catalog offers an architecture under a request. With an `engine`, made once per
    platform, editions and storage and kept there, so each need is priced once per process."""
    if engine is None:
        return _hardware(spec, request, catalog, options)
    p = request.platform
    key = (
        "hardware",
        catalog_key(catalog),
        p.exchange_version,
        p.windows_version,
        spec.dedicated_client_access,
        options.windows_editions,
        options.cas_windows_editions,
        options.exchange_editions,
        request.storage,
    )
    found: Hardware = engine.units.get(key, lambda: _hardware(spec, request, catalog, options))  # type: ignore[assignment]
    return found


def _hardware(spec: ArchitectureSpec, request: Request, catalog: Catalog, options: Options) -> Hardware:
    role = "Mailbox servers" if spec.dedicated_client_access else "Exchange servers"
    return Hardware(
        mailbox=platforms(catalog, request, options.windows_editions, options.exchange_editions, role),
        cas=platforms(
            catalog,
            request,
            options.cas_windows_editions,
            options.exchange_editions,
            CLIENT_ACCESS_ROLE,
            True,
        )
        if spec.dedicated_client_access
        else [],
        disks=catalog.disk_models(request.platform.exchange_version),
        rules=catalog.sizing[request.platform.exchange_version],
        storage=request.storage,
        store=catalog.storage[request.storage],
        read_share=catalog.read_share,
    )


@dataclass
class Selection:
    """The columns of an architecture's model, and whether they meet every required goal (when
    none can, they are the cheapest ones that miss, kept for comparison)."""

    columns: list[Column]
    meets_required: bool
    # Expected Outlook minutes a year a load-balancer model adds (min_downtime; by SKU).
    lb_downtime: dict[str, float] = field(default_factory=dict)


def select_columns(
    spec: ArchitectureSpec,
    request: Request,
    catalog: Catalog,
    found: list[Column],
    kit: Hardware,
) -> Selection:
    """The columns the model weighs: those some hardware can size, meeting every required goal
    if any does, without the ones a known design beats on both costs and preferred weight."""
    # Each sizable column with the cost of its cheapest hardware and the least its hardware can
    # cost (upfront, annual each), its fixed costs added: plain integer cents.
    sizable: list[tuple[Column, int, int, int, int]] = []
    binding: tuple[tuple[int, int, bool], str] | None = None
    priced_of = kit._priced
    for column in found:
        priced = priced_of(column)  # kept per need; None unless one platform meets every limit
        if priced is not None:
            fixed = column.fixed
            fu, fa = fixed.upfront, fixed.annual
            sizable.append((column, priced[0] + fu, priced[1] + fa, priced[2] + fu, priced[3] + fa))
            continue
        # Each limit is met by some model, not all by one, unless one of them is met by none.
        why = kit._limit(column) or "CPU, memory and disks together"
        # What binds is what stops the most capable structure: the most servers, then the most
        # Client Access servers, sized for normal operation before through failures.
        reach = (column.servers, column.cas_servers, not column.through_failures)
        if binding is None or reach > binding[0]:
            binding = (reach, why)
    if not sizable:
        raise Unsizable(spec.name, binding[1] if binding else "the catalog's hardware")
    qualifying = [c for c in sizable if c[0].variant.meets_required]
    pool = qualifying or sizable
    # Known designs (incumbents) bound what a column may cost and still be chosen: a column is
    # left out when one of them has at least its preferred weight for less than the least its
    # own hardware can cost (upfront and annual each), strictly less in one.
    incumbents = _frontier([(c.variant.weight, up, an, c.downtime) for c, up, an, _, _ in pool])
    kept = []
    for column, _, _, floor_up, floor_an in pool:
        weight, downtime = column.variant.weight, column.downtime
        beaten = any(
            w >= weight
            and t <= downtime
            and up <= floor_up
            and an <= floor_an
            and (up < floor_up or an < floor_an)
            for w, up, an, t in incumbents
        )
        if not beaten:
            kept.append(column)
    return Selection(kept, bool(qualifying))


def _frontier(designs: list[_Incumbent]) -> list[_Incumbent]:
    """The designs (weight, upfront cents, annual cents, downtime) no other one beats on weight,
    upfront and annual cost and downtime at once."""
    kept: list[_Incumbent] = []
    for weight, upfront, annual, downtime in sorted(designs, key=lambda d: (d[1], d[2], -d[0], d[3])):
        if not any(w >= weight and u <= upfront and a <= annual and t <= downtime for w, u, a, t in kept):
            kept.append((weight, upfront, annual, downtime))
    return kept


def build_model(
    spec: ArchitectureSpec,
    request: Request,
    catalog: Catalog,
    options: Options,
    kit: Hardware,
    selection: Selection,
    with_budget: bool,
    engine: EngineCache | None = None,
) -> Model:
    """The model for one architecture over the columns `select_columns` chose.

    With an `engine`, the model's body (every variable and row but the budget's) is made once
    per selection, hardware, options and catalog and kept; each request gets a copy with its
    own CALs, horizon and budget (`_instantiate`).

    Each column has its own hardware variables: which platform its servers are (model and
    editions), which disk model and how many data disks each server holds, and (Windows NLB)
    which platform its Client Access servers are. The rows of a column hold its chosen
    hardware to its need; a column not chosen has all its hardware at zero. Written per column,
    the model's relaxation stays tight, so the solver proves its optimum quickly.
    """
    if engine is None:
        made = _body(spec, catalog, options, kit, selection)
    else:
        key = ("model", id(selection), id(kit), catalog_key(catalog), spec, options)
        held: tuple[Selection, Hardware, Body] = engine.models.get(
            key, lambda: (selection, kit, _body(spec, catalog, options, kit, selection))
        )  # type: ignore[assignment]
        made = held[2]
    return _instantiate(made, request, catalog, with_budget)


@dataclass
class Body:
    """A model without what a request adds (CALs, horizon, budget): never solved, only copied.
    Variables are indices into `milp`."""

    spec: ArchitectureSpec
    milp: Milp
    columns: list[tuple[int, Column]]
    platforms: dict[str, tuple[int, Platform]]
    cas_platforms: dict[str, tuple[int, Platform]]
    disks: dict[str, tuple[int, int, DiskModel]]  # sku -> (chosen, data disks)
    load_balancer: dict[str, int]
    upfront: Expr  # without the CALs
    annual: Expr
    weight: Expr
    evenness: Expr
    downtime: Expr  # expected Outlook minutes (min_downtime)
    spares: int
    meets_required: bool
    rules: SizingRules


def _body(
    spec: ArchitectureSpec, catalog: Catalog, options: Options, kit: Hardware, selection: Selection
) -> Body:
    milp = Milp(_name(f"advisor_{spec.name}"))
    var, row = milp.var, milp.row
    rules = kit.rules
    ceiling = rules.cpu_ceiling
    store = catalog.storage[kit.storage]
    spares = store.spare_disks

    up: list[tuple[int, float]] = []
    an: list[tuple[int, float]] = []
    chosen: list[tuple[int, Column]] = []
    servers: dict[str, tuple[int, Platform]] = {}
    cas: dict[str, tuple[int, Platform]] = {}
    disks: dict[str, tuple[int, int, DiskModel]] = {}
    most_bays = max(p.model.disk_bays for p in kit.mailbox)
    disk_facts = [
        (
            disk,
            _name(disk.item.sku),
            Cents.of(disk_lines(catalog, disk.item.sku, 1, "")),
            disk_iops(disk, store, catalog.read_share),
            disk_gb(disk, store),
        )
        for disk in kit.disks
    ]
    for column in selection.columns:
        x = var(column.label)
        chosen.append((x, column))
        tag = column.label.removeprefix("design_")
        n = column.servers
        if column.fixed.upfront or column.fixed.annual:
            up.append((x, column.fixed.upfront))
            an.append((x, column.fixed.annual))
        own = []
        for p in kit.offered(column):
            v = var(f"server_{p.key}_for_{tag}")
            own.append((v, p))
            servers[f"{p.key}_for_{tag}"] = (v, p)
            up.append((v, n * p.price.upfront))
            an.append((v, n * p.price.annual))
        row([(v, 1) for v, _ in own] + [(x, -1)], EQ, 0, f"one_server_platform_{tag}")
        d = column.demand
        suffix = "_through_failures" if column.through_failures else "_normal_operation"
        row(
            [(v, platform_megacycles(p.model, rules) * ceiling) for v, p in own] + [(x, -d.megacycles)],
            GE,
            0,
            f"cpu_within_ceiling{suffix}_{tag}",
            implied=True,
        )
        row(
            [(v, float(p.model.memory_gb)) for v, p in own] + [(x, -d.memory_gb)],
            GE,
            0,
            f"memory{suffix}_{tag}",
            implied=True,
        )
        row(
            [(v, p.mounts) for v, p in own] + [(x, -d.mounts)],
            GE,
            0,
            f"mounted_database_limit_{tag}",
            implied=True,
        )
        picks = []
        for choice in kit.disk_choices(column, max(p.model.disk_bays for _, p in own)):
            disk, sku, price, iops, gb = disk_facts[choice]
            picked = var(f"disk_{sku}_for_{tag}")
            data = var(f"data_disks_{sku}_for_{tag}", 0, most_bays)
            row([(data, 1), (picked, -most_bays)], LE, 0, f"disks_of_one_model_{sku}_{tag}")
            if store.even_disks:
                pairs = var(f"disk_pairs_{sku}_for_{tag}", 0, most_bays // 2)
                row([(data, 1), (pairs, -2)], EQ, 0, f"raid_10_pairs_{sku}_{tag}")
            # What the IOPS, space and JBOD rows below ask of this model's disks, counted out
            # (`least_disks`): those rows hold wherever this one does, so HiGHS gets this alone.
            least = kit._count(d, kit._disks[choice]) - spares
            row([(data, 1), (picked, -least)], GE, 0, f"least_data_disks_{sku}_{tag}")
            picks.append((picked, data, iops, gb))
            disks[f"{disk.item.sku}_for_{tag}"] = (picked, data, disk)
            up.extend([(data, n * price.upfront), (picked, n * spares * price.upfront)])
            an.extend([(data, n * price.annual), (picked, n * spares * price.annual)])
        row([(picked, 1) for picked, _, _, _ in picks] + [(x, -1)], EQ, 0, f"one_disk_model_{tag}")
        row(
            [(data, iops) for _, data, iops, _ in picks] + [(x, -d.iops)],
            GE,
            0,
            f"disk_iops{suffix}_{tag}",
            implied=True,
        )
        row(
            [(data, gb) for _, data, _, gb in picks] + [(x, -d.disk_gb)],
            GE,
            0,
            f"disk_space_for_every_copy_{tag}",
            implied=True,
        )
        if need := layout_disks(d, store):
            row(
                [(data, 1) for _, data, _, _ in picks] + [(x, -need)],
                GE,
                0,
                f"jbod_copies_and_actives_per_disk_{tag}",
                implied=True,
            )
        row(
            [(data, 1) for _, data, _, _ in picks]
            + [(picked, spares) for picked, _, _, _ in picks]
            + [(v, -p.model.disk_bays) for v, p in own],
            LE,
            0,
            f"disks_fit_the_bays_{tag}",
        )
        if column.cas_servers:
            m = column.cas_servers
            mine = []
            for p in kit.offered(column, client_access=True):
                v = var(f"cas_server_{p.key}_for_{tag}")
                mine.append((v, p))
                cas[f"{p.key}_for_{tag}"] = (v, p)
                up.append((v, m * p.price.upfront))
                an.append((v, m * p.price.annual))
            row([(v, 1) for v, _ in mine] + [(x, -1)], EQ, 0, f"one_client_access_platform_{tag}")
            row(
                [(v, platform_megacycles(p.model, rules) * ceiling) for v, p in mine]
                + [(x, -column.cas_demand.megacycles)],
                GE,
                0,
                f"client_access_cpu_within_ceiling{suffix}_{tag}",
                implied=True,
            )
    row([(x, 1) for x, _ in chosen], EQ, 1, "choose_one_design")

    lb = {sku: var(_name(f"load_balancer_{sku}")) for sku in options.load_balancer_models}
    if lb:
        row([(b, 1) for b in lb.values()], EQ, 1, "one_load_balancer_model")
        for sku, b in lb.items():
            cost = Cents.of(load_balancer_lines(catalog, sku, spec.load_balancer_units))
            up.append((b, cost.upfront))
            an.append((b, cost.annual))

    downtime = Expr.of(
        [(x, c.downtime) for x, c in chosen if c.downtime]
        + [(b, selection.lb_downtime[sku]) for sku, b in lb.items() if selection.lb_downtime.get(sku)]
    )
    evenness = Expr.of([(x, c.layout.worst_active / max(1, c.variant.shape.databases)) for x, c in chosen])
    milp.order()  # worked out once: every copy keeps it, placing what it adds
    return Body(
        spec,
        milp,
        chosen,
        servers,
        cas,
        disks,
        lb,
        Expr.of(up),
        Expr.of(an),
        Expr.of([(x, c.variant.weight) for x, c in chosen if c.variant.weight]),
        evenness,
        downtime,
        spares,
        selection.meets_required,
        rules,
    )


def _instantiate(body: Body, request: Request, catalog: Catalog, with_budget: bool) -> Model:
    """A request's own copy of a model's body, with its CALs, horizon and budget."""
    milp = body.milp.copy()
    cals = Cents.of(cal_lines(catalog, request))
    upfront = Expr(dict(body.upfront.terms), cals.upfront)
    annual = Expr(dict(body.annual.terms), cals.annual)
    total = upfront + request.horizon_years * annual
    overrun = None
    if with_budget:
        # Fixed at zero, the overrun makes this a hard budget; lift_budget() frees it.
        overrun = milp.var("budget_overrun", 0, 0, integer=False)
        measure = total if request.budget.applies_to == "total" else upfront
        milp.constrain(
            measure - Expr({overrun: 1.0}),
            LE,
            request.budget.amount_cents,
            f"budget_{request.budget.applies_to}",
        )
    return Model(body, milp, upfront, annual, total, overrun)


def _chosen(table: dict[str, int], milp: Milp) -> str:
    return max(table, key=lambda k: milp.solved(table[k]))


def extract_design(model: Model) -> tuple[Design, Column]:
    """Read the solved model back as a concrete design."""
    milp = model.milp
    solved = milp.solved
    column = max(model.body.columns, key=lambda pair: solved(pair[0]))[1]
    shape = column.variant.shape
    tag = "_for_" + column.label.removeprefix("design_")
    server = max(
        (pair for key, pair in model.body.platforms.items() if key.endswith(tag)),
        key=lambda pair: solved(pair[0]),
    )[1]
    _, data, disk = max(
        (triple for key, triple in model.body.disks.items() if key.endswith(tag)),
        key=lambda triple: solved(triple[0]),
    )
    cas = (
        max(
            (pair for key, pair in model.body.cas_platforms.items() if key.endswith(tag)),
            key=lambda pair: solved(pair[0]),
        )[1]
        if column.cas_servers
        else None
    )
    design = Design(
        spec=model.body.spec,
        exchange_servers=shape.exchange_servers,
        dedicated_cas_servers=shape.dedicated_cas_servers,
        witness=shape.witness,
        windows_edition=server.windows,
        exchange_edition=server.exchange,
        server_model=server.model.item.sku,
        database_copies=shape.database_copies,
        domain_controllers_added=column.variant.domain_controllers_added,
        load_balancer_model=_chosen(model.body.load_balancer, milp) if model.body.load_balancer else None,
        cas_server_model=cas.model.item.sku if cas else None,
        cas_windows_edition=cas.windows if cas else None,
        cas_exchange_edition=cas.exchange if cas else None,
        disk_model=disk.item.sku,
        disks_per_server=round(solved(data)) + model.body.spares,
        layout=column.layout.databases,
    )
    return design, column
