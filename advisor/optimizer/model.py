"""The MILP for one architecture, built in named steps: designs, load balancer, cost, budget.

Each column of the model is one way to build the architecture: a structure (server counts,
witness, added domain controllers) whose goal coverage the failure simulator has decided,
sized with one hardware model and one Windows and Exchange edition per server group. Columns
are generated only where the servers carry the mailboxes and the edition mounts the database
copies, and a column that another one matches or beats on upfront cost, annual cost and
preferred weight is dropped, since it can be in no best design whatever the objective or
budget. The model then chooses one column and one load-balancer model under the budget.
Constraints are named for what they hold, so the written .lp file reads as the model's
documentation (`advisor recommend --write-lp DIR`).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pulp

from advisor.catalog.model import Catalog
from advisor.domain import ArchitectureSpec, Design, Request
from advisor.optimizer.cache import EngineCache, catalog_key
from advisor.optimizer.variants import Options, Scorer, Structure, Variant
from advisor.pricing import (
    Cents,
    cal_lines,
    domain_controller_lines,
    load_balancer_lines,
    server_group_lines,
    witness_lines,
)

_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


def _name(text: str) -> str:
    """An LP-safe name (letters, digits, underscores)."""
    return _UNSAFE.sub("_", text)


def _sum(terms: list[tuple[pulp.LpVariable, float]], constant: float = 0.0) -> pulp.LpAffineExpression:
    """A linear expression from (variable, coefficient) pairs, without PuLP's operator overhead."""
    return pulp.LpAffineExpression(terms, constant)


@dataclass(frozen=True)
class Sizing:
    """One server group's hardware model and editions, with what they cost and carry."""

    model: str
    windows: str
    exchange: str
    upfront_cents: int
    annual_cents: int
    carries: int  # mailboxes the group carries (after one failure, when a goal names servers)
    mounts: int  # database copies the group may mount


@dataclass(frozen=True)
class Column:
    """One concrete way to build the architecture, before the load balancer is chosen."""

    variant: Variant
    mailbox: Sizing
    cas: Sizing | None
    upfront_cents: int
    annual_cents: int

    @property
    def label(self) -> str:
        parts = [self.variant.key, self.mailbox.model, self.mailbox.windows, self.mailbox.exchange]
        if self.cas:
            parts += ["cas", self.cas.model, self.cas.windows, self.cas.exchange]
        return _name("design_" + "__".join(parts))


@dataclass
class Model:
    spec: ArchitectureSpec
    problem: pulp.LpProblem
    columns: list[tuple[pulp.LpVariable, Column]]
    load_balancer: dict[str, pulp.LpVariable]
    upfront: pulp.LpAffineExpression
    annual: pulp.LpAffineExpression
    total: pulp.LpAffineExpression
    weight: pulp.LpAffineExpression
    budget_overrun: pulp.LpVariable | None

    def lift_budget(self) -> None:
        """Let the cost exceed the budget, to find what the cheapest qualifying design costs."""
        if self.budget_overrun is not None:
            self.budget_overrun.upBound = None

    def enforce_budget(self) -> None:
        if self.budget_overrun is not None:
            self.budget_overrun.upBound = 0

    def least(self, expression: pulp.LpAffineExpression) -> float:
        """The least value one of the model's cost expressions takes, the budget aside.

        A design is one column and one load-balancer model, each chosen by an equality to one,
        and every other row of the model holds for each column alone (the columns are generated
        so), so the least is the constant plus the cheapest column's and the cheapest load
        balancer's coefficients: what the MILP would find with the budget lifted.
        """
        least = float(expression.constant)
        least += min(float(expression.get(x, 0.0)) for x, _ in self.columns)
        if self.load_balancer:
            least += min(float(expression.get(b, 0.0)) for b in self.load_balancer.values())
        return least


class Unsizable(Exception):
    """No structure of the architecture can be sized within the catalog and product limits."""


