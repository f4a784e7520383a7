"""OFAC legacy XML (`sdnList` schema): SDN.XML and CONSOLIDATED.XML.

Also holds the XML plumbing the enhanced format shares: every file is parsed with defusedxml, DTDs
refused, and namespaces stripped so a changed or missing namespace URI does not hide elements.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from interlock.model import (
    Address,
    Alias,
    AliasStrength,
    DataIssue,
    Identifier,
    ListEntry,
    PartialDate,
    Schema,
    SourceSpec,
    VesselInfo,
)
from interlock.sources import clean
from interlock.sources.base import EntryFormat, RawFiles, SourceError
from interlock.sources.identifiers import label_table

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

SDN_SPEC = SourceSpec(
    code="us_ofac_sdn",
    title="OFAC Specially Designated Nationals and Blocked Persons List",
    publisher="US Treasury, Office of Foreign Assets Control",
    urls={"sdn.xml": "https://www.treasury.gov/ofac/downloads/sdn.xml"},
    licence="public domain (17 USC 105)",
    format="ofac_sdn_xml",
)
CONS_SPEC = SourceSpec(
    code="us_ofac_cons",
    title="OFAC Consolidated Sanctions List (non-SDN lists)",
    publisher="US Treasury, Office of Foreign Assets Control",
    urls={
        "consolidated.xml": "https://www.treasury.gov/ofac/downloads/consolidated/consolidated.xml"
    },
    licence="public domain (17 USC 105)",
    format="ofac_cons_xml",
)

# The legacy consolidated file does not say which non-SDN list an entry is on; its program does.
# RUSSIA-EO14024 is absent on purpose: it is used by the SSI, NS-MBS and CAPTA lists alike.
PROGRAM_LISTS = {
    "UKRAINE-EO13662": "SSI",
    "NS-PLC": "PLC",
    "FSE-IR": "FSE",
    "FSE-SY": "FSE",
    "IRAN": "EO13599",  # persons blocked solely under EO 13599, on this list until Nov 2018
    "561List": "CAP",  # the 2018 name of the Part 561 list, now CAPTA (561-Related)
    "561-Related": "CAP",
    "CMIC-EO13959": "CMIC",
    "MBS": "NS-MBS",
    "CAATSA - RUSSIA": "NS-MBS",
    "BURMA-EO14014": "NS-MBS",
    "ILLICIT-DRUGS-EO14059": "NS-MBS",
}
UNKNOWN_NON_SDN_LIST = "CONS"

SCHEMAS = {
    "individual": Schema.PERSON,
    "entity": Schema.ORGANIZATION,
    "vessel": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
}
ALIAS_KINDS = {"a.k.a.": "aka", "f.k.a.": "fka", "n.k.a.": "nka"}


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_xml(file_name: str, data: bytes, root: str) -> Element:
    """Parse untrusted bytes safely; the root element must be `root` in whatever namespace."""
    try:
        document = SafeET.fromstring(data, forbid_dtd=True)
    except SafeET.ParseError as exc:
        raise SourceError(f"{file_name}: not well-formed XML ({exc})") from None
    except DefusedXmlException as exc:
        raise SourceError(f"{file_name}: XML refused as unsafe ({exc!r})") from None
    for element in document.iter():
        element.tag = local_name(element.tag)
    if document.tag != root:
        raise SourceError(f"{file_name}: root element is <{document.tag}>, expected <{root}>")
    return document


def header_text(file_name: str, data: bytes, root: str, tag: str) -> str | None:
    """The text of the first `tag` element, read without parsing the rest of a large file."""
    try:
        events = SafeET.iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True)
        _, first = next(events)
        if local_name(first.tag) != root:
            raise SourceError(
                f"{file_name}: root element is <{local_name(first.tag)}>, expected <{root}>"
            )
        for event, element in events:
            if event == "end" and local_name(element.tag) == tag:
                return clean.text(element.text)
    except SafeET.ParseError as exc:
        raise SourceError(f"{file_name}: not well-formed XML ({exc})") from None
    except DefusedXmlException as exc:
        raise SourceError(f"{file_name}: XML refused as unsafe ({exc!r})") from None
    return None


def element_dict(element: Element) -> dict[str, Any]:
    """An element as plain data for `ListEntry.original`: '@name' attributes, repeats as lists."""
    result: dict[str, Any] = {f"@{k}": v for k, v in element.attrib.items()}
    grouped: dict[str, list[Any]] = {}
    for child in element:
        grouped.setdefault(child.tag, []).append(_element_value(child))
    for tag, values in grouped.items():
        result[tag] = values[0] if len(values) == 1 else values
    return result


def _element_value(element: Element) -> Any:
    if len(element) == 0 and not element.attrib:
        return element.text
    value = element_dict(element)
    if len(element) == 0 and element.text and element.text.strip():
        value["#text"] = element.text
    return value


def child_text(element: Element, tag: str) -> str | None:
    return clean.text(element.findtext(tag))


def person_name(element: Element) -> str:
    """OFAC's own 'LAST, First' form, as the legacy CSV writes it."""
    last = element.findtext("lastName") or ""
    first = element.findtext("firstName")
    return f"{last}, {first}" if first and first.strip() else last


