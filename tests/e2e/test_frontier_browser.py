"""What each dollar buys, in a real browser at desktop and phone widths: the frontier chart fits
and reads, the diagram and badges stay inside their cards, the docs page fits a phone, focus
goes to the error summary, and axe-core finds nothing serious. Screenshots of each piece land
under /tmp/advisor-screens for a person to look at."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from advisor.web import codec
from tests.e2e.conftest import SCREENS, Console
from tests.e2e.test_accessibility import violations
from tests.e2e.test_browser import fill_the_seed_case
from tests.web.test_what_each_dollar_buys import SEED

PHONE_CONTENT = 342  # the content box of a 390 px wide phone


def result_url(base_url: str, **changes: Any) -> str:
    request = copy.deepcopy(SEED)
    request.update(changes)
    return f"{base_url}/result?r={codec.encode(request)}"


def shot(locator: Any, name: str) -> Path:
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    locator.screenshot(path=str(path))
    return path


def width_name(tab: str) -> str:
    return "desktop" if tab == "page" else "phone"


@pytest.mark.parametrize("tab", ["page", "phone"])
def test_the_frontier_chart_fits_its_box_and_its_words_stay_readable(
    request: pytest.FixtureRequest, base_url: str, tab: str, console: Console
) -> None:
    page = request.getfixturevalue(tab)
    page.goto(result_url(base_url))
    chart = page.locator("svg.frontier-chart")
    assert chart.is_visible()
    box = chart.bounding_box()
    section = page.locator("#frontier").bounding_box()
    assert box["x"] >= section["x"] and box["x"] + box["width"] <= section["x"] + section["width"]
    if tab == "phone":
        assert box["width"] <= PHONE_CONTENT + 1
    assert box["width"] >= 300, "scaled, not shrunk out of reach"
    smallest = page.evaluate(
        "Math.min(...[...document.querySelectorAll('svg.frontier-chart text')]"
        ".map(t => t.getBoundingClientRect().height))"
    )
    assert smallest >= 9, "tick labels stay at least about 9 px tall"
    letters = [t.strip() for t in page.locator("svg.frontier-chart g.point text").all_text_contents()]
    table_letters = [t.split()[-1] for t in page.locator("table.frontier-table tbody th").all_inner_texts()]
    assert letters == table_letters
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert shot(page.locator("#frontier"), f"frontier-{width_name(tab)}").stat().st_size > 0
    assert console.errors == []


@pytest.mark.parametrize("tab", ["page", "phone"])
def test_the_new_sentences_show_in_the_verdict_and_on_each_alternative(
    request: pytest.FixtureRequest, base_url: str, tab: str
) -> None:
    page = request.getfixturevalue(tab)
    page.goto(result_url(base_url))
    verdict = page.locator("section.verdict")
    assert "Expected Outlook downtime:" in verdict.inner_text()
    assert "it misses Outlook staying up when a load balancer fails (preferred)" in verdict.inner_text()
    versus = page.locator("#design-2 .versus")
    assert versus.is_visible() and versus.inner_text().startswith("Against #1 (")
    downtime = page.locator("#design-1 table.downtime")
    assert downtime.is_visible() and "Outlook" in downtime.inner_text()
    shot(verdict, f"verdict-{width_name(tab)}")
    shot(versus, f"versus-{width_name(tab)}")
    shot(downtime, f"downtime-{width_name(tab)}")
    page.goto(result_url(base_url, budget={"amount": 1000}))
    sensitivity = page.locator("section.verdict .sensitivity")
    assert sensitivity.is_visible() and "buys" in sensitivity.inner_text()
    shot(page.locator("section.verdict"), f"verdict-nothing-fits-{width_name(tab)}")


def test_the_diagram_fits_its_card_on_a_phone(phone: Any, base_url: str) -> None:
    phone.goto(result_url(base_url))
    for rank in (1, 2, 3):
        diagram = phone.locator(f"#design-{rank} svg.diagram")
        box = diagram.bounding_box()
        card = phone.locator(f"#design-{rank}").bounding_box()
        assert box["x"] >= card["x"] and box["x"] + box["width"] <= card["x"] + card["width"], rank
        holder = phone.locator(f"#design-{rank} .diagram-scroll")
        assert holder.evaluate("e => e.scrollWidth <= e.clientWidth"), "nothing cut off at the side"
    shot(phone.locator("#design-1 figure.diagram-figure"), "diagram-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_status_badges_stay_inside_their_rows_on_a_phone(phone: Any, base_url: str) -> None:
    phone.goto(result_url(base_url, budget={"amount": 1000}))
    rows = phone.locator("#weighed tbody tr")
    assert rows.count() >= 6
    for i in range(rows.count()):
        row = rows.nth(i).bounding_box()
        badge = rows.nth(i).locator(".status").bounding_box()
        assert badge["x"] + badge["width"] <= row["x"] + row["width"] + 0.5, i
    assert "Misses a required goal" in phone.locator("#weighed").inner_text()
    shot(phone.locator("#weighed"), "weighed-nothing-fits-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_focus_moves_to_the_error_summary_after_a_failed_submit(page: Any, base_url: str) -> None:
    fill_the_seed_case(page, base_url, budget="-5")
    page.get_by_role("button", name="Recommend a design").click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert "between 0 and 100,000,000" in page.locator("#error-summary").inner_text()
    shot(page.locator("#error-summary"), "error-summary-desktop")


def test_download_with_nothing_ticked_leads_back_to_the_result(page: Any, base_url: str) -> None:
    page.goto(result_url(base_url, budget={"amount": 1000}))
    for box in page.locator("input[name=picks]").all():
        box.uncheck()
    page.get_by_role("button", name="Download the comparison").click()
    page.wait_for_load_state()
    assert "tick the designs to compare" in page.locator("main").inner_text()
    assert "picks" not in page.locator("main").inner_text()
    shot(page.locator("main"), "export-nothing-ticked-desktop")
    page.get_by_role("link", name="Back to the result").click()
    page.wait_for_load_state()
    assert "/result?r=" in page.url and page.url.endswith("#exports")


@pytest.mark.parametrize("tab", ["page", "phone"])
def test_the_docs_page_fits_a_phone_links_back_and_cuts_no_path(
    request: pytest.FixtureRequest, base_url: str, tab: str
) -> None:
    page = request.getfixturevalue(tab)
    page.goto(base_url + "/api/v1/docs")
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    cut = page.evaluate(
        "[...document.querySelectorAll('nav a')].filter(a => a.scrollWidth > a.clientWidth + 1 || "
        "a.getBoundingClientRect().right > a.closest('nav').getBoundingClientRect().right + 1)"
        ".map(a => a.textContent)"
    )
    assert cut == []
    assert base_url + "/api/v1/recommendations" in page.locator("pre").first.inner_text()
    page.screenshot(path=str(SCREENS / f"docs-top-{width_name(tab)}.png"))
    shot(page.locator("#availability"), f"docs-availability-{width_name(tab)}")
    assert violations(page) == []
    page.get_by_role("link", name="← Back to the planning form").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Recommend a design").is_visible()


@pytest.mark.parametrize("tab", ["page", "phone"])
def test_the_result_with_the_frontier_has_no_serious_accessibility_violations(
    request: pytest.FixtureRequest, base_url: str, tab: str
) -> None:
    page = request.getfixturevalue(tab)
    for budget in (30000, 1000):
        page.goto(result_url(base_url, budget={"amount": budget}))
        assert page.locator("svg.frontier-chart").is_visible()
        assert violations(page) == []
