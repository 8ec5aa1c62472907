"""Rate limits per client: a 429 problem with Retry-After past the budget, health checks exempt, each
client (and, once accounts exist, each account) its own budget, shared through Redis between instances."""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest
from flask import Flask, g

from advisor.api.limits import client_key
from advisor.api.settings import InvalidSetting
from advisor.app import create_app
from tests.api.test_errors import problem_of


def limited_app(limit: str = "3 per minute", **config: Any) -> Flask:
    return create_app({"TESTING": True, "ADVISOR_CATALOG": None, "ADVISOR_RATE_LIMIT": limit, **config})


def some_client() -> dict[str, str]:
    """A client address no other test (or earlier run, counted in Redis) has used."""
    return {
        "REMOTE_ADDR": f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"
    }


def test_past_its_budget_a_client_gets_a_429_problem_with_retry_after() -> None:
    client = limited_app().test_client()
    client.environ_base.update(some_client())

    statuses = [client.get("/api/v1/architectures").status_code for _ in range(3)]
    refused = client.get("/api/v1/catalogs")

    assert statuses == [200, 200, 200]
    problem = problem_of(refused, 429)
    assert problem["title"] == "Too Many Requests"
    assert "3 per 1 minute" in problem["detail"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60


def test_the_health_checks_and_static_files_never_count() -> None:
    client = limited_app("1 per minute").test_client()
    client.environ_base.update(some_client())

    for _ in range(5):
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200
        with client.get("/static/web/web.css") as css:
            assert css.status_code == 200
    assert client.get("/api/v1/architectures").status_code == 200


def test_answers_within_the_budget_carry_no_retry_after() -> None:
    client = limited_app().test_client()
    client.environ_base.update(some_client())

    assert "Retry-After" not in client.get("/api/v1/architectures").headers


def test_each_client_address_has_its_own_budget() -> None:
    app = limited_app("1 per minute")
    first, second = app.test_client(), app.test_client()
    first.environ_base.update(some_client())
    second.environ_base.update(some_client())

    assert first.get("/api/v1/architectures").status_code == 200
    assert first.get("/api/v1/architectures").status_code == 429
    assert second.get("/api/v1/architectures").status_code == 200


def test_a_signed_in_account_is_counted_by_account_not_by_address() -> None:
    app = limited_app()
    with app.test_request_context(environ_base={"REMOTE_ADDR": "10.0.0.1"}):
        assert client_key() == "address:10.0.0.1"
        g.account = "alice"  # what the accounts layer will set (issue 14, section 3)
        assert client_key() == "account:alice"


def test_behind_a_trusted_proxy_the_forwarded_client_address_counts() -> None:
    app = limited_app("1 per minute", ADVISOR_TRUSTED_PROXIES=1)
    proxy = {"REMOTE_ADDR": "192.0.2.10"}
    one, other = (some_client()["REMOTE_ADDR"] for _ in range(2))
    client = app.test_client()

    assert (
        client.get("/api/v1/architectures", environ_base=proxy, headers={"X-Forwarded-For": one}).status_code
        == 200
    )
    assert (
        client.get("/api/v1/architectures", environ_base=proxy, headers={"X-Forwarded-For": one}).status_code
        == 429
    )
    assert (
        client.get(
            "/api/v1/architectures", environ_base=proxy, headers={"X-Forwarded-For": other}
        ).status_code
        == 200
    )


def test_without_trusted_proxies_a_forwarded_address_is_ignored() -> None:
    client = limited_app("1 per minute").test_client()
    client.environ_base.update(some_client())

    assert client.get("/api/v1/architectures", headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 200
    assert client.get("/api/v1/architectures", headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 429


def test_a_browser_past_its_budget_gets_an_html_page_with_retry_after() -> None:
    client = limited_app("1 per minute").test_client()
    client.environ_base.update(some_client())
    client.get("/")

    page = client.get("/", headers={"Accept": "text/html"})

    assert page.status_code == 429 and page.mimetype == "text/html"
    assert 1 <= int(page.headers["Retry-After"]) <= 60


def test_rate_limits_can_be_switched_off() -> None:
    client = limited_app("off").test_client()
    client.environ_base.update(some_client())

    assert {client.get("/api/v1/architectures").status_code for _ in range(20)} == {200}


def test_two_instances_on_one_redis_share_each_clients_budget(redis_url: str) -> None:
    first, second = (limited_app("3 per minute", ADVISOR_REDIS_URL=redis_url) for _ in range(2))
    address = some_client()
    on_first, on_second = first.test_client(), second.test_client()
    on_first.environ_base.update(address)
    on_second.environ_base.update(address)

    statuses = [
        on_first.get("/api/v1/architectures").status_code,
        on_second.get("/api/v1/architectures").status_code,
        on_first.get("/api/v1/architectures").status_code,
        on_second.get("/api/v1/architectures").status_code,
        on_first.get("/api/v1/architectures").status_code,
    ]

    assert statuses == [200, 200, 200, 429, 429]


def test_a_redis_that_does_not_answer_stops_the_start_with_one_line() -> None:
    expected = "ADVISOR_REDIS_URL=redis://***@127.0.0.1:1/0: Redis does not answer"
    with pytest.raises(InvalidSetting, match=re.escape(expected)):
        limited_app(ADVISOR_REDIS_URL="redis://user:secret@127.0.0.1:1/0")


def test_the_openapi_document_gives_every_operation_but_the_health_checks_a_429() -> None:
    paths = limited_app().test_client().get("/api/v1/openapi.json").get_json()["paths"]

    for path, item in paths.items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            documented = "429" in operation["responses"]
            assert documented == (path not in ("/healthz", "/readyz")), (method, path)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def time(self) -> float:
        return self.now


def test_the_worker_memory_counts_each_key_in_its_window_and_starts_afresh_after_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from advisor.api import limits

    clock = Clock()
    monkeypatch.setattr(limits, "time", clock)
    memory = limits.WorkerMemory()

    assert [memory.incr("a", 60) for _ in range(3)] == [1, 2, 3]
    assert memory.incr("b", 60) == 1
    assert memory.get("a") == 3 and memory.get_expiry("a") == clock.now + 60
    clock.now += 60
    assert memory.get("a") == 0
    assert memory.incr("a", 60) == 1
    clock.now += 61  # a minute on, the next count sweeps what expired
    memory.incr("c", 60)
    assert set(memory._counts) == {"c"}
