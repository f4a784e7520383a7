"""The score's meaning: features → probability of a true match, fitted on interlock's own
development pairs (benchmarks/devdata, fitted by benchmarks/calibrate.py), never on the benchmarks.

Secondary evidence (country, identifiers, weak aliases) moves the score in log-odds by stated
amounts: there is not enough labelled data with those fields to fit them, so they are set by hand
and written into every explanation with their effect.
"""

from __future__ import annotations

import json
import math
import operator
from functools import cached_property, lru_cache
from importlib import resources

from pydantic import BaseModel, ValidationError, model_validator

from interlock.match.scoring import FEATURE_NAMES, Features


class CalibrationError(ValueError):
    pass


class LogisticModel(BaseModel):
    intercept: float
    weights: dict[str, float]

    @model_validator(mode="after")
    def _all_features(self) -> LogisticModel:
        if set(self.weights) != set(FEATURE_NAMES):
            missing = set(FEATURE_NAMES) - set(self.weights)
            extra = set(self.weights) - set(FEATURE_NAMES)
            raise ValueError(
                f"weights must name every feature (missing {missing}, unknown {extra})"
            )
        return self

    @cached_property
    def coefficients(self) -> tuple[float, ...]:
        """The weights in Features.vector()'s order (kept in the instance's __dict__: a pydantic
        private attribute costs a __getattr__ call on every read)."""
        return tuple(self.weights[name] for name in FEATURE_NAMES)

    def log_odds(self, features: Features) -> float:
        return self.log_odds_of(features.vector())

    def log_odds_of(self, vector: tuple[float, ...]) -> float:
        """The log-odds of a Features.vector()."""
        return self.intercept + float(sum(map(operator.mul, self.coefficients, vector)))


class Qualifiers(BaseModel):
    """Log-odds added for secondary evidence."""

    country_mismatch: float
    weak_alias: float
    strong_identifier_match: float
    identifier_match: float
    strong_identifier_conflict: float


class Calibration(BaseModel):
    version: str
    fitted_on: str
    models: dict[str, LogisticModel]  # 'person', 'organization'
    qualifiers: Qualifiers

    @model_validator(mode="after")
    def _models(self) -> Calibration:
        if set(self.models) != {"person", "organization"}:
            raise ValueError("models must be exactly 'person' and 'organization'")
        return self

    def model_for(self, schema: str) -> LogisticModel:
        return self.models["person" if schema == "person" else "organization"]


def probability(log_odds: float) -> float:
    if log_odds >= 0:
        return 1.0 / (1.0 + math.exp(-log_odds))
    odds = math.exp(log_odds)
    return odds / (1.0 + odds)


def parse_calibration(text: str, origin: str) -> Calibration:
    try:
        return Calibration.model_validate(json.loads(text))
    except (ValidationError, json.JSONDecodeError) as exc:
        raise CalibrationError(f"{origin}: {exc}") from exc


@lru_cache(maxsize=1)
def calibration() -> Calibration:
    path = resources.files("interlock.match.data").joinpath("calibration.json")
    return parse_calibration(path.read_text("utf-8"), "match/data/calibration.json")
