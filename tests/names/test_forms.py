"""Latin-script name forms: tokens, kinds and the variants lists and customers write."""

from __future__ import annotations

import pytest
import yaml

from interlock.names.analysis import analyze
from interlock.names.forms import (
    ANY,
    ORGANIZATION,
    PERSON,
    Kind,
    latin_form,
    latin_words,
    name_groups_of,
    spells_the_name,
)
from interlock.names.name_groups import load_name_groups
from interlock.names.vocabulary import (
    VocabularyError,
    parse_vocabulary,
    respelt_legal_form_word,
    respelt_word,
    vocabulary,
)


def _tokens(name: str, reading: str = ANY) -> list[tuple[str, str]]:
    form = latin_form(name, reading)
    assert form is not None
    return [(t.text, t.kind.value) for t in form.tokens]


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (
            "Ministry of Public Security?s Institute",
            ["ministry", "of", "public", "security", "institute"],
        ),
        ("MINISTRY OF PUBLIC SECURITY’S", ["ministry", "of", "public", "security"]),
        ("Acme L.L.C.", ["acme", "llc"]),
        ("Acme l.l.c", ["acme", "llc"]),
        ("O'Brien & Sons", ["obrien", "and", "sons"]),
        ("Müller Straße", ["muller", "strasse"]),
    ],
)
def test_words_fold_possessives_initials_apostrophes_and_accents(
    raw: str, words: list[str]
) -> None:
    assert latin_words(raw) == words


def test_two_person_names_typed_together_are_two_words() -> None:
    assert latin_words("FridrichBuchenberg", PERSON) == ["fridrich", "buchenberg"]
    for name in ("McDonald", "LeBron", "MacArthur", "DiCaprio"):
        assert latin_words(name, PERSON) == [name.lower()]
    assert latin_words("SenseTime", ORGANIZATION) == ["sensetime"]  # a brand, written as one


def test_numbers_and_ordinals_become_one_number_token() -> None:
    for name in ("54th Research Institute", "No. 54 Research Institute", "Research Institute 54"):
        numbers = [text for text, kind in _tokens(name) if kind == "number"]
        assert numbers == ["54"], name
    assert ("3", "number") in _tokens("Third Academy")
    for name in ("Fifty-fourth Research Institute", "Fifty Fourth Research Institute"):
        assert [t for t, kind in _tokens(name, ORGANIZATION) if kind == "number"] == ["54"]
    spelt = ("Brigade Forty-Four", "Brigade Fourty four", "Brigade 44")
    assert {tuple(_tokens(name, ORGANIZATION)) for name in spelt} == {
        (("brigade", "word"), ("44", "number"))
    }
    # a person's name keeps its words: 'Jacob Seven' is not 'Jacob 7'
    assert ("seven", "word") in _tokens("Jacob Seven", PERSON)


def test_abbreviations_expand_and_legal_forms_are_marked() -> None:
    tokens = _tokens("Harbin Inst. of Tech. Co., Ltd.", ORGANIZATION)
    assert ("institute", "generic") in tokens and ("technology", "generic") in tokens
    assert ("limited", "legal") in tokens
    assert ("harbin", "word") in tokens


@pytest.mark.parametrize(
    ("written", "short"),
    [
        ("Volkswagen Gesellschaft mit beschränkter Haftung", "gmbh"),
        ("FABERLIC EUROPE Sp. z o.o.", "spzoo"),
        ("Acme Limited Liability Company", "llc"),
    ],
)
def test_a_spelt_out_legal_form_is_read_from_the_written_name_and_compared_short(
    written: str, short: str
) -> None:
    """rigour spells forms with accents and dots; folding first would hide them from it."""
    tokens = _tokens(written, ORGANIZATION)
    assert tokens[-1] == (short, "legal")
    assert tokens[0][1] == "word"


def test_the_kinds_of_body_russian_names_abbreviate_are_generic_words() -> None:
    assert _tokens("AO NPP Almaz", ORGANIZATION)[1] == ("npp", "generic")
    assert _tokens("FGUP Kvant", ORGANIZATION) == [("fgup", "generic"), ("kvant", "word")]
    # two letters are as often the name itself, and a pension fund is a body of its own
    for name in ("KB Investments", "AK Bars", "NPF Transneft"):
        assert _tokens(name, ORGANIZATION)[0][1] == "word", name


def test_a_company_and_a_corporation_are_one_kind_of_body() -> None:
    assert _tokens("Homs Refinery Corporation", ORGANIZATION) == _tokens(
        "Homs Refinery Company", ORGANIZATION
    )


