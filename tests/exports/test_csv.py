"""CSV exports read back with the csv module: UTF-8 with BOM, RFC 4180, totals as in the response."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal
from typing import Any

from advisor.exports import Comparison, render


def read(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_csv_is_utf8_with_a_bom_and_crlf_line_ends(six: Comparison) -> None:
    content = render("csv", six).content
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")


def test_line_items_add_up_to_every_designs_totals_in_the_response(
    six: Comparison, six_response: dict[str, Any]
) -> None:
    header, *rows = read(render("csv", six).content)
    assert header[:5] == ["design", "architecture", "sku", "description", "quantity"]
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for row in rows:
        record = dict(zip(header, row, strict=True))
        assert Decimal(record["upfront"]) == int(record["quantity"]) * Decimal(record["unit_price"])
        sums[record["architecture"]][0] += Decimal(record["upfront"])
        sums[record["architecture"]][1] += Decimal(record["annual"])
    for report in six_response["recommendations"]:
        upfront, annual = sums[report["architecture"]]
        assert float(upfront) == report["cost"]["upfront"]
        assert float(annual) == report["cost"]["annual"]
        assert float(upfront + report["cost"]["horizon_years"] * annual) == report["cost"]["total"]


def test_the_summary_has_a_column_per_design_with_its_totals(
    six: Comparison, six_response: dict[str, Any]
) -> None:
    rendered = render("csv-summary", six)
    rows = {row[0]: row[1:] for row in read(rendered.content)}
    assert rows["field"] == [d.label for d in six.designs]
    assert rows["project"][0] == "Mail HA refresh" and rows["customer"][0] == "Contoso Ltd"
    reports = six_response["recommendations"]
    assert rows["architecture"] == [r["architecture"] for r in reports]
    for key in ("upfront", "annual", "total"):
        assert [float(v) for v in rows[key]] == [r["cost"][key] for r in reports]
    assert rows["single_points_of_failure"][0].startswith("ex-1 (server)")
    assert "estimates" in rows["notice"][0]
    assert len({len(row) for row in read(rendered.content)}) == 1, (
        "every record has the same number of fields"
    )