@dataclass(frozen=True)
class _Unit:
    """One server equipped with a hardware model, a Windows and an Exchange edition."""

    model: str
    windows: str
    exchange: str
    upfront_cents: int
    annual_cents: int
    mailboxes: int
    mounts: int


def _units(
    catalog: Catalog,
    windows_version: str,
    exchange_version: str,
    windows: tuple[str, ...],
    exchange: tuple[str, ...],
    cache: EngineCache,
) -> tuple[_Unit, ...]:
    """Every way to equip one server, priced once per catalog and platform; cheapest upfront
    first, then by annual cost and name (a server count scales both costs alike, so this is also
    the order of the sizings built from them)."""
    key = ("units", catalog_key(catalog), windows_version, exchange_version, windows, exchange)

    def make() -> tuple[_Unit, ...]:
        limits = catalog.exchange[exchange_version].mounted_databases
        found = []
        for server, edition, product in itertools.product(
            catalog.exchange_servers_models(), windows, exchange
        ):
            one = Cents.of(
                server_group_lines(
                    catalog, exchange_version, windows_version, 1, server.item.sku, edition, product, ""
                )
            )
            found.append(
                _Unit(
                    server.item.sku,
                    edition,
                    product,
                    one.upfront,
                    one.annual,
                    server.mailboxes,
                    limits[product],
                )
            )
        return tuple(
            sorted(found, key=lambda u: (u.upfront_cents, u.annual_cents, u.model, u.windows, u.exchange))
        )

    found = cache.units.get(key, make)
    return found  # type: ignore[return-value]


def _sizings(
    count: int,
    request: Request,
    catalog: Catalog,
    windows: tuple[str, ...],
    exchange: tuple[str, ...],
    survive_one: bool,
    copies: int,
    cache: EngineCache,
) -> list[Sizing]:
    """Every undominated way to equip `count` servers that carries the load and the limits."""
    p = request.platform
    carrying = count - 1 if survive_one and count > 1 else count
    needed = math.ceil(copies * request.databases / count) if copies else 0
    kept: list[Sizing] = []
    for u in _units(catalog, p.windows_version, p.exchange_version, windows, exchange, cache):
        if u.mailboxes * carrying < request.mailboxes or u.mounts < needed:
            continue
        # Cheapest upfront first: one is worth keeping only when it is cheaper a year than
        # every one kept before it (otherwise a kept one beats or ties it on both).
        if kept and kept[-1].annual_cents <= count * u.annual_cents:
            continue
        kept.append(
            Sizing(
                u.model,
                u.windows,
                u.exchange,
                count * u.upfront_cents,
                count * u.annual_cents,
                u.mailboxes * carrying,
                count * u.mounts,
            )
        )
    return kept


SizingCache = dict[tuple[object, ...], list[Sizing]]


Bundle = tuple[int, int, int, Structure, Sizing, "Sizing | None"]  # upfront, annual, order, ...


def _bundles(
    request: Request,
    catalog: Catalog,
    options: Options,
    structures: Sequence[Structure],
    survive: bool,
    cache: SizingCache,
    engine: EngineCache,
) -> list[Bundle]:
    """Every structure with every undominated sizing of its server groups, priced and sorted
    cheapest first by upfront then annual cost (ties in the order generated)."""
    version = request.platform.windows_version
    witness = Cents.of(witness_lines(catalog, version))
    bundles: list[Bundle] = []
    for structure in structures:
        shape = structure.shape
        n, m, copies = shape.exchange_servers, shape.dedicated_cas_servers, shape.database_copies
        mailbox_key = (n, options.windows_editions, options.exchange_editions, survive, copies)
        if mailbox_key not in cache:
            cache[mailbox_key] = _sizings(n, request, catalog, *mailbox_key[1:], engine)
        cas_choices: list[Sizing | None] = [None]
        if m:
            cas_key = (m, options.cas_windows_editions, options.exchange_editions, survive, 0)
            if cas_key not in cache:
                cache[cas_key] = _sizings(m, request, catalog, *cas_key[1:], engine)
            cas_choices = list(cache[cas_key])
        fixed = Cents.of(domain_controller_lines(catalog, version, structure.domain_controllers_added))
        if shape.witness == "buy":
            fixed = fixed + witness
        for mailbox in cache[mailbox_key]:
            for cas in cas_choices:
                up = mailbox.upfront_cents + (cas.upfront_cents if cas else 0) + fixed.upfront
                an = mailbox.annual_cents + (cas.annual_cents if cas else 0) + fixed.annual
                bundles.append((up, an, len(bundles), structure, mailbox, cas))
    bundles.sort()  # the order numbers are unique, so no two bundles compare past them
    return bundles


