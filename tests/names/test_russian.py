"""Russian and Ukrainian organisation names translated word by word: the glossary file, its
validation, spellings meeting across transliterations, and the forms analysis adds."""

from __future__ import annotations

from datetime import date

import pytest

from interlock.match.contract import ScreeningQuery
from interlock.match.matcher import Matcher
from interlock.model import Schema
from interlock.names.analysis import analyze
from interlock.names.forms import ANY, ORGANIZATION, PERSON
from interlock.names.russian import (
    GLOSSARY_FILE,
    RussianGlossaryError,
    glossary_entry,
    load_glossary,
    place_of_adjective,
    read_glossary,
    skeleton,
)
from tests.conftest import REPO, list_entry

DATA = REPO / "src" / "interlock" / "names" / "data" / GLOSSARY_FILE

HEADER = """
version: 1
not_east_slavic: {letters: ђћ, after: {завод: [za]}}
sources:
  - {id: curated, description: test, path: here}
entries:
"""


def test_the_packaged_glossary_validates_and_cites_its_sources() -> None:
    glossary = load_glossary()
    assert {entry.ru for entry in glossary.words.values()} >= {"завод", "предприятие", "научный"}
    text = DATA.read_text("utf-8")
    assert read_glossary(text, "copy") == glossary


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("{ru: zavod, pos: noun, en: [plant], kind: generic, lang: ru, source: curated}", "Cyrillic"),
        ("{ru: завод, pos: noun, en: [Plant], kind: generic, lang: ru, source: curated}", "lowercase"),
        ("{ru: завод, pos: noun, en: [plant], kind: generic, lang: ru, source: elsewhere}", "unknown source"),
        ("{ru: научная, pos: adjective, en: [scientific], kind: generic, lang: ru, source: curated}", "-ый"),
        ("{ru: завод, pos: verb, en: [plant], kind: generic, lang: ru, source: curated}", "pos"),
    ],
)  # fmt: skip
def test_a_bad_entry_is_refused_with_the_file_named(entry: str, problem: str) -> None:
    with pytest.raises(RussianGlossaryError, match=r"test\.yaml") as raised:
        read_glossary(HEADER + f"  - {entry}\n", "test.yaml")
    assert problem in str(raised.value)


def test_two_words_spelt_alike_in_latin_letters_must_translate_alike() -> None:
    entries = (
        "  - {ru: институт, pos: noun, en: [institute], kind: generic, lang: ru, source: curated}\n"
        "  - {ru: інститут, pos: noun, en: [institute], kind: generic, lang: uk, source: curated}\n"
    )
    assert read_glossary(HEADER + entries, "test.yaml")
    clash = entries.replace(
        "en: [institute], kind: generic, lang: uk", "en: [school], kind: generic, lang: uk"
    )
    with pytest.raises(RussianGlossaryError, match="translate differently"):
        read_glossary(HEADER + clash, "test.yaml")


@pytest.mark.parametrize(
    "spellings",
    [
        # as the OFAC and Entity List entries spell one word
        ("mashinostroitelnyy", "mashinostroitel'nyi", "mashinostroitelny", "mashinostroitelniy"),
        ("predpriyatie", "predpriyatiye", "predpriiatie"),
        ("obyedinenie", "obedinenie", "obyedineniye", "ob'edinenie"),
        ("gosudarstvennoe", "gosudarstvenoye", "gosudarstvennoye"),
        ("issledovatelskiy", "issledovatelskii", "issledovatelskij", "issledovatelsky"),
        ("khimicheskiy", "himicheskiy", "khimicheskii"),
    ],
)
def test_the_transliterations_of_one_word_meet(spellings: tuple[str, ...]) -> None:
    entries = [glossary_entry(spelling) for spelling in spellings]
    assert None not in entries and len({e.ru for e in entries if e}) == 1


def test_a_doubled_letter_tells_two_words_apart() -> None:
    """объединённая (united) and объединения (of the association) differ by one doubled n."""
    assert skeleton("obedinennaya") != skeleton("obedineniya")
    assert glossary_entry("obedinennaya") is None
    assert glossary_entry("obedineniya").ru == "объединение"  # type: ignore[union-attr]


