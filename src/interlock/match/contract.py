"""The screening result: a public JSON contract. Fields may be added, never renamed or removed."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field, model_validator

from interlock.model import Schema


class ScreeningQuery(BaseModel):
    name: str = Field(default="", max_length=500, description="empty for an identifier-only query")
    schema_: str = Field(default="Any", alias="schema")
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2")
    identifiers: list[str] = Field(default_factory=list)
    as_of: date | None = None
    limit: int = Field(default=10, ge=1, le=100)

    model_config = {"populate_by_name": True}

    @model_validator(mode="after")
    def _name_or_identifier(self) -> ScreeningQuery:
        if not self.name.strip() and not self.identifiers:
            raise ValueError("give a name or at least one identifier")
        return self


class ScreeningMatch(BaseModel):
    entity_id: str
    source: str
    lists: list[str]
    schema_: Schema = Field(alias="schema")
    name: str
    aliases: list[str]
    matched_name: str
    score: float
    match: bool
    explanation: dict[str, Any]
    # history (added with the list-history work): the entry's identity across snapshots and its
    # state on as_of — listed / delisted / unknown — with the removal for a delisted entry
    identity: str | None = None
    status: str | None = None
    status_detail: dict[str, Any] | None = None

    model_config = {"populate_by_name": True}


_MATCH_FIELDS = tuple(ScreeningMatch.model_fields)


def unvalidated_match(fields: dict[str, Any]) -> ScreeningMatch:
    """A ScreeningMatch of fields already typed, every field given by its name in the model's
    order (which its JSON keeps): what `ScreeningMatch.model_construct(**fields)` makes, in a
    fifth of the time (a batch makes millions of matches; tests/match/test_contract.py holds the
    two equal). The match keeps `fields` as its own."""
    if tuple(fields) != _MATCH_FIELDS:
        raise ValueError(f"a match takes exactly the fields {list(_MATCH_FIELDS)}, in that order")
    match = ScreeningMatch.__new__(ScreeningMatch)
    object.__setattr__(match, "__dict__", fields)
    object.__setattr__(match, "__pydantic_fields_set__", set(_MATCH_FIELDS))
    object.__setattr__(match, "__pydantic_extra__", None)
    object.__setattr__(match, "__pydantic_private__", None)
    return match


def given_status(match: ScreeningMatch, status: str, detail: dict[str, Any] | None) -> None:
    """Sets a match's status and its detail as assigning them would, unvalidated like the
    match itself."""
    match.__dict__["status"] = status
    match.__dict__["status_detail"] = detail
    match.__pydantic_fields_set__.update(("status", "status_detail"))


class ScreeningResult(BaseModel):
    query: dict[str, Any]
    as_of: date
    data_version: str
    scorer: str
    threshold: float
    matches: list[ScreeningMatch]
    freshness: dict[str, Any] = Field(default_factory=dict)