def test_a_long_generic_word_misspelt_by_one_letter_is_read_as_the_word() -> None:
    """A misspelt 'corporation' is weighed as the generic word it is, not as a distinctive word
    no list has; a short word's one-letter neighbour is too often another word."""
    assert _tokens("Aerosun Corporatlon", ORGANIZATION) == _tokens(
        "Aerosun Corporation", ORGANIZATION
    )
    assert ("technology", "generic") in _tokens("Acme Tecnology Coporation", ORGANIZATION)
    assert "spelling tecnology = technology" in {
        t.via for f in analyze("Acme Tecnology", ORGANIZATION).forms for t in f.tokens
    }
    assert respelt_word("rational") is None  # national is too short to be respelt into
    assert respelt_word("technology") is None  # known words are themselves
    assert ("corporatlon", "word") in _tokens("Corporatlon Smith", PERSON)  # not in a person's


def test_a_misspelt_word_of_a_spelt_out_legal_form_still_makes_the_legal_form() -> None:
    """'OBSHCHETVO S OGRANICHENNOI OTVETSTVENNOSTYU' is an ooo, as the listed spelling is; a
    transliteration that differs by a letter ('obschestvo') meets the one rigour's phrase has. A
    word is respelt only where rigour then reads more of the name as a legal form: the spelling
    rigour itself knows stays ('zakrytoye aktsionernoye obshchestvo' is a zao)."""
    listed = _tokens("OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU STRAKHOVOI BROKER", ORGANIZATION)
    assert listed[0] == ("ooo", "legal")
    for misspelt in ("OBSHCHETVO S OGRANICHENNOI OTVETSTVENNOSTYU STRAKHOVOI BROKER",
                     "OBSCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU STRAKHOVOI BROKER",
                     "OBSHCHESTVO S OGRANICHENNOY OTVETSTVENNOSTIU STRAKHOVOI BROKER"):  # fmt: skip
        assert _tokens(misspelt, ORGANIZATION) == listed, misspelt
    vias = {t.via for f in analyze("Obschestvo s ogranichennoi otvetstvennostyu Alfa").forms
            for t in f.tokens}  # fmt: skip
    assert "legal form obshchestvo s ogranichennoi otvetstvennostyu = ooo" in vias
    assert _tokens("ZAKRYTOYE AKTSIONERNOYE OBSHCHESTVO ABSOLYUTBANK", ORGANIZATION) == [
        ("zao", "legal"),
        ("absolyutbank", "word"),
    ]
    assert respelt_legal_form_word("obschestvo") == "obshchestvo"
    assert respelt_legal_form_word("obshchestvo") is None  # a word of the table is itself
    assert respelt_word("obschestvo") is None  # only where rigour's phrase says so


def test_places_of_several_words_and_regions_are_locations_in_a_body_name_only() -> None:
    kinds = dict(_tokens("Bank of China Hong Kong Limited", ORGANIZATION))
    assert kinds["hong"] == kinds["kong"] == kinds["china"] == "location"
    assert dict(_tokens("ICBC Asia", ORGANIZATION))["asia"] == "location"
    assert dict(_tokens("Hong Kong Wei", PERSON))["hong"] == "word"


def test_the_article_before_a_place_is_no_part_of_it() -> None:
    assert _tokens("Bank of the Netherlands Antilles", ORGANIZATION)[2:] == [
        ("the", "stop"),
        ("netherlands", "location"),
        ("antilles", "location"),
    ]
    assert _tokens("The World Bank", ORGANIZATION) == [
        ("the", "stop"),
        ("world", "word"),
        ("bank", "word"),
    ]


def test_a_parenthesised_place_stays_part_of_the_name() -> None:
    """'Bank of China (Hong Kong)' and 'Bank of China (Singapore)' are two banks: no form
    without the place; a parenthesis that is not a place still gives one."""
    assert [f.text for f in analyze("Bank of China (Hong Kong) Limited").forms] == [
        "bank of china hong kong limited"
    ]
    assert len(analyze("Lord's Resistance Movement (LRM)").forms) > 1


def test_a_parenthesised_chinese_division_stays_part_of_the_name() -> None:
    """'Huawei Device (Jiangsu)' and 'Huawei Device (Shenzhen)' are two listed companies: a
    division of four letters or more, with or without its suffix words, is a place too, written
    as its first Latin name; a parenthesis that names no division (or is as short as an acronym)
    still gives a form without it."""
    for name, place in (
        ("Huawei Device (Jiangsu) Co., Ltd.", "jiangsu"),
        ("Corad Technology (Shenzhen City) Ltd.", "shenzhen"),
        ("SMIC (Xi'an) Corporation", "xian"),
        ("Foo Trading (Peking) Co", "beijing"),
        ("LIMMT (DALIAN FTZ) METALLURGY AND MINERALS CO., LTD.", "dalian"),
    ):
        forms = [f.text for f in analyze(name, ORGANIZATION).forms]
        assert len(forms) == 1 and place in forms[0].split(), (name, forms)
    for name in ("Huawei Device (City) Co", "Jemaah Islamiyah (JI)", "Daystar Electric (HK) Ltd."):
        assert len(analyze(name, ORGANIZATION).forms) > 1, name


