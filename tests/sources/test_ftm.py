"""FollowTheMoney: the t1 entity sample, the t2 delta chain and the 2024-06 bulk delta."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from interlock.model import AliasStrength, IdentifierType, ListEntry, Schema
from interlock.sources.base import RawFiles, SourceError, parse_snapshot
from interlock.sources.ftm import (
    DELTA_INDEX_URL,
    Change,
    FtmDelta,
    FtmEntities,
    Op,
    apply_deltas,
    map_entity,
    primary_name,
    read_delta_index,
)
from tests.conftest import FIXTURES, SHARED_DATA, raw_from, shared_file

FTM = FIXTURES / "ftm"
IRGC = "ftm:NK-2PacmNpiLUmoz4XD2mSt7A"
KUZMENKO = "ftm:NK-2Ka3UvopqbpZmVDFjWd4LA"


def _entities(path: Path) -> RawFiles:
    return raw_from({"entities.ftm.json": path})


def _delta(path: Path) -> RawFiles:
    return raw_from({"entities.delta.json": path})


def _entity(**fields: Any) -> dict[str, Any]:
    """A hand-written entity (not OpenSanctions content) for mapping rules the samples lack."""
    return {"id": "x-1", "datasets": ["test"], **fields}


def test_t1_sample_counts_and_irgc() -> None:
    path = shared_file("opensanctions/yente_t1_sanctions_sample.entities.ftm.json")
    parsed = parse_snapshot(FtmEntities(), _entities(path))
    assert parsed.row_count == 7
    # the one Address entity is read (a row) but is no list entry
    assert len(parsed.entries) == 6
    assert Counter(e.schema_ for e in parsed.entries) == {Schema.PERSON: 4, Schema.ORGANIZATION: 2}
    assert all(e.lists == ["eu_fsf"] for e in parsed.entries)
    referents = sorted(len(e.features["referents"]) for e in parsed.entries)
    assert referents == [5, 7, 9, 10, 12, 14]
    irgc = next(e for e in parsed.entries if e.entity_id == IRGC)
    assert irgc.name == "IRGC" and irgc.schema_ == Schema.ORGANIZATION
    assert [a.name for a in irgc.aliases] == ["Iranian Revolutionary Guard Corps"]
    assert irgc.countries == ["IR"]
    assert irgc.start_date == "2012-03-24" and irgc.listed_on is not None
    assert irgc.remarks == "Corrigendum 267/2012 (OJ L88) [corr. 04/12/2012-2]"
    assert irgc.features["addressEntity"] == ["addr-9bdb8d404e2618cfce08d3b3d400c1433c634849"]
    assert irgc.features["first_seen"] == ["2023-04-20T18:00:25"]
    raw_line = next(json.loads(line) for line in path.read_text().splitlines() if IRGC[4:] in line)
    assert irgc.original == raw_line
    inter = next(e for e in parsed.entries if e.source_id == "NK-2GdmHtZTeNXjNVrBGEXZNj")
    # the caption, a Latin-script name, is the primary name; the 11 other names are aliases
    assert inter.name == "RAB „Inter Tobacco“" and len(inter.aliases) == 11
    assert Counter(a.script for a in inter.aliases) == {"Latin": 7, "Cyrillic": 3, "Greek": 1}
    assert inter.countries == ["BY"]
    assert [(i.type, i.value) for i in inter.identifiers] == [
        (IdentifierType.REGISTRATION, "808000714")
    ]


def test_t1_cut_person_and_address_fixture() -> None:
    raw = _entities(FTM / "t1_cut.entities.ftm.json")
    parsed = parse_snapshot(FtmEntities(), raw)
    assert parsed.row_count == 3
    assert [e.entity_id for e in parsed.entries] == [KUZMENKO, IRGC]
    address = next(r for r in FtmEntities().read(raw) if r["schema"] == "Address")
    assert list(FtmEntities().map(address)) == []
    person = parsed.entries[0]
    assert person.schema_ == Schema.PERSON
    assert person.name == "Vitaly Yurievich KUZMENKO"
    assert [(a.name, a.strength, a.script) for a in person.aliases] == [
        ("Vitalij Kuzmenko", AliasStrength.STRONG, "Latin"),
        ("Виталий Юрьевич КУЗЬМЕНКО", AliasStrength.ORIGINAL_SCRIPT, "Cyrillic"),
    ]
    assert person.countries == ["RU"] and person.nationalities == ["RU"]
    assert [d.value for d in person.dates_of_birth] == ["1971-01-22"]
    assert [(i.type, i.value, i.label) for i in person.identifiers] == [
        (IdentifierType.TAX_ID, "366510784303", "taxNumber")
    ]
    assert person.features["gender"] == ["male"]
    assert person.features["lastName"] == ["КУЗЬМЕНКО", "KUZMENKO", "Kuzmenko"]
    assert person.features["target"] == ["true"]
    assert "birthDate" not in person.features and "name" not in person.features


def test_primary_name_is_independent_of_value_order() -> None:
    names = ["Владимир ПУТИН", "Wladimir Putin", "Vladimir PUTIN"]
    assert primary_name("Vladimir PUTIN", names) == "Vladimir PUTIN"
    # a non-Latin caption, or one that is not a name value, gives way to the sorted Latin names
    assert primary_name("Владимир ПУТИН", names) == "Vladimir PUTIN"
    assert primary_name("Putin", list(reversed(names))) == "Vladimir PUTIN"
    assert primary_name(None, ["習近平", "习近平"]) == "习近平"
    assert primary_name(None, []) is None


def test_mapping_rules_on_hand_written_entities() -> None:
    vessel = map_entity(
        _entity(
            schema="Vessel",
            caption="SEA STAR",
            properties={
                "name": ["SEA STAR", "Sea Star"],
                "weakAlias": ["STAR"],
                "previousName": ["OCEAN STAR"],
                "flag": ["pa"],
                "imoNumber": ["IMO 9187629"],
                "callSign": ["3EXY4"],
                "program": ["IRAN-EO13846"],
                "programId": ["IRAN-EO13846", "US-IRAN"],
                "sourceUrl": ["https://a.example/1", "https://b.example/2"],
                "country": ["pa", "atlantis"],
            },
        )
    )
    assert vessel is not None and vessel.schema_ == Schema.VESSEL
    assert vessel.entity_id == "ftm:x-1" and vessel.lists == ["test"]
    # 'Sea Star' differs from the name only in case: no alias
    assert [(a.name, a.kind, a.strength) for a in vessel.aliases] == [
        ("STAR", "aka", AliasStrength.WEAK),
        ("OCEAN STAR", "fka", AliasStrength.STRONG),
    ]
    assert vessel.vessel is not None and vessel.vessel.flag == "PA"
    assert vessel.vessel.call_sign == "3EXY4"
    assert [(i.type, i.value) for i in vessel.identifiers] == [(IdentifierType.IMO, "IMO 9187629")]
    assert vessel.programs == ["IRAN-EO13846", "US-IRAN"]
    assert vessel.source_url == "https://a.example/1"
    assert vessel.features["sourceUrl"] == ["https://a.example/1", "https://b.example/2"]
    assert vessel.countries == ["PA"]
    assert [(i.field, i.value) for i in vessel.issues] == [("countries", "atlantis")]

    plane = map_entity(
        _entity(schema="Airplane", caption="EP-ABC", properties={"registrationNumber": ["EP-ABC"]})
    )
    assert plane is not None and plane.schema_ == Schema.AIRCRAFT
    assert [i.type for i in plane.identifiers] == [IdentifierType.AIRCRAFT]
    company = map_entity(_entity(schema="Company", properties={"name": ["ACME LLC"]}))
    assert company is not None and company.schema_ == Schema.ORGANIZATION
    assert company.name == "ACME LLC"
    for schema in ("Sanction", "Address", "Ownership", "Identification", "CryptoWallet"):
        assert map_entity(_entity(schema=schema, properties={})) is None
    nameless = map_entity(_entity(schema="Person", properties={"name": [""]}))
    assert nameless is not None and nameless.name == ""
    assert [i.severity.value for i in nameless.issues] == ["error"]


def test_delta_cut_fixture_ops_and_mapping() -> None:
    raw = _delta(FTM / "2024-06_cut.entities.delta.json")
    records = list(FtmDelta().read(raw))
    assert [(r.op, r.line) for r in records] == [
        (Op.MOD, 1),
        (Op.DEL, 2),
        (Op.MOD, 3),
        (Op.ADD, 4),
        (Op.ADD, 5),
    ]
    changes = list(FtmDelta().items(raw))
    assert [c.entry is None for c in changes] == [False, True, False, False, True]
    dnpp = changes[2].entry
    assert dnpp is not None and dnpp.name == "JSC DNPP"
    # the INN and OGRN repeated in taxNumber / registrationNumber are kept once, as Russian
    assert [(i.type, i.value, i.country) for i in dnpp.identifiers] == [
        (IdentifierType.TAX_ID, "5008000322", "RU"),
        (IdentifierType.REGISTRATION, "1025001202544", "RU"),
        (IdentifierType.OTHER, "07504318", None),
        (IdentifierType.EMAIL, "dnpp@orc.ru", None),
    ]
    assert len(dnpp.addresses) == 10 and dnpp.countries == ["RU"]
    ktj = changes[0].entry
    assert ktj is not None and ktj.name == "KHATIBA AL-TAWHID WAL-JIHAD (KTJ)"
    weak = [a for a in ktj.aliases if a.strength == AliasStrength.WEAK]
    assert [a.script for a in weak] == ["Japanese", "Japanese", "Latin"]
    assert [a.name for a in ktj.aliases if a.kind == "fka"] == ["(f.k.a.:JANNAT OSHIKLARI)"]
    person = changes[3].entry
    assert person is not None and person.schema_ == Schema.PERSON
    assert person.countries == ["TR", "ID"] and person.nationalities == ["ID"]
    assert [(i.type, i.value) for i in person.identifiers] == [
        (IdentifierType.PASSPORT, "B 4286562")
    ]

    result = apply_deltas({}, changes)
    assert sorted(result.entries) == [
        "ftm:NK-3CHosSbX6qCLQiav3xiJsN",
        "ftm:NK-H62A9T7WLJGEYmxABrWunP",
        "ftm:NK-Ld5SyGNpr7mmysNh4czCXJ",
    ]
    assert (result.added, result.modified, result.deleted, result.non_party) == (3, 0, 0, 1)
    assert [(i.message, i.value) for i in result.issues] == [
        ("MOD of an entity not in the state: added", "ftm:NK-3CHosSbX6qCLQiav3xiJsN"),
        ("DEL of an entity not in the state: nothing deleted", "ftm:NK-3MDjERC9RyRHv3wEq9xWe4"),
        ("MOD of an entity not in the state: added", "ftm:NK-H62A9T7WLJGEYmxABrWunP"),
    ]


def _t2_dirs() -> list[Any]:
    return [
        pytest.param(FTM / "t2", id="fixture"),
        pytest.param(SHARED_DATA / "opensanctions" / "yente_t2_deltas", id="shared"),
    ]


@pytest.mark.parametrize("folder", _t2_dirs())
def test_t2_delta_chain_in_index_order(folder: Path) -> None:
    index_path = folder / "delta_index.json"
    if not index_path.exists():
        shared_file("opensanctions/yente_t2_deltas/delta_index.json")
    index = read_delta_index(index_path.read_bytes())
    assert [v.version for v in index.versions] == [
        "20240527134702-zbn",
        "20240527194702-wnk",
        "20240528014702-pfh",
        "20240528074703-npf",
        "20240528134729-3iv",
    ]
    assert index.versions[1].url.endswith("/20240527194702-wnk/entities.delta.json")
    assert (
        index.updated_at is not None and index.updated_at.isoformat() == "2024-05-28T14:47:29+00:00"
    )
    # the first version is the base the chain starts from: its delta is not in the fixture set
    assert not (folder / f"{index.versions[0].version}.entities.delta.json").exists()

    state: dict[str, ListEntry] = {}
    sizes = []
    for version in index.versions[1:]:
        raw = _delta(folder / f"{version.version}.entities.delta.json")
        result = apply_deltas(state, FtmDelta().items(raw))
        assert result.issues == []
        state = result.entries
        sizes.append((result.added, result.modified, result.deleted, len(state)))
    assert sizes == [(2, 0, 0, 2), (1, 1, 0, 3), (0, 0, 1, 2), (1, 0, 0, 3)]
    assert sorted(state) == [
        "ftm:NK-2T3S8Hu29ktYnKSTgQp2wL",
        "ftm:NK-2sJaJRaPJcWUfMbHjTtWcL",
        "ftm:Q4365364",
    ]
    assert state["ftm:NK-2T3S8Hu29ktYnKSTgQp2wL"].name == "Foobar Foobargroup"
    assert state["ftm:Q4365364"].name == "Vladimir Nikolaevich PLOTNIKOV"


def test_t2_entity_with_empty_name_takes_its_caption() -> None:
    raw = _delta(FTM / "t2" / "20240528014702-pfh.entities.delta.json")
    added = next(c for c in FtmDelta().items(raw) if c.op == Op.ADD)
    assert added.entry is not None and added.entry.name == "AL-QAIDA IN IRAQ"
    assert added.entry.issues == []


def test_2024_06_bulk_delta_onto_empty_state() -> None:
    raw = _delta(shared_file("opensanctions/yente_sanctions_2024-06.entities.delta.json.gz"))
    records = list(FtmDelta().read(raw))
    assert Counter(r.op for r in records) == {Op.ADD: 90, Op.MOD: 1039, Op.DEL: 571}
    result = apply_deltas({}, FtmDelta().items(raw))
    # 46 party ADDs and 530 party MODs become entries; 553 ADD/MOD of Sanction, Address, … do not
    assert (result.added, result.modified, result.deleted, result.non_party) == (576, 0, 0, 553)
    assert len(result.entries) == 576
    assert Counter(e.schema_ for e in result.entries.values()) == {
        Schema.PERSON: 451,
        Schema.ORGANIZATION: 125,
    }
    assert Counter(i.message for i in result.issues) == {
        "MOD of an entity not in the state: added": 530,
        "DEL of an entity not in the state: nothing deleted": 571,
    }
    datasets = {d for e in result.entries.values() for d in e.lists}
    assert {"eu_fsf", "gb_hmt_sanctions", "un_sc_sanctions", "id_dttot"} <= datasets


def _change(op: Op, ftm_id: str, name: str | None) -> Change:
    entry = None
    if name is not None:
        entry = map_entity(_entity(id=ftm_id, schema="Person", properties={"name": [name]}))
    return Change(op, f"ftm:{ftm_id}", entry)


def test_apply_deltas_replaces_warns_and_leaves_input_alone() -> None:
    before = apply_deltas({}, [_change(Op.ADD, "a", "Anna"), _change(Op.ADD, "b", "Boris")])
    start = before.entries
    result = apply_deltas(
        start,
        [
            _change(Op.ADD, "a", "Anna Karenina"),
            _change(Op.MOD, "b", None),  # b became a non-party entity
            _change(Op.DEL, "c", None),
        ],
    )
    assert sorted(start) == ["ftm:a", "ftm:b"] and start["ftm:a"].name == "Anna"
    assert list(result.entries) == ["ftm:a"] and result.entries["ftm:a"].name == "Anna Karenina"
    assert (result.added, result.modified, result.deleted, result.non_party) == (0, 1, 1, 1)
    assert [i.message for i in result.issues] == [
        "ADD of an entity already in the state: replaced",
        "MOD turned a list entry into a non-party entity: entry removed",
        "DEL of an entity not in the state: nothing deleted",
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b"{not json", "line 2 is not JSON"),
        (b'["a"]', "line 2 is not a JSON object"),
        (b'{"op":"UPD","entity":{"id":"x"}}', "line 2 has op 'UPD'"),
        (b'{"op":"DEL","entity":{}}', "line 2 has no entity id"),
        (b'{"op":"ADD","entity":{"id":"x"}}', "line 2 (entity x) has no schema"),
    ],
)
def test_bad_delta_lines_name_file_and_line(line: bytes, message: str) -> None:
    good = b'{"op":"DEL","entity":{"id":"y"}}\n'
    raw = RawFiles({"entities.delta.json": good + line})
    with pytest.raises(SourceError, match=re.escape(f"entities.delta.json: {message}")):
        list(FtmDelta().read(raw))


def test_entities_file_needs_a_schema_and_index_needs_versions() -> None:
    raw = RawFiles({"entities.ftm.json": b'\n{"id":"x","properties":{}}\n'})
    with pytest.raises(SourceError, match=r"entities.ftm.json: line 2 \(entity x\) has no schema"):
        list(FtmEntities().read(raw))
    with pytest.raises(SourceError, match="expected 'versions'"):
        read_delta_index(b'{"versions": ["20240527134702-zbn"]}')


def test_fetch_gets_the_latest_version_named_by_the_index() -> None:
    index = (FTM / "t2" / "delta_index.json").read_bytes()
    latest = (
        "https://data.opensanctions.org/artifacts/sanctions/20240528134729-3iv/entities.delta.json"
    )
    served = {DELTA_INDEX_URL: index, latest: b'{"op":"DEL","entity":{"id":"z"}}\n'}

    class Fetcher:
        def get(self, url: str) -> bytes:
            return served[url]

    raw = FtmDelta().fetch(Fetcher())
    assert [(r.op, r.entity["id"]) for r in FtmDelta().read(raw)] == [(Op.DEL, "z")]
