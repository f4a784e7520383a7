"""`interlock alerts`: potential matches under review, four eyes on what would block."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from interlock.cli.common import core, emit_json, fail, out
from interlock.review.alerts import Alert, AlertError, Outcome

alerts_app = typer.Typer(help="Alerts on potential matches.", no_args_is_help=True)


def _print(alert: Alert) -> None:
    out.print(
        f"alert {alert.id} [{alert.state}] {escape(str(alert.party.get('name')))} ~ "
        f"{escape(alert.matched_name)} ({', '.join(alert.lists)}, {alert.score:.2f}) "
        f"{'four eyes' if alert.block_level else ''}",
        highlight=False,
    )
    for step in alert.history:
        note = f" — {escape(step.note)}" if step.note else ""
        out.print(f"  {step.at:%Y-%m-%d %H:%M} {escape(step.actor)}: {escape(step.action)}{note}")


@alerts_app.command("list")
def list_alerts(
    state: Annotated[str | None, typer.Option(help="open, in_review, escalated, …")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Alerts, oldest first."""
    found = core().alerts.list(state)
    if as_json:
        emit_json([a.model_dump(mode="json") for a in found])
        return
    table = Table("id", "state", "party", "matched", "lists", "score", "order", "four eyes")
    for a in found:
        table.add_row(
            str(a.id), a.state, escape(str(a.party.get("name"))), escape(a.matched_name),
            ",".join(a.lists), f"{a.score:.2f}", escape(a.order_id or ""),
            "yes" if a.block_level else "",
        )  # fmt: skip
    out.print(table)


@alerts_app.command("show")
def show(alert_id: int, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """One alert with its history."""
    try:
        alert = core().alerts.get(alert_id)
    except AlertError as exc:
        fail(str(exc), 2)
    if as_json:
        emit_json(alert.model_dump(mode="json"))
    else:
        _print(alert)


@alerts_app.command("assign")
def assign(alert_id: int, reviewer: Annotated[str, typer.Option()]) -> None:
    """Put an alert under review by a reviewer."""
    try:
        _print(core().assign_alert(alert_id, reviewer))
    except AlertError as exc:
        fail(str(exc), 2)


@alerts_app.command("decide")
def decide(
    alert_id: int,
    outcome: Annotated[Outcome, typer.Argument(help="confirmed, false_positive or escalated")],
    reviewer: Annotated[str, typer.Option()],
    note: Annotated[str, typer.Option()] = "",
) -> None:
    """Close or escalate an alert; a block-level alert needs a second reviewer's confirmation."""
    try:
        _print(core().decide_alert(alert_id, outcome, reviewer, note))
    except AlertError as exc:
        fail(str(exc), 2)
