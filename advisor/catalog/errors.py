"""A catalog folder that does not load: its problems, each naming the file, item and field.

Kept apart from the loader (which validates with marshmallow) so that code that only reports
these errors, such as the command line, need not import the validator."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from advisor.domain import AdvisorError


@dataclass(frozen=True)
class CatalogProblem:
    file: str
    item: str
    field: str
    message: str

    def __str__(self) -> str:
        return ": ".join(part for part in (self.file, self.item, self.field, self.message) if part)


class InvalidCatalog(AdvisorError):
    def __init__(self, path: Path, problems: list[CatalogProblem]):
        super().__init__(f"catalog {path} has {len(problems)} problem(s)")
        self.path = path
        self.problems = problems
