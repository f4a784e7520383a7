"""Load time and peak memory of `lists load --bundled` on SQLite and PostgreSQL.

Each run loads into a new, empty database in a child process (so peak memory is that load's own)
and is repeated; the table reports the median time and the largest peak RSS. Writes
benchmarks/results/load.md. PostgreSQL: INTERLOCK_TEST_POSTGRES_URL (default the local server).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from postgres import private_schema

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "load.md"
POSTGRES = os.environ.get(
    "INTERLOCK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))

CHILD = """
import json, resource, sys, time
from interlock.config import load_settings
from interlock.core import Interlock
start = time.perf_counter()
interlock = Interlock(load_settings())
results = interlock.load_bundled()
seconds = time.perf_counter() - start
index_start = time.perf_counter()
interlock.matcher()
index_seconds = time.perf_counter() - index_start
print(json.dumps({
    "seconds": seconds,
    "index_seconds": index_seconds,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "entries": {r.snapshot.source: r.snapshot.entry_count for r in results},
}))
"""


def run_child(database_url: str) -> dict[str, object]:
    env = {**os.environ, "INTERLOCK_DATABASE_URL": database_url}
    done = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def sqlite_run() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        return run_child(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")


def postgres_run() -> dict[str, object] | None:
    with private_schema() as url:
        return None if url is None else run_child(url)


def summarise(runs: list[dict[str, object]]) -> dict[str, float]:
    return {
        "median_seconds": statistics.median(float(str(r["seconds"])) for r in runs),
        "min_seconds": min(float(str(r["seconds"])) for r in runs),
        "index_seconds": statistics.median(float(str(r["index_seconds"])) for r in runs),
        "peak_rss_mb": max(float(str(r["peak_rss_mb"])) for r in runs),
    }


def main() -> None:
    rows: dict[str, dict[str, float]] = {}
    entries: dict[str, object] = {}
    sqlite_runs = [sqlite_run() for _ in range(REPEATS)]
    rows["SQLite (embedded)"] = summarise(sqlite_runs)
    entries = dict(sqlite_runs[0]["entries"])  # type: ignore[call-overload]
    pg_runs = [r for r in (postgres_run() for _ in range(REPEATS)) if r is not None]
    if pg_runs:
        rows["PostgreSQL (local server)"] = summarise(pg_runs)
    base = rows["SQLite (embedded)"]["median_seconds"]
    lines = [
        "# Bundled snapshot load",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; {REPEATS} runs per store, "
        "each into a new empty database in a child process (`benchmarks/load_bundled.py`).",
        "Load = parse + validate + one transaction per snapshot, raw archive included, then the "
        "source's history events derived from its snapshots. "
        "Index = building the in-memory screening index from the store afterwards.",
        "",
        "| store | load median (s) | load min (s) | ratio to SQLite | index build (s) | peak RSS (MB) |",
        "|---|---|---|---|---|---|",
    ]
    for name, row in rows.items():
        lines.append(
            f"| {name} | {row['median_seconds']:.1f} | {row['min_seconds']:.1f} | "
            f"{row['median_seconds'] / base:.2f} | {row['index_seconds']:.1f} | {row['peak_rss_mb']:.0f} |"
        )
    if "PostgreSQL (local server)" not in rows:
        lines.append("| PostgreSQL | not measured: no server answered | | | | |")
    lines += ["", "Entries loaded per source:", "", "| source | entries |", "|---|---|"]
    lines += [f"| {source} | {count:,} |" for source, count in sorted(entries.items())]  # type: ignore[str-format]
    text = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
