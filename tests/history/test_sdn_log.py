"""The OFAC SDN version log as events: counts, replay equality with the real files, storage.

Rows are compared as raw cells, exactly as Python's csv module reads them from `sdn.csv` (OFAC's
'-0- ' null marker keeps its trailing space) and as the log's JSON arrays hold them; only `ent_num`
is stripped, as `ofac_csv.read_table` does. No other normalisation is applied on either side.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from interlock.config import Settings
from interlock.history.identity import identity_key
from interlock.history.model import Action, ListEvent, Origin
from interlock.history.sdn_log import (
    LogOp,
    ReplayError,
    import_log,
    log_events,
    read_log,
    replay,
    snapshot_time,
    versions,
)
from interlock.model import ListEntry
from interlock.sources.base import RawFiles, SourceError
from interlock.sources.ofac_csv import PRIMARY_COLUMNS, OfacSdnCsv, read_table
from interlock.store.db import make_engine, upgrade
from interlock.store.history import EventStore
from tests.conftest import shared_file

CUT = Path(__file__).resolve().parent / "fixtures"
LOG_CUT = CUT / "sdn_history_cut.csv"
LOG = "ofac/sdn_history_2021-08-18_to_2024-05-03.csv.gz"
FIRST_FILE = "ofac/sdn_2021-08-18__jackdwyer.csv.gz"
LAST_FILE = "ofac/sdn_2024-05-03__jackdwyer.csv.gz"
# Days of large real changes (README of the data folder) and the EO 14059 designations of 2023-04-14.
CHANGE_DAYS = [
    date(2021, 12, 16),
    date(2022, 3, 24),
    date(2022, 4, 29),
    date(2023, 4, 14),
    date(2023, 10, 3),
    date(2024, 2, 23),
]

Rows = dict[str, list[str]]


def _file_rows(data: bytes) -> Rows:
    """ent_num → the 12 raw cells of an `sdn.csv` file."""
    return {
        row["ent_num"]: [row[c] for c in PRIMARY_COLUMNS]
        for row in read_table(data, "sdn.csv", PRIMARY_COLUMNS)
    }


def _read(relative: str) -> bytes:
    return gzip.decompress(shared_file(relative).read_bytes())


def _independent_replay(log: list[dict[str, str]], until: datetime) -> Rows:
    """The log's rows applied as a plain dict, without the module under test: the reference."""
    state: Rows = {}
    for row in log:
        if datetime.fromisoformat(row["snapshot_time"]) > until:
            break
        if row["op"] == "DEL":
            del state[row["ent_num"]]
        else:
            state[row["ent_num"]] = json.loads(row["new_row"])
    return state


def _end_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 59, 59, 999999, tzinfo=UTC)


def _listed_entries(events: list[ListEvent], until: datetime) -> dict[str, ListEntry]:
    """identity → entry of the last event by `until`, for identities not removed by then."""
    last: dict[str, ListEvent] = {}
    for event in sorted(events, key=snapshot_time):
        if snapshot_time(event) <= until:
            last[event.identity] = event
    return {k: e.entry for k, e in last.items() if e.action != Action.REMOVE and e.entry}


def _store(settings: Settings) -> Iterator[EventStore]:
    engine = make_engine(settings.database_url)
    upgrade(engine)
    try:
        yield EventStore(engine)
    finally:
        engine.dispose()


@pytest.fixture
def store(settings: Settings) -> Iterator[EventStore]:
    yield from _store(settings)


# --- the fixture cut from the real log (always runs) -------------------------------------------


@pytest.fixture(scope="module")
def cut_events() -> list[ListEvent]:
    return list(log_events(LOG_CUT.read_bytes()))


def test_cut_replays_to_the_cut_first_and_last_files(cut_events: list[ListEvent]) -> None:
    first = _file_rows((CUT / "sdn_2021-08-18_cut.csv").read_bytes())
    last = _file_rows((CUT / "sdn_2024-05-03_cut.csv").read_bytes())
    first_commit, first_time = versions(cut_events)[0]
    assert first_commit == "f2dad1131427af12ee92e86ef28d3e73c1b91a54"
    assert replay(cut_events, first_time) == first
    assert replay(cut_events, date(2024, 5, 3)) == last
    assert "-0- " in next(iter(last.values()))  # raw cells, OFAC's null marker untrimmed


