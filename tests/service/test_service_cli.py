"""`interlock admin …`, `--org`, `interlock worker` and `interlock serve` from the command line."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.test_api_operations import ORDER
from tests.test_cli import load_cut, run


def test_admin_commands_and_acting_for_an_organisation(tmp_path: Path) -> None:
    load_cut(tmp_path)
    assert run(tmp_path, "admin", "create-org", "Acme").returncode == 0
    again = run(tmp_path, "admin", "create-org", "Acme")
    assert again.returncode == 2 and "exists already" in again.stderr
    made = run(tmp_path, "admin", "create-key", "Acme", "--role", "analyst", "--json")
    assert made.returncode == 0, made.stderr
    secret = json.loads(made.stdout)["secret"]
    keys = run(tmp_path, "admin", "keys", "Acme", "--json")
    assert secret not in keys.stdout and json.loads(keys.stdout)[0]["role"] == "analyst"
    bad_role = run(tmp_path, "admin", "create-key", "Acme", "--role", "superuser")
    assert bad_role.returncode == 2
    unknown = run(tmp_path, "--org", "Nobody", "audit", "verify")
    assert unknown.returncode == 1 and "no organisation 'Nobody'" in unknown.stderr

    order = tmp_path / "order.json"
    order.write_text(json.dumps(ORDER), encoding="utf-8")
    assert run(tmp_path, "--org", "Acme", "order", "screen", str(order)).returncode == 0
    acme = json.loads(run(tmp_path, "--org", "Acme", "audit", "list", "--json").stdout)
    default = json.loads(run(tmp_path, "audit", "list", "--json").stdout)
    assert [r["action"] for r in acme] == ["order.screen"]
    assert "order.screen" not in [r["action"] for r in default]
    revoked = run(
        tmp_path, "admin", "revoke-key", "Acme", str(json.loads(made.stdout)["key"]["id"])
    )
    assert revoked.returncode == 0 and "revoked" in revoked.stdout


def test_serve_refuses_several_workers_on_sqlite(tmp_path: Path) -> None:
    result = run(tmp_path, "serve", "--workers", "2")
    assert result.returncode == 2 and "PostgreSQL" in result.stderr


def test_serve_prints_a_first_key_and_runs_its_job_worker(tmp_path: Path) -> None:
    load_cut(tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        "INTERLOCK_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "INTERLOCK_CONFIG": str(tmp_path / "config.toml"),
        "INTERLOCK_FETCH_INTERVAL_HOURS": "0",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "COLUMNS": "300",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "interlock", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        lines = []
        while not any(line.startswith("ilk_") for line in lines):
            lines.append(server.stdout.readline().strip())
            assert server.poll() is None, lines
        key = next(line for line in lines if line.startswith("ilk_"))
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        headers = {"Authorization": f"Bearer {key}"}
        assert httpx.get(f"{base}/v1/me", headers=headers).json()["role"] == "admin"
        job = httpx.post(f"{base}/v1/book/rescreen", json={}, headers=headers).json()
        for _ in range(60):  # the job worker beside the server takes it
            state = httpx.get(f"{base}/v1/jobs/{job['id']}", headers=headers).json()["state"]
            if state == "done":
                break
            time.sleep(0.5)
        assert state == "done"
        (job_worker,) = children(server.pid, "worker")
    finally:
        server.terminate()
        server.wait(timeout=30)
    for _ in range(40):  # the job worker stops once its server is gone
        if not Path(f"/proc/{job_worker}").exists():
            break
        time.sleep(0.5)
    assert not Path(f"/proc/{job_worker}").exists()


def children(parent: int, word: str) -> list[int]:
    """Processes started by `parent` whose command line has `word` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if int(fields[1]) == parent and word.encode() in command:
            found.append(int(stat.parent.name))
    return found
