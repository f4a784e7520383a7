"""Identifier typing from the label a list uses, driven by `data/identifier_types.yaml`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel

from interlock.model import IdentifierType


class _Rule(BaseModel):
    type: IdentifierType
    pattern: str


class _Table(BaseModel):
    version: int
    source: str
    identifiers: list[_Rule]
    features: list[str]


@dataclass(frozen=True)
class LabelTable:
    identifiers: tuple[tuple[IdentifierType, re.Pattern[str]], ...]
    features: tuple[re.Pattern[str], ...]

    def is_feature(self, label: str) -> bool:
        return any(p.search(label) for p in self.features)

    def identifier_type(self, label: str) -> IdentifierType:
        for id_type, pattern in self.identifiers:
            if pattern.search(label):
                return id_type
        return IdentifierType.OTHER


@cache
def label_table() -> LabelTable:
    raw = yaml.safe_load(
        resources.files("interlock.data").joinpath("identifier_types.yaml").read_text("utf-8")
    )
    table = _Table.model_validate(raw)
    return LabelTable(
        identifiers=tuple(
            (r.type, re.compile(r.pattern, re.IGNORECASE)) for r in table.identifiers
        ),
        features=tuple(re.compile(re.escape(f), re.IGNORECASE) for f in table.features),
    )
