"""The MILP for one architecture, built in named steps: structure, sizing, limits, cost, budget.

The model picks one structure (server counts, witness, added domain controllers) whose goal
coverage the failure simulator has already decided, and for the chosen server counts one
hardware model and one Windows and Exchange edition per server group, and a load-balancer
model. Sizing choices exist only where the product limits allow them, so the relaxation is
tight and HiGHS proves optimality in its presolve or first nodes. Every constraint carries a
name that says what it holds, so the written .lp file reads as the model's documentation
(`advisor recommend --write-lp DIR`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pulp

from advisor.catalog import Catalog, Item
from advisor.domain import Design, Request
from advisor.optimizer.variants import Options, Variant
from advisor.pricing import cals_to_buy, domain_controller_items, witness_items
from advisor.topology import LOAD_BALANCERS_BY_ARCHITECTURE

# Large enough that no design reaches it: lifting the budget to it re-solves without a budget.
NO_BUDGET_CENTS = 10**13


def _name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def _sum(terms: list[tuple[pulp.LpVariable, float]], constant: float = 0.0) -> pulp.LpAffineExpression:
    """A linear expression from (variable, coefficient) pairs, without PuLP's operator overhead."""
    return pulp.LpAffineExpression(terms, constant)


def _binary(problem: pulp.LpProblem, name: str) -> pulp.LpVariable:
    return problem.add_variable(_name(name), cat="Binary")


@dataclass
class Sizing:
    """The choices for one server group at one server count: model, Windows and Exchange."""

    count: int
    used: pulp.LpVariable
    model: dict[str, pulp.LpVariable]
    windows: dict[str, pulp.LpVariable]
    exchange: dict[str, pulp.LpVariable]


@dataclass
class Model:
    architecture: str
    problem: pulp.LpProblem
    choose: dict[str, tuple[pulp.LpVariable, Variant]]
    mailbox: dict[int, Sizing]
    cas: dict[int, Sizing]
    load_balancer: dict[str, pulp.LpVariable]
    upfront: pulp.LpAffineExpression
    annual: pulp.LpAffineExpression
    total: pulp.LpAffineExpression
    weight: pulp.LpAffineExpression
    budget_constraint: str | None


class Unsizable(Exception):
    """No server count of any structure can be sized within the product limits."""


def _money(item: Item, annual: bool) -> int:
    return item.annual_cents if annual else item.price_cents


def _undominated(names: list[str], item: dict[str, Item]) -> list[str]:
    """Drop every choice that another one beats or ties on both price and annual cost.

    Within one server count the choices differ only in cost (capacity and limits were
    filtered before), so a dominated choice can never be in a best design, whatever the
    objective or the budget's measure; dropping it keeps the model small.
    """
    keep: list[str] = []
    for name in sorted(names, key=lambda n: (item[n].price_cents, item[n].annual_cents, n)):
        if not any(item[k].annual_cents <= item[name].annual_cents for k in keep):
            keep.append(name)
    return keep


