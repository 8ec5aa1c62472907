"""A planner in a real browser: fill the form, submit, read the result, mistype, reload, use the keyboard."""

from __future__ import annotations

import re
from typing import Any

import pytest

from advisor.catalog.registry import CatalogRegistry
from advisor.domain import money_to_cents
from advisor.service import Advisor
from advisor.web.present import money
from tests.e2e.conftest import Console, screenshot
from tests.json_advisor import JsonAdvisor

SOLVE_TIME = re.compile(r"\d+ ms\)")


def fill_the_seed_case(page: Any, base_url: str, budget: str = "30000") -> None:
    """What a consultant types with the customer: project, budget, and one more preferred goal."""
    page.goto(base_url + "/")
    page.get_by_label("Project name").fill("Mail HA refresh")
    page.get_by_label("Customer").fill("Contoso Ltd")
    page.get_by_label("Prepared by").fill("A. Planner")
    page.get_by_label("Budget", exact=True).fill(budget)
    page.get_by_label("A load balancer fails: OWA").select_option("preferred")


def expected_answer() -> dict[str, Any]:
    """What the engine answers for the same request, to check the page against."""
    request = {
        "budget": {"amount": 30000},
        "environment": {"cals_owned": 300},
        "goals": [
            {"failure": "database", "services": ["outlook", "owa"], "priority": "required"},
            {"failure": "server", "services": ["outlook", "owa", "smtp_inbound"], "priority": "required"},
            {
                "failure": "load_balancer",
                "services": ["outlook", "owa"],
                "priority": "preferred",
                "weight": 5,
            },
        ],
    }
    return JsonAdvisor(Advisor(CatalogRegistry(own=""))).recommend(request)


def test_a_planner_fills_the_form_and_reads_the_recommended_design(
    page: Any, base_url: str, console: Console
) -> None:
    fill_the_seed_case(page, base_url)
    page.get_by_role("button", name="Recommend a design").click()
    page.wait_for_url(re.compile(r"/result\?r="))

    best = expected_answer()["recommendations"][0]
    verdict = page.locator("section.verdict")
    assert best["title"] in verdict.locator("h2").inner_text()
    figures = verdict.locator(".figures").inner_text()
    for figure in ("upfront", "annual", "total", "budget_left"):
        assert money(money_to_cents(best["cost"][figure]), "USD") in figures
    assert "budget left" in figures.lower()

    card = page.locator("#design-1")
    spof = best["single_points_of_failure"][0]
    spofs = card.locator("ul.spofs li", has_text=spof["component"]).first
    assert "Single point of failure" in spofs.inner_text()
    assert spof["explanation"] in spofs.inner_text()

    grid = card.locator("table.scenarios")
    assert grid.locator("thead").inner_text().split("\t")[1:6] == [
        "Outlook",
        "OWA",
        "ActiveSync",
        "Inbound mail",
        "Outbound mail",
    ]
    outage_row = grid.locator("tbody tr", has_text=spof["component"]).first
    assert "✗ Outage" in outage_row.inner_text()
    assert "SPOF" in outage_row.inner_text()
    assert (card.locator("svg.diagram > title").text_content() or "").startswith("Mail HA refresh")
    assert page.locator("#weighed tbody tr").count() == len(expected_answer()["weighed"])
    assert page.get_by_role("link", name="PDF quote").count() == 1
    assert console.errors == []


def test_a_bad_budget_shows_the_error_beside_the_field_with_the_input_kept(
    page: Any, base_url: str, console: Console
) -> None:
    fill_the_seed_case(page, base_url, budget="-500")
    page.get_by_role("button", name="Recommend a design").click()
    page.wait_for_load_state()

    budget = page.get_by_label("Budget", exact=True)
    assert budget.input_value() == "-500"
    assert budget.get_attribute("aria-invalid") == "true"
    beside = page.locator("#f-budget-amount-error")
    assert "Must be between 0 and 100,000,000" in beside.inner_text()
    assert page.get_by_label("Project name").input_value() == "Mail HA refresh"
    assert page.get_by_label("A load balancer fails: OWA").input_value() == "preferred"
    summary = page.get_by_role("alert")
    summary.get_by_role("link").first.click()
    assert page.url.endswith("#f-budget-amount")
    assert page.title().startswith("Error:")
    assert console.unexpected(422) == []


