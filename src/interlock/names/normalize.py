"""Name normalisation for comparison. The cleaned display name is kept elsewhere; this is for scoring."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rigour.names import remove_org_types

from interlock.sources.clean import comparison_key


def normalize(name: str) -> str:
    """Fold case and width, drop possessives and punctuation: 'Security?s' and 'Security's' agree."""
    return comparison_key(name)


@lru_cache(maxsize=65536)
def without_legal_form(normalized: str) -> str:
    """Remove legal-form words ('co ltd', 'llc', 'ooo') with rigour's org-type tables."""
    stripped = " ".join(remove_org_types(normalized).split())
    return stripped or normalized


def identifier_key(value: str) -> str:
    """An identifier compared without spacing, punctuation or case ('9144-0300 abc' = '91440300ABC')."""
    return re.sub(r"[^0-9A-Za-z]", "", unicodedata.normalize("NFKC", value)).upper()
