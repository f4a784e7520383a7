"""The audit log: append-only and hash-chained. Each record carries the hash of its predecessor and
a hash of its own content, so an edited, deleted or reordered record breaks the chain where it is.
Records are kept at least five years (15 CFR 762.6); a legal hold blocks purging."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, Engine, delete, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from interlock.audit.canonical import canonical_json
from interlock.store.schema import audit_anchor, audit_log
from interlock.store.tenancy import current_org

GENESIS = "0" * 64
APPEND_ATTEMPTS = 20
BATCH_LIMIT = 500  # records one transaction appends at most
RETENTION_YEARS = 5  # 15 CFR 762.6: five years from the export, at least


class AuditRecord(BaseModel):
    seq: int
    org_seq: int  # the place in the organisation's own chain
    recorded_at: datetime
    actor: str
    action: str
    subject: str
    input_hash: str
    result_hash: str
    data_version: str
    detail: dict[str, Any]
    previous_hash: str
    record_hash: str
    retain_until: date
    legal_hold: bool


@dataclass(frozen=True, slots=True)
class Verification:
    ok: bool
    records: int
    first_bad: int | None  # the sequence number where the chain breaks
    problem: str


_RECORD_COLUMNS = [c for c in audit_log.c if c.name != "org_id"]


@dataclass(slots=True)
class _Pending:
    """A record waiting to be appended, and the caller waiting for it."""

    org: int
    content: dict[str, Any]
    wake: threading.Event = field(default_factory=threading.Event)
    leads: bool = False  # this caller writes the next batch
    record: AuditRecord | None = None
    error: Exception | None = None


def digest(value: object) -> str:
    """The SHA-256 of a value's canonical JSON: what input and result hashes are made of."""
    return hashlib.sha256(canonical_json(value)).hexdigest()


_LINKS = ("previous_hash", "seq")  # the hashed values only the chain knows


def _record_hash(fields: dict[str, Any]) -> str:
    head, middle, tail = _hash_pieces(fields)
    # the place in the organisation's chain is hashed as "seq", the name the single chain of
    # records written before organisations used (where it was the row's sequence number)
    linked = canonical_json(fields["previous_hash"]) + middle + canonical_json(fields["org_seq"])
    return hashlib.sha256(head + linked + tail).hexdigest()


def _hash_pieces(fields: dict[str, Any]) -> tuple[bytes, bytes, bytes]:
    """The canonical JSON a record's hash is made of, in three pieces around the predecessor's
    hash and the record's place, which only the chain knows: joined with those two written in
    between (as PostgreSQL's `interlock_audit_append` joins them), the bytes are those of
    `canonical_json` of the whole object."""
    hashed = {k: fields[k] for k in (
        "recorded_at", "actor", "action", "subject", "input_hash", "result_hash",
        "data_version", "detail", "retain_until",
    )}  # fmt: skip
    hashed["recorded_at"] = _instant(hashed["recorded_at"])
    pieces: list[bytes] = []
    piece = b"{"
    for index, key in enumerate(sorted([*hashed, *_LINKS])):
        piece += (b"," if index else b"") + canonical_json(key) + b":"
        if key in _LINKS:
            pieces.append(piece)
            piece = b""
        else:
            piece += canonical_json(hashed[key])
    head, middle = pieces
    return head, middle, piece + b"}"


