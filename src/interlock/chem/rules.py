"""Structural controls as data (chem/data/rules.yaml): the fentanyl-related-substance classes, the
US family listings and the interpretation choices, validated at load."""

from __future__ import annotations

import hashlib
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ValidationError, model_validator

from interlock.chem.registry import Jurisdiction, registry

Derivative = Literal["amide", "carbamate", "halide", "acetal"]
INTERPRETATIONS = frozenset(
    {"carbamate_is_acyl", "thioacyl_is_acyl", "cycloalkyl_is_alkyl", "substituted_alkyl_is_alkyl"}
)


class RulesError(ValueError):
    pass


class StructuralClass(BaseModel):
    id: str
    jurisdiction: Jurisdiction
    reading: Literal["us", "cn"]
    list: str
    effective: date
    instrument: str
    definition: str
    excludes_otherwise_controlled: bool
    source: str
    verified: bool


class DerivativeListing(BaseModel):
    effective: date
    instrument: str
    source: str
    verified: bool


class Family(BaseModel):
    id: str
    jurisdiction: Jurisdiction
    parent: str
    list: str
    derivatives: dict[Derivative, DerivativeListing]


class Interpretation(BaseModel):
    value: bool
    clause: str
    reason: str


class Rules(BaseModel):
    version: int
    classes: list[StructuralClass]
    families: list[Family]
    interpretation: dict[str, Interpretation]
    digest: str = ""

    @model_validator(mode="after")
    def _complete(self) -> Rules:
        if set(self.interpretation) != INTERPRETATIONS:
            missing = INTERPRETATIONS - set(self.interpretation)
            unknown = set(self.interpretation) - INTERPRETATIONS
            raise ValueError(
                f"interpretation: missing {sorted(missing)}, unknown {sorted(unknown)}"
            )
        ids = [c.id for c in self.classes] + [f.id for f in self.families]
        if len(ids) != len(set(ids)):
            raise ValueError("class and family ids must be unique")
        return self

    def reads(self, question: str) -> bool:
        return self.interpretation[question].value


def parse_rules(text: str, origin: str, substance_keys: set[str]) -> Rules:
    try:
        rules = Rules.model_validate(yaml.safe_load(text))
    except (ValidationError, yaml.YAMLError) as exc:
        raise RulesError(f"{origin}: {exc}") from exc
    for family in rules.families:
        if family.parent not in substance_keys:
            raise RulesError(f"{origin}: family {family.id} names unknown parent {family.parent!r}")
    rules.digest = f"{rules.version}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"
    return rules


@lru_cache(maxsize=1)
def rules() -> Rules:
    path = resources.files("interlock.chem.data").joinpath("rules.yaml")
    keys = set(registry().by_key)
    return parse_rules(path.read_text("utf-8"), "chem/data/rules.yaml", keys)
