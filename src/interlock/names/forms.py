"""Comparable forms of a name: tokens with a kind. This module builds the Latin-script form."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from anyascii import anyascii
from rigour.names import extract_org_types, replace_org_types_compare

from interlock.names.vocabulary import country_words, vocabulary


class Kind(StrEnum):
    WORD = "word"  # distinctive: weighted by how rare it is
    GENERIC = "generic"  # 'company', 'group', 'technology': says what a body is, not which
    LEGAL = "legal"  # a legal form ('ltd', 'jsc', 'co ltd'), from rigour's tables
    LOCATION = "location"  # a country or administrative-division name
    NUMBER = "number"  # '54' from '54th', 'No. 54', 'fifty-fourth' or 第五十四
    INITIAL = "initial"  # a single letter of a person's name
    STOP = "stop"  # 'of', 'the': kept only to build acronyms


# Kinds that identify a party; the others only describe it.
DISTINCTIVE = frozenset({Kind.WORD, Kind.NUMBER, Kind.INITIAL})


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    kind: Kind
    alts: frozenset[str] = frozenset()  # equivalent spellings (surname readings, translations)
    via: str = ""  # how the token was derived when it is not the literal word


@dataclass(frozen=True, slots=True)
class NameForm:
    tokens: tuple[Token, ...]
    via: str  # 'latin', 'romanised', 'person', 'glossary', 'pinyin'

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)


@dataclass(frozen=True, slots=True)
class AnalyzedName:
    name: str
    forms: tuple[NameForm, ...]
    notes: tuple[str, ...] = field(default=())  # transliterations and glossary entries used


PERSON = "person"
ORGANIZATION = "organization"
ANY = "any"

_POSSESSIVE = re.compile(r"(?<=\w)['’`?]s\b")
_INNER_APOSTROPHE = re.compile(r"(?<=\w)['’`](?=\w)")
_DOTTED_INITIALS = re.compile(r"\b(?:[^\W\d_]\.){2,}")
_NON_WORD = re.compile(r"[\W_]+")
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")


def latin_words(text: str) -> list[str]:
    """Folded words: 'Security?s' → 'security', 'L.L.C.' → 'llc', 'O'Brien' → 'obrien', 'Müller' → 'muller'."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _POSSESSIVE.sub("", folded)
    folded = _DOTTED_INITIALS.sub(lambda m: m.group(0).replace(".", "") + " ", folded)
    folded = _INNER_APOSTROPHE.sub("", folded)
    folded = folded.replace("&", " and ")
    words = []
    for word in _NON_WORD.sub(" ", folded).split():
        ascii_word = anyascii(word).lower() if not word.isascii() else word
        words.extend(_NON_WORD.sub(" ", ascii_word).split())
    return words


def is_latin(text: str) -> bool:
    return all(ord(char) < 0x250 for char in text if char.isalpha())


def _numbers(words: list[str]) -> list[tuple[str, bool]]:
    """(word, is_number): '54th' / 'no 54' / 'fifty-fourth' → '54'."""
    vocab = vocabulary()
    result: list[tuple[str, bool]] = []
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else ""
        if word in vocab.number_markers and following.isdigit():
            continue
        ordinal = _ORDINAL.match(word)
        if ordinal:
            result.append((str(int(ordinal.group(1))), True))
        elif word.isdigit():
            result.append((str(int(word)), True))
        elif word in vocab.ordinals:
            result.append((str(vocab.ordinals[word]), True))
        else:
            result.append((word, False))
    return result


def latin_form(text: str, schema: str, via: str = "latin") -> NameForm | None:
    vocab = vocabulary()
    words = latin_words(text)
    if schema == PERSON:
        words = [w for w in words if w not in vocab.person_titles] or words
    expanded: list[str] = []
    notes: dict[int, str] = {}
    for word in words:
        full = vocab.abbreviations.get(word)
        if full is not None:
            notes[len(expanded)] = f"abbreviation {word} = {full}"
            expanded.append(full)
        else:
            expanded.append(word)
    joined = " ".join(expanded)
    legal: set[str] = set()
    if schema != PERSON and joined:
        legal = {compare for _, compare in extract_org_types(joined)}
        if legal:
            joined = replace_org_types_compare(joined)
    countries = country_words()
    tokens = []
    for word, is_number in _numbers(joined.split()):
        if is_number:
            kind = Kind.NUMBER
        elif word in legal:
            kind = Kind.LEGAL
        elif word in vocab.stopwords:
            kind = Kind.STOP
        elif word in countries:
            kind = Kind.LOCATION
        elif word in vocab.generic:
            kind = Kind.GENERIC
        elif len(word) == 1 and schema != ORGANIZATION:
            kind = Kind.INITIAL
        else:
            kind = Kind.WORD
        tokens.append(Token(word, kind))
    # abbreviation notes refer to positions before legal forms were folded; keep them as via
    if notes and len(tokens) == len(expanded):
        tokens = [
            Token(t.text, t.kind, t.alts, notes[i]) if i in notes else t
            for i, t in enumerate(tokens)
        ]
    if not any(t.kind is not Kind.STOP for t in tokens):
        return None
    return NameForm(tuple(tokens), via)