def _sizing(
    problem: pulp.LpProblem,
    group: str,
    count: int,
    request: Request,
    catalog: Catalog,
    windows: tuple[str, ...],
    exchange: tuple[str, ...],
    survive_one: bool,
    copies: int,
) -> Sizing | None:
    """Choices for `count` servers of a group, kept only where they carry the load and limits."""
    need = request.mailboxes
    carrying = count - 1 if survive_one and count > 1 else count
    models = [s.item.sku for s in catalog.exchange_servers_models() if s.mailboxes * carrying >= need]
    limits = catalog.exchange[request.platform.exchange_version].mounted_databases
    per_server = math.ceil(copies * request.databases / count) if copies else 0
    editions = [e for e in exchange if limits[e] >= per_server]
    if not models or not editions:
        return None
    p = request.platform
    models = _undominated(models, {k: catalog.servers[k].item for k in models})
    windows = tuple(
        _undominated(list(windows), {e: catalog.windows[(p.windows_version, e)] for e in windows})
    )
    editions = _undominated(
        editions, {e: catalog.exchange_servers[(p.exchange_version, e)] for e in editions}
    )
    tag = f"{group}_{count}_servers"
    used = _binary(problem, f"use_{tag}")

    def one_of(what: str, names: list[str]) -> dict[str, pulp.LpVariable]:
        table = {n: _binary(problem, f"{tag}_{what}_{n}") for n in names}
        problem.addConstraint(_sum([(b, 1) for b in table.values()] + [(used, -1)]) == 0, f"{tag}_one_{what}")
        return table

    sizing = Sizing(
        count, used, one_of("model", models), one_of("windows", list(windows)), one_of("exchange", editions)
    )
    # Redundant with the choices offered above; stated so the .lp file shows the limits.
    carry = [(b, carrying * catalog.servers[k].mailboxes) for k, b in sizing.model.items()]
    suffix = "_after_one_fails" if carrying < count else ""
    problem.addConstraint(_sum([*carry, (used, -need)]) >= 0, f"{tag}_carry_every_mailbox{suffix}")
    if copies:
        mounts = [(b, count * limits[e]) for e, b in sizing.exchange.items()]
        problem.addConstraint(
            _sum([*mounts, (used, -copies * request.databases)]) >= 0, f"{tag}_mounted_database_limit"
        )
    return sizing


def _sizing_cost(
    sizing: Sizing, request: Request, catalog: Catalog, annual: bool
) -> list[tuple[pulp.LpVariable, float]]:
    p = request.platform
    n = sizing.count
    terms = [(b, n * _money(catalog.servers[k].item, annual)) for k, b in sizing.model.items()]
    terms += [
        (b, n * _money(catalog.windows[(p.windows_version, e)], annual)) for e, b in sizing.windows.items()
    ]
    terms += [
        (b, n * _money(catalog.exchange_servers[(p.exchange_version, e)], annual))
        for e, b in sizing.exchange.items()
    ]
    return terms


def build_model(
    architecture: str,
    request: Request,
    catalog: Catalog,
    options: Options,
    variants: list[Variant],
    with_budget: bool,
) -> Model:
    """The model for one architecture; `variants` already meet every required goal."""
    problem = pulp.LpProblem(_name(f"advisor_{architecture}"), pulp.LpMinimize)
    survive = architecture != "single_server" and any(g.failure == "server" for g in request.goals)
    mailbox: dict[int, Sizing] = {}
    cas: dict[int, Sizing] = {}
    for v in variants:
        n, m, copies = v.shape.exchange_servers, v.shape.dedicated_cas_servers, v.shape.database_copies
        if n not in mailbox:
            sized = _sizing(
                problem,
                "exchange",
                n,
                request,
                catalog,
                options.windows_editions,
                options.exchange_editions,
                survive,
                copies,
            )
            if sized:
                mailbox[n] = sized
        if m and m not in cas:
            sized = _sizing(
                problem,
                "cas",
                m,
                request,
                catalog,
                options.cas_windows_editions,
                options.exchange_editions,
                survive,
                0,
            )
            if sized:
                cas[m] = sized
    usable = [
        v
        for v in variants
        if v.shape.exchange_servers in mailbox
        and (not v.shape.dedicated_cas_servers or v.shape.dedicated_cas_servers in cas)
    ]
    if not usable:
        raise Unsizable(architecture)
    choose = {v.key: (_binary(problem, f"structure_{v.key}"), v) for v in usable}
    problem.addConstraint(_sum([(y, 1) for y, _ in choose.values()]) == 1, "choose_one_structure")
    _link(problem, choose, mailbox, "exchange_servers", "exchange")
    _link(problem, choose, cas, "dedicated_cas_servers", "cas")

    units = LOAD_BALANCERS_BY_ARCHITECTURE[architecture]
    lb = {sku: _binary(problem, f"load_balancer_{sku}") for sku in options.load_balancer_models}
    if lb:
        problem.addConstraint(_sum([(b, 1) for b in lb.values()]) == 1, "one_load_balancer_model")

    upfront = _cost(request, catalog, choose, mailbox, cas, lb, units, annual=False)
    annual = _cost(request, catalog, choose, mailbox, cas, lb, units, annual=True)
    total = upfront + request.horizon_years * annual
    weight = _sum([(y, v.weight) for y, v in choose.values() if v.weight])
    budget = None
    if with_budget:
        budget = f"budget_{request.budget.applies_to}"
        measure = total if request.budget.applies_to == "total" else upfront
        problem.addConstraint(measure <= request.budget.amount_cents, budget)
    return Model(architecture, problem, choose, mailbox, cas, lb, upfront, annual, total, weight, budget)