class OfacXml(EntryFormat["Element"]):
    """SDN.XML. `OfacConsolidatedXml` reads CONSOLIDATED.XML, which has the same schema."""

    name = "ofac_sdn_xml"
    spec = SDN_SPEC
    parser_version = "1"
    required_files: tuple[str, ...] = ("sdn.xml",)

    def _file(self, raw: RawFiles) -> tuple[str, bytes]:
        return self.single_file(raw)

    def data_date(self, raw: RawFiles) -> date | None:
        file_name, data = self._file(raw)
        published = header_text(file_name, data, "sdnList", "Publish_Date")
        return clean.us_date(published) if published else None

    def read(self, raw: RawFiles) -> Iterator[Element]:
        file_name, data = self._file(raw)
        document = parse_xml(file_name, data, "sdnList")
        elements = document.findall("sdnEntry")
        stated = child_text(document, "publshInformation/Record_Count")
        # A count that disagrees with the entries present means a cut or corrupted download.
        if stated is not None and stated != str(len(elements)):
            raise SourceError(
                f"{file_name}: Record_Count says {stated} entries, the file holds {len(elements)}"
            )
        for position, element in enumerate(elements, start=1):
            if not child_text(element, "uid") or not child_text(element, "lastName"):
                raise SourceError(f"{file_name}: sdnEntry {position} has no uid or lastName")
            yield element

    def lists(self, programs: list[str], issues: list[DataIssue]) -> list[str]:
        return ["SDN"]

    def map(self, record: Element) -> Iterator[ListEntry]:
        issues: list[DataIssue] = []
        source_id = child_text(record, "uid") or ""
        raw_name = person_name(record)
        party_name, relations = clean.split_party(clean.name(raw_name, issues))
        programs = _texts(record, "programList/program")
        features: dict[str, list[str]] = {}
        identifiers = _identifiers(record, features)
        addresses = _addresses(record, issues)
        nationalities = clean.countries(
            _texts(record, "nationalityList/nationality/country"), issues, "nationalities"
        )
        citizenship_names = _texts(record, "citizenshipList/citizenship/country")
        citizenships = clean.countries(citizenship_names, issues, "citizenships")
        registered = clean.countries(
            features.get("Nationality of Registration", []), issues, "Nationality of Registration"
        )
        countries: list[str] = []
        for code in [*(a.country for a in addresses), *nationalities, *citizenships, *registered]:
            if code and code not in countries:
                countries.append(code)
        if citizenship_names:
            features["Citizenship"] = citizenship_names
        yield ListEntry(
            entity_id=f"{self.spec.code}:{source_id}",
            source=self.spec.code,
            source_id=source_id,
            lists=self.lists(programs, issues),
            schema=SCHEMAS.get((child_text(record, "sdnType") or "").lower(), Schema.UNKNOWN),
            name=party_name,
            name_original=raw_name,
            aliases=_aliases(record),
            addresses=addresses,
            countries=countries,
            nationalities=nationalities,
            identifiers=identifiers,
            dates_of_birth=dates_of_birth(
                _texts(record, "dateOfBirthList/dateOfBirthItem/dateOfBirth")
            ),
            places_of_birth=_texts(record, "placeOfBirthList/placeOfBirthItem/placeOfBirth"),
            programs=programs,
            features=features,
            title=child_text(record, "title"),
            remarks=child_text(record, "remarks"),
            relations=relations,
            vessel=_vessel(record),
            issues=issues,
            original=element_dict(record),
        )


