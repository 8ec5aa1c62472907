"""The advisor as the CLI and the API drive it, for tests that speak the JSON contract: a
request's JSON in (validated by the edge's schemas), the response contract's JSON out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from advisor.contract.responses import dump_analysis, dump_recommendations, load_recommendations
from advisor.exports import Comparison
from advisor.quotes import compare
from advisor.schemas import parse_analysis, parse_request
from advisor.service import Advisor


class JsonAdvisor:
    def __init__(self, service: Advisor):
        self.service = service

    def __getattr__(self, name: str) -> Any:
        return getattr(self.service, name)

    def recommend(self, data: Any, write_lp: Path | None = None) -> dict[str, Any]:
        return dump_recommendations(self.service.recommend(parse_request(data), write_lp))

    def analyze(self, data: Any) -> dict[str, Any]:
        return dump_analysis(self.service.analyze(parse_analysis(data)))


def comparison_from_request(
    advisor: Any,
    request: Any,
    picks: Sequence[str] | None = None,
    *,
    response: dict[str, Any] | None = None,
    today: date | None = None,
) -> Comparison:
    """The quote use case from a request's JSON (and, when given, its answer's JSON read back
    through the contract), as the API's quote endpoint runs it."""
    service = advisor.service if isinstance(advisor, JsonAdvisor) else advisor
    result = load_recommendations(response) if response is not None else None
    return compare(service, parse_request(request), picks, result=result, today=today)
