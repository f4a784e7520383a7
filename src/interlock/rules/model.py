"""Order rules as data (rules/data/order_rules.yaml), validated at load."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator

from interlock.history.regimes import load_regimes

Outcome = Literal["CLEAR", "REVIEW", "LICENCE_REQUIRED", "BLOCK"]
SEVERITY: dict[str, int] = {"CLEAR": 0, "REVIEW": 1, "LICENCE_REQUIRED": 2, "BLOCK": 3}


class RulesFileError(ValueError):
    pass


class ListedParty(BaseModel):
    kind: Literal["listed_party"]
    lists: list[str] = Field(min_length=1)
    programs: list[str] = Field(default_factory=list, description="any of these, when given")


class OwnedByListed(BaseModel):
    kind: Literal["owned_by_listed"]
    lists: list[str] = Field(min_length=1)


class ItemControlled(BaseModel):
    kind: Literal["item_controlled"]
    where: list[Literal["origin", "destination"]] = Field(min_length=1)
    origin_in: list[str] = Field(default_factory=list)
    destination_in: list[str] = Field(default_factory=list)


class ItemUnresolved(BaseModel):
    kind: Literal["item_unresolved"]


Condition = Annotated[
    ListedParty | OwnedByListed | ItemControlled | ItemUnresolved, Field(discriminator="kind")
]


class OrderRule(BaseModel):
    id: str
    description: str
    legal_basis: str
    citation: str
    verified: bool
    condition: Condition
    outcome: Outcome
    regime: str | None = None
    unknown_share_outcome: Outcome | None = None
    note: str = ""


class OrderRules(BaseModel):
    version: int
    # which countries a multilateral jurisdiction's controls bind ('*': every country)
    jurisdictions: dict[str, list[str]]
    rules: list[OrderRule]
    digest: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> OrderRules:
        ids = [rule.id for rule in self.rules]
        if len(ids) != len(set(ids)):
            raise ValueError("rule ids must be unique")
        known = {regime.id for regime in load_regimes()}
        for rule in self.rules:
            if rule.regime is not None and rule.regime not in known:
                raise ValueError(f"rule {rule.id}: unknown regime {rule.regime!r}")
        return self


def parse_order_rules(text: str, origin: str) -> OrderRules:
    try:
        parsed = OrderRules.model_validate(yaml.safe_load(text))
    except (ValidationError, yaml.YAMLError) as exc:
        raise RulesFileError(f"{origin}: {exc}") from exc
    parsed.digest = f"{parsed.version}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"
    return parsed


@lru_cache(maxsize=1)
def order_rules() -> OrderRules:
    path = resources.files("interlock.rules.data").joinpath("order_rules.yaml")
    return parse_order_rules(path.read_text("utf-8"), "rules/data/order_rules.yaml")


def block_lists(rules: OrderRules) -> set[str]:
    """The lists a hit on which blocks (a confirmed hit there needs four eyes to close)."""
    return {
        code
        for rule in rules.rules
        if rule.outcome == "BLOCK" and isinstance(rule.condition, ListedParty)
        for code in rule.condition.lists
    }
