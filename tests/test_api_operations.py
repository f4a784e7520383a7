"""The service's operational endpoints (orders, alerts, book, ownership, audit) and its errors as
RFC 9457 problem details with request ids, over real CSL rows."""

from __future__ import annotations

import logging
import logging.config
from datetime import date

import pytest
import uvicorn.config
from fastapi.testclient import TestClient

from interlock.api.pagination import make_cursor
from interlock.api.problems import PROBLEM_BASE as PROBLEMS
from interlock.cli.service import server_logging
from interlock.config import Settings
from interlock.core import Interlock
from tests.conftest import FIXTURES, api_client

ORDER = {
    "id": "PO-API",
    "date": "2024-06-01",
    "parties": [{"role": "buyer", "name": "CloudWalk Technology", "country": "CN"}],
    "items": [{"description": "aniline 99%, 200 kg"}],
    "route": {"origin": "US", "destination": "CN"},
}


@pytest.fixture
def client(settings: Settings) -> TestClient:
    interlock = Interlock(settings)
    interlock.load_files(
        "csl_csv", [FIXTURES / "csl" / "csl_2022-04_cut.csv"], data_date=date(2022, 4, 28)
    )
    return api_client(interlock)


def test_errors_are_problem_details_with_the_request_id(client: TestClient) -> None:
    response = client.post(
        "/v1/orders/screen",
        json={"order": ORDER | {"parties": []}},
        headers={"X-Request-ID": "abc-123"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith("/problems/invalid-order") and body["status"] == 422
    assert body["request_id"] == "abc-123" == response.headers["X-Request-ID"]
    assert body["instance"] == "/v1/orders/screen" and "parties" in body["detail"]
    generated = client.get("/v1/chem", params={"q": "NPP", "jurisdiction": "Mars"})
    assert generated.json()["type"].endswith("/invalid-chemical-query")
    assert len(generated.headers["X-Request-ID"]) == 32  # a new id where none was offered
    invalid = client.get("/v1/screen", params={"limit": 0, "name": "x"})
    assert (
        invalid.json()["type"].endswith("/invalid-request") and "limit" in invalid.json()["detail"]
    )
    assert client.get("/v1/healthz-nope").json()["type"].endswith("/not-found")


def test_the_server_logs_each_request_with_its_id(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    """`interlock serve` configures logging so: one access line per request, with its id."""
    configured = ("interlock", "uvicorn", "uvicorn.error", "uvicorn.access")
    before = {
        name: (list(logger.handlers), logger.level, logger.propagate)
        for name in configured
        for logger in [logging.getLogger(name)]
    }
    logging.config.dictConfig(server_logging(uvicorn.config.LOGGING_CONFIG))
    try:
        client.get("/v1/screen", params={"name": "x", "limit": 0}, headers={"X-Request-ID": "r-7"})
        lines = capsys.readouterr().out.splitlines()
    finally:  # the handlers dictConfig made write to this test's captured streams
        for name, (handlers, level, propagate) in before.items():
            logger = logging.getLogger(name)
            logger.handlers[:] = handlers
            logger.level, logger.propagate = level, propagate
    access = [line for line in lines if "request_id=r-7" in line]
    assert len(access) == 1
    assert access[0].endswith("interlock.api GET /v1/screen 422 request_id=r-7")


def test_alerts_through_the_api(client: TestClient) -> None:
    decided = client.post("/v1/orders/screen", json={"order": ORDER}).json()
    assert decided["decision"] == "LICENCE_REQUIRED"
    (alert,) = client.get("/v1/alerts", params={"state": "open"}).json()["items"]
    assert alert["order_id"] == "PO-API"
    assigned = client.post(f"/v1/alerts/{alert['id']}/assign", json={"reviewer": "alice"})
    assert assigned.json()["state"] == "in_review"
    closed = client.post(
        f"/v1/alerts/{alert['id']}/decide", json={"outcome": "false_positive", "reviewer": "alice"}
    )
    assert closed.json()["state"] == "false_positive"
    again = client.post(
        f"/v1/alerts/{alert['id']}/decide", json={"outcome": "confirmed", "reviewer": "bob"}
    )
    assert again.status_code == 409 and again.json()["type"].endswith("/alert-conflict")
    missing = client.get("/v1/alerts/999")
    assert missing.status_code == 404 and missing.json()["type"].endswith("/alert-not-found")
    suppressed = client.post("/v1/orders/screen", json={"order": ORDER}).json()
    assert suppressed["decision"] == "CLEAR"


def test_book_ownership_audit_and_certificate(client: TestClient) -> None:
    parties = [{"id": "B1", "name": "CloudWalk Technology", "country": "CN"},
               {"id": "B2", "name": "Quiet Trading Ltd", "country": "GB"}]  # fmt: skip
    assert client.post("/v1/book", json={"parties": parties}).json() == {"count": 2}
    report = client.post("/v1/book/screen", json={"as_of": "2024-06-01", "full": True}).json()
    assert report["screened"] == 2 and [h["party"]["id"] for h in report["new_hits"]] == ["B1"]
    assert client.post("/v1/book", json={"parties": parties + parties[:1]}).status_code == 422

    edges = [{"owner": "CloudWalk Technology", "owned": "Sample Vision Co", "share": 0.6}]
    assert client.post("/v1/ownership", json={"origin": "api", "edges": edges}).json() == {
        "count": 1
    }
    explained = client.get(
        "/v1/ownership/explain", params={"name": "Sample Vision Co", "as_of": "2025-10-15"}
    )
    assert explained.json()["decision"] == "LICENCE_REQUIRED"

    certificate = client.post("/v1/orders/certificate", json={"order": ORDER}).json()
    assert (
        certificate["decision"]["decision"] == "LICENCE_REQUIRED" and certificate["audit_seq"] > 0
    )
    records = client.get("/v1/audit", params={"limit": 3}).json()["items"]
    assert records[0]["action"] == "order.screen" and records[0]["seq"] == certificate["audit_seq"]
    assert client.get("/v1/audit/verify").json()["ok"] is True


def test_lists_page_with_opaque_cursors(client: TestClient) -> None:
    for n in range(3):
        client.post("/v1/orders/screen", json={"order": ORDER | {"id": f"PO-{n}"}})
    first = client.get("/v1/audit", params={"limit": 2}).json()
    second = client.get("/v1/audit", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    seqs = [r["seq"] for r in first["items"] + second["items"]]
    assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == 4
    everything = client.get("/v1/audit", params={"limit": 1000}).json()
    assert everything["next_cursor"] is None
    alerts = client.get("/v1/alerts", params={"limit": 1}).json()
    assert len(alerts["items"]) == 1  # one alert: the same hit on every order
    bad = client.get("/v1/audit", params={"cursor": "not-a-cursor"})
    assert bad.status_code == 422 and bad.json()["type"].endswith("/invalid-cursor")


def test_events_page_newest_first_with_cursors(client: TestClient) -> None:
    everything = client.get("/v1/events", params={"limit": 1000}).json()
    assert everything["next_cursor"] is None and len(everything["items"]) >= 3
    paged: list[dict[str, object]] = []
    cursor = None
    while True:
        page = client.get(
            "/v1/events", params={"limit": 2} | ({"cursor": cursor} if cursor else {})
        ).json()
        assert len(page["items"]) <= 2
        paged += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [e["event_id"] for e in paged] == [e["event_id"] for e in everything["items"]]
    order = [(e["recorded_at"], e["event_id"]) for e in paged]
    assert order == sorted(order, reverse=True)
    # a record id, as the audit and order lists' cursors carry, is not an event's position
    for cursor in (make_cursor("before", 5), "e30"):  # 'e30': '{}'
        bad = client.get("/v1/events", params={"cursor": cursor})
        assert bad.status_code == 422 and bad.json()["type"].endswith("/invalid-cursor")


def test_a_fetch_is_queued_for_the_job_worker_and_unknown_formats_refused(
    client: TestClient,
) -> None:
    queued = client.post("/v1/lists/fetch", json={"formats": ["csl_csv"]})
    assert queued.status_code == 202
    job = queued.json()
    assert job["kind"] == "lists.fetch" and job["payload"]["formats"] == ["csl_csv"]
    assert client.get(f"/v1/jobs/{job['id']}").json()["state"] == "queued"
    refused = client.post("/v1/lists/fetch", json={"formats": ["csl_csv", "no_such_list"]})
    assert refused.status_code == 422 and "no_such_list" in refused.json()["detail"]


def test_a_value_the_database_cannot_store_is_a_problem_not_a_server_error(
    client: TestClient,
) -> None:
    # PostgreSQL keeps no NUL character in text; SQLite does
    answer = client.post("/v1/ownership", json={"origin": "\x00", "edges": []})
    assert answer.status_code < 500
    if answer.status_code != 200:
        problem = answer.json()
        assert (answer.status_code, problem["type"]) == (422, PROBLEMS + "unstorable-value")
        assert "NUL" in problem["detail"] and "DELETE" not in problem["detail"]