def test_words_meet_their_entry_in_any_case_ending_and_in_ukrainian() -> None:
    for word in ("zavod", "zavoda", "zavody", "zavodom"):
        assert glossary_entry(word) is not None and glossary_entry(word).ru == "завод"  # type: ignore[union-attr]
    for word in ("nauchno", "nauchnyy", "nauchnaya", "nauchnoe", "nauchnykh"):
        assert glossary_entry(word).ru == "научный"  # type: ignore[union-attr]
    assert glossary_entry("pidpryemstvo").en == ("enterprise",)  # type: ignore[union-attr]
    # short words are too often another language's: 'visa' would be высшая
    assert glossary_entry("visa") is None
    assert glossary_entry("zavodik") is None
    # ... unless written as the dictionary gives them: верфь
    assert glossary_entry("verf").en == ("shipyard",)  # type: ignore[union-attr]
    assert glossary_entry("verfi").en == ("shipyard",)  # type: ignore[union-attr]
    assert glossary_entry("ver") is None


def test_a_noun_with_no_singular_is_read_in_its_plural_endings_only() -> None:
    """финансы (finances) has a plural only: 'finansy', and 'finansov' of the ministry's name,
    but no singular endings ('finansa', 'finansom' are no words)."""
    for word in ("finansy", "finansov", "finansam"):
        assert glossary_entry(word).ru == "финансы", word  # type: ignore[union-attr]
    for word in ("finansa", "finansom", "finansu"):
        assert glossary_entry(word) is None, word


def test_a_soft_stem_adjective_meets_its_entry_in_its_own_endings() -> None:
    """внутренний (internal) ends -ей, -ему where a hard stem ends -ой, -ому."""
    for word in ("vnutrenniy", "vnutrenney", "vnutrennemu", "vnutrennikh"):
        assert glossary_entry(word).ru == "внутренний", word  # type: ignore[union-attr]
    assert "service internal security" in _texts("Служба внутренней безопасности")


def test_a_government_body_in_cyrillic_meets_its_english_name() -> None:
    """The ministries and services lists name in English (Министерство обороны Российской
    Федерации, MINISTRY OF DEFENSE OF THE RUSSIAN FEDERATION)."""
    assert "ministry finance russian federation" in _texts(
        "МИНИСТЕРСТВО ФИНАНСОВ РОССИЙСКОЙ ФЕДЕРАЦИИ"
    )
    assert "ministry defense russian federation" in _texts(
        "Министерство обороны Российской Федерации"
    )
    assert "federal service security" in _texts("Федеральная служба безопасности")
    assert "main intelligence directorate" in _texts("GLAVNOYE RAZVEDYVATELNOYE UPRAVLENIYE")
    matcher = Matcher(
        [
            list_entry("t:1", Schema.ORGANIZATION, "MINISTRY OF DEFENSE OF THE RUSSIAN FEDERATION"),
            list_entry("t:2", Schema.ORGANIZATION, "MINISTRY OF FINANCE OF THE RUSSIAN FEDERATION"),
            list_entry("t:3", Schema.ORGANIZATION, "FEDERAL SECURITY SERVICE"),
        ],
        0.65,
    )
    for query, listed in (
        ("Министерство обороны Российской Федерации", "t:1"),
        ("МИНИСТЕРСТВО ФИНАНСОВ РОССИЙСКОЙ ФЕДЕРАЦИИ", "t:2"),
        ("ФЕДЕРАЛЬНАЯ СЛУЖБА БЕЗОПАСНОСТИ", "t:3"),
    ):
        matches = matcher.search(ScreeningQuery(name=query), date(2026, 1, 1))
        assert [m.entity_id for m in matches if m.match] == [listed], query


def test_a_word_with_yo_meets_it_written_e_or_yo() -> None:
    """казённый: names write ё as е, and Latin letters as e or yo."""
    for word in ("kazennoe", "kazyonnoe", "kazjonnoe", "kazennoye", "kazyonnoye"):
        assert glossary_entry(word).ru == "казённый", word  # type: ignore[union-attr]
    assert glossary_entry("vertolyotnyy").en == ("helicopter",)  # type: ignore[union-attr]
    assert "treasury enterprise tochmash" in _texts("Казенное предприятие Точмаш", ORGANIZATION)
    assert "treasury enterprise tochmash" in _texts("Kazyonnoe Predpriyatie Tochmash", ORGANIZATION)


def test_a_south_slavic_name_is_not_read_as_russian() -> None:
    """Serbian and Slovene 'zavod' is an institute: a name marked as South Slavic (by its letters
    or by its words) gets no Russian reading; the same word in a Russian name does."""
    assert _texts("Zavod za statistiku", ORGANIZATION) == set()
    assert _texts("Завод за уџбенике", ORGANIZATION) == set()  # Serbian Cyrillic
    assert _texts("Zavod Ćirić", ORGANIZATION) == set()
    assert "murom plant" in _texts("Muromskiy Zavod", ORGANIZATION)
    # 'za' after any other word is Russian too
    assert "group company za rulem" in _texts("Gruppa Kompaniy Za Rulem", ORGANIZATION)
    assert "sodruzhestvo ofitserov za international security" in _texts(
        "SODRUZHESTVO OFITSEROV ZA MEZHDUNARODNUYU BEZOPASNOST", ORGANIZATION
    )


