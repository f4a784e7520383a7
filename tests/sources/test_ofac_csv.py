"""OFAC legacy CSV sets (SDN and non-SDN consolidated): every real file, and fixtures cut from them."""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter
from pathlib import Path

import pytest

from interlock.model import AliasStrength, IdentifierType, ListEntry, Schema
from interlock.sources.base import RawFiles, SourceError, parse_snapshot
from interlock.sources.ofac_csv import (
    OfacConsCsv,
    OfacSdnCsv,
    consolidated_lists,
    parse_remarks,
    read_side_file,
    split_programs,
)
from tests.conftest import FIXTURES, raw_from, shared_file

OFAC = "ofac"
CUT = FIXTURES / "ofac_csv"
SDN_SET = ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")
CONS_SET = ("cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv")


def _by_id(entries: list[ListEntry]) -> dict[str, ListEntry]:
    return {e.source_id: e for e in entries}


def _fixture_set(folder: str, names: tuple[str, ...]) -> RawFiles:
    return raw_from({name: CUT / folder / name for name in names})


# --- real files -------------------------------------------------------------------------------


def test_sdn_2021_counts_types_and_eof_byte() -> None:
    raw = raw_from({"sdn.csv": shared_file(f"{OFAC}/sdn_2021-08-18__jackdwyer.csv.gz")})
    assert raw.get("sdn.csv").endswith(b"\r\n\x1a")
    parsed = parse_snapshot(OfacSdnCsv(), raw)
    assert parsed.row_count == 9083
    assert len({e.entity_id for e in parsed.entries}) == 9083
    assert Counter(e.schema_ for e in parsed.entries) == {
        Schema.PERSON: 4688,
        Schema.ORGANIZATION: 3711,
        Schema.VESSEL: 407,
        Schema.AIRCRAFT: 277,
    }
    assert all(e.lists == ["SDN"] for e in parsed.entries)
    assert not any(i.field in ("schema", "lists") for e in parsed.entries for i in e.issues)


def test_sdn_2024_counts_and_chinese_precursor_vendors_keep_their_uscc() -> None:
    raw = raw_from({"sdn.csv": shared_file(f"{OFAC}/sdn_2024-05-03__jackdwyer.csv.gz")})
    parsed = parse_snapshot(OfacSdnCsv(), raw)
    assert parsed.row_count == 14965
    entries = _by_id(parsed.entries)
    assert len(entries) == 14965
    uscc = [i for e in parsed.entries for i in e.identifiers if i.type == IdentifierType.USCC]
    assert len(uscc) == 91
    assert Counter(i.label for i in uscc) == {
        "Unified Social Credit Code (USCC)": 84,
        "United Social Credit Code Certificate (USCCC)": 7,
    }
    assert all(len(i.value) == 18 for i in uscc)

    wuhan = entries["41299"]
    assert wuhan.name == "WUHAN SHUOKANG BIOLOGICAL TECHNOLOGY CO., LTD"
    assert wuhan.schema_ == Schema.ORGANIZATION
    assert wuhan.programs == ["ILLICIT-DRUGS-EO14059"]
    assert [(i.value, i.country) for i in wuhan.identifiers if i.type == "USCC"] == [
        ("91420100MA49RQRJ87", "CN")
    ]
    assert wuhan.countries == ["CN"]

    # Every drug-program China vendor whose remarks state a USCC carries it as an identifier.
    chemicals = shared_file("chemicals/ofac_sdn_drug_program_china_entities_2021-2024.csv")
    checked = 0
    for row in csv.DictReader(io.StringIO(chemicals.read_text("utf-8"))):
        if "USCC" not in row["remarks"] or row["ent_num"] not in entries:
            continue
        values = {i.value for i in entries[row["ent_num"]].identifiers if i.type == "USCC"}
        assert values and all(v in row["remarks"] for v in values), row["name"]
        checked += 1
    assert checked == 20


