"""What the word-by-word glossaries (Russian, Arabic) share: the sources their entries cite, and
which of each word's English renderings a translated form takes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

_ENGLISH = re.compile(r"^[a-z]+(?: [a-z]+)*$")
_File = TypeVar("_File", bound=BaseModel)


class GlossarySource(BaseModel):
    id: str
    description: str
    path: str
    entry_ids: list[str] = []


def parsed_file(model: type[_File], text: str, origin: str, error: type[ValueError]) -> _File:
    """A glossary file's text validated as `model`; `error` naming `origin` otherwise."""
    try:
        return model.model_validate(yaml.safe_load(text))
    except (ValidationError, yaml.YAMLError) as exc:
        raise error(f"{origin}: {exc}") from exc


def bundled_text(file_name: str) -> tuple[str, str]:
    """A bundled glossary file's text, and the name errors give it."""
    path = resources.files("interlock.names.data").joinpath(file_name)
    return path.read_text("utf-8"), f"names/data/{file_name}"


def english_renderings(value: tuple[str, ...]) -> tuple[str, ...]:
    """An entry's English renderings, each lowercase ASCII words; ValueError otherwise."""
    if not value or any(not _ENGLISH.match(words) for words in value):
        raise ValueError(f"{value!r}: English renderings are lowercase ASCII words")
    return value


def check_sources(sources: Iterable[GlossarySource], cited: Iterable[tuple[str, str]]) -> None:
    """ValueError naming the first (word, source id) whose source is not among `sources`."""
    known = {source.id for source in sources}
    for word, source in cited:
        if source not in known:
            raise ValueError(f"{word!r}: unknown source {source!r}")


def renderings(counts: Sequence[int], limit: int) -> list[tuple[int, ...]]:
    """For words with `counts` renderings each (0: no glossary word), which one each form takes:
    every word's first, then each other rendering swapped in one at a time; `limit` at most."""
    choices: list[tuple[int, ...]] = [(0,) * len(counts)]
    for position, count in enumerate(counts):
        for alternative in range(1, count):
            if len(choices) == limit:
                return choices
            swapped = [0] * len(counts)
            swapped[position] = alternative
            choices.append(tuple(swapped))
    return choices
