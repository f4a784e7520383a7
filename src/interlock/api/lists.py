"""The shared list data: entries, statuses and histories, diffs, regimes and events, snapshots
(load, fetch, accept) and the background jobs that fetch them."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, File, Form, HTTPException, Query, Response, UploadFile
from pydantic import BaseModel, Field

from interlock.accounts.model import Role
from interlock.api.auth import access
from interlock.api.pagination import (
    PAGE_DEFAULT,
    PAGE_MAX,
    Page,
    RecordId,
    page_of,
    read_cursor,
    read_text_cursor,
)
from interlock.api.responses import model_response
from interlock.core import Interlock, ListInfo
from interlock.history.curated import operator_event
from interlock.history.diff import SnapshotDiff
from interlock.history.model import ListEvent, Origin, event_order
from interlock.history.regimes import RecordedPhase, RegimeState
from interlock.history.service import Status
from interlock.jobs.store import Job, JobState
from interlock.model import Coverage, Snapshot
from interlock.sources.registry import format_names
from interlock.store.tenancy import current_org

MAX_UPLOAD_FILES = 10


class LoadResult(BaseModel):
    snapshot: Snapshot
    created: bool


class FetchRequest(BaseModel):
    formats: list[str] = Field(
        default=[], description="formats to fetch; empty: every format with a current snapshot"
    )
    mirror: str | None = Field(None, description="base URL replacing the official host")


class Acceptance(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class EventRequest(BaseModel):
    source: str = Field(examples=["us_csl"])
    list_code: str = Field(examples=["EL"])
    name: str
    country: str = Field(min_length=2, max_length=2)
    action: str = Field(examples=["remove"])
    published: date
    effective: date | None = None
    source_url: str
    citation: str | None = None
    document_number: str | None = None
    title: str | None = None
    source_id: str | None = None
    verified: bool = False
    notes: list[str] = []


class EventAdded(BaseModel):
    added: bool
    event: ListEvent


def install(app: FastAPI, interlock: Interlock) -> None:
    @app.get("/v1/entities/{entity_id}", **access(Role.VIEWER))
    def get_entity(entity_id: str) -> dict[str, object]:
        entry = interlock.entity(entity_id)
        if entry is None:
            raise HTTPException(
                status_code=404, detail=f"no entry {entity_id!r} in the current snapshots"
            )
        return entry.model_dump(mode="json", by_alias=True)

    @app.get(
        "/v1/entities/{entity_id}/history", response_model_by_alias=True, **access(Role.VIEWER)
    )
    def get_history(entity_id: str) -> Status:
        return interlock.timeline(entity_id)

    @app.get("/v1/lists", **access(Role.VIEWER))
    def get_lists() -> list[ListInfo]:
        return interlock.lists_info()

    @app.post("/v1/lists/load", **access(Role.ADMIN, operator=True))
    def lists_load(
        files: Annotated[list[UploadFile], File(description="the snapshot's files")],
        format: Annotated[str, Form(description="e.g. csl_csv, ofac_sdn_xml")],
        data_date: Annotated[date | None, Form()] = None,
        coverage: Annotated[Coverage, Form()] = Coverage.FULL,
    ) -> LoadResult:
        """Load a snapshot from uploaded files (a smaller one than the last is quarantined)."""
        if format not in format_names():
            raise HTTPException(422, f"format: unknown {format!r}; one of {format_names()}")
        if not files or len(files) > MAX_UPLOAD_FILES:
            raise HTTPException(422, f"files: give 1 to {MAX_UPLOAD_FILES} files")
        with tempfile.TemporaryDirectory() as folder:
            paths = []
            for upload in files:
                name = Path(upload.filename or "upload").name or "upload"
                path = Path(folder) / name
                path.write_bytes(upload.file.read())
                paths.append(path)
            result = interlock.load_files(format, paths, data_date, coverage)
        return LoadResult(snapshot=result.snapshot, created=result.created)

    @app.post("/v1/lists/fetch", status_code=202, **access(Role.ADMIN, operator=True))
    def lists_fetch(request: FetchRequest) -> Job:
        """Queue a fetch of the official files now; the job worker runs it (see /v1/jobs)."""
        return interlock.queue_fetch(request.formats, request.mirror)

    @app.post("/v1/lists/snapshots/{snapshot_id}/accept", **access(Role.ADMIN, operator=True))
    def lists_accept(snapshot_id: RecordId, request: Acceptance) -> Snapshot:
        """Accept a quarantined snapshot, with the reason on record."""
        return interlock.accept(snapshot_id, request.reason)

    @app.get("/v1/status", response_model=Status, **access(Role.VIEWER))
    def get_status(
        name: Annotated[str | None, Query(min_length=1, max_length=500)] = None,
        entity: str | None = None,
        as_of: Annotated[date | None, Query()] = None,
        known_at: Annotated[date | None, Query()] = None,
    ) -> Response:
        """Point-in-time status: by entity id / identity, or by name (resolved with the matcher)."""
        if (name is None) == (entity is None):
            raise HTTPException(status_code=422, detail="give exactly one of name or entity")
        if entity:
            return model_response(interlock.status(entity, as_of, known_at))
        return model_response(interlock.status_by_name(name or "", as_of, known_at))

    @app.get("/v1/diff", **access(Role.VIEWER))
    def get_diff(
        source: str,
        from_: Annotated[str, Query(alias="from")],
        to: str,
    ) -> SnapshotDiff:
        return interlock.diff(source, from_, to)

    @app.get("/v1/regimes", **access(Role.VIEWER))
    def get_regimes(
        as_of: Annotated[date | None, Query()] = None,
        known_at: Annotated[date | None, Query()] = None,
    ) -> list[RegimeState]:
        return interlock.regimes(as_of, known_at)

    @app.post("/v1/regimes/phases", status_code=201, **access(Role.ADMIN, operator=True))
    def regimes_record(phase: RecordedPhase) -> list[RegimeState]:
        """Record a regime phase (an extension of a suspension …); the regimes as they now stand."""
        interlock.record_regime_phase(phase)
        return interlock.regimes()

    @app.get("/v1/events", **access(Role.VIEWER))
    def events_list(
        origin: Origin | None = None,
        source: str | None = None,
        limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = PAGE_DEFAULT,
        cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
    ) -> Page[ListEvent]:
        """Dated list events (of one origin or source), newest first, a page at a time."""
        before = read_text_cursor(cursor, "before") if cursor else None
        events = interlock.list_events(origin, source, before, limit + 1)
        return page_of(events, limit, "before", event_order)

    @app.post("/v1/events", **access(Role.ADMIN, operator=True))
    def events_add(request: EventRequest) -> EventAdded:
        """Record a dated list event no feed carries (checked like the curated file)."""
        event = operator_event(
            source=request.source,
            list_code=request.list_code,
            name=request.name,
            country=request.country,
            action=request.action,
            effective_date=request.effective,
            published=request.published,
            source_url=request.source_url,
            verified=request.verified,
            citation=request.citation,
            document_number=request.document_number,
            title=request.title,
            source_id=request.source_id,
            notes=request.notes,
        )
        return EventAdded(added=interlock.add_event(event), event=event)

    @app.get("/v1/jobs", **access(Role.VIEWER))
    def jobs_list(
        state: JobState | None = None,
        limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = PAGE_DEFAULT,
        cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
    ) -> Page[Job]:
        """The organisation's jobs and the shared list jobs, newest first."""
        before = read_cursor(cursor, "before") if cursor else None
        found = interlock.jobs.list(current_org(), state, before, limit + 1)
        return page_of(found, limit, "before", lambda j: j.id)

    @app.get("/v1/jobs/{job_id}", **access(Role.VIEWER))
    def jobs_get(job_id: RecordId) -> Job:
        return interlock.jobs.get(job_id, current_org())
