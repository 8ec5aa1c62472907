"""An exhaustive search over every design of an architecture, to hold the MILP's optimum to.

Every structure (server counts, witness, domain controllers), every copy layout of its servers
(each database's copies on distinct servers in every order: all of them, not the ones
`advisor.layout` builds), every server model with every Windows and Exchange edition, every disk
model in every count the bays hold, every Client Access platform and load-balancer model. A
design counts when its hardware covers what `Sizing.demand` says its layout needs; it meets the
server goals the simulator gives its structure when it is sized through failures, and none
of them when it is sized for normal operation only. It is priced by `bill_of_materials`.

Only small shapes are searched (up to 4 servers, 8 databases, 3 copies): the layouts grow as
(servers!/(servers-copies)!)^databases / databases!.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import cache

from advisor.architectures import spec
from advisor.catalog import Catalog
from advisor.domain import Design, Request
from advisor.layout import Layout
from advisor.optimizer import EngineCache
from advisor.optimizer.variants import Forbidden, Scorer, allowed, structures
from advisor.pricing import Cents, bill_of_materials, disk_lines, load_balancer_lines, server_group_lines
from advisor.sizing import Capacity, Demand, Sizing, capacity

MOST_LAYOUTS = 80_000  # multisets of copy placements a shape may have to be searched


def searchable(servers: int, databases: int, copies: int) -> bool:
    placements = math.perm(servers, copies)
    return math.comb(placements + databases - 1, databases) <= MOST_LAYOUTS


@cache
def every_layout(servers: int, databases: int, copies: int) -> tuple[Layout, ...]:
    """One layout for each (most active after a failure, most active normally, most copies)
    any layout of the shape has: what `Sizing.demand` depends on. Databases are alike, so a
    layout is a multiset of placements."""
    placements = list(itertools.permutations(range(servers), copies))
    found: dict[tuple[int, int, int], Layout] = {}
    for combo in itertools.combinations_with_replacement(placements, databases):
        layout = Layout(servers, combo)
        key = (layout.worst_active, max(layout.active_on()), layout.most_copies)
        found.setdefault(key, layout)
    return tuple(found.values())


def covers(cap: Capacity, need: Demand) -> bool:
    return (
        need.megacycles <= cap.usable_megacycles + 1e-6
        and need.memory_gb <= cap.memory_gb + 1e-6
        and need.iops <= cap.iops + 1e-6
        and need.disk_gb <= cap.disk_gb + 1e-6
        and need.mounts <= cap.mounts
    )


@dataclass(frozen=True)
class Found:
    """The best design of an architecture by the request's objective, and what it costs."""

    design: Design
    total_cents: int
    measure_cents: int  # by the budget's measure
    weight: float


def better(a: Found, b: Found | None, objective: str) -> bool:
    """min_cost: the lowest total, then the most weight; max_goals: the most weight, then total."""
    if b is None:
        return True
    if objective == "max_goals":
        return (-a.weight, a.total_cents) < (-b.weight, b.total_cents)
    return (a.total_cents, -a.weight) < (b.total_cents, -b.weight)


def pareto(options: list[tuple[Cents, object]]) -> list[tuple[Cents, object]]:
    """The options no other one beats on both upfront and annual cost (the budget and the
    objective weigh only those)."""
    return [
        (c, o)
        for c, o in options
        if not any(
            d.upfront <= c.upfront and d.annual <= c.annual and (d.upfront, d.annual) != (c.upfront, c.annual)
            for d, _ in options
        )
    ]


