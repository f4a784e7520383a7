"""Dated rule regimes (data/regimes.yaml): golden answers of export-controls.md §8.2 and §3.3."""

from __future__ import annotations

import gzip
from datetime import date
from importlib import resources

import pytest

from interlock.history.datafile import HistoryDataError
from interlock.history.regimes import (
    RegimeState,
    RegimeStatus,
    load_regimes,
    operator_phase,
    parse_regimes,
    regime_state,
    regimes_in_force,
)
from tests.conftest import shared_file

AFFILIATES = "us-bis-affiliates-rule"
SDN_744_8 = "us-ear-744-8-sdn"
CHINA_PRECURSORS = "cn-precursor-export-licence-us-mx-ca"


def _state(
    as_of: date, regime_id: str, known_at: date | None = None, **kwargs: object
) -> RegimeState:
    states = {s.id: s for s in regimes_in_force(as_of, known_at, **kwargs)}
    return states[regime_id]


def _extension(recorded_at: date) -> object:
    return operator_phase(
        regime_id=AFFILIATES,
        status="suspended",
        start=date(2026, 11, 10),
        end=date(2027, 11, 9),
        recorded_at=recorded_at,
        document_title="Extension of the suspension of the Affiliates Rule (operator record)",
        document_published=recorded_at,
        source_url="https://www.federalregister.gov/documents/search?conditions%5Bterm%5D=affiliates",
    )


def test_affiliates_rule_restricted_in_october_2025() -> None:
    state = _state(date(2025, 10, 15), AFFILIATES, known_at=date(2025, 10, 15))
    assert state.state == RegimeStatus.IN_FORCE and state.restricted
    assert state.since == date(2025, 9, 29)
    assert state.phase is not None and state.phase.document.document_number == "2025-19001"
    assert [r.end for r in state.reliefs] == [date(2025, 11, 28)]  # the TGL runs beside the rule
    assert state.scheduled is None


def test_affiliates_rule_suspended_in_december_2025_with_scheduled_return() -> None:
    state = _state(date(2025, 12, 1), AFFILIATES, known_at=date(2025, 12, 1))
    assert state.state == RegimeStatus.SUSPENDED and not state.restricted
    assert (state.since, state.until) == (date(2025, 11, 10), date(2026, 11, 9))
    assert state.scheduled is not None
    assert state.scheduled.starts_on == date(2026, 11, 10)
    assert state.scheduled.becomes == RegimeStatus.IN_FORCE
    assert state.scheduled.pending
    assert "unless an extension is recorded" in (state.caveat or "")
    # the suspension rule's FR Doc number and page are carried as unverified
    assert "phase document.document_number" in state.unverified


def test_suspension_unknown_before_its_publication() -> None:
    # published 2025-11-12: as known on 2025-11-11 the rule still applies on 2025-12-01
    state = _state(date(2025, 12, 1), AFFILIATES, known_at=date(2025, 11, 11))
    assert state.state == RegimeStatus.IN_FORCE and state.scheduled is None


def test_affiliates_rule_return_is_scheduled_until_its_date_then_in_force() -> None:
    projected = _state(date(2026, 11, 10), AFFILIATES, known_at=date(2026, 6, 1))
    assert projected.state == RegimeStatus.IN_FORCE and projected.restricted
    assert projected.scheduled is not None and projected.scheduled.pending
    assert "unless an extension is recorded" in (projected.caveat or "")
    arrived = _state(date(2026, 11, 10), AFFILIATES, known_at=date(2026, 11, 20))
    assert arrived.state == RegimeStatus.IN_FORCE
    assert arrived.scheduled is not None and not arrived.scheduled.pending
    assert "no extension recorded by 2026-11-20" in (arrived.caveat or "")
    # without known_at, `today` is the reference date
    assert _state(date(2026, 11, 10), AFFILIATES, today=date(2026, 1, 1)).scheduled.pending
    assert not _state(date(2026, 11, 10), AFFILIATES, today=date(2027, 1, 1)).scheduled.pending


def test_recorded_extension_keeps_the_rule_suspended() -> None:
    extension = _extension(date(2026, 10, 1))
    extended = _state(
        date(2026, 11, 10), AFFILIATES, known_at=date(2026, 10, 2), recorded=[extension]
    )
    assert extended.state == RegimeStatus.SUSPENDED and not extended.restricted
    assert extended.until == date(2027, 11, 9)
    assert extended.phase is not None and extended.phase.origin == "operator"
    assert extended.scheduled is None
    # before the extension was recorded, the return was still the expectation
    earlier = _state(
        date(2026, 11, 10), AFFILIATES, known_at=date(2026, 9, 30), recorded=[extension]
    )
    assert earlier.state == RegimeStatus.IN_FORCE and earlier.scheduled is not None


