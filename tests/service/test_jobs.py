"""The job table and the worker: claims that never collide (PostgreSQL SKIP LOCKED, SQLite's
conditional update), retries, dedupe, and the three kinds of background work: list fetches,
book re-screens after a change, alert deadlines."""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

from interlock.config import Settings
from interlock.core import FETCH_JOB, RESCREEN_JOB, Interlock
from interlock.jobs.store import JobStore
from interlock.jobs.worker import SLA_JOB, Worker
from interlock.screen.book import BookParty
from interlock.store.tenancy import acting_for
from tests.conftest import FIXTURES
from tests.recorded_http import Recording, replay_server
from tests.test_api_operations import ORDER
from tests.test_fetch import CSL_PATH

CUT = FIXTURES / "csl" / "csl_2022-04_cut.csv"


def test_concurrent_workers_claim_each_job_once(settings: Settings) -> None:
    jobs = Interlock(settings).jobs
    created = [jobs.enqueue("noop", {"n": n}).id for n in range(40)]

    def drain(worker: int) -> list[int]:
        store = JobStore(jobs.engine)
        taken = []
        while (job := store.claim(f"w{worker}")) is not None:
            store.finish(job, {})
            taken.append(job.id)
        return taken

    with ThreadPoolExecutor(4) as pool:
        claimed = [i for taken in pool.map(drain, range(4)) for i in taken]
    assert sorted(claimed) == created  # every job once, none twice


def test_a_failing_job_is_retried_then_fails(settings: Settings) -> None:
    interlock = Interlock(settings)
    job = interlock.jobs.enqueue("no-such-kind", max_attempts=2)
    worker = Worker(interlock, "test")
    retried = worker.run_one()
    assert retried is not None and retried.state == "queued" and retried.attempts == 1
    assert "no handler" in (retried.error or "") and retried.run_after > datetime.now(UTC)
    assert worker.run_one() is None  # not due again yet
    assert interlock.jobs.claim("test") is None
    with interlock.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE jobs SET run_after = created_at")
    failed = worker.run_one()
    assert failed is not None and failed.id == job.id and failed.state == "failed"


def test_scheduled_jobs_are_queued_once_per_period(settings: Settings) -> None:
    interlock = Interlock(dataclasses.replace(settings, fetch_interval_hours=24))
    worker = Worker(interlock, "test")
    now = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    worker.schedule(now)
    worker.run_due()
    worker.schedule(now + timedelta(minutes=1))  # the same period, after its jobs ran
    kinds = sorted(j.kind for j in interlock.jobs.list(1))
    assert kinds == [SLA_JOB, FETCH_JOB]
    worker.schedule(now + timedelta(minutes=20))  # the next alert-deadline period
    assert sorted(j.kind for j in interlock.jobs.list(1)) == [SLA_JOB, SLA_JOB, FETCH_JOB]
    Worker(Interlock(settings), "test").schedule(now)  # the default: no scheduled fetches
    assert sorted(j.kind for j in interlock.jobs.list(1)) == [SLA_JOB, SLA_JOB, FETCH_JOB]


def test_a_fetch_job_loads_the_list_and_rescreens_each_book(settings: Settings) -> None:
    interlock = Interlock(dataclasses.replace(settings, fetch_retries=1))
    interlock.defer_rescreens = True  # as in the service: re-screens are jobs
    other = interlock.accounts.create_org("Org B").id
    for org in (1, other):
        with acting_for(org):
            interlock.import_book([BookParty(id="P1", name="CloudWalk Technology", country="CN")])
            interlock.screen_book(date(2024, 6, 1), full=True)
    with replay_server({CSL_PATH: Recording(CUT.read_bytes())}) as replay:
        fetch = interlock.jobs.enqueue(
            FETCH_JOB, {"formats": ["csl_csv"], "mirror": replay.base_url}
        )
        done = Worker(interlock, "test").run_due()
    by_kind = {(j.kind, j.org_id): j for j in done}
    fetched = by_kind[(FETCH_JOB, None)]
    assert fetched.id == fetch.id and fetched.state == "done"
    assert fetched.result and fetched.result["fetched"]["csl_csv"]["entries"] == 24
    for org in (1, other):  # the load queued one re-screen per organisation with a book
        rescreen = by_kind[(RESCREEN_JOB, org)]
        assert rescreen.state == "done" and rescreen.result and rescreen.result["parties"] == 1
    with acting_for(other):
        assert interlock.alerts.list()  # B's book hit opened B's alert


def test_the_deadline_job_flags_undecided_alerts_once(settings: Settings) -> None:
    interlock = Interlock(dataclasses.replace(settings, alert_sla_hours=0.0))
    interlock.load_files("csl_csv", [CUT], data_date=date(2022, 4, 28))
    from interlock.screen.order import parse_order

    interlock.screen_order(parse_order(ORDER, "order"))
    interlock.jobs.enqueue(SLA_JOB)
    (job,) = Worker(interlock, "test").run_due()
    assert job.result == {"overdue_flagged": {"default": 1}}
    (alert,) = interlock.alerts.list()
    assert alert.overdue_since is not None
    assert alert.history[-1].action == "review deadline passed"
    assert interlock.flag_overdue_alerts() == []  # once
    assert [r.action for r in interlock.audit.records(1)] == ["alert"]
