"""Ownership edges kept in the database, and those the lists themselves state."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Engine, delete, insert, select

from interlock.model import ListEntry
from interlock.ownership.graph import OwnershipEdge
from interlock.store.schema import ownership_edges
from interlock.store.tenancy import current_org

# relation kinds a list states that put the related party above the entry, or below it
ABOVE = frozenset({"parent", "subordinate-of", "affiliate-of"})
BELOW = frozenset({"subsidiary"})


class OwnershipStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def replace(self, origin: str, edges: Sequence[OwnershipEdge]) -> None:
        """The organisation's edges of one origin (a file's name, 'ftm:…') become these, in one transaction."""
        org = current_org()
        with self.engine.begin() as connection:
            connection.execute(
                delete(ownership_edges).where(
                    ownership_edges.c.org_id == org, ownership_edges.c.origin == origin
                )
            )
            if edges:
                connection.execute(
                    insert(ownership_edges),
                    [
                        {"org_id": org, "origin": origin, "data": e.model_dump(mode="json")}
                        for e in edges
                    ],
                )

    def edges(self) -> list[OwnershipEdge]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(ownership_edges.c.data)
                .where(ownership_edges.c.org_id == current_org())
                .order_by(ownership_edges.c.id)
            )
            return [OwnershipEdge.model_validate(row.data) for row in rows]


def edges_from_entries(entries: Iterable[ListEntry]) -> list[OwnershipEdge]:
    """A listed entry's stated parent, superior body or group ('Affiliated Entity:', 'Subordinate
    Institution of …', UK 'Parent company') as its owner, and its stated subsidiaries as owned,
    share unknown: what the list itself says of ownership."""
    edges = []
    for entry in entries:
        for relation in entry.relations:
            if not relation.name.strip() or relation.kind not in ABOVE | BELOW:
                continue
            above = relation.kind in ABOVE
            edges.append(
                OwnershipEdge(
                    owner=relation.name if above else entry.name,
                    owned=entry.name if above else relation.name,
                    share=None,
                    source=f"list entry {entry.entity_id}: {relation.kind}",
                )
            )
    return edges
