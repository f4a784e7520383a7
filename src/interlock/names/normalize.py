"""Name normalisation for comparison. The cleaned display name is kept elsewhere; this is for scoring."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii
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


_SYLLABLE_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])")


@lru_cache(maxsize=65536)
def latin_form(name: str) -> str | None:
    """A romanised comparison key for a name with non-Latin letters, else None.

    anyascii romanises every script (pinyin for Han, without tones: 习近平 → 'XiJinPing'); its
    capitalised syllables are split so that the key compares with a list's 'Xi Jinping'.
    """
    if all(ord(char) < 0x250 for char in name if char.isalpha()):
        return None
    romanised = _SYLLABLE_BOUNDARY.sub(" ", anyascii(name))
    return comparison_key(romanised) or None
