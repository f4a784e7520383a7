"""Controlled-substance screening: throughput and structure-set class counts, in one process.

    .venv/bin/python benchmarks/chem.py

Measures (issue 5): order lines per second on the identifier/synonym path, milliseconds per
structural verdict (both fentanyl classes and the US families), OPSIN milliseconds per name warm
(one long-lived Java process), and the class counts on a fentanyl-family structure set assembled
from the registry and the expected-results table of docs/precursors.md 4.2. Prints the figures and
writes benchmarks/results/chem.md. No open tool implements the legal classes (docs/precursors.md
4.5), so there is no peer to run beside it.
"""

from __future__ import annotations

import csv
import platform
import random
import shutil
import statistics
import sys
import time
from datetime import UTC, date, datetime
from importlib import metadata
from pathlib import Path

from rdkit import Chem

from interlock.chem.families import families
from interlock.chem.fentanyl_class import read_class
from interlock.chem.opsin import Opsin
from interlock.chem.registry import registry
from interlock.chem.rules import rules
from interlock.chem.screening import ChemScreener

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "chem.md"
EXPECTED = ROOT / "tests" / "chem" / "fixtures" / "fentanyl_expected_results.csv"
AS_OF = date(2026, 1, 1)
NOISE = (
    "{x}",
    "{x}, 99%, 25 kg drum",
    "{x} (98%) 1 kg bag",
    "{x} 99% min AR grade 500 g",
    "CAS: {cas} {x}",
    "{x}; HS code 2933.39; 200 kg",
)
ROUNDS = 5


def order_lines(count: int) -> list[str]:
    rng = random.Random(20261129)
    identifiers = []
    for substance in registry().substances:
        cas = substance.cas[0] if substance.cas else ""
        for x in [*substance.names, *(f"CAS {c}" for c in substance.cas), substance.inchikey]:
            identifiers.append((x, cas))
    lines = []
    while len(lines) < count:
        x, cas = rng.choice(identifiers)
        template = rng.choice(NOISE if cas else NOISE[:4])
        lines.append(template.format(x=x, cas=cas))
    return lines


def structure_set() -> list[tuple[str, str]]:
    seen: dict[str, tuple[str, str]] = {}
    with EXPECTED.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            molecule = Chem.MolFromSmiles(row["smiles"])
            seen.setdefault(Chem.MolToInchiKey(molecule), (row["name"], row["smiles"]))
    for substance in registry().substances:
        seen.setdefault(substance.inchikey, (substance.name, substance.smiles))
    return list(seen.values())


def line_speed() -> tuple[list[str], float, dict[str, int]]:
    lines = order_lines(2000)
    screener = ChemScreener(None)
    screener.answer(lines[:50], "all", AS_OF)
    rates = []
    statuses: dict[str, int] = {}
    for _ in range(ROUNDS):
        started = time.perf_counter()
        answers = screener.answer(lines, "all", AS_OF)
        rates.append(len(lines) / (time.perf_counter() - started))
    for answer in answers:
        statuses[answer.status] = statuses.get(answer.status, 0) + 1
    return lines, statistics.median(rates), statuses


def verdict_speed(structures: list[tuple[str, str]]) -> tuple[float, float]:
    molecules = [Chem.MolFromSmiles(smiles) for _, smiles in structures]
    readings = rules()
    timings = []
    for _ in range(20):
        for molecule in molecules:
            started = time.perf_counter()
            read_class(molecule, readings)
            families(molecule)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.99)]


def systematic_names() -> list[str]:
    names = []
    for substance in registry().substances:
        for name in [substance.name, *substance.synonyms]:
            if len(name) > 12 and any(c.isdigit() for c in name) and "," not in name:
                names.append(name)
    return names


