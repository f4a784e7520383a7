"""The word tables names are compared with (names/data/english.yaml), validated at load."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources

import yaml
from anyascii import anyascii
from pydantic import BaseModel, ValidationError, field_validator, model_validator
from rapidfuzz.distance import OSA
from rigour.territories import get_territories

from interlock.sources.clean import comparison_key


class VocabularyError(ValueError):
    pass


class _Source(BaseModel):
    id: str
    description: str


class ServantNames(BaseModel):
    """'Abd al-X' names: the prefix spellings, the article spellings between prefix and X, the
    word the prefix is compared as, and whole names that are not prefix + X ('abdallah')."""

    compare_as: str
    prefixes: frozenset[str]
    articles: frozenset[str]
    whole: dict[str, str]


class Vocabulary(BaseModel):
    version: int
    sources: list[_Source]
    stopwords: frozenset[str]
    joined_articles: frozenset[str]
    connecting_articles: frozenset[str]
    abbreviations: dict[str, str]
    written_apart: dict[str, str]
    generic: frozenset[str]
    ordinals: dict[str, int]
    cardinals: dict[str, int]
    number_markers: frozenset[str]
    person_titles: frozenset[str]
    person_particles: frozenset[str]
    person_particle_spellings: dict[str, str]
    servant_names: ServantNames
    legal_words: frozenset[str]
    legal_form_words: frozenset[str]
    regions: frozenset[str]

    @field_validator(
        "stopwords",
        "joined_articles",
        "connecting_articles",
        "generic",
        "number_markers",
        "person_titles",
        "person_particles",
        "legal_words",
        "legal_form_words",
        "regions",
        mode="after",
    )
    @classmethod
    def _single_words(cls, words: frozenset[str]) -> frozenset[str]:
        for word in words:
            if comparison_key(word) != word or " " in word:
                raise ValueError(f"{word!r} is not a single folded word")
        return words

    @field_validator("person_particle_spellings", mode="after")
    @classmethod
    def _particle_spellings(cls, table: dict[str, str]) -> dict[str, str]:
        return _folded_mapping(table, "particle spelling")

    @field_validator("servant_names", mode="after")
    @classmethod
    def _servant_names(cls, table: ServantNames) -> ServantNames:
        words = [table.compare_as, *table.prefixes, *table.articles, *table.whole]
        for word in [*words, *table.whole.values()]:
            if comparison_key(word) != word or " " in word:
                raise ValueError(f"servant_names: {word!r} is not a single folded word")
        if table.compare_as not in table.prefixes:
            raise ValueError(f"servant_names: {table.compare_as!r} is not one of the prefixes")
        return table

    @model_validator(mode="after")
    def _particles_known(self) -> Vocabulary:
        unknown = set(self.person_particle_spellings.values()) - self.person_particles
        if unknown:
            raise ValueError(f"particle spellings name particles not listed: {sorted(unknown)}")
        if not self.joined_articles <= self.stopwords:
            extra = sorted(self.joined_articles - self.stopwords)
            raise ValueError(f"joined articles that are no stopwords: {extra}")
        return self

    @field_validator("abbreviations", mode="after")
    @classmethod
    def _abbreviations(cls, table: dict[str, str]) -> dict[str, str]:
        for short, full in _folded_mapping(table, "abbreviation").items():
            if full in table:
                raise ValueError(f"abbreviation {short!r} expands to another abbreviation {full!r}")
        return table

    @field_validator("written_apart", mode="after")
    @classmethod
    def _written_apart(cls, table: dict[str, str]) -> dict[str, str]:
        for phrase in _folded_mapping(table, "written apart"):
            if len(phrase.split()) != 2:
                raise ValueError(f"written apart: {phrase!r} is not two words")
        return table


def _folded_mapping(table: dict[str, str], what: str) -> dict[str, str]:
    """The table, when every key and value is folded as names are ('Inst' is not)."""
    for key, value in table.items():
        if comparison_key(key) != key or comparison_key(value) != value:
            raise ValueError(f"{what} {key!r} -> {value!r} is not folded")
    return table


def parse_vocabulary(text: str, origin: str) -> Vocabulary:
    try:
        return Vocabulary.model_validate(yaml.safe_load(text))
    except (ValidationError, yaml.YAMLError) as exc:
        raise VocabularyError(f"{origin}: {exc}") from exc


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    path = resources.files("interlock.names.data").joinpath("english.yaml")
    return parse_vocabulary(path.read_text("utf-8"), "names/data/english.yaml")


# a word this long or longer that a name misspells by one letter is read as the word
# ('CORPORATLON', 'TECNOLOGY'); among shorter ones a slip too often makes another word
# ('rational' / 'national', 'maternal' / 'material')
RESPELT_WORD = 9


def deletions(word: str) -> set[str]:
    """The word and each of it less one letter: two words one slip apart share one of these."""
    return {word} | {word[:at] + word[at + 1 :] for at in range(len(word))}


@lru_cache(maxsize=2)
def _respellable(targets: frozenset[str]) -> dict[str, frozenset[str]]:
    """Each long word of `targets`, and each of it less one letter → the words."""
    found: dict[str, set[str]] = {}
    for word in targets:
        if len(word) >= RESPELT_WORD and word.isalpha():
            for key in deletions(word):
                found.setdefault(key, set()).add(word)
    return {key: frozenset(words) for key, words in found.items()}


@lru_cache(maxsize=1 << 14)
def respelt_word(word: str) -> str | None:
    """The one long generic or legal-form word (RESPELT_WORD letters or more) a word not itself
    known is one insertion, deletion, substitution or transposition from; None if none or
    several. A misspelt 'corporation' is then weighed and compared as the word it means, not as
    a distinctive word no list has."""
    vocab = vocabulary()
    if len(word) < RESPELT_WORD - 1 or not word.isalpha():
        return None
    if word in vocab.generic or word in vocab.legal_words or word in vocab.abbreviations:
        return None
    return _one_slip_from(word, _respellable(vocab.generic | vocab.legal_words))


@lru_cache(maxsize=1 << 14)
def respelt_legal_form_word(word: str) -> str | None:
    """The one long word of a spelt-out legal form ('obshchestvo') a word not itself one is one
    slip from; None if none or several. Whether the name means it, rigour's phrases decide
    (names.forms)."""
    if len(word) < RESPELT_WORD - 1 or not word.isalpha():
        return None
    targets = vocabulary().legal_form_words
    return None if word in targets else _one_slip_from(word, _respellable(targets))


def _one_slip_from(word: str, table: dict[str, frozenset[str]]) -> str | None:
    near = {
        w
        for key in deletions(word)
        for w in table.get(key, ())
        if OSA.distance(word, w, score_cutoff=1) <= 1
    }
    return next(iter(near)) if len(near) == 1 else None


@lru_cache(maxsize=1)
def country_words() -> frozenset[str]:
    """Single words that name a country ('china', 'iran'), from rigour's territory table."""
    words: set[str] = set()
    for territory in get_territories():
        if not territory.is_country:
            continue
        for name in (territory.name, territory.full_name):
            key = comparison_key(name or "")
            if key and " " not in key:
                words.add(key)
    words.update({"prc", "chinese", "russian", "iranian", "korean", "dprk", "uae", "usa", "uk"})
    return frozenset(words)


