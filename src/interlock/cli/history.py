"""`interlock status`, `history`, `diff`, `regimes` and `events …`: the list history."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from interlock.cli.common import EXPECTED_ERRORS, core, emit_json, fail, out, parse_date
from interlock.exports import safe_cell
from interlock.history.curated import operator_event
from interlock.history.diff import SnapshotDiff
from interlock.history.model import Origin
from interlock.history.regimes import operator_phase
from interlock.history.service import Status

events_app = typer.Typer(
    help="Dated list events: curated, Federal Register, operator.", no_args_is_help=True
)


def print_status(answer: Status) -> None:
    colour = {"listed": "bold red", "delisted": "yellow"}.get(answer.state.value, "green")
    out.print(
        f"[{colour}]{answer.state.value.upper()}[/] {answer.name or answer.identity} — as of "
        f"{answer.as_of}, as known on {answer.known_at}",
        highlight=False,
    )
    for listing in answer.listings:
        out.print(
            f"  on {listing.list_} ({listing.source}) since {listing.since or '?'} "
            f"[dim]({listing.since_basis})[/]"
            + (f", until {listing.until} ({listing.until_basis})" if listing.until else "")
        )
        if listing.citations:
            out.print("  citations: " + "; ".join(c.raw for c in listing.citations))
        if listing.license_requirement:
            out.print(f"  licence requirement: {listing.license_requirement}")
        if listing.license_policy:
            out.print(f"  licence review policy: {listing.license_policy}")
    print_events(answer)
    for note in answer.notes:
        out.print(f"[dim]note:[/] {note}")
    for fresh in answer.freshness.values():
        if fresh.note:
            out.print(f"[yellow]freshness:[/] {fresh.note}")


def print_events(answer: Status) -> None:
    table = Table(
        "effective", "published / seen", "action", "origin", "citation", "what", title="events"
    )
    for event in answer.events:
        effective = (
            str(event.effective_date)
            if event.effective_date
            else (f"after {event.effective_after}" if event.effective_after else "?")
        )
        what = event.title or ", ".join(event.changed_fields)
        if event.reason:
            what += f" — reason: {event.reason.text}"
            if not event.reason.verified:
                what += " [unverified]"
        if event.context:
            what += f" — reported context: {event.context.text}"
            if not event.context.verified:
                what += " [unverified]"
        if not event.verified:
            what += " [unverified]"
        table.add_row(
            effective + ("" if event.in_effect else " (later)"),
            str(event.recorded_at),
            event.action.value,
            event.origin.value,
            event.citation or event.document_number or "",
            what,
        )
    out.print(table)


def status(
    name: Annotated[
        str | None, typer.Argument(help="A party name, resolved with the matcher.")
    ] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="Entity id or identity.")] = None,
    as_of: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default today)")] = None,
    known_at: Annotated[str | None, typer.Option(help="YYYY-MM-DD: what was known then")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Was this party listed on a date, under which entry and citation, as known on a date?"""
    if (name is None) == (entity is None):
        fail("give a NAME or --entity ID", 2)
    as_of_date, known_date = parse_date(as_of, "--as-of"), parse_date(known_at, "--known-at")
    try:
        interlock = core()
        answer = (
            interlock.status(entity, as_of_date, known_date)
            if entity
            else interlock.status_by_name(name or "", as_of_date, known_date)
        )
    except EXPECTED_ERRORS as exc:
        fail(str(exc))
    if as_json:
        emit_json(answer.model_dump(mode="json", by_alias=True))
    else:
        print_status(answer)


