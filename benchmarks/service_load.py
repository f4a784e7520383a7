"""Load test of the service: `interlock serve --workers 2` on PostgreSQL, over loopback only.

    .venv/bin/python benchmarks/service_load.py

Loads the bundled lists into a private PostgreSQL schema, starts the service with two server
processes and its job worker, then runs two bounded phases of 50 concurrent clients:
  1. paced: 60 s at 250 requests/s in all: 200/s single screening, 30/s status, 20/s order
     screening (the issue's target: 0 errors, single-screening p99 ≤ 50 ms at 200 req/s);
  2. saturated: 30 s with every client sending its next request as soon as the last returns, the
     same mix, to find the most the two processes answer.
Reports requests/s, p50/p95/p99 per kind and errors; writes benchmarks/results/service.md. Nothing
leaves the machine; the schema is dropped afterwards. No open screening service with accounts and
order decisions runs here to compare with, so the figures stand alone.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx
from postgres import private_schema

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "service.md"
INTERLOCK = [sys.executable, "-m", "interlock"]
CLIENTS = 50
PACED_SECONDS = float(os.environ.get("BENCH_PACED_SECONDS", "60"))
SATURATED_SECONDS = float(os.environ.get("BENCH_SATURATED_SECONDS", "30"))
MIX = {"screen": 200, "status": 30, "order": 20}  # requests a second in the paced phase
NAMES = [
    "Institute of Forensic Science of the Ministry of Public Security of China",
    "MPS Institute of Forensic Science",
    "公安部物证鉴定中心",
    "Huawei Technologies Co Ltd",
    "Hua Wei Technologies",
    "Hebei Crovell Biotech",
    "Wuhan Shuokang Biological Technology",
    "Rosoboronexport",
    "Islamic Revolutionary Guard Corps",
    "Bank Melli Iran",
    "Acme Chemical Trading LLC",
    "Pacific Star Logistics Ltd",
    "Zhang Wei",
    "Mohammed Al-Rawi",
    "Sense Time Group",
    "China Electronics Technology Group Corporation 54th Research Institute",
    "Beijing Zhongguancun Science Park Development",
    "Joint Stock Company Kalashnikov Concern",
    "Nord Stream AG",
    "Quiet Harbour Shipping Ltd",
]
ORDER = {
    "id": "PO-LOAD",
    "date": "2024-06-01",
    "parties": [
        {"role": "buyer", "name": "Wuhan Shuokang Biological Technology", "country": "CN"},
        {"role": "freight_forwarder", "name": "Pacific Star Logistics Ltd", "country": "HK"},
    ],
    "items": [{"description": "N-Phenethyl-4-piperidinone, 99%, 25 kg drum"}],
    "route": {"origin": "US", "destination": "CN"},
}


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([*INTERLOCK, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"interlock {' '.join(args)} failed: {done.stderr[-2000:]}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def request_for(kind: str, rng: random.Random) -> tuple[str, str, dict[str, object]]:
    name = rng.choice(NAMES)
    if kind == "screen":
        return "GET", "/v1/screen", {"params": {"name": name}}
    if kind == "status":
        return "GET", "/v1/status", {"params": {"name": name, "as_of": "2024-01-01"}}
    return "POST", "/v1/orders/screen", {"json": {"order": ORDER}}


async def phase(
    base: str, key: str, seconds: float, paced: bool
) -> tuple[dict[str, list[float]], dict[str, int], float]:
    """Latencies (ms) and error counts per kind, and the wall time, for one phase."""
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    kinds = [k for k, rate in MIX.items() for _ in range(rate)]
    total_rate = sum(MIX.values())
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {key}"}, limits=limits, timeout=30
    ) as client:
        started = time.perf_counter()
        deadline = started + seconds

        async def client_loop(number: int) -> None:
            rng = random.Random(number)
            interval = CLIENTS / total_rate  # each client's share of the paced rate
            next_at = started + rng.random() * interval
            while True:
                if paced:
                    next_at += interval
                    pause = next_at - time.perf_counter()
                    if pause > 0:
                        await asyncio.sleep(pause)
                if time.perf_counter() >= deadline:
                    return
                kind = rng.choice(kinds)
                method, path, options = request_for(kind, rng)
                sent = time.perf_counter()
                try:
                    response = await client.request(method, path, **options)  # type: ignore[arg-type]
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies[kind].append((time.perf_counter() - sent) * 1000)
                if not ok:
                    errors[kind] += 1

        await asyncio.gather(*(client_loop(n) for n in range(CLIENTS)))
        wall = time.perf_counter() - started
    return latencies, errors, wall


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def table(latencies: dict[str, list[float]], errors: dict[str, int], wall: float) -> list[str]:
    rows = [
        "| kind | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    everything: list[float] = []
    for kind in MIX:
        values = latencies.get(kind, [])
        everything += values
        if not values:
            continue
        rows.append(
            f"| {kind} | {len(values):,} | {len(values) / wall:,.1f} | "
            f"{statistics.median(values):.1f} | {percentile(values, 0.95):.1f} | "
            f"{percentile(values, 0.99):.1f} | {errors.get(kind, 0)} |"
        )
    rows.append(
        f"| **all** | {len(everything):,} | {len(everything) / wall:,.1f} | "
        f"{statistics.median(everything):.1f} | {percentile(everything, 0.95):.1f} | "
        f"{percentile(everything, 0.99):.1f} | {sum(errors.values())} |"
    )
    return rows


def main() -> None:
    with private_schema() as url, tempfile.TemporaryDirectory() as folder:
        if url is None:
            sys.exit("no PostgreSQL server: nothing measured")
        (Path(folder) / "config.toml").touch()
        env = {
            **os.environ,
            "INTERLOCK_DATABASE_URL": url,
            "INTERLOCK_DATA_DIR": folder,
            "INTERLOCK_CONFIG": str(Path(folder) / "config.toml"),
            "INTERLOCK_FETCH_INTERVAL_HOURS": "0",  # loopback only: no scheduled fetch
        }
        print("loading the bundled lists into PostgreSQL …", file=sys.stderr)
        started = time.perf_counter()
        run(env, "lists", "load", "--bundled")
        load_seconds = time.perf_counter() - started
        made = json.loads(
            run(env, "admin", "create-key", "default", "--role", "analyst", "--name", "load",
                "--rate", "10000000", "--json")
        )  # fmt: skip
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [*INTERLOCK, "serve", "--workers", "2", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(600):
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.5)
            else:
                sys.exit("the service did not come up")
            headers = {"Authorization": f"Bearer {made['secret']}"}
            for _ in range(20):  # each server process answers once before the clock starts
                httpx.get(f"{base}/v1/screen", params={"name": "warm up"}, headers=headers)
            print(f"paced phase: {PACED_SECONDS:.0f} s …", file=sys.stderr)
            paced = asyncio.run(phase(base, made["secret"], PACED_SECONDS, paced=True))
            print(f"saturated phase: {SATURATED_SECONDS:.0f} s …", file=sys.stderr)
            saturated = asyncio.run(phase(base, made["secret"], SATURATED_SECONDS, paced=False))
        finally:
            server.terminate()
            server.wait(timeout=90)

    screen_p99 = percentile(paced[0]["screen"], 0.99)
    errors = sum(paced[1].values()) + sum(saturated[1].values())
    lines = [
        "# Service load test (issue 7)",
        "",
        f"`interlock serve --workers 2` with its job worker on PostgreSQL (private schema), "
        f"{CLIENTS} concurrent clients over loopback, bundled lists loaded "
        f"({load_seconds:.0f} s to load). Machine: {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; the clients run on the "
        "same cores as the server.",
        "",
        f"## Paced: {PACED_SECONDS:.0f} s at {sum(MIX.values())} requests/s "
        f"({MIX['screen']}/s single screening, {MIX['status']}/s status, {MIX['order']}/s orders)",
        "",
        *table(*paced),
        "",
        f"Target: 0 errors and single-screening p99 ≤ 50 ms at 200 req/s → "
        f"p99 **{screen_p99:.1f} ms**, errors **{errors}** (both phases): "
        + ("met." if screen_p99 <= 50 and errors == 0 else "NOT met."),
        "",
        f"## Saturated: {SATURATED_SECONDS:.0f} s, each client sends as soon as its last answer "
        "arrives",
        "",
        *table(*saturated),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
