"""BIS Denied Persons List: the tab-separated dpl.txt, one row per denial order and address.

A denial order against one party is spread over as many rows as it has addresses. Rows with the same
party name and effective date are one order and become one entry; every row is kept in
`entry.original["rows"]`. The id hashes name and effective date, so the same order keeps its id from
one snapshot to the next whatever its addresses or citations become.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from interlock.model import Address, Citation, DataIssue, ListEntry, Schema, SourceSpec
from interlock.sources import clean
from interlock.sources.base import EntryFormat, RawFiles, SourceError

SPEC = SourceSpec(
    code="us_bis_dpl",
    title="Denied Persons List",
    publisher="Bureau of Industry and Security, U.S. Department of Commerce",
    urls={"dpl.txt": "https://www.bis.doc.gov/dpl/dpl.txt"},
    licence="public domain (17 USC 105)",
    format="dpl_tsv",
)

COLUMNS = (
    "Name",
    "Street_Address",
    "City",
    "State",
    "Country",
    "Postal_Code",
    "Effective_Date",
    "Expiration_Date",
    "Standard_Order",
    "Last_Update",
    "Action",
    "FR_Citation",
)

# Postal codes of the states, DC and the inhabited territories. The DPL leaves Country empty on many
# US rows; in both real snapshots every such row with one of these codes in State is a US address,
# while non-US rows misuse State for a country ("CY" Nicosia, "RS" Stavropol) and are not matched.
# fmt: off
US_STATES = frozenset({
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL",
    "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE",
    "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD",
    "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR", "GU", "VI", "AS", "MP",
})
# fmt: on
# Denial orders rest on the Export Administration Act of 1979: an update before it is a typo
# ('1023-11-01'), as is one after today ('3017-08-22').
EARLIEST_UPDATE = date(1979, 1, 1)

# '72 F.R. 1/30/07': the page is missing, and read as it stands the date's month becomes the page.
_PAGELESS = re.compile(r"\b\d{1,3}\s*F\.?\s*R\.?\s*(?=\d{1,2}/\d{1,2}/\d{2,4})", re.IGNORECASE)
_MENTION = re.compile(r"F\.?\s*R\.?\s*\d", re.IGNORECASE)


@dataclass(frozen=True)
class DplRow:
    values: dict[str, str]
    line: int


@dataclass
class DplOrder:
    """The rows of one denial order: one party, one effective date, one row per address."""

    key: str
    rows: list[DplRow] = field(default_factory=list)


def _order_key(row: dict[str, str]) -> str:
    party = (clean.text(row["Name"]) or "").upper()
    effective = clean.text(row["Effective_Date"]) or ""
    parsed = clean.us_date(effective)
    return f"{party}\x1f{parsed.isoformat() if parsed else effective}"


def last_update(value: str) -> date | None:
    """The row's ISO Last_Update when it can be true; None for a typo such as 3017."""
    parsed = clean.iso_date(value)
    if parsed is None or not EARLIEST_UPDATE <= parsed <= date.today():
        return None
    return parsed


class DplTsv(EntryFormat[DplOrder]):
    name = "dpl_tsv"
    spec = SPEC
    parser_version = "1"
    required_files = ("dpl.txt",)

    def rows_in(self, record: DplOrder) -> int:
        return len(record.rows)

    def rows(self, raw: RawFiles) -> Iterator[DplRow]:
        """Every data row of the file, as published."""
        file_name, content = self.single_file(raw)
        data = content.decode("utf-8-sig")
        reader = csv.reader(io.StringIO(data), delimiter="\t")
        header = next(reader, None)
        if header is None:
            raise SourceError(f"{file_name}: empty file")
        header = [h.strip() for h in header]
        if tuple(header) != COLUMNS:
            raise SourceError(
                f"{file_name}: unknown DPL layout (header {header}, expected {list(COLUMNS)})"
            )
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(COLUMNS):
                raise SourceError(
                    f"{file_name}: row ending at line {reader.line_num} has {len(values)} fields, "
                    f"expected {len(COLUMNS)}"
                )
            yield DplRow(dict(zip(COLUMNS, values, strict=True)), reader.line_num)

    def read(self, raw: RawFiles) -> Iterator[DplOrder]:
        orders: dict[str, DplOrder] = {}
        for row in self.rows(raw):
            key = _order_key(row.values)
            orders.setdefault(key, DplOrder(key)).rows.append(row)
        yield from orders.values()

    def map(self, record: DplOrder) -> Iterator[ListEntry]:
        yield map_order(record)

    def data_date(self, raw: RawFiles) -> date | None:
        """The newest Last_Update that can be true; the file states no date of its own."""
        dates = [d for row in self.rows(raw) if (d := last_update(row.values["Last_Update"]))]
        return max(dates, default=None)


