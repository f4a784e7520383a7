"""The `interlock` command: a thin shell over `interlock.core.Interlock`."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from interlock.config import ConfigError
from interlock.core import Interlock
from interlock.match.baseline import QueryError
from interlock.match.contract import ScreeningQuery, ScreeningResult
from interlock.sources.base import SourceError
from interlock.sources.fetch import FetchError
from interlock.sources.registry import format_names
from interlock.store.db import StoreError

app = typer.Typer(
    help="interlock: export-control and sanctions screening with list history.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
lists_app = typer.Typer(help="Load, fetch and inspect list snapshots.", no_args_is_help=True)
db_app = typer.Typer(help="Database administration.", no_args_is_help=True)
app.add_typer(lists_app, name="lists")
app.add_typer(db_app, name="db")

out = Console()
err = Console(stderr=True)
EXPECTED_ERRORS = (SourceError, StoreError, ConfigError, FetchError, QueryError, ValidationError)


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def core() -> Interlock:
    try:
        return Interlock()
    except EXPECTED_ERRORS as exc:
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


# -- lists ---------------------------------------------------------------------------------------
@lists_app.command("load")
def lists_load(
    files: Annotated[list[Path] | None, typer.Argument(help="Files of one snapshot.")] = None,
    bundled: Annotated[bool, typer.Option("--bundled", help="Load the bundled snapshots.")] = False,
    fmt: Annotated[str | None, typer.Option("--format", help="Format of FILES.")] = None,
    data_date: Annotated[str | None, typer.Option(help="Date of the list content.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Load the bundled snapshots, or one snapshot from files (idempotent)."""
    if bundled == bool(files):
        fail("give either --bundled or FILES with --format", 2)
    interlock = core()
    try:
        if bundled:
            from interlock.store.bundled import provenance

            with progress_bar() as progress:
                task = progress.add_task("loading", total=len(provenance().snapshots))

                def step(source: str) -> None:
                    progress.update(task, description=f"loading {source}", advance=1)

                results = interlock.load_bundled(step)
        else:
            if fmt is None:
                fail(f"--format is required with FILES; one of: {', '.join(format_names())}", 2)
            results = [interlock.load_files(fmt, files or [], parse_date(data_date, "--data-date"))]
    except EXPECTED_ERRORS as exc:
        fail(str(exc))
    rows = [
        {
            **r.snapshot.model_dump(
                mode="json",
                include={"id", "source", "status", "entry_count", "status_reason", "data_date"},
            ),
            "created": r.created,
        }
        for r in results
    ]
    if as_json:
        emit_json(rows)
        return
    table = Table("snapshot", "source", "data date", "entries", "status", "loaded now")
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["source"],
            str(row["data_date"] or "?"),
            f"{row['entry_count']:,}",
            row["status"],
            "yes" if row["created"] else "already",
        )
    out.print(table)
    for row in rows:
        if row["status"] == "quarantined":
            err.print(
                f"[yellow]snapshot {row['id']} quarantined:[/] {row['status_reason']}. "
                f"Accept it with: interlock lists accept {row['id']} --reason …"
            )


