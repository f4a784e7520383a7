"""UN Security Council Consolidated List: the XML published at scsanctions.un.org.

The file is untrusted input: it is parsed only through defusedxml, which refuses entity expansion
and external references.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from interlock.model import (
    Address,
    Alias,
    AliasStrength,
    DataIssue,
    Identifier,
    IdentifierType,
    ListEntry,
    PartialDate,
    Schema,
    SourceSpec,
)
from interlock.sources import clean
from interlock.sources.base import EntryFormat, RawFiles, SourceError
from interlock.sources.identifiers import label_table

if TYPE_CHECKING:
    # Only the type: every parse goes through defusedxml.
    from xml.etree.ElementTree import Element

SPEC = SourceSpec(
    code="un_sc",
    title="United Nations Security Council Consolidated List",
    publisher="United Nations Security Council",
    urls={"consolidated.xml": "https://scsanctions.un.org/resources/xml/en/consolidated.xml"},
    licence="United Nations terms of use (public information)",
    format="un_xml",
)

SCHEMAS = {"INDIVIDUAL": Schema.PERSON, "ENTITY": Schema.ORGANIZATION}
GROUPS = {"INDIVIDUAL": "INDIVIDUALS", "ENTITY": "ENTITIES"}
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
# Individuals' aliases are graded Good/Low; entities' (and the 2026 file's) say a.k.a./f.k.a.
ALIAS_QUALITY = {
    "good": (AliasStrength.STRONG, "aka"),
    "low": (AliasStrength.WEAK, "aka"),
    "a.k.a.": (AliasStrength.STRONG, "aka"),
    "f.k.a.": (AliasStrength.STRONG, "fka"),
}
ADDRESS_PARTS = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
BIRTHPLACE_PARTS = ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")
# 'Jin Tiesan (金铁三)', 'حسن غول (Hassan Ghul; Hassan Gul)': an alias glossed in another script
_GLOSS = re.compile(r"(?P<outer>.*?)\s*\((?P<inner>[^()]*)\)\s*", re.DOTALL)
_GLOSS_LABEL = re.compile(r"^original script:\s*", re.IGNORECASE)


def _parse_error(file_name: str, exc: Exception) -> SourceError:
    return SourceError(f"{file_name}: not a safe, well-formed XML document ({exc})")


class UnXml(EntryFormat["Element"]):
    name = "un_xml"
    spec = SPEC
    parser_version = "1"
    required_files = ("consolidated.xml",)

    def _file(self, raw: RawFiles) -> tuple[str, bytes]:
        return self.single_file(raw)

    def read(self, raw: RawFiles) -> Iterator[Element]:
        file_name, data = self._file(raw)
        try:
            root = SafeET.fromstring(data)
        except (SafeET.ParseError, DefusedXmlException) as exc:
            raise _parse_error(file_name, exc) from None
        if root.tag != "CONSOLIDATED_LIST":
            raise SourceError(f"{file_name}: root element is <{root.tag}>, not <CONSOLIDATED_LIST>")
        for kind, group in GROUPS.items():
            for index, element in enumerate(root.iterfind(f"{group}/{kind}"), start=1):
                if not clean.text(element.findtext("DATAID")):
                    raise SourceError(f"{file_name}: {kind} number {index} has no DATAID")
                yield element

    def map(self, record: Element) -> Iterator[ListEntry]:
        yield map_element(record)

    def data_date(self, raw: RawFiles) -> date | None:
        file_name, data = self._file(raw)
        try:
            # The root's start tag is enough: no need to parse the whole list again.
            for _, root in SafeET.iterparse(io.BytesIO(data), events=("start",)):
                return clean.iso_date(root.get("dateGenerated"))
        except (SafeET.ParseError, DefusedXmlException) as exc:
            raise _parse_error(file_name, exc) from None
        return None


def _texts(element: Element, path: str) -> list[str]:
    return [v for v in (clean.text(e.text) for e in element.iterfind(path)) if v]


def _raw_parts(element: Element) -> list[tuple[str, str]]:
    """The non-empty children of a group element, as published (padding kept)."""
    return [(child.tag, child.text) for child in element if child.text and child.text.strip()]


def _original(element: Element) -> Any:
    """The element as JSON: leaves keep their raw text, empty elements are dropped."""
    if len(element) == 0:
        return element.text if element.text and element.text.strip() else None
    out: dict[str, Any] = {}
    for child in element:
        value = _original(child)
        if value is None or value == {}:
            continue
        if child.tag not in out:
            out[child.tag] = value
        elif isinstance(out[child.tag], list):
            out[child.tag].append(value)
        else:
            out[child.tag] = [out[child.tag], value]
    return out


def _country(value: str | None, issues: list[DataIssue], field: str) -> str | None:
    code = clean.country_code(value)
    if value and code is None:
        issues.append(DataIssue(field=field, message="country not recognised", value=value))
    return code


def _alias_names(raw: str) -> list[str]:
    """Split an alias glossed in a second script, so each script's form is matched on its own."""
    match = _GLOSS.fullmatch(raw)
    if not match:
        return [raw]
    inner = _GLOSS_LABEL.sub("", match["inner"].strip())
    if clean.detect_script(match["outer"]) == clean.detect_script(inner):
        return [raw]
    return [match["outer"], *clean.split_list(inner)]


