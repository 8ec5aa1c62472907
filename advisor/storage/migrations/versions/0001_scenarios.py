"""Create the scenarios table.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSONDocument = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "scenarios",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("request", JSONDocument, nullable=False),
        sa.Column("response", JSONDocument, nullable=False),
        sa.Column("catalog_id", sa.String(64), nullable=False),
        sa.Column("catalog_version", sa.String(500), nullable=False),
        sa.Column("catalog_as_of", sa.String(10), nullable=False),
        sa.Column("catalog_currency", sa.String(3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "repriced_from", sa.String(32), sa.ForeignKey("scenarios.id", ondelete="SET NULL"), nullable=True
        ),
    )
    op.create_index("ix_scenarios_created", "scenarios", ["created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_scenarios_created", table_name="scenarios")
    op.drop_table("scenarios")
