"""Name matching: interlock's current matcher beside nomenklatura's logic-v2, in one process.

    .venv/bin/python benchmarks/matching.py        (logic-v2 needs the `bench` extra)

Sections (issue 4, "Benchmark harness"):
1. nomenklatura name_bench (826 labelled pairs, a HELD-OUT file: only measured here, never tuned
   on): precision / recall / F1 at interlock's default threshold, at logic-v2's own default and at
   each system's best threshold on this file, overall, per case group and per schema; plus a
   cross-check of this run's logic-v2 scores against OpenSanctions' frozen logic-v2 run.
2. OFAC Sanctions List Search scores: Spearman rank correlation with OFAC's scores and how many of
   OFAC's >= 90 hits each system flags at its own threshold.
3. Cross-script pairs (Watchman's file) and the IFS family screened against the full corpus.
4. Speed on the full bundled corpus: index build time and memory, single-query latency and
   queries/s in-process on one core, and logic-v2's pairs/s on the same candidates, as a ratio.

Writes benchmarks/results/matching.md and prints it. Needs ../shared/data/matching beside the repo
(override with INTERLOCK_SHARED_DATA).
"""

from __future__ import annotations

import csv
import dataclasses
import gc
import json
import math
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from corpus import bundled_interlock

from interlock.config import DEFAULT_MATCH_THRESHOLD, load_settings
from interlock.core import PRELOAD_EVENTS_FROM, Interlock
from interlock.match.contract import ScreeningMatch, ScreeningQuery
from interlock.match.matcher import Matcher
from interlock.match.query import name_reading
from interlock.match.scoring import NATIVE, form_weights
from interlock.model import ListEntry, Schema
from interlock.names.analysis import analyze
from interlock.names.chinese_person import romanize_person, split_person_name
from interlock.names.han import to_simplified
from interlock.names.name_groups import normalize_form
from interlock.names.scripts import written_characters

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "matching.md"
SHARED = Path(os.environ.get("INTERLOCK_SHARED_DATA", ROOT.parent / "shared" / "data"))
MATCHING = SHARED / "matching"
NAME_BENCH = MATCHING / "nomenklatura_name_bench_cases.csv"
FROZEN_LOGIC_V2 = MATCHING / "nomenklatura_name_bench_logicv2_results.csv"
OFAC_SCORES = MATCHING / "nomenklatura_ofac_search_scores.csv"
CROSS_SCRIPT = MATCHING / "watchman_cross_script_pairs.csv"
DEVSET = ROOT / "benchmarks" / "devdata" / "pairs.csv"


LOGIC_V2_THRESHOLD = 0.70  # yente's SCORE_THRESHOLD for logic-v2
OFAC_HIT = 90
# logic-v2 speed: this many name_bench queries, each scored against interlock's top candidates
SPEED_SAMPLE = int(os.environ.get("BENCH_LOGIC_V2_QUERIES", "100"))
# names made of initials and trade words, as many unlisted firms are called ('BH Holdings')
INITIALS_NAMES = 600
TRADE_WORDS = (
    "Holdings",
    "Trading Co",
    "Group",
    "Logistics Ltd",
    "Chemicals",
    "Company Limited",
    "Industries",
    "International",
    "Pharma Co., Ltd.",
    "Technology",
)
SPEED_RUNS = 5  # rounds of the same-candidates comparison, the systems in turn; fastest kept
CANDIDATES = 20

IFS_ENTITY_ID = "us_csl:EL:aae680d264a18c38121789996cf8c9764c85559f"
IFS_IDENTITY = "us_csl:EL:ministry of public security institute of forensic science of china|CN"
# (query, must it match the IFS entry?)
IFS_FAMILY: list[tuple[str, bool]] = [
    ("Ministry of Public Security's Institute of Forensic Science of China", True),
    ("Institute of Forensic Science of the Ministry of Public Security of China", True),
    ("MPS Institute of Forensic Science", True),
    (
        "Forensic Identification Center of the Ministry of Public Security of the People's Republic of China",
        True,
    ),
    ("公安部物证鉴定中心", True),
    ("Shanghai Institute of Forensic Science", False),
    ("Ministry of Public Security", False),
]

# name_bench / FtM schema → interlock's list-entry schema
SCHEMAS = {
    "Person": Schema.PERSON,
    "Company": Schema.ORGANIZATION,
    "Organization": Schema.ORGANIZATION,
    "LegalEntity": Schema.ORGANIZATION,
    "Vessel": Schema.VESSEL,
}
# interlock's schema → the FtM schema logic-v2 is given for a list entry
FTM_SCHEMAS = {
    Schema.PERSON: "Person",
    Schema.ORGANIZATION: "Organization",
    Schema.VESSEL: "Vessel",
    Schema.AIRCRAFT: "Airplane",
    Schema.UNKNOWN: "LegalEntity",
}


class BenchError(Exception):
    pass


# -- the two systems --------------------------------------------------------------------------


class LogicV2:
    """nomenklatura's logic-v2 (yente's default algorithm), or why it cannot be called."""

    def __init__(self) -> None:
        self.missing: str | None = None
        self.version = "not installed"
        try:
            from followthemoney import model
            from nomenklatura.matching import LogicV2 as Algorithm
        except ImportError as exc:
            self.missing = (
                f"nomenklatura is not importable ({exc}); install the bench extra: "
                "`.venv/bin/pip install -e '.[bench]'`"
            )
            return
        self.model = model
        self.algorithm = Algorithm
        self.config = Algorithm.default_config()
        self.version = metadata.version("nomenklatura")
        self.versions = {
            name: metadata.version(name) for name in ("nomenklatura", "rigour", "followthemoney")
        }
        self._ids = 0

    @property
    def available(self) -> bool:
        return self.missing is None

    def entity(
        self, schema: str, names: Sequence[str], aliases: Sequence[str] = (), id_: str = ""
    ) -> Any:
        """An FtM entity. IDs must be unique per content: nomenklatura caches names by entity ID."""
        if not id_:
            self._ids += 1
            id_ = f"bench-{self._ids}"
        entity = self.model.make_entity(schema)
        entity.id = id_
        for name in names:
            entity.add("name", name)
        for alias in aliases:
            entity.add("alias", alias)
        return entity

    def compare(self, query: Any, candidate: Any) -> float:
        return float(self.algorithm.compare(query, candidate, self.config).score)

    def pair_score(self, name1: str, name2: str, schema: str | None) -> float:
        ftm = schema or "LegalEntity"
        return self.compare(self.entity(ftm, [name1]), self.entity(ftm, [name2]))


