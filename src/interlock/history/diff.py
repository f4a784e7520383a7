"""Field-level differences between two versions of one entry, and between two snapshots."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from interlock.history.identity import Pair, Pairing
from interlock.history.model import FieldChange
from interlock.model import ListEntry

# What a compliance officer reads as a change of the listing; formatting-only noise (the CSL's
# opaque ids, source URLs) is left out.
COMPARED_FIELDS: dict[str, Callable[[ListEntry], Any]] = {
    "name": lambda e: e.name,
    "schema": lambda e: e.schema_.value,
    "aliases": lambda e: sorted(a.name for a in e.aliases),
    "addresses": lambda e: sorted(a.full for a in e.addresses),
    "countries": lambda e: sorted(e.countries),
    "lists": lambda e: sorted(e.lists),
    "programs": lambda e: sorted(e.programs),
    "license_requirement": lambda e: e.license_requirement,
    "license_policy": lambda e: e.license_policy,
    "citations": lambda e: [c.raw for c in e.citations],
    "identifiers": lambda e: sorted(f"{i.type}:{i.value}" for i in e.identifiers),
    "dates_of_birth": lambda e: sorted(d.value for d in e.dates_of_birth),
    "places_of_birth": lambda e: sorted(e.places_of_birth),
    "nationalities": lambda e: sorted(e.nationalities),
    "vessel": lambda e: e.vessel.model_dump(exclude_none=True) if e.vessel else None,
    "title": lambda e: e.title,
    "start_date": lambda e: e.start_date,
    "end_date": lambda e: e.end_date,
    "remarks": lambda e: e.remarks,
}


def entry_changes(old: ListEntry, new: ListEntry) -> list[FieldChange]:
    changes = []
    for field, read in COMPARED_FIELDS.items():
        before, after = read(old), read(new)
        if before != after:
            changes.append(FieldChange(field=field, before=before, after=after))
    return changes


class ChangedEntry(BaseModel):
    identity: str
    name: str
    lists: list[str]
    method: str
    score: float
    explanation: str
    changes: list[FieldChange]


class SideEntry(BaseModel):
    identity: str
    entity_id: str
    name: str
    lists: list[str]


class SnapshotDiff(BaseModel):
    source: str
    from_snapshot: int
    to_snapshot: int
    to_is_subset: bool  # absence from a partial file is not a removal
    matched: int
    added: list[SideEntry]
    removed: list[SideEntry]
    changed: list[ChangedEntry]
    pairing_methods: dict[str, int]


def _side(identity: str, entry: ListEntry) -> SideEntry:
    return SideEntry(
        identity=identity, entity_id=entry.entity_id, name=entry.name, lists=entry.lists
    )


def _changed(pair: Pair) -> ChangedEntry | None:
    changes = entry_changes(pair.old, pair.new)
    if not changes:
        return None
    return ChangedEntry(
        identity=pair.identity,
        name=pair.new.name,
        lists=pair.new.lists,
        method=pair.method,
        score=pair.score,
        explanation=pair.explanation,
        changes=changes,
    )


def snapshot_diff(
    source: str, from_id: int, to_id: int, pairing: Pairing, to_is_subset: bool
) -> SnapshotDiff:
    methods: dict[str, int] = {}
    for pair in pairing.pairs:
        methods[pair.method] = methods.get(pair.method, 0) + 1
    return SnapshotDiff(
        source=source,
        from_snapshot=from_id,
        to_snapshot=to_id,
        to_is_subset=to_is_subset,
        matched=len(pairing.pairs),
        added=[_side(k, e) for k, e in pairing.added.items()],
        removed=[_side(k, e) for k, e in pairing.removed.items()],
        changed=[c for c in (_changed(p) for p in pairing.pairs) if c is not None],
        pairing_methods=methods,
    )