@dataclass
class Selection:
    """The columns of an architecture's model, and whether they meet every required goal (when
    no structure can, they are the cheapest ones that miss, kept for comparison)."""

    columns: list[Column]
    meets_required: bool


def select_columns(
    spec: ArchitectureSpec,
    request: Request,
    catalog: Catalog,
    options: Options,
    structures: Sequence[Structure],
    score: Scorer,
    engine: EngineCache,
    cache: SizingCache | None = None,
) -> Selection:
    """The columns no other one matches or beats on upfront cost, annual cost and preferred
    weight, among those meeting every required goal (or among all, when none does).

    Every objective of every stage (see `advisor.optimizer.optimize`) prefers lower costs and a
    higher preferred weight, and the budget only ever caps costs, so a dominated column can be
    in no best design: the one that dominates it is at least as good under any objective and
    budget. Bundles are walked cheapest first and a structure is simulated only when its
    bundle could still join the columns: once a kept column costs no more and meets every
    preferred goal, nothing after it can, so most large structures are never simulated.

    Raises Unsizable when no structure can be sized, or when some structure meets every
    required goal but none of those can be. `cache` shares sizings between the architectures
    of one request.
    """
    survive = survives_a_server(spec, request)
    bundles = _bundles(request, catalog, options, structures, survive, {} if cache is None else cache, engine)
    qualifying: list[Column] = []
    missing: list[Column] = []
    settled = math.inf  # the least annual cost of a kept column that meets every goal asked
    for up, an, _, structure, mailbox, cas in bundles:
        if an >= settled:
            continue
        variant = score(structure)
        if not variant.meets_required and qualifying:
            continue
        pool = qualifying if variant.meets_required else missing
        if not any(c.annual_cents <= an and c.variant.weight >= variant.weight for c in pool):
            pool.append(Column(variant, mailbox, cas, up, an))
            if variant.meets_required and variant.weight >= score.most_weight:
                settled = an
    if qualifying:
        return Selection(_undominated(qualifying), True)
    if not missing or any(score(s).meets_required for s in structures):
        raise Unsizable(spec.name)
    return Selection(_undominated(missing), False)


def _undominated(columns: list[Column]) -> list[Column]:
    """Drop the columns another one matches or beats on both costs and weight; of exact ties
    the first is kept. (The walk in `select_columns` keeps at most a few columns, but one it
    kept can be beaten by a later one of equal costs and more weight.)"""
    ordered = sorted(columns, key=lambda c: (c.upfront_cents, c.annual_cents, -c.variant.weight))
    kept: list[Column] = []
    for column in ordered:
        weight = column.variant.weight
        if not any(k.annual_cents <= column.annual_cents and k.variant.weight >= weight for k in kept):
            kept.append(column)
    return kept


def survives_a_server(spec: ArchitectureSpec, request: Request) -> bool:
    """A design that claims to survive a server failure is sized for it."""
    return spec.dag and any(g.failure == "server" for g in request.goals)


