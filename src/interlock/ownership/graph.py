"""Ownership edges and who is caught by an ownership rule.

The OFAC 50 Percent Rule and the BIS Affiliates Rule reach an entity owned 50 % or more, directly or
indirectly, individually or in aggregate, by restricted parties: restricted owners' shares are added
across owners, and an entity caught that way counts as restricted when it owns in turn (A owns 50 %
of B, B owns 50 % of C: C is caught, though A's share of C multiplied out is 25 %). Cycles end
because an entity is caught once. The multiplied-out indirect share is kept for the explanation.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, field_validator

THRESHOLD = 0.5


class OwnershipError(ValueError):
    pass


class OwnershipEdge(BaseModel):
    owner: str = Field(min_length=1)
    owned: str = Field(min_length=1)
    share: float | None = Field(default=None, ge=0, le=1, description="None: percentage unknown")
    source: str = ""
    as_of: date | None = None

    @field_validator("owner", "owned")
    @classmethod
    def _stripped(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a name is needed")
        return value.strip()


@dataclass(frozen=True, slots=True)
class Holding:
    owner: str
    share: float | None
    source: str


@dataclass
class Caught:
    """Why an entity is caught: the restricted owners and their shares, and the owners' own
    reasons (the path, owner by owner)."""

    entity: str
    share: float  # restricted owners' aggregate direct share
    owners: list[Holding] = field(default_factory=list)


@dataclass
class OwnershipFindings:
    caught: dict[str, Caught]  # entity -> why
    unknown: dict[str, list[Holding]]  # entity -> restricted owners whose share is unknown

    def caught_key(self, entity: str) -> Caught | None:
        return self.caught.get(_key(entity))

    def unknown_for(self, entity: str) -> list[Holding]:
        return self.unknown.get(_key(entity), [])

    def restricted_owners(self, entity: str) -> list[str]:
        """The restricted owners at the top of the chains that catch the entity."""
        found: list[str] = []
        stack, seen = [_key(entity)], set()
        while stack:
            key = stack.pop()
            reason = self.caught.get(key)
            if reason is None or key in seen:
                continue
            seen.add(key)
            for holding in reason.owners:
                if _key(holding.owner) in self.caught:
                    stack.append(_key(holding.owner))
                elif holding.owner not in found:
                    found.append(holding.owner)
        return found

    def path(self, entity: str) -> list[str]:
        """'C ← B 50 % ← A 50 % (listed)': how an entity came to be caught, depth first."""
        lines: list[str] = []
        self._walk(entity, 0, lines, set())
        return lines

    def _walk(self, entity: str, depth: int, lines: list[str], seen: set[str]) -> None:
        key = _key(entity)
        reason = self.caught.get(key)
        if reason is None or key in seen:
            return
        seen.add(key)
        for holding in reason.owners:
            caught = _key(holding.owner) in self.caught
            share = f"{holding.share:.0%}" if holding.share is not None else "unknown %"
            lines.append(
                f"{'  ' * depth}{reason.entity} is owned {share} by {holding.owner}"
                + (" (itself caught)" if caught else " (restricted)")
                + (f" [{holding.source}]" if holding.source else "")
            )
            self._walk(holding.owner, depth + 1, lines, seen)


class OwnershipGraph:
    def __init__(self, edges: Iterable[OwnershipEdge] = ()) -> None:
        self.owners_of: dict[str, list[Holding]] = {}
        self.owned_by: dict[str, list[str]] = {}
        self._owner_names: set[str] = set()
        self._edges_into: dict[str, list[OwnershipEdge]] = {}
        self.edges: list[OwnershipEdge] = []
        for edge in edges:
            self.owners_of.setdefault(_key(edge.owned), []).append(
                Holding(edge.owner, edge.share, edge.source)
            )
            self.owned_by.setdefault(_key(edge.owner), []).append(edge.owned)
            self._owner_names.add(edge.owner)
            self._edges_into.setdefault(_key(edge.owned), []).append(edge)
            self.edges.append(edge)

    def owner_names(self) -> set[str]:
        return set(self._owner_names)

    def above(self, names: Iterable[str]) -> OwnershipGraph:
        """The edges reachable upward from these entities: their owners, their owners' owners."""
        kept: list[OwnershipEdge] = []
        seen: set[str] = set()
        stack = [_key(n) for n in names]
        while stack:
            key = stack.pop()
            if key in seen:
                continue
            seen.add(key)
            for edge in self._edges_into.get(key, []):
                kept.append(edge)
                stack.append(_key(edge.owner))
        return OwnershipGraph(kept)

    def caught_by(self, restricted: Mapping[str, object]) -> OwnershipFindings:
        """Every entity 50 % or more owned by `restricted` parties (keys: names as the edges write
        them) or by entities so caught; and those with a restricted owner of unknown share."""
        restricted_keys = {_key(name) for name in restricted}
        caught: dict[str, Caught] = {}
        unknown: dict[str, list[Holding]] = {}
        frontier = list(restricted_keys)
        while frontier:
            owner = frontier.pop()
            for owned in self.owned_by.get(owner, []):
                key = _key(owned)
                if key in restricted_keys or key in caught:
                    continue
                holdings = self.owners_of.get(key, [])
                counted = [
                    h
                    for h in holdings
                    if _key(h.owner) in restricted_keys or _key(h.owner) in caught
                ]
                total = sum(h.share for h in counted if h.share is not None)
                if total >= THRESHOLD - 1e-9:
                    caught[key] = Caught(owned, total, counted)
                    frontier.append(key)
                elif any(h.share is None for h in counted):
                    unknown[key] = [h for h in counted if h.share is None]
        for key in list(unknown):
            if key in caught:
                del unknown[key]
        return OwnershipFindings(caught, unknown)


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def read_ownership_csv(path: Path) -> list[OwnershipEdge]:
    """Columns owner, owned, percentage (0–100, empty when unknown), source, as_of."""
    if not path.is_file():
        raise OwnershipError(f"{path}: no such file")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"owner", "owned", "percentage"} - set(reader.fieldnames or [])
        if missing:
            raise OwnershipError(f"{path}: missing columns {', '.join(sorted(missing))}")
        edges = []
        for line, row in enumerate(reader, start=2):
            raw = (row.get("percentage") or "").strip().rstrip("%")
            try:
                share = None if not raw or raw.lower() == "unknown" else float(raw) / 100
                edges.append(
                    OwnershipEdge(
                        owner=row.get("owner") or "",
                        owned=row.get("owned") or "",
                        share=share,
                        source=(row.get("source") or "").strip(),
                        as_of=(row.get("as_of") or "").strip() or None,
                    )
                )
            except (ValueError, ValidationError) as exc:
                first = exc.errors()[0] if isinstance(exc, ValidationError) else None
                reason = (
                    f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
                    if first
                    else f"percentage {raw!r} is not a number"
                )
                raise OwnershipError(f"{path}: line {line}: {reason}") from exc
    return edges
