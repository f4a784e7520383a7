"""The shipped calibration: valid at load, and a probability that moves the right way."""

from __future__ import annotations

import json
from importlib import resources

import pytest

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


def test_a_calibration_missing_a_feature_fails_loudly() -> None:
    text = resources.files("interlock.match.data").joinpath("calibration.json").read_text("utf-8")
    broken = json.loads(text)
    del broken["models"]["person"]["weights"]["query_missing"]
    with pytest.raises(CalibrationError, match=r"(?s)broken.json.*query_missing"):
        parse_calibration(json.dumps(broken), "broken.json")
    with pytest.raises(CalibrationError, match=r"broken\.json"):
        parse_calibration("{", "broken.json")
