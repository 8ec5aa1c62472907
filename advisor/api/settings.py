"""The service's settings: their environment variables, defaults and parsing, read only by create_app."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from advisor.optimizer import SOLVERS


class InvalidSetting(ValueError):
    """An ADVISOR_* environment variable holds a value the service cannot use."""


def _positive_float(text: str) -> float:
    value = float(text)
    if not 0 < value <= 3600:
        raise ValueError("must be a number of seconds above 0 and at most 3600")
    return value


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
        "Seconds each solve may take; a solve that hits it answers 503.",
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
        _path,
        "The key that signs the web form's CSRF tokens; set the same value on every host. Without it "
        "each start makes a random one, so a form left open across a restart is asked for again.",
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
