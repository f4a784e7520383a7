"""`interlock serve` and `interlock worker`: the HTTP service and the background job worker."""

from __future__ import annotations

import copy
import logging
import os
import signal
import subprocess
import sys
from typing import Annotated, Any

import typer

from interlock.accounts.model import Role
from interlock.cli.common import core, fail, out
from interlock.store.tenancy import DEFAULT_ORG


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Server processes (more than one needs PostgreSQL).")
    ] = 1,
    jobs: Annotated[
        bool, typer.Option(help="Run the background job worker beside the server.")
    ] = True,
) -> None:
    """Run the HTTP service (OpenAPI at /docs), with migrations applied first."""
    import uvicorn

    from interlock.api.factory import JOBS_VARIABLE, WORKERS_VARIABLE

    interlock = core()  # applies the migrations once, before any server process starts
    if workers > 1 and interlock.settings.is_sqlite:
        fail(
            "several server processes need PostgreSQL: set INTERLOCK_DATABASE_URL "
            "(the embedded SQLite database takes one)",
            2,
        )
    # the names are analysed here once and cached in the data folder, so each server process
    # builds its index from the cache instead of analysing every listed name again
    interlock.matcher()
    if not interlock.accounts.any_key():
        first = interlock.accounts.create_key(DEFAULT_ORG, Role.ADMIN, "first start")
        out.print("No API key existed, so one was made for the default organisation (admin):")
        out.print(first.secret, highlight=False, soft_wrap=True)
        out.print("[dim]shown once: send it as 'Authorization: Bearer <key>'[/]")
    os.environ[WORKERS_VARIABLE] = str(workers)
    os.environ[JOBS_VARIABLE] = "1" if jobs else "0"
    job_worker = (
        subprocess.Popen(  # noqa: S603 - our own module
            [sys.executable, "-m", "interlock", "worker", "--parent", str(os.getpid())]
        )
        if jobs
        else None
    )
    try:
        uvicorn.run(
            "interlock.api.factory:app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=server_logging(uvicorn.config.LOGGING_CONFIG),
            access_log=False,  # interlock's own access line carries the request id
        )
    finally:
        # uvicorn ends the process by its stop signal, past this block; the worker then sees its
        # parent gone and stops after the job in hand. This covers every other way out
        if job_worker is not None:
            job_worker.terminate()


def server_logging(uvicorn_logging: dict[str, Any]) -> dict[str, Any]:
    """uvicorn's logging configuration with interlock's records added: every `interlock.*` record
    at INFO and above, each request's access line with its request id (`interlock.api`) among
    them, on standard output, where uvicorn's own access line (which has no id, and is left off)
    would go."""
    config = copy.deepcopy(uvicorn_logging)
    config["formatters"]["interlock"] = {"format": "%(asctime)s %(name)s %(message)s"}
    config["handlers"]["interlock"] = {
        "formatter": "interlock",
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
    }
    config["loggers"]["interlock"] = {
        "handlers": ["interlock"],
        "level": "INFO",
        "propagate": False,
    }
    return config


def worker(
    once: Annotated[bool, typer.Option(help="Run the due jobs, then stop.")] = False,
    poll: Annotated[float, typer.Option(min=0.1, help="Seconds between looks at the table.")] = 2.0,
    parent: Annotated[
        int | None, typer.Option(help="Stop when this process (the server) is gone.", hidden=True)
    ] = None,
) -> None:
    """Run background jobs: scheduled list fetches, book re-screens after a change, alert
    deadlines. Any number may run at once."""
    from interlock.jobs.worker import Worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    running = Worker(core())
    if once:
        done = running.run_due()
        out.print(f"{len(done)} jobs run: " + ", ".join(f"{j.id} {j.kind} {j.state}" for j in done))
        return

    def stop(_signal: int, _frame: Any) -> None:
        running.stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    running.run_forever(poll, parent=parent)
