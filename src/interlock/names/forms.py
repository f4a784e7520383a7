"""Comparable forms of a name: tokens with a kind. This module builds the Latin-script form."""

from __future__ import annotations

import itertools
import re
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from anyascii import anyascii
from rigour.names import extract_org_types

from interlock.names.chinese_person import (
    romanisation_alternatives,
    surname_table,
    syllable_table,
)
from interlock.names.glossary import load_glossary
from interlock.names.name_groups import load_name_groups
from interlock.names.vocabulary import (
    Phrases,
    country_words,
    location_phrases,
    phrases_by_first_word,
    region_words,
    respelt_legal_form_word,
    respelt_word,
    vocabulary,
)


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
    groups: frozenset[int] = frozenset()  # Wikidata name groups of a personal name
    vowelless: bool = False  # romanised from Arabic or Hebrew script, where vowels go unwritten
    # written with the Arabic article (الزهراني), which the romanisation leaves out ('zhrny')
    article: bool = False
    group_ids: bytes = field(init=False, default=b"", compare=False, repr=False)  # sorted_ids

    def __post_init__(self) -> None:
        if self.groups:
            object.__setattr__(self, "group_ids", sorted_ids(self.groups))


def joinable_run(run: Sequence[Token]) -> bool:
    """May the words be written as one: an article before the first word ('al qadi' / 'alqadi')
    or, the Arabic article, anywhere in the run ('bin al shibh' / 'binalshibh', 'zia ur' /
    'ziaur'); no other stopword."""
    articles = vocabulary().joined_articles
    return all(_joins_on(t, articles) for t in run[1:])


def _joins_on(token: Token, articles: frozenset[str]) -> bool:
    """May the token follow another in a run written as one word (see joinable_run)."""
    return token.kind is not Kind.STOP or token.text in articles


@lru_cache(maxsize=1 << 16)
def sorted_ids(members: frozenset[int]) -> bytes:
    """Integers as a sorted array of int64: the C scorer intersects two such arrays far faster
    than it iterates a set (names share groups, so the arrays are shared too)."""
    return array("q", sorted(members)).tobytes()


def sorted_hashes(members: frozenset[str]) -> bytes:
    """The members' hashes as a sorted array of int64: arrays that share no hash belong to sets
    that share no member. A hash of text changes between processes, so this is never stored."""
    return array("q", sorted(map(hash, members))).tobytes()


@dataclass(frozen=True, slots=True)
class NameForm:
    tokens: tuple[Token, ...]
    via: str  # 'latin', 'romanised', 'person', 'glossary', 'pinyin'
    # every spelling of every token, and every two adjacent tokens written together: what the
    # scorer checks before joining 'hua wei' into 'huawei'
    spellings: frozenset[str] = field(init=False, default=frozenset())
    adjacent: frozenset[str] = field(init=False, default=frozenset())
    spelled: bytes = field(init=False, default=b"", compare=False, repr=False)  # sorted_hashes
    adjacent_spelled: bytes = field(init=False, default=b"", compare=False, repr=False)

    def __post_init__(self) -> None:
        tokens = self.tokens
        texts = [t.text for t in tokens]
        spellings = set(texts).union(*(t.alts for t in tokens))
        vocab = vocabulary()
        written_apart, articles = vocab.written_apart, vocab.joined_articles
        follows = [_joins_on(t, articles) for t in tokens]
        adjacent = set()
        for at in range(1, len(tokens)):
            if follows[at]:
                pair = texts[at - 1] + texts[at]
                adjacent.add(written_apart.get(f"{texts[at - 1]} {texts[at]}", pair))
                if at + 1 < len(tokens) and follows[at + 1]:
                    adjacent.add(pair + texts[at + 1])
        object.__setattr__(self, "spellings", frozenset(spellings))
        object.__setattr__(self, "adjacent", frozenset(adjacent))
        object.__setattr__(self, "spelled", sorted_hashes(self.spellings))
        object.__setattr__(self, "adjacent_spelled", sorted_hashes(self.adjacent))

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)


@dataclass(frozen=True, slots=True)
class AnalyzedName:
    name: str
    forms: tuple[NameForm, ...]
    notes: tuple[str, ...] = field(default=())  # transliterations and glossary entries used


