"""The `interlock` command: a thin shell over `interlock.core.Interlock`."""

from __future__ import annotations

from typing import Annotated

import typer

from interlock.cli import common
from interlock.cli.admin import admin_app
from interlock.cli.alerts import alerts_app
from interlock.cli.audit import audit_app
from interlock.cli.book import book_app
from interlock.cli.chem import chem, chem_batch
from interlock.cli.common import core, out
from interlock.cli.history import diff, events_app, history, regimes, regimes_record, status
from interlock.cli.lists import lists_app
from interlock.cli.orders import order_app
from interlock.cli.ownership import ownership_app
from interlock.cli.screening import entity, screen, screen_batch
from interlock.cli.service import serve, worker

app = typer.Typer(
    help="interlock: export-control and sanctions screening with list history.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database administration.", no_args_is_help=True)


@app.callback()
def _organisation(
    org: Annotated[
        str | None,
        typer.Option(
            envvar="INTERLOCK_ORG",
            help="The organisation to act for (orders, alerts, book, audit); default: 'default'.",
        ),
    ] = None,
) -> None:
    common.acting_org = org


app.add_typer(admin_app, name="admin")
app.add_typer(lists_app, name="lists")
app.add_typer(events_app, name="events")
app.add_typer(db_app, name="db")
app.add_typer(order_app, name="order")
app.add_typer(audit_app, name="audit")
app.add_typer(alerts_app, name="alerts")
app.add_typer(book_app, name="book")
app.add_typer(ownership_app, name="ownership")
app.command()(screen)
app.command("screen-batch")(screen_batch)
app.command()(entity)
app.command()(status)
app.command()(history)
app.command()(diff)
app.command()(regimes)
app.command("regimes-record")(regimes_record)
app.command()(chem)
app.command("chem-batch")(chem_batch)


app.command()(serve)
app.command()(worker)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply database migrations."""
    core()
    out.print("database schema is up to date")


def main() -> None:
    app()