def test_a_name_is_never_only_a_legal_form() -> None:
    """rigour reads 'OPG' as a legal form; a name with nothing else keeps it as its name."""
    kinds = dict(_tokens("OPG Global General Trading", ORGANIZATION))
    assert kinds["opg"] == "word"


def test_vessel_prefix_is_dropped_but_not_from_a_person() -> None:
    for name in ("MV. Avior", "M/V AVIOR", "M.V. Avior"):
        assert _tokens(name) == [("avior", "word")], name
    assert ("mv", "word") not in _tokens("M V Smith", PERSON)


def test_person_particles_patronymics_and_titles() -> None:
    kinds = dict(_tokens("Dr. Igor Aleksandrovich KORNET", PERSON))
    assert "dr" not in kinds
    assert kinds["aleksandrovich"] == "generic" and kinds["kornet"] == "word"
    assert dict(_tokens("Osama bin Laden", PERSON))["bin"] == "generic"


def test_a_title_is_not_part_of_a_person_name() -> None:
    assert _tokens("President Erdoğan", PERSON) == [("erdogan", "word")]
    assert _tokens("Mawlawi Abdul Kabir", PERSON)[0] != ("mawlawi", "word")


def test_the_spellings_of_one_arabic_particle_compare_as_one() -> None:
    assert _tokens("Usama ibn Laden", PERSON) == _tokens("Usama bin Laden", PERSON)
    assert _tokens("Fatima binti Ahmad", PERSON) == _tokens("Fatima bint Ahmad", PERSON)
    assert ("ben", "generic") in _tokens("Zine ben Ali", PERSON)  # also a given name: not folded
    assert _tokens("Ben Netanyahu", PERSON)[0] == ("ben", "word")  # a particle never opens a name


@pytest.mark.parametrize(
    "spellings",
    [
        ["'Abd al-Aziz", "Abdul Aziz", "Abdel Aziz", "Abdulaziz", "Abdelaziz", "Abd-ul-Aziz"],
        ["Abd ar-Rahman", "Abdurrahman", "Abdurahman", "Abdel Rahman", "Abdulrahman"],
        ["Abdullah", "Abdallah", "Abd Allah", "Abd al-Lah"],
    ],
)
def test_abd_al_names_compare_alike_in_every_spelling(spellings: list[str]) -> None:
    forms = {tuple(_tokens(f"{spelling} Nuristani", PERSON)) for spelling in spellings}
    assert len(forms) == 1, forms


def test_abd_al_names_keep_the_name_that_follows() -> None:
    aziz = [t for t, _ in _tokens("Abdulaziz Nuristani", PERSON)]
    assert aziz == ["abdul", "aziz", "nuristani"]
    assert [t for t, _ in _tokens("Abdul Rahman", PERSON)] == ["abdul", "rahman"]
    # too short an ending to be read as a name of its own; a body's name is left as written
    assert [t for t, _ in _tokens("Abdali Khan", PERSON)] == ["abdali", "khan"]
    assert _tokens("Abdulaziz Trading", ORGANIZATION)[0] == ("abdulaziz", "word")
    (form,) = analyze("Abd al-Aziz", PERSON).forms
    assert form.tokens[0].via == "name abd al aziz = abdul aziz"


def test_a_name_of_initials_alone_has_no_form_to_compare() -> None:
    assert analyze("N.N.", PERSON).forms == ()
    assert analyze("J. K.", ANY).forms == ()
    assert analyze("J. K. Rowling", PERSON).forms


def test_a_one_letter_roman_numeral_closing_a_body_name_is_a_number() -> None:
    assert _tokens("Citigroup Capital Trust I", ORGANIZATION)[-1] == ("1", "number")
    assert ("5", "number") in _tokens("Blackstone Partners V L.P.", ORGANIZATION)
    assert ("6", "number") in _tokens("Apollo Fund VI", ORGANIZATION)
    assert _tokens("Space X", ORGANIZATION)[-1] == ("x", "word")
    assert _tokens("I Squared Capital", ORGANIZATION)[0] != ("1", "number")
    assert _tokens("Trust I", PERSON)[-1] == ("i", "initial")


