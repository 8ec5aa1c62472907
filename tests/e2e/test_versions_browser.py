"""Exchange and Windows versions in a real browser: the Windows menu follows the Exchange version
(a style rule, so without script too), and results on current and retired versions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from advisor.catalog.registry import CatalogRegistry
from tests.e2e.conftest import DESKTOP, PHONE, Console, _page, screenshot

CATALOG = CatalogRegistry(own="").get("default")
OFFERED = (
    "Array.from(document.querySelectorAll('#f-windows-version option'))"
    ".filter(o => getComputedStyle(o.parentElement).display !== 'none').map(o => o.value)"
)


@pytest.fixture
def scriptless(browser: Any, console: Console) -> Iterator[Any]:
    """A desktop tab with JavaScript off in the page (Playwright's own calls still run)."""
    yield from _page(browser, console, DESKTOP, scripts=False)


def hint_shown(page: Any, exchange: str) -> bool:
    return bool(page.locator(f'.pair-hint[data-exchange="{exchange}"]').is_visible())


def facts_shown(page: Any) -> list[str]:
    items = page.locator(".version-facts li")
    return [
        str(items.nth(i).get_attribute("data-exchange"))
        for i in range(items.count())
        if items.nth(i).is_visible()
    ]


@pytest.mark.parametrize("tab", ["page", "scriptless"])
def test_the_windows_choices_follow_the_exchange_version(
    request: pytest.FixtureRequest, base_url: str, console: Console, tab: str
) -> None:
    page = request.getfixturevalue(tab)
    page.goto(base_url + "/")
    exchange, windows = page.get_by_label("Exchange version"), page.get_by_label("Windows Server version")
    assert page.evaluate(OFFERED) == list(CATALOG.exchange["2010"].windows_versions)
    assert facts_shown(page) == ["2010"]
    for version, facts in CATALOG.exchange.items():
        exchange.select_option(version)
        assert page.evaluate(OFFERED) == list(facts.windows_versions), version
        assert facts_shown(page) == [version]
        chosen = windows.input_value()
        assert hint_shown(page, version) is (chosen not in facts.windows_versions), (version, chosen)
        windows.select_option(facts.windows_versions[-1])
        assert not hint_shown(page, version)
        assert not any(hint_shown(page, other) for other in CATALOG.exchange)
    exchange.select_option("SE")
    windows.select_option("2012R2")  # a pair a browser without :has() could still send
    assert hint_shown(page, "SE")
    assert (
        "Exchange SE runs on Windows Server 2019, 2022 and 2025 only"
        in page.locator('.pair-hint[data-exchange="SE"]').inner_text()
    )
    page.get_by_role("button", name="Recommend a design").click()
    page.wait_for_load_state()
    assert (
        "does not run on Windows Server 2012 R2; it runs on 2019, 2022, 2025"
        in page.locator("#f-windows-version-error").inner_text()
    )
    assert exchange.input_value() == "SE" and windows.input_value() == "2012R2"
    assert console.unexpected(422) == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_screenshots_of_the_version_menus_and_results_on_2019_and_se(
    browser: Any, base_url: str, console: Console, viewport: dict[str, int]
) -> None:
    """Pictures for a person to look at (under /tmp/advisor-screens), and the warnings they show."""
    width = "desktop" if viewport is DESKTOP else "phone"
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    console.listen(page)
    try:
        page.goto(base_url + "/")
        page.get_by_label("Exchange version").select_option("SE")
        page.locator("#section-platform").scroll_into_view_if_needed()
        page.locator("#section-platform").screenshot(path=str(screenshot(page, f"versions-form-{width}")))
        for exchange, windows, warned in (("2019", "2022", True), ("SE", "2025", False)):
            page.goto(base_url + "/")
            page.get_by_label("Exchange version").select_option(exchange)
            page.get_by_label("Windows Server version").select_option(windows)
            page.get_by_label("Budget", exact=True).fill("100000")
            page.get_by_role("button", name="Recommend a design").click()
            page.wait_for_url(re.compile(r"/result\?r="))
            warning = page.locator("section.lifecycle-warning")
            assert warning.count() == (1 if warned else 0)
            if warned:
                assert "Exchange Server 2019 left extended support on 2025-10-14" in warning.inner_text()
            assert "CAS array" not in page.locator("section.verdict").inner_text()
            screenshot(page, f"result-{exchange}-on-{windows}-{width}")
        assert console.errors == []
    finally:
        context.close()
