"""The score's meaning: features → probability of a true match, fitted on interlock's own
development pairs (benchmarks/devdata, fitted by benchmarks/calibrate.py), never on the benchmarks.

Secondary evidence (country, identifiers, weak aliases) moves the score in log-odds by stated
amounts: there is not enough labelled data with those fields to fit them, so they are set by hand
and written into every explanation with their effect.
"""

from __future__ import annotations

import copy
import math
import struct
from functools import cached_property, lru_cache
from importlib import resources
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)

from interlock.match import scoring
from interlock.match.scoring import FEATURE_NAMES, Features


class CalibrationError(ValueError):
    pass


# A finite number, as written: a NaN leaf or threshold would make every score NaN, never a match
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
# A tree is its nodes in pre-order: a leaf is its log-odds; a split is (feature, threshold, where
# its right branch starts), its left branch starting at the next node. Features at or below the
# threshold go left, as scikit-learn's histogram gradient boosting (which fits them) sends them;
# features are never missing (NaN), so its missing-value branches do not arise.
Leaf = Number
Split = tuple[StrictStr, Number, StrictInt]
Node = Leaf | Split
# Every tree's nodes packed one after the other, a split's right branch indexed over them all;
# then each tree's first node, as ROOT_LAYOUT
NODE_LAYOUT = struct.Struct("=iid")  # feature (-1 for a leaf), right branch, threshold or leaf
ROOT_LAYOUT = struct.Struct("=i")


class TreeModel(BaseModel):
    """Boosted regression trees over Features.vector(): the log-odds of a true match is the
    baseline plus the leaf each tree sends the features to."""

    model_config = ConfigDict(extra="forbid")  # a misspelt or leftover key is an error

    baseline: Number
    trees: list[list[Node]]

    @model_validator(mode="after")
    def _well_formed(self) -> TreeModel:
        if not self.trees:
            raise ValueError("no trees")
        for number, tree in enumerate(self.trees):
            _check_tree(tree, number)
        return self

    # Pickled and copied without what is derived from the trees (read again when first needed):
    # the C core's Forest neither pickles nor copies, and a pickle then loads where the core is
    # not built and holds the trees once
    def __getstate__(self) -> dict[Any, Any]:
        state = super().__getstate__()
        state["__dict__"] = {k: v for k, v in state["__dict__"].items() if k not in _DERIVED}
        return state

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> TreeModel:
        return TreeModel(baseline=self.baseline, trees=copy.deepcopy(self.trees, memo))

    @cached_property
    def packed(self) -> tuple[float, bytes, bytes]:
        """baseline, every tree's nodes packed (NODE_LAYOUT), each tree's first node (kept in the
        instance's __dict__, as pydantic allows a cached_property)."""
        nodes, roots = bytearray(), []
        for tree in self.trees:
            first = len(nodes) // NODE_LAYOUT.size
            roots.append(first)
            for node in tree:
                if isinstance(node, tuple):
                    feature, threshold, right = node
                    nodes += NODE_LAYOUT.pack(
                        FEATURE_NAMES.index(feature), first + right, threshold
                    )
                else:
                    nodes += NODE_LAYOUT.pack(-1, -1, node)
        return self.baseline, bytes(nodes), b"".join(map(ROOT_LAYOUT.pack, roots))

    @cached_property
    def native(self) -> object:
        """The model as the C core reads it (scoring.NATIVE.forest); only where it is built."""
        if scoring.NATIVE is None:
            raise CalibrationError("the C scoring core is not built here")
        return scoring.NATIVE.forest(*self.packed)

    @cached_property
    def _flat(self) -> tuple[tuple[int, ...], tuple[int, ...], tuple[float, ...], tuple[int, ...]]:
        """features, right branches, thresholds or leaves, roots: the packed nodes as tuples."""
        _, nodes, roots = self.packed
        features, rights, numbers = zip(*NODE_LAYOUT.iter_unpack(nodes), strict=True)
        return (
            features,
            rights,
            numbers,
            tuple(v for (v,) in ROOT_LAYOUT.iter_unpack(roots)),
        )

    def log_odds(self, features: Features) -> float:
        return self.log_odds_of(features.vector())

    def log_odds_of(self, vector: tuple[float, ...]) -> float:
        """The log-odds of a Features.vector()."""
        if scoring.NATIVE is not None:
            return scoring.NATIVE.log_odds(self.native, vector)
        return self.log_odds_in_python(vector)

    def log_odds_in_python(self, vector: tuple[float, ...]) -> float:
        """log_odds_of without the C core (which gives the same, to the last bit)."""
        features, rights, numbers, roots = self._flat
        total = self.baseline
        for node in roots:
            while (feature := features[node]) >= 0:
                node = node + 1 if vector[feature] <= numbers[node] else rights[node]
            total += numbers[node]
        return total