@pytest.mark.parametrize(
    ("written", "names"),
    [
        ("FUYI SUN A/K/A FRANK SUN", ["fuyi sun", "frank sun"]),
        ("SIBERIAN AIRLINES D/B/A S7 AIRLINES", ["siberian airlines", "s7 airlines"]),
        ("Acme a.k.a. Acme Global", ["acme", "acme global"]),
        ("NEW PEOPLE'S ARMY / COMMUNIST PARTY", ["new people army", "communist party"]),
        ("China National Plant Import/Export Co.", ["china national plant import export company"]),
        (
            "TANZEEM QA'IDAT AL JIHAD/BILAD AL RAAFIDAINI",
            [
                "tanzeem qaidat al jihad bilad al raafidaini",
                "tanzeem qaidat al jihad",
                "bilad al raafidaini",
            ],
        ),
        ("Ghaem/Khatam", ["ghaem khatam", "ghaem", "khatam"]),
        ("LORD'S RESISTANCE MOVEMENT/ARMY", ["lord resistance movement army"]),
        (
            "Front for the Conquest of Syria/the Levant",
            ["front for the conquest of syria the levant"],
        ),
    ],
)
def test_a_name_field_giving_two_names_gives_the_forms_of_both(
    written: str, names: list[str]
) -> None:
    assert [f.text for f in analyze(written).forms] == names


def test_parenthesised_acronym_closing_a_name_is_a_form_of_its_own() -> None:
    forms = [(f.via, f.text) for f in analyze("Lord's Resistance Movement (LRM)").forms]
    assert ("acronym", "lrm") in forms
    assert ("latin", "lord resistance movement") in forms
    # an acronym of the parent, followed by the sub-unit, does not stand for the whole name
    sub_unit = analyze(
        "China State Shipbuilding Corporation, Limited (CSSC) 719th Research Institute"
    )
    assert "acronym" not in [f.via for f in sub_unit.forms]


@pytest.mark.parametrize(
    ("written", "acronym"),
    [
        # the initials of the whole name, stop words giving theirs or not
        ("AL-QAIDA IN THE ARABIAN PENINSULA (AQAP)", "aqap"),
        ("Al-Qaida in Yemen (AQY)", "aqy"),
        # the name after a label
        ("Department of Atomic Energy entity: Bhabha Atomic Research Center (BARC)", "barc"),
        # a closing legal form gives no letter
        ("China State Shipbuilding Corporation, Limited (CSSC)", "cssc"),
        # a word that is also a legal form somewhere, spelling the name
        ("AFGHAN SUPPORT COMMITTEE (ASC)", "asc"),
    ],
)
def test_an_acronym_spelling_the_whole_name_is_a_form_of_its_own(
    written: str, acronym: str
) -> None:
    assert ("acronym", acronym) in [(f.via, f.text) for f in analyze(written).forms]


@pytest.mark.parametrize(
    "written",
    [
        "Sazeh Company, a front company for Atomic Energy Organization of Iran (AEOI)",  # mentioned
        "JSCB Lanta-Bank (JSC)",  # the bank's legal form, not its name
        "Almaz, Joint Stock Company (JSC)",
        "Bank Melli (Iran)",
        "Ministry of People's Security Correctional (MPS) Bureau",  # a parent before the sub-unit
        # a colon after a relation, or inside a parenthesis, is no label
        "Sazeh Company, a front company for: Atomic Energy Organization of Iran (AEOI)",
        "Baotou Co (Parent Organization: China National Nuclear Corporation (CNNC))",
        "Islamic Revolutionary Guard Corps (IRGC) (Iran)",  # a place after the acronym
    ],
)
def test_a_parenthesis_that_does_not_spell_the_name_is_no_form_of_its_own(written: str) -> None:
    assert "acronym" not in [f.via for f in analyze(written).forms]


def test_spelling_an_acronym_tries_each_way_through_stop_words_once() -> None:
    # each stop word may give its initial or not: tried blindly, 160 of them would take years
    name = "Qaida " + "al " * 160
    assert not spells_the_name("aaaaaaaa", name)
    assert spells_the_name("qaa", "Qaida al Arabia ")


def test_personal_names_carry_their_name_groups() -> None:
    form = latin_form("William Smith", PERSON)
    assert form is not None
    william = form.tokens[0]
    bill = latin_form("Bill", PERSON)
    assert bill is not None
    assert william.kind is Kind.WORD and not william.groups.isdisjoint(bill.tokens[0].groups)


