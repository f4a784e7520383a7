"""Ownership edges: read from CSV, aggregated across owners, cascaded through layers, cycles ended."""

from __future__ import annotations

from pathlib import Path

import pytest

from interlock.ownership.graph import (
    OwnershipEdge,
    OwnershipError,
    OwnershipGraph,
    read_ownership_csv,
)


def test_aggregation_cascade_and_cycles() -> None:
    graph = OwnershipGraph(
        [
            OwnershipEdge(owner="S1", owned="X", share=0.3),
            OwnershipEdge(owner="S2", owned="X", share=0.2),
            OwnershipEdge(owner="X", owned="Y", share=0.5),
            OwnershipEdge(owner="Y", owned="X", share=0.4),  # a cycle back to X
            OwnershipEdge(owner="S1", owned="Z", share=0.49),
            OwnershipEdge(owner="S2", owned="W", share=None),
        ]
    )
    findings = graph.caught_by({"S1": True, "S2": True})
    assert sorted(c.entity for c in findings.caught.values()) == ["X", "Y"]
    assert findings.caught_key("x") is not None and findings.caught_key("Z") is None
    assert findings.restricted_owners("Y") == ["S1", "S2"]
    assert [h.owner for h in findings.unknown_for("W")] == ["S2"]
    assert findings.path("Y")[0] == "Y is owned 50% by X (itself caught)"


def test_read_ownership_csv(tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    path.write_text(
        "owner,owned,percentage,source,as_of\nA,B,50%,registry extract,2025-01-01\nA,C,,,\n",
        encoding="utf-8",
    )
    edges = read_ownership_csv(path)
    assert [(e.owner, e.owned, e.share) for e in edges] == [("A", "B", 0.5), ("A", "C", None)]
    path.write_text("owner,owned,percentage\nA,B,150\n", encoding="utf-8")
    with pytest.raises(OwnershipError, match="line 2: share"):
        read_ownership_csv(path)
    path.write_text("owner,owned,percentage\nA,B,half\n", encoding="utf-8")
    with pytest.raises(OwnershipError, match="line 2: percentage 'half'"):
        read_ownership_csv(path)
    path.write_text("owner,percentage\nA,5\n", encoding="utf-8")
    with pytest.raises(OwnershipError, match="missing columns owned"):
        read_ownership_csv(path)
