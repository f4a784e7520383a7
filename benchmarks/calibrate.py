"""Fit the matcher's calibration on interlock's own development pairs, never on a benchmark file.

    .venv/bin/python benchmarks/calibrate.py

Reads benchmarks/devdata/pairs.csv (made by benchmarks/devset.py from the bundled lists), scores
every pair with `Matcher.compare_names` against the full bundled corpus' token statistics, and fits
boosted trees per reading (person / organisation) on the features, each feature held to the
direction it may push the score (scikit-learn: install the `bench` extra). It
holds out a fifth of the pair groups (split by list entry, so no entry is on both sides) to report
how well the probabilities are calibrated, then refits on everything and writes
src/interlock/match/data/calibration.json and benchmarks/results/calibration.md.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import sys
import tempfile
import zlib
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from corpus import bundled_interlock

from interlock.config import DEFAULT_MATCH_THRESHOLD
from interlock.match.calibration import Node, TreeModel, parse_calibration, probability
from interlock.match.query import name_reading
from interlock.match.scoring import FEATURE_NAMES
from interlock.names.forms import PERSON

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "benchmarks" / "devdata" / "pairs.csv"
OUTPUT = ROOT / "src" / "interlock" / "match" / "data" / "calibration.json"
RESULTS = ROOT / "benchmarks" / "results" / "calibration.md"
PLATEAU = 0.01  # F1 this close to the best is as good, given the held-out set's size
HELD_OUT = 5  # one group in five is held out for the report
THRESHOLDS = (0.5, 0.65, 0.7, 0.85, 0.95)
# pairs true only because a list says so (nicknames, former names): no name evidence to fit
NOT_NAME_EVIDENCE = {"alias_far"}

Row = tuple[tuple[float, ...], bool]


class Booster(NamedTuple):
    trees: int
    leaves: int
    rate: float


# The direction each feature may push the score: more of the name found can only raise it, more
# left unmatched can only lower it. A fit that wanted the other direction would be learning an
# accident of the development set, so the trees are held to these (features not named are free).
SIGNS = {
    "query_coverage": 1,
    "candidate_coverage": 1,
    "query_exact": 1,
    "candidate_exact": 1,
    "query_missing": -1,
    "candidate_missing": -1,
    "fuzzy_loss": -1,
    "matched_weight": 1,
    "number_conflict": -1,
    "conflict": -1,
    "order_break": -1,
    "all_exact": 1,
}
# Boosted trees, not one logistic model: a linear model over these features left the
# organisation scores badly calibrated between 0.3 and 0.7 (most such pairs false). The
# booster's settings are chosen here, by grouped cross-validation on the pairs not held out: the
# best log-loss among those a search can afford. Every scored name walks every tree: beyond
# BUDGET (trees × leaves) the trees cost a search more than a tenth of its scoring, and the
# scorer falls short of 50× logic-v2's throughput on the same candidates (benchmarks/matching.py).
GRID = tuple(
    Booster(trees, leaves, rate)
    for trees in (25, 50, 100, 200)
    for leaves in (8, 15, 31)
    for rate in (0.1, 0.2)
)
BUDGET = 750
L2 = 1.0


def booster(settings: Booster) -> Any:
    """scikit-learn's histogram gradient boosting, each feature held to its SIGNS direction."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        max_iter=settings.trees,
        max_leaf_nodes=settings.leaves,
        learning_rate=settings.rate,
        l2_regularization=L2,
        monotonic_cst=[SIGNS.get(name, 0) for name in FEATURE_NAMES],
        early_stopping=False,
        random_state=0,
    )


def choose(rows: dict[str, list[tuple[Row, int]]]) -> tuple[Booster, list[str]]:
    """The settings for both readings, by cross-validation over the folds given (rows with their
    fold), and the report's table of every setting tried."""
    folds = sorted({fold for reading in rows.values() for _, fold in reading})
    losses: dict[Booster, float] = {}
    for settings in GRID:
        total, count = 0.0, 0
        for fold in folds:
            for reading in rows.values():
                train = [r for r, f in reading if f != fold]
                test = [r for r, f in reading if f == fold]
                fitted = booster(settings).fit([x for x, _ in train], [y for _, y in train])
                predicted = fitted.predict_proba([x for x, _ in test])[:, 1]
                total += sum(
                    -math.log(max(1e-12, p if y else 1 - p))
                    for p, (_, y) in zip(predicted, test, strict=True)
                )
                count += len(test)
        losses[settings] = total / count
    chosen = min((s for s in GRID if s.trees * s.leaves <= BUDGET), key=losses.__getitem__)
    lines = [
        f"Booster settings by {len(folds)}-fold cross-validation (pair groups, held-out fold "
        f"left out): the best log-loss within the budget of {BUDGET} trees × leaves is "
        f"**{chosen.trees} trees of at most {chosen.leaves} leaves, learning rate "
        f"{chosen.rate}** (L2 {L2}); the best of all, {min(losses.values()):.4f}.",
        "",
        "| trees | leaves | learning rate | within budget | log-loss |",
        "|---|---|---|---|---|",
        *(
            f"| {s.trees} | {s.leaves} | {s.rate} | {'yes' if s.trees * s.leaves <= BUDGET else 'no'}"
            f" | {'**' if s == chosen else ''}{losses[s]:.4f}{'**' if s == chosen else ''} |"
            for s in GRID
        ),
        "",
    ]
    return chosen, lines


