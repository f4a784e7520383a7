"""The HTTP service skeleton: screening, entities and lists over the core object."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel, Field

from interlock.api.operations import install as install_operations
from interlock.api.problems import install as install_problems
from interlock.audit.certificate import Certificate
from interlock.chem.contract import ChemAnswer
from interlock.core import Interlock, ListInfo
from interlock.history.diff import SnapshotDiff
from interlock.history.regimes import RegimeState
from interlock.history.service import Status
from interlock.match.contract import ScreeningQuery, ScreeningResult
from interlock.ownership.graph import OwnershipEdge
from interlock.screen.contract import OrderDecision
from interlock.screen.order import parse_order

MAX_BATCH = 1000


class BatchRequest(BaseModel):
    queries: list[ScreeningQuery] = Field(min_length=1, max_length=MAX_BATCH)


class BatchResponse(BaseModel):
    results: list[ScreeningResult]


class ChemBatchRequest(BaseModel):
    items: list[str] = Field(min_length=1, max_length=MAX_BATCH, description="order lines")
    jurisdiction: str = Field("all", description="US, CN, UN, EU or all")
    as_of: date | None = Field(None, description="default: today")


class ChemBatchResponse(BaseModel):
    results: list[ChemAnswer]


class OrderScreenRequest(BaseModel):
    order: dict[str, object] = Field(description="the order, as `interlock order screen` reads it")
    as_of: date | None = Field(None, description="default: the order's date")
    ownership: list[OwnershipEdge] = Field(default=[], description="owner → owned edges")


class Health(BaseModel):
    status: str
    data_version: str
    sources: int


def create_app(interlock: Interlock) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # build the screening index before the first request rather than during it
        interlock.matcher()
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="interlock",
        version="0.1.0",
        description="Export-control and sanctions screening with list history.",
    )

    install_problems(app)

    @app.get("/healthz")
    def healthz() -> Health:
        return Health(
            status="ok",
            data_version=interlock.data_version(),
            sources=len(interlock.store.current_snapshots()),
        )

    @app.get("/v1/screen", response_model_by_alias=True)
    def screen_one(
        name: Annotated[str, Query(max_length=500, description="may be omitted with id")] = "",
        schema: str = "Any",
        country: str | None = None,
        identifier: Annotated[list[str] | None, Query(alias="id")] = None,
        as_of: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
    ) -> ScreeningResult:
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
        return interlock.screen(query)

    @app.post("/v1/screen", response_model_by_alias=True)
    def screen_batch(request: BatchRequest) -> BatchResponse:
        return BatchResponse(results=interlock.screen_many(request.queries))

    @app.get("/v1/chem")
    def chem_one(
        q: Annotated[str, Query(min_length=1, max_length=2000, description="an order line")],
        jurisdiction: Annotated[str, Query(description="US, CN, UN, EU or all")] = "all",
        as_of: Annotated[date | None, Query(description="YYYY-MM-DD, default today")] = None,
    ) -> ChemAnswer:
        if not q.strip():
            raise HTTPException(status_code=422, detail="q: give the order line to assess")
        return interlock.chem([q], jurisdiction, as_of)[0]

    @app.post("/v1/chem")
    def chem_batch(request: ChemBatchRequest) -> ChemBatchResponse:
        blank = [i for i, item in enumerate(request.items) if not item.strip()]
        if blank:
            raise HTTPException(status_code=422, detail=f"items[{blank[0]}]: empty order line")
        return ChemBatchResponse(
            results=interlock.chem(request.items, request.jurisdiction, request.as_of)
        )

    @app.post("/v1/orders/screen")
    def order_screen(request: OrderScreenRequest) -> OrderDecision:
        order = parse_order(request.order, "order")
        return interlock.screen_order(order, request.as_of, request.ownership)

    @app.post("/v1/orders/certificate")
    def order_certificate(request: OrderScreenRequest) -> Certificate:
        order = parse_order(request.order, "order")
        return interlock.certify_order(order, request.as_of, request.ownership)

    install_operations(app, interlock)

    @app.get("/v1/entities/{entity_id}")
    def get_entity(entity_id: str) -> dict[str, object]:
        entry = interlock.entity(entity_id)
        if entry is None:
            raise HTTPException(
                status_code=404, detail=f"no entry {entity_id!r} in the current snapshots"
            )
        return entry.model_dump(mode="json", by_alias=True)

    @app.get("/v1/lists")
    def get_lists() -> list[ListInfo]:
        return interlock.lists_info()

    @app.get("/v1/status", response_model_by_alias=True)
    def get_status(
        name: Annotated[str | None, Query(min_length=1, max_length=500)] = None,
        entity: str | None = None,
        as_of: Annotated[date | None, Query()] = None,
        known_at: Annotated[date | None, Query()] = None,
    ) -> Status:
        """Point-in-time status: by entity id / identity, or by name (resolved with the matcher)."""
        if (name is None) == (entity is None):
            raise HTTPException(status_code=422, detail="give exactly one of name or entity")
        if entity:
            return interlock.status(entity, as_of, known_at)
        return interlock.status_by_name(name or "", as_of, known_at)

    @app.get("/v1/entities/{entity_id}/history", response_model_by_alias=True)
    def get_history(entity_id: str) -> Status:
        return interlock.timeline(entity_id)

    @app.get("/v1/diff")
    def get_diff(
        source: str,
        from_: Annotated[str, Query(alias="from")],
        to: str,
    ) -> SnapshotDiff:
        return interlock.diff(source, from_, to)

    @app.get("/v1/regimes")
    def get_regimes(
        as_of: Annotated[date | None, Query()] = None,
        known_at: Annotated[date | None, Query()] = None,
    ) -> list[RegimeState]:
        return interlock.regimes(as_of, known_at)

    return app