def test_cut_events_carry_the_log_rows(cut_events: list[ListEvent]) -> None:
    rows = list(read_log(LOG_CUT.read_bytes()))
    assert len(cut_events) == len(rows) == 19
    expected = {LogOp.BASE: Action.ADD, LogOp.ADD: Action.ADD, LogOp.MOD: Action.MODIFY}
    for row, event in zip(rows, cut_events, strict=True):
        assert event.identity == f"us_ofac_sdn:{row.ent_num}"
        assert (event.source, event.lists, event.origin) == (
            "us_ofac_sdn",
            ["SDN"],
            Origin.VERSION_LOG,
        )
        assert event.action == expected.get(row.op, Action.REMOVE)
        assert event.version == row.commit
        assert event.recorded_at == row.snapshot_time.astimezone(UTC).date()
        # effective: the commit's date in Washington, where OFAC publishes
        assert (
            event.effective_date
            == row.snapshot_time.astimezone(ZoneInfo("America/New_York")).date()
        )
        assert snapshot_time(event) == row.snapshot_time
        if row.op == LogOp.DEL:
            assert event.row == list(row.old_row or ()) and event.entry is None
        else:
            assert event.row == list(row.new_row or ())
            assert event.entry is not None and event.entry.name == event.name
        assert bool(event.changes) == (row.op == LogOp.MOD)
    assert len({e.event_id for e in cut_events}) == len(cut_events)
    assert [e.event_id for e in log_events(LOG_CUT.read_bytes())] == [
        e.event_id for e in cut_events
    ]


def test_a_modification_names_the_fields_it_changed(cut_events: list[ListEvent]) -> None:
    event = next(
        e for e in cut_events if e.identity == "us_ofac_sdn:20290" and e.action == Action.MODIFY
    )
    assert event.version == "35ab429dd234dd5598b7466208fff176db32e222"
    [change] = event.changes
    assert change.field == "programs"
    assert "PEESA" in change.before and "PEESA-EO" in change.after


def test_identity_and_entry_are_those_the_csv_parser_gives(cut_events: list[ListEvent]) -> None:
    raw = RawFiles({"sdn.csv": (CUT / "sdn_2024-05-03_cut.csv").read_bytes()})
    parsed = {identity_key(e): e for e in OfacSdnCsv().entries(raw)}
    listed = _listed_entries(cut_events, _end_of(date(2024, 5, 3)))
    assert len(parsed) == 8
    assert listed == parsed


def test_replay_to_a_version_time_gives_that_version_not_its_day(
    cut_events: list[ListEvent],
) -> None:
    # 2021-08-20 has two versions: 01:38:11 added three entries, 18:50:52 modified 20290.
    early = datetime(2021, 8, 20, 1, 38, 11, tzinfo=UTC)
    before = replay(cut_events, datetime(2021, 8, 20, 1, 38, 10, tzinfo=UTC))
    at_early = replay(cut_events, early)
    whole_day = replay(cut_events, date(2021, 8, 20))
    assert set(at_early) - set(before) == {"33020", "33021", "33051"}
    assert at_early["20290"][3] == "UKRAINE-EO13685] [PEESA"
    assert whole_day["20290"][3] == "UKRAINE-EO13685] [PEESA-EO"
    assert replay(cut_events, datetime(2021, 8, 20, 3, 38, 11, tzinfo=UTC)) == at_early


def test_versions_are_ordered_and_distinct(cut_events: list[ListEvent]) -> None:
    found = versions(cut_events)
    assert [t for _, t in found] == sorted({t for _, t in found})
    assert len(found) == len({e.version for e in cut_events})
    assert versions(reversed(cut_events)) == found


def test_replay_rejects_what_cannot_be_applied(cut_events: list[ListEvent]) -> None:
    without_base = [e for e in cut_events if not e.event_id.endswith(":16669:BASE")]
    with pytest.raises(ReplayError, match=r"version \w+ .*ent_num 16669: modified, but"):
        replay(without_base, date(2024, 5, 3))
    [wuhan] = [e for e in cut_events if e.identity == "us_ofac_sdn:41299"]
    twice = [*cut_events, wuhan.model_copy(update={"event_id": wuhan.event_id + "x"})]
    with pytest.raises(ReplayError, match="ent_num 41299: added, but the entry is already listed"):
        replay(twice, date(2024, 5, 3))
    [removal] = [
        e for e in cut_events if e.identity == "us_ofac_sdn:4234" and e.action == Action.REMOVE
    ]
    altered = [e for e in cut_events if e is not removal]
    altered.append(removal.model_copy(update={"row": [*(removal.row or [])[:11], "other"]}))
    with pytest.raises(ReplayError, match="ent_num 4234: the removed row differs"):
        replay(altered, date(2024, 5, 3))
    with pytest.raises(ReplayError, match="the log starts later"):
        replay(cut_events, date(2021, 8, 17))
    with pytest.raises(ValueError, match="UTC offset"):
        replay(cut_events, datetime(2022, 1, 1))
    foreign = cut_events[0].model_copy(
        update={"event_id": "snapshot:1:2", "origin": Origin.SNAPSHOT}
    )
    with pytest.raises(ReplayError, match="not from the OFAC SDN version log"):
        replay([foreign], date(2024, 5, 3))