def fit(rows: Sequence[Row], settings: Booster) -> TreeModel:
    """The booster fitted, read into interlock's TreeModel and checked to give scikit-learn's own
    log-odds."""
    features = [f for f, _ in rows]
    fitted = booster(settings).fit(features, [label for _, label in rows])
    model = TreeModel(
        baseline=float(fitted._baseline_prediction.ravel()[0]),
        trees=[in_pre_order(predictor.nodes) for (predictor,) in fitted._predictors],
    )
    theirs = fitted.decision_function(features)
    drift = max(abs(model.log_odds_of(f) - t) for f, t in zip(features, theirs, strict=True))
    if drift > 1e-9:
        raise SystemExit(f"error: scikit-learn's trees were read wrongly (log-odds off by {drift})")
    return model


def in_pre_order(nodes: Any) -> list[Node]:
    """A scikit-learn tree's node records as TreeModel nodes: pre-order, left branch next."""
    out: list[Node | None] = []

    def walk(at: int) -> None:
        node = nodes[at]
        if node["is_leaf"]:
            out.append(float(node["value"]))
            return
        here = len(out)
        out.append(None)
        walk(int(node["left"]))
        right = len(out)
        walk(int(node["right"]))
        out[here] = (FEATURE_NAMES[int(node["feature_idx"])], float(node["num_threshold"]), right)

    walk(0)
    assert None not in out, "every split is filled in once its branches are read"
    return out  # type: ignore[return-value]


def predict(model: TreeModel, features: tuple[float, ...]) -> float:
    return probability(model.log_odds_of(features))


def splits_per_feature(model: TreeModel) -> str:
    counts = Counter(node[0] for tree in model.trees for node in tree if isinstance(node, tuple))
    return ", ".join(f"{name} {counts[name]}" for name in FEATURE_NAMES if counts[name])


def written(calibration: dict[str, Any]) -> str:
    """calibration.json's text: indented, with each tree on one line."""
    text = json.dumps({**calibration, "models": "@models"}, indent=2, ensure_ascii=False)
    models = ",\n".join(
        f'    "{reading}": {{\n      "baseline": {json.dumps(model["baseline"])},\n'
        '      "trees": [\n'
        + ",\n".join("        " + json.dumps(tree) for tree in model["trees"])
        + "\n      ]\n    }"
        for reading, model in calibration["models"].items()
    )
    return text.replace('"@models"', "{\n" + models + "\n  }") + "\n"


def report(name: str, model: TreeModel, rows: Sequence[Row]) -> list[str]:
    scored = [(predict(model, f), label) for f, label in rows]
    loss = -sum(math.log(max(1e-12, p if y else 1 - p)) for p, y in scored) / len(scored)
    brier = sum((p - (1.0 if y else 0.0)) ** 2 for p, y in scored) / len(scored)
    lines = [
        f"### {name}: {len(rows)} held-out pairs ({sum(y for _, y in rows)} true)",
        "",
        f"log-loss {loss:.3f}, Brier {brier:.3f}.",
        "",
        "| threshold | P | R | F1 |",
        "|---|---|---|---|",
    ]
    for threshold in THRESHOLDS:
        tp = sum(p >= threshold and y for p, y in scored)
        fp = sum(p >= threshold and not y for p, y in scored)
        fn = sum(p < threshold and y for p, y in scored)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        lines.append(f"| {threshold:.2f} | {precision:.3f} | {recall:.3f} | **{f1:.3f}** |")
    lines += [
        "",
        "Calibration curve (predicted probability bin → observed share of true matches):",
        "",
    ]
    lines += ["| bin | pairs | mean predicted | observed |", "|---|---|---|---|"]
    for low in range(10):
        members = [
            (p, y) for p, y in scored if low / 10 <= p < (low + 1) / 10 or (low == 9 and p == 1.0)
        ]
        if members:
            mean = sum(p for p, _ in members) / len(members)
            observed = sum(y for _, y in members) / len(members)
            lines.append(
                f"| {low / 10:.1f}–{(low + 1) / 10:.1f} | {len(members)} | {mean:.3f} | {observed:.3f} |"
            )
    return [*lines, ""]


