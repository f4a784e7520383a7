"""Comparable forms of names written in other scripts: Han properly, the rest through anyascii.

Han: folded to simplified (OpenCC); a person's name split into surname and given name and romanised
with the surname reading and its regional variants; an organisation's name segmented into
divisions, glossary words and trade names, translated through the glossary and also kept as pinyin.
Other scripts: anyascii word by word, with the Wikidata name groups' Latin forms as equivalents.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from functools import lru_cache

from anyascii import anyascii
from pypinyin import lazy_pinyin

from interlock.names.chinese_person import romanize_person
from interlock.names.forms import ORGANIZATION, PERSON, Kind, NameForm, Token, latin_form
from interlock.names.glossary import Segment, load_glossary
from interlock.names.han import has_han, to_simplified
from interlock.names.name_groups import load_name_groups
from interlock.names.vocabulary import vocabulary

MAX_GLOSSARY_FORMS = 6
# glossary kinds that mark a name as an organisation's
_ORGANISATION_KINDS = frozenset(
    {"legal_form", "generic", "industry", "institution", "government", "military", "sub_unit"}
)


MAX_SPLIT_LENGTH = 8  # unspaced names up to this many characters are split by name groups

# Han, kana and Hangul: scripts whose characters each carry meaning or a syllable, so two names
# written in them that differ in a character are different names however alike they sound
_SYLLABIC = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_SEPARATORS = re.compile(r"[\s\u00b7\u30fb.\-]+")


@lru_cache(maxsize=65536)
def written_characters(name: str) -> str:
    """The name's characters when it is written wholly in Han, kana or Hangul (Han folded to
    simplified, separators dropped); '' otherwise."""
    folded = _SEPARATORS.sub("", to_simplified(name))
    if not folded or any(_SYLLABIC.match(character) is None for character in folded):
        return ""
    return folded


def different_characters(a: str, b: str) -> bool:
    """Two names of one length, both written in Han, kana or Hangul, that differ in a character
    ('习近平' / '习近朋', '김정은' / '김종은'): homophones to a romanisation, not to a reader."""
    written_a, written_b = written_characters(a), written_characters(b)
    return bool(written_a) and len(written_a) == len(written_b) and written_a != written_b


def foreign_forms(name: str, schema: str) -> tuple[list[NameForm], list[str]]:
    notes: list[str] = []
    grouped = _name_group_forms(name, notes) if schema != ORGANIZATION else []
    if has_han(name):
        forms, more = _han_forms(to_simplified(name), schema)
    else:
        forms, more = _romanised_forms(name, schema)
    return _distinct(grouped + forms), notes + more


def _group_token(part: str, latin: tuple[str, ...]) -> Token:
    # spelt as a Latin name's word is compared ('abdallah' as 'abdullah', see servant_names)
    whole = vocabulary().servant_names.whole
    spellings = list(dict.fromkeys(whole.get(s, s) for s in (f.replace(" ", "") for f in latin)))
    return Token(
        spellings[0],
        Kind.WORD,
        frozenset(spellings[1:]),
        "name group",
        load_name_groups().groups(part),
    )


def _name_group_forms(name: str, notes: list[str]) -> list[NameForm]:
    """A name written without spaces (김정은, 山田太郎, عبدالله) split where Wikidata's name
    groups know both parts' Latin forms (김 kim + 정은 jong un; 山田 yamada + 太郎 taro)."""
    groups = load_name_groups()
    compact = "".join(to_simplified(name).split())
    if not 2 <= len(compact) <= MAX_SPLIT_LENGTH:
        return []
    forms = []
    whole = groups.latin_forms(compact)
    if whole:
        forms.append(NameForm((_group_token(compact, whole),), "person"))
        notes.append(f"name group {compact} = {', '.join(whole[:4])}")
    for split in range(1, len(compact)):
        left, right = compact[:split], compact[split:]
        left_latin, right_latin = groups.latin_forms(left), groups.latin_forms(right)
        if left_latin and right_latin:
            tokens = (_group_token(left, left_latin), _group_token(right, right_latin))
            forms.append(NameForm(tokens, "person"))
            notes.append(f"name groups {left}|{right} = {left_latin[0]} {right_latin[0]}")
    return forms[:3]


