"""Load test of the service: `interlock serve --workers 2` on PostgreSQL, over loopback only.

    .venv/bin/python benchmarks/service_load.py

Loads the bundled lists into a private PostgreSQL schema, starts the service with two server
processes and its job worker, then runs three bounded phases of 50 concurrent clients:
  1. paced: 60 s at 250 requests/s in all: 200/s single screening, 30/s status, 20/s order
     screening (the issue's target: 0 errors, single-screening p99 ≤ 50 ms at 200 req/s);
  2. light: 30 s at 40 % of those rates (100 requests/s), the latency below saturation;
  3. saturated: 30 s with every client sending its next request as soon as the last returns, the
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
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode

import httpx
from postgres import private_schema

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "service.md"
INTERLOCK = [sys.executable, "-m", "interlock"]
CLIENTS = 50
PACED_SECONDS = float(os.environ.get("BENCH_PACED_SECONDS", "60"))
SATURATED_SECONDS = float(os.environ.get("BENCH_SATURATED_SECONDS", "30"))
LIGHT_SECONDS = float(os.environ.get("BENCH_LIGHT_SECONDS", "30"))
LIGHT_SHARE = 0.4
REQUESTS_PER_CONNECTION = int(os.environ.get("BENCH_REQUESTS_PER_CONNECTION", "20"))
# requests a second in the paced phase; BENCH_MIX=screen=200,status=0,order=0 to try others
MIX = {"screen": 200, "status": 30, "order": 20} | {
    kind: int(rate)
    for kind, _, rate in (
        part.partition("=") for part in os.environ.get("BENCH_MIX", "").split(",") if part
    )
}
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
LISTED = [
    "Ministry of Public Security's Institute of Forensic Science of China",
    "Huawei Technologies Co Ltd",
    "Rosoboronexport",
    "Islamic Revolutionary Guard Corps",
    "Bank Melli Iran",
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


ANSWERS: Counter[str] = Counter()  # every answer other than 200, by kind and status


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([*INTERLOCK, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"interlock {' '.join(args)} failed: {done.stderr[-2000:]}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def request_for(kind: str, rng: random.Random) -> tuple[str, str, bytes]:
    """(method, path with query, JSON body or b"")."""
    if kind == "screen":
        return "GET", "/v1/screen?" + urlencode({"name": rng.choice(NAMES)}), b""
    if kind == "status":  # parties that are (or were) listed: status answers 404 for the others
        query = urlencode({"name": rng.choice(LISTED), "as_of": "2023-06-01"})
        return "GET", "/v1/status?" + query, b""
    return "POST", "/v1/orders/screen", json.dumps({"order": ORDER}).encode()


class Connection:
    """A minimal HTTP/1.1 keep-alive client: the load generator shares the server's two cores,
    so it spends as little of them as it can (a general client costs several times more)."""

    def __init__(self, port: int, key: str) -> None:
        self.port = port
        self.auth = f"Authorization: Bearer {key}\r\n".encode()
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(self, method: str, path: str, body: bytes) -> int:
        if self.streams is None:
            self.streams = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self.streams
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode() + self.auth
        if body:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n".encode()
        writer.write(head + b"\r\n" + body)
        status_line = await reader.readline()
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        await reader.readexactly(length)
        return int(status_line.split()[1])

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def phase(
    port: int, key: str, seconds: float, paced: bool, share: float = 1.0
) -> tuple[dict[str, list[float]], dict[str, int], float]:
    """Latencies (ms) and error counts per kind, and the wall time, for one phase (paced: at
    `share` of the MIX rates)."""
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    kinds = [k for k, rate in MIX.items() for _ in range(rate)]
    total_rate = sum(MIX.values())
    started = time.perf_counter()
    deadline = started + seconds

    async def client_loop(number: int) -> None:
        rng = random.Random(number)
        interval = CLIENTS / (total_rate * share)  # each client's share of the paced rate
        next_at = started + rng.random() * interval
        connection = Connection(port, key)
        sent_on_connection = 0
        while True:
            if paced:
                next_at += interval
                pause = next_at - time.perf_counter()
                if pause > 0:
                    await asyncio.sleep(pause)
            if time.perf_counter() >= deadline:
                await connection.close()
                return
            if sent_on_connection == REQUESTS_PER_CONNECTION:
                # a fresh connection now and then lets the kernel spread the clients over both
                # server processes, as many independent clients would be
                await connection.close()
                sent_on_connection = 0
            kind = rng.choice(kinds)
            method, path, body = request_for(kind, rng)
            sent = time.perf_counter()
            try:
                status = str(await connection.request(method, path, body))
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
                status = type(exc).__name__
                await connection.close()
            sent_on_connection += 1
            latencies[kind].append((time.perf_counter() - sent) * 1000)
            if status != "200":
                errors[kind] += 1
                ANSWERS[f"{kind} {status}"] += 1

    await asyncio.gather(*(client_loop(n) for n in range(CLIENTS)))
    return latencies, errors, time.perf_counter() - started


def warm_up(base: str, key: str) -> None:
    """Until both server processes answer: 40 requests at once of every kind the phases send,
    each under a second, twice in a row (a process still building its index leaves its share of
    them waiting for tens of seconds; the first order starts the chemistry tools; on a slow
    machine 40 requests on two processes take a few hundred ms anyway)."""
    headers = {"Authorization": f"Bearer {key}"}
    rng = random.Random(0)

    async def round_of_requests() -> float:
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as client:

            async def one(kind: str) -> float:
                method, path, body = request_for(kind, rng)
                sent = time.perf_counter()
                await client.request(
                    method, path, content=body or None,
                    headers={"Content-Type": "application/json"} if body else None,
                )  # fmt: skip
                return time.perf_counter() - sent

            kinds = [kind for _ in range(40 // len(MIX)) for kind in MIX]
            return max(await asyncio.gather(*(one(kind) for kind in kinds)))

    settled = 0
    for _ in range(120):
        settled = settled + 1 if asyncio.run(round_of_requests()) < 1.0 else 0
        if settled == 2:
            return
        time.sleep(1)
    sys.exit("the service did not settle")


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
            warm_up(base, made["secret"])
            print(f"paced phase: {PACED_SECONDS:.0f} s …", file=sys.stderr)
            paced = asyncio.run(phase(port, made["secret"], PACED_SECONDS, paced=True))
            print(f"light phase: {LIGHT_SECONDS:.0f} s …", file=sys.stderr)
            light = asyncio.run(
                phase(port, made["secret"], LIGHT_SECONDS, paced=True, share=LIGHT_SHARE)
            )
            print(f"saturated phase: {SATURATED_SECONDS:.0f} s …", file=sys.stderr)
            saturated = asyncio.run(phase(port, made["secret"], SATURATED_SECONDS, paced=False))
        finally:
            server.terminate()
            server.wait(timeout=90)

    screen_p99 = percentile(paced[0]["screen"], 0.99)
    errors = sum(paced[1].values()) + sum(light[1].values()) + sum(saturated[1].values())
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
        f"p99 **{screen_p99:.1f} ms**, errors **{errors}** (all phases): "
        + ("met." if screen_p99 <= 50 and errors == 0 else "NOT met."),
        "",
        f"## Light: {LIGHT_SECONDS:.0f} s at {LIGHT_SHARE:.0%} of those rates "
        f"({sum(MIX.values()) * LIGHT_SHARE:.0f} requests/s)",
        "",
        *table(*light),
        "",
        f"## Saturated: {SATURATED_SECONDS:.0f} s, each client sends as soon as its last answer "
        "arrives",
        "",
        *table(*saturated),
        "",
        "Answers other than 200: "
        + (", ".join(f"{k}: {v}" for k, v in sorted(ANSWERS.items())) or "none")
        + ".",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