def test_2019_set_joins_aliases_addresses_and_comment_overflow() -> None:
    raw = raw_from({n: shared_file(f"{OFAC}/ofac_2019-01/{n}.gz") for n in SDN_SET})
    parsed = parse_snapshot(OfacSdnCsv(), raw)
    assert parsed.row_count == 7379
    entries = _by_id(parsed.entries)
    assert len(entries) == 7379
    strong = [a for e in parsed.entries for a in e.aliases if a.strength == AliasStrength.STRONG]
    assert len(strong) == 9682  # every alt.csv row, attached
    assert sum(len(e.original.get("add", [])) for e in parsed.entries) == 11696
    # 2,222 add rows are all '-0-': an address row OFAC writes for entries without one.
    assert sum(len(e.addresses) for e in parsed.entries) == 9474
    assert Counter(a.kind for a in strong) == {"aka": 9335, "fka": 331, "nka": 16}

    joined = [e for e in parsed.entries if e.original.get("comments")]
    assert sorted(e.source_id for e in joined) == ["12300", "15599", "15600"]
    cifuentes = entries["12300"]
    # sdn.csv stops at '... Linked To: PROMO RAI'; sdn_comments.csv goes on 'Z S.A.S.; ...'.
    assert "Linked To: PROMO RAIZ S.A.S.;" in (cifuentes.remarks or "")
    assert cifuentes.relations[-1].name == "R D I S.A"  # the cell's closing full stop is not kept
    assert "PROMO RAIZ S.A.S." in [r.name for r in cifuentes.relations]


def test_2025_partial_set_without_sdn_csv_is_rejected_and_side_files_read() -> None:
    paths = {n: shared_file(f"{OFAC}/ofac_2025-02_partial/{n}.gz") for n in SDN_SET[1:]}
    raw = raw_from(paths)
    with pytest.raises(SourceError, match=r"no file 'sdn\.csv'"):
        parse_snapshot(OfacSdnCsv(), raw)
    alt = read_side_file(raw.get("alt.csv"), "alt.csv")
    add = read_side_file(raw.get("add.csv"), "add.csv")
    comments = read_side_file(raw.get("sdn_comments.csv"), "sdn_comments.csv")
    assert (len(alt), len(add), len(comments)) == (19486, 22641, 21)
    assert max(int(r["ent_num"]) for r in add) == 52412
    assert Counter(r["alt_type"] for r in alt) == {"aka": 18919, "fka": 550, "nka": 17}
    assert comments[0]["remarks_overflow"].startswith("tive Date (EO 14024 Directive)'")


def test_cons_2018_lists_from_program_tags() -> None:
    folder = shared_file(f"{OFAC}/ofac_cons_2018-04")
    raw = raw_from({n: folder / n for n in CONS_SET[:3]})
    parsed = parse_snapshot(OfacConsCsv(), raw)
    assert parsed.row_count == 639
    strong = [a for e in parsed.entries for a in e.aliases if a.strength == AliasStrength.STRONG]
    assert len(strong) == 1209
    assert sum(len(e.original.get("add", [])) for e in parsed.entries) == 857
    assert Counter(c for e in parsed.entries for c in e.lists) == {
        "SSI": 290,
        "EO13599": 264,
        "PLC": 78,
        "FSE": 6,
        "CAP": 1,
    }
    assert all(e.entity_id.startswith("us_ofac_cons:") for e in parsed.entries)


def test_cons_2025_lists_and_comments() -> None:
    folder = shared_file(f"{OFAC}/ofac_cons_2025-12")
    parsed = parse_snapshot(OfacConsCsv(), raw_from({n: folder / n for n in CONS_SET}))
    assert parsed.row_count == 442
    strong = [a for e in parsed.entries for a in e.aliases if a.strength == AliasStrength.STRONG]
    assert len(strong) == 1073
    assert sum(len(e.original.get("add", [])) for e in parsed.entries) == 574
    assert sum(len(e.original.get("comments", [])) for e in parsed.entries) == 10
    assert Counter(tuple(e.lists) for e in parsed.entries) == {
        ("SSI",): 199,
        ("SSI", "NS-MBS"): 87,
        ("PLC",): 78,
        ("CMIC",): 68,
        ("NS-MBS",): 9,
        ("CAP",): 1,
    }
    assert not any(i.field == "lists" for e in parsed.entries for i in e.issues)


# --- fixtures cut from the real files -----------------------------------------------------------


