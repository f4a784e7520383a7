"""UK Sanctions List (FCDO): the official CSV, and the public normalised tables of it.

Both readers build the same `UkSubject` (one designated person, entity or ship with all its rows)
and share one mapper, so a subject reads the same from either layout.

The official CSV repeats subject-level cells on every row of a subject (one row per name, address,
identifier … combination); the normalised tables inherit that: their identifier and country rows
repeat the same value many times. Values are kept once per subject.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from interlock.model import (
    Address,
    Alias,
    AliasStrength,
    DataIssue,
    Identifier,
    IdentifierType,
    ListEntry,
    PartialDate,
    Relation,
    Schema,
    SourceSpec,
    VesselInfo,
)
from interlock.sources import clean
from interlock.sources.base import EntryFormat, RawFiles, SourceError
from interlock.sources.identifiers import label_table

LICENCE = "Open Government Licence v3.0"
CSV_SPEC = SourceSpec(
    code="gb_uk",
    title="UK Sanctions List",
    publisher="Foreign, Commonwealth & Development Office (UK)",
    urls={"UK-Sanctions-List.csv": "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv"},
    licence=LICENCE,
    format="uk_csv",
)
_TABLES_AT = (
    "https://raw.githubusercontent.com/covyr/uk-sanctions-list/"
    "ec7a4638f2cb51048f579512cc874c0aec6c3f2a/"
)
TABLES = ("subjects", "subject_names", "subject_dobs", "subject_identifiers", "subject_countries")
NORMALISED_SPEC = CSV_SPEC.model_copy(
    update={
        "title": "UK Sanctions List (normalised tables)",
        "publisher": "FCDO; tables normalised by github.com/covyr/uk-sanctions-list",
        "urls": {f"{t}.csv": f"{_TABLES_AT}{t}.csv" for t in TABLES},
        "format": "uk_normalised",
    }
)

SCHEMAS = {"individual": Schema.PERSON, "entity": Schema.ORGANIZATION, "ship": Schema.VESSEL}
NAME_TYPES = {
    "primary_name": "primary",
    "primary_name_variation": "primary_variation",
    "primary": "primary",
    "primary_variation": "primary_variation",
    "alias": "alias",
}
ALIAS_STRENGTHS = {"good_quality_aka": AliasStrength.STRONG, "low_quality_aka": AliasStrength.WEAK}

# The official CSV header, as published since the FCDO list became the sole UK list (2026-01-28).
# Source: moov-io/watchman pkg/sources/csl_uk/reader_uk_test.go (a UK-Sanctions-List.csv header
# with its "Report Date:" first line), agreeing with the column names that
# covyr/uk-sanctions-list transform.py normalises (designation_type, name_6, alias_strength …).
CSV_COLUMNS = [
    "Last Updated",
    "Unique ID",
    "OFSI Group ID",
    "UN Reference Number",
    "Name 6",
    "Name 1",
    "Name 2",
    "Name 3",
    "Name 4",
    "Name 5",
    "Name type",
    "Alias strength",
    "Title",
    "Name non-latin script",
    "Non-latin script type",
    "Non-latin script language",
    "Regime Name",
    "Designation Type",
    "Designation source",
    "Sanctions Imposed",
    "Other Information",
    "UK Statement of Reasons",
    "Address Line 1",
    "Address Line 2",
    "Address Line 3",
    "Address Line 4",
    "Address Line 5",
    "Address Line 6",
    "Address Postal Code",
    "Address Country",
    "Phone number",
    "Website",
    "Email address",
    "Date Designated",
    "D.O.B",
    "Nationality(/ies)",
    "National Identifier number",
    "National Identifier additional information",
    "Passport number",
    "Passport additional information",
    "Position",
    "Gender",
    "Town of birth",
    "Country of birth",
    "Type of entity",
    "Subsidiaries",
    "Parent company",
    "Business registration number (s)",
    "IMO number",
    "Current owner/operator (s)",
    "Previous owner/operator (s)",
    "Current believed flag of ship",
    "Previous flags",
    "Type of ship",
    "Tonnage of ship",
    "Length of ship",
    "Year Built",
    "Hull identification number (HIN)",
]
REQUIRED_COLUMNS = ("Unique ID", "Name 6", "Name type", "Designation Type")
NAME_COLUMNS = ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name 6")
ADDRESS_LINES = tuple(f"Address Line {i}" for i in range(1, 7))
ADDRESS_COLUMNS = (*ADDRESS_LINES, "Address Postal Code", "Address Country")
# column → feature name, for cells describing the subject
FEATURE_COLUMNS = {
    "OFSI Group ID": "OFSI group ID",
    "UN Reference Number": "UN reference number",
    "Last Updated": "last updated",
    "Designation source": "designation source",
    "Sanctions Imposed": "sanctions imposed",
    "UK Statement of Reasons": "UK statement of reasons",
    "Position": "position",
    "Gender": "gender",
    "Type of entity": "type of entity",
    "Previous owner/operator (s)": "previous owner/operator",
    "Previous flags": "previous flags",
    "Length of ship": "length of ship",
    "Year Built": "year built",
}
# identifier columns, with the column beside them that qualifies the number
IDENTIFIER_COLUMNS = {
    "Passport number": "Passport additional information",
    "National Identifier number": "National Identifier additional information",
    "Business registration number (s)": None,
    "IMO number": None,
    "Hull identification number (HIN)": None,
    "Phone number": None,
    "Email address": None,
    "Website": None,
}
# the normalised tables' identifier_type → the official column it came from
TABLE_IDENTIFIERS = {
    "passport": "Passport number",
    "national": "National Identifier number",
    "business_registration_numbers": "Business registration number (s)",
    "imo": "IMO number",
}
# 'OGRN: 1025403641900', 'INN – 5261079332', 'Tax ID No. 7735007358 (Russia)'
_LABELLED_NUMBER = re.compile(
    r"(?P<label>[^:\-–]+?)\s*(?::|\s[-–]|–|\bno\.)\s*(?P<value>\S.*)", re.I
)
_IMO_PREFIX = re.compile(r"^IMO\s*", re.IGNORECASE)
_REPORT_DATE = re.compile(r"Report Date:\s*(?P<date>\S+)", re.IGNORECASE)


def uk_date(value: str | None) -> date | None:
    """DD/MM/YYYY, the UK list's only date form (clean.iso_date would read 05/11 as May)."""
    cleaned = clean.text(value)
    if not cleaned:
        return None
    try:
        return datetime.strptime(cleaned, "%d/%m/%Y").date()
    except ValueError:
        return None


