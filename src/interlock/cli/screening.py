"""`interlock screen`, `screen-batch` and `entity`."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.markup import escape
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
from interlock.match.contract import ScreeningQuery, ScreeningResult


def print_result(result: ScreeningResult) -> None:
    queried = result.query.get("name") or ", ".join(result.query.get("identifiers", []))
    table = Table(
        "score",
        "match",
        "name",
        "matched name",
        "lists",
        "source",
        "entity id",
        title=f"{queried} — as of {result.as_of}, data {result.data_version}",
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
    for m in result.matches:
        if m.match:  # why, in one line per match; --json has the full alignment
            qualifiers = ", ".join(
                f"{q['name']} {q['effect']:+g}" for q in m.explanation.get("qualifiers", [])
            )
            why = m.explanation.get("summary", "") + (f" ({qualifiers})" if qualifiers else "")
            out.print(f"[bold]{escape(m.entity_id)}[/]: {escape(why)}", highlight=False)
    if not any(m.match for m in result.matches):
        out.print(
            f"No match at or above {result.threshold}. Not on a loaded list is not clearance: "
            "see `interlock lists info` for what was screened."
        )


def screen(
    name: Annotated[str, typer.Argument(help="The name; may be omitted with --id")] = "",
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


def screen_batch(
    file: Path,
    name_column: Annotated[str, typer.Option()],
    out_file: Annotated[Path, typer.Option("--out")],
    schema_column: Annotated[str | None, typer.Option()] = None,
    country_column: Annotated[str | None, typer.Option()] = None,
    as_of: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    limit: int = 5,
    workers: Annotated[
        int, typer.Option(min=1, help="Processes screening in parallel (default: one per core)")
    ] = os.cpu_count() or 1,
) -> None:
    """Screen every row of a CSV; write one JSON object per row, in input order."""
    if not file.is_file():
        fail(f"{file}: no such file", 2)
    as_of_date = parse_date(as_of, "--as-of")
    interlock = core()
    rows = list(_batch_rows(file, name_column, schema_column, country_column))
    queries: list[ScreeningQuery] = []
    records: list[dict[str, Any]] = []
    for line, row in rows:
        record: dict[str, Any] = {"line": line}
        try:
            queries.append(
                ScreeningQuery(
                    name=(row.get(name_column) or "").strip(),
                    schema=(row.get(schema_column) or "Any") if schema_column else "Any",
                    country=(row.get(country_column) or None) if country_column else None,
                    as_of=as_of_date,
                    limit=limit,
                )
            )
        except ValidationError as exc:
            record.update(error=_first_error(exc), input=row)
        records.append(record)
    with err.status("building the screening index"):
        interlock.matcher()
    # the workers fork here, before the progress display starts its thread
    screened = interlock.screen_json(queries, workers)
    errors = 0
    with out_file.open("w", encoding="utf-8") as sink, progress_bar() as progress:
        task = progress.add_task("screening", total=len(rows))
        for record, (line, row) in zip(records, rows, strict=True):
            result = next(screened) if "error" not in record else None
            if isinstance(result, str):  # the result's JSON object, with the line number first
                sink.write(f'{{"line": {line}, {result[1:]}\n')
            else:
                if result is not None:
                    record.update(error=str(result), input=row)
                errors += 1
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            progress.advance(task)
    out.print(
        f"{len(records)} rows screened → {out_file}" + (f" ({errors} errors)" if errors else "")
    )


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


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
