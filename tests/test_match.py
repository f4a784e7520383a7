"""The matcher behind the screening contract, on real rows (CSL cut + OFAC SDN cut + UN cut)."""

from __future__ import annotations

import gc
import os
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from interlock import core
from interlock.core import Interlock
from interlock.match.contract import ScreeningMatch, ScreeningQuery, ScreeningResult
from interlock.match.matcher import Matcher
from interlock.match.query import QueryError
from interlock.model import AliasStrength, Schema
from interlock.store.snapshots import SnapshotStore
from tests.conftest import FIXTURES, list_entry, sqlite_settings

IFS_ID = "us_csl:EL:aae680d264a18c38121789996cf8c9764c85559f"


def _empty(base: Path) -> Interlock:
    return Interlock(sqlite_settings(base))


@pytest.fixture
def interlock(tmp_path: Path) -> Interlock:
    app = _empty(tmp_path)
    app.load_files("csl_csv", [FIXTURES / "csl" / "csl_2022-04_cut.csv"])
    return app


def _screen(app: Interlock, **query: object) -> list[tuple[str, float, bool]]:
    result = app.screen(ScreeningQuery.model_validate(query))
    return [(m.entity_id, m.score, m.match) for m in result.matches]


def test_possessive_variants_and_reordering(interlock: Interlock) -> None:
    for name in (
        "Ministry of Public Security?s Institute of Forensic Science of China",
        "MINISTRY OF PUBLIC SECURITY’S INSTITUTE OF FORENSIC SCIENCE OF CHINA",
    ):
        entity_id, score, match = _screen(interlock, name=name)[0]
        assert (entity_id, match) == (IFS_ID, True) and score >= 0.95
    reordered = _screen(
        interlock, name="Institute of Forensic Science of the Ministry of Public Security of China"
    )
    assert reordered[0][0] == IFS_ID and reordered[0][2] is True


def test_alias_match_is_explained(interlock: Interlock) -> None:
    result = interlock.screen(
        ScreeningQuery(
            name="Material Identification Center of the Ministry of Public Security of the People's Republic of China"
        )
    )
    top = result.matches[0]
    assert top.entity_id == IFS_ID and top.match
    assert top.matched_name.startswith("Material Identification Center")
    assert top.explanation["matched_primary_name"] is False


def test_legal_form_does_not_block_a_match(interlock: Interlock) -> None:
    hits = _screen(interlock, name="Beijing Sensetime Technology Development Co., Ltd.")
    plain = _screen(interlock, name="Beijing Sensetime Technology Development")
    assert hits[0][0] == plain[0][0] and plain[0][2] is True


def test_unrelated_name_does_not_match(interlock: Interlock) -> None:
    assert not any(
        match for _id, _score, match in _screen(interlock, name="Acme Widgets Incorporated")
    )


def test_as_of_before_listing_and_schema_and_country_filters(interlock: Interlock) -> None:
    name = "Ministry of Public Security's Institute of Forensic Science of China"
    assert IFS_ID not in [i for i, *_ in _screen(interlock, name=name, as_of=date(2020, 6, 4))]
    assert _screen(interlock, name=name, as_of=date(2020, 6, 5))[0][0] == IFS_ID
    # the BIS lists do not state a schema: the entry stays a candidate for a Person query
    assert _screen(interlock, name=name, schema="Person")[0][0] == IFS_ID
    # a stated country is evidence, not a filter: a mismatch lowers the score and says so
    in_china = interlock.screen(ScreeningQuery(name=name, country="cn")).matches[0]
    in_russia = interlock.screen(ScreeningQuery(name=name, country="RU")).matches[0]
    in_hong_kong = interlock.screen(ScreeningQuery(name=name, country="HK")).matches[0]
    assert in_china.entity_id == in_russia.entity_id == IFS_ID
    assert in_russia.score < in_china.score == in_hong_kong.score
    assert [q["name"] for q in in_russia.explanation["qualifiers"]] == ["country_mismatch"]
    assert not in_hong_kong.explanation["qualifiers"]  # China and Hong Kong intersect
    with pytest.raises(QueryError, match="unknown schema"):
        _screen(interlock, name=name, schema="Planet")
    with pytest.raises(QueryError, match="no letters or digits"):
        _screen(interlock, name="?!")
    with pytest.raises(QueryError, match="only initials"):
        _screen(interlock, name="N. N.", schema="Person")


