"""Curated list events (data/events.yaml) and operator-recorded events, against the real CSL rows."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest

from interlock.history.curated import (
    load_curated_events,
    operator_event,
    parse_curated_events,
)
from interlock.history.datafile import HistoryDataError
from interlock.history.identity import assign_identities, identity_key
from interlock.history.model import Action, FieldChange, ListEvent, Origin
from interlock.model import ListEntry
from interlock.sources.base import parse_snapshot
from interlock.sources.csl import CslCsv
from tests.conftest import FIXTURES, raw_from, shared_file

IFS_ID = "EL:aae680d264a18c38121789996cf8c9764c85559f"
INFECTIOUS_CLAUSE = (
    "case-by-case review for items necessary to detect, identify and treat infectious disease; "
)


def _ifs_row(path: object) -> ListEntry:
    parsed = parse_snapshot(CslCsv(), raw_from({"consolidated.csv": path}))
    return next(e for e in parsed.entries if e.source_id == IFS_ID)


@pytest.fixture(scope="module")
def ifs_cut_row() -> ListEntry:
    return _ifs_row(FIXTURES / "csl" / "csl_2022-04_cut.csv")


@pytest.fixture(scope="module")
def events() -> dict[str, ListEvent]:
    return {e.event_id: e for e in load_curated_events()}


def _file_text() -> str:
    return resources.files("interlock.data").joinpath("events.yaml").read_text("utf-8")


def _ifs(events: dict[str, ListEvent], action: Action) -> ListEvent:
    (event,) = [
        e for e in events.values() if e.action == action and e.name and "Forensic" in e.name
    ]
    return event


def test_ifs_identity_is_the_identity_of_the_real_csl_row(
    events: dict[str, ListEvent], ifs_cut_row: ListEntry
) -> None:
    identities = {e.identity for e in events.values()}
    assert identities == {identity_key(ifs_cut_row)}


def test_ifs_identity_survives_collision_resolution_in_the_full_2022_file() -> None:
    parsed = parse_snapshot(
        CslCsv(),
        raw_from({"consolidated.csv": shared_file("csl/csl_2022-04_full__watchman.csv.gz")}),
    )
    snapshot = assign_identities(parsed.entries)
    (identity,) = {e.identity for e in load_curated_events()}
    assert snapshot[identity].source_id == IFS_ID


def test_ifs_timeline_dates_citations_and_origin(events: dict[str, ListEvent]) -> None:
    added, modified, removed = (_ifs(events, a) for a in (Action.ADD, Action.MODIFY, Action.REMOVE))
    assert (added.effective_date, added.recorded_at) == (date(2020, 6, 5), date(2020, 6, 5))
    assert added.citation is not None and (added.citation.volume, added.citation.page) == (
        85,
        34505,
    )
    assert added.document_number is None
    assert (modified.effective_date, modified.document_number) == (date(2020, 7, 22), "2020-15827")
    assert modified.citation is not None and modified.citation.raw == "85 FR 44159"
    assert (removed.effective_date, removed.recorded_at) == (date(2023, 11, 16), date(2023, 11, 17))
    assert removed.document_number == "2023-25557"
    assert removed.citation is not None and (removed.citation.volume, removed.citation.page) == (
        88,
        80131,
    )
    assert removed.title == "Entity List Removal"
    for event in (added, modified, removed):
        assert event.origin == Origin.CURATED
        assert event.event_id.startswith("curated:")
        assert event.source_url and event.source_url.startswith("http")
        assert event.agency == "Industry and Security Bureau"
        assert event.lists == ["EL"] and event.source == "us_csl"


def test_unverified_adding_rule_numbers_are_noted(events: dict[str, ListEvent]) -> None:
    added = _ifs(events, Action.ADD)
    note = " ".join(added.notes)
    assert "85 FR 34495" in note and "85 FR 34503" in note and "[U]" in note
    assert added.reason is not None and added.reason.verified is False


def test_modification_after_text_is_the_real_row_and_before_is_the_reconstruction(
    events: dict[str, ListEvent], ifs_cut_row: ListEntry
) -> None:
    modified = _ifs(events, Action.MODIFY)
    changes = {c.field: c for c in modified.changes}
    assert set(changes) == {"license_policy", "citations"}
    policy = changes["license_policy"]
    assert policy.after == ifs_cut_row.license_policy
    assert INFECTIOUS_CLAUSE in policy.after
    assert policy.before == policy.after.replace(INFECTIOUS_CLAUSE, "")
    assert changes["citations"].before == ["85 FR 34505"]
    assert changes["citations"].after == [c.raw for c in ifs_cut_row.citations]
    assert any("reconstructed" in note for note in modified.notes)


def test_removal_keeps_official_reason_context_and_naming_trap_apart(
    events: dict[str, ListEvent],
) -> None:
    removed = _ifs(events, Action.REMOVE)
    assert removed.reason is not None and removed.context is not None
    assert "removal proposal and review" in removed.reason.text
    assert "End-User Review Committee" in removed.reason.text
    assert "fentanyl" not in removed.reason.text.lower()
    assert "counternarcotics" in removed.context.text and "2023-11-15" in removed.context.text
    assert removed.reason.source_url != removed.context.source_url
    assert "exportcompliancedaily.com" in removed.context.source_url
    (relation,) = removed.relations
    assert relation.name == "China's National Narcotics Laboratory"
    assert relation.kind.startswith("asserted")
    assert "chinadaily" in relation.statement.source_url
    assert relation.name not in removed.reason.text + removed.context.text


def test_other_events_do_not_claim_an_effect(events: dict[str, ListEvent]) -> None:
    others = [e for e in events.values() if e.action == Action.OTHER]
    assert others and all(e.effective_date is None and e.citation is None for e in others)
    assert all("not law" in (e.title or "") or "letter" in (e.title or "") for e in others)


def test_event_ids_are_deterministic_and_copies_are_independent() -> None:
    first, second = load_curated_events(), load_curated_events()
    assert [e.event_id for e in first] == [e.event_id for e in second]
    first[0].notes.append("changed")
    assert "changed" not in load_curated_events()[0].notes


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    source_url: https://www.bis.doc.gov/index.php/regulations/federal-register-notices\n",
            "",
            "event ifs-2020-06-05-added: field source_url: Field required",
        ),
        (
            'effective_date: "2020-07-22"',
            'effective_date: "2020-07-32"',
            "event ifs-2020-07-22-modified: field effective_date",
        ),
        (
            'effective_date: "2023-11-16"',
            'effective_date: "2025-11-16"',
            "event ifs-2023-11-16-removed: field effective_date: 2025-11-16 is more than 366 days after",
        ),
        (
            'effective_date: "2023-11-16"',
            'effective_date: "2023-06-16"',
            "event ifs-2023-11-16-removed: field effective_date: 2023-06-16 is more than 60 days before",
        ),
        (
            "- id: ifs-2020-07-22-modified",
            "- id: ifs-2020-06-05-added",
            "event ifs-2020-06-05-added: field id: duplicate id",
        ),
        (
            'citation: "88 FR 80131"',
            'citation: "eighty-eight FR"',
            "event ifs-2023-11-16-removed: field citation",
        ),
        ("action: remove", "action: delist", "event ifs-2023-11-16-removed: field action"),
        (
            'document_number: "2023-25557"',
            'document_number: "25557"',
            "event ifs-2023-11-16-removed: field document_number",
        ),
        (
            "    action: add\n",
            "    action: add\n    colour: red\n",
            "event ifs-2020-06-05-added: field colour",
        ),
    ],
)
def test_broken_file_fails_naming_row_and_field(old: str, new: str, expected: str) -> None:
    text = _file_text()
    assert old in text
    broken = text.replace(old, new, 1)
    with pytest.raises(HistoryDataError) as error:
        parse_curated_events(broken)
    assert expected in str(error.value)


def test_unknown_list_country_and_sequence_are_rejected() -> None:
    text = _file_text()
    with pytest.raises(
        HistoryDataError, match=r"ifs-2020-06-05-added: field entry.list: unknown list 'ELL'"
    ):
        parse_curated_events(text.replace("list: EL", "list: ELL", 1))
    with pytest.raises(HistoryDataError, match=r"field entry.country"):
        parse_curated_events(text.replace("country: CN", "country: China", 1))
    # a second add while the entry is listed is a contradiction in the file
    with pytest.raises(HistoryDataError, match=r"added while already listed"):
        parse_curated_events(text.replace("action: remove", "action: add", 1))


def test_operator_event_is_validated_like_a_curated_row() -> None:
    kwargs = dict(
        source="us_csl",
        list_code="EL",
        name="Ministry of Public Security?s Institute of Forensic Science of China",
        country="CN",
        action="add",
        effective_date=date(2027, 1, 4),
        published=date(2027, 1, 5),
        citation="92 FR 1234",
        document_number="2027-00001",
        source_url="https://www.federalregister.gov/documents/2027/01/05/2027-00001/additions",
        changes=(),
    )
    event = operator_event(**kwargs)
    assert event.origin == Origin.OPERATOR and event.verified is False
    assert event.identity == load_curated_events()[0].identity  # '?s' and "'s" are one entry
    assert event.recorded_at == date(2027, 1, 5)
    assert operator_event(**kwargs).event_id == event.event_id
    assert (
        operator_event(**{**kwargs, "effective_date": date(2027, 1, 5)}).event_id != event.event_id
    )
    with pytest.raises(HistoryDataError, match="field source_url"):
        operator_event(**{**kwargs, "source_url": "not a url"})
    with pytest.raises(HistoryDataError, match="field citation: required for action add"):
        operator_event(**{**kwargs, "citation": None})
    with pytest.raises(HistoryDataError, match="field changes"):
        operator_event(
            **{**kwargs, "changes": [FieldChange(field="license_policy", before="a", after="b")]}
        )
    with pytest.raises(HistoryDataError, match=r"field entry\.source_id: required"):
        operator_event(**{**kwargs, "source": "us_ofac_sdn", "list_code": "SDN"})
