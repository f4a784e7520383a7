"""`interlock order screen`: an order's parties and lines against the dated rules."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.markup import escape
from rich.table import Table

from interlock.audit.certificate import html_page, markdown
from interlock.cli.common import core, emit_json, fail, out, parse_date
from interlock.ownership.graph import OwnershipError, read_ownership_csv
from interlock.screen.contract import OrderDecision
from interlock.screen.order import OrderError, read_order

order_app = typer.Typer(help="Orders and shipments.", no_args_is_help=True)
STYLE = {
    "BLOCK": "bold red",
    "LICENCE_REQUIRED": "bold yellow",
    "REVIEW": "yellow",
    "CLEAR": "green",
}


def print_decision(decision: OrderDecision) -> None:
    style = STYLE[decision.decision]
    out.print(
        f"[{style}]{decision.decision}[/] order {escape(decision.order_id)} as of "
        f"{decision.as_of} (data {decision.data_version}, rules {decision.rules_version})",
        highlight=False,
    )
    table = Table("target", "decision", "rule", "list", "detail")
    for reason in decision.reasons:
        table.add_row(
            escape(reason.target),
            f"[{STYLE[reason.outcome]}]{reason.outcome}[/]",
            reason.rule,
            escape(reason.list or ""),
            escape(reason.detail) + ("" if reason.verified else " [unverified]"),
        )
    if decision.reasons:
        out.print(table)
    for party in decision.parties:
        for note in [*party.notes, *party.ownership]:
            out.print(
                f"  {escape(party.role)} {escape(party.name)}: {escape(note)}", highlight=False
            )
    for note in decision.notes:
        out.print(f"  {escape(note)}", highlight=False)


@order_app.command("screen")
def screen_order(
    file: Annotated[Path, typer.Argument(help="The order: .json, or .csv (one row per record)")],
    as_of: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD (default: the order's date)")
    ] = None,
    ownership: Annotated[
        Path | None, typer.Option(help="Ownership edges: CSV of owner, owned, percentage, source")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Decide an order: CLEAR, REVIEW, LICENCE_REQUIRED or BLOCK, with every reason."""
    try:
        order = read_order(file)
        edges = read_ownership_csv(ownership) if ownership else []
    except (OrderError, OwnershipError) as exc:
        fail(str(exc), 2)
    interlock = core()
    decision = interlock.screen_order(order, parse_date(as_of, "--as-of"), edges)
    if as_json:
        emit_json(decision.model_dump(mode="json"))
    else:
        print_decision(decision)


@order_app.command("certificate")
def certificate(
    file: Annotated[Path, typer.Argument(help="The order: .json, or .csv (one row per record)")],
    out_file: Annotated[Path, typer.Option("--out", help="Where to write the certificate")],
    form: Annotated[
        Literal["md", "html", "json"], typer.Option("--format", help="md, html or json")
    ] = "md",
    as_of: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD (default: the order's date)")
    ] = None,
    ownership: Annotated[Path | None, typer.Option(help="Ownership edges CSV")] = None,
) -> None:
    """Screen an order and write its certificate: decision, reasons, data and audit record."""
    try:
        order = read_order(file)
        edges = read_ownership_csv(ownership) if ownership else []
    except (OrderError, OwnershipError) as exc:
        fail(str(exc), 2)
    issued = core().certify_order(order, parse_date(as_of, "--as-of"), edges)
    if form == "json":
        text = issued.model_dump_json(indent=2) + "\n"
    else:
        text = markdown(issued) if form == "md" else html_page(issued)
    # written beside the target and renamed: a reader never sees half a certificate
    descriptor, temporary = tempfile.mkstemp(dir=out_file.parent or Path("."), suffix=".part")
    with os.fdopen(descriptor, "w", encoding="utf-8") as sink:
        sink.write(text)
    os.replace(temporary, out_file)
    out.print(
        f"{issued.decision.decision}: certificate for order {escape(order.id)} → {out_file} "
        f"(audit record {issued.audit_seq})"
    )