def test_identifier_match_scores_one(interlock: Interlock) -> None:
    entry = next(
        e for e in interlock.matcher().entries if any(i.type == "USCC" for i in e.identifiers)
    )
    uscc = next(i.value for i in entry.identifiers if i.type == "USCC")
    spaced = " ".join([uscc[:6], uscc[6:]])
    result = interlock.screen(
        ScreeningQuery(name="Unrelated Trading House", identifiers=[f"USCC:{spaced}"])
    )
    top = result.matches[0]
    assert (top.entity_id, top.match) == (entry.entity_id, True) and top.score >= 0.95
    assert top.explanation["identifier_match"] == f"USCC:{spaced}"
    # an identifier alone is a query
    alone = interlock.screen(ScreeningQuery(identifiers=[f"USCC:{uscc}"])).matches[0]
    assert (alone.entity_id, alone.match) == (entry.entity_id, True)
    # the right name with a different code of the same strong type counts against the match
    other = uscc[:-1] + ("0" if uscc[-1] != "0" else "1")
    named = interlock.screen(ScreeningQuery(name=entry.name)).matches[0]
    conflicting = interlock.screen(
        ScreeningQuery(name=entry.name, identifiers=[f"USCC:{other}"])
    ).matches[0]
    assert named.entity_id == conflicting.entity_id == entry.entity_id
    assert named.match and not conflicting.match
    assert [q["name"] for q in conflicting.explanation["qualifiers"]] == [
        "strong_identifier_conflict"
    ]
    with pytest.raises(ValueError, match="a name or at least one identifier"):
        ScreeningQuery(name=" ")


def test_csl_copies_give_way_to_the_native_list(interlock: Interlock) -> None:
    sdn_copies = [
        e for e in interlock.matcher().entries if e.source == "us_csl" and e.lists == ["SDN"]
    ]
    assert sdn_copies, "the CSL cut carries SDN rows"
    interlock.load_files("ofac_sdn_csv", [FIXTURES / "ofac_csv" / "sdn_2024-05-03_cut.csv"])
    sources = {(e.source, tuple(e.lists)) for e in interlock.matcher().entries}
    assert ("us_csl", ("SDN",)) not in sources
    assert ("us_csl", ("EL",)) in sources and ("us_ofac_sdn", ("SDN",)) in sources
    hits = _screen(interlock, name="Wuhan Shuokang Biological Technology Co., Ltd.")
    assert hits[0][0].startswith("us_ofac_sdn:") and hits[0][2] is True


def test_names_in_other_scripts_are_compared_romanised(tmp_path: Path) -> None:
    app = _empty(tmp_path)
    app.load_files("un_xml", [FIXTURES / "un_xml" / "un_2026-02-27_cut.xml"])
    kim = "un_sc:6908566"  # KIM CHOL SAM, whose list entry carries 金铁三
    direct = app.screen(ScreeningQuery(name="金铁三")).matches[0]
    assert (direct.entity_id, direct.match) == (kim, True)
    assert not any(m.match for m in app.screen(ScreeningQuery(name="Jin Tianming")).matches)
    # 叁 reads san as 三 does: alike in pinyin, another name in characters
    homophone = app.screen(ScreeningQuery(name="金铁叁")).matches
    assert not any(m.entity_id == kim and m.match for m in homophone)
    # the list writes 沈忠國際海運有限公司 in traditional characters; a simplified query meets it
    # through the shared romanisation
    simplified = app.screen(ScreeningQuery(name="沈忠国际海运有限公司")).matches[0]
    assert (simplified.entity_id, simplified.match) == ("un_sc:6908696", True)
    assert simplified.explanation["romanised"] is True


def test_a_chinese_bodys_name_with_its_divisions_suffix_meets_the_listed_name(
    interlock: Interlock,
) -> None:
    """The Entity List names Xinjiang's public security bureaus with the division's suffix in
    English; their Chinese names say it too (石河子市: Shihezi Municipality)."""
    top = interlock.screen(ScreeningQuery(name="石河子市公安局")).matches[0]
    assert top.match and top.matched_name == "Shihezi Municipality Public Security Bureau"
    other = interlock.screen(ScreeningQuery(name="五家渠市公安局")).matches
    assert not any(m.match for m in other)


