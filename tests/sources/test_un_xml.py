"""UN Security Council consolidated XML: the three real snapshots and cuts of them."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from interlock.model import AliasStrength, ListEntry, Schema
from interlock.sources.base import RawFiles, SourceError, parse_snapshot
from interlock.sources.un_xml import UnXml
from tests.conftest import FIXTURES, raw_from, shared_file


def _real(stamp: str) -> RawFiles:
    return raw_from({"consolidated.xml": shared_file(f"un/un_consolidated_{stamp}.xml.gz")})


def _cut(name: str) -> list[ListEntry]:
    raw = raw_from({"consolidated.xml": FIXTURES / "un_xml" / name})
    return parse_snapshot(UnXml(), raw).entries


def _by_id(entries: list[ListEntry]) -> dict[str, ListEntry]:
    return {e.source_id: e for e in entries}


@pytest.mark.parametrize(
    ("stamp", "individuals", "entities", "aliases", "identifiers"),
    [
        ("2018-06-07__perchrh", 693, 405, 3075, 388),
        ("2018-10-29__perchrh", 703, 390, 3115, 408),
        ("2026-02-27__watchman", 730, 273, 3171, 454),
    ],
)
def test_real_snapshots_counts(
    stamp: str, individuals: int, entities: int, aliases: int, identifiers: int
) -> None:
    raw = _real(stamp)
    parsed = parse_snapshot(UnXml(), raw)
    assert parsed.row_count == individuals + entities
    assert len({e.entity_id for e in parsed.entries}) == individuals + entities
    schemas = Counter(e.schema_ for e in parsed.entries)
    assert schemas == {Schema.PERSON: individuals, Schema.ORGANIZATION: entities}
    assert sum(len(e.aliases) for e in parsed.entries) == aliases
    assert sum(len(e.identifiers) for e in parsed.entries) == identifiers
    assert UnXml().data_date(raw) == date.fromisoformat(stamp[:10])
    assert all(e.lists == ["UN"] and e.features["UN reference number"] for e in parsed.entries)
    assert not any(a.name == "" for e in parsed.entries for a in e.aliases)


def test_real_2026_han_names_on_the_right_entries() -> None:
    entries = _by_id(parse_snapshot(UnXml(), _real("2026-02-27__watchman")).entries)
    han = {
        source_id: [a.name for a in e.aliases if a.script == "Han"]
        for source_id, e in entries.items()
        if any(a.script == "Han" for a in e.aliases)
    }
    assert han == {
        "6908696": ["沈忠國際海運有限公司"],
        "6908691": ["長安海連技術有限公司"],
        "6908693": ["華信船務(香港)有限公司"],
        "690767": ["朝鲜联合机械贸易会社"],
        "6908566": ["金铁三"],
    }
    assert entries["6908696"].name == "SHEN ZHONG INTERNATIONAL SHIPPING"
    assert entries["6908566"].name == "KIM CHOL SAM"
    assert entries["6908566"].schema_ == Schema.PERSON


def test_real_2018_original_script_and_unresolved_countries() -> None:
    entries = parse_snapshot(UnXml(), _real("2018-06-07__perchrh")).entries
    scripts = Counter(
        a.script for e in entries for a in e.aliases if a.strength == AliasStrength.ORIGINAL_SCRIPT
    )
    assert scripts == {"Arabic": 392, "Cyrillic": 11, "Ethiopic": 2, "Han": 1}
    unresolved = Counter(i.field for e in entries for i in e.issues)
    assert unresolved == {
        "nationalities": 7,
        "places_of_birth": 4,
        "identifiers": 4,
        "addresses": 3,
    }


def test_padded_name_parts_are_cleaned_and_kept() -> None:
    ri = _by_id(_cut("un_2018-06-07_cut.xml"))["6908555"]
    assert ri.name == "RI WON HO"
    assert ri.name_original == " RI  WON HO"
    assert ri.original["INDIVIDUAL"]["FIRST_NAME"] == " RI "
    assert [(i.type, i.value) for i in ri.identifiers] == [("passport", "381310014")]
    assert ri.aliases == []  # <ALIAS_NAME/> is no alias


def test_individual_fields() -> None:
    entries = _by_id(_cut("un_2026-02-27_cut.xml"))
    kim = entries["6908566"]
    assert kim.programs == ["DPRK"]
    assert kim.features["UN reference number"] == ["KPi.035"]
    assert kim.features["last updated"] == ["2022-07-26"]
    assert kim.listed_on == date(2016, 11, 30)
    assert kim.nationalities == ["KP"]
    assert kim.identifiers[0].country == "KP"
    assert kim.features["position"] == ["Representative for Daedong Credit Bank (DCB)"]
    assert kim.remarks is not None and kim.remarks.startswith("Kim Chol Sam is a representative")
    assert "\n" not in kim.remarks
    # 'Jin Tiesan (金铁三)': each script's form is its own alias
    assert [(a.name, a.script, a.strength) for a in kim.aliases] == [
        ("Jin Tiesan", "Latin", AliasStrength.STRONG),
        ("金铁三", "Han", AliasStrength.STRONG),
    ]
    bosco = entries["6908021"]
    assert [d.value for d in bosco.dates_of_birth] == ["1973", "1974"]
    assert bosco.dates_of_birth[0].original.startswith("BETWEEN")
    assert [a.strength for a in bosco.aliases if a.name == "Lydia"] == [AliasStrength.WEAK]
    assert bosco.places_of_birth == ["Bigogwe, Rwanda"]
    assert bosco.countries == ["BE", "CD", "RW"]
    aselderov = entries["6908574"]
    assert "Абу Мухаммад Аль-Кадари" in [a.name for a in aselderov.aliases]
    assert "Абу Мухаммад" in [a.name for a in aselderov.aliases]


def test_entity_fields_and_fka() -> None:
    entries = _by_id(_cut("un_2026-02-27_cut.xml"))
    adf = entries["6908402"]
    assert adf.schema_ == Schema.ORGANIZATION
    assert [a.name for a in adf.aliases if a.kind == "fka"] == [
        "Forces Démocratiques Alliées-Armée Nationale de Libération de l’Ouganda",
        "ADF/NALU",
        "NALU",
    ]
    assert {a.strength for a in adf.aliases} == {AliasStrength.STRONG}
    chang_an = entries["6908691"]
    assert chang_an.addresses[0].country == "CN"
    assert chang_an.addresses[0].state == "Hong Kong"
    assert chang_an.addresses[0].street == (
        "Room 2105, DL1849, Trend Centre, 29-31 Cheung Lee Street, Chai Wan"
    )


def test_document_types_and_unresolved_nationality() -> None:
    paek = _by_id(_cut("un_2026-02-27_cut.xml"))["690747"]
    assert [(i.type, i.label) for i in paek.identifiers] == [
        ("passport", "Numéro de passeport"),
        ("passport", "Número de pasaporte"),
        ("passport", "Passport"),
    ]
    umarov = _by_id(_cut("un_2018-06-07_cut.xml"))["2960872"]
    assert umarov.nationalities == ["RU"]
    assert [(i.field, i.value) for i in umarov.issues] == [("nationalities", "USSR (until 1991)")]
    assert umarov.identifiers[0].label == "Passport"
    ussr = [a for a in umarov.aliases if a.strength == AliasStrength.ORIGINAL_SCRIPT]
    assert [(a.name, a.script) for a in ussr] == [("Умаров Доку Хаматович", "Cyrillic")]


def test_entity_expansion_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>"
        b"<FIRST_NAME>&b;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"
    )
    with pytest.raises(SourceError, match="not a safe, well-formed XML"):
        list(UnXml().read(RawFiles({"consolidated.xml": bomb})))


def test_other_documents_are_rejected() -> None:
    with pytest.raises(SourceError, match="root element is <sdnList>"):
        list(UnXml().read(RawFiles({"consolidated.xml": b"<sdnList/>"})))
    no_id = b"<CONSOLIDATED_LIST><ENTITIES><ENTITY><FIRST_NAME>X</FIRST_NAME></ENTITY></ENTITIES></CONSOLIDATED_LIST>"
    with pytest.raises(SourceError, match="ENTITY number 1 has no DATAID"):
        list(UnXml().read(RawFiles({"consolidated.xml": no_id})))
