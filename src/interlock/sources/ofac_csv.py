"""OFAC legacy CSV sets: the SDN list (sdn/alt/add/sdn_comments) and the non-SDN consolidated list.

Both sets share one layout: no header, OFAC's '-0- ' null marker, CRLF line ends and a trailing
'\\x1a' end-of-file byte. The primary file has one row per entry; aliases, addresses and the
overflow of long remarks sit in side files keyed by `ent_num`. Everything the legacy format does not
give a column (dates of birth, identifiers, weak aliases, links) is written into `Remarks` as
'; '-separated items, which `parse_remarks` structures.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

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

PRIMARY_COLUMNS = (
    "ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign", "Vess_type", "Tonnage",
    "GRT", "Vess_flag", "Vess_owner", "Remarks",
)  # fmt: skip
ALT_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")
ADD_COLUMNS = ("ent_num", "add_num", "address", "city_state_postal", "country", "add_remarks")
COMMENT_COLUMNS = ("ent_num", "remarks_overflow")

_SDN_BASE = "https://www.treasury.gov/ofac/downloads/"
_CONS_BASE = "https://www.treasury.gov/ofac/downloads/consolidated/"

SDN_SPEC = SourceSpec(
    code="us_ofac_sdn",
    title="Specially Designated Nationals and Blocked Persons List (SDN)",
    publisher="Office of Foreign Assets Control, US Treasury",
    urls={name: _SDN_BASE + name for name in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")},
    licence="public domain (17 USC 105)",
    format="ofac_sdn_csv",
)
CONS_SPEC = SourceSpec(
    code="us_ofac_cons",
    title="Consolidated Sanctions List (non-SDN lists)",
    publisher="Office of Foreign Assets Control, US Treasury",
    urls={
        name: _CONS_BASE + name
        for name in ("cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv")
    },
    licence="public domain (17 USC 105)",
    format="ofac_cons_csv",
)

SCHEMAS = {
    "individual": Schema.PERSON,
    "vessel": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
}

# Which non-SDN list a consolidated-file program tag stands for. Observed in cons_prim.csv of
# 2018-04 and 2025-12. Tags absent here (SDGT, SYRIA, VENEZUELA-EO13850, IRAN-CON-ARMS-EO) only
# ever accompany a list tag: they name the program, not the list.
CONS_LIST_BY_PROGRAM = {
    "UKRAINE-EO13662": "SSI",
    "NS-PLC": "PLC",
    "CMIC-EO13959": "CMIC",
    "561List": "CAP",  # the 2018 spelling of 561-Related
    "561-Related": "CAP",
    # directive and menu-based measures: EO 14024 directives, CAATSA s.235, EO 14014, EO 14059
    "RUSSIA-EO14024": "NS-MBS",
    "CAATSA - RUSSIA": "NS-MBS",
    "BURMA-EO14014": "NS-MBS",
    "ILLICIT-DRUGS-EO14059": "NS-MBS",
}
CONS_LIST_PREFIXES = {"FSE-": "FSE"}  # FSE-SY, FSE-IR: one Foreign Sanctions Evaders list
# Until November 2018 the consolidated file carried the E.O. 13599 list under the bare IRAN tag;
# its entries are told apart by this remark, present on all 264 of them in the 2018-04 file.
EO13599_REMARK = "Pursuant to Executive Order 13599"
UNKNOWN_CONS_LIST = "CONS"

LIST_NAMES = {
    "SDN": "Specially Designated Nationals and Blocked Persons List (SDN)",
    "SSI": "Sectoral Sanctions Identifications List (SSI)",
    "PLC": "Non-SDN Palestinian Legislative Council List (NS-PLC)",
    "CMIC": "Non-SDN Chinese Military-Industrial Complex Companies List (NS-CMIC)",
    "CAP": "Correspondent Account or Payable-Through Account Sanctions List (CAPTA)",
    "NS-MBS": "Non-SDN Menu-Based Sanctions List (NS-MBS)",
    "FSE": "Foreign Sanctions Evaders List (FSE)",
    "EO13599": "List of Persons Identified as Blocked Solely Pursuant to Executive Order 13599",
    UNKNOWN_CONS_LIST: "OFAC Consolidated Sanctions List (list not identified)",
}


@dataclass(frozen=True)
class FileSet:
    primary: str
    alt: str
    add: str
    comments: str


@dataclass(frozen=True)
class OfacRecord:
    """A primary row with the side-file rows that share its ent_num."""

    row: dict[str, str]
    alt: tuple[dict[str, str], ...] = ()
    add: tuple[dict[str, str], ...] = ()
    comments: tuple[dict[str, str], ...] = ()


def decode(data: bytes) -> str:
    """OFAC's files are ASCII in practice; older exports were Windows-1252, so fall back to it."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_table(data: bytes, file_name: str, columns: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """Rows of one headerless OFAC file as column → raw cell, the '\\x1a' byte dropped."""
    text = decode(data).rstrip("\r\n\x1a")
    reader = csv.reader(io.StringIO(text, newline=""))
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(columns):
            raise SourceError(
                f"{file_name}: record at line {line} has {len(values)} fields, "
                f"expected {len(columns)}"
            )
        if not values[0].strip().isdigit():
            raise SourceError(f"{file_name}: line {line}: ent_num {values[0]!r} is not a number")
        row = dict(zip(columns, values, strict=True))
        row["ent_num"] = row["ent_num"].strip()
        yield row


