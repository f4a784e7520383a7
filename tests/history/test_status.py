"""The IFS golden timeline (export-controls.md §8.1) and point-in-time answers through every shell."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from interlock.config import Settings
from interlock.core import Interlock
from interlock.history.curated import operator_event
from interlock.match.contract import ScreeningQuery
from tests.conftest import FIXTURES, api_client

CUT = FIXTURES / "csl" / "csl_2022-04_cut.csv"
IFS = "us_csl:EL:ministry of public security institute of forensic science of china|CN"
IFS_ENTITY = "us_csl:EL:aae680d264a18c38121789996cf8c9764c85559f"
IFS_NAME = "Ministry of Public Security's Institute of Forensic Science of China"
INFECTIOUS = "infectious disease"


@pytest.fixture
def app(settings: Settings) -> Interlock:
    interlock = Interlock(settings)
    interlock.load_files("csl_csv", [CUT], data_date=date(2022, 4, 28))
    return interlock


def test_ifs_golden_timeline(app: Interlock) -> None:
    before = app.status(IFS, date(2020, 6, 4))
    assert (before.listed, before.state.value) == (False, "not-yet-listed")

    added = app.status(IFS, date(2020, 6, 5))
    assert added.listed and added.entity_id == IFS_ENTITY
    [listing] = added.listings
    assert (listing.list_, listing.since) == ("EL", date(2020, 6, 5))
    assert [c.raw for c in listing.citations] == ["85 FR 34505"]
    assert listing.license_requirement == "For all items subject to the EAR."
    assert listing.license_policy and "presumption of denial" in listing.license_policy.lower()
    assert INFECTIOUS not in listing.license_policy

    modified = app.status(IFS, date(2020, 7, 22))
    [listing] = modified.listings
    assert [c.raw for c in listing.citations] == ["85 FR 34505", "85 FR 44159"]
    assert listing.license_policy and INFECTIOUS in listing.license_policy

    assert app.status(IFS, date(2021, 1, 1)).listed
    removed = app.status(IFS, date(2023, 11, 16))
    assert (removed.listed, removed.state.value) == (False, "delisted")
    removal = next(e for e in removed.events if e.action == "remove")
    assert (removal.document_number, removal.citation) == ("2023-25557", "88 FR 80131")
    assert (removal.effective_date, removal.recorded_at) == (date(2023, 11, 16), date(2023, 11, 17))
    assert (
        removal.reason
        and removal.context
        and removal.reason.source_url != removal.context.source_url
    )
    assert not app.status(IFS, date(2024, 1, 1)).listed

    known_then = app.status(IFS, date(2023, 11, 16), known_at=date(2023, 11, 16))
    assert known_then.listed, "the removal was published on the 17th"
    assert any("recorded after" in note for note in known_then.notes)
    assert app.status(IFS, date(2023, 11, 16), known_at=date(2023, 11, 17)).listed is False


def test_evidence_and_freshness(app: Interlock) -> None:
    answer = app.status(IFS, date(2024, 1, 1))
    snapshot = app.store.snapshots()[0]
    assert any(e.snapshot_sha256 == snapshot.sha256 for e in answer.evidence)
    assert any(e.source_url and "2023-25557" in e.source_url for e in answer.evidence)
    fresh = answer.freshness["us_csl"]
    assert fresh.data_date == date(2022, 4, 28) and not fresh.covers_as_of
    assert "as of 2022-04-28" in (fresh.note or "")
    assert app.status(IFS, date(2021, 1, 1)).freshness["us_csl"].covers_as_of


def test_screen_as_of_reports_the_delisting(app: Interlock) -> None:
    result = app.screen(ScreeningQuery(name=IFS_NAME, as_of=date(2024, 1, 1), limit=3))
    top = result.matches[0]
    assert (top.entity_id, top.match, top.status) == (IFS_ENTITY, True, "delisted")
    assert top.status_detail and top.status_detail["removal"]["document_number"] == "2023-25557"
    listed = app.screen(ScreeningQuery(name=IFS_NAME, as_of=date(2021, 1, 1), limit=1)).matches[0]
    assert listed.status == "listed"
    assert "us_csl" in result.freshness and not result.freshness["us_csl"]["covers_as_of"]


def _relist_ifs(app: Interlock, published: date) -> None:
    """An operator's record that the IFS was listed again, effective 2024-03-01."""
    app.add_event(
        operator_event(
            source="us_csl", list_code="EL", name=IFS_NAME, country="CN", action="add",
            effective_date=date(2024, 3, 1), published=published,
            source_url="https://example.invalid/rule", citation="89 FR 2 (test)",
        )
    )  # fmt: skip


