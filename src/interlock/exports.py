"""Output safety for files people open in spreadsheets."""

from __future__ import annotations

import json
from typing import Any

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """Text for a CSV cell: lists and dicts as JSON; a would-be formula prefixed with a quote."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    if text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text
