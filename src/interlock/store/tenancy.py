"""Which organisation the current call acts for.

Orders, alerts, decisions, books, imported ownership and audit records belong to one organisation;
every store that keeps them asks `current_org()` on each read and write. The CLI acts for the
default organisation unless told otherwise; the service sets the organisation of the caller's key
for the length of each request, and starts every request with no organisation at all, so a code
path that reaches tenant data without an authenticated caller fails instead of reading someone's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

DEFAULT_ORG = 1  # the embedded mode's single organisation, created by migration 0009
NO_ORG = 0


class NoOrganisation(RuntimeError):
    """Tenant data was reached by a call that acts for no organisation."""


_current: ContextVar[int] = ContextVar("interlock_org", default=DEFAULT_ORG)
_actor: ContextVar[str | None] = ContextVar("interlock_actor", default=None)


def current_org() -> int:
    org = _current.get()
    if org == NO_ORG:
        raise NoOrganisation("this call acts for no organisation; authenticate first")
    return org


def current_actor() -> str | None:
    """Who acts, where the caller said so (the service: the key's or user's name)."""
    return _actor.get()


@contextmanager
def acting_for(org_id: int, actor: str | None = None) -> Iterator[None]:
    org_token = _current.set(org_id)
    actor_token = _actor.set(actor) if actor is not None else None
    try:
        yield
    finally:
        _current.reset(org_token)
        if actor_token is not None:
            _actor.reset(actor_token)


def act_for(org_id: int, actor: str | None = None) -> None:
    """Set the organisation (and actor) for the rest of this context: a CLI run, a request."""
    _current.set(org_id)
    if actor is not None:
        _actor.set(actor)