def test_operator_phase_is_validated() -> None:
    with pytest.raises(HistoryDataError, match="field regime_id: unknown regime"):
        operator_phase(
            regime_id="no-such-rule",
            status="suspended",
            start=date(2026, 11, 10),
            end=None,
            recorded_at=date(2026, 10, 1),
            document_title="x",
            document_published=date(2026, 10, 1),
            source_url="https://example.org/x",
        )
    with pytest.raises(HistoryDataError, match=r"ends .* before it starts"):
        operator_phase(
            regime_id=AFFILIATES,
            status="suspended",
            start=date(2026, 11, 10),
            end=date(2026, 1, 1),
            recorded_at=date(2026, 10, 1),
            document_title="x",
            document_published=date(2026, 10, 1),
            source_url="https://example.org/x",
        )
    with pytest.raises(HistoryDataError, match="field status"):
        operator_phase(
            regime_id=AFFILIATES,
            status="paused",
            start=date(2026, 11, 10),
            end=None,
            recorded_at=date(2026, 10, 1),
            document_title="x",
            document_published=date(2026, 10, 1),
            source_url="https://example.org/x",
        )


def test_744_8_in_force_from_2024_03_21() -> None:
    before = _state(date(2024, 3, 20), SDN_744_8)
    on = _state(date(2024, 3, 21), SDN_744_8)
    assert before.state == RegimeStatus.NOT_YET and not before.restricted
    assert on.state == RegimeStatus.IN_FORCE and on.restricted
    assert on.citation == "89 FR 20107" and on.document_number == "2024-06067"


def test_744_8_programs_include_the_narcotics_tags_seen_in_the_real_sdn_file() -> None:
    (regime,) = [r for r in load_regimes() if r.id == SDN_744_8]
    programs = {p.tag: p for p in regime.scope.ofac_programs}
    assert len(programs) == 14
    narcotics = {t for t, p in programs.items() if p.group == "narcotics"}
    assert narcotics == {"SDNTK", "SDNT", "TCO", "ILLICIT-DRUGS-EO14059"}
    assert not programs["ILLICIT-DRUGS-EO14059"].tag_verified
    assert all(p.verified for p in programs.values() if p.group != "russia-belarus")
    assert not any(p.verified for p in programs.values() if p.group == "russia-belarus")
    sdn = gzip.decompress(shared_file("ofac/sdn_2024-05-03__jackdwyer.csv.gz").read_bytes()).decode(
        "latin-1"
    )
    missing = [tag for tag in programs if f"{tag}]" not in sdn and f'"{tag}"' not in sdn]
    assert missing == []


def test_china_precursor_licensing_from_2025_11_10() -> None:
    before = _state(date(2025, 11, 9), CHINA_PRECURSORS)
    on = _state(date(2025, 11, 10), CHINA_PRECURSORS)
    assert before.state == RegimeStatus.NOT_YET and on.state == RegimeStatus.IN_FORCE
    (regime,) = [r for r in load_regimes() if r.id == CHINA_PRECURSORS]
    assert (regime.jurisdiction, regime.scope.origin) == ("CN", "CN")
    assert regime.scope.destinations == ["US", "MX", "CA"]
    substances = regime.scope.substances
    assert substances is not None and substances.count == 13
    assert substances.names == [] and not substances.names_verified  # names are [U]: none guessed
    assert "scope.substances.names" in on.unverified


def test_regime_after_its_last_phase_has_ended() -> None:
    (regime,) = [r for r in load_regimes() if r.id == SDN_744_8]
    closed = regime.model_copy(
        update={"phases": [regime.phases[0].model_copy(update={"end": date(2030, 1, 1)})]}
    )
    assert regime_state(closed, date(2030, 1, 1)).state == RegimeStatus.IN_FORCE
    assert regime_state(closed, date(2030, 1, 2)).state == RegimeStatus.ENDED


def _file_text() -> str:
    return resources.files("interlock.data").joinpath("regimes.yaml").read_text("utf-8")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "        condition: unless an extension is recorded\n",
            "",
            "regime us-bis-affiliates-rule: field phases.2: Value error, a scheduled phase states its condition",
        ),
        (
            'to: "2026-11-09"',
            'to: "2025-11-01"',
            "regime us-bis-affiliates-rule: field phases.1: Value error, phase ends",
        ),
        (
            "owner_regimes: [us-ear-744-8-sdn]",
            "owner_regimes: [us-ear-744-9]",
            "field scope.ownership.owner_regimes: unknown regime",
        ),
        (
            "destinations: [US, MX, CA]",
            "destinations: [US, Mexico, CA]",
            "regime cn-precursor-export-licence-us-mx-ca: field (row): Value error, 'Mexico'",
        ),
        (
            'from: "2024-03-21"',
            'from: "2024-03-32"',
            "regime us-ear-744-8-sdn: field phases.0.from",
        ),
        ("{tag: SDNT, ", "{tag: SDNTK, ", "an OFAC program tag is listed twice"),
        ('citation: "89 FR 20107"', 'citation: "89 FR"', "regime us-ear-744-8-sdn: field citation"),
    ],
)
def test_broken_regimes_file_fails_naming_regime_and_field(
    old: str, new: str, expected: str
) -> None:
    text = _file_text()
    assert old in text
    with pytest.raises(HistoryDataError) as error:
        parse_regimes(text.replace(old, new, 1))
    assert expected in str(error.value)
