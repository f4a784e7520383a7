"""List history: SDN version-log import time, storage per version, as-of status latency.

For SQLite and PostgreSQL each: a new database, the bundled snapshots, then the bundled history
(`lists load-history`: the 308-version OFAC SDN log and older UN, DPL and non-SDN snapshots). Then
`status(identity, as_of)` for a fixed sample of SDN identities and dates across 2021-2024 — the
question no current-list screener answers. Writes benchmarks/results/history.md.
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from postgres import private_schema

from interlock.config import DEFAULT_MATCH_THRESHOLD, Settings
from interlock.core import Interlock
from interlock.history.model import Origin
from interlock.history.sdn_log import import_log
from interlock.store.bundled import bundled_history

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "history.md"
POSTGRES = os.environ.get(
    "INTERLOCK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
QUERIES = int(os.environ.get("BENCH_QUERIES", "300"))
SDN_CSV_BYTES = 3_909_739  # sdn.csv of 2024-05-03, uncompressed


def settings(url: str, folder: Path) -> Settings:
    return Settings(
        database_url=url,
        data_dir=folder,
        match_threshold=DEFAULT_MATCH_THRESHOLD,
        fetch_timeout=5,
        fetch_retries=0,
        quarantine_drop=0.1,
    )


def measure(url: str, folder: Path) -> dict[str, float]:
    app = Interlock(settings(url, folder))
    app.load_bundled()
    logs, _older = bundled_history()
    (log_bytes,) = logs[0].raw.files.values()
    start = time.perf_counter()
    report = import_log(app.events, log_bytes)
    import_seconds = time.perf_counter() - start
    start = time.perf_counter()
    app.load_history()  # the rest of the history (the log again: idempotent replace)
    history_seconds = time.perf_counter() - start
    identities = sorted(
        {e.identity for e in app.events.events(source="us_ofac_sdn", origin=Origin.VERSION_LOG)}
    )
    rng = random.Random(20261129)
    sample = [
        (rng.choice(identities), date(2021, 8, 18) + timedelta(days=rng.randrange(0, 990)))
        for _ in range(QUERIES)
    ]
    latencies = []
    listed = 0
    for identity, as_of in sample:
        start = time.perf_counter()
        answer = app.status(identity, as_of)
        latencies.append((time.perf_counter() - start) * 1000)
        listed += answer.listed
    latencies.sort()
    return {
        "import_seconds": import_seconds,
        "history_seconds": history_seconds,
        "versions": report.versions,
        "events": report.events,
        "stored_bytes": report.stored_bytes,
        "bytes_per_version": report.bytes_per_version,
        "first_version_bytes": report.first_version_bytes,
        "bytes_per_later_version": report.bytes_per_later_version,
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "listed_share": listed / len(sample),
    }


def main() -> None:
    rows: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        rows["SQLite (embedded)"] = measure(f"sqlite:///{Path(folder) / 'h.sqlite3'}", Path(folder))
        with private_schema() as url:
            if url is not None:
                rows["PostgreSQL (local server)"] = measure(url, Path(folder))
    any_row = next(iter(rows.values()))
    lines = [
        "# List history",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()} (`benchmarks/history.py`). Status latency: {QUERIES} "
        "`status(identity, as_of)` calls, fixed random sample of SDN identities and dates 2021-08-18 to "
        "2024-05-03, through the library (store query + point-in-time evaluation).",
        "No open screener answers an as-of question at all (the CSL API, yente and Watchman screen the "
        "current list only), so there is no peer to put beside these figures.",
        "",
        "| store | SDN log import (s) | whole history load (s) | status p50 (ms) | status p99 (ms) |",
        "|---|---|---|---|---|",
    ]
    for name, row in rows.items():
        lines.append(
            f"| {name} | {row['import_seconds']:.1f} | {row['history_seconds']:.1f} | "
            f"{row['p50_ms']:.1f} | {row['p99_ms']:.1f} |"
        )
    lines += [
        "",
        f"Storage of the SDN version log ({int(any_row['versions'])} versions, {int(any_row['events']):,} events; "
        "changes only, entries re-derived from the stored rows when read):",
        "",
        "| measure | bytes | share of one sdn.csv |",
        "|---|---|---|",
        f"| all versions | {int(any_row['stored_bytes']):,} | {any_row['stored_bytes'] / SDN_CSV_BYTES:.0%} |",
        f"| per version (mean) | {any_row['bytes_per_version']:,.0f} | {any_row['bytes_per_version'] / SDN_CSV_BYTES:.1%} |",
        f"| first version (the whole list) | {int(any_row['first_version_bytes']):,} | "
        f"{any_row['first_version_bytes'] / SDN_CSV_BYTES:.0%} |",
        f"| each later version (mean) | {any_row['bytes_per_later_version']:,.0f} | "
        f"{any_row['bytes_per_later_version'] / SDN_CSV_BYTES:.2%} |",
        "",
        f"Share of sampled (identity, date) pairs listed on that date: {any_row['listed_share']:.0%}.",
    ]
    text = "\n".join(lines) + "\n"
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