def test_reloading_the_result_url_gives_the_same_page(page: Any, base_url: str) -> None:
    fill_the_seed_case(page, base_url)
    page.get_by_role("button", name="Recommend a design").click()
    page.wait_for_url(re.compile(r"/result\?r="))
    first_url, first = page.url, SOLVE_TIME.sub("", page.locator("main").inner_text())

    page.reload()
    assert page.url == first_url
    assert SOLVE_TIME.sub("", page.locator("main").inner_text()) == first

    other = page.context.new_page()
    other.goto(first_url)  # a colleague opening the shared link
    assert SOLVE_TIME.sub("", other.locator("main").inner_text()) == first


def test_the_form_works_with_the_keyboard_alone(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the main content"
    page.keyboard.press("Enter")
    reached: list[str] = []
    for _ in range(120):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.name || document.activeElement.textContent")
        reached.append(label)
        if label == "Recommend a design":
            break
    assert "budget.amount" in reached
    assert "goal.server.outlook" in reached and "weight.site" in reached
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/result\?r="))
    assert page.locator("section.verdict h2").inner_text()


def test_the_form_works_without_javascript(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        fill_the_seed_case(page, base_url)
        page.get_by_role("button", name="Recommend a design").click()
        page.wait_for_url(re.compile(r"/result\?r="))
        assert (
            expected_answer()["recommendations"][0]["title"] in page.locator("section.verdict").inner_text()
        )
    finally:
        context.close()


def test_an_export_link_downloads_the_quote_comparison(page: Any, base_url: str) -> None:
    fill_the_seed_case(page, base_url)
    page.get_by_role("button", name="Recommend a design").click()
    page.wait_for_url(re.compile(r"/result\?r="))
    href = page.get_by_role("link", name="CSV, side by side").get_attribute("href")
    response = page.request.get(base_url + href)
    assert response.ok
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]


def test_printing_the_result_hides_the_navigation_and_the_forms(page: Any, base_url: str) -> None:
    fill_the_seed_case(page, base_url)
    page.get_by_role("button", name="Recommend a design").click()
    page.wait_for_url(re.compile(r"/result\?r="))
    page.emulate_media(media="print")
    assert not page.locator("header.site").is_visible()
    assert not page.locator("#exports").is_visible()
    assert page.locator("section.verdict").is_visible()
    assert page.locator("#design-1 svg.diagram").is_visible()


def test_the_api_docs_page_still_renders_under_the_content_security_policy(
    page: Any, base_url: str, console: Console
) -> None:
    response = page.goto(base_url + "/api/v1/docs")
    assert response is not None and response.ok
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert page.locator("h1").is_visible()
    loaded = page.evaluate("Array.from(document.styleSheets).map(s => s.cssRules.length)")
    assert loaded and loaded[0] > 0
    assert console.errors == []


@pytest.mark.parametrize("viewport", ["page", "phone"])
def test_screenshots_of_the_form_and_the_result(
    request: pytest.FixtureRequest, base_url: str, viewport: str
) -> None:
    """Not a check of pixels: pictures for a person to look at (under /tmp/advisor-screens)."""
    tab = request.getfixturevalue(viewport)
    width = "desktop" if viewport == "page" else "phone"
    tab.goto(base_url + "/")
    assert screenshot(tab, f"form-{width}").stat().st_size > 0
    fill_the_seed_case(tab, base_url, budget="lots")
    tab.get_by_role("button", name="Recommend a design").click()
    tab.wait_for_load_state()
    screenshot(tab, f"form-error-{width}")
    fill_the_seed_case(tab, base_url)
    tab.get_by_role("button", name="Recommend a design").click()
    tab.wait_for_url(re.compile(r"/result\?r="))
    assert screenshot(tab, f"result-{width}").stat().st_size > 0
    if viewport == "page":
        tab.emulate_media(media="print")
        tab.pdf(path=str(screenshot(tab, "result-print-screen").with_name("result-print.pdf")))
        tab.emulate_media(media="screen")
    fill_the_seed_case(tab, base_url, budget="12000")
    tab.get_by_role("button", name="Recommend a design").click()
    tab.wait_for_url(re.compile(r"/result\?r="))
    screenshot(tab, f"result-nothing-fits-{width}")
