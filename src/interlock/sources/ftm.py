"""FollowTheMoney (FtM) entities and deltas, as OpenSanctions publishes them and yente reads them.

An entities file (`entities.ftm.json`) is JSON lines, one FtM entity per line: `id`, `schema`,
`caption`, multi-valued `properties`, plus `datasets`, `referents` and crawl timestamps. Parties
(Person, Organization and its kin, Vessel, Airplane) map to one list entry each. Every other
schema (Address, Sanction, Ownership, Identification, …) maps to no entry: parse_snapshot still
counts it as a row, so `row_count - len(entries)` is the number of non-party entities.

A delta file (`entities.delta.json`) is JSON lines of `{"op": "ADD|MOD|DEL", "entity": {…}}`
taking one dataset version to the next; a DEL names only the entity id. The delta index
(`delta.json`) lists the versions with the URL of each delta file. `apply_deltas` applies mapped
changes to a state.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from interlock.model import (
    Address,
    Alias,
    AliasStrength,
    DataIssue,
    Identifier,
    IdentifierType,
    ListEntry,
    Schema,
    Severity,
    SourceSpec,
    VesselInfo,
)
from interlock.sources import clean
from interlock.sources.base import EntryFormat, ListFormat, RawFiles, SourceError

SPEC = SourceSpec(
    code="ftm",
    title="OpenSanctions consolidated sanctions (FollowTheMoney entities)",
    publisher="OpenSanctions",
    urls={
        "entities.ftm.json": "https://data.opensanctions.org/datasets/latest/sanctions/entities.ftm.json"
    },
    licence="CC BY-NC 4.0 (OpenSanctions; commercial use needs an OpenSanctions licence)",
    format="ftm_entities",
)
DELTA_INDEX_URL = "https://data.opensanctions.org/datasets/latest/sanctions/delta.json"
DELTA_SPEC = SPEC.model_copy(
    update={
        "title": "OpenSanctions consolidated sanctions (FollowTheMoney deltas)",
        "urls": {"delta.json": DELTA_INDEX_URL},
        "format": "ftm_delta",
    }
)

PARTY_SCHEMATA = {
    "Person": Schema.PERSON,
    "Organization": Schema.ORGANIZATION,
    "Company": Schema.ORGANIZATION,
    "LegalEntity": Schema.ORGANIZATION,
    "PublicBody": Schema.ORGANIZATION,
    "Vessel": Schema.VESSEL,
    "Airplane": Schema.AIRCRAFT,
}

# FtM property → (identifier type, issuing country when the property itself implies one). The
# Russian codes come first: OpenSanctions repeats them in taxNumber / registrationNumber, and the
# repeat is dropped so the identifier is kept once, with its country.
IDENTIFIERS: dict[str, tuple[IdentifierType, str | None]] = {
    "innCode": (IdentifierType.TAX_ID, "RU"),
    "ogrnCode": (IdentifierType.REGISTRATION, "RU"),
    # FtM's idNumber is any "ID number" (national id, OKPO code, …): the type stays open.
    "idNumber": (IdentifierType.OTHER, None),
    "registrationNumber": (IdentifierType.REGISTRATION, None),
    "taxNumber": (IdentifierType.TAX_ID, None),
    "vatCode": (IdentifierType.TAX_ID, None),
    "leiCode": (IdentifierType.LEI, None),
    "imoNumber": (IdentifierType.IMO, None),
    "mmsi": (IdentifierType.MMSI, None),
    "passportNumber": (IdentifierType.PASSPORT, None),
    "swiftBic": (IdentifierType.SWIFT, None),
    "email": (IdentifierType.EMAIL, None),
    "phone": (IdentifierType.PHONE, None),
    "website": (IdentifierType.WEBSITE, None),
}

# Name properties in the order their values become aliases: (property, alias kind, strength).
ALIAS_PROPERTIES = (
    ("name", "primary-variation", None),
    ("alias", "aka", None),
    ("weakAlias", "aka", AliasStrength.WEAK),
    ("previousName", "fka", None),
)
ENTITY_FEATURES = ("referents", "first_seen", "last_seen", "last_change", "target")


def _json_lines(file_name: str, data: bytes) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{file_name}: not UTF-8 ({exc})") from None
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SourceError(f"{file_name}: line {line_no} is not JSON ({exc})") from None
        if not isinstance(value, dict):
            raise SourceError(f"{file_name}: line {line_no} is not a JSON object")
        yield line_no, value


def _entity(file_name: str, line_no: int, entity: Any, *, needs_schema: bool) -> dict[str, Any]:
    if not isinstance(entity, dict) or not isinstance(entity.get("id"), str) or not entity["id"]:
        raise SourceError(f"{file_name}: line {line_no} has no entity id")
    if needs_schema and not isinstance(entity.get("schema"), str):
        raise SourceError(f"{file_name}: line {line_no} (entity {entity['id']}) has no schema")
    if not isinstance(entity.get("properties", {}), dict):
        raise SourceError(f"{file_name}: line {line_no} (entity {entity['id']}) has bad properties")
    return entity


class FtmEntities(EntryFormat[dict[str, Any]]):
    name = "ftm_entities"
    spec = SPEC
    parser_version = "1"
    required_files = ("entities.ftm.json",)

    def read(self, raw: RawFiles) -> Iterator[dict[str, Any]]:
        file_name, content = self.single_file(raw)
        for line_no, value in _json_lines(file_name, content):
            yield _entity(file_name, line_no, value, needs_schema=True)

    def map(self, record: dict[str, Any]) -> Iterator[ListEntry]:
        entry = map_entity(record)
        if entry is not None:
            yield entry


def entity_id(ftm_id: str) -> str:
    return f"{SPEC.code}:{ftm_id}"


def primary_name(caption: str | None, names: list[str]) -> str | None:
    """The entry's name among an entity's `name` values, chosen the same way whatever their order.

    OpenSanctions' caption comes first: FtM computes it deterministically from the names, and it is
    what OpenSanctions itself displays. It must be a Latin-script `name` value, because interlock's
    other lists name parties in Latin script and original-script forms are kept as aliases. Failing
    that: the first Latin-script name in sorted order, then the first name in sorted order (FtM
    property values are sets; their order in the file is not stable from one version to the next).
    """
    if caption in names and clean.detect_script(caption) == "Latin":
        return caption
    latin = sorted(n for n in names if clean.detect_script(n) == "Latin")
    if latin:
        return latin[0]
    return min(names) if names else None


def map_entity(entity: dict[str, Any]) -> ListEntry | None:
    """One FtM entity → a list entry; None for a non-party schema (Address, Sanction, …).

    Properties with no field of their own go to `features` under their FtM names, so nothing the
    entity says is dropped; the whole entity is kept as `original`.
    """
    schema = PARTY_SCHEMATA.get(entity.get("schema") or "")
    if schema is None:
        return None
    ftm_id: str = entity["id"]
    issues: list[DataIssue] = []
    properties: dict[str, list[Any]] = entity.get("properties") or {}
    unused = {prop: [str(v) for v in values] for prop, values in properties.items() if values}
    features: dict[str, list[str]] = {}

    def take(prop: str) -> list[str]:
        return [v for v in (clean.text(v) for v in unused.pop(prop, [])) if v]

    def single(prop: str, values: list[str] | None = None) -> str | None:
        """The first value, for a one-value field; all values go to features if there are more."""
        values = take(prop) if values is None else values
        if len(values) > 1:
            features[prop] = values
        return values[0] if values else None

    caption = clean.text(entity.get("caption"))
    name_values = {prop: unused.pop(prop, []) for prop, _, _ in ALIAS_PROPERTIES}
    names = [clean.name(v, issues) for v in name_values["name"]]
    name = primary_name(caption, [n for n in names if n]) or caption
    if name is None:
        issues.append(
            DataIssue(
                field="name", message="entity has no name and no caption", severity=Severity.ERROR
            )
        )
    name_original = next((v for v in name_values["name"] if clean.name(v) == name), name or "")
    aliases = _aliases(name_values, name or "", issues)

    nationality_values = [*take("nationality"), *take("citizenship")]
    countries = clean.countries(
        [*take("country"), *nationality_values, *take("jurisdiction")], issues, "countries"
    )
    # an unrecognised nationality is already an issue from the countries above
    nationalities = clean.countries(nationality_values, [], "nationalities")
    dates_of_birth = []
    for value in take("birthDate"):
        parsed = clean.partial_date(value)
        if parsed is None:
            issues.append(
                DataIssue(field="dates_of_birth", message="date not recognised", value=value)
            )
        else:
            dates_of_birth.append(parsed)

    identifiers: list[Identifier] = []
    for prop, (id_type, country) in IDENTIFIERS.items():
        if prop == "registrationNumber" and schema == Schema.AIRCRAFT:
            id_type = IdentifierType.AIRCRAFT  # an airplane's registration is its tail number
        for value in take(prop):
            if any(i.type == id_type and i.value == value for i in identifiers):
                continue
            identifiers.append(
                Identifier(type=id_type, value=value, country=country, label=prop, original=value)
            )

    vessel = None
    if schema == Schema.VESSEL:
        flag = single("flag")
        vessel = VesselInfo(
            call_sign=single("callSign"),
            vessel_type=single("type"),
            flag=(clean.country_code(flag) or flag.upper()) if flag else None,
            tonnage=single("tonnage"),
            gross_registered_tonnage=single("grossRegisteredTonnage"),
        )

    programs: list[str] = []
    for value in [*take("program"), *take("programId")]:
        if value not in programs:
            programs.append(value)
    notes = take("notes")
    # createdAt is the date the publisher recorded the listing; first_seen is only when
    # OpenSanctions' crawler first saw it.
    start_date = single("createdAt", sorted(take("createdAt")))
    source_url = single("sourceUrl")
    addresses = [Address(full=v, original=v) for v in take("address")]
    places_of_birth = take("birthPlace")

    features.update(unused)
    for key in ENTITY_FEATURES:
        meta = entity.get(key)
        if isinstance(meta, list):
            if meta:
                features[key] = [str(v) for v in meta]
        elif meta is not None:
            features[key] = [str(meta).lower() if isinstance(meta, bool) else str(meta)]

    return ListEntry(
        entity_id=entity_id(ftm_id),
        source=SPEC.code,
        source_id=ftm_id,
        lists=[str(d) for d in entity.get("datasets") or []],
        schema=schema,
        name=name or "",
        name_original=name_original,
        aliases=aliases,
        addresses=addresses,
        countries=countries,
        nationalities=nationalities,
        identifiers=identifiers,
        dates_of_birth=dates_of_birth,
        places_of_birth=places_of_birth,
        programs=programs,
        features=features,
        start_date=start_date,
        listed_on=clean.iso_date(start_date),
        remarks="\n".join(notes) or None,
        source_url=source_url,
        vessel=vessel,
        issues=issues,
        original=entity,
    )


def _aliases(
    properties: dict[str, list[str]], primary: str, issues: list[DataIssue]
) -> list[Alias]:
    """Every name but the primary, once: spellings differing only in letter case add nothing."""
    seen = {primary.casefold()}
    aliases = []
    for prop, kind, strength in ALIAS_PROPERTIES:
        for value in properties.get(prop, []):
            cleaned = clean.name(value, issues, field="aliases")
            if not cleaned or cleaned.casefold() in seen:
                continue
            seen.add(cleaned.casefold())
            script = clean.detect_script(cleaned)
            if strength is None:
                strength_ = (
                    AliasStrength.STRONG if script == "Latin" else AliasStrength.ORIGINAL_SCRIPT
                )
            else:
                strength_ = strength
            aliases.append(
                Alias(name=cleaned, original=value, strength=strength_, script=script, kind=kind)
            )
    return aliases


class Op(StrEnum):
    ADD = "ADD"
    MOD = "MOD"
    DEL = "DEL"


@dataclass(frozen=True)
class DeltaRecord:
    op: Op
    entity: dict[str, Any]
    line: int


@dataclass(frozen=True)
class Change:
    """One delta operation, mapped. `entry` is None for a DEL and for a non-party entity."""

    op: Op
    entity_id: str
    entry: ListEntry | None


class FtmDelta(ListFormat[DeltaRecord, Change]):
    name = "ftm_delta"
    spec = DELTA_SPEC
    parser_version = "1"
    required_files = ("entities.delta.json",)

    def fetch(self, fetcher: Any) -> RawFiles:
        """The latest version's delta: the index names it, so the index is fetched first."""
        index = read_delta_index(fetcher.get(DELTA_INDEX_URL))
        if not index.versions:
            raise SourceError(f"{DELTA_INDEX_URL}: the delta index lists no versions")
        return RawFiles({self.required_files[0]: fetcher.get(index.versions[-1].url)})

    def read(self, raw: RawFiles) -> Iterator[DeltaRecord]:
        file_name, content = self.single_file(raw)
        for line_no, value in _json_lines(file_name, content):
            try:
                op = Op(str(value.get("op")))
            except ValueError:
                raise SourceError(
                    f"{file_name}: line {line_no} has op {value.get('op')!r}, "
                    f"expected ADD, MOD or DEL"
                ) from None
            entity = _entity(file_name, line_no, value.get("entity"), needs_schema=op != Op.DEL)
            yield DeltaRecord(op, entity, line_no)

    def map(self, record: DeltaRecord) -> Iterator[Change]:
        entry = None if record.op == Op.DEL else map_entity(record.entity)
        yield Change(record.op, entity_id(record.entity["id"]), entry)


