"""axe-core, run inside the page, finds no serious or critical accessibility violation."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.test_browser import fill_the_seed_case

axe_module = pytest.importorskip(
    "axe_playwright_python.sync_playwright",
    reason="axe-playwright-python (which ships axe.min.js) is not installed",
)
BLOCKING = ("serious", "critical")


def violations(page: Any) -> list[str]:
    """The serious and critical violations on the page, one line each with the nodes concerned."""
    results = axe_module.Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [", ".join(node["target"]) for node in violation["nodes"]][:5]
            found.append(f"{violation['impact']} {violation['id']}: {violation['help']} at {targets}")
    return found


def submitted(page: Any, base_url: str, budget: str) -> Any:
    fill_the_seed_case(page, base_url, budget=budget)
    page.get_by_role("button", name="Recommend a design").click()
    page.wait_for_load_state()
    return page


@pytest.mark.parametrize("tab", ["page", "phone"])
def test_the_form_has_no_serious_accessibility_violations(
    request: pytest.FixtureRequest, base_url: str, tab: str
) -> None:
    page = request.getfixturevalue(tab)
    page.goto(base_url + "/")
    assert violations(page) == []


def test_the_form_with_errors_has_no_serious_accessibility_violations(page: Any, base_url: str) -> None:
    submitted(page, base_url, "not a number")
    assert page.locator(".error-summary").is_visible()
    assert violations(page) == []


@pytest.mark.parametrize("tab", ["page", "phone"])
def test_the_result_page_has_no_serious_accessibility_violations(
    request: pytest.FixtureRequest, base_url: str, tab: str
) -> None:
    page = submitted(request.getfixturevalue(tab), base_url, "30000")
    page.wait_for_url(re.compile(r"/result\?r="))
    assert violations(page) == []


def test_the_result_when_nothing_fits_has_no_serious_accessibility_violations(
    page: Any, base_url: str
) -> None:
    page = submitted(page, base_url, "1000")
    assert "No design meets" in page.locator("section.verdict").inner_text()
    assert violations(page) == []
