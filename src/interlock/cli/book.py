"""`interlock book`: the counterparty book, screened and re-screened on list changes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from interlock.cli.common import core, emit_json, fail, out, parse_date
from interlock.screen.book import BookError, BookReport, read_book_csv

book_app = typer.Typer(help="The counterparty book.", no_args_is_help=True)
AsOf = Annotated[str | None, typer.Option(help="YYYY-MM-DD (default: today)")]


def _print(report: BookReport) -> None:
    scope = "all" if report.full else "affected"
    saved = 1 - report.screened / report.parties if report.parties else 0.0
    out.print(
        f"{report.screened} of {report.parties} parties screened ({scope}; "
        f"{saved:.1%} spared) as of {report.as_of} in {report.seconds:.1f} s; "
        f"{report.changed_entries} list entries changed since the last screen"
    )
    for found in report.new_hits:
        out.print(
            f"  [bold red]new hit[/] {escape(found.party.id)} {escape(found.party.name)} ~ "
            f"{escape(found.hit.name)} ({', '.join(found.hit.lists)}, {found.hit.score:.2f})",
            highlight=False,
        )
    for notice in report.releases:
        out.print(f"  [green]release[/] {escape(notice.party_id)}: {escape(notice.detail)}")


@book_app.command("import")
def import_book(file: Path) -> None:
    """Make the book these parties: CSV with id, name, and optionally country, identifiers, schema."""
    try:
        parties = read_book_csv(file)
    except BookError as exc:
        fail(str(exc), 2)
    out.print(f"{core().import_book(parties)} parties in the book")


@book_app.command("screen")
def screen(as_of: AsOf = None, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Screen every party of the book."""
    report = core().screen_book(parse_date(as_of, "--as-of"), full=True)
    if as_json:
        emit_json(report.model_dump(mode="json"))
    else:
        _print(report)


@book_app.command("rescreen")
def rescreen(as_of: AsOf = None, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Screen only the parties a list change since the last screen can reach."""
    report = core().screen_book(parse_date(as_of, "--as-of"))
    if as_json:
        emit_json(report.model_dump(mode="json"))
    else:
        _print(report)
