"""The quote use case with no HTTP: recommend, price the picked designs, compare and render."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from advisor.domain import AnalysisRequest, DesignChoices, DesignReport, Recommendations, Request
from advisor.exports import Comparison, Rendered, build_comparison, chosen_picks, renderer
from advisor.service import Advisor


def compare(
    advisor: Advisor,
    request: Request,
    picks: Sequence[str] | None = None,
    *,
    result: Recommendations | None = None,
    today: date | None = None,
) -> Comparison:
    """Recommend (unless `result` is given), price each picked weighed design that is not a
    recommendation with analyze under the request's terms, and build the comparison."""
    result = result if result is not None else advisor.recommend(request)
    priced: dict[str, DesignReport] = {}
    weighed = result.weighed_by_name()
    for name in chosen_picks(result, picks):
        design = weighed[name].design
        if result.recommended(name) is None and design is not None:
            choices = DesignChoices(**design.facts())  # type: ignore[arg-type]
            priced[name] = advisor.analyze(AnalysisRequest(request, name, choices, budget_given=True))
    catalog = advisor.catalogs.get(result.catalog.id)
    return build_comparison(request, result, catalog, picks, priced, today)


def quote(
    advisor: Advisor,
    request: Request,
    fmt: str,
    picks: Sequence[str] | None = None,
    *,
    paper: str = "A4",
    today: date | None = None,
) -> Rendered:
    """Recommend, compare and render in one call (the API's, the web's and the CLI's). The
    format and paper are checked before the solver runs."""
    chosen, options = renderer(fmt, paper)
    return chosen(compare(advisor, request, picks, today=today), options)
