"""Spreadsheet-safe CSV output: a cell that a spreadsheet would run as a formula is neutralised."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from interlock.exports import safe_cell
from tests.conftest import FIXTURES


def test_formula_cells_are_neutralised() -> None:
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert (
        safe_cell("+1") == "'+1"
        and safe_cell("-2") == "'-2"
        and safe_cell("@SUM(A1)") == "'@SUM(A1)"
    )
    assert safe_cell("Huawei") == "Huawei" and safe_cell(None) == ""
    assert json.loads(safe_cell(["a", "b"])) == ["a", "b"]


def test_cli_diff_csv_and_json(tmp_path: Path) -> None:
    original = (FIXTURES / "csl" / "csl_2022-04_cut.csv").read_text()
    changed = original.replace(
        "For all items subject to the EAR.", "=For all items subject to the EAR.", 1
    )
    (tmp_path / "new.csv").write_text(changed)
    (tmp_path / "config.toml").touch()
    env = {
        "INTERLOCK_DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite3'}",
        "INTERLOCK_CONFIG": str(tmp_path / "config.toml"),
        "PATH": "/usr/bin:/bin",
    }

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "interlock", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )

    assert (
        cli(
            "lists",
            "load",
            "--format",
            "csl_csv",
            str(FIXTURES / "csl" / "csl_2022-04_cut.csv"),
            "--data-date",
            "2022-04-28",
        ).returncode
        == 0
    )
    assert (
        cli(
            "lists",
            "load",
            "--format",
            "csl_csv",
            str(tmp_path / "new.csv"),
            "--data-date",
            "2022-05-01",
        ).returncode
        == 0
    )
    as_json = json.loads(
        cli("diff", "us_csl", "--from", "2022-04-28", "--to", "2022-05-01", "--json").stdout
    )
    assert as_json["matched"] == 24 and not as_json["added"] and not as_json["removed"]
    [item] = as_json["changed"]
    assert [c["field"] for c in item["changes"]] == ["license_requirement"]
    done = cli(
        "diff", "us_csl", "--from", "1", "--to", "2", "--csv", "--out", str(tmp_path / "d.csv")
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "d.csv").read_text())))
    assert [(r["change"], r["field"]) for r in rows] == [("CHANGED", "license_requirement")]
    assert rows[0]["after"].startswith("'=")
    missing = cli("diff", "us_csl", "--from", "1", "--to", "9")
    assert missing.returncode != 0 and "no snapshot '9'" in missing.stderr
