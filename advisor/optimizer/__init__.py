"""Find each architecture's best design for a request with a MILP, and rank the architectures."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from advisor import architectures
from advisor.assess import Assessment
from advisor.availability import downtime
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
from advisor.optimizer.milp import GE, LE, Expr
from advisor.optimizer.model import (
    Column,
    Hardware,
    Model,
    Selection,
    Unsizable,
    build_model,
    chosen_columns,
    columns,
    extract_design,
    hardware,
    select_columns,
)
from advisor.optimizer.solve import Highs, SolverStats, solve_many
from advisor.optimizer.variants import Forbidden, Options, Scorer, Structure, allowed, structures
from advisor.sizing import database_size_note

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
    assessment: Assessment | None = None
    downtime: float = 0.0  # expected Outlook minutes a year down or slowed (min_downtime ranks by it)


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

    A. the least each design costs by the budget's measure, the budget lifted (what
       `minimum_budget` reports, and what an architecture that misses a required goal or
       breaks the budget reports as its design);
    B. within the budget, the lowest total for `min_cost` (skipped where A already minimised
       the total and its design fits) or the most preferred weight for `max_goals`, then, for
       `max_goals`,
    C. the lowest total that keeps that weight.

    Ties go to the most preferred weight, then the most even layout.
    """
    stats = SolverStats()
    score = Scorer(request, cache.simulator)
    specs = architectures.for_version(request.platform.exchange_version)
    results: dict[str, ArchitectureResult] = {}
    models: dict[str, Model] = {}
    for spec in specs:
        built = _build(spec, request, catalog, score, cache)
        if isinstance(built, ArchitectureResult):
            results[spec.name] = built
        else:
            models[spec.name] = built

    eps = _epsilon(request)
    by_total = request.budget.applies_to == "total"
    for model in models.values():
        model.lift_budget()
        measure = model.total if by_total else model.upfront
        _objective(model, measure - eps * model.body.weight + eps * 1e-3 * model.body.evenness)
    _solve_stage(models, stats, highs, solver, time_limit)
    least = {
        a: round(m.value(m.total if by_total else m.upfront))
        for a, m in models.items()
        if m.body.meets_required
    }
    over = {a for a, cents in least.items() if cents > request.budget.amount_cents}
    open_ = {a: m for a, m in models.items() if m.body.meets_required and a not in over}
    again = {a: m for a, m in open_.items() if request.objective != "min_cost" or not by_total}
    for model in again.values():
        model.enforce_budget()
        if request.objective == "min_cost":
            _objective(model, model.total - eps * model.body.weight + eps * 1e-3 * model.body.evenness)
        elif request.objective == "min_downtime" and model.body.downtime is not None:
            _objective(model, model.body.downtime)
        else:
            _objective(model, -model.body.weight + 1e-6 * eps * model.body.evenness)
    _solve_stage(again, stats, highs, solver, time_limit)
    if request.objective in ("max_goals", "min_downtime") and again:
        for model in again.values():
            if request.objective == "max_goals" or model.body.downtime is None:
                best = model.value(model.body.weight) or 0.0
                model.milp.constrain(model.body.weight, GE, best - 1e-6, "keep_best_preferred_weight")
            else:
                fewest = model.value(model.body.downtime) or 0.0
                model.milp.constrain(model.body.downtime, LE, fewest + 1e-6, "keep_least_downtime")
            _objective(model, model.total + eps * 1e-3 * model.body.evenness)
        _solve_stage(again, stats, highs, solver, time_limit)

    for architecture, model in models.items():
        design, column = extract_design(model)
        quote = cache.quote(design, request, catalog)
        assessment = cache.assess(design, request, catalog)
        if not model.body.meets_required:
            result = ArchitectureResult(
                model.body.spec, "misses_required_goal", _missed(request, assessment.analysis), design, quote
            )
        elif architecture in over:
            result = _over_budget(model.body.spec, request, catalog, design, quote)
        else:
            result = ArchitectureResult(
                model.body.spec, "feasible", _fits(request, quote, assessment.analysis, catalog)
            )
            result.design, result.quote = design, quote
        result.analysis, result.assessment = assessment.analysis, assessment
        result.weight = column.variant.weight
        if request.objective == "min_downtime":
            result.downtime = downtime(
                assessment.analysis,
                assessment.doubles,
                request,
                catalog,
                sized_for_failures=not assessment.degraded_by(),
            )
        result.least_cents = least.get(architecture)
        results[architecture] = result

    if write_lp is not None:
        write_lp.mkdir(parents=True, exist_ok=True)
        for architecture, model in models.items():
            problem, _ = model.milp.to_pulp()
            problem.writeLP(str(write_lp / f"{architecture}.lp"))
    results = {s.name: results[s.name] for s in specs}
    position = {s.name: i for i, s in enumerate(specs)}

    def order(r: ArchitectureResult) -> tuple[float, float, int]:
        total = r.quote.cost.total_cents if r.quote is not None else 0
        index = position[r.spec.name]
        if request.objective == "max_goals":
            return (-r.weight, total, index)
        if request.objective == "min_downtime":
            return (round(r.downtime, 6), total, index)
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
    cache: EngineCache,
) -> ArchitectureResult | Model:
    """The architecture's model, or why there is none."""
    options = allowed(spec, request, catalog)
    if isinstance(options, Forbidden):
        return ArchitectureResult(spec, "not_allowed", [options.reason])
    options = _hosted(spec, request, catalog, options)
    if isinstance(options, Forbidden):
        return ArchitectureResult(spec, "not_allowed", [options.reason])
    found = structures(spec, request, catalog, cache)
    if not found:
        return ArchitectureResult(spec, "not_allowed", [_too_few(spec, request, catalog)])
    kit = hardware(spec, request, catalog, options, cache)
    if request.objective == "min_downtime":
        found_columns = columns(spec, request, catalog, found, score, cache)
        found_columns, lb_downtime = _with_downtime(spec, request, catalog, options, found_columns, cache)
        try:
            selection = select_columns(spec, request, catalog, found_columns, kit)
        except Unsizable as err:
            return ArchitectureResult(
                spec, "not_allowed", [_unsizable(spec, request, catalog, kit, err.limit)]
            )
        selection.lb_downtime = lb_downtime
    else:
        kept = _selection(spec, request, catalog, found, kit, score, cache)
        if isinstance(kept, Unsizable):
            return ArchitectureResult(
                spec, "not_allowed", [_unsizable(spec, request, catalog, kit, kept.limit)]
            )
        selection = kept
    # A min_downtime selection is the request's own (its columns carry their downtime): its
    # model is too.
    engine = None if request.objective == "min_downtime" else cache
    return build_model(spec, request, catalog, options, kit, selection, with_budget=True, engine=engine)


