"""Cleaning shared by every source. Each function returns the cleaned value; callers keep the original."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

from rigour.territories import lookup_territory

from interlock.model import Citation, DataIssue, PartialDate, Relation

OFAC_NULL = "-0-"
_SPACES = re.compile(r"\s+")
# A '?' between two letters is a character the publisher's export could not encode: in the BIS
# lists it is always an apostrophe ("Ministry of Public Security?s", "IS?Vision").
_MANGLED_APOSTROPHE = re.compile(r"(?<=[A-Za-z])\?(?=[A-Za-z])")


def text(value: str | None) -> str | None:
    """Trim and collapse whitespace; empty strings and OFAC's '-0-' null become None."""
    if value is None:
        return None
    cleaned = _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()
    if not cleaned or cleaned == OFAC_NULL:
        return None
    return cleaned


def fix_apostrophes(value: str) -> str:
    return _MANGLED_APOSTROPHE.sub("'", value)


def name(value: str, issues: list[DataIssue] | None = None, field: str = "name") -> str:
    """Clean a party name: whitespace, mangled apostrophes (recorded as a data issue)."""
    cleaned = text(value) or ""
    fixed = fix_apostrophes(cleaned)
    if fixed != cleaned and issues is not None:
        issues.append(
            DataIssue(field=field, message="mangled apostrophe '?' repaired", value=value)
        )
    return fixed


_POSSESSIVE = re.compile(r"(?<=\w)(?:'|’|\?)s\b")
_NON_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=65536)
def comparison_key(value: str) -> str:
    """Case, width, possessives and punctuation folded: 'Security?s' and 'SECURITY’S' agree."""
    folded = unicodedata.normalize("NFKC", value).casefold()
    folded = _POSSESSIVE.sub("", folded)
    folded = folded.replace("&", " and ")
    return " ".join(_NON_WORD.sub(" ", folded).split())


def split_list(value: str | None, separator: str = ";") -> list[str]:
    """Split a multi-valued cell; drops empty parts and a leading 'and ' joiner ('A; and B')."""
    if not value:
        return []
    parts = []
    for part in value.split(separator):
        cleaned = text(part)
        if cleaned is None:
            continue
        cleaned = re.sub(r"^and\s+", "", cleaned, flags=re.IGNORECASE)
        if cleaned:
            parts.append(cleaned)
    return parts


# '85 FR 34505', '68 F.R. 38290 6/27/03', '81.F.R. 22576', '82 F.R. 16788, 16789 4/6/2017',
# '77 FR 61249 No. 195'. The page may not be followed by '/' or a digit: in '72 F.R. 1/30/07' the
# page is missing, and '1' is the date's month.
_CITATION = re.compile(
    r"(?P<vol>\d{1,3})[.\s]*F\.?\s*R\.?\s*(?P<page>\d{1,6})(?![/\d])"
    r"(?:,\s*\d{1,6}(?![/\d]))*"
    r"(?:[,\s]+(?:No\.\s*\d+[,\s]*)?(?P<date>\d{1,2}/\d{1,2}/\d{2,4}))?",
    re.IGNORECASE,
)
_VOLUME_ISSUE = re.compile(
    r"Vol\.\s*(?P<vol>\d{1,3}),\s*No\.\s*(?P<issue>\d+)(?:,\s*(?P<date>\d{1,2}/\d{1,2}/\d{2,4}))?",
    re.IGNORECASE,
)


def us_date(value: str) -> date | None:
    """M/D/YY or M/D/YYYY; two-digit years pivot at 50 (FR citations run from the 1950s)."""
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", value.strip())
    if not match:
        return None
    month, day, year = int(match[1]), int(match[2]), int(match[3])
    if year < 100:
        year += 1900 if year >= 50 else 2000
    try:
        return date(year, month, day)
    except ValueError:
        return None


def citations(value: str | None) -> list[Citation]:
    """Every Federal Register citation in free text ('FR' / 'F.R.', concatenated, dated or not)."""
    if not value:
        return []
    found: list[Citation] = []
    for match in _CITATION.finditer(value):
        found.append(
            Citation(
                volume=int(match["vol"]),
                page=int(match["page"]),
                date=us_date(match["date"]) if match["date"] else None,
                raw=match.group(0).strip(),
            )
        )
    for match in _VOLUME_ISSUE.finditer(value):
        found.append(
            Citation(
                volume=int(match["vol"]),
                issue=int(match["issue"]),
                date=us_date(match["date"]) if match["date"] else None,
                raw=match.group(0).strip(),
            )
        )
    return found


