"""Saved scenarios in the database: round trips, listing, updates, ids and bad databases."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from advisor.domain import CatalogRef, Recommendations, ScenarioNotFound
from advisor.schemas import parse_request
from advisor.storage import ScenarioStore, StorageError, default_url, head_revision, make_engine, open_store
from advisor.storage import upgrade as migrate
from tests.conftest import make_request

# A result the store keeps: what the advisor answered for the base request (typed).
RESPONSE: Recommendations = Recommendations(
    CatalogRef("default", "2026.12.1", "USD", "2026-11-25"), (), (), None
)


@pytest.fixture(scope="module")
def answered(advisor: Any) -> Recommendations:
    result: Recommendations = advisor.service.recommend(parse_request(make_request()))
    return result


def test_a_saved_scenario_reads_back_exactly(store: ScenarioStore, answered: Recommendations) -> None:
    request = {"budget": {"amount": 30000}, "goals": [], "project": {"name": "Müller & Söhne"}}
    saved = store.add("Mail HA", "first try", request, answered)
    again = store.get(saved.id)
    assert again.request == request and again.result == answered
    assert again.name == "Mail HA" and again.notes == "first try"
    assert again.catalog == answered.catalog
    assert again.created_at.tzinfo is not None


def test_ids_are_url_safe_and_carry_128_random_bits(store: ScenarioStore) -> None:
    ids = {store.add(f"s{i}", "", {}, RESPONSE).id for i in range(50)}
    assert len(ids) == 50
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22}", i) for i in ids)


def test_the_list_is_newest_first_and_paginated(store: ScenarioStore) -> None:
    names = [store.add(f"plan {i}", "", {}, RESPONSE).name for i in range(5)]
    page = store.list(limit=2, offset=0)
    assert page.total == 5
    assert [s.name for s in page.items] == names[::-1][:2]
    assert [s.name for s in store.list(limit=2, offset=4).items] == [names[0]]


def test_the_list_filters_by_part_of_the_name_ignoring_case_and_wildcards(store: ScenarioStore) -> None:
    store.add("Contoso HA", "", {}, RESPONSE)
    store.add("contoso budget", "", {}, RESPONSE)
    store.add("Fabrikam 100%_done", "", {}, RESPONSE)
    assert {s.name for s in store.list(name="CONTOSO").items} == {"Contoso HA", "contoso budget"}
    assert [s.name for s in store.list(name="%_").items] == ["Fabrikam 100%_done"]
    assert store.list(name="_").total == 1


def test_an_update_changes_name_and_notes_but_never_the_result(store: ScenarioStore) -> None:
    saved = store.add("old", "", {"x": 1}, RESPONSE)
    updated = store.update(saved.id, name="new", notes="spoke to the customer")
    assert (updated.name, updated.notes) == ("new", "spoke to the customer")
    assert updated.updated_at >= saved.updated_at
    assert store.get(saved.id).result == RESPONSE and store.get(saved.id).request == {"x": 1}


def test_a_deleted_scenario_is_gone(store: ScenarioStore) -> None:
    saved = store.add("gone", "", {}, RESPONSE)
    store.delete(saved.id)
    with pytest.raises(ScenarioNotFound):
        store.get(saved.id)
    with pytest.raises(ScenarioNotFound):
        store.delete(saved.id)


@pytest.mark.parametrize("scenario_id", ["nope", "", "../../etc/passwd", "A" * 22 + "'", "A" * 22])
def test_an_unknown_or_malformed_id_is_not_found(store: ScenarioStore, scenario_id: str) -> None:
    with pytest.raises(ScenarioNotFound):
        store.get(scenario_id)


def test_migrations_are_idempotent_and_reach_the_head(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        assert migrate(engine) == head_revision()
        assert migrate(engine) == head_revision()
    finally:
        engine.dispose()


def test_the_sqlite_database_is_created_on_first_start_in_wal_mode(tmp_path: Path) -> None:
    url = default_url(tmp_path / "fresh" / "instance")
    store = open_store(url)
    try:
        assert (tmp_path / "fresh" / "instance" / "advisor.sqlite3").exists()
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        store.close()


def test_a_corrupt_database_file_is_a_clear_error_at_start(tmp_path: Path) -> None:
    path = tmp_path / "advisor.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError) as caught:
        open_store(f"sqlite:///{path}")
    assert "file is not a database" in str(caught.value)


def test_an_unmigrated_database_is_refused_when_migrations_are_off(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as caught:
        open_store(default_url(tmp_path), migrate=False)
    assert "advisor db upgrade" in str(caught.value) or "unreadable" in str(caught.value)
    assert "run `advisor db upgrade`" in str(caught.value)  # the hint, not the missing table


def test_a_database_made_by_a_newer_version_is_a_clear_error(tmp_path: Path) -> None:
    url = default_url(tmp_path)
    open_store(url).close()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    engine.dispose()
    with pytest.raises(StorageError) as caught:
        open_store(url)
    assert "does not know" in str(caught.value)


def test_a_database_folder_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError) as caught:
        open_store(f"sqlite:///{blocker}/sub/advisor.sqlite3")
    assert "cannot create the database folder" in str(caught.value)


def remove_database_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def test_a_sqlite_file_deleted_while_open_is_a_storage_error_and_no_new_file_appears(tmp_path: Path) -> None:
    path = tmp_path / "advisor.sqlite3"
    store = open_store(f"sqlite:///{path}")
    try:
        kept = store.add("before", "", {}, RESPONSE)
        remove_database_files(path)

        for attempt in (
            lambda: store.add("after", "", {}, RESPONSE),
            lambda: store.get(kept.id),
            lambda: store.list(),
            store.check,
        ):
            with pytest.raises(StorageError) as caught:
                attempt()
            assert "advisor.sqlite3" in str(caught.value)
        assert not path.exists()
    finally:
        store.close()


def test_a_sqlite_file_replaced_while_open_is_not_the_database_the_service_opened(tmp_path: Path) -> None:
    path = tmp_path / "advisor.sqlite3"
    store = open_store(f"sqlite:///{path}")
    try:
        store.add("before", "", {}, RESPONSE)
        remove_database_files(path)
        open_store(f"sqlite:///{path}").close()  # someone makes a fresh, empty one in its place

        with pytest.raises(StorageError) as caught:
            store.add("after", "", {}, RESPONSE)
        assert "not the one opened at start" in str(caught.value)
    finally:
        store.close()


def test_a_new_sqlite_database_is_announced_in_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "advisor.sqlite3"
    with caplog.at_level("WARNING", logger="advisor.storage"):
        open_store(f"sqlite:///{path}").close()
        open_store(f"sqlite:///{path}").close()

    created = [r.getMessage() for r in caplog.records if "created" in r.getMessage()]
    assert created == [f"no database at {path}: created a new, empty one"]


def test_a_new_sqlite_database_and_its_journals_are_readable_by_their_owner_only(
    tmp_path: Path, answered: Recommendations
) -> None:
    previous = os.umask(0o022)  # a common umask: SQLite alone would make the file 0644
    try:
        file = tmp_path / "private" / "advisor.sqlite3"
        store = open_store(default_url(file.parent))
        try:
            store.add("kept", "", {"budget": {"amount": 30000}}, answered)
            made = [p for p in file.parent.iterdir() if p.name.startswith(file.name)]
            assert file in made and len(made) > 1  # the write-ahead log and its index too
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in made}
            assert modes == {p.name: 0o600 for p in made}
        finally:
            store.close()
    finally:
        os.umask(previous)


def test_an_existing_sqlite_database_keeps_the_permissions_its_owner_gave_it(tmp_path: Path) -> None:
    open_store(default_url(tmp_path)).close()
    file = tmp_path / "advisor.sqlite3"
    file.chmod(0o640)  # shared with a backup group on purpose
    open_store(default_url(tmp_path)).close()
    assert stat.S_IMODE(file.stat().st_mode) == 0o640
