"""Arabic-script organisation names translated word by word (names/data/glossary_ar.yaml).

Lists name a body in Arabic script and in English ('الجماعة الاسلامية المقاتلة الليبية' / LIBYAN
ISLAMIC FIGHTING GROUP); romanising the letters meets only its transliterated names. A body's name
in Arabic script with a glossary word gets a form more: those words in English, the others
romanised as the name's other forms romanise them. A word meets its entry written with the article
or a joined preposition (الاسلامية, للصرافة, والجهاد, ببلاد); the glossary lists the feminine and
plural forms it meets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, field_validator, model_validator

from interlock.names.forms import ORGANIZATION, PERSON, NameForm, latin_form
from interlock.names.scripts import ABJAD, romanised_word
from interlock.names.word_glossary import (
    GlossarySource,
    bundled_text,
    check_sources,
    english_renderings,
    parsed_file,
    renderings,
)

GLOSSARY_FILE = "glossary_ar.yaml"
MAX_FORMS = 6  # the primary translation, then alternative renderings swapped in one at a time
# the article, alone or after a joined preposition, and a joined preposition alone, with the
# letters that must be left after it: a word is looked up as written first (بلاد is not ب +
# لاد), and a one-letter preposition leaves three letters at least (وفي is Wafi, not و + في)
_PREFIXES = (("وال", 2), ("بال", 2), ("فال", 2), ("كال", 2), ("لل", 2), ("ال", 2),
             ("و", 3), ("ب", 3), ("ل", 3))  # fmt: skip
# the kinds of word that say a name is a body's: a name read either way (a query's, with no
# schema) is translated only with one of them (العربي alone is the nisba al-Arabi)
BODY_KINDS = frozenset({"generic", "industry", "institution", "government"})
_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ک": "ك", "ة": "ه", "ۃ": "ه",
     "ہ": "ه", "ھ": "ه"}
)  # fmt: skip
_MARKS = re.compile("[\u064b-\u065f\u0670\u0640\u200c\u200d]")
_ARABIC_WORD = re.compile(r"^[\u0600-\u06ff]+$")
_WORD_BREAK = re.compile(r"[\s\-–—_/,.()،؛]+")
_AND = "و"


class ArabicGlossaryError(ValueError):
    """The glossary file does not validate; the message names the file and the entry."""


class ArabicEntry(BaseModel):
    ar: tuple[str, ...]  # the dictionary form, then the other forms names write
    en: tuple[str, ...]
    kind: Literal["generic", "industry", "institution", "government", "place", "other"]
    source: str

    @field_validator("ar")
    @classmethod
    def _arabic(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value or any(not _ARABIC_WORD.match(form) for form in value):
            raise ValueError(f"{value!r}: each form is one word in Arabic script")
        return value

    @field_validator("en")
    @classmethod
    def _english(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return english_renderings(value)


class _GlossaryFile(BaseModel):
    version: Literal[1]
    sources: list[GlossarySource]
    entries: list[ArabicEntry]

    @model_validator(mode="after")
    def _known_sources(self) -> _GlossaryFile:
        check_sources(self.sources, ((entry.ar[0], entry.source) for entry in self.entries))
        return self


def fold(word: str) -> str:
    """The letters spellings of one word differ by, made one; vowel marks and tatweel dropped."""
    return _MARKS.sub("", word).translate(_FOLD)


@dataclass(frozen=True)
class ArabicGlossary:
    words: dict[str, ArabicEntry]  # folded word → entry

    def entry_of(self, word: str) -> ArabicEntry | None:
        """The entry of a word as a name writes it, with or without the article or a joined
        preposition."""
        folded = fold(word)
        cores = [folded] + [
            folded[len(prefix) :]
            for prefix, left in _PREFIXES
            if folded.startswith(prefix) and len(folded) - len(prefix) >= left
        ]
        return next((self.words[core] for core in cores if core in self.words), None)


def read_glossary(text: str, origin: str) -> ArabicGlossary:
    """Validate a glossary file's text; two entries may not fold to one word."""
    parsed = parsed_file(_GlossaryFile, text, origin, ArabicGlossaryError)
    words: dict[str, ArabicEntry] = {}
    for entry in parsed.entries:
        for form in entry.ar:
            key = fold(form)
            if key in words:
                raise ArabicGlossaryError(
                    f"{origin}: {form!r} ({entry.ar[0]}) and {words[key].ar[0]!r} are one word "
                    "once folded"
                )
            words[key] = entry
    return ArabicGlossary(words)


@lru_cache(maxsize=1)
def load_glossary() -> ArabicGlossary:
    return read_glossary(*bundled_text(GLOSSARY_FILE))


def translated_forms(name: str, schema: str) -> tuple[list[NameForm], list[str]]:
    """Forms of a body's name in Arabic script with its glossary words in English, and the notes
    saying so; nothing for a person's name, a name with no glossary word, or a name read either
    way with no word that says it is a body's."""
    if schema == PERSON or not ABJAD.search(name):
        return [], []
    glossary = load_glossary()
    words = [word for word in _WORD_BREAK.split(name) if word and word != _AND]
    entries = [glossary.entry_of(word) for word in words]
    kinds = {entry.kind for entry in entries if entry is not None}
    if not kinds or (schema != ORGANIZATION and kinds.isdisjoint(BODY_KINDS)):
        return [], []
    if None not in entries and kinds == {"generic"}:
        return [], []  # 'Services Office' (مكتب الخدمات) says what a body is, not which
    notes = [
        f"glossary (ar) {word} = {' / '.join(entry.en)}"
        for word, entry in zip(words, entries, strict=True)
        if entry is not None
    ]
    romanised = {
        at: romanised_word(word) for at, (word, entry) in enumerate(zip(words, entries, strict=True))
        if entry is None
    }  # fmt: skip
    # a romanised word keeps what its romanisation knows of it (name groups, unwritten vowels)
    spelt = {token.text: token for tokens in romanised.values() for token in tokens}
    forms: list[NameForm] = []
    for choice in renderings([len(entry.en) if entry else 0 for entry in entries], MAX_FORMS):
        words_read = [
            " ".join(t.text for t in romanised[at]) if entry is None else entry.en[pick]
            for at, (entry, pick) in enumerate(zip(entries, choice, strict=True))
        ]
        # read as one name, so that a legal form of several words is one ('company limited')
        english = latin_form(" ".join(words_read), ORGANIZATION, via="glossary")
        if english is None:
            continue
        tokens = tuple(
            replace(r, kind=t.kind) if (r := spelt.get(t.text)) is not None else t
            for t in english.tokens
        )
        form = NameForm(tokens, "glossary")
        if all(form.text != other.text for other in forms):
            forms.append(form)
    return forms, notes
