"""The tables of saved scenarios, accounts and idempotency keys (SQLAlchemy 2 declarative)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

JSONDocument = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    pass


class AccountRow(Base):
    """An account: its API token and web password are kept only as hashes."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # Raised by every new token, password and revocation: a web session signed at an older
    # epoch is signed out.
    epoch: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ScenarioRow(Base):
    __tablename__ = "scenarios"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, default="")
    request: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    response: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    catalog_id: Mapped[str] = mapped_column(String(64))
    catalog_version: Mapped[str] = mapped_column(String(500))
    catalog_as_of: Mapped[str] = mapped_column(String(10))
    catalog_currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    repriced_from: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("scenarios.id", ondelete="SET NULL"), nullable=True
    )
    owner_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("accounts.id", ondelete="RESTRICT"), nullable=True
    )
    share_token: Mapped[str] = mapped_column(String(64), unique=True)

    __table_args__ = (
        Index("ix_scenarios_created", "created_at", "id"),
        Index("ix_scenarios_owner_created", "owner_id", "created_at"),
    )


class IdempotencyRow(Base):
    """The first answer to a save sent with an Idempotency-Key, per account (0: no account)."""

    __tablename__ = "idempotency_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_key: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(255))
    body_hash: Mapped[str] = mapped_column(String(64))
    # A deleted scenario takes its key with it: the same key then saves anew.
    scenario_id: Mapped[str] = mapped_column(String(32), ForeignKey("scenarios.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("owner_key", "key", name="uq_idempotency_owner_key"),)
