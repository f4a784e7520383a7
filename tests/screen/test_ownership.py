"""Ownership edges: read from CSV, aggregated across owners, cascaded through layers, cycles ended."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from interlock.config import Settings
from interlock.core import Interlock
from interlock.ownership.ftm import read_ftm_ownership
from interlock.ownership.graph import (
    OwnershipEdge,
    OwnershipError,
    OwnershipGraph,
    read_ownership_csv,
)
from interlock.ownership.store import edges_from_entries
from interlock.screen.order import parse_order
from interlock.sources.registry import get_format
from interlock.store.bundled import bundled_snapshots
from tests.conftest import FIXTURES


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


def test_the_lists_own_statements_become_edges_of_unknown_share() -> None:
    (csl,) = [b for b in bundled_snapshots() if b.description.source == "us_csl"]
    fmt = get_format(csl.description.format)
    entries = [e for record in fmt.read(csl.raw) for e in fmt.map(record)]
    edges = edges_from_entries(entries)
    academy = "China Aerospace Science and Industry Corporation Second Academy"
    assert any(e.owner == academy and e.owned == "201 Research Institute" for e in edges)
    assert all(e.share is None and e.source.startswith("list entry us_csl:") for e in edges)


def test_ftm_ownership_entities(tmp_path: Path) -> None:
    path = tmp_path / "entities.ftm.json"
    lines = [
        {"id": "o1", "schema": "Company", "properties": {"name": ["Parent Holding"]}},
        {"id": "a1", "schema": "Company", "properties": {"name": ["Daughter Trading"]}},
        {"id": "own1", "schema": "Ownership",
         "properties": {"owner": ["o1"], "asset": ["a1"], "percentage": ["60"], "startDate": ["2024-01-01"]}},
        {"id": "own2", "schema": "Ownership", "properties": {"owner": ["o1"], "asset": ["a1"], "percentage": ["majority"]}},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    edges = read_ftm_ownership(path)
    assert [(e.owner, e.owned, e.share, str(e.as_of)) for e in edges] == [
        ("Parent Holding", "Daughter Trading", 0.6, "2024-01-01"),
        ("Parent Holding", "Daughter Trading", None, "None"),
    ]
    path.write_text(
        json.dumps({"id": "x", "schema": "Ownership", "properties": {"owner": ["nobody"]}}),
        encoding="utf-8",
    )
    with pytest.raises(OwnershipError, match="does not hold"):
        read_ftm_ownership(path)


def test_stored_ownership_is_explained_through_the_affiliates_rule(settings: Settings) -> None:
    app = Interlock(settings)
    app.load_files(
        "csl_csv", [FIXTURES / "csl" / "csl_2022-04_cut.csv"], data_date=date(2022, 4, 28)
    )
    app.import_ownership(
        "registry.csv",
        [
            OwnershipEdge(
                owner="CloudWalk Technology", owned="Chongqing Sample Vision Co", share=0.6
            )
        ],
    )
    during = app.explain_ownership("Chongqing Sample Vision Co", date(2025, 10, 15))
    assert during.decision == "LICENCE_REQUIRED"
    assert "CloudWalk Technology" in during.listed_owners
    assert during.paths == [
        "us-bis-affiliates-rule: Chongqing Sample Vision Co is owned 60% by CloudWalk Technology (restricted)"
    ]
    suspended = app.explain_ownership("Chongqing Sample Vision Co", date(2025, 12, 1))
    assert suspended.decision == "CLEAR"
    assert any("us-bis-affiliates-rule does not apply" in note for note in suspended.notes)
    order = parse_order(
        {"id": "PO-O", "date": "2026-11-10", "parties": [{"role": "buyer", "name": "Chongqing Sample Vision Co"}],
         "route": {"origin": "US", "destination": "CN"}}
    )  # fmt: skip
    assert app.screen_order(order).decision == "LICENCE_REQUIRED"  # the stored edge, no file given
