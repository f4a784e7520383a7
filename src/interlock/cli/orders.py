"""`interlock order screen`: an order's parties and lines against the dated rules."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

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
