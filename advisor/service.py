"""The advisor's use cases with no HTTP: recommend a design, analyze a given one."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from advisor import reference
from advisor.architectures import ARCHITECTURE_INFO
from advisor.catalog import Catalog, CatalogRegistry
from advisor.domain import (
    ARCHITECTURES,
    Design,
    FieldProblem,
    InvalidInput,
    Request,
    cents_to_money,
)
from advisor.failures import analyze_shape
from advisor.optimizer import optimize
from advisor.optimizer.variants import Forbidden, allowed, default_witness
from advisor.pricing import bill_of_materials
from advisor.report import cost_dict, design_report, spof_dicts
from advisor.schemas import parse_analysis, parse_request
from advisor.topology import DAG_ARCHITECTURES, LOAD_BALANCERS_BY_ARCHITECTURE, Shape


class Advisor:
    """Entry point for the CLI, the API and the web form: plain dicts in, plain dicts out."""

    def __init__(
        self, catalogs: CatalogRegistry | None = None, solver: str = "highs", time_limit: float = 10.0
    ):
        self.catalogs = catalogs or CatalogRegistry()
        self.solver = solver
        self.time_limit = time_limit
        self._profiles: dict[str, Any] | None = None

    def catalog_for(self, request: Request, budget_given: bool = True) -> Catalog:
        catalog = self.catalogs.get(request.catalog)
        if budget_given and request.budget.currency != catalog.currency:
            raise InvalidInput(
                [
                    FieldProblem(
                        "budget.currency",
                        f"the catalog {catalog.id!r} prices in {catalog.currency}, not "
                        f"{request.budget.currency}",
                    )
                ]
            )
        return catalog

    def catalog_list(self) -> dict[str, Any]:
        """Every price book by id, version, currency and date; `default` marks the one requests
        that name no catalog are priced from."""
        default_id = self.catalogs.get("default").id
        return {"catalogs": [reference.catalog_entry(c, default_id) for c in self.catalogs.all()]}

    def catalog_detail(self, catalog_id: str) -> dict[str, Any]:
        """One price book with every price and its basis, the facts and the rules they cite;
        UnknownCatalog when there is no such id."""
        return reference.catalog_detail(self.catalogs.get(catalog_id), self.catalogs.get("default").id)

    def architecture_profiles(self) -> dict[str, Any]:
        """Every architecture with its rules and the failure profile of its smallest design,
        worked out once per advisor (it depends on the default catalog only)."""
        if self._profiles is None:
            self._profiles = reference.architectures(self)
        return self._profiles

    def recommend(self, data: Any, write_lp: Path | None = None) -> dict[str, Any]:
        """The response for a request in its JSON form (validated here)."""
        return self.recommend_request(parse_request(data), write_lp)

    def recommend_request(self, request: Request, write_lp: Path | None = None) -> dict[str, Any]:
        """The response for an already validated request."""
        catalog = self.catalog_for(request)
        result = optimize(request, catalog, self.solver, write_lp, self.time_limit)
        recommendations = []
        for rank, architecture in enumerate(result.ranking[: request.alternatives], start=1):
            chosen = result.results[architecture]
            assert chosen.design and chosen.quote and chosen.analysis
            report = design_report(chosen.design, chosen.quote, chosen.analysis, request, catalog)
            report.pop("catalog")
            recommendations.append({"rank": rank, **report})
        weighed = []
        for architecture in ARCHITECTURES:
            r = result.results[architecture]
            weighed.append(
                {
                    "architecture": architecture,
                    "title": ARCHITECTURE_INFO[architecture].title,
                    "status": r.status,
                    "cost": cost_dict(r.quote.cost, request, catalog) if r.quote else None,
                    "design": r.design.to_dict() if r.design else None,
                    "reasons": r.reasons,
                    "single_points_of_failure": spof_dicts(r.analysis) if r.analysis else [],
                }
            )
        cheapest = result.minimum_budget()
        minimum = None
        if cheapest is not None:
            minimum = {
                "amount": cents_to_money(cheapest[0]),
                "currency": catalog.currency,
                "architecture": cheapest[1],
                "applies_to": request.budget.applies_to,
            }
        return {
            "catalog": catalog.summary(),
            "recommendations": recommendations,
            "weighed": weighed,
            "minimum_budget": minimum,
            "solver": result.stats.to_dict(),
        }

    def analyze(self, data: Any) -> dict[str, Any]:
        request, architecture, given, budget_given = parse_analysis(data)
        catalog = self.catalog_for(request, budget_given)
        design, warnings = complete_design(architecture, given, request, catalog)
        shape = Shape.of(
            design, request.environment.domain_controllers, request.databases, request.environment.sites
        )
        analysis = analyze_shape(shape)
        quote = bill_of_materials(design, request, catalog)
        return design_report(design, quote, analysis, request, catalog, budget_given, warnings)


def complete_design(
    architecture: str, given: dict[str, Any], request: Request, catalog: Catalog
) -> tuple[Design, list[str]]:
    """A concrete design from the fields given; each missing field takes the architecture's
    smallest valid value. Product rules broken by a given field are errors naming it."""
    options = allowed(architecture, request, catalog)
    if isinstance(options, Forbidden):
        raise InvalidInput([FieldProblem(options.field, options.reason)])
    problems: list[FieldProblem] = []
    warnings: list[str] = []
    single = architecture == "single_server"
    dag = architecture in DAG_ARCHITECTURES
    units = LOAD_BALANCERS_BY_ARCHITECTURE[architecture]
    wnlb = architecture == "dedicated_cas_wnlb"

    def fixed(name: str, value: Any, why: str) -> None:
        if name in given and given[name] != value:
            problems.append(FieldProblem(f"design.{name}", f"{architecture} {why}"))

    fixed("dag", dag, "always has a DAG" if dag else "has no DAG")
    fixed(
        "cas_array",
        architecture not in ("single_server", "dag_only"),
        "has no CAS array" if architecture in ("single_server", "dag_only") else "always has a CAS array",
    )
    fixed("load_balancers", units, f"has exactly {units} load balancer(s)")
    n = given.get("exchange_servers", 1 if single else 2)
    if single and n != 1:
        problems.append(FieldProblem("design.exchange_servers", "single_server has exactly 1 server"))
    elif not single and not 2 <= n <= catalog.dag_max_members:
        problems.append(
            FieldProblem(
                "design.exchange_servers",
                f"a DAG has 2 to {catalog.dag_max_members} members (rule {catalog.dag_rule})",
            )
        )
    m = given.get("dedicated_cas_servers", 2 if wnlb else 0)
    if wnlb and m < 2:
        problems.append(
            FieldProblem(
                "design.dedicated_cas_servers", "Windows NLB needs at least 2 dedicated Client Access servers"
            )
        )
    if not wnlb and m:
        problems.append(
            FieldProblem(
                "design.dedicated_cas_servers",
                f"{architecture} has no dedicated Client Access servers (rule wnlb.no_failover_clustering)",
            )
        )
    copies = given.get("database_copies", 1 if single else min(catalog.policy.database_copies, n))
    if not 1 <= copies <= max(1, n) or (single and copies != 1):
        problems.append(
            FieldProblem("design.database_copies", "must be between 1 and the number of Exchange servers")
        )
    witness = given.get("witness", default_witness(architecture, n, request.environment.witness_host))
    if dag and n % 2 == 0 and witness == "none":
        problems.append(
            FieldProblem(
                "design.witness", "a DAG with an even number of members needs a witness (rule dag.witness)"
            )
        )
    if (not dag and witness != "none") or (witness == "cas_server" and not wnlb):
        problems.append(
            FieldProblem(
                "design.witness", f"{witness!r} is not possible for {architecture} (rule dag.witness)"
            )
        )
    server_model = _server_model(given, "server_model", n, request, catalog, problems)
    windows = _edition(
        given,
        "windows_edition",
        options.windows_editions,
        problems,
        lambda e: catalog.windows[(request.platform.windows_version, e)].price_cents,
        f"rule {catalog.windows_clustering_rule}" if dag else "",
    )
    limits = catalog.exchange[request.platform.exchange_version].mounted_databases
    per_server = math.ceil(copies * request.databases / max(n, 1))
    fitting = tuple(e for e in options.exchange_editions if limits[e] >= per_server)
    exchange = _edition(
        given,
        "exchange_edition",
        options.exchange_editions,
        problems,
        lambda e: (
            e not in fitting,
            catalog.exchange_servers[(request.platform.exchange_version, e)].price_cents,
        ),
        "",
    )
    if exchange in limits and per_server > limits[exchange]:
        problems.append(
            FieldProblem(
                "design.exchange_edition",
                f"each server would mount "
                f"{per_server} database copies, over Exchange "
                f"{request.platform.exchange_version} {exchange}'s limit of "
                f"{limits[exchange]} (rule exchange.mounted_databases)",
            )
        )
    lb_model = given.get("load_balancer_model")
    if units:
        lb_model = lb_model or min(
            options.load_balancer_models, key=lambda k: catalog.load_balancers[k].item.price_cents
        )
        if lb_model not in options.load_balancer_models:
            problems.append(
                FieldProblem(
                    "design.load_balancer_model",
                    "must be one of "
                    f"{', '.join(options.load_balancer_models)}"
                    + (" (models that can form an HA pair)" if units == 2 else ""),
                )
            )
    elif lb_model:
        problems.append(FieldProblem("design.load_balancer_model", f"{architecture} has no load balancer"))
    cas_model = cas_windows = cas_exchange = None
    if wnlb:
        cas_model = _server_model(given, "cas_server_model", m, request, catalog, problems)
        cas_windows = _edition(
            given,
            "cas_windows_edition",
            options.cas_windows_editions,
            problems,
            lambda e: catalog.windows[(request.platform.windows_version, e)].price_cents,
            "",
        )
        cas_exchange = _edition(
            given,
            "cas_exchange_edition",
            options.exchange_editions,
            problems,
            lambda e: catalog.exchange_servers[(request.platform.exchange_version, e)].price_cents,
            "",
        )
    else:
        for name in ("cas_server_model", "cas_windows_edition", "cas_exchange_edition"):
            if given.get(name):
                problems.append(
                    FieldProblem(f"design.{name}", f"{architecture} has no dedicated Client Access servers")
                )
    added = given.get("domain_controllers_added", max(0, 1 - request.environment.domain_controllers))
    if request.environment.domain_controllers + added < 1:
        problems.append(
            FieldProblem(
                "design.domain_controllers_added",
                "Exchange needs at least one domain controller (rule ad.global_catalog)",
            )
        )
    if problems:
        raise InvalidInput(problems)
    carry = catalog.servers[server_model].mailboxes
    if carry * n < request.mailboxes:
        warnings.append(
            f"Undersized: {n} x {server_model} carry {carry * n} mailboxes, fewer than "
            f"the {request.mailboxes} planned."
        )
    elif n > 1 and carry * (n - 1) < request.mailboxes:
        warnings.append(
            f"After one server fails, the remaining {n - 1} x {server_model} carry "
            f"{carry * (n - 1)} mailboxes, fewer than the {request.mailboxes} planned."
        )
    design = Design(
        architecture,
        n,
        m,
        dag,
        architecture not in ("single_server", "dag_only"),
        units,
        witness,
        windows,
        exchange,
        server_model,
        copies,
        added,
        lb_model,
        cas_model,
        cas_windows,
        cas_exchange,
    )
    return design, warnings


def _server_model(
    given: dict[str, Any],
    name: str,
    count: int,
    request: Request,
    catalog: Catalog,
    problems: list[FieldProblem],
) -> str:
    """The hardware model given for a server group, or the first that carries the mailboxes."""
    models = catalog.exchange_servers_models()
    chosen: str = given.get(name) or next(
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
    given: dict[str, Any],
    name: str,
    choices: tuple[str, ...],
    problems: list[FieldProblem],
    price: Any,
    rule: str,
) -> str:
    value = given.get(name)
    if value is None:
        return min(choices, key=price)
    if value not in choices:
        tail = f" ({rule})" if rule else ""
        problems.append(
            FieldProblem(
                f"design.{name}", f"{value!r} is not allowed here; choose {' or '.join(choices)}{tail}"
            )
        )
    return str(value)
