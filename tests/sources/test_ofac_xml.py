"""OFAC legacy XML (sdnList): the real 2018 consolidated file, its CSV twin and a cut fixture."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date

import pytest

from interlock.model import AliasStrength, IdentifierType, Schema
from interlock.sources.base import RawFiles, SourceError, parse_snapshot
from interlock.sources.ofac_xml import OfacConsolidatedXml, OfacXml
from tests.conftest import FIXTURES, raw_from, shared_file

CUT = FIXTURES / "ofac_xml" / "consolidated_2018-04_cut.xml"
REAL = "ofac/ofac_cons_2018-04/consolidated.xml"


def _cut(data: bytes | None = None) -> RawFiles:
    return RawFiles({"consolidated.xml": CUT.read_bytes() if data is None else data})


def test_real_consolidated_file() -> None:
    fmt = OfacConsolidatedXml()
    raw = raw_from({"consolidated.xml": shared_file(REAL)})
    assert fmt.data_date(raw) == date(2018, 4, 6)
    parsed = parse_snapshot(fmt, raw)
    assert parsed.row_count == 639
    assert len({e.entity_id for e in parsed.entries}) == 639
    assert all(e.entity_id.startswith("us_ofac_cons:") for e in parsed.entries)
    assert Counter(e.lists[0] for e in parsed.entries) == {
        "SSI": 290,
        "EO13599": 264,
        "PLC": 78,
        "FSE": 6,
        "CAP": 1,
    }
    assert Counter(e.schema_ for e in parsed.entries) == {
        Schema.ORGANIZATION: 471,
        Schema.PERSON: 94,
        Schema.VESSEL: 74,
    }
    aliases = [a for e in parsed.entries for a in e.aliases]
    assert len(aliases) == 1255
    assert Counter(a.strength for a in aliases)[AliasStrength.WEAK] == 46
    assert Counter(a.kind for a in aliases) == {"aka": 1069, "fka": 186}
    assert sum(len(e.addresses) for e in parsed.entries) == 711
    # 1,410 idList items: 1,146 identifiers; the 264 "For more information" links are features
    assert sum(len(e.identifiers) for e in parsed.entries) == 1146
    assert (
        sum(len(e.features.get("For more information, please see", [])) for e in parsed.entries)
        == 264
    )
    assert sum(1 for e in parsed.entries if e.vessel) == 74
    directive = [
        e for e in parsed.entries if "Executive Order 13662 Directive Determination" in e.features
    ]
    assert len(directive) == 290
    assert not [i for e in parsed.entries for i in e.issues]


def test_same_entries_and_names_as_the_csv_of_the_same_day() -> None:
    """cons_prim.csv is OFAC's CSV rendering of the same list: same uids, same primary names."""
    text = shared_file("ofac/ofac_cons_2018-04/cons_prim.csv").read_bytes().decode("latin-1")
    csv_names = {
        row[0]: row[1] for row in csv.reader(io.StringIO(text)) if row and row[0].isdigit()
    }
    assert len(csv_names) == 639
    parsed = parse_snapshot(
        OfacConsolidatedXml(), raw_from({"consolidated.xml": shared_file(REAL)})
    )
    assert {e.source_id: e.name_original for e in parsed.entries} == csv_names


def test_fixture_individual_and_header() -> None:
    fmt = OfacConsolidatedXml()
    assert fmt.data_date(_cut()) == date(2018, 4, 6)
    parsed = parse_snapshot(fmt, _cut())
    assert parsed.row_count == 12
    haniya = next(e for e in parsed.entries if e.source_id == "9639")
    assert haniya.schema_ == Schema.PERSON
    assert haniya.name == "HANIYA, Ismail Abdul Salah"
    assert [a.name for a in haniya.aliases] == ["HANIYA, Ismail", "HANIYYA, Ismaeel"]
    assert [d.value for d in haniya.dates_of_birth] == ["1962"]
    assert haniya.places_of_birth == ["Shati"]
    assert haniya.lists == ["PLC"] and haniya.programs == ["NS-PLC"]
    assert haniya.original["akaList"]["aka"][0]["uid"] == "9150"


def test_fixture_programs_decide_the_non_sdn_list() -> None:
    parsed = parse_snapshot(OfacConsolidatedXml(), _cut())
    lists = {e.source_id: e.lists for e in parsed.entries}
    assert lists["4632"] == ["EO13599"]  # IRAN: blocked solely under EO 13599
    assert lists["9659"] == ["PLC"]  # SDGT and NS-PLC: SDGT names no non-SDN list
    assert lists["15268"] == ["CAP"]
    assert lists["17526"] == ["FSE"]
    assert lists["18782"] == ["SSI"]  # SYRIA and UKRAINE-EO13662


