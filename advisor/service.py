"""The advisor's use cases with no HTTP: recommend designs, analyze a given one, and the
reference views of price books and architectures. Domain values in, typed results out."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from advisor import architectures
from advisor.assess import Assessment
from advisor.catalog.model import Catalog
from advisor.catalog.support import currency_problems, platform_problems, request_problems
from advisor.design_check import complete_design
from advisor.domain import (
    AnalysisRequest,
    Budget,
    Design,
    DesignReport,
    FieldProblem,
    InvalidInput,
    LifecycleReport,
    MinimumBudget,
    Quote,
    Recommendation,
    Recommendations,
    Request,
    UnknownCatalog,
    WeighedArchitecture,
)
from advisor.optimizer import EngineCache, Highs, Optimization, optimize
from advisor.optimizer.solve import time_budget as time_budget  # the edges bound a request with it
from advisor.optimizer.variants import structures
from advisor.report import catalog_ref, cost_report, design_report, lifecycle_reports, spof_reports
from advisor.tradeoffs import Candidate, budget_step, frontier, versus_first

# Database counts whose structures a server simulates before it forks (`Advisor.warm_shapes`).
WARM_DATABASES = range(1, 9)

if TYPE_CHECKING:
    from advisor.catalog.registry import CatalogRegistry
    from advisor.reference import ArchitectureProfiles, CatalogDetail, CatalogEntry


class Advisor:
    """Entry point for the CLI, the API and the web form.

    It owns what the engine keeps between requests (`cache`: simulated shapes, structures,
    priced servers; `highs`: the solver instances), so two advisors never share state and a
    process that forks (gunicorn) fills them once, before it forks (`warm`).
    """

    def __init__(
        self,
        catalogs: CatalogRegistry,
        solver: str = "highs",
        time_limit: float = 10.0,
        cache: EngineCache | None = None,
    ):
        self.catalogs = catalogs
        self.solver = solver
        self.time_limit = time_limit
        self.cache = cache or EngineCache()
        self.highs = Highs()
        self._profiles: ArchitectureProfiles | None = None

    def catalog_for(self, request: Request, budget_given: bool = True) -> Catalog:
        """The request's catalog, once it accepts the request: InvalidInput naming the budget's
        currency (when a budget is given and the catalog prices in another) and the Exchange and
        Windows versions (when the one does not run on the other, with the versions that fit)
        together, so fixing one field does not reveal the next."""
        catalog = self.catalogs.get(request.catalog)
        problems = request_problems(request, catalog, budget_given)
        if problems:
            raise InvalidInput(problems)
        return catalog

    def catalog_problems(
        self,
        catalog_id: str,
        exchange_version: str | None,
        windows_version: str | None,
        currency: str | None,
    ) -> list[FieldProblem]:
        """What the catalog says is wrong with a body whose schema problems are being reported:
        its budget's currency (None: no budget, or one whose currency is itself invalid) and its
        Exchange version on its Windows version (None for either: not both are valid). Nothing
        when there is no such catalog (that is reported on its own). The edges add these to a
        body's other problems, so one answer names them all."""
        try:
            catalog = self.catalogs.get(catalog_id)
        except UnknownCatalog:
            return []
        found = [] if currency is None else currency_problems(currency, catalog)
        if exchange_version is not None and windows_version is not None:
            found += platform_problems(exchange_version, windows_version, catalog)
        return found

    def lifecycle(self, request: Request, today: str | None = None) -> tuple[LifecycleReport, ...]:
        """The support of the request's Exchange and Windows versions on `today` (an ISO date;
        the current date by default): what every design of the request shares."""
        catalog = self.catalogs.get(request.catalog)
        return lifecycle_reports(request, catalog, today or date.today().isoformat())

    def catalog_list(self) -> list[CatalogEntry]:
        """Every price book by id, version, currency and date; `default` marks the one requests
        that name no catalog are priced from."""
        from advisor import reference  # the reference views, only when asked for

        default_id = self.catalogs.get("default").id
        return [reference.catalog_entry(c, default_id) for c in self.catalogs.all()]

    def catalog_detail(self, catalog_id: str) -> CatalogDetail:
        """One price book with every price and its basis, the facts and the rules they cite;
        UnknownCatalog when there is no such id."""
        from advisor import reference

        catalog = self.catalogs.get(catalog_id)
        return reference.catalog_detail(catalog, catalog.id == self.catalogs.get("default").id)

    def architecture_profiles(self) -> ArchitectureProfiles:
        """Every architecture with its rules and the failure profile of its smallest design,
        worked out once per advisor (it depends on the default catalog only)."""
        if self._profiles is None:
            from advisor import reference

            self._profiles = reference.architectures(self.catalogs.get("default"), self.analyze)
        return self._profiles

    def warm(self, requests: list[Request], shapes: bool = False) -> None:
        """Fill the caches before a fork: the solver's module (`Highs.load`), the architecture
        profiles, with `shapes` the shapes most requests weigh (`warm_shapes`), and the given
        requests."""
        if self.solver == "highs":
            self.highs.load()
        self.architecture_profiles()
        if shapes:
            self.warm_shapes()
        for request in requests:
            self.recommend(request)

    def warm_shapes(self, databases: range = WARM_DATABASES) -> int:
        """Simulate the structures most requests weigh, so that a fresh worker does not: every
        architecture of the default request's Exchange version, at its database copies and
        sites, with `databases` databases, one or two domain controllers and either witness
        host, in the default catalog. Returns how many shapes the simulator then holds."""
        catalog = self.catalogs.get("default")
        base = Request(Budget(0), ())
        for spec in architectures.for_version(base.platform.exchange_version):
            for count in databases:
                for controllers in (1, 2):
                    for witness in ("existing", "buy"):
                        env = dataclasses.replace(
                            base.environment, domain_controllers=controllers, witness_host=witness
                        )
                        request = dataclasses.replace(base, databases=count, environment=env)
                        for structure in structures(spec, request, catalog, self.cache):
                            self.cache.simulator.outages(structure.shape)
        return len(self.cache.simulator)

    def recommend(self, request: Request, write_lp: Path | None = None) -> Recommendations:
        """The best designs for a request, every architecture's fate, and the least budget."""
        catalog = self.catalog_for(request)
        result = optimize(request, catalog, self.cache, self.highs, self.solver, write_lp, self.time_limit)
        candidates = _candidates(result, request, catalog, self.cache)
        first = candidates.get(result.ranking[0]) if result.ranking else None
        measure = request.budget.applies_to
        recommendations = []
        for rank, architecture in enumerate(result.ranking[: request.alternatives], start=1):
            chosen = result.results[architecture]
            if not (chosen.design and chosen.quote and chosen.assessment):
                raise RuntimeError(f"{architecture} was ranked without a priced, assessed design")
            report = design_report(
                chosen.design,
                chosen.quote,
                chosen.assessment,
                request,
                catalog,
                availability=self.cache.availability(chosen.assessment, request, catalog),
            )
            versus = (
                versus_first(first, candidates[architecture], catalog.currency, measure)
                if first is not None and rank > 1
                else None
            )
            recommendations.append(Recommendation(**vars(report), rank=rank, compared_with_first=versus))
        weighed = tuple(
            WeighedArchitecture(
                architecture=r.spec.name,
                title=r.spec.title,
                status=r.status,
                cost=cost_report(r.quote, catalog, request.budget) if r.quote else None,
                design=r.design,
                reasons=tuple(r.reasons),
                single_points_of_failure=spof_reports(r.analysis) if r.analysis else (),
            )
            for r in result.results.values()
        )
        cheapest = result.minimum_budget()
        minimum = None
        if cheapest is not None:
            minimum = MinimumBudget(cheapest[0], catalog.currency, cheapest[1], request.budget.applies_to)
        pool = list(candidates.values())
        return Recommendations(
            catalog=catalog_ref(catalog),
            recommendations=tuple(recommendations),
            weighed=weighed,
            minimum_budget=minimum,
            solver=result.stats.summary(),
            exchange_version=request.platform.exchange_version,
            frontier=frontier(pool, catalog.currency, measure),
            budget_sensitivity=budget_step(
                pool, first, catalog.currency, measure, request.budget.amount_cents
            ),
        )

    def analyze(self, analysis: AnalysisRequest) -> DesignReport:
        """What one concrete design costs and survives, without optimising."""
        request = analysis.request
        catalog = self.catalog_for(request, analysis.budget_given)
        spec = architectures.spec(analysis.architecture, request.platform.exchange_version)
        design, warnings = complete_design(spec, analysis.design, request, catalog, analysis.copy_layout)
        assessment = self.cache.assess(design, request, catalog)
        quote = self.cache.quote(design, request, catalog)
        return design_report(
            design,
            quote,
            assessment,
            request,
            catalog,
            analysis.budget_given,
            warnings,
            availability=self.cache.availability(assessment, request, catalog),
        )


