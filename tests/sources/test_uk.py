"""UK Sanctions List: the real normalised tables, cuts of them, and the official CSV layout."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from interlock.model import AliasStrength, ListEntry, Schema
from interlock.sources.base import RawFiles, SourceError, parse_snapshot
from interlock.sources.uk import CSV_COLUMNS, TABLES, UkCsv, UkNormalised, uk_date
from tests.conftest import FIXTURES, raw_from, shared_file

REAL = "uk/uk_sanctions_2026-05_normalised__covyr"


def _tables_cut() -> RawFiles:
    return raw_from({f"{t}.csv": FIXTURES / "uk" / "normalised" / f"{t}.csv" for t in TABLES})


def _csv_cut() -> RawFiles:
    return raw_from({"UK-Sanctions-List.csv": FIXTURES / "uk" / "UK-Sanctions-List.csv"})


def _by_id(entries: list[ListEntry]) -> dict[str, ListEntry]:
    return {e.source_id: e for e in entries}


def test_real_tables_counts() -> None:
    raw = raw_from({f"{t}.csv": shared_file(f"{REAL}/{t}.csv.gz") for t in TABLES})
    parsed = parse_snapshot(UkNormalised(), raw)
    entries = parsed.entries
    assert parsed.row_count == len(entries) == 6046
    assert Counter(e.schema_ for e in entries) == {
        Schema.PERSON: 3883,
        Schema.ORGANIZATION: 1531,
        Schema.VESSEL: 632,
    }
    assert UkNormalised().data_date(raw) == date(2026, 4, 29)
    # 15,050 name rows: 6,046 primary names, the rest aliases less 32 case-only repeats
    assert sum(len(e.aliases) for e in entries) == 8972
    assert Counter((a.strength, a.kind) for e in entries for a in e.aliases) == {
        (AliasStrength.STRONG, "primary-variation"): 5163,
        (AliasStrength.STRONG, "aka"): 3208,
        (AliasStrength.WEAK, "aka"): 595,
        (AliasStrength.WEAK, "primary-variation"): 6,
    }
    # 22,787 identifier rows repeat 2,373 distinct values; registration cells split into more
    assert sum(len(e.identifiers) for e in entries) == 2391
    types = Counter(i.type for e in entries for i in e.identifiers)
    assert types["IMO"] == 631 and types["USCC"] == 17 and types["passport"] == 725
    assert sum(len(e.dates_of_birth) for e in entries) == 3538
    assert all(e.listed_on is not None for e in entries)
    issues = Counter((i.field, i.value) for e in entries for i in e.issues)
    assert issues == {
        ("dates_of_birth", "dd/mm/1975"): 1,
        ("places_of_birth", "Former USSR"): 1,
        # rigour knows the USSR, but only by a historical code that is not ISO alpha-2
        ("places_of_birth", "USSR"): 1,
        ("places_of_birth", "Occupied Golan Heights"): 1,
    }


def test_tables_cut_subject() -> None:
    parsed = parse_snapshot(UkNormalised(), _tables_cut())
    assert parsed.row_count == 8
    entries = _by_id(parsed.entries)
    akhund = entries["AFG0006"]
    assert akhund.name == "MOHAMMAD HASSAN AKHUND"
    assert akhund.listed_on == date(2001, 1, 25)
    assert akhund.start_date == "25/01/2001"
    assert akhund.features["UN reference number"] == ["TAi.002"]
    assert akhund.features["OFSI group ID"] == ["7172"]
    # the tables hold each passport 80 times over: one identifier
    assert [(i.type, i.value) for i in akhund.identifiers] == [("passport", "P04581926")]
    assert [d.value for d in akhund.dates_of_birth][:4] == [
        "1967-01-01",
        "1969-06-04",
        "1968",
        "1958",
    ]
    assert akhund.dates_of_birth[2].original == "dd/mm/1968"
    assert akhund.nationalities == ["AF"]
    chen = entries["GHR0179"]
    assert chen.name == "Zhi Chen"
    assert [a.name for a in chen.aliases] == ["Vincent"]  # 'Zhi CHEN' repeats the primary name
    assert chen.nationalities == ["CY", "VU", "KH"]
    assert chen.places_of_birth == ["China"]
    assert {i.country for i in chen.identifiers} == {"KH"}
    hakizimana = entries["DRC0067"]
    assert [a.strength for a in hakizimana.aliases] == [AliasStrength.WEAK, AliasStrength.STRONG]
    assert [i.field for i in hakizimana.issues] == ["dates_of_birth"]
    hanif = entries["AFG0038"]
    assert hanif.name == "DIN MOHAMMAD HANIF"
    assert hanif.aliases[0].name == "IADENA MOHAMMAD"
    assert hanif.aliases[0].kind == "primary-variation"
    ship = entries["DPR0075"]
    assert ship.schema_ == Schema.VESSEL
    assert [(i.type, i.value) for i in ship.identifiers] == [("IMO", "9562233")]
    parsun = entries["RUS2396"]
    assert [(i.type, i.value) for i in parsun.identifiers] == [
        ("USCC", "913205007615052498"),
        ("registration", "320500400020269"),
    ]


def test_official_csv_layout_reads_like_the_tables() -> None:
    raw = _csv_cut()
    assert raw.get("UK-Sanctions-List.csv").decode().splitlines()[1].split(",") == CSV_COLUMNS
    csv_entries = _by_id(parse_snapshot(UkCsv(), raw).entries)
    table_entries = _by_id(parse_snapshot(UkNormalised(), _tables_cut()).entries)
    assert UkCsv().data_date(raw) == date(2026, 4, 29)
    assert csv_entries.keys() == table_entries.keys()
    for uid, from_csv in csv_entries.items():
        from_tables = table_entries[uid]
        assert from_csv.schema_ == from_tables.schema_, uid
        assert from_csv.name == from_tables.name, uid
        assert [(a.name, a.strength, a.kind) for a in from_csv.aliases] == [
            (a.name, a.strength, a.kind) for a in from_tables.aliases
        ], uid
        assert sorted((i.type, i.value) for i in from_csv.identifiers) == sorted(
            (i.type, i.value) for i in from_tables.identifiers
        ), uid
        assert {d.value for d in from_csv.dates_of_birth} == {
            d.value for d in from_tables.dates_of_birth
        }, uid
        assert from_csv.nationalities == from_tables.nationalities, uid
        assert from_csv.listed_on == from_tables.listed_on, uid
        assert from_csv.features == from_tables.features, uid
    assert [a.country for a in csv_entries["AFG0001"].addresses] == ["IR", "AF", "AE"]


def test_csv_non_latin_name_and_header_without_report_line() -> None:
    header = ",".join(CSV_COLUMNS)
    values = dict.fromkeys(CSV_COLUMNS, "")
    values.update(
        {
            "Unique ID": "AFG0006",
            "Name 1": "MOHAMMAD",
            "Name 2": "HASSAN",
            "Name 6": "AKHUND",
            "Name type": "Primary name",
            "Name non-latin script": "محمد حسن آخوند",
            "Non-latin script language": "Pashto",
            "Designation Type": "Individual",
            "Regime Name": "The Afghanistan (Sanctions) (EU Exit) Regulations 2020",
            "Date Designated": "25/01/2001",
            "Last Updated": "14/04/2026",
            "Title": "Mullah",
        }
    )
    row = ",".join(f'"{values[c]}"' for c in CSV_COLUMNS)
    raw = RawFiles({"UK-Sanctions-List.csv": f"{header}\n{row}\n".encode()})
    (entry,) = parse_snapshot(UkCsv(), raw).entries
    assert entry.name == "MOHAMMAD HASSAN AKHUND"
    assert [(a.name, a.strength, a.script, a.lang) for a in entry.aliases] == [
        ("محمد حسن آخوند", AliasStrength.ORIGINAL_SCRIPT, "Arabic", "Pashto")
    ]
    assert entry.programs == ["The Afghanistan (Sanctions) (EU Exit) Regulations 2020"]
    assert entry.title == "Mullah"
    assert UkCsv().data_date(raw) == date(2026, 4, 14)


def test_csv_layout_errors() -> None:
    with pytest.raises(SourceError, match="missing"):
        list(UkCsv().read(RawFiles({"UK-Sanctions-List.csv": b"Report Date: x\na,b\n1,2\n"})))
    short = f"{','.join(CSV_COLUMNS)}\nAFG0001,x\n".encode()
    with pytest.raises(SourceError, match="line 2 has 2 fields"):
        list(UkCsv().read(RawFiles({"UK-Sanctions-List.csv": short})))


def test_tables_row_without_subject_is_rejected() -> None:
    files = dict(_tables_cut().files)
    files["subject_names.csv"] += b"99999,NOPE0001,primary,,X,X,,,,,\n"
    with pytest.raises(SourceError, match="'NOPE0001' is not a subject"):
        list(UkNormalised().read(RawFiles(files)))


def test_uk_dates_are_day_first() -> None:
    assert uk_date("05/11/2012") == date(2012, 11, 5)
    assert uk_date("31/02/2012") is None
