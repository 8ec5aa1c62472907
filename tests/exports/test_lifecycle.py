"""A quote on a product out of support says so in every export format; a supported one does not."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader

from advisor.exports import Comparison, render
from tests.exports.conftest import PROJECT, TODAY
from tests.json_advisor import comparison_from_request

# (Exchange, Windows): the products the quote must name as out of support (none for SE on 2025).
CASES: dict[tuple[str, str], tuple[str, ...]] = {
    ("2010", "2008R2"): ("Exchange Server 2010", "Windows Server 2008 R2"),
    ("2016", "2016"): ("Exchange Server 2016",),
    ("SE", "2025"): (),
}


def request_for(exchange: str, windows: str) -> dict[str, Any]:
    return {
        "budget": {"amount": 1_000_000, "currency": "USD", "applies_to": "upfront"},
        "exchange": {"version": exchange},
        "windows": {"version": windows},
        "goals": [{"failure": "server", "services": ["outlook", "owa"], "priority": "required"}],
        "alternatives": 2,
        "project": PROJECT,
    }


@pytest.fixture(scope="module", params=list(CASES), ids=lambda pair: f"{pair[0]}-on-{pair[1]}")
def quoted(request: pytest.FixtureRequest, advisor: Any) -> tuple[Comparison, tuple[str, ...]]:
    exchange, windows = request.param
    comparison = comparison_from_request(advisor, request_for(exchange, windows), today=TODAY)
    return comparison, CASES[request.param]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_pdf_warns_on_its_first_page_before_the_header(
    quoted: tuple[Comparison, tuple[str, ...]],
) -> None:
    comparison, ended = quoted
    first = flat(PdfReader(io.BytesIO(render("pdf", comparison).content)).pages[0].extract_text())
    before_header = first.split("Project", 1)[0]
    for product in ended:
        assert f"Out of support: {product} left extended support" in before_header
    assert ("Out of support" in first) is bool(ended)
    assert ("OUT OF SUPPORT" in first) is bool(ended)  # the side-by-side row, too


def test_the_workbook_warns_at_the_top_of_the_summary_and_in_its_support_row(
    quoted: tuple[Comparison, tuple[str, ...]],
) -> None:
    comparison, ended = quoted
    sheet = openpyxl.load_workbook(io.BytesIO(render("xlsx", comparison).content), data_only=True)["Summary"]
    top = str(sheet["A3"].value or "")
    for product in ended:
        assert f"Out of support: {product}" in top
    assert bool(top) is bool(ended)
    support = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Support")
    for value in support[1 : 1 + len(comparison.designs)]:
        assert str(value).startswith("OUT OF SUPPORT") is bool(ended)
        assert all(product in str(value) for product in ended)


def test_the_csv_line_items_carry_the_support_of_their_design(
    quoted: tuple[Comparison, tuple[str, ...]],
) -> None:
    comparison, ended = quoted
    header, *rows = list(csv.reader(io.StringIO(render("csv", comparison).content.decode("utf-8-sig"))))
    assert header[-1] == "lifecycle"
    for row in rows:
        support = row[-1]
        assert support.startswith("OUT OF SUPPORT") is bool(ended), support
        assert all(product in support for product in ended)
        assert (support == "supported") is not ended


def test_the_csv_summary_has_a_support_row_per_design(quoted: tuple[Comparison, tuple[str, ...]]) -> None:
    comparison, ended = quoted
    rows = {
        r[0]: r[1:]
        for r in csv.reader(io.StringIO(render("csv-summary", comparison).content.decode("utf-8-sig")))
    }
    assert len(rows["lifecycle"]) == len(comparison.designs)
    for value in rows["lifecycle"]:
        assert value.startswith("OUT OF SUPPORT") is bool(ended)
        assert all(product in value for product in ended)


def test_the_json_names_every_product_out_of_support_with_its_date(
    quoted: tuple[Comparison, tuple[str, ...]],
) -> None:
    comparison, ended = quoted
    data = json.loads(render("json", comparison).content)
    warnings = data["lifecycle_warnings"]
    assert [w.split(" left ", 1)[0].removeprefix("Out of support: ") for w in warnings] == list(ended)
    for design in data["designs"]:
        out = [entry for entry in design["lifecycle"] if not entry["supported"]]
        assert [entry["product"] for entry in out] == list(ended)
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", entry["end_of_support"]) for entry in out)


@pytest.mark.parametrize(("exchange", "windows"), [("2013", "2012R2"), ("2019", "2022"), ("SE", "2025")])
def test_the_pdf_of_a_later_version_draws_its_namespace_not_a_cas_array(
    advisor: Any, exchange: str, windows: str
) -> None:
    request = {**request_for(exchange, windows), "alternatives": 3}
    comparison = comparison_from_request(advisor, request, today=TODAY)
    pages = PdfReader(io.BytesIO(render("pdf", comparison).content)).pages
    text = flat("\n".join(p.extract_text() for p in pages))
    assert "RpcClientAccessServer" not in text and "CAS array" not in text
    assert "Mailbox, CAS, Hub" not in text
    assert ("Mailbox, CAS" in text) is (exchange == "2013")
