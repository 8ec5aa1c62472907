"""The comparison as CSV: one row per line item (`csv`) and the side-by-side summary (`csv-summary`).

Both are UTF-8 with a byte-order mark, RFC 4180 (comma, double quotes, CRLF). The BOM is what
makes Excel on Windows read UTF-8 instead of the ANSI code page, so names such as "Müller"
or "≈" open correctly without the import wizard; LibreOffice, Numbers, Google Sheets and
Python's `utf-8-sig` all accept it. Money is a plain number (1234.50: no thousands separator,
a dot for decimals, minus for negative) and every text cell goes through the formula
neutraliser; numbers never do, so a negative budget left stays a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from advisor.exports.base import Options, Rendered, quote_filename
from advisor.exports.model import Comparison
from advisor.exports.safety import neutralise_formula
from advisor.exports.summary import header_rows, summary_rows

MEDIA_TYPE = "text/csv; charset=utf-8"
LINE_COLUMNS = (
    "design",
    "architecture",
    "sku",
    "description",
    "quantity",
    "unit_price",
    "unit_annual",
    "upfront",
    "annual",
    "currency",
    "basis",
    "lifecycle",
)
Cell = str | int | Decimal | None


def money(cents: int | None) -> Decimal | None:
    """Cents as a two-decimal number (Decimal prints 1234.50, never 1234.5 or 1.2345E+3)."""
    return None if cents is None else Decimal(cents).scaleb(-2)


def encode(rows: Iterable[Sequence[Cell]]) -> bytes:
    """RFC 4180 bytes with a UTF-8 BOM; text cells neutralised, numbers as they are."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow(
            ["" if c is None else neutralise_formula(c) if isinstance(c, str) else c for c in row]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render_csv(comparison: Comparison, options: Options) -> Rendered:
    """Line items: one row per line of every design's bill of materials, the design in a column."""
    currency = comparison.header.currency
    rows: list[list[Cell]] = [list(LINE_COLUMNS)]
    for d in comparison.designs:
        for line in d.lines:
            rows.append(
                [
                    d.label,
                    d.architecture,
                    line.sku,
                    line.description,
                    line.quantity,
                    money(line.unit_price_cents),
                    money(line.unit_annual_cents),
                    money(line.upfront_cents),
                    money(line.annual_cents),
                    currency,
                    line.basis,
                    d.support_text,
                ]
            )
    return Rendered(encode(rows), MEDIA_TYPE, quote_filename(comparison, "csv"))


def render_csv_summary(comparison: Comparison, options: Options) -> Rendered:
    """The summary side by side: a `field` column, then one column per design. The header's
    facts come first with their value in the first design column; the price-book notice last."""
    width = len(comparison.designs)
    rows: list[list[Cell]] = [["field", *(d.label for d in comparison.designs)]]
    for row in header_rows(comparison):
        value = money(row.values[0]) if row.money and isinstance(row.values[0], int) else row.values[0]
        rows.append([row.key, value, *[None] * (width - 1)])
    for row in summary_rows(comparison):
        values = [money(v) if row.money and isinstance(v, int) else v for v in row.values]
        rows.append([row.key, *values])
    rows.append(["notice", comparison.header.notice, *[None] * (width - 1)])
    return Rendered(encode(rows), MEDIA_TYPE, quote_filename(comparison, "csv", "quote-summary"))
