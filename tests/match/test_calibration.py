"""The shipped calibration: valid at load, and a probability that moves the right way."""

from __future__ import annotations

import copy
import json
import pickle
import random
import re
from importlib import resources
from typing import Any, cast

import pytest

from interlock.match import scoring
from interlock.match.calibration import CalibrationError, calibration, parse_calibration
from interlock.match.scoring import FEATURE_NAMES, Features


def _features(**values: float) -> Features:
    base = dict.fromkeys(FEATURE_NAMES, 0.0)
    base.update(values)
    return Features(**base)


def test_shipped_calibration_is_fitted_on_development_pairs() -> None:
    shipped = calibration()
    assert shipped.version.startswith("dev-")
    assert "benchmarks/devdata/pairs.csv" in shipped.fitted_on


@pytest.mark.parametrize("reading", ["person", "organization"])
def test_more_of_the_name_found_never_lowers_the_probability(reading: str) -> None:
    model = calibration().model_for(reading)
    # matched_weight grows with what is found, as the scorer computes it
    complete = _features(
        query_coverage=1, candidate_coverage=1, query_exact=1, candidate_exact=1, all_exact=1,
        matched_weight=1,
    )  # fmt: skip
    partial = _features(
        query_coverage=0.6, candidate_coverage=0.6, query_exact=0.6, candidate_exact=0.6,
        matched_weight=0.6,
    )  # fmt: skip
    missing = _features(
        query_coverage=0.6, candidate_coverage=0.6, query_exact=0.6, candidate_exact=0.6,
        matched_weight=0.6, query_missing=1, candidate_missing=1,
    )  # fmt: skip
    assert model.log_odds(complete) > model.log_odds(partial) > model.log_odds(missing)


@pytest.mark.parametrize("reading", ["person", "organization"])
def test_no_feature_moves_the_probability_against_its_direction(reading: str) -> None:
    """Each feature's declared direction holds everywhere, not only on average: raising a
    feature held to +1 never lowers the log-odds, one held to -1 never raises it."""
    shipped = calibration()
    model = shipped.model_for(reading)
    draw = random.Random(20261207)
    for _ in range(300):
        vector = [draw.choice((0.0, 1.0, draw.random())) for _ in FEATURE_NAMES]
        for name, direction in shipped.directions.items():
            at = FEATURE_NAMES.index(name)
            low, high = list(vector), list(vector)
            low[at], high[at] = sorted((draw.random(), draw.random()))
            change = model.log_odds_of(tuple(high)) - model.log_odds_of(tuple(low))
            assert change * direction >= 0, (name, low, high)


@pytest.mark.skipif(scoring.NATIVE is None, reason="the C scoring core is not built here")
def test_the_c_core_reads_the_trees_as_python_does() -> None:
    draw = random.Random(7)
    for reading in ("person", "organization"):
        model = calibration().model_for(reading)
        for _ in range(500):
            vector = tuple(draw.choice((0.0, 0.5, 1.0, draw.random())) for _ in FEATURE_NAMES)
            assert model.log_odds_of(vector) == model.log_odds_in_python(vector)


def _shipped() -> dict[str, Any]:
    text = resources.files("interlock.match.data").joinpath("calibration.json").read_text("utf-8")
    return cast(dict[str, Any], json.loads(text))


@pytest.mark.parametrize(
    ("tree", "error"),
    [
        ([["no_such_feature", 0.5, 2], 1.0, 2.0], "unknown feature 'no_such_feature'"),
        ([["conflict", 0.5, 3], 1.0, 2.0, 3.0], "node 0's right branch does not start at 3"),
        ([["conflict", 0.5, 2], 1.0], "a branch leads to node 2, past the last"),
        ([["conflict", 0.5, 1], 1.0], "node 0's right branch does not start at 1"),
        ([["conflict", 0.5, 3000 - n] for n in range(1500)], "a branch leads to node"),  # deep
        ([1.0, 2.0], "nodes after its last leaf"),
        ([], "no nodes"),
    ],
)
def test_a_malformed_tree_fails_loudly(tree: list[Any], error: str) -> None:
    broken = _shipped()
    broken["models"]["person"]["trees"][3] = tree
    with pytest.raises(CalibrationError, match=rf"(?s)broken\.json.*tree 3: {re.escape(error)}"):
        parse_calibration(json.dumps(broken), "broken.json")


@pytest.mark.parametrize(
    ("change", "error"),
    [
        # NaN would make every score NaN: never a match
        (lambda model: model.update(baseline="NaN"), "finite number"),
        (lambda model: model["trees"][0].__setitem__(-1, 1e400), "finite number"),  # infinite
        (lambda model: model["trees"][0].__setitem__(-1, True), "valid number"),
        (lambda model: model["trees"][0].__setitem__(-1, "0.5"), "valid number"),
        (lambda model: model["trees"][0][0].__setitem__(1, "0.5"), "valid number"),  # threshold
        (lambda model: model["trees"][0][0].__setitem__(2, 2.0), "valid integer"),  # right branch
        (lambda model: model.update(trees=[]), "no trees"),
        (lambda model: model.update(weights={}), "Extra inputs"),  # a logistic model's, say
    ],
)
def test_a_model_of_other_than_finite_numbers_and_trees_fails_loudly(
    change: Any, error: str
) -> None:
    broken = _shipped()
    change(broken["models"]["organization"])
    text = json.dumps(broken).replace('"NaN"', "NaN")
    with pytest.raises(CalibrationError, match=rf"(?s)broken\.json.*organization.*{error}"):
        parse_calibration(text, "broken.json")


def test_a_calibration_that_is_not_json_or_misses_a_part_fails_loudly() -> None:
    with pytest.raises(CalibrationError, match=r"broken\.json"):
        parse_calibration("{", "broken.json")
    broken = _shipped()
    broken["qualifiers"]["weak_alias"] = float("nan")  # added to every weak alias's log-odds
    with pytest.raises(CalibrationError, match=r"(?s)weak_alias.*finite number"):
        parse_calibration(json.dumps(broken), "broken.json")
    for part in ("", "qualifiers"):  # a misspelt or leftover key
        broken = _shipped()
        (broken[part] if part else broken)["extra"] = 1
        with pytest.raises(CalibrationError, match="Extra inputs"):
            parse_calibration(json.dumps(broken), "broken.json")
    broken = _shipped()
    broken["directions"]["conflict"] = 2
    with pytest.raises(CalibrationError, match="each \\+1 or -1"):
        parse_calibration(json.dumps(broken), "broken.json")
    del broken["models"]["organization"]
    with pytest.raises(CalibrationError, match="exactly 'person' and 'organization'"):
        parse_calibration(json.dumps(broken), "broken.json")


def test_a_calibration_in_use_copies_and_pickles() -> None:
    """A model whose trees the C core has read (a Forest) still pickles and deep-copies, as a
    process pool started by spawning, or a copied configuration, needs."""
    shipped = calibration()
    vector = tuple(0.5 for _ in FEATURE_NAMES)
    for model in shipped.models.values():
        model.log_odds_of(vector)  # the C core, where built, reads the trees
    assert b"_native" not in pickle.dumps(shipped)  # the trees alone: loads without the C core
    for copied in (copy.deepcopy(shipped), pickle.loads(pickle.dumps(shipped))):
        for reading, model in copied.models.items():
            assert model.log_odds_of(vector) == shipped.models[reading].log_odds_of(vector)
