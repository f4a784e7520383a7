"""Snapshot import (one transaction each, with feed-sanity quarantine) and reads of current data."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from time import monotonic
from typing import Any

from sqlalchemy import Connection, Engine, and_, insert, select, update

from interlock.model import (
    Coverage,
    DataIssue,
    FederalRegisterDocument,
    ListEntry,
    Snapshot,
    SnapshotFile,
    SnapshotStatus,
)
from interlock.sources.base import EntryFormat, ListFormat, RawFiles, parse_snapshot
from interlock.store.db import StoreError
from interlock.store.schema import documents, entries, raw_files, snapshot_files, snapshots

BATCH = 2000


@dataclass(frozen=True)
class ImportResult:
    snapshot: Snapshot
    created: bool  # False when the same bytes were already loaded with this parser version


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _snapshot(row: Any) -> Snapshot:
    return Snapshot(
        id=row.id,
        source=row.source,
        format=row.format,
        sha256=row.sha256,
        size=row.size,
        files=[SnapshotFile.model_validate(f) for f in row.files],
        retrieved_at=_aware(row.retrieved_at),
        data_date=row.data_date,
        parser_version=row.parser_version,
        row_count=row.row_count,
        entry_count=row.entry_count,
        origin=row.origin,
        status=SnapshotStatus(row.status),
        status_reason=row.status_reason,
        loaded_at=_aware(row.loaded_at),
        issue_count=row.issue_count,
        issues=[DataIssue.model_validate(i) for i in row.issues],
        coverage=Coverage(row.coverage),
    )


def _snapshots(connection: Connection, source: str | None = None) -> list[Snapshot]:
    query = select(snapshots).order_by(snapshots.c.id)
    if source:
        query = query.where(snapshots.c.source == source)
    return [_snapshot(row) for row in connection.execute(query)]


def _current(connection: Connection) -> dict[str, Snapshot]:
    current: dict[str, Snapshot] = {}
    for snapshot in _snapshots(connection):
        if snapshot.status != SnapshotStatus.ACCEPTED:
            continue
        held = current.get(snapshot.source)
        if held is None or _currency_key(snapshot) > _currency_key(held):
            current[snapshot.source] = snapshot
    return current


def _currency_key(snapshot: Snapshot) -> tuple[bool, date, datetime, int]:
    """The current snapshot of a source is the accepted one with the newest data, then retrieval.

    A partial file never displaces a full one: absence from it proves nothing.
    """
    return (
        snapshot.coverage == Coverage.FULL,
        snapshot.data_date or date.min,
        snapshot.retrieved_at,
        snapshot.id or 0,
    )


class SnapshotStore:
    def __init__(self, engine: Engine, quarantine_drop: float = 0.10) -> None:
        self.engine = engine
        self.quarantine_drop = quarantine_drop
        # how long a read of the snapshots (all, or the current ones) may be reused (a service
        # answering many requests a second sets it; changes through this store are seen at once
        # whatever it is)
        self.current_reuse_seconds = 0.0
        self._current_read: tuple[float, dict[str, Snapshot]] | None = None
        self._all_read: tuple[float, list[Snapshot]] | None = None
        # bumped by every change through this store: a read begun before a change is not kept
        # for reuse, though it may end after the change cleared the reads kept
        self._generation = 0

    def _changed(self) -> None:
        self._generation += 1
        self._current_read = self._all_read = None

    # -- reads ---------------------------------------------------------------------------------
    def snapshots(self, source: str | None = None) -> list[Snapshot]:
        if self.current_reuse_seconds <= 0:
            with self.engine.connect() as connection:
                return _snapshots(connection, source)
        read = self._all_read
        if read is None or monotonic() - read[0] >= self.current_reuse_seconds:
            generation = self._generation
            with self.engine.connect() as connection:
                read = (monotonic(), _snapshots(connection))
            if generation == self._generation:
                self._all_read = read
        return [s for s in read[1] if source is None or s.source == source]

    def snapshot(self, snapshot_id: int) -> Snapshot:
        with self.engine.connect() as connection:
            row = connection.execute(select(snapshots).where(snapshots.c.id == snapshot_id)).first()
        if row is None:
            raise StoreError(f"no snapshot with id {snapshot_id}")
        return _snapshot(row)

    def current_snapshots(self) -> dict[str, Snapshot]:
        read = self._current_read
        if read is not None and monotonic() - read[0] < self.current_reuse_seconds:
            return dict(read[1])
        generation = self._generation
        with self.engine.connect() as connection:
            current = _current(connection)
        if generation == self._generation:
            self._current_read = (monotonic(), current)
        return dict(current)

    def entries(self, snapshot_ids: list[int]) -> Iterator[ListEntry]:
        if not snapshot_ids:
            return
        query = (
            select(entries.c.data)
            .where(entries.c.snapshot_id.in_(snapshot_ids))
            .order_by(entries.c.id)
        )
        with self.engine.connect() as connection:
            for row in connection.execution_options(yield_per=BATCH).execute(query):
                yield ListEntry.model_validate(row.data)

    def current_entry(self, entity_id: str) -> ListEntry | None:
        ids = [s.id for s in self.current_snapshots().values() if s.id is not None]
        if not ids:
            return None
        query = select(entries.c.data).where(
            and_(entries.c.entity_id == entity_id, entries.c.snapshot_id.in_(ids))
        )
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return None if row is None else ListEntry.model_validate(row.data)

    def documents(self, snapshot_ids: list[int]) -> Iterator[FederalRegisterDocument]:
        query = (
            select(documents.c.data)
            .where(documents.c.snapshot_id.in_(snapshot_ids))
            .order_by(documents.c.publication_date, documents.c.document_number)
        )
        with self.engine.connect() as connection:
            for row in connection.execute(query):
                yield FederalRegisterDocument.model_validate(row.data)

    def validators(self, snapshot_id: int) -> dict[str, dict[str, str]]:
        """ETag / Last-Modified per URL recorded with a fetched snapshot, for a conditional fetch."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(snapshots.c.http_metadata).where(snapshots.c.id == snapshot_id)
            ).first()
        metadata = (row.http_metadata if row else None) or {}
        return {
            url: {k: v for k, v in response.items() if k in ("etag", "last_modified")}
            for url, response in metadata.items()
        }

    def raw_file(self, sha256: str) -> bytes:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(raw_files.c.content).where(raw_files.c.sha256 == sha256)
            ).first()
        if row is None:
            raise StoreError(f"no archived file with sha256 {sha256}")
        return bytes(row.content)

    # -- writes --------------------------------------------------------------------------------
    def import_snapshot(
        self,
        fmt: ListFormat[Any, Any],
        raw: RawFiles,
        *,
        origin: str,
        retrieved_at: datetime | None = None,
        data_date: date | None = None,
        http_metadata: dict[str, Any] | None = None,
        coverage: Coverage = Coverage.FULL,
    ) -> ImportResult:
        """Parse and store one snapshot; it becomes visible only when the transaction commits."""
        sha256 = raw.sha256()
        existing = self._find(fmt.spec.code, sha256, fmt.parser_version)
        if existing is not None:
            return ImportResult(existing, created=False)
        items: list[ListEntry] | list[FederalRegisterDocument]
        if isinstance(fmt, EntryFormat):
            parsed = parse_snapshot(fmt, raw)
            items, row_count = parsed.entries, parsed.row_count
        else:
            items = list(fmt.items(raw))
            row_count = len(items)
        now = datetime.now(UTC)
        retrieved = retrieved_at or now
        content_date = data_date or fmt.data_date(raw)
        status, reason = (
            self._sanity(fmt.spec.code, len(items), content_date)
            if coverage == Coverage.FULL
            else (SnapshotStatus.ACCEPTED, None)
        )
        hashes = raw.file_hashes()
        snapshot_values = {
            "source": fmt.spec.code,
            "format": fmt.name,
            "sha256": sha256,
            "size": raw.size,
            "files": [
                {"name": name, "sha256": hashes[name], "size": len(data)}
                for name, data in sorted(raw.files.items())
            ],
            "retrieved_at": retrieved,
            "data_date": content_date,
            "parser_version": fmt.parser_version,
            "row_count": row_count,
            "entry_count": len(items),
            "issue_count": sum(len(item.issues) for item in items),
            "origin": origin,
            "status": status.value,
            "status_reason": reason,
            "loaded_at": now,
            "http_metadata": http_metadata,
            "issues": [i.model_dump(mode="json") for i in fmt.snapshot_issues(raw)],
            "coverage": coverage.value,
        }
        with self.engine.begin() as connection:
            self._archive(connection, raw, hashes, now)
            snapshot_id = connection.execute(
                insert(snapshots).values(**snapshot_values).returning(snapshots.c.id)
            ).scalar_one()
            connection.execute(
                insert(snapshot_files),
                [
                    {"snapshot_id": snapshot_id, "name": name, "sha256": digest}
                    for name, digest in hashes.items()
                ],
            )
            self._insert_items(connection, snapshot_id, items, retrieved)
            _mark_superseded(connection)
        self._changed()
        return ImportResult(self.snapshot(snapshot_id), created=True)

    def accept(self, snapshot_id: int, reason: str) -> Snapshot:
        """An operator's explicit acceptance of a quarantined snapshot."""
        snapshot = self.snapshot(snapshot_id)
        if snapshot.status == SnapshotStatus.ACCEPTED:
            raise StoreError(f"snapshot {snapshot_id} is already accepted")
        with self.engine.begin() as connection:
            connection.execute(
                update(snapshots)
                .where(snapshots.c.id == snapshot_id)
                .values(
                    status=SnapshotStatus.ACCEPTED.value,
                    status_reason=f"accepted by operator: {reason} (was: {snapshot.status_reason})",
                )
            )
            _mark_superseded(connection)
        self._changed()
        return self.snapshot(snapshot_id)

    def _find(self, source: str, sha256: str, parser_version: str) -> Snapshot | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(snapshots).where(
                    and_(
                        snapshots.c.source == source,
                        snapshots.c.sha256 == sha256,
                        snapshots.c.parser_version == parser_version,
                    )
                )
            ).first()
        return None if row is None else _snapshot(row)

    def _sanity(
        self, source: str, count: int, content_date: date | None
    ) -> tuple[SnapshotStatus, str | None]:
        """Quarantine a snapshot that would replace the served one with far fewer entries.

        An older snapshot (history being filled in) never replaces the current one: it is kept.
        """
        current = self.current_snapshots().get(source)
        if current is None or current.entry_count == 0:
            return SnapshotStatus.ACCEPTED, None
        if content_date is not None and current.data_date and content_date < current.data_date:
            return SnapshotStatus.ACCEPTED, None
        drop = 1 - count / current.entry_count
        if drop > self.quarantine_drop:
            return (
                SnapshotStatus.QUARANTINED,
                f"entry count fell {drop:.1%} ({current.entry_count} → {count}) against accepted "
                f"snapshot {current.id}; more than the {self.quarantine_drop:.0%} allowed",
            )
        return SnapshotStatus.ACCEPTED, None

    def _archive(
        self, connection: Connection, raw: RawFiles, hashes: dict[str, str], now: datetime
    ) -> None:
        """Raw bytes are stored once per sha256 and never rewritten."""
        known = set(
            connection.execute(
                select(raw_files.c.sha256).where(raw_files.c.sha256.in_(list(hashes.values())))
            ).scalars()
        )
        for name, data in raw.files.items():
            digest = hashes[name]
            if digest in known:
                continue
            connection.execute(
                insert(raw_files).values(
                    sha256=digest, size=len(data), content=data, first_seen_at=now
                )
            )
            known.add(digest)

    def _insert_items(
        self,
        connection: Connection,
        snapshot_id: int,
        items: list[ListEntry] | list[FederalRegisterDocument],
        recorded_at: datetime,
    ) -> None:
        rows: list[dict[str, Any]] = []
        table = entries
        for item in items:
            data = item.model_dump(mode="json", by_alias=True, exclude_defaults=True)
            if isinstance(item, ListEntry):
                rows.append(
                    {
                        "snapshot_id": snapshot_id,
                        "entity_id": item.entity_id,
                        "source": item.source,
                        "source_id": item.source_id,
                        "schema": item.schema_.value,
                        "name": item.name,
                        "lists": item.lists,
                        "data": data,
                        "valid_from": item.valid_from,
                        "valid_to": item.valid_to,
                        "recorded_at": recorded_at,
                    }
                )
            else:
                table = documents
                rows.append(
                    {
                        "snapshot_id": snapshot_id,
                        "document_number": item.document_number,
                        "publication_date": item.publication_date,
                        "effective_date": item.effective_date,
                        "title": item.title,
                        "data": data,
                    }
                )
            if len(rows) >= BATCH:
                connection.execute(insert(table), rows)
                rows = []
        if rows:
            connection.execute(insert(table), rows)


def _mark_superseded(connection: Connection) -> None:
    """Record when each accepted snapshot stopped being its source's current one."""
    current = _current(connection)
    for source, snapshot in current.items():
        connection.execute(
            update(snapshots)
            .where(
                and_(
                    snapshots.c.source == source,
                    snapshots.c.id != snapshot.id,
                    snapshots.c.status == SnapshotStatus.ACCEPTED.value,
                    snapshots.c.superseded_at.is_(None),
                )
            )
            .values(superseded_at=snapshot.loaded_at)
        )
        connection.execute(
            update(snapshots).where(snapshots.c.id == snapshot.id).values(superseded_at=None)
        )
