"""Saved scenarios under load through gunicorn: parallel writes from several workers all land intact, and
a worker killed with SIGKILL mid-write loses nothing acknowledged and leaves the database consistent.

Each test runs `advisor serve` on loopback against SQLite and, where one is reachable, PostgreSQL.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from advisor.storage import make_engine
from tests.conftest import make_request
from tests.storage.served import Answer, Server, served

PARALLEL_SAVES = 64
SAVES_WHILE_KILLING = 72
CLIENT_THREADS = 8
KILL_AFTER_ACKS = (12, 36)


def scenario_body(prefix: str, number: int) -> dict[str, Any]:
    """A scenario of its own: a different size each, so every worker solves and writes a different result."""
    return {
        "name": f"{prefix}-{number:03d}",
        "notes": f"saved by client {number}",
        "request": make_request(mailboxes=100 + number, project={"name": f"load {number}"}),
    }


def save_many(
    server: Server,
    prefix: str,
    count: int,
    on_ack: Callable[[int], None] = lambda _: None,
    ports: dict[int, str] | None = None,
) -> tuple[dict[str, dict[str, Any]], list[str], list[Answer]]:
    """POST `count` scenarios from CLIENT_THREADS threads. Returns the acknowledged ones (201) by
    id, the names of the requests that were cut off, and any other answer. `ports` learns which
    client port sends which scenario."""
    acknowledged: dict[str, dict[str, Any]] = {}
    cut_off: list[str] = []
    others: list[Answer] = []
    lock = threading.Lock()

    def one(number: int) -> None:
        body = scenario_body(prefix, number)

        def connected(port: int) -> None:
            if ports is not None:
                with lock:
                    ports[port] = body["name"]

        try:
            answer = server.call("POST", "/api/v1/scenarios", body, on_connect=connected)
        except (OSError, http.client.HTTPException):
            with lock:
                cut_off.append(body["name"])
            return
        with lock:
            if answer.status != 201:
                others.append(answer)
                return
            assert answer.body["request"] == body["request"] and answer.body["name"] == body["name"]
            acknowledged[answer.body["id"]] = answer.body
        on_ack(len(acknowledged))

    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        list(pool.map(one, range(count)))
    return acknowledged, cut_off, others


@contextmanager
def writes_held(database_url: str) -> Iterator[Callable[[str], bool]]:
    """Hold the scenarios table's write lock: every save waits inside its transaction, before its
    commit, until the block ends. Yields a test of whether a scenario name is stored."""
    engine = make_engine(database_url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                connection.exec_driver_sql("BEGIN")
                connection.exec_driver_sql("LOCK TABLE scenarios IN SHARE MODE")

            def stored(name: str) -> bool:
                query = text("SELECT count(*) FROM scenarios WHERE name = :n")
                return bool(connection.execute(query, {"n": name}).scalar())

            try:
                yield stored
            finally:
                connection.exec_driver_sql("ROLLBACK")
    finally:
        engine.dispose()


def kill_a_worker_mid_write(
    server: Server, database_url: str, ports: dict[int, str]
) -> tuple[int, list[str]]:
    """SIGKILL a worker that holds saves it has not committed, while no save can commit: its
    requests are cut off before their commit, for certain. A threaded worker may hold several
    requests at once: it is stopped (SIGSTOP) first, so that the requests it holds are read while
    it can take no other, and each of them is checked to be uncommitted. Returns the worker and
    the names of every scenario it held."""
    deadline = time.monotonic() + 30
    with writes_held(database_url) as stored:
        while time.monotonic() < deadline:
            for pid, held in server.held_connections().items():
                if not [port for port in held if port in ports]:
                    continue
                os.kill(pid, signal.SIGSTOP)
                names = [ports[port] for port in server.held_connections().get(pid, []) if port in ports]
                if names and not any(stored(name) for name in names):
                    os.kill(pid, signal.SIGKILL)
                    return pid, names
                os.kill(pid, signal.SIGCONT)
            time.sleep(0.01)
    raise AssertionError(f"no worker held only uncommitted saves within 30 s: {server.held_connections()}")


def assert_read_back_intact(server: Server, acknowledged: dict[str, dict[str, Any]]) -> None:
    for scenario_id, saved in acknowledged.items():
        answer = server.call("GET", f"/api/v1/scenarios/{scenario_id}")
        assert answer.status == 200, (scenario_id, answer.body)
        assert answer.body == saved


def stored_rows(database_url: str, prefix: str) -> dict[str, dict[str, Any]]:
    """Every row the database holds for this test, read without the service: id -> parsed columns."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, name, request, response, catalog_version FROM scenarios WHERE name LIKE :p"),
                {"p": f"{prefix}-%"},
            ).all()
    finally:
        engine.dispose()
    parsed = {}
    for row in rows:
        request, response = (json.loads(v) if isinstance(v, str) else v for v in (row.request, row.response))
        parsed[row.id] = {
            "name": row.name,
            "request": request,
            "response": response,
            "version": row.catalog_version,
        }
    return parsed


