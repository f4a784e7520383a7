"""Curated and operator-recorded list events: `data/events.yaml` and `interlock events add`.

Both go through one row model and one set of checks, so a fact typed by an operator is held to the
same standard as a reviewed one: a source URL, dates that parse and agree, a citation that parses,
a known list and action. A broken row fails loudly, naming the row and the field.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from interlock.history.datafile import HistoryDataError, describe, http_url, load_yaml
from interlock.history.diff import COMPARED_FIELDS
from interlock.history.identity import STABLE_ID_SOURCES, identity_key
from interlock.history.model import (
    Action,
    AssertedRelation,
    FieldChange,
    ListEvent,
    Origin,
    SourcedText,
)
from interlock.model import Citation, ListEntry
from interlock.sources import clean
from interlock.sources.registry import format_names, get_format

EVENTS_FILE = "events.yaml"
# Rules take effect on signature or public inspection, days before FR publication (2023-25557:
# one day); a rule effective months before it was published would be a typing error.
MAX_EFFECTIVE_BEFORE_PUBLICATION = timedelta(days=60)
# Rules may take effect well after publication (DEA scheduling rules: 30 days), not years.
MAX_EFFECTIVE_AFTER_PUBLICATION = timedelta(days=366)
FR_DOCUMENT_NUMBER = re.compile(r"\d{4}-\d{5}")
_ROW_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class EntryRef(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    source: str
    list_: str = Field(alias="list")
    name: str
    country: str
    source_id: str | None = None


class _Statement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    source_url: str
    verified: bool

    @field_validator("source_url")
    @classmethod
    def _url(cls, value: str) -> str:
        return http_url(value)


class _Relation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str
    name: str
    statement: _Statement


class _Change(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: str
    before: Any = None
    after: Any = None

    @field_validator("field")
    @classmethod
    def _known_field(cls, value: str) -> str:
        if value not in COMPARED_FIELDS:
            raise ValueError(f"unknown field {value!r}; known: {', '.join(COMPARED_FIELDS)}")
        return value


class EventRow(BaseModel):
    """One curated event as written in `events.yaml` (and as an operator enters it)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    entry: EntryRef
    action: Action
    effective_date: date | None
    published: date
    citation: str | None = None
    document_number: str | None = None
    agency: str | None = None
    title: str | None = None
    source_url: str
    more_sources: list[str] = Field(default_factory=list)
    verified: bool
    changes: list[_Change] = Field(default_factory=list)
    reason: _Statement | None = None
    context: _Statement | None = None
    relations: list[_Relation] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ROW_ID.fullmatch(value):
            raise ValueError("must be lower-case words and digits joined by '-'")
        return value

    @field_validator("source_url")
    @classmethod
    def _source_url(cls, value: str) -> str:
        return http_url(value)

    @field_validator("more_sources")
    @classmethod
    def _more_sources(cls, values: list[str]) -> list[str]:
        return [http_url(v) for v in values]

    @field_validator("document_number")
    @classmethod
    def _document_number(cls, value: str | None) -> str | None:
        if value is not None and not FR_DOCUMENT_NUMBER.fullmatch(value):
            raise ValueError(f"{value!r} is not an FR Doc number (YYYY-NNNNN)")
        return value


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    source: str
    events: list[dict[str, Any]]


@cache
def known_sources() -> frozenset[str]:
    return frozenset(get_format(name).spec.code for name in format_names())


@cache
def known_lists() -> dict[str, str]:
    """List code → list name, from `data/lists.yaml`."""
    raw = yaml.safe_load(
        resources.files("interlock.data").joinpath("lists.yaml").read_text("utf-8")
    )
    return {str(code): str(item["name"]) for code, item in raw["lists"].items()}


def _error(label: str, field: str, message: str) -> HistoryDataError:
    return HistoryDataError(f"{label}: field {field}: {message}")