def _sdn_2024_cut() -> dict[str, ListEntry]:
    parsed = parse_snapshot(OfacSdnCsv(), raw_from({"sdn.csv": CUT / "sdn_2024-05-03_cut.csv"}))
    assert parsed.row_count == 19
    return _by_id(parsed.entries)


def test_cut_eof_byte_and_null_marker() -> None:
    data = (CUT / "sdn_2024-05-03_cut.csv").read_bytes()
    assert data.endswith(b"\r\n\x1a") and b"-0- " in data
    entries = _sdn_2024_cut()
    airline = entries["36"]
    assert airline.schema_ == Schema.ORGANIZATION  # SDN_Type '-0- '
    assert (airline.title, airline.remarks, airline.vessel) == (None, None, None)
    assert airline.original["Remarks"] == "-0- "
    texts = [e.name for e in entries.values()] + [e.title or "" for e in entries.values()]
    assert not any("-0-" in t for t in texts)


def test_cut_vessel_columns_and_imo() -> None:
    tug = _sdn_2024_cut()["4249"]
    assert tug.schema_ == Schema.VESSEL
    assert tug.vessel is not None
    assert tug.vessel.model_dump() == {
        "call_sign": "CL2059",
        "vessel_type": "Tug",
        "flag": "Cuba",
        "owner": None,
        "tonnage": None,
        "gross_registered_tonnage": "189",
    }
    assert [(i.type, i.value) for i in tug.identifiers] == [(IdentifierType.IMO, "7206512")]


def test_cut_remarks_uscc_dob_links_and_weak_aliases() -> None:
    entries = _sdn_2024_cut()
    wang = entries["41297"]
    assert [d.value for d in wang.dates_of_birth] == ["1991-12-02"]
    assert wang.places_of_birth == ["Hebei, China"]
    assert wang.nationalities == ["CN"]
    assert wang.features["Gender"] == ["Male"]
    assert [(r.kind, r.name) for r in wang.relations] == [
        ("linked-to", "WUHAN SHUOKANG BIOLOGICAL TECHNOLOGY CO., LTD"),
        ("linked-to", "YAO, Huatao"),
    ]
    by_type = Counter(i.type for i in wang.identifiers)
    assert by_type[IdentifierType.PHONE] == 3
    assert by_type[IdentifierType.EMAIL] == 1
    assert by_type[IdentifierType.DIGITAL_CURRENCY] == 1
    national = next(i for i in wang.identifiers if i.type == IdentifierType.NATIONAL_ID)
    assert (national.value, national.country) == ("13053119911202021X", "CN")

    wuhan = entries["41299"]
    assert [(i.type, i.value, i.label) for i in wuhan.identifiers] == [
        (IdentifierType.REGISTRATION, "420100001731665", "Registration Number"),
        (IdentifierType.USCC, "91420100MA49RQRJ87", "Unified Social Credit Code (USCC)"),
    ]
    assert wuhan.features["Organization Type"][0].startswith("Retail sale of pharmaceutical")

    bank = entries["306"]
    assert [(a.name, a.strength) for a in bank.aliases] == [("BNC", AliasStrength.WEAK)]
    vessel = entries["4243"]
    assert [(a.name, a.kind) for a in vessel.aliases] == [("ANA I", "fka"), ("SAND SWAN", "fka")]


def test_cut_partial_dates_of_birth() -> None:
    entries = _sdn_2024_cut()
    assert [d.value for d in entries["6862"].dates_of_birth] == ["1938-09"]  # 'DOB Sep 1938'
    circa = entries["7782"].dates_of_birth
    assert [(d.value, d.original) for d in circa] == [("1951", "circa 1951")]
    naqdi = entries["12057"].dates_of_birth
    assert any(d.original == "1951 to 1953" for d in naqdi)
    assert [d.value for d in naqdi if d.original == "1951 to 1953"] == ["1951", "1953"]


def test_cut_unrecognised_nationality_is_flagged_not_dropped() -> None:
    entry = _sdn_2024_cut()["7940"]
    assert entry.nationalities == []
    assert [(i.field, i.value) for i in entry.issues] == [("nationalities", "possibly Palestinian")]
    assert "nationality possibly Palestinian" in (entry.remarks or "")


