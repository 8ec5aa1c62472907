"""The XLSX export read back with openpyxl: sheets, totals as formulas, values as in the response."""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from advisor.exports import Comparison, render
from tests.exports.formulas import evaluate


@pytest.fixture(scope="module")
def content(six: Comparison) -> bytes:
    return render("xlsx", six).content


@pytest.fixture
def formulas(content: bytes) -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


@pytest.fixture(scope="module")
def values(content: bytes) -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(content), data_only=True)


def summary_row(book: Workbook, label: str) -> int:
    for row in book["Summary"].iter_rows(min_col=1, max_col=1):
        if row[0].value == label or (label == "Total" and str(row[0].value).startswith(("Total", '="Total'))):
            return row[0].row
    raise AssertionError(f"no {label} row")


def test_the_workbook_has_a_summary_a_sheet_per_design_the_frontier_scenarios_and_assumptions(
    values: Workbook,
) -> None:
    assert values.sheetnames == [
        "Summary",
        "A single_server",
        "B dag_only",
        "C dag_cas_array_dns",
        "D dag_cas_array_single_lb",
        "E dag_cas_array_lb_pair",
        "F dedicated_cas_wnlb",
        "Frontier",
        "Scenarios",
        "Assumptions",
    ]


def test_the_summary_shows_every_designs_totals_as_in_the_response(
    values: Workbook, six_response: dict[str, Any]
) -> None:
    sheet = values["Summary"]
    reports = six_response["recommendations"]
    for key, label in (("upfront", "Upfront"), ("annual", "Annual"), ("total", "Total")):
        row = summary_row(values, label)
        figures = [sheet.cell(row, col).value for col in range(2, 2 + len(reports))]
        assert figures == [r["cost"][key] for r in reports]
    row = summary_row(values, "Budget left")
    assert [sheet.cell(row, c).value for c in range(2, 8)] == [r["cost"]["budget_left"] for r in reports]


def test_totals_are_formulas_over_the_line_items(formulas: Workbook, six: Comparison) -> None:
    sheet = formulas["D dag_cas_array_single_lb"]
    lines = len(six.designs[3].lines)
    assert sheet["F5"].value == "=C5*D5" and sheet["G5"].value == "=C5*E5"
    sums = 5 + lines
    assert sheet[f"F{sums}"].value == f"=SUM(F5:F{sums - 1})"
    assert sheet[f"F{sums + 1}"].value == f"=F{sums}+Horizon_years*G{sums}"
    assert sheet[f"F{sums + 2}"].value == f"=Budget-F{sums}"
    total = formulas["Summary"].cell(summary_row(formulas, "Total"), 5).value
    assert total == f"='D dag_cas_array_single_lb'!F{sums + 1}"
    assert set(formulas.defined_names) == {"Budget", "Horizon_years"}


def test_the_cached_values_are_what_the_formulas_compute(formulas: Workbook, values: Workbook) -> None:
    for name in formulas.sheetnames[1:7]:
        for row in formulas[name].iter_rows(min_col=6, max_col=6):
            cell = row[0]
            if isinstance(cell.value, str) and cell.value.startswith("=") and "IF(" not in cell.value:
                assert evaluate(formulas, name, cell.coordinate) == pytest.approx(
                    values[name][cell.coordinate].value
                )


def test_editing_a_quantity_moves_the_design_total_and_the_summary(
    formulas: Workbook, six: Comparison
) -> None:
    design = six.designs[1]
    line = design.lines[0]
    formulas["B dag_only"]["C5"].value = line.quantity + 1
    total = formulas["Summary"].cell(summary_row(formulas, "Total"), 3).coordinate
    expected = design.total_cents + line.unit_price_cents + design.horizon_years * line.unit_annual_cents
    assert evaluate(formulas, "Summary", total) == pytest.approx(expected / 100)


def test_money_cells_are_numbers_in_a_currency_format(values: Workbook) -> None:
    cell = values["B dag_only"]["F5"]
    assert isinstance(cell.value, float | int)
    assert "USD" in cell.number_format and "#,##0.00" in cell.number_format


def test_headers_are_frozen_and_pages_print_landscape_fitted_to_width(values: Workbook) -> None:
    for sheet in values.worksheets:
        assert sheet.freeze_panes, sheet.title
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == 9
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth in (1, None)
        assert sheet.page_setup.fitToHeight == 0
    assert values["B dag_only"].freeze_panes == "A5"
    assert values["B dag_only"].column_dimensions["B"].width > 40


def test_letter_paper_reaches_the_print_setup(six: Comparison) -> None:
    book = openpyxl.load_workbook(io.BytesIO(render("xlsx", six, paper="Letter").content))
    assert {sheet.page_setup.paperSize for sheet in book.worksheets} == {1}


def test_the_scenarios_sheet_has_a_row_per_design_and_failure(values: Workbook, six: Comparison) -> None:
    sheet = values["Scenarios"]
    assert [c.value for c in sheet[1]][:6] == [
        "Design",
        "Architecture",
        "Component",
        "Kind",
        "Description",
        "Outlook",
    ]
    assert sheet.max_row - 1 == sum(len(d.failure_scenarios) for d in six.designs)
    lb = next(
        r
        for r in sheet.iter_rows(min_row=2, values_only=True)
        if r[1:3] == ("dag_cas_array_single_lb", "lb-1")
    )
    assert lb[5] == "outage"


def test_the_assumptions_sheet_names_the_price_book_and_every_price_basis(
    values: Workbook, six: Comparison
) -> None:
    sheet = values["Assumptions"]
    assert "estimates" in sheet["A1"].value
    texts = {c for row in sheet.iter_rows(values_only=True) for c in row if c}
    assert {b.basis for b in six.price_bases} <= texts
    assert any("Software Assurance" in str(t) for t in texts)


def test_a_design_priced_under_other_terms_keeps_its_own_horizon_and_budget_when_recalculated(
    six: Comparison,
) -> None:
    first, other = six.designs[0], six.designs[1]
    assert first.budget_cents == six.header.budget_cents  # taken from the response's cost
    years, budget = six.header.horizon_years + 2, 2_000_000
    total = other.upfront_cents + years * other.annual_cents
    moved = dataclasses.replace(
        other,
        horizon_years=years,
        total_cents=total,
        budget_cents=budget,
        budget_applies_to="total",
        budget_left_cents=budget - total,
        within_budget=budget >= total,
    )
    mixed = dataclasses.replace(six, designs=(first, moved))
    book = openpyxl.load_workbook(io.BytesIO(render("xlsx", mixed).content))
    sheet = f"B {other.architecture}"
    cells = {row[1].value: row for row in book[sheet].iter_rows(min_col=1, max_col=6) if row[1].value}
    total_cell = next(r for label, r in cells.items() if str(label).startswith("Total over"))[5]
    left_cell = next(r for label, r in cells.items() if str(label).startswith("Budget left"))[5]
    assert evaluate(book, sheet, total_cell.coordinate) == pytest.approx(total / 100)
    assert evaluate(book, sheet, left_cell.coordinate) == pytest.approx((budget - total) / 100)
    assert "total cost" in next(label for label in cells if str(label).startswith("Budget left"))
    first_sheet = f"A {first.architecture}"
    first_total = next(
        r[5]
        for r in book[first_sheet].iter_rows(min_col=1, max_col=6)
        if str(r[1].value).startswith("Total over")
    )
    assert evaluate(book, first_sheet, first_total.coordinate) == pytest.approx(first.total_cents / 100)
    assert summary_row(book, "Total over each design's horizon")
