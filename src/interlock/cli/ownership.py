"""`interlock ownership`: who owns whom, and what the ownership rules make of it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from interlock.cli.common import core, emit_json, fail, out, parse_date
from interlock.ownership.ftm import read_ftm_ownership
from interlock.ownership.graph import OwnershipError, read_ownership_csv

ownership_app = typer.Typer(help="Ownership of parties.", no_args_is_help=True)


@ownership_app.command("import")
def import_edges(
    file: Path,
    origin: Annotated[
        str | None, typer.Option(help="Replaces earlier edges of this origin")
    ] = None,
) -> None:
    """Keep ownership edges: a CSV (owner, owned, percentage, source, as_of) or FtM JSON lines."""
    try:
        if file.suffix.lower() in (".json", ".jsonl", ".ftm"):
            edges = read_ftm_ownership(file)
        else:
            edges = read_ownership_csv(file)
    except OwnershipError as exc:
        fail(str(exc), 2)
    count = core().import_ownership(origin or file.name, edges)
    out.print(f"{count} ownership edges kept under {escape(origin or file.name)}")


@ownership_app.command("explain")
def explain(
    name: str,
    as_of: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default: today)")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Who owns NAME, which owners are listed, what the OFAC 50 % and Affiliates rules say."""
    explanation = core().explain_ownership(name, parse_date(as_of, "--as-of"))
    if as_json:
        emit_json(explanation.model_dump(mode="json"))
        return
    out.print(f"{escape(name)} as of {explanation.as_of}: {explanation.decision}", highlight=False)
    for edge in explanation.edges:
        share = f"{edge['share']:.0%}" if isinstance(edge["share"], float) else "unknown %"
        out.print(f"  {escape(str(edge['owner']))} owns {share} of {escape(str(edge['owned']))}")
    for owner, entries in explanation.listed_owners.items():
        out.print(f"  listed owner {escape(owner)}: {', '.join(entries)}")
    for line in [*explanation.paths, *explanation.notes]:
        out.print(f"  {escape(line)}", highlight=False)