def f1_at(scored: Sequence[tuple[float, bool]], threshold: float) -> float:
    tp = sum(p >= threshold and y for p, y in scored)
    fp = sum(p >= threshold and not y for p, y in scored)
    fn = sum(p < threshold and y for p, y in scored)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def best_threshold(scored: Sequence[tuple[float, bool]]) -> tuple[float, float]:
    return max(((t / 100, f1_at(scored, t / 100)) for t in range(5, 100)), key=lambda r: r[1])


def main() -> int:
    if not PAIRS.is_file():
        print(f"error: {PAIRS} is missing: run benchmarks/devset.py first", file=sys.stderr)
        return 2
    with PAIRS.open(newline="", encoding="utf-8") as handle:
        pairs = list(csv.DictReader(handle))
    digest = hashlib.sha256(PAIRS.read_bytes()).hexdigest()[:12]
    with tempfile.TemporaryDirectory(prefix="interlock-calibrate-") as folder:
        app, _ = bundled_interlock(Path(folder))
        matcher = app.matcher()
        by_reading: dict[str, list[tuple[Row, int]]] = {"person": [], "organization": []}
        skipped = 0
        for pair in pairs:
            if pair["origin"] in NOT_NAME_EVIDENCE:
                continue
            reading = "person" if name_reading(pair["schema"]) == PERSON else "organization"
            fold = zlib.crc32(pair["group"].encode()) % HELD_OUT  # fold 0 is held out
            label = pair["is_match"].strip().lower() == "true"
            # both ways round: which side holds the fuller name is not what makes a match
            for query, candidate in (
                (pair["name1"], pair["name2"]),
                (pair["name2"], pair["name1"]),
            ):
                verdict = matcher.compare_names(query, candidate, pair["schema"])
                if verdict.comparison is None:
                    skipped += 1
                    continue
                by_reading[reading].append(((verdict.comparison.features.vector(), label), fold))
        app.engine.dispose()
    models = {}
    held_out_scores: list[tuple[float, bool]] = []
    lines = [
        "# Matcher calibration",
        "",
        f"Fitted {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `benchmarks/calibrate.py` on "
        f"`benchmarks/devdata/pairs.csv` (sha256 {digest}…, {len(pairs)} pairs, each scored both "
        f"ways round; {skipped} comparisons without a comparable form; origins {', '.join(sorted(NOT_NAME_EVIDENCE))} left out: true only "
        "because a list says so, with no name evidence). Never fitted on a benchmark file. Boosted trees per "
        "reading, each feature held to the direction it may push the score; the figures below are on held-out pair groups "
        f"(1 in {HELD_OUT}), from a model fitted on the rest; the shipped model is then refitted on all pairs.",
        "",
    ]
    settings, chosen_lines = choose(
        {reading: [(r, f) for r, f in rows if f != 0] for reading, rows in by_reading.items()}
    )
    lines += chosen_lines
    for reading, rows in by_reading.items():
        train = [r for r, fold in rows if fold != 0]
        test = [r for r, fold in rows if fold == 0]
        trained = fit(train, settings)
        lines += report(reading, trained, test)
        held_out_scores += [(predict(trained, f), y) for f, y in test]
        shipped_model = fit([r for r, _ in rows], settings)
        models[reading] = shipped_model.model_dump()
        lines += [
            f"Shipped {reading} model: {len(shipped_model.trees)} trees of at most "
            f"{settings.leaves} leaves, baseline log-odds {shipped_model.baseline:+.3f}; splits per feature: "
            f"{splits_per_feature(shipped_model)}.",
            "",
        ]
    threshold, f1 = best_threshold(held_out_scores)
    shipped = DEFAULT_MATCH_THRESHOLD
    plateau = [t / 100 for t in range(5, 100) if f1_at(held_out_scores, t / 100) >= f1 - PLATEAU]
    lines += [
        f"F1-maximising threshold on all held-out pairs: **{threshold:.2f}** (F1 {f1:.3f}); at "
        f"the shipped default threshold {shipped:.2f} (interlock.config): F1 "
        f"{f1_at(held_out_scores, shipped):.3f}. F1 stays within {PLATEAU} of its maximum from "
        f"{min(plateau):.2f} to {max(plateau):.2f}; the default (`DEFAULT_MATCH_THRESHOLD`) "
        "belongs on that plateau, below the F1-maximising threshold, because a screener would "
        "rather review a near miss than miss a listed party. Set `match_threshold` to trade "
        "recall for precision.",
        "",
    ]
    current = json.loads(OUTPUT.read_text("utf-8"))
    model_digest = hashlib.sha256(
        (digest + json.dumps(models, sort_keys=True)).encode()
    ).hexdigest()[:12]
    current.update(
        {
            "version": f"dev-{model_digest}",
            "fitted_on": f"benchmarks/devdata/pairs.csv sha256 {digest}, {len(pairs)} pairs",
            "directions": SIGNS,
            "models": models,
        }
    )
    text = written(current)
    parse_calibration(text, str(OUTPUT))  # what is written loads
    OUTPUT.write_text(text, encoding="utf-8")
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