def _selection(
    spec: ArchitectureSpec,
    request: Request,
    catalog: Catalog,
    found: tuple[Structure, ...],
    kit: Hardware,
    score: Scorer,
    cache: EngineCache,
) -> Selection | Unsizable:
    """The columns an architecture's model weighs (`chosen_columns`), or why
    none can be sized, kept by what they are made of: the architecture's structures and
    hardware (each made once and kept by the engine: compared by identity, and held by the
    entry so that no other object takes their ids), the goals as the scorer reads them, and the
    mailbox count, profile and Windows version the columns' needs and fixed costs read. Nothing
    of the budget, the objective (min_downtime aside: its columns carry each one's downtime and
    are never kept), the editions chosen or the horizon goes in, nor is an answer kept."""
    key = (
        "selection",
        id(found),
        id(kit),
        score.required,
        tuple(sorted(score.preferred)),
        frozenset(g.failure for g in request.goals),
        request.survives_server_required,
        request.mailboxes,
        request.mailbox_profile,
        request.platform.windows_version,
    )

    def make() -> tuple[tuple[Structure, ...], Hardware, Selection | Unsizable]:
        try:
            made: Selection | Unsizable = chosen_columns(spec, request, catalog, found, score, kit, cache)
        except Unsizable as err:
            made = err
        return found, kit, made

    entry: tuple[tuple[Structure, ...], Hardware, Selection | Unsizable] = cache.selections.get(key, make)  # type: ignore[assignment]
    return entry[2]


