"""Which architectures a request allows, their structures, and each one scored by the simulator."""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.catalog.model import Catalog
from advisor.catalog.support import platform_problems
from advisor.domain import ArchitectureSpec, Request, windows_name
from advisor.failures import Analysis, Simulator
from advisor.optimizer.cache import EngineCache, catalog_key
from advisor.topology import Shape


@dataclass(frozen=True)
class Options:
    """What the product rules leave open for one architecture under one request."""

    windows_editions: tuple[str, ...]  # for Exchange (mailbox or multi-role) servers
    cas_windows_editions: tuple[str, ...]
    exchange_editions: tuple[str, ...]
    load_balancer_models: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Structure:
    """One way to lay an architecture out: server counts, witness and domain controllers.

    Structures are made once per catalog and request fields (see `structures`) and shared, so
    they compare by identity: a request's scores are looked up without hashing the shape.
    """

    shape: Shape
    domain_controllers_added: int
    # The shape's outages, once the simulator gave them (see `outages`).
    _outages: frozenset[tuple[str, str]] | None = field(default=None, init=False, repr=False)
    # The structure scored against the goal sets requests asked of it (see `Scorer`).
    _variants: dict[object, Variant] = field(default_factory=dict, init=False, repr=False)

    def outages(self, simulator: Simulator) -> frozenset[tuple[str, str]]:
        """The (failure, service) pairs the shape has an outage for, asked of the simulator once
        per structure: a structure belongs to the engine whose simulator scores it (see
        `structures`), and every request that weighs it reads them again."""
        found = self._outages
        if found is None:
            found = simulator.outages(self.shape)
            object.__setattr__(self, "_outages", found)
        return found


@dataclass(frozen=True)
class Variant:
    """One structure, scored against a request's goals by the failure simulator."""

    shape: Shape
    domain_controllers_added: int
    meets_required: bool
    weight: float  # preferred weight met, per the simulator
    simulator: Simulator = field(compare=False, repr=False)

    @property
    def analysis(self) -> Analysis:
        return self.simulator.analysis(self.shape)

    @property
    def key(self) -> str:
        s = self.shape
        return f"n{s.exchange_servers}_m{s.dedicated_cas_servers}_dc{self.domain_controllers_added}"


# How many goal sets' scores a structure keeps: requests with the same goals share them.
_GOAL_SETS_KEPT = 64


class Scorer:
    """Scores structures against one request's goals, simulating each shape on first use only.

    The optimizer asks for the scores of the structures that can still matter, cheapest first
    (see `advisor.optimizer.model`); simulated outages are kept per shape by the simulator, and
    each structure keeps its scores under the goals as this scorer reads them, so requests
    with the same goals (whatever else differs) score it once.
    """

    def __init__(self, request: Request, simulator: Simulator):
        pairs = request.goal_pairs()
        self.simulator = simulator
        self.required = frozenset(pair for pair, g in pairs.items() if g.priority == "required")
        self.preferred = tuple((pair, g.weight) for pair, g in pairs.items() if g.priority == "preferred")
        self.most_weight: float = sum(w for _, w in self.preferred)
        self._goals = (self.required, self.preferred)

    def weight_without_server(self, structure: Structure) -> float:
        """The preferred weight a structure meets when its servers are sized for normal operation
        only: a server's failure then leaves the services degraded, which meets no goal."""
        outages = structure.outages(self.simulator)
        return sum(w for pair, w in self.preferred if pair not in outages and pair[0] != "server")

    def __call__(self, structure: Structure) -> Variant:
        """The structure scored as the simulator says (its servers sized through failures)."""
        return self._kept(structure, True)

    def without_server(self, structure: Structure) -> Variant:
        """The structure scored with its servers sized for normal operation only (see
        `weight_without_server`)."""
        return self._kept(structure, False)

    def _kept(self, structure: Structure, through: bool) -> Variant:
        key = (self._goals, through)
        kept = structure._variants
        found = kept.get(key)
        if found is None or found.simulator is not self.simulator:
            outages = structure.outages(self.simulator)
            found = Variant(
                structure.shape,
                structure.domain_controllers_added,
                self.required.isdisjoint(outages),
                sum(w for pair, w in self.preferred if pair not in outages)
                if through
                else self.weight_without_server(structure),
                self.simulator,
            )
            if len(kept) >= _GOAL_SETS_KEPT:
                kept.clear()
            kept[key] = found  # two threads may both score it; they are equal
        return found


@dataclass(frozen=True)
class Forbidden:
    """A product rule that rules an architecture out, and the request field it is about."""

    field: str
    reason: str


