"""A MILP held as the arrays HiGHS takes, built without a modelling library's per-object cost.

Variables and rows are added by index; a linear expression (`Expr`) maps variable indices to
coefficients. The optimizer builds every model here, and `advisor.optimizer.solve` hands a batch
of them to HiGHS in one `passModel` call, without the rows marked implied (see `Milp.row`).
PuLP is the model's other reader: `to_pulp` gives the whole model, variable for variable and
row for row with the same names, implied rows included, to write it as an .lp file (`advisor
recommend --write-lp`) and to run CBC; tests solve both and compare.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # PuLP is imported only where a model is written or run on CBC
    import pulp

# A row's sense, as PuLP numbers them.
LE, EQ, GE = -1, 0, 1

Terms = Sequence[tuple[int, float]]


class Expr:
    """A linear expression: coefficients by variable index, and a constant.

    The arithmetic follows PuLP's own term by term (a copy, then each term of the other added),
    so a coefficient computed here is the float PuLP computes for the same expression."""

    __slots__ = ("constant", "terms")

    def __init__(self, terms: dict[int, float] | None = None, constant: float = 0.0):
        self.terms: dict[int, float] = {} if terms is None else terms
        self.constant = constant

    @classmethod
    def of(cls, pairs: Iterable[tuple[int, float]], constant: float = 0.0) -> Expr:
        """The sum of (variable, coefficient) pairs, a variable named twice counted twice."""
        terms: dict[int, float] = {}
        for index, coefficient in pairs:
            terms[index] = terms[index] + coefficient if index in terms else coefficient
        return cls(terms, constant)

    def copy(self) -> Expr:
        return Expr(dict(self.terms), self.constant)

    def __add__(self, other: Expr) -> Expr:
        out = self.copy()
        terms = out.terms
        for index, coefficient in other.terms.items():
            terms[index] = terms[index] + coefficient if index in terms else coefficient
        out.constant += other.constant
        return out

    def __neg__(self) -> Expr:
        return Expr({i: -c for i, c in self.terms.items()}, -self.constant)

    def __sub__(self, other: Expr) -> Expr:
        out = self.copy()
        terms = out.terms
        for index, coefficient in other.terms.items():
            terms[index] = terms[index] + -coefficient if index in terms else -coefficient
        out.constant -= other.constant
        return out

    def __mul__(self, factor: float) -> Expr:
        return Expr({i: c * factor for i, c in self.terms.items()}, self.constant * factor)

    __rmul__ = __mul__


class Milp:
    """One model: named variables with bounds and integrality, named rows, an objective to
    minimise (or maximise), and after a solve each variable's value."""

    def __init__(self, name: str):
        self.name = name
        self.maximize = False
        self.objective = Expr()
        self.names: list[str] = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[bool] = []
        self.row_names: list[str] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []
        self.starts: list[int] = [0]
        self.index: list[int] = []
        self.value: list[float] = []
        # Rows that hold by construction (see `row`): (how many rows came before, name, lower,
        # upper, variables, coefficients). Written to PuLP in their place; HiGHS is not given them.
        self.implied: list[tuple[int, str, float, float, list[int], list[float]]] = []
        self.solution: list[float] | None = None
        self._order: list[int] | None = None  # `order()`, kept until a variable is added

    def copy(self) -> Milp:
        """A model of its own with the same variables, rows and objective, not solved."""
        other = Milp(self.name)
        other.maximize = self.maximize
        other.objective = self.objective.copy()
        for attribute in ("names", "lower", "upper", "integer", "row_names", "row_lower", "row_upper"):
            setattr(other, attribute, list(getattr(self, attribute)))
        other.starts, other.index, other.value = list(self.starts), list(self.index), list(self.value)
        other.implied = list(self.implied)
        other._order = None if self._order is None else list(self._order)
        return other

    def var(self, name: str, low: float = 0.0, up: float = 1.0, integer: bool = True) -> int:
        """A new variable's index (binary by default; `up` may be math.inf)."""
        self.names.append(name)
        self.lower.append(low)
        self.upper.append(up)
        self.integer.append(integer)
        index = len(self.names) - 1
        if self._order is not None:
            bisect.insort(self._order, index, key=self.names.__getitem__)
        return index

    def row(self, terms: Terms, sense: int, rhs: float, name: str, implied: bool = False) -> None:
        """sum(coefficient * variable) <=, == or >= rhs; each variable at most once in `terms`
        (`implied`: see `constrain`)."""
        self.constrain(Expr.of(terms), sense, rhs, name, implied)

    def constrain(self, expr: Expr, sense: int, rhs: float, name: str, implied: bool = False) -> None:
        """expr <=, == or >= rhs (the expression's constant moves to the right).

        An `implied` row holds in every solution of the other rows by how the model was made
        (e.g. every hardware variable it weighs stands for a server that meets the need the
        row states): it is written out (`to_pulp`, CBC, the .lp file) as documentation and as
        the cross-check, but HiGHS is not given it, as its presolve would spend the time to
        find that out again on every run."""
        bound = -(expr.constant - rhs)
        lower = bound if sense != LE else -math.inf
        upper = bound if sense != GE else math.inf
        if implied:
            place = len(self.row_names) + len(self.implied)
            self.implied.append((place, name, lower, upper, list(expr.terms), list(expr.terms.values())))
            return
        self.row_names.append(name)
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        self.index.extend(expr.terms)
        self.value.extend(expr.terms.values())
        self.starts.append(len(self.index))

    def set_upper(self, variable: int, up: float) -> None:
        self.upper[variable] = up

    def of(self, expr: Expr) -> float:
        """The expression's value in the last solution (PuLP's order: the constant, then each
        term)."""
        if self.solution is None:
            raise ValueError(f"the model {self.name} has not been solved")
        total = expr.constant
        solution = self.solution
        for index, coefficient in expr.terms.items():
            total += solution[index] * coefficient
        return total

    def solved(self, variable: int) -> float:
        if self.solution is None:
            raise ValueError(f"the model {self.name} has not been solved")
        return self.solution[variable]

    def order(self) -> list[int]:
        """The variables in the order the solvers are given them: by name, as PuLP lists a
        problem's variables, so either path hands a solver the same model."""
        if self._order is None:
            self._order = sorted(range(len(self.names)), key=self.names.__getitem__)
        return self._order

    def rows(self) -> Iterable[tuple[str, float, float, list[int], list[float]]]:
        """(name, lower, upper, variables, coefficients) of each row, implied ones included, in
        the order they were added."""
        starts = self.starts
        implied = self.implied
        j = 0
        for r, name in enumerate(self.row_names):
            while j < len(implied) and implied[j][0] == r + j:
                yield implied[j][1:]
                j += 1
            a, b = starts[r], starts[r + 1]
            yield name, self.row_lower[r], self.row_upper[r], self.index[a:b], self.value[a:b]
        for entry in implied[j:]:
            yield entry[1:]

    def to_pulp(self) -> tuple[pulp.LpProblem, list[pulp.LpVariable]]:
        """The same model in PuLP, and its variables by index."""
        import pulp

        problem = pulp.LpProblem(self.name, pulp.LpMaximize if self.maximize else pulp.LpMinimize)
        variables = [
            problem.add_variable(
                name,
                None if math.isinf(low) else low,
                None if math.isinf(up) else up,
                cat="Integer" if integer else "Continuous",
            )
            for name, low, up, integer in zip(self.names, self.lower, self.upper, self.integer, strict=True)
        ]
        problem.setObjective(
            pulp.LpAffineExpression(
                [(variables[i], c) for i, c in self.objective.terms.items()], self.objective.constant
            )
        )
        for name, lower, upper, columns, values in self.rows():
            expr = pulp.LpAffineExpression([(variables[i], c) for i, c in zip(columns, values, strict=True)])
            if lower == upper:
                problem.addConstraint(pulp.LpConstraint(expr, pulp.LpConstraintEQ, name, lower))
            elif math.isinf(lower):
                problem.addConstraint(pulp.LpConstraint(expr, pulp.LpConstraintLE, name, upper))
            else:
                problem.addConstraint(pulp.LpConstraint(expr, pulp.LpConstraintGE, name, lower))
        return problem, variables