def brute_force(
    architecture: str, request: Request, catalog: Catalog, engine: EngineCache, within_budget: bool = True
) -> Found | None:
    """The best design meeting every required goal (within the budget unless told otherwise,
    and then the one least by the budget's measure)."""
    arch = spec(architecture)
    options = allowed(arch, request, catalog)
    if isinstance(options, Forbidden):
        return None
    p = request.platform
    rules = catalog.sizing[p.exchange_version]
    limits = catalog.exchange[p.exchange_version].mounted_databases
    store = catalog.storage[request.storage]
    models = catalog.mailbox_server_models(p.exchange_version)
    score = Scorer(request, engine.simulator)
    best: Found | None = None
    for structure in structures(arch, request, catalog, engine):
        shape = structure.shape
        variant = score(structure)
        n, m = shape.exchange_servers, shape.dedicated_cas_servers
        assert searchable(n, shape.databases, shape.database_copies), shape
        for layout in every_layout(n, shape.databases, shape.database_copies):
            sizing = Sizing(arch, layout, m, request.mailboxes, request.mailbox_profile, rules)
            # Sized through failures (True) or for normal operation only (False).
            modes = [True, False] if n > 1 else [False]
            need = {mode: sizing.demand(mode) for mode in modes}
            cas_need = {mode: sizing.demand(mode, client_access=True) for mode in modes}
            mailbox: dict[bool, list[tuple[Cents, object]]] = {mode: [] for mode in modes}
            for model, win, ex, disk in itertools.product(
                models,
                options.windows_editions,
                options.exchange_editions,
                catalog.disk_models(p.exchange_version),
            ):
                group = Cents.of(
                    server_group_lines(
                        catalog, p.exchange_version, p.windows_version, n, model.item.sku, win, ex, ""
                    )
                )
                for count in range(1 + store.spare_disks, model.disk_bays + 1):
                    if store.even_disks and (count - store.spare_disks) % 2:
                        continue
                    cap = capacity(catalog, rules, model, disk, count, request.storage, limits[ex])
                    cost = group + Cents.of(disk_lines(catalog, disk.item.sku, n * count, ""))
                    for mode in modes:
                        if covers(cap, need[mode]):
                            mailbox[mode].append((cost, (model.item.sku, win, ex, disk.item.sku, count)))
            cas: dict[bool, list[tuple[Cents, object]]] = {mode: [] for mode in modes}
            for mode in modes:
                if not m:
                    cas[mode] = [(Cents(), None)]
                    continue
                for model, win, ex in itertools.product(
                    models, options.cas_windows_editions, options.exchange_editions
                ):
                    least_memory = max(
                        rules.memory_minimum_gb, rules.client_access_memory_gb_per_core * model.cores
                    )
                    cap = capacity(catalog, rules, model, None, 0, request.storage, 0)
                    if model.memory_gb >= least_memory and covers(cap, cas_need[mode]):
                        cost = Cents.of(
                            server_group_lines(
                                catalog, p.exchange_version, p.windows_version, m, model.item.sku, win, ex, ""
                            )
                        )
                        cas[mode].append((cost, (model.item.sku, win, ex)))
            lbs: list[tuple[Cents, object]] = [
                (Cents.of(load_balancer_lines(catalog, sku, arch.load_balancer_units)), sku)
                for sku in options.load_balancer_models
            ] or [(Cents(), None)]
            for mode in modes:
                through = mode is True
                if not variant.meets_required or (not through and request.survives_server_required):
                    continue
                weight = variant.weight if through else score.weight_without_server(structure)
                for (_, hw), (_, cas_hw), (_, lb) in itertools.product(
                    pareto(mailbox[mode]), pareto(cas[mode]), pareto(lbs)
                ):
                    sku, win, ex, disk_sku, count = hw  # type: ignore[misc]
                    design = Design(
                        arch,
                        n,
                        m,
                        shape.witness,
                        win,
                        ex,
                        sku,
                        shape.database_copies,
                        structure.domain_controllers_added,
                        lb,  # type: ignore[arg-type]
                        *(cas_hw if cas_hw is not None else (None, None, None)),  # type: ignore[misc]
                        disk_model=disk_sku,
                        disks_per_server=count,
                        layout=layout.databases,
                    )
                    cost = bill_of_materials(design, request, catalog).cost
                    measure = cost.measure(request.budget.applies_to)
                    found = Found(design, cost.total_cents, measure, weight)
                    if within_budget:
                        if measure <= request.budget.amount_cents and better(found, best, request.objective):
                            best = found
                    elif best is None or (measure, -weight) < (best.measure_cents, -best.weight):
                        best = found
    return best
