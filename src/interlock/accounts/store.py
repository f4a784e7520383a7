"""Organisations, users, API keys and sessions in the database."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from time import monotonic
from typing import Any

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from interlock.accounts.model import ApiKey, NewApiKey, Organisation, Principal, Role, User
from interlock.accounts.secrets import (
    hash_password,
    new_key,
    new_session_token,
    password_matches,
    same_hash,
    split_key,
    token_hash,
)
from interlock.store.schema import api_keys, organisations, sessions, users

SESSION_HOURS = 12
MIN_PASSWORD = 12
# a verified key is trusted this long before the database is asked again, so a revocation takes
# effect within this time in every worker
KEY_CACHE_SECONDS = 5.0


class AccountError(ValueError):
    """A bad request about accounts: unknown organisation, taken name, short password …"""


class AccountStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._verified: dict[str, tuple[float, Principal]] = {}
        self._lock = threading.Lock()

    # -- organisations ---------------------------------------------------------------------------
    def create_org(self, name: str, operator: bool = False) -> Organisation:
        name = name.strip()
        if not name:
            raise AccountError("an organisation needs a name")
        now = datetime.now(UTC)
        try:
            with self.engine.begin() as connection:
                key = connection.execute(
                    insert(organisations).values(name=name, operator=operator, created_at=now)
                ).inserted_primary_key
        except IntegrityError:
            raise AccountError(f"an organisation named {name!r} exists already") from None
        assert key is not None
        return Organisation(id=int(key[0]), name=name, operator=operator, created_at=now)

    def orgs(self) -> list[Organisation]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(organisations).order_by(organisations.c.id))
            return [Organisation.model_validate(row._asdict()) for row in rows]

    def org(self, reference: str | int) -> Organisation:
        """By id or by name."""
        column = organisations.c.id if isinstance(reference, int) else organisations.c.name
        with self.engine.connect() as connection:
            row = connection.execute(select(organisations).where(column == reference)).first()
        if row is None:
            raise AccountError(f"no organisation {reference!r}")
        return Organisation.model_validate(row._asdict())

    # -- users -----------------------------------------------------------------------------------
    def create_user(
        self, org: str | int, username: str, role: Role, password: str | None = None
    ) -> User:
        organisation = self.org(org)
        username = username.strip()
        if not username:
            raise AccountError("a user needs a name")
        if password is not None and len(password) < MIN_PASSWORD:
            raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
        now = datetime.now(UTC)
        values: dict[str, Any] = {
            "org_id": organisation.id,
            "username": username,
            "role": str(role),
            "password_hash": hash_password(password) if password else None,
            "created_at": now,
        }
        try:
            with self.engine.begin() as connection:
                key = connection.execute(insert(users).values(**values)).inserted_primary_key
        except IntegrityError:
            raise AccountError(f"a user named {username!r} exists already") from None
        assert key is not None
        return _user({**values, "id": int(key[0]), "disabled_at": None})

    def users(self, org_id: int) -> list[User]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(users).where(users.c.org_id == org_id).order_by(users.c.id)
            )
            return [_user(row._asdict()) for row in rows]

    # -- keys ------------------------------------------------------------------------------------
    def create_key(
        self,
        org: str | int,
        role: Role,
        name: str,
        user_id: int | None = None,
        rate_per_minute: int | None = None,
    ) -> NewApiKey:
        organisation = self.org(org)
        if rate_per_minute is not None and rate_per_minute < 1:
            raise AccountError("a rate limit must be at least 1 request a minute")
        whole, prefix, hashed = new_key()
        now = datetime.now(UTC)
        values: dict[str, Any] = {
            "org_id": organisation.id,
            "user_id": user_id,
            "name": name.strip() or "key",
            "role": str(role),
            "prefix": prefix,
            "rate_per_minute": rate_per_minute,
            "created_at": now,
        }
        with self.engine.begin() as connection:
            if user_id is not None:
                owner = connection.execute(
                    select(users.c.org_id).where(users.c.id == user_id)
                ).first()
                if owner is None or owner.org_id != organisation.id:
                    raise AccountError(f"no user {user_id} in {organisation.name!r}")
            key = connection.execute(
                insert(api_keys).values(**values, secret_hash=hashed)
            ).inserted_primary_key
        assert key is not None
        listed = ApiKey.model_validate({**values, "id": int(key[0]), "revoked_at": None})
        return NewApiKey(key=listed, secret=whole)

    def keys(self, org_id: int) -> list[ApiKey]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(api_keys).where(api_keys.c.org_id == org_id).order_by(api_keys.c.id)
            )
            return [ApiKey.model_validate(row._asdict()) for row in rows]

    def revoke_key(self, org_id: int, key_id: int) -> ApiKey:
        with self.engine.begin() as connection:
            changed = connection.execute(
                update(api_keys)
                .where(
                    api_keys.c.id == key_id,
                    api_keys.c.org_id == org_id,
                    api_keys.c.revoked_at.is_(None),
                )
                .values(revoked_at=datetime.now(UTC))
            ).rowcount
            row = connection.execute(
                select(api_keys).where(api_keys.c.id == key_id, api_keys.c.org_id == org_id)
            ).first()
        if row is None:
            raise LookupError(f"no API key {key_id}")
        if not changed:
            raise AccountError(f"API key {key_id} was revoked already")
        with self._lock:
            self._verified.clear()
        return ApiKey.model_validate(row._asdict())

    def any_key(self) -> bool:
        with self.engine.connect() as connection:
            return connection.execute(select(api_keys.c.id).limit(1)).first() is not None

    def authenticate_key(self, key: str) -> Principal | None:
        """The key's principal, or None for an unknown, malformed or revoked key."""
        now = monotonic()
        with self._lock:
            cached = self._verified.get(key)
        if cached and now - cached[0] < KEY_CACHE_SECONDS:
            return cached[1]
        parts = split_key(key)
        if parts is None:
            return None
        prefix, secret = parts
        query = (
            select(api_keys, organisations.c.name.label("org_name"), organisations.c.operator)
            .join(organisations, organisations.c.id == api_keys.c.org_id)
            .where(api_keys.c.prefix == prefix)
        )
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        if (
            row is None
            or row.revoked_at is not None
            or not same_hash(row.secret_hash, token_hash(secret))
        ):
            return None
        principal = Principal(
            org_id=row.org_id,
            org_name=row.org_name,
            operator=row.operator,
            role=Role(row.role),
            name=f"key:{row.prefix}:{row.name}",
            key_id=row.id,
            rate_per_minute=row.rate_per_minute,
        )
        with self._lock:
            self._verified[key] = (now, principal)
        return principal

    # -- sessions (the web console's password login) ---------------------------------------------
    def login(self, username: str, password: str) -> tuple[str, datetime]:
        """A session token and its expiry, or AccountError (the same for any wrong detail)."""
        with self.engine.connect() as connection:
            row = connection.execute(select(users).where(users.c.username == username)).first()
        if (
            row is None
            or row.disabled_at is not None
            or not row.password_hash
            or not password_matches(row.password_hash, password)
        ):
            raise AccountError("wrong user name or password")
        token = new_session_token()
        now = datetime.now(UTC)
        expires = now + timedelta(hours=SESSION_HOURS)
        with self.engine.begin() as connection:
            connection.execute(
                insert(sessions).values(
                    user_id=row.id, token_hash=token_hash(token), created_at=now, expires_at=expires
                )
            )
        return token, expires

    def authenticate_session(self, token: str) -> Principal | None:
        query = (
            select(
                sessions.c.expires_at,
                sessions.c.revoked_at,
                users.c.username,
                users.c.role,
                users.c.disabled_at,
                users.c.org_id,
                organisations.c.name.label("org_name"),
                organisations.c.operator,
            )
            .join(users, users.c.id == sessions.c.user_id)
            .join(organisations, organisations.c.id == users.c.org_id)
            .where(sessions.c.token_hash == token_hash(token))
        )
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        if row is None or row.revoked_at is not None or row.disabled_at is not None:
            return None
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
        if expires <= datetime.now(UTC):
            return None
        return Principal(
            org_id=row.org_id,
            org_name=row.org_name,
            operator=row.operator,
            role=Role(row.role),
            name=f"user:{row.username}",
        )

    def logout(self, token: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(sessions)
                .where(sessions.c.token_hash == token_hash(token))
                .values(revoked_at=datetime.now(UTC))
            )


def _user(values: dict[str, Any]) -> User:
    return User(
        id=values["id"],
        org_id=values["org_id"],
        username=values["username"],
        role=Role(values["role"]),
        has_password=bool(values["password_hash"]),
        created_at=values["created_at"],
        disabled_at=values["disabled_at"],
    )