def test_fixture_ids_split_into_identifiers_and_features() -> None:
    parsed = parse_snapshot(OfacConsolidatedXml(), _cut())
    bank = next(e for e in parsed.entries if e.source_id == "23577")
    assert bank.name == "SNGB AO"
    tax = next(i for i in bank.identifiers if i.label == "Tax ID No.")
    assert (tax.type, tax.value, tax.country) == (IdentifierType.TAX_ID, "8602190258", "RU")
    assert any(
        i.type == IdentifierType.WEBSITE and i.value == "www.sngb.ru" for i in bank.identifiers
    )
    assert bank.features["Executive Order 13662 Directive Determination"] == [
        "Subject to Directive 4"
    ]
    assert bank.features["Nationality of Registration"] == ["Russia"]
    assert not any(i.label == "Nationality of Registration" for i in bank.identifiers)
    assert bank.countries == ["RU"]
    assert bank.lists == ["SSI"]
    export_bank = next(e for e in parsed.entries if e.source_id == "11208")
    dated = next(i for i in export_bank.identifiers if "issued" in i.original)
    assert dated.original.startswith(f"{dated.label} {dated.value}")


def test_fixture_weak_aliases_people_and_vessels() -> None:
    parsed = parse_snapshot(OfacConsolidatedXml(), _cut())
    by_id = {e.source_id: e for e in parsed.entries}
    veb = by_id["17015"]
    assert {a.strength for a in veb.aliases} == {AliasStrength.STRONG, AliasStrength.WEAK}
    assert {a.kind for a in veb.aliases} <= {"aka", "fka"}
    shona = by_id["15036"]
    assert shona.schema_ == Schema.VESSEL
    assert shona.vessel is not None and shona.vessel.flag
    assert any(i.type == IdentifierType.IMO for i in shona.identifiers)
    assert "Former Vessel Flag" in shona.features
    jashnsaz = by_id["15961"]
    assert jashnsaz.title and jashnsaz.nationalities == ["IR"]
    assert any(i.type == IdentifierType.PASSPORT for i in jashnsaz.identifiers)
    seyyedi = by_id["16134"]
    assert seyyedi.features["Citizenship"] == ["Iran"]
    assert "IR" in seyyedi.countries and not seyyedi.nationalities


def test_sdn_xml_puts_every_entry_on_the_sdn_list() -> None:
    raw = RawFiles({"sdn.xml": CUT.read_bytes()})
    parsed = parse_snapshot(OfacXml(), raw)
    assert {tuple(e.lists) for e in parsed.entries} == {("SDN",)}
    assert all(e.entity_id == f"us_ofac_sdn:{e.source_id}" for e in parsed.entries)
    assert OfacXml().spec.urls == {"sdn.xml": "https://www.treasury.gov/ofac/downloads/sdn.xml"}


def test_program_without_a_list_is_flagged() -> None:
    data = CUT.read_bytes().replace(
        b"<program>NS-PLC</program>", b"<program>RUSSIA-EO14024</program>"
    )
    parsed = parse_snapshot(OfacConsolidatedXml(), _cut(data))
    haniya = next(e for e in parsed.entries if e.source_id == "9639")
    assert haniya.lists == ["CONS"]
    assert [i.field for i in haniya.issues] == ["lists"]


def test_record_count_mismatch_means_a_cut_file() -> None:
    data = CUT.read_bytes().replace(b"<Record_Count>12<", b"<Record_Count>13<")
    with pytest.raises(SourceError, match="Record_Count says 13 entries, the file holds 12"):
        list(OfacConsolidatedXml().read(_cut(data)))


def test_namespace_is_not_required() -> None:
    data = CUT.read_bytes().replace(b' xmlns="http://tempuri.org/sdnList.xsd"', b"")
    assert b"tempuri" not in data
    plain = parse_snapshot(OfacConsolidatedXml(), _cut(data))
    assert [e.model_dump() for e in plain.entries] == [
        e.model_dump() for e in parse_snapshot(OfacConsolidatedXml(), _cut()).entries
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"4632,BANK MARKAZI,-0- ,IRAN\r\n", "not well-formed XML"),
        (b"", "not well-formed XML"),
        (b'<?xml version="1.0"?><sanctionsData/>', r"root element is <sanctionsData>"),
        (
            b'<?xml version="1.0"?><!DOCTYPE sdnList [<!ENTITY a "aaaa">]><sdnList>&a;</sdnList>',
            "refused as unsafe",
        ),
    ],
)
def test_bad_files_are_rejected(data: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        list(OfacConsolidatedXml().read(_cut(data)))
    with pytest.raises(SourceError, match=message):
        OfacConsolidatedXml().data_date(_cut(data))
