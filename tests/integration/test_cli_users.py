"""`advisor users`: add prints the token alone, list shows the accounts, revoke and token change what
signs in, password reads standard input; `advisor serve` refuses a non-loopback address without
ADVISOR_AUTH."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.accounts import Accounts
from advisor.cli import main
from advisor.server import EXIT_USAGE, is_loopback, refusal, serve
from advisor.storage import open_store


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'users.sqlite3'}"
    monkeypatch.setenv("ADVISOR_DATABASE_URL", url)
    return url


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["users", *args])
    out, err = capsys.readouterr()
    return code, out, err


def accounts(url: str) -> Accounts:
    return Accounts(open_store(url).accounts)


def test_users_add_prints_the_token_alone_and_it_signs_in(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "add", "alice")

    token = out.strip()
    assert code == 0 and out == token + "\n" and len(token) >= 43 and " " not in token
    found = accounts(database).by_token(token)
    assert found is not None and found.name == "alice"


def test_users_list_shows_each_account_its_status_and_whether_it_has_a_password(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "add", "bob")
    run(capsys, "add", "alice")
    run(capsys, "revoke", "bob")

    code, out, _ = run(capsys, "list")

    lines = [line.split("\t") for line in out.splitlines()]
    assert code == 0
    assert [(line[0], line[1], line[3]) for line in lines] == [
        ("alice", "active", "no password"),
        ("bob", "revoked", "no password"),
    ]


def test_users_revoke_stops_the_token_and_users_token_gives_a_new_one(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, first, _ = run(capsys, "add", "alice")
    code, _, err = run(capsys, "revoke", "alice")
    assert code == 0 and "revoked" in err
    assert accounts(database).by_token(first.strip()) is None

    code, second, said = run(capsys, "token", "alice")

    assert code == 0 and second.strip() != first.strip()
    assert "alice was revoked and is active again with this token" in said
    assert accounts(database).by_token(second.strip()) is not None
    assert accounts(database).by_token(first.strip()) is None


def test_users_token_replaces_a_working_token(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, first, _ = run(capsys, "add", "alice")

    _, second, _ = run(capsys, "token", "alice")

    assert accounts(database).by_token(first.strip()) is None
    assert accounts(database).by_token(second.strip()) is not None


def test_users_password_reads_standard_input_and_signs_in_on_the_web(
    database: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "add", "alice")
    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery staple\n"))

    code, out, _ = run(capsys, "password", "alice")

    assert code == 0 and out == ""
    assert accounts(database).sign_in("alice", "correct horse battery staple") is not None


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("add", "two words"), "NAME: must be 1 to 64"),
        (("revoke", "nobody"), "there is no account 'nobody'"),
        (("token", "nobody"), "there is no account 'nobody'"),
        (("password", "nobody"), "there is no account 'nobody'"),
    ],
)
def test_a_bad_name_or_an_unknown_account_exits_2_with_one_line(
    database: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], said: str
) -> None:
    code, out, err = run(capsys, *args)

    assert code == 2 and out == ""
    assert said in err and len(err.strip().splitlines()) == 1


def test_adding_a_name_twice_exits_2_and_says_how_to_get_a_new_token(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "add", "alice")

    code, out, err = run(capsys, "add", "alice")

    assert code == 2 and out == "" and "advisor users token alice" in err


def test_a_password_too_short_exits_2_naming_it(
    database: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "add", "alice")
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))

    code, _, err = run(capsys, "password", "alice")

    assert code == 2 and "password: must be 12 to 1024 characters" in err


def test_users_claim_gives_the_scenarios_saved_without_accounts_to_one(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from advisor.domain import CatalogRef, Recommendations

    store = open_store(database)
    result = Recommendations(CatalogRef("default", "1", "USD", "2026-01-01"), (), (), None)
    before = [store.add(f"old {i}", "", {}, result) for i in range(2)]
    run(capsys, "add", "alice")
    _, bob_token, _ = run(capsys, "add", "bob")
    bob = accounts(database).by_token(bob_token.strip())
    assert bob is not None
    mine = store.add("bob's", "", {}, result, owner=bob.id)

    code, out, err = run(capsys, "claim", "alice")

    alice = {a.name: a for a in accounts(database).list()}["alice"]
    assert code == 0 and out == "" and "gave 2 scenario(s)" in err
    assert {s.id for s in store.list(owner=alice.id).items} == {s.id for s in before}
    assert store.get(mine.id).owner_id == bob.id
    assert run(capsys, "claim", "nobody")[0] == 2


# ---------- serve on an address beyond loopback ----------


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_loopback_addresses_are_recognised(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "advisor.example.com", "10.0.0.1"])
def test_other_addresses_need_auth_set_and_either_value_given_explicitly_serves(host: str) -> None:
    assert not is_loopback(host)
    assert refusal(host, None) is not None and "ADVISOR_AUTH=tokens" in (refusal(host, None) or "")
    assert refusal(host, "tokens") is None and refusal(host, "off") is None


def test_serve_refuses_a_non_loopback_address_without_auth_and_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ADVISOR_AUTH", raising=False)

    assert serve("0.0.0.0", 8000, 1, dev=False) == EXIT_USAGE

    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("advisor: serve: 0.0.0.0 is not a loopback address")
    assert "ADVISOR_AUTH=tokens" in err and "ADVISOR_AUTH=off" in err


def test_advisor_serve_on_all_addresses_exits_2_at_once_without_auth(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "ADVISOR_INSTANCE_PATH": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "advisor.cli", "serve", "--host", "0.0.0.0", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert "is not a loopback address" in result.stderr
    assert not (tmp_path / "advisor.sqlite3").exists()  # refused before anything was opened
