"""Find each architecture's best design for a request with a MILP, and rank the architectures."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pulp

from advisor import architectures
from advisor.catalog.model import Catalog
from advisor.domain import (
    FAILURE_WORDS,
    SERVICE_LABELS,
    ArchitectureSpec,
    Design,
    Quote,
    Request,
    SolverFailed,
    format_money,
)
from advisor.failures import Analysis
from advisor.optimizer.cache import EngineCache
from advisor.optimizer.model import (
    Model,
    SizingCache,
    Unsizable,
    build_model,
    extract_design,
    select_columns,
)
from advisor.optimizer.solve import Highs, SolverStats, solve_many
from advisor.optimizer.variants import Forbidden, Scorer, Variant, allowed, structures
from advisor.pricing import bill_of_materials

__all__ = ["ArchitectureResult", "EngineCache", "Highs", "Optimization", "optimize"]


@dataclass
class ArchitectureResult:
    spec: ArchitectureSpec
    status: str
    reasons: list[str]
    design: Design | None = None
    quote: Quote | None = None
    analysis: Analysis | None = None
    weight: float = 0.0
    # The least any design of the architecture that meets every required goal costs, by the
    # budget's measure (it need not be the design reported, which is chosen by the objective).
    least_cents: int | None = None


@dataclass
class Optimization:
    results: dict[str, ArchitectureResult]
    ranking: list[str]
    stats: SolverStats = field(default_factory=SolverStats)

    def minimum_budget(self) -> tuple[int, str] | None:
        """The cheapest design meeting every required goal, by the budget's measure: (cents,
        architecture). It does not depend on the budget or the objective."""
        best: tuple[int, str] | None = None
        for result in self.results.values():
            if result.least_cents is not None and (best is None or result.least_cents < best[0]):
                best = (result.least_cents, result.spec.name)
        return best


def optimize(
    request: Request,
    catalog: Catalog,
    cache: EngineCache,
    highs: Highs,
    solver: str = "highs",
    write_lp: Path | None = None,
    time_limit: float = 10.0,
) -> Optimization:
    """Weigh every architecture the Exchange version knows; rank the ones that fit.

    Each architecture has its own model; the models are solved in stages, every stage one
    batched solve over the architectures it concerns (see `solve_many`):

    A. each model's objective: an architecture that misses a required goal gets its cheapest
       design by total, reported for comparison only; one whose cheapest design by the
       budget's measure breaks the budget (`Model.least`, exact on these models) gets that
       design, which says by how much it is `over_budget`; every other one gets, within the
       budget, the lowest total for `min_cost` or the most preferred weight for `max_goals`,
       then, for `max_goals`,
    B. the lowest total that keeps that weight.
    """
    stats = SolverStats()
    sizings: SizingCache = {}
    score = Scorer(request, cache.simulator)
    specs = architectures.for_version(request.platform.exchange_version)
    results: dict[str, ArchitectureResult] = {}
    models: dict[str, Model] = {}
    missing: set[str] = set()
    for spec in specs:
        built = _build(spec, request, catalog, score, sizings, cache)
        if isinstance(built, ArchitectureResult):
            results[spec.name] = built
            continue
        model, misses = built
        models[spec.name] = model
        if misses:
            missing.add(spec.name)

    eps = _epsilon(request)
    by_total = request.budget.applies_to == "total"
    over: set[str] = set()
    open_: dict[str, Model] = {}
    least: dict[str, int] = {}
    for architecture, model in models.items():
        measure = model.total if by_total else model.upfront
        if architecture in missing:
            model.lift_budget()
            _objective(model, model.total - eps * model.weight)
            continue
        least[architecture] = round(model.least(measure))
        if least[architecture] > request.budget.amount_cents:
            over.add(architecture)
            model.lift_budget()
            _objective(model, measure - eps * model.weight)
        else:
            open_[architecture] = model
            model.enforce_budget()
            if request.objective == "min_cost":
                _objective(model, model.total - eps * model.weight)
            else:
                _objective(model, -model.weight)
    _solve_stage(models, stats, highs, solver, time_limit)
    if request.objective == "max_goals" and open_:
        for model in open_.values():
            best = pulp.value(model.weight) or 0.0
            model.problem.addConstraint(model.weight >= best - 1e-6, "keep_best_preferred_weight")
            _objective(model, model.total)
        _solve_stage(open_, stats, highs, solver, time_limit)

    for architecture, model in models.items():
        design, variant = extract_design(model)
        quote = bill_of_materials(design, request, catalog)
        if architecture in missing:
            results[architecture] = ArchitectureResult(
                model.spec,
                "misses_required_goal",
                _missed(request, variant),
                design,
                quote,
                variant.analysis,
                variant.weight,
            )
        elif architecture in over:
            results[architecture] = _over_budget(model.spec, request, catalog, design, variant, quote)
        else:
            results[architecture] = _feasible(model.spec, request, catalog, design, variant, quote)
        results[architecture].least_cents = least.get(architecture)

    if write_lp is not None:
        write_lp.mkdir(parents=True, exist_ok=True)
        for architecture, model in models.items():
            model.problem.writeLP(str(write_lp / f"{architecture}.lp"))
    results = {s.name: results[s.name] for s in specs}
    position = {s.name: i for i, s in enumerate(specs)}

    def order(r: ArchitectureResult) -> tuple[float, float, int]:
        total = r.quote.cost.total_cents if r.quote is not None else 0
        index = position[r.spec.name]
        if request.objective == "max_goals":
            return (-r.weight, total, index)
        return (total, -r.weight, index)

    feasible = [r for r in results.values() if r.status == "feasible" and r.quote is not None]
    ranking = [r.spec.name for r in sorted(feasible, key=order)]
    for architecture in ranking[: request.alternatives]:
        results[architecture].status = "recommended"
    return Optimization(results, ranking, stats)


def _build(
    spec: ArchitectureSpec,
    request: Request,
    catalog: Catalog,
    score: Scorer,
    sizings: SizingCache,
    cache: EngineCache,
) -> ArchitectureResult | tuple[Model, bool]:
    """The architecture's model (and whether it misses a required goal), or why there is none."""
    options = allowed(spec, request, catalog)
    if isinstance(options, Forbidden):
        return ArchitectureResult(spec, "not_allowed", [options.reason])
    found = structures(spec, request, catalog, cache)
    if not found:
        return ArchitectureResult(spec, "not_allowed", _unsizable(request, catalog))
    try:
        selection = select_columns(spec, request, catalog, options, found, score, cache, sizings)
    except Unsizable:
        if any(score(s).meets_required for s in found):
            return ArchitectureResult(spec, "not_allowed", _unsizable(request, catalog))
        first = score(found[0])
        return ArchitectureResult(
            spec, "misses_required_goal", _missed(request, first), analysis=first.analysis
        )
    model = build_model(spec, request, catalog, options, selection.columns, with_budget=True)
    return model, not selection.meets_required