# OFAC cuts Remarks at this many characters and continues them in the comments file.
REMARKS_CUT = 1000


def _cell(value: str | None) -> str | None:
    cleaned = clean.text(value)
    # The 2019 add.csv is cut two bytes short of its last '-0- '.
    return None if cleaned == "-0" else cleaned


def _group(raw: RawFiles, name: str, columns: tuple[str, ...]) -> dict[str, list[dict[str, str]]]:
    data = raw.optional(name)
    grouped: dict[str, list[dict[str, str]]] = {}
    if data is None:
        return grouped
    for row in read_table(data, name, columns):
        grouped.setdefault(row["ent_num"], []).append(row)
    return grouped


def split_programs(value: str | None) -> list[str]:
    """'SDGT] [SYRIA' → ['SDGT', 'SYRIA']: OFAC strips only the outermost brackets."""
    cleaned = _cell(value)
    if cleaned is None:
        return []
    return [p.strip(" []") for p in re.split(r"\]\s*\[", cleaned) if p.strip(" []")]


def consolidated_lists(programs: list[str], remarks: str | None) -> list[str]:
    """The non-SDN list codes a consolidated entry's program tags stand for; [] if none is known."""
    codes: list[str] = []
    for program in programs:
        code = CONS_LIST_BY_PROGRAM.get(program) or next(
            (c for prefix, c in CONS_LIST_PREFIXES.items() if program.startswith(prefix)), None
        )
        if code and code not in codes:
            codes.append(code)
    if not codes and remarks and EO13599_REMARK in remarks:
        codes.append("EO13599")
    return codes


@dataclass
class Remarks:
    """What the '; '-separated items of an OFAC Remarks cell say, structured."""

    aliases: list[Alias] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    dates_of_birth: list[PartialDate] = field(default_factory=list)
    places_of_birth: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    features: dict[str, list[str]] = field(default_factory=dict)
    issues: list[DataIssue] = field(default_factory=list)


_ALIAS = re.compile(r"^(?P<kind>[afn])\.k\.a\.,?\s+'?(?P<name>.+?)'?$", re.IGNORECASE)
_LINKED = re.compile(r"^Linked To:\s*(?P<name>.+)$", re.IGNORECASE)
_DOB = re.compile(r"^DOB\s+(?P<value>.+)$")
_POB = re.compile(r"^POB\s+(?P<value>.+)$")
_NATIONALITY = re.compile(r"^nationality:?\s+(?!of\b)(?P<value>.+)$", re.IGNORECASE)
_CITIZEN = re.compile(r"^citizen\s+(?P<value>.+)$", re.IGNORECASE)
_FEATURE_SEPARATOR = re.compile(r":\s|\s-\s")
_PARENTHETICAL = re.compile(r"^\s*\([^()\d]*\)")
# A label is over at 'No.', 'Number', '#' or ':' (OFAC's own 'Identification Number' has the value
# 'IMO 5342883'); these labels precede values that need not hold a digit ('Tail Number YI-NAE').
_LABEL_END = re.compile(
    r"(?:\bNo\.?|\bNumber|#|:|\bSWIFT/BIC|\bWebsite|\bEmail Address|\bPassport)$",
    re.IGNORECASE,
)
# Longer digit-free openings are descriptions ('Tanchon Commercial Bank Representative in Syria').
_MAX_LABEL_WORDS = 7
_ID_TAIL = re.compile(
    r"^(?P<value>.+?)(?:\s+\((?P<country>[^()]*[A-Za-z][^()]*)\))?"
    r"(?P<dates>\s+(?:issued|expires)\b.*)?$"
)
# OFAC also writes a USCC as 'United Social Credit Code Certificate (USCCC)' (7 entries in 2024),
# which the shared label table does not know.
# An unknown label is still an identifier when it names one ('Birth Certificate Number 365').
_ID_LIKE_LABEL = re.compile(r"(?:\bNo\.?|#|Number|\bID|Code|Card|Certificate|Document)$")


