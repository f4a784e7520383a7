"""OFAC enhanced XML (`sanctionsData`): CONS_ENHANCED.XML and SDN_ENHANCED.XML, bare or zipped.

Unlike the legacy files it names each entry's lists with their publication dates, flags low-quality
names, gives each name translation its script, and carries dated features ("Listing Date (CMIC)").
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from interlock.model import (
    Address,
    Alias,
    AliasStrength,
    DataIssue,
    Identifier,
    ListEntry,
    Relation,
    Schema,
    SourceSpec,
)
from interlock.sources import clean
from interlock.sources.base import EntryFormat, RawFiles, SourceError
from interlock.sources.identifiers import label_table
from interlock.sources.ofac_xml import (
    SCHEMAS,
    child_text,
    dates_of_birth,
    element_dict,
    header_text,
    parse_xml,
)

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

ROOT = "sanctionsData"

SPEC = SourceSpec(
    code="us_ofac_cons",
    title="OFAC Consolidated Sanctions List (non-SDN lists), enhanced XML",
    publisher="US Treasury, Office of Foreign Assets Control",
    urls={
        "cons_enhanced.xml": "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONS_ENHANCED.ZIP"
    },
    licence="public domain (17 USC 105)",
    format="ofac_enhanced_xml",
)
SDN_SPEC = SPEC.model_copy(
    update={
        "code": "us_ofac_sdn",
        "title": "OFAC Specially Designated Nationals and Blocked Persons List, enhanced XML",
        "urls": {
            "sdn_enhanced.xml": "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN_ENHANCED.ZIP"
        },
    }
)

# Every entity of the consolidated file is also on this umbrella list; it says nothing of its own.
UMBRELLA_LIST = "Consolidated List"
LIST_CODES = {
    "SDN List": "SDN",
    "Sectoral Sanctions Identifications List": "SSI",
    "Non-SDN Palestinian Legislative Council List": "PLC",
    "Non-SDN CMIC List": "CMIC",
    "Non-SDN Menu-Based Sanctions List": "NS-MBS",
    "CAPTA List": "CAP",
    "FSE List": "FSE",
}
# OFAC's script names → (Unicode script as `clean.detect_script` names it, BCP 47 language).
SCRIPTS: dict[str, tuple[str, str | None]] = {
    "Latin": ("Latin", None),
    "Cyrillic": ("Cyrillic", None),
    "Arabic": ("Arabic", None),
    "Armenian": ("Armenian", "hy"),
    "Chinese Simplified": ("Han", "zh-Hans"),
    "Chinese Traditional": ("Han", "zh-Hant"),
    "Georgian": ("Georgian", "ka"),
    "Greek": ("Greek", "el"),
    "Hangul": ("Hangul", "ko"),
    "Korean": ("Hangul", "ko"),
    "Hebrew": ("Hebrew", "he"),
    "Japanese": ("Japanese", "ja"),
}
ALIAS_KINDS = {"A.K.A.": "aka", "F.K.A.": "fka", "N.K.A.": "nka"}
# The related entity is the one named; "Owned or Controlled By X" makes X the parent.
RELATION_KINDS = {"Owned or Controlled By": "parent"}
ADDRESS_STREET = ("ADDRESS1", "ADDRESS2", "ADDRESS3")
# A zip member is refused above this size: the real SDN_ENHANCED.XML is far smaller.
MAX_XML_BYTES = 1 << 30


def xml_bytes(file_name: str, data: bytes) -> bytes:
    """The XML itself, from the bytes as fetched: OFAC serves the enhanced files zipped."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".xml")]
            if len(members) != 1:
                names = ", ".join(m.filename for m in archive.infolist()) or "none"
                raise SourceError(f"{file_name}: expected one .xml file in the zip, found {names}")
            (member,) = members
            if member.file_size > MAX_XML_BYTES:
                raise SourceError(
                    f"{file_name}: {member.filename} unpacks to {member.file_size} bytes, refused"
                )
            return archive.read(member)
    except zipfile.BadZipFile as exc:
        raise SourceError(f"{file_name}: broken zip ({exc})") from None


@dataclass(frozen=True)
class EnhancedEntity:
    element: Element
    file_name: str
    position: int  # 1-based order in the file, for messages


