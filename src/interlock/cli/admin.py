"""`interlock admin …`: organisations, users and API keys."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.table import Table

from interlock.accounts.model import Role
from interlock.accounts.store import AccountError
from interlock.cli.common import core, emit_json, fail, out

admin_app = typer.Typer(help="Organisations, users and API keys.", no_args_is_help=True)

RoleOption = Annotated[Role, typer.Option(help="viewer, analyst, reviewer or admin")]


@admin_app.command("create-org")
def create_org(
    name: str,
    operator: Annotated[
        bool, typer.Option(help="Its admins may change the list data every organisation shares.")
    ] = False,
) -> None:
    """A new organisation (a tenant)."""
    try:
        org = core().accounts.create_org(name, operator)
    except AccountError as exc:
        fail(str(exc), 2)
    out.print(f"organisation {org.id}: {org.name}" + (" (operator)" if org.operator else ""))


@admin_app.command("orgs")
def orgs(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The organisations."""
    found = core().accounts.orgs()
    if as_json:
        emit_json([o.model_dump(mode="json") for o in found])
        return
    table = Table("id", "name", "operator", "created")
    for org in found:
        table.add_row(
            str(org.id), org.name, "yes" if org.operator else "", f"{org.created_at:%Y-%m-%d}"
        )
    out.print(table)


@admin_app.command("create-user")
def create_user(
    org: Annotated[str, typer.Argument(help="The organisation's name")],
    username: str,
    role: RoleOption,
    password: Annotated[
        bool, typer.Option("--password", help="Ask for a password (for the web console).")
    ] = False,
) -> None:
    """A user of an organisation, with a role."""
    secret = None
    if password:
        secret = getpass.getpass("password: ")
        if getpass.getpass("again: ") != secret:
            fail("the passwords differ", 2)
    try:
        user = core().accounts.create_user(org, username, role, secret)
    except AccountError as exc:
        fail(str(exc), 2)
    out.print(f"user {user.id}: {user.username} ({user.role}) in organisation {user.org_id}")


@admin_app.command("create-key")
def create_key(
    org: Annotated[str, typer.Argument(help="The organisation's name")],
    role: RoleOption,
    name: Annotated[str, typer.Option(help="What the key is for")] = "key",
    rate: Annotated[
        int | None, typer.Option(help="Requests a minute (default: the service's)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """An API key; its secret is shown this once (only a hash is kept)."""
    try:
        made = core().accounts.create_key(org, role, name, rate_per_minute=rate)
    except AccountError as exc:
        fail(str(exc), 2)
    if as_json:
        emit_json(made.model_dump(mode="json"))
        return
    out.print(f"key {made.key.id} ({made.key.role}, {made.key.name}) for organisation {org}:")
    out.print(made.secret, highlight=False, soft_wrap=True)
    out.print("[dim]shown once: store it now[/]")


@admin_app.command("keys")
def keys(
    org: Annotated[str, typer.Argument(help="The organisation's name")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """An organisation's keys (never their secrets)."""
    accounts = core().accounts
    try:
        found = accounts.keys(accounts.org(org).id)
    except AccountError as exc:
        fail(str(exc), 2)
    if as_json:
        emit_json([k.model_dump(mode="json") for k in found])
        return
    table = Table("id", "prefix", "name", "role", "created", "revoked")
    for key in found:
        revoked = f"{key.revoked_at:%Y-%m-%d}" if key.revoked_at else ""
        table.add_row(
            str(key.id), key.prefix, key.name, key.role, f"{key.created_at:%Y-%m-%d}", revoked
        )
    out.print(table)


@admin_app.command("revoke-key")
def revoke_key(
    org: Annotated[str, typer.Argument(help="The organisation's name")], key_id: int
) -> None:
    """Revoke a key (every server process stops taking it within seconds)."""
    accounts = core().accounts
    try:
        key = accounts.revoke_key(accounts.org(org).id, key_id)
    except (AccountError, LookupError) as exc:
        fail(str(exc), 2)
    out.print(f"key {key.id} ({key.prefix}) revoked")
