"""The service's settings: their environment variables, defaults and parsing, read only by create_app."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from advisor.domain import SOLVERS


class InvalidSetting(ValueError):
    """An ADVISOR_* environment variable holds a value the service cannot use."""


def _positive_float(text: str) -> float:
    value = float(text)
    if not 0 < value <= 3600:
        raise ValueError("must be a number of seconds above 0 and at most 3600")
    return value


def _count(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise ValueError(f"must be a whole number from {low} to {high}")
        return value

    return parse


def _rate_limit(text: str) -> str | None:
    """A Flask-Limiter limit such as `600 per minute` or `10/second;600/hour`; `off` for none."""
    if text.lower() in ("off", "none", "0"):
        return None
    from limits import parse_many

    try:
        parse_many(text)
    except ValueError:
        raise ValueError("must be a rate such as `600 per minute` or `10/second;600/hour`, or off") from None
    return text


def _redis_url(text: str) -> str | None:
    if not text:
        return None
    if not text.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError("must be a Redis URL such as redis://127.0.0.1:6379/0 (rediss:// for TLS)")
    return text


def _byte_count(text: str) -> int:
    value = int(text)
    if value < 1024:
        raise ValueError("must be a whole number of bytes, at least 1024")
    return value


def _solver(text: str) -> str:
    if text not in SOLVERS:
        raise ValueError(f"must be one of {', '.join(SOLVERS)}")
    return text


def _path(text: str) -> str | None:
    return text or None


# The README's example value: a deployment that copied it would sign sessions anyone can forge.
README_SECRET_EXAMPLE = "change-me-to-64-hex-characters-the-same-on-every-instance"
SECRET_MIN = 32
SECRET_HOW = "e.g. `python3 -c 'import secrets; print(secrets.token_hex(32))'`"


def _secret(text: str) -> str | None:
    if not text:
        return None
    if text == README_SECRET_EXAMPLE:
        raise ValueError(f"is the README's example value: set your own, {SECRET_HOW}")
    if len(text) < SECRET_MIN:
        raise ValueError(
            f"must be at least {SECRET_MIN} characters (it signs the web sessions): {SECRET_HOW}"
        )
    return text


def _auth(text: str) -> str:
    lowered = text.lower()
    if lowered not in ("off", "tokens"):
        raise ValueError("must be off or tokens")
    return lowered


def _switch(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError("must be true or false")


@dataclass(frozen=True)
class Setting:
    key: str  # the app.config key
    env: str
    default: Any
    parse: Callable[[str], Any]
    description: str
    unset: str = ""  # what the service does when the variable is not set and the default is None

    @property
    def shown_default(self) -> str:
        return f"({self.unset})" if self.default is None else str(self.default)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "ADVISOR_AUTH",
        "ADVISOR_AUTH",
        None,
        _auth,
        "`tokens`: accounts (`advisor users add NAME`); every /api/v1 operation but the health checks, "
        "the OpenAPI document, the docs page and share links needs `Authorization: Bearer TOKEN`, the "
        "web pages a sign-in, and each account sees only the scenarios it saved. `off`: no accounts, "
        "everyone reaches every scenario (one person on their own machine).",
        "off on a loopback address; `advisor serve` on any other address refuses to start unless it is set",
    ),
    Setting(
        "ADVISOR_CATALOG",
        "ADVISOR_CATALOG",
        None,
        _path,
        "A catalog folder (your own price book); it is added under its id and answers to `default`.",
        "the shipped catalog",
    ),
    Setting(
        "ADVISOR_SOLVER",
        "ADVISOR_SOLVER",
        "highs",
        _solver,
        "The MILP solver: `highs` (in process) or `cbc`; the other is the fallback.",
    ),
    Setting(
        "ADVISOR_TIME_LIMIT",
        "ADVISOR_TIME_LIMIT",
        5.0,
        _positive_float,
        "Seconds one request's wait for a solver slot and all its solves may take together, "
        "counted from its arrival; a request past them answers 503 (solver failed).",
    ),
    Setting(
        "ADVISOR_SOLVES_PER_WORKER",
        "ADVISOR_SOLVES_PER_WORKER",
        1,
        _count(1, 64),
        "Requests that solve (recommendations, analyses, quotes, scenario saves and re-pricing, the "
        "result pages) one worker process runs at once; solving is CPU work, so one per worker and "
        "a worker per core keep latency low.",
    ),
    Setting(
        "ADVISOR_SOLVE_QUEUE",
        "ADVISOR_SOLVE_QUEUE",
        8,
        _count(0, 1024),
        "Solving requests one worker lets wait for a slot; one more is refused at once with a 503 "
        "(busy) and Retry-After, and a wait longer than ADVISOR_TIME_LIMIT ends the same way.",
    ),
    Setting(
        "ADVISOR_READ_TIMEOUT",
        "ADVISOR_READ_TIMEOUT",
        10.0,
        _positive_float,
        "Seconds a client has to send a request's head and body, in all (and as many again to take "
        "the answer); a slower one gets a 408 and the connection closes. Slow clients hold a "
        "connection thread, never a solver slot; a reverse proxy that buffers bodies shields them.",
    ),
    Setting(
        "ADVISOR_RATE_LIMIT",
        "ADVISOR_RATE_LIMIT",
        "600 per minute",
        _rate_limit,
        "Requests one client may make (all endpoints together but /healthz, /readyz and static "
        "files), as Flask-Limiter reads it (`600 per minute`, `10/second;600/hour`), or `off`; "
        "past it a 429 with Retry-After. A client is its address (see ADVISOR_TRUSTED_PROXIES).",
    ),
    Setting(
        "ADVISOR_REDIS_URL",
        "ADVISOR_REDIS_URL",
        None,
        _redis_url,
        "Where the rate limits are counted, so that every worker of every instance shares one "
        "count per client: `redis://host:6379/0`. Checked at start; if Redis goes away later, "
        "each worker counts in its own memory until it is back.",
        "each worker process counts in its own memory, so a client may make the limit's worth "
        "of requests on each worker",
    ),
    Setting(
        "ADVISOR_TRUSTED_PROXIES",
        "ADVISOR_TRUSTED_PROXIES",
        0,
        _count(0, 10),
        "How many reverse proxies stand in front of the service; their X-Forwarded-For, -Proto, "
        "-Host and -Port are trusted for that many hops (the client's address for rate limits, "
        "https links). Leave 0 when clients connect directly: the headers are then ignored.",
    ),
    Setting(
        "MAX_CONTENT_LENGTH",
        "ADVISOR_MAX_CONTENT_LENGTH",
        1024 * 1024,
        _byte_count,
        "The largest request body in bytes; a larger one answers 413.",
    ),
    Setting(
        "ADVISOR_DATABASE_URL",
        "ADVISOR_DATABASE_URL",
        None,
        _path,
        "Where saved scenarios live: `postgresql://user@host/db` (`postgres://` and "
        "`postgresql+psycopg://` too; psycopg 3 is the driver) for more than one instance, or "
        "`sqlite:///PATH`; by default a SQLite file in the instance folder (`ADVISOR_INSTANCE_PATH`).",
        "SQLite in the instance folder",
    ),
    Setting(
        "SECRET_KEY",
        "ADVISOR_SECRET_KEY",
        None,
        _secret,
        "The key that signs the web form's CSRF tokens and the sign-in sessions: at least 32 characters, "
        "the same value on every host. Without it each start makes a random one, so a form left open "
        "across a restart is asked for again (and, with accounts, everyone signs in again).",
        "a random key made at each start",
    ),
    Setting(
        "ADVISOR_SCENARIO_LISTING",
        "ADVISOR_SCENARIO_LISTING",
        True,
        _switch,
        "Whether GET /api/v1/scenarios lists saved scenarios; turn it off on shared deployments so "
        "that a scenario's link is the only way to it.",
    ),
)


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every setting's value: the environment's when set, else the default."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(setting.env)
        if raw is None or (raw.strip() == "" and setting.default is not None):
            values[setting.key] = setting.default
            continue
        try:
            values[setting.key] = setting.parse(raw.strip())
        except ValueError as err:
            raise InvalidSetting(f"{setting.env}={raw!r}: {err}") from None
    return values
