"""Who calls: an API key or a console session in the Authorization header, its role checked
against the route's, its rate limited, and the request set to act for its organisation.

Every route under /v1 declares the role it needs with `access(…)`; the declaration is also in the
OpenAPI document (`x-interlock-role`), and the authorisation tests walk the route table by it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Depends, Request

from interlock.accounts.model import Principal, Role
from interlock.accounts.ratelimit import RateLimiter
from interlock.accounts.store import AccountStore
from interlock.store.tenancy import act_for

ROLE_FIELD = "x-interlock-role"
OPERATOR_FIELD = "x-interlock-operator"
KEY_HEADER = "X-API-Key"


class Unauthenticated(Exception):
    """No credentials, or credentials that do not hold."""


class Forbidden(Exception):
    """The caller's role or organisation may not do this."""


class RateLimited(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"too many requests for this key; try again in {retry_after:.1f} s")
        self.retry_after = retry_after


def credentials(request: Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get(KEY_HEADER) or None


def _requirement(role: Role, operator: bool) -> Callable[[Request], Awaitable[Principal]]:
    async def caller(request: Request) -> Principal:
        # async: a context variable set here is seen by the route, wherever it runs
        secret = credentials(request)
        if secret is None:
            raise Unauthenticated("send an API key: Authorization: Bearer <key>")
        accounts: AccountStore = request.app.state.accounts
        principal = (
            accounts.authenticate_key(secret)
            if secret.startswith("ilk_")
            else accounts.authenticate_session(secret)
        )
        if principal is None:
            raise Unauthenticated(
                "the API key or session is not valid (unknown, revoked or expired)"
            )
        if principal.key_id is not None:
            limiter: RateLimiter = request.app.state.rate_limiter
            wait = limiter.admit(principal.key_id, principal.rate_per_minute)
            if wait is not None:
                raise RateLimited(wait)
        if not principal.role.allows(role):
            raise Forbidden(f"this needs the {role} role; the caller is {principal.role}")
        if operator and not principal.may_manage_lists:
            raise Forbidden(
                "the list data is shared by every organisation: only an admin of the operating "
                "organisation may change it"
            )
        request.state.principal = principal
        act_for(principal.org_id, principal.name)
        return principal

    return caller


def access(role: Role, operator: bool = False) -> dict[str, Any]:
    """The keyword arguments of a route decorator that require `role` (and, for changes to the
    shared list data, the operating organisation)."""
    return {
        "dependencies": [Depends(_requirement(role, operator))],
        "openapi_extra": {ROLE_FIELD: str(role), OPERATOR_FIELD: operator},
        "responses": {401: {"description": "no valid credentials"},
                      403: {"description": "the role or organisation may not"},
                      429: {"description": "rate limited (see Retry-After)"}},
    }  # fmt: skip


def principal_of(request: Request) -> Principal:
    """The authenticated caller of a request that passed `access`."""
    principal: Principal = request.state.principal
    return principal
