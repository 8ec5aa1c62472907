"""A store on SQLite always, and on PostgreSQL wherever one is reachable (a fresh database)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.storage import ScenarioStore, default_url, open_store

POSTGRES_ADMIN = os.environ.get("ADVISOR_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def _postgres_database() -> Iterator[str | None]:
    try:
        import psycopg

        admin = psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=3)
    except Exception as err:  # any failure to reach a server means: no PostgreSQL here
        reason = f"no PostgreSQL reachable at {POSTGRES_ADMIN}: {err}"
        if os.environ.get("ADVISOR_REQUIRE_POSTGRES"):
            pytest.fail(reason)  # CI has one: its tests must run there, never pass by skipping
        pytest.skip(reason)
        return
    name = f"advisor_test_{secrets.token_hex(4)}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        base = POSTGRES_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
        try:
            yield f"{base}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    yield from _postgres_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return default_url(tmp_path / "instance")
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def store(database_url: str) -> Iterator[ScenarioStore]:
    opened = open_store(database_url)
    if opened.engine.dialect.name == "postgresql":
        with opened.engine.begin() as connection:
            connection.exec_driver_sql("DELETE FROM scenarios")
    yield opened
    opened.close()