def _objective(model: Model, objective: pulp.LpAffineExpression) -> None:
    """Every objective is minimised, so that any models can share a batched solve."""
    model.problem.sense = pulp.LpMinimize
    model.problem.setObjective(objective)


def _solve_stage(
    models: dict[str, Model], stats: SolverStats, highs: Highs, solver: str, time_limit: float
) -> None:
    """One batched solve; every model here is feasible by construction (columns exist, and
    the budget is enforced only where stage A showed a design within it)."""
    problems = [m.problem for m in models.values()]
    for solved, (architecture, _) in zip(
        solve_many(problems, stats, highs, solver, time_limit), models.items(), strict=True
    ):
        if not solved:
            raise SolverFailed(f"the model for {architecture} turned infeasible, which should not happen")


def _feasible(
    spec: ArchitectureSpec, request: Request, catalog: Catalog, design: Design, variant: Variant, quote: Quote
) -> ArchitectureResult:
    return ArchitectureResult(
        spec,
        "feasible",
        _fits(request, quote, variant, catalog),
        design,
        quote,
        variant.analysis,
        variant.weight,
    )


def _over_budget(
    spec: ArchitectureSpec, request: Request, catalog: Catalog, design: Design, variant: Variant, quote: Quote
) -> ArchitectureResult:
    figure = quote.cost.measure(request.budget.applies_to)
    short = figure - request.budget.amount_cents
    reason = (
        f"The cheapest design that meets every required goal costs "
        f"{format_money(figure, catalog.currency)} {_measure_words(request)}, "
        f"{format_money(short, catalog.currency)} more than the budget of "
        f"{format_money(request.budget.amount_cents, catalog.currency)}."
    )
    return ArchitectureResult(spec, "over_budget", [reason], design, quote, variant.analysis, variant.weight)


def _epsilon(request: Request) -> float:
    """Weight's worth in cents for tie-breaks: less than one cent over all preferred goals."""
    total = sum(g.weight for g in request.goal_pairs().values() if g.priority == "preferred")
    return 1.0 / (1.0 + total)


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
                f"Required goal missed ({failure}/{service}): when {FAILURE_WORDS[failure]}, "
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
