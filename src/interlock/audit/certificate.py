"""The screening certificate of an order: what was decided, why, on which data and rules, and the
audit record that holds it, as Markdown, HTML or JSON. Rerunning the order on the same data version
(`interlock order screen --as-of`) reproduces the decision."""

from __future__ import annotations

import html
from datetime import datetime

from pydantic import BaseModel

from interlock.screen.contract import OrderDecision
from interlock.screen.order import Order


class SnapshotUsed(BaseModel):
    source: str
    snapshot_id: int
    sha256: str
    data_date: str | None


class Certificate(BaseModel):
    issued_at: datetime
    order: Order
    decision: OrderDecision
    snapshots: list[SnapshotUsed]
    audit_seq: int
    audit_hash: str
    actor: str


def markdown(certificate: Certificate) -> str:
    d, o = certificate.decision, certificate.order
    lines = [
        f"# Screening certificate: order {o.id}",
        "",
        f"**Decision: {d.decision}** as of {d.as_of} (order dated {o.date}).",
        "",
        f"Issued {certificate.issued_at:%Y-%m-%d %H:%M} UTC by {certificate.actor}; audit record "
        f"{certificate.audit_seq} (`{certificate.audit_hash}`); data version `{d.data_version}`, "
        f"rules `{d.rules_version}`, scorer `{d.scorer}`.",
        "",
        f"Route: {o.route.origin} → {' → '.join([*o.route.transit, o.route.destination])}.",
        "",
        "## Reasons",
        "",
        "| outcome | rule | target | list | detail | citation |",
        "|---|---|---|---|---|---|",
        *(
            f"| {r.outcome} | {r.rule} | {_cell(r.target)} | {_cell(r.list or '')} | "
            f"{_cell(r.detail)}{'' if r.verified else ' (unverified)'} | {_cell(r.citation)} |"
            for r in d.reasons
        ),
        "",
        "## Parties",
        "",
        "| role | name | country | decision | hits |",
        "|---|---|---|---|---|",
        *(
            f"| {p.role} | {_cell(p.name)} | {p.country or ''} | {p.decision} | "
            + _cell("; ".join(f"{h.entity_id} ({h.score:.2f}, {h.status})" for h in p.hits))
            + " |"
            for p in d.parties
        ),
        "",
        "## Line items",
        "",
        "| line | kind | decision | status |",
        "|---|---|---|---|",
        *(
            f"| {_cell(i.line)} | {i.kind} | {i.decision} | {i.chem.status if i.chem else '–'} |"
            for i in d.items
        ),
        "",
        "## Data screened",
        "",
        "| source | snapshot | data date | sha256 |",
        "|---|---|---|---|",
        *(
            f"| {s.source} | {s.snapshot_id} | {s.data_date or ''} | `{s.sha256}` |"
            for s in certificate.snapshots
        ),
        "",
        *(f"- {note}" for note in d.notes),
        "",
    ]
    return "\n".join(lines)


def html_page(certificate: Certificate) -> str:
    """The Markdown certificate, escaped, in a minimal standalone page."""
    body = html.escape(markdown(certificate))
    title = html.escape(f"Screening certificate: order {certificate.order.id}")
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><pre>{body}</pre></body></html>\n"
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
