"""The MILP for one architecture, built in named steps: variables, sizing, limits, cost, budget.

Every constraint carries a name that says what it holds, so the written .lp file reads as the
model's documentation (`advisor recommend --write-lp DIR`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pulp

from advisor.catalog import Catalog
from advisor.domain import Design, Request
from advisor.optimizer.variants import Options, Variant
from advisor.pricing import cals_to_buy, domain_controller_items, witness_items
from advisor.topology import LOAD_BALANCERS_BY_ARCHITECTURE

MAILBOX_SERVICES = ("outlook", "owa", "activesync")


def _name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


@dataclass
class ServerGroup:
    """Servers of one role: one model, one Windows edition and one Exchange edition for all."""

    prefix: str
    model: dict[str, pulp.LpVariable]
    count: dict[str, pulp.LpVariable]
    windows: dict[str, tuple[pulp.LpVariable, pulp.LpVariable]]
    exchange: dict[str, tuple[pulp.LpVariable, pulp.LpVariable]]

    def chosen(self, table: dict[str, pulp.LpVariable]) -> str:
        return max(table, key=lambda k: table[k].value() or 0.0)


@dataclass
class Model:
    architecture: str
    problem: pulp.LpProblem
    choose: dict[str, tuple[pulp.LpVariable, Variant]]
    mailbox: ServerGroup
    cas: ServerGroup | None
    load_balancer: dict[str, pulp.LpVariable]
    upfront: pulp.LpAffineExpression
    annual: pulp.LpAffineExpression
    total: pulp.LpAffineExpression
    weight: pulp.LpAffineExpression


def _server_group(
    problem: pulp.LpProblem,
    prefix: str,
    size: pulp.LpAffineExpression,
    most: int,
    catalog: Catalog,
    editions: tuple[str, ...],
    exchange_editions: tuple[str, ...],
) -> ServerGroup:
    """Pick one hardware model and one edition of each product for `size` servers."""
    models = [s.item.sku for s in catalog.exchange_servers_models()]
    model = {k: pulp.LpVariable(_name(f"{prefix}_uses_{k}"), cat="Binary") for k in models}
    count = {k: pulp.LpVariable(_name(f"{prefix}_servers_{k}"), 0, most, cat="Integer") for k in models}
    problem += pulp.lpSum(model.values()) == 1, f"{prefix}_one_server_model"
    for k in models:
        problem += count[k] <= most * model[k], _name(f"{prefix}_only_chosen_model_{k}")
    problem += pulp.lpSum(count.values()) == size, f"{prefix}_server_count"

    def pick(product: str, names: tuple[str, ...]) -> dict[str, tuple[pulp.LpVariable, pulp.LpVariable]]:
        table = {
            e: (
                pulp.LpVariable(f"{prefix}_{product}_{e}", cat="Binary"),
                pulp.LpVariable(f"{prefix}_{product}_{e}_licences", 0, most, cat="Integer"),
            )
            for e in names
        }
        add = problem.addConstraint
        add(pulp.lpSum(b for b, _ in table.values()) == 1, f"{prefix}_one_{product}_edition")
        for e, (b, q) in table.items():
            add(q <= most * b, f"{prefix}_{product}_{e}_only_if_chosen")
        add(pulp.lpSum(q for _, q in table.values()) == size, f"{prefix}_{product}_licence_each_server")
        return table

    return ServerGroup(prefix, model, count, pick("windows", editions), pick("exchange", exchange_editions))


def _group_cost(
    group: ServerGroup, catalog: Catalog, request: Request, annual: bool
) -> pulp.LpAffineExpression:
    p = request.platform

    def money(item_cents: tuple[int, int]) -> int:
        return item_cents[1] if annual else item_cents[0]

    terms = []
    for sku, count in group.count.items():
        item = catalog.servers[sku].item
        terms.append(money((item.price_cents, item.annual_cents)) * count)
    for edition, (_, q) in group.windows.items():
        item = catalog.windows[(p.windows_version, edition)]
        terms.append(money((item.price_cents, item.annual_cents)) * q)
    for edition, (_, q) in group.exchange.items():
        item = catalog.exchange_servers[(p.exchange_version, edition)]
        terms.append(money((item.price_cents, item.annual_cents)) * q)
    return pulp.lpSum(terms)


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
    choose = {v.key: (pulp.LpVariable(f"structure_{v.key}", cat="Binary"), v) for v in variants}
    problem += pulp.lpSum(y for y, _ in choose.values()) == 1, "choose_one_structure"

    def per_structure(value: str) -> pulp.LpAffineExpression:
        return pulp.lpSum(getattr(v.shape, value) * y for y, v in choose.values())

    most = 1 if architecture == "single_server" else catalog.dag_max_members
    mailbox = _server_group(
        problem,
        "exchange",
        per_structure("exchange_servers"),
        most,
        catalog,
        options.windows_editions,
        options.exchange_editions,
    )
    cas = None
    if architecture == "dedicated_cas_wnlb":
        cas = _server_group(
            problem,
            "cas",
            per_structure("dedicated_cas_servers"),
            catalog.policy.max_dedicated_cas_servers,
            catalog,
            options.cas_windows_editions,
            options.exchange_editions,
        )
    _capacity(problem, mailbox, request, catalog, "exchange", architecture)
    if cas is not None:
        _capacity(problem, cas, request, catalog, "cas", architecture)
    _mounted_databases(problem, mailbox, request, catalog, choose)

    units = LOAD_BALANCERS_BY_ARCHITECTURE[architecture]
    lb = {
        sku: pulp.LpVariable(_name(f"load_balancer_{sku}"), cat="Binary")
        for sku in options.load_balancer_models
    }
    if lb:
        problem += pulp.lpSum(lb.values()) == 1, "one_load_balancer_model"

    upfront = _cost(request, catalog, choose, mailbox, cas, lb, units, annual=False)
    annual = _cost(request, catalog, choose, mailbox, cas, lb, units, annual=True)
    total = upfront + request.horizon_years * annual
    weight = pulp.lpSum(v.weight * y for y, v in choose.values())
    if with_budget:
        measure = total if request.budget.applies_to == "total" else upfront
        problem += measure <= request.budget.amount_cents, f"budget_{request.budget.applies_to}"
    return Model(architecture, problem, choose, mailbox, cas, lb, upfront, annual, total, weight)


def _capacity(
    problem: pulp.LpProblem,
    group: ServerGroup,
    request: Request,
    catalog: Catalog,
    prefix: str,
    architecture: str,
) -> None:
    """Servers carry every mailbox; with a server goal, so do the survivors of one failure."""
    carry = {k: catalog.servers[k].mailboxes for k in group.count}
    problem += (
        pulp.lpSum(carry[k] * c for k, c in group.count.items()) >= request.mailboxes,
        f"{prefix}_capacity_all_servers_up",
    )
    server_goal = any(g.failure == "server" for g in request.goals)
    if server_goal and architecture != "single_server":
        survivors = pulp.lpSum(carry[k] * (group.count[k] - group.model[k]) for k in group.count)
        problem += survivors >= request.mailboxes, f"{prefix}_capacity_after_one_server_fails"


def _mounted_databases(
    problem: pulp.LpProblem,
    group: ServerGroup,
    request: Request,
    catalog: Catalog,
    choose: dict[str, tuple[pulp.LpVariable, Variant]],
) -> None:
    """Copies spread evenly; each server mounts at most its edition's limit (active + passive)."""
    limits = catalog.exchange[request.platform.exchange_version].mounted_databases
    copies = pulp.lpSum(v.shape.database_copies * request.databases * y for y, v in choose.values())
    capacity = pulp.lpSum(limits[e] * q for e, (_, q) in group.exchange.items())
    problem += copies <= capacity, "mounted_database_limit_per_server"


