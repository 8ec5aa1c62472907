"""The errors the advisor raises on purpose: every one says what is wrong in words."""

from __future__ import annotations

from dataclasses import dataclass


class AdvisorError(Exception):
    """Base of the errors the advisor raises on purpose."""


@dataclass
class FieldProblem:
    """One thing wrong with one field of an input."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidInput(AdvisorError):
    """The input breaks the contract; every problem names its field."""

    def __init__(self, problems: list[FieldProblem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems

    def within(self, prefix: str) -> InvalidInput:
        """The same problems, of a part of a larger input: `budget` in `request` is
        `request.budget`, and the part as a whole is `request`."""
        return InvalidInput(
            [
                FieldProblem(f"{prefix}.{p.field}" if p.field != "(body)" else prefix, p.message)
                for p in self.problems
            ]
        )


class UnknownCatalog(AdvisorError):
    """The request names a price book the advisor does not have."""

    def __init__(self, catalog_id: str, known: list[str]):
        super().__init__(f"unknown catalog {catalog_id!r}; known: {', '.join(known)}")
        self.catalog_id = catalog_id
        self.known = known


class SolverFailed(AdvisorError):
    """The MILP solver stopped without an answer (time limit or solver error)."""


class ScenarioNotFound(AdvisorError):
    """No saved scenario has that id (or it was deleted)."""

    def __init__(self, scenario_id: str):
        super().__init__(f"no saved scenario {scenario_id!r}")
        self.scenario_id = scenario_id


class StorageError(AdvisorError):
    """The database cannot be opened, migrated or written: a problem for the operator."""
