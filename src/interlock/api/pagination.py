"""Opaque cursors for paged lists: where the next page starts, as the endpoint wrote it."""

from __future__ import annotations

import base64
import json


class CursorError(ValueError):
    pass


def make_cursor(key: str, value: int) -> str:
    """An opaque cursor: where the next page starts."""
    return base64.urlsafe_b64encode(json.dumps({key: value}).encode()).decode().rstrip("=")


def read_cursor(cursor: str, key: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))[key]
    except (ValueError, KeyError, TypeError) as exc:
        raise CursorError(f"cursor {cursor!r} is not one this endpoint gave") from exc
    if not isinstance(value, int) or value < 0:
        raise CursorError(f"cursor {cursor!r} is not one this endpoint gave")
    return value
