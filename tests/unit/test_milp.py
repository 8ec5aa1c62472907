"""The optimizer's array model: PuLP's order and arithmetic, copies of their own."""

from __future__ import annotations

import math

import pulp

from advisor.optimizer.milp import EQ, GE, LE, Expr, Milp


def _model() -> Milp:
    milp = Milp("m")
    for name in ("b", "d", "a"):
        milp.var(name)
    milp.row([(0, 1.0), (1, 2.0), (2, 1.0)], GE, 1, "some")
    return milp


def test_variables_reach_the_solvers_sorted_by_name_as_pulp_lists_them_even_after_a_copy_adds_one() -> None:
    milp = _model()
    assert [milp.names[i] for i in milp.order()] == ["a", "b", "d"]
    copy = milp.copy()
    c = copy.var("c", 0, math.inf, integer=False)
    copy.row([(c, 1.0)], LE, 4, "c_at_most_4")
    assert [copy.names[i] for i in copy.order()] == ["a", "b", "c", "d"]
    assert [milp.names[i] for i in milp.order()] == ["a", "b", "d"]  # the original is untouched
    problem, _ = copy.to_pulp()
    assert [v.name for v in problem.variables()] == ["a", "b", "c", "d"]


def test_a_copy_has_rows_and_bounds_of_its_own() -> None:
    milp = _model()
    copy = milp.copy()
    copy.row([(2, 1.0)], LE, 0, "more")
    copy.set_upper(0, 0.0)
    assert (len(milp.row_names), milp.upper[0]) == (1, 1.0)
    assert (len(copy.row_names), copy.upper[0]) == (2, 0.0)


def test_expressions_give_the_floats_pulp_gives_for_the_same_arithmetic() -> None:
    problem = pulp.LpProblem("p", pulp.LpMinimize)
    x, y = problem.add_variable("x"), problem.add_variable("y")
    a = pulp.LpAffineExpression([(x, 0.1), (y, 1e7)], 3.0)
    b = pulp.LpAffineExpression([(x, 0.7), (y, 0.3)], 0.2)
    ours_a, ours_b = Expr.of([(0, 0.1), (1, 1e7)], 3.0), Expr.of([(0, 0.7), (1, 0.3)], 0.2)
    eps = 1 / 7
    theirs = a - eps * b + eps * 1e-3 * a + 3 * b
    ours = ours_a - eps * ours_b + eps * 1e-3 * ours_a + 3 * ours_b
    assert ours.terms == {0: theirs[x], 1: theirs[y]}
    assert ours.constant == theirs.constant


def test_a_rows_constant_moves_to_its_bound_and_equalities_bound_both_sides() -> None:
    milp = _model()
    milp.constrain(Expr({0: 1.0}, 5.0), LE, 7.0, "le")
    milp.constrain(Expr({1: 1.0}), EQ, 1.0, "eq")
    assert (milp.row_lower[1], milp.row_upper[1]) == (-math.inf, 2.0)
    assert (milp.row_lower[2], milp.row_upper[2]) == (1.0, 1.0)


def test_implied_rows_side_by_side_and_after_the_last_row_are_written_in_order() -> None:
    milp = _model()
    milp.row([(0, 1.0)], LE, 1, "first_implied", implied=True)
    milp.row([(1, 1.0)], LE, 1, "second_implied", implied=True)
    milp.row([(2, 1.0)], GE, 0, "kept")
    milp.row([(0, 1.0)], GE, 0, "tail_one", implied=True)
    milp.row([(1, 1.0)], GE, 0, "tail_two", implied=True)
    assert milp.row_names == ["some", "kept"]
    assert [name for name, *_ in milp.rows()] == [
        "some",
        "first_implied",
        "second_implied",
        "kept",
        "tail_one",
        "tail_two",
    ]


def test_an_implied_row_is_written_in_its_place_but_left_out_of_the_arrays_highs_gets() -> None:
    milp = _model()
    milp.row([(0, 1.0)], LE, 1, "implied_first", implied=True)
    milp.row([(1, 1.0)], GE, 0, "kept")
    copy = milp.copy()
    copy.row([(2, 2.0)], GE, 1, "implied_last", implied=True)
    copy.row([(2, 1.0)], EQ, 1, "kept_last")
    assert copy.row_names == ["some", "kept", "kept_last"]  # the arrays HiGHS is given
    assert len(copy.row_lower) == len(copy.row_upper) == len(copy.starts) - 1 == 3
    assert [name for name, *_ in copy.rows()] == [
        "some",
        "implied_first",
        "kept",
        "implied_last",
        "kept_last",
    ]
    assert [name for name, *_ in milp.rows()] == [
        "some",
        "implied_first",
        "kept",
    ]  # the original is untouched
    problem, _ = copy.to_pulp()
    assert [c.name for c in problem.constraints()] == [
        "some",
        "implied_first",
        "kept",
        "implied_last",
        "kept_last",
    ]
    written = {name: (low, up, columns, values) for name, low, up, columns, values in copy.rows()}
    assert written["implied_first"] == (-math.inf, 1.0, [0], [1.0])
    assert written["implied_last"] == (1.0, math.inf, [2], [2.0])
