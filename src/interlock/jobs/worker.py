"""The job worker: takes due jobs from the table and runs them through the core object, and puts
the scheduled ones (list fetches, alert deadlines) on the table when they fall due.

Several workers may run at once, in any processes: a job is run by the one that claims it, and a
scheduled job is put on the table once per period whoever notices first (its dedupe key names the
period)."""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from interlock.core import FETCH_JOB, RESCREEN_JOB, Interlock
from interlock.jobs.store import Job
from interlock.store.tenancy import acting_for

SLA_JOB = "alerts.sla"
SLA_CHECK_MINUTES = 15
POLL_SECONDS = 2.0
WORKER_ACTOR = "job-worker"

log = logging.getLogger("interlock.jobs")

Handler = Callable[[Interlock, Job], dict[str, Any]]


class UnknownJob(ValueError):
    pass


def _fetch(interlock: Interlock, job: Job) -> dict[str, Any]:
    """Fetch the named formats, or every format with a current snapshot."""
    formats = job.payload.get("formats") or sorted({i.format for i in interlock.lists_info()})
    mirror = job.payload.get("mirror")
    fetched: dict[str, Any] = {}
    failures: dict[str, str] = {}
    for fmt in formats:
        try:
            result = interlock.fetch(fmt, mirror)
        except Exception as exc:  # one source failing must not stop the others' fetches
            failures[fmt] = f"{type(exc).__name__}: {exc}"
            continue
        fetched[fmt] = (
            "not modified"
            if result is None
            else {
                "snapshot": result.snapshot.id,
                "created": result.created,
                "status": str(result.snapshot.status),
                "entries": result.snapshot.entry_count,
            }
        )
    if failures and not fetched:
        raise RuntimeError("; ".join(f"{f}: {e}" for f, e in failures.items()))
    return {"fetched": fetched, "failed": failures}


def _rescreen(interlock: Interlock, job: Job) -> dict[str, Any]:
    if job.org_id is None:
        raise UnknownJob("a book re-screen names its organisation")
    with acting_for(job.org_id, WORKER_ACTOR):
        report = interlock.screen_book(full=bool(job.payload.get("full")))
    return {
        "screened": report.screened,
        "parties": report.parties,
        "new_hits": len(report.new_hits),
        "releases": len(report.releases),
    }


def _sla(interlock: Interlock, job: Job) -> dict[str, Any]:
    flagged: dict[str, int] = {}
    for org in interlock.accounts.orgs():
        with acting_for(org.id, WORKER_ACTOR):
            found = interlock.flag_overdue_alerts()
        if found:
            flagged[org.name] = len(found)
    return {"overdue_flagged": flagged}


HANDLERS: dict[str, Handler] = {FETCH_JOB: _fetch, RESCREEN_JOB: _rescreen, SLA_JOB: _sla}


class Worker:
    def __init__(self, interlock: Interlock, name: str | None = None) -> None:
        self.interlock = interlock
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self.stopping = threading.Event()

    def schedule(self, now: datetime | None = None) -> None:
        """Put the periodic jobs of the current period on the table (once per period)."""
        now = now or datetime.now(UTC)
        jobs = self.interlock.jobs
        hours = self.interlock.settings.fetch_interval_hours
        if hours > 0:
            period = int(now.timestamp() // (hours * 3600))
            jobs.enqueue(FETCH_JOB, once_key=f"{FETCH_JOB}@{period}")
        period = int(now.timestamp() // (SLA_CHECK_MINUTES * 60))
        jobs.enqueue(SLA_JOB, once_key=f"{SLA_JOB}@{period}", max_attempts=1)

    def run_one(self) -> Job | None:
        """Claim and run one due job; None when nothing is due."""
        job = self.interlock.jobs.claim(self.name)
        if job is None:
            return None
        handler = HANDLERS.get(job.kind)
        try:
            if handler is None:
                raise UnknownJob(f"no handler for job kind {job.kind!r}")
            result = handler(self.interlock, job)
        except Exception as exc:  # a job's failure is recorded on it, and the worker goes on
            log.exception("job %s (%s) failed", job.id, job.kind)
            return self.interlock.jobs.fail(job, f"{type(exc).__name__}: {exc}")
        return self.interlock.jobs.finish(job, result)

    def run_due(self) -> list[Job]:
        """Run jobs until none is due (without scheduling): what a test or a CLI call wants."""
        done = []
        while (job := self.run_one()) is not None:
            done.append(job)
        return done

    def run_forever(
        self, poll_seconds: float = POLL_SECONDS, scheduled: bool = True, parent: int | None = None
    ) -> None:
        """Until stopped, or until the process `parent` (the server that started it) is gone."""
        log.info("job worker %s started", self.name)
        while not self.stopping.is_set():
            if parent is not None and os.getppid() != parent:
                log.info("job worker %s: its server stopped", self.name)
                break
            if scheduled:
                self.schedule()
            if self.run_one() is None:
                self.stopping.wait(poll_seconds)
        log.info("job worker %s stopped", self.name)