def allowed(spec: ArchitectureSpec, request: Request, catalog: Catalog) -> Options | Forbidden:
    """The editions and models a request leaves for an architecture, or the rule that forbids it."""
    p = request.platform
    # The service refuses such a pair before it optimizes; what forbids it reads the same here.
    problems = platform_problems(p.exchange_version, p.windows_version, catalog)
    if problems:
        first = problems[0]
        return Forbidden(first.field, first.message[0].upper() + first.message[1:] + ".")
    facts = catalog.exchange[p.exchange_version]
    priced = catalog.windows_editions_for(p.windows_version)
    if p.windows_edition != "any" and p.windows_edition not in priced:
        exists = p.windows_edition in catalog.windows_editions.get(p.windows_version, ())
        why = (
            "the catalog has no price for it"
            if exists
            else f"that edition does not exist (rule {catalog.windows_editions_rule})"
        )
        return Forbidden(
            "windows.edition",
            f"Windows Server {windows_name(p.windows_version)} {p.windows_edition.title()} cannot be used: "
            f"{why}.",
        )
    editions = priced if p.windows_edition == "any" else (p.windows_edition,)
    cas_editions = editions
    if spec.dag:
        clustering = catalog.clustering_editions(p.windows_version)
        editions = tuple(e for e in editions if e in clustering)
        if not editions:
            fixed = p.windows_edition.title() if p.windows_edition != "any" else "in any priced edition"
            return Forbidden(
                "windows.edition",
                f"Every DAG member needs Windows failover clustering, which Windows "
                f"Server {windows_name(p.windows_version)} {fixed} does not include; it needs "
                f"{' or '.join(e.title() for e in clustering) or 'an edition the catalog lacks'} "
                f"(rule {catalog.windows_clustering_rule}).",
            )
    ex_editions = tuple(e for e in facts.editions if (p.exchange_version, e) in catalog.exchange_servers)
    if p.exchange_edition != "any":
        if p.exchange_edition not in ex_editions:
            return Forbidden(
                "exchange.edition",
                f"Exchange {p.exchange_version} {p.exchange_edition} has no price in "
                f"the catalog {catalog.id!r}.",
            )
        ex_editions = (p.exchange_edition,)
    models: tuple[str, ...] = ()
    if spec.load_balancer_units:
        models = tuple(
            sku for sku, lb in sorted(catalog.load_balancers.items()) if not spec.ha_pair or lb.ha_pair
        )
        if not models:
            return Forbidden(
                "catalog",
                f"The catalog {catalog.id!r} has no load balancer that can "
                "form an active/standby pair (rule lb.ha_pair).",
            )
    return Options(editions, cas_editions, ex_editions, models)


def structures(
    spec: ArchitectureSpec, request: Request, catalog: Catalog, cache: EngineCache
) -> tuple[Structure, ...]:
    """Every structure the optimizer may choose for an architecture, not yet simulated.

    They depend on a few request fields only, so they are kept per catalog and those fields.
    """
    env = request.environment
    key = (
        "structures",
        catalog_key(catalog),
        spec,
        request.database_copies,
        request.platform.exchange_version,
        request.databases,
        env.domain_controllers,
        env.witness_host,
        env.sites,
    )
    found = cache.structures.get(key, lambda: _structures(catalog, spec, *key[3:]))
    return found  # type: ignore[return-value]


def enumerate_variants(
    spec: ArchitectureSpec, request: Request, catalog: Catalog, cache: EngineCache
) -> list[Variant]:
    """Every structure of an architecture, each simulated and scored against the goals."""
    score = Scorer(request, cache.simulator)
    return [score(s) for s in structures(spec, request, catalog, cache)]


def _structures(
    catalog: Catalog,
    spec: ArchitectureSpec,
    copies: int,
    exchange_version: str,
    databases: int,
    existing: int,
    witness_host: str,
    sites: int,
) -> tuple[Structure, ...]:
    """Every structure of an architecture.

    A DAG of fewer members than the copies asked for, or whose database copies no edition can
    mount, is no design at all and is left out.
    """
    counts = list(range(2, catalog.dag_max_members + 1)) if spec.dag else [1]
    cas_counts = (
        list(range(spec.min_client_access_servers, catalog.policy.max_dedicated_cas_servers + 1))
        if spec.dedicated_client_access
        else [0]
    )
    dc_options = sorted({max(0, 1 - existing), max(0, 2 - existing)})
    dc_options = [a for a in dc_options if a <= catalog.policy.max_added_domain_controllers]
    limit = max(catalog.exchange[exchange_version].mounted_databases.values(), default=0)
    copies_for = {n: copies if spec.dag else 1 for n in counts}
    counts = [n for n in counts if n >= copies_for[n] and copies_for[n] * databases <= limit * n]
    found = []
    for n in counts:
        for m in cas_counts:
            for added in dc_options:
                shape = Shape(
                    spec=spec,
                    exchange_servers=n,
                    dedicated_cas_servers=m,
                    witness=spec.witness_for(n, witness_host),
                    domain_controllers=existing + added,
                    databases=databases,
                    database_copies=copies_for[n],
                    sites=sites,
                )
                found.append(Structure(shape, added))
    return tuple(found)


def default_copies(request: Request, servers: int) -> int:
    """Copies of each database a design of `servers` Exchange servers holds: the request's, at
    most one per server (one server holds each database once)."""
    return min(request.database_copies, servers) if servers > 1 else 1
