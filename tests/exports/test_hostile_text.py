"""Hostile project, customer and catalog text stays inert in every format."""

from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
from pypdf import PdfReader

from advisor.exports import FORMATS, Comparison, render
from tests.exports.conftest import (
    HOSTILE_BASIS,
    HOSTILE_DESCRIPTION,
    HOSTILE_PROJECT,
    HOSTILE_TITLE,
    HOSTILE_VERSION,
    TRIGGERS,
)

HOSTILE = [*HOSTILE_PROJECT.values(), HOSTILE_DESCRIPTION, HOSTILE_BASIS, HOSTILE_TITLE, HOSTILE_VERSION]


def is_number(text: str) -> bool:
    return re.fullmatch(r"-?\d+(\.\d+)?", text) is not None


def test_no_csv_cell_starts_like_a_formula(hostile: Comparison) -> None:
    for fmt in ("csv", "csv-summary"):
        cells = [
            c
            for row in csv.reader(io.StringIO(render(fmt, hostile).content.decode("utf-8-sig")))
            for c in row
        ]
        assert not [c for c in cells if c.startswith(TRIGGERS) and not is_number(c)]
        assert "'" + HOSTILE_PROJECT["name"] in cells or fmt == "csv"
        assert any(c.startswith("'" + HOSTILE_DESCRIPTION) for c in cells) or fmt == "csv-summary"
        assert "'" + HOSTILE_BASIS in cells or fmt == "csv-summary"


def test_no_xlsx_cell_runs_hostile_text(hostile: Comparison) -> None:
    book = openpyxl.load_workbook(io.BytesIO(render("xlsx", hostile).content))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert not any(
                        marker in str(cell.value) for marker in ("HYPERLINK", "cmd", "A1:A9", "1+1")
                    )
                elif isinstance(cell.value, str):
                    texts.append(cell.value)
                    assert not cell.value.startswith(TRIGGERS), (sheet.title, cell.coordinate, cell.value)
    assert "'" + HOSTILE_PROJECT["name"] in texts
    assert "'" + HOSTILE_PROJECT["customer"] in texts
    assert "'" + HOSTILE_PROJECT["prepared_by"] in texts
    assert any(t.startswith("'" + HOSTILE_DESCRIPTION) for t in texts)
    assert "'" + HOSTILE_BASIS in texts


def test_pdf_prints_markup_as_the_characters_typed(hostile: Comparison) -> None:
    reader = PdfReader(io.BytesIO(render("pdf", hostile).content))
    text = re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))
    assert "<b>Bold</b> & <font size=40>" in text
    assert "</para><script>alert(1)</script>" in text
    assert "-2+3 <i>unclosed & Müller ≈ server" in text
    assert "<u>v</u>" in text


def test_json_keeps_the_text_exactly_and_never_a_raw_angle_bracket(hostile: Comparison) -> None:
    content = render("json", hostile).content
    assert b"<" not in content and b">" not in content
    data = json.loads(content)
    assert data["header"]["project"] == HOSTILE_PROJECT["name"]
    assert data["header"]["customer"] == HOSTILE_PROJECT["customer"]
    assert data["header"]["catalog_title"] == HOSTILE_TITLE


def test_every_format_gets_a_plain_filename_from_hostile_names(hostile: Comparison) -> None:
    for fmt in FORMATS:
        filename = render(fmt, hostile).filename
        assert re.fullmatch(r"[a-z0-9][a-z0-9.-]*\.[a-z]+", filename), filename
        assert filename.endswith("-2026-11-30." + ("csv" if fmt.startswith("csv") else fmt))
