"""The authorisation matrix, generated from the route table: every endpoint × every role × the
operating organisation and a tenant organisation. A new endpoint joins the matrix by existing, and
one that declares no role fails here."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from interlock.accounts.model import Role
from interlock.api.app import create_app
from interlock.api.auth import OPERATOR_FIELD, ROLE_FIELD
from interlock.config import Settings
from interlock.core import Interlock
from interlock.store.tenancy import NO_ORG, NoOrganisation, acting_for

PUBLIC = {("GET", "/healthz"), ("POST", "/v1/session")}
MISSING_ID = "999999"  # no record has it: an allowed call gets 404 or 422, never a change


def routes(interlock: Interlock) -> list[tuple[str, str, Role | None, bool]]:
    app = create_app(interlock)
    table = []
    for route in app.routes:
        if not isinstance(route, APIRoute) or route.path.startswith(
            ("/docs", "/openapi", "/redoc")
        ):
            continue
        extra = route.openapi_extra or {}
        for method in sorted(route.methods):
            role = Role(extra[ROLE_FIELD]) if ROLE_FIELD in extra else None
            table.append((method, route.path, role, bool(extra.get(OPERATOR_FIELD))))
    return table


def call(client: TestClient, method: str, path: str, key: str | None) -> int:
    url = re.sub(r"\{[^}]+\}", MISSING_ID, path)
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    body = {} if method in ("POST", "PUT", "PATCH") else None
    return client.request(method, url, headers=headers, json=body).status_code


def test_every_endpoint_declares_a_role(settings: Settings) -> None:
    undeclared = [
        (method, path)
        for method, path, role, _ in routes(Interlock(settings))
        if role is None and (method, path) not in PUBLIC
    ]
    assert undeclared == []


@pytest.mark.parametrize("organisation", ["operator", "tenant"])
def test_every_endpoint_admits_exactly_the_roles_it_declares(
    settings: Settings, organisation: str
) -> None:
    interlock = Interlock(settings)
    org = 1 if organisation == "operator" else interlock.accounts.create_org("Tenant").id
    keys = {role: interlock.accounts.create_key(org, role, str(role)).secret for role in Role}
    client = TestClient(create_app(interlock))
    table = routes(interlock)
    assert len(table) > 40
    wrong = []
    for method, path, needed, operator_only in table:
        if needed is None:
            continue
        if call(client, method, path, None) != 401:
            wrong.append((method, path, "anonymous", "not 401"))
        for role, key in keys.items():
            allowed = role.allows(needed) and (not operator_only or organisation == "operator")
            status = call(client, method, path, key)
            if allowed == (status == 403) or status == 401 or status >= 500:
                wrong.append((method, path, str(role), status))
    assert wrong == []


def test_tenant_data_without_an_organisation_fails_closed(settings: Settings) -> None:
    interlock = Interlock(settings)
    with acting_for(NO_ORG), pytest.raises(NoOrganisation):
        interlock.alerts.list()
