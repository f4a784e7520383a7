"""Arabic-script organisation names translated word by word (names/data/glossary_ar.yaml)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from interlock.match.contract import ScreeningQuery
from interlock.match.matcher import Matcher
from interlock.model import Schema
from interlock.names.analysis import analyze
from interlock.names.arabic import (
    GLOSSARY_FILE,
    ArabicGlossaryError,
    load_glossary,
    read_glossary,
    translated_forms,
)
from interlock.names.forms import ANY, ORGANIZATION, PERSON
from tests.conftest import REPO, list_entry

DATA = REPO / "src" / "interlock" / "names" / "data" / GLOSSARY_FILE
SYLLABLES = [c + v for c in "bdgkmprstvz" for v in "aeiou"][:20]  # made-up names' parts

HEADER = """
version: 1
sources:
  - {id: curated, description: test, path: here}
entries:
"""


def test_the_packaged_glossary_validates_and_cites_its_sources() -> None:
    glossary = load_glossary()
    assert {entry.ar[0] for entry in glossary.words.values()} >= {"شركة", "جماعة", "اسلامي"}
    assert read_glossary(DATA.read_text("utf-8"), "copy") == glossary


@pytest.mark.parametrize(
    ("entries", "problem"),
    [
        ("  - {ar: [sharika], en: [company], kind: generic, source: curated}\n", "Arabic script"),
        ("  - {ar: [شركة], en: [Company], kind: generic, source: curated}\n", "lowercase"),
        ("  - {ar: [شركة], en: [company], kind: generic, source: elsewhere}\n", "unknown source"),
        ("  - {ar: [شركة], en: [company], kind: legal, source: curated}\n", "kind"),
        ("  - {ar: [], en: [company], kind: generic, source: curated}\n", "Arabic script"),
        (
            "  - {ar: [شركة], en: [company], kind: generic, source: curated}\n"
            "  - {ar: [شركه], en: [firm], kind: generic, source: curated}\n",
            "one word once folded",
        ),
    ],
)
def test_a_bad_entry_is_refused_with_the_file_named(entries: str, problem: str) -> None:
    with pytest.raises(ArabicGlossaryError, match=r"test\.yaml") as raised:
        read_glossary(HEADER + entries, "test.yaml")
    assert problem in str(raised.value)


@pytest.mark.parametrize(
    ("written", "entry"),
    [
        ("الاسلامية", "اسلامي"),  # the article, and a feminine form the entry lists
        ("إسلامي", "اسلامي"),  # hamza on the alif
        ("للصرافة", "صرافة"),  # li- with the article
        ("والجهاد", "جهاد"),  # wa- with the article
        ("ببلاد", "بلاد"),  # bi-
        ("بلاد", "بلاد"),  # as written first: not bi- + lad
        ("المھاجرین", "مهاجرين"),  # Urdu heh and Persian yeh
        ("جماعۃ", "جماعة"),  # Urdu teh marbuta
        ("شرکت", "شركة"),  # Persian
    ],
)
def test_a_word_meets_its_entry_with_its_article_and_prepositions(written: str, entry: str) -> None:
    found = load_glossary().entry_of(written)
    assert found is not None and found.ar[0] == entry


@pytest.mark.parametrize(
    "written",
    [
        "وفي",  # the name Wafi: a one-letter preposition leaves three letters at least
        "فيه",  # 'in it': no ending is taken off a word
        "شامة",  # a woman's name, not the Levant
        "الخيري",  # the nisba al-Khairi: the entry is الخيرية only
        "العربي",  # the nisba al-Arabi
        "ملی",  # Persian 'national', which lists keep as the name Melli (Bank Melli)
    ],
)
def test_names_and_nisbas_are_no_glossary_words(written: str) -> None:
    assert load_glossary().entry_of(written) is None


def test_a_bodys_name_is_also_compared_in_english_its_other_words_romanised() -> None:
    texts = {
        form.text for form in analyze("الجماعة الاسلامية المقاتلة الليبية", ORGANIZATION).forms
    }
    assert "group islamic fighting libyan" in texts
    forms, notes = translated_forms("مكتب حنيفة للصرافة", ORGANIZATION)
    assert forms[0].text == "office hnyf exchange"
    hanifa = forms[0].tokens[1]
    assert hanifa.vowelless  # spelt without its vowels, as its romanised form is
    assert any("للصرافة" in note for note in notes)
    assert len({form.text for form in forms}) == len(forms)  # each rendering once


def test_persons_and_names_without_a_glossary_word_get_no_translation() -> None:
    assert translated_forms("محمد علي", ORGANIZATION) == ([], [])
    assert translated_forms("شركة النفط", PERSON) == ([], [])
    assert translated_forms("National Iranian Oil Company", ORGANIZATION) == ([], [])
    assert translated_forms("شركة النفط", ANY)[0]
    # read either way, a name is translated only with a word saying it is a body's
    assert translated_forms("محمد الأمين العربي كشلاف", ANY) == ([], [])
    assert translated_forms("عبد الله المصري", ANY) == ([], [])
    # words saying only what a body is name none ('Services Office')
    assert translated_forms("مكتب الخدمات", ORGANIZATION) == ([], [])


def test_allah_stays_allah_in_a_translated_form() -> None:
    """Its last letter is no vowel to read as a: it is romanised as the name's own forms do."""
    forms, _ = translated_forms("حزب الله", ORGANIZATION)
    romanised = {t.text for f in analyze("حزب الله", ORGANIZATION).forms for t in f.tokens}
    assert forms[0].tokens[0].text == "party"
    assert forms[0].tokens[1].text in romanised and forms[0].tokens[1].text != "all"


