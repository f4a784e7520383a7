"""What every command shares: the core object, errors, dates, JSON and progress output."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from interlock.accounts.store import AccountError
from interlock.config import ConfigError
from interlock.core import Interlock
from interlock.history.datafile import HistoryDataError
from interlock.match.query import QueryError
from interlock.sources.base import SourceError
from interlock.sources.fetch import FetchError
from interlock.store.db import StoreError
from interlock.store.tenancy import act_for

out = Console()
err = Console(stderr=True)
EXPECTED_ERRORS = (
    SourceError,
    StoreError,
    ConfigError,
    FetchError,
    QueryError,
    ValidationError,
    HistoryDataError,
)


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


# the organisation commands act for (`interlock --org NAME …`); None: the default organisation
acting_org: str | None = None


def core() -> Interlock:
    try:
        interlock = Interlock()
        if acting_org is not None:
            act_for(interlock.accounts.org(acting_org).id)
        return interlock
    except (*EXPECTED_ERRORS, AccountError) as exc:
        fail(str(exc))


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} must be a date as YYYY-MM-DD, got {value!r}", 2)


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
