"""List history: events with valid and knowledge time; snapshot coverage.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("snapshots") as batch:
        batch.add_column(
            sa.Column("coverage", sa.String(16), nullable=False, server_default="full")
        )
    op.create_table(
        "history_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(128), nullable=False, unique=True),
        sa.Column("identity", sa.String(512), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("effective_date", sa.Date),
        sa.Column("effective_after", sa.Date),
        sa.Column("recorded_at", sa.Date, nullable=False),
        sa.Column("origin", sa.String(32), nullable=False),
        sa.Column("document_number", sa.String(32)),
        sa.Column("version", sa.String(64)),
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", ondelete="CASCADE")),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_history_events_identity", "history_events", ["identity"])
    op.create_index("ix_history_events_source_origin", "history_events", ["source", "origin"])
    op.create_index("ix_history_events_document", "history_events", ["document_number"])


def downgrade() -> None:
    op.drop_table("history_events")
    with op.batch_alter_table("snapshots") as batch:
        batch.drop_column("coverage")
