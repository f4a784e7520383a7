"""Migration 0009 on a store with data: existing alerts, book, ownership and audit records become
the default organisation's, and the audit chain written before organisations still verifies."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import text

from interlock.audit.log import GENESIS, _record_hash, digest
from interlock.config import Settings
from interlock.core import Interlock
from interlock.store.db import _alembic_config, make_engine


def test_existing_rows_join_the_default_organisation(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0008")
    previous = GENESIS
    with engine.begin() as connection:
        for seq in (1, 2):  # records as the single chain before organisations wrote them
            fields = {
                "seq": seq, "org_seq": seq, "recorded_at": datetime(2025, 1, seq, tzinfo=UTC),
                "actor": "ann", "action": "screen", "subject": f"query {seq}",
                "input_hash": digest(seq), "result_hash": digest(seq), "data_version": "v1",
                "detail": {}, "previous_hash": previous, "retain_until": date(2030, 1, seq),
            }  # fmt: skip
            fields["record_hash"] = previous = _record_hash(fields)
            del fields["org_seq"]
            connection.execute(
                text(
                    "INSERT INTO audit_log (seq, recorded_at, actor, action, subject, input_hash,"
                    " result_hash, data_version, detail, previous_hash, record_hash, retain_until,"
                    " legal_hold) VALUES (:seq, :recorded_at, :actor, :action, :subject,"
                    " :input_hash, :result_hash, :data_version, '{}', :previous_hash,"
                    " :record_hash, :retain_until, false)"
                ),
                fields,
            )
        connection.execute(
            text("INSERT INTO book_parties (party_id, data) VALUES ('P1', :data)"),
            {"data": '{"id": "P1", "name": "Acme"}'},
        )
    engine.dispose()

    interlock = Interlock(settings)  # upgrades to the newest schema
    assert interlock.verify_audit().ok and interlock.verify_audit().records == 2
    assert [o.name for o in interlock.accounts.orgs()] == ["default"]
    with interlock.engine.connect() as connection:
        assert connection.execute(text("SELECT org_id FROM book_parties")).scalar_one() == 1
    record = interlock.audit.append("bob", "screen", "after", 3, 3, "v2")
    assert record.org_seq == 3 and interlock.verify_audit().ok
    other = interlock.accounts.create_org("Acme")
    assert other.id == 2  # the default organisation's id does not collide
