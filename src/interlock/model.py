"""The domain model shared by every layer: sources, snapshots, list entries and their parts.

These models are the boundary types of the library. Their JSON form is a public contract: fields may
be added, never renamed or removed. Every cleaned value keeps the original text it came from.
"""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Schema(StrEnum):
    PERSON = "Person"
    ORGANIZATION = "Organization"
    VESSEL = "Vessel"
    AIRCRAFT = "Aircraft"
    UNKNOWN = "Unknown"


class AliasStrength(StrEnum):
    """How much a list trusts an alias: OFAC/UN/UK 'good'/'low' quality, original-script forms."""

    STRONG = "strong"
    WEAK = "weak"
    ORIGINAL_SCRIPT = "original-script"


class IdentifierType(StrEnum):
    USCC = "USCC"  # China's Unified Social Credit Code (18 characters)
    LEI = "LEI"
    PASSPORT = "passport"
    NATIONAL_ID = "national-id"
    TAX_ID = "tax-id"
    REGISTRATION = "registration"
    IMO = "IMO"
    MMSI = "MMSI"
    SWIFT = "SWIFT/BIC"
    EMAIL = "email"
    PHONE = "phone"
    WEBSITE = "website"
    DIGITAL_CURRENCY = "digital-currency-address"
    AIRCRAFT = "aircraft"
    OTHER = "other"


class Severity(StrEnum):
    WARNING = "warning"
    ERROR = "error"


class DataIssue(BaseModel):
    """A data-quality observation kept with the entry instead of silently fixing or dropping."""

    field: str
    message: str
    value: str | None = None
    severity: Severity = Severity.WARNING


class Alias(BaseModel):
    name: str
    original: str
    strength: AliasStrength = AliasStrength.STRONG
    script: str = "Latin"
    kind: str = "aka"  # aka / fka / nka / primary-variation / translation
    lang: str | None = None


class Address(BaseModel):
    full: str
    street: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2, or None when unresolved
    original: str


class Identifier(BaseModel):
    type: IdentifierType
    value: str
    country: str | None = None
    label: str | None = None  # the source's own name for the identifier type
    original: str


class Citation(BaseModel):
    """A Federal Register citation: '85 FR 34505', '68 F.R. 38290 6/27/03', 'Vol. 87, No. 57, 03/24/2022'.

    `page` is None where the source names only the issue number.
    """

    volume: int
    page: int | None = None
    issue: int | None = None
    date: Date | None = None
    raw: str


class Relation(BaseModel):
    """A link to another party named by the source (parent, sub-unit, linked-to)."""

    kind: str  # parent / subordinate-of / affiliated-with / successor-scope / linked-to
    name: str
    original: str


class PartialDate(BaseModel):
    """A date as precise as the source gives it: '1973', '1973-03' or '1973-03-25'."""

    value: str
    original: str


class VesselInfo(BaseModel):
    call_sign: str | None = None
    vessel_type: str | None = None
    flag: str | None = None
    owner: str | None = None
    tonnage: str | None = None
    gross_registered_tonnage: str | None = None


class ListEntry(BaseModel):
    """One entry of one list in one snapshot, cleaned, with the source's original values beside."""

    model_config = ConfigDict(populate_by_name=True)

    entity_id: str  # '<source>:<source_id>', unique within a snapshot
    source: str
    source_id: str
    lists: list[str]  # list codes: EL, SDN, DPL, MEU, UVL, CMIC, SSI, UN, UK …
    list_names: list[str] = Field(default_factory=list)
    schema_: Schema = Field(default=Schema.UNKNOWN, alias="schema")
    name: str
    name_original: str
    aliases: list[Alias] = Field(default_factory=list)
    addresses: list[Address] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)  # ISO2, any role (address, nationality …)
    nationalities: list[str] = Field(default_factory=list)
    identifiers: list[Identifier] = Field(default_factory=list)
    dates_of_birth: list[PartialDate] = Field(default_factory=list)
    places_of_birth: list[str] = Field(default_factory=list)
    programs: list[str] = Field(default_factory=list)
    # descriptive facts the source attaches (gender, listing dates per program, vessel flag history …)
    features: dict[str, list[str]] = Field(default_factory=dict)
    title: str | None = None
    license_requirement: str | None = None
    license_policy: str | None = None
    citations: list[Citation] = Field(default_factory=list)
    start_date: str | None = None  # as the source states it
    end_date: str | None = None
    listed_on: Date | None = None  # start_date parsed, when it is a full date
    remarks: str | None = None
    source_url: str | None = None
    relations: list[Relation] = Field(default_factory=list)
    vessel: VesselInfo | None = None
    issues: list[DataIssue] = Field(default_factory=list)
    original: dict[str, Any] = Field(default_factory=dict)
    # Bitemporal slots: valid time (legal effect) and knowledge time (when interlock learned it).
    valid_from: Date | None = None
    valid_to: Date | None = None
    recorded_at: datetime | None = None
    superseded_at: datetime | None = None

    def all_names(self) -> list[str]:
        return [self.name, *(a.name for a in self.aliases)]


class SourceSpec(BaseModel):
    """A list publisher's feed as interlock knows it."""

    code: str  # us_csl, us_ofac_sdn, us_ofac_cons, us_bis_dpl, un_sc, gb_uk, ftm, us_fr
    title: str
    publisher: str
    urls: dict[str, str]  # file name -> official URL
    licence: str
    format: str


class Coverage(StrEnum):
    FULL = "full"  # the whole list: an entry absent from it has been removed
    SUBSET = "subset"  # part of the list: absence proves nothing


class SnapshotStatus(StrEnum):
    ACCEPTED = "accepted"
    QUARANTINED = "quarantined"
    REJECTED = "rejected"


class SnapshotFile(BaseModel):
    name: str
    sha256: str
    size: int


class Snapshot(BaseModel):
    """One fetched or bundled raw file set of a source, and what loading it produced."""

    id: int | None = None
    source: str
    format: str
    sha256: str  # of the file manifest; equals the file's sha256 for single-file snapshots
    size: int
    files: list[SnapshotFile]
    retrieved_at: datetime
    data_date: Date | None
    parser_version: str
    row_count: int
    entry_count: int
    origin: str  # bundled / fetched / file
    coverage: Coverage = Coverage.FULL
    status: SnapshotStatus = SnapshotStatus.ACCEPTED
    status_reason: str | None = None
    loaded_at: datetime | None = None
    issue_count: int = 0  # entry-level data issues, over all entries
    issues: list[DataIssue] = Field(default_factory=list)  # about the snapshot as a whole


class FederalRegisterDocument(BaseModel):
    """A Federal Register document (rule or notice) as published; the source of list events."""

    document_number: str  # e.g. '2023-25557'
    citation: Citation | None = None  # e.g. 88 FR 80131, when the source gives it
    publication_date: Date
    effective_date: Date | None = None  # often absent; can precede publication
    title: str
    abstract: str | None = None
    document_type: str | None = None  # Rule / Proposed Rule / Notice / Presidential Document
    agencies: list[str] = Field(default_factory=list)
    url: str | None = None
    issues: list[DataIssue] = Field(default_factory=list)
    original: dict[str, Any] = Field(default_factory=dict)
