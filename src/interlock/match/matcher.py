"""The screening matcher: candidates from the index, every listed alias scored against every query
form, secondary evidence applied in log-odds, a calibrated probability and a per-alias explanation.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from rigour.territories import territories_intersect

from interlock.match import scoring
from interlock.match.calibration import Calibration, calibration, probability
from interlock.match.contract import ScreeningMatch, ScreeningQuery, unvalidated_match
from interlock.match.index import IndexedName, NameIndex, respellings, retrieval_text
from interlock.match.query import (
    QueryError,
    identifier_key,
    in_force,
    name_reading,
    parse_identifier,
    schema_filter,
)
from interlock.match.scoring import (
    FEATURE_NAMES,
    Comparison,
    Described,
    Features,
    described,
    explain,
    form_weights,
    near_joined_forms,
    one_slip_from,
    rounded,
    score_forms,
)
from interlock.model import AliasStrength, IdentifierType, ListEntry, Schema
from interlock.names.analysis import analyze
from interlock.names.forms import PERSON, AnalyzedName, NameForm
from interlock.names.scripts import ABJAD, different_characters, written_characters

SCORER = "interlock-match-1"
CANDIDATES = 40  # names scored in full per query, beyond the limit asked for
# candidates sharing less of the query's token weight than this are not scored in full, beyond
# the first few (so a query always shows its nearest names)
MIN_SHARE = 0.4
RELATIVE_SHARE = 0.6  # ... or less than this fraction of the best candidate's share
ALWAYS_SCORED = 10
# names further down the retrieval ranking, scored in full when spelt like the query: a misspelt
# token ('ahmadinezhad' / 'ahmadinejad') shares no key with the listed spelling, so the names it
# should find rank no higher than every other name sharing the query's common tokens
RETRIEVED = 300
RESPELT = 80  # rapidfuzz ratio of the distinctive words, 0–100
RESPELT_NAMES = 10
NO_NAME_LOG_ODDS = -8.0  # an entry found by identifier alone, before the identifier's effect
ALIASES_EXPLAINED = 3
STRONG_IDENTIFIERS = frozenset(
    {
        IdentifierType.USCC,
        IdentifierType.LEI,
        IdentifierType.IMO,
        IdentifierType.MMSI,
        IdentifierType.SWIFT,
        IdentifierType.PASSPORT,
        IdentifierType.NATIONAL_ID,
        IdentifierType.TAX_ID,
    }
)


# named tuples rather than frozen dataclasses: a search makes one of each per name it scores
class FormScore(NamedTuple):
    """The best-scoring pair of forms of two names: their features, before any explanation."""

    query_form: NameForm
    candidate_form: NameForm
    features: tuple[float, ...]  # Features.vector(), as the calibration reads it


# a search's query forms and each one's token weights (form_weights)
QueryForms = tuple[tuple[NameForm, ...], list[list[float]]]


class AliasScore(NamedTuple):
    name: IndexedName
    scored: FormScore
    log_odds: float


@dataclass(frozen=True, slots=True)
class PairVerdict:
    """Two names compared outside any list (benchmarks, the API's compare endpoint)."""

    score: float
    comparison: Comparison | None


_by_log_odds = operator.attrgetter("log_odds")
# a ranked entry's (-log-odds, entity id, position): equal scores by entity id, and an id that
# repeats (an entry of an earlier snapshot kept beside its successor) in the order of the entries
_by_rank = operator.itemgetter(0, 1, 2)


# what the C core's score_each makes for each name it scores
_RESULT_TYPES = (FormScore, AliasScore)
_ORDER_BREAK_AT = FEATURE_NAMES.index("order_break")
# the differing characters are a distinctive token missing on each side
_WRITTEN_APART_AT = {
    FEATURE_NAMES.index(name): value
    for name, value in (
        ("conflict", 1.0), ("all_exact", 0.0), ("query_missing", 1.0), ("candidate_missing", 1.0)
    )
}  # fmt: skip


def best_forms(
    query: AnalyzedName,
    query_weights: list[list[float]],
    candidate: AnalyzedName,
    candidate_weights: list[list[float]],
    index: NameIndex,
    person: bool,
) -> FormScore | None:
    """The pair of forms that compares best (`*_weights`: each form's token weights; `person`:
    the candidate is a listed person's name)."""
    native = scoring.NATIVE
    found = (
        native.best(query.forms, query_weights, candidate.forms, candidate_weights, person)
        if native is not None
        else None
    )
    if found is not None:  # the loop below, in C
        q_at, c_at, (_, vector) = found
        return _form_score(query, query.forms[q_at], candidate, candidate.forms[c_at], vector)
    return _best_forms_python(query, query_weights, candidate, candidate_weights, index, person)


def _best_forms_python(
    query: AnalyzedName,
    query_weights: list[list[float]],
    candidate: AnalyzedName,
    candidate_weights: list[list[float]],
    index: NameIndex,
    person: bool,
) -> FormScore | None:
    """best_forms' loop where there is no C core, or a pair of forms to join first."""
    best: tuple[float, NameForm, NameForm, tuple[float, ...]] | None = None
    for query_form, q_weights in zip(query.forms, query_weights, strict=True):
        for candidate_form, c_weights in zip(candidate.forms, candidate_weights, strict=True):
            similarity, vector = score_forms(
                query_form, q_weights, candidate_form, c_weights, index.rarity, person
            )
            # of equally similar pairs, one whose words are in order ('X, Y' read as 'Y X')
            if (
                best is None
                or similarity > best[0]
                or (similarity == best[0] and vector[_ORDER_BREAK_AT] < best[3][_ORDER_BREAK_AT])
            ):
                best = (similarity, query_form, candidate_form, vector)
    if best is None:
        return None
    _, query_form, candidate_form, vector = best
    return _form_score(query, query_form, candidate, candidate_form, vector)


def _form_score(
    query: AnalyzedName,
    query_form: NameForm,
    candidate: AnalyzedName,
    candidate_form: NameForm,
    vector: tuple[float, ...],
) -> FormScore:
    # most queries are not written in characters: their names are not compared character-wise
    if written_characters(query.name) and different_characters(query.name, candidate.name):
        vector = tuple(_WRITTEN_APART_AT.get(n, value) for n, value in enumerate(vector))
    return FormScore(query_form, candidate_form, vector)


def with_near_joins(analyzed: AnalyzedName, near: Callable[[str], bool]) -> AnalyzedName:
    """The name with a form more for each run of words written apart that `near` says is one
    slip from a word written together (see scoring.near_joined_forms)."""
    extra = [joined for form in analyzed.forms for joined in near_joined_forms(form, near)]
    if not extra:
        return analyzed
    return AnalyzedName(analyzed.name, (*analyzed.forms, *extra), analyzed.notes)


def spellings_of(analyzed: AnalyzedName) -> frozenset[str]:
    return frozenset().union(*(form.spellings for form in analyzed.forms))


def explained(scored: FormScore, index: NameIndex, person: bool) -> Comparison:
    """The full comparison (pairs, unmatched tokens) behind a FormScore, with the very features
    it was scored on: what two names compared outside a search are answered with (a search's
    explanation is built by `described`)."""
    features = Features(*scored.features)
    return explain(scored.query_form, scored.candidate_form, index.rarity, features, person)


def best_comparison(
    query: AnalyzedName, candidate: AnalyzedName, index: NameIndex, person: bool
) -> Comparison | None:
    scored = best_forms(
        query,
        [form_weights(f, index.rarity) for f in query.forms],
        candidate,
        [form_weights(f, index.rarity) for f in candidate.forms],
        index,
        person,
    )
    return None if scored is None else explained(scored, index, person)


class Matcher:
    def __init__(
        self,
        entries: Iterable[tuple[str, ListEntry]],
        threshold: float,
        model: Calibration | None = None,
        analyses: Mapping[tuple[str, str], AnalyzedName] | None = None,
    ) -> None:
        """`entries`: (identity across snapshots, entry) pairs; `analyses`: names analysed before
        (the on-disk cache), looked up before analysing again."""
        self.threshold = threshold
        self.calibration = model or calibration()
        self.scorer = f"{SCORER}+{self.calibration.version}"
        self.entries: list[ListEntry] = []
        self.identities: list[str] = []
        # each entry's entity id apart from the entry: a search ranks tens of entries by it, and
        # the entries lie spread over memory
        self._entity_ids: list[str] = []
        self.index = NameIndex(analyses)
        self.by_identifier: dict[str, list[int]] = {}
        self.by_schema: dict[Schema, set[int]] = {}
        # entries that write a name in Han, kana or Hangul: a query written so meets those only
        self.written: set[int] = set()
        for identity, entry in entries:
            position = len(self.entries)
            self.entries.append(entry)
            self.identities.append(identity)
            self._entity_ids.append(entry.entity_id)
            self.by_schema.setdefault(entry.schema_, set()).add(position)
            names = [(entry.name, False)] + [
                (alias.name, alias.strength == AliasStrength.WEAK) for alias in entry.aliases
            ]
            self.index.add_entry(position, names, name_reading(entry.schema_))
            if any(written_characters(name) for name, _weak in names):
                self.written.add(position)
            for identifier in entry.identifiers:
                key = identifier_key(identifier.value)
                if len(key) >= 4:
                    self.by_identifier.setdefault(key, []).append(position)
        self.index.finish()

    # -- pairs ----------------------------------------------------------------------------------
    def compare_names(self, query: str, candidate: str, schema: str = "Any") -> PairVerdict:
        """Score two names with this index's token statistics, as a search would."""
        reading = name_reading(schema)
        query_name, candidate_name = analyze(query, reading), analyze(candidate, reading)
        comparison = best_comparison(
            with_near_joins(query_name, one_slip_from(spellings_of(candidate_name))),
            with_near_joins(candidate_name, one_slip_from(spellings_of(query_name))),
            self.index,
            reading == PERSON,
        )
        if comparison is None:
            return PairVerdict(0.0, None)
        model = self.calibration.model_for(reading)
        return PairVerdict(round(probability(model.log_odds(comparison.features)), 4), comparison)

    # -- search ---------------------------------------------------------------------------------
    def search(self, query: ScreeningQuery, as_of: date) -> list[ScreeningMatch]:
        schemas = schema_filter(query.schema_)
        reading = name_reading(query.schema_)
        analyzed = self.analyzed(query.name, reading)
        if not analyzed.forms and not query.identifiers:
            raise QueryError(
                "the name has no word to compare: no letters or digits, or only initials"
            )
        admit = self._admitted(schemas)
        written = bool(written_characters(query.name))
        query_weights = [form_weights(f, self.index.rarity) for f in analyzed.forms]
        positions = self.scored_candidates(analyzed, query.limit, admit)
        if written:  # both write the name in characters: the characters decide, not a reading
            positions = [p for p in positions if not self._read_from_characters(p)]
        aliases: dict[int, list[AliasScore]] = {}
        for alias in self.score_aliases(analyzed, query_weights, positions, reading):
            aliases.setdefault(alias.name.entry, []).append(alias)
        identifiers = self._identifier_evidence(query.identifiers)
        qualified: dict[int, list[dict[str, Any]]] = {}
        # with no country or identifier to weigh, an entry ranks by its best alias alone: the
        # qualifiers are worked out for the entries shown only
        if not query.country and not query.identifiers:
            ranked = self._ranked_by_name(aliases, admit, as_of, query.limit)
        else:
            ranked = []
            for entry_index in set(aliases) | set(identifiers):
                entry = self.entries[entry_index]
                if not self._in_force(entry_index, admit, as_of):
                    continue
                scored = aliases.get(entry_index, [])
                if len(scored) > 1:
                    scored.sort(key=_by_log_odds, reverse=True)  # stable: ties keep their order
                log_odds, qualified[entry_index] = self._evidence(
                    entry, query, scored, identifiers.get(entry_index, [])
                )
                ranked.append((-log_odds, entry.entity_id, entry_index, scored))
            ranked.sort(key=_by_rank)
        shown = []
        for negative, _, entry_index, scored in ranked[: query.limit]:
            qualifiers = qualified.get(entry_index)
            if qualifiers is None:
                _, qualifiers = self._evidence(self.entries[entry_index], query, scored, [])
            shown.append(
                self._match(
                    entry_index,
                    query,
                    scored,
                    -negative,
                    qualifiers,
                    identifiers,
                    (analyzed.forms, query_weights),
                )
            )
        return shown

    def _ranked_by_name(
        self, aliases: dict[int, list[AliasScore]], admit: set[int] | None, as_of: date, limit: int
    ) -> list[tuple[float, str, int, list[AliasScore]]]:
        """The `limit` entries in force whose best alias scores highest, best first (equal
        scores by entity id), each with its aliases best first: only the entries shown are
        checked and sorted."""
        entity_ids = self._entity_ids
        order = [
            (
                -(scored[0].log_odds if len(scored) == 1 else max(map(_by_log_odds, scored))),
                entity_ids[entry_index],
                entry_index,
            )
            for entry_index, scored in aliases.items()
        ]
        order.sort()  # as _by_rank orders them
        ranked = []
        for negative, entity_id, entry_index in order:
            if not self._in_force(entry_index, admit, as_of):
                continue
            scored = aliases[entry_index]
            if len(scored) > 1:
                scored.sort(key=_by_log_odds, reverse=True)  # stable: ties keep their order
            ranked.append((negative, entity_id, entry_index, scored))
            if len(ranked) == limit:
                break
        return ranked

    def _in_force(self, entry_index: int, admit: set[int] | None, as_of: date) -> bool:
        """Of a schema the query admits, and within the dates the entry states."""
        return (admit is None or entry_index in admit) and in_force(
            self.entries[entry_index], as_of
        )

    def analyzed(self, name: str, reading: str) -> AnalyzedName:
        """A query's name as a search reads it: analysed, and where words written apart are one
        slip from a listed word written together, also joined."""
        if not name.strip():
            return AnalyzedName("", ())
        return with_near_joins(analyze(name, reading), self._near_indexed_word)

    def _near_indexed_word(self, text: str) -> bool:
        """One slip from a listed word, and not itself one (runs that are are joined anyway)."""
        return text not in self.index.postings and bool(self.index.within_one_edit(text))

    def _read_from_characters(self, position: int) -> bool:
        """A name of an entry that also writes its name in characters, itself not so written."""
        indexed = self.index.names[position]
        return indexed.entry in self.written and not written_characters(indexed.display)

    def score_aliases(
        self,
        analyzed: AnalyzedName,
        query_weights: list[list[float]],
        positions: Iterable[int],
        reading: str,
    ) -> list[AliasScore]:
        """The indexed names at `positions` scored against an analysed query (`query_weights`:
        each query form's token weights), in log-odds; names with no form to compare left out.

        A search scores tens of names: the C core scores them all in one call, log-odds
        included (this is `best_forms` and `TreeModel.log_odds_of` for each name)."""
        index = self.index
        names = index.names
        query_forms = analyzed.forms
        apart = bool(written_characters(analyzed.name))
        # a listed person's name is read as a person's, whatever the query's schema
        own, person = map(self.calibration.model_for, (reading, PERSON))
        weak_effect = self.calibration.qualifiers.weak_alias
        positions = list(positions)
        native, packed = scoring.NATIVE, index.packed
        found_each: list[AliasScore | None] = (
            native.score_each(
                query_forms,
                query_weights,
                list(map(packed.__getitem__, positions)),
                (own.native, person.native),
                weak_effect,
                _RESULT_TYPES,
            )
            if native is not None and packed is not None
            else [None] * len(positions)
        )
        if not apart and None not in found_each:
            return found_each  # type: ignore[return-value]  # every name scored in C
        scored: list[AliasScore] = []
        for position, found in zip(positions, found_each, strict=True):
            if found is not None and not apart:
                scored.append(found)
                continue
            # no C core, a pair of forms to join first, or a name written in characters
            indexed = names[position]
            candidate = indexed.analyzed
            best = (
                _form_score(analyzed, found.scored.query_form, candidate,
                            found.scored.candidate_form, found.scored.features)
                if found is not None
                else _best_forms_python(  # the C core, if any, has answered None
                    analyzed, query_weights, candidate, index.weights[position], index,
                    indexed.person,
                )
            )  # fmt: skip
            if best is None:
                continue
            log_odds = (person if indexed.person else own).log_odds_of(best.features)
            if indexed.weak:
                log_odds += weak_effect
            scored.append(AliasScore(indexed, best, log_odds))
        return scored

    def scored_candidates(
        self, analyzed: AnalyzedName, limit: int, admit: set[int] | None = None
    ) -> list[int]:
        """The indexed names a search scores in full (positions in `index.names`)."""
        retrieved = self.index.candidates(analyzed, RETRIEVED, admit)
        count = CANDIDATES + limit
        top = max((share for _, share in retrieved[:count]), default=0.0)
        floor = max(MIN_SHARE, top * RELATIVE_SHARE)
        # past the first few, leave out names that share too little of the query
        chosen = [
            position
            for rank, (position, share) in enumerate(retrieved[:count])
            if share >= floor or rank < ALWAYS_SCORED
        ]
        taken = set(chosen)
        # an Arabic-script name's translation has common words that find many names: the nearest
        # names of the forms read from its own letters are scored whatever the translation found
        # (a Han name's pinyin would add names it meets only as initials)
        read = tuple(form for form in analyzed.forms if form.via != "glossary")
        if read and len(read) < len(analyzed.forms) and ABJAD.search(analyzed.name):
            own = self.index.candidates(AnalyzedName(analyzed.name, read), ALWAYS_SCORED, admit)
            for position, _ in own:
                if position not in taken:
                    chosen.append(position)
                    taken.add(position)
        rest = [position for position, _ in retrieved if position not in taken]
        if rest:
            # token order aside ('Ahmadinezhad Mahmood'), and word breaks aside ('FridrichBuchenberg')
            # a token-sort ratio: the plain ratio of the words sorted (the index's are sorted)
            respelt: dict[int, float] = {}
            for form in analyzed.forms:
                spaced_query, unspaced_query = respellings(retrieval_text(form))
                for query, unspaced in ((spaced_query, False), (unspaced_query, True)):
                    for similarity, at in self.index.respelt(
                        query, rest, unspaced, RESPELT, RESPELT_NAMES
                    ):
                        respelt[at] = max(respelt.get(at, 0.0), similarity)
            ranked = sorted(respelt, key=lambda at: (-respelt[at], at))
            chosen += [rest[at] for at in ranked[:RESPELT_NAMES]]
        return chosen

    def _admitted(self, schemas: set[Schema] | None) -> set[int] | None:
        if schemas is None:
            return None
        admitted: set[int] = set()
        for schema in schemas:
            admitted |= self.by_schema.get(schema, set())
        return admitted

    def _identifier_evidence(self, values: list[str]) -> dict[int, list[tuple[str, str, float]]]:
        """entry → (query value, kind of evidence, log-odds) for matching or conflicting ids."""
        qualifiers = self.calibration.qualifiers
        evidence: dict[int, list[tuple[str, str, float]]] = {}
        for value in values:
            kind, raw = parse_identifier(value)
            key = identifier_key(raw)
            if len(key) < 4:
                continue
            for position in self.by_identifier.get(key, []):
                listed = [
                    i for i in self.entries[position].identifiers if identifier_key(i.value) == key
                ]
                strong = (
                    any(i.type in STRONG_IDENTIFIERS for i in listed) or kind in STRONG_IDENTIFIERS
                )
                effect = (
                    qualifiers.strong_identifier_match if strong else qualifiers.identifier_match
                )
                evidence.setdefault(position, []).append((value, "identifier_match", effect))
        return evidence

    def _conflicts(self, entry: ListEntry, values: list[str]) -> list[tuple[str, str, float]]:
        """Query ids of a strong type the entry also lists, with a different value."""
        conflicts = []
        for value in values:
            kind, raw = parse_identifier(value)
            if kind not in STRONG_IDENTIFIERS:
                continue
            listed = {identifier_key(i.value) for i in entry.identifiers if i.type == kind}
            if listed and identifier_key(raw) not in listed:
                conflicts.append(
                    (
                        value,
                        "strong_identifier_conflict",
                        self.calibration.qualifiers.strong_identifier_conflict,
                    )
                )
        return conflicts

    def _evidence(
        self,
        entry: ListEntry,
        query: ScreeningQuery,
        aliases: list[AliasScore],
        identifiers: list[tuple[str, str, float]],
    ) -> tuple[float, list[dict[str, Any]]]:
        """The entry's log-odds: its best alias, then every qualifier, each recorded."""
        qualifiers: list[dict[str, Any]] = []
        log_odds = aliases[0].log_odds if aliases else NO_NAME_LOG_ODDS
        if aliases and aliases[0].name.weak:
            qualifiers.append(
                {
                    "name": "weak_alias",
                    "effect": self.calibration.qualifiers.weak_alias,
                    "detail": "the best alias is one the list marks as weak (low quality)",
                }
            )
        country = (query.country or "").strip().lower()
        listed_countries = [c.lower() for c in entry.countries]
        if country and listed_countries and not territories_intersect([country], listed_countries):
            effect = self.calibration.qualifiers.country_mismatch
            log_odds += effect
            qualifiers.append(
                {
                    "name": "country_mismatch",
                    "effect": effect,
                    "detail": f"query {country.upper()}, entry "
                    + ", ".join(c.upper() for c in entry.countries),
                }
            )
        for value, name, effect in identifiers or self._conflicts(entry, query.identifiers):
            # a matching identifier lifts even an unrelated name; a conflicting one only lowers
            log_odds = (
                max(log_odds, 0.0) + effect if name == "identifier_match" else log_odds + effect
            )
            qualifiers.append({"name": name, "effect": effect, "detail": value})
        return log_odds, qualifiers

    def _match(
        self,
        entry_index: int,
        query: ScreeningQuery,
        aliases: list[AliasScore],
        log_odds: float,
        qualifiers: list[dict[str, Any]],
        identifiers: dict[int, list[tuple[str, str, float]]],
        query_forms: QueryForms,
    ) -> ScreeningMatch:
        entry = self.entries[entry_index]
        score = round(probability(log_odds), 4)
        best = aliases[0] if aliases else None
        explanation = self._explain(query, best, aliases, qualifiers, log_odds, query_forms)
        if entry_index in identifiers:
            explanation["identifier_match"] = identifiers[entry_index][0][0]
        # made of the index's own typed entries: not validated again (a batch makes millions)
        return unvalidated_match(
            {
                "entity_id": entry.entity_id,
                "source": entry.source,
                "lists": entry.lists,
                "schema_": entry.schema_,
                "name": entry.name,
                "aliases": [a.name for a in entry.aliases],
                "matched_name": best.name.display if best else entry.name,
                "score": score,
                "match": score >= self.threshold,
                "explanation": explanation,
                "identity": self.identities[entry_index],
                "status": None,  # given by the caller, which knows the listing history
                "status_detail": None,
            }
        )

    def _explain(
        self,
        query: ScreeningQuery,
        best: AliasScore | None,
        aliases: list[AliasScore],
        qualifiers: list[dict[str, Any]],
        log_odds: float,
        query_forms: QueryForms,
    ) -> dict[str, Any]:
        explanation: dict[str, Any] = {
            "scorer": self.scorer,
            "log_odds": round(log_odds, 3),
            "qualifiers": qualifiers,
        }
        # the best alias, and the others that match too: an alias under the threshold explains
        # nothing of the score, which is the best alias's
        shown = aliases[:1] + [
            a for a in aliases[1:ALIASES_EXPLAINED] if probability(a.log_odds) >= self.threshold
        ]
        details = [self._alias_detail(a, query_forms) for a in shown]
        explanation["aliases"] = details
        if best is None:
            explanation["summary"] = "no name compared: matched on identifier only"
            return explanation
        forms = best.scored
        notes = [*analyze(query.name, name_reading(query.schema_)).notes, *best.name.analyzed.notes]
        explanation.update(
            {
                "summary": _summary(best, details[0]),
                "matched_alias": best.name.display,
                "alias_strength": "weak" if best.name.weak else "strong",
                "matched_primary_name": best.name.display == self.entries[best.name.entry].name,
                "romanised": forms.query_form.via != "latin" or forms.candidate_form.via != "latin",
                "transliterations": notes,
            }
        )
        return explanation

    def _alias_detail(self, alias: AliasScore, query_forms: QueryForms) -> dict[str, Any]:
        """An alias's explanation, with the token weights its search and the index have: by
        the C core where it is built, else from `described`."""
        forms, weights = query_forms
        scored, indexed = alias.scored, alias.name
        query_weights = weights[forms.index(scored.query_form)]
        alias_weights = self.index.weights[indexed.position][
            indexed.analyzed.forms.index(scored.candidate_form)
        ]
        score = round(probability(alias.log_odds), 4)
        native = scoring.NATIVE
        if native is not None:
            found = native.detail(
                indexed.display, score, indexed.weak, scored.query_form, query_weights,
                scored.candidate_form, alias_weights, indexed.person, scored.features,
                FEATURE_NAMES,
            )  # fmt: skip
            if found is not None:  # else the forms' words are joined first, in Python
                return found
        description = described(
            scored.query_form,
            scored.candidate_form,
            self.index.rarity,
            indexed.person,
            (query_weights, alias_weights),
        )
        return alias_detail(indexed.display, score, indexed.weak, scored, description)


def alias_detail(
    display: str, score: float, weak: bool, forms: FormScore, description: Described
) -> dict[str, Any]:
    """An alias's explanation in a match (what the C core's `detail` also makes)."""
    return {
        "alias": display,
        "score": score,
        "weak": weak,
        "query_form": forms.query_form.text,
        "query_form_via": forms.query_form.via,
        "alias_form": forms.candidate_form.text,
        "alias_form_via": forms.candidate_form.via,
        "alignment": description.alignment,
        "unmatched_query": description.unmatched_query,
        "unmatched_alias": description.unmatched_candidate,
        "features": dict(zip(FEATURE_NAMES, rounded(forms.features, 3), strict=True)),
    }


def _summary(alias: AliasScore, detail: dict[str, Any]) -> str:
    aligned = ", ".join(
        p["query"] if p["how"] == "exact" else f"{p['query']}≈{p['alias']} ({p['how']})"
        for p in detail["alignment"]
    )
    parts = [f"'{alias.name.display}': {aligned or 'no tokens aligned'}"]
    if detail["unmatched_query"]:
        parts.append(f"query only: {' '.join(detail['unmatched_query'])}")
    if detail["unmatched_alias"]:
        parts.append(f"alias only: {' '.join(detail['unmatched_alias'])}")
    return "; ".join(parts)
