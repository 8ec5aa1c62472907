"""Admission control: a bounded number of solving requests per worker and a bounded line; beyond it a 503
at once, /healthz answers whatever the load, and the time limit bounds a request end to end."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask

from advisor.api.admission import Admission, Busy
from advisor.app import create_app
from advisor.domain import SolverFailed
from advisor.optimizer import solve as solve_module
from tests.api.test_errors import problem_of
from tests.conftest import make_request


class BlockingAdvisor:
    """An advisor whose recommendations wait until the test lets them go, counting who is inside."""

    def __init__(self, real: Any):
        self.catalogs = real.catalogs
        self.real = real
        self.inside = threading.Semaphore(0)
        self.go = threading.Event()

    def recommend(self, request: Any, write_lp: Any = None) -> Any:
        self.inside.release()
        assert self.go.wait(60), "the test never let the request go"
        return self.real.recommend(request, write_lp)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def app_with(slots: int, queue: int, **config: Any) -> tuple[Flask, BlockingAdvisor]:
    app = create_app(
        {
            "TESTING": True,
            "ADVISOR_CATALOG": None,
            "ADVISOR_SOLVES_PER_WORKER": slots,
            "ADVISOR_SOLVE_QUEUE": queue,
            **config,
        }
    )
    blocking = BlockingAdvisor(app.extensions["advisor"])
    app.extensions["advisor"] = blocking
    return app, blocking


def wait_until(admission: Admission, running: int, waiting: int) -> None:
    """Until the slots and the line are as given (a state the test drives to; a minute at most)."""
    pause = threading.Event()
    for _ in range(12_000):
        if admission.in_use == (running, waiting):
            return
        pause.wait(0.005)
    raise AssertionError(f"admission stayed at {admission.in_use}, not {(running, waiting)}")


def test_a_free_slot_is_taken_at_once_and_freed_after() -> None:
    admission = Admission(slots=2, queue=0)
    admission.acquire(0)
    admission.acquire(0)
    assert admission.in_use == (2, 0)
    admission.release()
    admission.release()
    assert admission.in_use == (0, 0)


def test_beyond_the_slots_and_the_line_a_request_is_refused_at_once() -> None:
    admission = Admission(slots=1, queue=1)
    admission.acquire(0)
    waiter = threading.Thread(target=admission.acquire, args=(60,))
    waiter.start()
    wait_until(admission, 1, 1)

    with pytest.raises(Busy):
        admission.acquire(60)  # refused without waiting: the test would hang 60 s otherwise

    admission.release()  # the slot passes to the one in line
    waiter.join()
    assert admission.in_use == (1, 0)


def test_the_line_is_served_first_come_first_served() -> None:
    admission = Admission(slots=1, queue=3)
    admission.acquire(0)
    order: list[int] = []

    def wait_in_line(number: int) -> None:
        admission.acquire(60)
        order.append(number)
        admission.release()

    threads = []
    for number in range(3):
        thread = threading.Thread(target=wait_in_line, args=(number,))
        thread.start()
        wait_until(admission, 1, number + 1)
        threads.append(thread)
    admission.release()
    for thread in threads:
        thread.join()
    assert order == [0, 1, 2]


def test_a_wait_longer_than_the_time_limit_is_a_solver_failure_and_leaves_the_line() -> None:
    admission = Admission(slots=1, queue=1)
    admission.acquire(0)

    with pytest.raises(SolverFailed, match="waited for a solver slot"):
        admission.acquire(0.05)

    assert admission.in_use == (1, 0)


def test_32_concurrent_recommendations_beyond_the_bound_get_503_at_once_while_healthz_answers() -> None:
    app, blocking = app_with(slots=1, queue=2)
    admission = app.extensions["admission"]
    body = make_request()

    def recommend(_: int) -> Any:
        return app.test_client().post("/api/v1/recommendations", json=body)

    with ThreadPoolExecutor(32) as pool:
        admitted = [pool.submit(recommend, i) for i in range(3)]
        assert blocking.inside.acquire(timeout=60)
        wait_until(admission, 1, 2)  # one solving (held by the test), two in line

        refused = list(pool.map(recommend, range(29)))  # all of them answer while the three are held
        health = app.test_client().get("/healthz")

        blocking.go.set()
        answers = [f.result() for f in admitted]

    assert health.status_code == 200
    for response in refused:
        problem = problem_of(response, 503)
        assert problem["type"].endswith("#problem-busy")
        assert response.headers["Retry-After"] == "1"
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert admission.in_use == (0, 0)


def test_a_request_whose_time_limit_goes_by_in_line_is_a_503_solver_failure() -> None:
    app, blocking = app_with(slots=1, queue=4, ADVISOR_TIME_LIMIT=0.2)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(app.test_client().post, "/api/v1/recommendations", json=make_request())
        assert blocking.inside.acquire(timeout=60)

        late = app.test_client().post("/api/v1/recommendations", json=make_request())

        blocking.go.set()
        first.result()

    problem = problem_of(late, 503)
    assert problem["type"].endswith("#problem-solver-failed")
    assert "waited for a solver slot" in problem["detail"]


def slow_solver(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """HiGHS, after `seconds` of work each solve: a solve given less time stops at its limit."""
    real = solve_module._RUNNERS["highs"]

    def slow(problems: list[Any], time_limit: float, pool: Any) -> str:
        if time_limit < seconds:
            return solve_module._Outcome.TIME_LIMIT
        time.sleep(seconds)
        return real[1](problems, time_limit, pool)

    monkeypatch.setitem(solve_module._RUNNERS, "highs", (real[0], slow))


def test_the_time_limit_bounds_all_the_solves_of_a_request_together(monkeypatch: pytest.MonkeyPatch) -> None:
    # max_goals takes two solves of 0.05 s each: within 0.08 s apiece, not within 0.08 s together.
    slow_solver(monkeypatch, 0.05)
    app = create_app({"TESTING": True, "ADVISOR_CATALOG": None, "ADVISOR_TIME_LIMIT": 0.08})

    response = app.test_client().post("/api/v1/recommendations", json=make_request(objective="max_goals"))

    problem = problem_of(response, 503)
    assert problem["type"].endswith("#problem-solver-failed")
    assert "0.08 s time limit" in problem["detail"]
    assert app.extensions["admission"].in_use == (0, 0)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/analyses", {"architecture": "dag_only"}),
        ("/api/v1/quotes", {"request": make_request(), "format": "json"}),
        ("/api/v1/scenarios", {"name": "x", "request": make_request()}),
    ],
)
def test_every_endpoint_that_solves_takes_a_slot(path: str, body: dict[str, Any]) -> None:
    app, _ = app_with(slots=1, queue=0)
    admission = app.extensions["admission"]
    admission.acquire(0)  # the worker's one slot is taken

    response = app.test_client().post(path, json=body)

    assert problem_of(response, 503)["type"].endswith("#problem-busy")
    admission.release()


def test_the_result_page_takes_a_slot_and_says_busy_in_words() -> None:
    from advisor.web import codec

    app, _ = app_with(slots=1, queue=0)
    app.extensions["admission"].acquire(0)

    response = app.test_client().get("/result", query_string={"r": codec.encode(make_request())})

    assert response.status_code == 503 and response.mimetype == "text/html"
    assert response.headers["Retry-After"] == "1"
    assert "busy" in response.get_data(as_text=True)


def test_reads_and_health_need_no_slot() -> None:
    app, _ = app_with(slots=1, queue=0)
    app.extensions["admission"].acquire(0)
    client = app.test_client()

    for path in ("/healthz", "/api/v1/architectures", "/api/v1/scenarios", "/api/v1/openapi.json"):
        assert client.get(path).status_code == 200, path
