"""History over the store: derived events, point-in-time status, timelines, diffs, freshness."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel, Field

from interlock.history.derive import observed_on, snapshot_events
from interlock.history.diff import SnapshotDiff, snapshot_diff
from interlock.history.federal_register import document_events, end_pages, link_documents
from interlock.history.identity import assign_identities, pair_snapshots
from interlock.history.model import Action, ListEvent, Origin
from interlock.history.status import PointInTime, point_in_time
from interlock.model import Coverage, ListEntry, Snapshot, SnapshotStatus
from interlock.sources.base import SourceError
from interlock.sources.registry import get_format
from interlock.store.db import StoreError
from interlock.store.history import EventStore
from interlock.store.snapshots import SnapshotStore

DOCUMENT_SOURCES = frozenset({"us_fr"})


class Evidence(BaseModel):
    source: str
    origin: Origin
    snapshot_id: int | None = None
    snapshot_sha256: str | None = None
    retrieved_at: str | None = None
    data_date: date | None = None
    version: str | None = None
    source_url: str | None = None


class Freshness(BaseModel):
    source: str
    data_date: date | None
    covers_as_of: bool
    note: str | None = None


class Status(PointInTime):
    entity_id: str | None = None
    as_of: date
    known_at: date
    evidence: list[Evidence] = Field(default_factory=list)
    freshness: dict[str, Freshness] = Field(default_factory=dict)
    # the snapshots that hold the entry (filled for a timeline)
    appearances: list[Evidence] = Field(default_factory=list)


class History:
    def __init__(
        self,
        snapshots: SnapshotStore,
        events: EventStore,
        extra_events: Iterable[ListEvent] = (),
    ) -> None:
        self.snapshots = snapshots
        self.events = events
        # events kept as data in the package (curated); read with every query, never copied
        self.extra_events = list(extra_events)

    def rebuild(self, source: str) -> int:
        """Re-derive a source's events from all its accepted snapshots (order-independent)."""
        if source in DOCUMENT_SOURCES:
            return self._rebuild_documents(source)
        series = [
            (snapshot, list(self.snapshots.entries([snapshot.id])))
            for snapshot in self.snapshots.snapshots(source)
            if snapshot.status == SnapshotStatus.ACCEPTED and snapshot.id is not None
        ]
        return self.events.replace(source, Origin.SNAPSHOT, snapshot_events(series))

    def _rebuild_documents(self, source: str) -> int:
        """Federal Register documents as events; a document an entry cites joins its timeline."""
        current = self.snapshots.current_snapshots()
        held = current.get(source)
        if held is None or held.id is None:
            return self.events.replace(source, Origin.FEDERAL_REGISTER, [])
        documents = list(self.snapshots.documents([held.id]))
        events = document_events(documents)
        entries = assign_identities(
            self.snapshots.entries([s.id for k, s in current.items() if k != source and s.id])
        )
        by_id = {event.event_id: event for event in events}
        linked = [
            by_id[link.event_id].model_copy(
                update={
                    "event_id": f"{link.event_id}>"
                    + hashlib.sha256(link.identity.encode()).hexdigest()[:24],
                    "identity": link.identity,
                    # a rule names many parties: for one entry it is a cited source, not a
                    # change of status that can be told apart from the others
                    "action": Action.OTHER,
                    "notes": [*by_id[link.event_id].notes, link.reason],
                }
            )
            for link in link_documents(events, entries, end_pages(documents))
        ]
        return self.events.replace(source, Origin.FEDERAL_REGISTER, [*events, *linked])

    def events_for(self, identities: list[str]) -> dict[str, list[ListEvent]]:
        found: dict[str, list[ListEvent]] = {identity: [] for identity in identities}
        for event in self.events.for_identities(identities):
            found[event.identity].append(event)
        for event in self.extra_events:
            if event.identity in found:
                found[event.identity].append(event)
        return found

    def status(
        self,
        identity: str,
        as_of: date,
        known_at: date,
        entity_id: str | None = None,
        events: list[ListEvent] | None = None,
    ) -> Status:
        """The point-in-time answer with its evidence; `events` when the caller has read them."""
        if events is None:
            events = self.events_for([identity])[identity]
        if not events:
            raise StoreError(f"no history for {identity!r}")
        answer = point_in_time(identity, events, as_of, known_at)
        snapshots = self.snapshots.snapshots()
        return Status(
            **answer.model_dump(by_alias=True),
            entity_id=entity_id,
            as_of=as_of,
            known_at=known_at,
            evidence=self._evidence(events, known_at, snapshots),
            freshness=self.freshness(as_of, {e.source for e in events}),
        )

    def appearances(self, identity: str) -> list[Evidence]:
        """The snapshots an entry stands in: every full snapshot of its source from the one that
        first showed it until the one that no longer did, and any partial one that showed it."""
        events = [e for e in self.events_for([identity])[identity] if e.origin == Origin.SNAPSHOT]
        if not events:
            return []
        shown = {e.snapshot_id for e in events if e.action != Action.REMOVE}
        first = min(e.recorded_at for e in events if e.action != Action.REMOVE)
        gone = min((e.recorded_at for e in events if e.action == Action.REMOVE), default=None)
        found = []
        for snapshot in sorted(self.snapshots.snapshots(events[0].source), key=observed_on):
            seen = observed_on(snapshot)
            inside = seen >= first and (gone is None or seen < gone)
            full = snapshot.coverage == Coverage.FULL and snapshot.status == SnapshotStatus.ACCEPTED
            if snapshot.id in shown or (inside and full):
                found.append(
                    Evidence(
                        source=snapshot.source,
                        origin=Origin.SNAPSHOT,
                        snapshot_id=snapshot.id,
                        snapshot_sha256=snapshot.sha256,
                        retrieved_at=snapshot.retrieved_at.isoformat(),
                        data_date=snapshot.data_date,
                    )
                )
        return found

    def _evidence(
        self, events: list[ListEvent], known_at: date, stored: list[Snapshot]
    ) -> list[Evidence]:
        snapshots = {s.id: s for s in stored}
        evidence: dict[tuple[object, ...], Evidence] = {}
        for event in events:
            if event.recorded_at > known_at:
                continue
            snapshot = snapshots.get(event.snapshot_id) if event.snapshot_id else None
            key = (
                event.origin,
                event.snapshot_id,
                event.version if snapshot is None else None,
                event.source_url,
            )
            evidence[key] = Evidence(
                source=event.source,
                origin=event.origin,
                snapshot_id=snapshot.id if snapshot else None,
                snapshot_sha256=snapshot.sha256 if snapshot else None,
                retrieved_at=snapshot.retrieved_at.isoformat() if snapshot else None,
                data_date=snapshot.data_date if snapshot else None,
                version=None if snapshot else event.version,
                source_url=event.source_url,
            )
        return list(evidence.values())

    def freshness(self, as_of: date, sources: set[str] | None = None) -> dict[str, Freshness]:
        result = {}
        for source, snapshot in sorted(self.snapshots.current_snapshots().items()):
            if sources is not None and source not in sources:
                continue
            newest = observed_on(snapshot)
            covers = newest >= as_of
            result[source] = Freshness(
                source=source,
                data_date=newest,
                covers_as_of=covers,
                note=None
                if covers
                else (
                    f"{source} data as of {newest}: changes between then and {as_of} are not known"
                ),
            )
        return result

    def diff(self, source: str, from_ref: str, to_ref: str) -> SnapshotDiff:
        old, new = self.resolve_snapshot(source, from_ref), self.resolve_snapshot(source, to_ref)
        assert old.id is not None and new.id is not None
        pairing = pair_snapshots(
            assign_identities(self.snapshots.entries([old.id])),
            assign_identities(self.snapshots.entries([new.id])),
        )
        return snapshot_diff(source, old.id, new.id, pairing, new.coverage == Coverage.SUBSET)

    def resolve_snapshot(self, source: str, reference: str) -> Snapshot:
        """A snapshot of `source` by id or by data date (YYYY-MM-DD)."""
        snapshots = self.snapshots.snapshots(source)
        if not snapshots:
            raise StoreError(f"no snapshots of source {source!r}")
        if reference.isdigit():
            found = [s for s in snapshots if s.id == int(reference)]
        else:
            try:
                wanted = date.fromisoformat(reference)
            except ValueError:
                raise StoreError(
                    f"version {reference!r} is neither a snapshot id nor a date (YYYY-MM-DD)"
                ) from None
            found = [s for s in snapshots if observed_on(s) == wanted]
        if not found:
            known = ", ".join(f"{s.id} ({observed_on(s)})" for s in snapshots)
            raise StoreError(f"no snapshot {reference!r} of {source}; known: {known}")
        return found[-1]

    def historical_entries(self, exclude: set[str]) -> dict[str, ListEntry]:
        """The last known content of identities no current snapshot holds (delisted parties)."""
        latest: dict[str, ListEvent] = {}
        for event in self.events.events():
            if event.identity in exclude or event.action == Action.REMOVE:
                continue
            if not (event.entry or event.entity_id):
                continue
            held = latest.get(event.identity)
            if held is None or event.recorded_at >= held.recorded_at:
                latest[event.identity] = event
        filled = self.events.fill(list(latest.values()))
        return {event.identity: event.entry for event in filled if event.entry is not None}


def _title(snapshot: Snapshot) -> str:
    try:
        return f"{get_format(snapshot.format).spec.title} ({snapshot.source})"
    except SourceError:
        return snapshot.source
