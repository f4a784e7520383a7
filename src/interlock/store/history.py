"""Storage of list events (history). Writes are one transaction; reads return `ListEvent`s."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Engine, and_, delete, func, insert, select

from interlock.history.model import Action, ListEvent, Origin
from interlock.history.regimes import RecordedPhase
from interlock.history.sdn_log import map_row
from interlock.model import ListEntry
from interlock.store.schema import entries, history_events, regime_phases

BATCH = 2000


# Sources whose events carry the publisher's raw row: the entry is derived from the row when read,
# not stored twice.
ROW_MAPPERS: dict[str, Callable[[tuple[str, ...]], ListEntry]] = {"us_ofac_sdn": map_row}


def _stored(event: ListEvent) -> dict[str, Any]:
    """An event as stored: an entry that the store holds elsewhere is kept by reference only."""
    derivable = (event.row is not None and event.source in ROW_MAPPERS) or (
        event.snapshot_id is not None and event.entity_id is not None
    )
    exclude = {"entry"} if derivable else set()
    return event.model_dump(mode="json", exclude_defaults=True, exclude=exclude)


def _loaded(data: dict[str, Any]) -> ListEvent:
    event = ListEvent.model_validate(data)
    if event.entry is None and event.row is not None and event.action != Action.REMOVE:
        mapper = ROW_MAPPERS.get(event.source)
        if mapper is not None:
            event.entry = mapper(tuple(event.row))
    return event


def _row(event: ListEvent) -> dict[str, object]:
    return {
        "event_id": event.event_id,
        "identity": event.identity,
        "source": event.source,
        "action": event.action.value,
        "effective_date": event.effective_date,
        "effective_after": event.effective_after,
        "recorded_at": event.recorded_at,
        "origin": event.origin.value,
        "document_number": event.document_number,
        "version": event.version,
        "snapshot_id": event.snapshot_id,
        "data": _stored(event),
    }


class EventStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def replace(self, source: str, origin: Origin, events: Iterable[ListEvent]) -> int:
        """Replace every event of one source and origin with `events`, in one transaction.

        Derived histories (from snapshots, from a version log) are rebuilt whole, so importing an
        older snapshot later gives the same history as importing it first.
        """
        count = 0
        with self.engine.begin() as connection:
            connection.execute(
                delete(history_events).where(
                    and_(history_events.c.source == source, history_events.c.origin == origin.value)
                )
            )
            batch: list[dict[str, object]] = []
            for event in events:
                batch.append(_row(event))
                count += 1
                if len(batch) >= BATCH:
                    connection.execute(insert(history_events), batch)
                    batch = []
            if batch:
                connection.execute(insert(history_events), batch)
        return count

    def add(self, events: Sequence[ListEvent]) -> list[ListEvent]:
        """Add events that are not stored yet (by event id); returns the ones added."""
        if not events:
            return []
        with self.engine.begin() as connection:
            known = set(
                connection.execute(
                    select(history_events.c.event_id).where(
                        history_events.c.event_id.in_([e.event_id for e in events])
                    )
                ).scalars()
            )
            new = [e for e in events if e.event_id not in known]
            if new:
                connection.execute(insert(history_events), [_row(e) for e in new])
        return new

    def for_identities(self, identities: Sequence[str]) -> list[ListEvent]:
        if not identities:
            return []
        query = select(history_events.c.data).where(history_events.c.identity.in_(list(identities)))
        with self.engine.connect() as connection:
            events = [_loaded(row.data) for row in connection.execute(query)]
        return sorted(self.fill(events), key=_order)

    def fill(self, events: list[ListEvent]) -> list[ListEvent]:
        """Attach the snapshot entries that events refer to by (snapshot id, entity id)."""
        wanted = {
            (e.snapshot_id, e.entity_id)
            for e in events
            if e.entry is None
            and e.snapshot_id is not None
            and e.entity_id is not None
            and e.action != Action.REMOVE
        }
        if not wanted:
            return events
        found: dict[tuple[int, str], ListEntry] = {}
        snapshot_ids = sorted({s for s, _ in wanted if s is not None})
        entity_ids = sorted({e for _, e in wanted if e is not None})
        query = select(entries.c.snapshot_id, entries.c.entity_id, entries.c.data).where(
            and_(entries.c.snapshot_id.in_(snapshot_ids), entries.c.entity_id.in_(entity_ids))
        )
        with self.engine.connect() as connection:
            for row in connection.execute(query):
                if (row.snapshot_id, row.entity_id) in wanted:
                    found[(row.snapshot_id, row.entity_id)] = ListEntry.model_validate(row.data)
        for event in events:
            if event.entry is None and event.snapshot_id is not None and event.entity_id:
                event.entry = found.get((event.snapshot_id, event.entity_id))
        return events

    def events(
        self, source: str | None = None, origin: Origin | None = None
    ) -> Iterator[ListEvent]:
        """All stored events; entries held by reference are not attached (see `fill`)."""
        query = select(history_events.c.data).order_by(history_events.c.id)
        if source:
            query = query.where(history_events.c.source == source)
        if origin:
            query = query.where(history_events.c.origin == origin.value)
        with self.engine.connect() as connection:
            for row in connection.execution_options(yield_per=BATCH).execute(query):
                yield _loaded(row.data)

    def identities_with_document(self, document_number: str) -> list[str]:
        query = select(history_events.c.identity).where(
            history_events.c.document_number == document_number
        )
        with self.engine.connect() as connection:
            return sorted(set(connection.execute(query).scalars()))

    def stored_bytes(
        self, source: str, origin: Origin, version: str | None = None
    ) -> tuple[int, int]:
        """(number of events, bytes of their stored JSON) for one source and origin (and version)."""
        condition = and_(history_events.c.source == source, history_events.c.origin == origin.value)
        if version is not None:
            condition = and_(condition, history_events.c.version == version)
        with self.engine.connect() as connection:
            rows = connection.execute(select(history_events.c.data).where(condition))
            sizes = [len(json.dumps(row.data, separators=(",", ":"))) for row in rows]
        return len(sizes), sum(sizes)

    def add_phase(self, phase: RecordedPhase) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                insert(regime_phases).values(
                    regime_id=phase.regime_id,
                    recorded_at=phase.phase.recorded_at,
                    data=phase.model_dump(mode="json"),
                )
            )

    def phases(self) -> list[RecordedPhase]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(regime_phases.c.data).order_by(regime_phases.c.id))
            return [RecordedPhase.model_validate(row.data) for row in rows]

    def count(self) -> int:
        with self.engine.connect() as connection:
            return int(
                connection.execute(select(func.count()).select_from(history_events)).scalar_one()
            )


def _order(event: ListEvent) -> tuple[object, ...]:
    """Events in the order they took effect; on one day, in the order they became known."""
    return (event.effective_or_recorded, event.recorded_at, event.event_id)
