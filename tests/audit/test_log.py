"""The audit log on SQLite and PostgreSQL: every screening, decision and load recorded, chained;
an edited, deleted or reordered record found where it is."""

from __future__ import annotations

import itertools
import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as settings_profile
from hypothesis import strategies as st
from sqlalchemy import event, select, text
from sqlalchemy.exc import DBAPIError

from interlock.audit.log import _record_hash, digest
from interlock.config import Settings
from interlock.core import Interlock
from interlock.match.contract import ScreeningQuery
from interlock.screen.order import parse_order
from interlock.store.schema import audit_log
from tests.conftest import FIXTURES
from tests.test_cli import load_cut, run


@pytest.fixture
def audited(settings: Settings) -> Interlock:
    app = Interlock(settings)
    app.load_files(
        "csl_csv", [FIXTURES / "csl" / "csl_2022-04_cut.csv"], data_date=date(2022, 4, 28)
    )
    app.screen(ScreeningQuery(name="CloudWalk Technology"))
    app.chem(["NPP, 25 kg"], "US", date(2024, 1, 1))
    order = parse_order(
        {"id": "PO-A", "date": "2022-01-01", "parties": [{"role": "buyer", "name": "CloudWalk Technology"}],
         "route": {"origin": "US", "destination": "CN"}}
    )  # fmt: skip
    app.screen_order(order)
    return app


def test_every_action_is_recorded_and_chained(audited: Interlock) -> None:
    records = list(reversed(audited.audit.records()))
    assert [r.action for r in records] == ["lists.load", "screen", "chem", "order.screen"]
    assert records[0].previous_hash == "0" * 64
    assert all(b.previous_hash == a.record_hash for a, b in itertools.pairwise(records))
    assert records[3].detail["decision"] == "LICENCE_REQUIRED"
    assert records[3].retain_until.year == records[3].recorded_at.year + 5
    assert audited.verify_audit().ok


@pytest.mark.parametrize(
    ("tamper", "where", "problem"),
    [
        ("UPDATE audit_log SET subject = 'someone else' WHERE seq = 2", 2, "changed"),
        ('UPDATE audit_log SET detail = \'{"decision": "CLEAR"}\' WHERE seq = 4', 4, "changed"),
        ("DELETE FROM audit_log WHERE seq = 2", 2, "missing"),
        ("UPDATE audit_log SET org_seq = org_seq + 10 WHERE org_seq = 1", 1, "missing"),
    ],
)
def test_tampering_is_found_where_it_is(
    audited: Interlock, tamper: str, where: int, problem: str
) -> None:
    with audited.engine.begin() as connection:
        connection.execute(text(tamper))
    result = audited.verify_audit()
    assert not result.ok and result.first_bad == where and problem in result.problem


def test_a_forged_record_with_a_valid_hash_does_not_follow(audited: Interlock) -> None:
    """Someone who knows the hashing removes record 2 and renumbers record 3 into its place with
    a freshly computed hash: the chain still breaks there."""
    with audited.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE org_seq = 2"))
        row = connection.execute(select(audit_log).where(audit_log.c.org_seq == 3)).mappings().one()
        forged = dict(row) | {"org_seq": 2}
        connection.execute(
            text("UPDATE audit_log SET org_seq = 2, record_hash = :h WHERE seq = :s"),
            {"h": _record_hash(forged), "s": row["seq"]},
        )
    result = audited.verify_audit()
    assert not result.ok and result.first_bad == 2 and "does not follow" in result.problem


def test_a_legal_hold_keeps_the_chain(audited: Interlock) -> None:
    audited.audit.hold(2)
    assert audited.audit.records(action="screen")[0].legal_hold
    assert audited.verify_audit().ok
    with pytest.raises(LookupError, match="no audit record 99"):
        audited.audit.hold(99)


def test_setting_a_legal_hold_is_itself_recorded(audited: Interlock) -> None:
    audited.hold_audit_record(2)
    audited.hold_audit_record(2, held=False)
    changes = audited.audit.records(action="audit.hold")
    assert [c.subject for c in changes] == [
        "record 2: legal hold lifted",
        "record 2: legal hold set",
    ]
    assert not audited.audit.records(action="screen")[0].legal_hold
    assert audited.verify_audit().ok
    with pytest.raises(LookupError, match="no audit record 99"):
        audited.hold_audit_record(99)
    assert len(audited.audit.records(action="audit.hold")) == 2  # a refused hold leaves none


def test_audit_verify_command(tmp_path: Path) -> None:
    load_cut(tmp_path)
    assert run(tmp_path, "chem", "aniline").returncode == 0
    intact = run(tmp_path, "audit", "verify")
    assert intact.returncode == 0 and "2 records, chain intact" in intact.stdout
    listed = run(tmp_path, "audit", "list", "--json")
    assert [r["action"] for r in json.loads(listed.stdout)] == ["chem", "lists.load"]
    with sqlite3.connect(tmp_path / "cli.sqlite3") as connection:
        connection.execute("UPDATE audit_log SET actor = 'nobody' WHERE seq = 1")
    broken = run(tmp_path, "audit", "verify")
    assert broken.returncode == 1 and "broken at record 1" in broken.stderr


def test_concurrent_writers_keep_one_chain(settings: Settings) -> None:
    log = Interlock(settings).audit

    def write(worker: int) -> None:
        for n in range(10):
            log.append("tester", "screen", f"worker {worker} #{n}", n, n, "v1")

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(write, range(4)))
    result = log.verify()
    assert result.ok and result.records == 40