def _label(value: str) -> str:
    """'Primary name variation' → 'primary_name_variation'; 'Good quality a.k.a' → '…_aka'."""
    return re.sub(
        r"_+", "_", re.sub(r"[^a-z0-9_]", "", re.sub(r"[ /]+", "_", value.strip().lower()))
    )


@dataclass
class UkName:
    full: str  # as published (name parts joined, padding kept)
    name_type: str  # primary / primary_variation / alias / non_latin
    strength: AliasStrength | None = None
    script: str | None = None
    lang: str | None = None


@dataclass
class UkSubject:
    unique_id: str
    subject_type: str
    fields: dict[str, list[str]]  # official column → distinct cleaned values, in order seen
    names: list[UkName] = field(default_factory=list)
    dates_of_birth: list[PartialDate] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    places_of_birth: list[str] = field(default_factory=list)
    birth_countries: list[str] = field(default_factory=list)
    issues: list[DataIssue] = field(default_factory=list)
    original: dict[str, Any] = field(default_factory=dict)

    def first(self, column: str) -> str | None:
        values = self.fields.get(column)
        return values[0] if values else None


def _add(values: list[str], value: str | None) -> None:
    if value and value not in values:
        values.append(value)


def _country(raw: str, iso: str | None, subject: UkSubject, field_name: str) -> str | None:
    code = clean.text(iso) or clean.country_code(raw)
    if code is None:
        subject.issues.append(
            DataIssue(field=field_name, message="country not recognised", value=raw)
        )
    return code


def _name_type(raw: str, subject: UkSubject) -> str:
    name_type = NAME_TYPES.get(_label(raw))
    if name_type is None:
        subject.issues.append(
            DataIssue(field="aliases", message="name type not recognised", value=raw)
        )
        return "alias"
    return name_type


def _strength(raw: str, subject: UkSubject) -> AliasStrength | None:
    label = _label(raw)
    if not label:
        return None
    strength = ALIAS_STRENGTHS.get(label)
    if strength is None:
        subject.issues.append(
            DataIssue(field="aliases", message="alias strength not recognised", value=raw)
        )
    return strength


