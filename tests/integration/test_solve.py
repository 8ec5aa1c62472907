"""The HiGHS bridge: one instance per thread, renewed when it must be, and a real time limit."""

from __future__ import annotations

import os
import random

import pytest

from advisor.domain import SolverFailed
from advisor.optimizer import solve as solve_module
from advisor.optimizer.milp import GE, LE, Expr, Milp
from advisor.optimizer.solve import Highs, SolverStats, solve

POOL = Highs()


def tiny_problem() -> Milp:
    problem = Milp("tiny")
    x = problem.var("x")
    y = problem.var("y")
    problem.objective = Expr.of([(x, 3), (y, 2)])
    problem.row([(x, 1), (y, 1)], GE, 1, "pick_one")
    return problem


def hard_knapsack(items: int = 60, rows: int = 20, seed: int = 1) -> Milp:
    """A multi-dimensional knapsack that HiGHS cannot prove optimal in a fraction of a second."""
    rng = random.Random(seed)
    problem = Milp("hard")
    problem.maximize = True
    x = [problem.var(f"x{i}") for i in range(items)]
    problem.objective = Expr.of([(v, rng.randint(1000, 2000)) for v in x])
    for r in range(rows):
        problem.row([(v, rng.randint(1000, 2000)) for v in x], LE, items * 500, f"capacity_{r}")
    return problem


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_a_solve_reads_the_optimum_back_into_the_model(solver: str) -> None:
    problem = tiny_problem()
    assert solve(problem, SolverStats(), POOL, solver, 10.0)
    assert problem.solution == [0.0, 1.0]
    assert problem.of(problem.objective) == 2.0


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_a_maximising_model_is_maximised_by_either_solver(solver: str) -> None:
    problem = Milp("most")
    x, y = problem.var("x"), problem.var("y", 0, 3)
    problem.maximize = True
    problem.objective = Expr.of([(x, 2), (y, 1)])
    problem.row([(x, 1), (y, 1)], LE, 2, "room")
    assert solve(problem, SolverStats(), POOL, solver, 10.0)
    assert problem.solution == [1.0, 1.0]


def test_an_infeasible_model_is_reported_as_such_by_either_solver() -> None:
    for solver in ("highs", "cbc"):
        problem = tiny_problem()
        problem.row([(0, 1), (1, 1)], LE, 0, "pick_none")
        assert solve(problem, SolverStats(), POOL, solver, 10.0) is False


def test_one_highs_instance_serves_a_threads_solves_one_after_another() -> None:
    solve(tiny_problem(), SolverStats(), POOL, "highs", 10.0)
    first = POOL.instance(10.0)
    solve(tiny_problem(), SolverStats(), POOL, "highs", 10.0)
    assert POOL.instance(10.0) is first


def test_an_instance_whose_clock_ran_a_tenth_of_the_time_limit_is_replaced() -> None:
    solve(tiny_problem(), SolverStats(), POOL, "highs", 10.0)
    old = POOL.instance(10.0)
    assert old.getRunTime() > 0
    fresh = POOL.instance(old.getRunTime() * 5)
    assert fresh is not old and fresh.getRunTime() == 0


def test_an_instance_made_before_a_fork_is_not_used_in_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    parent = POOL.instance(10.0)
    real = solve_module.os.getpid()
    monkeypatch.setattr(solve_module.os, "getpid", lambda: real + 1)
    assert POOL.instance(10.0) is not parent


@pytest.mark.parametrize("error", [ImportError, RuntimeError])
def test_loading_a_solver_that_cannot_load_leaves_it_to_the_first_solve(
    monkeypatch: pytest.MonkeyPatch, error: type[Exception]
) -> None:
    pool = Highs()

    def fails() -> None:
        raise error("no highspy here")

    monkeypatch.setattr(pool, "_silence_banner", fails)
    pool.load()  # does not raise: the first solve falls back to CBC (see solve_many)


