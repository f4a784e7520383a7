"""Russian and Ukrainian organisation names translated word by word (names/data/glossary_ru.yaml).

Lists name one Russian body in Cyrillic ('Муромский приборостроительный завод'), transliterated
('MUROMSKII PRIBOROSTROITELNYI ZAVOD') and translated ('Murom Instrument-Making Plant'). A name in
Cyrillic is romanised before it gets here; a name with a glossary word, in either of the first two
ways, gets a form more with those words in English.

A word meets its glossary entry whatever its case ending and whichever transliteration wrote it:
both are reduced to a skeleton where the spellings of one Cyrillic letter coincide (х kh/h, ц ts/c,
й y/i/j, я ya/ia/ja, ё e/yo, the soft sign written or not; a doubled letter written once). In a
name that has a glossary word, an adjective made from a place name is read as the place: муромский
→ Murom, челябинский → Chelyabinsk. A name the glossary's markers show to be South Slavic
('Zavod za statistiku') is not read so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from anyascii import anyascii
from pydantic import BaseModel, field_validator, model_validator

from interlock.names.forms import PERSON, Kind, NameForm, Token, latin_form
from interlock.names.word_glossary import (
    GlossarySource,
    bundled_text,
    check_sources,
    english_renderings,
    parsed_file,
    renderings,
)

GLOSSARY_FILE = "glossary_ru.yaml"
MAX_FORMS = 6  # the primary translation, then alternative renderings swapped in one at a time
MIN_WORD = 5  # letters of a word looked up: shorter ones meet English words ('visa' / высшая)
MIN_DICTIONARY_WORD = 4  # ... but for a word written as the dictionary gives it ('verf', верфь)
TRANSLATED_KINDS = frozenset({Kind.WORD, Kind.GENERIC})

_CYRILLIC_WORD = re.compile(r"^[\u0400-\u04ff]+(?:'[\u0400-\u04ff]+)?$")

# endings of a word after its stem, as Latin transliterations write them
_ADJECTIVE_ENDINGS = (
    # -ый -ий -ой, -ая -яя, -ое -ее, -ые -ие, -ого -его, -ых -их, -ому, -ую, -ым
    "yy", "yi", "iy", "ii", "ij", "yj", "y", "i", "oy", "oi", "oj",
    "aya", "aia", "aja", "yaya",
    "oe", "oye", "oie", "ee", "eye",
    "ye", "yye", "ie", "iye", "yie",
    "ogo", "ovo", "ego", "ykh", "ikh", "yh", "ih", "omu", "uyu", "ym", "im",
    "ey", "ei", "ej", "emu",  # a soft stem's -ей, -ему: внутренней, внутреннему
    "o", "e",  # the first part of a compound: научно-производственный
)  # fmt: skip
_NOUN_ENDINGS = {
    # by how the dictionary form ends: (letters dropped for the stem, endings after it)
    "ие": (2, ("ie", "iye", "iya", "ia", "ija", "ii", "iyu", "iem", "iyem")),
    "ия": (2, ("iya", "ia", "ija", "ii", "iyu", "ie", "iye")),
    "а": (1, ("a", "y", "i", "e", "u", "oy", "ami", "akh")),
    "я": (1, ("ya", "ia", "ja", "a", "i", "e", "yu", "iu", "u")),
    "о": (1, ("o", "a", "u", "om", "e")),
    "е": (1, ("e", "ye", "a", "u", "om")),
    "ь": (1, ("", "i", "yu", "iu")),
    "ы": (1, ("y", "i", "ov", "am", "ami", "akh")),  # a noun with no singular: финансы
    "": (0, ("", "a", "u", "om", "e", "y", "i", "ov", "am", "ami", "akh", "ye")),
}
_ADJECTIVE_LEMMA_ENDINGS = ("ый", "ий", "ой")

# a place's adjective: Муромский (муром + ский), Иркутский (иркутск + ий); not an adjective of
# a quality (физический, экономический: -ческий, -ический)
_PLACE_ADJECTIVE = re.compile(
    r"^(?P<stem>[a-z]{3,})sk"
    r"(?:iy|ii|yi|yy|y|i|ij|oy|oi|oj|aya|aia|aja|oe|oye|oie|ye|yye|ie|iye|ikh|ykh|ogo)$"
)
_QUALITY_ADJECTIVE = ("che", "ic", "ich")
_ONE_LETTER = (
    (re.compile(r"shch|sch|shh"), "s"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"zh"), "z"),
    (re.compile(r"ch"), "c"),
    (re.compile(r"sh"), "s"),
    (re.compile(r"t[sz]"), "c"),
    (re.compile(r"j"), "y"),
    (re.compile(r"[iy]{2,}"), "i"),
    (re.compile(r"[iy](?=[aeou])"), ""),
    (re.compile(r"y"), "i"),
)
_DOUBLED = re.compile(r"(.)\1+")


class RussianGlossaryError(ValueError):
    """The glossary file does not validate; the message names the file and the entry."""


class RussianEntry(BaseModel):
    ru: str
    pos: Literal["noun", "adjective"]
    en: tuple[str, ...]
    kind: Literal["generic", "industry", "institution", "government", "other"]
    lang: Literal["ru", "uk"]
    source: str

    @field_validator("ru")
    @classmethod
    def _cyrillic(cls, value: str) -> str:
        if not _CYRILLIC_WORD.match(value) or value != value.lower():
            raise ValueError(f"{value!r} is not one lowercase Cyrillic word")
        return value

    @field_validator("en")
    @classmethod
    def _english(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return english_renderings(value)

    @model_validator(mode="after")
    def _dictionary_form(self) -> RussianEntry:
        if self.pos == "adjective" and not self.ru.endswith(_ADJECTIVE_LEMMA_ENDINGS):
            raise ValueError(f"{self.ru!r}: an adjective is given in -ый, -ий or -ой")
        return self


class _Markers(BaseModel):
    letters: str
    after: dict[str, list[str]]


class _GlossaryFile(BaseModel):
    version: int
    not_east_slavic: _Markers
    sources: list[GlossarySource]
    entries: list[RussianEntry]

    @model_validator(mode="after")
    def _known_sources(self) -> _GlossaryFile:
        check_sources(self.sources, ((entry.ru, entry.source) for entry in self.entries))
        return self


def skeleton(word: str) -> str:
    """A transliterated word with the letters that spell one Cyrillic letter made one and the
    soft sign dropped: 'mashinostroitel'nyi' and 'mashinostroitelnyy' meet. Doubled letters stay:
    объединённая (obedinennaya, united) is not объединения (obedineniya, of the association); the
    glossary also holds its words with doubled letters written once ('gosudarstvenoye')."""
    text = re.sub(r"['’`ʹʺ]", "", word.lower())
    for pattern, replacement in _ONE_LETTER:
        text = pattern.sub(replacement, text)
    return text


@dataclass(frozen=True)
class RussianGlossary:
    """`words`: each glossary word's skeleton in every case ending → its entry;
    `dictionary_forms`: the skeletons of the words as the dictionary gives them; `foreign_letters`
    and `foreign_after` (a glossary word → the words after it): what marks a name as South Slavic
    (see the file)."""

    words: Mapping[str, RussianEntry]
    dictionary_forms: frozenset[str]
    foreign_letters: frozenset[str]
    foreign_after: Mapping[str, frozenset[str]]


def _latin_spellings(cyrillic: str) -> tuple[str, ...]:
    """A Cyrillic stem in Latin letters: with ё written e and written yo, if it has one."""
    written = anyascii(cyrillic).lower()
    if "ё" not in cyrillic:
        return (written,)
    return written, anyascii(cyrillic.replace("ё", "йо")).lower()


def _stem_and_endings(entry: RussianEntry) -> tuple[str, tuple[str, ...]]:
    if entry.pos == "adjective":
        return entry.ru[:-2], _ADJECTIVE_ENDINGS
    for ending, (dropped, endings) in _NOUN_ENDINGS.items():
        if entry.ru.endswith(ending):
            return entry.ru[: len(entry.ru) - dropped], endings
    raise AssertionError("the empty ending matches every noun")


def read_glossary(text: str, origin: str) -> RussianGlossary:
    """The glossary's words in every case ending and spelling. Two entries whose words meet must
    say the same in English."""
    parsed = parsed_file(_GlossaryFile, text, origin, RussianGlossaryError)
    words: dict[str, RussianEntry] = {}
    dictionary_forms: set[str] = set()
    for entry in parsed.entries:
        stem, endings = _stem_and_endings(entry)
        dictionary_forms.update(skeleton(latin) for latin in _latin_spellings(entry.ru))
        for latin in _latin_spellings(stem):
            for ending in endings:
                written = skeleton(latin + ending)
                for key in dict.fromkeys((written, _DOUBLED.sub(r"\1", written))):
                    held = words.setdefault(key, entry)
                    if held.en != entry.en:
                        raise RussianGlossaryError(
                            f"{origin}: {entry.ru!r} and {held.ru!r} are both spelt {key!r} in "
                            "Latin letters but translate differently"
                        )
    markers = parsed.not_east_slavic
    return RussianGlossary(
        words,
        frozenset(dictionary_forms),
        frozenset(markers.letters.lower()),
        {ru: frozenset(word.lower() for word in after) for ru, after in markers.after.items()},
    )


@lru_cache(maxsize=1)
def load_glossary() -> RussianGlossary:
    return read_glossary(*bundled_text(GLOSSARY_FILE))


@lru_cache(maxsize=1 << 16)
def glossary_entry(word: str) -> RussianEntry | None:
    """The entry a transliterated word (any case ending) belongs to, if any."""
    if len(word) < MIN_DICTIONARY_WORD:
        return None
    glossary, key = load_glossary(), skeleton(word)
    if len(word) < MIN_WORD and key not in glossary.dictionary_forms:
        return None
    return glossary.words.get(key)


def _entry_of(token: Token) -> RussianEntry | None:
    """The glossary entry of a word to translate ('institute' is English already)."""
    if token.kind not in TRANSLATED_KINDS:
        return None
    entry = glossary_entry(token.text)
    return None if entry is None or token.text in entry.en else entry


def place_of_adjective(word: str) -> tuple[str, str] | None:
    """A place's adjective read as the place, both ways its name may end: 'muromskiy' →
    ('murom', 'muromsk'), 'irkutskiy' → ('irkut', 'irkutsk'); None for any other word."""
    found = _PLACE_ADJECTIVE.match(word)
    if found is None or found["stem"].endswith(_QUALITY_ADJECTIVE):
        return None
    return found["stem"], found["stem"] + "sk"


def translated_forms(
    name: str, forms: Sequence[NameForm], schema: str
) -> tuple[list[NameForm], list[str]]:
    """A form more for each form of `name` that has a glossary word: those words in English, a
    place's adjective as the place; and the notes saying so."""
    if schema == PERSON:
        return [], []
    glossed = [
        (form, entries) for form in forms if any(entries := [_entry_of(t) for t in form.tokens])
    ]
    if not glossed or _south_slavic(name, glossed):
        return [], []
    translated: list[NameForm] = []
    notes: list[str] = []
    for form, entries in glossed:
        places = {
            at: place
            for at, (token, entry) in enumerate(zip(form.tokens, entries, strict=True))
            if entry is None
            and token.kind is Kind.WORD
            and (place := place_of_adjective(token.text)) is not None
        }
        for token, entry in zip(form.tokens, entries, strict=True):
            if entry is not None:
                notes.append(f"glossary ({entry.lang}) {token.text} = {' / '.join(entry.en)}")
        for at, (stem, whole) in places.items():
            notes.append(f"place adjective {form.tokens[at].text} = {stem} / {whole}")
        translated.extend(_renderings(form, entries, places, schema))
    return translated, notes