def _dob(year: str, month: str, day: str, original: str, subject: UkSubject) -> None:
    """Keep the date as precise as given: unknown month or day ('dd/mm/1968') shortens it."""
    if not re.fullmatch(r"\d{4}", year):
        subject.issues.append(
            DataIssue(field="dates_of_birth", message="year not recognised", value=original)
        )
        return
    value = year
    if month.isdigit() and 1 <= int(month) <= 12:
        value = f"{year}-{int(month):02d}"
        if day.isdigit():
            try:
                value = date(int(year), int(month), int(day)).isoformat()
            except ValueError:
                subject.issues.append(
                    DataIssue(field="dates_of_birth", message="day not valid", value=original)
                )
    elif month.isdigit() and int(month) != 0:
        subject.issues.append(
            DataIssue(field="dates_of_birth", message="month not valid", value=original)
        )
    if all(d.value != value for d in subject.dates_of_birth):
        subject.dates_of_birth.append(PartialDate(value=value, original=original))


def _identifiers(column: str, raw: str, info: str | None) -> list[Identifier]:
    """One cell → identifiers. Registration cells list several labelled numbers, split on ';'."""
    table = label_table()
    column_type = table.identifier_type(column)
    if column == "Hull identification number (HIN)":
        # a hull number identifies a boat; the label table's 'identification number' means a person
        column_type = IdentifierType.OTHER
    original = f"{raw} ({info})" if info else raw
    country = clean.country_code(info) if info else None
    parts = clean.split_list(raw) if column == "Business registration number (s)" else [raw]
    identifiers: list[Identifier] = []
    for part in parts:
        id_type, label, value = column_type, column, part
        match = _LABELLED_NUMBER.fullmatch(part)
        if match and not any(c.isdigit() for c in match["label"]):
            label, value = match["label"].strip(), match["value"].strip()
            sub_type = table.identifier_type(label)
            if sub_type != IdentifierType.OTHER:
                id_type = sub_type
        if id_type == IdentifierType.IMO:
            value = _IMO_PREFIX.sub("", value)  # 'IMO9562233': the number is what other lists give
        identifiers.append(
            Identifier(type=id_type, value=value, country=country, label=label, original=original)
        )
    return identifiers


def _add_identifiers(subject: UkSubject, column: str, raw: str | None, info: str | None) -> None:
    if not raw:
        return
    for identifier in _identifiers(column, raw, info):
        if all(
            (i.type, i.value, i.original)
            != (identifier.type, identifier.value, identifier.original)
            for i in subject.identifiers
        ):
            subject.identifiers.append(identifier)


def _entry_names(subject: UkSubject) -> tuple[str, str, list[Alias]]:
    latin = [n for n in subject.names if n.name_type != "non_latin"]
    primary = next((n for n in latin if n.name_type == "primary"), None)
    if primary is None:
        subject.issues.append(DataIssue(field="name", message="no primary name; first name used"))
        primary = latin[0] if latin else UkName(full="", name_type="primary")
    name = clean.name(primary.full, subject.issues)
    seen = {name.casefold()}
    aliases: list[Alias] = []
    for candidate in subject.names:
        if candidate is primary:
            continue
        alias_name = clean.name(candidate.full, subject.issues, "aliases")
        # the list repeats names differing only in case ('Zhi Chen', 'Zhi CHEN')
        if not alias_name or alias_name.casefold() in seen:
            continue
        seen.add(alias_name.casefold())
        if candidate.name_type == "non_latin":
            strength, kind = AliasStrength.ORIGINAL_SCRIPT, "aka"
        else:
            strength = candidate.strength or AliasStrength.STRONG
            kind = "aka" if candidate.name_type == "alias" else "primary-variation"
        aliases.append(
            Alias(
                name=alias_name,
                original=candidate.full,
                strength=strength,
                script=candidate.script or clean.detect_script(alias_name),
                kind=kind,
                lang=candidate.lang,
            )
        )
    return name, primary.full, aliases