@dataclass
class DeltaResult:
    """The state after applying changes, and what happened: every operation shows up in a count.

    `added` counts entries new to the state, `modified` entries replaced, `deleted` entries removed,
    `non_party` ADD/MOD operations on entities that are no list entry. Operations that did not fit
    the state (a MOD or DEL of an unknown id, an ADD of a known one) are also listed in `issues`.
    """

    entries: dict[str, ListEntry]
    added: int = 0
    modified: int = 0
    deleted: int = 0
    non_party: int = 0
    issues: list[DataIssue] = field(default_factory=list)


def apply_deltas(entries: dict[str, ListEntry], changes: Iterable[Change]) -> DeltaResult:
    """Apply changes in order to a copy of `entries` (keyed by entity_id); the input is unchanged.

    A MOD carries the whole entity, so a MOD of an unknown id still adds it, and an ADD of a known
    id replaces it, both with a warning. A DEL of an unknown id is warned: a DEL names only the id,
    so it cannot be told apart from the deletion of a non-party entity, which never has an entry.
    """
    result = DeltaResult(entries=dict(entries))
    state = result.entries

    def warn(change: Change, message: str) -> None:
        result.issues.append(
            DataIssue(field="op", message=f"{change.op} {message}", value=change.entity_id)
        )

    for change in changes:
        known = change.entity_id in state
        if change.op == Op.DEL:
            if known:
                del state[change.entity_id]
                result.deleted += 1
            else:
                warn(change, "of an entity not in the state: nothing deleted")
        elif change.entry is None:
            result.non_party += 1
            if known:
                # the entity changed schema to a non-party one: it is no longer a list entry
                del state[change.entity_id]
                result.deleted += 1
                warn(change, "turned a list entry into a non-party entity: entry removed")
        else:
            state[change.entity_id] = change.entry
            if known:
                result.modified += 1
                if change.op == Op.ADD:
                    warn(change, "of an entity already in the state: replaced")
            else:
                result.added += 1
                if change.op == Op.MOD:
                    warn(change, "of an entity not in the state: added")
    return result


