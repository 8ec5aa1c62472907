"""create_app reads its settings from ADVISOR_* variables inside the call, and test_config wins."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.api.settings import InvalidSetting, from_environment
from advisor.app import create_app
from advisor.catalog.loader import InvalidCatalog


def test_the_defaults_apply_without_environment_variables() -> None:
    values = from_environment({})

    assert values == {
        "ADVISOR_CATALOG": None,
        "ADVISOR_SOLVER": "highs",
        "ADVISOR_TIME_LIMIT": 5.0,
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "ADVISOR_DATABASE_URL": None,
        "SECRET_KEY": None,
        "ADVISOR_SCENARIO_LISTING": True,
        "ADVISOR_SOLVES_PER_WORKER": 1,
        "ADVISOR_SOLVE_QUEUE": 8,
        "ADVISOR_READ_TIMEOUT": 10.0,
        "ADVISOR_RATE_LIMIT": "600 per minute",
        "ADVISOR_REDIS_URL": None,
        "ADVISOR_TRUSTED_PROXIES": 0,
        "ADVISOR_AUTH": None,
    }


def test_environment_variables_set_the_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISOR_SOLVER", "cbc")
    monkeypatch.setenv("ADVISOR_TIME_LIMIT", "2.5")
    monkeypatch.setenv("ADVISOR_MAX_CONTENT_LENGTH", "65536")
    monkeypatch.delenv("ADVISOR_CATALOG", raising=False)

    app = create_app()

    assert app.config["MAX_CONTENT_LENGTH"] == 65536
    advisor = app.extensions["advisor"]
    assert (advisor.solver, advisor.time_limit) == ("cbc", 2.5)


def test_test_config_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISOR_TIME_LIMIT", "2.5")

    app = create_app({"ADVISOR_TIME_LIMIT": 1.0, "ADVISOR_CATALOG": None})

    assert app.extensions["advisor"].time_limit == 1.0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ADVISOR_SOLVER", "gurobi"),
        ("ADVISOR_TIME_LIMIT", "soon"),
        ("ADVISOR_TIME_LIMIT", "0"),
        ("ADVISOR_MAX_CONTENT_LENGTH", "1e6"),
        ("ADVISOR_MAX_CONTENT_LENGTH", "10"),
        ("ADVISOR_SOLVES_PER_WORKER", "0"),
        ("ADVISOR_SOLVE_QUEUE", "-1"),
        ("ADVISOR_READ_TIMEOUT", "0"),
        ("ADVISOR_RATE_LIMIT", "lots"),
        ("ADVISOR_REDIS_URL", "http://127.0.0.1:6379"),
        ("ADVISOR_TRUSTED_PROXIES", "many"),
        ("ADVISOR_SECRET_KEY", "x"),
        ("ADVISOR_SECRET_KEY", "change-me-to-64-hex-characters-the-same-on-every-instance"),
    ],
)
def test_a_bad_setting_stops_the_app_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(InvalidSetting, match=name):
        from_environment({name: value})


def test_a_broken_own_catalog_stops_the_app_at_start(tmp_path: pytest.TempPathFactory) -> None:
    with pytest.raises(InvalidCatalog):
        create_app({"ADVISOR_CATALOG": str(tmp_path)})


def test_importing_the_app_module_reads_no_setting() -> None:
    bad = {**os.environ, "ADVISOR_TIME_LIMIT": "not a number", "ADVISOR_CATALOG": "/nonexistent"}
    code = "import advisor.app, advisor.api; print('imported')"

    done = subprocess.run([sys.executable, "-c", code], env=bad, capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "imported"


def test_scenario_listing_can_be_switched_off_and_rejects_nonsense() -> None:
    assert from_environment({"ADVISOR_SCENARIO_LISTING": "off"})["ADVISOR_SCENARIO_LISTING"] is False
    with pytest.raises(InvalidSetting):
        from_environment({"ADVISOR_SCENARIO_LISTING": "sometimes"})


def test_a_corrupt_database_stops_the_app_at_start(tmp_path: Path) -> None:
    from advisor.app import create_app
    from advisor.storage import StorageError

    bad = tmp_path / "advisor.sqlite3"
    bad.write_bytes(b"not a database" * 100)
    with pytest.raises(StorageError):
        create_app({"ADVISOR_DATABASE_URL": f"sqlite:///{bad}"})


def test_gunicorn_trusts_no_forwarded_header_itself_only_the_apps_trusted_proxies() -> None:
    from advisor.server import gunicorn_options

    assert gunicorn_options("127.0.0.1", 8000, 2, 10.0)["forwarded_allow_ips"] == ""
