"""Accounts: who saved a scenario, and the errors of managing and using accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from advisor.domain.errors import AdvisorError


@dataclass(frozen=True)
class Account:
    """An account as the advisor knows it; its token and password are never held here."""

    id: int
    name: str
    created_at: datetime
    revoked_at: datetime | None = None
    has_password: bool = False
    epoch: int = 0  # raised by each new token, password and revocation (signs web sessions out)

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class IdempotencyKey:
    """A save's Idempotency-Key, per account (owner 0: saved without accounts), and a digest
    of the body it came with."""

    owner: int
    key: str
    body_hash: str


class AccountNotFound(AdvisorError):
    """No account has that name."""

    def __init__(self, name: str):
        super().__init__(f"there is no account {name!r}")
        self.name = name


class AccountExists(AdvisorError):
    """An account of that name exists already."""

    def __init__(self, name: str):
        super().__init__(
            f"an account {name!r} exists already; `advisor users token {name}` gives it a new token"
        )
        self.name = name


class IdempotencyConflict(AdvisorError):
    """An Idempotency-Key already used with another body."""

    def __init__(self, key: str):
        super().__init__(f"the Idempotency-Key {key!r} was used with another body")
        self.key = key