@dataclass(frozen=True)
class DeltaVersion:
    version: str  # e.g. '20240527194702-wnk': UTC timestamp, then a random suffix
    url: str


@dataclass(frozen=True)
class DeltaIndex:
    versions: list[DeltaVersion]  # oldest first
    updated_at: datetime | None


def read_delta_index(data: bytes) -> DeltaIndex:
    """Parse a delta index (`delta.json`): `{"versions": {version: url}, "updated_at": …}`.

    Versions are sorted by id, which starts with their timestamp, so the order is chronological
    whatever order the JSON object has.
    """
    try:
        document = json.loads(data)
    except json.JSONDecodeError as exc:
        raise SourceError(f"delta index: not JSON ({exc})") from None
    versions = document.get("versions") if isinstance(document, dict) else None
    if not isinstance(versions, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in versions.items()
    ):
        raise SourceError("delta index: expected 'versions' mapping version ids to URLs")
    updated = document.get("updated_at")
    try:
        updated_at = datetime.fromisoformat(updated) if isinstance(updated, str) else None
    except ValueError:
        raise SourceError(f"delta index: updated_at {updated!r} is not a timestamp") from None
    return DeltaIndex(
        versions=[DeltaVersion(v, versions[v]) for v in sorted(versions)], updated_at=updated_at
    )
