"""Organisations, users, keys and sessions: keys stored hashed and shown once, revocation, argon2
passwords, expiring sessions, per-key rate limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from interlock.accounts.model import Role
from interlock.accounts.ratelimit import RateLimiter
from interlock.accounts.store import AccountError, AccountStore
from interlock.config import Settings
from interlock.core import Interlock
from interlock.store.schema import api_keys, sessions, users
from tests.conftest import api_client


@pytest.fixture
def accounts(settings: Settings) -> AccountStore:
    return Interlock(settings).accounts


def test_a_key_is_stored_hashed_and_works_until_revoked(accounts: AccountStore) -> None:
    org = accounts.create_org("Acme Chemicals")
    made = accounts.create_key("Acme Chemicals", Role.ANALYST, "erp")
    with accounts.engine.connect() as connection:
        stored = connection.execute(select(api_keys)).one()
    secret_part = made.secret.split("_", 2)[2]
    assert secret_part not in str(stored._asdict()) and stored.secret_hash != secret_part
    principal = accounts.authenticate_key(made.secret)
    assert principal is not None and principal.org_id == org.id and principal.role is Role.ANALYST
    assert not principal.operator and not principal.may_manage_lists
    assert accounts.authenticate_key(made.secret[:-1] + "x") is None
    assert accounts.authenticate_key("ilk_nonsense") is None
    accounts.revoke_key(org.id, made.key.id)
    assert accounts.authenticate_key(made.secret) is None
    with pytest.raises(AccountError, match="revoked already"):
        accounts.revoke_key(org.id, made.key.id)
    with pytest.raises(LookupError):
        accounts.revoke_key(org.id + 1, made.key.id)  # another organisation's key id


def test_names_are_checked(accounts: AccountStore) -> None:
    accounts.create_org("Acme")
    with pytest.raises(AccountError, match="exists already"):
        accounts.create_org("Acme")
    with pytest.raises(AccountError, match="no organisation"):
        accounts.create_key("Nobody Inc", Role.VIEWER, "x")
    with pytest.raises(AccountError, match="at least 12"):
        accounts.create_user("Acme", "ann", Role.VIEWER, "short")
    other = accounts.create_org("Other")
    stranger = accounts.create_user(other.id, "sam", Role.VIEWER)
    with pytest.raises(AccountError, match="no user"):
        accounts.create_key("Acme", Role.VIEWER, "x", user_id=stranger.id)


def test_password_login_gives_an_expiring_session(accounts: AccountStore) -> None:
    accounts.create_org("Acme")
    accounts.create_user("Acme", "ann", Role.REVIEWER, "correct horse battery")
    with accounts.engine.connect() as connection:
        assert (
            connection.execute(select(users.c.password_hash)).scalar_one().startswith("$argon2id$")
        )
    with pytest.raises(AccountError, match="wrong user name or password"):
        accounts.login("ann", "wrong horse battery")
    with pytest.raises(AccountError, match="wrong user name or password"):
        accounts.login("bob", "correct horse battery")
    token, expires = accounts.login("ann", "correct horse battery")
    assert expires > datetime.now(UTC) + timedelta(hours=11)
    principal = accounts.authenticate_session(token)
    assert principal is not None and principal.role is Role.REVIEWER
    assert principal.name == "user:ann"
    with accounts.engine.begin() as connection:
        connection.execute(update(sessions).values(expires_at=datetime.now(UTC) - timedelta(1)))
    assert accounts.authenticate_session(token) is None
    token, _ = accounts.login("ann", "correct horse battery")
    accounts.logout(token)
    assert accounts.authenticate_session(token) is None


def test_the_rate_limit_admits_a_minute_then_waits() -> None:
    limiter = RateLimiter(default_per_minute=6)
    assert [limiter.admit(1, None) for _ in range(6)] == [None] * 6
    wait = limiter.admit(1, None)
    assert wait is not None and 9 < wait <= 10  # one token every 10 s
    assert limiter.admit(2, None) is None  # another key has its own bucket
    assert RateLimiter(6, workers=2).admit(3, 600) is None  # the key's own rate, shared by 2


def test_the_service_answers_401_and_429_as_problems(settings: Settings) -> None:
    interlock = Interlock(settings)
    client = api_client(interlock, "viewer")
    assert client.get("/v1/lists").status_code == 200
    anonymous = client.get("/v1/lists", headers={"Authorization": ""})
    assert anonymous.status_code == 401 and anonymous.json()["type"].endswith("/unauthenticated")
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    made = interlock.accounts.create_key(1, Role.VIEWER, "slow", rate_per_minute=2)
    headers = {"X-API-Key": made.secret, "Authorization": ""}
    assert [client.get("/v1/lists", headers=headers).status_code for _ in range(2)] == [200, 200]
    limited = client.get("/v1/lists", headers=headers)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["type"].endswith("/too-many-requests")


def test_keys_and_sessions_over_the_api(settings: Settings) -> None:
    interlock = Interlock(settings)
    admin = api_client(interlock, "admin")
    assert admin.get("/v1/me").json()["org_name"] == "default"
    made = admin.post("/v1/admin/keys", json={"name": "erp", "role": "analyst"})
    assert made.status_code == 201
    secret, key_id = made.json()["secret"], made.json()["key"]["id"]
    listed = admin.get("/v1/admin/keys").json()
    assert all("secret" not in k and "secret_hash" not in k for k in listed)
    erp = {"Authorization": f"Bearer {secret}"}
    assert admin.get("/v1/me", headers=erp).json()["role"] == "analyst"
    assert admin.delete(f"/v1/admin/keys/{key_id}").json()["revoked_at"]
    interlock.accounts._verified.clear()  # as after the cache's few seconds
    assert admin.get("/v1/me", headers=erp).status_code == 401
    created = admin.post(
        "/v1/admin/users",
        json={"username": "ann", "role": "reviewer", "password": "correct horse battery"},
    )
    assert created.status_code == 201 and created.json()["has_password"]
    session = admin.post(
        "/v1/session",
        json={"username": "ann", "password": "correct horse battery"},
        headers={"Authorization": ""},
    )
    assert session.status_code == 201
    console = {"Authorization": f"Bearer {session.json()['token']}"}
    assert admin.get("/v1/me", headers=console).json()["name"] == "user:ann"
    assert admin.delete("/v1/session", headers=console).status_code == 204
    assert admin.get("/v1/me", headers=console).status_code == 401
    refused = admin.post("/v1/session", json={"username": "ann", "password": "x" * 12})
    assert refused.status_code == 401
