"""Accounts in a real browser (ADVISOR_AUTH=tokens): sent to sign in, signed in with the token,
back to the page asked for, signed out from the header; the sign-in page passes axe-core."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_accessibility import violations


@pytest.fixture
def served_with_accounts(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The app with accounts on a free port of 127.0.0.1, and the token of its account `alice`."""
    from werkzeug.serving import make_server

    from advisor.app import create_app

    app = create_app(
        {
            "ADVISOR_CATALOG": None,
            "ADVISOR_AUTH": "tokens",
            "ADVISOR_DATABASE_URL": f"sqlite:///{tmp_path / 'browser.sqlite3'}",
        }
    )
    _, token = app.extensions["accounts"].add("alice")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="advisor-e2e-accounts", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", token
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def test_a_person_signs_in_with_the_token_reaches_the_page_asked_for_and_signs_out(
    page: Any, console: Any, served_with_accounts: tuple[str, str]
) -> None:
    base_url, token = served_with_accounts
    page.goto(base_url + "/scenarios")
    assert "/signin" in page.url
    assert violations(page) == []

    page.get_by_label("Account name").fill("alice")
    page.get_by_label("Token or password").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

    assert page.url == base_url + "/scenarios"
    assert "Signed in as alice" in page.locator("header.site").inner_text()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert "/signin" in page.url
    page.goto(base_url + "/")
    assert "/signin" in page.url
    assert console.unexpected() == []


def test_a_wrong_token_shows_the_error_and_the_page_passes_axe(
    page: Any, console: Any, served_with_accounts: tuple[str, str]
) -> None:
    base_url, _ = served_with_accounts
    page.goto(base_url + "/signin")
    page.get_by_label("Account name").fill("alice")
    page.get_by_label("Token or password").fill("not the token")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

    assert "do not match an active account" in page.locator(".error-summary").inner_text()
    assert page.get_by_label("Account name").input_value() == "alice"
    assert violations(page) == []
    assert console.unexpected(401) == []
