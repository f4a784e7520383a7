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


class ScreeningResult(BaseModel):
    query: dict[str, Any]
    as_of: date
    data_version: str
    scorer: str
    threshold: float
    matches: list[ScreeningMatch]
    freshness: dict[str, Any] = Field(default_factory=dict)
