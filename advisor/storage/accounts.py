"""Accounts in the database: names, token and password hashes, revocation."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from advisor.domain import Account, AccountExists, AccountNotFound
from advisor.storage.models import AccountRow


@dataclass(frozen=True)
class Credentials:
    """An account and the hashes its sign-in is checked against."""

    account: Account
    token_hash: str | None
    password_hash: str | None


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _account(row: AccountRow) -> Account:
    created = _aware(row.created_at)
    assert created is not None
    return Account(
        id=row.id,
        name=row.name,
        created_at=created,
        revoked_at=_aware(row.revoked_at),
        has_password=row.password_hash is not None,
        epoch=row.epoch,
    )


class AccountStore:
    """Accounts, in the scenario store's database and transactions."""

    def __init__(self, transaction: Callable[[], AbstractContextManager[Session]]):
        self._transaction = transaction

    def add(self, name: str, token_hash: str) -> Account:
        row = AccountRow(name=name, token_hash=token_hash, epoch=0, created_at=datetime.now(UTC))
        try:
            with self._transaction() as session:
                session.add(row)
                session.flush()
                return _account(row)
        except IntegrityError:
            raise AccountExists(name) from None

    def list(self) -> list[Account]:
        with self._transaction() as session:
            return [_account(r) for r in session.scalars(select(AccountRow).order_by(AccountRow.name))]

    @staticmethod
    def _named(session: Session, name: str) -> AccountRow:
        row = session.scalars(select(AccountRow).where(AccountRow.name == name).with_for_update()).first()
        if row is None:
            raise AccountNotFound(name)
        return row

    def credentials(self, name: str) -> Credentials:
        with self._transaction() as session:
            row = session.scalars(select(AccountRow).where(AccountRow.name == name)).first()
            if row is None:
                raise AccountNotFound(name)
            return Credentials(_account(row), row.token_hash, row.password_hash)

    def by_token_hash(self, token_hash: str) -> Credentials | None:
        with self._transaction() as session:
            row = session.scalars(select(AccountRow).where(AccountRow.token_hash == token_hash)).first()
            return None if row is None else Credentials(_account(row), row.token_hash, row.password_hash)

    def get(self, account_id: int) -> Account | None:
        with self._transaction() as session:
            row = session.get(AccountRow, account_id)
            return None if row is None else _account(row)

    def set_token(self, name: str, token_hash: str) -> Account:
        """A new token (the old one stops working); a revoked account is active again."""
        with self._transaction() as session:
            row = self._named(session, name)
            row.token_hash = token_hash
            row.revoked_at = None
            row.epoch += 1
            return _account(row)

    def set_password(self, name: str, password_hash: str) -> Account:
        with self._transaction() as session:
            row = self._named(session, name)
            row.password_hash = password_hash
            row.epoch += 1
            return _account(row)

    def sign_out(self, account_id: int) -> None:
        """Every web session of the account ends (its token and password keep working)."""
        with self._transaction() as session:
            row = session.get(AccountRow, account_id)
            if row is not None:
                row.epoch += 1

    def revoke(self, name: str) -> Account:
        """The token and password stop working; the account's scenarios stay its own."""
        with self._transaction() as session:
            row = self._named(session, name)
            row.token_hash = None
            row.password_hash = None
            row.revoked_at = datetime.now(UTC)
            row.epoch += 1
            return _account(row)
