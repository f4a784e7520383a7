"""The service's operational endpoints: the counterparty book, alerts, ownership and the audit log,
each a thin call into the core object."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query, Request
from pydantic import BaseModel, Field

from interlock.accounts.model import Role
from interlock.api.auth import access, principal_of
from interlock.api.pagination import PAGE_DEFAULT, PAGE_MAX, Page, RecordId, page_of, read_cursor
from interlock.audit.log import AuditRecord
from interlock.core import Interlock
from interlock.jobs.store import Job
from interlock.ownership.graph import OwnershipEdge
from interlock.review.alerts import Alert, Outcome
from interlock.screen.book import BookEntry, BookParty, BookReport
from interlock.screen.contract import OwnershipExplanation
from interlock.screen.records import StoredOrder

MAX_PARTIES = 100_000


class BookImport(BaseModel):
    parties: list[BookParty] = Field(min_length=1, max_length=MAX_PARTIES)


class BookScreenRequest(BaseModel):
    as_of: date | None = Field(None, description="default: today")
    full: bool = Field(False, description="every party, not only those a change can reach")


class Assignment(BaseModel):
    reviewer: str | None = Field(
        None, min_length=1, max_length=200, description="default: the caller"
    )


class AlertDecision(BaseModel):
    """The reviewer is the caller: four eyes means two different keys or users."""

    outcome: Outcome
    note: str = Field("", max_length=5000)


class OwnershipImport(BaseModel):
    origin: str = Field(min_length=1, max_length=200, description="replaces this origin's edges")
    edges: list[OwnershipEdge] = Field(max_length=MAX_PARTIES)


class Count(BaseModel):
    count: int


class BookView(BaseModel):
    parties: list[BookEntry]


class RescreenRequest(BaseModel):
    full: bool = Field(False, description="every party, not only those a change can reach")


class Hold(BaseModel):
    held: bool = True


class AuditVerification(BaseModel):
    ok: bool
    records: int
    first_bad: int | None
    problem: str


def install(app: FastAPI, interlock: Interlock) -> None:
    @app.get("/v1/orders", **access(Role.VIEWER))
    def orders_list(
        limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = PAGE_DEFAULT,
        cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
    ) -> Page[StoredOrder]:
        """The organisation's order screenings, newest first."""
        before = read_cursor(cursor, "before") if cursor else None
        return page_of(interlock.orders.list(before, limit + 1), limit, "before", lambda o: o.id)

    @app.get("/v1/orders/{order_id}", **access(Role.VIEWER))
    def orders_get(order_id: str) -> list[StoredOrder]:
        """Every screening of one order, newest first."""
        return interlock.orders.screenings(order_id)

    @app.post("/v1/book", **access(Role.ANALYST))
    def book_import(request: BookImport) -> Count:
        ids = [p.id for p in request.parties]
        if len(ids) != len(set(ids)):
            raise HTTPException(status_code=422, detail="party ids must be unique")
        return Count(count=interlock.import_book(request.parties))

    @app.get("/v1/book", **access(Role.VIEWER))
    def book_view() -> BookView:
        """The book's parties with their last screening's hits."""
        return BookView(parties=interlock.book_entries())

    @app.post("/v1/book/screen", **access(Role.ANALYST))
    def book_screen(request: BookScreenRequest) -> BookReport:
        """Screen the book now, in this request."""
        return interlock.screen_book(request.as_of, request.full)

    @app.post("/v1/book/rescreen", status_code=202, **access(Role.ANALYST))
    def book_rescreen(request: RescreenRequest) -> Job:
        """Queue a re-screen of the book for the job worker (see /v1/jobs)."""
        return interlock.queue_book_rescreen(request.full)

    @app.get("/v1/alerts", **access(Role.VIEWER))
    def alerts_list(
        state: str | None = None,
        limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = PAGE_DEFAULT,
        cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
    ) -> Page[Alert]:
        """Alerts, oldest first, a page at a time."""
        after = read_cursor(cursor, "after") if cursor else 0
        return page_of(
            interlock.alerts.list(state, after, limit + 1), limit, "after", lambda a: a.id
        )

    @app.get("/v1/alerts/{alert_id}", **access(Role.VIEWER))
    def alert_get(alert_id: RecordId) -> Alert:
        return interlock.alerts.get(alert_id)

    @app.post("/v1/alerts/{alert_id}/assign", **access(Role.ANALYST))
    def alert_assign(alert_id: RecordId, request: Assignment, http: Request) -> Alert:
        return interlock.assign_alert(alert_id, request.reviewer or principal_of(http).name)

    @app.post("/v1/alerts/{alert_id}/decide", **access(Role.REVIEWER))
    def alert_decide(alert_id: RecordId, request: AlertDecision, http: Request) -> Alert:
        reviewer = principal_of(http).name
        return interlock.decide_alert(alert_id, request.outcome, reviewer, request.note)

    @app.post("/v1/ownership", **access(Role.ANALYST))
    def ownership_import(request: OwnershipImport) -> Count:
        return Count(count=interlock.import_ownership(request.origin, request.edges))

    @app.get("/v1/ownership/explain", **access(Role.VIEWER))
    def ownership_explain(
        name: Annotated[str, Query(min_length=1, max_length=500)],
        as_of: Annotated[date | None, Query()] = None,
    ) -> OwnershipExplanation:
        return interlock.explain_ownership(name, as_of)

    @app.get("/v1/audit", **access(Role.VIEWER))
    def audit_records(
        limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = PAGE_DEFAULT,
        action: str | None = None,
        cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
    ) -> Page[AuditRecord]:
        """Audit records, newest first, a page at a time."""
        before = read_cursor(cursor, "before") if cursor else None
        records = interlock.audit.records(limit + 1, action, before)
        return page_of(records, limit, "before", lambda r: r.seq)

    @app.post("/v1/audit/{seq}/hold", **access(Role.ADMIN))
    def audit_hold(seq: RecordId, request: Hold) -> Count:
        """Set or lift a legal hold on one record (a held record is never purged)."""
        try:
            interlock.hold_audit_record(seq, request.held)
        except LookupError as exc:
            raise HTTPException(404, str(exc)) from None
        return Count(count=1)

    @app.get("/v1/audit/verify", **access(Role.VIEWER))
    def audit_verify() -> AuditVerification:
        result = interlock.verify_audit()
        return AuditVerification(
            ok=result.ok, records=result.records, first_bad=result.first_bad, problem=result.problem
        )
