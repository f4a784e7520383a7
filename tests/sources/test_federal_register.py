"""Federal Register documents: the real CSV sample and the API's JSON shape."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import pytest

from interlock.model import FederalRegisterDocument
from interlock.sources.base import RawFiles, SourceError
from interlock.sources.federal_register import FederalRegisterCsv, FederalRegisterJson
from tests.conftest import FIXTURES, raw_from, shared_file

IFS_REMOVAL_URL = (
    "https://www.federalregister.gov/documents/2023/11/17/2023-25557/entity-list-removal"
)
HEADER = "publication_date,fr_document_number,title,abstract,federal_register_url\n"


def _by_number(documents: list[FederalRegisterDocument]) -> dict[str, FederalRegisterDocument]:
    return {d.document_number: d for d in documents}


def _json(payload: object) -> list[FederalRegisterDocument]:
    return list(
        FederalRegisterJson().items(RawFiles({"documents.json": json.dumps(payload).encode()}))
    )


def test_real_csv_sample() -> None:
    fmt = FederalRegisterCsv()
    raw = raw_from(
        {
            "documents.csv": shared_file(
                "bis/federal_register_sanctions_export_drug_rules_2020-2026__deepseek-news.csv"
            )
        }
    )
    documents = list(fmt.items(raw))
    assert len(documents) == 1016
    by_number = _by_number(documents)
    assert len(by_number) == 1016
    ifs = by_number["2023-25557"]
    assert ifs.title == "Entity List Removal"
    assert ifs.publication_date == date(2023, 11, 17)
    assert ifs.url == IFS_REMOVAL_URL
    assert ifs.citation is None and ifs.effective_date is None and ifs.agencies == []
    assert by_number["2025-19001"].publication_date == date(2025, 9, 30)
    assert sum(d.abstract is None for d in documents) == 102
    assert min(d.publication_date for d in documents) == date(2020, 1, 10)
    assert fmt.data_date(raw) == date(2026, 2, 4)


def test_csv_fixture_placeholder_abstract_is_none_but_kept() -> None:
    raw = raw_from({"documents.csv": FIXTURES / "federal_register" / "documents_cut.csv"})
    by_number = _by_number(list(FederalRegisterCsv().items(raw)))
    assert len(by_number) == 8
    khazali = by_number["2020-00242"]
    assert khazali.abstract is None
    assert khazali.original["abstract"] == "No summary provided."
    assert by_number["2020-07064"].title.startswith(
        "Designation of Benzylfentanyl and 4-Anilinopiperidine,"
    )
    assert by_number["2023-25557"].abstract is not None
    assert by_number["2023-25557"].abstract.startswith(
        "In this rule, the Bureau of Industry and Security"
    )


def test_csv_unreadable_date_names_the_line() -> None:
    bad = HEADER + "2023-11-17,2023-25557,Entity List Removal,x,u\n11/2023,2023-1,T,x,u\n"
    with pytest.raises(SourceError, match="line 3: unreadable publication_date '11/2023'"):
        list(FederalRegisterCsv().read(RawFiles({"documents.csv": bad.encode()})))
    with pytest.raises(SourceError, match="unknown Federal Register CSV layout"):
        list(FederalRegisterCsv().read(RawFiles({"documents.csv": b"a,b\n1,2\n"})))
    with pytest.raises(SourceError, match="no official download"):
        FederalRegisterCsv().fetch(None)


def test_json_search_results() -> None:
    raw = raw_from({"documents.json": FIXTURES / "federal_register" / "documents.json"})
    documents = list(FederalRegisterJson().items(raw))
    assert len(documents) == 7
    by_number = _by_number(documents)
    ifs = by_number["2023-25557"]
    assert ifs.citation is not None
    assert (ifs.citation.volume, ifs.citation.page, ifs.citation.raw) == (88, 80131, "88 FR 80131")
    assert (ifs.publication_date, ifs.effective_date) == (date(2023, 11, 17), date(2023, 11, 16))
    assert ifs.document_type == "Rule"
    assert ifs.agencies == ["Commerce Department", "Industry and Security Bureau"]
    assert ifs.url == IFS_REMOVAL_URL
    affiliates = by_number["2025-19001"]
    assert affiliates.citation is not None and affiliates.citation.page == 47201
    assert affiliates.effective_date == date(2025, 9, 29)
    sdn_rule = by_number["2024-06067"]
    assert sdn_rule.citation is not None and (sdn_rule.citation.volume, sdn_rule.citation.page) == (
        89,
        20107,
    )
    assert sdn_rule.effective_date is None
    assert Counter(a for d in documents for a in d.agencies)["Drug Enforcement Administration"] == 3
    notice = by_number["2020-00242"]
    assert (notice.citation, notice.abstract, notice.document_type) == (None, None, "Notice")
    assert all(not d.issues for d in documents)


def test_json_single_document_form() -> None:
    raw = raw_from({"documents.json": FIXTURES / "federal_register" / "2023-25557.json"})
    (document,) = FederalRegisterJson().items(raw)
    assert document.document_number == "2023-25557"
    assert document.citation is not None and document.citation.page == 80131
    assert document.original["start_page"] == 80131


def test_json_agency_without_matched_name_and_unreadable_values() -> None:
    (document,) = _json(
        {
            "results": [
                {
                    "document_number": "2023-25557",
                    "title": "Entity List Removal",
                    "publication_date": "2023-11-17",
                    "effective_on": "soon",
                    "citation": "see the rule",
                    "agencies": [{"raw_name": "Bureau of Industry and Security", "name": None}],
                    "abstract": "No summary provided.",
                }
            ]
        }
    )
    assert document.agencies == ["Bureau of Industry and Security"]
    assert (
        document.effective_date is None and document.citation is None and document.abstract is None
    )
    assert {i.field for i in document.issues} == {"effective_on", "citation"}


def test_json_unreadable_date_names_the_document() -> None:
    record = {"document_number": "2023-25557", "title": "T", "publication_date": "17 Nov"}
    with pytest.raises(SourceError, match=r"result 0 \(2023-25557\): unreadable publication_date"):
        _json({"results": [record]})
    with pytest.raises(SourceError, match="result 1 has no document_number"):
        _json({"results": [{**record, "publication_date": "2023-11-17"}, {"title": "T"}]})
    with pytest.raises(SourceError, match="not JSON"):
        list(FederalRegisterJson().read(RawFiles({"documents.json": b"<html>"})))