def _address(row: dict[str, str], issues: list[DataIssue]) -> Address:
    street, city, state, postal, country_text = (
        clean.text(row[c]) for c in ("Street_Address", "City", "State", "Postal_Code", "Country")
    )
    country = clean.country_code(country_text)
    if country_text and country is None:
        issues.append(
            DataIssue(field="Country", message="country not recognised", value=country_text)
        )
    elif not country_text and state in US_STATES:
        country = "US"
        issues.append(
            DataIssue(
                field="Country",
                message=f"country empty; US inferred from the state code {state}",
                value=", ".join(p for p in (street, city, state, postal) if p),
            )
        )
    elif not country_text:
        issues.append(
            DataIssue(
                field="Country",
                message="country empty and not inferable; left unresolved",
                value=", ".join(p for p in (street, city, state, postal) if p),
            )
        )
    parts = [p for p in (street, city, state, postal, country_text) if p]
    return Address(
        full=", ".join(parts),
        street=street,
        city=city,
        state=state,
        postal_code=postal,
        country=country,
        original="\t".join(row[c] for c in COLUMNS[1:6]),
    )


def _citations(value: str, issues: list[DataIssue]) -> list[Citation]:
    """Citations of one FR_Citation cell, with what cannot be read recorded rather than guessed."""
    cleaned = value
    if _PAGELESS.search(cleaned):
        issues.append(
            DataIssue(field="FR_Citation", message="citation has no page number", value=value)
        )
        cleaned = _PAGELESS.sub(" ", cleaned)
    found = clean.citations(cleaned)
    unread = len(_MENTION.findall(cleaned)) - len(found)
    if unread > 0:
        issues.append(
            DataIssue(
                field="FR_Citation",
                message=f"{unread} F.R. reference(s) not readable as a citation (volume missing)",
                value=value,
            )
        )
    for citation in found:
        if citation.date is None:
            issues.append(
                DataIssue(
                    field="FR_Citation",
                    message="citation date missing or unreadable",
                    value=citation.raw,
                )
            )
    return found


def _distinct(values: list[str | None]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen


def map_order(order: DplOrder) -> ListEntry:
    issues: list[DataIssue] = []
    rows = [r.values for r in order.rows]
    first = rows[0]
    party = clean.name(first["Name"], issues, field="Name")

    addresses: list[Address] = []
    for row in rows:
        address = _address(row, issues)
        if all(a.full != address.full for a in addresses):
            addresses.append(address)
    countries = _distinct([a.country for a in addresses])

    # Rows of one order repeat its citations, each row with its own typos: volume and page identify
    # a citation, and a dated copy replaces one whose date did not survive ('11/22/201').
    citations: dict[tuple[int, int | None, int | None], Citation] = {}
    for cell in _distinct([r["FR_Citation"] for r in rows]):
        for citation in _citations(cell, issues):
            key = (citation.volume, citation.page, citation.issue)
            known = citations.get(key)
            if known is None or (known.date is None and citation.date is not None):
                citations[key] = citation

    start_date = clean.text(first["Effective_Date"])
    listed_on = clean.us_date(start_date) if start_date else None
    if listed_on is None:
        issues.append(
            DataIssue(field="Effective_Date", message="effective date unreadable", value=start_date)
        )

    end_dates = _distinct([clean.text(r["Expiration_Date"]) for r in rows])
    end_date = end_dates[0] if end_dates else None
    if len(end_dates) > 1:
        # Rows of one order disagree; the latest keeps the party denied for as long as any row says.
        end_date = max(end_dates, key=lambda v: clean.us_date(v) or date.min)
        issues.append(
            DataIssue(
                field="Expiration_Date",
                message=f"rows of one order state different expiration dates; kept {end_date}",
                value="; ".join(end_dates),
            )
        )

    for row in rows:
        stated = clean.text(row["Last_Update"])
        if stated and last_update(stated) is None:
            issues.append(
                DataIssue(
                    field="Last_Update",
                    message="implausible last-update date; kept as stated, not corrected",
                    value=stated,
                )
            )

    features = {
        label: values
        for label, column in (
            ("standard_order", "Standard_Order"),
            ("last_update", "Last_Update"),
            ("action", "Action"),
        )
        if (values := _distinct([clean.text(r[column]) for r in rows]))
    }
    source_id = hashlib.sha256(order.key.encode()).hexdigest()[:16]
    return ListEntry(
        entity_id=f"{SPEC.code}:{source_id}",
        source=SPEC.code,
        source_id=source_id,
        lists=["DPL"],
        list_names=[SPEC.title],
        schema=Schema.UNKNOWN,
        name=party,
        name_original=first["Name"],
        addresses=addresses,
        countries=countries,
        features=features,
        citations=list(citations.values()),
        start_date=start_date,
        end_date=end_date,
        listed_on=listed_on,
        issues=issues,
        original={"rows": rows, "lines": [r.line for r in order.rows]},
    )