def map_subject(subject: UkSubject) -> ListEntry:
    name, name_original, aliases = _entry_names(subject)
    countries: list[str] = []
    for code in [
        *subject.nationalities,
        *(a.country for a in subject.addresses),
        *subject.birth_countries,
    ]:
        if code:
            _add(countries, code)
    features = {
        feature: subject.fields[column]
        for column, feature in FEATURE_COLUMNS.items()
        if subject.fields.get(column)
    }
    relations = [
        Relation(kind=kind, name=value, original=value)
        for column, kind in (("Parent company", "parent"), ("Subsidiaries", "subsidiary"))
        for value in subject.fields.get(column, [])
    ]
    vessel = VesselInfo(
        vessel_type=subject.first("Type of ship"),
        flag=subject.first("Current believed flag of ship"),
        owner=subject.first("Current owner/operator (s)"),
        tonnage=subject.first("Tonnage of ship"),
    )
    designated = sorted(
        (d, raw) for raw in subject.fields.get("Date Designated", []) if (d := uk_date(raw))
    )
    titles = subject.fields.get("Title", [])
    remarks = subject.fields.get("Other Information", [])
    schema = SCHEMAS.get(subject.subject_type, Schema.UNKNOWN)
    if schema == Schema.UNKNOWN:
        subject.issues.append(
            DataIssue(
                field="schema", message="subject type not recognised", value=subject.subject_type
            )
        )
    return ListEntry(
        entity_id=f"{CSV_SPEC.code}:{subject.unique_id}",
        source=CSV_SPEC.code,
        source_id=subject.unique_id,
        lists=["UK"],
        list_names=[CSV_SPEC.title],
        schema=schema,
        name=name,
        name_original=name_original,
        aliases=aliases,
        addresses=subject.addresses,
        countries=countries,
        nationalities=subject.nationalities,
        identifiers=subject.identifiers,
        dates_of_birth=subject.dates_of_birth,
        places_of_birth=subject.places_of_birth,
        programs=subject.fields.get("Regime Name", []),
        features=features,
        title="; ".join(titles) if titles else None,
        start_date=designated[0][1] if designated else subject.first("Date Designated"),
        listed_on=designated[0][0] if designated else None,
        remarks="\n".join(remarks) if remarks else None,
        relations=relations,
        vessel=vessel if vessel.model_dump(exclude_none=True) else None,
        issues=subject.issues,
        original=subject.original,
    )


