"""Organisations as tenants: accounts, API keys and sessions; an organisation on every order,
alert, decision, book, ownership edge and audit record (existing rows go to the default
organisation, 1); stored order decisions; the background job table.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

DEFAULT_ORG = 1


def _org_column() -> sa.Column[int]:
    return sa.Column(
        "org_id", sa.Integer, sa.ForeignKey("organisations.id", name="fk_org"), nullable=False,
        server_default=str(DEFAULT_ORG),
    )  # fmt: skip


def upgrade() -> None:
    organisations = op.create_table(
        "organisations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("operator", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.bulk_insert(
        organisations,
        [{"id": DEFAULT_ORG, "name": "default", "operator": True, "created_at": datetime.now(UTC)}],
    )
    if op.get_bind().dialect.name == "postgresql":  # the row above named its id: move the counter
        op.execute("SELECT setval(pg_get_serial_sequence('organisations', 'id'), 1)")
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("org_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("username", sa.String(200), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("org_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False, unique=True),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("rate_per_minute", sa.Integer),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("org_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("order_id", sa.String(200), nullable=False),
        sa.Column("screened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decision", sa.String(32), nullable=False),
        sa.Column("audit_seq", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_orders_org_order", "orders", ["org_id", "order_id"])
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("org_id", sa.Integer, sa.ForeignKey("organisations.id")),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("dedupe_key", sa.String(200)),
        sa.Column("once_key", sa.String(200), unique=True),
        sa.Column("run_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("max_attempts", sa.Integer, nullable=False),
        sa.Column("locked_by", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("result", sa.JSON),
        sa.Column("error", sa.Text),
    )
    op.create_index("ix_jobs_due", "jobs", ["state", "run_after"])
    op.create_index("ix_jobs_dedupe", "jobs", ["dedupe_key", "state"])

    for table in ("alerts", "false_positives", "ownership_edges"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(_org_column())
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(_org_column())
        batch.add_column(sa.Column("org_seq", sa.Integer))
    op.execute("UPDATE audit_log SET org_seq = seq")
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("org_seq", existing_type=sa.Integer, nullable=False)
        batch.create_unique_constraint("uq_audit_org_seq", ["org_id", "org_seq"])
    op.create_index("ix_alerts_org", "alerts", ["org_id", "id"])
    # the default only placed the existing rows: from now on every write names its organisation
    for table in ("alerts", "false_positives", "ownership_edges", "audit_log"):
        with op.batch_alter_table(table) as batch:
            batch.alter_column("org_id", existing_type=sa.Integer, server_default=None)

    # the book's keys become (organisation, key): new tables, rows copied, old ones dropped
    _rekey("book_parties", [sa.Column("party_id", sa.String(200)), sa.Column("data", sa.JSON,
           nullable=False)], "party_id")  # fmt: skip
    _rekey("book_results", [sa.Column("party_id", sa.String(200)),
           sa.Column("screened_at", sa.DateTime(timezone=True), nullable=False),
           sa.Column("hits", sa.JSON, nullable=False)], "party_id")  # fmt: skip
    _rekey("book_state", [sa.Column("key", sa.String(64)), sa.Column("value", sa.JSON,
           nullable=False)], "key")  # fmt: skip


def _rekey(table: str, columns: list[sa.Column[object]], key: str) -> None:
    names = [c.name for c in columns]
    op.create_table(
        f"{table}_new",
        sa.Column("org_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        *columns,
        sa.PrimaryKeyConstraint("org_id", key, name=f"pk_{table}"),
    )
    listed = ", ".join(names)
    op.execute(
        f"INSERT INTO {table}_new (org_id, {listed}) SELECT {DEFAULT_ORG}, {listed} FROM {table}"  # noqa: S608 - fixed names
    )
    op.drop_table(table)
    op.rename_table(f"{table}_new", table)


def downgrade() -> None:
    raise NotImplementedError("organisations cannot be merged back into one unscoped store")