def _place_words(name: str | None) -> tuple[str, ...]:
    """A place's name as folded words, without the article a sentence puts before it ('the
    Netherlands'), which is no part of the place (nor then is rigour's 'the World' a place of
    several words)."""
    words = tuple(anyascii(comparison_key(name or "")).lower().split())
    return words[1:] if words[:1] == ("the",) else words


Phrases = Mapping[str, tuple[tuple[str, ...], ...]]


def phrases_by_first_word(phrases: Iterable[tuple[str, ...]]) -> Phrases:
    """Phrases of folded words, looked up by their first word."""
    grouped: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        if phrase:
            grouped.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(sorted(group)) for first, group in grouped.items()}


@lru_cache(maxsize=1)
def location_phrases() -> Phrases:
    """Places named in more than one word ('hong kong', 'united arab emirates', 'eastern asia'),
    as folded words, from rigour's territory table (countries, territories and their regions)."""
    phrases: set[tuple[str, ...]] = set()
    for territory in get_territories():
        names = (
            territory.name,
            territory.full_name,
            territory.in_sentence,
            territory.region,
            territory.subregion,
        )
        for name in names:
            words = _place_words(name)
            if len(words) > 1:
                phrases.add(words)
    return phrases_by_first_word(phrases)


@lru_cache(maxsize=1)
def region_words() -> frozenset[str]:
    """Single words naming a region ('asia', 'europe'): rigour's regions and the vocabulary's."""
    words: set[str] = set()
    for territory in get_territories():
        if not territory.is_country:
            continue
        for name in (territory.region, territory.subregion):
            place = _place_words(name)
            if len(place) == 1:
                words.add(place[0])
    return frozenset(words | vocabulary().regions)