def history(
    entity: Annotated[str, typer.Argument(help="Entity id or identity.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The timeline of one entry: every event, snapshot sighting and field change."""
    try:
        answer = core().timeline(entity)
    except EXPECTED_ERRORS as exc:
        fail(str(exc))
    if as_json:
        emit_json(answer.model_dump(mode="json", by_alias=True))
        return
    print_status(answer)
    if answer.appearances:
        table = Table("snapshot", "source", "data date", "sha256", title="in snapshots")
        for seen in answer.appearances:
            table.add_row(
                str(seen.snapshot_id),
                seen.source,
                str(seen.data_date or "?"),
                (seen.snapshot_sha256 or "")[:12],
            )
        out.print(table)


def _diff_csv(result: SnapshotDiff) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["change", "identity", "name", "lists", "field", "before", "after", "pairing"])
    for side, change in ((result.added, "ADDED"), (result.removed, "REMOVED")):
        for item in side:
            writer.writerow(
                [
                    safe_cell(v)
                    for v in (
                        change,
                        item.identity,
                        item.name,
                        ",".join(item.lists),
                        "",
                        "",
                        "",
                        "",
                    )
                ]
            )
    for changed in result.changed:
        for field in changed.changes:
            writer.writerow(
                [
                    safe_cell(v)
                    for v in (
                        "CHANGED",
                        changed.identity,
                        changed.name,
                        ",".join(changed.lists),
                        field.field,
                        field.before,
                        field.after,
                        f"{changed.method} {changed.score:.2f}",
                    )
                ]
            )
    return buffer.getvalue()


def diff(
    source: str,
    from_ref: Annotated[str, typer.Option("--from", help="Snapshot id or data date")],
    to_ref: Annotated[str, typer.Option("--to", help="Snapshot id or data date")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV, spreadsheet-safe")] = False,
    output: Annotated[Path | None, typer.Option("--out", help="Write to a file")] = None,
) -> None:
    """ADDED / REMOVED / CHANGED entries between two snapshots of a source, field by field."""
    if as_json and as_csv:
        fail("choose --json or --csv", 2)
    try:
        result = core().diff(source, from_ref, to_ref)
    except EXPECTED_ERRORS as exc:
        fail(str(exc))
    if as_json or as_csv:
        text = _diff_csv(result) if as_csv else result.model_dump_json(indent=2)
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text + ("" if text.endswith("\n") else "\n"))
        return
    out.print(
        f"{source}: snapshot {result.from_snapshot} → {result.to_snapshot}: "
        f"{result.matched:,} matched ({', '.join(f'{k} {v:,}' for k, v in result.pairing_methods.items())}), "
        f"{len(result.added):,} added, {len(result.removed):,} removed, {len(result.changed):,} changed"
    )
    if result.to_is_subset:
        out.print(
            "[yellow]the newer snapshot is a partial file: REMOVED means absent from it, not delisted[/]"
        )
    table = Table("change", "name", "lists", "fields")
    for item in result.added[:50]:
        table.add_row("ADDED", item.name, ",".join(item.lists), "")
    for item in result.removed[:50]:
        table.add_row("REMOVED", item.name, ",".join(item.lists), "")
    for changed in result.changed[:50]:
        table.add_row(
            "CHANGED",
            changed.name,
            ",".join(changed.lists),
            ", ".join(c.field for c in changed.changes),
        )
    out.print(table)
    if max(len(result.added), len(result.removed), len(result.changed)) > 50:
        out.print("(first 50 of each kind; --json or --csv for all)")


def regimes(
    as_of: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default today)")] = None,
    known_at: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The dated rule regimes and their state on a date (in force, suspended, scheduled …)."""
    try:
        states = core().regimes(parse_date(as_of, "--as-of"), parse_date(known_at, "--known-at"))
    except EXPECTED_ERRORS as exc:
        fail(str(exc))
    if as_json:
        emit_json([s.model_dump(mode="json") for s in states])
        return
    table = Table("regime", "state", "since", "next change", "basis")
    for state in states:
        data = state.model_dump(mode="json")
        table.add_row(
            str(data.get("title") or data.get("id")),
            str(data.get("state")),
            str(data.get("since") or ""),
            str(data.get("scheduled") or data.get("next_change") or ""),
            str(data.get("citation") or data.get("basis") or ""),
        )
    out.print(table)


@events_app.command("add")
def events_add(
    source: Annotated[str, typer.Option(help="Source of the entry, e.g. us_csl")],
    list_code: Annotated[str, typer.Option("--list", help="List code, e.g. EL")],
    name: Annotated[str, typer.Option(help="The entry's name as listed")],
    country: Annotated[str, typer.Option(help="ISO 3166-1 alpha-2")],
    action: Annotated[str, typer.Option(help="add, modify, remove or other")],
    published: Annotated[str, typer.Option(help="Publication date YYYY-MM-DD")],
    source_url: Annotated[str, typer.Option(help="Where the fact is published")],
    effective: Annotated[str | None, typer.Option(help="Effective date YYYY-MM-DD")] = None,
    citation: Annotated[str | None, typer.Option(help="e.g. '88 FR 80131'")] = None,
    document_number: Annotated[str | None, typer.Option(help="FR Doc number")] = None,
    title: Annotated[str | None, typer.Option()] = None,
    source_id: Annotated[
        str | None, typer.Option(help="Source id, for sources with stable ids")
    ] = None,
    verified: Annotated[bool, typer.Option(help="Checked against the source document")] = False,
    note: Annotated[list[str] | None, typer.Option(help="A note (repeatable)")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Record a dated list event that no feed carries (checked like the curated file)."""
    published_date = parse_date(published, "--published")
    assert published_date is not None
    try:
        event = operator_event(
            source=source,
            list_code=list_code,
            name=name,
            country=country,
            action=action,
            effective_date=parse_date(effective, "--effective"),
            published=published_date,
            source_url=source_url,
            verified=verified,
            citation=citation,
            document_number=document_number,
            title=title,
            source_id=source_id,
            notes=note or [],
        )
        added = core().add_event(event)
    except EXPECTED_ERRORS as exc:
        fail(str(exc), 2)
    if as_json:
        emit_json({"added": added, "event": event.model_dump(mode="json", exclude_defaults=True)})
        return
    out.print(
        ("recorded" if added else "already recorded") + f": {event.event_id} → {event.identity}"
    )


@events_app.command("list")
def events_list(
    origin: Annotated[
        str | None, typer.Option(help="curated, operator, federal-register, …")
    ] = None,
    source: Annotated[str | None, typer.Option()] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Stored and curated events, newest first."""
    try:
        wanted = Origin(origin) if origin else None
    except ValueError:
        fail(f"unknown origin {origin!r}; one of: {', '.join(o.value for o in Origin)}", 2)
    events = core().list_events(wanted, source)
    if as_json:
        emit_json(
            [e.model_dump(mode="json", exclude={"entry"}, exclude_defaults=True) for e in events]
        )
        return
    table = Table("recorded", "effective", "action", "origin", "identity / name", "citation")
    for event in events[:200]:
        table.add_row(
            str(event.recorded_at),
            str(event.effective_date or ""),
            event.action.value,
            event.origin.value,
            event.name or event.identity,
            event.citation.raw if event.citation else (event.document_number or ""),
        )
    out.print(table)
    if len(events) > 200:
        out.print(f"(200 of {len(events):,}; --json for all)")


def regimes_record(
    regime_id: Annotated[str, typer.Argument(help="e.g. us-bis-affiliates-rule")],
    status: Annotated[str, typer.Option(help="in_force, suspended or scheduled")],
    start: Annotated[str, typer.Option(help="YYYY-MM-DD")],
    published: Annotated[str, typer.Option(help="Publication date of the document")],
    document_title: Annotated[str, typer.Option()],
    source_url: Annotated[str, typer.Option()],
    end: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    citation: Annotated[str | None, typer.Option()] = None,
    document_number: Annotated[str | None, typer.Option()] = None,
    verified: Annotated[bool, typer.Option()] = False,
) -> None:
    """Record a regime phase (e.g. an extension of the Affiliates Rule's suspension)."""
    start_date, published_date = parse_date(start, "--start"), parse_date(published, "--published")
    assert start_date is not None and published_date is not None
    try:
        phase = operator_phase(
            regime_id=regime_id,
            status=status,
            start=start_date,
            end=parse_date(end, "--end"),
            recorded_at=published_date,
            document_title=document_title,
            document_published=published_date,
            source_url=source_url,
            verified=verified,
            citation=citation,
            document_number=document_number,
        )
        core().record_regime_phase(phase)
    except EXPECTED_ERRORS as exc:
        fail(str(exc), 2)
    out.print(f"recorded: {regime_id} {status} from {start_date}" + (f" to {end}" if end else ""))
