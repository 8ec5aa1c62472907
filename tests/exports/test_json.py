"""The JSON export: the comparison as data, money as in the response."""

from __future__ import annotations

import json
from typing import Any

from advisor.exports import Comparison, render


def test_json_carries_every_design_with_the_responses_money(
    six: Comparison, six_response: dict[str, Any]
) -> None:
    data = json.loads(render("json", six).content)
    for design, report in zip(data["designs"], six_response["recommendations"], strict=True):
        assert design["architecture"] == report["architecture"]
        for key in ("upfront", "annual", "total", "budget_left"):
            assert design[key] == report["cost"][key]
        assert [line["upfront"] for line in design["lines"]] == [
            b["upfront"] for b in report["bill_of_materials"]
        ]
        assert (
            design["single_points_of_failure"][0]["component"]
            == report["single_points_of_failure"][0]["component"]
        )
    assert data["header"]["budget"] == 1_000_000
    assert data["notice"].startswith("All figures are estimates")
