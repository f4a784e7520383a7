"""Regime phases recorded by an operator (an extension of a suspension, …).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "regime_phases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("regime_id", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.Date, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("regime_phases")
