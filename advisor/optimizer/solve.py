"""Run a PuLP model on HiGHS in process (CBC as fallback) and turn every status into a result."""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass, field

import pulp

from advisor.domain import SolverFailed

SOLVERS = ("highs", "cbc")
DEFAULT_TIME_LIMIT_S = 10.0
_banner_lock = threading.Lock()
_banner_done = False


def _silence_highs_banner() -> None:
    """highspy prints a copyright banner on its first Highs() from C++, past Python's sys.stdout.

    The CLI's standard output must hold only JSON, so the first instance is created once with
    file descriptor 1 pointed at /dev/null.
    """
    global _banner_done
    with _banner_lock:
        if _banner_done:
            return
        try:
            import highspy
        except ImportError:  # pragma: no cover - highspy is a dependency
            _banner_done = True
            return
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as devnull:
                os.dup2(devnull.fileno(), 1)
                highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _banner_done = True


@dataclass
class SolverStats:
    """What the response reports under `solver`, summed over a request's solves."""

    name: str = "HiGHS"
    status: str = "optimal"
    solve_ms: float = 0.0
    solves: int = 0
    fell_back: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "status": self.status,
            "solve_ms": round(self.solve_ms, 3),
            "solves": self.solves,
        }


def _solver(name: str, time_limit: float) -> pulp.LpSolver:
    if name == "highs":
        _silence_highs_banner()
        return pulp.HiGHS(msg=False, gapRel=0.0, gapAbs=0.0, timeLimit=time_limit, threads=1)
    return pulp.PULP_CBC_CMD(msg=False, gapRel=0.0, gapAbs=0.0, timeLimit=time_limit)


def solve(
    problem: pulp.LpProblem,
    stats: SolverStats,
    solver: str = "highs",
    time_limit: float = DEFAULT_TIME_LIMIT_S,
) -> bool:
    """Solve; True when optimal, False when infeasible; SolverFailed for anything else."""
    order = [solver] + [s for s in SOLVERS if s != solver]
    last_error = ""
    for name in order:
        started = time.perf_counter()
        try:
            status = problem.solve(_solver(name, time_limit))
        except pulp.PulpSolverError as err:
            last_error = f"{name}: {err}"
            stats.fell_back.append(last_error)
            continue
        finally:
            stats.solve_ms += (time.perf_counter() - started) * 1000
        stats.solves += 1
        stats.name = "HiGHS" if name == "highs" else "CBC"
        if status == pulp.LpStatusOptimal and problem.sol_status == pulp.LpSolutionOptimal:
            return True
        if status == pulp.LpStatusInfeasible:
            return False
        if problem.sol_status == pulp.LpSolutionIntegerFeasible:
            stats.status = "time_limit"
            raise SolverFailed(
                f"the solver reached its {time_limit:g} s time limit before proving the best design"
            )
        stats.status = pulp.LpStatus.get(status, "error").lower().replace(" ", "_")
        raise SolverFailed(f"the solver stopped with status {pulp.LpStatus.get(status, status)}")
    stats.status = "error"
    raise SolverFailed(f"no solver could run the model ({last_error})")
