"""The result page answers "how much does it fail, and what does the next step cost?": each
design's expected downtime, #N against #1, the budget's bind, and the frontier as a chart with a
table; and the review's defects stay fixed."""

from __future__ import annotations

import copy
import html as html_module
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from advisor.availability import METHOD
from advisor.exports.frontier import minutes_text
from advisor.schemas import parse_request
from advisor.web import codec
from advisor.web.present import money
from tests.web.conftest import post_form
from tests.web.svg_geometry import SVG, lines_through_words

SEED: dict[str, Any] = {
    "budget": {"amount": 30000},
    "environment": {"cals_owned": 300},
    "goals": [
        {"failure": "database", "services": ["outlook", "owa"], "priority": "required"},
        {"failure": "server", "services": ["outlook", "owa", "smtp_inbound"], "priority": "required"},
        {"failure": "load_balancer", "services": ["outlook", "owa"], "priority": "preferred", "weight": 5},
    ],
}
GOAL_ID = re.compile(
    r"\b(database|server|load_balancer|witness|domain_controller|site)/(outlook|owa|activesync)"
)


def request_with(**changes: Any) -> dict[str, Any]:
    request = copy.deepcopy(SEED)
    request.update(changes)
    return request


def result_of(client: FlaskClient, request: dict[str, Any]) -> str:
    response = client.get("/result", query_string={"r": codec.encode(request)})
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def answer_of(app: Flask, request: dict[str, Any]) -> Any:
    return app.extensions["advisor"].recommend(parse_request(copy.deepcopy(request)))