def test_a_recorded_event_changes_the_status_screening_reports(app: Interlock) -> None:
    query = ScreeningQuery(name=IFS_NAME, as_of=date(2024, 6, 1), limit=1)
    assert app.screen(query).matches[0].status == "delisted"
    assert app.screen(query).matches[0].status == "delisted"  # asked again: the same answer
    _relist_ifs(app, published=date(2024, 3, 1))
    again = app.screen(query).matches[0]
    assert (again.entity_id, again.status) == (IFS_ENTITY, "listed")


def test_status_by_name_resolves_with_the_matcher(app: Interlock) -> None:
    answer = app.status_by_name(
        "Institute of Forensic Science of the Ministry of Public Security of China",
        date(2021, 1, 1),
    )
    assert answer.identity == IFS and answer.listed
    assert answer.notes[0].startswith("name resolved to")


def test_api_status_history_and_diff(app: Interlock) -> None:
    client = api_client(app)
    body = client.get("/v1/status", params={"entity": IFS_ENTITY, "as_of": "2020-06-05"}).json()
    assert body["listed"] is True and body["listings"][0]["list"] == "EL"
    assert body["listings"][0]["citations"][0]["raw"] == "85 FR 34505"
    body = client.get(
        "/v1/status", params={"name": IFS_NAME, "as_of": "2023-11-16", "known_at": "2023-11-16"}
    ).json()
    assert body["listed"] is True
    history = client.get(f"/v1/entities/{IFS_ENTITY}/history").json()
    assert [e["action"] for e in history["events"] if e["origin"] == "curated"][:3] == [
        "add",
        "modify",
        "remove",
    ]
    assert client.get("/v1/status", params={"entity": "nope"}).status_code == 404
    assert client.get("/v1/status").status_code == 422
    snapshot = app.store.snapshots()[0].id
    diff = client.get(
        "/v1/diff", params={"source": "us_csl", "from": snapshot, "to": snapshot}
    ).json()
    assert diff["changed"] == [] and diff["added"] == [] and diff["matched"] == 24
    regimes = client.get("/v1/regimes", params={"as_of": "2025-10-15"}).json()
    assert any(r["id"] == "us-bis-affiliates-rule" and r["restricted"] for r in regimes)


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "config.toml").touch()
    env = {
        "INTERLOCK_DATABASE_URL": f"sqlite:///{tmp_path / 'h.sqlite3'}",
        "INTERLOCK_CONFIG": str(tmp_path / "config.toml"),
        "PATH": "/usr/bin:/bin",
        "COLUMNS": "200",
    }
    return subprocess.run(
        [sys.executable, "-m", "interlock", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_cli_status_history_events_and_regimes(tmp_path: Path) -> None:
    assert (
        _cli(
            tmp_path, "lists", "load", "--format", "csl_csv", str(CUT), "--data-date", "2022-04-28"
        ).returncode
        == 0
    )
    done = _cli(
        tmp_path,
        "status",
        "--entity",
        IFS_ENTITY,
        "--as-of",
        "2023-11-16",
        "--known-at",
        "2023-11-16",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["listed"] is True
    table = _cli(tmp_path, "status", IFS_NAME, "--as-of", "2024-01-01")
    assert "DELISTED" in table.stdout and "2023-25557" in table.stdout
    timeline = _cli(tmp_path, "history", IFS_ENTITY)
    assert "85 FR 44159" in timeline.stdout and timeline.returncode == 0
    args = [
        "--source",
        "us_csl",
        "--list",
        "EL",
        "--name",
        "CloudWalk Technology",
        "--country",
        "CN",
    ]
    args += ["--action", "other", "--published", "2024-02-01", "--json"]
    args += ["--source-url", "https://example.org/cloudwalk-note"]
    added = _cli(tmp_path, "events", "add", *args)
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["added"] is True
    assert json.loads(_cli(tmp_path, "events", "add", *args).stdout)["added"] is False
    listed = json.loads(_cli(tmp_path, "events", "list", "--origin", "operator", "--json").stdout)
    assert len(listed) == 1 and listed[0]["origin"] == "operator"
    bad = _cli(
        tmp_path,
        "events",
        "add",
        "--source",
        "us_csl",
        "--list",
        "EL",
        "--name",
        "X",
        "--country",
        "CN",
        "--action",
        "remove",
        "--published",
        "2024-02-01",
        "--source-url",
        "not-a-url",
    )
    assert bad.returncode != 0 and "error:" in bad.stderr and "Traceback" not in bad.stderr
    regimes = json.loads(
        _cli(
            tmp_path, "regimes", "--as-of", "2025-12-01", "--known-at", "2025-12-01", "--json"
        ).stdout
    )
    affiliates = next(r for r in regimes if r["id"] == "us-bis-affiliates-rule")
    assert affiliates["state"] == "suspended" and not affiliates["restricted"]
    recorded = _cli(
        tmp_path,
        "regimes-record",
        "us-bis-affiliates-rule",
        "--status",
        "suspended",
        "--start",
        "2026-11-10",
        "--end",
        "2027-11-09",
        "--published",
        "2026-11-05",
        "--document-title",
        "Extension of the suspension",
        "--source-url",
        "https://example.org/extension",
    )
    assert recorded.returncode == 0, recorded.stderr
    later = json.loads(
        _cli(
            tmp_path, "regimes", "--as-of", "2026-12-01", "--known-at", "2026-12-01", "--json"
        ).stdout
    )
    assert next(r for r in later if r["id"] == "us-bis-affiliates-rule")["state"] == "suspended"


def test_a_party_first_seen_in_a_first_snapshot_is_not_called_not_yet_listed(
    app: Interlock,
) -> None:
    """The snapshot of 2022-04-28 is the source's first: its parties were listed on unknown
    earlier days, so before it their state is unknown, and screening on such a date still finds
    them (the IFS, whose listing date is known, is left out before it)."""
    query = ScreeningQuery(name="Bank of Kunlun Co Ltd", as_of=date(2021, 1, 1))  # no start date
    (found,) = [m for m in app.screen(query).matches if m.match][:1]
    assert found.status == "unknown"
    before_ifs = app.screen(ScreeningQuery(name=IFS_NAME, as_of=date(2020, 6, 4)))
    assert IFS_ENTITY not in [m.entity_id for m in before_ifs.matches]


def test_an_addition_seen_between_two_snapshots_bounds_the_unknown() -> None:
    from interlock.history.model import Action, ListEvent, Origin
    from interlock.history.status import State, point_in_time

    added = ListEvent(
        event_id="e1", identity="x", source="us_csl", action=Action.ADD, effective_date=None,
        effective_after=date(2022, 1, 1), recorded_at=date(2022, 4, 28), origin=Origin.SNAPSHOT,
    )  # fmt: skip
    on = {d: point_in_time("x", [added], d, date(2025, 1, 1)).state for d in (
        date(2021, 12, 31), date(2022, 1, 1), date(2022, 2, 1), date(2022, 4, 28))}  # fmt: skip
    assert on == {
        date(2021, 12, 31): State.NOT_YET_LISTED,  # absent from the earlier snapshot
        date(2022, 1, 1): State.NOT_YET_LISTED,
        date(2022, 2, 1): State.UNKNOWN,  # added on some day up to the later one
        date(2022, 4, 28): State.LISTED,
    }


def test_the_status_a_screening_reports_is_the_point_in_time_answer(app: Interlock) -> None:
    """match_status (what every screened match carries) gives point_in_time's state, listing start
    and last removal in effect, for every party of the cut on every date around the IFS's listing,
    delisting and a later re-listing, as known on several dates."""
    from interlock.history.status import State, match_status, point_in_time

    _relist_ifs(app, published=date(2024, 3, 2))
    identities = list(dict.fromkeys(app.matcher().identities))
    events = app.history.events_for(identities)
    dates = [date(2020, 6, 4), date(2020, 6, 5), date(2022, 4, 28), date(2023, 11, 16),
             date(2024, 1, 1), date(2024, 3, 1), date(2024, 3, 2), date(2025, 1, 1)]  # fmt: skip
    states = set()
    for identity in identities:
        for as_of in dates:
            for known_at in dates:
                full = point_in_time(identity, events[identity], as_of, known_at)
                status = match_status(events[identity], as_of, known_at)
                removals = [e for e in full.events if e.action == "remove" and e.in_effect]
                assert status.state == full.state
                assert status.since == (full.listings[0].since if full.listings else None)
                assert status.removal == (removals[-1] if removals else None)
                states.add((status.state, status.removal is not None))
    assert states >= {
        (State.LISTED, False), (State.LISTED, True), (State.DELISTED, True),
        (State.NOT_YET_LISTED, False), (State.UNKNOWN, False),
    }  # fmt: skip


def test_the_status_a_screening_reports_is_the_point_in_time_answer_on_any_history() -> None:
    """match_status against point_in_time on made-up histories of up to eight events over a few
    days (so that days tie): additions, changes, removals and other events, effective on a stated
    day, only bracketed or unknown, asked on dates before, among and after them, as known on
    others; two removals in effect and listings opened without a stated date among them."""
    import random
    from datetime import timedelta

    from interlock.history.model import Action, ListEvent, Origin
    from interlock.history.status import State, match_status, point_in_time

    rng = random.Random(20261207)
    start = date(2024, 1, 1)

    def day(low: int = 0, high: int = 10) -> date:
        return start + timedelta(days=rng.randrange(low, high))

    def event(number: int) -> ListEvent:
        recorded = day()
        stated = rng.random()
        effective = None if stated < 0.4 else recorded - timedelta(days=rng.randrange(4))
        return ListEvent(
            event_id=f"e{number}", identity="x", source="us_csl",
            action=rng.choice([Action.ADD, Action.ADD, Action.REMOVE, Action.REMOVE,
                               Action.MODIFY, Action.OTHER]),
            effective_date=effective,
            effective_after=recorded - timedelta(days=3) if effective is None and stated < 0.2
            else None,
            recorded_at=recorded, origin=rng.choice(list(Origin)),
            document_number=f"2024-{number:05d}" if rng.random() < 0.5 else None,
        )  # fmt: skip

    seen = set()
    for _ in range(1500):
        events = [event(n) for n in range(rng.randrange(9))]
        for _ in range(4):
            as_of, known_at = day(-2, 12), day(-2, 12)
            full = point_in_time("x", events, as_of, known_at)
            status = match_status(events, as_of, known_at)
            removals = [e for e in full.events if e.action == "remove" and e.in_effect]
            assert status.state == full.state
            assert status.since == (full.listings[0].since if full.listings else None)
            assert status.removal == (removals[-1] if removals else None)
            opened_undated = status.state == State.LISTED and status.since not in {
                e.effective_date for e in events
            }
            seen.add((status.state, len(removals) > 1, opened_undated))
    assert {(State.DELISTED, True, False), (State.LISTED, True, True)} <= seen
    assert {state for state, _, _ in seen} == set(State)
