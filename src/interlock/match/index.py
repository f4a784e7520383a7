"""The candidate index: every listed name analysed once, posted under its tokens, their equivalent
spellings and phonetic keys, with document frequencies that make rare tokens count more.

Retrieval adds up, per indexed name, the weights of the query tokens it shares; the best few dozen
go on to full scoring. Its recall is measured by benchmarks/matching.py.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from interlock.match.scoring import KIND_FACTOR, phonetic_key
from interlock.names.analysis import analyze
from interlock.names.forms import DISTINCTIVE, AnalyzedName, Kind

# a token on more names than this only adds weight to names rarer tokens found
LONG_POSTING = 300
PHONETIC_DISCOUNT = 0.7


@dataclass(frozen=True, slots=True)
class IndexedName:
    entry: int
    display: str
    analyzed: AnalyzedName
    weak: bool
    reading: str  # 'person', 'organization' or 'any'


class NameIndex:
    def __init__(self, known: Mapping[tuple[str, str], AnalyzedName] | None = None) -> None:
        """`known`: analyses made before (the on-disk cache); `analyses` collects every one used."""
        self.known = known or {}
        self.analyses: dict[tuple[str, str], AnalyzedName] = {}
        self.names: list[IndexedName] = []
        self.postings: dict[str, list[int]] = {}
        self.document_frequency: Counter[str] = Counter()
        self.documents = 0
        self._log_documents = 1.0
        self._rarity: dict[str, float] = {}
        self._posting_sets: dict[str, frozenset[int]] = {}

    def add_entry(self, entry: int, names: Iterable[tuple[str, bool]], reading: str) -> None:
        """Index one entry's names ((display, weak) pairs); counts its tokens once."""
        seen: set[str] = set()
        for display, weak in names:
            analysis_key = (reading, display)
            analyzed = self.known.get(analysis_key) or analyze(display, reading)
            self.analyses[analysis_key] = analyzed
            if not analyzed.forms:
                continue
            position = len(self.names)
            self.names.append(IndexedName(entry, display, analyzed, weak, reading))
            keys: set[str] = set()
            for form in analyzed.forms:
                for token in form.tokens:
                    if token.kind is Kind.STOP:
                        continue
                    keys.add(token.text)
                    keys.update(token.alts)
                    seen.add(token.text)
                    key = phonetic_key(token.text)
                    if key:
                        keys.add("~" + key)
            for key in keys:
                self.postings.setdefault(key, []).append(position)
        self.document_frequency.update(seen)
        self.documents += 1

    def finish(self) -> None:
        self._log_documents = math.log(self.documents + 1) or 1.0
        self._rarity.clear()

    def rarity(self, text: str) -> float:
        """In (0, 1]: 1 for a token no entry uses, lower the more entries use it."""
        known = self._rarity.get(text)
        if known is None:
            frequency = self.document_frequency.get(text, 0)
            known = max(
                0.05, math.log((self.documents + 1) / (frequency + 1)) / self._log_documents
            )
            self._rarity[text] = known
        return known

    def _posting_set(self, key: str) -> frozenset[int]:
        known = self._posting_sets.get(key)
        if known is None:
            known = self._posting_sets[key] = frozenset(self.postings.get(key, ()))
        return known

    def candidates(
        self, query: AnalyzedName, count: int, admit: set[int] | None = None
    ) -> list[tuple[int, float]]:
        """The `count` indexed names sharing the most query-token weight, with the share of the
        query's distinctive weight they share (admit: entry filter).

        Rare tokens are looked up first and gather the candidates; a common token ('mohammed',
        'bank') then only adds its weight to names already gathered, unless nothing was.
        """
        best: dict[int, float] = {}
        for form in query.forms:
            # descriptive words ('company', 'china') only retrieve when nothing else can
            retrieving = [t for t in form.tokens if t.kind in DISTINCTIVE] or [
                t for t in form.tokens if t.kind is not Kind.STOP
            ]
            lookups: list[tuple[int, float, list[str], str | None]] = []
            total = 0.0
            for token in retrieving:
                weight = KIND_FACTOR[token.kind] * self.rarity(token.text)
                total += weight
                keys = [k for k in (token.text, *token.alts) if k in self.postings]
                phonetic: str | None = "~" + phonetic_key(token.text)
                if token.kind is not Kind.WORD or phonetic not in self.postings:
                    phonetic = None
                if keys or phonetic:
                    size = sum(len(self.postings[k]) for k in keys)
                    lookups.append((size, weight, keys, phonetic))
            if not total:
                continue
            found: dict[int, float] = {}
            credited: dict[int, float] = {}  # per token: a name is credited once per token
            lookups.sort(key=lambda lookup: lookup[0])
            for size, weight, keys, phonetic in lookups:
                credited.clear()
                sounding = weight * PHONETIC_DISCOUNT
                if size <= LONG_POSTING or not found:
                    for key in keys:
                        for position in self.postings[key]:
                            credited[position] = weight
                    if phonetic and (len(self.postings[phonetic]) <= LONG_POSTING or not found):
                        for position in self.postings[phonetic]:
                            credited.setdefault(position, sounding)
                else:
                    sets = [self._posting_set(key) for key in keys]
                    sounds = self._posting_set(phonetic) if phonetic else frozenset()
                    for position in found:
                        if any(position in members for members in sets):
                            credited[position] = weight
                        elif position in sounds:
                            credited[position] = sounding
                for position, credit in credited.items():
                    found[position] = found.get(position, 0.0) + credit
            for position, weight in found.items():
                share = min(1.0, weight / total)
                if share > best.get(position, 0.0):
                    best[position] = share
        if admit is not None:
            names = self.names
            best = {p: w for p, w in best.items() if names[p].entry in admit}
        return [(p, best[p]) for p in heapq.nlargest(count, best, key=best.__getitem__)]
