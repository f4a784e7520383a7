"""Roles and the caller a request acts as."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class Role(StrEnum):
    """Each role may do what the ones before it may."""

    VIEWER = "viewer"  # reads lists, statuses and the organisation's records
    ANALYST = "analyst"  # screens parties, chemicals, orders and the book; imports ownership
    REVIEWER = "reviewer"  # decides alerts (the second pair of eyes)
    ADMIN = "admin"  # manages the organisation's users and keys, audit holds and purges

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


class Organisation(BaseModel):
    id: int
    name: str
    operator: bool = Field(description="its admins manage the list data every organisation shares")
    created_at: datetime


class User(BaseModel):
    id: int
    org_id: int
    username: str
    role: Role
    has_password: bool
    created_at: datetime
    disabled_at: datetime | None


class ApiKey(BaseModel):
    """A key as listed: never its secret, which is shown once when the key is made."""

    id: int
    org_id: int
    user_id: int | None
    name: str
    role: Role
    prefix: str
    rate_per_minute: int | None = Field(description="null: the service's default")
    created_at: datetime
    revoked_at: datetime | None


class NewApiKey(BaseModel):
    key: ApiKey
    secret: str = Field(description="the whole key; shown this once and stored only as a hash")


class Principal(BaseModel):
    """Who a request acts as: an organisation, a role, and the key or session that proved it."""

    org_id: int
    org_name: str
    operator: bool
    role: Role
    name: str = Field(description="the key's or user's name, recorded as the actor")
    key_id: int | None = None
    rate_per_minute: int | None = None

    @property
    def may_manage_lists(self) -> bool:
        return self.operator and self.role is Role.ADMIN