class OfacEnhancedXml(EntryFormat[EnhancedEntity]):
    """CONS_ENHANCED; `OfacSdnEnhancedXml` reads SDN_ENHANCED, which has the same schema."""

    name = "ofac_enhanced_xml"
    spec = SPEC
    parser_version = "1"
    required_files: tuple[str, ...] = ("cons_enhanced.xml",)

    def _file(self, raw: RawFiles) -> tuple[str, bytes]:
        file_name, content = self.single_file(raw)
        return file_name, xml_bytes(file_name, content)

    def data_date(self, raw: RawFiles) -> date | None:
        file_name, data = self._file(raw)
        return clean.iso_date(header_text(file_name, data, ROOT, "dataAsOf"))

    def read(self, raw: RawFiles) -> Iterator[EnhancedEntity]:
        file_name, data = self._file(raw)
        document = parse_xml(file_name, data, ROOT)
        entities = document.find("entities")
        if entities is None:
            raise SourceError(f"{file_name}: no <entities> element")
        for position, element in enumerate(entities.iterfind("entity"), start=1):
            if not element.get("id"):
                raise SourceError(f"{file_name}: entity {position} has no id")
            yield EnhancedEntity(element, file_name, position)

    def map(self, record: EnhancedEntity) -> Iterator[ListEntry]:
        element = record.element
        issues: list[DataIssue] = []
        source_id = element.get("id") or ""
        raw_name, aliases = _names(record)
        party_name, relations = clean.split_party(clean.name(raw_name, issues))
        lists, list_names, published = _lists(element, issues)
        facts = _features(element, issues)
        addresses = _addresses(element, issues)
        countries: list[str] = []
        for code in [*(a.country for a in addresses), *facts.nationalities, *facts.countries]:
            if code and code not in countries:
                countries.append(code)
        features = facts.features
        for label, path in (
            ("Legal Authority", "legalAuthorities/legalAuthority"),
            ("Sanctions Type", "sanctionsTypes/sanctionsType"),
        ):
            values = _texts(element, path)
            if values:
                features[label] = values
        start_date = min(published) if published else None
        yield ListEntry(
            entity_id=f"{self.spec.code}:{source_id}",
            source=self.spec.code,
            source_id=source_id,
            lists=lists,
            list_names=list_names,
            schema=SCHEMAS.get(
                (child_text(element, "generalInfo/entityType") or "").lower(), Schema.UNKNOWN
            ),
            name=party_name,
            name_original=raw_name,
            aliases=aliases,
            addresses=addresses,
            countries=countries,
            nationalities=facts.nationalities,
            identifiers=[*_documents(element), *facts.identifiers],
            dates_of_birth=dates_of_birth(facts.births),
            places_of_birth=facts.birth_places,
            programs=_texts(element, "sanctionsPrograms/sanctionsProgram"),
            features=features,
            start_date=start_date,
            listed_on=clean.iso_date(start_date),
            remarks=child_text(element, "generalInfo/remarks"),
            relations=[*relations, *_relations(element)],
            issues=issues,
            original=element_dict(element),
        )


class OfacSdnEnhancedXml(OfacEnhancedXml):
    name = "ofac_sdn_enhanced_xml"
    spec = SDN_SPEC
    required_files = ("sdn_enhanced.xml",)


def _texts(element: Element, path: str) -> list[str]:
    return [t for t in (clean.text(e.text) for e in element.iterfind(path)) if t]


def _lists(element: Element, issues: list[DataIssue]) -> tuple[list[str], list[str], list[str]]:
    """List codes, list names and the dates each list published the entity."""
    codes: list[str] = []
    names: list[str] = []
    published: list[str] = []
    for listed in element.iterfind("sanctionsLists/sanctionsList"):
        list_name = clean.text(listed.text) or ""
        if list_name == UMBRELLA_LIST:
            continue
        code = LIST_CODES.get(list_name)
        if code is None:
            issues.append(DataIssue(field="lists", message="unknown list name", value=list_name))
            code = list_name
        if code not in codes:
            codes.append(code)
            names.append(list_name)
        when = clean.text(listed.get("datePublished"))
        if when:
            published.append(when)
    if not codes:
        issues.append(DataIssue(field="lists", message="entity names no list of its own"))
        codes.append(UMBRELLA_LIST)
        names.append(UMBRELLA_LIST)
    return codes, names, published


def _names(record: EnhancedEntity) -> tuple[str, list[Alias]]:
    """The primary name's primary translation, and every other name and translation as aliases."""
    primary: str | None = None
    aliases: list[Alias] = []
    for name_element in record.element.iterfind("names/name"):
        is_primary_name = child_text(name_element, "isPrimary") == "true"
        low_quality = child_text(name_element, "isLowQuality") == "true"
        kind = ALIAS_KINDS.get(child_text(name_element, "aliasType") or "", "aka")
        for translation in name_element.iterfind("translations/translation"):
            full = translation.findtext("formattedFullName") or ""
            if not clean.text(full):
                continue
            is_primary_translation = child_text(translation, "isPrimary") == "true"
            if is_primary_name and is_primary_translation and primary is None:
                primary = full
                continue
            script_name = child_text(translation, "script") or ""
            script, lang = SCRIPTS.get(script_name, (clean.detect_script(full), None))
            if script != "Latin":
                strength = AliasStrength.ORIGINAL_SCRIPT
            else:
                strength = AliasStrength.WEAK if low_quality else AliasStrength.STRONG
            aliases.append(
                Alias(
                    name=clean.name(full),
                    original=full,
                    strength=strength,
                    script=script,
                    kind=kind if is_primary_translation else "translation",
                    lang=lang,
                )
            )
    if primary is None:
        raise SourceError(
            f"{record.file_name}: entity {record.element.get('id')} (position {record.position}) "
            "has no primary name"
        )
    return primary, aliases


