"""The service skeleton over a store loaded with real CSL rows."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from interlock.config import Settings
from interlock.core import Interlock
from tests.conftest import FIXTURES, api_client

IFS_NAME = "Ministry of Public Security's Institute of Forensic Science of China"
IFS_ID = "us_csl:EL:aae680d264a18c38121789996cf8c9764c85559f"


@pytest.fixture
def client(settings: Settings) -> TestClient:
    interlock = Interlock(settings)
    interlock.load_files("csl_csv", [FIXTURES / "csl" / "csl_2022-04_cut.csv"])
    return api_client(interlock)


def test_screen_finds_ifs_with_the_contract_fields(client: TestClient) -> None:
    response = client.get(f"/v1/screen?name={quote(IFS_NAME)}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"query", "as_of", "data_version", "scorer", "threshold", "matches"}
    top = body["matches"][0]
    assert set(top) >= {
        "entity_id",
        "source",
        "lists",
        "schema",
        "name",
        "aliases",
        "matched_name",
        "score",
        "match",
        "explanation",
    }
    assert top["entity_id"] == IFS_ID and top["match"] is True and top["lists"] == ["EL"]
    scores = [m["score"] for m in body["matches"]]
    assert scores == sorted(scores, reverse=True)
    assert all(m["match"] == (m["score"] >= body["threshold"]) for m in body["matches"])


def test_screen_explains_and_takes_an_identifier_alone(client: TestClient) -> None:
    top = client.get(f"/v1/screen?name={quote(IFS_NAME)}").json()["matches"][0]
    assert top["explanation"]["aliases"][0]["alignment"]
    assert top["explanation"]["summary"].startswith("'")
    assert client.get("/v1/screen").status_code == 422
    assert client.get("/v1/screen?id=USCC:0000").status_code == 200


def test_screen_as_of_before_listing_excludes_the_entry(client: TestClient) -> None:
    body = client.get(f"/v1/screen?name={quote(IFS_NAME)}&as_of=2020-06-04").json()
    assert IFS_ID not in [m["entity_id"] for m in body["matches"]]
    body = client.get(f"/v1/screen?name={quote(IFS_NAME)}&as_of=2020-06-05").json()
    assert body["matches"][0]["entity_id"] == IFS_ID


def test_batch_keeps_order_and_limits_size(client: TestClient) -> None:
    queries = [{"name": IFS_NAME}, {"name": "CloudWalk Technology", "schema": "Organization"}]
    response = client.post("/v1/screen", json={"queries": queries})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["query"]["name"] for r in results] == [IFS_NAME, "CloudWalk Technology"]
    too_many = client.post("/v1/screen", json={"queries": [{"name": "x"}] * 1001})
    assert too_many.status_code == 422


def test_entities_lists_health_and_errors(client: TestClient) -> None:
    entity = client.get(f"/v1/entities/{IFS_ID}")
    assert entity.status_code == 200 and entity.json()["citations"][0]["raw"] == "85 FR 34505"
    assert client.get("/v1/entities/us_csl:nope").status_code == 404
    lists = client.get("/v1/lists").json()
    assert [(item["source"], item["entries"]) for item in lists] == [("us_csl", 24)]
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.get("/v1/screen?name=x&schema=Planet").status_code == 422
    assert client.get("/v1/screen?name=x&as_of=2020-13").status_code == 422
    assert client.get("/openapi.json").json()["info"]["title"] == "interlock"