def assert_consistent(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        return  # PostgreSQL's own crash safety; the rows were checked one by one
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    finally:
        engine.dispose()


@pytest.mark.slow
def test_scenarios_saved_in_parallel_through_two_workers_all_read_back_intact(
    database_url: str, tmp_path: Path
) -> None:
    prefix = f"parallel-{secrets.token_hex(4)}"
    with served(database_url, 2, tmp_path) as server:
        server.wait_for_workers(2)

        acknowledged, cut_off, others = save_many(server, prefix, PARALLEL_SAVES)

        assert (cut_off, [a.status for a in others]) == ([], []), server.errors()
        assert len(acknowledged) == PARALLEL_SAVES
        assert_read_back_intact(server, acknowledged)
        listing = server.call("GET", f"/api/v1/scenarios?name={prefix}&limit=100").body
        assert listing["total"] == PARALLEL_SAVES
        assert {s["id"] for s in listing["items"]} == set(acknowledged)
    rows = stored_rows(database_url, prefix)
    assert set(rows) == set(acknowledged)
    assert all(rows[i]["response"] == acknowledged[i]["response"] for i in rows)
    assert_consistent(database_url)


@pytest.mark.slow
def test_a_worker_killed_during_writes_loses_nothing_acknowledged_and_leaves_nothing_half_written(
    database_url: str, tmp_path: Path
) -> None:
    prefix = f"killed-{secrets.token_hex(4)}"
    killed: dict[int, list[str]] = {}  # worker pid -> the scenarios it was writing
    ports: dict[int, str] = {}
    with served(database_url, 3, tmp_path) as server:
        server.wait_for_workers(3)
        marks = list(KILL_AFTER_ACKS)
        marks_lock = threading.Lock()

        def kill_a_worker_writing(acks: int) -> None:
            # One client thread kills; the others go on sending saves meanwhile (they must not wait
            # here, or no save might be in flight to be cut off).
            if not marks_lock.acquire(blocking=False):
                return
            try:
                if not marks or acks < marks[0]:
                    return
                marks.pop(0)
                pid, names = kill_a_worker_mid_write(server, database_url, ports)
                killed[pid] = names
            finally:
                marks_lock.release()

        acknowledged, cut_off, others = save_many(
            server, prefix, SAVES_WHILE_KILLING, kill_a_worker_writing, ports
        )

        assert len(killed) == len(KILL_AFTER_ACKS)
        assert [a.status for a in others] == [], server.errors()
        assert len(acknowledged) + len(cut_off) == SAVES_WHILE_KILLING
        # Exactly the uncommitted saves each killed worker had in hand were cut off: no other.
        held_by_killed = [name for names in killed.values() for name in names]
        assert sorted(cut_off) == sorted(held_by_killed)
        server.wait_for_workers(3)  # gunicorn replaced the killed workers
        assert not set(killed) & set(server.workers())
        assert_read_back_intact(server, acknowledged)
    rows = stored_rows(database_url, prefix)
    assert set(acknowledged) <= set(rows)
    # A save killed before its commit left nothing; every other row is whole: it parses and holds a result.
    assert not {row["name"] for row in rows.values()} & set(held_by_killed)
    for row in rows.values():
        assert row["response"]["catalog"]["version"] == row["version"]
        assert isinstance(row["response"]["recommendations"], list) and row["response"]["weighed"]
        assert row["request"]["mailboxes"] == 100 + int(row["name"].rsplit("-", 1)[1])
    assert_consistent(database_url)
    print(f"\nkilled {killed}; cut off: {cut_off}; {len(rows)} rows")
