"""The PDF and XLSX carry what each dollar buys: each design's expected downtime, the
cost-downtime frontier (a chart and a table in the PDF, a sheet in the workbook), the method, and
goals and design facts in words rather than internal ids."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader

from advisor.exports import Comparison, render
from advisor.exports.frontier import minutes_text

INTERNAL = re.compile(r"\b(database|server|load_balancer|witness|domain_controller|site)/(outlook|owa)\b")


@pytest.fixture(scope="module")
def pdf_text(six: Comparison) -> str:
    reader = PdfReader(io.BytesIO(render("pdf", six).content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module")
def book(six: Comparison) -> Any:
    return openpyxl.load_workbook(io.BytesIO(render("xlsx", six).content))


def test_the_comparison_carries_the_answers_frontier_and_method(
    six: Comparison, six_response: dict[str, Any]
) -> None:
    assert [f.architecture for f in six.frontier] == [p["architecture"] for p in six_response["frontier"]]
    assert [f.letter for f in six.frontier] == [chr(ord("A") + i) for i in range(len(six.frontier))]
    assert six.availability_method == six_response["recommendations"][0]["availability"]["method"]


def test_the_pdf_shows_the_frontier_each_designs_downtime_and_the_method(
    six: Comparison, pdf_text: str
) -> None:
    assert "What each step up costs and buys" in pdf_text
    for point in six.frontier:
        assert six.header.money(point.cost_cents) in pdf_text
        assert point.adds[:40] in pdf_text
    assert "How expected downtime is estimated" in pdf_text
    assert re.sub(r"\s+", " ", six.availability_method)[:90] in pdf_text
    assert pdf_text.count("Expected downtime (unplanned") == len(six.designs)
    for design in six.designs:
        assert design.availability is not None
        outlook = design.availability.services["outlook"]
        assert f"{minutes_text(outlook.expected_outage_minutes_per_year)} min" in pdf_text
        if design.compared_with_first:
            assert design.compared_with_first[:60] in pdf_text


def test_the_pdf_names_goals_and_design_facts_in_words(pdf_text: str) -> None:
    assert not INTERNAL.search(pdf_text)
    assert "domain_controllers_added" not in pdf_text and "Domain controllers to buy" in pdf_text
    assert not re.search(r"(?<!WS)2008R2", pdf_text), "only SKUs (WS2008R2-…) may write it so"
    assert "Windows Server 2008 R2" in pdf_text
    assert "Outlook when a database copy fails" in pdf_text


def test_the_workbook_has_a_frontier_sheet_with_a_row_per_point(six: Comparison, book: Any) -> None:
    sheet = book["Frontier"]
    rows = [r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0] and len(str(r[0])) == 1]
    assert [r[0] for r in rows] == [f.letter for f in six.frontier]
    for row, point in zip(rows, six.frontier, strict=True):
        assert row[2] == point.architecture
        assert row[4] == pytest.approx(point.cost_cents / 100)
        assert row[5] == pytest.approx(round(point.minutes, 2))
        assert row[6] == ("yes" if point.within_budget else "no")
    assert sheet["E4"].value.startswith("Upfront cost")


def test_each_design_sheet_has_its_expected_downtime_as_figures(six: Comparison, book: Any) -> None:
    for name, design in zip(book.sheetnames[1 : 1 + len(six.designs)], six.designs, strict=True):
        values = list(book[name].iter_rows(values_only=True))
        start = next(
            i for i, r in enumerate(values) if r[0] and str(r[0]).startswith("Expected downtime a year")
        )
        outlook = values[start + 2]
        assert outlook[0] == "Outlook"
        assert design.availability is not None
        figures = design.availability.services["outlook"]
        assert outlook[1] == pytest.approx(figures.expected_outage_minutes_per_year)
        assert outlook[2] == pytest.approx(figures.availability)
        strings = " ".join(str(v) for r in values for v in r if isinstance(v, str))
        assert not INTERNAL.search(strings)
        assert "domain_controllers_added" not in strings


def test_the_json_export_keeps_its_shape(six: Comparison) -> None:
    data = json.loads(render("json", six).content)
    assert "frontier" not in data
    assert all("availability" not in design for design in data["designs"])
