"""The candidate index: every listed name analysed once, posted under its tokens, their equivalent
spellings and phonetic keys, with document frequencies that make rare tokens count more.

Retrieval adds up, per indexed name, the weights of the query tokens it shares; the best few dozen
go on to full scoring. Its recall is measured by benchmarks/matching.py.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from interlock.match.scoring import KIND_FACTOR, phonetic_key
from interlock.names.analysis import analyze
from interlock.names.forms import DISTINCTIVE, AnalyzedName, Kind

# postings longer than this are skipped for descriptive tokens ('company', 'china'): they would
# flood the candidates without telling them apart
LONG_POSTING = 2000
PHONETIC_DISCOUNT = 0.7


@dataclass(frozen=True, slots=True)
class IndexedName:
    entry: int
    display: str
    analyzed: AnalyzedName
    weak: bool
    reading: str  # 'person', 'organization' or 'any'


class NameIndex:
    def __init__(self) -> None:
        self.names: list[IndexedName] = []
        self.postings: dict[str, list[int]] = {}
        self.document_frequency: Counter[str] = Counter()
        self.documents = 0
        self._log_documents = 1.0
        self._rarity: dict[str, float] = {}

    def add_entry(self, entry: int, names: Iterable[tuple[str, bool]], reading: str) -> None:
        """Index one entry's names ((display, weak) pairs); counts its tokens once."""
        seen: set[str] = set()
        for display, weak in names:
            analyzed = analyze(display, reading)
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

    def candidates(
        self, query: AnalyzedName, count: int, admit: set[int] | None = None
    ) -> list[tuple[int, float]]:
        """The `count` indexed names sharing the most query-token weight, with the share of the
        query's distinctive weight they share (admit: entry filter)."""
        best: dict[int, float] = {}
        for form in query.forms:
            found: dict[int, float] = {}
            # descriptive words ('company', 'china') only retrieve when nothing else can
            retrieving = [t for t in form.tokens if t.kind in DISTINCTIVE] or [
                t for t in form.tokens if t.kind is not Kind.STOP
            ]
            total = 0.0
            for token in retrieving:
                weight = KIND_FACTOR[token.kind] * self.rarity(token.text)
                total += weight
                hit: set[int] = set()
                for key in (token.text, *token.alts):
                    posting = self.postings.get(key)
                    if posting is not None and (
                        len(posting) <= LONG_POSTING or token.kind in DISTINCTIVE
                    ):
                        hit.update(posting)
                for position in hit:
                    found[position] = found.get(position, 0.0) + weight
                key = phonetic_key(token.text)
                if key and token.kind is Kind.WORD:
                    discounted = weight * PHONETIC_DISCOUNT
                    for position in self.postings.get("~" + key, ()):
                        if position not in hit:
                            found[position] = found.get(position, 0.0) + discounted
            if not total:
                continue
            for position, weight in found.items():
                share = weight / total
                if share > best.get(position, 0.0):
                    best[position] = share
        if admit is not None:
            names = self.names
            best = {p: w for p, w in best.items() if names[p].entry in admit}
        return [(p, best[p]) for p in heapq.nlargest(count, best, key=best.__getitem__)]