def _entry(row: EventRow, label: str) -> ListEntry:
    ref = row.entry
    if ref.source not in known_sources():
        raise _error(label, "entry.source", f"unknown source {ref.source!r}")
    lists = known_lists()
    if ref.list_ not in lists:
        raise _error(label, "entry.list", f"unknown list {ref.list_!r}; known: {', '.join(lists)}")
    if clean.country_code(ref.country) != ref.country:
        raise _error(label, "entry.country", f"{ref.country!r} is not an ISO 3166-1 alpha-2 code")
    if ref.source in STABLE_ID_SOURCES and not ref.source_id:
        raise _error(label, "entry.source_id", f"required: {ref.source} entries are keyed by id")
    name = clean.name(ref.name)
    source_id = ref.source_id or f"curated:{row.id}"
    return ListEntry(
        entity_id=f"{ref.source}:{source_id}",
        source=ref.source,
        source_id=source_id,
        lists=[ref.list_],
        list_names=[lists[ref.list_]],
        name=name,
        name_original=ref.name,
        countries=[ref.country],
    )


def _citation(row: EventRow, label: str) -> Citation | None:
    if row.citation is None:
        if row.action != Action.OTHER:
            raise _error(label, "citation", f"required for action {row.action.value}")
        return None
    found = clean.citations(row.citation)
    if len(found) != 1:
        raise _error(label, "citation", f"{row.citation!r} is not one Federal Register citation")
    return found[0]


def _check_dates(row: EventRow, label: str) -> None:
    if row.effective_date is None:
        if row.action != Action.OTHER:
            raise _error(label, "effective_date", f"required for action {row.action.value}")
        return
    if row.effective_date < row.published - MAX_EFFECTIVE_BEFORE_PUBLICATION:
        raise _error(
            label,
            "effective_date",
            f"{row.effective_date} is more than {MAX_EFFECTIVE_BEFORE_PUBLICATION.days} days "
            f"before publication ({row.published})",
        )
    if row.effective_date > row.published + MAX_EFFECTIVE_AFTER_PUBLICATION:
        raise _error(
            label,
            "effective_date",
            f"{row.effective_date} is more than {MAX_EFFECTIVE_AFTER_PUBLICATION.days} days "
            f"after publication ({row.published})",
        )


def _check_changes(row: EventRow, label: str) -> None:
    if row.changes and row.action != Action.MODIFY:
        raise _error(label, "changes", "only a modify event records field changes")
    for index, change in enumerate(row.changes):
        if change.before == change.after:
            raise _error(label, f"changes[{index}]", "before and after are the same")
        if change.field == "citations":
            for side in (change.before, change.after):
                values = side if isinstance(side, list) else [side]
                for value in values:
                    if len(clean.citations(str(value))) != 1:
                        raise _error(
                            label, f"changes[{index}]", f"{value!r} is not one FR citation"
                        )


def _sourced(statement: _Statement | None) -> SourcedText | None:
    return None if statement is None else _text(statement)


def _text(statement: _Statement) -> SourcedText:
    return SourcedText(
        text=" ".join(statement.text.split()),
        source_url=statement.source_url,
        verified=statement.verified,
    )


def _event(row: EventRow, label: str, origin: Origin, event_id: str) -> ListEvent:
    _check_dates(row, label)
    _check_changes(row, label)
    entry = _entry(row, label)
    return ListEvent(
        event_id=event_id,
        identity=identity_key(entry),
        source=entry.source,
        lists=entry.lists,
        action=row.action,
        effective_date=row.effective_date,
        recorded_at=row.published,
        origin=origin,
        name=entry.name,
        citation=_citation(row, label),
        document_number=row.document_number,
        agency=row.agency,
        title=" ".join(row.title.split()) if row.title else None,
        changes=[
            FieldChange(field=c.field, before=_tidy(c.before), after=_tidy(c.after))
            for c in row.changes
        ],
        reason=_sourced(row.reason),
        context=_sourced(row.context),
        source_url=row.source_url,
        verified=row.verified,
        notes=[" ".join(n.split()) for n in row.notes],
        relations=[
            AssertedRelation(kind=r.kind, name=r.name, statement=_text(r.statement))
            for r in row.relations
        ],
    )


def _tidy(value: Any) -> Any:
    """Folded YAML text keeps no trailing newline or doubled spaces."""
    return " ".join(value.split()) if isinstance(value, str) else value


