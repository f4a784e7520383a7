"""What the history data files (curated events, regimes) share: YAML reading, checks, errors."""

from __future__ import annotations

import re
from typing import Any

import yaml
from pydantic import ValidationError


class HistoryDataError(ValueError):
    """A curated or operator-recorded history fact that does not pass validation."""


class _StringDates(yaml.SafeLoader):
    """YAML without implicit timestamps: dates stay text so a bad one is reported, not raised."""


_StringDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str, file_name: str) -> Any:
    try:
        return yaml.load(text, Loader=_StringDates)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        raise HistoryDataError(f"{file_name}: not valid YAML ({exc})") from None


def http_url(value: str) -> str:
    if not re.fullmatch(r"https?://[^\s/]+\S*", value.strip()):
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value.strip()


def describe(error: ValidationError) -> str:
    """The first problem of a validation error, as 'field a.b: message'."""
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "(row)"
    return f"field {field}: {first['msg']}"
