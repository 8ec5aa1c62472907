"""Accounts, each scenario's owner and share token, and idempotency keys of saves.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("token_hash", sa.String(64), nullable=True, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("epoch", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    with op.batch_alter_table("scenarios") as batch:
        batch.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("share_token", sa.String(64), nullable=True))
    # Scenarios saved before accounts belong to nobody; each gets its own unguessable share token.
    connection = op.get_bind()
    scenarios = sa.table("scenarios", sa.column("id", sa.String), sa.column("share_token", sa.String))
    for (scenario_id,) in connection.execute(sa.select(scenarios.c.id)).all():
        connection.execute(
            scenarios.update()
            .where(scenarios.c.id == scenario_id)
            .values(share_token=secrets.token_urlsafe(32))
        )
    with op.batch_alter_table("scenarios") as batch:
        batch.alter_column("share_token", existing_type=sa.String(64), nullable=False)
        batch.create_unique_constraint("uq_scenarios_share_token", ["share_token"])
        batch.create_foreign_key("fk_scenarios_owner", "accounts", ["owner_id"], ["id"], ondelete="RESTRICT")
        batch.create_index("ix_scenarios_owner_created", ["owner_id", "created_at"])
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("owner_key", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("body_hash", sa.String(64), nullable=False),
        sa.Column(
            "scenario_id",
            sa.String(32),
            sa.ForeignKey("scenarios.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("owner_key", "key", name="uq_idempotency_owner_key"),
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys")
    with op.batch_alter_table("scenarios") as batch:
        batch.drop_index("ix_scenarios_owner_created")
        batch.drop_constraint("fk_scenarios_owner", type_="foreignkey")
        batch.drop_constraint("uq_scenarios_share_token", type_="unique")
        batch.drop_column("share_token")
        batch.drop_column("owner_id")
    op.drop_table("accounts")