def test_a_trade_name_read_from_characters_meets_the_lists_other_spellings() -> None:
    """pypinyin reads a trade name character by character and may choose another sound than the
    company's (长 zhang for chang, 晟 cheng for sheng), and Hong Kong writes Cantonese: a listed
    spelling a letter or two from the reading is the name, though it spells other pinyin."""
    pairs = (
        ("长光卫星技术有限公司", "CHANGGUANG SATELLITE TECHNOLOGY CO., LTD."),
        ("江苏中晟电子有限公司", "Jiangsu Zhongsheng Electronics Co., Ltd."),
        ("顺昌船务有限公司", "SHUN CHONG SHIPPING CO., LTD."),
    )
    matcher = Matcher(
        [list_entry(f"t:{n}", Schema.ORGANIZATION, listed) for n, (_, listed) in enumerate(pairs)],
        threshold=0.65,
    )
    for han, listed in pairs:
        assert matcher.compare_names(han, listed, "Organization").score >= 0.65, han


def test_a_listed_persons_whole_name_is_no_acronyms() -> None:
    """A short word read as a person's initials is no match ('tea' for Trikulya Elena
    Anatolievna, 'sz' for Shilong Zhang): an acronym meets a person's names only beside a word
    that pairs too ('KOZLOV, IP' for Kozlov Igor Petrovich)."""
    matcher = Matcher(
        [
            list_entry("t:1", Schema.PERSON, "TRIKULYA, Elena Anatolievna"),
            list_entry("t:2", Schema.PERSON, "Shilong ZHANG"),
            list_entry("t:3", Schema.PERSON, "KOZLOV, Igor Petrovich"),
        ],
        threshold=0.65,
    )

    def matched(name: str) -> set[str]:
        found = matcher.search(ScreeningQuery(name=name), date(2026, 1, 1))
        return {m.entity_id for m in found if m.match}

    assert not matched("Hangzhou Tea Factory")
    assert not matched("SZ Government")
    assert matched("KOZLOV, IP") == {"t:3"}


def test_each_alias_is_explained_with_its_alignment(interlock: Interlock) -> None:
    # whether it is a match depends on the corpus' word statistics: on the bundled lists it is
    # (tests/test_bundled.py); this cut of one list makes 'China' a rarer word left unmatched
    top = interlock.screen(ScreeningQuery(name="MPS Institute of Forensic Science")).matches[0]
    assert top.entity_id == IFS_ID
    best = top.explanation["aliases"][0]
    assert best["alias"] == top.matched_name
    acronym = [p for p in best["alignment"] if p["how"] == "acronym"]
    assert acronym and acronym[0]["query"] == "mps"
    assert acronym[0]["alias"] == "ministry public security"
    assert "mps≈ministry public security (acronym)" in top.explanation["summary"]


def test_the_aliases_explained_are_the_best_and_the_others_that_match() -> None:
    """A query meeting two of an entry's names has both explained; a query that misses the entry
    shows its best alias alone, the one its score is."""
    entry = list_entry(
        "t:1",
        Schema.ORGANIZATION,
        "Huawei Technologies Co., Ltd.",
        ("Huawei Technologies Company Limited", AliasStrength.STRONG),
        ("Huawei Device Investment", AliasStrength.STRONG),
    )
    matcher = Matcher([entry], threshold=0.65)

    def top(name: str) -> ScreeningMatch:
        return matcher.search(ScreeningQuery(name=name), date(2026, 1, 1))[0]

    found = top("Huawei Technologies Co Ltd")
    shown = found.explanation["aliases"]
    assert found.match and shown[0]["alias"] == found.matched_name
    assert shown[0]["score"] == found.score
    assert {a["alias"] for a in shown} == {
        "Huawei Technologies Co., Ltd.",
        "Huawei Technologies Company Limited",
    }
    missed = top("Huawei Device Trading")
    assert not missed.match
    assert [a["alias"] for a in missed.explanation["aliases"]] == [missed.matched_name]


def test_the_entries_shown_are_the_best_in_force_whichever_rank_first() -> None:
    """An entry not yet listed, or of a schema the query leaves out, gives its place to the next
    best, with or without a country to weigh; equal scores rank by entity id."""
    found = [
        list_entry("t:1", Schema.ORGANIZATION, "Crown Biotech Trading Company"),
        list_entry("t:2", Schema.ORGANIZATION, "Crown Biotech Trading"),
        list_entry("t:3", Schema.PERSON, "Crown Biotech"),
        list_entry("t:4", Schema.ORGANIZATION, "Crown Biotech Trading"),
        list_entry("t:5", Schema.ORGANIZATION, "Crown Biotechnical Trading"),
    ]
    later = found[1][1].model_copy(update={"listed_on": date(2026, 6, 1)})
    matcher = Matcher([*found[:1], (found[1][0], later), *found[2:]], threshold=0.65)

    def shown(limit: int, **query: Any) -> list[str]:
        asked = ScreeningQuery(name="Crown Biotech Trading", limit=limit, **query)
        return [m.entity_id for m in matcher.search(asked, date(2026, 1, 1))]

    everything = shown(5)
    assert everything[:2] == ["t:4", "t:1"] and "t:2" not in everything
    assert shown(1) == ["t:4"]
    assert shown(2) == everything[:2]
    assert "t:3" not in shown(5, schema="Organization")
    assert shown(2, country="CN") == everything[:2]
    on_the_day = ScreeningQuery(name="Crown Biotech Trading", limit=2)
    assert [m.entity_id for m in matcher.search(on_the_day, date(2026, 6, 1))] == ["t:2", "t:4"]