@lru_cache(maxsize=1 << 18)
def name_groups_of(word: str) -> frozenset[int]:
    """The Wikidata name groups of a word, kept apart where they join two pinyin syllables.

    A group is often one Han character with its readings in several languages, and a character
    read two ways, or read in Japanese as another character is in Mandarin, puts two Mandarin
    syllables in one group ('hua' and 'su', 'xin' and 'heng'). Two different syllables are two
    different names unless one romanisation may write one as the other (`_confusable`), so such
    a group stands as several: one per sort of syllable in it, and one per confusable pair; a
    syllable is in its sort's and its pairs', a word that is no syllable ('wey', 'hsueh',
    'cheung') in all of them."""
    groups = load_name_groups().groups(word)
    split = _syllable_groups()
    if not groups or split.keys().isdisjoint(groups):
        return groups
    apart: set[int] = set()
    for group in groups:
        parts = split.get(group)
        if parts is None:
            apart.add(group)
        else:
            members, count = parts
            apart.update(_part_of_group(group, at) for at in members.get(word, range(count)))
    return frozenset(apart)


# initials romanisers mix up (retroflex, dental and palatal sibilants), longest first
_SIBILANTS = ("zh", "ch", "sh", "z", "c", "s", "j", "q", "x")


def _sort(syllable: str) -> str:
    """A syllable with a sibilant initial is of the sort of its final ('xi' / 'shi' / 'si')."""
    initial = next((i for i in _SIBILANTS if syllable.startswith(i)), None)
    return syllable if initial is None else "-" + syllable[len(initial) :]


@lru_cache(maxsize=1)
def _confusable() -> frozenset[frozenset[str]]:
    """Pairs of syllables of different sorts one romanisation writes as the other: a surname's
    reading and its other spellings that are syllables too (Cantonese 'chan' and Hokkien 'tan'
    for 'chen', 'ng' for 'wu')."""
    syllables = syllable_table()
    return frozenset(
        frozenset((surname.pinyin, variant))
        for surname in surname_table().values()
        if surname.pinyin in syllables
        for variant in surname.variants
        if variant in syllables and _sort(variant) != _sort(surname.pinyin)
    )


def _part_of_group(group: int, part: int) -> int:
    # negative: Wikidata's group numbers never are, so these never meet one of them
    return -(group * 1000 + part) - 1


@lru_cache(maxsize=1)
def _syllable_groups() -> dict[int, tuple[dict[str, tuple[int, ...]], int]]:
    """The groups holding syllables of more than one sort: each syllable's parts of the group
    (its sort's and its confusable pairs'), and how many parts there are."""
    holding: dict[int, list[str]] = {}
    groups = load_name_groups()
    for syllable in sorted(syllable_table()):
        for group in groups.groups(syllable):
            holding.setdefault(group, []).append(syllable)
    pairs = _confusable()
    split: dict[int, tuple[dict[str, tuple[int, ...]], int]] = {}
    for group, syllables in holding.items():
        if len({_sort(s) for s in syllables}) < 2:
            continue
        labels = {s: [_sort(s)] for s in syllables}
        for a, b in itertools.combinations(syllables, 2):
            if frozenset((a, b)) in pairs:
                labels[a].append(f"{a}|{b}")
                labels[b].append(f"{a}|{b}")
        numbered = {
            label: at for at, label in enumerate(sorted({*itertools.chain(*labels.values())}))
        }
        members = {s: tuple(numbered[label] for label in own) for s, own in labels.items()}
        split[group] = (members, len(numbered))
    return split


PERSON = "person"
ORGANIZATION = "organization"
ANY = "any"

_POSSESSIVE = re.compile(r"(?<=\w)['’`?]s\b")
_INNER_APOSTROPHE = re.compile(r"(?<=\w)['’`](?=\w)")
# 'L.L.C.', 'l.l.c', 'U.S.A.' written as one word
_DOTTED_INITIALS = re.compile(r"\b(?:[^\W\d_]\.){1,}[^\W\d_]\b\.?")
_NON_WORD = re.compile(r"[\W_]+")
# two names typed without the space between them ('FridrichBuchenberg'); 'McDonald', 'LeBron' and
# 'DiCaprio' have too short a first part to be split
_RUN_TOGETHER = re.compile(r"(?<=[a-zß-ÿ]{3})(?=[A-ZÀ-Þ][a-zß-ÿ]{2})")
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_PARENTHESIS = re.compile(r"\(([^()]*)\)")
MIN_DIVISION_NAME = 4  # letters of a Chinese division's name read as a place in a parenthesis
# a vessel's 'MV', 'M/V', 'M.V.', 'MT' prefix is not part of its name
_VESSEL_PREFIX = re.compile(r"^\s*(?:m\s*[/.]?\s*[vt]|s\s*[/.]?\s*s)\b\.?\s+", re.IGNORECASE)
_PATRONYMIC = re.compile(r"^\w+(?:ovich|evich|ovna|evna|ichna|yevich|ievich|ovych|ovych|ivna)$")


