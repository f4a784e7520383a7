"""Two name forms compared: an order-insensitive token assignment weighted by rarity.

Each query token is paired with at most one candidate token (greedy on similarity, which is the
optimal assignment for the small, peaked matrices names give). Unpaired distinctive tokens count
against the match on either side; legal forms and generic words barely count. Adjacent tokens that
spell one token on the other side are joined first ('hua wei' / 'huawei'); a short token may stand
for the initials of a run of tokens on the other side ('MPS' / 'Ministry of Public Security').
"""

from __future__ import annotations

import importlib
import itertools
import os
import re
import warnings
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple, Protocol, cast

from rapidfuzz.distance import OSA
from rigour.text.phonetics import metaphone

from interlock.names.forms import DISTINCTIVE, Kind, NameForm, Token, joinable_run, name_groups_of
from interlock.names.vocabulary import vocabulary

KIND_FACTOR = {
    Kind.WORD: 1.0,
    Kind.NUMBER: 1.0,
    Kind.INITIAL: 0.35,
    Kind.LOCATION: 0.5,
    Kind.GENERIC: 0.3,
    Kind.LEGAL: 0.1,
    Kind.STOP: 0.0,
}
# how strongly a token left unpaired on both sides says 'another party' ('Ivanovich' /
# 'Viktorovich', '(Hong Kong)' / '(Singapore)', 'A.' / 'Nursultan'), whatever its rarity
KIND_CONFLICT = {
    # two distinctive words unpaired may be one word spelt beyond recognition; two descriptive
    # words unpaired ('Systems' / 'Industries', 'Ivanovich' / 'Viktorovich') are two words
    Kind.WORD: 0.5,
    Kind.NUMBER: 0.0,  # a number conflict is a feature of its own: 'number_conflict'
    Kind.INITIAL: 1.0,
    Kind.LOCATION: 1.0,
    Kind.GENERIC: 1.0,
    Kind.LEGAL: 0.2,
    Kind.STOP: 0.0,
}
EQUIVALENT = 0.95  # a listed equivalent spelling (surname reading, translation, abbreviation)
NAME_GROUP = 0.9  # two spellings of one personal name in Wikidata's name groups
EXACT_ENOUGH = 0.9  # at or above: counted as an exact partner
GENDER_FORM = 0.3  # the feminine form of a name is another person's name
SPELLING = 0.88  # two romanisations of one name ('aleksandr' / 'alexander')
MATCHED_WEIGHT_CAP = 3.0  # three rare tokens matched is as much evidence as the feature counts
CONSONANTS = 0.85  # a Latin spelling and an abjad romanisation with the same consonants
LOCATION_MISSING = 0.5
DISTINCT_NAMES = 0.5  # look-alike tokens that are each a known name, in different name groups
PHONETIC = 0.8  # same metaphone key
PHONETIC_LENGTH = 5  # shorter words have two or three consonants for a key (see text_similarity)
ANY_SLIPS = -1  # short words meet by their sound alone, however far apart spelt (sound_slips)
NAME_SLIPS = 2  # a short name's other spellings, by sound ('yip' / 'yeap', sound_slips)
INITIAL = 0.7  # 'j' for 'john'
ACRONYM = 0.9  # 'mps' for 'ministry (of) public security'
MIN_ACRONYM_ALONE = 3  # the fewest letters of an acronym with no telling word paired beside it

# a token's weight: its kind's factor times its rarity (0..1], given as a function of its text
Rarity = Callable[[str], float]


@dataclass(frozen=True, slots=True)
class Pair:
    query: str
    candidate: str
    similarity: float
    how: str  # exact, equivalent, name group, fuzzy, phonetic, initial, acronym, joined
    weight: float  # the lighter of the two tokens' weights


@dataclass(frozen=True, slots=True)
class Features:
    """What the calibration turns into a probability. All in [0, 1]."""

    query_coverage: float  # weighted share of the query's tokens that found a partner
    candidate_coverage: float
    query_exact: float  # the same, counting only exact or equivalent partners
    candidate_exact: float
    query_missing: float  # weight of the heaviest distinctive query token left unpaired
    candidate_missing: float
    fuzzy_loss: float  # the largest (1 - similarity) x weight among fuzzily paired tokens
    matched_weight: float  # how much rare name was matched: sum of similarity x weight, / 3
    number_conflict: float  # numbers on both sides that differ ('54th' / '55th')
    conflict: float  # tokens left unpaired on both sides, by the weaker side's kind
    order_break: float  # the pairs' order is not the other side's, nor a rotation of it
    all_exact: float  # every scored token on both sides paired exactly
    single_token: float  # the query has one distinctive token only

    def vector(self) -> tuple[float, ...]:
        return (
            self.query_coverage,
            self.candidate_coverage,
            self.query_exact,
            self.candidate_exact,
            self.query_missing,
            self.candidate_missing,
            self.fuzzy_loss,
            self.matched_weight,
            self.number_conflict,
            self.conflict,
            self.order_break,
            self.all_exact,
            self.single_token,
        )