def test_an_advisor_on_cbc_does_not_load_highs_before_a_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    from advisor.catalog.registry import CatalogRegistry
    from advisor.service import Advisor

    advisor = Advisor(CatalogRegistry(own=""), solver="cbc")
    loaded: list[bool] = []
    monkeypatch.setattr(advisor.highs, "load", lambda: loaded.append(True))
    monkeypatch.setattr(advisor, "architecture_profiles", lambda: None)
    advisor.warm([])
    assert loaded == []
    highs = Advisor(CatalogRegistry(own=""), solver="highs")
    monkeypatch.setattr(highs.highs, "load", lambda: loaded.append(True))
    monkeypatch.setattr(highs, "architecture_profiles", lambda: None)
    highs.warm([])
    assert loaded == [True]


def test_a_model_that_outlasts_the_time_limit_stops_there_with_a_clear_error() -> None:
    # Many solves first: the limit must hold on a long-lived instance too.
    for _ in range(50):
        solve(tiny_problem(), SolverStats(), POOL, "highs", 0.3)
    stats = SolverStats()
    with pytest.raises(SolverFailed, match=r"0\.3 s time limit"):
        solve(hard_knapsack(), stats, POOL, "highs", 0.3)
    assert stats.status == "time_limit" and stats.solve_ms < 3000


def test_the_solves_inside_a_time_budget_share_it_each_getting_what_is_left(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time

    from advisor.optimizer.solve import time_budget

    granted: list[float] = []
    real = solve_module._RUNNERS["highs"]

    def recording(problems: list[Milp], time_limit: float, pool: Highs) -> str:
        granted.append(time_limit)
        return real[1](problems, time_limit, pool)

    monkeypatch.setitem(solve_module._RUNNERS, "highs", (real[0], recording))
    with time_budget(10.0, started=time.monotonic() - 7.0):  # 3 s of the 10 are left
        solve(tiny_problem(), SolverStats(), POOL, time_limit=5.0)
        solve(tiny_problem(), SolverStats(), POOL, time_limit=5.0)

    assert len(granted) == 2 and all(limit <= 3.0 for limit in granted)
    assert granted[1] <= granted[0]


def test_a_solve_with_its_time_budget_used_up_fails_at_once_without_running() -> None:
    from advisor.optimizer.solve import time_budget

    stats = SolverStats()
    with time_budget(0.0), pytest.raises(SolverFailed, match="0 s time limit was used up"):
        solve(tiny_problem(), stats, POOL)
    assert stats.solves == 0


def test_without_a_time_budget_each_solve_gets_its_own_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    granted: list[float] = []
    real = solve_module._RUNNERS["highs"]
    monkeypatch.setitem(
        solve_module._RUNNERS, "highs", (real[0], lambda p, t, pool: granted.append(t) or real[1](p, t, pool))
    )

    solve(tiny_problem(), SolverStats(), POOL, time_limit=5.0)

    assert granted == [5.0]


_THREADS_AFTER_LOAD = """
import os, sys
sys.path.insert(0, {root!r})
from advisor.optimizer.solve import Highs
Highs().load()
print(len(os.listdir("/proc/self/task")), os.environ.get("OPENBLAS_NUM_THREADS"))
"""


def _threads_after_loading_highs(env: dict[str, str]) -> tuple[int, str]:
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[2])
    done = subprocess.run(
        [sys.executable, "-c", _THREADS_AFTER_LOAD.format(root=root)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=60,
    )
    threads, setting = done.stdout.split()
    return int(threads), setting


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads through /proc")
def test_loading_highs_starts_no_blas_threads_unless_the_environment_asks_for_them() -> None:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    # numpy's OpenBLAS would start a thread per core on import; the advisor asks it for none.
    assert _threads_after_loading_highs(env) == (1, "1")
    # A setting already in the environment is the operator's, and is left as it is.
    threads, setting = _threads_after_loading_highs({**env, "OPENBLAS_NUM_THREADS": "2"})
    assert setting == "2"
    assert threads == min(2, os.cpu_count() or 1)  # OpenBLAS starts no more threads than cores
