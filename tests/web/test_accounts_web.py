"""Accounts on the web pages (ADVISOR_AUTH=tokens): the sign-in page, the session cookie, sign-out,
scenarios of one's own, and the read-only share page anyone holding its link may open."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import make_request
from tests.web.conftest import CSRF_FIELD, build_app
from tests.web.test_scenarios_web import saved_id

PASSWORD = "correct horse battery staple"


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return build_app(ADVISOR_AUTH="tokens", ADVISOR_DATABASE_URL=f"sqlite:///{tmp_path / 'web.sqlite3'}")


def account(app: Flask, name: str) -> str:
    _, token = app.extensions["accounts"].add(name)
    return str(token)


def sign_in(client: FlaskClient, name: str, secret: str, next_url: str = "/") -> Any:
    page = client.get("/signin").get_data(as_text=True)
    found = CSRF_FIELD.search(page)
    assert found, "the sign-in page has no CSRF token"
    data = {"csrf_token": found.group(1), "account": name, "secret": secret, "next": next_url}
    return client.post("/signin", data=data)


def signed_in(app: Flask, name: str, **client_options: Any) -> FlaskClient:
    client = app.test_client(**client_options)
    response = sign_in(client, name, account(app, name))
    assert response.status_code == 303, response.get_data(as_text=True)[:1000]
    return client


def session_cookie(response: Any) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, response.headers
    return str(cookies[-1])


@pytest.mark.parametrize("path", ["/", "/scenarios", "/scenarios/Zx8qv3Tq0cS1yJ5b2uYw7A", "/result?r=x"])
def test_a_visitor_not_signed_in_is_sent_to_the_sign_in_page_and_back(app: Flask, path: str) -> None:
    response = app.test_client().get(path)

    assert response.status_code == 303
    assert response.headers["Location"].startswith("/signin?next=")
    page = app.test_client().get(response.headers["Location"])
    assert page.status_code == 200 and "Sign in" in page.get_data(as_text=True)


def test_signing_in_with_the_token_sets_an_httponly_lax_session_and_goes_back(app: Flask) -> None:
    client = app.test_client()
    token = account(app, "alice")

    response = sign_in(client, "alice", token, next_url="/scenarios")

    assert response.status_code == 303 and response.headers["Location"] == "/scenarios"
    cookie = session_cookie(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    page = client.get("/scenarios").get_data(as_text=True)
    assert "Signed in as <strong>alice</strong>" in page


def test_the_session_cookie_is_secure_when_the_request_came_over_https(app: Flask) -> None:
    client = app.test_client()
    token = account(app, "alice")
    page = client.get("/signin", base_url="https://advisor.example").get_data(as_text=True)
    found = CSRF_FIELD.search(page)
    assert found

    response = client.post(
        "/signin",
        data={"csrf_token": found.group(1), "account": "alice", "secret": token, "next": "/"},
        base_url="https://advisor.example",
        headers={"Referer": "https://advisor.example/signin"},
    )

    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    assert "Secure" in session_cookie(response)


PROXIED = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}  # from a TLS proxy


def behind_a_proxy(tmp_path: Path) -> Flask:
    """Accounts on, behind one trusted reverse proxy that terminates TLS."""
    return build_app(
        ADVISOR_AUTH="tokens",
        ADVISOR_DATABASE_URL=f"sqlite:///{tmp_path / 'proxy.sqlite3'}",
        ADVISOR_TRUSTED_PROXIES=1,
    )


def test_behind_a_trusted_proxy_x_forwarded_proto_https_makes_the_cookie_secure(tmp_path: Path) -> None:
    response = behind_a_proxy(tmp_path).test_client().get("/signin", headers=PROXIED)

    assert "Secure" in session_cookie(response)


def test_a_password_set_for_the_account_signs_in_too(app: Flask) -> None:
    account(app, "alice")
    app.extensions["accounts"].set_password("alice", PASSWORD)

    response = sign_in(app.test_client(), "alice", PASSWORD)

    assert response.status_code == 303


@pytest.mark.parametrize(("name", "secret"), [("alice", "wrong"), ("nobody", "x" * 43), ("alice", "")])
def test_a_wrong_name_token_or_password_is_refused_with_the_form_again(
    app: Flask, name: str, secret: str
) -> None:
    account(app, "alice")

    response = sign_in(app.test_client(), name, secret)

    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "do not match an active account" in page and 'name="secret"' in page
    assert secret not in page or not secret


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
        "/\n/x",
        "/ /evil.example",
    ],
)
def test_sign_in_never_sends_the_browser_to_another_site(app: Flask, target: str) -> None:
    client = app.test_client()

    response = sign_in(client, "alice", account(app, "alice"), next_url=target)

    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/%09/evil.example", "/%0a/x", "//evil.example"])
def test_with_accounts_off_the_sign_in_link_never_leads_to_another_site(tmp_path: Path, target: str) -> None:
    app = build_app(ADVISOR_DATABASE_URL=f"sqlite:///{tmp_path / 'off.sqlite3'}")

    response = app.test_client().get(f"/signin?next={target}")

    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_behind_a_tls_proxy_a_browser_that_sends_no_referer_signs_in(tmp_path: Path) -> None:
    # Every page asks for no Referer (Referrer-Policy: no-referrer); the CSRF token is the check.
    app = behind_a_proxy(tmp_path)
    client = app.test_client()
    page = client.get("/signin", headers=PROXIED).get_data(as_text=True)
    found = CSRF_FIELD.search(page)
    assert found
    data = {"csrf_token": found.group(1), "account": "alice", "secret": account(app, "alice"), "next": "/"}

    response = client.post("/signin", data=data, headers=PROXIED)

    assert response.status_code == 303 and response.headers["Location"] == "/"
    without_token = client.post("/signin", data={**data, "csrf_token": "forged"}, headers=PROXIED)
    assert without_token.status_code == 400


def test_a_copy_of_the_cookie_kept_from_before_sign_out_no_longer_signs_in(app: Flask) -> None:
    client = signed_in(app, "alice")
    kept = client.get_cookie("session")
    assert kept is not None
    page = client.get("/").get_data(as_text=True)
    found = re.search(r'action="/signout">\s*<input type="hidden" name="csrf_token" value="([^"]+)"', page)
    assert found
    assert client.post("/signout", data={"csrf_token": found.group(1)}).status_code == 303

    replay = app.test_client()
    replay.set_cookie("session", kept.value)

    assert replay.get("/scenarios").status_code == 303


def test_signing_out_ends_the_session(app: Flask) -> None:
    client = signed_in(app, "alice")
    page = client.get("/").get_data(as_text=True)
    found = re.search(r'action="/signout">\s*<input type="hidden" name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no sign-out button"

    response = client.post("/signout", data={"csrf_token": found.group(1)})

    assert response.status_code == 303
    assert client.get("/").status_code == 303


def test_a_new_token_or_revocation_signs_the_web_sessions_out(app: Flask) -> None:
    client = signed_in(app, "alice")
    assert client.get("/").status_code == 200

    app.extensions["accounts"].new_token("alice")

    assert client.get("/").status_code == 303


def test_each_account_sees_only_its_own_scenarios_on_the_web(app: Flask) -> None:
    alice, bob = signed_in(app, "alice"), signed_in(app, "bob")
    scenario_id = saved_id(alice, "Alice's plan")

    for path in (
        f"/scenarios/{scenario_id}",
        f"/scenarios/{scenario_id}/delete",
        f"/scenarios/{scenario_id}/export?format=json",
        f"/scenarios/{scenario_id}/diagram-1.svg",
    ):
        assert bob.get(path).status_code == 404, path
        assert alice.get(path).status_code == 200, path
    assert "Alice&#39;s plan" not in bob.get("/scenarios").get_data(as_text=True)
    assert "Alice&#39;s plan" in alice.get("/scenarios").get_data(as_text=True)


def test_the_share_page_opens_read_only_to_anyone_holding_the_link(app: Flask) -> None:
    alice = signed_in(app, "alice")
    scenario_id = saved_id(alice, "Shared plan")
    page = alice.get(f"/scenarios/{scenario_id}").get_data(as_text=True)
    share = re.search(r'href="(/shared/[A-Za-z0-9_-]{43})"', page)
    assert share, "the scenario page has no share link"

    anyone = app.test_client()
    shared = anyone.get(share.group(1))
    html = shared.get_data(as_text=True)

    assert shared.status_code == 200 and "Shared plan" in html
    assert "scenario_reprice" not in html and "/reprice" not in html and "/delete" not in html
    assert "Re-price" not in html and "Rename or edit" not in html and 'method="post"' not in html
    assert anyone.get(share.group(1) + "/export?format=json").status_code == 200
    assert anyone.get(share.group(1) + "/diagram-1.svg").mimetype == "image/svg+xml"
    assert anyone.get(f"/scenarios/{scenario_id}").status_code == 303
    assert anyone.get(share.group(1)[:-1]).status_code == 404


def test_the_api_does_not_take_the_web_session_cookie_as_a_sign_in(app: Flask) -> None:
    client = signed_in(app, "alice")

    response = client.post("/api/v1/scenarios", json={"name": "x", "request": make_request()})

    assert response.status_code == 401


def test_with_accounts_off_the_sign_in_page_sends_back_to_the_form(tmp_path: Path) -> None:
    app = build_app(ADVISOR_AUTH="off", ADVISOR_DATABASE_URL=f"sqlite:///{tmp_path / 'off.sqlite3'}")

    assert app.test_client().get("/signin").status_code == 303
    assert "Sign out" not in app.test_client().get("/").get_data(as_text=True)
