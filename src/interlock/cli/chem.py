"""`interlock chem` and `chem-batch`: order lines against the substance registry and the classes."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from interlock.chem.contract import ChemAnswer
from interlock.chem.screening import ChemQueryError, jurisdictions_for
from interlock.cli.common import core, emit_json, fail, out, parse_date, progress_bar

CHUNK = 500  # lines per call: OPSIN reads a chunk's systematic names in one exchange
Jurisdiction = Annotated[str, typer.Option(help="US, CN, UN, EU or all")]
STATUS_STYLE = {"controlled": "bold red", "unresolved": "bold yellow", "not_controlled": "green"}


def print_answer(answer: ChemAnswer) -> None:
    style = STATUS_STYLE[answer.status]
    out.print(
        f"[{style}]{answer.status.upper()}[/] {escape(answer.input)} "
        f"({answer.jurisdiction}, as of {answer.as_of})",
        highlight=False,
    )
    if answer.verdicts:
        table = Table(
            "jurisdiction", "controlled", "basis", "listing", "clauses", "since", "verified"
        )
        for v in answer.verdicts:
            controlled = "[bold red]yes[/]" if v.controlled else "no"
            if v.effect == "surveillance":
                controlled = "watched"
            table.add_row(
                v.jurisdiction,
                controlled,
                v.basis,
                escape(v.listing),
                ",".join(v.clauses),
                str(v.since or "not recorded"),
                "yes" if v.verified else "[yellow]unverified[/]",
            )
        out.print(table)
        for v in answer.verdicts:  # why, one line each; --json has citations and substituents
            unverified = "" if v.verified else " [unverified]"
            out.print(f"  {escape(v.reason)}{unverified}", highlight=False)
    for line in answer.explanation:
        out.print(f"  {escape(line)}", highlight=False)
    for issue in answer.issues:
        out.print(f"  [yellow]issue:[/] {escape(issue)}", highlight=False)


def chem(
    text: Annotated[str, typer.Argument(help="An order line: name, CAS, SMILES, InChIKey …")],
    jurisdiction: Jurisdiction = "all",
    as_of: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default: today)")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Is this substance controlled, where, since when and why?"""
    if not text.strip():
        fail("give the order line to assess", 2)
    try:
        jurisdictions_for(jurisdiction)
    except ChemQueryError as exc:
        fail(str(exc), 2)
    (answer,) = core().chem([text], jurisdiction, parse_date(as_of, "--as-of"))
    if as_json:
        emit_json(answer.model_dump(mode="json"))
    else:
        print_answer(answer)
    invalid = [issue for issue in answer.issues if "check digit" in issue]
    if invalid:  # the answer is printed, and the bad input is an error
        fail("; ".join(invalid), 1)


def chem_batch(
    file: Path,
    column: Annotated[str, typer.Option(help="The column holding the order line")],
    out_file: Annotated[Path, typer.Option("--out")],
    jurisdiction: Jurisdiction = "all",
    as_of: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default: today)")] = None,
) -> None:
    """Assess every row of a CSV; write one JSON object per row, in input order."""
    if not file.is_file():
        fail(f"{file}: no such file", 2)
    try:
        jurisdictions_for(jurisdiction)
    except ChemQueryError as exc:
        fail(str(exc), 2)
    as_of_date = parse_date(as_of, "--as-of")
    with file.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if column not in (reader.fieldnames or []):
            fail(f"{file}: no column {column!r} (columns: {', '.join(reader.fieldnames or [])})", 2)
        rows = [(line, (row.get(column) or "").strip()) for line, row in enumerate(reader, start=2)]
    interlock = core()
    counts = {"controlled": 0, "not_controlled": 0, "unresolved": 0, "errors": 0}
    # written beside the target and renamed at the end: a reader never sees half a file
    descriptor, temporary = tempfile.mkstemp(dir=out_file.parent or Path("."), suffix=".part")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as sink, progress_bar() as progress:
            task = progress.add_task("assessing", total=len(rows))
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                texts = [text for _, text in chunk if text]
                answers = iter(interlock.chem(texts, jurisdiction, as_of_date))
                for line, text in chunk:
                    if not text:
                        record: dict[str, object] = {"line": line, "error": f"{column}: empty"}
                        counts["errors"] += 1
                    else:
                        answer = next(answers)
                        record = {"line": line, **answer.model_dump(mode="json")}
                        counts[answer.status] += 1
                    sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                progress.advance(task, len(chunk))
        os.replace(temporary, out_file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items() if n)
    out.print(f"{len(rows)} rows assessed → {out_file} ({summary})")