def _parse_row(raw: Any, label: str) -> EventRow:
    if not isinstance(raw, dict):
        raise HistoryDataError(f"{label}: expected a mapping of fields")
    try:
        return EventRow.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "?"
        raise _error(label, field, first["msg"]) from None


def _check_sequence(events: list[ListEvent]) -> None:
    """Per entry, adds, changes and removals must alternate sensibly in effective order."""
    by_identity: dict[str, list[ListEvent]] = {}
    for event in events:
        by_identity.setdefault(event.identity, []).append(event)
    for identity, series in by_identity.items():
        listed: bool | None = None  # None: nothing curated yet, the feeds may hold the add
        for event in sorted(series, key=lambda e: (e.effective_or_recorded, e.event_id)):
            if event.action == Action.ADD and listed:
                raise HistoryDataError(f"{event.event_id}: {identity} added while already listed")
            if event.action in (Action.MODIFY, Action.REMOVE) and listed is False:
                raise HistoryDataError(
                    f"{event.event_id}: {identity} {event.action.value} while not listed"
                )
            if event.action in (Action.ADD, Action.MODIFY):
                listed = True
            elif event.action == Action.REMOVE:
                listed = False


def parse_curated_events(text: str, file_name: str = EVENTS_FILE) -> list[ListEvent]:
    """Validate a curated events file's text and turn its rows into events."""
    try:
        table = _File.model_validate(load_yaml(text, file_name))
    except ValidationError as exc:
        raise HistoryDataError(f"{file_name}: {describe(exc)}") from None
    events: list[ListEvent] = []
    seen: set[str] = set()
    for position, raw_row in enumerate(table.events, start=1):
        row_id = raw_row.get("id") if isinstance(raw_row, dict) else None
        label = f"{file_name}: event {row_id or f'#{position}'}"
        row = _parse_row(raw_row, label)
        if row.id in seen:
            raise _error(label, "id", "duplicate id")
        seen.add(row.id)
        events.append(_event(row, label, Origin.CURATED, f"curated:{row.id}"))
    _check_sequence(events)
    return list(events)


@cache
def _bundled_events() -> tuple[ListEvent, ...]:
    text = resources.files("interlock.data").joinpath(EVENTS_FILE).read_text("utf-8")
    return tuple(parse_curated_events(text))


def load_curated_events() -> list[ListEvent]:
    """The reviewed events of `data/events.yaml` (origin curated, recorded on publication)."""
    return [event.model_copy(deep=True) for event in _bundled_events()]


def operator_event(
    *,
    source: str,
    list_code: str,
    name: str,
    country: str,
    action: Action | str,
    effective_date: date | None,
    published: date,
    source_url: str,
    verified: bool = False,
    citation: str | None = None,
    document_number: str | None = None,
    agency: str | None = None,
    title: str | None = None,
    source_id: str | None = None,
    changes: Iterable[FieldChange] = (),
    reason: SourcedText | None = None,
    context: SourcedText | None = None,
    notes: Iterable[str] = (),
) -> ListEvent:
    """An event an operator records (`interlock events add`), checked like a curated row.

    Unverified unless the operator says otherwise. The id is derived from the content, so the same
    fact entered twice is one event.
    """
    fields: dict[str, Any] = {
        "entry": {
            "source": source,
            "list": list_code,
            "name": name,
            "country": country,
            "source_id": source_id,
        },
        "action": action.value if isinstance(action, Action) else action,
        "effective_date": effective_date,
        "published": published,
        "citation": citation,
        "document_number": document_number,
        "agency": agency,
        "title": title,
        "source_url": source_url,
        "verified": verified,
        "changes": [c.model_dump() for c in changes],
        "reason": reason.model_dump() if reason else None,
        "context": context.model_dump() if context else None,
        "notes": list(notes),
    }
    digest = hashlib.sha256(
        json.dumps(fields, sort_keys=True, default=str).encode("utf-8")
    ).hexdigest()[:16]
    row_id = f"operator-{digest}"
    row = _parse_row({"id": row_id, **fields}, f"operator event ({name!r})")
    return _event(row, f"operator event {row_id}", Origin.OPERATOR, f"operator:{digest}")