def latin_words(text: str, schema: str = ANY) -> list[str]:
    """Folded words: 'Security?s' → 'security', 'L.L.C.' → 'llc', 'O'Brien' → 'obrien', 'Müller' →
    'muller'. A person's dotted initials stay apart ('M.T.' → 'm', 't'), and so do two names
    typed together ('FridrichBuchenberg'), and '%' is 'percent'."""
    folded = unicodedata.normalize("NFKC", text)
    if schema == PERSON:
        folded = _RUN_TOGETHER.sub(" ", folded)
    folded = folded.casefold()
    folded = _POSSESSIVE.sub("", folded)
    joiner = " " if schema == PERSON else ""
    folded = _DOTTED_INITIALS.sub(lambda m: m.group(0).replace(".", joiner) + " ", folded)
    folded = _INNER_APOSTROPHE.sub("", folded)
    # signs said as words; a sign's suffix is said with it ('3%ers': '3 percenters')
    folded = folded.replace("&", " and ").replace("%", " percent")
    words = []
    for word in _NON_WORD.sub(" ", folded).split():
        ascii_word = anyascii(word).lower() if not word.isascii() else word
        words.extend(_NON_WORD.sub(" ", ascii_word).split())
    return words


def is_latin(text: str) -> bool:
    return all(ord(char) < 0x250 for char in text if char.isalpha())


def _numbers(words: list[str], schema: str, last: int = -1) -> list[tuple[str, bool, int]]:
    """(word, is_number, position): '54th' / 'no 54' / 'fifty-fourth' → '54'; in an
    organisation's or vessel's name, number words too ('forty-four' → '44') and, after its first
    word, a Roman numeral ('Seasons VIII' → '8'); a one-letter numeral only as the `last` word
    before the legal form ('Capital Trust I', 'Partners V L.P.')."""
    vocab = vocabulary()
    result: list[tuple[str, bool, int]] = []
    skip = -1
    for index, word in enumerate(words):
        if index == skip:
            continue
        following = words[index + 1] if index + 1 < len(words) else ""
        if word in vocab.number_markers and following.isdigit():
            continue
        value = _number_word(word, index, schema)
        if value is None and index == last and index and schema == ORGANIZATION:
            value = _TRAILING_ROMAN.get(word)
        if value is not None and value >= 20 and value % 10 == 0:
            unit = _number_word(following, index + 1, schema, roman=False)
            if unit is not None and 0 < unit < 10:  # 'forty four', 'fifty-fourth'
                value += unit
                skip = index + 1
        if value is None:
            result.append((word, False, index))
        else:
            result.append((str(value), True, index))
    return result


def _number_word(word: str, index: int, schema: str, roman: bool = True) -> int | None:
    vocab = vocabulary()
    ordinal = _ORDINAL.match(word)
    if ordinal:
        return int(ordinal.group(1))
    if word.isdigit():
        return int(word)
    if word in vocab.ordinals:
        return vocab.ordinals[word]
    if schema == PERSON:
        return None
    if word in vocab.cardinals:
        return vocab.cardinals[word]
    if roman and index and schema == ORGANIZATION:
        return _ROMAN.get(word)
    return None


# single letters and 'vi', 'xi' are too often words or names ('Space X', 'Xi') to read as numerals
_ROMAN_NUMERALS = "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx"
_ROMAN = {
    numeral: value
    for value, numeral in enumerate(_ROMAN_NUMERALS.split(), start=1)
    if len(numeral) > 1 and numeral not in ("vi", "xi")
}
# ending a body's name, these are a series' numbers ('Fund VI'); 'x' stays a letter ('Space X')
_TRAILING_ROMAN = {"i": 1, "v": 5, "vi": 6}


def _phrase_positions(words: list[str], phrases: Phrases) -> set[int]:
    """Positions of the words that make up any of the phrases, wherever they occur."""
    positions: set[int] = set()
    for start, word in enumerate(words):
        for phrase in phrases.get(word, ()):
            end = start + len(phrase)
            if tuple(words[start:end]) == phrase:
                positions.update(range(start, end))
    return positions


def _legal_forms(words: list[str], text: str) -> dict[tuple[str, ...], str]:
    """The legal forms in a name, as folded words, each with rigour's comparison form
    ('limited liability company' → 'llc', 'ooo'). rigour's tables are read on the written text
    too: they spell forms with their accents and dots, which folding removes
    ('Gesellschaft mit beschränkter Haftung', 'Sp. z o.o.')."""
    if not words:
        return {}
    expand = vocabulary().abbreviations
    found = dict(extract_org_types(" ".join(words)))
    found.update(extract_org_types(text.casefold()))
    return {
        tuple(expand.get(w, w) for w in latin_words(matched)): compare
        for matched, compare in found.items()
    }


# the most words of one name tried respelt in every combination; past it, all at once
RESPELT_COMBINED = 4