def _with_downtime(
    spec: ArchitectureSpec,
    request: Request,
    catalog: Catalog,
    options: Options,
    found: list[Column],
    cache: EngineCache,
) -> tuple[list[Column], dict[str, float]]:
    """The columns with their expected Outlook downtime (objective min_downtime), and what each
    load-balancer model adds to it: a virtual unit runs on a hypervisor host that fails too."""
    simulator = cache.simulator
    out = []
    for column in found:
        shape = column.variant.shape
        minutes = downtime(
            simulator.analysis(shape),
            simulator.doubles(shape),
            request,
            catalog,
            sized_for_failures=column.through_failures,
        )
        out.append(dataclasses.replace(column, downtime=minutes))
    extra: dict[str, float] = {}
    if spec.load_balancer_units and found:
        shape = found[0].variant.shape
        hardware_minutes = downtime(simulator.analysis(shape), simulator.doubles(shape), request, catalog)
        hosts = max(1, min(spec.load_balancer_units, request.environment.hypervisor_hosts))
        virtual = dataclasses.replace(shape, load_balancer_hosts=hosts)
        virtual_minutes = downtime(simulator.analysis(virtual), simulator.doubles(virtual), request, catalog)
        for sku in options.load_balancer_models:
            if catalog.load_balancers[sku].kind == "virtual":
                extra[sku] = virtual_minutes - hardware_minutes
    return out, extra


def _hosted(
    spec: ArchitectureSpec, request: Request, catalog: Catalog, options: Options
) -> Options | Forbidden:
    """The load balancers the optimizer may choose: a virtual appliance needs a hypervisor host
    per unit, as two units on one host are no pair (rule lb.virtual_host)."""
    if not spec.load_balancer_units:
        return options
    hosts = request.environment.hypervisor_hosts
    models = tuple(
        m
        for m in options.load_balancer_models
        if catalog.load_balancers[m].kind != "virtual" or hosts >= spec.load_balancer_units
    )
    if not models:
        return Forbidden(
            "environment.hypervisor_hosts",
            f"Every load balancer the catalog offers for it is a virtual appliance, and "
            f"{spec.load_balancer_units} unit(s) need as many hypervisor hosts; the environment has "
            f"{hosts} (rule lb.virtual_host).",
        )
    return dataclasses.replace(options, load_balancer_models=models)


def _objective(model: Model, objective: Expr) -> None:
    """Every objective is minimised, so that any models can share a batched solve."""
    model.milp.maximize = False
    model.milp.objective = objective


def _solve_stage(
    models: dict[str, Model], stats: SolverStats, highs: Highs, solver: str, time_limit: float
) -> None:
    """One batched solve; every model here is feasible by construction (columns exist, and
    the budget is enforced only where stage A showed a design within it)."""
    problems = [m.milp for m in models.values()]
    for solved, (architecture, _) in zip(
        solve_many(problems, stats, highs, solver, time_limit), models.items(), strict=True
    ):
        if not solved:
            raise SolverFailed(f"the model for {architecture} turned infeasible, which should not happen")


def _over_budget(
    spec: ArchitectureSpec, request: Request, catalog: Catalog, design: Design, quote: Quote
) -> ArchitectureResult:
    figure = quote.cost.measure(request.budget.applies_to)
    short = figure - request.budget.amount_cents
    reason = (
        f"The cheapest design that meets every required goal costs "
        f"{format_money(figure, catalog.currency)} {_measure_words(request)}, "
        f"{format_money(short, catalog.currency)} more than the budget of "
        f"{format_money(request.budget.amount_cents, catalog.currency)}."
    )
    return ArchitectureResult(spec, "over_budget", [reason], design, quote)