def test_a_writer_knows_its_chain_head_until_another_writes(settings: Settings) -> None:
    """Two server processes share the log, and each chains from the last record whoever wrote it.
    On SQLite a writer asks for the head only when the other has written since; on PostgreSQL
    the database links the chain itself (interlock_audit_append), so it is never asked."""
    one, other = Interlock(settings).audit, Interlock(settings).audit
    asked: list[str] = []

    def count_head_queries(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if "ORDER BY audit_log.org_seq DESC" in statement or "max(audit_log.seq)" in statement:
            asked.append(statement)

    event.listen(one.engine, "before_cursor_execute", count_head_queries)
    first = one.append("tester", "screen", "first", 1, 1, "v1")
    second = one.append("tester", "screen", "second", 2, 2, "v1")
    between = other.append("tester", "screen", "between", 3, 3, "v1")
    third = one.append("tester", "screen", "third", 4, 4, "v1")
    assert second.previous_hash == first.record_hash
    assert third.previous_hash == between.record_hash
    assert [r.seq for r in (first, second, between, third)] == [1, 2, 3, 4]
    heads = [s for s in asked if "org_seq DESC" in s]
    if one.engine.dialect.name == "postgresql":
        assert asked == []
    else:  # the first append and the one after the other's write ask; the second knew
        assert len(heads) == 2
    assert one.verify().ok and one.verify().records == 4


def test_purge_keeps_held_records_and_the_chain(audited: Interlock) -> None:
    audited.audit.hold(3)
    later = date.today().replace(year=date.today().year + 6)
    assert audited.purge_audit(later) == 2  # records 1 and 2; 3 is held, so it and all after stay
    remaining = [r.seq for r in reversed(audited.audit.records())]
    assert remaining[:2] == [3, 4] and remaining[-1] == 5  # 5: the purge's own record
    assert audited.verify_audit().ok
    with audited.engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET actor = 'x' WHERE seq = 3"))
    assert audited.verify_audit().first_bad == 3
    assert audited.purge_audit(date.today()) == 0  # nothing is past retention yet


def test_a_chain_whose_records_are_all_purged_goes_on_from_its_anchor(audited: Interlock) -> None:
    """Every record past retention goes; the next record, the purge's own, chains to where the
    purged ones ended, and a writer that did not write them finds that place too."""
    last = audited.audit.records()[0]
    later = date.today().replace(year=date.today().year + 6)
    assert audited.purge_audit(later) == last.seq
    [purge] = audited.audit.records()
    assert (purge.org_seq, purge.previous_hash) == (last.org_seq + 1, last.record_hash)
    other = Interlock(audited.settings).audit
    after = other.append("tester", "screen", "after the purge", 1, 1, "v1")
    assert after.previous_hash == purge.record_hash and after.seq == purge.seq + 1
    assert audited.verify_audit().ok


@settings_profile(max_examples=200, deadline=None)
@given(
    subject=st.text(max_size=40),
    detail=st.dictionaries(
        st.text(max_size=8),
        st.one_of(st.text(max_size=12), st.floats(allow_nan=False), st.integers(), st.none()),
        max_size=4,
    ),
    place=st.integers(1, 10**9),
)
def test_a_hash_joined_from_its_pieces_is_the_hash_of_the_whole_record(
    subject: str, detail: dict[str, object], place: int
) -> None:
    """PostgreSQL joins the pieces around the two linked values: the bytes must be those of the
    whole record's canonical JSON, which every stored hash was made of."""
    fields = {
        "recorded_at": datetime(2026, 12, 6, 9, 30, 1, 250, tzinfo=UTC), "actor": "key:ab12:load",
        "action": "screen", "subject": subject, "input_hash": "1" * 64, "result_hash": "2" * 64,
        "data_version": "v1", "detail": detail, "previous_hash": "3" * 64,
        "retain_until": date(2031, 12, 6), "org_seq": place,
    }  # fmt: skip
    whole = {k: v for k, v in fields.items() if k != "org_seq"} | {
        "seq": place,
        "recorded_at": "2026-12-06T09:30:01.000250+00:00",
    }
    assert _record_hash(fields) == digest(whole)


def test_records_of_any_script_and_number_are_linked_alike_in_either_database(
    settings: Settings,
) -> None:
    log = Interlock(settings).audit
    written = [
        log.append("分析员", "screen", "公安部物证鉴定中心 — Ünïcode \\ \"quoted\"", 1, 2, "v1",
                   {"score": 1e-07, "names": ["Акционерное общество", "😀"], "n": 2**40}),
        log.append("tester", "screen", "plain", [1.5], {"a": None}, "v1"),
    ]  # fmt: skip
    stored = {r.seq: r for r in log.records()}
    for record in written:
        assert stored[record.seq].record_hash == record.record_hash
        assert _record_hash(stored[record.seq].model_dump()) == record.record_hash
    assert written[1].previous_hash == written[0].record_hash
    assert log.verify().ok


def test_the_database_links_the_chain_only_under_read_committed(settings: Settings) -> None:
    """Under a stricter isolation the statement's snapshot would predate the table lock, and the
    chain's head would be read stale: the function refuses to run."""
    log = Interlock(settings).audit
    if log.engine.dialect.name != "postgresql":
        pytest.skip("the function is PostgreSQL's; SQLite chains in the one writing process")
    log.append("tester", "screen", "first", 1, 1, "v1")
    with (
        log.engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection,
        pytest.raises(DBAPIError, match="needs READ COMMITTED"),
    ):
        connection.execute(
            text("SELECT * FROM interlock_audit_append(CAST('[]' AS json), now(), current_date)")
        )
    assert log.verify().ok and log.verify().records == 1
