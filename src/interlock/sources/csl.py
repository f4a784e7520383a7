"""trade.gov Consolidated Screening List: CSV (29 columns, 2019's 28-column layout) and JSON."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from interlock.model import (
    Address,
    Alias,
    DataIssue,
    Identifier,
    ListEntry,
    Schema,
    Severity,
    SourceSpec,
    VesselInfo,
)
from interlock.sources import clean
from interlock.sources.base import EntryFormat, RawFiles, SourceError
from interlock.sources.identifiers import label_table

SPEC = SourceSpec(
    code="us_csl",
    title="Consolidated Screening List",
    publisher="International Trade Administration (trade.gov)",
    urls={
        "consolidated.csv": "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
    },
    licence="public domain (17 USC 105)",
    format="csl_csv",
)
JSON_SPEC = SPEC.model_copy(
    update={
        "urls": {
            "consolidated.json": "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.json"
        },
        "format": "csl_json",
    }
)

COLUMNS_29 = [
    "_id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
]
COLUMNS_28 = COLUMNS_29[1:]

SCHEMAS = {
    "individual": Schema.PERSON,
    "entity": Schema.ORGANIZATION,
    "vessel": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
}


def list_code(source_name: str) -> str:
    """'Entity List (EL) - Bureau of Industry and Security' → 'EL'; 'NS-MBS List' → 'NS-MBS'."""
    match = re.search(r"\(([^)]+)\)", source_name)
    if not match:
        return source_name.strip()
    return re.sub(r"\s+List$", "", match[1].strip())


def _row_id(row: dict[str, str]) -> str:
    if row.get("_id"):
        return row["_id"]
    # The 2019 layout has no _id: derive one from the row's content so it is stable per row.
    digest = hashlib.sha256("\x1f".join(row.get(c) or "" for c in COLUMNS_28).encode()).hexdigest()[
        :40
    ]
    return digest


@dataclass(frozen=True)
class CslRow:
    values: dict[str, str]
    line: int
    missing_fields: int = 0  # a row cut short (the 2023 subset ends mid-row) is kept and flagged


class CslCsv(EntryFormat[CslRow]):
    name = "csl_csv"
    spec = SPEC
    parser_version = "1"
    required_files = ("consolidated.csv",)

    def read(self, raw: RawFiles) -> Iterator[CslRow]:
        file_name, content = self.single_file(raw)
        data = content.decode("utf-8-sig")
        reader = csv.reader(io.StringIO(data))
        header = next(reader, None)
        if header is None:
            raise SourceError(f"{file_name}: empty file")
        header = [h.strip() for h in header]
        if header not in (COLUMNS_29, COLUMNS_28):
            unknown = sorted(set(header) - set(COLUMNS_29))
            missing = sorted(set(COLUMNS_28) - set(header))
            raise SourceError(
                f"{file_name}: unknown CSL layout ({len(header)} columns; "
                f"unknown {unknown}, missing {missing})"
            )
        for line_no, values in enumerate(reader, start=2):
            if [v.strip() for v in values] == header:
                continue  # some exports repeat the header on line 2
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                raise SourceError(
                    f"{file_name}: record at line {line_no} has {len(values)} fields, "
                    f"expected {len(header)}"
                )
            short_by = len(header) - len(values)
            padded = [*values, *([""] * short_by)]
            yield CslRow(dict(zip(header, padded, strict=True)), line_no, short_by)

    def map(self, record: CslRow) -> Iterator[ListEntry]:
        entry = map_row(record.values)
        if record.missing_fields:
            entry.issues.append(
                DataIssue(
                    field="*",
                    message=f"record cut short: {record.missing_fields} trailing fields missing "
                    f"(line {record.line})",
                    severity=Severity.ERROR,
                )
            )
        yield entry


def _addresses(value: str, issues: list[DataIssue]) -> list[Address]:
    addresses = []
    for part in clean.split_list(value):
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        country = clean.country_code(pieces[-1]) if pieces else None
        if pieces and country is None and len(pieces) > 1:
            issues.append(
                DataIssue(field="addresses", message="country not recognised", value=part)
            )
        addresses.append(Address(full=clean.fix_apostrophes(part), country=country, original=part))
    return addresses


def _ids(value: str, entry_features: dict[str, list[str]]) -> list[Identifier]:
    """'CA, BC166787, Passport; JO, 2014-08-30, 2009-08-31, K475336, Passport; Male, Gender'."""
    table = label_table()
    identifiers: list[Identifier] = []
    for part in clean.split_list(value):
        pieces = [p.strip() for p in part.split(",")]
        label = pieces[-1]
        rest = [p for p in pieces[:-1] if p]
        if table.is_feature(label):
            entry_features.setdefault(label.rstrip(" :-"), []).append(", ".join(rest))
            continue
        country = None
        if rest and re.fullmatch(r"[A-Z]{2}", rest[0]):
            country = rest.pop(0)
        number = rest[-1] if rest else ""
        identifiers.append(
            Identifier(
                type=table.identifier_type(label),
                value=number,
                country=country,
                label=label,
                original=part,
            )
        )
    return identifiers


def map_row(row: dict[str, str]) -> ListEntry:
    issues: list[DataIssue] = []
    source_name = clean.text(row.get("source")) or ""
    code = list_code(source_name)
    raw_name = row.get("name") or ""
    cleaned_name = clean.name(raw_name, issues)
    party_name, relations = clean.split_party(cleaned_name)
    aliases = [
        Alias(
            name=clean.fix_apostrophes(alt),
            original=alt,
            script=clean.detect_script(alt),
        )
        for alt in clean.split_list(row.get("alt_names"))
    ]
    features: dict[str, list[str]] = {}
    identifiers = _ids(row.get("ids") or "", features)
    addresses = _addresses(row.get("addresses") or "", issues)
    nationalities = clean.countries(
        clean.split_list(row.get("nationalities")), issues, "nationalities"
    )
    citizenships = clean.countries(
        clean.split_list(row.get("citizenships")), issues, "citizenships"
    )
    countries: list[str] = []
    for code_ in [*(a.country for a in addresses), *nationalities, *citizenships]:
        if code_ and code_ not in countries:
            countries.append(code_)
    dobs = [
        d for d in (clean.partial_date(v) for v in clean.split_list(row.get("dates_of_birth"))) if d
    ]
    vessel = None
    if code == "SDN" or row.get("call_sign") or row.get("vessel_type"):
        vessel_fields = {
            "call_sign": clean.text(row.get("call_sign")),
            "vessel_type": clean.text(row.get("vessel_type")),
            "flag": clean.text(row.get("vessel_flag")),
            "owner": clean.text(row.get("vessel_owner")),
            "tonnage": clean.text(row.get("gross_tonnage")),
            "gross_registered_tonnage": clean.text(row.get("gross_registered_tonnage")),
        }
        if any(vessel_fields.values()):
            vessel = VesselInfo(**vessel_fields)
    schema = SCHEMAS.get((row.get("type") or "").strip().lower(), Schema.UNKNOWN)
    # One OFAC uid can stand on several CSL lists (SDN and CAP): the list code keeps ids unique.
    source_id = f"{code}:{_row_id(row)}"
    start_date = clean.text(row.get("start_date"))
    return ListEntry(
        entity_id=f"{SPEC.code}:{source_id}",
        source=SPEC.code,
        source_id=source_id,
        lists=[code],
        list_names=[source_name],
        schema=schema,
        name=party_name,
        name_original=raw_name,
        aliases=aliases,
        addresses=addresses,
        countries=countries,
        nationalities=nationalities,
        identifiers=identifiers,
        dates_of_birth=dobs,
        places_of_birth=clean.split_list(row.get("places_of_birth")),
        programs=clean.split_list(row.get("programs")),
        features=features,
        title=clean.text(row.get("title")),
        license_requirement=clean.text(row.get("license_requirement")),
        license_policy=clean.text(row.get("license_policy")),
        citations=clean.citations(row.get("federal_register_notice")),
        start_date=start_date,
        end_date=clean.text(row.get("end_date")),
        listed_on=clean.iso_date(start_date),
        remarks=clean.text(row.get("remarks")),
        source_url=clean.text(row.get("source_list_url")),
        relations=relations,
        vessel=vessel,
        issues=issues,
        original={k: v for k, v in row.items() if v},
    )


def _json_row(record: dict[str, Any]) -> dict[str, str]:
    """Flatten a CSL JSON record into the CSV row shape, so both layouts share one mapper."""

    def joined(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, list):
            return "; ".join(str(v) for v in value if v not in (None, ""))
        return str(value)

    addresses = [
        ", ".join(
            str(a[k]) for k in ("address", "city", "state", "postal_code", "country") if a.get(k)
        )
        for a in record.get("addresses") or []
    ]
    ids = [
        ", ".join(
            str(i[k])
            for k in ("country", "issue_date", "expiration_date", "number", "type")
            if i.get(k)
        )
        for i in record.get("ids") or []
    ]
    row = {column: joined(record.get(column)) for column in COLUMNS_29}
    row["_id"] = joined(record.get("id") or record.get("_id"))
    row["addresses"] = "; ".join(addresses)
    row["ids"] = "; ".join(ids)
    return row


class CslJson(EntryFormat[dict[str, Any]]):
    name = "csl_json"
    spec = JSON_SPEC
    parser_version = "1"
    required_files = ("consolidated.json",)

    def read(self, raw: RawFiles) -> Iterator[dict[str, Any]]:
        file_name, document = self.single_json(raw)
        results = document.get("results") if isinstance(document, dict) else document
        if not isinstance(results, list):
            raise SourceError(f"{file_name}: expected a list of results")
        for index, record in enumerate(results):
            if not isinstance(record, dict) or "name" not in record:
                raise SourceError(f"{file_name}: result {index} has no name")
            yield record

    def map(self, record: dict[str, Any]) -> Iterator[ListEntry]:
        entry = map_row(_json_row(record))
        entry.original = {k: v for k, v in record.items() if v not in (None, "", [])}
        yield entry
