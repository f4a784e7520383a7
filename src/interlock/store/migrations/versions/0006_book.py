"""The counterparty book: its parties, their last screening results, the corpus it was screened
against.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "book_parties",
        sa.Column("party_id", sa.String(200), primary_key=True),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        "book_results",
        sa.Column("party_id", sa.String(200), primary_key=True),
        sa.Column("screened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hits", sa.JSON, nullable=False),
    )
    op.create_table(
        "book_state",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("book_state")
    op.drop_table("book_results")
    op.drop_table("book_parties")