def test_cut_2019_set_join_dirt() -> None:
    parsed = parse_snapshot(OfacSdnCsv(), _fixture_set("sdn_2019-01", SDN_SET))
    entries = _by_id(parsed.entries)
    assert parsed.row_count == 10
    bank = entries["306"]
    assert [(a.name, a.strength) for a in bank.aliases] == [
        ("NATIONAL BANK OF CUBA", AliasStrength.STRONG),
        ("BNC", AliasStrength.WEAK),
    ]
    assert bank.countries == ["CH", "ES", "JP", "PA"]
    assert bank.addresses[0].full == "Zweierstrasse 35, Zurich CH-8022, Switzerland"
    # alt.csv's '-0-' without its space and add.csv cut short at '-0' are nulls all the same.
    agency = entries["26232"]
    assert agency.aliases[0].name == "FEDERALNOE AGENTSTVO NOVOSTEI OOO"
    malkevich = entries["26235"]
    assert [(a.city, a.country) for a in malkevich.addresses] == [("St. Petersburg", "RU")]
    assert not malkevich.issues
    caro = entries["15599"]
    assert "PROMI FEL, S. DE R.L. DE C.V." in [r.name for r in caro.relations]
    assert len(caro.original["comments"]) == 1


def test_overflow_for_a_remark_that_is_not_cut_is_not_joined() -> None:
    # ALFA-BANK's 2024 remark is complete (947 characters); the 2025 comments file continues the
    # longer 2025 remark. The bundled SDN set pairs exactly these two files.
    raw = _fixture_set("sdn_2024-05_comments_2025-02", ("sdn.csv", "sdn_comments.csv"))
    (entry,) = parse_snapshot(OfacSdnCsv(), raw).entries
    assert entry.name == "JOINT STOCK COMPANY ALFA-BANK"
    assert entry.remarks is not None and entry.remarks.endswith("1027700067328 (Russia).")
    assert [(i.field, i.value) for i in entry.issues] == [("remarks", "67328 (Russia).")]


def test_side_file_orphans_are_reported() -> None:
    files = dict(_fixture_set("sdn_2019-01", SDN_SET).files)
    files["sdn.csv"] = (CUT / "sdn_2024-05-03_cut.csv").read_bytes()
    orphans = OfacSdnCsv().side_file_orphans(RawFiles(files))
    assert orphans == {
        "alt.csv": ["173", "12300", "15599", "26232"],
        "add.csv": ["173", "12300", "15599", "15600", "26232", "26235"],
        "sdn_comments.csv": ["12300", "15599", "15600"],
    }


def test_cut_cons_lists_comments_and_empty_address() -> None:
    parsed = parse_snapshot(OfacConsCsv(), _fixture_set("cons_2025-12", CONS_SET))
    entries = _by_id(parsed.entries)
    assert {k: e.lists for k, e in entries.items()} == {
        "9639": ["PLC"],
        "9647": ["PLC"],
        "15268": ["CAP"],
        "17013": ["SSI", "NS-MBS"],
        "17016": ["SSI", "NS-MBS"],
        "18299": ["SSI"],
        "18782": ["SSI", "NS-MBS"],
        "27016": ["NS-MBS"],
        "30882": ["CMIC"],
        "31693": ["NS-MBS"],
        "46072": ["NS-MBS"],
        "50476": ["NS-MBS"],
    }
    haniya = entries["9639"]
    assert haniya.addresses == [] and len(haniya.original["add"]) == 1
    gazprombank = entries["17016"]
    # cons_prim.csv ends with "... on or after the 'Effec"; cons_comments.csv goes on "tive Date".
    assert "the 'Effective Date (EO 14024 Directive)' associated" in (gazprombank.remarks or "")
    assert gazprombank.features["Listing Date (EO 14024 Directive 3)"] == ["24 Feb 2022"]
    telecom = entries["30882"]
    assert telecom.features["Listing Date (CMIC)"] == ["03 Jun 2021"]
    assert [i.value for i in telecom.identifiers if i.type == "USCC"] == ["9111000071093019X7"]
    kunlun = entries["15268"]
    assert [(i.type, i.value) for i in kunlun.identifiers] == [(IdentifierType.SWIFT, "CKLBCNBJ")]


