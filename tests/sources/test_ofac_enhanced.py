"""OFAC enhanced XML: the real CONS_ENHANCED zip of 2025-01 and a fixture cut from it."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from datetime import date

import pytest

from interlock.model import AliasStrength, IdentifierType, ListEntry, Schema
from interlock.sources.base import RawFiles, SourceError, parse_snapshot
from interlock.sources.ofac_enhanced import OfacEnhancedXml, OfacSdnEnhancedXml
from tests.conftest import FIXTURES, shared_file

CUT = FIXTURES / "ofac_enhanced" / "cons_enhanced_2025-01_cut.xml"
REAL_ZIP = "ofac/ofac_cons_enhanced_xml__watchman.zip"
NAMESPACE = (
    b"https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ENHANCED_XML"
)
CMIC_CHINESE = {
    # entity id: (Latin primary name, Chinese name, language of the translation)
    "33091": ("MEGVII TECHNOLOGY LIMITED", "旷视科技有限公司", "zh-Hans"),
    "33111": ("SZ DJI TECHNOLOGY CO., LTD.", "深圳市大疆创新科技有限公司", "zh-Hans"),
    "33112": ("CLOUDWALK TECHNOLOGY CO., LTD.", "云从科技集团股份有限公司", "zh-Hans"),
    "33114": ("SENSETIME GROUP LIMITED", "商湯集團有限公司", "zh-Hant"),
}


def _zipped(xml: bytes, member: str = "CONS_ENHANCED.XML") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, xml)
    return buffer.getvalue()


def _cut(data: bytes | None = None) -> RawFiles:
    return RawFiles({"cons_enhanced.xml": CUT.read_bytes() if data is None else data})


def _by_id(entries: list[ListEntry]) -> dict[str, ListEntry]:
    return {e.source_id: e for e in entries}


def _assert_chinese_names(entries: dict[str, ListEntry]) -> None:
    for entity_id, (latin, chinese, lang) in CMIC_CHINESE.items():
        entry = entries[entity_id]
        assert entry.name == latin
        assert entry.lists == ["CMIC"]
        (han,) = [a for a in entry.aliases if a.script == "Han"]
        assert (han.name, han.lang, han.kind) == (chinese, lang, "translation")
        assert han.strength == AliasStrength.ORIGINAL_SCRIPT


def test_real_zip_counts_and_dates() -> None:
    fmt = OfacEnhancedXml()
    raw = RawFiles({"cons_enhanced.xml": shared_file(REAL_ZIP).read_bytes()})
    assert fmt.data_date(raw) == date(2025, 1, 10)
    parsed = parse_snapshot(fmt, raw)
    assert parsed.row_count == 443
    assert len({e.entity_id for e in parsed.entries}) == 443
    assert Counter(e.schema_ for e in parsed.entries) == {
        Schema.ORGANIZATION: 363,
        Schema.PERSON: 80,
    }
    assert Counter(code for e in parsed.entries for code in e.lists) == {
        "SSI": 286,
        "PLC": 78,
        "SDN": 77,
        "CMIC": 68,
        "NS-MBS": 12,
        "CAP": 1,
        "FSE": 1,
    }
    aliases = [a for e in parsed.entries for a in e.aliases]
    assert Counter(a.strength for a in aliases) == {
        AliasStrength.STRONG: 1066,
        AliasStrength.WEAK: 70,
        AliasStrength.ORIGINAL_SCRIPT: 45,
    }
    assert Counter(a.script for a in aliases if a.script != "Latin") == {"Cyrillic": 39, "Han": 6}
    assert sum(len(e.addresses) for e in parsed.entries) == 520
    assert sum(len(e.identifiers) for e in parsed.entries) == 1032
    assert (
        sum(1 for e in parsed.entries for i in e.identifiers if i.type == IdentifierType.USCC) == 58
    )
    assert Counter(r.kind for e in parsed.entries for r in e.relations) == {
        "parent": 278,
        "linked-to": 5,
    }
    assert not [i for e in parsed.entries for i in e.issues]
    _assert_chinese_names(_by_id(parsed.entries))


def test_real_cmic_dated_features() -> None:
    raw = RawFiles({"cons_enhanced.zip": shared_file(REAL_ZIP).read_bytes()})
    entries = parse_snapshot(OfacEnhancedXml(), raw).entries
    cmic = [e for e in entries if "CMIC" in e.lists]
    assert len(cmic) == 68
    for label in (
        "Listing Date (CMIC)",
        "Effective Date (CMIC)",
        "Purchase/Sales For Divestment Date (CMIC)",
    ):
        assert all(len(e.features[label]) == 1 for e in cmic)
    megvii = _by_id(entries)["33091"]
    assert megvii.features["Listing Date (CMIC)"] == ["2021-12-16"]
    assert megvii.features["Effective Date (CMIC)"] == ["2022-02-14"]
    assert megvii.features["Purchase/Sales For Divestment Date (CMIC)"] == ["2022-12-16"]
    assert megvii.listed_on == date(2021, 12, 16)
    assert megvii.programs == ["CMIC-EO13959"]
    assert megvii.features["Legal Authority"] == ["Executive Order 14032 (CMIC)"]
    # The effective date follows the listing date for every CMIC entity.
    assert all(
        e.features["Effective Date (CMIC)"] > e.features["Listing Date (CMIC)"] for e in cmic
    )


def test_real_xml_unzipped_reads_like_the_zip() -> None:
    data = shared_file(REAL_ZIP).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("CONS_ENHANCED.XML")
    zipped = parse_snapshot(OfacEnhancedXml(), RawFiles({"cons_enhanced.xml": data}))
    bare = parse_snapshot(OfacEnhancedXml(), RawFiles({"cons_enhanced.xml": xml}))
    assert [e.model_dump() for e in bare.entries] == [e.model_dump() for e in zipped.entries]


def test_fixture_keeps_the_real_structure() -> None:
    data = CUT.read_bytes()
    assert b'xmlns="' + NAMESPACE + b'"' in data
    assert b"<dataAsOf>2025-01-10T00:00:00</dataAsOf>" in data
    fmt = OfacEnhancedXml()
    assert fmt.data_date(_cut()) == date(2025, 1, 10)
    parsed = parse_snapshot(fmt, _cut())
    assert parsed.row_count == 12
    _assert_chinese_names(_by_id(parsed.entries))


def test_fixture_zipped_as_served() -> None:
    zipped = parse_snapshot(OfacEnhancedXml(), _cut(_zipped(CUT.read_bytes())))
    bare = parse_snapshot(OfacEnhancedXml(), _cut())
    assert [e.model_dump() for e in zipped.entries] == [e.model_dump() for e in bare.entries]


def test_fixture_person_features_go_to_their_fields() -> None:
    entries = _by_id(parse_snapshot(OfacEnhancedXml(), _cut()).entries)
    zahhar = entries["9647"]
    assert zahhar.schema_ == Schema.PERSON
    assert zahhar.name == "ZAHHAR, Mahmoud Khaled"
    assert zahhar.nationalities == ["PS"]
    assert zahhar.features["Gender"] == ["Male"]
    assert [d.value for d in zahhar.dates_of_birth] == ["1945"]
    assert zahhar.places_of_birth == ["Gaza Strip"]
    assert zahhar.lists == ["PLC", "SDN"]
    assert zahhar.programs == ["NS-PLC", "SDGT"]
    assert zahhar.start_date == "2006-04-12"
    assert [a.strength for a in zahhar.aliases].count(AliasStrength.WEAK) == 2
    assert [(r.kind, r.name) for r in zahhar.relations] == [("linked-to", "HAMAS")]
    assert "4695" in zahhar.relations[0].original
    kayakiran = entries["26182"]
    assert kayakiran.lists == ["FSE"]
    assert kayakiran.nationalities == [] and kayakiran.countries == ["TR"]
    assert kayakiran.features["Citizenship Country"] == ["Turkey"]
    (passport,) = kayakiran.identifiers
    assert (passport.type, passport.value, passport.country) == (
        IdentifierType.PASSPORT,
        "U00242309",
        "TR",
    )
    assert [d.value for d in kayakiran.dates_of_birth] == ["1980-02-08"]


def test_fixture_entities_scripts_relations_and_directive_dates() -> None:
    entries = _by_id(parse_snapshot(OfacEnhancedXml(), _cut()).entries)
    vtb = entries["17013"]
    cyrillic = [a for a in vtb.aliases if a.script == "Cyrillic"]
    assert [a.name for a in cyrillic] == ["БАНК ВТБ ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО", "БАНК ВТБ ПАО"]
    assert {a.strength for a in cyrillic} == {AliasStrength.ORIGINAL_SCRIPT}
    assert Counter(a.kind for a in vtb.aliases)["fka"] == 21
    assert {i.type for i in vtb.identifiers} >= {
        IdentifierType.LEI,
        IdentifierType.SWIFT,
        IdentifierType.WEBSITE,
        IdentifierType.TAX_ID,
    }
    assert vtb.features["Organization Established Date"] == ["1990-10-17"]
    capital = entries["18669"]
    assert capital.features["Listing Date (EO 14024 Directive 2)"] == ["2022-02-24"]
    assert capital.features["Effective Date (EO 14024 Directive 2)"] == ["2022-03-26"]
    assert [(r.kind, r.name) for r in capital.relations] == [
        ("parent", "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA")
    ]
    mobile = entries["30923"]
    assert mobile.features["Equity Ticker"][:2] == ["CHL US (NYSE)", "941 HK (HKEX)"]
    assert mobile.addresses[0].country == "CN"
    assert entries["15268"].lists == ["CAP"]
    assert entries["50476"].lists == ["NS-MBS"]
    assert entries["50476"].list_names == ["Non-SDN Menu-Based Sanctions List"]


def test_sdn_variant_uses_the_sdn_source_code() -> None:
    parsed = parse_snapshot(OfacSdnEnhancedXml(), RawFiles({"sdn_enhanced.xml": CUT.read_bytes()}))
    assert all(e.entity_id == f"us_ofac_sdn:{e.source_id}" for e in parsed.entries)
    assert OfacSdnEnhancedXml().spec.urls["sdn_enhanced.xml"].endswith("/SDN_ENHANCED.ZIP")


def test_namespace_is_not_required() -> None:
    data = CUT.read_bytes().replace(b' xmlns="' + NAMESPACE + b'"', b"")
    assert b'xmlns="' not in data
    plain = parse_snapshot(OfacEnhancedXml(), _cut(data))
    assert [e.model_dump() for e in plain.entries] == [
        e.model_dump() for e in parse_snapshot(OfacEnhancedXml(), _cut()).entries
    ]


def test_unknown_list_is_kept_and_flagged() -> None:
    data = CUT.read_bytes().replace(b">FSE List<", b">Some New List<")
    kayakiran = _by_id(parse_snapshot(OfacEnhancedXml(), _cut(data)).entries)["26182"]
    assert kayakiran.lists == ["Some New List"]
    assert [(i.field, i.value) for i in kayakiran.issues] == [("lists", "Some New List")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not xml at all", "not well-formed XML"),
        (
            b'<?xml version="1.0"?><sdnList xmlns="http://tempuri.org/sdnList.xsd"/>',
            r"root element is <sdnList>",
        ),
        (_zipped(b"<a/>", member="README.TXT"), "expected one .xml file in the zip"),
        (_zipped(b"<sanctionsData", member="CONS_ENHANCED.XML"), "not well-formed XML"),
    ],
)
def test_bad_files_are_rejected(data: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        list(OfacEnhancedXml().read(_cut(data)))
    with pytest.raises(SourceError, match=message):
        OfacEnhancedXml().data_date(_cut(data))


def test_entity_without_a_primary_name_is_an_error() -> None:
    data = CUT.read_bytes().replace(
        b"<isPrimary>true</isPrimary>\n          <isLowQuality>",
        b"<isPrimary>false</isPrimary>\n          <isLowQuality>",
    )
    with pytest.raises(SourceError, match="has no primary name"):
        parse_snapshot(OfacEnhancedXml(), _cut(data))
