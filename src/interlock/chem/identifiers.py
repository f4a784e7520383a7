"""Identifiers in free text: CAS numbers (with their check digit), InChIKeys, InChI, HS codes, and
the trade noise around a substance's name on an order line."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CAS = re.compile(r"(?<![\d-])(\d{2,7})-(\d{2})-(\d)(?![\d-])")
_INCHIKEY = re.compile(r"\b[A-Z]{14}-[A-Z]{8}[SN][A-Z]-[A-Z]\b")
_INCHI = re.compile(r"InChI=1S?/\S+")
# an HS code is read only where the line says it is one, or in the dotted form 2933.37
_HS = re.compile(
    r"(?:\b(?:HS|HTS|CN|tariff)\s*(?:code|no\.?|number)?\s*[:#]?\s*(\d{4}(?:[.\s]?\d{2}){1,3}))"
    r"|\b(\d{4}\.\d{2}(?:\.\d{2,4})?)\b",
    re.IGNORECASE,
)
_LABELS = re.compile(
    r"\b(?:CAS(?:\s*(?:RN|No\.?|number|#))?|InChIKey|InChI\s*Key|SMILES|HS(?:\s*code)?)\s*[:#=]?\s*",
    re.IGNORECASE,
)
_NOISE = re.compile(
    r"""
    \(?\s*[<>≥≤]?=?\s*\d+(?:[.,]\d+)?\s*%\s*(?:min(?:imum)?|purity|pure|assay)?\s*\)?   # 99%, (≥98 %)
    | \b\d+(?:[.,]\d+)?\s*(?:x\s*)?(?:kgs?|kilos?|kilograms?|g|grams?|mg|mt|tons?|tonnes?|
         l|liters?|litres?|ml|gal(?:lons?)?|lbs?|pounds?)\b                               # 25 kg
    | \b(?:drums?|bags?|bottles?|cartons?|pails?|ibcs?|cans?|jars?|barrels?|sacks?|
         cylinders?|packs?|packages?|boxes?|totes?)\b                                      # packaging
    | \b(?:(?:ar|acs|lab(?:oratory)?|reagent|technical|tech|industrial|pharma(?:ceutical)?|
         food|usp|bp|ep|analytical|hplc)\s+grade|grade|purity|assay|min(?:imum)?|
         high\s+quality|best\s+price|factory\s+supply|hot\s+sale|in\s+stock|
         fast\s+delivery|safe\s+delivery|free\s+sample)\b                                   # grades, sales talk
    """,
    re.IGNORECASE | re.VERBOSE,
)
_SPACES = re.compile(r"\s+")
_EDGES = " ,;:–—/|*"


@dataclass(frozen=True, slots=True)
class CasNumber:
    text: str
    valid: bool


def cas_check_digit_ok(cas: str) -> bool:
    digits = cas.replace("-", "")
    if not digits.isdigit() or len(digits) < 5:
        return False
    body, check = digits[:-1], int(digits[-1])
    return sum(i * int(d) for i, d in enumerate(reversed(body), start=1)) % 10 == check


def cas_numbers(text: str) -> list[CasNumber]:
    found = []
    for match in _CAS.finditer(text):
        cas = "-".join(match.groups())
        found.append(CasNumber(cas, cas_check_digit_ok(cas)))
    return found


def inchikeys(text: str) -> list[str]:
    return _INCHIKEY.findall(text)


def inchis(text: str) -> list[str]:
    return _INCHI.findall(text)


def hs_codes(text: str) -> list[str]:
    codes = []
    for match in _HS.finditer(text):
        digits = re.sub(r"\D", "", match.group(1) or match.group(2))
        code = f"{digits[:4]}.{digits[4:6]}" + (f".{digits[6:]}" if len(digits) > 6 else "")
        if code not in codes:
            codes.append(code)
    return codes


def name_text(text: str) -> str:
    """The line without its identifiers, quantities, purities, packaging and sales talk."""
    text = unicodedata.normalize("NFKC", text)
    for pattern in (_INCHI, _INCHIKEY, _CAS, _HS):
        text = pattern.sub(" ", text)
    text = _LABELS.sub(" ", text)
    text = _NOISE.sub(" ", text)
    text = _SPACES.sub(" ", text)
    # brackets emptied by the noise above ('(99%)' → '()') go, chemistry's own stay
    text = re.sub(r"\(\s*\)|\[\s*\]", " ", text)
    return _SPACES.sub(" ", text).strip(_EDGES).strip()


def name_key(name: str) -> str:
    """How a name is looked up: case, spaces, hyphens, commas and brackets do not count;
    Greek letters are spelt out ('α-methylfentanyl' = 'alpha-Methylfentanyl')."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    for greek, latin in (("α", "alpha"), ("β", "beta"), ("γ", "gamma"), ("ω", "omega")):
        folded = folded.replace(greek, latin)
    return re.sub(r"[^0-9a-z]", "", folded)