def _csv_rows(data: bytes, file_name: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    if reader.fieldnames is None:
        raise SourceError(f"{file_name}: empty file")
    return list(reader)


class UkNormalised(EntryFormat[UkSubject]):
    name = "uk_normalised"
    spec = NORMALISED_SPEC
    parser_version = "1"
    required_files = tuple(f"{t}.csv" for t in TABLES)

    def _table(self, raw: RawFiles, table: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
        file_name = f"{table}.csv"
        rows = _csv_rows(raw.get(file_name), file_name)
        missing = [c for c in columns if rows and c not in rows[0]]
        if missing:
            raise SourceError(f"{file_name}: missing columns {missing}")
        return rows

    def read(self, raw: RawFiles) -> Iterator[UkSubject]:
        subjects: dict[str, UkSubject] = {}
        for line, row in enumerate(
            self._table(raw, "subjects", ("unique_id", "subject_type", "date_designated")), start=2
        ):
            uid = clean.text(row["unique_id"])
            if not uid:
                raise SourceError(f"subjects.csv: row at line {line} has no unique_id")
            subject = UkSubject(
                unique_id=uid,
                subject_type=(clean.text(row["subject_type"]) or "").lower(),
                fields={},
                original={"subject": {k: v for k, v in row.items() if v}},
            )
            for column, key in (
                ("Date Designated", "date_designated"),
                ("Last Updated", "last_updated"),
                ("OFSI Group ID", "ofsi_group_id"),
                ("UN Reference Number", "un_reference_number"),
            ):
                value = clean.text(row.get(key))
                if value:
                    subject.fields[column] = [value]
            subjects[uid] = subject

        def owner(table: str, row: dict[str, str]) -> UkSubject:
            subject = subjects.get(row["unique_id"])
            if subject is None:
                raise SourceError(f"{table}.csv: unique_id {row['unique_id']!r} is not a subject")
            subject.original.setdefault(table, []).append({k: v for k, v in row.items() if v})
            return subject

        for row in self._table(raw, "subject_names", ("unique_id", "name_type", "full_name")):
            subject = owner("subject_names", row)
            subject.names.append(
                UkName(
                    full=row["full_name"],
                    name_type=_name_type(row["name_type"], subject),
                    strength=_strength(row.get("alias_strength") or "", subject),
                )
            )
        for row in self._table(raw, "subject_dobs", ("unique_id", "year", "month", "day")):
            subject = owner("subject_dobs", row)
            year, month, day = row["year"], row["month"], row["day"]
            # The tables keep the parts, not the cell: re-compose it in the list's own form
            # ('dd/mm/1968' where a part is unknown).
            original = f"{day or 'dd'}/{month or 'mm'}/{year}"
            if "invalid" in (row.get("parse_issues") or ""):
                subject.issues.append(
                    DataIssue(
                        field="dates_of_birth",
                        message=f"date part not valid ({row['parse_issues']})",
                        value=original,
                    )
                )
            _dob(year, month, day, original, subject)
        for row in self._table(
            raw, "subject_identifiers", ("unique_id", "raw_value", "identifier_type")
        ):
            subject = owner("subject_identifiers", row)
            column = TABLE_IDENTIFIERS.get(row["identifier_type"], row["identifier_type"])
            _add_identifiers(
                subject,
                column,
                clean.text(row["raw_value"]),
                clean.text(row.get("additional_info")),
            )
        for row in self._table(
            raw, "subject_countries", ("unique_id", "raw_value", "country_type", "iso")
        ):
            subject = owner("subject_countries", row)
            raw_value = clean.text(row["raw_value"]) or ""
            kind = row["country_type"]
            if kind == "nationality":
                _add(
                    subject.nationalities, _country(raw_value, row["iso"], subject, "nationalities")
                )
            elif kind == "address":
                if all(a.original != raw_value for a in subject.addresses):
                    code = _country(raw_value, row["iso"], subject, "addresses")
                    subject.addresses.append(
                        Address(full=raw_value, country=code, original=raw_value)
                    )
            elif kind == "birth":
                if raw_value not in subject.places_of_birth:
                    subject.places_of_birth.append(raw_value)
                    _add(
                        subject.birth_countries,
                        _country(raw_value, row["iso"], subject, "places_of_birth"),
                    )
            else:
                subject.issues.append(
                    DataIssue(field="countries", message="country type not recognised", value=kind)
                )
        yield from subjects.values()

    def map(self, record: UkSubject) -> Iterator[ListEntry]:
        yield map_subject(record)

    def data_date(self, raw: RawFiles) -> date | None:
        rows = _csv_rows(raw.get("subjects.csv"), "subjects.csv")
        dates = [d for d in (uk_date(r.get("last_updated")) for r in rows) if d]
        return max(dates, default=None)


@dataclass(frozen=True)
class UkCsvRows:
    """All rows of one subject in the official CSV, with the line each started on."""

    unique_id: str
    rows: list[dict[str, str]]
    lines: list[int]


class UkCsv(EntryFormat[UkCsvRows]):
    name = "uk_csv"
    spec = CSV_SPEC
    parser_version = "1"
    required_files = ("UK-Sanctions-List.csv",)

    def _rows(self, raw: RawFiles) -> tuple[str | None, list[str], Iterator[tuple[int, list[str]]]]:
        file_name, content = self.single_file(raw)
        data = content.decode("utf-8-sig")
        reader = csv.reader(io.StringIO(data))
        first = next(reader, None)
        if first is None:
            raise SourceError(f"{file_name}: empty file")
        report_date = None
        header = [h.strip() for h in first]
        if "Unique ID" not in header:
            # the published file opens with 'Report Date: 29-Apr-2026' above the header
            report_date = " ".join(first)
            header = [h.strip() for h in next(reader, [])]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise SourceError(f"{file_name}: not the UK Sanctions List layout (missing {missing})")
        return report_date, header, ((reader.line_num, values) for values in reader)

    def read(self, raw: RawFiles) -> Iterator[UkCsvRows]:
        _, header, rows = self._rows(raw)
        groups: dict[str, UkCsvRows] = {}
        for line, values in rows:
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise SourceError(
                    f"UK-Sanctions-List.csv: record at line {line} has {len(values)} fields, "
                    f"expected {len(header)}"
                )
            row = dict(zip(header, values, strict=True))
            uid = clean.text(row["Unique ID"])
            if not uid:
                raise SourceError(f"UK-Sanctions-List.csv: record at line {line} has no Unique ID")
            group = groups.setdefault(uid, UkCsvRows(uid, [], []))
            group.rows.append(row)
            group.lines.append(line)
        yield from groups.values()

    def map(self, record: UkCsvRows) -> Iterator[ListEntry]:
        yield map_subject(subject_from_rows(record))

    def data_date(self, raw: RawFiles) -> date | None:
        report_date, header, rows = self._rows(raw)
        match = _REPORT_DATE.search(report_date or "")
        if match:
            for fmt in ("%d-%b-%Y", "%d/%m/%Y"):
                try:
                    return datetime.strptime(match["date"], fmt).date()
                except ValueError:
                    continue
        column = header.index("Last Updated") if "Last Updated" in header else None
        if column is None:
            return None
        dates = [d for d in (uk_date(v[column]) for _, v in rows if len(v) > column) if d]
        return max(dates, default=None)


def subject_from_rows(record: UkCsvRows) -> UkSubject:
    types = [t for t in (clean.text(r.get("Designation Type")) for r in record.rows) if t]
    subject = UkSubject(
        unique_id=record.unique_id,
        subject_type=types[0].lower() if types else "",
        fields={},
        original={"rows": [{k: v for k, v in r.items() if v} for r in record.rows]},
    )
    for row in record.rows:
        for column in (
            *FEATURE_COLUMNS,
            "Title",
            "Regime Name",
            "Date Designated",
            "Other Information",
            "Parent company",
            "Subsidiaries",
            "Type of ship",
            "Current believed flag of ship",
            "Current owner/operator (s)",
            "Tonnage of ship",
        ):
            _add(subject.fields.setdefault(column, []), clean.text(row.get(column)))
        full = " ".join(row[c] for c in NAME_COLUMNS if row.get(c) and row[c].strip())
        if full and all(n.full != full or n.name_type == "non_latin" for n in subject.names):
            subject.names.append(
                UkName(
                    full=full,
                    name_type=_name_type(row.get("Name type") or "", subject),
                    strength=_strength(row.get("Alias strength") or "", subject),
                )
            )
        non_latin = row.get("Name non-latin script") or ""
        if clean.text(non_latin) and all(n.full != non_latin for n in subject.names):
            subject.names.append(
                UkName(
                    full=non_latin,
                    name_type="non_latin",
                    script=clean.text(row.get("Non-latin script type")),
                    lang=clean.text(row.get("Non-latin script language")),
                )
            )
        dob = clean.text(row.get("D.O.B"))
        if dob:
            parts = dob.split("/")
            day, month, year = parts if len(parts) == 3 else ("", "", dob)
            _dob(year, month, day, dob, subject)
        for column, info_column in IDENTIFIER_COLUMNS.items():
            info = clean.text(row.get(info_column)) if info_column else None
            _add_identifiers(subject, column, clean.text(row.get(column)), info)
        nationality = clean.text(row.get("Nationality(/ies)"))
        if nationality:
            _add(subject.nationalities, _country(nationality, None, subject, "nationalities"))
        _csv_address(subject, row)
        place = ", ".join(
            v
            for v in (clean.text(row.get("Town of birth")), clean.text(row.get("Country of birth")))
            if v
        )
        if place and place not in subject.places_of_birth:
            subject.places_of_birth.append(place)
            birth_country = clean.text(row.get("Country of birth"))
            if birth_country:
                _add(
                    subject.birth_countries,
                    _country(birth_country, None, subject, "places_of_birth"),
                )
    subject.fields = {k: v for k, v in subject.fields.items() if v}
    return subject


def _csv_address(subject: UkSubject, row: dict[str, str]) -> None:
    lines = [v for v in (clean.text(row.get(c)) for c in ADDRESS_LINES) if v]
    postal_code = clean.text(row.get("Address Postal Code"))
    country_raw = clean.text(row.get("Address Country"))
    full = ", ".join([*lines, *(v for v in (postal_code, country_raw) if v)])
    if not full or any(a.full == full for a in subject.addresses):
        return
    subject.addresses.append(
        Address(
            full=full,
            street=lines[0] if lines else None,
            postal_code=postal_code,
            country=_country(country_raw, None, subject, "addresses") if country_raw else None,
            original=", ".join(row[c] for c in ADDRESS_COLUMNS if row.get(c)),
        )
    )