def test_a_broken_word_table_fails_loudly() -> None:
    table = vocabulary().model_dump(mode="json")
    broken = {**table, "abbreviations": {"inst": "institute", "institute": "inst"}}
    with pytest.raises(VocabularyError, match="expands to another abbreviation"):
        parse_vocabulary(yaml.safe_dump(broken), "broken.yaml")
    broken = {**table, "person_particle_spellings": {"ibn": "bni"}}
    with pytest.raises(VocabularyError, match="particles not listed"):
        parse_vocabulary(yaml.safe_dump(broken), "broken.yaml")
    broken = {**table, "servant_names": {**table["servant_names"], "compare_as": "abdoo"}}
    with pytest.raises(VocabularyError, match="not one of the prefixes"):
        parse_vocabulary(yaml.safe_dump(broken), "broken.yaml")
    with pytest.raises(VocabularyError, match=r"broken\.yaml"):
        parse_vocabulary("version: [", "broken.yaml")


def test_a_single_letter_of_a_person_name_is_an_initial_even_when_it_is_a_word() -> None:
    (form,) = analyze("A. Nazarbayev", PERSON).forms
    assert [(t.text, t.kind) for t in form.tokens] == [
        ("a", Kind.INITIAL),
        ("nazarbayev", Kind.WORD),
    ]
    organisation = analyze("A Bank of China", ORGANIZATION).forms[0]
    assert organisation.tokens[0].kind is Kind.STOP


def test_digits_written_for_letters_give_the_name_as_a_spelling() -> None:
    (form,) = analyze("Ig0r Sech1n", PERSON).forms
    assert [sorted(t.alts & {"igor", "sechin"}) for t in form.tokens] == [["igor"], ["sechin"]]
    (vessel,) = analyze("Snow Storm 2", ORGANIZATION).forms
    assert all(not t.alts for t in vessel.tokens)  # a number apart is a number


def test_two_pinyin_syllables_share_no_name_group_unless_a_romanisation_confuses_them() -> None:
    def share(a: str, b: str) -> bool:
        return not name_groups_of(a).isdisjoint(name_groups_of(b))

    # Wikidata groups one character's readings together: 'hua' with 'su', 'xin' with 'heng'
    assert load_name_groups().equivalent("hua", "su")
    assert not share("hua", "su") and not share("xin", "heng") and not share("su", "xi")
    # sibilants romanisers mix up keep their group, and so do spellings that are no syllable
    assert share("xi", "shi") and share("zhang", "chang")
    # and so do a surname's other spellings that are syllables too: Cantonese, Hokkien
    assert share("chan", "chen") and share("tan", "chen") and share("ng", "wu")
    # pairwise: two spellings of 'chen' are not thereby spellings of each other
    assert not share("tan", "chan")
    assert share("wey", "wei") and share("hsiao", "xiao") and share("cheung", "zhang")
    assert share("muhammad", "mohammed")


@pytest.mark.parametrize(
    ("name", "reading", "inverted"),
    [
        ("AL BIN KHALID, Omar Ben Saleh", PERSON, "omar ben saleh al bin khalid"),
        ("AL BIN KHALID, Omar Bin Saleh", ANY, "omar bin saleh al bin khalid"),
        ("KHALID, Omar", PERSON, None),  # a rotation: the scorer accepts it as it is
        ("Acme Trading Co, Acme Ltd.", ANY, None),  # a legal form after the comma: a body's
        ("Khalid Bin Saleh, Bin", ORGANIZATION, None),
        ("Bin Khalid, Omar, Bin Saleh", PERSON, None),  # which comma inverts is not said
    ],
)
def test_a_name_written_surname_first_is_also_read_surname_last(
    name: str, reading: str, inverted: str | None
) -> None:
    texts = [form.text for form in analyze(name, reading).forms]
    assert texts[1:] == ([inverted] if inverted else [])


def test_words_written_together_run_across_an_article_but_not_another_stopword() -> None:
    """A form's `adjacent`: every two or three neighbouring words written as one, what the
    scorer looks for before joining; an Arabic article joins on ('bin al shibh' /
    'binalshibh'), an English stopword does not ('rahman of' is never 'rahmanof')."""
    (arabic, *_) = analyze("Ramzi bin al Shibh", "person").forms
    assert arabic.adjacent == {"ramzibin", "binal", "alshibh", "ramzibinal", "binalshibh"}
    (english, *_) = analyze("Abd al Rahman of the Sea", "any").forms
    assert [t.text for t in english.tokens] == ["abdul", "rahman", "of", "the", "sea"]
    assert english.adjacent == {"abdulrahman", "thesea"}
