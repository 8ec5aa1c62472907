"""Run models (`advisor.optimizer.milp.Milp`) on HiGHS in process, CBC through PuLP as the
fallback, and turn every status into a result.

`_solve_highs` hands a batch of models to highspy as arrays in a single `passModel` call and
sets each model's solution; CBC gets each model as PuLP writes it.
"""

from __future__ import annotations

import math
import os
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from advisor.domain import SOLVERS, SolverFailed, SolverSummary
from advisor.optimizer.milp import Milp

DEFAULT_TIME_LIMIT_S = 10.0


# (monotonic end, seconds granted) of the time budget every solve in this context shares.
_budget: ContextVar[tuple[float, float] | None] = ContextVar("solve_budget", default=None)


@contextmanager
def time_budget(seconds: float, *, started: float | None = None) -> Iterator[None]:
    """Every solve inside the block shares `seconds` of wall time counted from `started` (a
    time.monotonic() reading; now by default): each gets at most what is left, and one that
    would start with nothing left fails at once. A request's time limit bounds all its solves
    together, not each one."""
    token = _budget.set(((time.monotonic() if started is None else started) + seconds, seconds))
    try:
        yield
    finally:
        _budget.reset(token)


def _time_left(time_limit: float) -> tuple[float, float]:
    """(the limit this solve gets, the limit to report when it is reached)."""
    budget = _budget.get()
    if budget is None:
        return time_limit, time_limit
    end, granted = budget
    left = end - time.monotonic()
    if left <= 0:
        raise SolverFailed(f"the {granted:g} s time limit was used up before the solver could finish")
    return min(time_limit, left), granted