def _legal_forms_respelt(
    words: list[str], notes: list[str], text: str
) -> tuple[list[str], list[str], dict[tuple[str, ...], str]]:
    """The words, with words one slip from a word of a spelt-out legal form respelt where
    rigour then reads more of the name as legal forms ('OBSHCHETVO S OGRANICHENNOI
    OTVETSTVENNOSTYU' is an ooo), and the legal forms they hold. Of the ways to respell, the one
    rigour reads most of, fewest respellings first; where none reads more than the words as
    written ('zakrytoye aktsionernoye obshchestvo' is a zao), they stay as written."""
    forms = _legal_forms(words, text)
    respelt = {at: new for at, word in enumerate(words) if (new := respelt_legal_form_word(word))}
    if not respelt:
        return words, notes, forms
    positions = sorted(respelt)
    ways = (
        [
            c
            for size in range(1, len(positions) + 1)
            for c in itertools.combinations(positions, size)
        ]
        if len(positions) <= RESPELT_COMBINED
        else [tuple(positions)]
    )
    best: tuple[int, list[str], dict[tuple[str, ...], str], tuple[int, ...]] = (
        _legal_words_read(words, forms),
        words,
        forms,
        (),
    )
    for way in ways:
        spelt = [respelt[at] if at in way else word for at, word in enumerate(words)]
        spelt_forms = _legal_forms(spelt, text)
        read = _legal_words_read(spelt, spelt_forms)
        if read > best[0]:
            best = (read, spelt, spelt_forms, way)
    _, best_words, best_forms, way = best
    best_notes = [
        f"spelling {words[at]} = {respelt[at]}" if at in way else note
        for at, note in enumerate(notes)
    ]
    return best_words, best_notes, best_forms


def _legal_words_read(words: list[str], forms: dict[tuple[str, ...], str]) -> int:
    """How many of the words are read as a legal form that has a short form ('unitarnoe
    predpriyatie' has none)."""
    return len(_phrase_positions(words, phrases_by_first_word(p for p, c in forms.items() if c)))


# a legal form spelt out in this many words or more is compared as its short form
# ('Gesellschaft mit beschränkter Haftung' as 'gmbh'); shorter ones stay as written
SPELT_OUT_LEGAL_FORM = 3


def _shorten_legal_forms(
    words: list[str], notes: list[str], forms: dict[tuple[str, ...], str]
) -> tuple[list[str], list[str]]:
    spelt_out = {
        phrase: compare
        for phrase, compare in forms.items()
        if len(phrase) >= SPELT_OUT_LEGAL_FORM and compare.isalnum()
    }
    if not spelt_out:
        return words, notes
    short_words: list[str] = []
    short_notes: list[str] = []
    at = 0
    while at < len(words):
        for phrase, compare in spelt_out.items():
            if tuple(words[at : at + len(phrase)]) == phrase:
                short_words.append(compare)
                short_notes.append(f"legal form {' '.join(phrase)} = {compare}")
                at += len(phrase)
                break
        else:
            short_words.append(words[at])
            short_notes.append(notes[at])
            at += 1
    return short_words, short_notes


def _kind(
    word: str, is_number: bool, legal: bool, schema: str, position: int = 0, count: int = 1
) -> Kind:
    """`position` of `count` words: a patronymic stands in the middle of a name of three words or
    more ('Boris ROMANOVICH Aydin'); first, an -ovich is a surname (VOLFOVICH). A particle
    connects names, so a first 'ben' is a given name ('Ben Netanyahu')."""
    vocab = vocabulary()
    middle = position > 0 and count > 2
    if is_number:
        return Kind.NUMBER
    if word in vocab.stopwords and not (len(word) == 1 and schema == PERSON):
        return Kind.STOP
    if legal or (schema != PERSON and word in vocab.legal_words):
        return Kind.LEGAL
    if word in country_words() or (schema != PERSON and word in region_words()):
        return Kind.LOCATION
    if schema == PERSON and (
        (position > 0 and word in vocab.person_particles) or (middle and _PATRONYMIC.match(word))
    ):
        return Kind.GENERIC
    if word in vocab.generic and schema != PERSON:
        return Kind.GENERIC
    if len(word) == 1 and schema != ORGANIZATION:
        return Kind.INITIAL
    return Kind.WORD


