"""The job table. A worker claims the oldest due job in a transaction that skips rows another worker
holds (PostgreSQL `FOR UPDATE SKIP LOCKED`); on SQLite, which has one writer at a time, the claim is
a conditional update that only one claimant can win. A failed job is tried again later, up to its
attempts; a job whose worker died is taken back after its lease."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import Engine, and_, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from interlock.store.schema import jobs

JobState = Literal["queued", "running", "done", "failed"]
ACTIVE = ("queued", "running")
RETRY_BACKOFF = timedelta(minutes=1)  # times the attempt number
LEASE = timedelta(minutes=30)  # a running job untouched this long is taken to have lost its worker


class Job(BaseModel):
    id: int
    kind: str
    org_id: int | None = Field(description="null: a job on the list data every organisation shares")
    payload: dict[str, Any]
    state: JobState
    attempts: int
    max_attempts: int
    run_after: datetime
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    locked_by: str | None
    result: dict[str, Any] | None
    error: str | None


class JobNotFound(LookupError):
    pass


class JobStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def enqueue(
        self,
        kind: str,
        payload: dict[str, Any] | None = None,
        org_id: int | None = None,
        dedupe_key: str | None = None,
        run_after: datetime | None = None,
        max_attempts: int = 3,
        once_key: str | None = None,
    ) -> Job:
        """A new job; with `dedupe_key`, the queued or running job of that key if there is one;
        with `once_key`, the job of that key whatever its state (a scheduled period's job is put
        on the table once, however many workers notice the period)."""
        now = datetime.now(UTC)
        values: dict[str, Any] = {
            "kind": kind,
            "org_id": org_id,
            "payload": payload or {},
            "state": "queued",
            "dedupe_key": dedupe_key,
            "once_key": once_key,
            "run_after": run_after or now,
            "attempts": 0,
            "max_attempts": max_attempts,
            "locked_by": None,
            "created_at": now,
            "started_at": None,
            "finished_at": None,
            "result": None,
            "error": None,
        }
        try:
            with self.engine.begin() as connection:
                same = None
                if once_key is not None:
                    same = select(jobs).where(jobs.c.once_key == once_key)
                elif dedupe_key is not None:
                    same = select(jobs).where(
                        jobs.c.dedupe_key == dedupe_key, jobs.c.state.in_(ACTIVE)
                    )
                existing = None if same is None else connection.execute(same.limit(1)).first()
                if existing is not None:
                    return _job(existing._asdict())
                key = connection.execute(insert(jobs).values(**values)).inserted_primary_key
        except IntegrityError:  # another worker put the same once-only job on the table first
            with self.engine.connect() as connection:
                row = connection.execute(select(jobs).where(jobs.c.once_key == once_key)).one()
            return _job(row._asdict())
        assert key is not None
        return _job({**values, "id": int(key[0])})

    def claim(self, worker: str) -> Job | None:
        """The oldest due job, now running for `worker`; None when nothing is due."""
        now = datetime.now(UTC)
        due = or_(
            and_(jobs.c.state == "queued", jobs.c.run_after <= now),
            and_(jobs.c.state == "running", jobs.c.started_at < now - LEASE),
        )
        with self.engine.begin() as connection:
            query = select(jobs.c.id).where(due).order_by(jobs.c.run_after, jobs.c.id).limit(1)
            if connection.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            row = connection.execute(query).first()
            if row is None:
                return None
            claimed = connection.execute(
                update(jobs)
                .where(jobs.c.id == row.id, due)
                .values(
                    state="running",
                    attempts=jobs.c.attempts + 1,
                    locked_by=worker,
                    started_at=now,
                )
            ).rowcount
            if not claimed:  # another SQLite claimant won it between the read and the write
                return None
            taken = connection.execute(select(jobs).where(jobs.c.id == row.id)).one()
        return _job(taken._asdict())

    def finish(self, job: Job, result: dict[str, Any]) -> Job:
        return self._close(job, {"state": "done", "result": result, "error": None})

    def fail(self, job: Job, error: str) -> Job:
        """Try again after a back-off while attempts remain; else the job has failed."""
        now = datetime.now(UTC)
        if job.attempts < job.max_attempts:
            values: dict[str, Any] = {
                "state": "queued",
                "error": error,
                "run_after": now + RETRY_BACKOFF * job.attempts,
                "locked_by": None,
            }
        else:
            values = {"state": "failed", "error": error, "finished_at": now}
        return self._close(job, values)

    def _close(self, job: Job, values: dict[str, Any]) -> Job:
        values = {"finished_at": datetime.now(UTC), **values}
        with self.engine.begin() as connection:
            connection.execute(
                update(jobs)
                .where(jobs.c.id == job.id, jobs.c.locked_by == job.locked_by)
                .values(**values)
            )
            row = connection.execute(select(jobs).where(jobs.c.id == job.id)).one()
        return _job(row._asdict())

    def get(self, job_id: int, org_id: int) -> Job:
        """A job of the organisation, or a shared one; JobNotFound for any other."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(jobs).where(jobs.c.id == job_id, _visible_to(org_id))
            ).first()
        if row is None:
            raise JobNotFound(f"no job {job_id}")
        return _job(row._asdict())

    def list(
        self, org_id: int, state: str | None = None, before: int | None = None, limit: int = 100
    ) -> list[Job]:
        """Newest first; `before`: only jobs older than that id (a cursor)."""
        query = select(jobs).where(_visible_to(org_id)).order_by(jobs.c.id.desc()).limit(limit)
        if state:
            query = query.where(jobs.c.state == state)
        if before is not None:
            query = query.where(jobs.c.id < before)
        with self.engine.connect() as connection:
            return [_job(row._asdict()) for row in connection.execute(query)]


def _visible_to(org_id: int) -> Any:
    return or_(jobs.c.org_id == org_id, jobs.c.org_id.is_(None))


def _job(values: dict[str, Any]) -> Job:
    for field in ("run_after", "created_at", "started_at", "finished_at"):
        moment = values.get(field)
        if isinstance(moment, datetime) and moment.tzinfo is None:  # SQLite hands back naive UTC
            values[field] = moment.replace(tzinfo=UTC)
    return Job.model_validate(
        {k: v for k, v in values.items() if k not in ("dedupe_key", "once_key")}
    )
