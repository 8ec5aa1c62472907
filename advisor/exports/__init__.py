"""Quote comparison exports: a registry of renderers keyed by format, each giving bytes,
a media type and a file name.

    rendered = export(advisor, request_json, "pdf", picks=None, paper="A4")   # the one call
    # or, in steps:
    comparison = comparison_from_request(advisor, request_json, picks)
    rendered = render("xlsx", comparison)
    rendered.content, rendered.media_type, rendered.filename, rendered.headers()

Formats (FORMATS): `json`; `csv`, the line items (one row per bill-of-materials line, the
design in a column); `csv-summary`, the side-by-side summary; `xlsx`; `pdf`. The two CSVs
are separate formats rather than one zip so that each opens directly in a spreadsheet.
Unknown formats or papers raise InvalidInput naming `format` or `paper`; picks that cannot
be compared raise InvalidInput naming `picks` (or `picks.N`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, cast

from advisor.domain import FieldProblem, InvalidInput
from advisor.exports.base import PAPERS, Options, Paper, Rendered
from advisor.exports.build import analysis_input, build_comparison, comparison_from_request
from advisor.exports.model import AdvisorLike, Comparison, DesignColumn, PriceBook
from advisor.exports.safety import escape_markup, neutralise_formula, safe_filename
from advisor.exports.to_csv import render_csv, render_csv_summary
from advisor.exports.to_json import render_json
from advisor.exports.to_pdf import render_pdf
from advisor.exports.to_xlsx import render_xlsx

__all__ = [
    "FORMATS",
    "PAPERS",
    "RENDERERS",
    "AdvisorLike",
    "Comparison",
    "DesignColumn",
    "Options",
    "PriceBook",
    "Rendered",
    "analysis_input",
    "build_comparison",
    "comparison_from_request",
    "escape_markup",
    "export",
    "neutralise_formula",
    "render",
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


def _renderer(fmt: str, paper: str) -> tuple[Renderer, Options]:
    problems = []
    renderer = RENDERERS.get(fmt)
    if renderer is None:
        problems.append(FieldProblem("format", f"must be one of {', '.join(FORMATS)}"))
    if paper not in PAPERS:
        problems.append(FieldProblem("paper", f"must be one of {', '.join(PAPERS)}"))
    if problems or renderer is None:
        raise InvalidInput(problems)
    return renderer, Options(paper=cast(Paper, paper))


def render(fmt: str, comparison: Comparison, *, paper: str = "A4") -> Rendered:
    """The comparison in one format; InvalidInput names `format` or `paper` when unknown."""
    renderer, options = _renderer(fmt, paper)
    return renderer(comparison, options)


def export(
    advisor: AdvisorLike,
    request: Mapping[str, Any],
    fmt: str,
    picks: Sequence[str] | None = None,
    *,
    paper: str = "A4",
    today: date | None = None,
) -> Rendered:
    """Recommend, compare and render in one call (the API's, the web's and the CLI's).
    The format and paper are checked before the solver runs."""
    renderer, options = _renderer(fmt, paper)
    return renderer(comparison_from_request(advisor, request, picks, today=today), options)