def latin_form(text: str, schema: str, via: str = "latin") -> NameForm | None:
    vocab = vocabulary()
    if schema != PERSON:
        text = _VESSEL_PREFIX.sub("", text)
    words = latin_words(text, schema)
    if schema == PERSON:
        words = [w for w in words if w not in vocab.person_titles] or words
    if schema != ORGANIZATION:
        words, spelt = _arabic_name_parts(words)
    else:
        spelt = [""] * len(words)
    expanded: list[str] = []
    notes: list[str] = []
    for word, note in zip(words, spelt, strict=True):
        full = vocab.abbreviations.get(word)
        respelt = respelt_word(word) if schema != PERSON and full is None else None
        if respelt is not None:
            full = vocab.abbreviations.get(respelt, respelt)
            note = f"spelling {word} = {respelt}"
        elif full:
            note = f"abbreviation {word} = {full}"
        expanded.append(full or word)
        notes.append(note)
    legal: set[int] = set()
    if schema != PERSON:
        expanded, notes, forms = _legal_forms_respelt(expanded, notes, text)
        shortened, short_notes = _shorten_legal_forms(expanded, notes, forms)
        if any(word not in forms.values() for word in shortened):
            expanded, notes = shortened, short_notes
        forms.update({(compare,): compare for compare in forms.values()})
        legal = _phrase_positions(expanded, phrases_by_first_word(forms))
    # 'Hong Kong', 'United Arab Emirates': places of more than one word, in a body's name only
    # (a person's 'Hong' is a given name)
    placed = _phrase_positions(expanded, location_phrases()) if schema != PERSON else set()
    unlegal = [at for at in range(len(expanded)) if at not in legal]
    numbered = _numbers(expanded, schema, unlegal[-1] if unlegal else -1)
    count = len(numbered)
    kinds = [
        Kind.LOCATION
        if at in placed and not is_number
        else _kind(word, is_number, at in legal, schema, position, count)
        for position, (word, is_number, at) in enumerate(numbered)
    ]
    if legal and not any(kind in DISTINCTIVE for kind in kinds):
        # rigour's tables read some names as legal forms ('OPG'): a name is never only that
        kinds = [
            _kind(word, is_number, False, schema, position, count)
            for position, (word, is_number, _) in enumerate(numbered)
        ]
    tokens = []
    for (word, _is_number, at), kind in zip(numbered, kinds, strict=True):
        personal = kind is Kind.WORD and schema != ORGANIZATION
        groups = name_groups_of(word) if personal else frozenset()
        # a Chinese name in pinyin meets its Wade-Giles spelling and back ('zedong' / 'tsetung')
        alts = frozenset(romanisation_alternatives(word)) if personal else frozenset()
        lettered = _letters_for_digits(word)
        if lettered:
            alts |= {lettered}
        tokens.append(Token(word, kind, alts, notes[at], groups))
    if all(t.kind in (Kind.STOP, Kind.INITIAL) for t in tokens):
        return None  # 'N.N.': initials alone say too little to compare ('Nursultan Nazarbayev')
    return NameForm(tuple(tokens), via)


def _unconnected(text: str, form: NameForm | None, schema: str) -> list[NameForm]:
    """The form of a body's name without its izafat and its Urdu and Persian article between
    two words, as lists also write it ('Lashkar Taiba', 'Harakat Mujahideen'), if it has either.
    Read so in an organisation's name, and in a name read either way that has a descriptive
    word or a legal form: a Korean person's 'Kim Ul-chol' keeps its syllable."""
    if form is None or not (
        schema == ORGANIZATION
        or (schema == ANY and any(t.kind in _BODY_WORD_KINDS for t in form.tokens))
    ):
        return []
    izafat = _HYPHENED_IZAFAT.findall(text)
    bare = form
    if len(izafat) > 1 or (izafat and _IZAFAT_BETWEEN.search(text)):
        bare = latin_form(_HYPHENED_IZAFAT.sub(" ", text), schema) or form
    bare = _without_connecting_articles(bare) or bare
    return [bare] if bare.tokens != form.tokens else []


def _without_connecting_articles(form: NameForm) -> NameForm | None:
    """The form without its 'ul', 'ud' or 'ur' between two ordinary words, None if it has none
    (see `connecting_articles`)."""
    articles = vocabulary().connecting_articles
    tokens = form.tokens
    kept = [
        token
        for at, token in enumerate(tokens)
        if not (
            token.text in articles
            and 0 < at < len(tokens) - 1
            and token.kind is Kind.WORD
            and tokens[at - 1].kind in _ORDINARY_KINDS
            and tokens[at + 1].kind in _ORDINARY_KINDS
        )
    ]
    return NameForm(tuple(kept), form.via) if len(kept) < len(tokens) else None


_ORDINARY_KINDS = frozenset({Kind.WORD, Kind.GENERIC})
_BODY_WORD_KINDS = frozenset({Kind.GENERIC, Kind.LEGAL})
# the Persian and Urdu izafat written onto the word before it ('Sepah-e Pasdaran-e Enqelab',
# 'Lashkar-e-Taiba', 'Jaish-i-Mohammed'): written so once between two words or more than once,
# as a letter written onto one word once is as often English ('Vitamin-E Holdings', 'Fund-I LP')
_HYPHENED_IZAFAT = re.compile(r"(?<=[^\W\d_]{3})-[ei](?=-|\s)", re.IGNORECASE)
_IZAFAT_BETWEEN = re.compile(r"[^\W\d_]{3}-[ei]-[^\W\d_]", re.IGNORECASE)


