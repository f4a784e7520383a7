"""Order decisions as screened, kept per organisation so a decision can be fetched again."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import Engine, insert, select

from interlock.screen.contract import OrderDecision
from interlock.store.schema import orders
from interlock.store.tenancy import current_org


class OrderNotFound(LookupError):
    pass


class StoredOrder(BaseModel):
    id: int
    order_id: str
    screened_at: datetime
    decision: str
    audit_seq: int
    result: OrderDecision


class OrderStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def save(self, decision: OrderDecision, audit_seq: int) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                insert(orders).values(
                    org_id=current_org(),
                    order_id=decision.order_id,
                    screened_at=datetime.now(UTC),
                    decision=decision.decision,
                    audit_seq=audit_seq,
                    data=decision.model_dump(mode="json"),
                )
            )

    def screenings(self, order_id: str) -> list[StoredOrder]:
        """Every screening of the order by the acting organisation, newest first."""
        query = (
            select(orders)
            .where(orders.c.org_id == current_org(), orders.c.order_id == order_id)
            .order_by(orders.c.id.desc())
        )
        with self.engine.connect() as connection:
            found = [_stored(row._asdict()) for row in connection.execute(query)]
        if not found:
            raise OrderNotFound(f"no screened order {order_id!r}")
        return found

    def list(self, before: int | None = None, limit: int = 100) -> list[StoredOrder]:
        """The organisation's screenings, newest first; `before`: older than that id (a cursor)."""
        query = select(orders).where(orders.c.org_id == current_org()).order_by(orders.c.id.desc())
        if before is not None:
            query = query.where(orders.c.id < before)
        with self.engine.connect() as connection:
            return [_stored(row._asdict()) for row in connection.execute(query.limit(limit))]


def _stored(values: dict[str, object]) -> StoredOrder:
    return StoredOrder.model_validate({**values, "result": values["data"]})
