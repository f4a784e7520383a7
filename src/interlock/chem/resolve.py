"""From an order line to substances: CAS (check digit validated), InChIKey, InChI, SMILES, the
registry's names and synonyms, and systematic names through OPSIN. Each finding records how it was
made and how sure it is; what cannot be trusted is reported, never dropped."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rdkit import Chem

from interlock.chem.identifiers import (
    cas_numbers,
    hs_codes,
    inchikeys,
    inchis,
    name_key,
    name_text,
)
from interlock.chem.opsin import Opsin, OpsinUnavailable
from interlock.chem.registry import Registry, Substance
from interlock.chem.structure import Structure, from_inchi, from_smiles

CONFIDENCE = {
    "cas": 1.0,
    "inchikey": 1.0,
    "inchi": 1.0,
    "smiles": 1.0,
    "name": 0.95,
    "abbreviation": 0.85,  # 'NPP' is also 4-nitrophenyl phosphate elsewhere
    "opsin": 0.9,
    "embedded": 0.8,  # a registry name inside other words ('Sigma NPP', 'Boc 4-AP' reads 4-AP)
}
# a segment of a line naming several substances ('NPP / toluene', 'ANPP and acetone')
_SEGMENTS = re.compile(r"\s*(?:;|/|\+|\||,\s+(?=[A-Za-z]{3})|\band\b|\bwith\b|\bin\b)\s*", re.I)
_SMILES_SIGNS = re.compile(r"[=#()\[\]@]|\d|[cnos]\d|^[A-Z][a-z]?[A-Z]")
_WORD = re.compile(r"[A-Za-z]{4,}")
_LETTER = re.compile(r"[A-Za-z]")
# salt and hydrate words after a substance's name ('fentanyl citrate', '4-AP dihydrochloride'): the
# controls cover salts, so the name before them is what identifies the substance
_SALT = re.compile(
    r"\s+(?:(?:mono|di|tri|hemi|sesqui)?(?:hydrochloride|hydrobromide|hcl|hbr|citrate|"
    r"sulfate|sulphate|phosphate|tartrate|bitartrate|maleate|fumarate|oxalate|acetate|mesylate|"
    r"tosylate|nitrate|salt|hydrate|base)\b\s*)+$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Found:
    structure: Structure
    method: str  # a key of CONFIDENCE
    substance: Substance | None  # the registry row the structure is, if any
    name: str | None
    cas: str | None

    @property
    def confidence(self) -> float:
        return CONFIDENCE[self.method]


@dataclass
class Resolution:
    text: str
    found: list[Found] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    hs: list[str] = field(default_factory=list)


class Resolver:
    def __init__(self, registry: Registry, opsin: Opsin | None) -> None:
        self.registry = registry
        self.opsin = opsin
        self._structures: dict[str, Structure] = {}
        names = sorted({n for s in registry.substances for n in s.names}, key=len, reverse=True)
        self._embedded_names = re.compile(
            "|".join(rf"(?<![\w-]){re.escape(n)}(?![\w-])" for n in names), re.IGNORECASE
        )

    def resolve(self, texts: Sequence[str]) -> list[Resolution]:
        """Each line resolved; the names only OPSIN can read go to it in one batch."""
        resolutions = []
        pending: list[tuple[Resolution, list[str]]] = []
        for text in texts:
            resolution, unread = self._resolve_known(text)
            resolutions.append(resolution)
            if unread:
                pending.append((resolution, unread))
        if pending:
            self._read_systematic(pending)
        for resolution in resolutions:
            self._route(resolution)
        return resolutions

    # -- identifiers and the registry ---------------------------------------------------------
    def _resolve_known(self, text: str) -> tuple[Resolution, list[str]]:
        resolution = Resolution(text, hs=hs_codes(text))
        for cas in cas_numbers(text):
            if not cas.valid:
                resolution.issues.append(f"CAS {cas.text} fails its check digit: not a CAS number")
                continue
            substance = self.registry.by_cas.get(cas.text)
            if substance is None:
                resolution.issues.append(
                    f"CAS {cas.text} is valid but not in the registry: its structure is unknown here"
                )
                continue
            self._add(resolution, self._registry_found(substance, "cas", cas=cas.text))
        for key in inchikeys(text):
            substance = self.registry.by_inchikey.get(key)
            if substance is None:
                resolution.issues.append(
                    f"InChIKey {key} is not in the registry: a key cannot be turned back into a "
                    "structure"
                )
                continue
            self._add(resolution, self._registry_found(substance, "inchikey"))
        for inchi in inchis(text):
            structure = from_inchi(inchi)
            if structure is None:
                resolution.issues.append(f"{inchi[:40]}… is not a valid InChI")
                continue
            self._add(resolution, self._structure_found(structure, "inchi", None))
        name = name_text(text)
        if not name or (resolution.found and not _WORD.search(name)):
            return resolution, []
        whole = self._by_name(name) or self._by_smiles(name)
        if whole is not None:
            self._add(resolution, whole)
            return resolution, []
        unread = []
        segments = [s for s in _SEGMENTS.split(name) if s and _LETTER.search(s)]
        for segment in segments if len(segments) > 1 else [name]:
            found = [self._by_name(segment) or self._by_smiles(segment)]
            if found[0] is None:  # a registry name among brand or other words, else OPSIN's turn
                found = self._embedded(segment)
            for each in found:
                if each is not None:
                    self._add(resolution, each)
            if not any(found):
                unread.append(segment)
        return resolution, unread

    def _embedded(self, text: str) -> list[Found | None]:
        found: list[Found | None] = []
        for match in self._embedded_names.finditer(text):
            named = self._by_name(match.group(0))
            if named is not None:
                found.append(
                    Found(named.structure, "embedded", named.substance, named.name, named.cas)
                )
        return found

    def _by_name(self, name: str) -> Found | None:
        substance = self.registry.by_name.get(name_key(name))
        if substance is None:
            bare = _SALT.sub("", name)
            if bare == name or not bare:
                return None
            found = self._by_name(bare)
            return (
                found
                if found is None
                else Found(
                    found.structure,
                    found.method,
                    found.substance,
                    f"{found.name} ({name})",
                    found.cas,
                )
            )
        method = (
            "abbreviation"
            if name_key(name) in {name_key(a) for a in substance.abbreviations}
            else "name"
        )
        return self._registry_found(substance, method)

    def _by_smiles(self, text: str) -> Found | None:
        candidate = text.strip()
        if " " in candidate or not _SMILES_SIGNS.search(candidate):
            return None
        structure = from_smiles(candidate)
        return None if structure is None else self._structure_found(structure, "smiles", None)

    def _registry_found(self, substance: Substance, method: str, cas: str | None = None) -> Found:
        structure = self._structures.get(substance.key)
        if structure is None:
            structure = from_smiles(substance.smiles)
            assert structure is not None  # the registry validated every SMILES at load
            self._structures[substance.key] = structure
        first_cas = cas or (substance.cas[0] if substance.cas else None)
        return Found(structure, method, substance, substance.name, first_cas)

    def _structure_found(self, structure: Structure, method: str, name: str | None) -> Found:
        substance = self.registry.by_inchikey.get(
            structure.inchikey
        ) or self.registry.by_inchikey.get(structure.parent_inchikey)
        cas = substance.cas[0] if substance and substance.cas else None
        return Found(structure, method, substance, substance.name if substance else name, cas)

    @staticmethod
    def _add(resolution: Resolution, found: Found) -> None:
        for known in resolution.found:
            if known.structure.inchikey == found.structure.inchikey:
                return
        resolution.found.append(found)

    # -- systematic names ---------------------------------------------------------------------
    def _read_systematic(self, pending: list[tuple[Resolution, list[str]]]) -> None:
        names = [name for _, unread in pending for name in unread]
        if self.opsin is None:
            for resolution, unread in pending:
                resolution.notes.append(
                    f"not read as systematic names (OPSIN is off): {', '.join(unread)}"
                )
            return
        try:
            smiles = self.opsin.to_smiles(names)
        except OpsinUnavailable as exc:
            for resolution, _ in pending:
                resolution.issues.append(f"systematic names could not be read: {exc}")
            return
        answers = iter(smiles)
        for resolution, unread in pending:
            for name in unread:
                answer = next(answers)
                structure = from_smiles(answer) if answer else None
                if structure is None:
                    resolution.notes.append(f"{name!r}: no registry name and not a systematic name")
                    continue
                self._add(resolution, self._structure_found(structure, "opsin", name))

    # -- routing signals ----------------------------------------------------------------------
    def _route(self, resolution: Resolution) -> None:
        """HS codes never identify a substance; a code specific to a registry substance is worth
        a reviewer's look when nothing else was found."""
        if resolution.found:
            self._agree(resolution)
            return
        for code in resolution.hs:
            holders = [s.name for s in self.registry.substances if code in s.hs]
            if holders and len(holders) <= 2:
                resolution.notes.append(
                    f"HS {code} is the subheading of {', '.join(holders)}: a routing signal, "
                    "not an identification"
                )

    def _agree(self, resolution: Resolution) -> None:
        by_identifier = {f.method for f in resolution.found} & {"cas", "inchikey", "inchi"}
        by_name = {f.method for f in resolution.found} - {"cas", "inchikey", "inchi"}
        if by_identifier and by_name and len(resolution.found) > 1:
            resolution.issues.append(
                "the line's identifiers and its name point to different substances: each is "
                "assessed, the strictest answer stands"
            )


def parent_molecule(found: Found) -> Chem.Mol:
    molecule = Chem.MolFromSmiles(found.structure.parent_smiles)
    assert molecule is not None  # made by RDKit from a parsed structure
    return molecule
