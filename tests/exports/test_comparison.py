"""Building a comparison: which designs, in which order, with which header."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from advisor.contract.responses import load_recommendations
from advisor.domain import InvalidInput
from advisor.exports import Comparison, build_comparison, render
from advisor.schemas import parse_request
from tests.exports.conftest import SIX_REQUEST, TODAY
from tests.json_advisor import comparison_from_request


def small_business(amount: float) -> dict[str, Any]:
    return {
        "budget": {"amount": amount},
        "goals": [
            {"failure": "database", "services": ["outlook", "owa"]},
            {"failure": "server", "services": ["outlook", "owa", "smtp_inbound"]},
        ],
        "environment": {"cals_owned": 300},
        "project": {"name": "Refresh"},
    }


def fields_of(caught: pytest.ExceptionInfo[InvalidInput]) -> dict[str, str]:
    return {p.field: p.message for p in caught.value.problems}


def test_a_comparison_holds_every_recommendation_by_default(
    six: Comparison, six_response: dict[str, Any]
) -> None:
    assert [d.architecture for d in six.designs] == [
        r["architecture"] for r in six_response["recommendations"]
    ]
    assert len(six.designs) == 6
    assert [d.label for d in six.designs] == [f"Option {x}" for x in "ABCDEF"]


def test_every_design_keeps_the_totals_of_the_response(six: Comparison, six_response: dict[str, Any]) -> None:
    for design, report in zip(six.designs, six_response["recommendations"], strict=True):
        assert design.upfront_cents / 100 == report["cost"]["upfront"]
        assert design.annual_cents / 100 == report["cost"]["annual"]
        assert design.total_cents / 100 == report["cost"]["total"]
        assert sum(line.upfront_cents for line in design.lines) == design.upfront_cents


def test_the_header_names_project_price_book_budget_editions_and_goals(six: Comparison) -> None:
    h = six.header
    assert (h.project, h.customer, h.prepared_by, h.date) == (
        "Mail HA refresh",
        "Contoso Ltd",
        "A. Planner",
        "2026-11-30",
    )
    assert (h.catalog_id, h.currency, h.budget_cents, h.horizon_years) == ("default", "USD", 100_000_000, 3)
    assert h.catalog_version and h.catalog_as_of and h.catalog_title
    assert "Exchange 2010" in h.exchange and "2008R2" in h.windows
    assert [g.text() for g in h.goals] == ["database: Outlook (preferred, weight 1)"]
    assert "estimates" in h.notice and h.catalog_version in h.notice


def test_a_domain_request_gives_the_same_comparison_as_its_json(
    advisor: Any, six_response: dict[str, Any], six: Comparison
) -> None:
    catalog = advisor.catalogs.get("default")
    parsed = parse_request(copy.deepcopy(SIX_REQUEST))
    assert build_comparison(parsed, load_recommendations(six_response), catalog, today=TODAY) == six


def test_picks_choose_the_designs_and_their_order(advisor: Any, six_response: dict[str, Any]) -> None:
    picks = ["dag_cas_array_lb_pair", "dag_only"]
    comparison = comparison_from_request(advisor, SIX_REQUEST, picks, response=six_response, today=TODAY)
    assert [d.architecture for d in comparison.designs] == picks


def test_a_picked_weighed_design_is_priced_like_the_optimizer_priced_it(advisor: Any) -> None:
    request = small_business(16_000)
    response = advisor.recommend(request)
    over = {w["architecture"]: w for w in response["weighed"]}["dag_cas_array_lb_pair"]
    assert over["status"] == "over_budget"
    comparison = comparison_from_request(advisor, request, ["dag_cas_array_lb_pair"], response=response)
    design = comparison.designs[0]
    assert design.source == "picked (over budget)"
    assert design.total_cents / 100 == over["cost"]["total"]
    short = round(over["cost"]["upfront"] * 100) - 1_600_000
    assert short > 0 and design.within_budget is False and design.over_budget_by_cents == short
    assert design.reasons and design.lines


def test_a_pick_without_a_design_is_refused_naming_the_pick(advisor: Any) -> None:
    request = {**small_business(30_000), "windows": {"version": "2008R2", "edition": "standard"}}
    with pytest.raises(InvalidInput) as caught:
        comparison_from_request(advisor, request, ["single_server", "dag_only", "nope"])
    found = fields_of(caught)
    assert "not_allowed" in found["picks.1"]
    assert "unknown architecture" in found["picks.2"]


def test_a_design_that_misses_a_required_goal_can_be_compared_with_its_gaps(advisor: Any) -> None:
    comparison = comparison_from_request(
        advisor, small_business(30_000), ["dag_cas_array_single_lb", "dag_only"]
    )
    assert [d.architecture for d in comparison.designs] == ["dag_cas_array_single_lb", "dag_only"]


def test_nothing_recommended_and_no_picks_says_what_the_cheapest_design_costs(advisor: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        comparison_from_request(advisor, small_business(5_000))
    message = fields_of(caught)["picks"]
    assert "nothing is recommended" in message and "costs" in message and "pick architectures" in message


@pytest.mark.parametrize(("fmt", "paper", "field"), [("docx", "A4", "format"), ("pdf", "A3", "paper")])
def test_an_unknown_format_or_paper_is_refused_naming_the_field(
    six: Comparison, fmt: str, paper: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        render(fmt, six, paper=paper)
    assert list(fields_of(caught)) == [field]


def test_every_format_gives_bytes_a_media_type_and_a_safe_filename(six: Comparison) -> None:
    expected = {
        "json": ("application/json", "contoso-ltd-mail-ha-refresh-quote-2026-11-30.json"),
        "csv": ("text/csv; charset=utf-8", "contoso-ltd-mail-ha-refresh-quote-2026-11-30.csv"),
        "csv-summary": (
            "text/csv; charset=utf-8",
            "contoso-ltd-mail-ha-refresh-quote-summary-2026-11-30.csv",
        ),
        "xlsx": (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "contoso-ltd-mail-ha-refresh-quote-2026-11-30.xlsx",
        ),
        "pdf": ("application/pdf", "contoso-ltd-mail-ha-refresh-quote-2026-11-30.pdf"),
    }
    for fmt, (media_type, filename) in expected.items():
        rendered = render(fmt, six)
        assert (rendered.media_type, rendered.filename) == (media_type, filename)
        assert rendered.content
        assert rendered.headers()["Content-Disposition"] == f'attachment; filename="{filename}"'