def test_unknown_cons_program_is_kept_as_cons_with_an_issue() -> None:
    row = (CUT / "cons_2025-12" / "cons_prim.csv").read_bytes().split(b"\r\n")[0]
    assert b'"NS-PLC"' in row
    raw = RawFiles({"cons_prim.csv": row.replace(b'"NS-PLC"', b'"NEW-PROGRAM"') + b"\r\n\x1a"})
    (entry,) = parse_snapshot(OfacConsCsv(), raw).entries
    assert entry.lists == ["CONS"]
    assert [(i.field, i.value) for i in entry.issues] == [("lists", "NEW-PROGRAM")]


def test_windows_1252_bytes_decode() -> None:
    row = (CUT / "sdn_2024-05-03_cut.csv").read_bytes().split(b"\r\n")[0]
    raw = RawFiles({"sdn.csv": row.replace(b"AEROCARIBBEAN", b"A\xc9ROCARIBBEAN")})
    (entry,) = parse_snapshot(OfacSdnCsv(), raw).entries
    assert entry.name == "AÉROCARIBBEAN AIRLINES"


def test_wrong_field_count_names_file_and_line() -> None:
    data = (CUT / "sdn_2024-05-03_cut.csv").read_bytes().split(b"\r\n")
    broken = b"\r\n".join([data[0], b'999,"TOO SHORT",-0- ', *data[1:]])
    with pytest.raises(SourceError, match=r"sdn\.csv: record at line 2 has 3 fields"):
        list(OfacSdnCsv().read(RawFiles({"sdn.csv": broken})))


def test_split_programs_and_list_codes() -> None:
    assert split_programs("IRAN] [SDGT] [IRGC] [IFSR") == ["IRAN", "SDGT", "IRGC", "IFSR"]
    assert split_programs("-0- ") == []
    assert consolidated_lists(["SYRIA", "FSE-SY"], None) == ["FSE"]
    assert consolidated_lists(["SDGT"], None) == []
    assert consolidated_lists(["IRAN"], "... Pursuant to Executive Order 13599") == ["EO13599"]


def test_parse_remarks_items() -> None:
    parsed = parse_remarks(
        "Identification Number IMO 5342883; alt. Passport A123 (Iran) issued 2010; "
        "Listing Date (EO 14024 Directive 2): 24 Feb 2022; Aircraft Tail Number YI-NAE; "
        "Member of the State Duma of the Federal Assembly of the Russian Federation."
    )
    assert [(i.type, i.value, i.country) for i in parsed.identifiers] == [
        (IdentifierType.NATIONAL_ID, "IMO 5342883", None),
        (IdentifierType.PASSPORT, "A123", "IR"),
        (IdentifierType.AIRCRAFT, "YI-NAE", None),
    ]
    assert parsed.features == {
        "Listing Date (EO 14024 Directive 2)": ["24 Feb 2022"],
        "Remark": ["Member of the State Duma of the Federal Assembly of the Russian Federation"],
    }


def test_fixtures_are_real_rows() -> None:
    """Each fixture line is a line of the real file it was cut from (checked when it is here)."""
    sources = {
        CUT / "sdn_2024-05-03_cut.csv": f"{OFAC}/sdn_2024-05-03__jackdwyer.csv.gz",
        **{CUT / "sdn_2019-01" / n: f"{OFAC}/ofac_2019-01/{n}.gz" for n in SDN_SET},
        **{CUT / "cons_2025-12" / n: f"{OFAC}/ofac_cons_2025-12/{n}" for n in CONS_SET},
        CUT
        / "sdn_2024-05_comments_2025-02"
        / "sdn.csv": f"{OFAC}/sdn_2024-05-03__jackdwyer.csv.gz",
        CUT / "sdn_2024-05_comments_2025-02" / "sdn_comments.csv": (
            f"{OFAC}/ofac_2025-02_partial/sdn_comments.csv.gz"
        ),
    }
    for fixture, relative in sources.items():
        real = shared_file(relative)
        content = real.read_bytes()
        if real.suffix == ".gz":
            content = gzip.decompress(content)
        real_lines = set(content.rstrip(b"\x1a").splitlines())
        cut_lines = Path(fixture).read_bytes().rstrip(b"\x1a").splitlines()
        assert cut_lines and set(cut_lines) <= real_lines, fixture