@lru_cache(maxsize=4096)
def country_code(value: str | None) -> str | None:
    """A country name or code → ISO 3166-1 alpha-2 (upper case); None when not a known territory."""
    cleaned = text(value)
    if cleaned is None:
        return None
    territory = lookup_territory(cleaned)
    if territory is None or not territory.ftm_country:
        return None
    code = territory.ftm_country
    # a region ('ua-cri', Crimea) belongs to its country; a historical state ('suhh', the USSR)
    # has no ISO alpha-2 code and stays unresolved
    if re.fullmatch(r"[a-z]{2}-[a-z0-9]+", code):
        code = code[:2]
    return code.upper() if len(code) == 2 else None


def countries(values: list[str], issues: list[DataIssue], field: str) -> list[str]:
    codes: list[str] = []
    for value in values:
        code = country_code(value)
        if code is None:
            issues.append(DataIssue(field=field, message="country not recognised", value=value))
        elif code not in codes:
            codes.append(code)
    return codes


def iso_date(value: str | None) -> date | None:
    cleaned = text(value)
    if not cleaned:
        return None
    for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(cleaned[: len(datetime(2000, 1, 1).strftime(fmt))], fmt).date()
        except ValueError:
            continue
    return None


def partial_date(value: str) -> PartialDate | None:
    """'1973-03-25', '1973-03', '1973', '25 Mar 1973', 'circa 1973' → PartialDate in ISO form."""
    cleaned = text(value)
    if not cleaned:
        return None
    match = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", cleaned)
    if match:
        return PartialDate(value=match.group(0), original=value)
    for fmt in ("%d %b %Y", "%d %B %Y", "%m/%d/%Y", "%d/%m/%Y"):
        try:
            return PartialDate(
                value=datetime.strptime(cleaned, fmt).date().isoformat(), original=value
            )
        except ValueError:
            continue
    match = re.search(r"\b(\d{4})-(\d{2})\b", cleaned)
    if match:
        return PartialDate(value=match.group(0), original=value)
    for fmt in ("%b %Y", "%B %Y"):
        try:
            return PartialDate(
                value=datetime.strptime(cleaned, fmt).strftime("%Y-%m"), original=value
            )
        except ValueError:
            continue
    match = re.search(r"\b(\d{4})\b", cleaned)
    if match:
        return PartialDate(value=match.group(1), original=value)
    return None


_SCOPE_CLAUSE = re.compile(
    r",?\s*(?:and|including)\s+any\s+successors?,?\s*sub-units?,?\s*(?:or|and)\s*subsidiar(?:y|ies)\s*thereof\.?$",
    re.IGNORECASE,
)
_SUB_UNIT = re.compile(
    r"^(?P<parent>.+?)[.;,]?\s+(?P<kind>Affiliated Entity|Subordinate Institution)\s*[:\-–]\s*(?P<child>.+)$",
    re.IGNORECASE,
)


def split_party(full_name: str) -> tuple[str, list[Relation]]:
    """Separate what a listed name says about other parties from the name itself.

    "Huawei Technologies Co., Ltd. (Huawei).  Affiliated Entity:  Beijing Huawei …" is the affiliate,
    related to its parent; "X and any successor, sub-unit, or subsidiary thereof" is X, with the
    scope recorded as a relation so the wording is not lost.
    """
    relations: list[Relation] = []
    current = full_name
    scope = _SCOPE_CLAUSE.search(current)
    if scope:
        relations.append(
            Relation(
                kind="successor-scope", name=current[: scope.start()].strip(), original=full_name
            )
        )
        current = current[: scope.start()].strip()
    unit = _SUB_UNIT.match(current)
    if unit:
        kind = "affiliate-of" if unit["kind"].lower().startswith("affiliated") else "subordinate-of"
        parent = unit["parent"].strip().rstrip(".")
        relations.append(Relation(kind=kind, name=parent, original=full_name))
        current = unit["child"].strip()
    return current, relations


def detect_script(value: str) -> str:
    """The dominant Unicode script of a name: Latin, Han, Cyrillic, Arabic, Hangul, … ."""
    counts: dict[str, int] = {}
    for char in value:
        if not char.isalpha():
            continue
        try:
            script = unicodedata.name(char).split(" ")[0]
        except ValueError:
            continue
        script = {
            "CJK": "Han",
            "HANGUL": "Hangul",
            "HIRAGANA": "Japanese",
            "KATAKANA": "Japanese",
        }.get(script, script.title())
        counts[script] = counts.get(script, 0) + 1
    if not counts:
        return "Latin"
    return max(counts, key=lambda k: counts[k])
