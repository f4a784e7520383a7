"""The bundled snapshots, loaded as `make run` loads them, and the service answering over HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from interlock.config import Settings
from interlock.core import Interlock
from interlock.history.model import Origin
from interlock.store.bundled import provenance

EXPECTED_ENTRIES = {
    "us_csl": 14160,
    "us_ofac_sdn": 14965,
    "us_ofac_cons": 442,
    "un_sc": 1003,
    "gb_uk": 6046,
    "us_bis_dpl": 547,  # 665 rows: one entry per denial order
    "us_fr": 1016,
}
IFS_NAME = "Ministry of Public Security's Institute of Forensic Science of China"
IFS_ID = "us_csl:EL:aae680d264a18c38121789996cf8c9764c85559f"
IFS_FAMILY = (
    ("Institute of Forensic Science of the Ministry of Public Security of China", True),
    ("MPS Institute of Forensic Science", True),
    (
        "Forensic Identification Center of the Ministry of Public Security of the People's "
        "Republic of China",
        True,
    ),
    ("公安部物证鉴定中心", True),
    ("Shanghai Institute of Forensic Science", False),
    ("Ministry of Public Security", False),
)


def test_load_bundled_counts_and_idempotence(settings: Settings) -> None:
    interlock = Interlock(settings)
    first = interlock.load_bundled()
    assert all(result.created for result in first)
    infos = {info.source: info for info in interlock.lists_info()}
    assert {source: info.entries for source, info in infos.items()} == EXPECTED_ENTRIES
    described = {s.source: s for s in provenance().snapshots}
    for source, info in infos.items():
        assert info.data_date == described[source].data_date
        assert info.origin == "bundled"
    assert infos["us_bis_dpl"].rows == 665
    assert not any(result.created for result in interlock.load_bundled())
    documents = interlock.list_events(Origin.FEDERAL_REGISTER)
    assert len([e for e in documents if e.identity.startswith("us_fr:")]) == 1104
    removal = next(e for e in documents if e.document_number == "2023-25557")
    assert (removal.action.value, removal.recorded_at) == ("remove", date(2023, 11, 17))
    sdn = next(s for s in interlock.store.snapshots() if s.source == "us_ofac_sdn")
    assert any("not attached" in issue.message for issue in sdn.issues)


def test_load_history_answers_past_dates(settings: Settings) -> None:
    interlock = Interlock(settings)
    interlock.load_bundled()
    report = interlock.load_history()
    [log] = report.logs
    assert (log.versions, log.events) == (308, 17945)
    assert {(i.source, str(i.data_date)) for i in report.items if i.kind == "snapshot"} == {
        ("un_sc", "2018-06-07"),
        ("un_sc", "2018-10-29"),
        ("us_bis_dpl", "2019-06-12"),
        ("us_ofac_cons", "2018-04-06"),
    }
    # the older snapshots are history: the bundled current ones stay current, none quarantined
    infos = interlock.lists_info()
    assert {i.source: i.entries for i in infos} == EXPECTED_ENTRIES
    assert not any(i.quarantined_snapshots for i in infos)
    # Wuhan Shuokang, designated under EO 14059 on 2023-04-14, from the SDN version log
    wuhan = "us_ofac_sdn:41299"
    assert not interlock.status(wuhan, date(2023, 4, 13)).listed
    listed = interlock.status(wuhan, date(2023, 4, 14))
    assert listed.listed and listed.listings[0].since == date(2023, 4, 14)
    diff = interlock.diff("un_sc", "2018-06-07", "2018-10-29")
    assert (len(diff.added), len(diff.removed), len(diff.changed)) == (11, 16, 17)
    un = interlock.diff("un_sc", "2018-10-29", "2026-02-27")
    assert un.removed and un.added
    timeline = interlock.timeline("un_sc:6907993")
    assert [str(a.data_date) for a in timeline.appearances] == [
        "2018-06-07",
        "2018-10-29",
        "2026-02-27",
    ]
    assert timeline.listed and timeline.listings[0].since == date(2012, 12, 31)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_cli_load_then_serve_answers_the_ifs_query(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "INTERLOCK_DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "INTERLOCK_CONFIG": str(tmp_path / "config.toml"),
    }
    (tmp_path / "config.toml").touch()
    cli = [sys.executable, "-m", "interlock"]
    loaded = subprocess.run(
        [*cli, "lists", "load", "--bundled", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert loaded.returncode == 0, loaded.stderr
    info = subprocess.run(
        [*cli, "lists", "info", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert {i["source"]: i["entries"] for i in json.loads(info.stdout)} == EXPECTED_ENTRIES
    port = _free_port()
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port)],
        env=env | {"COLUMNS": "300"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        key = ""
        while not key.startswith("ilk_"):  # the first start prints an admin key
            key = server.stdout.readline().strip()
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
        base = f"http://127.0.0.1:{port}"
        # generous: a busy machine (a parallel test run) builds the index slowly; this waits
        # for the service, it times nothing
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                server.terminate()  # its stderr ends only when it does
                _, stderr = server.communicate(timeout=30)
                pytest.fail(f"the service did not start: {stderr}")
            time.sleep(0.3)
        headers = {"Authorization": f"Bearer {key}"}
        body = httpx.get(
            f"{base}/v1/screen?name={quote(IFS_NAME)}", headers=headers, timeout=60
        ).json()
        top = body["matches"][0]
        assert top["name"] == IFS_NAME and top["match"] is True and top["lists"] == ["EL"]
        assert top["entity_id"] == IFS_ID
        # the IFS family (issue 4): its other names match the entry, look-alikes do not
        for name, found in IFS_FAMILY:
            answer = httpx.get(f"{base}/v1/screen?name={quote(name)}", headers=headers, timeout=60)
            matched = [m["entity_id"] for m in answer.json()["matches"] if m["match"]]
            assert (matched[:1] == [IFS_ID]) if found else (IFS_ID not in matched), name
        assert httpx.get(f"{base}/docs", timeout=10).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
