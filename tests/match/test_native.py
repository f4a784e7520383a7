"""The C scoring core (interlock/match/_native.c) against the pure-Python scorer it stands in for:
the same alignment and the same features, to the last bit, on thousands of real name pairs."""

from __future__ import annotations

import csv
import itertools
import math
import random
import shutil
import struct
import subprocess
import sys
import sysconfig
import zlib
from array import array
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from interlock.match import scoring
from interlock.match.calibration import NODE_LAYOUT, TreeModel
from interlock.match.contract import ScreeningQuery
from interlock.match.index import NameIndex, respellings, retrieval_text
from interlock.match.matcher import AliasScore, FormScore, Matcher, alias_detail, best_forms
from interlock.match.query import name_reading
from interlock.model import AliasStrength, Schema
from interlock.names.analysis import analyze
from interlock.names.forms import NameForm, Token
from tests.conftest import list_entry

DEVELOPMENT_PAIRS = Path(__file__).parents[2] / "benchmarks" / "devdata" / "pairs.csv"
EVERY = 3  # every third development pair: each kind of pair the set builds, in ~15 s

native = pytest.mark.skipif(
    scoring.NATIVE is None, reason="the C scoring core is not built in this environment"
)


def _rarity(text: str) -> float:
    """A fixed weight per token text in [0.05, 1], as an index's rarity would give."""
    return 0.05 + (zlib.crc32(text.encode()) % 96) / 100


def _form_pairs() -> Iterator[tuple[NameForm, NameForm]]:
    with DEVELOPMENT_PAIRS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows[::EVERY]:
        reading = name_reading(row["schema"])
        for query in analyze(row["name1"], reading).forms:
            for candidate in analyze(row["name2"], reading).forms:
                yield query, candidate


def test_the_c_core_is_built_where_a_compiler_is() -> None:
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        pytest.skip(f"no C compiler ({compiler}) here: interlock runs its pure-Python scorer")
    assert scoring.NATIVE is not None, "setup.py's extension failed to build: see pip's output"


@native
def test_alignment_and_features_equal_the_python_scorer_on_development_pairs() -> None:
    assert scoring.NATIVE is not None
    checked = joined = 0
    for at, (query, candidate) in enumerate(_form_pairs()):
        if scoring.needs_joining(query, candidate):
            joined += 1  # the Python scorer joins the tokens first; both then align the result
            continue
        person = at % 2 == 1  # every other pair's candidate as a listed person's name
        q_weights = scoring.form_weights(query, _rarity)
        c_weights = scoring.form_weights(candidate, _rarity)
        python = scoring._align_python(query.tokens, q_weights, candidate.tokens, c_weights, person)
        in_c = scoring.NATIVE.alignment(
            query.tokens, q_weights, candidate.tokens, c_weights, person
        )
        assert in_c == python, (query.text, candidate.text)
        comparison = scoring.compare(query, candidate, _rarity, person)
        features = scoring.NATIVE.features(
            query.tokens, q_weights, candidate.tokens, c_weights, person
        )
        assert features == (comparison.similarity, comparison.features.vector()), (
            query.text,
            candidate.text,
        )
        checked += 1
    assert checked > 4000 and joined > 0