def _south_slavic(name: str, glossed: list[tuple[NameForm, list[RussianEntry | None]]]) -> bool:
    """Whether a name with glossary words (each form's entries) is marked as Serbian, Croatian,
    Bosnian, Montenegrin, Macedonian or Slovene (see the glossary): by its letters, or by a word
    after a glossary word ('zavod za')."""
    glossary = load_glossary()
    if not glossary.foreign_letters.isdisjoint(name.lower()):
        return True
    return any(
        entry is not None and after.text in glossary.foreign_after.get(entry.ru, ())
        for form, entries in glossed
        for entry, after in zip(entries, form.tokens[1:], strict=False)
    )


def _renderings(
    form: NameForm,
    entries: list[RussianEntry | None],
    places: dict[int, tuple[str, str]],
    schema: str,
) -> list[NameForm]:
    choices = renderings([len(entry.en) if entry else 0 for entry in entries], MAX_FORMS)
    # the adjective itself stays a spelling of the place: it may be a surname ('Kowalski')
    alternatives = {
        stem: frozenset({whole, form.tokens[at].text}) for at, (stem, whole) in places.items()
    }
    rendered: list[NameForm] = []
    for choice in choices:
        words = [
            entry.en[pick] if entry else places[at][0] if at in places else token.text
            for at, (token, entry, pick) in enumerate(
                zip(form.tokens, entries, choice, strict=True)
            )
        ]
        english = latin_form(" ".join(words), schema, via="glossary")
        if english is None:
            continue
        tokens = tuple(
            Token(t.text, t.kind, t.alts | alternatives[t.text], t.via, t.groups)
            if t.text in alternatives and t.kind is Kind.WORD
            else t
            for t in english.tokens
        )
        translated = NameForm(tokens, "glossary")
        if all(translated.text != other.text for other in rendered):  # 'centre' reads 'center'
            rendered.append(translated)
    return rendered
