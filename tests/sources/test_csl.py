"""trade.gov CSL: the three real CSV layouts and the JSON format."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from interlock.model import Schema, Severity
from interlock.sources.base import RawFiles, SourceError, parse_snapshot
from interlock.sources.csl import CslCsv, CslJson, list_code
from tests.conftest import FIXTURES, raw_from, shared_file

IFS_ID = "aae680d264a18c38121789996cf8c9764c85559f"


def _csv(path_name: str) -> RawFiles:
    return raw_from({"consolidated.csv": shared_file(path_name)})


def test_full_2022_file_counts_and_ifs_row() -> None:
    parsed = parse_snapshot(CslCsv(), _csv("csl/csl_2022-04_full__watchman.csv.gz"))
    assert parsed.row_count == 14160
    assert len(parsed.entries) == 14160
    assert len({e.entity_id for e in parsed.entries}) == 14160
    lists = Counter(e.lists[0] for e in parsed.entries)
    assert lists["SDN"] == 10026 and lists["EL"] == 2001 and lists["DPL"] == 462
    ifs = next(e for e in parsed.entries if e.source_id == f"EL:{IFS_ID}")
    assert ifs.name == "Ministry of Public Security's Institute of Forensic Science of China"
    assert ifs.name_original.startswith("Ministry of Public Security?s")
    assert [c.raw for c in ifs.citations] == ["85 FR 34505", "85 FR 44159"]
    assert [(c.volume, c.page) for c in ifs.citations] == [(85, 34505), (85, 44159)]
    assert len(ifs.addresses) == 4 and ifs.countries == ["CN"]
    assert [a.name for a in ifs.aliases] == [
        "Forensic Identification Center of the Ministry of Public Security of the People's "
        "Republic of China",
        "Material Identification Center of the Ministry of Public Security of the People's "
        "Republic of China",
    ]
    assert ifs.license_requirement == "For all items subject to the EAR."
    assert ifs.listed_on is not None and ifs.listed_on.isoformat() == "2020-06-05"
    assert any("apostrophe" in i.message for i in ifs.issues)
    same_rule = [e for e in parsed.entries if any(c.page == 34505 for c in e.citations)]
    assert len(same_rule) == 11


def test_csl_row_repeated_in_source_is_kept_and_flagged() -> None:
    parsed = parse_snapshot(
        CslCsv(), raw_from({"consolidated.csv": FIXTURES / "csl" / "csl_2022-04_cut.csv"})
    )
    kunlun = [e for e in parsed.entries if e.name == "BANK OF KUNLUN CO LTD"]
    assert len(kunlun) == 2
    assert kunlun[1].source_id.endswith("#2")
    assert any("repeated" in i.message for i in kunlun[1].issues)


def test_2023_subset_repeated_header_and_truncated_last_row() -> None:
    parsed = parse_snapshot(CslCsv(), _csv("csl/csl_2023-11_subset__watchman.csv"))
    assert parsed.row_count == 4227
    assert Counter(e.lists[0] for e in parsed.entries)["EL"] == 919
    assert not any(e.name == "name" for e in parsed.entries)
    cut = [e for e in parsed.entries if any(i.severity == Severity.ERROR for i in e.issues)]
    assert [e.name for e in cut] == ["BERMUDEZ SUAZA, Pedro Antonio"]


def test_2019_layout_without_id() -> None:
    parsed = parse_snapshot(CslCsv(), _csv("csl/csl_2019-12_sample__watchman.csv"))
    assert parsed.row_count == 115
    assert Counter(e.lists[0] for e in parsed.entries) == {
        "SDN": 28,
        "SSI": 26,
        "EL": 22,
        "PLC": 13,
        "DTC": 10,
        "DPL": 8,
        "UVL": 4,
        "ISN": 3,
        "CAP": 1,
    }
    assert len({e.entity_id for e in parsed.entries}) == 115


def test_fixture_cut_from_real_rows() -> None:
    parsed = parse_snapshot(
        CslCsv(), raw_from({"consolidated.csv": FIXTURES / "csl" / "csl_2022-04_cut.csv"})
    )
    assert parsed.row_count == 24
    ifs = next(e for e in parsed.entries if "Forensic Science" in e.name)
    assert ifs.schema_ == Schema.UNKNOWN
    huawei = next(e for e in parsed.entries if "Huawei" in e.name_original and e.relations)
    assert huawei.relations[0].kind == "affiliate-of"
    assert huawei.relations[0].name.startswith("Huawei Technologies Co., Ltd.")
    assert not huawei.name.startswith("Huawei Technologies Co., Ltd. (Huawei)")
    scoped = next(e for e in parsed.entries if "sub-unit" in e.name_original)
    assert "successor" not in scoped.name
    assert scoped.relations[0].kind == "successor-scope"
    uscc = [i for e in parsed.entries for i in e.identifiers if i.type == "USCC"]
    assert uscc and all(len(i.value) == 18 for i in uscc)
    dpl = [e for e in parsed.entries if e.lists == ["DPL"]]
    assert dpl and all(c.date is not None for e in dpl for c in e.citations)


def test_unknown_layout_is_rejected_with_the_columns_named() -> None:
    with pytest.raises(SourceError, match="unknown CSL layout"):
        list(CslCsv().read(RawFiles({"consolidated.csv": b"a,b,c\n1,2,3\n"})))


def test_json_format_maps_like_csv() -> None:
    document = json.loads((FIXTURES / "csl" / "consolidated_cut.json").read_text())
    parsed = parse_snapshot(
        CslJson(), RawFiles({"consolidated.json": json.dumps(document).encode()})
    )
    assert parsed.row_count == len(document["results"])
    ifs = next(e for e in parsed.entries if "Forensic Science" in e.name)
    assert ifs.name == "Ministry of Public Security's Institute of Forensic Science of China"
    assert [c.page for c in ifs.citations] == [34505, 44159]
    assert ifs.addresses[0].country == "CN"


def test_list_code() -> None:
    assert list_code("Military End User (MEU) List - Bureau of Industry and Security") == "MEU"
    assert (
        list_code("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department")
        == "NS-MBS"
    )
