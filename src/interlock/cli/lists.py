"""`interlock lists …`: load, fetch, accept and inspect snapshots."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from interlock.cli.common import (
    EXPECTED_ERRORS,
    core,
    emit_json,
    err,
    fail,
    out,
    parse_date,
    progress_bar,
)
from interlock.model import Coverage
from interlock.sources.registry import format_names

lists_app = typer.Typer(help="Load, fetch and inspect list snapshots.", no_args_is_help=True)


@lists_app.command("load")
def lists_load(
    files: Annotated[list[Path] | None, typer.Argument(help="Files of one snapshot.")] = None,
    bundled: Annotated[bool, typer.Option("--bundled", help="Load the bundled snapshots.")] = False,
    fmt: Annotated[str | None, typer.Option("--format", help="Format of FILES.")] = None,
    data_date: Annotated[str | None, typer.Option(help="Date of the list content.")] = None,
    subset: Annotated[
        bool, typer.Option("--subset", help="FILES hold part of the list: absence is not removal.")
    ] = False,
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
            results = [
                interlock.load_files(
                    fmt,
                    files or [],
                    parse_date(data_date, "--data-date"),
                    Coverage.SUBSET if subset else Coverage.FULL,
                )
            ]
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
    report = interlock.last_book_report
    if report is not None:  # the load reached the counterparty book
        out.print(
            f"book re-screened: {report.screened} of {report.parties} parties, "
            f"{len(report.new_hits)} new hits, {len(report.releases)} release notices "
            "(interlock alerts list; interlock book rescreen --json for the details)"
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


@lists_app.command("load-history")
def lists_load_history(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Load the bundled history: the OFAC SDN version log 2021-2024 and older UN, DPL and
    non-SDN snapshots (idempotent)."""
    interlock = core()
    try:
        with err.status("loading history"):
            report = interlock.load_history()
    except EXPECTED_ERRORS as exc:
        fail(str(exc))
    if as_json:
        emit_json(report.model_dump(mode="json"))
        return
    table = Table("source", "kind", "data date", "entries / events", "loaded now")
    for item in report.items:
        table.add_row(
            item.source,
            item.kind,
            str(item.data_date),
            f"{item.count:,}",
            "yes" if item.created else "already",
        )
    out.print(table)
    for log in report.logs:
        out.print(
            f"{log.source}: {log.versions:,} versions, {log.events:,} events, "
            f"{log.stored_bytes:,} bytes stored ({log.bytes_per_version:,.0f} bytes per version)"
        )