def _with_line(number: int, edit: str) -> bytes:
    lines = LOG_CUT.read_bytes().split(b"\r\n")
    lines[number - 1] = edit.encode()
    return b"\r\n".join(lines)


def _line(number: int) -> str:
    return LOG_CUT.read_bytes().split(b"\r\n")[number - 1].decode()


def _fields(number: int) -> list[str]:
    return next(csv.reader([_line(number)]))


def _joined(fields: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(fields)
    return out.getvalue()


def _replace_field(number: int, index: int, value: str, *more: tuple[int, str]) -> str:
    fields = _fields(number)
    for position, text in ((index, value), *more):
        fields[position] = text
    return _joined(fields)


MALFORMED = [
    (1, "snapshot_commit,snapshot_time,op,ent_num", "header"),
    (3, _joined(_fields(3)[:8]), "8 fields, expected 9"),
    (3, _replace_field(3, 2, "UPSERT"), "op 'UPSERT' is not one of"),
    (3, _replace_field(3, 3, "12a"), "ent_num '12a' is not a number"),
    (3, _replace_field(3, 1, "2021-08-18 09:39"), "has no UTC offset"),
    (3, _replace_field(3, 1, "yesterday"), "is not an ISO 8601 time"),
    (3, _replace_field(3, 8, '["36", "x"'), "new_row is not JSON"),
    (3, _replace_field(3, 8, json.dumps(["36"] * 11)), "new_row has 11 cells, expected 12"),
    (3, _replace_field(3, 8, ""), "BASE needs no old_row and a new_row"),
    (3, _replace_field(3, 4, "SOMEONE ELSE"), "disagree with the row it carries"),
    (2, _replace_field(2, 8, _fields(2)[8].replace('"36"', '"37"', 1)), "filed under ent_num"),
    (7, _replace_field(7, 1, "2021-08-20T01:38:12+00:00"), "two times"),
    (7, _line(6), "lists ent_num 33020 twice"),
    (6, _replace_field(6, 2, "BASE"), "BASE row in version be397e1"),
]


@pytest.mark.parametrize(("number", "edit", "message"), MALFORMED)
def test_a_malformed_line_is_named(number: int, edit: str, message: str) -> None:
    with pytest.raises(SourceError, match=rf"OFAC SDN version log: line {number}: .*{message}"):
        list(log_events(_with_line(number, edit)))


def test_time_going_backwards_and_bad_bytes_are_named() -> None:
    last = len(LOG_CUT.read_bytes().split(b"\r\n")) - 1
    backwards = _replace_field(last, 0, "0" * 40, (1, "2020-01-01T00:00:00+00:00"))
    with pytest.raises(SourceError, match=rf"line {last}: .* comes after"):
        list(read_log(_with_line(last, backwards)))
    broken = LOG_CUT.read_bytes().replace(b"AEROCARIBBEAN", b"AERO\xffCARIBBEAN")
    with pytest.raises(SourceError, match="line 2: not UTF-8"):
        list(read_log(broken))
    with pytest.raises(SourceError, match="line 1: the log is empty"):
        list(read_log(b""))
    header_only = LOG_CUT.read_bytes().split(b"\r\n")[0] + b"\r\n"
    with pytest.raises(SourceError, match="line 2: no rows after the header"):
        list(read_log(header_only))


def test_the_gzipped_log_reads_like_the_plain_one(cut_events: list[ListEvent]) -> None:
    assert list(log_events(gzip.compress(LOG_CUT.read_bytes()))) == cut_events


def test_cut_import_round_trips_through_the_store(
    store: EventStore, cut_events: list[ListEvent]
) -> None:
    report = import_log(store, LOG_CUT.read_bytes())
    assert (report.events, report.stored_events, report.versions) == (19, 19, 11)
    again = import_log(store, LOG_CUT.read_bytes())
    assert again.stored_events == 19 and again.stored_bytes == report.stored_bytes
    stored = list(store.events("us_ofac_sdn", Origin.VERSION_LOG))
    assert stored == cut_events
    assert replay(stored, date(2024, 5, 3)) == replay(cut_events, date(2024, 5, 3))


# --- the real log and files (skip without ../shared/data) ---------------------------------------


@pytest.fixture(scope="module")
def log() -> bytes:
    return _read(LOG)


@pytest.fixture(scope="module")
def events(log: bytes) -> list[ListEvent]:
    return list(log_events(log))


@pytest.fixture(scope="module")
def log_rows(log: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(log.decode("utf-8"), newline="")))


