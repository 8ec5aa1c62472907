"""Quote comparison exports: a registry of renderers keyed by format, each giving bytes,
a media type and a file name.

    comparison = build_comparison(request, result, catalog, picks, priced)   # typed results in
    rendered = render("xlsx", comparison)
    rendered.content, rendered.media_type, rendered.filename, rendered.headers()

(`advisor.quotes` recommends, prices the picks and renders in one call.)

Formats (FORMATS): `json`; `csv`, the line items (one row per bill-of-materials line, the
design in a column); `csv-summary`, the side-by-side summary; `xlsx`; `pdf`. The two CSVs
are separate formats rather than one zip so that each opens directly in a spreadsheet.
Unknown formats or papers raise InvalidInput naming `format` or `paper`; picks that cannot
be compared raise InvalidInput naming `picks` (or `picks.N`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from advisor.domain import FieldProblem, InvalidInput
from advisor.exports.base import PAPERS, Options, Paper, Rendered
from advisor.exports.build import PICKABLE, build_comparison, chosen_picks
from advisor.exports.model import Comparison, DesignColumn, PriceBook
from advisor.exports.safety import escape_markup, neutralise_formula, safe_filename
from advisor.exports.to_csv import render_csv, render_csv_summary
from advisor.exports.to_json import render_json
from advisor.exports.to_pdf import render_pdf
from advisor.exports.to_xlsx import render_xlsx

__all__ = [
    "FORMATS",
    "PAPERS",
    "PICKABLE",
    "RENDERERS",
    "Comparison",
    "DesignColumn",
    "Options",
    "PriceBook",
    "Rendered",
    "build_comparison",
    "chosen_picks",
    "escape_markup",
    "neutralise_formula",
    "render",
    "renderer",
    "safe_filename",
]

Renderer = Callable[[Comparison, Options], Rendered]

RENDERERS: dict[str, Renderer] = {
    "json": render_json,
    "csv": render_csv,
    "csv-summary": render_csv_summary,
    "xlsx": render_xlsx,
    "pdf": render_pdf,
}
FORMATS: tuple[str, ...] = tuple(RENDERERS)


def renderer(fmt: str, paper: str) -> tuple[Renderer, Options]:
    """The renderer of a format and its options; InvalidInput names `format` or `paper` when unknown."""
    problems = []
    found = RENDERERS.get(fmt)
    if found is None:
        problems.append(FieldProblem("format", f"must be one of {', '.join(FORMATS)}"))
    if paper not in PAPERS:
        problems.append(FieldProblem("paper", f"must be one of {', '.join(PAPERS)}"))
    if problems or found is None:
        raise InvalidInput(problems)
    return found, Options(paper=cast(Paper, paper))


def render(fmt: str, comparison: Comparison, *, paper: str = "A4") -> Rendered:
    """The comparison in one format; InvalidInput names `format` or `paper` when unknown."""
    chosen, options = renderer(fmt, paper)
    return chosen(comparison, options)