def _is_value_token(token: str) -> bool:
    return bool(re.search(r"[\d@]", token)) or token.lower().startswith(("www.", "http"))


def _split_label(item: str) -> tuple[str, str]:
    """'Tax ID No. 7702070139 (Russia)' → ('Tax ID No.', '7702070139 (Russia)')."""
    tokens = item.split(" ")
    label: list[str] = []
    for token in tokens:
        if _is_value_token(token) or (label and _LABEL_END.search(" ".join(label))):
            break
        label.append(token)
    rest = " ".join(tokens[len(label) :])
    qualifier = _PARENTHETICAL.match(rest)
    if label and qualifier:
        label.append(qualifier.group(0).strip())
        rest = rest[qualifier.end() :]
    return " ".join(label), rest.strip()


def _feature_label(item: str) -> tuple[str, str] | None:
    for pattern in label_table().features:
        match = pattern.match(item)
        if not match:
            continue
        separator = _FEATURE_SEPARATOR.search(item)
        if separator:
            return item[: separator.start()].strip(), item[separator.end() :].strip()
        end = match.end()
        qualifier = _PARENTHETICAL.match(item[end:])
        if qualifier:
            end += qualifier.end()
        return item[:end].strip(), item[end:].strip(" :-")
    return None


def _dates_of_birth(value: str) -> list[PartialDate]:
    """'25 Mar 1973', 'Mar 1973', 'circa 1951'; a range ('1970 to 1973', '1960-1962') → its ends."""
    body = re.sub(r"^circa\s+", "", value, flags=re.IGNORECASE)
    parts = re.split(r"\s+to\s+|(?<=\d{4})-(?=\d{4})", body)
    dates: list[PartialDate] = []
    for part in parts:
        parsed = clean.partial_date(part)
        if parsed is not None:
            dates.append(PartialDate(value=parsed.value, original=value))
    return dates


def _identifier(item: str, label: str, rest: str, result: Remarks) -> bool:
    bare_label = re.sub(r"\s*\([^()]*\)$", "", label)
    if not (label and rest) or len(bare_label.split()) > _MAX_LABEL_WORDS:
        return False
    id_type = label_table().identifier_type(label)
    if id_type == IdentifierType.OTHER and not _ID_LIKE_LABEL.search(bare_label):
        return False
    tail = _ID_TAIL.match(rest)
    value, country = rest, None
    if tail:
        value = tail["value"]
        if tail["country"]:
            country = _country(tail["country"])
            if country is None:
                result.issues.append(
                    DataIssue(field="identifiers", message="country not recognised", value=item)
                )
    result.identifiers.append(
        Identifier(type=id_type, value=value, country=country, label=label, original=item)
    )
    return True


def _country(value: str) -> str | None:
    # Addresses name some places as 'Region: Crimea'; the region is looked up when the whole is not.
    return clean.country_code(value) or clean.country_code(re.sub(r"^Region:\s*", "", value))


def parse_remarks(remarks: str | None) -> Remarks:
    result = Remarks()
    if not remarks:
        return result
    # The cell ends with a full stop that belongs to no item.
    body = remarks[:-1] if remarks.endswith(".") else remarks
    for raw_item in clean.split_list(body):
        item = re.sub(r"^alt\.\s+", "", raw_item)
        if match := _ALIAS.match(item):
            kind = match["kind"].lower() + "ka"
            result.aliases.append(
                Alias(
                    name=clean.fix_apostrophes(match["name"]),
                    original=raw_item,
                    # The legacy files keep low-quality ("weak") aliases out of alt.csv and only
                    # in the remarks; OFAC's XML marks the same names as weak.
                    strength=AliasStrength.WEAK,
                    script=clean.detect_script(match["name"]),
                    kind=kind,
                )
            )
        elif match := _LINKED.match(item):
            result.relations.append(
                Relation(kind="linked-to", name=match["name"], original=raw_item)
            )
        elif match := _DOB.match(item):
            dates = _dates_of_birth(match["value"])
            if not dates:
                result.issues.append(
                    DataIssue(field="dates_of_birth", message="date not understood", value=raw_item)
                )
            result.dates_of_birth.extend(dates)
        elif match := _POB.match(item):
            result.places_of_birth.append(match["value"])
        elif match := _NATIONALITY.match(item):
            result.nationalities.extend(
                clean.countries([match["value"]], result.issues, "nationalities")
            )
        elif match := _CITIZEN.match(item):
            result.citizenships.extend(
                clean.countries([match["value"]], result.issues, "citizenships")
            )
            result.features.setdefault("Citizenship", []).append(match["value"])
        elif feature := _feature_label(item):
            result.features.setdefault(feature[0], []).append(feature[1])
        elif not _identifier(item, *_split_label(item), result):
            result.features.setdefault("Remark", []).append(item)
    return result


