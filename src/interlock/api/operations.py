"""The service's operational endpoints: the counterparty book, alerts, ownership and the audit log,
each a thin call into the core object."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel, Field

from interlock.api.pagination import make_cursor, read_cursor
from interlock.audit.log import AuditRecord
from interlock.core import Interlock
from interlock.ownership.graph import OwnershipEdge
from interlock.review.alerts import Alert, Outcome
from interlock.screen.book import BookParty, BookReport
from interlock.screen.contract import OwnershipExplanation

MAX_PARTIES = 100_000


class BookImport(BaseModel):
    parties: list[BookParty] = Field(min_length=1, max_length=MAX_PARTIES)


class BookScreenRequest(BaseModel):
    as_of: date | None = Field(None, description="default: today")
    full: bool = Field(False, description="every party, not only those a change can reach")


class Assignment(BaseModel):
    reviewer: str = Field(min_length=1, max_length=200)


class AlertDecision(BaseModel):
    outcome: Outcome
    reviewer: str = Field(min_length=1, max_length=200)
    note: str = Field("", max_length=5000)


class OwnershipImport(BaseModel):
    origin: str = Field(min_length=1, max_length=200, description="replaces this origin's edges")
    edges: list[OwnershipEdge] = Field(max_length=MAX_PARTIES)


PAGE_DEFAULT = 100
PAGE_MAX = 1000


class AlertPage(BaseModel):
    items: list[Alert]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null: last")


class AuditPage(BaseModel):
    items: list[AuditRecord]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null: last")


class Count(BaseModel):
    count: int


class AuditVerification(BaseModel):
    ok: bool
    records: int
    first_bad: int | None
    problem: str


def install(app: FastAPI, interlock: Interlock) -> None:
    @app.post("/v1/book")
    def book_import(request: BookImport) -> Count:
        ids = [p.id for p in request.parties]
        if len(ids) != len(set(ids)):
            raise HTTPException(status_code=422, detail="party ids must be unique")
        return Count(count=interlock.import_book(request.parties))

    @app.post("/v1/book/screen")
    def book_screen(request: BookScreenRequest) -> BookReport:
        return interlock.screen_book(request.as_of, request.full)

    @app.get("/v1/alerts")
    def alerts_list(
        state: str | None = None,
        limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = PAGE_DEFAULT,
        cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
    ) -> AlertPage:
        """Alerts, oldest first, a page at a time."""
        after = read_cursor(cursor, "after") if cursor else 0
        items = interlock.alerts.list(state, after, limit + 1)
        more = len(items) > limit
        items = items[:limit]
        return AlertPage(
            items=items, next_cursor=make_cursor("after", items[-1].id) if more else None
        )

    @app.get("/v1/alerts/{alert_id}")
    def alert_get(alert_id: int) -> Alert:
        return interlock.alerts.get(alert_id)

    @app.post("/v1/alerts/{alert_id}/assign")
    def alert_assign(alert_id: int, request: Assignment) -> Alert:
        return interlock.assign_alert(alert_id, request.reviewer)

    @app.post("/v1/alerts/{alert_id}/decide")
    def alert_decide(alert_id: int, request: AlertDecision) -> Alert:
        return interlock.decide_alert(alert_id, request.outcome, request.reviewer, request.note)

    @app.post("/v1/ownership")
    def ownership_import(request: OwnershipImport) -> Count:
        return Count(count=interlock.import_ownership(request.origin, request.edges))

    @app.get("/v1/ownership/explain")
    def ownership_explain(
        name: Annotated[str, Query(min_length=1, max_length=500)],
        as_of: Annotated[date | None, Query()] = None,
    ) -> OwnershipExplanation:
        return interlock.explain_ownership(name, as_of)

    @app.get("/v1/audit")
    def audit_records(
        limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = PAGE_DEFAULT,
        action: str | None = None,
        cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
    ) -> AuditPage:
        """Audit records, newest first, a page at a time."""
        before = read_cursor(cursor, "before") if cursor else None
        items = interlock.audit.records(limit + 1, action, before)
        more = len(items) > limit
        items = items[:limit]
        return AuditPage(
            items=items, next_cursor=make_cursor("before", items[-1].seq) if more else None
        )

    @app.get("/v1/audit/verify")
    def audit_verify() -> AuditVerification:
        result = interlock.verify_audit()
        return AuditVerification(
            ok=result.ok, records=result.records, first_bad=result.first_bad, problem=result.problem
        )
