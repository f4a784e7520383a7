"""Name normalisation for comparison. The cleaned display name is kept elsewhere; this is for scoring."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rigour.names import remove_org_types

_POSSESSIVE = re.compile(r"(?<=\w)(?:'|’|\?)s\b")
_NON_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=65536)
def normalize(name: str) -> str:
    """Fold case and width, drop possessives and punctuation: 'Security?s' and 'Security's' agree."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    folded = _POSSESSIVE.sub("", folded)
    folded = folded.replace("&", " and ")
    return " ".join(_NON_WORD.sub(" ", folded).split())


@lru_cache(maxsize=65536)
def without_legal_form(normalized: str) -> str:
    """Remove legal-form words ('co ltd', 'llc', 'ooo') with rigour's org-type tables."""
    stripped = " ".join(remove_org_types(normalized).split())
    return stripped or normalized


def identifier_key(value: str) -> str:
    """An identifier compared without spacing, punctuation or case ('9144-0300 abc' = '91440300ABC')."""
    return re.sub(r"[^0-9A-Za-z]", "", unicodedata.normalize("NFKC", value)).upper()