def _address(row: dict[str, str], issues: list[DataIssue]) -> Address | None:
    street, city = _cell(row["address"]), _cell(row["city_state_postal"])
    country_name = _cell(row["country"])
    parts = [p for p in (street, city, country_name) if p]
    if not parts:
        return None  # OFAC writes an all-null address row for many entries without an address
    country = _country(country_name) if country_name else None
    if country_name and country is None:
        issues.append(
            DataIssue(field="addresses", message="country not recognised", value=country_name)
        )
    return Address(
        full=", ".join(parts),
        street=street,
        # OFAC gives city, state/province and postal code in one cell; it is not split.
        city=city,
        country=country,
        original=",".join(row[c] for c in ADD_COLUMNS),
    )


def map_record(record: OfacRecord, source: str, fixed_list: str | None) -> ListEntry:
    row = record.row
    issues: list[DataIssue] = []
    raw_name = row["SDN_Name"]
    remarks_text = row["Remarks"] if _cell(row["Remarks"]) else ""
    overflow = "".join(c["remarks_overflow"] for c in record.comments)
    if overflow and len(remarks_text) == REMARKS_CUT:
        remarks_text += overflow
    elif overflow:
        # A comments file from another date than the primary file (the bundled SDN set) can hold
        # overflow for a remark that is not cut here; appending it would garble the remark.
        issues.append(
            DataIssue(
                field="remarks",
                message=f"comment overflow not joined: Remarks is not cut at {REMARKS_CUT} characters",
                value=overflow,
            )
        )
    remarks = clean.text(remarks_text)
    parsed = parse_remarks(remarks)
    issues.extend(parsed.issues)

    programs = split_programs(row["Program"])
    if fixed_list:
        lists = [fixed_list]
    else:
        lists = consolidated_lists(programs, remarks)
        if not lists:
            issues.append(
                DataIssue(
                    field="lists",
                    message="no known non-SDN list for these program tags",
                    value="; ".join(programs),
                )
            )
            lists = [UNKNOWN_CONS_LIST]

    sdn_type = _cell(row["SDN_Type"])
    if sdn_type is None:
        schema = Schema.ORGANIZATION  # OFAC leaves the type null for entities
    else:
        schema = SCHEMAS.get(sdn_type.lower(), Schema.UNKNOWN)
        if schema == Schema.UNKNOWN:
            issues.append(DataIssue(field="schema", message="unknown SDN_Type", value=sdn_type))

    aliases: list[Alias] = []
    for alt in record.alt:
        alt_name = _cell(alt["alt_name"])
        if alt_name is None:
            issues.append(DataIssue(field="aliases", message="empty alias", value=alt["alt_num"]))
            continue
        aliases.append(
            Alias(
                name=clean.name(alt_name, issues, "aliases"),
                original=alt["alt_name"],
                script=clean.detect_script(alt_name),
                kind=(_cell(alt["alt_type"]) or "aka").lower(),
            )
        )
    known = {a.name for a in aliases}
    aliases.extend(a for a in parsed.aliases if a.name not in known)

    addresses = [a for a in (_address(add, issues) for add in record.add) if a]
    countries: list[str] = []
    # Identifier countries count too: a Chinese vendor's only country is often its USCC's.
    for code in [
        *(a.country for a in addresses),
        *parsed.nationalities,
        *parsed.citizenships,
        *(i.country for i in parsed.identifiers),
    ]:
        if code and code not in countries:
            countries.append(code)

    vessel_fields = {
        "call_sign": _cell(row["Call_Sign"]),
        "vessel_type": _cell(row["Vess_type"]),
        "flag": _cell(row["Vess_flag"]),
        "owner": _cell(row["Vess_owner"]),
        "tonnage": _cell(row["Tonnage"]),
        "gross_registered_tonnage": _cell(row["GRT"]),
    }
    vessel = VesselInfo(**vessel_fields) if any(vessel_fields.values()) else None

    original: dict[str, object] = dict(row)
    for key, rows in (("alt", record.alt), ("add", record.add), ("comments", record.comments)):
        if rows:
            original[key] = [dict(r) for r in rows]

    return ListEntry(
        entity_id=f"{source}:{row['ent_num']}",
        source=source,
        source_id=row["ent_num"],
        lists=lists,
        list_names=[LIST_NAMES[code] for code in lists],
        schema=schema,
        name=clean.name(raw_name, issues),
        name_original=raw_name,
        aliases=aliases,
        addresses=addresses,
        countries=countries,
        nationalities=list(dict.fromkeys(parsed.nationalities)),
        identifiers=parsed.identifiers,
        dates_of_birth=parsed.dates_of_birth,
        places_of_birth=parsed.places_of_birth,
        programs=programs,
        features=parsed.features,
        title=_cell(row["Title"]),
        remarks=remarks,
        relations=parsed.relations,
        vessel=vessel,
        issues=issues,
        original=original,
    )


