"""Accounts, ownership, share tokens and idempotency keys in the database, on SQLite and PostgreSQL:
tokens kept only as hashes, one account's scenarios hidden from another, one save per key even when
two instances race, and the migration that adds them to a database with scenarios in it."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from advisor.accounts import Accounts, hash_password, password_matches, token_digest
from advisor.domain import (
    AccountExists,
    AccountNotFound,
    CatalogRef,
    IdempotencyConflict,
    IdempotencyKey,
    InvalidInput,
    Recommendations,
    ScenarioNotFound,
)
from advisor.storage import ScenarioStore, make_engine, open_store
from advisor.storage import upgrade as migrate
from tests.storage.conftest import _postgres_database

RESULT = Recommendations(CatalogRef("default", "2026.11.1", "USD", "2026-11-25"), (), (), None)


def unique(name: str) -> str:
    return f"{name}-{secrets.token_hex(4)}"


def test_an_account_keeps_only_a_hash_of_its_token_and_the_token_finds_it(store: ScenarioStore) -> None:
    accounts = Accounts(store.accounts)
    name = unique("alice")

    account, token = accounts.add(name)

    assert len(token) >= 43 and accounts.by_token(token) == account
    with store.engine.connect() as connection:
        row = connection.execute(
            text("SELECT token_hash, password_hash FROM accounts WHERE name = :n"), {"n": name}
        ).one()
    assert row.token_hash == token_digest(token) and token not in str(tuple(row))
    assert accounts.by_token(token + "x") is None and accounts.by_token("") is None


def test_a_name_is_taken_once_and_must_be_a_plain_word(store: ScenarioStore) -> None:
    accounts = Accounts(store.accounts)
    name = unique("bob")
    accounts.add(name)

    with pytest.raises(AccountExists):
        accounts.add(name)
    for bad in ("", "two words", "-dash", "x" * 65, "semi;colon"):
        with pytest.raises(InvalidInput):
            accounts.add(bad)


def test_a_new_token_replaces_the_old_and_revocation_ends_both_token_and_password(
    store: ScenarioStore,
) -> None:
    accounts = Accounts(store.accounts)
    name = unique("carol")
    _, old = accounts.add(name)
    accounts.set_password(name, "a long enough password")

    _, new = accounts.new_token(name)
    assert accounts.by_token(old) is None and accounts.by_token(new) is not None
    assert accounts.sign_in(name, "a long enough password") is not None
    assert accounts.sign_in(name, new) is not None and accounts.sign_in(name, old) is None

    revoked = accounts.revoke(name)
    assert not revoked.active
    assert accounts.by_token(new) is None and accounts.sign_in(name, "a long enough password") is None
    listed = {a.name: a for a in accounts.list()}
    assert not listed[name].active
    with pytest.raises(AccountNotFound):
        accounts.revoke(unique("nobody"))


def test_passwords_are_salted_scrypt_hashes_checked_against_the_right_password_only() -> None:
    one, two = hash_password("correct horse battery"), hash_password("correct horse battery")

    assert one != two and one.startswith("scrypt$")
    assert password_matches("correct horse battery", one)
    assert not password_matches("correct horse batterY", one)
    assert not password_matches("correct horse battery", "not-a-hash")


def test_another_owners_scenario_is_not_found_and_lists_hold_only_ones_own(store: ScenarioStore) -> None:
    accounts = Accounts(store.accounts)
    (alice, _), (bob, _) = accounts.add(unique("alice")), accounts.add(unique("bob"))
    mine = store.add("Mine", "", {}, RESULT, owner=alice.id)

    for attempt in (
        lambda: store.get(mine.id, bob.id),
        lambda: store.update(mine.id, "stolen", None, bob.id),
        lambda: store.delete(mine.id, bob.id),
    ):
        with pytest.raises(ScenarioNotFound):
            attempt()
    assert store.get(mine.id, alice.id).name == "Mine"
    assert [s.id for s in store.list(owner=alice.id).items] == [mine.id]
    assert store.list(owner=bob.id).total == 0
    assert store.get(mine.id).owner_id == alice.id  # accounts off: everyone's


def test_a_share_token_finds_its_scenario_and_nothing_else(store: ScenarioStore) -> None:
    saved = store.add("Shared", "", {}, RESULT)

    assert store.shared(saved.share_token).id == saved.id
    for wrong in (saved.id, saved.share_token[:-1], "x" * 43, ""):
        with pytest.raises(ScenarioNotFound):
            store.shared(wrong)


def test_a_second_save_under_one_key_answers_the_first_and_another_body_is_a_conflict(
    store: ScenarioStore,
) -> None:
    key = IdempotencyKey(0, unique("key"), "a" * 64)

    first = store.add("One", "", {}, RESULT, idempotency=key)
    again = store.add("One", "", {}, RESULT, idempotency=key)

    assert again.id == first.id and store.replayed(key) == first
    with pytest.raises(IdempotencyConflict):
        store.replayed(IdempotencyKey(0, key.key, "b" * 64))
    with pytest.raises(IdempotencyConflict):
        store.add("Other", "", {}, RESULT, idempotency=IdempotencyKey(0, key.key, "b" * 64))


def test_two_instances_racing_to_save_under_one_key_save_once(database_url: str) -> None:
    one, two = open_store(database_url), open_store(database_url)
    key = IdempotencyKey(0, unique("race"), "c" * 64)
    before = one.list(limit=1000).total
    answers: list[str] = []
    start = threading.Barrier(8)

    def save(store: ScenarioStore) -> None:
        start.wait()
        answers.append(store.add("Raced", "", {}, RESULT, idempotency=key).id)

    threads = [threading.Thread(target=save, args=(s,)) for s in (one, two) * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == 8 and len(set(answers)) == 1
    assert one.list(limit=1000).total == before + 1
    one.close()
    two.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it, not even a migration: a SQLite file or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    made = _postgres_database()
    yield next(made)  # type: ignore[misc]
    made.close()


def test_the_migration_gives_scenarios_saved_before_accounts_a_share_token_each_and_no_owner(
    empty_url: str,
) -> None:
    engine = make_engine(empty_url)
    _migrate_to(engine, "0001")
    with engine.begin() as connection:
        for scenario_id in ("A" * 22, "B" * 22):
            connection.execute(
                text(
                    "INSERT INTO scenarios (id, name, notes, request, response, catalog_id, catalog_version, "
                    "catalog_as_of, catalog_currency, created_at, updated_at) VALUES (:id, 'old', '', '{}', "
                    "'{}', 'default', '1', '2026-01-01', 'USD', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                {"id": scenario_id},
            )

    migrate(engine)

    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, owner_id, share_token FROM scenarios ORDER BY id")).all()
    assert [r.id for r in rows] == ["A" * 22, "B" * 22]
    assert all(r.owner_id is None and len(r.share_token) == 43 for r in rows)
    assert rows[0].share_token != rows[1].share_token
    engine.dispose()


def _migrate_to(engine: Engine, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    from advisor.storage import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