FEATURE_NAMES = tuple(Features.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class Comparison:
    query_form: NameForm
    candidate_form: NameForm
    pairs: tuple[Pair, ...]
    unmatched_query: tuple[str, ...]
    unmatched_candidate: tuple[str, ...]
    features: Features
    similarity: float  # uncalibrated: mean of the two coverages less the missing weights


def _budget(length: int) -> int:
    """Edits (insert, delete, substitute, transpose) allowed between tokens of this length: the
    longer token's, once the shorter has four letters ('khaja' / 'khan')."""
    if length <= 3:
        return 0
    if length == 4:
        return 1
    if length <= 11:
        # two slips in a five-letter word still leave a typo ('Sechev' / 'Sechin'): screening
        # flags it for a person to look at, as OFAC's own search scores such pairs 90 and above
        return 2
    return 3


def _respelling_budget(length: int) -> int:
    """Edits allowed between two romanisations once folded ('castilo' / 'castro' is two names,
    not two spellings of one): one fewer than a typo in words of five to seven letters."""
    return 1 if 4 <= length <= 7 else _budget(length)


BUDGET_LENGTHS = 32  # the C core's budget tables: every length below, the last for longer


@lru_cache(maxsize=1 << 18)
def phonetic_key(text: str) -> str:
    return metaphone(text) if len(text) >= 3 and text.isalpha() else ""


@lru_cache(maxsize=1 << 20)
def text_similarity(a: str, b: str, sound_slips: int = ANY_SLIPS) -> tuple[float, str]:
    """`sound_slips`: how many slips (edits) apart words shorter than PHONETIC_LENGTH may be to
    meet by their sound, as their key is two or three consonants ('ros' / 'rihs', 'sbki' /
    'sbig'; 'day' / 'dey'); such words must have a vowel too: one without is initials, not a
    word said ('pdd' / 'pad'). ANY_SLIPS (see sound_slips): by their sound alone, however
    spelt, vowels or none."""
    if isinstance(sound_slips, bool) or sound_slips < ANY_SLIPS:  # as the C core refuses them
        raise ValueError(f"sound_slips: ANY_SLIPS, or slips allowed (>= 0), not {sound_slips!r}")
    if a == b:
        return 1.0, "exact"
    if a.isdigit() or b.isdigit():
        return 0.0, ""
    if len(a) == 1 or len(b) == 1:
        short, long = (a, b) if len(a) == 1 else (b, a)
        return (INITIAL, "initial") if long.startswith(short) else (0.0, "")
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 4 and long in (short + "a", short + "aya", short[:-1] + "aya"):
        # 'aleksandr' / 'aleksandra', 'petrovskiy' / 'petrovskaya'
        return GENDER_FORM, "gender form"
    fuzzy = _edit_similarity(a, b)
    if fuzzy >= SPELLING:
        return fuzzy, "fuzzy"
    folded_a, folded_b = romanisation_key(a), romanisation_key(b)
    if folded_a == folded_b:
        return SPELLING, "spelling"
    respelt = _edit_similarity(folded_a, folded_b, _respelling_budget) * SPELLING
    key = phonetic_key(a)
    # metaphone alone is English-coarse ('klave' / 'guliiev'); it must start alike as well
    if (
        key
        and (
            sound_slips == ANY_SLIPS
            or len(short) >= PHONETIC_LENGTH
            or (
                OSA.distance(a, b) <= sound_slips
                and bool(_VOWELS.search(a))
                and bool(_VOWELS.search(b))
            )
        )
        and key == phonetic_key(b)
        and folded_a[0] == folded_b[0]
        and max(fuzzy, respelt) < PHONETIC
    ):
        return PHONETIC, "phonetic"
    if respelt > fuzzy:
        return respelt, "spelling"
    if fuzzy == 0:
        return 0.0, ""
    # more slips than two spellings of one name differ by: a typo, if anything
    return fuzzy, "fuzzy" if _edit_similarity(a, b, _respelling_budget) else "typo"


def _edit_similarity(a: str, b: str, allowed: Callable[[int], int] = _budget) -> float:
    """1 - edits / length, when the edits are within what the tokens' lengths allow."""
    shorter, longer = sorted((len(a), len(b)))
    budget = allowed(longer if shorter >= 4 and allowed is _budget else shorter)
    distance = OSA.distance(a, b, score_cutoff=budget)
    return 1.0 - distance / max(len(a), len(b)) if distance <= budget else 0.0


_VOWELS = re.compile(r"[aeiouy]")
_ABJAD_VOWELS = re.compile(r"[aeiouyvw]")  # w is folded to v by romanisation_key
_S_BETWEEN_VOWELS = re.compile(r"(?<=[aeiouy])s(?=[aeiouy])")  # not after an s: 'hussam'


@lru_cache(maxsize=1 << 18)
def consonant_key(text: str) -> str:
    """A spelling without vowels after its first letter ('zahed' and 'zahid' are 'zhd')."""
    folded = romanisation_key(text)
    return folded[0] + _VOWELS.sub("", folded[1:]).replace("w", "")


@lru_cache(maxsize=1 << 18)
def abjad_keys(text: str, vowelless: bool) -> frozenset[str]:
    """The consonants a word is written with in an abjad, to compare a word romanised from Arabic
    or Hebrew script (`vowelless`) with one written with its vowels. An abjad writes long vowels
    with the letters romanised w and y and leaves short ones out, so all are left out ('jzrwy' /
    'jizrawi', 'dawud' / 'david'); it writes a first vowel with alif, romanised a, so any first
    vowel is one mark ('awndw' / 'ondoa'). A Latin s between vowels may be written z, as Arabic
    writes an s sounded so ('tyryz' / 'therese'): such a word has a second key. An abjad writes
    a doubled consonant once, so two alike in a romanised abjad word had a vowel between them
    ('jll' Jalal, 'bll' Bilal): such a word has a key that keeps both."""
    spellings = {romanisation_key(text)}
    if not vowelless:  # a single s: a doubled one ('hussam') is not sounded z
        spellings.add(romanisation_key(_S_BETWEEN_VOWELS.sub("z", text)))
    else:
        spellings.add(_romanised(text, fold_doubled=False))
    return frozenset(_first_mark(text, s) + _ABJAD_VOWELS.sub("", s[1:]) for s in spellings)


def _first_mark(text: str, folded: str) -> str:
    # romanisation_key reads a first y as i ('yuriy' / 'iurii'), but an abjad's first y is a
    # consonant ('ysyn' Yassin is not Usain)
    first = text[0] if text[0] == "y" else folded[0]
    return "a" if first in "aeiou" else first


@lru_cache(maxsize=1 << 16)
def abjad_spelling(
    unwritten: str, written: str, article: bool = False, as_written: bool = True
) -> bool:
    """Could `written` be the word an abjad wrote as `unwritten` (romanised)? `article`: read
    `written` also as the article joined to the word, as the abjad word had it, which its
    romanisation leaves out ('zhrny' for الزهراني) and a Latin spelling may join to it
    ('alzahrani'), sounded as the letter after it ('essabar' as-Sabar); `as_written`: read it
    also as it stands."""
    if len(unwritten) < 2:
        return False
    keys = abjad_keys(unwritten, True)
    if as_written and not keys.isdisjoint(abjad_keys(written, False)):
        return True
    after = _after_joined_article(written) if article else None
    return after is not None and not keys.isdisjoint(
        key for key in abjad_keys(after, False) if _consonants(key) >= MIN_AFTER_ARTICLE_CONSONANTS
    )


# the letters the Arabic article is sounded as, as Latin spellings write them ('as-sabar'); before
# an l it is written al-l, which the joined 'al' covers
_SUN_LETTERS = ("th", "dh", "sh", "t", "d", "r", "z", "s", "n")
MIN_AFTER_ARTICLE = 4  # letters of the word after a joined article: 'alan' is no al-An
# consonants of that word's abjad key: 'elodie' is no al-Awdi (العودي, 'd' alone)
MIN_AFTER_ARTICLE_CONSONANTS = 2


def _after_joined_article(text: str) -> str | None:
    """The word after an Arabic article a Latin spelling joins to it, if it may be one."""
    if text.startswith(("al", "el")) and len(text) - 2 >= MIN_AFTER_ARTICLE:
        return text[2:]
    if text[:1] in ("a", "e"):
        for letter in _SUN_LETTERS:
            after = text[1 + len(letter) :]
            if text.startswith(letter * 2, 1) and len(after) >= MIN_AFTER_ARTICLE:
                return after
    return None


@lru_cache(maxsize=1 << 16)
def named_after_article(groups: frozenset[int], alts: frozenset[str], written: str) -> bool:
    """Whether the word after a Latin article is the abjad word's name: of its name groups, or
    a vowel variant of a Latin form they give it. 'elsayed' is al-Sayed (السيد), where the groups
    know 'elsayed' itself apart from Sayed, and 'elmasri' al-Masri (المصري, 'masry'); 'aleman'
    (eman) is no al-Amin (الأمين)."""
    after = _after_joined_article(written)
    return after is not None and (
        not groups.isdisjoint(name_groups_of(after))
        or any(vowel_variants(latin, after) for latin in alts)
    )


def _consonants(key: str) -> int:
    """An abjad key's consonants: its letters, less a first vowel's mark."""
    return len(key) - (key[0] == "a")


def vowel_variants(a: str, b: str) -> bool:
    """Spellings of at least five letters that differ only in their vowels ('zahed' / 'zahid');
    but not when one ends in -a and the other in another vowel: a feminine form and another
    name ('paolo' / 'paola', 'michelle' / 'michaela')."""
    if min(len(a), len(b)) < 5 or consonant_key(a) != consonant_key(b):
        return False
    endings = {a[-1], b[-1]}
    return not ("a" in endings and len(endings) == 2 and endings <= set("aeio"))


# Spellings that romanisations of one name differ by, folded one way (Aleksandr / Alexander,
# Tchaikovsky / Chaikovskiy, Yuriy / Iurii, Mukhammad / Muhammad, Abdallah / Abdalla)
_ROMANISATION_FOLDS = (
    ("tch", "ch"),
    ("sch", "sh"),
    ("dzh", "j"),
    ("dj", "j"),  # French for Arabic j: Djamel / Jamel, Djermane
    # before kh: a t, d or g and a kh after it ('tkhry' Takhari) are not th, dh or gh
    ("th", "t"),
    ("dh", "d"),
    ("gh", "g"),
    ("kh", "h"),
    ("ck", "k"),
    ("ph", "f"),
    ("x", "ks"),
    ("w", "v"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("iy", "i"),
    ("yi", "i"),
    ("ii", "i"),
    ("y", "i"),
    ("q", "k"),
)
_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=1 << 18)
def romanisation_key(text: str) -> str:
    return _romanised(text, fold_doubled=True)


def _romanised(text: str, fold_doubled: bool) -> str:
    folded = text
    for old, new in _ROMANISATION_FOLDS:
        folded = folded.replace(old, new)
    if fold_doubled:
        folded = _DOUBLED.sub(r"\1", folded)
    if len(folded) > 3 and folded.endswith("h") and folded[-2] in "aeiou":
        folded = folded[:-1]
    return folded


def sound_slips(a: Token, b: Token) -> int:
    """How far apart two short words may be spelt to meet by sound (text_similarity): two names
    are spelt apart as they sound ('Lou' / 'Lew'), and a word an abjad wrote has no vowels to tell
    by ('syf' / 'saif'); a name's other spellings sit near it ('Yip' / 'Yeap'), where a short word
    further off that only sounds like it is another ('GLI' / 'Gallo', 'ODH' / 'Otto'); other
    short words, often initials, meet by sound one slip apart only ('day' / 'dey')."""
    if a.vowelless or b.vowelless or (a.groups and b.groups):
        return ANY_SLIPS
    return NAME_SLIPS if a.groups or b.groups else 1


def token_similarity(a: Token, b: Token) -> tuple[float, str]:
    if a.text == b.text:
        return 1.0, "exact"
    if (a.alts and (b.text in a.alts or not a.alts.isdisjoint(b.alts))) or (
        b.alts and a.text in b.alts
    ):
        return EQUIVALENT, "equivalent"
    if (a.kind is Kind.NUMBER) or (b.kind is Kind.NUMBER):
        return 0.0, ""
    similarity, how = text_similarity(a.text, b.text, sound_slips(a, b))
    if how == "gender form":
        return similarity, how
    # two words the name groups know as different names ('ali' / 'levi') are not one spelt
    # without its vowels
    known_apart = bool(a.groups and b.groups and a.groups.isdisjoint(b.groups))
    if similarity < CONSONANTS and a.vowelless != b.vowelless:
        # spelt with these consonants ('jzrwy' / 'jizrawi'), or, known apart or not, the vowel
        # variant of a Latin form the name groups give the word ('zhd' Zahed / 'zahid')
        unwritten, written = (a, b) if a.vowelless else (b, a)
        # the article and a word: not a known name where the abjad word is none ('alonzo' /
        # 'anzy'), and where the name groups know the two apart, the word after the article
        # must be the abjad word's name ('elsayed' / 'syd', not 'aleman' / 'amyn')
        article = unwritten.article and (
            named_after_article(unwritten.groups, unwritten.alts, written.text)
            if known_apart
            else (bool(unwritten.groups) or not written.groups)
        )
        if (
            (article or not known_apart)
            and abjad_spelling(unwritten.text, written.text, article, not known_apart)
        ) or any(vowel_variants(latin, written.text) for latin in unwritten.alts):
            return CONSONANTS, "consonants"
    if similarity >= NAME_GROUP or not a.groups or not b.groups:
        return similarity, how
    if not a.groups.isdisjoint(b.groups):
        return NAME_GROUP, "name group"
    if how == "spelling" or vowel_variants(a.text, b.text):
        # 'zahed' / 'zahid', 'wassim' / 'waseem': known names whose spellings differ only as
        # romanisations do
        return max(similarity, SPELLING), "spelling"
    if similarity > 0:  # two known names, not spellings of one another: 'jane' / 'john'
        return similarity * DISTINCT_NAMES, "different names"
    return similarity, how


def _joined(tokens: Sequence[Token], other: frozenset[str]) -> list[Token]:
    """Adjacent tokens (two or three) whose concatenation is a token of the other side, or two
    that write one the other side has ('biological technology' / 'biotechnology'), joined."""
    written_apart = vocabulary().written_apart
    result: list[Token] = []
    index = 0
    while index < len(tokens):
        for width in (3, 2):
            run = tokens[index : index + width]
            if len(run) < width or not joinable_run(run):
                continue
            apart = " ".join(t.text for t in run)
            together = written_apart.get(apart) or "".join(t.text for t in run)
            if together in other:
                result.append(Token(together, Kind.WORD, frozenset(), f"joined {apart}"))
                index += width
                break
        else:
            result.append(tokens[index])
            index += 1
    return result


JOINED_NEAR_LENGTH = 8  # words written apart and misspelt are joined when they make this many


def near_joined_forms(form: NameForm, near: Callable[[str], bool]) -> list[NameForm]:
    """The form again with two or three adjacent words written together, where together they
    are one slip from a word the other side has (`near`): 'andrang heta' / 'ndrangheta', 'sense
    tyme' / 'sensetime'. The scorer joins runs that spell a word exactly (`_joined`); a run
    that only nearly spells one is tried as a form of its own, which wins where it compares
    better."""
    tokens = form.tokens
    joined_forms: list[NameForm] = []
    for start in range(len(tokens)):
        for width in (2, 3):
            run = tokens[start : start + width]
            if len(run) < width or any(t.kind is not Kind.WORD for t in run):
                continue
            together = "".join(t.text for t in run)
            if len(together) < JOINED_NEAR_LENGTH or not together.isalpha() or not near(together):
                continue
            via = "joined " + " ".join(t.text for t in run)
            joined = (*tokens[:start], Token(together, Kind.WORD, frozenset(), via))
            joined_forms.append(NameForm((*joined, *tokens[start + width :]), form.via))
    return joined_forms


def one_slip_from(words: frozenset[str]) -> Callable[[str], bool]:
    """Whether a text is one edit from one of `words` (and is not one of them)."""

    def near(text: str) -> bool:
        return text not in words and any(
            abs(len(word) - len(text)) <= 1 and OSA.distance(text, word, score_cutoff=1) <= 1
            for word in words
        )

    return near


def _acronym_run(acronym: str, tokens: Sequence[Token], free: set[int]) -> list[int] | None:
    """Positions of a run of free tokens whose initials spell `acronym`: stopwords skipped, and
    inside the run a generic word whose initial is not the next letter, as acronyms often leave
    one out (CETC, China Electronics Technology Group Corporation)."""
    content = [i for i, t in enumerate(tokens) if t.kind is not Kind.STOP]
    for start in range(len(content)):
        run: list[int] = []
        for position in content[start:]:
            if len(run) == len(acronym):
                break
            token = tokens[position]
            if position not in free or token.text[0] != acronym[len(run)]:
                if run and token.kind is Kind.GENERIC:
                    continue
                break
            run.append(position)
        if len(run) == len(acronym):
            return run
    return None


# what an alignment of two token sequences leaves: each side's per-token scores, the greedy pairs
# (query position, candidate position, similarity, how), the acronym pairs (the short side's
# position, the long side's run, whether the query is the short side), and whether the pairs'
# order is broken
Alignment = tuple[
    list[float],
    list[float],
    list[tuple[int, int, float, str]],
    list[tuple[int, tuple[int, ...], bool]],
    bool,
]
Aligner = Callable[
    [tuple[Token, ...], list[float], tuple[Token, ...], list[float], bool], Alignment
]


def token_weights(tokens: Sequence[Token], rarity: Rarity) -> list[float]:
    return [KIND_FACTOR[t.kind] * rarity(t.text) for t in tokens]


def form_weights(form: NameForm, rarity: Rarity) -> list[float]:
    return token_weights(form.tokens, rarity)


def needs_joining(query: NameForm, candidate: NameForm) -> bool:
    """Whether adjacent tokens on one side spell a token of the other ('hua wei' / 'huawei')."""
    return not (
        query.adjacent.isdisjoint(candidate.spellings)
        and candidate.adjacent.isdisjoint(query.spellings)
    )


class _Aligned(NamedTuple):
    """Two forms' tokens (joined where the other side spells them together), their weights and
    scores, the pairs made and whether their order is broken."""

    q_tokens: Sequence[Token]
    c_tokens: Sequence[Token]
    q_weights: list[float]
    c_weights: list[float]
    q_score: list[float]
    c_score: list[float]
    pairs: list[Pair]
    order_break: bool


def _joined_sides(
    query: NameForm, candidate: NameForm
) -> tuple[tuple[Token, ...], tuple[Token, ...]]:
    """Each form's tokens, adjacent ones joined where the other side spells them together."""
    q_tokens = (
        tuple(_joined(query.tokens, candidate.spellings))
        if not query.adjacent.isdisjoint(candidate.spellings)
        else query.tokens
    )
    c_tokens = (
        tuple(_joined(candidate.tokens, query.spellings))
        if not candidate.adjacent.isdisjoint(query.spellings)
        else candidate.tokens
    )
    return q_tokens, c_tokens


def _aligned(query: NameForm, candidate: NameForm, rarity: Rarity, person: bool) -> _Aligned:
    q_tokens, c_tokens = _joined_sides(query, candidate)
    q_weights, c_weights = token_weights(q_tokens, rarity), token_weights(c_tokens, rarity)
    q_score, c_score, greedy, acronym_pairs, order_break = ALIGN(
        q_tokens, q_weights, c_tokens, c_weights, person
    )
    pairs: list[Pair] = []
    for i, j, similarity, how in greedy:
        if how == "exact":  # say how an exact pair came about ('abbreviation inst = …')
            how = q_tokens[i].via or c_tokens[j].via or how
        weight = min(q_weights[i], c_weights[j])
        pairs.append(Pair(q_tokens[i].text, c_tokens[j].text, similarity, how, weight))
    for i, run, query_side in acronym_pairs:
        short_side, long_side, weights = (
            (q_tokens, c_tokens, q_weights) if query_side else (c_tokens, q_tokens, c_weights)
        )
        spelled = " ".join(long_side[p].text for p in run)
        text = short_side[i].text
        pair = (text, spelled) if query_side else (spelled, text)
        pairs.append(Pair(pair[0], pair[1], ACRONYM, "acronym", weights[i]))
    return _Aligned(q_tokens, c_tokens, q_weights, c_weights, q_score, c_score, pairs, order_break)


def compare(
    query: NameForm, candidate: NameForm, rarity: Rarity, person: bool = False
) -> Comparison:
    """`person`: the candidate is a listed person's name (see _align_python)."""
    return _result(query, candidate, *_aligned(query, candidate, rarity, person))


def explain(
    query: NameForm, candidate: NameForm, rarity: Rarity, features: Features, person: bool = False
) -> Comparison:
    """The pairs and unmatched tokens behind features already computed for these two forms (by
    the C core's best pair of forms, for two names compared): `compare` without working the
    features out again."""
    aligned = _aligned(query, candidate, rarity, person)
    return Comparison(
        query,
        candidate,
        tuple(aligned.pairs),
        _unmatched(aligned.q_tokens, aligned.q_score),
        _unmatched(aligned.c_tokens, aligned.c_score),
        features,
        _similarity(features),
    )


class Described(NamedTuple):
    """Two forms' alignment as an explanation shows it (see `described`)."""

    alignment: list[dict[str, Any]]  # {query, alias, similarity (to 3 places), how} per pair
    unmatched_query: list[str]
    unmatched_candidate: list[str]


def described(
    query: NameForm,
    candidate: NameForm,
    rarity: Rarity,
    person: bool = False,
    weights: tuple[list[float], list[float]] | None = None,
) -> Described:
    """`explain`'s pairs and unmatched tokens as a search's explanation shows them: a search
    explains several aliases of each entry it shows, so the C core, if any, builds them
    (`weights`: the two forms' `form_weights`, where the caller has them)."""
    native = NATIVE
    if native is not None:
        q_weights, c_weights = weights or (
            form_weights(query, rarity),
            form_weights(candidate, rarity),
        )
        found = native.described(query, q_weights, candidate, c_weights, person)
        if found is not None:  # else the forms' words are joined first, in Python
            return Described(*found)
    aligned = _aligned(query, candidate, rarity, person)
    pairs = [
        {"query": p.query, "alias": p.candidate, "similarity": round(p.similarity, 3), "how": p.how}
        for p in aligned.pairs
    ]
    return Described(
        pairs,
        list(_unmatched(aligned.q_tokens, aligned.q_score)),
        list(_unmatched(aligned.c_tokens, aligned.c_score)),
    )


def rounded(values: tuple[float, ...], digits: int) -> list[float]:
    """[round(v, digits) for v in values] (floats), by the C core where it is built: a search
    rounds every feature of every alias it explains."""
    native = NATIVE
    if native is not None:
        return native.rounded(values, digits)
    return [round(v, digits) for v in values]


def _unmatched(tokens: Sequence[Token], scores: list[float]) -> tuple[str, ...]:
    return tuple(
        t.text
        for t, score in zip(tokens, scores, strict=True)
        if not score and t.kind is not Kind.STOP
    )


def _similarity(features: Features) -> float:
    """Uncalibrated: the mean of the two coverages less the heavier missing token."""
    coverage = (features.query_coverage + features.candidate_coverage) / 2
    return max(0.0, coverage - 0.5 * max(features.query_missing, features.candidate_missing))


def _align_python(
    q_tokens: tuple[Token, ...],
    q_weights: list[float],
    c_tokens: tuple[Token, ...],
    c_weights: list[float],
    person: bool = False,
) -> Alignment:
    """Each query token paired with at most one candidate token, greedily by similarity, then the
    acronyms on either side."""
    # equal options: the pair nearer in place first, so a word said twice pairs in order and a run
    # of words is left whole for an acronym ('company … joynt stock company' / 'company … jsc')
    options: list[tuple[float, float, int, int, int, str]] = []
    for i, q in enumerate(q_tokens):
        if q.kind is Kind.STOP:
            continue
        for j, c in enumerate(c_tokens):
            if c.kind is Kind.STOP:
                continue
            if q.text == c.text:
                similarity, how = 1.0, "exact"
            else:
                similarity, how = token_similarity(q, c)
            if similarity > 0:
                options.append((similarity, q_weights[i] + c_weights[j], -abs(i - j), i, j, how))
    options.sort(reverse=True)
    q_score = [0.0] * len(q_tokens)
    c_score = [0.0] * len(c_tokens)
    q_free = {i for i, t in enumerate(q_tokens) if t.kind is not Kind.STOP}
    c_free = {j for j, t in enumerate(c_tokens) if t.kind is not Kind.STOP}
    greedy: list[tuple[int, int, float, str]] = []
    for similarity, _weight, _apart, i, j, how in options:
        if i in q_free and j in c_free:
            q_free.discard(i)
            c_free.discard(j)
            if how != "gender form":  # shown as a contrast, but neither side is found
                q_score[i] = c_score[j] = similarity
            greedy.append((i, j, similarity, how))
    rotated = _rotated([(i, j) for i, j, _similarity, _how in greedy])
    if not rotated:
        untwined = _untwined(greedy, q_tokens, c_tokens)
        if untwined is not None:
            greedy, rotated = untwined, True
            for i, j, similarity, how in greedy:
                q_score[i] = c_score[j] = 0.0 if how == "gender form" else similarity
    acronym_pairs: list[tuple[int, tuple[int, ...], bool]] = []
    word_paired = any(
        q_score[i] and (_telling(q_tokens[i]) or _telling(c_tokens[j]))
        for i, j, _similarity, _how in greedy
    )
    # a person's names are not an acronym's words unless another word pairs too: 'tea' is no
    # initials of 'Trikulya Elena Anatolievna', 'ip' are of 'KOZLOV Igor Petrovich'
    if word_paired or not person:
        # nor are two letters alone: most pairs of letters are some listed name's initials ('BH
        # Holdings' / 'Boko Haram'); beside a word or a longer acronym of one, they may be
        # ('IRGC QF' / 'Islamic Revolutionary Guard Corps Quds Force')
        sides = (q_tokens, c_tokens, q_free, c_free, q_score, c_score)
        shortest = 2 if word_paired else MIN_ACRONYM_ALONE
        _pair_both_acronyms(*sides, acronym_pairs, shortest)
        spelt = any(
            _telling((c_tokens if query_side else q_tokens)[position])
            for _i, run, query_side in acronym_pairs
            for position in run
        )
        if shortest > 2 and spelt:
            _pair_both_acronyms(*sides, acronym_pairs, 2)
    return q_score, c_score, greedy, acronym_pairs, not rotated


# the most pairings of twins kept to exchange from, and the most exchanges tried, for one in order
# (a name says a word twice, rarely thrice: past these it is a list of words, not a name)
TWIN_PAIRINGS = 64
TWIN_EXCHANGES = 256


def _untwined(
    greedy: list[tuple[int, int, float, str]],
    q_tokens: tuple[Token, ...],
    c_tokens: tuple[Token, ...],
) -> list[tuple[int, int, float, str]] | None:
    """A word said twice on either side ('V. V. Putin', 'Mohammed Ali Mohammed') is one word
    twice: which of the two took which partner says nothing. The pairs with twins' partners
    exchanged, fewest exchanges first, until their order is a rotation of the other side's
    ('PUTIN, Vladimir Vladimirovich', 'Hassan Ali Ali' for 'Ali Hassan Ali'); None if no
    pairing is, or none within TWIN_EXCHANGES. The aligner asks only where the greedy pairs are
    not in order. Every pairing scores the same: twins compare alike (_twins), and an exchange
    keeps each similarity with the word it belongs to."""
    queue = [greedy]  # the pairings tried, each exchanged in turn
    seen = {tuple(j for _i, j, _s, _h in greedy)}
    exchanges = 0
    for pairs in queue:
        for a, (i, j, similarity, how) in enumerate(pairs):
            for b in range(a + 1, len(pairs)):
                k, m, other_similarity, other_how = pairs[b]
                if _twins(q_tokens[i], q_tokens[k]):  # each candidate word keeps its pairing
                    first, second = (i, m, other_similarity, other_how), (k, j, similarity, how)
                elif _twins(c_tokens[j], c_tokens[m]):  # each query word keeps its pairing
                    first, second = (i, m, similarity, how), (k, j, other_similarity, other_how)
                else:
                    continue
                exchanges += 1
                if exchanges > TWIN_EXCHANGES:
                    return None
                exchanged = [*pairs[:a], first, *pairs[a + 1 : b], second, *pairs[b + 1 :]]
                order = tuple(p[1] for p in exchanged)
                if order in seen:
                    continue
                if _rotated([(p[0], p[1]) for p in exchanged]):
                    return exchanged
                if len(queue) < TWIN_PAIRINGS:
                    seen.add(order)
                    queue.append(exchanged)
    return None


def _twins(a: Token, b: Token) -> bool:
    """One word twice: the same in all that pairs it (two Arabic words written 'aly' may have
    other readings), so that either compares as the other would."""
    return a.text == b.text and a.kind is b.kind and a.alts == b.alts and a.groups == b.groups


def _rotated(order: list[tuple[int, int]]) -> bool:
    """Whether the paired tokens keep their order on both sides up to a rotation: lists move a
    family name to the front ('FAMILY Given') or a head noun to the back ('X's Institute' /
    'Institute of X') but do not shuffle a name ('Salman bin Muhammad' / 'Muhammad bin Salman').
    Two neighbouring middle names may be swapped ('Reinaldo Gregorio Lenin Cerna' / 'CERNA,
    Reinaldo Lenin Gregorio'): records disagree on their order, and the first and last of the
    name stay put."""
    if len(order) <= 2:
        return True
    positions = [j for _i, j in sorted(order)]
    start = positions.index(min(positions))
    turned = positions[start:] + positions[:start]  # from the other side's first word, if rotated
    if _ascending(turned):
        return True
    for k in range(1, len(turned) - 2):
        if _ascending([*turned[:k], turned[k + 1], turned[k], *turned[k + 2 :]]):
            return True
    return False


def _ascending(positions: list[int]) -> bool:
    return all(a < b for a, b in itertools.pairwise(positions))


def _telling(token: Token) -> bool:
    """A word that says whose name it is: a distinctive word or a place, not a legal form or a
    generic word ('BH Holdings' / 'Boko Haram': 'holdings' tells nothing)."""
    return token.kind in DISTINCTIVE or token.kind is Kind.LOCATION


def _may_be_acronym(token: Token) -> bool:
    """A word of two letters or more; or a legal form of three or more, which the other side may
    spell out in words its legal-form table does not know ('jsc' for 'joynt stock company')."""
    length = len(token.text)
    return (token.kind is Kind.WORD and length >= 2) or (token.kind is Kind.LEGAL and length >= 3)


def _pair_both_acronyms(
    q_tokens: Sequence[Token],
    c_tokens: Sequence[Token],
    q_free: set[int],
    c_free: set[int],
    q_score: list[float],
    c_score: list[float],
    found: list[tuple[int, tuple[int, ...], bool]],
    shortest: int,
) -> None:
    """The query's acronyms of at least `shortest` letters, then the candidate's."""
    _pair_acronyms(q_tokens, c_tokens, q_free, c_free, q_score, c_score, found, True, shortest)
    _pair_acronyms(c_tokens, q_tokens, c_free, q_free, c_score, q_score, found, False, shortest)


def _pair_acronyms(
    short_side: Sequence[Token],
    long_side: Sequence[Token],
    short_free: set[int],
    long_free: set[int],
    short_score: list[float],
    long_score: list[float],
    found: list[tuple[int, tuple[int, ...], bool]],
    query_side: bool,
    shortest: int,
) -> None:
    for i in sorted(short_free):
        token = short_side[i]
        if (
            not _may_be_acronym(token)
            or not shortest <= len(token.text) <= 6
            or not token.text.isalpha()
        ):
            continue
        run = _acronym_run(token.text, long_side, long_free)
        if run is None:
            continue
        short_free.discard(i)
        short_score[i] = ACRONYM
        for position in run:
            long_free.discard(position)
            long_score[position] = ACRONYM
        found.append((i, tuple(run), query_side))


class _Side(NamedTuple):
    total: float  # weight of the scored tokens
    covered: float  # weighted coverage
    exact: float  # weighted coverage by exact or equivalent partners
    missing: float  # the heaviest unpaired token, numbers aside
    leftover: float  # the strongest conflict kind left unpaired
    numbers: float  # weight of the unpaired numbers
    number_missing: float  # the heaviest unpaired number
    unmatched: tuple[str, ...]
    all_exact: bool
    distinctive: int  # how many distinctive tokens


def _side(tokens: Sequence[Token], weights: list[float], scores: list[float]) -> _Side:
    total = covered = exact = missing = leftover = numbers = number_missing = 0.0
    all_exact = True
    distinctive = 0
    for token, weight, score in zip(tokens, weights, scores, strict=True):
        kind = token.kind
        if kind is Kind.STOP:
            continue
        total += weight
        if kind in DISTINCTIVE:
            distinctive += 1
        if score:
            covered += score * weight
            if score >= EXACT_ENOUGH:
                exact += weight
            if score != 1.0:
                all_exact = False
            continue
        all_exact = False
        leftover = max(leftover, KIND_CONFLICT[kind])
        if kind is Kind.NUMBER:
            numbers += weight
            number_missing = max(number_missing, weight)
        elif kind in DISTINCTIVE:
            missing = max(missing, weight)
        elif kind is Kind.LOCATION:  # a country left over counts, but little: 'of China'
            missing = max(missing, weight * LOCATION_MISSING)
    return _Side(
        total,
        covered,
        exact,
        missing,
        leftover,
        numbers,
        number_missing,
        _unmatched(tokens, scores),
        all_exact,
        distinctive,
    )


def _result(
    query: NameForm,
    candidate: NameForm,
    q_tokens: Sequence[Token],
    c_tokens: Sequence[Token],
    q_weights: list[float],
    c_weights: list[float],
    q_score: list[float],
    c_score: list[float],
    pairs: list[Pair],
    order_break: bool,
) -> Comparison:
    q = _side(q_tokens, q_weights, q_score)
    c = _side(c_tokens, c_weights, c_score)
    number_conflict = bool(q.numbers and c.numbers)
    if number_conflict:
        # numbers on both sides that differ are one conflict ('Fund XII' / 'Fund XIII'), not a
        # missing token on each side: the rest of the names is compared as if they were absent
        q_total, c_total = q.total - q.numbers, c.total - c.numbers
        q_missing, c_missing = q.missing, c.missing
    else:
        q_total, c_total = q.total, c.total
        q_missing = max(q.missing, q.number_missing)
        c_missing = max(c.missing, c.number_missing)
    q_total = q_total or 1.0
    c_total = c_total or 1.0
    q_coverage = q.covered / q_total
    c_coverage = c.covered / c_total
    fuzzy_loss = 0.0
    matched = 0.0
    for pair in pairs:
        matched += pair.similarity * pair.weight
        if pair.similarity < EXACT_ENOUGH:
            fuzzy_loss = max(fuzzy_loss, (1 - pair.similarity) * pair.weight)
    features = Features(
        query_coverage=q_coverage,
        candidate_coverage=c_coverage,
        query_exact=q.exact / q_total,
        candidate_exact=c.exact / c_total,
        query_missing=q_missing,
        candidate_missing=c_missing,
        fuzzy_loss=fuzzy_loss,
        matched_weight=min(MATCHED_WEIGHT_CAP, matched) / MATCHED_WEIGHT_CAP,
        number_conflict=1.0 if number_conflict else 0.0,
        conflict=min(q.leftover, c.leftover),
        order_break=1.0 if order_break else 0.0,
        all_exact=1.0 if q.all_exact and c.all_exact else 0.0,
        single_token=1.0 if q.distinctive <= 1 else 0.0,
    )
    return Comparison(
        query, candidate, tuple(pairs), q.unmatched, c.unmatched, features, _similarity(features)
    )


class NativeCore(Protocol):
    """interlock.match._native (a C extension: setup.py), as the scorer uses it."""

    def features(
        self,
        query_tokens: tuple[Token, ...],
        query_weights: list[float],
        candidate_tokens: tuple[Token, ...],
        candidate_weights: list[float],
        person: bool,
    ) -> tuple[float, tuple[float, ...]]: ...

    def text_similarity(
        self, a: str, b: str, sound_slips: int = ANY_SLIPS
    ) -> tuple[float, str]: ...

    def best(
        self,
        query_forms: tuple[NameForm, ...],
        query_weights: list[list[float]],
        candidate_forms: tuple[NameForm, ...],
        candidate_weights: list[list[float]],
        person: bool,
    ) -> tuple[int, int, tuple[float, tuple[float, ...]]] | None: ...

    def pack(
        self,
        forms: tuple[NameForm, ...],
        weights: list[list[float]],
        person: bool,
        weak: bool,
        owner: object,
    ) -> object: ...

    def score_each(
        self,
        query_forms: tuple[NameForm, ...],
        query_weights: list[list[float]],
        names: list[object],  # pack()'s results
        models: tuple[object, object],  # calibration.TreeModel.native
        weak_effect: float,
        result_types: tuple[type, type],  # matcher's FormScore and AliasScore
    ) -> list[Any]: ...  # an AliasScore, or None where a pair of forms needs joining

    def forest(self, baseline: float, nodes: bytes, roots: bytes) -> object: ...

    def log_odds(self, model: object, vector: tuple[float, ...]) -> float: ...

    def alignment(
        self,
        query_tokens: tuple[Token, ...],
        query_weights: list[float],
        candidate_tokens: tuple[Token, ...],
        candidate_weights: list[float],
        person: bool,
    ) -> Alignment: ...

    def described(
        self,
        query_form: NameForm,
        query_weights: list[float],
        candidate_form: NameForm,
        candidate_weights: list[float],
        person: bool,
    ) -> tuple[list[dict[str, Any]], list[str], list[str]] | None: ...

    def gather(
        self,
        plans: list[tuple[float, list[tuple[int, float, list[str], list[str], bool]]]],
        postings: Mapping[str, array[int]],
        name_weights: array[float],
        entries: list[int],
        admit: set[int] | None,
        count: int,
        limits: tuple[float, float, float, float, float],
    ) -> list[tuple[int, float]]: ...

    def rounded(self, values: tuple[float, ...], digits: int) -> list[float]: ...

    def detail(
        self,
        display: str,
        score: float,
        weak: bool,
        query_form: NameForm,
        query_weights: list[float],
        candidate_form: NameForm,
        candidate_weights: list[float],
        person: bool,
        features: tuple[float, ...],
        feature_names: tuple[str, ...],
    ) -> dict[str, Any] | None: ...

    def texts(self, texts: list[str]) -> object: ...

    def respelt(
        self, texts: object, positions: list[int], query: str, score_cutoff: int, limit: int
    ) -> list[tuple[float, int]]: ...


NATIVE_INTERFACE = 19  # _native.c's INTERFACE this module calls it by


def _load_native() -> NativeCore | None:
    """The C twin of the alignment and features (interlock/match/_native.c), configured with this
    module's constants and helpers; None where it was not built or INTERLOCK_PURE_PYTHON is set."""
    if os.environ.get("INTERLOCK_PURE_PYTHON"):
        return None
    try:
        native = importlib.import_module("interlock.match._native")
    except ImportError:
        return None
    if getattr(native, "INTERFACE", None) != NATIVE_INTERFACE:
        warnings.warn(
            "interlock.match._native was built from another version of _native.c; scoring in "
            "pure Python (rebuild it: pip install -e .)",
            stacklevel=2,
        )
        return None
    kinds = (
        Kind.WORD,
        Kind.NUMBER,
        Kind.INITIAL,
        Kind.LOCATION,
        Kind.GENERIC,
        Kind.LEGAL,
        Kind.STOP,
    )
    constants = {
        name: float(globals()[name])
        for name in (
            "EQUIVALENT",
            "NAME_GROUP",
            "EXACT_ENOUGH",
            "SPELLING",
            "MATCHED_WEIGHT_CAP",
            "CONSONANTS",
            "LOCATION_MISSING",
            "DISTINCT_NAMES",
            "ACRONYM",
            "MIN_ACRONYM_ALONE",
            "INITIAL",
            "GENDER_FORM",
            "PHONETIC",
            "PHONETIC_LENGTH",
            "ANY_SLIPS",
            "NAME_SLIPS",
        )
    }
    # each budget rule by length; the C core takes the last for longer words
    budgets = tuple(
        tuple(rule(length) for length in range(BUDGET_LENGTHS))
        for rule in (_budget, _respelling_budget)
    )
    try:
        native.gather  # noqa: B018 - the retrieval tally came later than the scorer
        native.score_each  # noqa: B018 - and a search's names in one call later still
        native.pack  # noqa: B018 - and names loaded once later again
        native.forest  # noqa: B018 - and calibration trees later still
        native.described  # noqa: B018 - and explanations later again
        native.respelt  # noqa: B018 - and the respelling search and rounding later still
        native.rounded  # noqa: B018
        native.detail  # noqa: B018 - and an alias's whole explanation later again
        native.configure(
            Token,
            NameForm,
            kinds,
            tuple(float(KIND_CONFLICT[k]) for k in kinds),
            tuple(k in DISTINCTIVE for k in kinds),
            constants,
            budgets,
            romanisation_key,
            phonetic_key,
            abjad_spelling,
            named_after_article,
            vowel_variants,
        )
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        # an extension built from another version of _native.c (an install not redone)
        warnings.warn(
            f"interlock's C scoring core does not fit this version ({exc}): scoring in pure "
            "Python; reinstall interlock (make run / make test do) to rebuild it",
            RuntimeWarning,
            stacklevel=2,
        )
        return None
    return cast(NativeCore, native)


NATIVE = _load_native()
ALIGN: Aligner = NATIVE.alignment if NATIVE is not None else _align_python


def score_forms(
    query: NameForm,
    query_weights: list[float],
    candidate: NameForm,
    candidate_weights: list[float],
    rarity: Rarity,
    person: bool = False,
) -> tuple[float, tuple[float, ...]]:
    """compare()'s similarity and Features.vector(), without the explanation: what a search needs
    for each candidate. `*_weights`: form_weights() of each form."""
    if NATIVE is None:
        comparison = compare(query, candidate, rarity, person)
        return comparison.similarity, comparison.features.vector()
    if not needs_joining(query, candidate):
        return NATIVE.features(
            query.tokens, query_weights, candidate.tokens, candidate_weights, person
        )
    # the words joined here, the rest in C, as compare() does it in Python
    q_tokens, c_tokens = _joined_sides(query, candidate)
    return NATIVE.features(
        q_tokens, token_weights(q_tokens, rarity), c_tokens, token_weights(c_tokens, rarity), person
    )