@dataclass
class _Facts:
    """What an entity's features say, sorted into the fields they belong to."""

    features: dict[str, list[str]]
    identifiers: list[Identifier]
    nationalities: list[str]
    countries: list[str]  # citizenship and country of registration
    births: list[str]
    birth_places: list[str]


def _feature_value(feature: Element) -> str:
    value = clean.text(feature.findtext("value")) or ""
    # A dated feature is kept in ISO form ('16 Dec 2021' → '2021-12-16') so it sorts and compares.
    if feature.find("valueDate") is not None:
        parsed = clean.partial_date(value)
        if parsed is not None:
            value = parsed.value
    comment = clean.text(feature.findtext("comments"))
    return f"{value} ({comment.strip('()')})" if comment else value


def _features(element: Element, issues: list[DataIssue]) -> _Facts:
    table = label_table()
    facts = _Facts({}, [], [], [], [], [])
    for feature in element.iterfind("features/feature"):
        label = child_text(feature, "type") or ""
        value = clean.text(feature.findtext("value")) or ""
        if label == "Birthdate":
            facts.births.append(value)
        elif label == "Place of Birth":
            facts.birth_places.append(value)
        elif label == "Nationality Country":
            facts.nationalities.extend(clean.countries([value], issues, label))
        elif label in ("Citizenship Country", "Nationality of Registration"):
            facts.countries.extend(clean.countries([value], issues, label))
            facts.features.setdefault(label, []).append(value)
        elif table.is_feature(label):
            facts.features.setdefault(label.rstrip(" :-"), []).append(_feature_value(feature))
        else:
            facts.identifiers.append(
                Identifier(
                    type=table.identifier_type(label),
                    value=value,
                    label=label,
                    original=f"{label} {value}",
                )
            )
    return facts


def _documents(element: Element) -> list[Identifier]:
    table = label_table()
    identifiers = []
    for document in element.iterfind("identityDocuments/identityDocument"):
        label = child_text(document, "type") or ""
        number = child_text(document, "documentNumber") or ""
        country = child_text(document, "issuingCountry")
        identifiers.append(
            Identifier(
                type=table.identifier_type(label),
                value=number,
                country=clean.country_code(country),
                label=label,
                original=f"{label} {number}" + (f" ({country})" if country else ""),
            )
        )
    return identifiers


def _addresses(element: Element, issues: list[DataIssue]) -> list[Address]:
    """Each address in its primary translation; other-script translations stay in `original`."""
    addresses = []
    for address in element.iterfind("addresses/address"):
        parts: dict[str, list[str]] = {}
        translation = next(
            (
                t
                for t in address.iterfind("translations/translation")
                if child_text(t, "isPrimary") == "true"
            ),
            None,
        )
        if translation is not None:
            for part in translation.iterfind("addressParts/addressPart"):
                value = child_text(part, "value")
                if value:
                    parts.setdefault(child_text(part, "type") or "", []).append(value)
        country_name = child_text(address, "country")
        ordered = [v for values in parts.values() for v in values]
        full = ", ".join([*ordered, *([country_name] if country_name else [])])
        if not full:
            continue
        country = clean.country_code(country_name)
        if country_name and country is None:
            issues.append(
                DataIssue(field="addresses", message="country not recognised", value=country_name)
            )
        street = ", ".join(v for key in ADDRESS_STREET for v in parts.get(key, []))
        addresses.append(
            Address(
                full=full,
                street=street or None,
                city=", ".join(parts.get("CITY", [])) or None,
                state=", ".join(parts.get("STATE/PROVINCE", [])) or None,
                postal_code=", ".join(parts.get("POSTAL CODE", [])) or None,
                country=country,
                original=full,
            )
        )
    return addresses


def _relations(element: Element) -> list[Relation]:
    relations = []
    for relationship in element.iterfind("relationships/relationship"):
        kind = child_text(relationship, "type") or ""
        related = relationship.find("relatedEntity")
        if related is None or not clean.text(related.text):
            continue
        related_name = clean.text(related.text) or ""
        relations.append(
            Relation(
                kind=RELATION_KINDS.get(kind, "linked-to"),
                name=related_name,
                # Relation has no field for the related entity's OFAC id; keep it in the original.
                original=f"{kind}: {related_name} [entity {related.get('entityId')}]",
            )
        )
    return relations
