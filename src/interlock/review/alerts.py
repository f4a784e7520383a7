"""Alerts on potential matches, reviewed with four eyes where a hit would block, and the memory of
false positives: a false-positive decision suppresses the identical hit (same party fingerprint,
list entry and entry version) until the entry changes or another entry hits."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine, insert, select, update

from interlock.screen.contract import OrderDecision
from interlock.store.schema import alerts, false_positives
from interlock.store.tenancy import current_org

State = Literal["open", "in_review", "confirmed", "false_positive", "escalated"]
Outcome = Literal["confirmed", "false_positive", "escalated"]
FINAL: frozenset[str] = frozenset({"confirmed", "false_positive"})
ASSIGNABLE: frozenset[str] = frozenset({"open", "escalated", "in_review"})


class AlertError(ValueError):
    pass


class AlertNotFound(AlertError):
    pass


class AlertAction(BaseModel):
    at: datetime
    actor: str
    action: str
    state: State
    note: str = ""


class NewHit(BaseModel):
    """A potential match of a party on a list entry, as it opens an alert."""

    fingerprint: str
    entity_id: str
    entry_version: str
    party: dict[str, object]
    order_id: str | None
    lists: list[str]
    score: float
    matched_name: str
    block_level: bool = Field(description="a confirmed hit would block: four eyes to close it")


class Alert(NewHit):
    id: int
    created_at: datetime
    state: State
    assignee: str | None = None
    proposed: Outcome | None = Field(None, description="the first reviewer's closing decision")
    proposed_by: str | None = None
    overdue_since: datetime | None = Field(
        None, description="when the alert passed its review deadline without a decision"
    )
    history: list[AlertAction] = []


class AlertStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def suppressed_by(self, fingerprint: str, entity_id: str, entry_version: str) -> int | None:
        """The alert whose false-positive decision covers exactly this hit, if any."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(false_positives.c.alert_id).where(
                    false_positives.c.org_id == current_org(),
                    false_positives.c.fingerprint == fingerprint,
                    false_positives.c.entity_id == entity_id,
                    false_positives.c.entry_version == entry_version,
                )
            ).first()
        return int(row.alert_id) if row else None

    def open(self, hit: NewHit, actor: str) -> Alert:
        """An alert for the hit: the one still under review for the same hit, else a new one."""
        now = datetime.now(UTC)
        org = current_org()
        with self.engine.begin() as connection:
            existing = connection.execute(
                select(alerts.c.data).where(
                    alerts.c.org_id == org,
                    alerts.c.fingerprint == hit.fingerprint,
                    alerts.c.entity_id == hit.entity_id,
                    alerts.c.entry_version == hit.entry_version,
                    alerts.c.state.not_in(FINAL),
                )
            ).first()
            if existing:
                return Alert.model_validate(existing.data)
            created = Alert(
                id=0,
                created_at=now,
                state="open",
                history=[AlertAction(at=now, actor=actor, action="opened", state="open")],
                **hit.model_dump(),
            )
            key = connection.execute(
                insert(alerts).values(
                    org_id=org,
                    created_at=now,
                    fingerprint=hit.fingerprint,
                    entity_id=hit.entity_id,
                    entry_version=hit.entry_version,
                    state="open",
                    data={},
                )
            ).inserted_primary_key
            assert key is not None  # an insert with an autoincrement key returns it
            alert = created.model_copy(update={"id": int(key[0])})
            self._write(connection, alert)
        return alert

    def get(self, alert_id: int) -> Alert:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(alerts.c.data).where(
                    alerts.c.id == alert_id, alerts.c.org_id == current_org()
                )
            ).first()
        if row is None:
            raise AlertNotFound(f"no alert {alert_id}")
        return Alert.model_validate(row.data)

    def flag_overdue(self, opened_before: datetime, actor: str) -> list[Alert]:
        """Alerts opened before the cut-off and still undecided get flagged overdue, once."""
        now = datetime.now(UTC)
        query = select(alerts.c.data).where(
            alerts.c.org_id == current_org(),
            alerts.c.state.not_in(FINAL),
            alerts.c.created_at < opened_before,
        )
        flagged = []
        with self.engine.begin() as connection:
            for row in connection.execute(query).all():
                alert = Alert.model_validate(row.data)
                if alert.overdue_since is not None:
                    continue
                step = AlertAction(
                    at=now, actor=actor, action="review deadline passed", state=alert.state
                )
                changed = alert.model_copy(
                    update={"overdue_since": now, "history": [*alert.history, step]}
                )
                self._write(connection, changed)
                flagged.append(changed)
        return flagged

    def list(
        self, state: str | None = None, after: int = 0, limit: int | None = None
    ) -> list[Alert]:
        """Alerts in id order: those after id `after`, at most `limit` (a cursor's page)."""
        query = (
            select(alerts.c.data)
            .where(alerts.c.org_id == current_org(), alerts.c.id > after)
            .order_by(alerts.c.id)
        )
        if state:
            query = query.where(alerts.c.state == state)
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as connection:
            return [Alert.model_validate(row.data) for row in connection.execute(query)]

    def assign(self, alert_id: int, reviewer: str, actor: str) -> Alert:
        alert = self.get(alert_id)
        if alert.state not in ASSIGNABLE:
            raise AlertError(f"alert {alert_id} is {alert.state}: it cannot be assigned")
        return self._change(alert, actor, f"assigned to {reviewer}", "in_review", assignee=reviewer)

    def decide(self, alert_id: int, outcome: Outcome, reviewer: str, note: str = "") -> Alert:
        """Close, or escalate, an alert under review. Closing a block-level alert takes two
        reviewers: the first proposes, a different one confirms the same outcome."""
        alert = self.get(alert_id)
        if alert.state != "in_review":
            raise AlertError(f"alert {alert_id} is {alert.state}: assign it for review first")
        if outcome == "escalated":
            return self._change(
                alert, reviewer, "escalated", "escalated", note, proposed=None, proposed_by=None
            )
        if alert.block_level and alert.proposed is None:
            return self._change(
                alert, reviewer, f"proposed {outcome}; a second reviewer must confirm",
                "in_review", note, proposed=outcome, proposed_by=reviewer,
            )  # fmt: skip
        if alert.block_level:
            if reviewer == alert.proposed_by:
                raise AlertError(
                    f"alert {alert_id}: four eyes: {reviewer} proposed this decision, a second "
                    "reviewer must confirm it"
                )
            if outcome != alert.proposed:
                raise AlertError(
                    f"alert {alert_id}: {alert.proposed_by} proposed {alert.proposed}; a second "
                    "reviewer who disagrees escalates instead"
                )
        return self._change(alert, reviewer, f"decided {outcome}", outcome, note)

    def _change(
        self, alert: Alert, actor: str, action: str, state: State, note: str = "", **fields: object
    ) -> Alert:
        """The alert's new state and its history step; a false positive's memory in the same
        transaction."""
        step = AlertAction(at=datetime.now(UTC), actor=actor, action=action, state=state, note=note)
        changed = alert.model_copy(
            update={"state": state, "history": [*alert.history, step], **fields}
        )
        with self.engine.begin() as connection:
            self._write(connection, changed)
            if state == "false_positive":
                connection.execute(
                    insert(false_positives).values(
                        org_id=current_org(),
                        fingerprint=alert.fingerprint,
                        entity_id=alert.entity_id,
                        entry_version=alert.entry_version,
                        alert_id=alert.id,
                        decided_at=step.at,
                    )
                )
        return changed

    @staticmethod
    def _write(connection: Connection, alert: Alert) -> None:
        connection.execute(
            update(alerts)
            .where(alerts.c.id == alert.id, alerts.c.org_id == current_org())
            .values(state=alert.state, data=alert.model_dump(mode="json"))
        )


def open_order_alerts(store: AlertStore, decision: OrderDecision, actor: str) -> None:
    """An alert for every listed hit of the order's parties that no false positive covers; each
    hit records its alert. A hit is block-level when a reason of the order blocks on its entry."""
    blocking = {r.entity_id for r in decision.reasons if r.outcome == "BLOCK" and r.entity_id}
    for party in decision.parties:
        for hit in party.hits:
            if hit.suppressed_by is not None or hit.status == "delisted":
                continue
            alert = store.open(
                NewHit(
                    fingerprint=party.fingerprint,
                    entity_id=hit.entity_id,
                    entry_version=hit.entry_version,
                    party={"role": party.role, "name": party.name, "country": party.country,
                           "identifiers": party.identifiers},
                    order_id=decision.order_id,
                    lists=hit.lists,
                    score=hit.score,
                    matched_name=hit.matched_name,
                    block_level=hit.entity_id in blocking,
                ),
                actor,
            )  # fmt: skip
            hit.alert_id = alert.id