def _arabic_name_parts(words: list[str]) -> tuple[list[str], list[str]]:
    """A person's name with its Arabic parts spelt one way, and a note for each word:
    'ibn' → 'bin'; 'Abd al-Aziz', 'Abdel Aziz', 'Abdulaziz' → 'abdul aziz'."""
    vocab = vocabulary()
    result: list[str] = []
    notes: list[str] = []
    at = 0
    while at < len(words):
        word = words[at]
        particle = vocab.person_particle_spellings.get(word)
        servant = _servant_name(words, at) if word.startswith("abd") else None
        parts, used = ((particle,), 1) if particle else servant or ((word,), 1)
        written, compared = " ".join(words[at : at + used]), " ".join(parts)
        note = f"name {written} = {compared}" if written != compared else ""
        result.extend(parts)
        notes.extend([note] * len(parts))
        at += used
    return result, notes


# the shortest known name a joined 'Abd al-' spelling is split before ('abdulaziz' → 'aziz');
# shorter endings are too often part of another name ('abdali', 'abdoulaye')
_SERVANT_NAME_MIN = 4


def _servant_name(words: list[str], at: int) -> tuple[tuple[str, ...], int] | None:
    """'Abd al-X' at `at`, as (compared words, words used), or None."""
    servant = vocabulary().servant_names
    word = words[at]
    if word in servant.whole:
        return (servant.whole[word],), 1
    if word in servant.prefixes:
        following = at + 1
        if following < len(words) and words[following] in servant.articles:
            following += 1
        if following >= len(words):
            return None
        whole = servant.whole.get("".join(words[at : following + 1]))  # 'Abd Allah'
        if whole:
            return (whole,), following + 1 - at
        name = words[following]
        if len(name) < 2 or name in vocabulary().person_particles:
            return None
        return (servant.compare_as, name), following + 1 - at
    for prefix in sorted(servant.prefixes, key=len):  # 'abdu rahman', not 'abdur ahman'
        name = word[len(prefix) :]
        if word.startswith(prefix) and len(name) >= _SERVANT_NAME_MIN and name_groups_of(name):
            return (servant.compare_as, name), 1
    return None


# digits written for the letters they look like, to slip a name past a filter ('Sech1n', 'Ig0r')
_DIGIT_LETTERS = str.maketrans("013456789", "oieasbtbg")


def _letters_for_digits(word: str) -> str:
    """'sech1n' → 'sechin': a word of letters with a digit or two among them, the digits read as
    the letters they imitate; '' for any other word."""
    if word.isalpha() or word.isdigit():  # most words: answered without counting
        return ""
    digits = sum(c.isdigit() for c in word)
    if not 0 < digits <= 2 or not word[0].isalpha() or len(word) - digits < 2:
        return ""
    lettered = word.translate(_DIGIT_LETTERS)
    return lettered if lettered.isalpha() else ""


def is_acronym_of(acronym: str, words: list[str]) -> bool:
    """'sakig' for 'Shahid Ahmad Kazemi Industrial Group', 'kachq' for 'Khatam-al Anbiya Central
    HeadQuarters': short, and starting with the name's first initial (so '(Iran)' closing 'Bank
    Melli (Iran)' is not read as the bank's acronym)."""
    initials = [w[0] for w in words if w and w not in vocabulary().stopwords]
    return 2 <= len(acronym) <= 8 and bool(initials) and acronym[0] == initials[0]


