"""The tables of saved scenarios (SQLAlchemy 2 declarative)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

JSONDocument = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    pass


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

    __table_args__ = (Index("ix_scenarios_created", "created_at", "id"),)