def _candidates(
    result: Optimization, request: Request, catalog: Catalog, cache: EngineCache
) -> dict[str, Candidate]:
    """Every weighed architecture's design that meets every required goal, with its cost by the
    budget's measure and its expected downtime, and, where it has load balancers, the same design
    with the cheapest load balancer of the other kind (a hardware unit fails less often than a
    virtual one and its host): what the frontier is drawn from. Keyed by architecture, and by
    architecture and load-balancer model for the variants."""
    found = {}
    for name, r in result.results.items():
        if r.status not in ("recommended", "feasible", "over_budget"):
            continue
        if not (r.design and r.quote and r.assessment):
            continue
        found[name] = _candidate(r.spec.title, r.design, r.quote, r.assessment, request, catalog, cache)
        model = catalog.load_balancers.get(r.design.load_balancer_model or "")
        if model is None:
            continue
        hosts = request.environment.hypervisor_hosts
        others = sorted(
            (
                lb
                for lb in catalog.load_balancers.values()
                if lb.kind != model.kind
                and (not r.spec.ha_pair or lb.ha_pair)
                and (lb.kind != "virtual" or hosts >= r.spec.load_balancer_units)
            ),
            key=lambda lb: (lb.item.price_cents, lb.item.sku),
        )
        if others:
            variant = dataclasses.replace(r.design, load_balancer_model=others[0].item.sku)
            quote = cache.quote(variant, request, catalog)
            assessment = cache.assess(variant, request, catalog)
            found[f"{name}:{others[0].item.sku}"] = _candidate(
                r.spec.title, variant, quote, assessment, request, catalog, cache
            )
    return found


def _candidate(
    title: str,
    design: Design,
    quote: Quote,
    assessment: Assessment,
    request: Request,
    catalog: Catalog,
    cache: EngineCache,
) -> Candidate:
    report = cache.availability(assessment, request, catalog)
    measure = quote.cost.measure(request.budget.applies_to)
    return Candidate(
        design.architecture,
        title,
        design,
        cost_report(quote, catalog, request.budget),
        measure,
        {svc: a.expected_outage_minutes_per_year for svc, a in report.services.items()},
        measure <= request.budget.amount_cents,
        lb.kind if (lb := catalog.load_balancers.get(design.load_balancer_model or "")) else None,
    )
