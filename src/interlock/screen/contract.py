"""The order decision as JSON: a public contract (fields may be added, never renamed or removed)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from interlock.chem.contract import ChemAnswer
from interlock.rules.model import Outcome


class Reason(BaseModel):
    rule: str = Field(description="the rule's id in rules/data/order_rules.yaml")
    outcome: Outcome
    target: str = Field(description="'party buyer: NAME' or 'item 2: DESCRIPTION'")
    entity_id: str | None = Field(description="the list entry behind a party reason")
    list: str | None = Field(description="list code(s) of that entry, or the chemical listing")
    citation: str
    detail: str = Field(description="what the rule found, in one line")
    score: float | None = None
    matched_name: str | None = None
    verified: bool = True


class Hit(BaseModel):
    entity_id: str
    name: str
    matched_name: str
    lists: list[str]
    score: float
    status: str | None = Field(description="listed, delisted or unknown on as_of")
    programs: list[str] = []
    license_requirement: str | None = None
    license_policy: str | None = None
    citations: list[str] = []
    entry_version: str = Field("", description="hash of the entry's content when screened")
    suppressed_by: int | None = Field(
        None, description="the alert whose false-positive decision covers this exact hit"
    )
    alert_id: int | None = Field(None, description="the alert opened (or still open) for it")


class PartyResult(BaseModel):
    role: str
    name: str
    country: str | None
    identifiers: list[str] = []
    fingerprint: str = Field("", description="the party as written: what a false positive keys on")
    decision: Outcome
    hits: list[Hit] = []
    ownership: list[str] = Field(default=[], description="how an owner's listing reaches the party")
    notes: list[str] = []


class ItemResult(BaseModel):
    line: str
    kind: str
    decision: Outcome
    chem: ChemAnswer | None = Field(description="the chemical answer; None for a non-chemical line")


class OrderDecision(BaseModel):
    order_id: str
    decision: Outcome
    reasons: list[Reason]
    parties: list[PartyResult]
    items: list[ItemResult]
    as_of: date
    data_version: str
    rules_version: str
    scorer: str
    notes: list[str] = []


class OwnershipExplanation(BaseModel):
    name: str
    as_of: date
    edges: list[dict[str, object]] = Field(description="every edge above the entity")
    listed_owners: dict[str, list[str]] = Field(description="owner → the entries it matches")
    decision: Outcome
    reasons: list[Reason]
    paths: list[str]
    notes: list[str] = []
