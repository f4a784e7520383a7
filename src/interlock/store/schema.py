"""Tables of the store. Alembic migrations under `migrations/` create and change them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("operator", Boolean, nullable=False),  # its admins manage the shared list data
    Column("created_at", DateTime(timezone=True), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("username", String(200), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("disabled_at", DateTime(timezone=True)),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id")),
    Column("name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("prefix", String(16), nullable=False, unique=True),
    Column("secret_hash", String(64), nullable=False),
    Column("rate_per_minute", Integer),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

raw_files = Table(
    "raw_files",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(64), nullable=False),
    Column("format", String(64), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("files", JSON, nullable=False),
    Column("retrieved_at", DateTime(timezone=True), nullable=False),
    Column("data_date", Date),
    Column("parser_version", String(32), nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("entry_count", Integer, nullable=False),
    Column("issue_count", Integer, nullable=False),
    Column("origin", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("status_reason", Text),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("superseded_at", DateTime(timezone=True)),
    Column("http_metadata", JSON),
    Column("issues", JSON, nullable=False),
    Column("coverage", String(16), nullable=False, server_default="full"),
    UniqueConstraint("source", "sha256", "parser_version", name="uq_snapshot_content"),
)

snapshot_files = Table(
    "snapshot_files",
    metadata,
    Column(
        "snapshot_id", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("name", String(255), primary_key=True),
    Column("sha256", String(64), ForeignKey("raw_files.sha256"), nullable=False),
)

entries = Table(
    "entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("snapshot_id", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("entity_id", String(255), nullable=False),
    Column("source", String(64), nullable=False),
    Column("source_id", String(255), nullable=False),
    Column("schema", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("lists", JSON, nullable=False),
    Column("data", JSON, nullable=False),
    Column("valid_from", Date),
    Column("valid_to", Date),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("superseded_at", DateTime(timezone=True)),
    UniqueConstraint("snapshot_id", "entity_id", name="uq_entry_in_snapshot"),
)
Index("ix_entries_entity_id", entries.c.entity_id)

documents = Table(
    "fr_documents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("snapshot_id", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("document_number", String(32), nullable=False),
    Column("publication_date", Date, nullable=False),
    Column("effective_date", Date),
    Column("title", Text, nullable=False),
    Column("data", JSON, nullable=False),
    UniqueConstraint("snapshot_id", "document_number", name="uq_document_in_snapshot"),
)
Index("ix_fr_documents_number", documents.c.document_number)

history_events = Table(
    "history_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(128), nullable=False, unique=True),
    Column("identity", String(512), nullable=False),
    Column("source", String(64), nullable=False),
    Column("action", String(16), nullable=False),
    Column("effective_date", Date),
    Column("effective_after", Date),
    Column("recorded_at", Date, nullable=False),
    Column("origin", String(32), nullable=False),
    Column("document_number", String(32)),
    Column("version", String(64)),
    Column("snapshot_id", Integer, ForeignKey("snapshots.id", ondelete="CASCADE")),
    Column("data", JSON, nullable=False),
)
Index("ix_history_events_identity", history_events.c.identity)
Index("ix_history_events_source_origin", history_events.c.source, history_events.c.origin)
Index("ix_history_events_document", history_events.c.document_number)

regime_phases = Table(
    "regime_phases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("regime_id", String(64), nullable=False),
    Column("recorded_at", Date, nullable=False),
    Column("data", JSON, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("org_seq", Integer, nullable=False),  # the organisation's own chain
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(64), nullable=False),
    Column("subject", String(500), nullable=False),
    Column("input_hash", String(64), nullable=False),
    Column("result_hash", String(64), nullable=False),
    Column("data_version", String(200), nullable=False),
    Column("detail", JSON, nullable=False),
    Column("previous_hash", String(64), nullable=False),
    Column("record_hash", String(64), nullable=False),
    Column("retain_until", Date, nullable=False),
    Column("legal_hold", Boolean, nullable=False, default=False),
    UniqueConstraint("org_id", "org_seq", name="uq_audit_org_seq"),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("entry_version", String(64), nullable=False),
    Column("state", String(32), nullable=False),
    Column("data", JSON, nullable=False),
)
Index("ix_alerts_org", alerts.c.org_id, alerts.c.id)
Index("ix_alerts_hit", alerts.c.fingerprint, alerts.c.entity_id, alerts.c.entry_version)

false_positives = Table(
    "false_positives",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("entry_version", String(64), nullable=False),
    Column("alert_id", Integer, ForeignKey("alerts.id"), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
)
Index(
    "ix_false_positives_hit",
    false_positives.c.fingerprint,
    false_positives.c.entity_id,
    false_positives.c.entry_version,
)

book_parties = Table(
    "book_parties",
    metadata,
    Column("org_id", Integer, ForeignKey("organisations.id"), primary_key=True),
    Column("party_id", String(200), primary_key=True),
    Column("data", JSON, nullable=False),
)

book_results = Table(
    "book_results",
    metadata,
    Column("org_id", Integer, ForeignKey("organisations.id"), primary_key=True),
    Column("party_id", String(200), primary_key=True),
    Column("screened_at", DateTime(timezone=True), nullable=False),
    Column("hits", JSON, nullable=False),
)

book_state = Table(
    "book_state",
    metadata,
    Column("org_id", Integer, ForeignKey("organisations.id"), primary_key=True),
    Column("key", String(64), primary_key=True),
    Column("value", JSON, nullable=False),
)

ownership_edges = Table(
    "ownership_edges",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("origin", String(64), nullable=False),
    Column("data", JSON, nullable=False),
)

audit_anchor = Table(
    "audit_anchor",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("data", JSON, nullable=False),
)

orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("order_id", String(200), nullable=False),
    Column("screened_at", DateTime(timezone=True), nullable=False),
    Column("decision", String(32), nullable=False),
    Column("audit_seq", Integer, nullable=False),
    Column("data", JSON, nullable=False),
)
Index("ix_orders_org_order", orders.c.org_id, orders.c.order_id)

jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(64), nullable=False),
    Column("org_id", Integer, ForeignKey("organisations.id")),  # none: a job for the shared lists
    Column("payload", JSON, nullable=False),
    Column("state", String(16), nullable=False),
    Column("dedupe_key", String(200)),  # one active job per key
    Column("once_key", String(200), unique=True),  # one job per key, ever (a scheduled period)
    Column("run_after", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("max_attempts", Integer, nullable=False),
    Column("locked_by", String(200)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("started_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
    Column("result", JSON),
    Column("error", Text),
)
Index("ix_jobs_due", jobs.c.state, jobs.c.run_after)
Index("ix_jobs_dedupe", jobs.c.dedupe_key, jobs.c.state)
