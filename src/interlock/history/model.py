"""List history as events: every addition, change and removal, dated twice.

Valid time is `effective_date` (when the change took legal effect); knowledge time is `recorded_at`
(when it became knowable: the publication date of a rule, the date of the snapshot that showed it).
A listing's state on date D as known on date K replays the events recorded by K and effective by D.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from interlock.model import Citation, ListEntry


class Action(StrEnum):
    ADD = "add"
    MODIFY = "modify"
    REMOVE = "remove"
    OTHER = "other"


class Origin(StrEnum):
    SNAPSHOT = "snapshot"  # derived by comparing consecutive snapshots of a source
    VERSION_LOG = "version-log"  # a publisher's file history (the OFAC SDN git-scraper log)
    FEDERAL_REGISTER = "federal-register"
    CURATED = "curated"  # data/events.yaml, reviewed facts with sources
    OPERATOR = "operator"  # `interlock events add`


class FieldChange(BaseModel):
    field: str
    before: Any = None
    after: Any = None


class SourcedText(BaseModel):
    """A statement with the document it comes from; official reason and press context stay apart."""

    text: str
    source_url: str
    verified: bool = True


class AssertedRelation(BaseModel):
    """A name another authority used for the event's subject: asserted, never matched on."""

    model_config = ConfigDict(extra="forbid")

    kind: str  # asserted-co-subject / asserted-alias
    name: str
    statement: SourcedText


class ListEvent(BaseModel):
    event_id: str  # deterministic: the same fact imported twice is one event
    identity: str  # the entry's identity across snapshots (see history.identity)
    source: str
    lists: list[str] = Field(default_factory=list)
    action: Action
    effective_date: date | None  # None: not known; the recorded date bounds it
    # when the effective date is only bracketed by two observations: the earlier one
    effective_after: date | None = None
    recorded_at: date
    # the moment it became known, where the source gives one (a version log's commit time)
    recorded_time: datetime | None = None
    origin: Origin
    name: str | None = None
    citation: Citation | None = None
    document_number: str | None = None
    agency: str | None = None
    title: str | None = None
    changes: list[FieldChange] = Field(default_factory=list)
    entry: ListEntry | None = None  # the entry as it stood after the event (add / modify)
    entity_id: str | None = None  # that entry's id in its snapshot (`snapshot_id`)
    row: list[str] | None = None  # the publisher's raw row, where the log carries one
    reason: SourcedText | None = None  # official reason, as the instrument states it
    context: SourcedText | None = None  # reported context (press), never merged with the reason
    source_url: str | None = None
    verified: bool = True
    snapshot_id: int | None = None
    version: str | None = None  # the publisher's version label (commit, snapshot date)
    notes: list[str] = Field(default_factory=list)  # a reviewer's notes (curated events)
    relations: list[AssertedRelation] = Field(default_factory=list)

    @property
    def effective_or_recorded(self) -> date:
        return self.effective_date or self.recorded_at


def event_order(event: ListEvent) -> str:
    """Events sort by when they were recorded, then by id; this key sorts as they do (an ISO date
    is of fixed width), so a page's cursor can carry it."""
    return f"{event.recorded_at.isoformat()}|{event.event_id}"