def _one_blas_thread() -> None:
    """Ask numpy's OpenBLAS for no threads of its own, unless the environment already says how
    many. highspy imports numpy (and PuLP imports highspy), and OpenBLAS starts a thread per
    core on import that spins for a while before it sleeps: about a quarter of the CPU of
    `advisor recommend`, on the core the request is not using. The advisor never calls BLAS.
    It must run before numpy's first import in the process, as OpenBLAS reads it only then."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


class Highs:
    """HiGHS instances for the solves of whoever owns this (the Advisor), one per thread.

    Creating and configuring an instance costs about as much as solving one of these models;
    `passModel` replaces the previous model and its solution, so one instance serves a thread's
    solves one after another. Two things renew it:

    * a fork: an instance made before one (gunicorn preloads the app) is not reused in the
      child, as HiGHS's scheduler state does not survive a fork;
    * its clock: HiGHS 1.x keeps one run clock per instance across runs and has compared some
      time limits against it (ERGO-Code/HiGHS#1331, #1477), so an instance whose clock has
      run a tenth of the time limit is replaced; the limit can never be cut short by more.
    """

    def __init__(self) -> None:
        self._local = threading.local()
        self._banner_lock = threading.Lock()
        self._banner_done = False

    def _silence_banner(self) -> None:
        """highspy prints a copyright banner on its first Highs() from C++, past Python's
        sys.stdout. The CLI's standard output must hold only JSON, so the first instance is
        created with file descriptor 1 pointed at /dev/null."""
        with self._banner_lock:
            if self._banner_done:
                return
            _one_blas_thread()
            import highspy

            sys.stdout.flush()
            saved = os.dup(1)
            try:
                with open(os.devnull, "w") as devnull:
                    os.dup2(devnull.fileno(), 1)
                    highspy.Highs()  # type: ignore[no-untyped-call]
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            self._banner_done = True

    def load(self) -> None:
        """Import highspy (with numpy) now, its banner silenced: a process about to fork (gunicorn's
        preload) does it once for all its workers, which would otherwise each import it on their
        first solve (0.1 to 0.2 s of a fresh worker's CPU). No instance is kept (see above). A
        highspy that cannot load is left to the first solve, which falls back to CBC."""
        try:
            self._silence_banner()
        except (ImportError, RuntimeError):
            return

    def instance(self, time_limit: float) -> Any:
        """This thread's instance, made with the options every solve uses, for one more solve."""
        owner, highs = getattr(self._local, "highs", (None, None))
        if highs is None or owner != os.getpid() or highs.getRunTime() > time_limit / 10:
            import highspy

            self._silence_banner()
            highs = highspy.Highs()  # type: ignore[no-untyped-call]
            for option, value in (
                ("output_flag", False),
                ("mip_rel_gap", 0.0),
                ("mip_abs_gap", 0.0),
                ("threads", 1),
                # These models are tiny and presolve or the root LP settles them; on the Windows NLB
                # model the feasibility-jump heuristic alone took half the solve time (benchmarks/).
                ("mip_heuristic_run_feasibility_jump", False),
            ):
                highs.setOptionValue(option, value)
            self._local.highs = (os.getpid(), highs)
        highs.setOptionValue("time_limit", float(time_limit))
        return highs


@dataclass
class SolverStats:
    """What the response reports under `solver`, summed over a request's solves."""

    name: str = "HiGHS"
    status: str = "optimal"
    solve_ms: float = 0.0
    solves: int = 0
    fell_back: list[str] = field(default_factory=list)

    def summary(self) -> SolverSummary:
        return SolverSummary(self.name, self.status, round(self.solve_ms, 3), self.solves)


class _Outcome:
    OPTIMAL, INFEASIBLE, TIME_LIMIT, FAILED = "optimal", "infeasible", "time_limit", "failed"


def _solve_highs(problems: list[Milp], time_limit: float, pool: Highs) -> str:
    """Solve independent models as one HiGHS run; set every model's solution on success.

    The models share no variable or row, so the best of their summed objectives is each one's
    own best: one run instead of one per architecture.
    """
    import highspy

    highs = pool.instance(time_limit)
    inf = highspy.kHighsInf
    orders: list[list[int]] = []
    costs: list[float] = []
    lower: list[float] = []
    upper: list[float] = []
    integrality: list[Any] = []
    row_lower: list[float] = []
    row_upper: list[float] = []
    starts: list[int] = [0]
    indices: list[int] = []
    values: list[float] = []
    offset = 0.0
    integer, continuous = highspy.HighsVarType.kInteger, highspy.HighsVarType.kContinuous
    for problem in problems:
        order = problem.order()
        orders.append(order)
        base = len(costs)
        position = [0] * len(order)
        for new, old in enumerate(order):
            position[old] = base + new
        own = [0.0] * len(order)
        for old, coefficient in problem.objective.terms.items():
            own[position[old] - base] = float(coefficient)
        costs += own
        offset += float(problem.objective.constant)
        lower += [problem.lower[i] for i in order]
        upper += [problem.upper[i] for i in order]
        integrality += [integer if problem.integer[i] else continuous for i in order]
        row_lower += problem.row_lower
        row_upper += problem.row_upper
        shift = len(indices)
        starts += [shift + s for s in problem.starts[1:]]
        indices += [position[i] for i in problem.index]
        values += problem.value
    lp = highspy.HighsLp()
    lp.model_name_ = "+".join(p.name for p in problems)[:200]
    lp.num_col_ = len(costs)
    lp.col_cost_ = costs
    lp.offset_ = offset
    lp.sense_ = highspy.ObjSense.kMaximize if problems[0].maximize else highspy.ObjSense.kMinimize
    lp.col_lower_ = [-inf if math.isinf(v) else v for v in lower]
    lp.col_upper_ = [inf if math.isinf(v) else v for v in upper]
    lp.integrality_ = integrality
    lp.num_row_ = len(row_lower)
    lp.row_lower_ = [-inf if math.isinf(v) else v for v in row_lower]
    lp.row_upper_ = [inf if math.isinf(v) else v for v in row_upper]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = len(costs)
    lp.a_matrix_.num_row_ = len(row_lower)
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = indices
    lp.a_matrix_.value_ = values
    highs.passModel(lp)
    highs.run()
    status = highs.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        found = list(highs.getSolution().col_value)
        at = 0
        for problem, order in zip(problems, orders, strict=True):
            solution = [0.0] * len(order)
            for new, old in enumerate(order):
                solution[old] = found[at + new]
            problem.solution = solution
            at += len(order)
        return _Outcome.OPTIMAL
    if status == highspy.HighsModelStatus.kInfeasible:
        return _Outcome.INFEASIBLE
    if status == highspy.HighsModelStatus.kTimeLimit:
        return _Outcome.TIME_LIMIT
    return _Outcome.FAILED


def _solve_cbc_one(problem: Milp, time_limit: float) -> str:
    _one_blas_thread()
    import pulp

    model, variables = problem.to_pulp()
    with warnings.catch_warnings():
        # PuLP 3 bundles CBC behind PULP_CBC_CMD and announces its move in PuLP 4 (not ours: <4).
        warnings.simplefilter("ignore", DeprecationWarning)
        solver = pulp.PULP_CBC_CMD(msg=False, gapRel=0.0, gapAbs=0.0, timeLimit=time_limit)
    try:
        status = model.solve(solver)
    except pulp.PulpSolverError as err:  # CBC could not run: the caller hands over to HiGHS
        raise RuntimeError(str(err)) from err
    if status == pulp.LpStatusOptimal and model.sol_status == pulp.LpSolutionOptimal:
        problem.solution = [v.varValue or 0.0 for v in variables]
        return _Outcome.OPTIMAL
    if status == pulp.LpStatusInfeasible:
        return _Outcome.INFEASIBLE
    if model.sol_status == pulp.LpSolutionIntegerFeasible:
        return _Outcome.TIME_LIMIT
    return _Outcome.FAILED


def _solve_cbc(problems: list[Milp], time_limit: float, pool: Highs) -> str:
    outcomes = [_solve_cbc_one(p, time_limit) for p in problems]
    for worst in (_Outcome.FAILED, _Outcome.TIME_LIMIT, _Outcome.INFEASIBLE):
        if worst in outcomes:
            return worst
    return _Outcome.OPTIMAL


_RUNNERS = {"highs": ("HiGHS", _solve_highs), "cbc": ("CBC", _solve_cbc)}


def solve(
    problem: Milp,
    stats: SolverStats,
    pool: Highs,
    solver: str = "highs",
    time_limit: float = DEFAULT_TIME_LIMIT_S,
) -> bool:
    """Solve one model; True when optimal, False when infeasible; SolverFailed otherwise."""
    return solve_many([problem], stats, pool, solver, time_limit)[0]


def solve_many(
    problems: list[Milp],
    stats: SolverStats,
    pool: Highs,
    solver: str = "highs",
    time_limit: float = DEFAULT_TIME_LIMIT_S,
) -> list[bool]:
    """Solve independent models of the same sense together; per model, optimal or infeasible.

    A solver that cannot run at all (not installed, crashed) hands over to the other one; a
    solver that ran and ran out of time is reported, not retried. When the batch is
    infeasible, each model is solved alone to tell which.
    """
    if not problems:
        return []
    order = [solver] + [s for s in SOLVERS if s != solver]
    errors: list[str] = []
    for name in order:
        label, runner = _RUNNERS[name]
        allowed, reported = _time_left(time_limit)
        started = time.perf_counter()
        try:
            outcome = runner(problems, allowed, pool)
        except (ImportError, RuntimeError) as err:
            errors.append(f"{label}: {err}")
            stats.fell_back.append(errors[-1])
            continue
        finally:
            stats.solve_ms += (time.perf_counter() - started) * 1000
        stats.solves += 1
        stats.name = label
        if outcome == _Outcome.OPTIMAL:
            return [True] * len(problems)
        if outcome == _Outcome.INFEASIBLE:
            if len(problems) == 1:
                return [False]
            return [solve_many([p], stats, pool, name, time_limit)[0] for p in problems]
        stats.status = outcome
        if outcome == _Outcome.TIME_LIMIT:
            raise SolverFailed(
                f"the solver reached its {reported:g} s time limit before proving the best design"
            )
        raise SolverFailed(f"{label} stopped without an answer")
    stats.status = "error"
    raise SolverFailed(f"no solver could run the model ({'; '.join(errors)})")
