"""`interlock chem`, `chem-batch` and the /v1/chem endpoints: the same answers, thin shells."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from interlock.config import Settings
from interlock.core import Interlock
from tests.conftest import api_client
from tests.test_cli import run


def test_chem_json_and_terminal(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        "chem",
        "CAS 79099-07-3",
        "--jurisdiction",
        "US",
        "--as-of",
        "2024-01-01",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["status"] == "controlled"
    assert answer["resolved"]["method"] == "cas" and answer["resolved"]["cas"] == "79099-07-3"
    listing, family = answer["verdicts"]
    assert (listing["basis"], listing["controlled"], listing["since"]) == (
        "listing",
        False,
        "2025-10-02",
    )
    assert (family["basis"], family["since"], family["clauses"]) == (
        "family",
        "2023-05-12",
        ["carbamate"],
    )
    table = run(tmp_path, "chem", "4-AP", "--jurisdiction", "CN", "--as-of", "2024-08-31")
    assert table.returncode == 0 and "NOT_CONTROLLED" in table.stdout
    assert "not yet on 2024-08-31" in table.stdout


def test_chem_bad_input_exits_non_zero_with_a_message(tmp_path: Path) -> None:
    bad_cas = run(tmp_path, "chem", "CAS 1609-66-5")
    assert bad_cas.returncode == 1 and "UNRESOLVED" in bad_cas.stdout
    assert "check digit" in bad_cas.stderr
    bad_place = run(tmp_path, "chem", "NPP", "--jurisdiction", "Mars")
    assert bad_place.returncode == 2 and "unknown jurisdiction" in bad_place.stderr
    bad_date = run(tmp_path, "chem", "NPP", "--as-of", "2024-13-01")
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in bad_date.stderr


def test_chem_batch_writes_one_answer_per_row_in_order(tmp_path: Path) -> None:
    book = tmp_path / "lines.csv"
    with book.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["po", "item"])
        writer.writerows([["1", "NPP 25 kg"], ["2", ""], ["3", "aniline"], ["4", "CAS 1609-66-5"]])
    target = tmp_path / "out.jsonl"
    result = run(
        tmp_path,
        "chem-batch",
        str(book),
        "--column",
        "item",
        "--out",
        str(target),
        "--as-of",
        "2024-01-01",
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in target.read_text("utf-8").splitlines()]
    assert [r["line"] for r in rows] == [2, 3, 4, 5]
    assert [r.get("status") for r in rows] == ["controlled", None, "not_controlled", "unresolved"]
    assert rows[1]["error"] == "item: empty"
    assert not list(tmp_path.glob("*.part"))
    missing = run(tmp_path, "chem-batch", str(book), "--column", "nope", "--out", str(target))
    assert missing.returncode == 2 and "no column 'nope'" in missing.stderr


def test_chem_endpoints(settings: Settings) -> None:
    client = api_client(Interlock(settings))
    one = client.get("/v1/chem", params={"q": "4-AP", "jurisdiction": "CN", "as_of": "2024-09-01"})
    assert one.status_code == 200 and one.json()["status"] == "controlled"
    many = client.post(
        "/v1/chem", json={"items": ["NPP", "aniline"], "jurisdiction": "US", "as_of": "2024-01-01"}
    )
    assert [r["status"] for r in many.json()["results"]] == ["controlled", "not_controlled"]
    assert client.get("/v1/chem", params={"q": "NPP", "jurisdiction": "XX"}).status_code == 422
    assert client.post("/v1/chem", json={"items": []}).status_code == 422
    assert client.post("/v1/chem", json={"items": ["  "]}).status_code == 422