# -- metrics ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Confusion:
    tp: int
    fp: int
    tn: int
    fn: int

    @classmethod
    def of(cls, labels: Sequence[bool], scores: Sequence[float], threshold: float) -> Confusion:
        tp = fp = tn = fn = 0
        for label, score in zip(labels, scores, strict=True):
            flagged = score >= threshold
            tp += label and flagged
            fp += (not label) and flagged
            tn += (not label) and not flagged
            fn += label and not flagged
        return cls(tp, fp, tn, fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def prf(self) -> str:
        return f"{self.precision:.3f} | {self.recall:.3f} | **{self.f1:.3f}**"


def best_threshold(labels: Sequence[bool], scores: Sequence[float]) -> tuple[float, Confusion]:
    """The threshold with the highest F1 on these pairs (an oracle figure, never a setting)."""
    best = (0.0, Confusion.of(labels, scores, 0.0))
    for threshold in sorted(set(scores)):
        confusion = Confusion.of(labels, scores, threshold)
        if confusion.f1 > best[1].f1:
            best = (threshold, confusion)
    return best


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            result[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return result


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    """Spearman's rho: the Pearson correlation of the ranks (tie-corrected)."""
    ra, rb = ranks(a), ranks(b)
    ma, mb = statistics.fmean(ra), statistics.fmean(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    va = sum((x - ma) ** 2 for x in ra)
    vb = sum((y - mb) ** 2 for y in rb)
    return cov / (va * vb) ** 0.5 if va and vb else float("nan")


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def rss_mb() -> float:
    """Current resident memory of this process."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- inputs -----------------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise BenchError(f"{path}: missing (set INTERLOCK_SHARED_DATA to the shared data folder)")
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@dataclasses.dataclass(frozen=True)
class CrossScriptPair:
    group: str  # the file's own section heading, e.g. "Chinese to Latin"
    query: str
    expected: str
    min_score: float
    description: str


def read_cross_script(path: Path) -> list[CrossScriptPair]:
    """Watchman's file: '#' comment lines (a section heading names the script), blank lines."""
    if not path.is_file():
        raise BenchError(f"{path}: missing")
    pairs = []
    group = ""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            text = line.strip()
            if not text:
                continue
            if text.startswith("#"):
                # section headings: "# Korean (Hangul) to Latin (variable performance)"
                heading = re.sub(r"\s*\([^()]*\)$", "", text.lstrip("#").strip())
                if re.fullmatch(r".+ to [A-Z]\w*", heading):
                    group = heading
                continue
            fields = next(csv.reader([text]))
            if len(fields) != 4:
                raise BenchError(f"{path}:{number}: expected 4 fields, got {len(fields)}")
            query, expected, min_score, description = fields
            pairs.append(CrossScriptPair(group, query, expected, float(min_score), description))
    return pairs


# -- report helpers ---------------------------------------------------------------------------


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    head = " | ".join(header)
    # a cell may hold several columns ("P | R | F1"): count the columns the line really has
    lines = [f"| {head} |", "|" + "---|" * (head.count(" | ") + 1)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def fmt(score: float | None) -> str:
    return "—" if score is None else f"{score:.3f}"


def mark(ok: bool | None) -> str:
    return "—" if ok is None else ("pass" if ok else "**FAIL**")


def fastest_in_turn(
    first: Callable[[], object], second: Callable[[], object], rounds: int
) -> tuple[float, float]:
    """Each function's fastest call, in seconds, each call after a full collection (the least
    disturbed by the machine's other work and by the collector). The two are called in turn,
    `rounds` times, so that both meet the same moments of a machine whose speed drifts."""
    best = [math.inf, math.inf]
    for _ in range(rounds):
        for side, function in enumerate((first, second)):
            gc.collect()
            start = time.perf_counter()
            function()
            best[side] = min(best[side], time.perf_counter() - start)
    return best[0], best[1]


def timed(function: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    value = function()
    return value, time.perf_counter() - start


# what a new process over the same store does before its first query (see restart_seconds)
RESTART = """
import json, sys, time
from pathlib import Path
from corpus import interlock_over
app = interlock_over(Path(sys.argv[1]))
start = time.perf_counter()
app.matcher()
built = time.perf_counter()
app.warm()
print(json.dumps([built - start, time.perf_counter() - built]))
"""


def restart_seconds(folder: Path) -> tuple[float, float]:
    """A new process over the store `bundled_interlock` made in `folder` (a restarted service, or
    each `interlock screen-batch`): the seconds it takes to build its index from the analyses
    the first build kept on disk, and then to read every indexed party's history."""
    built, warmed = in_new_process(RESTART, folder)
    return built, warmed


def in_new_process(script: str, *arguments: object) -> Any:
    """What `script`, run by a new Python process with `arguments`, prints as JSON."""
    done = subprocess.run(
        [sys.executable, "-c", script, *map(str, arguments)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent,  # where `corpus` is
    )
    return json.loads(done.stdout)


# what `interlock screen-batch --workers N` does once started (see new_process_batch_seconds)
NEW_PROCESS_BATCH = """
import json, sys, time
from pathlib import Path
from corpus import interlock_over
from interlock.match.contract import ScreeningQuery
app = interlock_over(Path(sys.argv[1]))
app.warm()
names = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
book = [ScreeningQuery(name=name, limit=5) for name in names]
start = time.perf_counter()
results = list(app.screen_json(book, int(sys.argv[3])))
print(json.dumps(time.perf_counter() - start))
"""


def new_process_batch_seconds(folder: Path, names: Path, workers: int) -> float:
    """The seconds a new process over the store in `folder`, started and warmed as `interlock
    screen-batch` is (see restart_seconds for those seconds), takes to screen the names listed
    in `names` (a JSON array) with `workers` forked workers: a process holding nothing but the
    index and the histories."""
    return float(in_new_process(NEW_PROCESS_BATCH, folder, names, workers))


# -- sections ---------------------------------------------------------------------------------


class Bench:
    def __init__(self, app: Interlock, threshold: float, logic_v2: LogicV2, folder: Path) -> None:
        """`folder`: where `app`'s store is, for the timings that start a new process on it."""
        self.app = app
        self.folder = folder
        self.threshold = threshold
        self.logic_v2 = logic_v2
        self.scorer = app.matcher().scorer

    def ours(self, name1: str, name2: str, schema: str | None) -> float:
        """interlock's probability for one pair (`Matcher.compare_names`): the two names scored
        with the full bundled corpus' token statistics, exactly as a search scores an alias."""
        return self.app.matcher().compare_names(name1, name2, schema or "Any").score

    def theirs(self, name1: str, name2: str, schema: str | None) -> float | None:
        return self.logic_v2.pair_score(name1, name2, schema) if self.logic_v2.available else None

    # 1. name_bench
    def name_bench(self) -> list[str]:
        cases = read_csv(NAME_BENCH)
        labels = [c["is_match"].strip().lower() == "true" for c in cases]
        ours = [self.ours(c["name1"], c["name2"], c["schema"]) for c in cases]
        theirs_raw = [self.theirs(c["name1"], c["name2"], c["schema"]) for c in cases]
        lines = [
            "## 1. nomenklatura name_bench (held-out: measured, never tuned on)",
            "",
            f"`{NAME_BENCH.name}`: {len(cases)} pairs, {sum(labels)} true / "
            f"{len(labels) - sum(labels)} false. interlock scores a pair with "
            "`Matcher.compare_names(name1, name2, schema)`: both names analysed for the pair's "
            "schema and compared with the full bundled corpus' token statistics, as a search "
            "scores an alias (no qualifiers: the file has names only). logic-v2 compares two FtM entities of the pair's schema "
            "with one `name` each. Best threshold = the F1-maximising threshold on this very file "
            "(an oracle figure showing ranking quality, not a setting).",
            "",
        ]
        header = ["system", "threshold", "TP", "FP", "TN", "FN", "P", "R", "F1"]
        rows: list[list[object]] = []

        def row(system: str, label: str, confusion: Confusion) -> list[object]:
            c = confusion
            return [system, label, c.tp, c.fp, c.tn, c.fn, c.prf()]

        rows.append(
            row(
                f"interlock ({self.scorer})",
                f"{self.threshold:.2f} (default)",
                Confusion.of(labels, ours, self.threshold),
            )
        )
        t, c = best_threshold(labels, ours)
        rows.append(row(f"interlock ({self.scorer})", f"{t:.3f} (best)", c))
        theirs: list[float] = []
        if self.logic_v2.available:
            theirs = [s or 0.0 for s in theirs_raw]
            rows.append(
                row(
                    "logic-v2",
                    f"{self.threshold:.2f} (interlock default)",
                    Confusion.of(labels, theirs, self.threshold),
                )
            )
            rows.append(
                row(
                    "logic-v2",
                    f"{LOGIC_V2_THRESHOLD:.2f} (its default)",
                    Confusion.of(labels, theirs, LOGIC_V2_THRESHOLD),
                )
            )
            t, c = best_threshold(labels, theirs)
            rows.append(row("logic-v2", f"{t:.3f} (best)", c))
        else:
            rows.append(["logic-v2", "—", "—", "—", "—", "—", f"not run: {self.logic_v2.missing}"])
        lines += table(header, rows)
        lines.append("")
        lines += self._slices("case group", [c["case_group"] for c in cases], labels, ours, theirs)
        lines.append("")
        lines += self._slices("schema", [c["schema"] for c in cases], labels, ours, theirs)
        lines.append("")
        lines += self._frozen_check(cases, theirs)
        return lines

    def _slices(
        self,
        name: str,
        keys: Sequence[str],
        labels: Sequence[bool],
        ours: Sequence[float],
        theirs: Sequence[float],
    ) -> list[str]:
        groups: dict[str, list[int]] = defaultdict(list)
        for index, key in enumerate(keys):
            groups[key].append(index)
        t = f"{self.threshold:.2f}"
        header = ["", "n", "true", f"interlock P @ {t}", "R", "F1"]
        if theirs:
            header += [f"logic-v2 P @ {t}", "R", "F1", f"logic-v2 F1 @ {LOGIC_V2_THRESHOLD:.2f}"]
        rows = []
        for key in sorted(groups, key=lambda k: (-len(groups[k]), k)):
            members = groups[key]
            sub_labels = [labels[i] for i in members]
            row: list[object] = [
                key,
                len(members),
                sum(sub_labels),
                Confusion.of(sub_labels, [ours[i] for i in members], self.threshold).prf(),
            ]
            if theirs:
                sub_theirs = [theirs[i] for i in members]
                row.append(Confusion.of(sub_labels, sub_theirs, self.threshold).prf())
                row.append(f"{Confusion.of(sub_labels, sub_theirs, LOGIC_V2_THRESHOLD).f1:.3f}")
            rows.append(row)
        return [f"Per {name}:", "", *table(header, rows)]

    def _frozen_check(self, cases: list[dict[str, str]], theirs: Sequence[float]) -> list[str]:
        lines = [
            "Cross-check of this run's logic-v2 against OpenSanctions' frozen logic-v2 run:",
            "",
        ]
        if not theirs:
            return [*lines, f"not run: {self.logic_v2.missing}"]
        frozen_rows = read_csv(FROZEN_LOGIC_V2)
        live = {
            (c["schema"], c["name1"], c["name2"]): s for c, s in zip(cases, theirs, strict=True)
        }
        joined = [
            (float(r["score"]), live[(r["schema"], r["name1"], r["name2"])])
            for r in frozen_rows
            if (r["schema"], r["name1"], r["name2"]) in live
        ]
        labels = [
            r["is_match"].strip().lower() == "true"
            for r in frozen_rows
            if (r["schema"], r["name1"], r["name2"]) in live
        ]
        if not joined:
            return [*lines, "no pair of the frozen file is in the cases file"]
        diffs = [abs(a - b) for a, b in joined]
        same = sum((a >= LOGIC_V2_THRESHOLD) == (b >= LOGIC_V2_THRESHOLD) for a, b in joined)
        n = len(joined)
        lines.append(
            f"{n} of the frozen file's {len(frozen_rows)} pairs are in the cases file (joined on "
            f"schema, name1, name2). Scores within 0.01: {sum(d <= 0.01 for d in diffs)} "
            f"({sum(d <= 0.01 for d in diffs) / n:.1%}); within 0.05: "
            f"{sum(d <= 0.05 for d in diffs) / n:.1%}; largest difference {max(diffs):.3f}; same "
            f"decision at {LOGIC_V2_THRESHOLD:.2f}: {same / n:.1%}. The frozen run used "
            "nomenklatura/rigour from git (2026-05); this run uses "
            + ", ".join(f"{k} {v}" for k, v in self.logic_v2.versions.items())
            + " from PyPI."
        )
        frozen = Confusion.of(labels, [a for a, _ in joined], LOGIC_V2_THRESHOLD)
        rerun = Confusion.of(labels, [b for _, b in joined], LOGIC_V2_THRESHOLD)
        lines += [
            "",
            *table(
                ["logic-v2 on the joined pairs @ 0.70", "P", "R", "F1"],
                [["frozen scores", frozen.prf()], ["this run", rerun.prf()]],
            ),
        ]
        return lines

    # 2. OFAC
    def ofac(self) -> list[str]:
        rows = read_csv(OFAC_SCORES)
        ofac = [float(r["ofac_score"]) for r in rows]
        ours = [self.ours(r["query_name"], r["result_name"], None) for r in rows]
        hits = [i for i, s in enumerate(ofac) if s >= OFAC_HIT]
        rest = [i for i, s in enumerate(ofac) if s < OFAC_HIT]
        header = [
            "system",
            "Spearman ρ with OFAC",
            f"OFAC ≥ {OFAC_HIT} hits flagged",
            f"OFAC < {OFAC_HIT} flagged",
        ]

        def summary(system: str, scores: Sequence[float], threshold: float) -> list[object]:
            flagged_hits = sum(scores[i] >= threshold for i in hits)
            flagged_rest = sum(scores[i] >= threshold for i in rest)
            return [
                f"{system} @ {threshold:.2f}",
                f"{spearman(ofac, scores):.3f}",
                f"{flagged_hits} / {len(hits)}",
                f"{flagged_rest} / {len(rest)}",
            ]

        table_rows = [summary(f"interlock ({self.scorer})", ours, self.threshold)]
        if self.logic_v2.available:
            theirs = [
                self.logic_v2.pair_score(r["query_name"], r["result_name"], None) for r in rows
            ]
            table_rows.append(summary("logic-v2", theirs, LOGIC_V2_THRESHOLD))
        else:
            table_rows.append(["logic-v2", f"not run: {self.logic_v2.missing}", "—", "—"])
        return [
            "## 2. OFAC Sanctions List Search scores",
            "",
            f"`{OFAC_SCORES.name}`: {len(rows)} (query, result) pairs with the score OFAC's own tool "
            f"gave ({len(hits)} at ≥ {OFAC_HIT}). No schema is given: interlock lists the result "
            "as Unknown, logic-v2 compares LegalEntity entities. Each system flags at its own "
            "default threshold.",
            "",
            *table(header, table_rows),
        ]

    # 3. cross-script and IFS
    def cross_script(self) -> list[str]:
        pairs = read_cross_script(CROSS_SCRIPT)
        t = self.threshold
        header = [
            "script",
            "query",
            "expected",
            "min",
            "interlock",
            "≥ min",
            f"≥ {t:.2f}",
            "logic-v2",
            "≥ min",
            f"≥ {LOGIC_V2_THRESHOLD:.2f}",
        ]
        rows = []
        totals = {"ours_min": 0, "ours_t": 0, "theirs_min": 0, "theirs_t": 0}
        chinese = {"n": 0, "ours_t": 0, "theirs_t": 0}
        for pair in pairs:
            ours = self.ours(pair.query, pair.expected, "Person")
            theirs = self.theirs(pair.query, pair.expected, "Person")
            is_chinese = pair.group.startswith("Chinese")
            totals["ours_min"] += ours >= pair.min_score
            totals["ours_t"] += ours >= t
            if theirs is not None:
                totals["theirs_min"] += theirs >= pair.min_score
                totals["theirs_t"] += theirs >= LOGIC_V2_THRESHOLD
            if is_chinese:
                chinese["n"] += 1
                chinese["ours_t"] += ours >= t
                chinese["theirs_t"] += theirs is not None and theirs >= LOGIC_V2_THRESHOLD
            group = f"**{pair.group}**" if is_chinese else pair.group
            query = f"**{pair.query}**" if is_chinese else pair.query
            rows.append(
                [
                    group,
                    query,
                    pair.expected,
                    f"{pair.min_score:.2f}",
                    fmt(ours),
                    mark(ours >= pair.min_score),
                    mark(ours >= t),
                    fmt(theirs),
                    mark(None if theirs is None else theirs >= pair.min_score),
                    mark(None if theirs is None else theirs >= LOGIC_V2_THRESHOLD),
                ]
            )
        n = len(pairs)
        summary = (
            f"interlock: {totals['ours_min']}/{n} reach the row's min score, {totals['ours_t']}/{n} "
            f"reach {t:.2f}; Chinese rows at {t:.2f}: {chinese['ours_t']}/{chinese['n']}."
        )
        if self.logic_v2.available:
            summary += (
                f" logic-v2: {totals['theirs_min']}/{n} reach the min score, {totals['theirs_t']}/{n} "
                f"reach {LOGIC_V2_THRESHOLD:.2f}; Chinese rows: {chinese['theirs_t']}/{chinese['n']}."
            )
        return [
            "## 3. Cross-script pairs and the IFS family",
            "",
            f"`{CROSS_SCRIPT.name}` ({n} pairs, Person names; Chinese rows in bold). Each pair is "
            "scored as in section 1; 'min' is the file's own expectation for the pair.",
            "",
            *table(header, rows),
            "",
            summary,
            "",
            *self.ifs_family(),
        ]

    def ifs_family(self) -> list[str]:
        ifs = self.app.entity(IFS_ENTITY_ID)
        lines = [
            "IFS family screened against the full bundled corpus (`Interlock.screen`, schema Any, "
            "limit 10). Pass = the top match is the IFS entry with match=true (rows that must "
            "match), or no IFS result with match=true (rows that must not).",
            "",
        ]
        ifs_names: list[str] = []
        if ifs is None:
            lines += [f"**{IFS_ENTITY_ID} is not in the current snapshots**", ""]
        else:
            ifs_names = ifs.all_names()
            lines += [
                "logic-v2 compares the query (Organization, one name) with one Organization "
                "entity carrying the IFS entry's listed name and aliases as interlock stores them "
                "(its score is the best over those names): "
                + "; ".join(f"“{n}”" for n in ifs_names),
                "",
            ]
        header = [
            "query",
            "must match",
            "interlock top match",
            "top score",
            "IFS score",
            "interlock",
            "logic-v2 vs IFS",
            f"logic-v2 @ {LOGIC_V2_THRESHOLD:.2f}",
        ]
        rows = []
        candidate = None
        if ifs is not None and self.logic_v2.available:
            candidate = self.logic_v2.entity(
                "Organization", [ifs.name], [a.name for a in ifs.aliases]
            )
        for query, must_match in IFS_FAMILY:
            result = self.app.screen(ScreeningQuery(name=query, limit=10))
            matches = result.matches
            top = matches[0] if matches else None
            ifs_hits = [m for m in matches if is_ifs(m)]
            if must_match:
                ok = top is not None and is_ifs(top) and top.match
            else:
                ok = not any(m.match for m in ifs_hits)
            theirs = None
            if candidate is not None:
                theirs = self.logic_v2.compare(
                    self.logic_v2.entity("Organization", [query]), candidate
                )
            rows.append(
                [
                    query,
                    "yes" if must_match else "no",
                    "—"
                    if top is None
                    else f"{top.name} ({'IFS' if is_ifs(top) else top.entity_id})",
                    "—" if top is None else f"{top.score:.3f}{' match' if top.match else ''}",
                    fmt(ifs_hits[0].score) if ifs_hits else "not returned",
                    mark(ok),
                    fmt(theirs),
                    mark(None if theirs is None else (theirs >= LOGIC_V2_THRESHOLD) == must_match),
                ]
            )
        return [*lines, *table(header, rows)]

    # 4. candidate recall
    def recall(self) -> list[str]:
        """Is the true entity among the names a search scores in full?"""
        corpus = self.app.matcher()
        extra: list[tuple[str, ListEntry]] = []
        queries: list[tuple[str, str, str, int]] = []  # (set, query, reading schema, entry)
        for case in read_csv(NAME_BENCH):
            if case["is_match"].strip().lower() != "true":
                continue
            queries.append(("name_bench true pairs", case["name1"], case["schema"], len(extra)))
            extra.append(bench_entry(len(extra), case["name2"], case["schema"]))
        for pair in read_cross_script(CROSS_SCRIPT):
            queries.append(("cross-script pairs", pair.query, "Person", len(extra)))
            extra.append(bench_entry(len(extra), pair.expected, "Person"))
        offset = len(corpus.entries)
        everything = [*zip(corpus.identities, corpus.entries, strict=True), *extra]
        started = time.perf_counter()
        augmented = Matcher(everything, self.threshold, corpus.calibration)
        build = time.perf_counter() - started
        found: dict[str, list[bool]] = defaultdict(list)
        for label, name, schema, position in queries:
            analyzed = augmented.analyzed(name, name_reading(schema))
            entries = {
                augmented.index.names[p].entry for p in augmented.scored_candidates(analyzed, 10)
            }
            found[label].append(offset + position in entries)
        ifs = [i for i, e in enumerate(corpus.entries) if e.entity_id == IFS_ENTITY_ID]
        for query, must_match in IFS_FAMILY:
            if must_match and ifs:
                positions = corpus.scored_candidates(
                    corpus.analyzed(query, name_reading("Any")), 10
                )
                found["IFS family (must match)"].append(
                    any(corpus.index.names[p].entry == ifs[0] for p in positions)
                )
        rows = [
            [label, len(hits), sum(hits), f"{sum(hits) / len(hits):.1%}"]
            for label, hits in found.items()
        ]
        every = [hit for hits in found.values() for hit in hits]
        rows.append(["all", len(every), sum(every), f"**{sum(every) / len(every):.1%}**"])
        return [
            "## 4. Candidate recall",
            "",
            "Each true pair's name2 (and each cross-script pair's expected name) is added as an "
            f"entry to the full bundled corpus ({len(extra)} entries more; index rebuilt in "
            f"{build:.1f} s); the pair's name1 is then run through the candidate generator "
            "(`Matcher.scored_candidates`, limit 10: the names a search scores in full). Recall = "
            "the added entry is among them. The IFS queries run against the corpus as it is.",
            "",
            *table(["set", "queries", "true entity among candidates", "recall"], rows),
        ]

    # 5. calibration on the held-out pairs
    def calibration(self) -> list[str]:
        cases = read_csv(NAME_BENCH)
        scored = [
            (
                self.ours(c["name1"], c["name2"], c["schema"]),
                c["is_match"].strip().lower() == "true",
            )
            for c in cases
        ]
        rows = []
        for low in range(10):
            members = [
                (p, y) for p, y in scored if low / 10 <= p < (low + 1) / 10 or (low == 9 and p == 1)
            ]
            if members:
                rows.append(
                    [
                        f"{low / 10:.1f}–{(low + 1) / 10:.1f}",
                        len(members),
                        f"{sum(p for p, _ in members) / len(members):.3f}",
                        f"{sum(y for _, y in members) / len(members):.3f}",
                    ]
                )
        return [
            "## 5. Calibration on name_bench (measured, not fitted)",
            "",
            "interlock's score is fitted to be a probability on its own development pairs "
            "(`benchmarks/calibrate.py`, curve in `benchmarks/results/calibration.md`). Here the "
            "same curve on the held-out name_bench pairs: predicted bin → observed share of true "
            "matches.",
            "",
            *table(["bin", "pairs", "mean predicted", "observed"], rows),
        ]

    # 6. speed
    def speed(
        self,
        build_seconds: float,
        rss_before: float,
        rss_after: float,
        restart: tuple[float, float],
    ) -> list[str]:
        cases = read_csv(NAME_BENCH)
        queries = [c["name1"] for c in cases]
        matcher = self.app.matcher()
        today = datetime.now(UTC).date()
        for name in queries[:20]:  # warm caches the way a running service has them
            self.app.screen(ScreeningQuery(name=name))

        def latencies(run: Callable[[str], object]) -> list[float]:
            out = []
            forget_names(self.app)
            gc.collect()
            for name in queries:
                start = time.perf_counter()
                run(name)
                out.append(time.perf_counter() - start)
            return sorted(out)

        screen = latencies(lambda n: self.app.screen(ScreeningQuery(name=n)))
        search = latencies(lambda n: matcher.search(ScreeningQuery(name=n), today))
        lines = [
            "## 6. Speed (full bundled corpus)",
            "",
            f"Index: {len(matcher.entries):,} entries, {len(matcher.index.names):,} names, "
            f"{len(matcher.index.postings):,} posting keys; built in {build_seconds:.1f} s (from "
            f"the store, analysis included); resident memory {rss_before:.0f} MB before the "
            f"build, {rss_after:.0f} MB after (+{rss_after - rss_before:.0f} MB), peak so far "
            f"{peak_rss_mb():.0f} MB.",
            "",
            "A new process over the same store (a restarted service, or each `interlock "
            "screen-batch` and `interlock screen`) builds its index from the analyses the first "
            f"build kept on disk in **{restart[0]:.1f} s**, then reads every indexed party's "
            f"history in {restart[1]:.1f} s (`Interlock.warm()`, which a batch of "
            f"{PRELOAD_EVENTS_FROM:,} names or more calls).",
            "",
            f"Single queries, one process, one core: the {len(queries)} name1 values of "
            "name_bench (the caches keyed by whole names emptied before each of the two timings: "
            "earlier sections analysed these names; caches keyed by words stay warm), limit 10, "
            "schema Any. `matcher.search` is the in-memory matching; "
            "`Interlock.screen` adds the listing status of each match from the store, "
            "freshness, and the call's audit record (one committed insert, issue 6).",
            "",
        ]
        rows = []
        for label, values in (("matcher.search", search), ("Interlock.screen", screen)):
            rows.append(
                [
                    label,
                    f"{percentile(values, 0.5) * 1000:.2f}",
                    f"{percentile(values, 0.99) * 1000:.2f}",
                    f"**{len(values) / sum(values):,.0f}**",
                ]
            )
        lines += table(["call", "p50 (ms)", "p99 (ms)", "queries/s"], rows)
        lines.append("")
        lines += self._batch()
        lines.append("")
        lines += self._logic_v2_speed(queries, search)
        return lines

    def _batch(self) -> list[str]:
        """`Interlock.screen_json` (what `screen-batch --workers N` runs) on a book of names."""
        names = sorted(
            {c["name1"] for c in read_csv(DEVSET)} | {c["name2"] for c in read_csv(NAME_BENCH)}
        )
        book = [ScreeningQuery(name=n, limit=5) for n in names]
        rows = []
        rates = {}
        # what a process's first large batch does once (screen_json calls it): read every indexed
        # party's history into memory; timed apart, so that both runs below measure screening
        self.app._events_cache.clear()
        _, warm_seconds = timed(self.app.warm)
        for workers in (1, 2):
            forget_names(self.app)  # the forked workers would inherit what the last run read
            gc.collect()
            start = time.perf_counter()
            results = list(self.app.screen_json(book, workers))
            seconds = time.perf_counter() - start
            rates[workers] = len(book) / seconds
            matched = sum(1 for r in results if isinstance(r, str) and '"match":true' in r)
            rows.append(
                [
                    workers,
                    f"{len(book):,}",
                    f"{seconds:.1f}",
                    f"**{rates[workers]:,.0f}**",
                    f"{matched:,}",
                ]
            )
        listed = self.folder / "batch-names.json"
        listed.write_text(json.dumps(names), encoding="utf-8")
        fresh = {
            workers: len(book) / new_process_batch_seconds(self.folder, listed, workers)
            for workers in (1, 2)
        }
        return [
            f"Batch: {len(book):,} distinct names (the development pairs' query names and "
            "name_bench's name2 values: a book where many names are on a list), limit 5, through "
            "`Interlock.screen_json` — matching, status and freshness, each result as JSON, in "
            "order — with forked workers sharing the built index (what `screen-batch --workers "
            "N` runs). Each run starts with the caches keyed by whole names emptied, so neither "
            "meets a name an earlier section or run analysed, and after `Interlock.warm()`: "
            "every indexed party's history read into memory, which a process's first batch of "
            f"{PRELOAD_EVENTS_FROM:,} names or more does once ({warm_seconds:.1f} s here, not in "
            "the runs' seconds).",
            "",
            *table(["workers", "names", "seconds", "names/s", "names with a match"], rows),
            "",
            f"Scaling from 1 to 2 workers: {rates[2] / rates[1]:.2f}×.",
            "",
            "The same book in a new process, as `interlock screen-batch --workers N` screens it: "
            "the process holds only the index and the histories (built and read first, as in "
            "the restart figures above, and not in these seconds), not the data and the "
            "objects of every section before; its caches are as cold as a new process has them.",
            "",
            *table(
                ["workers", "names/s, new process", "names/s, this process (above)"],
                [[w, f"**{fresh[w]:,.0f}**", f"{rates[w]:,.0f}"] for w in (1, 2)],
            ),
            "",
            f"Scaling from 1 to 2 workers in a new process: {fresh[2] / fresh[1]:.2f}×.",
            "",
            *self._batch_parts(names),
        ]

    def _batch_parts(self, names: Sequence[str]) -> list[str]:
        """Where a batch name's time goes on one worker: each part timed on its own, over every
        4th name of the book, the caches keyed by whole names emptied first."""
        app, matcher = self.app, self.app.matcher()
        reading, today = name_reading("Any"), datetime.now(UTC).date()
        sample = [ScreeningQuery(name=n, limit=5) for n in names[::4] if n.strip()]
        took: dict[str, float] = defaultdict(float)
        forget_names(app)
        gc.collect()

        def retrieve_and_score(label: str) -> None:
            for _, analyzed in kept:
                start = time.perf_counter()
                weights = [form_weights(f, matcher.index.rarity) for f in analyzed.forms]
                positions = matcher.scored_candidates(analyzed, 5)
                retrieved_at = time.perf_counter()
                matcher.score_aliases(analyzed, weights, positions, reading)
                took[f"retrieval{label}"] += retrieved_at - start
                took[f"scoring{label}"] += time.perf_counter() - retrieved_at

        analysed = []
        for query in sample:
            start = time.perf_counter()
            analysed.append(matcher.analyzed(query.name, reading))
            took["analysis"] += time.perf_counter() - start
        # a name with no word to compare is refused before any search (a QueryError)
        kept = [
            (q, analyzed) for q, analyzed in zip(sample, analysed, strict=True) if analyzed.forms
        ]
        retrieve_and_score("")  # the word caches as cold as a batch meets them
        searched = 0.0
        for query, _ in kept:  # the whole search, its analysis now cached
            start = time.perf_counter()
            matches = matcher.search(query, today)
            searched += time.perf_counter() - start
            start = time.perf_counter()
            app._with_status(matches, today, today)  # what Interlock._screen adds to a search
            took["listing status"] += time.perf_counter() - start
        retrieve_and_score(" again")  # as warm as in those searches: what they also spent
        took["the rest of a search: explanations, qualifiers, ranking"] = max(
            0.0, searched - took.pop("retrieval again") - took.pop("scoring again")
        )
        results = [app._screen([query])[0] for query, _ in kept]
        start = time.perf_counter()
        for result in results:
            result.model_dump_json(by_alias=True)
        took["result as JSON"] = time.perf_counter() - start
        rows = [[part, f"{1e6 * seconds / len(kept):,.0f}"] for part, seconds in took.items()]
        rows.append(["**all**", f"**{1e6 * sum(took.values()) / len(kept):,.0f}**"])
        return [
            f"Where a name's time goes, one worker ({len(kept):,} names, every 4th of the "
            "book, limit 5; retrieval includes the respelling pass, scoring is the C core's; each "
            "part timed on its own in separate passes, so the parts are indicative and their "
            "sum need not equal a batch's time a name):",
            "",
            *table(["part", "µs a name"], rows),
        ]

    def _logic_v2_speed(self, queries: Sequence[str], search: Sequence[float]) -> list[str]:
        if not self.logic_v2.available:
            return [f"logic-v2 speed: not run: {self.logic_v2.missing}"]
        matcher = self.app.matcher()
        step = max(1, len(queries) // SPEED_SAMPLE)
        sample = list(queries[::step])[:SPEED_SAMPLE]
        theirs_jobs = []  # (query entity, candidate entities), built outside the timing
        ours_jobs = []  # (analysed query, the candidate names a search scores)
        for index, name in enumerate(sample):
            analyzed = matcher.analyzed(name, name_reading("Any"))
            positions = matcher.scored_candidates(analyzed, 10)
            entries = list(dict.fromkeys(matcher.index.names[p].entry for p in positions))
            query = self.logic_v2.entity("LegalEntity", [name], id_=f"speed-query-{index}")
            theirs_jobs.append(
                (query, [candidate_entity(self.logic_v2, matcher.entries[e]) for e in entries])
            )
            ours_jobs.append((analyzed, positions))
        pairs = sum(len(c) for _, c in theirs_jobs)

        def theirs() -> None:
            for query, candidates in theirs_jobs:
                for candidate in candidates:
                    self.logic_v2.compare(query, candidate)

        def ours() -> None:
            for analyzed, positions in ours_jobs:
                weights = [form_weights(f, matcher.index.rarity) for f in analyzed.forms]
                matcher.score_aliases(analyzed, weights, positions, "any")

        theirs_seconds, ours_seconds = fastest_in_turn(theirs, ours, SPEED_RUNS)
        theirs_rate = pairs / theirs_seconds
        ours_rate = pairs / ours_seconds
        per_query = pairs / len(theirs_jobs)
        yente_candidates = max(20, 10 * 10)  # yente: max(20, limit x YENTE_MATCH_CANDIDATES)
        ours_qps = len(search) / sum(search)
        return [
            f"Same candidates, both systems: {len(theirs_jobs)} of those queries (every {step}th) "
            f"and the entries a search scores for each ({pairs:,} query–entry pairs, "
            f"{per_query:.1f} per query), the two systems timed in turn {SPEED_RUNS} times, the "
            "fastest timing of each kept. logic-v2 compares FtM entities carrying the entry's "
            "names and aliases (built before timing); interlock scores the entry's names its "
            "index retrieved for the query (analysed at index build) with the calibrated model, "
            "as a search does. Scoring only, no retrieval, on both sides.",
            "",
            *table(
                ["system", "query–entry pairs/s", "µs per pair"],
                [
                    ["logic-v2", f"{theirs_rate:,.0f}", f"{1e6 / theirs_rate:,.0f}"],
                    [f"interlock ({self.scorer})", f"{ours_rate:,.0f}", f"{1e6 / ours_rate:,.1f}"],
                ],
            ),
            "",
            f"Throughput ratio on the same candidates: **{ours_rate / theirs_rate:,.0f}×**.",
            "",
            f"End to end: `matcher.search` answers {ours_qps:,.0f} queries/s, retrieval from the "
            f"whole corpus included; logic-v2 scoring the {yente_candidates} candidates yente "
            "fetches for limit 10 (max(20, limit × 10)) would answer "
            f"{theirs_rate / yente_candidates:,.1f} queries/s for the scoring alone: "
            f"**{ours_qps / (theirs_rate / yente_candidates):,.0f}×**.",
        ]

    # 7. initials-named firms
    def initials_names(self) -> list[str]:
        """How often a search alerts on a made-up name of initials and trade words: few such
        names are listed, and most pairs and triples of letters are some listed name's initials."""
        rng = random.Random(20261207)
        letters = "ABCDEFGHIJKLMNOPRSTVWYZ"
        names = [
            "".join(rng.choice(letters) for _ in range(width)) + " " + rng.choice(TRADE_WORDS)
            for width in (2, 3, 4)
            for _ in range(INITIALS_NAMES // 3)
        ]
        matcher = self.app.matcher()
        today = datetime.now(UTC).date()
        rows = []
        for width in (2, 3, 4):
            chosen = [n for n in names if len(n.split()[0]) == width]
            alerted = sum(
                any(m.match for m in matcher.search(ScreeningQuery(name=n, limit=5), today))
                for n in chosen
            )
            rows.append([width, len(chosen), alerted, f"{alerted / len(chosen):.0%}"])
        return [
            "## 7. Alerts on initials-named firms (made up, not fitted)",
            "",
            f"{len(names)} names of random capital letters and a trade word ('BH Holdings', "
            "'KCH Industries'; seeded), searched with `matcher.search` (schema Any, limit 5) "
            "against the full bundled corpus: how many get at least one match at the default "
            "threshold. Few such names are on a list, so nearly every alert is a false one; a "
            "random name may still be some listed body's acronym.",
            "",
            *table(["letters", "names", "with an alert", "share"], rows),
        ]


def bench_entry(number: int, name: str, schema: str | None) -> tuple[str, ListEntry]:
    entry = ListEntry(
        entity_id=f"bench:{number}",
        source="bench",
        source_id=str(number),
        lists=["BENCH"],
        schema=SCHEMAS.get(schema or "", Schema.UNKNOWN),
        name=name,
        name_original=name,
    )
    return entry.entity_id, entry


def is_ifs(match: ScreeningMatch) -> bool:
    return match.entity_id == IFS_ENTITY_ID or match.identity == IFS_IDENTITY


def candidate_entity(logic_v2: LogicV2, entry: ListEntry) -> Any:
    aliases = [alias.name for alias in entry.aliases]
    return logic_v2.entity(FTM_SCHEMAS[entry.schema_], [entry.name], aliases, id_=entry.entity_id)


# -- main -------------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def forget_names(app: Interlock) -> None:
    """Empty the caches keyed by whole names, and the listing states of the parties screened, so
    that a timing meets its names for the first time, as a new book's are met: the earlier
    sections and timings analysed many of them. Caches keyed by single words stay warm, as in
    any process that has screened before."""
    for cached in (
        analyze,
        written_characters,
        to_simplified,
        split_person_name,
        romanize_person,
        normalize_form,
    ):
        cached.cache_clear()
    app._status_cache.clear()  # a forked worker would inherit the states the last run read


def main() -> int:
    started = time.perf_counter()
    settings = load_settings()
    threshold = settings.match_threshold
    logic_v2 = LogicV2()
    for path in (NAME_BENCH, FROZEN_LOGIC_V2, OFAC_SCORES, CROSS_SCRIPT):
        if not path.is_file():
            print(f"error: {path} is missing (set INTERLOCK_SHARED_DATA)", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory(prefix="interlock-bench-") as folder:
        app, load_seconds = bundled_interlock(Path(folder), settings)
        gc.collect()
        rss_before = rss_mb()
        _, build_seconds = timed(app.matcher)
        rss_after = rss_mb()
        restart = restart_seconds(Path(folder))
        bench = Bench(app, threshold, logic_v2, Path(folder))
        sections = []
        for title, section in (
            ("name_bench", bench.name_bench),
            ("OFAC", bench.ofac),
            ("cross-script and IFS", bench.cross_script),
            ("candidate recall", bench.recall),
            ("calibration", bench.calibration),
            ("speed", lambda: bench.speed(build_seconds, rss_before, rss_after, restart)),
            ("initials-named firms", bench.initials_names),
        ):
            print(f"{title} …", file=sys.stderr)
            sections.append(section())
        scorer = app.screen(ScreeningQuery(name="IFS")).scorer
        app.engine.dispose()
    total = time.perf_counter() - started
    core = "C (`interlock.match._native`)" if NATIVE is not None else "pure Python"
    versions = f"interlock {metadata.version('interlock')} (scorer `{scorer}`, scoring core {core})"
    if logic_v2.available:
        versions += ", " + ", ".join(f"{k} {v}" for k, v in logic_v2.versions.items())
    else:
        versions += f"; logic-v2 not run: {logic_v2.missing}"
    source = "the shipped default" if threshold == DEFAULT_MATCH_THRESHOLD else "a configured value"
    lines = [
        "# Name matching: interlock beside nomenklatura logic-v2",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {cpu_model()} ({platform.machine()}, "
        f"{os.cpu_count()} cores), Python {platform.python_version()}, one process "
        f"(`benchmarks/matching.py`). Versions: {versions}.",
        f"interlock threshold {threshold:.2f} (`load_settings()`: {source}); "
        f"logic-v2 threshold {LOGIC_V2_THRESHOLD:.2f} (yente's default). Bundled corpus loaded "
        f"into a temporary SQLite in {load_seconds:.1f} s; whole run {total:.0f} s.",
        "",
    ]
    for section in sections:
        lines += [*section, ""]
    text = "\n".join(lines)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
