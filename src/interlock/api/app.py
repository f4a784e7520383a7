"""The HTTP service: every capability of the core object under /v1, each route a thin call that
declares the role it needs (see `api.auth`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query, Response
from pydantic import BaseModel, Field

from interlock.accounts.model import Role
from interlock.accounts.ratelimit import RateLimiter
from interlock.api.admin import install as install_admin
from interlock.api.auth import access
from interlock.api.lists import install as install_lists
from interlock.api.operations import install as install_operations
from interlock.api.problems import install as install_problems
from interlock.api.responses import model_response
from interlock.audit.certificate import Certificate
from interlock.chem.contract import ChemAnswer
from interlock.core import STALENESS_CHECK_SECONDS, Interlock
from interlock.match.contract import ScreeningQuery, ScreeningResult
from interlock.ownership.graph import OwnershipEdge
from interlock.screen.contract import OrderDecision
from interlock.screen.order import parse_order

MAX_BATCH = 1000
EXAMPLE_ORDER = {
    "id": "PO-1001",
    "date": "2024-06-01",
    "parties": [{"role": "buyer", "name": "Hebei Crovell Biotech", "country": "CN"}],
    "items": [{"description": "4-piperidone monohydrate hydrochloride, CAS 40064-34-4, 25 kg"}],
    "route": {"origin": "US", "destination": "CN"},
}


class BatchRequest(BaseModel):
    queries: list[ScreeningQuery] = Field(min_length=1, max_length=MAX_BATCH)


class BatchResponse(BaseModel):
    results: list[ScreeningResult]


class ChemBatchRequest(BaseModel):
    items: list[str] = Field(
        min_length=1,
        max_length=MAX_BATCH,
        description="order lines",
        examples=[["N-phenethyl-4-piperidone 99%", "CAS 19099-93-5"]],
    )
    jurisdiction: str = Field("all", description="US, CN, UN, EU or all")
    as_of: date | None = Field(None, description="default: today")


class ChemBatchResponse(BaseModel):
    results: list[ChemAnswer]


class OrderScreenRequest(BaseModel):
    order: dict[str, object] = Field(
        description="the order, as `interlock order screen` reads it", examples=[EXAMPLE_ORDER]
    )
    as_of: date | None = Field(None, description="default: the order's date")
    ownership: list[OwnershipEdge] = Field(default=[], description="owner → owned edges")


class Health(BaseModel):
    status: str
    data_version: str
    sources: int


def create_app(interlock: Interlock, workers: int = 1) -> FastAPI:
    """`workers`: how many server processes share the rate limits."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # build the screening index and read the lists' histories before the first request
        interlock.warm()
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="interlock",
        version="0.1.0",
        description=(
            "Export-control and sanctions screening with list history. Authenticate with an API "
            "key (`Authorization: Bearer ilk_…`); each route names the role it needs in "
            "`x-interlock-role`."
        ),
    )
    # other processes' list changes reach screening within this time anyway (see Interlock.matcher)
    interlock.store.current_reuse_seconds = STALENESS_CHECK_SECONDS
    app.state.interlock = interlock
    app.state.accounts = interlock.accounts
    app.state.rate_limiter = RateLimiter(interlock.settings.rate_limit_per_minute, workers)
    install_problems(app)

    @app.get("/healthz")
    def healthz() -> Health:
        return Health(
            status="ok",
            data_version=interlock.data_version(),
            sources=len(interlock.store.current_snapshots()),
        )

    @app.get("/v1/screen", response_model=ScreeningResult, **access(Role.ANALYST))
    def screen_one(
        name: Annotated[str, Query(max_length=500, description="may be omitted with id")] = "",
        schema: str = "Any",
        country: str | None = None,
        identifier: Annotated[list[str] | None, Query(alias="id")] = None,
        as_of: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
    ) -> Response:
        """Screen one name (and identifiers) against every loaded list."""
        if not name.strip() and not identifier:
            raise HTTPException(status_code=422, detail="give a name or at least one id")
        query = ScreeningQuery.model_validate(
            {
                "name": name,
                "schema": schema,
                "country": country,
                "identifiers": identifier or [],
                "as_of": as_of,
                "limit": limit,
            }
        )
        return model_response(interlock.screen(query))

    @app.post("/v1/screen", response_model=BatchResponse, **access(Role.ANALYST))
    def screen_batch(request: BatchRequest) -> Response:
        """Screen up to 1,000 queries in one call."""
        return model_response(BatchResponse(results=interlock.screen_many(request.queries)))

    @app.get("/v1/chem", **access(Role.ANALYST))
    def chem_one(
        q: Annotated[str, Query(min_length=1, max_length=2000, description="an order line")],
        jurisdiction: Annotated[str, Query(description="US, CN, UN, EU or all")] = "all",
        as_of: Annotated[date | None, Query(description="YYYY-MM-DD, default today")] = None,
    ) -> ChemAnswer:
        """Resolve an order line to substances and assess them."""
        if not q.strip():
            raise HTTPException(status_code=422, detail="q: give the order line to assess")
        return interlock.chem([q], jurisdiction, as_of)[0]

    @app.post("/v1/chem", **access(Role.ANALYST))
    def chem_batch(request: ChemBatchRequest) -> ChemBatchResponse:
        blank = [i for i, item in enumerate(request.items) if not item.strip()]
        if blank:
            raise HTTPException(status_code=422, detail=f"items[{blank[0]}]: empty order line")
        return ChemBatchResponse(
            results=interlock.chem(request.items, request.jurisdiction, request.as_of)
        )

    @app.post("/v1/orders/screen", response_model=OrderDecision, **access(Role.ANALYST))
    def order_screen(request: OrderScreenRequest) -> Response:
        """Every party and line of an order against the dated rules: one decision, every reason."""
        order = parse_order(request.order, "order")
        return model_response(interlock.screen_order(order, request.as_of, request.ownership))

    @app.post("/v1/orders/certificate", **access(Role.ANALYST))
    def order_certificate(request: OrderScreenRequest) -> Certificate:
        order = parse_order(request.order, "order")
        return interlock.certify_order(order, request.as_of, request.ownership)

    install_operations(app, interlock)
    install_lists(app, interlock)
    install_admin(app, interlock)
    return app
