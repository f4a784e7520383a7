"""The substance registry (chem/data/substances.yaml): substances, their identifiers and their
dated listings per jurisdiction, validated at load. A wrong identifier fails loudly."""

from __future__ import annotations

import hashlib
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ValidationError, model_validator
from rdkit import Chem

from interlock.chem.identifiers import cas_check_digit_ok, name_key
from interlock.chem.structure import from_smiles, inchikey

Jurisdiction = Literal["UN", "US", "EU", "CN"]
JURISDICTIONS: tuple[Jurisdiction, ...] = ("US", "CN", "UN", "EU")


class RegistryError(ValueError):
    pass


class Listing(BaseModel):
    jurisdiction: Jurisdiction
    list: str
    effective: date | None  # None: controlled at every date asked about (date not recorded)
    until: date | None = None
    instrument: str
    scope: str = ""
    source: str
    verified: bool
    note: str = ""
    # 'surveillance': watched (a US Special Surveillance List chemical), not a control
    effect: Literal["control", "surveillance"] = "control"

    def in_force(self, on: date) -> bool:
        started = self.effective is None or self.effective <= on
        return started and (self.until is None or on < self.until)


class Announcement(BaseModel):
    jurisdiction: Jurisdiction
    note: str
    source: str


class Substance(BaseModel):
    key: str
    name: str
    abbreviations: list[str] = []
    synonyms: list[str] = []
    cas: list[str] = []
    smiles: str
    inchikey: str
    hs: list[str] = []
    role: Literal["precursor", "drug", "reagent", "salt"]
    parent: str | None = None  # a salt or hydrate: the substance whose listings cover it
    verified: bool
    note: str = ""
    listings: list[Listing] = []
    announced: list[Announcement] = []

    @property
    def names(self) -> list[str]:
        return [self.name, *self.abbreviations, *self.synonyms]

    @model_validator(mode="after")
    def _identifiers(self) -> Substance:
        for cas in self.cas:
            if not cas_check_digit_ok(cas):
                raise ValueError(f"{self.key}: CAS {cas} fails its check digit")
        molecule = Chem.MolFromSmiles(self.smiles)
        if molecule is None:
            raise ValueError(f"{self.key}: SMILES {self.smiles!r} does not parse")
        computed = inchikey(molecule)
        if computed != self.inchikey:
            raise ValueError(
                f"{self.key}: InChIKey {self.inchikey} does not match its SMILES ({computed})"
            )
        return self


class _File(BaseModel):
    version: int
    sources: list[dict[str, str]]
    substances: list[Substance]


class Registry:
    def __init__(self, substances: list[Substance], version: str) -> None:
        self.substances = substances
        self.version = version
        self.by_key = {s.key: s for s in substances}
        self.by_cas: dict[str, Substance] = {}
        self.by_inchikey: dict[str, Substance] = {}
        self.by_name: dict[str, Substance] = {}
        for substance in substances:
            if substance.parent is not None and substance.parent not in self.by_key:
                raise RegistryError(f"{substance.key}: unknown parent {substance.parent!r}")
            self._claim(self.by_inchikey, substance.inchikey, substance, "InChIKey")
            for cas in substance.cas:
                self._claim(self.by_cas, cas, substance, "CAS")
            for name in substance.names:
                self._claim(self.by_name, name_key(name), substance, f"name {name!r}")

    @staticmethod
    def _claim(table: dict[str, Substance], key: str, substance: Substance, what: str) -> None:
        holder = table.get(key)
        if holder is not None and holder.key != substance.key:
            raise RegistryError(f"{what} is claimed by both {holder.key} and {substance.key}")
        table[key] = substance

    def controlling(self, substance: Substance) -> Substance:
        """The substance whose listings apply: a salt's parent, else itself."""
        return self.by_key[substance.parent] if substance.parent else substance


def parse_registry(text: str, origin: str) -> Registry:
    try:
        parsed = _File.model_validate(yaml.safe_load(text))
        version = f"{parsed.version}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"
        registry = Registry(parsed.substances, version)
    except (ValidationError, yaml.YAMLError, RegistryError) as exc:
        raise RegistryError(f"{origin}: {exc}") from exc
    _check_parents(registry, origin)
    return registry


def _check_parents(registry: Registry, origin: str) -> None:
    """A salt's structure must stand for its parent: the parent is its largest organic fragment."""
    for substance in registry.substances:
        if substance.parent is None:
            continue
        structure = from_smiles(substance.smiles)
        parent = registry.by_key[substance.parent]
        if structure is None or structure.parent_inchikey != parent.inchikey:
            raise RegistryError(
                f"{origin}: {substance.key}'s structure is not a salt or hydrate of {parent.key}"
            )


@lru_cache(maxsize=1)
def registry() -> Registry:
    path = resources.files("interlock.chem.data").joinpath("substances.yaml")
    return parse_registry(path.read_text("utf-8"), "chem/data/substances.yaml")