def opsin_speed() -> tuple[float | None, float | None, int, int]:
    if shutil.which("java") is None:
        return None, None, 0, 0
    names = systematic_names()
    with Opsin() as opsin:
        started = time.perf_counter()
        opsin.to_smiles(names[:1])
        first = (time.perf_counter() - started) * 1000
        batch = names * max(1, 400 // len(names))
        rates = []
        parsed = 0
        for _ in range(ROUNDS):
            started = time.perf_counter()
            answers = opsin.to_smiles(batch)
            rates.append((time.perf_counter() - started) * 1000 / len(batch))
            parsed = sum(a is not None for a in answers[: len(names)])
    return first, statistics.median(rates), parsed, len(names)


def class_counts(structures: list[tuple[str, str]]) -> dict[str, int]:
    counts = {
        "both classes": 0,
        "China only": 0,
        "US only": 0,
        "fentanyl itself": 0,
        "core, neither class": 0,
        "no core": 0,
    }
    for _, smiles in structures:
        reading = read_class(Chem.MolFromSmiles(smiles), rules())
        us, cn = reading["us"], reading["cn"]
        if us.in_class and cn.in_class:
            counts["both classes"] += 1
        elif cn.in_class:
            counts["China only"] += 1
        elif us.in_class:
            counts["US only"] += 1
        elif us.is_fentanyl:
            counts["fentanyl itself"] += 1
        elif us.core:
            counts["core, neither class"] += 1
        else:
            counts["no core"] += 1
    return counts


def main() -> int:
    structures = structure_set()
    print("order lines …", file=sys.stderr)
    lines, rate, statuses = line_speed()
    print("structural verdicts …", file=sys.stderr)
    verdict_p50, verdict_p99 = verdict_speed(structures)
    print("OPSIN …", file=sys.stderr)
    first, warm, parsed, names = opsin_speed()
    counts = class_counts(structures)
    families_hit = sum(bool(families(Chem.MolFromSmiles(s))) for _, s in structures)
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("interlock", "rdkit", "py2opsin"))
    opsin_line = (
        f"| OPSIN, warm, per name | {warm:.2f} ms | ≤ 10 ms |"
        if warm is not None
        else "| OPSIN | not measured: no Java runtime | ≤ 10 ms |"
    )
    text = "\n".join(
        [
            "# Controlled-substance screening",
            "",
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
            f"Python {platform.python_version()}, one process (`benchmarks/chem.py`). {versions}. "
            f"Registry {registry().version}, rules {rules().digest}; as of {AS_OF}, all "
            "jurisdictions.",
            "",
            "| figure | measured | target |",
            "|---|---|---|",
            f"| order lines/s, identifier and synonym path | **{rate:,.0f}** | ≥ 1,000 |",
            f"| structural verdict (US + CN class, US families), per structure | "
            f"**{verdict_p50:.2f} ms** p50, {verdict_p99:.2f} ms p99 | ≤ 2 ms |",
            opsin_line,
            "",
            f"Order lines: {len(lines):,} lines made from every registry identifier (names, "
            "synonyms, abbreviations, CAS, InChIKey) with trade noise (purity, quantity, "
            "packaging, grade, `CAS:` labels, HS codes), median of "
            f"{ROUNDS} passes through `ChemScreener.answer` (resolution, listings, families and "
            f"both classes for every line; OPSIN off). Statuses: "
            + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
            + ".",
            "",
            "OPSIN: "
            + (
                f"first name {first:.0f} ms (JVM start), then {warm:.2f} ms per name over "
                f"batches of the registry's {names} systematic names repeated ({parsed}/{names} "
                "parsed)."
                if warm is not None and first is not None
                else "Java is not on this machine."
            ),
            "",
            f"## Class counts on the structure set ({len(structures)} unique structures)",
            "",
            "The set: the 26 structures of the expected-results table (docs/precursors.md 4.2: "
            "analogues, precursors, fused and 4-aryl near misses, non-fentanyl opioids) and every "
            "registry row, one per InChIKey.",
            "",
            "| reading | structures |",
            "|---|---|",
            *(f"| {k} | {v} |" for k, v in counts.items()),
            f"| in a US family (4-AP or 4-piperidone, parents included) | {families_hit} |",
            "",
        ]
    )
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
