"""Fit the matcher's calibration on interlock's own development pairs, never on a benchmark file.

    .venv/bin/python benchmarks/calibrate.py

Reads benchmarks/devdata/pairs.csv (made by benchmarks/devset.py from the bundled lists), scores
every pair with `Matcher.compare_names` against the full bundled corpus' token statistics, and fits
one L2-regularised logistic regression per reading (person / organisation) on the features. It
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
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from corpus import bundled_interlock

from interlock.config import load_settings
from interlock.match.calibration import probability
from interlock.match.query import name_reading
from interlock.match.scoring import FEATURE_NAMES
from interlock.names.forms import PERSON

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "benchmarks" / "devdata" / "pairs.csv"
OUTPUT = ROOT / "src" / "interlock" / "match" / "data" / "calibration.json"
RESULTS = ROOT / "benchmarks" / "results" / "calibration.md"
L2 = 1.0
PLATEAU = 0.01  # F1 this close to the best is as good, given the held-out set's size
HELD_OUT = 5  # one group in five is held out for the report
THRESHOLDS = (0.5, 0.65, 0.7, 0.85, 0.95)
# pairs true only because a list says so (nicknames, former names): no name evidence to fit
NOT_NAME_EVIDENCE = {"alias_far"}

Row = tuple[tuple[float, ...], bool]


# The direction each feature may push the score: more of the name found can only raise it, more
# left unmatched can only lower it. A fit that wants the other sign is learning an accident of the
# development set, so that feature is held at 0 and the rest refitted.
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


def fit_signed(rows: Sequence[Row]) -> tuple[float, list[float]]:
    held: set[int] = set()
    while True:
        intercept, weights = fit(rows, fixed=held)
        wrong = {
            i
            for i, (name, weight) in enumerate(zip(FEATURE_NAMES, weights, strict=True))
            if name in SIGNS and weight * SIGNS[name] < 0 and i not in held
        }
        if not wrong:
            return intercept, weights
        held |= wrong


def fit(
    rows: Sequence[Row],
    l2: float = L2,
    iterations: int = 50,
    fixed: frozenset[int] | set[int] = frozenset(),
) -> tuple[float, list[float]]:
    """Logistic regression by Newton's method; the intercept is not penalised; features in
    `fixed` (by position) stay at 0."""
    width = len(rows[0][0]) + 1
    beta = [0.0] * width
    for _ in range(iterations):
        gradient = [0.0] * width
        hessian = [[0.0] * width for _ in range(width)]
        for features, label in rows:
            x = (1.0, *features)
            p = probability(sum(b * v for b, v in zip(beta, x, strict=True)))
            error = p - (1.0 if label else 0.0)
            weight = p * (1 - p)
            for i in range(width):
                gradient[i] += error * x[i]
                row = hessian[i]
                for j in range(i, width):
                    row[j] += weight * x[i] * x[j]
        for i in range(1, width):
            gradient[i] += l2 * beta[i]
            hessian[i][i] += l2
        for i in range(width):
            for j in range(i):
                hessian[i][j] = hessian[j][i]
        for position in fixed:
            i = position + 1
            gradient[i] = 0.0
            for j in range(width):
                hessian[i][j] = hessian[j][i] = 0.0
            hessian[i][i] = 1.0
        step = _solve(hessian, gradient)
        beta = [b - s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return beta[0], beta[1:]


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting."""
    size = len(vector)
    a = [[*row, vector[i]] for i, row in enumerate(matrix)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda r: abs(a[r][column]))
        a[column], a[pivot] = a[pivot], a[column]
        for row in range(column + 1, size):
            factor = a[row][column] / a[column][column]
            for k in range(column, size + 1):
                a[row][k] -= factor * a[column][k]
    solution = [0.0] * size
    for row in range(size - 1, -1, -1):
        total = a[row][size] - sum(a[row][k] * solution[k] for k in range(row + 1, size))
        solution[row] = total / a[row][row]
    return solution


def predict(model: tuple[float, list[float]], features: Sequence[float]) -> float:
    intercept, weights = model
    return probability(intercept + sum(w * v for w, v in zip(weights, features, strict=True)))


def report(name: str, model: tuple[float, list[float]], rows: Sequence[Row]) -> list[str]:
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
        by_reading: dict[str, list[tuple[Row, bool]]] = {"person": [], "organization": []}
        skipped = 0
        for pair in pairs:
            if pair["origin"] in NOT_NAME_EVIDENCE:
                continue
            reading = "person" if name_reading(pair["schema"]) == PERSON else "organization"
            held_out = zlib.crc32(pair["group"].encode()) % HELD_OUT == 0
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
                by_reading[reading].append(
                    ((verdict.comparison.features.vector(), label), held_out)
                )
        app.engine.dispose()
    models = {}
    held_out_scores: list[tuple[float, bool]] = []
    lines = [
        "# Matcher calibration",
        "",
        f"Fitted {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `benchmarks/calibrate.py` on "
        f"`benchmarks/devdata/pairs.csv` (sha256 {digest}…, {len(pairs)} pairs, each scored both "
        f"ways round; {skipped} comparisons without a comparable form; origins {', '.join(sorted(NOT_NAME_EVIDENCE))} left out: true only "
        "because a list says so, with no name evidence). Never fitted on a benchmark file. One logistic regression per "
        f"reading, L2 {L2}; the figures below are on held-out pair groups (1 in {HELD_OUT}), "
        "from a model fitted on the rest; the shipped model is then refitted on all pairs.",
        "",
    ]
    for reading, rows in by_reading.items():
        train = [r for r, held in rows if not held]
        test = [r for r, held in rows if held]
        trained = fit_signed(train)
        lines += report(reading, trained, test)
        held_out_scores += [(predict(trained, f), y) for f, y in test]
        intercept, weights = fit_signed([r for r, _ in rows])
        models[reading] = {
            "intercept": round(intercept, 4),
            "weights": {n: round(w, 4) for n, w in zip(FEATURE_NAMES, weights, strict=True)},
        }
        lines += [
            f"Shipped {reading} model: intercept {intercept:.3f}; "
            + ", ".join(f"{n} {w:+.3f}" for n, w in zip(FEATURE_NAMES, weights, strict=True)),
            "",
        ]
    threshold, f1 = best_threshold(held_out_scores)
    shipped = load_settings().match_threshold
    plateau = [t / 100 for t in range(30, 96) if f1_at(held_out_scores, t / 100) >= f1 - PLATEAU]
    lines += [
        f"F1-maximising threshold on all held-out pairs: **{threshold:.2f}** (F1 {f1:.3f}); at "
        f"the shipped default threshold {shipped:.2f} (interlock.config): F1 "
        f"{f1_at(held_out_scores, shipped):.3f}. F1 stays within {PLATEAU} of its maximum from "
        f"{min(plateau):.2f} to {max(plateau):.2f}; the default (`DEFAULT_MATCH_THRESHOLD`) "
        "belongs on that plateau, towards its low end, because a screener would rather review "
        "a near miss than miss a listed party. Set `match_threshold` to trade recall for "
        "precision.",
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
            "models": models,
        }
    )
    OUTPUT.write_text(json.dumps(current, indent=2) + "\n", encoding="utf-8")
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