def test_an_english_query_finds_the_body_listed_in_arabic_script() -> None:
    matcher = Matcher(
        [
            list_entry("t:1", Schema.ORGANIZATION, "الجماعة الاسلامية المقاتلة الليبية"),
            list_entry("t:2", Schema.ORGANIZATION, "الجماعة الاسلامية المسلحة"),
            list_entry("t:3", Schema.ORGANIZATION, "شركة النفط الوطنية الإيرانية"),
            list_entry("t:4", Schema.ORGANIZATION, "مكتب حنيفة للصرافة"),
        ],
        threshold=0.65,
    )

    def top(name: str) -> tuple[str, bool]:
        found = matcher.search(ScreeningQuery(name=name, schema="Organization"), date(2026, 1, 1))
        return found[0].entity_id, found[0].match

    assert top("Libyan Islamic Fighting Group") == ("t:1", True)
    assert top("Armed Islamic Group") == ("t:2", True)
    assert top("National Iranian Oil Company") == ("t:3", True)
    assert top("Hanifa Money Exchange Office") == ("t:4", True)
    # a translation is a form more: another body of the same kind is not the body
    found = matcher.search(
        ScreeningQuery(name="Moroccan Islamic Combatant Group", schema="Organization"),
        date(2026, 1, 1),
    )
    assert not any(m.match for m in found)


def test_the_names_a_translation_finds_do_not_crowd_out_those_its_letters_find() -> None:
    """80 bodies named with the translation's words ('… Islamic Services Office') outrank, in
    retrieval, the body listed by its transliteration: it is scored all the same."""
    words = ["".join(letters) for letters in itertools.product(SYLLABLES, repeat=2)]
    matcher = Matcher(
        [list_entry("t:0", Schema.ORGANIZATION, "MAKHTAB AL-KHIDAMAT AL-ISLAMIYA")]
        + [
            list_entry(f"o:{n}", Schema.ORGANIZATION, f"{word} Islamic Services Office")
            for n, word in enumerate(words[:80])
        ]
        + [
            list_entry(f"f:{n}", Schema.ORGANIZATION, f"{word} Trading")
            for n, word in enumerate(words[80:400])
        ],
        threshold=0.65,
    )
    found = matcher.search(
        ScreeningQuery(name="مكتب الخدمات الاسلامية", schema="Organization"), date(2026, 1, 1)
    )
    assert (found[0].entity_id, found[0].match) == ("t:0", True)
