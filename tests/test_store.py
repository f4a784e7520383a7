"""The store on SQLite and PostgreSQL: transactional imports, archive, idempotence, quarantine."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from sqlalchemy import event

from interlock.config import Settings
from interlock.core import Interlock
from interlock.model import SnapshotStatus
from interlock.sources.base import RawFiles
from interlock.sources.csl import COLUMNS_29, CslCsv
from interlock.store import snapshots as snapshot_store
from interlock.store.db import StoreError, head_revision, schema_revision
from tests.conftest import FIXTURES

CUT = FIXTURES / "csl" / "csl_2022-04_cut.csv"


def _csl(rows: int | None = None) -> RawFiles:
    lines = CUT.read_bytes().splitlines(keepends=True)
    if rows is not None:
        lines = lines[: 2 + rows]
    return RawFiles({"consolidated.csv": b"".join(lines)})


def test_import_is_visible_archived_and_idempotent(settings: Settings) -> None:
    interlock = Interlock(settings)
    assert schema_revision(interlock.engine) == head_revision()
    raw = _csl()
    first = interlock.store.import_snapshot(CslCsv(), raw, origin="file")
    assert first.created and first.snapshot.status == SnapshotStatus.ACCEPTED
    assert first.snapshot.entry_count == 24 and first.snapshot.row_count == 24
    again = interlock.store.import_snapshot(CslCsv(), raw, origin="file")
    assert not again.created and again.snapshot.id == first.snapshot.id
    content = raw.get("consolidated.csv")
    assert interlock.store.raw_file(hashlib.sha256(content).hexdigest()) == content
    [info] = interlock.lists_info()
    assert (info.source, info.entries, info.sha256) == ("us_csl", 24, first.snapshot.sha256)
    ifs = interlock.entity("us_csl:EL:aae680d264a18c38121789996cf8c9764c85559f")
    assert ifs is not None and ifs.citations[0].page == 34505


def test_failed_import_leaves_the_previous_state_served(settings: Settings) -> None:
    interlock = Interlock(settings)
    interlock.store.import_snapshot(CslCsv(), _csl(10), origin="file")
    version = interlock.data_version()
    inserts = {"entries": 0}

    def fail_midway(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO ENTRIES"):
            inserts["entries"] += 1
            raise RuntimeError("simulated crash while writing entries")

    event.listen(interlock.engine, "before_cursor_execute", fail_midway)
    with pytest.raises(RuntimeError, match="simulated crash"):
        interlock.store.import_snapshot(CslCsv(), _csl(), origin="file")
    event.remove(interlock.engine, "before_cursor_execute", fail_midway)
    assert inserts["entries"] == 1
    assert [s.entry_count for s in interlock.store.snapshots()] == [10]
    assert interlock.data_version() == version


def test_a_service_reuses_its_snapshot_reads_until_it_changes_them(settings: Settings) -> None:
    """A service sets a reuse window: reads within it ask the database nothing, and a change made
    through the store is seen at once."""
    interlock = Interlock(settings)
    store = interlock.store
    full = store.import_snapshot(CslCsv(), _csl(), origin="file").snapshot
    store.current_reuse_seconds = 60.0
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(interlock.engine, "before_cursor_execute", record)
    assert [s.id for s in store.snapshots()] == [full.id]
    assert [s.id for s in store.snapshots("us_csl")] == [full.id]
    assert store.snapshots("un_sc") == []
    store.current_snapshots()
    store.current_snapshots()
    assert len(statements) == 2  # one read of all snapshots, one of the current ones
    small = store.import_snapshot(CslCsv(), _csl(20), origin="file").snapshot
    assert [s.id for s in store.snapshots()] == [full.id, small.id]
    assert small.id is not None
    interlock.accept(small.id, reason="upstream confirmed the removals")
    assert [s.status for s in store.snapshots()] == [SnapshotStatus.ACCEPTED] * 2
    assert store.current_snapshots()["us_csl"].id == small.id
    event.remove(interlock.engine, "before_cursor_execute", record)


def test_a_read_begun_before_a_change_is_not_kept_for_reuse(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request thread's read may end after an import by another thread cleared the reads kept:
    what it read before the import is answered to it, never kept for the next caller (who could
    be the import itself, rebuilding history from the snapshots)."""
    interlock = Interlock(settings)
    store = interlock.store
    full = store.import_snapshot(CslCsv(), _csl(), origin="file").snapshot
    store.current_reuse_seconds = 60.0
    read = snapshot_store._snapshots
    imported: list[int | None] = []

    def read_then_import_meanwhile(connection: Any, source: str | None = None) -> list[Any]:
        found = read(connection, source)
        if not imported:  # the import commits while this read is still on its way back
            imported.append(None)
            imported[0] = store.import_snapshot(CslCsv(), _csl(22), origin="file").snapshot.id
        return found

    monkeypatch.setattr(snapshot_store, "_snapshots", read_then_import_meanwhile)
    assert [s.id for s in store.snapshots()] == [full.id]  # read before the import
    monkeypatch.setattr(snapshot_store, "_snapshots", read)
    assert [s.id for s in store.snapshots()] == [full.id, imported[0]]


def test_large_drop_is_quarantined_until_accepted(settings: Settings) -> None:
    interlock = Interlock(settings)
    full = interlock.store.import_snapshot(CslCsv(), _csl(), origin="file").snapshot
    small = interlock.store.import_snapshot(CslCsv(), _csl(20), origin="file").snapshot
    assert small.status == SnapshotStatus.QUARANTINED
    assert "fell 16.7%" in (small.status_reason or "")
    [info] = interlock.lists_info()
    assert info.snapshot_id == full.id and info.quarantined_snapshots == [small.id]
    assert small.id is not None
    accepted = interlock.accept(small.id, reason="upstream confirmed the removals")
    assert accepted.status == SnapshotStatus.ACCEPTED
    assert interlock.lists_info()[0].entries == 20
    with pytest.raises(StoreError, match="already accepted"):
        interlock.accept(small.id, reason="twice")


def test_small_drop_is_accepted(settings: Settings) -> None:
    interlock = Interlock(settings)
    interlock.store.import_snapshot(CslCsv(), _csl(), origin="file")
    smaller = interlock.store.import_snapshot(CslCsv(), _csl(22), origin="file").snapshot
    assert smaller.status == SnapshotStatus.ACCEPTED


def test_header_only_snapshot_of_a_known_source_is_quarantined(settings: Settings) -> None:
    interlock = Interlock(settings)
    interlock.store.import_snapshot(CslCsv(), _csl(), origin="file")
    empty = RawFiles({"consolidated.csv": (",".join(COLUMNS_29) + "\n").encode()})
    snapshot = interlock.store.import_snapshot(CslCsv(), empty, origin="file").snapshot
    assert snapshot.status == SnapshotStatus.QUARANTINED


def test_an_older_snapshot_is_history_not_a_drop(settings: Settings) -> None:
    from datetime import date

    interlock = Interlock(settings)
    interlock.store.import_snapshot(CslCsv(), _csl(), origin="file", data_date=date(2022, 4, 28))
    older = interlock.store.import_snapshot(
        CslCsv(), _csl(10), origin="file", data_date=date(2021, 1, 1)
    ).snapshot
    assert older.status == SnapshotStatus.ACCEPTED
    [info] = interlock.lists_info()
    assert info.entries == 24 and info.quarantined_snapshots == []