def _cost(
    request: Request,
    catalog: Catalog,
    choose: dict[str, tuple[pulp.LpVariable, Variant]],
    mailbox: ServerGroup,
    cas: ServerGroup | None,
    lb: dict[str, pulp.LpVariable],
    units: int,
    annual: bool,
) -> pulp.LpAffineExpression:
    def money(price: int, yearly: int) -> int:
        return yearly if annual else price

    version = request.platform.windows_version
    witness = sum(money(i.price_cents, i.annual_cents) for i in witness_items(catalog, version))
    dc = sum(money(i.price_cents, i.annual_cents) for i in domain_controller_items(catalog, version))
    cal_item = catalog.exchange_cals[(request.platform.exchange_version, "standard")]
    terms = [_group_cost(mailbox, catalog, request, annual)]
    if cas is not None:
        terms.append(_group_cost(cas, catalog, request, annual))
    for sku, b in lb.items():
        item = catalog.load_balancers[sku].item
        terms.append(units * money(item.price_cents, item.annual_cents) * b)
    for y, v in choose.values():
        fixed = (witness if v.shape.witness == "buy" else 0) + dc * v.domain_controllers_added
        if fixed:
            terms.append(fixed * y)
    cals = cals_to_buy(request) * money(cal_item.price_cents, cal_item.annual_cents)
    return pulp.lpSum(terms) + cals


def extract_design(model: Model) -> tuple[Design, Variant]:
    """Read the solved model back as a concrete design."""
    variant = max(model.choose.values(), key=lambda pair: pair[0].value() or 0.0)[1]
    mailbox = model.mailbox
    cas = model.cas
    shape = variant.shape
    design = Design(
        architecture=model.architecture,
        exchange_servers=shape.exchange_servers,
        dedicated_cas_servers=shape.dedicated_cas_servers,
        dag=shape.dag,
        cas_array=model.architecture not in ("single_server", "dag_only"),
        load_balancers=shape.load_balancers,
        witness=shape.witness,  # type: ignore[arg-type]
        windows_edition=mailbox.chosen({e: b for e, (b, _) in mailbox.windows.items()}),
        exchange_edition=mailbox.chosen({e: b for e, (b, _) in mailbox.exchange.items()}),
        server_model=mailbox.chosen(mailbox.model),
        database_copies=shape.database_copies,
        domain_controllers_added=variant.domain_controllers_added,
        load_balancer_model=mailbox.chosen(model.load_balancer) if model.load_balancer else None,
        cas_server_model=cas.chosen(cas.model) if cas else None,
        cas_windows_edition=cas.chosen({e: b for e, (b, _) in cas.windows.items()}) if cas else None,
        cas_exchange_edition=cas.chosen({e: b for e, (b, _) in cas.exchange.items()}) if cas else None,
    )
    return design, variant
