"""BIS Denied Persons List TSV: both real snapshots and a fixture cut from their rows."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from interlock.model import ListEntry
from interlock.sources.base import RawFiles, SourceError, parse_snapshot
from interlock.sources.dpl import DplTsv
from tests.conftest import FIXTURES, raw_from, shared_file

HEADER = (
    '"Name"\t"Street_Address"\t"City"\t"State"\t"Country"\t"Postal_Code"\t"Effective_Date"\t'
    '"Expiration_Date"\t"Standard_Order"\t"Last_Update"\t"Action"\t"FR_Citation"\n'
)


def _real(name: str) -> RawFiles:
    return raw_from({"dpl.txt": shared_file(f"bis/{name}")})


def _fixture(name: str) -> RawFiles:
    return raw_from({"dpl.txt": FIXTURES / "dpl" / name})


def _one(entries: list[ListEntry], name: str) -> ListEntry:
    (entry,) = [e for e in entries if e.name == name]
    return entry


def _issues(entry: ListEntry, field: str) -> list[str]:
    return [i.message for i in entry.issues if i.field == field]


def test_2019_snapshot_rows_orders_and_the_3017_update() -> None:
    fmt, raw = DplTsv(), _real("dpl_2019-06__watchman.txt")
    assert len(list(fmt.rows(raw))) == 546
    parsed = parse_snapshot(fmt, raw)
    assert parsed.row_count == 546 and len(parsed.entries) == 417
    assert len({e.entity_id for e in parsed.entries}) == 417
    assert sum(len(e.original["rows"]) for e in parsed.entries) == 546
    flagged = [e for e in parsed.entries if _issues(e, "Last_Update")]
    assert [e.name for e in flagged] == ["MANSOUR ZADEH"]
    assert "3017-08-22" in flagged[0].features["last_update"]
    assert fmt.data_date(raw) == date(2019, 6, 12)


def test_2023_snapshot_rows_orders_and_implausible_updates() -> None:
    fmt, raw = DplTsv(), _real("dpl_2023-11__watchman.txt")
    assert len(list(fmt.rows(raw))) == 665
    parsed = parse_snapshot(fmt, raw)
    assert parsed.row_count == 665 and len(parsed.entries) == 547
    assert sum(len(e.original["rows"]) for e in parsed.entries) == 665
    flagged = Counter(
        (i.value, e.name) for e in parsed.entries for i in e.issues if i.field == "Last_Update"
    )
    assert flagged == {
        ("3033-09-30", "JOSE ERNESTO GARCIA"): 1,
        ("1023-11-01", "AL NASER AIRLINES"): 1,
        ("1023-11-01", "GIE KERMAN AVIATION"): 1,
    }
    assert fmt.data_date(raw) == date(2023, 11, 28)
    assert max(e.listed_on for e in parsed.entries if e.listed_on) == date(2023, 11, 16)


def test_same_order_keeps_its_id_across_snapshots() -> None:
    old = parse_snapshot(DplTsv(), _real("dpl_2019-06__watchman.txt")).entries
    new = parse_snapshot(DplTsv(), _real("dpl_2023-11__watchman.txt")).entries
    ids = {e.entity_id for e in old} & {e.entity_id for e in new}
    assert len(ids) == 234
    ash_orders = {e.start_date: e.entity_id for e in old if e.name == "I. ASH"}
    assert ash_orders == {e.start_date: e.entity_id for e in new if e.name == "I. ASH"}
    assert sorted(ash_orders) == ["03/04/2002", "06/19/2003"]
    # A renewed temporary denial order is a new order: new effective date, new id.
    assert _one(old, "MAHAN AIRWAYS").start_date == "06/05/2019"
    assert _one(old, "MAHAN AIRWAYS").entity_id != _one(new, "MAHAN AIRWAYS").entity_id


def test_concatenated_citations_are_split_with_their_dates() -> None:
    parsed = parse_snapshot(DplTsv(), _fixture("dpl_2023-11_cut.txt"))
    ash = _one(parsed.entries, "I. ASH")
    assert ash.name_original == " I. ASH"
    assert [(c.volume, c.page, c.date) for c in ash.citations] == [
        (68, 38290, date(2003, 6, 27)),
        (71, 38843, date(2006, 7, 10)),
        (72, 4236, date(2007, 1, 30)),
    ]
    glued = _one(parsed.entries, "ALI KHANAMAN MOHAMMADI")
    assert [(c.volume, c.page, c.date) for c in glued.citations] == [(81, 28822, date(2016, 5, 10))]


def test_citation_without_page_is_flagged_not_read_as_page_one() -> None:
    mynet = _one(
        parse_snapshot(DplTsv(), _fixture("dpl_2023-11_cut.txt")).entries, "MYNET.NET CORP"
    )
    assert [(c.volume, c.page) for c in mynet.citations] == [(67, 56530), (67, 10890), (68, 38290)]
    assert _issues(mynet, "FR_Citation") == ["citation has no page number"]


def test_rows_of_one_order_become_one_entry_with_the_union_of_citations() -> None:
    parsed = parse_snapshot(DplTsv(), _fixture("dpl_2023-11_cut.txt"))
    assert len(list(DplTsv().rows(_fixture("dpl_2023-11_cut.txt")))) == 22
    assert parsed.row_count == 22 and len(parsed.entries) == 14
    nasser = _one(parsed.entries, "ABDULAH AL NASSER")
    assert [a.street for a in nasser.addresses] == [
        "605 TRAIL LAKE DRIVE",
        "908 AUDELIA ROAD, SUIE 200, PMB #245",
    ]
    assert len(nasser.original["rows"]) == 2
    assert [c.page for c in nasser.citations] == [56530, 10890, 38843]
    # One row lost the citation's volume ("F.R. 30823"), the other row of the order carries it.
    alhay = _one(parsed.entries, "ALI ABDULLAH AHMED ALHAY")
    assert alhay.countries == ["SA", "IQ"]
    assert (82, 30823) in [(c.volume, c.page) for c in alhay.citations]
    assert any("volume missing" in m for m in _issues(alhay, "FR_Citation"))
    # A date mistyped on one row ('11/22/201') is replaced by the dated copy from another row.
    airline = _one(parsed.entries, "AL NASER AIRLINES")
    assert [c.date for c in airline.citations if c.page == 66277] == [date(2021, 11, 22)]
    assert airline.lists == ["DPL"] and airline.source == "us_bis_dpl"


def test_dates_and_disagreeing_expirations() -> None:
    parsed = parse_snapshot(DplTsv(), _fixture("dpl_2023-11_cut.txt"))
    garcia = _one(parsed.entries, "JOSE ERNESTO GARCIA")
    assert (garcia.start_date, garcia.end_date) == ("09/26/2022", "02/03/2030")
    assert garcia.listed_on == date(2022, 9, 26)
    assert garcia.original["rows"][0]["Last_Update"] == "3033-09-30"
    assert garcia.features["last_update"] == ["3033-09-30"]
    ramirez = _one(parsed.entries, "JESUS ADRIAN RAMIREZ")
    assert ramirez.end_date == "12/16/2030"
    assert [i.value for i in ramirez.issues if i.field == "Expiration_Date"] == [
        "12/16/2023; 12/16/2030"
    ]


def test_countries_inferred_only_from_us_state_codes() -> None:
    parsed = parse_snapshot(DplTsv(), _fixture("dpl_2023-11_cut.txt"))
    shop = _one(parsed.entries, "CHEAPSHOP4YOU LLC")
    assert shop.countries == ["US"]
    assert shop.addresses[0].postal_code == "3801"  # the ZIP's lost leading zero is not restored
    assert _issues(shop, "Country") == ["country empty; US inferred from the state code NH"]
    assert _one(parsed.entries, "I. ASH").issues == []
    smith = _one(parsed.entries, "STEPHEN EDWARD SMITH")
    assert smith.countries == [] and _issues(smith, "Country") == ["country not recognised"]
    s7 = _one(parsed.entries, "SIBERIAN AIRLINES D/B/A S7 AIRLINES")
    assert s7.countries == [] and s7.addresses[0].country is None

    zadeh = _one(parse_snapshot(DplTsv(), _fixture("dpl_2019-06_cut.txt")).entries, "MANSOUR ZADEH")
    # "CY" in State is Cyprus, not a state: those three addresses stay unresolved.
    assert [a.country for a in zadeh.addresses] == [None, "US", None, None]
    assert zadeh.addresses[0].city == "1082 NICOSIA"


def test_fixture_data_date_ignores_implausible_years() -> None:
    assert DplTsv().data_date(_fixture("dpl_2019-06_cut.txt")) == date(2017, 8, 22)
    assert DplTsv().data_date(_fixture("dpl_2023-11_cut.txt")) == date(2023, 11, 1)


def test_layout_and_row_errors_name_the_problem() -> None:
    with pytest.raises(SourceError, match="unknown DPL layout"):
        list(DplTsv().read(RawFiles({"dpl.txt": b'"Name"\t"City"\n"A"\t"B"\n'})))
    short = HEADER + '"A"\t"B"\n'
    with pytest.raises(SourceError, match="line 2 has 2 fields"):
        list(DplTsv().read(RawFiles({"dpl.txt": short.encode()})))
