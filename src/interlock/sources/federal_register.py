"""Federal Register documents: the API's JSON (search results or one document) and a CSV sample.

These are the rules and notices that change the lists. The JSON is the Federal Register API
(https://www.federalregister.gov/developers/documentation/api/v1); the CSV is a derived sample with
five columns (publication_date, fr_document_number, title, abstract, federal_register_url) and no
citation, effective date, type or agency.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from interlock.model import Citation, DataIssue, FederalRegisterDocument, SourceSpec
from interlock.sources import clean
from interlock.sources.base import ListFormat, RawFiles, SourceError

SPEC = SourceSpec(
    code="us_fr",
    title="Federal Register documents",
    publisher="Office of the Federal Register (NARA) and the Government Publishing Office",
    urls={"documents.json": "https://www.federalregister.gov/api/v1/documents.json"},
    licence="public domain (17 USC 105)",
    format="fr_json",
)
# The CSV has no official download: federalregister.gov's own CSV export has other columns.
CSV_SPEC = SPEC.model_copy(update={"urls": {}, "format": "fr_csv"})

CSV_COLUMNS = [
    "publication_date",
    "fr_document_number",
    "title",
    "abstract",
    "federal_register_url",
]
# Placeholder the sample's exporter writes where the document has no abstract.
NO_SUMMARY = "No summary provided."


def _abstract(value: str | None) -> str | None:
    cleaned = clean.text(value)
    return None if cleaned == NO_SUMMARY else cleaned


def _citation(value: str | None, issues: list[DataIssue]) -> Citation | None:
    if not clean.text(value):
        return None
    found = clean.citations(value)
    if len(found) != 1:
        issues.append(
            DataIssue(
                field="citation",
                message=f"expected one citation, found {len(found)}; none kept",
                value=value,
            )
        )
        return None
    return found[0]


@dataclass(frozen=True)
class FrCsvRow:
    values: dict[str, str]
    line: int
    published: date


class FederalRegisterCsv(ListFormat[FrCsvRow, FederalRegisterDocument]):
    name = "fr_csv"
    spec = CSV_SPEC
    parser_version = "1"
    required_files = ("documents.csv",)

    def fetch(self, fetcher: Any) -> RawFiles:
        raise SourceError("fr_csv is a derived sample with no official download; fetch fr_json")

    def read(self, raw: RawFiles) -> Iterator[FrCsvRow]:
        file_name, content = self.single_file(raw)
        data = content.decode("utf-8-sig")
        reader = csv.reader(io.StringIO(data))
        header = [h.strip() for h in next(reader, [])]
        if header != CSV_COLUMNS:
            raise SourceError(
                f"{file_name}: unknown Federal Register CSV layout (header {header}, "
                f"expected {CSV_COLUMNS})"
            )
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(CSV_COLUMNS):
                raise SourceError(
                    f"{file_name}: row ending at line {reader.line_num} has {len(values)} fields, "
                    f"expected {len(CSV_COLUMNS)}"
                )
            row = dict(zip(CSV_COLUMNS, values, strict=True))
            # Every row of the real sample has these; one without is a broken export, not dirt.
            published = clean.iso_date(row["publication_date"])
            if published is None:
                raise SourceError(
                    f"{file_name}: line {reader.line_num}: unreadable publication_date "
                    f"{row['publication_date']!r}"
                )
            if not clean.text(row["fr_document_number"]) or not clean.text(row["title"]):
                raise SourceError(
                    f"{file_name}: line {reader.line_num}: document number or title missing"
                )
            yield FrCsvRow(row, reader.line_num, published)

    def map(self, record: FrCsvRow) -> Iterator[FederalRegisterDocument]:
        row = record.values
        yield FederalRegisterDocument(
            document_number=clean.text(row["fr_document_number"]) or "",
            publication_date=record.published,
            title=clean.text(row["title"]) or "",
            abstract=_abstract(row["abstract"]),
            url=clean.text(row["federal_register_url"]),
            original={k: v for k, v in row.items() if v},
        )

    def data_date(self, raw: RawFiles) -> date | None:
        """The newest publication date: the sample says nothing else about when it was taken."""
        return max((d.publication_date for d in self.items(raw)), default=None)


def _agency(value: Any) -> str | None:
    """An API agency object; `name` is null when the API could not match the printed `raw_name`."""
    if isinstance(value, str):
        return clean.text(value)
    if isinstance(value, dict):
        return clean.text(value.get("name")) or clean.text(value.get("raw_name"))
    return None


class FederalRegisterJson(ListFormat[dict[str, Any], FederalRegisterDocument]):
    name = "fr_json"
    spec = SPEC
    parser_version = "1"
    required_files = ("documents.json",)

    def read(self, raw: RawFiles) -> Iterator[dict[str, Any]]:
        file_name, document = self.single_json(raw)
        if not isinstance(document, dict):
            raise SourceError(f"{file_name}: expected a JSON object")
        # /documents.json wraps results; /documents/{number}.json is the document itself.
        results = document.get("results", [document])
        if not isinstance(results, list):
            raise SourceError(f"{file_name}: 'results' is not a list")
        for index, record in enumerate(results):
            label = f"{file_name}: result {index}"
            if not isinstance(record, dict) or not clean.text(record.get("document_number")):
                raise SourceError(f"{label} has no document_number")
            label = f"{label} ({record['document_number']})"
            if clean.iso_date(record.get("publication_date")) is None:
                raise SourceError(
                    f"{label}: unreadable publication_date {record.get('publication_date')!r}"
                )
            if not clean.text(record.get("title")):
                raise SourceError(f"{label} has no title")
            yield record

    def map(self, record: dict[str, Any]) -> Iterator[FederalRegisterDocument]:
        issues: list[DataIssue] = []
        publication_date = clean.iso_date(record.get("publication_date"))
        if publication_date is None:
            raise SourceError(
                f"document {record.get('document_number')}: unreadable publication_date "
                f"{record.get('publication_date')!r}"
            )
        effective_text = record.get("effective_on")
        effective_date = clean.iso_date(effective_text)
        if effective_text and effective_date is None:
            issues.append(
                DataIssue(
                    field="effective_on", message="unreadable date", value=str(effective_text)
                )
            )
        agencies = [a for a in (_agency(v) for v in record.get("agencies") or []) if a]
        yield FederalRegisterDocument(
            document_number=clean.text(record["document_number"]) or "",
            citation=_citation(record.get("citation"), issues),
            publication_date=publication_date,
            effective_date=effective_date,
            title=clean.text(record["title"]) or "",
            abstract=_abstract(record.get("abstract")),
            document_type=clean.text(record.get("type")),
            agencies=list(dict.fromkeys(agencies)),
            url=clean.text(record.get("html_url")),
            issues=issues,
            original={k: v for k, v in record.items() if v not in (None, "", [])},
        )
