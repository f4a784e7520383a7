"""The word tables names are compared with (names/data/english.yaml), validated at load."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml
from pydantic import BaseModel, ValidationError, field_validator
from rigour.territories import get_territories

from interlock.sources.clean import comparison_key


class VocabularyError(ValueError):
    pass


class _Source(BaseModel):
    id: str
    description: str


class Vocabulary(BaseModel):
    version: int
    sources: list[_Source]
    stopwords: frozenset[str]
    abbreviations: dict[str, str]
    generic: frozenset[str]
    ordinals: dict[str, int]
    cardinals: dict[str, int]
    number_markers: frozenset[str]
    person_titles: frozenset[str]
    person_particles: frozenset[str]
    legal_words: frozenset[str]

    @field_validator(
        "stopwords",
        "generic",
        "number_markers",
        "person_titles",
        "person_particles",
        "legal_words",
        mode="after",
    )
    @classmethod
    def _single_words(cls, words: frozenset[str]) -> frozenset[str]:
        for word in words:
            if comparison_key(word) != word or " " in word:
                raise ValueError(f"{word!r} is not a single folded word")
        return words

    @field_validator("abbreviations", mode="after")
    @classmethod
    def _abbreviations(cls, table: dict[str, str]) -> dict[str, str]:
        for short, full in table.items():
            if comparison_key(short) != short or comparison_key(full) != full:
                raise ValueError(f"abbreviation {short!r} -> {full!r} is not folded")
            if full in table:
                raise ValueError(f"abbreviation {short!r} expands to another abbreviation {full!r}")
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
