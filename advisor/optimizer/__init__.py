"""Find each architecture's best design for a request with a MILP, and rank the architectures."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pulp

from advisor.catalog import Catalog
from advisor.domain import ARCHITECTURES, Design, Request, format_money
from advisor.failures import SERVICE_LABELS, Analysis
from advisor.optimizer.model import Model, SizingCache, Unsizable, build_model, extract_design
from advisor.optimizer.solve import SOLVERS, SolverStats, solve
from advisor.optimizer.variants import Forbidden, Options, Variant, allowed, enumerate_variants
from advisor.pricing import Quote, bill_of_materials

__all__ = ["SOLVERS", "ArchitectureResult", "Optimization", "optimize"]


@dataclass
class ArchitectureResult:
    architecture: str
    status: str
    reasons: list[str]
    design: Design | None = None
    quote: Quote | None = None
    analysis: Analysis | None = None
    weight: float = 0.0


@dataclass
class Optimization:
    results: dict[str, ArchitectureResult]
    ranking: list[str]
    stats: SolverStats = field(default_factory=SolverStats)

    def minimum_budget(self, applies_to: str) -> tuple[int, str] | None:
        """The cheapest design meeting every required goal: (cents, architecture)."""
        best: tuple[int, str] | None = None
        for result in self.results.values():
            if result.quote and result.status in ("feasible", "over_budget", "recommended"):
                figure = result.quote.cost.measure(applies_to)
                if best is None or figure < best[0]:
                    best = (figure, result.architecture)
        return best


def optimize(
    request: Request,
    catalog: Catalog,
    solver: str = "highs",
    write_lp: Path | None = None,
    time_limit: float = 10.0,
) -> Optimization:
    """Weigh every architecture the Exchange version knows; rank the ones that fit."""
    stats = SolverStats()
    sizings: SizingCache = {}
    results = {
        a: _weigh(a, request, catalog, stats, solver, write_lp, time_limit, sizings) for a in ARCHITECTURES
    }
    feasible = [r for r in results.values() if r.status == "feasible"]

    def order(r: ArchitectureResult) -> tuple[float, float, int]:
        assert r.quote is not None
        total = r.quote.cost.total_cents
        index = ARCHITECTURES.index(r.architecture)
        if request.objective == "max_goals":
            return (-r.weight, total, index)
        return (total, -r.weight, index)

    ranking = [r.architecture for r in sorted(feasible, key=order)]
    for architecture in ranking[: request.alternatives]:
        results[architecture].status = "recommended"
    return Optimization(results, ranking, stats)


def _weigh(
    architecture: str,
    request: Request,
    catalog: Catalog,
    stats: SolverStats,
    solver: str,
    write_lp: Path | None,
    time_limit: float,
    sizings: SizingCache,
) -> ArchitectureResult:
    options = allowed(architecture, request, catalog)
    if isinstance(options, Forbidden):
        return ArchitectureResult(architecture, "not_allowed", [options.reason])
    variants = enumerate_variants(architecture, request, catalog)
    if not variants:
        return ArchitectureResult(architecture, "not_allowed", _unsizable(request, catalog))
    qualifying = [v for v in variants if v.meets_required]
    if not qualifying:
        return _cheapest_missing(
            architecture, request, catalog, options, variants, stats, solver, time_limit, sizings
        )

    try:
        model = build_model(
            architecture, request, catalog, options, qualifying, with_budget=True, cache=sizings
        )
    except Unsizable:
        return ArchitectureResult(architecture, "not_allowed", _unsizable(request, catalog))
    fits = _solve_objective(model, request, stats, solver, time_limit)
    if write_lp is not None:
        write_lp.mkdir(parents=True, exist_ok=True)
        model.problem.writeLP(str(write_lp / f"{architecture}.lp"))
    if fits:
        design, variant = extract_design(model)
        quote = _priced(model, design, request, catalog)
        return ArchitectureResult(
            architecture,
            "feasible",
            _fits(request, quote, variant, catalog),
            design,
            quote,
            variant.analysis,
            variant.weight,
        )

    # Nothing fits the budget: find what the cheapest qualifying design costs instead.
    model.lift_budget()
    measure = model.total if request.budget.applies_to == "total" else model.upfront
    model.problem.sense = pulp.LpMinimize
    model.problem.setObjective(measure - _epsilon(request) * model.weight)
    if not solve(model.problem, stats, solver, time_limit):
        return ArchitectureResult(architecture, "not_allowed", _unsizable(request, catalog))
    design, variant = extract_design(model)
    quote = _priced(model, design, request, catalog)
    figure = quote.cost.measure(request.budget.applies_to)
    short = figure - request.budget.amount_cents
    reason = (
        f"The cheapest design that meets every required goal costs "
        f"{format_money(figure, catalog.currency)} {_measure_words(request)}, "
        f"{format_money(short, catalog.currency)} more than the budget of "
        f"{format_money(request.budget.amount_cents, catalog.currency)}."
    )
    return ArchitectureResult(
        architecture, "over_budget", [reason], design, quote, variant.analysis, variant.weight
    )


def _cheapest_missing(
    architecture: str,
    request: Request,
    catalog: Catalog,
    options: Options,
    variants: list[Variant],
    stats: SolverStats,
    solver: str,
    time_limit: float,
    sizings: SizingCache,
) -> ArchitectureResult:
    """No structure meets the required goals: still price the cheapest design of the
    architecture, so a planner can show what the savings would leave exposed."""
    try:
        model = build_model(
            architecture, request, catalog, options, variants, with_budget=False, cache=sizings
        )
    except Unsizable:
        return ArchitectureResult(
            architecture, "misses_required_goal", _missed(request, variants[0]), analysis=variants[0].analysis
        )
    model.problem.setObjective(model.total - _epsilon(request) * model.weight)
    if not solve(model.problem, stats, solver, time_limit):
        return ArchitectureResult(
            architecture, "misses_required_goal", _missed(request, variants[0]), analysis=variants[0].analysis
        )
    design, variant = extract_design(model)
    quote = _priced(model, design, request, catalog)
    return ArchitectureResult(
        architecture,
        "misses_required_goal",
        _missed(request, variant),
        design,
        quote,
        variant.analysis,
        variant.weight,
    )


def _epsilon(request: Request) -> float:
    """Weight's worth in cents for tie-breaks: less than one cent over all preferred goals."""
    total = sum(g.weight for g in request.goal_pairs().values() if g.priority == "preferred")
    return 1.0 / (1.0 + total)