class _OfacLegacyCsv(EntryFormat[OfacRecord]):
    files: FileSet
    # 'SDN' for the SDN file; None where the list follows from the program tags
    fixed_list: str | None

    def read(self, raw: RawFiles) -> Iterator[OfacRecord]:
        # Reading the primary file first makes a set without it fail before any side file is parsed.
        primary = raw.get(self.files.primary)
        alt = _group(raw, self.files.alt, ALT_COLUMNS)
        add = _group(raw, self.files.add, ADD_COLUMNS)
        comments = _group(raw, self.files.comments, COMMENT_COLUMNS)
        for row in read_table(primary, self.files.primary, PRIMARY_COLUMNS):
            key = row["ent_num"]
            yield OfacRecord(
                row=row,
                alt=tuple(alt.get(key, ())),
                add=tuple(add.get(key, ())),
                comments=tuple(comments.get(key, ())),
            )

    def map(self, record: OfacRecord) -> Iterator[ListEntry]:
        yield map_record(record, self.spec.code, self.fixed_list)

    def side_file_orphans(self, raw: RawFiles) -> dict[str, list[str]]:
        """Per side file, the ent_nums it has rows for that the primary file lacks (never attached).

        A set assembled from files of different dates (the bundled SDN snapshot joins 2025 alt/add
        files to a 2024 sdn.csv) has such rows; they are reported here, not silently dropped.
        """
        primary = {
            row["ent_num"]
            for row in read_table(raw.get(self.files.primary), self.files.primary, PRIMARY_COLUMNS)
        }
        orphans: dict[str, list[str]] = {}
        for name, columns in (
            (self.files.alt, ALT_COLUMNS),
            (self.files.add, ADD_COLUMNS),
            (self.files.comments, COMMENT_COLUMNS),
        ):
            missing = [key for key in _group(raw, name, columns) if key not in primary]
            if missing:
                orphans[name] = missing
        return orphans

    def snapshot_issues(self, raw: RawFiles) -> list[DataIssue]:
        return [
            DataIssue(
                field=name,
                message=f"{len(ent_nums)} ent_num(s) have rows here but no entry in "
                f"{self.files.primary}; those rows are not attached",
                value=", ".join(ent_nums[:20]) + (" …" if len(ent_nums) > 20 else ""),
            )
            for name, ent_nums in self.side_file_orphans(raw).items()
        ]


class OfacSdnCsv(_OfacLegacyCsv):
    name = "ofac_sdn_csv"
    spec = SDN_SPEC
    parser_version = "1"
    required_files = ("sdn.csv",)
    files = FileSet(primary="sdn.csv", alt="alt.csv", add="add.csv", comments="sdn_comments.csv")
    fixed_list = "SDN"


class OfacConsCsv(_OfacLegacyCsv):
    name = "ofac_cons_csv"
    spec = CONS_SPEC
    parser_version = "1"
    required_files = ("cons_prim.csv",)
    files = FileSet(
        primary="cons_prim.csv",
        alt="cons_alt.csv",
        add="cons_add.csv",
        comments="cons_comments.csv",
    )
    fixed_list = None


def read_side_file(data: bytes, name: str) -> list[dict[str, str]]:
    """The rows of one alt/add/comments file of either set, by its file name."""
    columns = {
        "alt.csv": ALT_COLUMNS,
        "cons_alt.csv": ALT_COLUMNS,
        "add.csv": ADD_COLUMNS,
        "cons_add.csv": ADD_COLUMNS,
        "sdn_comments.csv": COMMENT_COLUMNS,
        "cons_comments.csv": COMMENT_COLUMNS,
    }
    if name not in columns:
        raise SourceError(f"{name}: not an OFAC legacy side file")
    return list(read_table(data, name, columns[name]))
