"""Order screening on the golden fixtures (docs/export-controls.md section 8), on real list rows:
the CSL cut (Entity List, DPL, CMIC rows, the IFS among them) with the curated IFS history, and the
OFAC SDN cut of 2024-05-03 (a Cuba-program bank and airline, a Kingpin Act individual)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from interlock.audit.certificate import html_page, markdown
from interlock.config import Settings
from interlock.core import Interlock
from interlock.ownership.graph import OwnershipEdge
from interlock.screen.order import Order, OrderError, parse_order, read_order
from tests.conftest import FIXTURES, api_client, sqlite_settings
from tests.test_cli import load_cut, run

IFS = "Institute of Forensic Science of the Ministry of Public Security of China"
ENTITY_LISTED = "CloudWalk Technology"
SDN_A, SDN_B = "BANCO NACIONAL DE CUBA", "AEROCARIBBEAN AIRLINES"
SDN_DATE = date(2024, 6, 1)  # the SDN cut is of 2024-05-03: its rows are known listed from then


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Interlock:
    base = tmp_path_factory.mktemp("orders")
    interlock = Interlock(sqlite_settings(base))
    interlock.load_files(
        "csl_csv", [FIXTURES / "csl" / "csl_2022-04_cut.csv"], data_date=date(2022, 4, 28)
    )
    interlock.load_files(
        "ofac_sdn_csv",
        [FIXTURES / "ofac_csv" / "sdn_2024-05-03_cut.csv"],
        data_date=date(2024, 5, 3),
    )
    return interlock


def _order(buyer: str, *, items: list[dict[str, object]] | None = None, on: str = "2022-01-01",
           origin: str = "US", destination: str = "CN") -> Order:  # fmt: skip
    return parse_order(
        {
            "id": "PO-1",
            "date": on,
            "parties": [{"role": "buyer", "name": buyer, "country": "CN"}],
            "items": items or [],
            "route": {"origin": origin, "destination": destination},
        }
    )


def test_an_order_to_the_ifs_needs_a_licence_until_its_removal(app: Interlock) -> None:
    listed = app.screen_order(_order(IFS, on="2022-01-01"))
    assert listed.decision == "LICENCE_REQUIRED"
    (reason,) = listed.reasons
    assert reason.rule == "us-ear-entity-list" and reason.list == "EL"
    assert "For all items subject to the EAR" in reason.detail
    assert "85 FR 34505" in reason.citation
    removed = app.screen_order(_order(IFS), as_of=date(2024, 1, 1))
    assert removed.decision == "CLEAR" and removed.as_of == date(2024, 1, 1)
    assert any("delisted" in note for note in removed.parties[0].notes)


def test_affiliates_rule_follows_its_suspension(app: Interlock) -> None:
    owned = [OwnershipEdge(owner=ENTITY_LISTED, owned="Shenzhen Example Components Co", share=0.6)]
    order = _order("Shenzhen Example Components Co")

    def decided(on: date) -> tuple[str, set[str]]:
        result = app.screen_order(order, as_of=on, ownership=owned)
        return result.decision, {r.rule for r in result.reasons}

    assert decided(date(2025, 10, 15)) == ("LICENCE_REQUIRED", {"us-bis-affiliates-rule"})
    assert decided(date(2025, 12, 1)) == ("CLEAR", set())
    assert decided(date(2026, 11, 10)) == ("LICENCE_REQUIRED", {"us-bis-affiliates-rule"})
    unknown = [
        OwnershipEdge(owner=ENTITY_LISTED, owned="Shenzhen Example Components Co", share=None)
    ]
    flagged = app.screen_order(order, as_of=date(2025, 10, 15), ownership=unknown)
    assert flagged.decision == "REVIEW" and "unknown share" in flagged.reasons[0].detail


def test_two_sdns_at_25_percent_each_block_the_company(app: Interlock) -> None:
    edges = [
        OwnershipEdge(owner=SDN_A, owned="Joint Venture Co", share=0.25),
        OwnershipEdge(owner=SDN_B, owned="Joint Venture Co", share=0.25),
    ]
    result = app.screen_order(_order("Joint Venture Co"), as_of=SDN_DATE, ownership=edges)
    assert result.decision == "BLOCK"
    (reason,) = result.reasons
    assert reason.rule == "us-ofac-50-percent" and "owned 50%" in reason.detail
    one = app.screen_order(_order("Joint Venture Co"), as_of=SDN_DATE, ownership=edges[:1])
    assert one.decision == "CLEAR"


def test_ownership_cascades_through_layers(app: Interlock) -> None:
    edges = [
        OwnershipEdge(owner=SDN_A, owned="Layer B Ltd", share=0.5),
        OwnershipEdge(owner="Layer B Ltd", owned="Layer C Ltd", share=0.5),
        OwnershipEdge(owner="Layer C Ltd", owned="Layer B Ltd", share=0.1),  # a cycle ends
    ]
    result = app.screen_order(_order("Layer C Ltd"), as_of=SDN_DATE, ownership=edges)
    assert result.decision == "BLOCK"
    assert result.parties[0].ownership == [
        "us-ofac-50-percent: Layer C Ltd is owned 50% by Layer B Ltd (itself caught)",
        f"us-ofac-50-percent:   Layer B Ltd is owned 50% by {SDN_A} (restricted)",
    ]


def test_a_listed_precursor_to_a_us_buyer_needs_a_licence(app: Interlock) -> None:
    items = [{"description": "tert-butyl 4-(phenylamino)piperidine-1-carboxylate, 25 kg drum"}]
    result = app.screen_order(
        _order("Acme Labs Inc", items=items, on="2026-01-05", origin="CN", destination="US")
    )
    assert result.decision == "LICENCE_REQUIRED"
    rules = {r.rule for r in result.reasons}
    assert {"controlled-substance", "cn-precursor-export-licence-us-mx-ca"} <= rules
    china = next(r for r in result.reasons if r.rule == "cn-precursor-export-licence-us-mx-ca")
    assert not china.verified  # the 13 chemicals are unverified
    assert result.items[0].chem is not None and result.items[0].chem.status == "controlled"


def test_unidentified_chemicals_need_review_and_equipment_is_recorded(app: Interlock) -> None:
    items = [
        {"description": "blue powder, 5 kg"},
        {"description": "benchtop centrifuge", "kind": "equipment"},
    ]
    result = app.screen_order(_order("Acme Labs Inc", items=items))
    assert result.decision == "REVIEW"
    assert [i.decision for i in result.items] == ["REVIEW", "CLEAR"]
    assert result.items[1].chem is None


def test_bad_orders_name_the_field(tmp_path: Path) -> None:
    with pytest.raises(OrderError, match=r"parties\.0\.role"):
        parse_order({"id": "x", "date": "2024-01-01", "parties": [{"role": "king", "name": "A"}],
                     "route": {"origin": "US", "destination": "CN"}})  # fmt: skip
    with pytest.raises(OrderError, match=r"route\.destination.*alpha-2"):
        parse_order({"id": "x", "date": "2024-01-01", "parties": [{"role": "buyer", "name": "A"}],
                     "route": {"origin": "US", "destination": "China"}})  # fmt: skip
    broken = tmp_path / "o.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(OrderError, match="not JSON"):
        read_order(broken)


def test_an_order_reads_from_csv(tmp_path: Path) -> None:
    path = tmp_path / "order.csv"
    path.write_text(
        "order_id,order_date,record,role,name,country,identifiers,description,kind,origin,transit,destination\n"
        "PO-9,2024-02-01,party,buyer,Acme Labs,CN,USCC:91110000100000000X,,,,,\n"
        "PO-9,2024-02-01,item,,,,,NPP 25 kg,,,,\n"
        "PO-9,2024-02-01,item,,,,,pipette rack,equipment,,,\n"
        "PO-9,2024-02-01,route,,,,,,,US,HK;SG,CN\n",
        encoding="utf-8",
    )
    order = read_order(path)
    assert order.parties[0].identifiers == ["USCC:91110000100000000X"]
    assert [i.kind for i in order.items] == ["chemical", "equipment"]
    assert order.route.transit == ["HK", "SG"]


def test_a_drug_program_sdn_also_needs_an_ear_licence_from_march_2024(app: Interlock) -> None:
    result = app.screen_order(_order("Jamiel Hamieh"), as_of=SDN_DATE)
    assert result.decision == "BLOCK"
    assert {(r.rule, r.outcome) for r in result.reasons} == {
        ("us-ofac-sdn", "BLOCK"),
        ("us-ear-744-8-sdn", "LICENCE_REQUIRED"),
    }
    assert "SDNTK" in next(r.detail for r in result.reasons if r.rule == "us-ear-744-8-sdn")


def test_order_screen_command_and_endpoint(tmp_path: Path, settings: Settings) -> None:
    order = {
        "id": "PO-7",
        "date": "2022-01-01",
        "parties": [{"role": "end_user", "name": IFS, "country": "CN"}],
        "items": [{"description": "NPP, 99%, 25 kg drum"}],
        "route": {"origin": "US", "destination": "CN"},
    }
    path = tmp_path / "order.json"
    path.write_text(json.dumps(order), encoding="utf-8")
    load_cut(tmp_path)
    result = run(tmp_path, "order", "screen", str(path), "--json")
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert decision["decision"] == "LICENCE_REQUIRED"
    assert {r["rule"] for r in decision["reasons"]} == {
        "us-ear-entity-list",
        "controlled-substance",
    }
    table = run(tmp_path, "order", "screen", str(path))
    assert "LICENCE_REQUIRED" in table.stdout and "us-ear-entity-list" in table.stdout
    certificate = tmp_path / "certificate.html"
    issued = run(
        tmp_path, "order", "certificate", str(path), "--out", str(certificate), "--format", "html"
    )
    assert issued.returncode == 0, issued.stderr
    assert "Screening certificate: order PO-7" in certificate.read_text("utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(order | {"parties": []}), encoding="utf-8")
    refused = run(tmp_path, "order", "screen", str(bad))
    assert refused.returncode == 2 and "parties" in refused.stderr

    client = api_client(Interlock(settings))
    answer = client.post("/v1/orders/screen", json={"order": order, "as_of": "2024-01-01"})
    assert answer.status_code == 200 and answer.json()["as_of"] == "2024-01-01"
    assert (
        client.post("/v1/orders/screen", json={"order": order | {"date": "soon"}}).status_code
        == 422
    )


def test_a_certificate_reproduces_the_decision_from_its_record(
    app: Interlock, tmp_path: Path
) -> None:
    issued = app.certify_order(_order(IFS, on="2022-01-01"))
    assert issued.decision.decision == "LICENCE_REQUIRED"
    record = next(r for r in app.audit.records(action="order.screen") if r.seq == issued.audit_seq)
    assert record.record_hash == issued.audit_hash
    assert {s.source for s in issued.snapshots} == {"us_csl", "us_ofac_sdn"}
    text = markdown(issued)
    assert "**Decision: LICENCE_REQUIRED** as of 2022-01-01" in text
    assert f"audit record {issued.audit_seq}" in text and issued.snapshots[0].sha256 in text
    page = html_page(issued)
    assert "Ministry of Public Security&#x27;s Institute" in page
    again = app.screen_order(issued.order, issued.decision.as_of)
    assert again.data_version == issued.decision.data_version
    assert [r.model_dump() for r in again.reasons] == [
        r.model_dump() for r in issued.decision.reasons
    ]