def _solve_objective(
    model: Model, request: Request, stats: SolverStats, solver: str, time_limit: float
) -> bool:
    if request.objective == "min_cost":
        model.problem.setObjective(model.total - _epsilon(request) * model.weight)
        return solve(model.problem, stats, solver, time_limit)
    model.problem.sense = pulp.LpMaximize
    model.problem.setObjective(model.weight)
    if not solve(model.problem, stats, solver, time_limit):
        return False
    best = pulp.value(model.weight) or 0.0
    model.problem.sense = pulp.LpMinimize
    model.problem += model.weight >= best - 1e-6, "keep_best_preferred_weight"
    model.problem.setObjective(model.total)
    return solve(model.problem, stats, solver, time_limit)


def _priced(model: Model, design: Design, request: Request, catalog: Catalog) -> Quote:
    """Price the design from its bill of materials and hold the MILP's cost to it."""
    quote = bill_of_materials(design, request, catalog)
    upfront = round(pulp.value(model.upfront))
    annual = round(pulp.value(model.annual))
    if (upfront, annual) != (quote.cost.upfront_cents, quote.cost.annual_cents):
        raise RuntimeError(
            f"{model.architecture}: the MILP priced {upfront}/{annual} cents but the "
            f"bill of materials says {quote.cost.upfront_cents}/{quote.cost.annual_cents}"
        )
    return quote


def _measure_words(request: Request) -> str:
    if request.budget.applies_to == "total":
        return f"in total over {request.horizon_years} years"
    return "upfront"


def _fits(request: Request, quote: Quote, variant: Variant, catalog: Catalog) -> list[str]:
    cost = quote.cost
    left = request.budget.amount_cents - cost.measure(request.budget.applies_to)
    reasons = [
        f"Meets every required goal for {format_money(cost.upfront_cents, catalog.currency)} "
        f"upfront and {format_money(cost.annual_cents, catalog.currency)} a year "
        f"({format_money(cost.total_cents, catalog.currency)} over {request.horizon_years} "
        f"years), leaving {format_money(left, catalog.currency)} of the budget."
    ]
    preferred = [(f, s) for (f, s), g in request.goal_pairs().items() if g.priority == "preferred"]
    if preferred:
        met = [p for p in preferred if variant.analysis.meets(*p)]
        missed = [p for p in preferred if not variant.analysis.meets(*p)]
        text = f"Preferred goals met: {len(met)} of {len(preferred)}"
        if missed:
            text += "; missed: " + ", ".join(f"{f}/{s}" for f, s in missed)
        reasons.append(text + ".")
    return reasons


def _missed(request: Request, variant: Variant) -> list[str]:
    """Why no structure of an architecture meets the required goals, from the simulator."""
    reasons = []
    for (failure, service), goal in request.goal_pairs().items():
        if goal.priority == "required" and not variant.analysis.meets(failure, service):
            why = variant.analysis.why_not(failure, service)
            reasons.append(
                f"Required goal {failure}/{service} is missed: "
                f"{SERVICE_LABELS[service]} has an outage because {why}."
            )
    return reasons


def _unsizable(request: Request, catalog: Catalog) -> list[str]:
    largest = max(s.mailboxes for s in catalog.exchange_servers_models())
    limits = catalog.exchange[request.platform.exchange_version].mounted_databases
    return [
        f"No design within the DAG's {catalog.dag_max_members}-member limit (rule "
        f"{catalog.dag_rule}) carries {request.mailboxes} mailboxes and {request.databases} "
        f"databases with the catalog's largest server ({largest} mailboxes) and at most "
        f"{max(limits.values())} mounted databases per server (rule "
        f"{catalog.exchange[request.platform.exchange_version].mounted_databases_rule})."
    ]
