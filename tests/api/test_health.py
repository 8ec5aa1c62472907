"""GET /healthz and /readyz: alive, and ready only when a tiny solve works."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from advisor.app import create_app
from tests.api.conftest import SolverThatTimesOut
from tests.conftest import make_request


def test_healthz_says_ok(client: FlaskClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content_type == "application/json"
    assert response.get_json() == {"status": "ok"}


def test_readyz_solves_a_tiny_request(client: FlaskClient) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.content_type == "application/json"
    body = response.get_json()
    assert body["status"] == "ready"
    assert body["catalogs"] == ["default"]
    assert body["solver"]["status"] == "optimal"
    assert body["solver"]["solves"] >= 1


def test_readyz_is_a_503_problem_when_the_solver_fails(fresh_app: Flask) -> None:
    fresh_app.extensions["advisor"] = SolverThatTimesOut(fresh_app.extensions["advisor"])

    response = fresh_app.test_client().get("/readyz")

    assert response.status_code == 503
    assert response.content_type == "application/problem+json"
    body = response.get_json(force=True)
    assert body["type"] == "/api/v1/docs#problem-not-ready"
    assert "SolverFailed" in body["detail"] and "time limit" in body["detail"]
    assert response.headers["Retry-After"] == "5"


def test_readyz_is_a_503_problem_when_the_sqlite_file_was_deleted(tmp_path: Path) -> None:
    path = tmp_path / "advisor.sqlite3"
    app = create_app({"TESTING": True, "ADVISOR_CATALOG": None, "ADVISOR_DATABASE_URL": f"sqlite:///{path}"})
    client = app.test_client()
    assert client.get("/readyz").status_code == 200
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)

    ready = client.get("/readyz")
    saved = client.post("/api/v1/scenarios", json={"name": "lost?", "request": make_request()})

    assert ready.status_code == 503 and ready.content_type == "application/problem+json"
    assert "saved scenarios" in ready.get_json(force=True)["detail"]
    assert saved.status_code == 503
    assert saved.get_json(force=True)["type"].endswith("#problem-storage-unavailable")
    assert not path.exists()
