"""`interlock audit`: the hash-chained record of screenings, decisions and data loads."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from interlock.cli.common import core, emit_json, fail, out

audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)


@audit_app.command("verify")
def verify(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Check the chain: an edited, deleted or reordered record fails here, and says where."""
    result = core().verify_audit()
    if as_json:
        emit_json(
            {"ok": result.ok, "records": result.records, "first_bad": result.first_bad,
             "problem": result.problem}
        )  # fmt: skip
    elif result.ok:
        out.print(f"[green]intact[/]: {result.problem}", highlight=False)
    if not result.ok:
        fail(f"audit log broken at record {result.first_bad}: {result.problem}", 1)


@audit_app.command("list")
def list_records(
    limit: int = 20,
    action: Annotated[
        str | None, typer.Option(help="screen, chem, order.screen, lists.load …")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The latest records, newest first."""
    records = core().audit.records(limit, action)
    if as_json:
        emit_json([r.model_dump(mode="json") for r in records])
        return
    table = Table("seq", "recorded at", "actor", "action", "subject", "data version", "hold")
    for r in records:
        table.add_row(
            str(r.seq),
            r.recorded_at.isoformat(timespec="seconds"),
            escape(r.actor),
            r.action,
            escape(r.subject),
            r.data_version,
            "yes" if r.legal_hold else "",
        )
    out.print(table)


@audit_app.command("hold")
def hold(
    seq: int, release: Annotated[bool, typer.Option("--release", help="lift the hold")] = False
) -> None:
    """Put a record under legal hold (15 CFR 762.6(b)), or lift it: a held record is never purged."""
    try:
        core().hold_audit_record(seq, not release)
    except LookupError as exc:
        fail(str(exc), 2)
    out.print(f"record {seq}: legal hold {'lifted' if release else 'set'}")


@audit_app.command("purge")
def purge() -> None:
    """Remove records past their five-year retention, oldest first, stopping at a legal hold."""
    interlock = core()
    removed = interlock.purge_audit()
    out.print(f"{removed} audit records past retention removed; the chain is anchored")
