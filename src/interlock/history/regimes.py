"""Dated rule regimes (`data/regimes.yaml`): rules that restrict without touching a list entry.

A regime's state on a date comes from its phases, each established by a document and knowable from
that document's publication. Where phases overlap, the one recorded later governs: a suspension
overrides the open-ended original rule, an operator-recorded extension overrides a scheduled
return. A scheduled phase (the Affiliates Rule's return on 2026-11-10) is reported as scheduled,
with its condition, for as long as its date is in the future of the reference date (`known_at`,
else today); after that it is in force, unless an extension has been recorded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from interlock.history.curated import FR_DOCUMENT_NUMBER, known_lists
from interlock.history.datafile import HistoryDataError, describe, http_url, load_yaml
from interlock.model import Citation
from interlock.sources import clean

REGIMES_FILE = "regimes.yaml"
_REGIME_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class PhaseStatus(StrEnum):
    IN_FORCE = "in_force"
    SUSPENDED = "suspended"
    SCHEDULED = "scheduled"


class RegimeStatus(StrEnum):
    IN_FORCE = "in_force"
    SUSPENDED = "suspended"
    NOT_YET = "not_yet"  # before the regime's first phase
    ENDED = "ended"  # after the last phase that has an end


def _one_citation(value: str | None) -> Citation | None:
    if value is None:
        return None
    found = clean.citations(value)
    if len(found) != 1:
        raise ValueError(f"{value!r} is not one Federal Register citation")
    return found[0]


class PhaseDocument(BaseModel):
    """The instrument that establishes a phase."""

    model_config = ConfigDict(extra="forbid")

    title: str
    citation: str | None = None
    document_number: str | None = None
    published: date
    url: str
    verified: bool
    unverified: list[str] = Field(default_factory=list)  # fields of this document marked [U]
    note: str | None = None

    @field_validator("title", "note")
    @classmethod
    def _fold(cls, value: str | None) -> str | None:
        return " ".join(value.split()) if value else value

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        return http_url(value)

    @field_validator("citation")
    @classmethod
    def _check_citation(cls, value: str | None) -> str | None:
        _one_citation(value)
        return value

    @field_validator("document_number")
    @classmethod
    def _check_number(cls, value: str | None) -> str | None:
        if value is not None and not FR_DOCUMENT_NUMBER.fullmatch(value):
            raise ValueError(f"{value!r} is not an FR Doc number (YYYY-NNNNN)")
        return value

    @model_validator(mode="after")
    def _unverified_fields_exist(self) -> PhaseDocument:
        for name in self.unverified:
            if name not in type(self).model_fields or getattr(self, name) is None:
                raise ValueError(f"unverified names {name!r}, which this document does not give")
        return self


class Relief(BaseModel):
    """A general licence or similar that authorises some transactions while the regime applies."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    title: str
    start: date = Field(alias="from")
    end: date | None = Field(default=None, alias="to")
    note: str | None = None
    source_url: str
    verified: bool

    @field_validator("source_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        return http_url(value)

    def active(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class RegimePhase(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    status: PhaseStatus
    start: date = Field(alias="from")
    end: date | None = Field(default=None, alias="to")
    recorded_at: date  # when the phase became knowable: its document's publication
    condition: str | None = None
    document: PhaseDocument
    reliefs: list[Relief] = Field(default_factory=list)
    origin: str = "curated"  # curated (data/regimes.yaml) / operator

    @model_validator(mode="after")
    def _consistent(self) -> RegimePhase:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"phase ends ({self.end}) before it starts ({self.start})")
        if self.status == PhaseStatus.SCHEDULED and not self.condition:
            raise ValueError("a scheduled phase states its condition")
        if self.recorded_at < self.document.published:
            raise ValueError(
                f"recorded_at {self.recorded_at} precedes the document's publication "
                f"{self.document.published}"
            )
        return self

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class OfacProgram(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tag: str
    program: str
    group: str
    verified: bool  # that the regime covers the program
    tag_verified: bool  # that OFAC spells the tag this way


class Ownership(BaseModel):
    model_config = ConfigDict(extra="forbid")

    threshold_percent: float
    aggregate: bool
    indirect: bool
    owner_lists: list[str]
    owner_regimes: list[str] = Field(default_factory=list)


class Substances(BaseModel):
    model_config = ConfigDict(extra="forbid")

    count: int
    names: list[str]
    names_verified: bool
    description: str | None = None


class Scope(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ofac_programs: list[OfacProgram] = Field(default_factory=list)
    ownership: Ownership | None = None
    origin: str | None = None
    destinations: list[str] = Field(default_factory=list)
    substances: Substances | None = None


class Regime(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    jurisdiction: str
    agency: str
    legal_basis: str
    citation: str | None
    document_number: str | None
    effect: str
    source_urls: list[str] = Field(min_length=1)
    verified: bool
    unverified: list[str] = Field(default_factory=list)
    scope: Scope
    phases: list[RegimePhase] = Field(min_length=1)
    notes: list[str] = Field(default_factory=list)

    @field_validator("title", "legal_basis", "effect")
    @classmethod
    def _fold(cls, value: str) -> str:
        return " ".join(value.split())

    @field_validator("notes")
    @classmethod
    def _fold_notes(cls, values: list[str]) -> list[str]:
        return [" ".join(v.split()) for v in values]

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not _REGIME_ID.fullmatch(value):
            raise ValueError("must be lower-case words and digits joined by '-'")
        return value

    @field_validator("source_urls")
    @classmethod
    def _check_urls(cls, values: list[str]) -> list[str]:
        return [http_url(v) for v in values]

    @field_validator("citation")
    @classmethod
    def _check_citation(cls, value: str | None) -> str | None:
        _one_citation(value)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Regime:
        codes = [self.jurisdiction, self.scope.origin, *self.scope.destinations]
        for code in (c for c in codes if c is not None):
            if clean.country_code(code) != code:
                raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 code")
        tags = [p.tag for p in self.scope.ofac_programs]
        if len(tags) != len(set(tags)):
            raise ValueError("an OFAC program tag is listed twice")
        if self.scope.ownership:
            unknown = set(self.scope.ownership.owner_lists) - set(known_lists())
            if unknown:
                raise ValueError(f"unknown owner lists {sorted(unknown)}")
        substances = self.scope.substances
        if substances and substances.names and len(substances.names) != substances.count:
            raise ValueError(
                f"{len(substances.names)} substance names for a count of {substances.count}"
            )
        for name in self.unverified:
            if name not in type(self).model_fields:
                raise ValueError(f"unverified names unknown field {name!r}")
        return self

    @property
    def citation_parsed(self) -> Citation | None:
        return _one_citation(self.citation)


class ScheduledChange(BaseModel):
    """A phase fixed to start on a date under a condition; `pending` while that date is ahead."""

    starts_on: date
    becomes: RegimeStatus
    condition: str
    pending: bool  # the date is after the reference date: a projection, not yet a fact
    document: PhaseDocument


class RegimeState(BaseModel):
    """A regime on `as_of`, as known at `known_at` (None: everything recorded)."""

    id: str
    title: str
    as_of: date
    known_at: date | None
    reference_date: date  # what "future" means for a scheduled phase: known_at, else today
    state: RegimeStatus
    restricted: bool  # the regime applies on as_of
    since: date | None  # start of the governing phase
    until: date | None  # its end, where set
    phase: RegimePhase | None
    scheduled: ScheduledChange | None
    reliefs: list[Relief] = Field(default_factory=list)  # active on as_of
    caveat: str | None
    explanation: str
    citation: str | None
    document_number: str | None
    source_urls: list[str]
    verified: bool  # the regime and the governing phase's document are marked [V]
    unverified: list[str] = Field(default_factory=list)  # parts carried as unverified


class RecordedPhase(BaseModel):
    """An operator-recorded phase of a regime (an extension of a suspension, a new end date)."""

    regime_id: str
    phase: RegimePhase


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    source: str
    regimes: list[dict[str, Any]]


def parse_regimes(text: str, file_name: str = REGIMES_FILE) -> list[Regime]:
    try:
        table = _File.model_validate(load_yaml(text, file_name))
    except ValidationError as exc:
        raise HistoryDataError(f"{file_name}: {describe(exc)}") from None
    regimes: list[Regime] = []
    for position, row in enumerate(table.regimes, start=1):
        label = f"{file_name}: regime {row.get('id') or f'#{position}'}"
        try:
            regime = Regime.model_validate(row)
        except ValidationError as exc:
            raise HistoryDataError(f"{label}: {describe(exc)}") from None
        if any(r.id == regime.id for r in regimes):
            raise HistoryDataError(f"{label}: field id: duplicate id")
        regimes.append(regime)
    known = {r.id for r in regimes}
    for regime in regimes:
        owners = regime.scope.ownership.owner_regimes if regime.scope.ownership else []
        for owner in owners:
            if owner not in known:
                raise HistoryDataError(
                    f"{file_name}: regime {regime.id}: field scope.ownership.owner_regimes: "
                    f"unknown regime {owner!r}"
                )
    return regimes


@cache
def _bundled() -> tuple[Regime, ...]:
    text = resources.files("interlock.data").joinpath(REGIMES_FILE).read_text("utf-8")
    return tuple(parse_regimes(text))


def load_regimes() -> list[Regime]:
    return [regime.model_copy(deep=True) for regime in _bundled()]


def operator_phase(
    *,
    regime_id: str,
    status: PhaseStatus | str,
    start: date,
    end: date | None,
    recorded_at: date,
    document_title: str,
    document_published: date,
    source_url: str,
    verified: bool = False,
    citation: str | None = None,
    document_number: str | None = None,
    condition: str | None = None,
    note: str | None = None,
) -> RecordedPhase:
    """A phase an operator records, such as an extension of the Affiliates Rule's suspension."""
    regimes = {r.id: r for r in _bundled()}
    if regime_id not in regimes:
        raise HistoryDataError(
            f"operator phase: field regime_id: unknown regime {regime_id!r}; known: "
            f"{', '.join(regimes)}"
        )
    try:
        phase = RegimePhase.model_validate(
            {
                "status": status,
                "from": start,
                "to": end,
                "recorded_at": recorded_at,
                "condition": condition,
                "origin": "operator",
                "document": {
                    "title": document_title,
                    "citation": citation,
                    "document_number": document_number,
                    "published": document_published,
                    "url": source_url,
                    "verified": verified,
                    "note": note,
                },
            }
        )
    except ValidationError as exc:
        raise HistoryDataError(f"operator phase of {regime_id}: {describe(exc)}") from None
    return RecordedPhase(regime_id=regime_id, phase=phase)


def _known(phases: Iterable[RegimePhase], known_at: date | None) -> list[RegimePhase]:
    return [p for p in phases if known_at is None or p.recorded_at <= known_at]


def _governing(phases: list[RegimePhase], day: date) -> RegimePhase | None:
    """The phase recorded last among those covering the day (later knowledge overrides)."""
    covering = [(p.recorded_at, position, p) for position, p in enumerate(phases) if p.covers(day)]
    return max(covering, key=lambda c: (c[0], c[1]))[2] if covering else None


def _status(phase: PhaseStatus) -> RegimeStatus:
    return RegimeStatus.SUSPENDED if phase == PhaseStatus.SUSPENDED else RegimeStatus.IN_FORCE


def _next_scheduled(phases: list[RegimePhase], as_of: date) -> RegimePhase | None:
    """The next change after as_of, when it is a scheduled phase."""
    for start in sorted({p.start for p in phases if p.start > as_of}):
        phase = _governing(phases, start)
        if phase is not None and phase.start == start:
            return phase if phase.status == PhaseStatus.SCHEDULED else None
    return None


def _phase_label(phase: RegimePhase) -> str:
    document = phase.document
    reference = document.citation or document.document_number or document.url
    span = f"from {phase.start}" + (f" to {phase.end}" if phase.end else "")
    return f"{phase.status.value} {span} by {document.title!r} ({reference})"


def regime_state(
    regime: Regime,
    as_of: date,
    known_at: date | None = None,
    recorded: Iterable[RecordedPhase] = (),
    today: date | None = None,
) -> RegimeState:
    """One regime on `as_of`, from the phases recorded by `known_at`."""
    reference = known_at or today or date.today()
    extra = [r.phase for r in recorded if r.regime_id == regime.id]
    phases = _known([*regime.phases, *extra], known_at)
    governing = _governing(phases, as_of)
    scheduled_phase: RegimePhase | None = None
    if governing is None:
        earlier = [p for p in phases if p.start <= as_of]
        state = RegimeStatus.ENDED if earlier else RegimeStatus.NOT_YET
        explanation = (
            f"no phase of the regime covers {as_of}: "
            + ("its last phase ended" if earlier else "it had not started")
            if phases
            else f"no phase of the regime was recorded by {known_at}"
        )
    else:
        state = _status(governing.status)
        explanation = _phase_label(governing)
        if governing.status == PhaseStatus.SCHEDULED:
            scheduled_phase = governing
    if scheduled_phase is None:
        scheduled_phase = _next_scheduled(phases, as_of)
    scheduled = None
    caveat = None
    if scheduled_phase is not None:
        pending = reference < scheduled_phase.start
        condition = scheduled_phase.condition or ""
        scheduled = ScheduledChange(
            starts_on=scheduled_phase.start,
            becomes=_status(PhaseStatus.IN_FORCE),
            condition=condition,
            pending=pending,
            document=scheduled_phase.document,
        )
        if scheduled_phase is governing:
            caveat = (
                f"in force again from {scheduled_phase.start} as scheduled, {condition} "
                f"(a projection: {scheduled_phase.start} is after {reference})"
                if pending
                else f"in force again since {scheduled_phase.start} as scheduled; no extension "
                f"recorded by {reference}"
            )
        else:
            caveat = f"scheduled to be in force from {scheduled_phase.start}, {condition}"
    unverified = [f"regime.{name}" for name in regime.unverified]
    programs = regime.scope.ofac_programs
    if any(not p.verified for p in programs):
        unverified.append(
            "scope.ofac_programs: coverage of "
            + ", ".join(p.tag for p in programs if not p.verified)
        )
    if any(not p.tag_verified for p in programs):
        unverified.append(
            f"scope.ofac_programs: spelling of {sum(not p.tag_verified for p in programs)} tags"
        )
    if regime.scope.substances and not regime.scope.substances.names_verified:
        unverified.append("scope.substances.names")
    if governing is not None:
        unverified += [f"phase document.{name}" for name in governing.document.unverified]
        if not governing.document.verified:
            unverified.append("phase document")
    return RegimeState(
        id=regime.id,
        title=regime.title,
        as_of=as_of,
        known_at=known_at,
        reference_date=reference,
        state=state,
        restricted=state == RegimeStatus.IN_FORCE,
        since=governing.start if governing else None,
        until=governing.end if governing else None,
        phase=governing,
        scheduled=scheduled,
        reliefs=[r for r in (governing.reliefs if governing else []) if r.active(as_of)],
        caveat=caveat,
        explanation=explanation,
        citation=regime.citation,
        document_number=regime.document_number,
        source_urls=regime.source_urls,
        verified=regime.verified and (governing is None or governing.document.verified),
        unverified=unverified,
    )


def regimes_in_force(
    as_of: date,
    known_at: date | None = None,
    recorded: Iterable[RecordedPhase] = (),
    today: date | None = None,
) -> list[RegimeState]:
    """Every regime's state on `as_of` (in force, suspended, not yet, ended) as known at `known_at`.

    `recorded` adds operator-recorded phases (extensions); `today` fixes the reference date used
    when `known_at` is None (default: the system date).
    """
    extra = list(recorded)
    return [regime_state(r, as_of, known_at, extra, today) for r in _bundled()]