def test_a_place_adjective_reads_as_the_place_both_ways_it_may_end() -> None:
    assert place_of_adjective("muromskiy") == ("murom", "muromsk")
    assert place_of_adjective("chelyabinskoe") == ("chelyabin", "chelyabinsk")
    assert place_of_adjective("irkutskiy") == ("irkut", "irkutsk")
    assert place_of_adjective("tomskiy") == ("tom", "tomsk")
    assert place_of_adjective("zavod") is None
    assert place_of_adjective("omskiy") is None  # too short a stem to tell from an ending
    # adjectives of a quality, not of a place
    for word in ("fizicheskiy", "ekonomicheskoe", "politicheskaya", "kentucky"):
        assert place_of_adjective(word) is None, word


def _texts(name: str, schema: str = ANY) -> set[str]:
    return {form.text for form in analyze(name, schema).forms if form.via == "glossary"}


def test_a_cyrillic_name_is_also_compared_in_english() -> None:
    analyzed = analyze("Акционерное общество “Муромский приборостроительный завод”", ORGANIZATION)
    texts = {form.text for form in analyzed.forms if form.via == "glossary"}
    assert any("murom instrument making plant" in text for text in texts)
    assert any(text.endswith("instrument making works") for text in texts)
    # each other rendering lists use is a form too (OFAC: 'INSTRUMENT ENGINEERING PLANT')
    assert any(text.endswith("murom instrument engineering plant") for text in texts)
    murom = next(
        t for f in analyzed.forms if f.via == "glossary" for t in f.tokens if t.text == "murom"
    )
    assert murom.alts == {"muromsk", "muromskiy"}
    assert "glossary (ru) zavod = plant / factory / works" in analyzed.notes
    assert "place adjective muromskiy = murom / muromsk" in analyzed.notes


def test_a_transliterated_name_is_also_compared_in_english() -> None:
    assert "mytishchin machine building plant oao" in _texts(
        "MYTISHCHINSKI MASHINOSTROITELNY ZAVOD, OAO"
    )
    assert "ao doigoprudnen scientific production enterprise" in _texts(
        "OTKRYTOE AKTSIONERNOE OBSHCHESTVO DOIGOPRUDNENSKOE NAUCHNO PROIZVODSTVENNOE PREDPRIYATIE"
    )


def test_each_translated_form_is_made_once() -> None:
    """центр reads 'center' and 'centre', which English folds into one: one form, not two."""
    texts = [f.text for f in analyze("Научный центр Кванта", ORGANIZATION).forms]
    assert len(texts) == len(set(texts))
    assert "scientific center kvanta" in texts


def test_names_without_a_glossary_word_and_persons_get_no_translation() -> None:
    assert _texts("Murom Instrument-Making Plant") == set()
    assert _texts("33rd Scientific Research and Testing Institute") == set()  # English already
    assert _texts("Sina Biomedical Chemistry Company") == set()
    assert _texts("Ivan Zavodov", PERSON) == set()
    assert _texts("Zavod Nauchny", PERSON) == set()


def test_an_english_query_finds_the_body_listed_in_cyrillic_or_transliterated() -> None:
    matcher = Matcher(
        [
            list_entry(
                "t:1",
                Schema.ORGANIZATION,
                "Акционерное общество “Муромский приборостроительный завод”",
            ),
            list_entry("t:2", Schema.ORGANIZATION, "IZHEVSKY MEKHANICHESKY ZAVOD JSC"),
            list_entry("t:3", Schema.ORGANIZATION, "Murom Trading House LLC"),
            list_entry("t:4", Schema.ORGANIZATION, "Izhevsk Bakery"),
        ],
        threshold=0.65,
    )

    def top(name: str) -> tuple[str, bool]:
        found = matcher.search(ScreeningQuery(name=name, schema="Organization"), date(2026, 1, 1))
        return found[0].entity_id, found[0].match

    assert top("JSC Murom Instrument-Making Plant") == ("t:1", True)
    assert top("Izhevsk Mechanical Plant") == ("t:2", True)
    # the translation is one form more: a different plant of the same town is not the body
    found = matcher.search(
        ScreeningQuery(name="Murom Shipbuilding Plant", schema="Organization"), date(2026, 1, 1)
    )
    assert not any(m.match for m in found)