def test_real_log_counts(log: bytes, events: list[ListEvent]) -> None:
    assert Counter(row.op for row in read_log(log)) == {
        LogOp.BASE: 9083,
        LogOp.ADD: 6809,
        LogOp.DEL: 927,
        LogOp.MOD: 1126,
    }
    assert len(events) == 17945
    assert Counter(e.action for e in events) == {
        Action.ADD: 9083 + 6809,
        Action.REMOVE: 927,
        Action.MODIFY: 1126,
    }
    found = versions(events)
    assert len(found) == 308
    assert found[0][0].startswith("f2dad11") and found[-1][0].startswith("a5ec3c5")


def test_replay_to_the_first_version_is_the_2021_file(events: list[ListEvent]) -> None:
    first = _file_rows(_read(FIRST_FILE))
    replayed = replay(events, versions(events)[0][1])
    assert len(replayed) == len(first) == 9083
    assert replayed == first


def test_replay_to_2024_05_03_is_the_2024_file(events: list[ListEvent]) -> None:
    last = _file_rows(_read(LAST_FILE))
    replayed = replay(events, date(2024, 5, 3))
    assert len(replayed) == len(last) == 14965
    assert replayed == last


def test_identities_and_entries_are_those_the_csv_parser_gives(events: list[ListEvent]) -> None:
    parsed = {
        identity_key(e): e for e in OfacSdnCsv().entries(RawFiles({"sdn.csv": _read(LAST_FILE)}))
    }
    assert _listed_entries(events, _end_of(date(2024, 5, 3))) == parsed


def test_wuhan_shuokang_is_listed_on_2023_04_14_and_not_before(events: list[ListEvent]) -> None:
    def wuhan(day: date) -> list[list[str]]:
        rows = replay(events, day).values()
        return [r for r in rows if r[1].startswith("WUHAN SHUOKANG BIOLOGICAL TECHNOLOGY")]

    assert wuhan(date(2023, 4, 13)) == []
    [row] = wuhan(date(2023, 4, 14))
    assert row[3] == "ILLICIT-DRUGS-EO14059"
    assert "91420100MA49RQRJ87" in row[11]  # its USCC


def test_same_day_versions_replay_apart(
    log_rows: list[dict[str, str]], events: list[ListEvent]
) -> None:
    found = versions(events)
    by_day = Counter(t.date() for _, t in found)
    busy = [d for d, n in by_day.items() if n > 1]
    assert len(busy) == 13
    for day in busy:
        times = [t for _, t in found if t.date() == day]
        assert replay(events, times[0]) == _independent_replay(log_rows, times[0])
        assert replay(events, times[0]) != replay(events, day)


def test_stored_log_replays_like_the_csv_on_change_days(
    store: EventStore, log: bytes, log_rows: list[dict[str, str]]
) -> None:
    report = import_log(store, log)
    assert (report.events, report.stored_events, report.versions) == (17945, 17945, 308)
    one_file = len(_read(LAST_FILE))
    # a version stores what changed in it: far below a copy of the list
    assert report.bytes_per_version < 0.05 * one_file
    assert report.bytes_per_later_version < 0.03 * one_file
    assert report.first_version_bytes < report.stored_bytes
    stored = list(store.events("us_ofac_sdn", Origin.VERSION_LOG))
    assert len(stored) == 17945
    for day in CHANGE_DAYS:
        replayed = replay(stored, day)
        assert replayed == _independent_replay(log_rows, _end_of(day)), day
        assert len(_listed_entries(stored, _end_of(day))) == len(replayed)
