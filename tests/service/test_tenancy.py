"""Organisations are tenants: what one screens, decides, imports and records, no other can read or
change, through any endpoint; the list data is shared. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from interlock.config import Settings
from interlock.core import Interlock
from tests.conftest import FIXTURES, api_client
from tests.test_api_operations import ORDER


@pytest.fixture
def two_orgs(settings: Settings) -> tuple[TestClient, TestClient, TestClient]:
    """(A's analyst, A's reviewer, B's admin) over one store with real CSL rows."""
    interlock = Interlock(settings)
    interlock.load_files(
        "csl_csv", [FIXTURES / "csl" / "csl_2022-04_cut.csv"], data_date=date(2022, 4, 28)
    )
    interlock.accounts.create_org("Org A")
    interlock.accounts.create_org("Org B")
    return (
        api_client(interlock, "analyst", "Org A"),
        api_client(interlock, "reviewer", "Org A"),
        api_client(interlock, "admin", "Org B"),
    )


def test_one_organisation_never_sees_or_changes_anothers_records(
    two_orgs: tuple[TestClient, TestClient, TestClient],
) -> None:
    a, a_reviewer, b = two_orgs
    assert a.post("/v1/orders/screen", json={"order": ORDER}).json()["decision"] == (
        "LICENCE_REQUIRED"
    )
    (alert,) = a.get("/v1/alerts").json()["items"]
    parties = [{"id": "P1", "name": "CloudWalk Technology", "country": "CN"}]
    assert a.post("/v1/book", json={"parties": parties}).json() == {"count": 1}
    a.post("/v1/book/screen", json={"full": True})
    edges = [{"owner": "CloudWalk Technology", "owned": "Quiet Holding Ltd", "share": 0.8}]
    a.post("/v1/ownership", json={"origin": "a-file", "edges": edges})
    job = a.post("/v1/book/rescreen", json={}).json()
    a_audit = a.get("/v1/audit", params={"limit": 1000}).json()["items"]

    # B reads nothing of A's
    assert b.get("/v1/alerts").json()["items"] == []
    assert b.get(f"/v1/alerts/{alert['id']}").status_code == 404
    assert b.get("/v1/orders").json()["items"] == []
    assert b.get(f"/v1/orders/{ORDER['id']}").status_code == 404
    assert b.get("/v1/book").json() == {"parties": []}
    assert b.get(f"/v1/jobs/{job['id']}").status_code == 404
    assert job["id"] not in [j["id"] for j in b.get("/v1/jobs").json()["items"]]
    b_audit = b.get("/v1/audit", params={"limit": 1000}).json()["items"]
    assert not {r["seq"] for r in b_audit} & {r["seq"] for r in a_audit}
    owner = b.get("/v1/ownership/explain", params={"name": "Quiet Holding Ltd"}).json()
    assert owner["decision"] == "CLEAR"  # A's ownership file is A's
    # … and changes nothing of A's
    assert b.post(f"/v1/alerts/{alert['id']}/assign", json={}).status_code == 404
    assert (
        b.post(f"/v1/alerts/{alert['id']}/decide", json={"outcome": "confirmed"}).status_code == 404
    )
    assert b.post(f"/v1/audit/{a_audit[0]['seq']}/hold", json={}).status_code == 404
    assert b.post("/v1/book", json={"parties": parties[:1]}).status_code == 200
    assert len(a.get("/v1/book").json()["parties"]) == 1  # A's book untouched by B's import

    # decisions are per organisation: A's false positive does not clear B's order
    assert a_reviewer.post(f"/v1/alerts/{alert['id']}/assign", json={}).status_code == 200
    closed = a_reviewer.post(
        f"/v1/alerts/{alert['id']}/decide", json={"outcome": "false_positive", "note": "other"}
    ).json()
    assert closed["state"] == "false_positive"
    assert closed["history"][-1]["actor"].startswith("key:")
    assert a.post("/v1/orders/screen", json={"order": ORDER}).json()["decision"] == "CLEAR"
    assert b.post("/v1/orders/screen", json={"order": ORDER}).json()["decision"] == (
        "LICENCE_REQUIRED"
    )
    assert len(b.get("/v1/alerts").json()["items"]) == 1

    # each organisation's audit chain verifies on its own, and counts only its own records
    a_check, b_check = a.get("/v1/audit/verify").json(), b.get("/v1/audit/verify").json()
    assert a_check["ok"] and b_check["ok"]
    assert a_check["records"] == len(a.get("/v1/audit", params={"limit": 1000}).json()["items"])
    assert b_check["records"] == len(b.get("/v1/audit", params={"limit": 1000}).json()["items"])
    assert [o["decision"] for o in a.get(f"/v1/orders/{ORDER['id']}").json()] == [
        "CLEAR",
        "LICENCE_REQUIRED",
    ]


def test_list_data_is_shared_and_only_the_operator_changes_it(
    two_orgs: tuple[TestClient, TestClient, TestClient],
) -> None:
    a, _, b = two_orgs
    assert a.get("/v1/lists").json() == b.get("/v1/lists").json()
    refused = b.post("/v1/lists/fetch", json={})  # B's admin is not the operator's
    assert refused.status_code == 403 and "operating organisation" in refused.json()["detail"]