def build_model(
    spec: ArchitectureSpec,
    request: Request,
    catalog: Catalog,
    options: Options,
    columns: list[Column],
    with_budget: bool,
) -> Model:
    """The model for one architecture over the columns `select_columns` chose.

    Every cost coefficient is the sum of the lines `advisor.pricing` gives the part the
    variable stands for, so the optimum's cost is its bill of materials' by construction.
    """
    survive = survives_a_server(spec, request)
    problem = pulp.LpProblem(_name(f"advisor_{spec.name}"), pulp.LpMinimize)
    chosen = [(problem.add_variable(c.label, cat="Binary"), c) for c in columns]

    def add(terms: list[tuple[pulp.LpVariable, float]], sense: int, rhs: float, name: str) -> None:
        problem.addConstraint(pulp.LpConstraint(_sum(terms), sense, name, rhs))

    add([(x, 1) for x, _ in chosen], pulp.LpConstraintEQ, 1, "choose_one_design")
    # Redundant with the columns generated; stated so the .lp file shows the limits they obey.
    suffix = "_after_one_server_fails" if survive else ""
    add(
        [(x, c.mailbox.carries) for x, c in chosen],
        pulp.LpConstraintGE,
        request.mailboxes,
        f"exchange_servers_carry_every_mailbox{suffix}",
    )
    add(
        [(x, c.mailbox.mounts - c.variant.shape.database_copies * request.databases) for x, c in chosen],
        pulp.LpConstraintGE,
        0,
        "mounted_database_limit_per_server",
    )
    if any(c.cas for _, c in chosen):
        add(
            [(x, c.cas.carries) for x, c in chosen if c.cas],
            pulp.LpConstraintGE,
            request.mailboxes,
            f"cas_servers_carry_every_mailbox{suffix}",
        )

    lb = {
        sku: problem.add_variable(_name(f"load_balancer_{sku}"), cat="Binary")
        for sku in options.load_balancer_models
    }
    if lb:
        add([(b, 1) for b in lb.values()], pulp.LpConstraintEQ, 1, "one_load_balancer_model")

    lb_cost = {k: Cents.of(load_balancer_lines(catalog, k, spec.load_balancer_units)) for k in lb}
    cals = Cents.of(cal_lines(catalog, request))
    upfront = _sum(
        [(x, c.upfront_cents) for x, c in chosen] + [(b, lb_cost[k].upfront) for k, b in lb.items()],
        cals.upfront,
    )
    annual = _sum(
        [(x, c.annual_cents) for x, c in chosen] + [(b, lb_cost[k].annual) for k, b in lb.items()],
        cals.annual,
    )
    total = upfront + request.horizon_years * annual
    weight = _sum([(x, c.variant.weight) for x, c in chosen if c.variant.weight])
    overrun = None
    if with_budget:
        # Fixed at zero, the overrun makes this a hard budget; lift_budget() frees it.
        overrun = problem.add_variable("budget_overrun", 0, 0)
        measure = total if request.budget.applies_to == "total" else upfront
        problem.addConstraint(
            pulp.LpConstraint(
                _sum([*measure.items(), (overrun, -1)], measure.constant),
                pulp.LpConstraintLE,
                f"budget_{request.budget.applies_to}",
                request.budget.amount_cents,
            )
        )
    return Model(spec, problem, chosen, lb, upfront, annual, total, weight, overrun)


def _chosen(table: dict[str, pulp.LpVariable]) -> str:
    return max(table, key=lambda k: table[k].value() or 0.0)


def extract_design(model: Model) -> tuple[Design, Variant]:
    """Read the solved model back as a concrete design."""
    column = max(model.columns, key=lambda pair: pair[0].value() or 0.0)[1]
    shape = column.variant.shape
    cas = column.cas
    design = Design(
        spec=model.spec,
        exchange_servers=shape.exchange_servers,
        dedicated_cas_servers=shape.dedicated_cas_servers,
        witness=shape.witness,
        windows_edition=column.mailbox.windows,
        exchange_edition=column.mailbox.exchange,
        server_model=column.mailbox.model,
        database_copies=shape.database_copies,
        domain_controllers_added=column.variant.domain_controllers_added,
        load_balancer_model=_chosen(model.load_balancer) if model.load_balancer else None,
        cas_server_model=cas.model if cas else None,
        cas_windows_edition=cas.windows if cas else None,
        cas_exchange_edition=cas.exchange if cas else None,
    )
    return design, column.variant