_DERIVED = ("packed", "native", "_flat")  # TreeModel's cached properties


def _check_tree(tree: list[Node], number: int) -> None:
    """ValueError unless `tree` is one tree in pre-order: each node where a branch expects it."""
    if not tree:
        raise ValueError(f"tree {number}: no nodes")
    expected = [(0, -1)]  # (where a branch starts, the split it leaves from): a stack
    for at, node in enumerate(tree):
        if not expected:
            raise ValueError(f"tree {number}: nodes after its last leaf")
        start, split = expected.pop()
        if start != at:
            raise ValueError(
                f"tree {number}: node {split}'s right branch does not start at {start}"
            )
        if isinstance(node, tuple):
            feature, _, right = node
            if feature not in FEATURE_NAMES:
                raise ValueError(
                    f"tree {number}: unknown feature {feature!r} (features: {FEATURE_NAMES})"
                )
            if right <= at + 1:
                raise ValueError(
                    f"tree {number}: node {at}'s right branch does not start at {right}"
                )
            expected += [(right, at), (at + 1, at)]
    if expected:
        start, _ = expected[-1]
        raise ValueError(f"tree {number}: a branch leads to node {start}, past the last")


class Qualifiers(BaseModel):
    """Log-odds added for secondary evidence."""

    model_config = ConfigDict(extra="forbid")

    country_mismatch: Number
    weak_alias: Number
    strong_identifier_match: Number
    identifier_match: Number
    strong_identifier_conflict: Number


class Calibration(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    fitted_on: str
    # each feature's direction: +1 where more of it can only raise the score, -1 only lower it
    directions: dict[str, StrictInt]
    models: dict[str, TreeModel]  # 'person', 'organization'
    qualifiers: Qualifiers

    @model_validator(mode="after")
    def _models(self) -> Calibration:
        if set(self.models) != {"person", "organization"}:
            raise ValueError("models must be exactly 'person' and 'organization'")
        unknown = set(self.directions) - set(FEATURE_NAMES)
        if unknown or not set(self.directions.values()) <= {-1, 1}:
            raise ValueError(f"directions: features {FEATURE_NAMES}, each +1 or -1")
        return self

    def model_for(self, schema: str) -> TreeModel:
        return self.models["person" if schema == "person" else "organization"]


def probability(log_odds: float) -> float:
    if log_odds >= 0:
        return 1.0 / (1.0 + math.exp(-log_odds))
    odds = math.exp(log_odds)
    return odds / (1.0 + odds)


def parse_calibration(text: str, origin: str) -> Calibration:
    try:  # as JSON: a split is a JSON array, and its numbers are JSON numbers, strictly
        return Calibration.model_validate_json(text)
    except ValidationError as exc:
        raise CalibrationError(f"{origin}: {exc}") from exc


@lru_cache(maxsize=1)
def calibration() -> Calibration:
    path = resources.files("interlock.match.data").joinpath("calibration.json")
    return parse_calibration(path.read_text("utf-8"), "match/data/calibration.json")