def test_an_entity_id_listed_twice_ranks_in_the_order_of_the_entries() -> None:
    """An entry of an earlier snapshot kept beside its successor under the same entity id: equal
    scores and ids rank in the order the entries were indexed, with or without a country (at
    positions 2 and 9, which a set of the two iterates the other way round)."""
    _, listed = list_entry("t:1", Schema.ORGANIZATION, "Crown Biotech Trading")
    others = [
        list_entry(f"o:{n}", Schema.ORGANIZATION, name)
        for n, name in enumerate(["Zephyr Ltd", "Quorum Mining", "Ostrava Steel", "Lumen Bank",
                                  "Kestrel Air", "Varna Port", "Ilex Foods", "Juno Textiles"])
    ]  # fmt: skip
    for identities in (["later", "earlier"], ["earlier", "later"]):
        entries = [*others[:2], (identities[0], listed), *others[2:], (identities[1], listed)]
        matcher = Matcher(entries, threshold=0.65)
        for country in (None, "CN"):
            query = ScreeningQuery(name="Crown Biotech Trading", country=country)
            found = matcher.search(query, date(2026, 1, 1))
            assert [m.identity for m in found[:2]] == identities, country


def test_distinctive_words_keep_look_alikes_apart(interlock: Interlock) -> None:
    for name in ("Shanghai Institute of Forensic Science", "Ministry of Public Security"):
        hits = interlock.screen(ScreeningQuery(name=name)).matches
        assert not any(m.entity_id == IFS_ID and m.match for m in hits), name


def test_a_warmed_service_screens_without_reading_history_from_the_store(
    interlock: Interlock,
) -> None:
    interlock.warm()
    statements: list[str] = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, …)
    event.listen(interlock.engine, "before_cursor_execute", listen)
    try:
        result = interlock.screen(ScreeningQuery(name="Institute of Forensic Science"))
        # nor does it read them to answer a status, by name or by identity
        listed = "Ministry of Public Security's Institute of Forensic Science of China"
        status = interlock.status_by_name(listed, date(2021, 1, 1))
        again = interlock.status(status.identity, date(2024, 1, 1))
    finally:
        event.remove(interlock.engine, "before_cursor_execute", listen)
    assert result.matches and result.matches[0].entity_id == IFS_ID
    assert (status.state, again.state) == ("listed", "delisted")  # removed 2023-11-16
    assert statements  # the screen's audit record is written
    assert not [s for s in statements if "history_events" in s]


def test_forked_batch_screening_keeps_order_and_reports_bad_queries(
    interlock: Interlock,
) -> None:
    names = [
        "Ministry of Public Security's Institute of Forensic Science of China",
        "CloudWalk Technology",
        "Acme Widgets Incorporated",
    ]
    queries = [ScreeningQuery(name=n) for n in names] + [ScreeningQuery(name="?!")]
    distinct = [ScreeningQuery(name=f"{n} {i}") for i in range(4) for n in names]
    parallel = list(interlock.screen_json(distinct, workers=2, chunk=2))
    serial = list(interlock.screen_json(distinct, workers=1, chunk=2))
    assert [
        ScreeningResult.model_validate_json(r).query for r in parallel if isinstance(r, str)
    ] == [q.model_dump(mode="json", by_alias=True, exclude_none=True) for q in distinct]
    # repeated queries are screened once and answered in every place they stand
    parallel = list(interlock.screen_json(queries * 3, workers=2, chunk=2))
    serial = list(interlock.screen_json(queries * 3, workers=1, chunk=2))
    assert len(parallel) == len(serial) == 12
    for forked, alone in zip(parallel, serial, strict=True):
        if isinstance(alone, QueryError):
            assert isinstance(forked, QueryError) and "no letters or digits" in str(forked)
            continue
        assert isinstance(forked, str)
        first, second = (
            ScreeningResult.model_validate_json(forked),
            ScreeningResult.model_validate_json(alone),
        )
        assert first.query == second.query
        assert [m.entity_id for m in first.matches] == [m.entity_id for m in second.matches]


