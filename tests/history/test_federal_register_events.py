"""Federal Register documents → list events, and links to the entries that cite them."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from interlock.history.curated import load_curated_events
from interlock.history.federal_register import (
    classify,
    document_agency,
    document_events,
    end_pages,
    link_documents,
)
from interlock.history.identity import assign_identities
from interlock.history.model import Action, ListEvent, Origin
from interlock.model import FederalRegisterDocument, ListEntry
from interlock.sources.base import parse_snapshot
from interlock.sources.csl import CslCsv
from interlock.sources.federal_register import FederalRegisterCsv, FederalRegisterJson
from tests.conftest import FIXTURES, raw_from, shared_file

FR_CSV = "bis/federal_register_sanctions_export_drug_rules_2020-2026__deepseek-news.csv"
BIS_ENTITY_LIST_TITLE = re.compile(r"(?<!Act )Entity List")


@pytest.fixture(scope="module")
def real_documents() -> list[FederalRegisterDocument]:
    return list(FederalRegisterCsv().items(raw_from({"documents.csv": shared_file(FR_CSV)})))


@pytest.fixture(scope="module")
def json_documents() -> list[FederalRegisterDocument]:
    raw = raw_from({"documents.json": FIXTURES / "federal_register" / "documents.json"})
    return list(FederalRegisterJson().items(raw))


def _csl(path: Path) -> dict[str, ListEntry]:
    return assign_identities(parse_snapshot(CslCsv(), raw_from({"consolidated.csv": path})).entries)


def test_real_sample_actions_per_document(real_documents: list[FederalRegisterDocument]) -> None:
    events = document_events(real_documents)
    assert len({e.identity for e in events}) == len(real_documents) == 1016
    assert len(events) == 1104  # a document that adds and removes is one event per action
    assert Counter(e.action for e in events) == {
        Action.ADD: 516,
        Action.OTHER: 382,
        Action.REMOVE: 109,
        Action.MODIFY: 97,
    }
    assert all(e.origin == Origin.FEDERAL_REGISTER for e in events)
    assert all(e.identity == f"us_fr:{e.document_number}" for e in events)
    assert len({e.event_id for e in events}) == len(events)


def test_real_sample_entity_list_titles(real_documents: list[FederalRegisterDocument]) -> None:
    titled = [d for d in real_documents if BIS_ENTITY_LIST_TITLE.search(d.title)]
    assert len(titled) == 54
    action_sets = Counter(
        tuple(a.action.value for a in classify(d) if "EL" in a.lists) for d in titled
    )
    assert action_sets == {
        ("add",): 24,
        ("add", "modify"): 15,
        ("modify",): 4,
        ("add", "modify", "remove"): 3,
        ("add", "remove"): 2,
        ("remove",): 1,
        ("modify", "remove"): 1,
        # information collections, the standards-activities authorisation, and a UVL revision
        # whose "Additions to the Entity List" are criteria, not additions
        (): 4,
    }
    el_events = Counter(e.action for e in document_events(real_documents) if "EL" in e.lists)
    assert el_events == {Action.ADD: 45, Action.MODIFY: 24, Action.REMOVE: 7}


def test_ifs_removal_document(real_documents: list[FederalRegisterDocument]) -> None:
    (document,) = [d for d in real_documents if d.document_number == "2023-25557"]
    (event,) = document_events([document])
    assert (event.action, event.lists) == (Action.REMOVE, ["EL"])
    assert event.recorded_at == date(2023, 11, 17)
    assert event.effective_date is None  # the CSV sample carries no effective date
    assert event.agency == "Industry and Security Bureau"
    assert any(note.startswith("agency inferred from the title") for note in event.notes)
    assert event.source_url == document.url


def test_uflpa_entity_list_is_not_the_bis_entity_list(
    real_documents: list[FederalRegisterDocument],
) -> None:
    uflpa = [d for d in real_documents if "Forced Labor Prevention Act" in d.title]
    assert len(uflpa) == 6
    events = document_events(uflpa)
    assert not any("EL" in e.lists for e in events)
    assert {e.agency for e in events} == {"Homeland Security Department"}


def test_mixed_and_abstract_only_classifications(
    real_documents: list[FederalRegisterDocument],
) -> None:
    by_number = {d.document_number: d for d in real_documents}
    # "Revisions to the Entity List" whose abstract removes one entity and six aliases of another
    revisions = {(a.action, a.lists) for a in classify(by_number["2025-19858"])}
    assert revisions == {(Action.MODIFY, ("EL",)), (Action.REMOVE, ("EL",))}
    # OFAC notices say what they do only in the abstract
    ofac = [d for d in real_documents if d.title.startswith("Notice of OFAC Sanctions Action")]
    assert Counter(a.action for d in ofac for a in classify(d) if a.lists == ("SDN",)) == {
        Action.ADD: 424,
        Action.REMOVE: 84,
        Action.MODIFY: 67,
    }
    # what the abstracts leave unsaid stays `other`: "one or more of OFAC's sanctions lists",
    # "unblocked" without naming a list, "subject to specific prohibitions"
    assert sum(1 for d in ofac if not classify(d)) == 9


def test_api_documents_keep_their_agency_and_dates(
    json_documents: list[FederalRegisterDocument],
) -> None:
    events = {e.document_number: e for e in document_events(json_documents)}
    removal = events["2023-25557"]
    assert (removal.action, removal.effective_date, removal.recorded_at) == (
        Action.REMOVE,
        date(2023, 11, 16),
        date(2023, 11, 17),
    )
    assert removal.citation is not None and removal.citation.raw == "88 FR 80131"
    assert removal.agency == "Industry and Security Bureau"
    assert not any("inferred" in note for note in removal.notes)
    # the § 744.8 rule and the Affiliates IFR change no entry: they are regimes
    assert events["2024-06067"].action == Action.OTHER
    assert events["2025-19001"].action == Action.OTHER
    assert events["2023-07538"].agency == "Drug Enforcement Administration"
    assert events["2023-07538"].action == Action.OTHER


def test_agency_is_not_guessed_when_two_are_named() -> None:
    document = FederalRegisterDocument(
        document_number="2099-00001",
        publication_date=date(2099, 1, 1),
        title="Joint notice",
        abstract="The Office of Foreign Assets Control (OFAC) and the Bureau of Industry and Security (BIS) publish guidance.",
    )
    assert document_agency(document) == (None, None)


def _added_ifs_event() -> ListEvent:
    return next(e for e in load_curated_events() if e.action == Action.ADD)


def test_links_in_the_fixture_cut() -> None:
    entries = _csl(FIXTURES / "csl" / "csl_2022-04_cut.csv")
    links = link_documents([_added_ifs_event()], entries)
    assert len(links) == 11
    assert {link.reason for link in links} == {"entry cites 85 FR 34505"}
    assert any("Forensic Science" in link.entry_name for link in links)
    assert all(link.citation == "85 FR 34505" for link in links)


def test_links_in_the_full_2022_file(json_documents: list[FederalRegisterDocument]) -> None:
    entries = _csl(shared_file("csl/csl_2022-04_full__watchman.csv.gz"))
    curated = load_curated_events()
    links = link_documents([*curated, *document_events(json_documents)], entries)
    per_event = Counter(link.event_id for link in links)
    # 85 FR 44159 revised 37 existing entries and added 11: 48 entries cite it
    assert per_event == {
        "curated:ifs-2020-06-05-added": 11,
        "curated:ifs-2020-07-22-modified": 48,
    }
    # the 2023 removal is not cited by any 2022 entry: no link is invented
    assert not any(link.document_number == "2023-25557" for link in links)


def test_links_inside_a_document_page_span() -> None:
    # synthetic document: an FR API record for a rule printed on pages 34503-34510 of volume 85
    raw = raw_from({"documents.json": FIXTURES / "federal_register" / "documents.json"})
    template = next(iter(FederalRegisterJson().items(raw)))
    document = template.model_copy(
        update={
            "document_number": "2099-00002",
            "title": "Addition of Entities to the Entity List",
            "citation": template.citation.model_copy(
                update={"volume": 85, "page": 34503, "raw": "85 FR 34503"}
            ),
            "original": {"end_page": 34510},
        }
    )
    entries = _csl(FIXTURES / "csl" / "csl_2022-04_cut.csv")
    events = document_events([document])
    assert link_documents(events, entries) == []
    links = link_documents(events, entries, end_pages([document]))
    assert len(links) == 11
    assert {link.action for link in links} == {Action.ADD}
    assert {link.reason for link in links} == {
        "entry cites 85 FR 34505, within the document's pages 34503–34510"
    }
