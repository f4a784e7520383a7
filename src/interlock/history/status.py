"""Point-in-time status of one listed party: what was in force on a date, as known on a date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from interlock.history.model import Action, ListEvent, Origin, SourcedText
from interlock.model import Citation, ListEntry


class State(StrEnum):
    LISTED = "listed"
    DELISTED = "delisted"
    NOT_YET_LISTED = "not-yet-listed"
    UNKNOWN = "unknown"  # nothing known by `known_at`


class Listing(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    list_: str = Field(alias="list")
    source: str
    since: date | None
    since_basis: str  # effective date stated / first seen in a snapshot on …
    until: date | None = None
    until_basis: str | None = None
    citations: list[Citation] = Field(default_factory=list)
    license_requirement: str | None = None
    license_policy: str | None = None


class EventView(BaseModel):
    action: Action
    effective_date: date | None
    effective_after: date | None = None
    recorded_at: date
    in_effect: bool  # effective on or before as_of
    origin: Origin
    citation: str | None = None
    document_number: str | None = None
    title: str | None = None
    changed_fields: list[str] = Field(default_factory=list)
    reason: SourcedText | None = None
    context: SourcedText | None = None
    source_url: str | None = None
    verified: bool = True


class PointInTime(BaseModel):
    identity: str
    name: str | None
    state: State
    listed: bool
    listings: list[Listing]
    events: list[EventView]
    content_observed: date | None = None  # the snapshot the entry's fields come from
    notes: list[str] = Field(default_factory=list)


_RANK = {Action.ADD: 0, Action.MODIFY: 1, Action.OTHER: 2, Action.REMOVE: 3}  # same day: in order


def _order(event: ListEvent) -> tuple[date, date, int, str]:
    return (event.effective_or_recorded, event.recorded_at, _RANK[event.action], event.event_id)


def _view(event: ListEvent, as_of: date) -> EventView:
    return EventView(
        action=event.action,
        effective_date=event.effective_date,
        effective_after=event.effective_after,
        recorded_at=event.recorded_at,
        in_effect=event.effective_or_recorded <= as_of,
        origin=event.origin,
        citation=event.citation.raw if event.citation else None,
        document_number=event.document_number,
        title=event.title,
        changed_fields=[c.field for c in event.changes],
        reason=event.reason,
        context=event.context,
        source_url=event.source_url,
        verified=event.verified,
    )


def _apply(entry: ListEntry, field: str, value: Any) -> ListEntry:
    """Set one compared field on a copy of the entry (field changes of curated events)."""
    if field == "citations":
        citations = []
        for item in value or []:
            citations.append(item if isinstance(item, Citation) else _citation(str(item)))
        return entry.model_copy(update={"citations": citations})
    if field in ("license_requirement", "license_policy", "name", "title", "remarks"):
        return entry.model_copy(update={field: value})
    return entry


def _citation(raw: str) -> Citation:
    from interlock.sources.clean import citations

    found = citations(raw)
    return found[0] if found else Citation(volume=0, raw=raw)


def content_at(events: Sequence[ListEvent], as_of: date) -> tuple[ListEntry | None, date | None]:
    """The entry's fields on `as_of`: the nearest observed content, corrected by dated changes.

    A snapshot shows the entry as it stood when taken. Changes recorded with before/after values
    (a rule revising a licence policy) that took effect between `as_of` and that snapshot are
    undone, or applied when they came after it.
    """
    observed = [e for e in events if e.entry is not None]
    if not observed:
        return None, None
    before = [e for e in observed if e.recorded_at <= as_of]
    chosen = max(before, key=_order) if before else min(observed, key=lambda e: e.recorded_at)
    assert chosen.entry is not None
    entry = chosen.entry
    seen_on = chosen.recorded_at
    dated_changes = [
        e for e in events if e.changes and e.origin != Origin.SNAPSHOT and e.entry is None
    ]
    for event in sorted(dated_changes, key=_order, reverse=True):
        if as_of < event.effective_or_recorded <= seen_on:
            for change in event.changes:
                entry = _apply(entry, change.field, change.before)
    for event in sorted(dated_changes, key=_order):
        if seen_on < event.effective_or_recorded <= as_of:
            for change in event.changes:
                entry = _apply(entry, change.field, change.after)
    return entry, seen_on


class _Standing(NamedTuple):
    known: list[ListEvent]  # the events recorded by known_at, in order
    state: State
    opened: ListEvent | None  # the event that opened the listing in force on as_of
    removal: ListEvent | None  # the event that ended the last listing, if none is in force


def _standing(events: Sequence[ListEvent], as_of: date, known_at: date) -> _Standing:
    known = sorted((e for e in events if e.recorded_at <= known_at), key=_order)
    listed = False
    opened: ListEvent | None = None
    removal: ListEvent | None = None
    for event in known:
        if event.effective_or_recorded > as_of:
            break
        if event.action in (Action.ADD, Action.MODIFY) and not listed:
            listed, opened, removal = True, event, None
        elif event.action == Action.REMOVE and listed:
            listed, opened, removal = False, None, event
    # an addition proves the party was not yet listed on as_of only when it is known to come
    # after it: by its effective date, or by an earlier snapshot that did not show the party. A
    # party first seen in a source's first snapshot was listed on some unknown earlier day
    later_add = any(e.action == Action.ADD and _added_after(e, as_of) for e in known)
    if listed:
        state = State.LISTED
    elif removal is not None:
        state = State.DELISTED
    elif later_add:
        state = State.NOT_YET_LISTED
    else:
        state = State.UNKNOWN
    return _Standing(known, state, opened, removal)


class MatchStatus(NamedTuple):
    """What a screening result says of a listed party on as_of: point_in_time's state, the start
    of the listing in force and the removal in effect, without the entry's content or a view of
    every event (a batch asks this of tens of thousands of parties)."""

    state: State
    since: date | None
    removal: EventView | None  # the last removal in effect on as_of


def match_status(events: Sequence[ListEvent], as_of: date, known_at: date) -> MatchStatus:
    standing = _standing(events, as_of, known_at)
    since = _since(standing.known, standing.opened)[0] if standing.opened else None
    removal = next(
        (
            e
            for e in reversed(standing.known)
            if e.action == Action.REMOVE and e.effective_or_recorded <= as_of
        ),
        None,
    )
    return MatchStatus(standing.state, since, _view(removal, as_of) if removal else None)


def point_in_time(
    identity: str, events: Sequence[ListEvent], as_of: date, known_at: date
) -> PointInTime:
    known, state, opened, removal = _standing(events, as_of, known_at)
    listed = state == State.LISTED
    entry, seen_on = content_at(known, as_of)
    names = [e.name for e in known if e.name]
    listings: list[Listing] = []
    notes: list[str] = []
    if opened is not None:
        upcoming = next(
            (e for e in known if e.action == Action.REMOVE and e.effective_or_recorded > as_of),
            None,
        )
        since, basis = _since(known, opened)
        listings.append(
            Listing(
                list_=",".join(opened.lists) or "?",
                source=opened.source,
                since=since,
                since_basis=basis,
                until=upcoming.effective_or_recorded if upcoming else None,
                until_basis=_removal_basis(upcoming) if upcoming else None,
                citations=entry.citations
                if entry
                else ([opened.citation] if opened.citation else []),
                license_requirement=entry.license_requirement if entry else None,
                license_policy=entry.license_policy if entry else None,
            )
        )
        if entry is None:
            notes.append(
                f"listed as known on {known_at}, but no snapshot recorded by then shows the entry's fields"
            )
    if removal is not None:
        notes.append(f"removed: {_removal_basis(removal)}")
    unknown_removals = [e for e in events if e.recorded_at > known_at and e.action == Action.REMOVE]
    if unknown_removals and listed:
        notes.append(f"a removal recorded after {known_at} is not taken into account (known_at)")
    return PointInTime(
        identity=identity,
        name=(entry.name if entry else (names[-1] if names else None)),
        state=state,
        listed=listed,
        listings=listings,
        events=[_view(e, as_of) for e in known],
        content_observed=seen_on,
        notes=notes,
    )


def _added_after(event: ListEvent, as_of: date) -> bool:
    if event.effective_date is not None:
        return event.effective_date > as_of
    return event.effective_after is not None and event.effective_after >= as_of


def _since(known: Sequence[ListEvent], opened: ListEvent) -> tuple[date | None, str]:
    """The start of the listing: a stated effective date wins over a first sighting."""
    stated = [
        e.effective_date
        for e in known
        if e.action == Action.ADD
        and e.effective_date is not None
        and e.effective_or_recorded <= opened.effective_or_recorded
    ]
    if opened.effective_date is not None:
        return opened.effective_date, f"effective date ({opened.origin.value})"
    if stated:
        return max(stated), "effective date"
    return opened.recorded_at, f"first seen in a snapshot of {opened.recorded_at}"


def _removal_basis(event: ListEvent) -> str:
    parts = [
        f"effective {event.effective_date}"
        if event.effective_date
        else f"between {event.effective_after} and {event.recorded_at}"
    ]
    if event.document_number:
        parts.append(f"FR Doc {event.document_number}")
    if event.citation:
        parts.append(event.citation.raw)
    parts.append(f"published/recorded {event.recorded_at}")
    return ", ".join(parts)
