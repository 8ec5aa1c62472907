"""ADVISOR_DATABASE_URL as people paste it: postgres:// and postgresql:// work; anything else is one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.storage import StorageError, normalise_url
from tests.storage.served import served


def advisor(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advisor.cli", *args], capture_output=True, text=True, timeout=120, env=env
    )


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    return env | {"ADVISOR_INSTANCE_PATH": str(tmp_path / "instance"), **extra}


@pytest.mark.parametrize(
    ("pasted", "used"),
    [
        ("postgres://u:p@db.example:5432/advisor", "postgresql+psycopg://u:p@db.example:5432/advisor"),
        ("postgresql://u@db/advisor?sslmode=require", "postgresql+psycopg://u@db/advisor?sslmode=require"),
        ("postgresql+psycopg://u@db/advisor", "postgresql+psycopg://u@db/advisor"),
        ("sqlite:////var/lib/advisor/advisor.sqlite3", "sqlite:////var/lib/advisor/advisor.sqlite3"),
    ],
)
def test_the_postgresql_urls_people_paste_are_read_as_psycopg_3(pasted: str, used: str) -> None:
    assert normalise_url(pasted) == used


@pytest.mark.parametrize(
    "url",
    ["mysql://u@db/advisor", "postgresql+psycopg2://u@db/advisor", "db.example/advisor", "http://db/x"],
)
def test_a_database_url_the_advisor_cannot_use_is_a_storage_error_saying_which_it_can(url: str) -> None:
    with pytest.raises(StorageError) as caught:
        normalise_url(url)
    assert "postgresql://" in str(caught.value) and "sqlite:///" in str(caught.value)


def pasted_forms(postgres_url: str) -> list[str]:
    rest = postgres_url.split("://", 1)[1]
    return [f"postgres://{rest}", f"postgresql://{rest}"]


def test_db_upgrade_accepts_the_pasted_postgresql_forms(postgres_url: str, tmp_path: Path) -> None:
    for url in pasted_forms(postgres_url):
        result = advisor("db", "upgrade", "--database-url", url, env=clean_env(tmp_path))
        assert result.returncode == 0, result.stderr
        assert "schema at revision" in result.stdout


@pytest.mark.slow
def test_serve_accepts_a_pasted_postgres_url(postgres_url: str, tmp_path: Path) -> None:
    with served(pasted_forms(postgres_url)[0], 1, tmp_path) as server:
        assert server.call("GET", "/readyz").status == 200


@pytest.mark.parametrize("command", [("db", "upgrade"), ("serve", "--port", "1")])
def test_an_unusable_database_url_stops_db_upgrade_and_serve_with_one_line(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    result = advisor(*command, env=clean_env(tmp_path, ADVISOR_DATABASE_URL="mysql://u@127.0.0.1/advisor"))

    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "postgresql://" in result.stderr
