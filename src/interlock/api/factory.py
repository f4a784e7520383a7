"""The app as each server process builds it (`interlock serve --workers N` starts several): from
the settings, with migrations left to the `serve` command that ran them once before starting."""

from __future__ import annotations

import os

from fastapi import FastAPI

from interlock.api.app import create_app
from interlock.core import Interlock

WORKERS_VARIABLE = "INTERLOCK_SERVER_WORKERS"
JOBS_VARIABLE = "INTERLOCK_JOB_WORKER"  # "1": a job worker runs beside the server processes


def app() -> FastAPI:
    interlock = Interlock(migrate=False)
    interlock.defer_rescreens = os.environ.get(JOBS_VARIABLE) == "1"
    return create_app(interlock, workers=int(os.environ.get(WORKERS_VARIABLE, "1")))