@lists_app.command("info")
def lists_info(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Per source: the current snapshot, its date, sha256 and entry count."""
    infos = core().lists_info()
    if as_json:
        emit_json([i.model_dump(mode="json") for i in infos])
        return
    if not infos:
        out.print("No lists loaded. Run: interlock lists load --bundled")
        return
    table = Table()
    for column in ("source", "snapshot", "data date", "entries", "sha256", "loaded", "status"):
        table.add_column(column, no_wrap=column != "status")
    for info in infos:
        status = info.status.value
        if info.quarantined_snapshots:
            status += f" (quarantined: {', '.join(map(str, info.quarantined_snapshots))})"
        table.add_row(
            info.source,
            str(info.snapshot_id),
            str(info.data_date or "?"),
            f"{info.entries:,}",
            info.sha256[:12],
            info.loaded_at.strftime("%Y-%m-%d %H:%M") if info.loaded_at else "",
            status,
        )
    out.print(table)


@lists_app.command("accept")
def lists_accept(
    snapshot_id: int,
    reason: Annotated[str, typer.Option(help="Why the operator accepts it (recorded).")],
) -> None:
    """Publish a quarantined snapshot explicitly."""
    try:
        snapshot = core().accept(snapshot_id, reason)
    except EXPECTED_ERRORS as exc:
        fail(str(exc))
    out.print(
        f"snapshot {snapshot.id} of {snapshot.source} accepted ({snapshot.entry_count:,} entries)"
    )


@lists_app.command("fetch")
def lists_fetch(
    fmt: Annotated[str, typer.Argument(metavar="FORMAT", help="e.g. csl_csv, ofac_sdn_csv")],
    mirror: Annotated[
        str | None, typer.Option(help="Base URL replacing the official host.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Fetch a source's official files now and load them."""
    try:
        with err.status(f"fetching {fmt}"):
            result = core().fetch(fmt, mirror)
    except EXPECTED_ERRORS as exc:
        fail(str(exc))
    if result is None:
        out.print(f"{fmt}: not modified since the last fetch")
        return
    snapshot = result.snapshot
    if as_json:
        emit_json({**snapshot.model_dump(mode="json"), "created": result.created})
        return
    out.print(
        f"{snapshot.source}: snapshot {snapshot.id}, {snapshot.entry_count:,} entries, "
        f"{snapshot.status.value}"
        + (f" ({snapshot.status_reason})" if snapshot.status_reason else "")
    )


@lists_app.command("formats")
def lists_formats() -> None:
    """The list formats interlock reads."""
    for name in format_names():
        out.print(name)


# -- screening -----------------------------------------------------------------------------------
def print_result(result: ScreeningResult) -> None:
    table = Table(
        "score",
        "match",
        "name",
        "matched name",
        "lists",
        "source",
        "entity id",
        title=f"{result.query['name']} — as of {result.as_of}, data {result.data_version}",
    )
    for m in result.matches:
        table.add_row(
            f"{m.score:.2f}",
            "[bold red]yes[/]" if m.match else "no",
            m.name,
            m.matched_name if m.matched_name != m.name else "",
            ",".join(m.lists),
            m.source,
            m.entity_id,
        )
    out.print(table)
    if not any(m.match for m in result.matches):
        out.print(
            f"No match at or above {result.threshold}. Not on a loaded list is not clearance: "
            "see `interlock lists info` for what was screened."
        )


@app.command()
def screen(
    name: str,
    schema: Annotated[
        str, typer.Option(help="Person, Organization, Vessel, Aircraft or Any")
    ] = "Any",
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2")] = None,
    identifier: Annotated[
        list[str] | None, typer.Option("--id", help="Identifier, e.g. USCC:9144…")
    ] = None,
    as_of: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    limit: int = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Screen one name against the loaded lists."""
    try:
        query = ScreeningQuery(
            name=name,
            schema=schema,
            country=country,
            identifiers=identifier or [],
            as_of=parse_date(as_of, "--as-of"),
            limit=limit,
        )
        interlock = core()
        with err.status("building the screening index"):
            interlock.matcher()
        result = interlock.screen(query)
    except EXPECTED_ERRORS as exc:
        fail(str(exc), 2)
    if as_json:
        emit_json(result.model_dump(mode="json", by_alias=True))
    else:
        print_result(result)


def _batch_rows(
    path: Path, name_column: str, schema_column: str | None, country_column: str | None
) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        for column in (name_column, schema_column, country_column):
            if column and column not in columns:
                fail(f"{path}: no column {column!r} (columns: {', '.join(columns)})", 2)
        yield from enumerate(reader, start=2)


@app.command("screen-batch")
def screen_batch(
    file: Path,
    name_column: Annotated[str, typer.Option()],
    out_file: Annotated[Path, typer.Option("--out")],
    schema_column: Annotated[str | None, typer.Option()] = None,
    country_column: Annotated[str | None, typer.Option()] = None,
    as_of: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    limit: int = 5,
) -> None:
    """Screen every row of a CSV; write one JSON object per row, in input order."""
    if not file.is_file():
        fail(f"{file}: no such file", 2)
    as_of_date = parse_date(as_of, "--as-of")
    interlock = core()
    rows = list(_batch_rows(file, name_column, schema_column, country_column))
    with err.status("building the screening index"):
        interlock.matcher()
    written = errors = 0
    with out_file.open("w", encoding="utf-8") as sink, progress_bar() as progress:
        task = progress.add_task("screening", total=len(rows))
        for line, row in rows:
            record: dict[str, Any] = {"line": line}
            try:
                query = ScreeningQuery(
                    name=(row.get(name_column) or "").strip(),
                    schema=(row.get(schema_column) or "Any") if schema_column else "Any",
                    country=(row.get(country_column) or None) if country_column else None,
                    as_of=as_of_date,
                    limit=limit,
                )
                record.update(interlock.screen(query).model_dump(mode="json", by_alias=True))
            except (QueryError, ValidationError) as exc:
                record["error"] = (
                    str(exc).splitlines()[0] if isinstance(exc, ValidationError) else str(exc)
                )
                record["input"] = row
                errors += 1
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
            progress.advance(task)
    out.print(f"{written} rows screened → {out_file}" + (f" ({errors} errors)" if errors else ""))


@app.command()
def entity(entity_id: str, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show one list entry of the current snapshots."""
    found = core().entity(entity_id)
    if found is None:
        fail(f"no entry {entity_id!r} in the current snapshots")
    data = found.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    if as_json:
        emit_json(data)
        return
    table = Table("field", "value", show_header=False)
    for key, value in data.items():
        if key == "original":
            continue
        table.add_row(
            key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        )
    out.print(table)


# -- service and database ------------------------------------------------------------------------
@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the HTTP service (OpenAPI at /docs)."""
    import uvicorn

    from interlock.api.app import create_app

    uvicorn.run(create_app(core()), host=host, port=port)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply database migrations."""
    core()
    out.print("database schema is up to date")


def main() -> None:
    app()