def _instant(value: datetime) -> str:
    """One spelling of an instant whatever the database hands back (naive UTC on SQLite)."""
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class AuditLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._queue: list[_Pending] = []
        self._lock = threading.Lock()
        self._writing = False
        # SQLite: each organisation's last (place, hash) as this process's last batch left them,
        # and the log's last sequence number then: while no one else has written since, they
        # are known
        self._heads: dict[int, tuple[int, str]] = {}
        self._heads_at = -1

    def append(
        self,
        actor: str,
        action: str,
        subject: str,
        input_value: object,
        result_value: object,
        data_version: str,
        detail: dict[str, Any] | None = None,
    ) -> AuditRecord:
        """One record, chained to the organisation's last and committed before this returns.

        Concurrent appends in one process are committed together (group commit): the first
        caller writes every record waiting at that moment in one transaction, then hands the
        writing on to the first caller still waiting. The table is locked on PostgreSQL for the
        transaction, so two processes never chain to the same predecessor."""
        content: dict[str, Any] = {
            "actor": actor,
            "action": action,
            "subject": subject[:500],
            "input_hash": digest(input_value),
            "result_hash": digest(result_value),
            "data_version": data_version,
            "detail": detail or {},
        }
        pending = _Pending(current_org(), content)
        with self._lock:
            self._queue.append(pending)
            if not self._writing:
                self._writing = pending.leads = True
        while pending.record is None and pending.error is None:
            if pending.leads:
                pending.leads = False
                self._write_batch()
            else:
                pending.wake.wait()
                pending.wake.clear()
        if pending.error is not None:
            raise pending.error
        assert pending.record is not None  # the loop above ends with one or the other
        return pending.record

    def _write_batch(self) -> None:
        with self._lock:
            batch, self._queue = self._queue[:BATCH_LIMIT], self._queue[BATCH_LIMIT:]
        try:
            records = self._chain_with_retries(batch)
            for pending, record in zip(batch, records, strict=True):
                pending.record = record
        except Exception as exc:  # every waiting caller hears of the failure, none waits forever
            for pending in batch:
                pending.error = exc
        finally:
            with self._lock:
                if self._queue:
                    self._queue[0].leads = True
                    self._queue[0].wake.set()
                else:
                    self._writing = False
            for pending in batch:
                pending.wake.set()

    def _chain_with_retries(self, batch: list[_Pending]) -> list[AuditRecord]:
        for _attempt in range(APPEND_ATTEMPTS):
            try:
                return self._chain(batch)
            except IntegrityError:
                continue  # another process took the same sequence numbers first: chain again
        raise RuntimeError(f"audit log: could not append after {APPEND_ATTEMPTS} attempts")

    def _chain(self, batch: list[_Pending]) -> list[AuditRecord]:
        now = datetime.now(UTC)
        stamps = {"recorded_at": now, "retain_until": _years_after(now.date(), RETENTION_YEARS)}
        if self.engine.dialect.name == "postgresql":
            return self._chain_in_database(batch, stamps)
        records, rows = [], []
        with self.engine.begin() as connection:
            seq = connection.execute(select(func.max(audit_log.c.seq))).scalar() or 0
            # organisation → its last (place, hash)
            chains = dict(self._heads) if seq == self._heads_at else {}
            for pending in batch:
                org = pending.org
                if org not in chains:
                    chains[org] = self._last(connection, org)
                last_seq, previous = chains[org]
                seq += 1
                fields: dict[str, Any] = {
                    "seq": seq,
                    "org_seq": last_seq + 1,
                    **stamps,
                    **pending.content,
                    "previous_hash": previous,
                }
                fields["record_hash"] = _record_hash(fields)
                chains[org] = (last_seq + 1, fields["record_hash"])
                rows.append({**fields, "org_id": org, "legal_hold": False})
                records.append(AuditRecord(**fields, legal_hold=False))
            connection.execute(insert(audit_log), rows)
        self._heads, self._heads_at = chains, seq  # committed: the next batch may start from them
        return records

    def _chain_in_database(
        self, batch: list[_Pending], stamps: dict[str, Any]
    ) -> list[AuditRecord]:
        """The batch linked and committed by `interlock_audit_append` (migration 0010) in one
        statement, its own transaction: the table lock, which keeps server processes from
        chaining to one predecessor, is held for no round trip."""
        rows = []
        for pending in batch:
            head, middle, tail = _hash_pieces({**pending.content, **stamps})
            rows.append(
                {**pending.content, "org_id": pending.org,
                 "head": head.decode(), "middle": middle.decode(), "tail": tail.decode()}
            )  # fmt: skip
        statement = text(
            "SELECT * FROM interlock_audit_append(CAST(:rows AS json), :recorded_at, :retain_until)"
        )
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            linked = connection.execute(
                statement, {"rows": canonical_json(rows).decode(), **stamps}
            ).all()
        return [
            AuditRecord(
                seq=row.new_seq,
                org_seq=row.new_org_seq,
                **stamps,
                **pending.content,
                previous_hash=row.new_previous_hash,
                record_hash=row.new_record_hash,
                legal_hold=False,
            )
            for pending, row in zip(batch, linked, strict=True)
        ]

    def _last(self, connection: Connection, org: int) -> tuple[int, str]:
        """The organisation's last record (its place and hash), or where its chain starts."""
        last = connection.execute(
            select(audit_log.c.org_seq, audit_log.c.record_hash)
            .where(audit_log.c.org_id == org)
            .order_by(audit_log.c.org_seq.desc())
            .limit(1)
        ).first()
        if last is not None:
            return int(last.org_seq), str(last.record_hash)
        anchor = self._anchor(connection, org)  # a new chain, or one whose records were purged
        return (anchor["seq"], anchor["record_hash"]) if anchor else (0, GENESIS)

    @staticmethod
    def _anchor(connection: Connection, org: int) -> dict[str, Any] | None:
        row = connection.execute(
            select(audit_anchor.c.data).where(audit_anchor.c.id == org)
        ).first()
        return None if row is None else dict(row.data)

    def records(
        self, limit: int | None = None, action: str | None = None, before: int | None = None
    ) -> list[AuditRecord]:
        """The organisation's records, newest first; `before`: only records older than that
        sequence number (a cursor)."""
        query = (
            select(*_RECORD_COLUMNS)
            .where(audit_log.c.org_id == current_org())
            .order_by(audit_log.c.seq.desc())
        )
        if before is not None:
            query = query.where(audit_log.c.seq < before)
        if action:
            query = query.where(audit_log.c.action == action)
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as connection:
            return [AuditRecord.model_validate(row._asdict()) for row in connection.execute(query)]

    def purge(self, today: date) -> int:
        """Remove the oldest records past their retention, up to the first one that is held or
        still retained, so the chain stays whole; the last removed record's hash is kept as the
        anchor the remaining chain is verified from."""
        org = current_org()
        with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("LOCK TABLE audit_log IN EXCLUSIVE MODE"))
            removable = []
            ordered = (
                select(audit_log).where(audit_log.c.org_id == org).order_by(audit_log.c.org_seq)
            )
            for row in connection.execute(ordered):
                if row.legal_hold or row.retain_until >= today:
                    break
                removable.append(row)
            if not removable:
                return 0
            last = removable[-1]
            connection.execute(
                delete(audit_log).where(
                    audit_log.c.org_id == org, audit_log.c.org_seq <= last.org_seq
                )
            )
            anchor = {"seq": last.org_seq, "record_hash": last.record_hash}
            connection.execute(delete(audit_anchor).where(audit_anchor.c.id == org))
            connection.execute(insert(audit_anchor).values(id=org, data=anchor))
        return len(removable)

    def verify(self) -> Verification:
        """Walk the organisation's chain in order; the first record that does not hold says where
        (by its place in the organisation's chain)."""
        org = current_org()
        previous, expected_seq, count = GENESIS, 1, 0
        with self.engine.connect() as connection:
            anchor = self._anchor(connection, org)
            if anchor is not None:  # records before it were purged after their retention
                previous, expected_seq = anchor["record_hash"], anchor["seq"] + 1
            rows = connection.execute(
                select(audit_log).where(audit_log.c.org_id == org).order_by(audit_log.c.org_seq)
            )
            for row in rows:
                fields = row._asdict()
                place = fields["org_seq"]
                count += 1
                if place != expected_seq:
                    return Verification(
                        False, count, expected_seq,
                        f"record {expected_seq} is missing (the next is {place})",
                    )  # fmt: skip
                if _record_hash(fields) != fields["record_hash"]:
                    return Verification(
                        False, count, place, f"record {place} was changed after it was written"
                    )  # fmt: skip
                if fields["previous_hash"] != previous:
                    return Verification(
                        False, count, place,
                        f"record {place} does not follow its predecessor "
                        "(removed, inserted or reordered records)",
                    )  # fmt: skip
                previous, expected_seq = fields["record_hash"], place + 1
        return Verification(True, count, None, f"{count} records, chain intact")

    def hold(self, seq: int, held: bool = True) -> None:
        """Set or lift a legal hold (15 CFR 762.6(b)): a held record is never purged. The hold is
        not part of the hashed content, so setting it does not break the chain."""
        with self.engine.begin() as connection:
            changed = connection.execute(
                update(audit_log)
                .where(audit_log.c.seq == seq, audit_log.c.org_id == current_org())
                .values(legal_hold=held)
            ).rowcount
        if not changed:
            raise LookupError(f"no audit record {seq}")

    def count(self) -> int:
        with self.engine.connect() as connection:
            return int(
                connection.execute(
                    select(func.count()).where(audit_log.c.org_id == current_org())
                ).scalar_one()
            )
