"""The HiGHS bridge: one instance per thread, renewed when it must be, and a real time limit."""

from __future__ import annotations

import random

import pulp
import pytest

from advisor.domain import SolverFailed
from advisor.optimizer import solve as solve_module
from advisor.optimizer.solve import Highs, SolverStats, solve

POOL = Highs()


def tiny_problem() -> pulp.LpProblem:
    problem = pulp.LpProblem("tiny", pulp.LpMinimize)
    x = problem.add_variable("x", cat="Binary")
    y = problem.add_variable("y", cat="Binary")
    problem += 3 * x + 2 * y
    problem += x + y >= 1, "pick_one"
    return problem


def hard_knapsack(items: int = 60, rows: int = 20, seed: int = 1) -> pulp.LpProblem:
    """A multi-dimensional knapsack that HiGHS cannot prove optimal in a fraction of a second."""
    rng = random.Random(seed)
    problem = pulp.LpProblem("hard", pulp.LpMaximize)
    x = [problem.add_variable(f"x{i}", cat="Binary") for i in range(items)]
    problem += pulp.lpSum(rng.randint(1000, 2000) * v for v in x)
    for r in range(rows):
        problem += pulp.lpSum(rng.randint(1000, 2000) * v for v in x) <= items * 500, f"capacity_{r}"
    return problem


def test_a_solve_on_highs_reads_the_optimum_back_into_the_variables() -> None:
    problem = tiny_problem()
    assert solve(problem, SolverStats(), POOL, "highs", 10.0)
    assert {v.name: v.value() for v in problem.variables()} == {"x": 0.0, "y": 1.0}


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


def test_a_model_that_outlasts_the_time_limit_stops_there_with_a_clear_error() -> None:
    # Many solves first: the limit must hold on a long-lived instance too.
    for _ in range(50):
        solve(tiny_problem(), SolverStats(), POOL, "highs", 0.3)
    stats = SolverStats()
    with pytest.raises(SolverFailed, match=r"0\.3 s time limit"):
        solve(hard_knapsack(), stats, POOL, "highs", 0.3)
    assert stats.status == "time_limit" and stats.solve_ms < 3000
