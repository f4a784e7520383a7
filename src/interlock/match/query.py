"""What a screening query may ask for, checked before any matching."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from interlock.model import IdentifierType, ListEntry, Schema
from interlock.names.forms import ANY, ORGANIZATION, PERSON


class QueryError(ValueError):
    pass


_SCHEMA_FILTER = {
    "person": {Schema.PERSON, Schema.UNKNOWN},
    "organization": {Schema.ORGANIZATION, Schema.UNKNOWN},
    "vessel": {Schema.VESSEL, Schema.UNKNOWN},
    "aircraft": {Schema.AIRCRAFT, Schema.UNKNOWN},
}


def schema_filter(schema: str) -> set[Schema] | None:
    key = schema.strip().lower()
    if key in ("any", ""):
        return None
    try:
        return _SCHEMA_FILTER[key]
    except KeyError:
        raise QueryError(
            f"unknown schema {schema!r}: use Person, Organization, Vessel, Aircraft or Any"
        ) from None


def name_reading(schema: str | Schema) -> str:
    """How a name of this schema is read: as a person's, an organisation's, or either."""
    key = str(schema).strip().lower()
    if key == "person":
        return PERSON
    if key in ("organization", "company", "vessel", "aircraft"):
        return ORGANIZATION
    return ANY


def in_force(entry: ListEntry, as_of: date) -> bool:
    """Within the dates the entry itself states (a DPL order's expiry, a listing date)."""
    if entry.listed_on and entry.listed_on > as_of:
        return False
    end = entry.end_date
    if end:
        try:
            return date.fromisoformat(end[:10]) >= as_of
        except ValueError:
            return True
    return True


_TYPE_BY_PREFIX = {t.value.casefold(): t for t in IdentifierType} | {
    "bic": IdentifierType.SWIFT,
    "swift": IdentifierType.SWIFT,
    "national_id": IdentifierType.NATIONAL_ID,
    "tax_id": IdentifierType.TAX_ID,
    "tin": IdentifierType.TAX_ID,
    "inn": IdentifierType.TAX_ID,
}


def parse_identifier(value: str) -> tuple[IdentifierType | None, str]:
    """'USCC:9113…' → (USCC, '9113…'); an unknown or missing prefix gives an untyped value."""
    prefix, colon, rest = value.partition(":")
    if colon:
        known = _TYPE_BY_PREFIX.get(prefix.strip().casefold())
        if known is not None:
            return known, rest.strip()
    return None, value.strip()


def identifier_key(value: str) -> str:
    """An identifier compared without spacing, punctuation or case ('9144-0300 abc' = '91440300ABC')."""
    return re.sub(r"[^0-9A-Za-z]", "", unicodedata.normalize("NFKC", value)).upper()
