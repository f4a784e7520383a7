"""The candidate index: every listed name analysed once, posted under its tokens, their equivalent
spellings and phonetic keys, with document frequencies that make rare tokens count more.

Retrieval adds up, per indexed name, the weights of the query tokens it shares; the best few dozen
go on to full scoring. Its recall is measured by benchmarks/matching.py.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from interlock.match import scoring
from interlock.match.scoring import ACRONYM, KIND_FACTOR, abjad_keys, form_weights, phonetic_key
from interlock.names.analysis import analyze
from interlock.names.forms import (
    DISTINCTIVE,
    PERSON,
    AnalyzedName,
    Kind,
    NameForm,
    Token,
    joinable_run,
)
from interlock.names.vocabulary import deletions

# a token on more names than this only adds weight to names rarer tokens found
LONG_POSTING = 300
FUZZY_DISCOUNT = 0.7  # a name found by a token's sound, prefix or suffix rather than itself
AFFIX = 4  # letters of a token's prefix and suffix keys
NAME_SHARE_BONUS = 0.5
# the two rarest tokens gather candidates even when common ('mohamed', 'pak'): a rare token the
# true name lacks (an initial, a misspelling) must not decide alone which names are considered
SEEDS = 2
SEED_POSTING = 3000  # ranking weight of the share of the candidate name the query covers
# words this long or longer are also found one edit away ('pulin' / 'putin', 'gasprom' / 'gazprom')
ONE_EDIT_LENGTH = 4
JOINED_ONE_EDIT_LENGTH = 8  # two words written apart are looked up one edit away from this long
NEAR_REMEMBERED = 100_000  # query words whose near words (and look-ups) are kept
# a word no list has, this long or longer and with no listed word one edit away, is also looked
# up two edits away ('mortars' / 'motors')
TWO_EDITS_LENGTH = 7


def retrieving(tokens: Iterable[Token]) -> list[Token]:
    """The tokens a name is looked up and weighed by: its distinctive ones; descriptive words
    ('company', 'china') only when it has nothing else."""
    tokens = list(tokens)
    return [t for t in tokens if t.kind in DISTINCTIVE] or [
        t for t in tokens if t.kind is not Kind.STOP
    ]


def retrieval_text(form: NameForm) -> str:
    """The words a form is retrieved by, as one string: what a string similarity compares."""
    return " ".join(t.text for t in retrieving(form.tokens))


def respellings(text: str) -> tuple[str, str]:
    """A retrieval text as the respelling search compares it: its words sorted (a token-sort
    ratio's text), and its words written together."""
    return " ".join(sorted(text.split())), text.replace(" ", "")


# (posting size, weight, exact keys, near keys, whether a word of the query looks up): one query
# token's look-up, or the whole query's written as initials or joined words
Lookup = tuple[int, float, list[str], list[str], bool]
# the C core's respelling search: (texts, positions, query, score cutoff, limit) → (score, at)
Respelt = Callable[[Any, list[int], str, int, int], list[tuple[float, int]]]
Plan = tuple[float, list[Lookup]]  # a form's weight to share and its look-ups, rarest first


def exact_keys(token: Token) -> list[str]:
    """The token, its listed equivalents and its name groups."""
    return [token.text, *token.alts, *(f"#{group}" for group in token.groups)]


def acronyms(form: NameForm) -> list[str]:
    """The initials of a name's words ('mps' for 'ministry of public security'), with and without
    its countries ('idro' for 'Industrial Development & Renovation Organization of Iran'), 2–8."""
    found = []
    for leave_out in ((Kind.STOP, Kind.LEGAL), (Kind.STOP, Kind.LEGAL, Kind.LOCATION)):
        initials = "".join(t.text[0] for t in form.tokens if t.kind not in leave_out)
        if 2 <= len(initials) <= 8 and initials.isalpha() and initials not in found:
            found.append(initials)
    return found


def fuzzy_keys(token: Token, indexing: bool = False) -> list[str]:
    """Keys a misspelt token still shares: its sound, its first and its last letters."""
    if token.kind is not Kind.WORD:
        return []
    keys = []
    sound = phonetic_key(token.text)
    if sound:
        keys.append("~" + sound)
    if len(token.text) > AFFIX:
        keys += ["<" + token.text[:AFFIX], ">" + token.text[-AFFIX:]]
    if (indexing or token.vowelless) and len(token.text) >= 3 and token.text.isalpha():
        # the consonants find 'jizrawi' for the romanised Arabic 'jzrwy'; only a query token
        # written without vowels looks them up, they are too loose for the rest
        keys += ["%" + key for key in sorted(abjad_keys(token.text, token.vowelless))]
    return keys


@dataclass(frozen=True, slots=True)
class IndexedName:
    entry: int
    display: str
    analyzed: AnalyzedName
    weak: bool
    reading: str  # 'person', 'organization' or 'any'
    position: int  # in NameIndex.names (and .weights, .packed)

    @property
    def person(self) -> bool:
        """Read as a person's name: scored with the person model, and no acronym spells it."""
        return self.reading == PERSON


class NameIndex:
    def __init__(self, known: Mapping[tuple[str, str], AnalyzedName] | None = None) -> None:
        """`known`: analyses made before (the on-disk cache); `analyses` collects every one used."""
        self.known = known or {}
        self.analyses: dict[tuple[str, str], AnalyzedName] = {}
        self.names: list[IndexedName] = []
        # key → the positions of the names posted under it, ascending, as an array('i') (the C
        # tally reads it in place, 4 bytes a name); gathered in `_growing` until finish()
        self.postings: dict[str, array[int]] = {}
        self._growing: dict[str, list[int]] = {}
        self._growing_keys: dict[Token, list[str]] = {}  # see _indexed_keys
        self.document_frequency: Counter[str] = Counter()
        self.documents = 0
        # each name's least retrieval weight over its forms, in one block the C tally reads in place
        self.name_weights: array[float] = array("d")
        self._log_documents = 1.0
        self._rarity: dict[str, float] = {}
        self._posting_sets: dict[str, frozenset[int]] = {}
        # every indexed word under itself and each of its one-letter deletions: two words one
        # edit apart share a key (a symmetric-deletion index over the vocabulary)
        self._deletions: dict[str, list[str]] = {}
        # the near words found, by edits allowed: queries repeat their words ('trading')
        self._near: dict[int, dict[str, tuple[str, ...]]] = {1: {}, 2: {}}
        self._lookups: dict[Token, tuple[float, Lookup | None]] = {}  # see _token_lookup
        self.entries: list[int] = []  # each name's entry (set by finish)
        self.weights: list[list[list[float]]] = []  # each name's forms' token weights (by finish)
        # each name loaded into the C core once, to be scored as an AliasScore (None without it)
        self.packed: list[object] | None = None
        # each name's first form's retrieval_text(), its words sorted (what a token-sort ratio
        # compares, sorted once here rather than in every search) and without spaces (by
        # finish): as lists, or in the C core's blocks of characters, which it compares
        self._respelling: tuple[Any, Any] = ([], [])
        self._respelt_in_c: Respelt | None = None

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
            self.names.append(IndexedName(entry, display, analyzed, weak, reading, position))
            keys: set[str] = set()
            for form in analyzed.forms:
                for token in form.tokens:
                    if token.kind is Kind.STOP:
                        continue
                    keys.update(self._indexed_keys(token))
                    seen.add(token.text)
                keys.update(form.adjacent)  # 'abd allah' is found by 'abdallah'
                # 'International Business Machines' found by 'IBM'
                keys.update("^" + initials for initials in acronyms(form))
            for key in keys:
                self._growing.setdefault(key, []).append(position)
        self.document_frequency.update(seen)
        self.documents += 1

    def _indexed_keys(self, token: Token) -> list[str]:
        """The keys a listed token is found by; worked out once per distinct token while the
        index grows, as the names of a corpus share most of their words."""
        keys = self._growing_keys.get(token)
        if keys is None:
            keys = self._growing_keys[token] = [
                *exact_keys(token),
                *fuzzy_keys(token, indexing=True),
            ]
        return keys

    def finish(self) -> None:
        for key, positions in self._growing.items():
            self.postings[key] = array("i", positions)
        self._growing.clear()
        self._growing_keys.clear()
        self._posting_sets.clear()
        self._log_documents = math.log(self.documents + 1) or 1.0
        self._rarity.clear()
        self._deletions.clear()
        for remembered in self._near.values():
            remembered.clear()
        self._lookups.clear()
        for word in self.document_frequency:
            if len(word) >= ONE_EDIT_LENGTH and word.isalpha():
                for key in deletions(word):
                    self._deletions.setdefault(key, []).append(word)
        self.entries = [name.entry for name in self.names]
        self.weights = [
            [form_weights(f, self.rarity) for f in name.analyzed.forms] for name in self.names
        ]
        native = scoring.NATIVE
        self.packed = (
            [
                native.pack(name.analyzed.forms, weights, name.person, name.weak, name)
                for name, weights in zip(self.names, self.weights, strict=True)
            ]
            if native is not None
            else None
        )
        self._respelling = self.respelling_texts()
        self._respelt_in_c = None
        if native is not None:
            sorted_texts, unspaced_texts = self._respelling
            self._respelling = (native.texts(sorted_texts), native.texts(unspaced_texts))
            self._respelt_in_c = native.respelt
        self.name_weights = array(
            "d",
            [
                min(self._retrieval_weight(form.tokens) for form in name.analyzed.forms)
                for name in self.names
            ],
        )

    def respelling_texts(self) -> tuple[list[str], list[str]]:
        """Each name's first form's retrieval_text() as `respellings` gives it: what `respelt`
        compares."""
        pairs = [respellings(retrieval_text(name.analyzed.forms[0])) for name in self.names]
        return [spaced for spaced, _ in pairs], [unspaced for _, unspaced in pairs]

    def respelt(
        self, query: str, positions: list[int], unspaced: bool, cutoff: int, limit: int
    ) -> list[tuple[float, int]]:
        """Of the names at `positions`, the `limit` spelt most like `query` by fuzz.ratio, at
        or above `cutoff` (a whole number, 0–100), compared by their respelling texts (`unspaced`:
        the second): (score, index in `positions`), best first, equal scores by index."""
        texts = self._respelling[unspaced]
        if self._respelt_in_c is not None:  # the index was built with the C core
            return self._respelt_in_c(texts, positions, query, cutoff, limit)
        found = process.extract(
            query, [texts[p] for p in positions], scorer=fuzz.ratio, score_cutoff=cutoff,
            limit=limit,
        )  # fmt: skip
        return [(score, at) for _, score, at in found]

    def _retrieval_weight(self, tokens: Iterable[Token]) -> float:
        return sum(KIND_FACTOR[t.kind] * self.rarity(t.text) for t in retrieving(tokens)) or 1.0

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

    def _joined_lookups(self, tokens: tuple[Token, ...]) -> list[Lookup]:
        """Two or three adjacent words joined into an indexed word, weighing what they weigh."""
        lookups: list[Lookup] = []
        for start in range(len(tokens)):
            for width in (2, 3):
                run = tokens[start : start + width]
                if len(run) < width or not joinable_run(run):
                    continue
                key = "".join(t.text for t in run)
                posting = self.postings.get(key)
                weight = sum(KIND_FACTOR[t.kind] * self.rarity(t.text) for t in run)
                if posting:
                    lookups.append((len(posting), weight, [key], [], False))
                elif len(key) >= JOINED_ONE_EDIT_LENGTH and key.isalpha():
                    # written apart and misspelt: 'andrang heta' / 'ndrangheta'
                    near = self.within_one_edit(key)
                    if near:
                        size = sum(len(self.postings[word]) for word in near)
                        lookups.append((size, weight, [], near, False))
        return lookups

    def near_words(self, token: Token) -> list[str]:
        """Indexed words one insertion, deletion, substitution or transposition from a word; for
        a long word that no list has and none is one edit from, those two edits away."""
        text = token.text
        if token.kind is not Kind.WORD or len(text) < ONE_EDIT_LENGTH or not text.isalpha():
            return []
        near = self.within_one_edit(text)
        if near or len(text) < TWO_EDITS_LENGTH or text in self.postings:
            return near
        return self.within_two_edits(text)

    def within_two_edits(self, text: str) -> list[str]:
        """Indexed words two edits from a text, as far as the index's one-letter deletions find
        them: the text less one or two letters meets a word less at most one (a word two
        letters longer than the text is not found)."""
        return self._within(text, 2)

    def within_one_edit(self, text: str) -> list[str]:
        """Indexed words one insertion, deletion, substitution or transposition from a text."""
        return self._within(text, 1)

    def _within(self, text: str, edits: int) -> list[str]:
        remembered = self._near[edits]
        near = remembered.get(text)
        if near is None:
            keys = deletions(text)
            if edits == 2:
                keys = {shorter for key in keys for shorter in deletions(key)}
            found = {w for key in keys for w in self._deletions.get(key, ())}
            found.discard(text)
            near = tuple(
                sorted(w for w in found if OSA.distance(text, w, score_cutoff=edits) <= edits)
            )
            if len(remembered) >= NEAR_REMEMBERED:
                remembered.clear()
            remembered[text] = near
        return list(near)

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
        plans = [plan for form in query.forms if (plan := self._plan(form))[0]]
        native = scoring.NATIVE
        if native is None:
            return self._gather_python(plans, count, admit)
        limits = (LONG_POSTING, SEEDS, SEED_POSTING, FUZZY_DISCOUNT, NAME_SHARE_BONUS)
        return native.gather(
            plans, self.postings, self.name_weights, self.entries, admit, count, limits
        )

    def _plan(self, form: NameForm) -> Plan:
        """A form's look-ups, rarest first, and the weight of all its retrieving tokens."""
        searched = retrieving(form.tokens)
        lookups: list[Lookup] = []
        total = 0.0
        for token in searched:
            weight, lookup = self._token_lookup(token)
            total += weight
            if lookup is not None:
                lookups.append(lookup)
        if not total:
            return total, []
        # the query written as initials or joined meets names written the other way: a token
        # that is a name's initials counts as the scorer counts an acronym, words written apart
        # ('good will') as the word they make ('goodwill')
        initials = [k for k in ("^" + t.text for t in searched) if k in self.postings]
        if initials:
            lookups.append((0, total * ACRONYM / len(searched), initials, [], False))
        lookups += self._joined_lookups(form.tokens)
        spelt = [k for k in acronyms(form) if k in self.postings]
        if spelt:
            lookups.append((0, total * FUZZY_DISCOUNT / len(searched), [], spelt, False))
        lookups.sort(key=lambda lookup: lookup[0])
        return total, lookups

    def _token_lookup(self, token: Token) -> tuple[float, Lookup | None]:
        """A query token's weight and look-up (None when no key of it is indexed); kept, as
        queries repeat their words ('trading', 'mohammed'), until the index changes."""
        known = self._lookups.get(token)
        if known is None:
            weight = KIND_FACTOR[token.kind] * self.rarity(token.text)
            keys = [k for k in exact_keys(token) if k in self.postings]
            near = [k for k in fuzzy_keys(token) if k in self.postings]
            near += self.near_words(token)
            size = sum(len(self.postings[k]) for k in keys)
            lookup = (size, weight, keys, near, token.kind is not Kind.INITIAL)
            known = (weight, lookup if keys or near else None)
            if len(self._lookups) >= NEAR_REMEMBERED:
                self._lookups.clear()
            self._lookups[token] = known
        return known

    def _gather_python(
        self, plans: list[Plan], count: int, admit: set[int] | None
    ) -> list[tuple[int, float]]:
        """The tally `_native.gather` makes in C: each form's look-ups credit the names they
        find, and each name keeps its best share over the forms."""
        best: dict[int, float] = {}
        rank: dict[int, float] = {}
        for total, lookups in plans:
            found: dict[int, float] = {}
            credited: dict[int, float] = {}  # per token: a name is credited once per token
            seeds = 0  # query tokens whose every name was gathered
            for size, weight, keys, near, by_token in lookups:
                credited.clear()
                close = weight * FUZZY_DISCOUNT
                # the rarest token gathers its names however common they are, the second when
                # not too common: names the whole query's initials or joined words found first
                # must not stand in for them ('mohammedali' for 'Mohammed Ali')
                seeding = (
                    size <= LONG_POSTING
                    or not found
                    or (by_token and (seeds == 0 or (seeds < SEEDS and size <= SEED_POSTING)))
                )
                if seeding:
                    seeds += 1 if by_token and keys else 0
                    for key in keys:
                        for position in self.postings[key]:
                            credited[position] = weight
                    for key in near:
                        posting = self.postings[key]
                        if len(posting) <= LONG_POSTING or not found:
                            for position in posting:
                                credited.setdefault(position, close)
                else:  # a common token: credit the names found so far that have it
                    for key in keys:
                        for position in found.keys() & self._posting_set(key):
                            credited[position] = weight
                for position, credit in credited.items():
                    found[position] = found.get(position, 0.0) + credit
            weights = self.name_weights
            for position, weight in found.items():
                share = min(1.0, weight / total)
                if share > best.get(position, 0.0):
                    best[position] = share
                    # among names sharing as much of the query, those with least else come first
                    rank[position] = share + NAME_SHARE_BONUS * min(1.0, weight / weights[position])
        if admit is not None:
            names = self.names
            best = {p: w for p, w in best.items() if names[p].entry in admit}
        # equal ranks in index order: the same names whatever order the keys were looked up in
        # (a token's equivalents are a set, whose order changes from one process to the next)
        ranked = heapq.nlargest(count, best, key=lambda p: (rank[p], -p))
        return sorted(((p, best[p]) for p in ranked), key=lambda pair: (-rank[pair[0]], pair[0]))
