"""Alerts and the memory of false positives, on real rows: an Entity List company of the CSL cut
and a Cuba-program SDN of the OFAC cut."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from interlock.config import Settings
from interlock.core import Interlock
from interlock.review.alerts import AlertError
from interlock.screen.order import Order, parse_order
from tests.conftest import FIXTURES

CSL = FIXTURES / "csl" / "csl_2022-04_cut.csv"
CLOUDWALK = "CloudWalk Technology"


def _order(name: str, on: str = "2024-06-01") -> Order:
    return parse_order(
        {"id": "PO-R", "date": on, "parties": [{"role": "end_user", "name": name, "country": "CN"}],
         "route": {"origin": "US", "destination": "CN"}}
    )  # fmt: skip


@pytest.fixture
def app(settings: Settings) -> Interlock:
    interlock = Interlock(settings)
    interlock.load_files("csl_csv", [CSL], data_date=date(2022, 4, 28))
    interlock.load_files(
        "ofac_sdn_csv",
        [FIXTURES / "ofac_csv" / "sdn_2024-05-03_cut.csv"],
        data_date=date(2024, 5, 3),
    )
    return interlock


def _changed_csl(folder: Path) -> Path:
    """The CSL cut with one more alias on CloudWalk's entry: the entry changed."""
    with CSL.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        columns = reader.fieldnames or []
    for row in rows:
        if row["name"] == CLOUDWALK:
            row["alt_names"] = "; ".join(filter(None, [row["alt_names"], "CloudWalk Tech Group"]))
    path = folder / "csl_changed.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_false_positive_suppresses_the_same_hit_until_the_entry_changes(
    app: Interlock, tmp_path: Path
) -> None:
    first = app.screen_order(_order(CLOUDWALK))
    assert first.decision == "LICENCE_REQUIRED"
    (hit,) = first.parties[0].hits
    assert hit.alert_id is not None
    again = app.screen_order(_order(CLOUDWALK))
    assert again.parties[0].hits[0].alert_id == hit.alert_id  # one alert per hit under review
    app.assign_alert(hit.alert_id, "alice")
    closed = app.decide_alert(hit.alert_id, "false_positive", "alice", "another CloudWalk")
    assert closed.state == "false_positive"  # not block-level: one reviewer closes it

    suppressed = app.screen_order(_order(CLOUDWALK))
    assert suppressed.decision == "CLEAR"
    assert suppressed.parties[0].hits[0].suppressed_by == hit.alert_id
    assert "false positive" in suppressed.parties[0].notes[0]
    other_party = app.screen_order(_order("CloudWalk Technology Co"))
    assert other_party.decision == "LICENCE_REQUIRED"  # another party as written: not covered

    app.load_files("csl_csv", [_changed_csl(tmp_path)], data_date=date(2024, 7, 1))
    changed = app.screen_order(_order(CLOUDWALK, on="2024-07-02"))
    assert changed.decision == "LICENCE_REQUIRED"
    renewed = changed.parties[0].hits[0]
    assert renewed.suppressed_by is None and renewed.alert_id not in (None, hit.alert_id)


def test_block_level_alerts_need_a_second_reviewer(app: Interlock) -> None:
    decision = app.screen_order(_order("BANCO NACIONAL DE CUBA"))
    assert decision.decision == "BLOCK"
    alert_id = decision.parties[0].hits[0].alert_id
    assert alert_id is not None and app.alerts.get(alert_id).block_level
    with pytest.raises(AlertError, match="assign it for review first"):
        app.decide_alert(alert_id, "confirmed", "alice")
    app.assign_alert(alert_id, "alice")
    proposed = app.decide_alert(alert_id, "false_positive", "alice")
    assert proposed.state == "in_review" and proposed.proposed == "false_positive"
    with pytest.raises(AlertError, match="four eyes"):
        app.decide_alert(alert_id, "false_positive", "alice")
    with pytest.raises(AlertError, match="escalates instead"):
        app.decide_alert(alert_id, "confirmed", "bob")
    closed = app.decide_alert(alert_id, "false_positive", "bob", "checked the registry")
    assert closed.state == "false_positive"
    assert [step.actor for step in closed.history][-2:] == ["alice", "bob"]
    actions = [r.action for r in app.audit.records(action="alert")]
    assert len(actions) == 3 and app.verify_audit().ok


def test_escalation_and_reassignment(app: Interlock) -> None:
    alert_id = app.screen_order(_order(CLOUDWALK)).parties[0].hits[0].alert_id
    assert alert_id is not None
    app.assign_alert(alert_id, "alice")
    assert app.decide_alert(alert_id, "escalated", "alice", "needs legal").state == "escalated"
    assert app.assign_alert(alert_id, "carol").assignee == "carol"
    assert app.decide_alert(alert_id, "confirmed", "carol").state == "confirmed"
    with pytest.raises(AlertError, match="cannot be assigned"):
        app.assign_alert(alert_id, "dave")
    with pytest.raises(AlertError, match="no alert 999"):
        app.alerts.get(999)
