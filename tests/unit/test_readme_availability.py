"""The README's table of availability figures is the catalog's, figure for figure."""

from __future__ import annotations

from pathlib import Path

from advisor.catalog.registry import CatalogRegistry

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def _table() -> list[list[str]]:
    block = README.split("<!-- availability-figures -->", 1)[1].split("<!-- /availability-figures -->", 1)[0]
    rows = [line.strip().strip("|").split("|") for line in block.strip().splitlines()[2:]]
    return [[cell.strip() for cell in row] for row in rows]


def test_the_readme_lists_every_cause_of_the_catalog_with_its_figures_and_basis_label() -> None:
    figures = CatalogRegistry(own="").get("default").availability
    assert figures is not None
    rows = _table()

    assert len(rows) == len(figures.causes)
    for row, cause in zip(rows, figures.causes, strict=True):
        component, name, failures, repair, basis = row
        assert component.startswith(cause.kind.replace("_", " "))
        assert name == cause.name
        assert float(failures) == cause.failures_per_year
        assert float(repair) == cause.repair_hours
        if cause.basis.startswith("assumption"):
            assert basis == "assumption"
        else:
            assert basis != "assumption" and basis.split(":")[0] in cause.basis
