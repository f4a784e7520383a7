"""Accounts over HTTP: the caller itself, its organisation's users and keys, organisations (for the
operating organisation's admins), and console sessions by password."""

from __future__ import annotations

from datetime import datetime

from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel, Field

from interlock.accounts.model import ApiKey, NewApiKey, Organisation, Principal, Role, User
from interlock.accounts.store import AccountError
from interlock.api.auth import Unauthenticated, access, credentials, principal_of
from interlock.api.pagination import RecordId
from interlock.core import Interlock


class NewOrganisation(BaseModel):
    name: str = Field(min_length=1, max_length=200)


class NewUser(BaseModel):
    username: str = Field(min_length=1, max_length=200)
    role: Role
    password: str | None = Field(
        None, min_length=12, max_length=1000, description="for the web console; keys need none"
    )


class KeyRequest(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    role: Role
    rate_per_minute: int | None = Field(None, ge=1, le=1_000_000)


class Login(BaseModel):
    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1000)


class Session(BaseModel):
    token: str = Field(description="send as `Authorization: Bearer <token>`")
    expires_at: datetime


def install(app: FastAPI, interlock: Interlock) -> None:
    accounts = interlock.accounts

    @app.get("/v1/me", **access(Role.VIEWER))
    def me(http: Request) -> Principal:
        """Who the credentials belong to: organisation and role."""
        return principal_of(http)

    @app.get("/v1/admin/users", **access(Role.ADMIN))
    def users_list(http: Request) -> list[User]:
        return accounts.users(principal_of(http).org_id)

    @app.post("/v1/admin/users", status_code=201, **access(Role.ADMIN))
    def users_create(request: NewUser, http: Request) -> User:
        """A user of the caller's organisation."""
        return accounts.create_user(
            principal_of(http).org_id, request.username, request.role, request.password
        )

    @app.get("/v1/admin/keys", **access(Role.ADMIN))
    def keys_list(http: Request) -> list[ApiKey]:
        return accounts.keys(principal_of(http).org_id)

    @app.post("/v1/admin/keys", status_code=201, **access(Role.ADMIN))
    def keys_create(request: KeyRequest, http: Request) -> NewApiKey:
        """A key of the caller's organisation; its secret is in this response and nowhere else."""
        return accounts.create_key(
            principal_of(http).org_id, request.role, request.name,
            rate_per_minute=request.rate_per_minute,
        )  # fmt: skip

    @app.delete("/v1/admin/keys/{key_id}", **access(Role.ADMIN))
    def keys_revoke(key_id: RecordId, http: Request) -> ApiKey:
        try:
            return accounts.revoke_key(principal_of(http).org_id, key_id)
        except LookupError as exc:
            raise HTTPException(404, str(exc)) from None

    @app.get("/v1/admin/orgs", **access(Role.ADMIN, operator=True))
    def orgs_list() -> list[Organisation]:
        return accounts.orgs()

    @app.post("/v1/admin/orgs", status_code=201, **access(Role.ADMIN, operator=True))
    def orgs_create(request: NewOrganisation) -> Organisation:
        """A new tenant organisation (give it an admin key with /v1/admin/orgs/{id}/keys)."""
        return accounts.create_org(request.name)

    @app.post("/v1/admin/orgs/{org_id}/keys", status_code=201, **access(Role.ADMIN, operator=True))
    def orgs_key(org_id: RecordId, request: KeyRequest) -> NewApiKey:
        """A key for another organisation, the way its first admin gets in."""
        try:
            accounts.org(org_id)
        except AccountError as exc:
            raise HTTPException(404, str(exc)) from None
        return accounts.create_key(
            org_id, request.role, request.name, rate_per_minute=request.rate_per_minute
        )

    @app.post("/v1/session", status_code=201)
    def session_open(request: Login) -> Session:
        """Log in with a user's password (the web console); the token lasts 12 hours."""
        try:
            token, expires = accounts.login(request.username, request.password)
        except AccountError as exc:
            raise Unauthenticated(str(exc)) from None
        return Session(token=token, expires_at=expires)

    @app.delete("/v1/session", status_code=204, **access(Role.VIEWER))
    def session_close(http: Request) -> None:
        secret = credentials(http)
        if secret and not secret.startswith("ilk_"):
            accounts.logout(secret)