def _aliases(element: Element, kind: str, issues: list[DataIssue]) -> list[Alias]:
    aliases: list[Alias] = []
    for alias in element.iterfind(f"{kind}_ALIAS"):
        raw = alias.findtext("ALIAS_NAME") or ""
        if not clean.text(raw):
            continue  # the list writes <ALIAS_NAME/> for "no alias"
        quality = clean.text(alias.findtext("QUALITY")) or ""
        strength, alias_kind = ALIAS_QUALITY.get(quality.lower(), (AliasStrength.STRONG, "aka"))
        if quality.lower() not in ALIAS_QUALITY:
            issues.append(
                DataIssue(field="aliases", message="alias quality not recognised", value=quality)
            )
        aliases.extend(
            Alias(
                name=clean.name(name, issues, "aliases"),
                original=raw,
                strength=strength,
                script=clean.detect_script(name),
                kind=alias_kind,
            )
            for name in _alias_names(raw)
        )
    for original_script in element.iterfind("NAME_ORIGINAL_SCRIPT"):
        raw = original_script.text or ""
        if clean.text(raw):
            aliases.append(
                Alias(
                    name=clean.name(raw),
                    original=raw,
                    strength=AliasStrength.ORIGINAL_SCRIPT,
                    script=clean.detect_script(raw),
                )
            )
    return aliases


def _addresses(element: Element, kind: str, issues: list[DataIssue]) -> list[Address]:
    addresses: list[Address] = []
    for address in element.iterfind(f"{kind}_ADDRESS"):
        parts = {tag: clean.text(address.findtext(tag)) for tag in ADDRESS_PARTS}
        full = ", ".join(v for v in parts.values() if v)
        if not full:
            continue
        addresses.append(
            Address(
                full=full,
                street=parts["STREET"],
                city=parts["CITY"],
                state=parts["STATE_PROVINCE"],
                postal_code=parts["ZIP_CODE"],
                country=_country(parts["COUNTRY"], issues, "addresses"),
                # NOTE ("as of June 2016") is no part of the address, but part of what was said
                original=", ".join(text for _, text in _raw_parts(address)),
            )
        )
    return addresses


def _dates_of_birth(element: Element, issues: list[DataIssue]) -> list[PartialDate]:
    dates: list[PartialDate] = []
    for dob in element.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
        original = " ".join(text.strip() for _, text in _raw_parts(dob))
        exact = clean.text(dob.findtext("DATE"))
        year = clean.text(dob.findtext("YEAR"))
        from_year = clean.text(dob.findtext("FROM_YEAR"))
        to_year = clean.text(dob.findtext("TO_YEAR"))
        if exact:
            # dates can carry a zone ('1960-01-01-05:00'); the calendar date is what counts
            parsed = clean.partial_date(exact)
            if parsed is None:
                issues.append(
                    DataIssue(field="dates_of_birth", message="date not recognised", value=exact)
                )
            else:
                dates.append(PartialDate(value=parsed.value, original=original))
        elif year:
            dates.append(PartialDate(value=year, original=original))
        elif from_year and to_year and from_year.isdigit() and to_year.isdigit():
            # BETWEEN spans a few years: each is a possible year of birth to screen against
            dates.extend(
                PartialDate(value=str(y), original=original)
                for y in range(int(from_year), int(to_year) + 1)
            )
        elif from_year or to_year:
            issues.append(
                DataIssue(
                    field="dates_of_birth", message="year range not recognised", value=original
                )
            )
    return dates


