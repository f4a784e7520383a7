"""Errors as RFC 9457 problem details with a stable `type`, and a request id on every response
(taken from X-Request-ID when the caller sends one) that errors and the access log repeat."""

from __future__ import annotations

import logging
import re
import uuid

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from interlock.accounts.store import AccountError
from interlock.api.auth import Forbidden, RateLimited, Unauthenticated
from interlock.api.pagination import CursorError
from interlock.chem.screening import ChemQueryError
from interlock.history.datafile import HistoryDataError
from interlock.jobs.store import JobNotFound
from interlock.match.query import QueryError
from interlock.ownership.graph import OwnershipError
from interlock.review.alerts import AlertError, AlertNotFound
from interlock.screen.book import BookError
from interlock.screen.order import OrderError
from interlock.screen.records import OrderNotFound
from interlock.sources.base import SourceError
from interlock.sources.fetch import FetchError
from interlock.store.db import StoreError
from interlock.store.tenancy import NO_ORG, act_for

PROBLEM_BASE = "https://interlock.invalid/problems/"
MEDIA_TYPE = "application/problem+json"
REQUEST_ID = "X-Request-ID"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
log = logging.getLogger("interlock.api")

# library errors: (HTTP status, problem type slug, title)
KNOWN: dict[type[Exception], tuple[int, str, str]] = {
    QueryError: (422, "invalid-query", "The screening query cannot be answered"),
    ChemQueryError: (422, "invalid-chemical-query", "The chemical query cannot be answered"),
    OrderError: (422, "invalid-order", "The order is not valid"),
    OwnershipError: (422, "invalid-ownership", "The ownership data is not valid"),
    BookError: (422, "invalid-book", "The counterparty book is not valid"),
    AlertError: (409, "alert-conflict", "The alert cannot take this step"),
    AlertNotFound: (404, "alert-not-found", "No such alert"),
    StoreError: (404, "not-found", "Not found"),
    CursorError: (422, "invalid-cursor", "The cursor is not valid"),
    AccountError: (422, "invalid-account", "The account request is not valid"),
    OrderNotFound: (404, "order-not-found", "No such screened order"),
    JobNotFound: (404, "job-not-found", "No such job"),
    Forbidden: (403, "forbidden", "Not allowed for this caller"),
    HistoryDataError: (422, "invalid-event", "The list event is not valid"),
    SourceError: (422, "invalid-list-data", "The list files cannot be read"),
    FetchError: (502, "fetch-failed", "The list's publisher could not be reached"),
    ValidationError: (422, "invalid-request", "The request is not valid"),
}
HTTP_TYPES = {400: "bad-request", 404: "not-found", 405: "method-not-allowed", 409: "conflict",
              422: "invalid-request", 429: "too-many-requests"}  # fmt: skip


def problem(
    request: Request,
    status: int,
    slug: str,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    request_id = getattr(request.state, "request_id", "")
    body = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "request_id": request_id,
    }
    return JSONResponse(
        body,
        status_code=status,
        media_type=MEDIA_TYPE,
        headers={REQUEST_ID: request_id, **(headers or {})},
    )


class RequestIds:
    """Gives every request an id (the caller's X-Request-ID when it is safe), puts it on the
    response and in the access log, and starts the request acting for no organisation until a
    route's access check names the caller's. Plain ASGI: it adds nothing else to a request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = next(
            (v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), ""
        )
        request_id = offered if _SAFE_ID.match(offered) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        act_for(NO_ORG)
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"x-request-id"]
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_id)
        log.info("%s %s %s request_id=%s", scope["method"], scope["path"], status, request_id)


def install(app: FastAPI) -> None:
    app.add_middleware(RequestIds)

    for kind, (status, slug, title) in KNOWN.items():

        async def _known(
            request: Request,
            exc: Exception,
            status: int = status,
            slug: str = slug,
            title: str = title,
        ) -> JSONResponse:
            return problem(request, status, slug, title, str(exc))

        app.add_exception_handler(kind, _known)

    @app.exception_handler(Unauthenticated)
    async def _unauthenticated(request: Request, exc: Unauthenticated) -> JSONResponse:
        return problem(
            request, 401, "unauthenticated", "Authentication needed", str(exc),
            {"WWW-Authenticate": 'Bearer realm="interlock"'},
        )  # fmt: skip

    @app.exception_handler(RateLimited)
    async def _limited(request: Request, exc: RateLimited) -> JSONResponse:
        return problem(
            request, 429, "too-many-requests", "Too many requests", str(exc),
            {"Retry-After": str(max(1, round(exc.retry_after + 0.5)))},
        )  # fmt: skip

    @app.exception_handler(DataError)
    async def _unstorable(request: Request, exc: DataError) -> JSONResponse:
        # the database refused a value the request carried (PostgreSQL stores no NUL character
        # in text); the transaction rolled back, so nothing was written
        reason = str(exc.orig).splitlines()[0] if exc.orig else "a value cannot be stored"
        return problem(
            request, 422, "unstorable-value", "A value of the request cannot be stored", reason
        )

    # Starlette's class: routing's own 404 and 405 are raised as it, FastAPI's is a subclass
    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug = HTTP_TYPES.get(exc.status_code, f"http-{exc.status_code}")
        return problem(
            request, exc.status_code, slug, slug.replace("-", " ").capitalize(), str(exc.detail)
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(part) for part in first["loc"])
        return problem(
            request, 422, "invalid-request", "The request is not valid", f"{where}: {first['msg']}"
        )