def _link(
    problem: pulp.LpProblem,
    choose: dict[str, tuple[pulp.LpVariable, Variant]],
    sizings: dict[int, Sizing],
    attribute: str,
    group: str,
) -> None:
    """A group's sizing at a count is used exactly when the chosen structure has that count."""
    for count, sizing in sizings.items():
        structures = [(y, -1) for y, v in choose.values() if getattr(v.shape, attribute) == count]
        problem.addConstraint(
            _sum([(sizing.used, 1), *structures]) == 0, f"{group}_{count}_servers_iff_structure"
        )


def _cost(
    request: Request,
    catalog: Catalog,
    choose: dict[str, tuple[pulp.LpVariable, Variant]],
    mailbox: dict[int, Sizing],
    cas: dict[int, Sizing],
    lb: dict[str, pulp.LpVariable],
    units: int,
    annual: bool,
) -> pulp.LpAffineExpression:
    version = request.platform.windows_version
    witness = sum(_money(i, annual) for i in witness_items(catalog, version))
    dc = sum(_money(i, annual) for i in domain_controller_items(catalog, version))
    cal = catalog.exchange_cals[(request.platform.exchange_version, "standard")]
    terms: list[tuple[pulp.LpVariable, float]] = []
    for sizing in [*mailbox.values(), *cas.values()]:
        terms += _sizing_cost(sizing, request, catalog, annual)
    terms += [(b, units * _money(catalog.load_balancers[sku].item, annual)) for sku, b in lb.items()]
    for y, v in choose.values():
        fixed = (witness if v.shape.witness == "buy" else 0) + dc * v.domain_controllers_added
        if fixed:
            terms.append((y, fixed))
    return _sum(terms, cals_to_buy(request) * _money(cal, annual))


def _chosen(table: dict[str, pulp.LpVariable]) -> str:
    return max(table, key=lambda k: table[k].value() or 0.0)


def extract_design(model: Model) -> tuple[Design, Variant]:
    """Read the solved model back as a concrete design."""
    variant = max(model.choose.values(), key=lambda pair: pair[0].value() or 0.0)[1]
    shape = variant.shape
    mailbox = model.mailbox[shape.exchange_servers]
    cas = model.cas.get(shape.dedicated_cas_servers) if shape.dedicated_cas_servers else None
    design = Design(
        architecture=model.architecture,
        exchange_servers=shape.exchange_servers,
        dedicated_cas_servers=shape.dedicated_cas_servers,
        dag=shape.dag,
        cas_array=model.architecture not in ("single_server", "dag_only"),
        load_balancers=shape.load_balancers,
        witness=shape.witness,  # type: ignore[arg-type]
        windows_edition=_chosen(mailbox.windows),
        exchange_edition=_chosen(mailbox.exchange),
        server_model=_chosen(mailbox.model),
        database_copies=shape.database_copies,
        domain_controllers_added=variant.domain_controllers_added,
        load_balancer_model=_chosen(model.load_balancer) if model.load_balancer else None,
        cas_server_model=_chosen(cas.model) if cas else None,
        cas_windows_edition=_chosen(cas.windows) if cas else None,
        cas_exchange_edition=_chosen(cas.exchange) if cas else None,
    )
    return design, variant