def test_a_batch_holds_the_cycle_collector_off_and_gives_it_back(
    interlock: Interlock, monkeypatch: pytest.MonkeyPatch
) -> None:
    collecting: list[bool] = []
    screen = interlock._screen

    def noting(queries: list[ScreeningQuery]) -> list[ScreeningResult]:
        collecting.append(gc.isenabled())
        return screen(queries)

    monkeypatch.setattr(interlock, "_screen", noting)
    book = [ScreeningQuery(name=n) for n in ("CloudWalk Technology", "Acme Widgets", "?!")]
    assert gc.isenabled()
    assert len(list(interlock.screen_json(book, workers=1, chunk=2))) == 3
    assert collecting == [False] * 3 and gc.isenabled()
    gc.disable()  # a caller that holds it off itself keeps it off
    try:
        list(interlock.screen_json(book[:1], workers=1))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_pauses_overlapping_in_threads_give_the_collector_back() -> None:
    held_off: list[bool] = []
    together = threading.Barrier(4)

    def pausing() -> None:
        together.wait()
        for _ in range(5000):
            with core._collector_paused():
                for _ in range(5):
                    held_off.append(not gc.isenabled())

    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads trade places inside and between the pauses
    try:
        threads = [threading.Thread(target=pausing) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        resumed = gc.isenabled()
    finally:
        sys.setswitchinterval(switching)
        gc.enable()  # whatever happened, the tests after this one collect
    assert len(held_off) == 100_000 and all(held_off)
    assert resumed


def test_a_forked_worker_gets_the_collector_back() -> None:
    """A batch worker forked while another thread holds the collector off runs with it on."""
    with core._collector_paused():
        read, write = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover - the child reports through the pipe
            os.write(write, b"on" if gc.isenabled() else b"off")
            os._exit(0)
        os.close(write)
        answer = os.read(read, 3)
        os.close(read)
        os.waitpid(child, 0)
        assert not gc.isenabled()
    assert answer == b"on" and gc.isenabled()


def test_lists_the_index_and_the_histories_are_read_with_the_collector_held_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Millions of long-lived objects: the collector's passes would take half the build."""
    collecting: list[bool] = []
    build, events_for = core.Matcher, Interlock._events_for
    import_snapshot = SnapshotStore.import_snapshot

    def noting_import(store: SnapshotStore, *args: Any, **kwargs: Any) -> Any:
        collecting.append(gc.isenabled())
        return import_snapshot(store, *args, **kwargs)

    def noting_build(*args: Any, **kwargs: Any) -> Matcher:
        collecting.append(gc.isenabled())
        return build(*args, **kwargs)

    def noting_read(app: Interlock, identities: list[str]) -> Any:
        collecting.append(gc.isenabled())
        return events_for(app, identities)

    freeze = gc.freeze

    def noting_freeze() -> None:  # frozen before the collector resumes, or it walks them all
        collecting.append(gc.isenabled())
        freeze()

    monkeypatch.setattr(core, "Matcher", noting_build)
    monkeypatch.setattr(Interlock, "_events_for", noting_read)
    monkeypatch.setattr(SnapshotStore, "import_snapshot", noting_import)
    monkeypatch.setattr(gc, "freeze", noting_freeze)
    app = _empty(tmp_path)
    app.load_files("csl_csv", [FIXTURES / "csl" / "csl_2022-04_cut.csv"])
    assert collecting == [False] and gc.isenabled()
    app.warm()
    assert len(collecting) >= 5 and not any(collecting) and gc.isenabled()


def test_the_index_is_rebuilt_from_cached_analyses(interlock: Interlock, tmp_path: Path) -> None:
    first = interlock.matcher()
    cached = list((tmp_path / "cache").glob("name-analyses-*.json.gz"))
    assert len(cached) == 1
    again = _empty(tmp_path).matcher()  # a new process: reads the cache instead of analysing
    assert again.index.known and len(again.index.names) == len(first.index.names)
    name = "MPS Institute of Forensic Science"
    assert [m.entity_id for m in again.search(ScreeningQuery(name=name), date.today())] == [
        m.entity_id for m in first.search(ScreeningQuery(name=name), date.today())
    ]
