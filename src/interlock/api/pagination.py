"""Record ids in paths, and opaque cursors for paged lists: where the next page starts, as the
endpoint wrote it."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Annotated, Generic, TypeVar

from fastapi import Path
from pydantic import BaseModel, Field

MAX_ID = 2**31 - 1  # the database's integer keys
RecordId = Annotated[int, Path(ge=1, le=MAX_ID, description="a record's id")]

PAGE_DEFAULT = 100
PAGE_MAX = 1000


class CursorError(ValueError):
    pass


MAX_TEXT_KEY = 512  # characters of a text position (an event's order key)


def make_cursor(key: str, value: int | str) -> str:
    """An opaque cursor: where the next page starts."""
    return base64.urlsafe_b64encode(json.dumps({key: value}).encode()).decode().rstrip("=")


def _cursor_value(cursor: str, key: str) -> object:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return json.loads(base64.urlsafe_b64decode(padded.encode()))[key]
    except (ValueError, KeyError, TypeError) as exc:
        raise CursorError(f"cursor {cursor!r} is not one this endpoint gave") from exc


def read_cursor(cursor: str, key: str) -> int:
    value = _cursor_value(cursor, key)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_ID:
        raise CursorError(f"cursor {cursor!r} is not one this endpoint gave")
    return value


def read_text_cursor(cursor: str, key: str) -> str:
    value = _cursor_value(cursor, key)
    if not isinstance(value, str) or not 0 < len(value) <= MAX_TEXT_KEY:
        raise CursorError(f"cursor {cursor!r} is not one this endpoint gave")
    return value


Item = TypeVar("Item")


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null: last")


def page_of(
    fetched: list[Item], limit: int, key: str, position: Callable[[Item], int | str]
) -> Page[Item]:
    """A page from up to `limit + 1` rows read: the extra row only says another page follows."""
    items = fetched[:limit]
    more = len(fetched) > limit
    return Page[Item](
        items=items, next_cursor=make_cursor(key, position(items[-1])) if more else None
    )