class OfacConsolidatedXml(OfacXml):
    name = "ofac_cons_xml"
    spec = CONS_SPEC
    required_files = ("consolidated.xml",)

    def lists(self, programs: list[str], issues: list[DataIssue]) -> list[str]:
        codes: list[str] = []
        for program in programs:
            code = PROGRAM_LISTS.get(program)
            if code and code not in codes:
                codes.append(code)
        if not codes:
            issues.append(
                DataIssue(
                    field="lists",
                    message="no program names a non-SDN list",
                    value="; ".join(programs),
                )
            )
            codes.append(UNKNOWN_NON_SDN_LIST)
        return codes


def _texts(element: Element, path: str) -> list[str]:
    return [t for t in (clean.text(e.text) for e in element.iterfind(path)) if t]


def _aliases(element: Element) -> list[Alias]:
    aliases = []
    for aka in element.iterfind("akaList/aka"):
        original = person_name(aka)
        alias_name = clean.name(original)
        if not alias_name:
            continue
        weak = (child_text(aka, "category") or "").lower() == "weak"
        aliases.append(
            Alias(
                name=alias_name,
                original=original,
                strength=AliasStrength.WEAK if weak else AliasStrength.STRONG,
                script=clean.detect_script(alias_name),
                kind=ALIAS_KINDS.get((child_text(aka, "type") or "").lower(), "aka"),
            )
        )
    return aliases


def _identifiers(element: Element, features: dict[str, list[str]]) -> list[Identifier]:
    """idList mixes identifiers with descriptive facts (gender, directives); the label decides."""
    table = label_table()
    identifiers = []
    for id_element in element.iterfind("idList/id"):
        label = child_text(id_element, "idType") or ""
        number = child_text(id_element, "idNumber") or ""
        if table.is_feature(label):
            features.setdefault(label.rstrip(" :-"), []).append(number)
            continue
        country = child_text(id_element, "idCountry")
        original = f"{label} {number}" + (f" ({country})" if country else "")
        for tag, word in (("issueDate", "issued"), ("expirationDate", "expires")):
            when = child_text(id_element, tag)
            if when:
                original += f"; {word} {when}"
        identifiers.append(
            Identifier(
                type=table.identifier_type(label),
                value=number,
                country=clean.country_code(country),
                label=label,
                original=original,
            )
        )
    return identifiers


def _addresses(element: Element, issues: list[DataIssue]) -> list[Address]:
    addresses = []
    for address in element.iterfind("addressList/address"):
        street = ", ".join(t for t in (child_text(address, f"address{i}") for i in (1, 2, 3)) if t)
        city = child_text(address, "city")
        state = child_text(address, "stateOrProvince")
        postal = child_text(address, "postalCode")
        country_name = child_text(address, "country")
        full = ", ".join(p for p in (street, city, state, postal, country_name) if p)
        if not full:
            continue
        country = clean.country_code(country_name)
        if country_name and country is None:
            issues.append(
                DataIssue(field="addresses", message="country not recognised", value=country_name)
            )
        addresses.append(
            Address(
                full=full,
                street=street or None,
                city=city,
                state=state,
                postal_code=postal,
                country=country,
                original=full,
            )
        )
    return addresses


def _vessel(element: Element) -> VesselInfo | None:
    info = element.find("vesselInfo")
    if info is None:
        return None
    fields = {
        "call_sign": child_text(info, "callSign"),
        "vessel_type": child_text(info, "vesselType"),
        "flag": child_text(info, "vesselFlag"),
        "owner": child_text(info, "vesselOwner"),
        "tonnage": child_text(info, "tonnage"),
        "gross_registered_tonnage": child_text(info, "grossRegisteredTonnage"),
    }
    return VesselInfo(**fields) if any(fields.values()) else None


def dates_of_birth(values: list[str]) -> list[PartialDate]:
    return [d for d in (clean.partial_date(v) for v in values) if d]
