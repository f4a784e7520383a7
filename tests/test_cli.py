"""The command line, run as a user runs it, on a private SQLite database."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

CUT = FIXTURES / "csl" / "csl_2022-04_cut.csv"


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "INTERLOCK_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "INTERLOCK_CONFIG": str(tmp_path / "config.toml"),
        "PATH": "/usr/bin:/bin",
        "COLUMNS": "200",
    }
    (tmp_path / "config.toml").touch()
    return subprocess.run(
        [sys.executable, "-m", "interlock", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def load_cut(tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """The CSL cut loaded through the command line into `tmp_path`'s database."""
    result = run(tmp_path, "lists", "load", "--format", "csl_csv", str(CUT), "--json")
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    result = load_cut(tmp_path)
    [row] = json.loads(result.stdout)
    assert row["entry_count"] == 24 and row["created"] is True
    return tmp_path


def test_screen_json_and_table(loaded: Path) -> None:
    result = run(
        loaded,
        "screen",
        "Ministry of Public Security?s Institute of Forensic Science of China",
        "--json",
        "--limit",
        "3",
    )
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["matches"][0]["match"] is True
    assert body["matches"][0]["lists"] == ["EL"]
    table = run(loaded, "screen", "CloudWalk Technology")
    assert "CloudWalk" in table.stdout and table.returncode == 0
    # each match says why in one line: the alias met and how its words aligned
    why = " ".join(table.stdout.lower().split())
    assert re.search(r"'[^']*cloudwalk[^']*': [^;]*\bcloudwalk\b", why), why


def test_lists_info_json(loaded: Path) -> None:
    result = run(loaded, "lists", "info", "--json")
    [info] = json.loads(result.stdout)
    assert (info["source"], info["entries"], info["status"]) == ("us_csl", 24, "accepted")


def test_screen_batch_writes_one_line_per_row_in_order(loaded: Path) -> None:
    batch = loaded / "parties.csv"
    batch.write_text(
        "party,kind\nCloudWalk Technology,Organization\n,Organization\nNetPosa,Planet\n"
    )
    out = loaded / "out.jsonl"
    result = run(
        loaded,
        "screen-batch",
        str(batch),
        "--name-column",
        "party",
        "--schema-column",
        "kind",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["line"] for line in lines] == [2, 3, 4]
    assert lines[0]["matches"][0]["name"].startswith("CloudWalk")
    assert "error" in lines[1] and "error" in lines[2] and "Planet" in lines[2]["error"]
    assert "2 errors" in result.stdout


def test_bad_inputs_fail_cleanly(tmp_path: Path) -> None:
    for args, message in [
        (("screen", "x", "--as-of", "2020-02-30"), "--as-of must be a date"),
        (("lists", "load"), "either --bundled or FILES"),
        (("lists", "load", "--format", "nope", str(CUT)), "unknown format 'nope'"),
        (("lists", "load", "--format", "csl_csv", str(tmp_path / "missing.csv")), "no such file"),
        (("lists", "load", "--format", "un_xml", str(CUT)), "error:"),
        (
            ("screen-batch", str(CUT), "--name-column", "nope", "--out", str(tmp_path / "o")),
            "no column 'nope'",
        ),
        (("lists", "accept", "99", "--reason", "x"), "no snapshot with id 99"),
    ]:
        result = run(tmp_path, *args)
        assert result.returncode != 0, args
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr, args


def test_a_bad_rescreen_setting_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('rescreen_on_change = "maybe"\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "interlock", "lists", "info"],
        capture_output=True, text=True, timeout=120, check=False,
        env={"INTERLOCK_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}",
             "INTERLOCK_CONFIG": str(tmp_path / "config.toml"), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode != 0 and "RESCREEN_ON_CHANGE must be true or false" in result.stderr