def text_of(html: str) -> str:
    return html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def section(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    start = html.rindex("<", 0, start)
    tag = re.match(r"<(\w+)", html[start:])
    assert tag
    return html[start : html.index(f"</{tag.group(1)}>", start)]


def chart_of(html: str) -> ET.Element:
    found = re.search(r'<svg[^>]*class="frontier-chart".*?</svg>', html, re.S)
    assert found, "no frontier chart on the page"
    return ET.fromstring(found.group(0))


@pytest.fixture(scope="module")
def seed_page(app: Flask) -> str:
    return result_of(app.test_client(), SEED)


@pytest.fixture(scope="module")
def seed_answer(app: Flask) -> Any:
    return answer_of(app, SEED)


@pytest.fixture(scope="module")
def low_request() -> dict[str, Any]:
    return request_with(budget={"amount": 1000})


@pytest.fixture(scope="module")
def low_page(app: Flask, low_request: dict[str, Any]) -> str:
    return result_of(app.test_client(), low_request)


# ---------- expected downtime, #N against #1, the budget's bind ----------


def test_each_design_card_shows_each_services_expected_downtime_and_availability(
    seed_page: str, seed_answer: Any
) -> None:
    for r in seed_answer.recommendations:
        card = text_of(section(seed_page, f"design-{r.rank}"))
        assert "Expected downtime" in card
        for service, label in (("outlook", "Outlook"), ("smtp_inbound", "Inbound mail")):
            figures = r.availability.services[service]
            row = re.search(rf"{label} ([\d.,]+) min ([\d.]+%)", card)
            assert row, (r.rank, label)
            assert row.group(1) == minutes_text(figures.expected_outage_minutes_per_year)
            assert float(row.group(2).rstrip("%")) == pytest.approx(figures.availability * 100, abs=1e-4)


def test_the_verdict_gives_the_first_designs_expected_outlook_downtime_in_minutes_and_nines(
    seed_page: str, seed_answer: Any
) -> None:
    verdict = text_of(seed_page.split('<section class="verdict', 1)[1].split("</section>", 1)[0])
    outlook = seed_answer.recommendations[0].availability.services["outlook"]
    expected = minutes_text(outlook.expected_outage_minutes_per_year)
    assert f"Expected Outlook downtime: {expected} minutes a year (" in verdict
    assert "nines)" in verdict


def test_each_alternative_says_what_it_gives_up_or_gains_against_the_first(
    seed_page: str, seed_answer: Any
) -> None:
    alternatives = [r for r in seed_answer.recommendations if r.rank > 1]
    assert alternatives
    for r in alternatives:
        card = section(seed_page, f"design-{r.rank}")
        versus = re.search(r'<p class="versus">(.*?)</p>', card, re.S)
        assert versus and text_of(versus.group(1)).strip() == r.compared_with_first
        assert r.compared_with_first.startswith(f"Against #1 ({seed_answer.recommendations[0].title})")
    assert 'class="versus"' not in section(seed_page, "design-1")


def test_when_the_budget_binds_the_headline_says_what_the_next_step_costs_and_buys(
    app: Flask, low_page: str, low_request: dict[str, Any]
) -> None:
    step = answer_of(app, low_request).budget_sensitivity
    assert step is not None
    verdict = text_of(low_page.split('<section class="verdict', 1)[1].split("</section>", 1)[0])
    assert step.sentence in verdict


# ---------- the frontier ----------


def test_the_frontier_section_lists_every_point_with_its_cost_downtime_and_step(
    seed_page: str, seed_answer: Any
) -> None:
    frontier = section(seed_page, "frontier")
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", frontier, re.S)
    assert len(rows) == len(seed_answer.frontier) >= 2
    for row, point in zip(rows, seed_answer.frontier, strict=True):
        words = text_of(row)
        assert point.title in words
        assert money(point.cost.upfront_cents, "USD") in words
        assert f"{minutes_text(point.expected_outage_minutes_per_year['outlook'])} min" in words
        assert point.adds in words


def test_the_frontier_chart_is_accessible_svg_with_no_script_or_style(
    seed_page: str, seed_answer: Any
) -> None:
    root = chart_of(seed_page)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "frontier-title frontier-desc"
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text
    for point in seed_answer.frontier:
        assert point.title in desc.text
    assert all(element.get("style") is None for element in root.iter())
    assert root.find(f"{SVG}style") is None and root.find(f"{SVG}script") is None
    assert float(root.get("viewBox", "").split()[2]) <= 360, "drawn for a phone's width, scaled up on a desk"


def test_each_point_is_labelled_and_told_apart_by_shape_not_colour(seed_page: str, seed_answer: Any) -> None:
    root = chart_of(seed_page)
    points = [g for g in root.iter(f"{SVG}g") if g.get("class") == "point"]
    assert len(points) == len(seed_answer.frontier)
    letters = ["".join(g.find(f"{SVG}text").itertext()) for g in points]  # type: ignore[union-attr]
    assert letters == [chr(ord("A") + i) for i in range(len(points))]
    shapes = [
        (child.tag, child.get("points", "").count(" "))
        for g in points
        for child in g
        if child.tag != f"{SVG}title" and child.tag != f"{SVG}text"
    ]
    assert len(set(shapes)) == len(shapes), "every marker a different shape"


def test_the_budget_is_a_dashed_line_and_points_over_it_are_hollow(low_page: str) -> None:
    root = chart_of(low_page)
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 1
    assert any("Budget 1,000.00 USD" in "".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    markers = [child for g in root.iter(f"{SVG}g") if g.get("class") == "point" for child in g]
    fills = {m.get("fill") for m in markers if m.tag in (f"{SVG}circle", f"{SVG}rect", f"{SVG}polygon")}
    assert fills == {"#ffffff"}, "every design is over a 1,000 USD budget: every marker hollow"


@pytest.mark.parametrize("budget", [1000, 30000, 100000])
def test_no_line_of_the_frontier_chart_runs_through_a_label(app: Flask, budget: int) -> None:
    page = result_of(app.test_client(), request_with(budget={"amount": budget}))
    assert lines_through_words(ET.tostring(chart_of(page), encoding="unicode")) == []


def test_the_page_states_how_expected_downtime_is_estimated(seed_page: str) -> None:
    assert "How expected downtime is estimated" in seed_page
    assert METHOD in text_of(seed_page)


def test_the_form_offers_the_least_downtime_objective_and_its_result_ranks_by_it(
    app: Flask, client: FlaskClient
) -> None:
    form = client.get("/").get_data(as_text=True)
    assert 'value="min_downtime"' in form and "Least downtime" in form
    response = post_form(client, objective="min_downtime")
    assert response.status_code == 303
    request = codec.decode(response.headers["Location"].split("r=", 1)[1])
    assert request["objective"] == "min_downtime"
    answer = answer_of(app, request)
    minutes = [
        r.availability.services["outlook"].expected_outage_minutes_per_year for r in answer.recommendations
    ]
    assert minutes == sorted(minutes)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert answer.recommendations[0].title in text_of(section(page, "design-1"))


# ---------- the review's defects ----------


def test_at_100000_mailboxes_the_headline_names_the_size_not_a_second_site(app: Flask) -> None:
    page = result_of(app.test_client(), request_with(mailboxes=100000))
    verdict = text_of(page.split('<section class="verdict', 1)[1].split("</section>", 1)[0])
    assert "No architecture can carry 100,000 mailboxes" in verdict
    assert "second site" not in verdict


def test_a_required_site_goal_still_says_a_second_site_is_needed(app: Flask) -> None:
    goals = [*SEED["goals"], {"failure": "site", "services": ["outlook"], "priority": "required"}]
    page = result_of(app.test_client(), request_with(goals=goals))
    verdict = text_of(page.split('<section class="verdict', 1)[1].split("</section>", 1)[0])
    assert "misses a required goal" in verdict and "second site" in verdict


def test_the_weighed_table_calls_only_number_one_recommended(seed_page: str, seed_answer: Any) -> None:
    weighed = text_of(section(seed_page, "weighed"))
    assert weighed.count("Recommended") == 1
    for r in seed_answer.recommendations[1:]:
        assert f"Alternative #{r.rank}" in weighed


def test_the_goal_sentence_reads_as_english(seed_page: str) -> None:
    verdict = text_of(seed_page.split('<section class="verdict', 1)[1].split("</section>", 1)[0])
    assert "misses a load balancer fails" not in verdict
    assert "it misses Outlook staying up when a load balancer fails (preferred)" in verdict


def test_over_budget_rows_quote_their_own_cheapest_design_and_agree_with_the_headline(
    app: Flask, low_page: str, low_request: dict[str, Any]
) -> None:
    answer = answer_of(app, low_request)
    minimum = answer.minimum_budget
    verdict = text_of(low_page.split('<section class="verdict', 1)[1].split("</section>", 1)[0])
    assert money(minimum.amount_cents, "USD") in verdict
    weighed = text_of(section(low_page, "weighed"))
    over = [w for w in answer.weighed if w.status == "over_budget"]
    assert len(over) >= 2
    for w in over:
        assert (
            f"Its cheapest design that meets every required goal costs {money(w.cost.upfront_cents, 'USD')}"
            in weighed
        )
    assert "The cheapest design that meets every required goal costs" not in weighed
    assert min(w.cost.upfront_cents for w in over) == minimum.amount_cents


def test_no_goal_ids_in_text_a_customer_reads(seed_page: str, low_page: str) -> None:
    for page in (seed_page, low_page):
        assert not GOAL_ID.search(text_of(page))
    assert "Outlook staying up when a database copy fails" in text_of(seed_page)


def test_the_form_help_speaks_no_internal_words(client: FlaskClient) -> None:
    text = text_of(client.get("/").get_data(as_text=True))
    assert "seed case" not in text
    assert "domain_controllers_added" not in text
    assert not re.search(r"(?<![\w-])2008R2", text)


def test_download_with_nothing_ticked_explains_what_to_do_and_links_back(
    client: FlaskClient, low_request: dict[str, Any]
) -> None:
    token = codec.encode(low_request)
    response = client.get("/result/export", query_string={"r": token, "format": "pdf", "paper": "A4"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    text = text_of(page)
    assert "picks" not in text
    assert "dag_cas_array" not in text
    assert "tick the designs to compare" in text
    back = re.search(r'<a class="button" href="([^"]+)">Back to the result</a>', page)
    assert back and back.group(1).replace("&amp;", "&").startswith("/result?r=")
    assert back.group(1).endswith("#exports")


def test_when_nothing_fits_the_cheapest_design_is_ticked_for_download(
    app: Flask, low_page: str, low_request: Any
) -> None:
    cheapest = answer_of(app, low_request).minimum_budget.architecture
    ticked = re.findall(r'name="picks" value="([^"]+)" id="[^"]+" checked', low_page)
    assert ticked == [cheapest]


def test_after_a_failed_submit_the_error_summary_takes_the_focus(client: FlaskClient) -> None:
    page = post_form(client, **{"budget.amount": "-5"}).get_data(as_text=True)
    summary = re.search(r'<div class="error-summary"[^>]*>', page)
    assert summary
    assert 'tabindex="-1"' in summary.group(0) and "autofocus" in summary.group(0)
    assert "<script" not in page


def test_a_hypervisor_host_is_named_as_a_host_not_a_load_balancer(seed_page: str, seed_answer: Any) -> None:
    first = seed_answer.recommendations[0]
    assert "hv-1" in {s.component for s in first.single_points_of_failure}
    verdict = text_of(seed_page.split('<section class="verdict', 1)[1].split("</section>", 1)[0])
    assert "hv-1 (hypervisor host)" in verdict and "hv-1 (load balancer)" not in verdict
    assert "hv-1 (hypervisor host) cuts off" in text_of(section(seed_page, "design-1"))


def test_with_a_total_budget_the_chart_measures_the_total_cost(app: Flask) -> None:
    request = request_with(budget={"amount": 40000, "applies_to": "total"})
    page = result_of(app.test_client(), request)
    root = chart_of(page)
    words = [" ".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "Total cost (USD)" in words and "Budget 40,000.00 USD" in words
    answer = answer_of(app, request)
    frontier = text_of(section(page, "frontier"))
    for point in answer.frontier:
        assert money(point.cost.total_cents, "USD") in frontier
