"""serve(): gunicorn on loopback answers, logs JSON lines, and stops cleanly; bad settings stop it early."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from advisor.server import EXIT_USAGE, SPARE_THREADS, gunicorn_options, serve
from tests.conftest import make_request
from tests.storage.served import read_answer, served

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(port: int, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
        finally:
            connection.close()
    raise AssertionError(f"the service did not answer on port {port}")


def test_gunicorn_runs_threaded_workers_with_a_thread_per_slot_and_spares_and_a_timeout_past_the_limit() -> (
    None
):
    options = gunicorn_options("0.0.0.0", 8000, 2, 5.0, solves=1, queue=8)

    assert options["bind"] == "0.0.0.0:8000"
    assert options["workers"] == 2
    assert options["worker_class"] == "advisor.api.worker.AdvisorWorker"
    assert options["threads"] == 1 + 8 + SPARE_THREADS
    assert options["timeout"] > 20 * 5.0
    assert options["preload_app"] is True
    assert gunicorn_options("::1", 8000, 1, 1.0)["bind"] == "[::1]:8000"


def test_a_bad_setting_stops_serve_with_status_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ADVISOR_SOLVER", "gurobi")

    assert serve("127.0.0.1", free_port(), 1, dev=False) == EXIT_USAGE
    assert "ADVISOR_SOLVER" in capsys.readouterr().err


@pytest.mark.slow
def test_serve_answers_over_http_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    code = f"from advisor.server import serve; raise SystemExit(serve('127.0.0.1', {port}, 1, False))"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env["ADVISOR_INSTANCE_PATH"] = str(tmp_path / "instance")
    server = subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        wait_until_up(port)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        body = json.dumps(make_request())
        connection.request(
            "POST",
            "/api/v1/recommendations",
            body,
            {"Content-Type": "application/json", "X-Request-ID": "served-1"},
        )
        response = connection.getresponse()
        assert response.status == 200
        assert json.loads(response.read())["recommendations"]
        assert response.getheader("X-Request-ID") == "served-1"
        connection.close()
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err.decode()
    lines = [json.loads(line) for line in out.decode().splitlines() if line.startswith("{")]
    assert {
        "method": "POST",
        "path": "/api/v1/recommendations",
        "status": 200,
        "request_id": "served-1",
    }.items() <= next(line for line in lines if line["path"] == "/api/v1/recommendations").items()


def raw_exchange(port: int, request: bytes, timeout: float = 30.0) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are and read the whole answer (the server closes the connection)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        return read_answer(sock)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /api/v1/scenarios?name=" + b"x" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"y" * 9000 + b"\r\n\r\n", 431),
        (b"NOT-HTTP\r\n\r\n", 400),
    ],
)
def test_requests_gunicorn_itself_refuses_get_a_problem_document(
    tmp_path: Path, request_bytes: bytes, status: int
) -> None:
    with served(f"sqlite:///{tmp_path / 'db.sqlite3'}", 1, tmp_path) as server:
        answered, headers, body = raw_exchange(server.port, request_bytes)

    assert answered == status
    assert headers["content-type"] == "application/problem+json"
    problem = json.loads(body)
    assert problem["status"] == status and problem["type"] == "about:blank"
    assert problem["title"] and problem["detail"] and problem["request_id"]
    assert headers["x-request-id"] == problem["request_id"]


def test_serve_freezes_the_warmed_caches_and_sets_the_workers_collector_thresholds_before_the_fork(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc

    from advisor import server as server_module

    seen: dict[str, object] = {}

    def run(self: object) -> None:
        seen["threshold"] = gc.get_threshold()
        seen["frozen"] = gc.get_freeze_count()

    monkeypatch.setattr(server_module.AdvisorServer, "run", run)
    before = gc.get_threshold()
    try:
        assert serve("127.0.0.1", free_port(), 1, dev=False) == 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
    assert seen["threshold"] == server_module.GC_THRESHOLDS
    assert isinstance(seen["frozen"], int) and seen["frozen"] > 0


def test_serve_imports_the_solver_before_the_fork_without_printing_its_banner(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from advisor import server\n"
        "loaded = lambda self: print('loaded' if 'highspy' in sys.modules else 'not loaded')\n"
        "server.AdvisorServer.run = loaded\n"
        f"raise SystemExit(server.serve('127.0.0.1', {free_port()}, 1, False))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env["ADVISOR_INSTANCE_PATH"] = str(tmp_path / "instance")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "loaded\n"


def test_gunicorns_own_access_log_builds_nothing_as_the_advisor_writes_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gunicorn.config import Config

    config = Config()
    for key, value in gunicorn_options("127.0.0.1", 8000, 1, 1.0).items():
        config.set(key, value)
    logger = config.logger_class(config)
    # The advisor's logging configuration switches gunicorn's access log on ...
    assert logger.access_log_enabled
    built: list[object] = []
    monkeypatch.setattr(logger, "atoms", lambda *args: built.append(args) or {})
    monkeypatch.setattr(logger.access_log, "info", lambda *args: built.append(args))
    # ... and its logger class then builds neither a request's atoms nor a record.
    logger.access(object(), object(), {}, 0.01)
    assert built == []
