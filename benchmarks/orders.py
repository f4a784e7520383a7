"""Order screening speed on the full bundled corpus, in one process.

    .venv/bin/python benchmarks/orders.py

Measures (issue 6): orders/s for an order of 10 parties and 5 line items (parties screened against
every bundled list with their listing status on the order's date, owners through ownership edges,
lines resolved and assessed in every jurisdiction, the dated rules applied). Writes
benchmarks/results/orders.md. No open screener decides whole orders against dated rules, so there
is no peer to run beside it. The counterparty-book re-screen figure of the issue needs the book,
which is not built yet.
"""

from __future__ import annotations

import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from corpus import bundled_interlock

from interlock.ownership.graph import OwnershipEdge
from interlock.screen.order import parse_order

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "orders.md"
ROUNDS = 30
PARTIES = [
    ("buyer", "Institute of Forensic Science of the Ministry of Public Security of China", "CN"),
    ("intermediate_consignee", "Shenzhen Example Components Co", "CN"),
    ("ultimate_consignee", "Wuhan Shuokang Biological Technology", "CN"),
    ("end_user", "Hubei Amarvel Biotech Co Ltd", "CN"),
    ("freight_forwarder", "Pacific Star Logistics Ltd", "HK"),
    ("bank", "Bank of China (Hong Kong) Limited", "HK"),
    ("other", "Acme Chemical Trading LLC", "US"),
    ("other", "Joint Venture Holdings", "SG"),
    ("other", "Zhang Wei", "CN"),
    ("other", "Mohammed Al-Rawi", "AE"),
]
ITEMS = [
    "N-Phenethyl-4-piperidinone, 99%, 25 kg drum",
    "CAS 79099-07-3, 5 kg",
    "tert-butyl 4-(phenylamino)piperidine-1-carboxylate (98%)",
    "aniline 99% 200 kg",
    "propionyl chloride, 10 L",
]
OWNERSHIP = [
    OwnershipEdge(
        owner="Huawei Technologies Co., Ltd.", owned="Shenzhen Example Components Co", share=0.6
    ),
    OwnershipEdge(owner="BANCO NACIONAL DE CUBA", owned="Joint Venture Holdings", share=0.3),
    OwnershipEdge(owner="AEROCARIBBEAN AIRLINES", owned="Joint Venture Holdings", share=0.25),
]


def main() -> int:
    order = parse_order(
        {
            "id": "BENCH-1",
            "date": "2025-10-15",
            "parties": [{"role": r, "name": n, "country": c} for r, n, c in PARTIES],
            "items": [{"description": d} for d in ITEMS],
            "route": {"origin": "CN", "transit": ["HK"], "destination": "US"},
        }
    )
    with tempfile.TemporaryDirectory(prefix="interlock-orders-") as folder:
        app, load_seconds = bundled_interlock(Path(folder))
        started = time.perf_counter()
        app.matcher()
        build = time.perf_counter() - started
        first = app.screen_order(order, None, OWNERSHIP)  # warms OPSIN, RDKit and the caches
        timings = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            decision = app.screen_order(order, None, OWNERSHIP)
            timings.append(time.perf_counter() - started)
        app.engine.dispose()
    assert decision.decision == first.decision
    median = statistics.median(timings)
    reasons = sorted({(r.rule, r.outcome) for r in decision.reasons})
    text = "\n".join(
        [
            "# Order screening",
            "",
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, Python "
            f"{platform.python_version()}, one process (`benchmarks/orders.py`); the bundled corpus "
            f"loaded into a temporary SQLite in {load_seconds:.1f} s, index built in {build:.1f} s.",
            "",
            "| figure | measured |",
            "|---|---|",
            f"| orders/s, 10 parties + 3 owners + 5 lines, one core | **{1 / median:.1f}** |",
            f"| ms per order, median of {ROUNDS} (slowest) | {median * 1000:.0f} ({max(timings) * 1000:.0f}) |",
            "",
            f"The order (as of {order.date}, CN → HK → US): decision **{decision.decision}** from "
            f"{len(decision.reasons)} reasons: "
            + ", ".join(f"{rule} {outcome}" for rule, outcome in reasons)
            + ".",
            "",
            "Not measured yet: the counterparty-book re-screen (100,000 parties after a one-entry "
            "change versus a full re-screen) — the book is not built yet.",
            "",
        ]
    )
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