def _epsilon(request: Request) -> float:
    """Weight's worth in cents for tie-breaks: less than one cent over all preferred goals."""
    total = sum(g.weight for g in request.goal_pairs().values() if g.priority == "preferred")
    return 1.0 / (1.0 + total)


def _measure_words(request: Request) -> str:
    if request.budget.applies_to == "total":
        return f"in total over {request.horizon_years} years"
    return "upfront"


def _fits(request: Request, quote: Quote, analysis: Analysis, catalog: Catalog) -> list[str]:
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
        met = [p for p in preferred if analysis.meets(*p)]
        missed = [p for p in preferred if not analysis.meets(*p)]
        text = f"Preferred goals met: {len(met)} of {len(preferred)}"
        if missed:
            text += "; missed: " + ", ".join(f"{f}/{s}" for f, s in missed)
        reasons.append(text + ".")
    return reasons


def _missed(request: Request, analysis: Analysis) -> list[str]:
    """Why no structure of an architecture meets the required goals, from the simulator."""
    reasons = []
    for (failure, service), goal in request.goal_pairs().items():
        if goal.priority == "required" and not analysis.meets(failure, service):
            outcome, _ = analysis.coverage[(failure, service)]
            why = analysis.why_not(failure, service)
            has = "is degraded" if outcome == "degraded" else "has an outage"
            reasons.append(
                f"Required goal missed ({failure}/{service}): when {FAILURE_WORDS[failure]}, "
                f"{SERVICE_LABELS[service]} {has} because {why}."
            )
    return reasons


def _too_few(spec: ArchitectureSpec, request: Request, catalog: Catalog) -> str:
    facts = catalog.exchange[request.platform.exchange_version]
    most = max(facts.mounted_databases.values())
    if not spec.dag:
        return (
            f"One server mounts at most {most} databases (rule {facts.mounted_databases_rule}); "
            f"the request has {request.databases}."
        )
    return (
        f"No DAG within the {catalog.dag_max_members}-member limit (rule {catalog.dag_rule}) holds "
        f"{request.database_copies} copies of {request.databases} databases with at most "
        f"{most} mounted databases per server (rule {facts.mounted_databases_rule})."
    )


_LIMITS = {
    "CPU": "the CPU of the catalog's largest server, within its {ceiling:.0%} ceiling, is not enough",
    "memory": "the memory of the catalog's largest server is not enough",
    "mounted databases": "the Exchange editions allowed mount too few databases",
    "disk IOPS and space": "the disks its drive bays hold give too few IOPS or too little space",
    "Client Access CPU": "the CPU of {cas} dedicated Client Access servers (the most the design "
    "policy buys) is not enough",
    "Client Access server memory": "no server model has memory enough for the Client Access role",
    "CPU, memory and disks together": "no server model in the catalog has CPU, memory and drive bays "
    "enough all at once",
}


def _unsizable(spec: ArchitectureSpec, request: Request, catalog: Catalog, kit: Hardware, limit: str) -> str:
    """The limit that rules an architecture out when no hardware can size any of its designs."""
    words = _LIMITS.get(limit, limit).format(
        ceiling=kit.rules.cpu_ceiling, cas=catalog.policy.max_dedicated_cas_servers
    )
    servers = (
        f"up to {catalog.dag_max_members} servers (the DAG's member limit, rule {catalog.dag_rule})"
        if spec.dag
        else "one server"
    )
    databases = request.databases
    reason = (
        f"No design of {servers} carries {request.mailboxes:,} mailboxes at "
        f"{request.mailbox_profile.messages_per_day:g} messages a day in {databases} "
        f"database{'s' if databases != 1 else ''}: {words} (sizing rules in the catalog's sizing.toml)."
    )
    oversized = database_size_note(request, kit.rules, request.database_copies if spec.dag else 1)
    return f"{reason} {oversized}" if oversized else reason