def _places_of_birth(element: Element, issues: list[DataIssue]) -> tuple[list[str], list[str]]:
    places: list[str] = []
    countries: list[str] = []
    for place in element.iterfind("INDIVIDUAL_PLACE_OF_BIRTH"):
        parts = [clean.text(place.findtext(tag)) for tag in BIRTHPLACE_PARTS]
        full = ", ".join(p for p in parts if p)
        if full and full not in places:
            places.append(full)
        code = _country(parts[-1], issues, "places_of_birth")
        if code and code not in countries:
            countries.append(code)
    return places, countries


def _documents(element: Element, issues: list[DataIssue]) -> list[Identifier]:
    table = label_table()
    identifiers: list[Identifier] = []
    for document in element.iterfind("INDIVIDUAL_DOCUMENT"):
        number = clean.text(document.findtext("NUMBER"))
        if not number:
            continue  # a note about a document without its number identifies nothing
        label = clean.text(document.findtext("TYPE_OF_DOCUMENT")) or ""
        detail = clean.text(document.findtext("TYPE_OF_DOCUMENT2"))
        if detail and detail.casefold() == label.casefold():
            detail = None
        id_type = table.identifier_type(label)
        if id_type == IdentifierType.OTHER and detail:
            id_type = table.identifier_type(detail)
        issuer = clean.text(document.findtext("ISSUING_COUNTRY")) or clean.text(
            document.findtext("COUNTRY_OF_ISSUE")
        )
        identifiers.append(
            Identifier(
                type=id_type,
                value=number,
                country=_country(issuer, issues, "identifiers"),
                label=f"{label} ({detail})" if detail else label,
                original=", ".join(text.strip() for _, text in _raw_parts(document)),
            )
        )
    return identifiers


def map_element(element: Element) -> ListEntry:
    kind = element.tag
    issues: list[DataIssue] = []
    data_id = clean.text(element.findtext("DATAID")) or ""
    raw_parts = [
        text for text in (element.findtext(tag) for tag in NAME_PARTS) if text and text.strip()
    ]
    name_original = " ".join(raw_parts)
    aliases = _aliases(element, kind, issues)
    addresses = _addresses(element, kind, issues)
    nationalities = clean.countries(_texts(element, "NATIONALITY/VALUE"), issues, "nationalities")
    places_of_birth, birth_countries = _places_of_birth(element, issues)
    countries: list[str] = []
    for code in [*(a.country for a in addresses), *nationalities, *birth_countries]:
        if code and code not in countries:
            countries.append(code)
    features: dict[str, list[str]] = {}
    for feature, path in (
        ("UN reference number", "REFERENCE_NUMBER"),
        ("version", "VERSIONNUM"),
        ("last updated", "LAST_DAY_UPDATED/VALUE"),
        ("list type", "LIST_TYPE/VALUE"),
        ("position", "DESIGNATION/VALUE"),
        ("gender", "GENDER"),
    ):
        values = _texts(element, path)
        if values:
            features[feature] = values
    titles = _texts(element, "TITLE/VALUE")
    listed = clean.text(element.findtext("LISTED_ON"))
    return ListEntry(
        entity_id=f"{SPEC.code}:{data_id}",
        source=SPEC.code,
        source_id=data_id,
        lists=["UN"],
        list_names=[SPEC.title],
        schema=SCHEMAS.get(kind, Schema.UNKNOWN),
        name=clean.name(name_original, issues),
        name_original=name_original,
        aliases=aliases,
        addresses=addresses,
        countries=countries,
        nationalities=nationalities,
        identifiers=_documents(element, issues),
        dates_of_birth=_dates_of_birth(element, issues),
        places_of_birth=places_of_birth,
        programs=_texts(element, "UN_LIST_TYPE"),
        features=features,
        title="; ".join(titles) if titles else None,
        start_date=listed,
        listed_on=clean.iso_date(listed),
        remarks=clean.text(element.findtext("COMMENTS1")),
        issues=issues,
        original={kind: _original(element)},
    )
