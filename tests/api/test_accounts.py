"""Accounts on the API (ADVISOR_AUTH=tokens): bearer tokens, scenarios of one's own, read-only share
links, and the same rules with accounts off; non-JSON bodies refused; Idempotency-Key on saves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from advisor.app import create_app
from tests.conftest import make_request

PROBLEM = "application/problem+json"


def _app(tmp_path: Path, **config: Any) -> Flask:
    settings = {
        "TESTING": True,
        "ADVISOR_CATALOG": None,
        "ADVISOR_DATABASE_URL": f"sqlite:///{tmp_path / 'accounts.sqlite3'}",
    }
    return create_app(settings | config)


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return _app(tmp_path, ADVISOR_AUTH="tokens")


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def token_of(app: Flask, name: str) -> str:
    _, token = app.extensions["accounts"].add(name)
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def save(client: FlaskClient, token: str | None, name: str = "Contoso", **headers: str) -> TestResponse:
    sent = (bearer(token) if token else {}) | headers
    return client.post("/api/v1/scenarios", json={"name": name, "request": make_request()}, headers=sent)


def problem_of(response: TestResponse, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.content_type == PROBLEM
    body: dict[str, Any] = response.get_json(force=True)
    assert body["status"] == status
    return body


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/scenarios"),
        ("POST", "/api/v1/scenarios"),
        ("GET", "/api/v1/scenarios/Zx8qv3Tq0cS1yJ5b2uYw7A"),
        ("DELETE", "/api/v1/scenarios/Zx8qv3Tq0cS1yJ5b2uYw7A"),
        ("POST", "/api/v1/recommendations"),
        ("POST", "/api/v1/analyses"),
        ("POST", "/api/v1/quotes"),
        ("GET", "/api/v1/architectures"),
        ("GET", "/api/v1/catalogs"),
    ],
)
def test_with_tokens_an_operation_without_a_bearer_token_is_a_401_problem_with_a_challenge(
    client: FlaskClient, method: str, path: str
) -> None:
    response = client.open(path, method=method, json={})

    body = problem_of(response, 401)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="advisor"'
    assert body["type"].endswith("#problem-unauthorized")
    assert "advisor users add" in body["detail"]


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/api/v1/openapi.json", "/api/v1/docs"])
def test_with_tokens_health_readiness_and_the_api_description_need_no_token(
    client: FlaskClient, path: str
) -> None:
    assert client.get(path).status_code == 200


def test_a_wrong_or_revoked_or_replaced_token_is_refused_as_an_invalid_token(app: Flask) -> None:
    client = app.test_client()
    accounts = app.extensions["accounts"]
    token = token_of(app, "alice")
    assert client.get("/api/v1/scenarios", headers=bearer(token)).status_code == 200

    wrong = client.get("/api/v1/scenarios", headers=bearer(token[:-1] + ("A" if token[-1] != "A" else "B")))
    _, fresh = accounts.new_token("alice")
    replaced = client.get("/api/v1/scenarios", headers=bearer(token))
    works = client.get("/api/v1/scenarios", headers=bearer(fresh))
    accounts.revoke("alice")
    revoked = client.get("/api/v1/scenarios", headers=bearer(fresh))

    for refused in (wrong, replaced, revoked):
        problem_of(refused, 401)
        assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]
    assert works.status_code == 200


def test_another_account_gets_404_on_read_change_reprice_export_and_delete_and_lists_only_its_own(
    app: Flask,
) -> None:
    client = app.test_client()
    alice, bob = token_of(app, "alice"), token_of(app, "bob")
    saved = save(client, alice).get_json()
    path = saved["links"]["self"]

    attempts = [
        client.get(path, headers=bearer(bob)),
        client.patch(path, json={"name": "mine now"}, headers=bearer(bob)),
        client.post(saved["links"]["reprice"], headers=bearer(bob)),
        client.get(saved["links"]["export"] + "?format=json", headers=bearer(bob)),
        client.delete(path, headers=bearer(bob)),
    ]
    listed_by_bob = client.get("/api/v1/scenarios", headers=bearer(bob)).get_json()
    listed_by_alice = client.get("/api/v1/scenarios", headers=bearer(alice)).get_json()
    compared = client.post(
        "/api/v1/scenarios/compare",
        json={
            "designs": [
                {
                    "scenario": saved["id"],
                    "architecture": saved["response"]["recommendations"][0]["architecture"],
                },
                {
                    "scenario": saved["id"],
                    "architecture": saved["response"]["recommendations"][1]["architecture"],
                },
            ],
            "format": "json",
        },
        headers=bearer(bob),
    )

    for refused in attempts:
        assert problem_of(refused, 404)["type"].endswith("#problem-scenario-not-found")
    assert listed_by_bob["total"] == 0 and listed_by_bob["items"] == []
    assert [s["id"] for s in listed_by_alice["items"]] == [saved["id"]]
    assert "designs.0.scenario" in problem_of(compared, 422)["errors"]
    still = client.get(path, headers=bearer(alice)).get_json()
    assert still["name"] == "Contoso"


def test_a_scenario_repriced_by_its_owner_stays_its_owners(app: Flask) -> None:
    client = app.test_client()
    alice, bob = token_of(app, "alice"), token_of(app, "bob")
    saved = save(client, alice).get_json()

    fresh = client.post(saved["links"]["reprice"], headers=bearer(alice)).get_json()

    assert client.get(fresh["links"]["self"], headers=bearer(alice)).status_code == 200
    assert client.get(fresh["links"]["self"], headers=bearer(bob)).status_code == 404


def test_the_share_url_opens_the_scenario_read_only_to_anyone_holding_it(app: Flask) -> None:
    client = app.test_client()
    alice = token_of(app, "alice")
    saved = save(client, alice).get_json()
    share = saved["share_url"]

    opened = client.get(share)
    exported = client.get(opened.get_json()["links"]["export"] + "?format=csv-summary")
    changes = [
        client.patch(share, json={"name": "x"}),
        client.delete(share),
        client.post(share, json={}),
        client.put(share, json={}),
    ]
    page = client.get(saved["links"]["share_page"])

    assert opened.status_code == 200
    body = opened.get_json()
    assert body["id"] == saved["id"] and body["response"] == saved["response"]
    assert "reprice" not in body["links"]
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    for refused in changes:
        problem = problem_of(refused, 405)
        assert refused.headers["Allow"] and "GET" in refused.headers["Allow"]
        assert "is not allowed" in problem["detail"]
    assert page.status_code == 200 and "Shared scenario (read-only)" in page.get_data(as_text=True)
    assert client.get(share[:-1]).status_code == 404
    assert client.get(saved["links"]["self"], headers={}).status_code == 401


def test_each_scenario_has_a_share_token_of_its_own_unlike_its_id(app: Flask) -> None:
    client = app.test_client()
    alice = token_of(app, "alice")
    one, two = save(client, alice).get_json(), save(client, alice).get_json()

    assert one["share_url"] != two["share_url"]
    assert one["id"] not in one["share_url"]
    assert len(one["share_url"].rsplit("/", 1)[1]) == 43


def test_with_accounts_off_every_scenario_is_everyones_and_has_a_share_url(tmp_path: Path) -> None:
    client = _app(tmp_path, ADVISOR_AUTH="off").test_client()
    saved = save(client, None).get_json()

    assert client.get(saved["links"]["self"]).status_code == 200
    assert client.get("/api/v1/scenarios").get_json()["total"] == 1
    assert client.get(saved["share_url"]).get_json()["id"] == saved["id"]


def test_unset_auth_means_off_for_an_app_built_directly(tmp_path: Path) -> None:
    client = _app(tmp_path).test_client()

    assert client.get("/api/v1/scenarios").status_code == 200


# ---------- bodies and methods ----------


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("application/x-www-form-urlencoded", "a=b"),
        ("multipart/form-data; boundary=x", "--x--\r\n"),
        ("text/plain", "hello"),
        ("application/x-www-form-urlencoded", ""),
    ],
)
def test_reprice_and_delete_refuse_a_body_that_is_not_json_as_a_cross_site_form_would_send(
    tmp_path: Path, content_type: str, data: str
) -> None:
    client = _app(tmp_path).test_client()
    saved = save(client, None).get_json()

    repriced = client.post(saved["links"]["reprice"], data=data, content_type=content_type)
    deleted = client.delete(saved["links"]["self"], data=data, content_type=content_type)

    for refused in (repriced, deleted):
        assert "application/json" in problem_of(refused, 415)["detail"]
    assert client.get("/api/v1/scenarios").get_json()["total"] == 1


def test_reprice_still_takes_no_body_or_an_empty_json_object(tmp_path: Path) -> None:
    client = _app(tmp_path).test_client()
    saved = save(client, None).get_json()

    assert client.post(saved["links"]["reprice"]).status_code == 201
    assert client.post(saved["links"]["reprice"], json={}).status_code == 201
    problem_of(client.post(saved["links"]["reprice"], data="[1", content_type="application/json"), 400)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/api/v1/scenarios", {"GET", "POST"}),
        ("DELETE", "/api/v1/scenarios", {"GET", "POST"}),
        ("HEAD", "/api/v1/scenarios/compare", {"POST"}),
        ("GET", "/api/v1/scenarios/compare", {"POST"}),
        ("HEAD", "/api/v1/scenarios/Zx8qv3Tq0cS1yJ5b2uYw7A/reprice", {"POST"}),
        ("PUT", "/api/v1/scenarios/Zx8qv3Tq0cS1yJ5b2uYw7A", {"GET", "PATCH", "DELETE"}),
        ("HEAD", "/api/v1/recommendations", {"POST"}),
        ("PATCH", "/api/v1/recommendations", {"POST"}),
        ("POST", "/api/v1/architectures", {"GET"}),
    ],
)
def test_a_method_a_route_does_not_serve_is_a_405_problem_with_allow(
    tmp_path: Path, method: str, path: str, allowed: set[str]
) -> None:
    client = _app(tmp_path).test_client()

    response = client.open(path, method=method)

    assert response.status_code == 405
    assert allowed <= {m.strip() for m in response.headers["Allow"].split(",")}
    if method != "HEAD":
        assert response.content_type == PROBLEM


def test_head_cannot_bypass_the_listing_switch(tmp_path: Path) -> None:
    client = _app(tmp_path, ADVISOR_SCENARIO_LISTING=False).test_client()
    save(client, None, name="Secret merger plan")

    head = client.head("/api/v1/scenarios?name=merger")
    get = client.get("/api/v1/scenarios?name=merger")

    assert head.status_code == 403 == get.status_code
    assert head.headers["Content-Length"] == get.headers["Content-Length"]
    assert (
        client.head("/api/v1/scenarios?name=nothing-like-it").headers["Content-Length"]
        == (head.headers["Content-Length"])
    )


# ---------- Idempotency-Key ----------


def test_the_same_idempotency_key_and_body_answer_the_first_save_instead_of_a_duplicate(app: Flask) -> None:
    client = app.test_client()
    alice = token_of(app, "alice")

    first = save(client, alice, **{"Idempotency-Key": "order-1"})
    again = save(client, alice, **{"Idempotency-Key": "order-1"})

    assert first.status_code == again.status_code == 201
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.headers["Location"] == first.headers["Location"]
    assert client.get("/api/v1/scenarios", headers=bearer(alice)).get_json()["total"] == 1


def test_the_same_idempotency_key_with_another_body_is_a_422_saying_so(app: Flask) -> None:
    client = app.test_client()
    alice = token_of(app, "alice")
    save(client, alice, name="First", **{"Idempotency-Key": "order-1"})

    other = save(client, alice, name="Second", **{"Idempotency-Key": "order-1"})

    body = problem_of(other, 422)
    assert body["type"].endswith("#problem-idempotency-conflict")
    assert "Idempotency-Key" in body["errors"]
    assert client.get("/api/v1/scenarios", headers=bearer(alice)).get_json()["total"] == 1


def test_idempotency_keys_are_per_account(app: Flask) -> None:
    client = app.test_client()
    alice, bob = token_of(app, "alice"), token_of(app, "bob")

    mine = save(client, alice, **{"Idempotency-Key": "same"}).get_json()
    theirs = save(client, bob, **{"Idempotency-Key": "same"}).get_json()

    assert mine["id"] != theirs["id"]
    assert client.get(theirs["links"]["self"], headers=bearer(bob)).status_code == 200


def test_a_deleted_scenario_frees_its_idempotency_key(tmp_path: Path) -> None:
    client = _app(tmp_path).test_client()
    first = save(client, None, **{"Idempotency-Key": "k"}).get_json()
    client.delete(first["links"]["self"])

    second = save(client, None, **{"Idempotency-Key": "k"})

    assert second.status_code == 201 and second.get_json()["id"] != first["id"]


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve"])
def test_an_idempotency_key_that_is_empty_too_long_or_not_ascii_is_invalid_input(
    tmp_path: Path, key: str
) -> None:
    client = _app(tmp_path).test_client()

    response = client.post(
        "/api/v1/scenarios",
        json={"name": "x", "request": make_request()},
        headers=[("Idempotency-Key", key.encode("utf-8").decode("latin-1"))],
    )

    assert "Idempotency-Key" in problem_of(response, 422)["errors"]


# ---------- the OpenAPI document ----------


def test_the_openapi_document_declares_the_bearer_scheme_where_it_is_needed(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    paths = document["paths"]

    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert paths["/api/v1/scenarios"]["post"]["security"] == [{"bearer": []}]
    assert "401" in paths["/api/v1/scenarios/{scenario_id}"]["delete"]["responses"]
    for public in (
        "/healthz",
        "/readyz",
        "/api/v1/openapi.json",
        "/api/v1/docs",
        "/api/v1/shared/{share_token}",
    ):
        assert paths[public]["get"]["security"] == [], public
    names = {p["name"] for p in paths["/api/v1/scenarios"]["post"]["parameters"]}
    assert "Idempotency-Key" in names


def test_with_accounts_off_the_openapi_document_asks_for_no_token(tmp_path: Path) -> None:
    document = _app(tmp_path, ADVISOR_AUTH="off").test_client().get("/api/v1/openapi.json").get_json()

    assert "bearer" in document["components"]["securitySchemes"]
    for item in document["paths"].values():
        for method, operation in item.items():
            if method == "parameters":
                continue
            assert "security" not in operation and "401" not in operation.get("responses", {})


def test_with_tokens_the_docs_page_says_which_operations_need_the_token(client: FlaskClient) -> None:
    page = client.get("/api/v1/docs").get_data(as_text=True)

    assert "Authorization: Bearer $TOKEN" in page
    save_section = page.split('id="post-api-v1-scenarios"', 1)[1].split("<article", 1)[0]
    health_section = page.split('id="get-healthz"', 1)[1].split("<article", 1)[0]
    assert "Needs <code>Authorization: Bearer TOKEN</code>" in save_section
    assert "Needs <code>Authorization" not in health_section


def test_the_rate_limit_counts_per_account_not_per_shared_address(tmp_path: Path) -> None:
    app = _app(tmp_path, ADVISOR_AUTH="tokens", ADVISOR_RATE_LIMIT="3 per minute")
    client = app.test_client()
    alice, bob = token_of(app, "alice"), token_of(app, "bob")

    spent = [client.get("/api/v1/architectures", headers=bearer(alice)).status_code for _ in range(4)]
    other = client.get("/api/v1/architectures", headers=bearer(bob))

    assert spent == [200, 200, 200, 429]
    assert other.status_code == 200


def test_the_request_log_shows_where_a_share_link_went_but_never_its_token(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    client = app.test_client()
    saved = save(client, token_of(app, "alice")).get_json()
    token = saved["share_url"].rsplit("/", 1)[1]

    with caplog.at_level("INFO"):
        assert client.get(saved["share_url"]).status_code == 200
        assert client.get(saved["links"]["share_page"]).status_code == 200

    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert token not in logged
    assert '"path": "/api/v1/shared/<token>"' in logged and '"path": "/shared/<token>"' in logged


def test_a_revoked_account_is_refused_as_slowly_as_a_wrong_secret(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    import advisor.accounts as module

    accounts = app.extensions["accounts"]
    token_of(app, "dave")
    accounts.revoke("dave")
    checks: list[str] = []
    real = module.password_matches
    monkeypatch.setattr(module, "password_matches", lambda s, h: checks.append(s) or real(s, h))

    assert accounts.sign_in("dave", "wrong") is None
    assert accounts.sign_in("nosuchuser", "wrong") is None

    assert checks == ["wrong", "wrong"]  # one password hash (a decoy) for each refusal
