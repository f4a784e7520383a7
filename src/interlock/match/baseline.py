"""The baseline matcher: normalised names compared with rapidfuzz, identifiers compared exactly.

It is the reference the real matcher must beat, behind the same `Matcher` interface.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, process

from interlock.match.contract import ScreeningMatch, ScreeningQuery
from interlock.model import AliasStrength, ListEntry, Schema
from interlock.names.normalize import (
    identifier_key,
    latin_form,
    normalize,
    without_legal_form,
)

SCORER = "interlock-baseline-1"
# A weak ('low quality') alias is evidence, but less than a name the list stands behind.
WEAK_ALIAS_FACTOR = 0.9
CANDIDATES_PER_RESULT = 20

_SCHEMA_FILTER = {
    "person": {Schema.PERSON, Schema.UNKNOWN},
    "organization": {Schema.ORGANIZATION, Schema.UNKNOWN},
    "vessel": {Schema.VESSEL, Schema.UNKNOWN},
    "aircraft": {Schema.AIRCRAFT, Schema.UNKNOWN},
}


class QueryError(ValueError):
    pass


@dataclass(frozen=True)
class _IndexedName:
    entry: int
    display: str
    normalized: str
    compared: str  # normalised, legal form removed
    weak: bool
    romanised: bool = False  # a romanised form of a name in another script


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


class BaselineMatcher:
    scorer = SCORER

    def __init__(self, entries: Iterable[tuple[str, ListEntry]], threshold: float) -> None:
        """`entries`: (identity across snapshots, entry) pairs."""
        self.threshold = threshold
        self.entries: list[ListEntry] = []
        self.identities: list[str] = []
        self.names: list[_IndexedName] = []
        self.by_identifier: dict[str, list[int]] = {}
        for identity, entry in entries:
            index = len(self.entries)
            self.entries.append(entry)
            self.identities.append(identity)
            self._add_name(index, entry.name, weak=False)
            for alias in entry.aliases:
                self._add_name(index, alias.name, weak=alias.strength == AliasStrength.WEAK)
            for identifier in entry.identifiers:
                key = identifier_key(identifier.value)
                if len(key) >= 4:
                    self.by_identifier.setdefault(key, []).append(index)
        self._choices = [n.compared for n in self.names]

    def _add_name(self, entry: int, display: str, weak: bool) -> None:
        normalized = normalize(display)
        if not normalized:
            return
        self.names.append(
            _IndexedName(entry, display, normalized, without_legal_form(normalized), weak)
        )
        romanised = latin_form(display)
        if romanised:
            # a name in another script is also compared in its romanised form
            self.names.append(
                _IndexedName(entry, display, romanised, without_legal_form(romanised), weak, True)
            )

    def search(self, query: ScreeningQuery, as_of: date) -> list[ScreeningMatch]:
        schemas = schema_filter(query.schema_)
        country = query.country.upper() if query.country else None
        query_normalized = normalize(query.name)
        if not query_normalized:
            raise QueryError("the name has no letters or digits to compare")
        best: dict[int, tuple[float, _IndexedName, dict[str, float]]] = {}
        self._score_form(query_normalized, query.limit, best, romanised=False)
        romanised = latin_form(query.name)
        if romanised:
            self._score_form(romanised, query.limit, best, romanised=True)
        identifier_hits = self._identifier_hits(query.identifiers)
        matches = []
        for entry_index in set(best) | set(identifier_hits):
            entry = self.entries[entry_index]
            if schemas is not None and entry.schema_ not in schemas:
                continue
            if country and entry.countries and country not in entry.countries:
                continue
            if not in_force(entry, as_of):
                continue
            matches.append(
                self._match(
                    self.identities[entry_index],
                    entry,
                    best.get(entry_index),
                    identifier_hits.get(entry_index),
                    query_normalized,
                )
            )
        matches.sort(key=lambda m: (-m.score, m.entity_id))
        return matches[: query.limit]

    def _score_form(
        self,
        query_normalized: str,
        limit: int,
        best: dict[int, tuple[float, _IndexedName, dict[str, float]]],
        romanised: bool,
    ) -> None:
        query_compared = without_legal_form(query_normalized)
        candidates = process.extract(
            query_compared,
            self._choices,
            scorer=fuzz.token_sort_ratio,
            limit=limit * CANDIDATES_PER_RESULT,
            score_cutoff=50,
        )
        for _choice, _raw, position in candidates:
            indexed = self.names[position]
            parts = {
                "token_sort": fuzz.token_sort_ratio(query_compared, indexed.compared) / 100,
                "full_name": fuzz.ratio(query_normalized, indexed.normalized) / 100,
            }
            if romanised or indexed.romanised:
                # romanised syllables are spaced differently ('xi jin ping' / 'xi jinping')
                parts["unspaced"] = (
                    fuzz.ratio(query_compared.replace(" ", ""), indexed.compared.replace(" ", ""))
                    / 100
                )
            score = max(parts.values()) * (WEAK_ALIAS_FACTOR if indexed.weak else 1.0)
            held = best.get(indexed.entry)
            if held is None or score > held[0]:
                best[indexed.entry] = (score, indexed, parts)

    def _identifier_hits(self, identifiers: list[str]) -> dict[int, str]:
        hits: dict[int, str] = {}
        for value in identifiers:
            key = identifier_key(value.split(":", 1)[-1])
            for index in self.by_identifier.get(key, []):
                hits[index] = value
        return hits

    def _match(
        self,
        identity: str,
        entry: ListEntry,
        name_hit: tuple[float, _IndexedName, dict[str, float]] | None,
        identifier: str | None,
        query_normalized: str,
    ) -> ScreeningMatch:
        explanation: dict[str, object] = {"query_normalized": query_normalized}
        score = 0.0
        matched_name = entry.name
        if name_hit is not None:
            score, indexed, parts = name_hit
            matched_name = indexed.display
            explanation.update(
                {
                    "candidate_normalized": indexed.normalized,
                    "compared_without_legal_form": indexed.compared,
                    "name_scores": {k: round(v, 4) for k, v in parts.items()},
                    "alias_strength": "weak" if indexed.weak else "strong",
                    "romanised": indexed.romanised,
                    "matched_primary_name": indexed.display == entry.name,
                }
            )
        if identifier is not None:
            score = 1.0
            explanation["identifier_match"] = identifier
        score = round(score, 4)
        return ScreeningMatch(
            entity_id=entry.entity_id,
            source=entry.source,
            lists=entry.lists,
            schema_=entry.schema_,
            name=entry.name,
            aliases=[a.name for a in entry.aliases],
            matched_name=matched_name,
            score=score,
            match=score >= self.threshold,
            explanation=explanation,
            identity=identity,
        )
