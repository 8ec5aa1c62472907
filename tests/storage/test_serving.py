"""`advisor serve` under slow clients and overload, and as one of two instances on one database and one
Redis: slow senders cannot stop /healthz, a burst of expensive requests gets prompt 503s beyond the
bound, and a scenario saved through one instance is read, re-priced and deleted through the other."""

from __future__ import annotations

import json
import secrets
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from advisor.architectures import names
from tests.conftest import make_request
from tests.storage.served import Server, read_answer, served

ARCHITECTURES = names("2010")

pytestmark = pytest.mark.slow


def sqlite(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'advisor.sqlite3'}"


def slow_sender(server: Server, stop: threading.Event) -> socket.socket:
    """A client that sends a request's head and then its body one byte at a time, slowly."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=60)
    body = json.dumps(make_request()).encode()
    sock.sendall(
        b"POST /api/v1/recommendations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
    )

    def trickle() -> None:
        for byte in body:
            if stop.wait(0.5):
                return
            try:
                sock.send(bytes([byte]))
            except OSError:
                return

    threading.Thread(target=trickle, daemon=True).start()
    return sock


def test_clients_sending_a_body_a_byte_at_a_time_do_not_stop_healthz(tmp_path: Path) -> None:
    stop = threading.Event()
    # One worker, and slow clients that could outlast any test: only the serving model answers.
    with served(sqlite(tmp_path), 1, tmp_path, {"ADVISOR_READ_TIMEOUT": "300"}) as server:
        senders = [slow_sender(server, stop) for _ in range(4)]
        try:
            health = server.call("GET", "/healthz", timeout=10)
            recommended = server.call("POST", "/api/v1/recommendations", make_request(), timeout=10)
        finally:
            stop.set()
            for sock in senders:
                sock.close()

    assert health.status == 200
    assert recommended.status == 200


def test_a_request_that_does_not_arrive_within_the_read_timeout_gets_a_408_problem(tmp_path: Path) -> None:
    stop = threading.Event()
    with served(sqlite(tmp_path), 1, tmp_path, {"ADVISOR_READ_TIMEOUT": "1"}) as server:
        sock = slow_sender(server, stop)  # it keeps sending: only a deadline on the whole stops it
        try:
            status, headers, body = read_answer(sock)
        finally:
            stop.set()
            sock.close()
        still = server.call("GET", "/healthz", timeout=10)

    assert status == 408
    assert headers["content-type"] == "application/problem+json"
    problem = json.loads(body)
    assert problem["status"] == 408 and "1 s" in problem["detail"]
    assert still.status == 200


def test_a_burst_of_expensive_requests_gets_503s_beyond_the_bound_while_healthz_answers(
    tmp_path: Path,
) -> None:
    quote = {"request": make_request(), "format": "pdf", "picks": list(ARCHITECTURES)[2:]}
    settings = {"ADVISOR_SOLVES_PER_WORKER": "1", "ADVISOR_SOLVE_QUEUE": "2"}
    with served(sqlite(tmp_path), 1, tmp_path, settings) as server:
        start = threading.Barrier(33)

        def expensive(_: int) -> tuple[int, dict[str, str]]:
            start.wait()
            answer = server.call("POST", "/api/v1/quotes", quote, timeout=120)
            return answer.status, answer.headers

        def health() -> int:
            start.wait()
            return server.call("GET", "/healthz", timeout=30).status

        with ThreadPoolExecutor(33) as pool:
            checked = pool.submit(health)
            answers = list(pool.map(expensive, range(32)))

    statuses = [status for status, _ in answers]
    assert set(statuses) <= {200, 503}, statuses
    assert statuses.count(503) >= 1 and statuses.count(200) >= 1, statuses
    assert all(headers.get("Retry-After") == "1" for status, headers in answers if status == 503)
    assert checked.result() == 200


def test_two_instances_on_one_database_and_one_redis_behave_as_one_service(
    postgres_url: str, redis_url: str, tmp_path: Path
) -> None:
    # A client of its own (behind the one proxy the instances trust), so no earlier run's count is met.
    client = {"X-Forwarded-For": f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"}
    settings = {
        "ADVISOR_REDIS_URL": redis_url,
        "ADVISOR_TRUSTED_PROXIES": "1",
        "ADVISOR_RATE_LIMIT": "30 per minute",
    }
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    with (
        served(postgres_url, 1, tmp_path / "one", settings) as one,
        served(postgres_url, 1, tmp_path / "two", settings) as two,
    ):
        body = {"name": f"shared-{secrets.token_hex(4)}", "request": make_request()}
        saved = one.call("POST", "/api/v1/scenarios", body, headers=client)
        assert saved.status == 201, saved.body
        path = f"/api/v1/scenarios/{saved.body['id']}"

        read = two.call("GET", path, headers=client)
        repriced = two.call("POST", f"{path}/reprice", headers=client)
        deleted = one.call("DELETE", path, headers=client)
        gone = two.call("GET", path, headers=client)

        assert read.status == 200 and read.body == saved.body
        assert repriced.status == 201 and repriced.body["repriced_from"] == saved.body["id"]
        assert deleted.status == 204 and gone.status == 404

        # One budget for the client across both: spend it on one, and the other refuses too.
        spent = [one.call("GET", "/api/v1/architectures", headers=client).status for _ in range(30)]
        assert spent[-1] == 429 and set(spent) == {200, 429}
        refused = two.call("GET", "/api/v1/architectures", headers=client)
        assert refused.status == 429 and int(refused.headers["Retry-After"]) >= 1
