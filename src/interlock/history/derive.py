"""Events derived from the series of snapshots of one source.

The first snapshot adds what it holds (effective on the listing date the entry states, else
unknown); each later snapshot adds, changes and — when it is a full list — removes against the one
before. A change seen between two snapshots took effect after the first and by the second; the
event records both bounds instead of inventing a date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import date

from interlock.history.diff import entry_changes
from interlock.history.identity import assign_identities, pair_snapshots
from interlock.history.model import Action, FieldChange, ListEvent, Origin
from interlock.model import Coverage, ListEntry, Snapshot


def _event(
    snapshot: Snapshot,
    identity: str,
    action: Action,
    entry: ListEntry,
    observed: date,
    previous: date | None,
    changes: list[FieldChange] | None = None,
) -> ListEvent:
    effective = entry.listed_on if action == Action.ADD else None
    if effective is not None and effective > observed:
        effective = None
    return ListEvent(
        event_id=(
            f"snap:{snapshot.source}:{snapshot.sha256[:16]}:{action.value}:"
            + hashlib.sha256(identity.encode()).hexdigest()[:24]
        ),
        identity=identity,
        source=snapshot.source,
        lists=entry.lists,
        action=action,
        effective_date=effective,
        effective_after=None if effective else previous,
        recorded_at=observed,
        origin=Origin.SNAPSHOT,
        name=entry.name,
        citation=entry.citations[-1] if entry.citations else None,
        entry=entry if action != Action.REMOVE else None,
        entity_id=entry.entity_id,
        snapshot_id=snapshot.id,
        version=observed.isoformat(),
        changes=changes or [],
    )


def observed_on(snapshot: Snapshot) -> date:
    """When the snapshot's content was true: its data date, else the day it was retrieved."""
    return snapshot.data_date or snapshot.retrieved_at.date()


def snapshot_events(series: Iterable[tuple[Snapshot, list[ListEntry]]]) -> Iterator[ListEvent]:
    """Events of one source from its accepted snapshots, taken in order of their data dates."""
    state: dict[str, ListEntry] = {}
    previous: date | None = None
    ordered = sorted(series, key=lambda item: (observed_on(item[0]), item[0].id or 0))
    for snapshot, entries in ordered:
        observed = observed_on(snapshot)
        current = assign_identities(entries)
        if previous is None:
            for identity, entry in current.items():
                yield _event(snapshot, identity, Action.ADD, entry, observed, None)
            state = dict(current)
            previous = observed
            continue
        pairing = pair_snapshots(state, current)
        following: dict[str, ListEntry] = {}
        for pair in pairing.pairs:
            following[pair.identity] = pair.new
            changes = entry_changes(pair.old, pair.new)
            if changes:
                yield _event(
                    snapshot, pair.identity, Action.MODIFY, pair.new, observed, previous, changes
                )
        for identity, entry in pairing.added.items():
            following[identity] = entry
            yield _event(snapshot, identity, Action.ADD, entry, observed, previous)
        if snapshot.coverage == Coverage.FULL:
            for identity, entry in pairing.removed.items():
                yield _event(snapshot, identity, Action.REMOVE, entry, observed, previous)
        else:
            following.update(pairing.removed)
        state = following
        previous = observed
