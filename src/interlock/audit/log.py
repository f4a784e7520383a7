"""The audit log: append-only and hash-chained. Each record carries the hash of its predecessor and
a hash of its own content, so an edited, deleted or reordered record breaks the chain where it is.
Records are kept at least five years (15 CFR 762.6); a legal hold blocks purging."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, Engine, delete, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from interlock.store.schema import audit_anchor, audit_log
from interlock.store.tenancy import current_org

GENESIS = "0" * 64
APPEND_ATTEMPTS = 20
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


def digest(value: object) -> str:
    """The SHA-256 of a value's canonical JSON: what input and result hashes are made of."""
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _record_hash(fields: dict[str, Any]) -> str:
    hashed = {k: fields[k] for k in (
        "recorded_at", "actor", "action", "subject", "input_hash", "result_hash",
        "data_version", "detail", "previous_hash", "retain_until",
    )}  # fmt: skip
    # the place in the organisation's chain is hashed under the name the single chain of
    # records written before organisations used (where it was the row's sequence number)
    hashed["seq"] = fields["org_seq"]
    hashed["recorded_at"] = _instant(hashed["recorded_at"])
    return digest(hashed)


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
        """One record, chained to the organisation's last, in one transaction (the table is
        locked on PostgreSQL so two writers cannot both chain to the same predecessor)."""
        content: dict[str, Any] = {
            "actor": actor,
            "action": action,
            "subject": subject[:500],
            "input_hash": digest(input_value),
            "result_hash": digest(result_value),
            "data_version": data_version,
            "detail": detail or {},
        }
        for _attempt in range(APPEND_ATTEMPTS):
            try:
                return self._chain(content)
            except IntegrityError:
                continue  # another process took the same sequence number first: chain again
        raise RuntimeError(f"audit log: could not append after {APPEND_ATTEMPTS} attempts")

    def _chain(self, content: dict[str, Any]) -> AuditRecord:
        now = datetime.now(UTC)
        org = current_org()
        with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("LOCK TABLE audit_log IN EXCLUSIVE MODE"))
            top = connection.execute(select(func.max(audit_log.c.seq))).scalar()
            last = connection.execute(
                select(audit_log.c.org_seq, audit_log.c.record_hash)
                .where(audit_log.c.org_id == org)
                .order_by(audit_log.c.org_seq.desc())
                .limit(1)
            ).first()
            if last is None:  # a new chain, or one whose records were all purged
                anchor = self._anchor(connection, org)
                last_seq, previous = (
                    (anchor["seq"], anchor["record_hash"]) if anchor else (0, GENESIS)
                )
            else:
                last_seq, previous = last.org_seq, last.record_hash
            fields: dict[str, Any] = {
                "seq": (top or 0) + 1,
                "org_seq": last_seq + 1,
                "recorded_at": now,
                **content,
                "previous_hash": previous,
                "retain_until": _years_after(now.date(), RETENTION_YEARS),
            }
            fields["record_hash"] = _record_hash(fields)
            connection.execute(insert(audit_log).values(**fields, org_id=org, legal_hold=False))
        return AuditRecord(**fields, legal_hold=False)

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
