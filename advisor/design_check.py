"""The one validator of a concrete design: the fields a planner gave, checked against the
architecture's spec and the product rules, with every field left out given its smallest valid
value. Every rule broken is an error naming the design field."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from advisor.catalog.model import Catalog
from advisor.domain import ArchitectureSpec, Design, DesignChoices, FieldProblem, InvalidInput, Request
from advisor.optimizer.variants import Forbidden, allowed, default_copies


def complete_design(
    spec: ArchitectureSpec, given: DesignChoices, request: Request, catalog: Catalog
) -> tuple[Design, list[str]]:
    """A concrete design from the fields given, and warnings for what it cannot carry; each
    missing field takes the architecture's smallest valid value. Product rules broken by a
    given field are InvalidInput naming it."""
    options = allowed(spec, request, catalog)
    if isinstance(options, Forbidden):
        raise InvalidInput([FieldProblem(options.field, options.reason)])
    problems: list[FieldProblem] = []
    name = spec.name

    def fixed(field: str, value: Any, why: str) -> None:
        if getattr(given, field) is not None and getattr(given, field) != value:
            problems.append(FieldProblem(f"design.{field}", f"{name} {why}"))

    fixed("dag", spec.dag, "always has a DAG" if spec.dag else "has no DAG")
    fixed("cas_array", spec.cas_array, "always has a CAS array" if spec.cas_array else "has no CAS array")
    fixed(
        "load_balancers", spec.load_balancer_units, f"has exactly {spec.load_balancer_units} load balancer(s)"
    )

    n = given.exchange_servers if given.exchange_servers is not None else spec.min_exchange_servers
    if not spec.dag and n != 1:
        problems.append(FieldProblem("design.exchange_servers", f"{name} has exactly 1 server"))
    elif spec.dag and not 2 <= n <= catalog.dag_max_members:
        problems.append(
            FieldProblem(
                "design.exchange_servers",
                f"a DAG has 2 to {catalog.dag_max_members} members (rule {catalog.dag_rule})",
            )
        )
    m = given.dedicated_cas_servers
    if m is None:
        m = spec.min_client_access_servers
    if spec.dedicated_client_access and m < spec.min_client_access_servers:
        problems.append(
            FieldProblem(
                "design.dedicated_cas_servers",
                f"Windows NLB needs at least {spec.min_client_access_servers} dedicated "
                "Client Access servers",
            )
        )
    if not spec.dedicated_client_access and m:
        problems.append(
            FieldProblem(
                "design.dedicated_cas_servers",
                f"{name} has no dedicated Client Access servers (rule wnlb.no_failover_clustering)",
            )
        )
    copies = given.database_copies if given.database_copies is not None else default_copies(catalog, n)
    if not 1 <= copies <= max(1, n) or (not spec.dag and copies != 1):
        problems.append(
            FieldProblem("design.database_copies", "must be between 1 and the number of Exchange servers")
        )
    witness = given.witness or spec.witness_for(n, request.environment.witness_host)
    if spec.needs_witness(n) and witness == "none":
        problems.append(
            FieldProblem(
                "design.witness", "a DAG with an even number of members needs a witness (rule dag.witness)"
            )
        )
    if (not spec.dag and witness != "none") or (witness == "cas_server" and not spec.dedicated_client_access):
        problems.append(
            FieldProblem("design.witness", f"{witness!r} is not possible for {name} (rule dag.witness)")
        )

    platform = request.platform
    server_model = _server_model(given.server_model, "server_model", n, request, catalog, problems)
    windows = _edition(
        given.windows_edition,
        "windows_edition",
        options.windows_editions,
        problems,
        lambda e: catalog.windows[(platform.windows_version, e)].price_cents,
        f"rule {catalog.windows_clustering_rule}" if spec.dag else "",
    )
    limits = catalog.exchange[platform.exchange_version].mounted_databases
    per_server = math.ceil(copies * request.databases / max(n, 1))
    fitting = tuple(e for e in options.exchange_editions if limits[e] >= per_server)
    exchange = _edition(
        given.exchange_edition,
        "exchange_edition",
        options.exchange_editions,
        problems,
        lambda e: (e not in fitting, catalog.exchange_servers[(platform.exchange_version, e)].price_cents),
        "",
    )
    if exchange in limits and per_server > limits[exchange]:
        problems.append(
            FieldProblem(
                "design.exchange_edition",
                f"each server would mount {per_server} database copies, over Exchange "
                f"{platform.exchange_version} {exchange}'s limit of {limits[exchange]} "
                "(rule exchange.mounted_databases)",
            )
        )
    lb_model = given.load_balancer_model
    if spec.load_balancer_units:
        lb_model = lb_model or min(
            options.load_balancer_models, key=lambda k: catalog.load_balancers[k].item.price_cents
        )
        if lb_model not in options.load_balancer_models:
            problems.append(
                FieldProblem(
                    "design.load_balancer_model",
                    "must be one of "
                    f"{', '.join(options.load_balancer_models)}"
                    + (" (models that can form an HA pair)" if spec.ha_pair else ""),
                )
            )
    elif lb_model:
        problems.append(FieldProblem("design.load_balancer_model", f"{name} has no load balancer"))
    cas_model = cas_windows = cas_exchange = None
    if spec.dedicated_client_access:
        cas_model = _server_model(given.cas_server_model, "cas_server_model", m, request, catalog, problems)
        cas_windows = _edition(
            given.cas_windows_edition,
            "cas_windows_edition",
            options.cas_windows_editions,
            problems,
            lambda e: catalog.windows[(platform.windows_version, e)].price_cents,
            "",
        )
        cas_exchange = _edition(
            given.cas_exchange_edition,
            "cas_exchange_edition",
            options.exchange_editions,
            problems,
            lambda e: catalog.exchange_servers[(platform.exchange_version, e)].price_cents,
            "",
        )
    else:
        for field in ("cas_server_model", "cas_windows_edition", "cas_exchange_edition"):
            if getattr(given, field):
                problems.append(
                    FieldProblem(f"design.{field}", f"{name} has no dedicated Client Access servers")
                )
    added = given.domain_controllers_added
    if added is None:
        added = max(0, 1 - request.environment.domain_controllers)
    if request.environment.domain_controllers + added < 1:
        problems.append(
            FieldProblem(
                "design.domain_controllers_added",
                "Exchange needs at least one domain controller (rule ad.global_catalog)",
            )
        )
    if problems:
        raise InvalidInput(problems)
    design = Design(
        spec=spec,
        exchange_servers=n,
        dedicated_cas_servers=m,
        witness=witness,
        windows_edition=windows,
        exchange_edition=exchange,
        server_model=server_model,
        database_copies=copies,
        domain_controllers_added=added,
        load_balancer_model=lb_model,
        cas_server_model=cas_model,
        cas_windows_edition=cas_windows,
        cas_exchange_edition=cas_exchange,
    )
    return design, _capacity_warnings(design, request, catalog)


def _capacity_warnings(design: Design, request: Request, catalog: Catalog) -> list[str]:
    n, model = design.exchange_servers, design.server_model
    carry = catalog.servers[model].mailboxes
    if carry * n < request.mailboxes:
        return [
            f"Undersized: {n} x {model} carry {carry * n} mailboxes, fewer than the "
            f"{request.mailboxes} planned."
        ]
    if n > 1 and carry * (n - 1) < request.mailboxes:
        return [
            f"After one server fails, the remaining {n - 1} x {model} carry "
            f"{carry * (n - 1)} mailboxes, fewer than the {request.mailboxes} planned."
        ]
    return []


def _server_model(
    given: str | None,
    name: str,
    count: int,
    request: Request,
    catalog: Catalog,
    problems: list[FieldProblem],
) -> str:
    """The hardware model given for a server group, or the first that carries the mailboxes."""
    models = catalog.exchange_servers_models()
    chosen: str = given or next(
        (s.item.sku for s in models if s.mailboxes * count >= request.mailboxes), models[-1].item.sku
    )
    if chosen not in {s.item.sku for s in models}:
        problems.append(
            FieldProblem(
                f"design.{name}",
                f"unknown server model; the catalog has {', '.join(s.item.sku for s in models)}",
            )
        )
    return chosen


def _edition(
    given: str | None,
    name: str,
    choices: tuple[str, ...],
    problems: list[FieldProblem],
    price: Callable[[str], Any],
    rule: str,
) -> str:
    if given is None:
        return min(choices, key=price)
    if given not in choices:
        tail = f" ({rule})" if rule else ""
        problems.append(
            FieldProblem(
                f"design.{name}", f"{given!r} is not allowed here; choose {' or '.join(choices)}{tail}"
            )
        )
    return given