def spells_the_name(acronym: str, text: str) -> bool:
    """'aqap' for 'AL-QAIDA IN THE ARABIAN PENINSULA', 'barc' for 'Department of Atomic Energy
    entity: Bhabha Atomic Research Center', 'cssc' for 'China State Shipbuilding Corporation,
    Limited': the initials of the words that end the text, in order, spell the acronym (a stop
    word may give its initial or not, a legal form closing the name gives none), and those words
    are the whole name: nothing but stop words and legal forms before them, or a label before a
    colon that closes a noun ('… entity:', not '… front company for:' or 'owned by:'). Not 'aeoi'
    for '…, a front company for Atomic Energy Organization of Iran' (a body the name only
    mentions). `acronym`: folded, as `latin_words` gives it."""
    if not 2 <= len(acronym) <= 8:
        return False
    label, colon, name = text.rpartition(":")
    stopwords = vocabulary().stopwords
    labelled = latin_words(label)
    if colon and (
        label.count("(") > label.count(")") or not labelled or labelled[-1] in stopwords
    ):  # inside a parenthesis ('(Parent Organization: …'), or a relation ('… for:')
        return False
    words = latin_words(name)
    legal = {word for phrase in _legal_forms(words, name) for word in phrase}
    ends = [len(words)]  # where the spelt words end: the name's end, or before its legal form
    while ends[-1] and words[ends[-1] - 1] in legal:
        ends.append(ends[-1] - 1)
    starts: set[int] = set()
    tried: set[tuple[int, int, int]] = set()  # stop words give two ways on: each state once

    def spell(letters: int, end: int, given: int) -> None:
        # the acronym's first `letters` letters from the words before `end`
        given = min(given, 2)
        if (letters, end, given) in tried:
            return
        tried.add((letters, end, given))
        if letters == 0:
            if given >= 2:
                starts.add(end)
            return
        if end == 0:
            return
        word = words[end - 1]
        if word in stopwords:
            spell(letters, end - 1, given)
        if word[0] == acronym[letters - 1]:
            spell(letters - 1, end - 1, given + (word not in stopwords))

    for end in ends:
        spell(len(acronym), end, 0)
    return any(
        all(word in stopwords or word in legal for word in words[:start]) for start in starts
    )


def _names_a_place(text: str) -> bool:
    """'(Hong Kong)', '(Asia)', '(U.K.)', '(Shenzhen)': a parenthesis that only says where a body
    is."""
    form = latin_form(text, ORGANIZATION)
    if form is not None and all(t.kind in (Kind.LOCATION, Kind.STOP) for t in form.tokens):
        return True
    return _chinese_division(text) is not None


def _chinese_division(text: str) -> str | None:
    """The Chinese division a parenthesis names, as its first Latin name: '(Shenzhen)', '(Shenzhen
    City)', '(Peking)' → 'beijing', '(Dalian FTZ)' → 'dalian'. A branch is named so ('Huawei
    Device (Jiangsu)'), another body than the one named for another division or for none. The
    whole parenthesis must be the division's name of four letters or more, then only suffix
    words: '(JI)', '(TAI)' and '(HK)' are acronyms."""
    names, suffix_words = _chinese_place_names()
    words = latin_words(text)
    for end in range(len(words), 0, -1):
        name = names.get(" ".join(words[:end])) or names.get("".join(words[:end]))
        if name is not None and all(word in suffix_words for word in words[end:]):
            return name
    return None


@lru_cache(maxsize=1)
def _chinese_place_names() -> tuple[dict[str, str], frozenset[str]]:
    """Each Chinese division's Latin names of four letters or more (spaced as written, and
    unspaced: 'xi an', 'xian') → its first; and the words of the divisions' suffixes ('city')."""
    glossary = load_glossary()
    names: dict[str, str] = {}
    for division in glossary.divisions.values():
        for name in division.en:
            if len(name.replace(" ", "")) >= MIN_DIVISION_NAME:
                names.setdefault(name, division.en[0])
                names.setdefault(name.replace(" ", ""), division.en[0])
    suffix_words = frozenset(
        word for suffix in glossary.suffixes.values() for name in suffix.en for word in name.split()
    )
    return names, suffix_words


def _division_named(found: re.Match[str]) -> str:
    """A parenthesis naming a Chinese division, written as its first Latin name; any other as is."""
    division = _chinese_division(found.group(1))
    return found.group(0) if division is None else f"({division})"


# one name field that gives two names: 'FUYI SUN A/K/A FRANK SUN', 'SIBERIAN AIRLINES D/B/A S7
# AIRLINES', 'NEW PEOPLE'S ARMY / COMMUNIST PARTY OF THE PHILIPPINES' (a slash between words, as in
# 'Import/Export', joins them and stays)
_ALSO_KNOWN_AS = re.compile(r"\s+(?:[afd]/[kb]/a|[af]\.k\.a\.|d\.b\.a\.)\s+|\s+/\s+", re.IGNORECASE)


# a slash between words written without spaces joins two words of one name ('Import/Export') or
# two names ('Al-Qa'ida/Islamic Army', 'Ghaem/Khatam'): a name with one such slash also gives
# the names on either side, when each says which body it is (see _either_side)
_SLASH_BETWEEN_WORDS = re.compile(r"(?<=[^\W\d_]{2})/(?=[^\W\d_]{2})")


