"""The PDF export read back with pypdf: paginated, A4 or Letter, every total and SPOF in it."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from advisor.exports import Comparison, render


@pytest.fixture(scope="module")
def reader(six: Comparison) -> PdfReader:
    return PdfReader(io.BytesIO(render("pdf", six).content))


@pytest.fixture(scope="module")
def text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_pdf_is_paginated_a4_landscape_by_default(reader: PdfReader) -> None:
    pages = len(reader.pages)
    assert pages > 6
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    assert f"Page 1 of {pages}" in reader.pages[0].extract_text()


def test_letter_paper_is_a_parameter(six: Comparison) -> None:
    box = PdfReader(io.BytesIO(render("pdf", six, paper="Letter").content)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (792, 612)


def test_every_designs_total_and_single_points_of_failure_are_in_the_text(six: Comparison, text: str) -> None:
    for design in six.designs:
        assert six.header.money(design.total_cents) in text, design.architecture
        assert design.architecture in text
        for spof in design.single_points_of_failure:
            assert spof.component in text
            assert flat(spof.explanation)[:60] in flat(text)


def test_the_header_summary_scenarios_and_price_basis_are_all_there(six: Comparison, text: str) -> None:
    words = flat(text)
    for expected in (
        "Mail HA refresh",
        "Contoso Ltd",
        "A. Planner",
        "2026-11-30",
        six.header.catalog_version,
        "Side by side",
        "Bill of materials",
        "Failure scenarios",
        "Price basis and assumptions",
        "single point of failure",
        "estimates from the price book",
    ):
        assert expected in words


def test_each_design_has_its_own_section_with_a_diagram(six: Comparison, reader: PdfReader) -> None:
    starts = [i for i, page in enumerate(reader.pages) if "Bill of materials" in page.extract_text()]
    assert len(starts) == len(six.designs)
    first = reader.pages[starts[1]].extract_text()
    assert "Clients" in first and "DAG" in first and "witness" in first
