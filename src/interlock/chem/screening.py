"""Answers: what a line is, and whether it is controlled in a jurisdiction on a date, by which
listing, family or class clause, since when, on whose authority."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rdkit import Chem

from interlock.chem.contract import ChemAnswer, ResolvedSubstance, Status, Verdict
from interlock.chem.families import families
from interlock.chem.fentanyl_class import ClassReading, read_class
from interlock.chem.opsin import Opsin
from interlock.chem.registry import JURISDICTIONS, Registry, Substance, registry
from interlock.chem.resolve import Found, Resolution, Resolver
from interlock.chem.rules import Rules, StructuralClass, rules

ALL = "all"


class ChemQueryError(ValueError):
    pass


def jurisdictions_for(asked: str) -> tuple[str, ...]:
    value = asked.strip().upper()
    if value == ALL.upper():
        return JURISDICTIONS
    if value not in JURISDICTIONS:
        raise ChemQueryError(
            f"unknown jurisdiction {asked!r}: one of {', '.join(JURISDICTIONS)} or all"
        )
    return (value,)


@dataclass(frozen=True, slots=True)
class _Component:
    name: str
    smiles: str
    inchikey: str
    substance: Substance | None  # the registry row whose listings apply (a salt's parent)


class ChemScreener:
    def __init__(self, opsin: Opsin | None = None) -> None:
        self.registry: Registry = registry()
        self.rules: Rules = rules()
        self.resolver = Resolver(self.registry, opsin)

    def answer(self, texts: Sequence[str], jurisdiction: str, as_of: date) -> list[ChemAnswer]:
        asked = jurisdictions_for(jurisdiction)
        return [
            self._answer(resolution, asked, _label(jurisdiction), as_of)
            for resolution in self.resolver.resolve(texts)
        ]

    def _answer(
        self, resolution: Resolution, asked: tuple[str, ...], label: str, as_of: date
    ) -> ChemAnswer:
        explanation: list[str] = []
        verdicts: list[Verdict] = []
        for found in resolution.found:
            explanation.append(_how(found))
            for component in self._components(found):
                verdicts += self._assess(component, asked, as_of, explanation)
        controlled = any(v.controlled for v in verdicts)
        status: Status
        if controlled:
            status = "controlled"
        elif not resolution.found:
            status = "unresolved"
            explanation.append("nothing on the line identifies a substance: review it")
        elif any("check digit" in issue for issue in resolution.issues):
            status = "unresolved"
            explanation.append("an invalid CAS number on the line: not cleared without review")
        else:
            status = "not_controlled"
        explanation += resolution.notes
        summary = [_resolved(found) for found in resolution.found]
        return ChemAnswer(
            input=resolution.text,
            resolved=summary[0] if summary else None,
            components=summary,
            status=status,
            verdicts=verdicts,
            explanation=explanation,
            issues=resolution.issues,
            hs_codes=resolution.hs,
            jurisdiction=label,
            as_of=as_of,
            registry_version=self.registry.version,
            rules_version=self.rules.digest,
        )

    def _components(self, found: Found) -> list[_Component]:
        """The parts a control applies to: a salt or hydrate stands for its parent; each organic
        part of a mixture counts on its own."""
        if found.substance is not None and len(found.structure.components) == 1:
            whole = self.registry.controlling(found.substance)
            return [_Component(whole.name, whole.smiles, whole.inchikey, whole)]
        parts: list[_Component] = []
        for smiles, inchikey in found.structure.components:
            listed = self.registry.by_inchikey.get(inchikey)
            row = self.registry.controlling(listed) if listed is not None else None
            name = row.name if row else (found.name if not parts and found.name else smiles)
            parts.append(_Component(name, smiles, inchikey, row))
        return parts

    def _assess(
        self, component: _Component, asked: tuple[str, ...], as_of: date, explanation: list[str]
    ) -> list[Verdict]:
        verdicts = self._listings(component, asked, as_of, explanation)
        molecule = Chem.MolFromSmiles(component.smiles)
        if molecule is None:
            return verdicts
        verdicts += self._families(component, molecule, asked, as_of)
        verdicts += self._classes(component, molecule, asked, as_of, verdicts)
        return verdicts

    def _listings(
        self, component: _Component, asked: tuple[str, ...], as_of: date, explanation: list[str]
    ) -> list[Verdict]:
        row = component.substance
        if row is None:
            return []
        verdicts = []
        for listing in row.listings:
            if listing.jurisdiction not in asked:
                continue
            in_force = listing.in_force(as_of)
            control = listing.effect == "control"
            since = f" since {listing.effective}" if listing.effective else ""
            if in_force:
                reason = f"{listing.jurisdiction}: {listing.list}{since}"
                if not control:
                    reason += " (watched, not controlled)"
            else:
                reason = (
                    f"{listing.jurisdiction}: not yet on {as_of}; {listing.list} from "
                    f"{listing.effective}"
                    if listing.effective and listing.effective > as_of
                    else f"{listing.jurisdiction}: {listing.list} ended {listing.until}"
                )
            if listing.note:
                reason += f" ({listing.note})"
            verdicts.append(
                Verdict(
                    jurisdiction=listing.jurisdiction,
                    controlled=in_force and control,
                    basis="listing",
                    listing=listing.list + (f", {listing.scope}" if listing.scope else ""),
                    since=listing.effective,
                    citation=f"{listing.instrument} <{listing.source}>",
                    verified=listing.verified,
                    substance=component.name,
                    effect=listing.effect,
                    reason=reason,
                )
            )
        for announcement in row.announced:
            if announcement.jurisdiction in asked:
                explanation.append(
                    f"{announcement.jurisdiction}: {row.name} {announcement.note} (unverified) "
                    f"<{announcement.source}>"
                )
        return verdicts

    def _families(
        self, component: _Component, molecule: Chem.Mol, asked: tuple[str, ...], as_of: date
    ) -> list[Verdict]:
        verdicts = []
        for membership in families(molecule):
            for family in self.rules.families:
                if family.parent != membership.parent or family.jurisdiction not in asked:
                    continue
                if not membership.derivatives:
                    continue  # the parent itself: its own listing answers
                listings = [family.derivatives.get(kind) for kind in membership.derivatives]
                if any(listing is None for listing in listings):
                    continue
                dated = [listing for listing in listings if listing is not None]
                since = max(listing.effective for listing in dated)
                parent = self.registry.by_key[family.parent].name
                kinds = " and ".join(membership.derivatives)
                in_force = since <= as_of
                verdicts.append(
                    Verdict(
                        jurisdiction=family.jurisdiction,
                        controlled=in_force,
                        basis="family",
                        listing=family.list,
                        clauses=list(membership.derivatives),
                        since=since,
                        citation="; ".join(sorted({f"{d.instrument} <{d.source}>" for d in dated})),
                        verified=all(d.verified for d in dated),
                        substance=component.name,
                        reason=(
                            f"{family.jurisdiction}: a {kinds} of {parent}, listed"
                            + (f" since {since}" if in_force else f" from {since}, not on {as_of}")
                        ),
                    )
                )
        return verdicts

    def _classes(
        self,
        component: _Component,
        molecule: Chem.Mol,
        asked: tuple[str, ...],
        as_of: date,
        listed: list[Verdict],
    ) -> list[Verdict]:
        readings = read_class(molecule, self.rules)
        verdicts = []
        for definition in self.rules.classes:
            if definition.jurisdiction not in asked:
                continue
            reading = readings[definition.reading]
            if not reading.in_class:
                if reading.core and not reading.is_fentanyl:
                    verdicts.append(_near_miss(definition, reading, component))
                continue
            in_force = definition.effective <= as_of
            own = [
                v
                for v in listed
                if v.jurisdiction == definition.jurisdiction
                and v.controlled
                and v.basis == "listing"
            ]
            excluded = definition.excludes_otherwise_controlled and bool(own)
            verdicts.append(
                Verdict(
                    jurisdiction=definition.jurisdiction,
                    controlled=in_force and not excluded,
                    basis="class",
                    listing=definition.list,
                    clauses=list(reading.clauses),
                    since=definition.effective,
                    citation=f"{definition.instrument} <{definition.source}>",
                    verified=definition.verified,
                    substance=component.name,
                    reason=_class_reason(
                        definition.jurisdiction,
                        reading,
                        in_force,
                        excluded,
                        as_of,
                        definition.effective,
                    ),
                    interpretations=[
                        f"{key} = {self.rules.interpretation[key].value}: "
                        f"{self.rules.interpretation[key].reason}"
                        for key in reading.interpretations
                    ],
                    substituents=[
                        {"where": s.where, "group": s.group, "kind": s.kind}
                        for s in reading.substituents
                    ],
                )
            )
        return verdicts


def _near_miss(
    definition: StructuralClass, reading: ClassReading, component: _Component
) -> Verdict:
    """A structure with fentanyl's core that a class does not reach: not controlled by it, and
    why not."""
    return Verdict(
        jurisdiction=definition.jurisdiction,
        controlled=False,
        basis="class",
        listing=definition.list,
        since=definition.effective,
        citation=f"{definition.instrument} <{definition.source}>",
        verified=definition.verified,
        substance=component.name,
        reason=(
            f"{definition.jurisdiction}: fentanyl's core, outside the class: "
            + "; ".join(reading.near_misses)
        ),
        substituents=[
            {"where": s.where, "group": s.group, "kind": s.kind} for s in reading.substituents
        ],
    )


def _label(jurisdiction: str) -> str:
    value = jurisdiction.strip()
    return ALL if value.lower() == ALL else value.upper()


def _class_reason(
    jurisdiction: str,
    reading: ClassReading,
    in_force: bool,
    excluded: bool,
    as_of: date,
    effective: date,
) -> str:
    clauses = ", ".join(reading.clauses)
    text = f"{jurisdiction}: fentanyl-related substance by clause {clauses}"
    if excluded:
        return text + "; excluded from the class as otherwise controlled (see its listing)"
    if not in_force:
        return text + f"; the class applies from {effective}, not on {as_of}"
    return text + f" since {effective}"


def _how(found: Found) -> str:
    what = found.name or found.structure.smiles
    method = {
        "cas": f"CAS {found.cas}",
        "inchikey": "InChIKey",
        "inchi": "InChI",
        "smiles": "SMILES",
        "name": "registry name",
        "abbreviation": "registry abbreviation",
        "opsin": "systematic name (OPSIN)",
        "embedded": "a registry name within the text",
    }[found.method]
    row = f" (registry: {found.substance.key})" if found.substance else " (not in the registry)"
    salt = (
        f"; assessed as its parent {found.structure.parent_smiles}"
        if found.structure.parent_inchikey != found.structure.inchikey
        else ""
    )
    return f"resolved by {method} to {what}{row}{salt}"


def _resolved(found: Found) -> ResolvedSubstance:
    method = "name" if found.method in ("abbreviation", "embedded") else found.method
    return ResolvedSubstance(
        name=found.name,
        inchikey=found.structure.inchikey,
        smiles=found.structure.smiles,
        cas=found.cas,
        method=method,
        confidence=found.confidence,
        parent_inchikey=found.structure.parent_inchikey,
        registry_key=found.substance.key if found.substance else None,
    )
