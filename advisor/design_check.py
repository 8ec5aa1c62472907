"""The one validator of a concrete design: the fields a planner gave, checked against the
architecture's spec and the product rules, with every field left out given its smallest valid
value. Every rule broken is an error naming the design field."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import astuple
from typing import Any

from advisor.catalog.model import Catalog, DiskModel
from advisor.domain import (
    ArchitectureSpec,
    Design,
    DesignChoices,
    FieldProblem,
    GivenCopies,
    InvalidInput,
    Request,
)
from advisor.layout import Layout, best_layout
from advisor.optimizer.variants import Forbidden, allowed, default_copies
from advisor.pricing import windows_cost
from advisor.sizing import (
    Demand,
    Sizing,
    database_mailboxes,
    disk_gb,
    disk_iops,
    least_disks,
    platform_megacycles,
)


def complete_design(
    spec: ArchitectureSpec,
    given: DesignChoices,
    request: Request,
    catalog: Catalog,
    copy_layout: tuple[GivenCopies, ...] | None = None,
) -> tuple[Design, list[str]]:
    """A concrete design from the fields given, and warnings for what it cannot carry; each
    missing field takes the architecture's smallest valid value, and hardware left out the
    cheapest that carries the design's load (through failures when a goal names them). Product
    rules broken by a given field are InvalidInput naming it."""
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
    copies = given.database_copies if given.database_copies is not None else default_copies(request, n)
    if given.database_copies is None and spec.dag and request.database_copies > n:
        problems.append(
            FieldProblem(
                "database_copies",
                f"{request.database_copies} copies of each database need at least "
                f"{request.database_copies} DAG members; the design has {n} (one copy a server)",
            )
        )
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
    models = {m.item.sku for m in catalog.mailbox_server_models(platform.exchange_version)}
    for field, value in (("server_model", given.server_model), ("cas_server_model", given.cas_server_model)):
        if value is not None and value not in models:
            problems.append(
                FieldProblem(
                    f"design.{field}",
                    f"unknown server model for Exchange {platform.exchange_version}; the catalog has "
                    f"{', '.join(sorted(models))}",
                )
            )
    offered_disks = sorted(d.item.sku for d in catalog.disk_models(platform.exchange_version))
    if given.disk_model is not None and given.disk_model not in offered_disks:
        problems.append(
            FieldProblem(
                "design.disk_model",
                f"unknown disk model for Exchange {platform.exchange_version}; the catalog has "
                f"{', '.join(offered_disks)}",
            )
        )
    # Windows is priced per server, processor, processor pair or core pack: an edition left out
    # is the cheapest per server of the design's model, so it is chosen once the model is.
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
        hosted = [
            k
            for k in options.load_balancer_models
            if catalog.load_balancers[k].kind != "virtual"
            or request.environment.hypervisor_hosts >= spec.load_balancer_units
        ]
        lb_model = lb_model or min(
            hosted or options.load_balancer_models, key=lambda k: catalog.load_balancers[k].item.price_cents
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
        elif catalog.load_balancers[lb_model].kind == "virtual" and request.environment.hypervisor_hosts < 1:
            problems.append(
                FieldProblem(
                    "environment.hypervisor_hosts",
                    f"{lb_model} is a virtual appliance and needs a hypervisor host to run on "
                    "(rule lb.virtual_host)",
                )
            )
    elif lb_model:
        problems.append(FieldProblem("design.load_balancer_model", f"{name} has no load balancer"))
    cas_model = cas_windows = cas_exchange = None
    if spec.dedicated_client_access:
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
    layout = (
        _layout(copy_layout, n, copies, request.databases, request.mailboxes, problems)
        if not problems
        else None
    )
    if problems or layout is None:
        raise InvalidInput(problems)
    sizing = Sizing(
        spec, layout, m, request.mailboxes, request.mailbox_profile, catalog.sizing[platform.exchange_version]
    )
    through = spec.dag and any(g.failure == "server" for g in request.goals)
    demand = sizing.demand(through)
    server_model = given.server_model or _fitting_model(catalog, request, demand, limits[exchange], problems)
    disk_model, disks = _disks(given, catalog, request, demand, server_model)
    if given.windows_edition is None:
        windows = _per_server_cheapest(
            catalog, platform.windows_version, options.windows_editions, server_model
        )
    if spec.dedicated_client_access:
        cas_model = given.cas_server_model or _fitting_model(
            catalog, request, sizing.demand(through, client_access=True), 0, problems, client_access=True
        )
        if given.cas_windows_edition is None and cas_windows is not None:
            cas_windows = _per_server_cheapest(
                catalog, platform.windows_version, options.cas_windows_editions, cas_model
            )
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
        disk_model=disk_model,
        disks_per_server=disks,
        layout=layout.databases,
    )
    return design, []


def _layout(
    given: tuple[GivenCopies, ...] | None,
    servers: int,
    copies: int,
    databases: int,
    mailboxes: int,
    problems: list[FieldProblem],
) -> Layout | None:
    """The copy layout given (checked: every database once, its copies on distinct servers of the
    design at preferences 1 to the design's copies), or the best one for the design's servers."""
    if given is None:
        return best_layout(servers, databases, copies)
    names = {f"ex-{i + 1}": i for i in range(servers)}
    expected = [f"db-{d + 1}" for d in range(databases)]
    spread = dict(zip(expected, database_mailboxes(mailboxes, databases), strict=True))
    found: dict[str, tuple[int, ...]] = {}
    for i, entry in enumerate(given):
        where = f"copy_layout.{i}"
        if entry.database not in expected:
            problems.append(FieldProblem(f"{where}.database", f"must be one of db-1 to db-{databases}"))
            continue
        if entry.database in found:
            problems.append(FieldProblem(f"{where}.database", f"{entry.database} is laid out twice"))
            continue
        if entry.mailboxes is not None and entry.mailboxes != spread[entry.database]:
            problems.append(
                FieldProblem(
                    f"{where}.mailboxes",
                    f"the mailboxes are spread evenly over the databases: {entry.database} holds "
                    f"{spread[entry.database]}, not {entry.mailboxes}",
                )
            )
            continue
        ordered = sorted(entry.copies, key=lambda c: c.__getitem__(1))
        servers_of = [c[0] for c in ordered]
        if [c[1] for c in ordered] != list(range(1, copies + 1)):
            problems.append(
                FieldProblem(f"{where}.copies", f"must hold preferences 1 to {copies}, one copy each")
            )
        elif any(s not in names for s in servers_of):
            problems.append(FieldProblem(f"{where}.copies", f"servers must be ex-1 to ex-{servers}"))
        elif len(set(servers_of)) != len(servers_of):
            problems.append(FieldProblem(f"{where}.copies", "a server holds one copy of a database at most"))
        else:
            found[entry.database] = tuple(names[s] for s in servers_of)
    missing = [d for d in expected if d not in found]
    if missing and not problems:
        problems.append(FieldProblem("copy_layout", f"lays out no copy of {', '.join(missing[:5])}"))
    if problems:
        return None
    return Layout(servers, tuple(found[d] for d in expected))


def _fitting_model(
    catalog: Catalog,
    request: Request,
    demand: Demand,
    mounts: int,
    problems: list[FieldProblem],
    client_access: bool = False,
) -> str:
    """The cheapest server model that meets a server's demand, or the largest when none does
    (the design is then reported undersized)."""
    rules = catalog.sizing[request.platform.exchange_version]
    models = catalog.mailbox_server_models(request.platform.exchange_version)
    for model in models:
        cpu = platform_megacycles(model, rules) * rules.cpu_ceiling
        if demand.megacycles <= cpu and (client_access or demand.memory_gb <= model.memory_gb):
            return model.item.sku
    return max(models, key=lambda s: (platform_megacycles(s, rules), s.memory_gb)).item.sku


def _disks(
    given: DesignChoices, catalog: Catalog, request: Request, demand: Demand, server_model: str
) -> tuple[str, int]:
    """The disk model and count given, or the cheapest that meet the demand within the bays."""
    storage = catalog.storage[request.storage]
    bays = catalog.servers[server_model].disk_bays
    if given.disk_model is not None:
        count = given.disks_per_server
        if count is None:
            count = min(
                bays, least_disks(demand, catalog.disks[given.disk_model], storage, catalog.read_share)
            )
        return given.disk_model, count
    options = [
        (d.item.price_cents * count, d.item.sku, count)
        for d in catalog.disk_models(request.platform.exchange_version)
        if (count := least_disks(demand, d, storage, catalog.read_share)) <= bays
    ]
    if options:
        _, sku, count = min(options)
        return sku, given.disks_per_server if given.disks_per_server is not None else count
    # No disk meets the need within the bays: the one that comes closest when they are full
    # (the answer then says how far past its sizing the server runs).
    data = max(1, bays - storage.spare_disks)

    def reach(d: DiskModel) -> float:
        iops = data * disk_iops(d, storage, catalog.read_share) / max(demand.iops, 1e-9)
        space = data * disk_gb(d, storage) / max(demand.disk_gb, 1e-9)
        return min(iops, space)

    closest = max(
        catalog.disk_models(request.platform.exchange_version), key=lambda d: (reach(d), -d.item.price_cents)
    )
    return closest.item.sku, given.disks_per_server if given.disks_per_server is not None else bays


def _per_server_cheapest(catalog: Catalog, version: str, editions: tuple[str, ...], model: str) -> str:
    """The Windows edition that costs least for one server of `model`, upfront then yearly: the
    bill of materials' own price (advisor.pricing)."""
    return min(editions, key=lambda e: astuple(windows_cost(catalog, version, e, model)))


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