@native
def test_forms_to_join_score_as_the_python_scorer_scores_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two forms of which one writes apart what the other writes together ('hua wei' / 'huawei'):
    score_forms joins the words and scores the rest in C; compare does it all in Python."""
    assert scoring.NATIVE is not None
    pairs = [
        (at % 2 == 1, query, candidate)
        for at, (query, candidate) in enumerate(_form_pairs())
        if scoring.needs_joining(query, candidate)
    ]
    in_c = [
        scoring.score_forms(
            query, scoring.form_weights(query, _rarity), candidate,
            scoring.form_weights(candidate, _rarity), _rarity, person,
        )
        for person, query, candidate in pairs
    ]  # fmt: skip
    monkeypatch.setattr(scoring, "NATIVE", None)
    monkeypatch.setattr(scoring, "ALIGN", scoring._align_python)
    for (person, query, candidate), found in zip(pairs, in_c, strict=True):
        python = scoring.compare(query, candidate, _rarity, person)
        assert found == (python.similarity, python.features.vector()), (query.text, candidate.text)
    assert len(pairs) > 100


@native
def test_explanations_equal_the_python_ones_on_development_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """scoring.described: the pairs and unmatched tokens a search's explanation shows, made in C,
    are the Python ones to the character and the rounded similarity, acronyms and the words a
    glossary or an abbreviation gave included; forms to join are left to Python."""
    native_core = scoring.NATIVE
    assert native_core is not None
    pairs = [(at % 2 == 1, query, candidate) for at, (query, candidate) in enumerate(_form_pairs())]
    in_c = [
        native_core.described(
            query, scoring.form_weights(query, _rarity), candidate,
            scoring.form_weights(candidate, _rarity), person,
        )
        for person, query, candidate in pairs
    ]  # fmt: skip
    monkeypatch.setattr(scoring, "NATIVE", None)
    monkeypatch.setattr(scoring, "ALIGN", scoring._align_python)
    hows: set[str] = set()
    for (person, query, candidate), found in zip(pairs, in_c, strict=True):
        if scoring.needs_joining(query, candidate):
            assert found is None
            continue
        python = scoring.described(query, candidate, _rarity, person)
        assert found is not None and scoring.Described(*found) == python, (
            query.text,
            candidate.text,
        )
        hows |= {pair["how"] for pair in python.alignment}
    assert {"exact", "acronym", "fuzzy"} <= hows
    assert any(how.startswith(("abbreviation", "spelling", "glossary")) for how in hows), hows


@native
def test_an_alias_detail_made_in_c_is_the_python_one_key_by_key() -> None:
    """matcher's alias explanation (`detail`): in C, the dict matcher.alias_detail makes from
    `described`, with its keys in the same order (the JSON contract's) and the same values."""
    native_core = scoring.NATIVE
    assert native_core is not None
    checked = 0
    for at, (query, candidate) in enumerate(_form_pairs()):
        person, weak = at % 2 == 1, at % 3 == 0
        q_weights = scoring.form_weights(query, _rarity)
        c_weights = scoring.form_weights(candidate, _rarity)
        _, features = native_core.features(
            query.tokens, q_weights, candidate.tokens, c_weights, person
        )
        found = native_core.detail(
            "Listed Name", 0.1234, weak, query, q_weights, candidate, c_weights, person,
            features, scoring.FEATURE_NAMES,
        )  # fmt: skip
        if scoring.needs_joining(query, candidate):
            assert found is None
            continue
        description = scoring.described(query, candidate, _rarity, person, (q_weights, c_weights))
        python = alias_detail(
            "Listed Name", 0.1234, weak, FormScore(query, candidate, features), description
        )
        assert found is not None and list(found.items()) == list(python.items()), (
            query.text,
            candidate.text,
        )
        assert [type(value) for value in found.values()] == [
            type(value) for value in python.values()
        ]
        checked += 1
    assert checked > 4000


@native
def test_an_alias_detail_refuses_what_is_not_two_forms_and_their_features() -> None:
    native_core = scoring.NATIVE
    assert native_core is not None
    form = analyze("Huawei Technologies", "organization").forms[0]
    weights = scoring.form_weights(form, _rarity)
    _, features = native_core.features(form.tokens, weights, form.tokens, weights, False)
    names = scoring.FEATURE_NAMES
    with pytest.raises(TypeError, match="as many feature names"):
        native_core.detail(
            "x", 1.0, False, form, weights, form, weights, False, features, names[1:]
        )
    with pytest.raises(TypeError, match="two NameForm"):
        native_core.detail(
            "x", 1.0, False, form.text, weights, form, weights, False, features, names
        )
    with pytest.raises(TypeError, match="every feature a float"):
        native_core.detail(
            "x", 1.0, False, form, weights, form, weights, False, (1,) * len(names), names
        )


@native
def test_the_best_pair_of_forms_is_the_python_scorers(monkeypatch: pytest.MonkeyPatch) -> None:
    """matcher.best_forms: the C loop over pairs of forms against the Python loop, with the
    token weights of an index of the development pairs' listed names."""
    with DEVELOPMENT_PAIRS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[::EVERY]
    index = NameIndex()
    for entry, row in enumerate(rows):
        index.add_entry(entry, [(row["name2"], False)], name_reading(row["schema"]))
    index.finish()
    analysed = [
        (
            analyze(row["name1"], name_reading(row["schema"])),
            analyze(row["name2"], name_reading(row["schema"])),
        )
        for row in rows
    ]

    def best_of_each() -> list[FormScore | None]:
        return [
            best_forms(
                query,
                [scoring.form_weights(f, index.rarity) for f in query.forms],
                candidate,
                [scoring.form_weights(f, index.rarity) for f in candidate.forms],
                index,
                at % 2 == 1,
            )
            for at, (query, candidate) in enumerate(analysed)
        ]

    in_c = best_of_each()
    monkeypatch.setattr(scoring, "NATIVE", None)
    monkeypatch.setattr(scoring, "ALIGN", scoring._align_python)
    assert best_of_each() == in_c
    assert sum(len(q.forms) * len(c.forms) > 1 for q, c in analysed) > 100


@native
def test_searches_answer_the_same_with_and_without_the_c_core(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entries = [
        list_entry(
            "el:ifs",
            Schema.ORGANIZATION,
            "Ministry of Public Security's Institute of Forensic Science of China",
            ("公安部物证鉴定中心", AliasStrength.STRONG),
        ),
        list_entry("sdn:1", Schema.PERSON, "WANG, Hongfei", ("Hong-fei Wang", AliasStrength.WEAK)),
        list_entry("sdn:2", Schema.ORGANIZATION, "Hua Wei Technologies Co., Ltd."),
    ]
    queries = [
        "Institute of Forensic Science of the Ministry of Public Security of China",
        "MPS Institute of Forensic Science",
        "公安部物证鉴定中心",
        "Wang Hongfei",
        "Huawei Technologies",
        "Shanghai Institute of Forensic Science",
    ]
    matcher = Matcher(entries, threshold=0.65)

    def answers() -> list[list[dict[str, object]]]:
        return [
            [
                m.model_dump(mode="json")
                for m in matcher.search(ScreeningQuery(name=q), date.today())
            ]
            for q in queries
        ]

    with_c = answers()
    monkeypatch.setattr(scoring, "NATIVE", None)
    monkeypatch.setattr(scoring, "ALIGN", scoring._align_python)
    assert answers() == with_c
    assert any(match["match"] for result in with_c for match in result)


@native
def test_searches_explain_as_the_python_scorer_does_on_development_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A search hands `described` the token weights it and the index already have: the query
    form's and the alias form's, whichever of their forms met (names read several ways, written
    in other scripts or surname first). The explanations are those of the pure-Python scorer,
    which works every weight out again."""
    with DEVELOPMENT_PAIRS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[::60]
    schemas = {"Person": Schema.PERSON}
    entries = [
        list_entry(f"dev:{number}", schemas.get(row["schema"], Schema.ORGANIZATION), row["name2"])
        for number, row in enumerate(rows)
    ]
    matcher = Matcher(entries, threshold=0.65)

    def explanations() -> list[list[dict[str, object]]]:
        return [
            [
                m.explanation
                for m in matcher.search(ScreeningQuery(name=row["name1"], limit=3), date.today())
            ]
            for row in rows
        ]

    with_c = explanations()
    monkeypatch.setattr(scoring, "NATIVE", None)
    monkeypatch.setattr(scoring, "ALIGN", scoring._align_python)
    assert explanations() == with_c
    later_forms = [
        alias
        for result in with_c
        for explanation in result
        for alias in explanation["aliases"]  # type: ignore[attr-defined]
        if alias["query_form_via"] != "latin" or alias["alias_form_via"] != "latin"
    ]
    assert len(later_forms) > 20


def test_an_explanation_is_the_comparison_its_features_came_from() -> None:
    """Two names compared are scored with features alone (the best pair of forms) and explained
    afterwards; the explanation made from those features is the full comparison, field for
    field."""
    checked = 0
    for number, (query, candidate) in enumerate(_form_pairs()):
        if number % 4:
            continue
        full = scoring.compare(query, candidate, _rarity)
        assert scoring.explain(query, candidate, _rarity, full.features) == full
        checked += 1
    assert checked > 1000


@native
def test_token_texts_compare_as_the_python_helper_compares_them() -> None:
    """Every pair of words of a development pair's two names, and words made to reach each way
    text_similarity can answer (gender forms, initials, digits, long words, other scripts)."""
    assert scoring.NATIVE is not None
    with DEVELOPMENT_PAIRS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[::EVERY]
    pairs: set[tuple[str, str]] = set()
    for row in rows:
        reading = name_reading(row["schema"])
        left = {t.text for f in analyze(row["name1"], reading).forms for t in f.tokens}
        right = {t.text for f in analyze(row["name2"], reading).forms for t in f.tokens}
        pairs.update((a, b) for a in left for b in right)
    words = sorted({a for a, _ in pairs})[:400]
    made = [
        *((w, w + "a") for w in words),
        *((w, w + "aya") for w in words),
        *((w, w[:-1] + "aya") for w in words),
        *((w, w[0]) for w in words),
        *((w, w[1:]) for w in words),
        *((w, w[::-1]) for w in words),
        ("a" * 70 + "b", "a" * 71),
        ("x" * 40, "x" * 39 + "y"),
        ("123", "124"),
        ("٣", "3"),
        ("muhammad", "мухаммад"),
        ("j", "j"),
        ("j", "k"),
    ]
    helper = scoring.text_similarity.__wrapped__
    answers: dict[str, int] = {}
    for a, b in [*sorted(pairs), *made]:
        expected = helper(a, b)
        assert scoring.NATIVE.text_similarity(a, b) == expected, (a, b)
        assert scoring.NATIVE.text_similarity(b, a) == helper(b, a), (b, a)
        for slips in (1, scoring.NAME_SLIPS):
            assert scoring.NATIVE.text_similarity(a, b, slips) == helper(a, b, slips), (a, b)
        answers[expected[1]] = answers.get(expected[1], 0) + 1
    every_way = {"exact", "fuzzy", "typo", "spelling", "phonetic", "initial", "gender form", ""}
    assert set(answers) == every_way and len(pairs) > 50_000, answers


def test_the_edit_budgets_stop_changing_where_the_c_cores_tables_end() -> None:
    """The C core keeps each budget for lengths below BUDGET_LENGTHS and the last for longer."""
    for rule in (scoring._budget, scoring._respelling_budget):
        last = rule(scoring.BUDGET_LENGTHS - 1)
        assert all(rule(n) == last for n in range(scoring.BUDGET_LENGTHS, 200))


def _development_index(step: int) -> tuple[NameIndex, list[dict[str, str]]]:
    """An index of every `step`th development pair's second name, and those pairs."""
    with DEVELOPMENT_PAIRS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[::step]
    index = NameIndex()
    for number, row in enumerate(rows):
        index.add_entry(number, [(row["name2"], False)], name_reading(row["schema"]))
    index.finish()
    return index, rows


@native
def test_the_retrieval_tally_is_the_python_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    index, rows = _development_index(EVERY * 2)
    queries = [analyze(row["name1"], name_reading(row["schema"])) for row in rows]
    admit = set(range(0, len(rows), 3))

    def tallies() -> list[list[tuple[int, float]]]:
        return [index.candidates(q, 300, only) for q in queries for only in (None, admit)]

    with_c = tallies()
    monkeypatch.setattr(scoring, "NATIVE", None)
    assert tallies() == with_c
    assert sum(map(len, with_c)) > 10 * len(with_c)


@native
def test_the_retrieval_tally_keeps_the_names_a_full_sort_ranks_first() -> None:
    """Past `count` names found, the C tally selects the first `count` before sorting them: the
    same names in the same order as sorting them all, whatever the count."""
    index, rows = _development_index(EVERY * 2)
    selected = 0
    for row in rows[::5]:
        query = analyze(row["name1"], name_reading(row["schema"]))
        every = index.candidates(query, len(index.names))
        for count in (1, 2, 7, 40, len(every) - 1):
            selected += len(every) > count > 0
            assert index.candidates(query, count) == every[:count]
    assert selected > 100


def _respelling_queries(rows: list[dict[str, str]]) -> Iterator[tuple[str, bool]]:
    """A query's respelling texts, as Matcher.scored_candidates makes them."""
    for row in rows:
        for form in analyze(row["name1"], name_reading(row["schema"])).forms:
            spaced, unspaced = respellings(retrieval_text(form))
            yield spaced, False
            yield unspaced, True


@native
def test_respelling_finds_what_rapidfuzz_extract_finds_on_development_names() -> None:
    """The C core's respelling search is process.extract with fuzz.ratio over the index's
    texts: the same names, the same scores to the bit, in the same order."""
    index, rows = _development_index(EVERY)
    texts = index.respelling_texts()
    positions = list(range(0, len(index.names), 2))
    found = 0
    for query, unspaced in _respelling_queries(rows[::4]):
        for cutoff, limit in ((80, 10), (55, 25)):
            expected = [
                (score, at)
                for _, score, at in process.extract(
                    query,
                    [texts[unspaced][p] for p in positions],
                    scorer=fuzz.ratio,
                    score_cutoff=cutoff,
                    limit=limit,
                )
            ]
            assert index.respelt(query, positions, unspaced, cutoff, limit) == expected
            found += len(expected)
    assert found > 1000


@native
def test_respelling_scores_long_and_wide_texts_as_rapidfuzz_does() -> None:
    """Texts past 64 characters (the bit-parallel comparison's blocks), characters past Latin-1
    and past the Basic Multilingual Plane, empty texts, and ties broken by position."""
    assert scoring.NATIVE is not None
    generator = random.Random(7)
    letters = ["a", "b", "c", " ", "é", "中", "𠀀"]
    for trial in range(1500):
        alphabet = letters[: 3 + trial % 5]

        def text(longest: int, alphabet: list[str] = alphabet) -> str:
            return "".join(generator.choice(alphabet) for _ in range(generator.randint(0, longest)))

        choices = [text(generator.choice((6, 70, 200))) for _ in range(40)]
        query = text(generator.choice((6, 70, 200)))
        positions = generator.sample(range(40), 30)
        cutoff, limit = generator.choice((0, 40, 80, 95, 100)), generator.choice((0, 3, 10, 40))
        expected = [
            (score, at)
            for _, score, at in process.extract(
                query,
                [choices[p] for p in positions],
                scorer=fuzz.ratio,
                score_cutoff=cutoff,
                limit=limit,
            )
        ]
        packed = scoring.NATIVE.texts(choices)
        assert scoring.NATIVE.respelt(packed, positions, query, cutoff, limit) == expected


@native
def test_respelling_passes_over_only_texts_too_far_by_their_character_counts() -> None:
    """Texts are ruled out by their characters counted in buckets before they are compared:
    one character past 255 times (where a bucket stops counting), characters sharing a bucket
    (digits, letters past ASCII) and anagrams, which counts cannot tell apart, are all scored
    as rapidfuzz scores them."""
    assert scoring.NATIVE is not None
    choices = [
        "a" * 300, "a" * 280, "a" * 250 + "b" * 30, "0123", "0369", "3333", "éèê", "eee",
        "listen", "silent", "tinsel", "enlist", "lentils", "",
    ]  # fmt: skip
    packed = scoring.NATIVE.texts(choices)
    positions = list(range(len(choices)))
    for query in ("a" * 290, "a" * 260 + "b" * 20, "0123", "0369", "éèê", "listen", "enlists", ""):
        for cutoff in (0, 50, 80, 90, 100):
            expected = [
                (score, at)
                for _, score, at in process.extract(
                    query, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=len(choices)
                )
            ]
            found = scoring.NATIVE.respelt(packed, positions, query, cutoff, len(choices))
            assert found == expected, (query[:12], cutoff)


@native
def test_respelling_refuses_bad_arguments() -> None:
    assert scoring.NATIVE is not None
    packed = scoring.NATIVE.texts(["acme trading", "acme"])
    assert scoring.NATIVE.respelt(packed, [1, 0], "acme", 80, 5) == [(100.0, 0)]
    with pytest.raises(TypeError, match="every item a str"):
        scoring.NATIVE.texts(["acme", b"acme"])
    with pytest.raises(TypeError, match="a list of str"):
        scoring.NATIVE.texts(("acme",))
    with pytest.raises(TypeError, match="respelt"):
        scoring.NATIVE.respelt(["acme"], [0], "acme", 80, 5)
    for cutoff in ("80", 80.0):  # a fractional cutoff rapidfuzz tests its own way
        with pytest.raises(TypeError, match="respelt"):
            scoring.NATIVE.respelt(packed, [0], "acme", cutoff, 5)  # type: ignore[arg-type]
    for cutoff in (-1, 101):
        with pytest.raises(ValueError, match="score_cutoff"):
            scoring.NATIVE.respelt(packed, [0], "acme", cutoff, 5)
    with pytest.raises(IndexError, match="past the texts"):
        scoring.NATIVE.respelt(packed, [2], "acme", 80, 5)
    with pytest.raises(IndexError, match="past the texts"):
        scoring.NATIVE.respelt(packed, [-1], "acme", 80, 5)
    with pytest.raises(TypeError):
        scoring.NATIVE.respelt(packed, ["0"], "acme", 80, 5)
    with pytest.raises(ValueError, match="limit"):
        scoring.NATIVE.respelt(packed, [0], "acme", 80, -1)


@native
def test_values_are_rounded_as_python_rounds_them() -> None:
    """To the bit, halves to even: values near a half at each number of digits (where the C
    core asks Python's way), large ones, negative ones and the features of real pairs."""
    assert scoring.NATIVE is not None
    generator = random.Random(11)
    values = [0.0, -0.0, 0.0625, 0.0005, 2.675, -2.675, 1e300, -1e-300, 123456789.0125]
    values += [generator.uniform(-60, 60) for _ in range(20_000)]
    values += [generator.random() for _ in range(20_000)]
    for digits in range(16):
        halves = [(n + 0.5) / 10**digits for n in range(-300, 300)]
        near = [math.nextafter(h, direction) for h in halves for direction in (-1, 1)]
        for batch in (values, halves, near):
            expected = [round(v, digits) for v in batch]
            got = scoring.NATIVE.rounded(tuple(batch), digits)
            assert [struct.pack("d", v) for v in got] == [struct.pack("d", v) for v in expected]
    features = [
        scoring.NATIVE.features(
            q.tokens, [1.0] * len(q.tokens), c.tokens, [1.0] * len(c.tokens), False
        )[1]
        for q, c in itertools.islice(_form_pairs(), 3000)
    ]
    assert all(scoring.NATIVE.rounded(v, 3) == [round(x, 3) for x in v] for v in features)
    with pytest.raises(ValueError, match="digits"):
        scoring.NATIVE.rounded((1.0,), 16)
    with pytest.raises(TypeError, match="a tuple of float"):
        scoring.NATIVE.rounded([1.0], 3)
    for value in ("1.0", 1):  # round() keeps an int an int
        with pytest.raises(TypeError, match="a float"):
            scoring.NATIVE.rounded((value,), 3)  # type: ignore[arg-type]


@native
def test_a_packed_name_meets_the_helpers_configured_last(monkeypatch: pytest.MonkeyPatch) -> None:
    """The spelling keys a packed token keeps are its configuration's: configured again, the
    C core asks the new helpers rather than answer with the keys the old ones gave."""
    assert scoring.NATIVE is not None
    query, candidate = (analyze(n, "organization").forms for n in ("Xqzvbn Jwxyk", "Plmrtq Jwxyk"))
    q_weights, c_weights = (
        [scoring.form_weights(f, _rarity) for f in x] for x in (query, candidate)
    )
    model = TreeModel(baseline=0.0, trees=[[0.0]]).native
    types = (FormScore, AliasScore)

    def features(name: object) -> tuple[float, ...]:
        assert scoring.NATIVE is not None
        (found,) = scoring.NATIVE.score_each(query, q_weights, [name], (model, model), 0.0, types)
        return found.scored.features

    packed = scoring.NATIVE.pack(candidate, c_weights, False, False, "owner")
    before = features(packed)
    try:
        monkeypatch.setattr(scoring, "romanisation_key", lambda text: "one spelling")
        assert scoring._load_native() is scoring.NATIVE
        fresh = scoring.NATIVE.pack(candidate, c_weights, False, False, "owner")
        assert features(packed) == features(fresh) != before
    finally:
        monkeypatch.undo()
        scoring._load_native()
    assert features(packed) == before


@native
def test_bad_arguments_are_refused_with_an_exception() -> None:
    assert scoring.NATIVE is not None
    form = analyze("Acme Trading", "organization").forms[0]
    weights = scoring.form_weights(form, _rarity)
    with pytest.raises(TypeError):
        scoring.NATIVE.features(("acme",), [1.0], form.tokens, weights, False)  # type: ignore[arg-type]
    # sound_slips: an int, ANY_SLIPS or more; a bool (once `short_sounds`) is no longer one
    for slips, error in (
        (True, TypeError),
        (2.0, TypeError),
        (-2, ValueError),
        (-(2**70), ValueError),
    ):
        with pytest.raises(error, match="sound_slips"):
            scoring.NATIVE.text_similarity("yip", "yeap", slips)  # type: ignore[arg-type]
    helper = scoring.text_similarity.__wrapped__
    for slips in (2**32 - 1, 2**32, 2**70):  # more slips than any word has: as many as it has
        assert scoring.NATIVE.text_similarity("pdd", "pad", slips) == helper("pdd", "pad", 99)
    with pytest.raises(ValueError, match="one float per token"):
        scoring.NATIVE.features(form.tokens, weights[:-1], form.tokens, weights, False)
    with pytest.raises(TypeError):
        scoring.NATIVE.alignment(form.tokens, ["heavy"] * len(weights), form.tokens, weights, False)  # type: ignore[list-item]
    with pytest.raises(TypeError, match="person"):
        scoring.NATIVE.features(form.tokens, weights, form.tokens, weights)  # type: ignore[call-arg]
    token = Token("acme", form.tokens[0].kind)
    assert scoring.NATIVE.features((token,), [1.0], (token,), [1.0], False)[0] == 1.0
    limits = (300.0, 2.0, 3000.0, 0.7, 0.5)
    plans = [(1.0, [(1, 1.0, ["acme"], [], True)])]
    posted = {"acme": array("i", [0])}
    one = array("d", [1.0])
    assert scoring.NATIVE.gather(plans, posted, one, [7], None, 5, limits) == [(0, 1.0)]
    assert scoring.NATIVE.gather(plans, posted, one, [7], {8}, 5, limits) == []
    with pytest.raises(IndexError):  # a posting past the index's names
        scoring.NATIVE.gather(plans, {"acme": array("i", [1])}, one, [7], None, 5, limits)
    with pytest.raises(KeyError):
        scoring.NATIVE.gather(plans, {}, one, [7], None, 5, limits)
    # name weights: a block of doubles, one per entry (not floats one by one, nor other items)
    for weighed in ([1.0], array("f", [1.0]), array("q", [1]), array("d", [1.0, 1.0]), b"\0" * 8):
        with pytest.raises(TypeError):
            scoring.NATIVE.gather(plans, posted, weighed, [7], None, 5, limits)  # type: ignore[arg-type]
    for unread in ([0], array("q", [0]), b"\0\0\0\0"):  # a list, 8-byte items, untyped bytes
        with pytest.raises(TypeError):
            scoring.NATIVE.gather(plans, {"acme": unread}, one, [7], None, 5, limits)  # type: ignore[dict-item]
    forms, form_weights = (form,), [weights]
    # an organisation's model splitting on the coverage, a person's a constant
    trees = TreeModel(baseline=0.5, trees=[[("query_coverage", 0.5, 2), -1.0, 1.0], [0.25]])
    model, person_model = trees.native, TreeModel(baseline=0.25, trees=[[2.0]]).native
    models, types = (model, person_model), (FormScore, AliasScore)
    name = scoring.NATIVE.pack(forms, form_weights, False, False, "owner")
    (found,) = scoring.NATIVE.score_each(forms, form_weights, [name], models, -0.7, types)
    assert type(found) is AliasScore and type(found.scored) is FormScore
    assert found.name == "owner" and found.scored.candidate_form is form
    assert found.log_odds == 0.5 + 1.0 + 0.25  # the whole name found: past the split
    # a person's name is scored with the second model, a weak alias with the effect given
    person = scoring.NATIVE.pack(forms, form_weights, True, True, "person")
    (as_person,) = scoring.NATIVE.score_each(forms, form_weights, [person], models, -0.7, types)
    assert as_person.log_odds == 0.25 + 2.0 - 0.7
    # an alignment marks copies of the tokens: a packed name scores the same every time
    assert scoring.NATIVE.score_each(forms, form_weights, [name], models, -0.7, types) == [found]
    assert (
        found.scored.features
        == scoring.NATIVE.best(forms, form_weights, forms, form_weights, False)[2][1]  # type: ignore[index]
    )
    with pytest.raises(TypeError, match="person model"):
        scoring.NATIVE.score_each(forms, form_weights, [name], [model, model], -0.7, types)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"forest\(\)'s result"):
        scoring.NATIVE.score_each(forms, form_weights, [name], (model, (0.5, (1.0,))), -0.7, types)
    baseline, nodes, roots = trees.packed
    one_tree = struct.pack("=i", 0)  # the first tree alone: its own nodes are what is wrong
    size = NODE_LAYOUT.size
    for broken_nodes, broken_roots, error in (
        (nodes[:-1], roots, "not whole nodes"),
        (nodes[: 2 * size], one_tree, "no later node"),  # the split's right branch is gone
        (nodes[:size], one_tree, "no later node"),  # a split as the last node
        (NODE_LAYOUT.pack(0, 3, 0.5) + nodes[size : 3 * size], one_tree, "no later node"),
        (NODE_LAYOUT.pack(0, 1, 0.5) + nodes[size:], roots, "no later node"),  # no left branch
        (NODE_LAYOUT.pack(0, 0, 0.5) + nodes[size:], roots, "no later node"),  # leading back
        (NODE_LAYOUT.pack(len(scoring.FEATURE_NAMES), 2, 0.5) + nodes[size:], roots, "no feature"),
        (nodes, struct.pack("=i", 4), "starts at no node"),
    ):
        with pytest.raises(ValueError, match=error):
            scoring.NATIVE.forest(baseline, broken_nodes, broken_roots)
    assert scoring.NATIVE.log_odds(model, found.scored.features) == found.log_odds
    with pytest.raises(TypeError, match="NamedTuple"):
        scoring.NATIVE.score_each(forms, form_weights, [name], models, -0.7, (FormScore, dict))
    with pytest.raises(TypeError, match="pack"):
        scoring.NATIVE.score_each(forms, form_weights, [forms], models, -0.7, types)
    # names are read ahead of the one scored: one not packed, anywhere, is refused before any is
    for at in range(4):
        names: list[object] = [name] * 4
        names[at] = (0, 0, 0, 0)
        with pytest.raises(TypeError, match="pack"):
            scoring.NATIVE.score_each(forms, form_weights, names, models, -0.7, types)
    with pytest.raises(TypeError, match="a list of weights per form"):
        scoring.NATIVE.pack(forms, [], False, False, None)
    with pytest.raises(TypeError, match="person"):
        scoring.NATIVE.pack(forms, form_weights, 1, False, None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="two NameForm"):
        scoring.NATIVE.described(form.tokens, weights, form, weights, False)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="one float per token"):
        scoring.NATIVE.described(form, weights[:-1], form, weights, False)
    assert scoring.NATIVE.described(form, weights, form, weights, False) == (
        [
            {"query": t.text, "alias": t.text, "similarity": 1.0, "how": "exact"}
            for t in form.tokens
        ],
        [],
        [],
    )
    broken = Token("acme", form.tokens[0].kind, groups=frozenset({1}))
    object.__setattr__(broken, "group_ids", b"\x01")  # not whole int64s
    with pytest.raises(TypeError, match="bytes of int64"):
        scoring.NATIVE.features((broken,), [1.0], (token,), [1.0], False)


