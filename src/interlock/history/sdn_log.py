"""The OFAC SDN version log (a git-scraper's history of `sdn.csv`) as list events, and its replay.

The log has one row per entry that changed in a version: BASE rows hold the first version whole,
then ADD / DEL / MOD rows carry the 12-column `sdn.csv` row before and after, as JSON arrays, with
the raw cells exactly as OFAC wrote them (the '-0- ' null marker keeps its trailing space). An event
keeps only its changed row, so a version costs what changed in it, not a copy of the list.

Versions are instants: the scraper committed up to three times on some days, so a replay `until` a
version's timestamp gives exactly that version, and a date means the end of that day, UTC.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from interlock.history.diff import entry_changes
from interlock.history.model import Action, ListEvent, Origin
from interlock.model import ListEntry
from interlock.sources.base import SourceError
from interlock.sources.ofac_csv import PRIMARY_COLUMNS, OfacRecord, OfacSdnCsv, map_record

if TYPE_CHECKING:
    from interlock.store.history import EventStore

SOURCE = OfacSdnCsv.spec.code
LIST_CODE = "SDN"
LOG_NAME = "OFAC SDN version log"
LOG_COLUMNS = (
    "snapshot_commit", "snapshot_time", "op", "ent_num", "sdn_name", "sdn_type", "program",
    "old_row", "new_row",
)  # fmt: skip
SCRAPER_REPOSITORY = "https://github.com/jackdwyer/specially-designated-nationals-list"
EVENT_ID_PREFIX = "sdnlog"
WASHINGTON = ZoneInfo("America/New_York")


class LogOp(StrEnum):
    BASE = "BASE"  # the entry as it stood in the first version of the log
    ADD = "ADD"
    DEL = "DEL"
    MOD = "MOD"


ACTIONS = {
    LogOp.BASE: Action.ADD,
    LogOp.ADD: Action.ADD,
    LogOp.MOD: Action.MODIFY,
    LogOp.DEL: Action.REMOVE,
}


class ReplayError(ValueError):
    """Events that cannot be applied in order (a change to an entry the replay does not hold …)."""


@dataclass(frozen=True)
class LogRow:
    """One row of the log: which entry changed in which version, with its row before and after."""

    line: int
    commit: str
    snapshot_time: datetime  # UTC
    op: LogOp
    ent_num: str
    old_row: tuple[str, ...] | None  # None for BASE and ADD
    new_row: tuple[str, ...] | None  # None for DEL

    @property
    def row(self) -> tuple[str, ...]:
        """The row the event carries: the new one, or for a removal the row that was removed."""
        row = self.new_row if self.new_row is not None else self.old_row
        assert row is not None  # read_log guarantees one of them
        return row


@dataclass(frozen=True)
class ImportReport:
    events: int
    versions: int
    stored_events: int
    stored_bytes: int  # the events' JSON as the store holds it
    bytes_per_version: float
    first_version_bytes: int  # the BASE version: the whole list once
    bytes_per_later_version: float  # the versions after it: only what changed


def _fail(line: int, message: str) -> SourceError:
    return SourceError(f"{LOG_NAME}: line {line}: {message}")


def _decode(data: bytes) -> str:
    if data[:2] == b"\x1f\x8b":  # the log is distributed gzipped
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise SourceError(f"{LOG_NAME}: not a readable gzip file ({exc})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _fail(line, f"not UTF-8 (byte {exc.start})") from None


def _time(value: str, line: int) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _fail(line, f"snapshot_time {value!r} is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise _fail(line, f"snapshot_time {value!r} has no UTC offset")
    return parsed.astimezone(UTC)


def _sdn_row(value: str, column: str, line: int) -> tuple[str, ...] | None:
    if not value:
        return None
    try:
        cells = json.loads(value)
    except json.JSONDecodeError as exc:
        raise _fail(line, f"{column} is not JSON ({exc.msg})") from None
    if not isinstance(cells, list) or not all(isinstance(c, str) for c in cells):
        raise _fail(line, f"{column} is not a JSON array of strings")
    if len(cells) != len(PRIMARY_COLUMNS):
        raise _fail(line, f"{column} has {len(cells)} cells, expected {len(PRIMARY_COLUMNS)}")
    return tuple(cells)


def _log_row(values: list[str], line: int) -> LogRow:
    if len(values) != len(LOG_COLUMNS):
        raise _fail(line, f"{len(values)} fields, expected {len(LOG_COLUMNS)}")
    cell = dict(zip(LOG_COLUMNS, values, strict=True))
    commit, ent_num = cell["snapshot_commit"], cell["ent_num"]
    if not commit:
        raise _fail(line, "snapshot_commit is empty")
    if not ent_num.isdigit():
        raise _fail(line, f"ent_num {ent_num!r} is not a number")
    try:
        op = LogOp(cell["op"])
    except ValueError:
        raise _fail(
            line, f"op {cell['op']!r} is not one of {', '.join(o.value for o in LogOp)}"
        ) from None
    old = _sdn_row(cell["old_row"], "old_row", line)
    new = _sdn_row(cell["new_row"], "new_row", line)
    wanted = {
        LogOp.BASE: (False, True),
        LogOp.ADD: (False, True),
        LogOp.MOD: (True, True),
        LogOp.DEL: (True, False),
    }[op]
    if (old is not None, new is not None) != wanted:
        raise _fail(
            line,
            f"{op.value} needs {'an' if wanted[0] else 'no'} old_row and "
            f"{'a' if wanted[1] else 'no'} new_row",
        )
    row = LogRow(line, commit, _time(cell["snapshot_time"], line), op, ent_num, old, new)
    for side in (r for r in (old, new) if r is not None):
        if side[0].strip() != ent_num:
            raise _fail(line, f"a row of ent_num {side[0]!r} is filed under ent_num {ent_num}")
    # The name, type and program columns repeat the carried row; a disagreement means a broken log.
    shown = (cell["sdn_name"], cell["sdn_type"], cell["program"])
    if shown != (row.row[1], row.row[2].strip(), row.row[3]):
        raise _fail(line, f"sdn_name/sdn_type/program {shown!r} disagree with the row it carries")
    return row


def read_log(data: bytes) -> Iterator[LogRow]:
    """The rows of the log (plain or gzipped bytes), checked; a malformed row raises SourceError.

    A version must keep one time, list an entry once, and come no earlier than the one before it;
    BASE rows belong to the first version only.
    """
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise _fail(1, "the log is empty") from None
    except csv.Error as exc:
        raise _fail(1, str(exc)) from None
    if tuple(header) != LOG_COLUMNS:
        raise _fail(1, f"header {header!r} is not {list(LOG_COLUMNS)!r}")
    times: dict[str, datetime] = {}
    seen: set[tuple[str, str]] = set()
    first_commit: str | None = None
    latest: datetime | None = None
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            if latest is None:  # importing it would replace a stored history with nothing
                raise _fail(line, "no rows after the header") from None
            return
        except csv.Error as exc:
            raise _fail(line, str(exc)) from None
        if not values:
            continue
        row = _log_row(values, line)
        known = times.setdefault(row.commit, row.snapshot_time)
        if known != row.snapshot_time:
            raise _fail(
                line, f"version {row.commit} has two times: {known} and {row.snapshot_time}"
            )
        if latest is not None and row.snapshot_time < latest:
            raise _fail(line, f"version {row.commit} at {row.snapshot_time} comes after {latest}")
        latest = row.snapshot_time
        first_commit = first_commit or row.commit
        if row.op == LogOp.BASE and row.commit != first_commit:
            raise _fail(line, f"BASE row in version {row.commit}, not the first version")
        if (row.commit, row.ent_num) in seen:
            raise _fail(line, f"version {row.commit} lists ent_num {row.ent_num} twice")
        seen.add((row.commit, row.ent_num))
        yield row


def map_row(row: tuple[str, ...]) -> ListEntry:
    """A 12-column `sdn.csv` row as the entry the OFAC CSV parser makes of it (primary row only)."""
    cells = dict(zip(PRIMARY_COLUMNS, row, strict=True))
    cells["ent_num"] = cells["ent_num"].strip()  # as ofac_csv.read_table does
    return map_record(OfacRecord(row=cells), SOURCE, OfacSdnCsv.fixed_list)


def event_id(commit: str, ent_num: str, op: LogOp) -> str:
    return f"{EVENT_ID_PREFIX}:{commit}:{ent_num}:{op.value}"


def snapshot_time(event: ListEvent) -> datetime:
    """The time of the version an event of this log comes from (several fall on one day)."""
    if event.origin != Origin.VERSION_LOG or event.recorded_time is None:
        raise ReplayError(f"event {event.event_id!r} is not from the {LOG_NAME}")
    return event.recorded_time


def log_events(data: bytes) -> Iterator[ListEvent]:
    """One event per log row, in log order."""
    for row in read_log(data):
        entry = map_row(row.row)
        # recorded: the scraper's commit time, when the change became knowable. effective: OFAC
        # actions take effect on publication, and the scraper ran at about 12:50, 18:45 and 01:45
        # UTC; a version committed in the small hours UTC holds what Washington published the
        # evening before, so the effective date is the commit's date in Washington.
        yield ListEvent(
            event_id=event_id(row.commit, row.ent_num, row.op),
            identity=f"{SOURCE}:{row.ent_num}",
            source=SOURCE,
            lists=[LIST_CODE],
            action=ACTIONS[row.op],
            effective_date=row.snapshot_time.astimezone(WASHINGTON).date(),
            recorded_at=row.snapshot_time.astimezone(UTC).date(),
            recorded_time=row.snapshot_time,
            origin=Origin.VERSION_LOG,
            name=entry.name,
            changes=(
                entry_changes(map_row(row.old_row), entry)
                if row.op == LogOp.MOD and row.old_row is not None
                else []
            ),
            entry=None if row.op == LogOp.DEL else entry,  # the entry after the event
            row=list(row.row),
            source_url=f"{SCRAPER_REPOSITORY}/commit/{row.commit}",
            version=row.commit,
        )


def _cutoff(until: datetime | date) -> datetime:
    if isinstance(until, datetime):
        if until.tzinfo is None:
            raise ValueError(f"replay until {until.isoformat()}: give a time with its UTC offset")
        return until.astimezone(UTC)
    return datetime.combine(until, time.max, UTC)


def _in_order(events: Iterable[ListEvent]) -> list[tuple[datetime, ListEvent]]:
    """Events by version time; within a version in the order given (an entry appears once in it)."""
    timed = [(snapshot_time(e), e) for e in events]
    timed.sort(key=lambda pair: pair[0])
    return timed


def replay(events: Iterable[ListEvent], until: datetime | date) -> dict[str, list[str]]:
    """ent_num → the 12-column `sdn.csv` row as it stood at `until` (a date: the end of that day UTC).

    Raises ReplayError for an order that cannot be applied, and for a time before the log's first
    version, where the log does not know the list.
    """
    cutoff = _cutoff(until)
    ordered = _in_order(events)
    if not ordered or ordered[0][0] > cutoff:
        start = ordered[0][0].isoformat() if ordered else "no events"
        raise ReplayError(f"replay until {cutoff.isoformat()}: the log starts later ({start})")
    state: dict[str, list[str]] = {}
    for moment, event in ordered:
        if moment > cutoff:
            break
        ent_num = event.identity.removeprefix(f"{SOURCE}:")
        where = f"version {event.version} ({moment.isoformat()}), ent_num {ent_num}"
        if event.row is None:
            raise ReplayError(f"{where}: the event carries no row")
        if event.action == Action.ADD:
            if ent_num in state:
                raise ReplayError(f"{where}: added, but the entry is already listed")
            state[ent_num] = list(event.row)
        elif event.action == Action.MODIFY:
            if ent_num not in state:
                raise ReplayError(f"{where}: modified, but the entry is not listed")
            state[ent_num] = list(event.row)
        elif event.action == Action.REMOVE:
            if ent_num not in state:
                raise ReplayError(f"{where}: removed, but the entry is not listed")
            if state[ent_num] != event.row:
                raise ReplayError(f"{where}: the removed row differs from the row listed")
            del state[ent_num]
        else:
            raise ReplayError(f"{where}: action {event.action.value!r} cannot be replayed")
    return state


def versions(events: Iterable[ListEvent]) -> list[tuple[str, datetime]]:
    """(commit, time) of every version the events come from, oldest first."""
    found: dict[str, datetime] = {}
    for moment, event in _in_order(events):
        if event.version is None:
            raise ReplayError(f"event {event.event_id!r} names no version")
        found.setdefault(event.version, moment)
    return sorted(found.items(), key=lambda item: (item[1], item[0]))


def import_log(store: EventStore, data: bytes) -> ImportReport:
    """Replace the stored version-log history of the SDN list with the log's events (one transaction)."""
    events = list(log_events(data))
    written = store.replace(SOURCE, Origin.VERSION_LOG, events)
    stored_events, stored_bytes = store.stored_bytes(SOURCE, Origin.VERSION_LOG)
    first = events[0].version  # read_log refuses a log without rows
    _first_events, first_bytes = store.stored_bytes(SOURCE, Origin.VERSION_LOG, first)
    count = len({e.version for e in events})
    return ImportReport(
        events=written,
        versions=count,
        stored_events=stored_events,
        stored_bytes=stored_bytes,
        bytes_per_version=stored_bytes / count,
        first_version_bytes=first_bytes,
        bytes_per_later_version=(stored_bytes - first_bytes) / (count - 1) if count > 1 else 0.0,
    )