def latin_forms(text: str, schema: str) -> list[NameForm]:
    """The forms of each name the text gives ('A a/k/a B', 'A / B'), in order, each once; a
    person's name written surname first ('AL BEN ALI, Isa Ben Tarif') also in the order of the
    names it is compared with."""
    parts = [part for part in _ALSO_KNOWN_AS.split(text) if part.strip()]
    names: list[str] = []
    for part in parts:
        names.append(part)
        names.extend(_either_side(part, schema))
        inverted = _comma_inverted(part, schema)
        if inverted:
            names.append(inverted)
    if len(names) == 1:
        return _forms_of_one_name(text, schema)
    forms: list[NameForm] = []
    for name in names:
        for form in _forms_of_one_name(name, schema):
            if form not in forms:
                forms.append(form)
    return forms


def _either_side(text: str, schema: str) -> list[str]:
    """The two names an unspaced slash may part. Each must have a distinctive word of three
    letters or more, so that word alternatives ('Import/Export Co.', 'Syria/the Levant') give no
    name of descriptive words alone; and both must be one word ('Ghaem/Khatam', 'ADF/NALU') or
    both more, so that no word is cut from a longer name to stand alone ('… Movement/Army')."""
    sides = _SLASH_BETWEEN_WORDS.split(text)
    if len(sides) != 2:
        return []
    lengths = []
    for side in sides:
        form = latin_form(side, schema)
        if form is None or not any(t.kind is Kind.WORD and len(t.text) >= 3 for t in form.tokens):
            return []
        lengths.append(len(form.tokens))
    return sides if (lengths[0] == 1) == (lengths[1] == 1) else []


def _comma_inverted(text: str, schema: str) -> str | None:
    """'Isa Ben Tarif AL BEN ALI' for 'AL BEN ALI, Isa Ben Tarif'. The scorer accepts a name's
    words rotated ('PUTIN, Vladimir' / 'Vladimir Putin'), but not rotated and re-paired: a word
    said twice ('ben') pairs with its nearer namesake, which breaks the order. So only a name
    that says a word twice (in any spelling) gets the form (each form more costs every comparison of the name),
    and only one comma between two runs of words; for a name that may be a body's, only when
    the second run is words and initials alone (not 'Acme Trading, Ltd.')."""
    if schema == ORGANIZATION or text.count(",") != 1:
        return None
    surname, given = (part.strip() for part in text.split(","))
    surnames, given_names = latin_words(surname, schema), latin_words(given, schema)
    # said twice, or two spellings of one word ('bin' and 'ben')
    skeletons = [_VOWELS.sub("", word) or word for word in surnames + given_names]
    if not surnames or not given_names or len(set(skeletons)) == len(skeletons):
        return None
    if schema != PERSON:
        form = latin_form(given, ORGANIZATION)
        if form is None or any(t.kind not in _GIVEN_NAME_KINDS for t in form.tokens):
            return None
    return f"{given} {surname}"


_VOWELS = re.compile("[aeiouy]")
_GIVEN_NAME_KINDS = frozenset({Kind.WORD, Kind.INITIAL, Kind.STOP})


def _forms_of_one_name(text: str, schema: str) -> list[NameForm]:
    """The name's form; a name with a parenthesis also without it ('Lord's Resistance Movement
    (LRM)'), and a parenthesised acronym of the rest also on its own ('LRM'). A parenthesis that
    names a place stays: 'Bank of China (Hong Kong)' and 'Bank of China (Singapore)' are two
    banks."""
    if schema != PERSON:
        text = _PARENTHESIS.sub(_division_named, text)
    main = latin_form(text, schema)
    forms = [main] if main else []
    forms += _unconnected(text, main, schema)
    inside = _PARENTHESIS.findall(text)
    if not inside or (schema != PERSON and all(_names_a_place(part) for part in inside)):
        return forms
    outside = _PARENTHESIS.sub(" ", text)
    bare = latin_form(outside, schema)
    if bare is None:
        return forms
    forms.append(bare)
    forms += [form for form in _unconnected(outside, bare, schema) if form not in forms]
    # an acronym stands for the whole name only when it closes it ('… Group (SAKIG)'), not when
    # a sub-unit follows ('… Corporation (CSSC) 719th Research Institute')
    last = _PARENTHESIS.search(text.rstrip(" .,;"))
    closing = inside[-1] if last and text.rstrip(" .,;").endswith(")") else None
    words = latin_words(closing or "")
    before = text[: text.rfind("(")] if closing else ""
    # a legal form ('(JSC)' closing 'JSCB Lanta-Bank') or a place ('… (Iran)') may start with the
    # name's initial: such a word is an acronym only where it spells the name ('… (ASC)')
    if (
        len(words) == 1
        and words[0].isalpha()
        and (
            spells_the_name(words[0], before)
            or (
                is_acronym_of(words[0], latin_words(before))
                and not _legal_forms(words, words[0])
                and not _names_a_place(words[0])
            )
        )
    ):
        acronym = latin_form(closing or "", schema, via="acronym")
        if acronym is not None:
            forms.append(acronym)
    return forms
