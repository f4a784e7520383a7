"""Ownership edges from FollowTheMoney entities: `Ownership` (owner → asset, percentage, dates),
with owner and asset names taken from the same file's entities."""

from __future__ import annotations

import json
from pathlib import Path

from interlock.ownership.graph import OwnershipEdge, OwnershipError


def _first(properties: dict[str, list[str]], key: str) -> str | None:
    values = properties.get(key) or []
    return values[0] if values else None


def _share(raw: str | None) -> float | None:
    if raw is None or not raw.strip():
        return None
    text = raw.strip().rstrip("%").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None  # 'majority', '>50': not a number, the share stays unknown
    return value / 100 if value > 1 else value


def read_ftm_ownership(path: Path) -> list[OwnershipEdge]:
    """Every Ownership entity of an FtM JSON-lines file whose owner and asset the file names."""
    if not path.is_file():
        raise OwnershipError(f"{path}: no such file")
    names: dict[str, str] = {}
    ownerships: list[tuple[int, dict[str, object]]] = []
    with path.open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                entity = json.loads(line)
            except json.JSONDecodeError as exc:
                raise OwnershipError(f"{path}: line {line_number}: not JSON: {exc}") from exc
            if not isinstance(entity, dict) or "id" not in entity:
                raise OwnershipError(f"{path}: line {line_number}: not an FtM entity")
            properties = entity.get("properties") or {}
            if entity.get("schema") == "Ownership":
                ownerships.append((line_number, entity))
            elif name := _first(properties, "name"):
                names[str(entity["id"])] = name
    edges = []
    for line_number, entity in ownerships:
        properties = entity.get("properties") or {}
        assert isinstance(properties, dict)
        owner, asset = _first(properties, "owner"), _first(properties, "asset")
        if owner not in names or asset not in names:
            raise OwnershipError(
                f"{path}: line {line_number}: Ownership {entity['id']} names an owner or asset "
                "the file does not hold"
            )
        edges.append(
            OwnershipEdge(
                owner=names[owner],
                owned=names[asset],
                share=_share(_first(properties, "percentage")),
                source=f"ftm {entity['id']}",
                as_of=(_first(properties, "startDate") or "")[:10] or None,
            )
        )
    return edges
