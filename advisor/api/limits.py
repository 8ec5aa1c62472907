"""Rate limits per client with Flask-Limiter: counted in memory, or in Redis so that instances share them.

One budget (ADVISOR_RATE_LIMIT) covers every request a client makes but the health checks and
static files. A client is whom `client_key()` names: the signed-in account with ADVISOR_AUTH=tokens
(advisor.api.auth and advisor.web.accounts set `g.account` before the limit is counted), else the
client's address, which is the real one behind reverse proxies when ADVISOR_TRUSTED_PROXIES says
how many there are. Past the budget: a 429 problem with Retry-After.
"""

from __future__ import annotations

import re
import threading
import time
from typing import Any

from flask import Flask, g, request
from flask_limiter import Limiter, RequestLimit
from limits.storage import Storage
from werkzeug.exceptions import HTTPException, TooManyRequests

from advisor.api.settings import InvalidSetting

DEFAULT_RETRY_AFTER_S = 60
SWEEP_EVERY_S = 60.0


class WorkerMemory(Storage):
    """Fixed-window counts in this worker's memory (`advisor-memory://`), expired as they are met.

    limits' own `memory://` storage starts a timer thread to expire counts every 10 ms while
    requests come in, which cost about 0.1 to 0.3 ms a request here, a tenth of a
    recommendation; this one takes a lock and a dictionary look-up, and drops expired counts
    once a minute.
    """

    STORAGE_SCHEME = ["advisor-memory"]  # noqa: RUF012 (the registry reads it as limits declares it)

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any):
        self._counts: dict[str, tuple[int, float]] = {}  # key -> (count, when its window ends)
        self._lock = threading.Lock()
        self._sweep_at = 0.0
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return ValueError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with self._lock:
            if now >= self._sweep_at:
                self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
                self._sweep_at = now + SWEEP_EVERY_S
            count, ends = self._counts.get(key, (0, 0.0))
            if ends <= now:
                count, ends = 0, now + expiry
            self._counts[key] = (count + amount, ends)
            return count + amount

    def get(self, key: str) -> int:
        count, ends = self._counts.get(key, (0, 0.0))
        return count if ends > time.time() else 0

    def get_expiry(self, key: str) -> float:
        now = time.time()
        ends = self._counts.get(key, (0, 0.0))[1]
        return ends if ends > now else now

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        with self._lock:
            dropped = len(self._counts)
            self._counts.clear()
        return dropped

    def clear(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)


def client_key() -> str:
    """Whom a request counts against: its account when signed in, else its client's address."""
    account = g.get("account")
    if account is not None:
        return f"account:{getattr(account, 'id', account)}"
    return f"address:{request.remote_addr or 'unknown'}"


def _breached(limit: RequestLimit) -> None:
    """Remember when the client may come back, for the 429's Retry-After."""
    g.retry_after = max(1, int(limit.reset_at - time.time()))


def retry_after(error: HTTPException) -> None:
    """Give a 429 its Retry-After (its handlers, API and web, read it from the exception)."""
    if isinstance(error, TooManyRequests) and error.retry_after is None:
        error.retry_after = g.get("retry_after") or DEFAULT_RETRY_AFTER_S


def _unlimited() -> bool:
    endpoint = request.endpoint or ""
    return endpoint.startswith("health.") or endpoint.endswith("static") or endpoint == "web.favicon"


def _shown(url: str) -> str:
    return re.sub(r"://[^@/]*@", "://***@", url)


def init_limits(app: Flask) -> Limiter | None:
    """The app's limiter, or None when ADVISOR_RATE_LIMIT is off. A Redis that does not answer
    stops the start (InvalidSetting); one that goes away later leaves each instance counting in
    its own memory until it is back."""
    limit = app.config["ADVISOR_RATE_LIMIT"]
    if not limit:
        return None
    redis_url = app.config["ADVISOR_REDIS_URL"]
    limiter = Limiter(
        client_key,
        app=app,
        application_limits=[limit],
        storage_uri=redis_url or "advisor-memory://",
        storage_options={"socket_connect_timeout": 1, "socket_timeout": 1} if redis_url else {},
        key_prefix="advisor",
        headers_enabled=False,  # Retry-After only on a 429 (see retry_after), never on other answers
        on_breach=_breached,
        in_memory_fallback_enabled=bool(redis_url),
        swallow_errors=True,
    )
    limiter.request_filter(_unlimited)
    if redis_url and not limiter.storage.check():
        raise InvalidSetting(f"ADVISOR_REDIS_URL={_shown(redis_url)}: Redis does not answer there")
    return limiter
