"""Admission control: a bounded number of solving requests in flight per worker process and a bounded
wait for a slot; beyond it a 503 at once. The request's time limit bounds its wait and all its solves.

Solving is CPU work under one interpreter lock, so more solves at once in one process only make
each slower. Requests that solve take a slot (`solving()`); the ones beyond the slots wait in
line, first come first served, and one more than the line holds is refused at once (`Busy`,
503 with Retry-After) instead of queuing without end. Everything else (/healthz, reads, the
docs) never takes a slot, so it answers whatever the load.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from flask import Flask, current_app, g

from advisor.domain import AdvisorError, SolverFailed
from advisor.service import time_budget

RETRY_AFTER_S = 1  # a slot frees within a few solves' time
View = TypeVar("View", bound=Callable[..., Any])


class Busy(AdvisorError):
    """Every solver slot of this worker is taken and the line for them is full."""


class Admission:
    """`slots` solving requests at once; up to `queue` more wait their turn, in order."""

    def __init__(self, slots: int, queue: int):
        self.slots = slots
        self.queue = queue
        self._lock = threading.Lock()
        self._running = 0
        self._waiting: deque[threading.Event] = deque()

    def acquire(self, seconds: float) -> None:
        """Take a slot, waiting at most `seconds`; Busy when the line is full, SolverFailed when
        the wait ran out (the request's time limit went by in the line)."""
        with self._lock:
            if self._running < self.slots and not self._waiting:
                self._running += 1
                return
            if len(self._waiting) >= self.queue:
                raise Busy(
                    f"all {self.slots} solver slot(s) of this worker are busy and {self.queue} "
                    "request(s) already wait for one"
                )
            turn = threading.Event()
            self._waiting.append(turn)
        if turn.wait(max(seconds, 0.0)):
            return
        with self._lock:
            if turn.is_set():  # the slot came just as the wait ended: it is ours
                return
            self._waiting.remove(turn)
        raise SolverFailed("the request's time limit went by while it waited for a solver slot")

    def release(self) -> None:
        """Give the slot to the first request in line, or free it."""
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()  # handed over: the count of running ones stays
            else:
                self._running -= 1

    @property
    def in_use(self) -> tuple[int, int]:
        """(slots taken, requests waiting): for tests and logs."""
        with self._lock:
            return self._running, len(self._waiting)


def init_admission(app: Flask) -> Admission:
    admission = Admission(app.config["ADVISOR_SOLVES_PER_WORKER"], app.config["ADVISOR_SOLVE_QUEUE"])
    app.extensions["admission"] = admission
    return admission


@contextmanager
def solving() -> Iterator[None]:
    """Run the block as one of this worker's solving requests, within the request's time limit
    counted from its arrival: the wait for a slot and every solve share it (each solve gets what
    is left), and past it the request is SolverFailed (503). What follows the last solve
    (reports, rendering, the save of a scenario) is not cut short: a scenario stored is never
    answered as failed. Nested blocks share the outer slot."""
    if g.get("solving"):
        yield
        return
    admission: Admission = current_app.extensions["admission"]
    limit = float(current_app.config["ADVISOR_TIME_LIMIT"])
    arrived = g.get("arrived") or time.monotonic()
    admission.acquire(arrived + limit - time.monotonic())
    g.solving = True
    try:
        with time_budget(limit, started=arrived):
            yield
    finally:
        g.solving = False
        admission.release()


def solves(view: View) -> View:
    """A view that solves: its whole body runs inside `solving()` (put it next to the function)."""

    @functools.wraps(view)
    def admitted(*args: Any, **kwargs: Any) -> Any:
        with solving():
            return view(*args, **kwargs)

    return cast(View, admitted)