def test_pure_python_is_chosen_by_the_environment() -> None:
    script = "from interlock.match import scoring; print(scoring.NATIVE is None)"
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={"INTERLOCK_PURE_PYTHON": "1", "PATH": ""},
    )
    assert result.stdout.strip() == "True"


@native
def test_an_extension_that_does_not_fit_leaves_the_python_scorer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A core built from another version of _native.c (an install not redone) must not stop
    interlock: scoring goes on in pure Python, with a warning saying how to rebuild."""
    # a Token without the slots the C code reads
    monkeypatch.setattr(scoring, "Token", type("Token", (), {"text": "", "kind": None}))
    with pytest.warns(RuntimeWarning, match="reinstall"):
        assert scoring._load_native() is None
    monkeypatch.undo()
    # the refused configuration left the working one in place
    assert scoring.NATIVE is not None
    form = analyze("Acme Trading", "organization").forms[0]
    weights = scoring.form_weights(form, _rarity)
    assert scoring.NATIVE.features(form.tokens, weights, form.tokens, weights, False)[0] == 1.0


@pytest.mark.usefixtures("scorer_core")
def test_a_name_written_surname_first_is_compared_in_the_order_it_is_said() -> None:
    """'AL BIN KHALID, Omar Ben Saleh': read as written, its two 'ben' pair with the nearer 'bin'
    of 'Omar Bin Saleh Al Bin Khalid' and the order breaks; read surname last, it is in order."""
    listed = "Sheikh Omar Bin Saleh Al Bin Khalid"
    matcher = Matcher(
        [
            list_entry("sdn:1", Schema.PERSON, listed),
            list_entry("sdn:2", Schema.PERSON, "Saleh Bin Omar Al Rashid"),
            list_entry("sdn:3", Schema.PERSON, "Khalid Bin Saleh"),
        ],
        threshold=0.65,
    )
    same = matcher.compare_names("AL BIN KHALID, Omar Ben Saleh", listed, "Person")
    assert same.comparison is not None and same.comparison.features.order_break == 0.0
    assert same.score >= 0.65
    other = matcher.compare_names("AL BIN RASHID, Omar Ben Saleh", listed, "Person")
    assert other.score < 0.65


@pytest.mark.usefixtures("scorer_core")
def test_words_written_apart_and_misspelt_meet_the_word_written_together() -> None:
    matcher = Matcher(
        [
            list_entry("el:1", Schema.ORGANIZATION, "SenseTime Group Limited"),
            list_entry("el:2", Schema.ORGANIZATION, "Sense Holdings Group"),
            list_entry("el:3", Schema.ORGANIZATION, "Megvii Technology Limited"),
        ],
        threshold=0.65,
    )
    found = matcher.search(ScreeningQuery(name="Sense Tyme Group"), date.today())
    assert found[0].entity_id == "el:1" and found[0].match
    pairs = found[0].explanation["aliases"][0]["alignment"]
    assert {"query": "sensetyme", "alias": "sensetime"} in [
        {"query": p["query"], "alias": p["alias"]} for p in pairs
    ]
    assert not any(m.match for m in found[1:])
    # either side may be the one written apart
    assert matcher.compare_names("SenseTime Group", "Sense Tyme Group", "Company").score >= 0.65
    assert matcher.compare_names("Sense Tyme Group", "SenseTime Group", "Company").score >= 0.65
    # a join shorter than eight letters is too easily one slip from some other word
    assert matcher.compare_names("Hua Wey", "Huawei", "Company").score < 0.65
