"""Browser fixtures: the app served on 127.0.0.1, Debian's Chromium driven by Playwright, screenshots.

The browser is the system's /usr/bin/chromium (the project's set-up installs it with
`apt-get install -y chromium`); Playwright never downloads one. Without it these tests skip.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("ADVISOR_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENS = Path(os.environ.get("ADVISOR_SCREENS", "/tmp/advisor-screens"))
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

MISSING_BROWSER = (
    f"no browser at {CHROMIUM}: install Debian's Chromium with `apt-get install -y chromium` "
    "(or point ADVISOR_CHROMIUM at one)"
)


def _missing_browser() -> None:
    """Skip, with the install command, on a machine without Chromium; fail where one is required
    (CI sets ADVISOR_REQUIRE_BROWSER, so browser tests can never pass there by skipping)."""
    if os.environ.get("ADVISOR_REQUIRE_BROWSER"):
        pytest.fail(MISSING_BROWSER)
    pytest.skip(MISSING_BROWSER)


@pytest.fixture(autouse=True)
def _needs_chromium() -> None:
    if not CHROMIUM.exists():
        _missing_browser()


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """The whole app (API and web form) served by werkzeug on a free port of 127.0.0.1."""
    from werkzeug.serving import make_server

    from advisor.app import create_app

    app = create_app({"ADVISOR_CATALOG": None})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="advisor-e2e", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _missing_browser()
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Console:
    """What the page said on its console: CSP violations and script errors land here."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def listen(self, page: Any) -> None:
        page.on("console", lambda m: self._heard(m.type, m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _heard(self, kind: str, text: str) -> None:
        if kind == "error":
            self.errors.append(text)

    def unexpected(self, *statuses: int) -> list[str]:
        """The errors, less Chrome's note on a page answered with one of `statuses` on purpose."""
        expected = tuple(f"status of {s} " for s in statuses)
        return [e for e in self.errors if not any(x in e for x in expected)]


@pytest.fixture
def console() -> Console:
    return Console()


def _page(browser: Any, console: Console, viewport: dict[str, int], scripts: bool = True) -> Iterator[Any]:
    """A tab at `viewport` (`scripts` False: JavaScript off in the page; Playwright's own calls
    still run)."""
    context = browser.new_context(viewport=viewport, java_script_enabled=scripts)
    page = context.new_page()
    page.set_default_timeout(30_000)
    console.listen(page)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser: Any, console: Console) -> Iterator[Any]:
    """A desktop-sized tab."""
    yield from _page(browser, console, DESKTOP)


@pytest.fixture
def phone(browser: Any, console: Console) -> Iterator[Any]:
    """A phone-sized tab."""
    yield from _page(browser, console, PHONE)


def screenshot(page: Any, name: str) -> Path:
    """A full-page PNG under SCREENS (never committed), for a person to look at."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
