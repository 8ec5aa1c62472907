"""Two `advisor serve` instances with accounts on one PostgreSQL: a token made once works on both,
scenarios stay their owner's whichever instance answers, and a save retried with one
Idempotency-Key on both at once is saved once."""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from advisor.accounts import Accounts
from advisor.storage import open_store
from tests.conftest import make_request
from tests.storage.served import served

pytestmark = pytest.mark.slow


def test_two_instances_with_accounts_share_tokens_ownership_and_idempotency_keys(
    postgres_url: str, tmp_path: Path
) -> None:
    store = open_store(postgres_url)
    accounts = Accounts(store.accounts)
    _, alice = accounts.add(f"alice-{secrets.token_hex(4)}")
    _, bob = accounts.add(f"bob-{secrets.token_hex(4)}")
    store.close()
    settings = {"ADVISOR_AUTH": "tokens", "ADVISOR_RATE_LIMIT": "off"}
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    with (
        served(postgres_url, 1, tmp_path / "one", settings) as one,
        served(postgres_url, 1, tmp_path / "two", settings) as two,
    ):
        as_alice = {"Authorization": f"Bearer {alice}", "Idempotency-Key": secrets.token_hex(8)}
        body = {"name": "Retried save", "request": make_request()}
        with ThreadPoolExecutor(4) as pool:
            answers = list(
                pool.map(
                    lambda s: s.call("POST", "/api/v1/scenarios", body, headers=as_alice), [one, two] * 2
                )
            )

        assert [a.status for a in answers] == [201] * 4, [a.body for a in answers]
        assert len({a.body["id"] for a in answers}) == 1
        path = answers[0].body["links"]["self"]
        listed = two.call("GET", "/api/v1/scenarios", headers={"Authorization": f"Bearer {alice}"})
        assert [s["id"] for s in listed.body["items"]].count(answers[0].body["id"]) == 1

        assert one.call("GET", path).status == 401
        assert two.call("GET", path, headers={"Authorization": f"Bearer {bob}"}).status == 404
        assert two.call("DELETE", path, headers={"Authorization": f"Bearer {bob}"}).status == 404
        assert two.call("GET", answers[0].body["share_url"]).status == 200
        assert one.call("DELETE", path, headers={"Authorization": f"Bearer {alice}"}).status == 204
        assert two.call("GET", answers[0].body["share_url"]).status == 404