# Arabic and Hebrew letters: scripts that leave most vowels unwritten
ABJAD = re.compile(r"[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
# scripts whose letters carry a vowel unwritten, which anyascii leaves out ('नरेन्द्र' nrendr,
# 'នរោត្តម' nraottm): Devanagari to Sinhala, Myanmar, Khmer
_INHERENT_VOWEL = re.compile(r"[\u0900-\u0dff\u1000-\u109f\u1780-\u17ff]")
# vowel marks, superscript alif, tatweel and the (non-)joiners, which may stand between letters
_MARKS = "[\u064b-\u065f\u0670\u0640\u200c\u200d]*"
_WORD_BREAK = re.compile(r"[\s\-\u2010-\u2015]+")
_LETTER_OR_DIGIT = re.compile(r"[^\W_\u0640]")  # tatweel (ـ) only stretches a word
_ARABIC_ARTICLE = re.compile(f"^[اٱ]{_MARKS}ل{_MARKS}(?=\\S{{2,}})")
# 'and' as a word of its own, and written with the article after it (التوحيد والجهاد al-Tawhid
# wal-Jihad)
_AND = re.compile(f"و{_MARKS}")
_AND_THE = re.compile(f"^و{_MARKS}(?=[اٱ]{_MARKS}ل{_MARKS}\\S{{3,}})")
# Allah (الله, Urdu اللہ, voweled اللّٰه): no article before a word, but a name of its own
_ALLAH = re.compile(f"[اٱ]{_MARKS}ل{_MARKS}ل{_MARKS}[هہ]{_MARKS}")
# ad-Din (الدين, Persian الدین), one word with the name before it in Latin (Salahuddin)
_AD_DIN = re.compile(f"[اٱ]{_MARKS}ل{_MARKS}د{_MARKS}[يی]{_MARKS}ن{_MARKS}")
# the Persian surname suffixes -nejad, -zadeh and -pour, written apart (احمدی نژاد) or with a
# non-joiner (احمدی‌نژاد) and in Latin as one word with the name before (Ahmadinejad, Rezazadeh)
_PERSIAN_SUFFIX = re.compile(
    f"(?:ن{_MARKS}ژ{_MARKS}ا{_MARKS}د|ز{_MARKS}ا{_MARKS}د{_MARKS}[هہ]|پ{_MARKS}و{_MARKS}ر){_MARKS}"
)
# abd and the article of the name it is written with as one word (عبدالرحمن Abd al-Rahman)
_ABD_AL = re.compile(f"ع{_MARKS}ب{_MARKS}د{_MARKS}(?=[اٱ]{_MARKS}ل\\S{{2,}})")
# abu, father of: written apart from the name after it or together with it (أبو بكر, أبوغيث)
_ABU = re.compile(f"[اأ]{_MARKS}ب{_MARKS}و{_MARKS}")
# how Persian and Urdu read Arabic letters, and names from them are written in Latin: ذ ظ ض as z
# (فضل Fazl, نظام Nezam), ث as s (واثق Wasiq); and Persian's own zhe, which Latin writes zh or
# j (نژاد Nezhad or Nejad, بیژن Bizhan or Bijan): read as j here, as zh where read as written
_PERSIAN_READING = str.maketrans({"ذ": "ز", "ظ": "ز", "ض": "ز", "ث": "س", "ژ": "ج"})
# a last heh or teh marbuta that writes a vowel (حمزة Hamza, زاده Zadeh, الله Allah)
_LAST_VOWEL = re.compile(f"[هةۃہ]{_MARKS}$")
# teh marbuta is sounded t where a noun governs the word after it, the construct state: Latin
# writes جبهة النصرة Jabhat al-Nusra, هيئة تحرير الشام Hay'at Tahrir al-Sham
_CONSTRUCT_STATE = re.compile(f"[ةۃ](?={_MARKS}\\s+\\S)")
_CONSTRUCT_END = re.compile(f"[ةۃ](?={_MARKS}$)")
# a word's first vowel, which Arabic writes with alif (أوندوا Ondoa) or ayin (عمر Omar, عبد Abd)
# and Hebrew with aleph or ayin (עמוס Amos); anyascii leaves the letter out, or writes it as an
# apostrophe or a backtick, and with it the vowel
_INITIAL_VOWEL_LETTER = re.compile(r"(?<!\S)[اأإآעאع](?=\S)")
# ayin and alif, a first long a, which anyascii leaves out: عابد is Abid, not عبد abd (the
# servant's abd, read Abdul)
_INITIAL_LONG_A = re.compile(r"(?<!\S)عا(?=\S)")
# letters anyascii reads otherwise than names are romanised: Khmer ba with a musikatoan is pa
# (UNGEGN romanisation of Khmer: ប៉ុល ពត, Pol Pot)
_READ_FIRST = (("ប៉", "p"),)


def _romanised_forms(name: str, schema: str) -> tuple[list[NameForm], list[str]]:
    if ABJAD.search(name) is None:
        return _romanised_form(name.split(), name, schema, False)
    # words apart as the Latin reading parts them (at a hyphen too), and none without a letter
    # or digit (a dash, a tatweel): either would leave the words and their tokens unpaired
    words = [word for word in _WORD_BREAK.split(name) if _LETTER_OR_DIGIT.search(word)]
    forms: list[NameForm] = []
    notes: list[str] = []
    # as written and with the words broken as Latin mostly writes them; each as written and as
    # Persian reads it
    broken = _latin_word_breaks(_and_as_latin_writes_it(words) if schema != PERSON else words)
    for spelt in dict.fromkeys((tuple(map(_bare, words)), broken)):
        bare = [word for word, _ in spelt]
        articles = [article for _, article in spelt]
        persian = [_LAST_VOWEL.sub("ا", word.translate(_PERSIAN_READING)) for word in bare]
        arabic = _CONSTRUCT_STATE.sub("ت", " ".join(bare))
        for read in dict.fromkeys((arabic, " ".join(persian))):
            more, more_notes = _romanised_form(bare, read, schema, True, articles)
            forms += more
            notes += more_notes
    return forms, notes


def romanised_word(word: str) -> tuple[Token, ...]:
    """One word of a body's name in an abjad, its article left out, as its name's forms read it
    (see interlock.names.arabic)."""
    bare, article = _bare(word)
    read = bare if _ALLAH.fullmatch(bare) else _LAST_VOWEL.sub("ا", bare)
    forms, _ = _romanised_form([bare], read, ORGANIZATION, True, [article])
    return forms[0].tokens if forms else ()


def _and_as_latin_writes_it(words: list[str]) -> list[str]:
    """A body's name with its 'and' as Latin writes it: left out where it stands alone (حاجی
    خيرالله و حاجی ستار), as Latin's 'and' is a stop word, and apart from the word it is written
    with before the article (التوحيد والجهاد al-Tawhid wal-Jihad). No name starts with it (والتر
    is Walter), and a name after the first may start so too (محمد والاس Mohammad Wallace): this
    is one reading of the name."""
    kept = words[:1]
    for word in words[1:]:
        and_the = _AND_THE.match(word)
        if and_the:
            kept += ["ول", word[and_the.end() :]]
        elif not _AND.fullmatch(word):
            kept.append(word)
    return kept


def _bare(word: str) -> tuple[str, bool]:
    """The word without its article, which is not part of the name (الجزراوي is al-Jizrawi),
    and whether it had one; Allah has none."""
    if _ALLAH.fullmatch(word):
        return word, False
    bare = _ARABIC_ARTICLE.sub("", word)
    return bare, bare != word


def _latin_word_breaks(words: list[str]) -> tuple[tuple[str, bool], ...]:
    """The words (article left out, and whether each began with it) broken as Latin mostly
    writes such names: Allah and ad-Din one with the word before them (حبيب الله Habibullah,
    صلاح الدين Salahuddin) and Allah first with the word after it (الله داد Allahdad); abd apart
    from the name after it (عبدالرحمن Abdul Rahman), a Persian surname's suffix one with the name
    before it (احمدی نژاد Ahmadinejad). Latin writes abu both ways (Abu Ghaith, Abubakar): here it
    is the other way from the Arabic (أبوغيث Abu Ghaith, أبو بكر Abubakar)."""
    allah_first = bool(words) and _ALLAH.fullmatch(words[0]) is not None
    broken: list[tuple[str, bool]] = []
    after_abu = False
    for position, word in enumerate(words):
        abd = _ABD_AL.match(word)
        abu = _ABU.match(word)
        second_after_allah = position == 1 and allah_first
        if abd:
            broken += [(word[: abd.end()], False), _bare(word[abd.end() :])]
        elif abu and len(word) - abu.end() >= 2:
            broken += [(word[: abu.end()], False), _bare(word[abu.end() :])]
        elif broken and _ALLAH.fullmatch(word):
            # the noun before Allah governs it, its ة sounded t: هبة الله Hibatullah
            before, article = broken[-1]
            broken[-1] = (_CONSTRUCT_END.sub("ت", before) + word, article)
        elif broken and (
            _AD_DIN.fullmatch(word)
            or _PERSIAN_SUFFIX.fullmatch(word)
            or second_after_allah
            or after_abu
        ):
            before, article = broken[-1]
            broken[-1] = (before + _bare(word)[0], article)
        else:
            broken.append(_bare(word))
        after_abu = abu is not None and abu.end() == len(word)
    return tuple(broken)


def _romanised_form(
    originals: list[str], name: str, schema: str, abjad: bool, articles: Sequence[bool] = ()
) -> tuple[list[NameForm], list[str]]:
    """`name` read in Latin letters; its words' name groups looked up as `originals` writes them
    (the same words, or the same letters read another way); `articles`: which of them were
    written with the Arabic article."""
    groups = load_name_groups()
    vowelless = abjad or _INHERENT_VOWEL.search(name) is not None
    read = _INITIAL_VOWEL_LETTER.sub("a", _INITIAL_LONG_A.sub("aa", name)) if abjad else name
    for letters, sound in _READ_FIRST:
        read = read.replace(letters, sound)
    romanised = latin_form(anyascii(read), schema, via="romanised")
    if romanised is None:
        return [], []
    notes = [f"anyascii {name} = {romanised.text}"]
    tokens = [dataclasses.replace(t, vowelless=True) if vowelless else t for t in romanised.tokens]
    if len(originals) == len(tokens):
        for position, (original, token) in enumerate(zip(originals, tokens, strict=True)):
            article = bool(articles) and articles[position]
            latin = groups.latin_forms(original)
            if latin:
                tokens[position] = Token(
                    token.text,
                    token.kind,
                    frozenset(latin),
                    "name group",
                    groups.groups(original),
                    token.vowelless,
                    article,
                )
                notes.append(f"name group {original} = {', '.join(latin)}")
            elif article:
                tokens[position] = dataclasses.replace(token, article=True)
    return [NameForm(tuple(tokens), "romanised")], notes


def _pinyin(han: str) -> str:
    return "".join(str(syllable) for syllable in lazy_pinyin(han))


def _han_forms(name: str, schema: str) -> tuple[list[NameForm], list[str]]:
    forms: list[NameForm] = []
    notes: list[str] = []
    compact = "".join(name.split())
    segments = load_glossary().segment(compact) if "·" not in compact else []
    organisation_like = any(s.kind in _ORGANISATION_KINDS for s in segments)
    if schema != ORGANIZATION and not organisation_like:
        forms.extend(_person_forms(compact, notes))
    if schema != PERSON and segments and (organisation_like or not forms):
        forms.extend(_glossary_forms(segments, schema, notes))
    plain = _plain_pinyin(compact, segments, schema)
    if plain is not None:
        forms.append(plain)
        notes.append(f"pinyin {compact} = {plain.text}")
    return _distinct(forms), notes


def _person_forms(name: str, notes: list[str]) -> list[NameForm]:
    if "·" in name:  # a foreign name transliterated into Han: 贝拉克·奥巴马
        return _transliterated_forms(name, notes)
    person = romanize_person(name)
    if person is None:
        return []
    given = "".join(person.given_syllables)
    groups = load_name_groups()
    # name groups add readings from other languages (金正恩: Korean 'jong un')
    surname_alts = {*person.surname_variants, *groups.latin_forms(person.surname_han)}
    given_alts = {
        *person.given_variants,
        *(f.replace(" ", "") for f in groups.latin_forms(person.given_han)),
    }
    surname = Token(
        person.surname, Kind.WORD, frozenset(surname_alts - {person.surname}), "surname"
    )
    given_token = Token(given, Kind.WORD, frozenset(given_alts - {given}), "pinyin")
    notes.append(
        f"person name {person.surname_han}|{person.given_han} = {person.surname} {given}"
        + (f" (also {', '.join(person.surname_variants[:4])})" if person.surname_variants else "")
    )
    return [NameForm((surname, given_token), "person")]


def _transliterated_forms(name: str, notes: list[str]) -> list[NameForm]:
    groups = load_name_groups()
    tokens = []
    for part in (p for p in name.split("·") if p):
        latin = groups.latin_forms(part)
        text = latin[0] if latin else _pinyin(part)
        tokens.append(
            Token(text, Kind.WORD, frozenset(latin[1:]), "name group" if latin else "pinyin")
        )
        notes.append(f"{'name group' if latin else 'pinyin'} {part} = {text}")
    return [NameForm(tuple(tokens), "person")]


def _distinct(forms: list[NameForm]) -> list[NameForm]:
    seen: set[str] = set()
    kept = []
    for form in forms:
        if form.text not in seen:
            seen.add(form.text)
            kept.append(form)
    return kept


SUFFIXED = -1  # a division's first rendering with its suffix's ('urumqi city' for 乌鲁木齐市)


def _segment_words(segment: Segment, choice: int) -> str:
    if choice == SUFFIXED:
        return f"{segment.en[0]} {segment.suffix_en[0]}"
    if segment.en:
        return str(segment.en[min(choice, len(segment.en) - 1)])
    return _pinyin(segment.text)


def _distinct_renderings(segment: Segment) -> list[int]:
    """A segment's renderings, less those that only reorder an earlier one's words ('department
    of public security' after 'public security department'): the scorer pairs words in any
    order, and a form fewer leaves room for another rendering (MAX_GLOSSARY_FORMS)."""
    stopwords = vocabulary().stopwords
    seen: set[tuple[str, ...]] = set()
    kept = []
    for at, rendering in enumerate(segment.en):
        words = tuple(sorted(w for w in rendering.split() if w not in stopwords))
        if words not in seen:
            seen.add(words)
            kept.append(at)
    return kept


def _glossary_forms(segments: list[Segment], schema: str, notes: list[str]) -> list[NameForm]:
    """The primary translation, then each alternative rendering swapped in one at a time (at
    most MAX_GLOSSARY_FORMS in all), then a form for each division that spells out its suffix.

    The primary translation leaves a division's suffix out, as company names in English do
    (深圳市 'Shenzhen'); the lists name government bodies with it ('Urumqi Municipal Public
    Security Bureau')."""
    for segment in segments:
        if segment.en:
            notes.append(f"glossary {segment.text} = {' / '.join(segment.en)}")
        else:
            notes.append(f"pinyin {segment.text} = {_pinyin(segment.text)}")
    choices: list[tuple[int, ...]] = [(0,) * len(segments)]
    for position, segment in enumerate(segments):
        for alternative in _distinct_renderings(segment)[1:]:
            swapped = [0] * len(segments)
            swapped[position] = alternative
            choices.append(tuple(swapped))
    del choices[MAX_GLOSSARY_FORMS:]
    for position, segment in enumerate(segments):
        if segment.en and segment.suffix_en:
            choices.append((0,) * position + (SUFFIXED,) + (0,) * (len(segments) - position - 1))
    forms = []
    for choice in choices:
        renderings: list[str] = []
        for segment, chosen in zip(segments, choice, strict=True):
            words = _segment_words(segment, chosen)
            if not renderings or not _repeats(renderings[-1], words):
                renderings.append(words)
        form = latin_form(" ".join(renderings), schema, via="glossary")
        if form is not None:
            forms.append(_with_suffix_equivalents(form, segments, choice))
    return forms


def _with_suffix_equivalents(
    form: NameForm, segments: list[Segment], choice: tuple[int, ...]
) -> NameForm:
    """The form with each one-word suffix rendering it spells out given the suffix's other
    one-word renderings as equivalents ('city' = 'municipality' = 'municipal' for 市)."""
    equivalents = {
        segment.suffix_en[0]: frozenset(r for r in segment.suffix_en[1:] if " " not in r)
        for segment, chosen in zip(segments, choice, strict=True)
        if chosen == SUFFIXED and " " not in segment.suffix_en[0]
    }
    if not equivalents:
        return form
    tokens = tuple(
        dataclasses.replace(t, alts=t.alts | equivalents[t.text]) if t.text in equivalents else t
        for t in form.tokens
    )
    return NameForm(tokens, form.via)


def _repeats(before: str, rendering: str) -> bool:
    """Whether a rendering only says again what the longer one before ends with, singular or
    plural aside (中航电测 'zhonghang electronic measuring instruments', then 仪器 'instrument');
    a word the name itself says twice stays (吉林省吉林市 'jilin jilin')."""
    said, again = before.split(), rendering.split()
    return len(again) < len(said) and all(
        _singular(a) == _singular(b) for a, b in zip(said[-len(again) :], again, strict=True)
    )


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _plain_pinyin(name: str, segments: list[Segment], schema: str) -> NameForm | None:
    """Pinyin word by word: each glossary segment or trade name one word ('shuokang shengwukeji')."""
    parts = [s.text for s in segments] if segments else name.split("·")
    words = [_pinyin(part) for part in parts if part]
    form = latin_form(" ".join(words), schema, via="pinyin")
    if form is None:
        return None
    tokens = tuple(
        Token(t.text, Kind.WORD if t.kind is Kind.STOP else t.kind, t.alts, "pinyin")
        for t in form.tokens
    )
    return NameForm(tokens, "pinyin")
