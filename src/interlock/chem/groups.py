"""Substituent groups named by the class definitions ('alkyl', 'ester', 'halo' …): a branch of a
molecule cut at one bond, classified by what it is made of."""

from __future__ import annotations

from dataclasses import dataclass

from rdkit import Chem

HALOGENS = frozenset({9, 17, 35, 53})
CARBON, NITROGEN, OXYGEN = 6, 7, 8


@dataclass(frozen=True, slots=True)
class Branch:
    atoms: frozenset[int]
    root: int
    closes_ring: bool  # the branch reaches back into the part it was cut from (fused, spiro)
    double_bond_to_anchor: bool


def branch(molecule: Chem.Mol, anchor: int, root: int, blocked: frozenset[int]) -> Branch:
    """The atoms reached from `root` without passing through `blocked` (the core)."""
    seen = {root}
    stack = [root]
    closes = False
    while stack:
        atom = molecule.GetAtomWithIdx(stack.pop())
        for neighbour in atom.GetNeighbors():
            index = neighbour.GetIdx()
            if index in blocked:
                if not (atom.GetIdx() == root and index == anchor):
                    closes = True
                continue
            if index not in seen:
                seen.add(index)
                stack.append(index)
    bond = molecule.GetBondBetweenAtoms(anchor, root)
    double = bond is not None and bond.GetBondType() == Chem.BondType.DOUBLE
    return Branch(frozenset(seen), root, closes, double)


def classify(
    molecule: Chem.Mol, part: Branch, cycloalkyl_is_alkyl: bool, substituted_alkyl: bool
) -> str:
    """One of alkyl, alkenyl, alkoxyl, ether, ester, hydroxyl, halo, haloalkyl, amino, nitro, or
    a description of what else it is ('oxo', 'aryl', 'ring', 'thioether' …)."""
    if part.closes_ring:
        return "fused or bridged ring"
    atoms = [molecule.GetAtomWithIdx(i) for i in part.atoms]
    root = molecule.GetAtomWithIdx(part.root)
    if part.double_bond_to_anchor:
        return "oxo" if root.GetAtomicNum() == OXYGEN else "double-bonded group"
    elements = [a.GetAtomicNum() for a in atoms]
    if len(atoms) == 1:
        return _single(root)
    if any(a.GetIsAromatic() for a in atoms):
        return "aryl"
    bonds = _bonds_within(molecule, part.atoms)
    if elements.count(NITROGEN) == 1 and elements.count(OXYGEN) == 2 and len(atoms) == 3:
        return "nitro" if root.GetAtomicNum() == NITROGEN else "other"
    if any(a.IsInRing() for a in atoms):
        saturated_carbocycle = set(elements) == {CARBON} and all(
            b == Chem.BondType.SINGLE for b in bonds
        )
        return "alkyl" if saturated_carbocycle and cycloalkyl_is_alkyl else "ring"
    if Chem.BondType.TRIPLE in bonds:
        return "alkynyl"
    carbons_only = set(elements) == {CARBON}
    if carbons_only:
        return "alkenyl" if Chem.BondType.DOUBLE in bonds else "alkyl"
    if Chem.BondType.DOUBLE in bonds:
        return "ester" if _is_ester(molecule, part.atoms) else "other"
    if set(elements) <= HALOGENS | {CARBON} and root.GetAtomicNum() == CARBON:
        return "haloalkyl"
    heteroatoms = [a for a in atoms if a.GetAtomicNum() != CARBON]
    if len(heteroatoms) == 1:
        hetero = heteroatoms[0]
        if hetero.GetIdx() == part.root:
            return {OXYGEN: "alkoxyl", NITROGEN: "amino"}.get(hetero.GetAtomicNum(), "other")
        if hetero.GetAtomicNum() == OXYGEN and hetero.GetDegree() == 2:
            return "ether"
        if substituted_alkyl and hetero.GetAtomicNum() in (OXYGEN, NITROGEN):
            return "alkyl"  # hydroxyalkyl, aminoalkyl read as alkyl (interpretation)
        named = {OXYGEN: "hydroxyalkyl", NITROGEN: "aminoalkyl", 16: "thioether"}
        return named.get(hetero.GetAtomicNum(), "other")
    return "other"


def _single(atom: Chem.Atom) -> str:
    number = atom.GetAtomicNum()
    if number in HALOGENS:
        return "halo"
    if number == OXYGEN:
        return "hydroxyl"
    if number == NITROGEN:
        return "amino"
    if number == CARBON:
        return "alkyl"
    return atom.GetSymbol()


def _bonds_within(molecule: Chem.Mol, atoms: frozenset[int]) -> list[Chem.BondType]:
    return [
        b.GetBondType()
        for b in molecule.GetBonds()
        if b.GetBeginAtomIdx() in atoms and b.GetEndAtomIdx() in atoms
    ]


_ESTER = Chem.MolFromSmarts("[#6]-[CX3](=O)-[OX2]-[#6]")
_ESTER_ON_ANCHOR = Chem.MolFromSmarts("[CX3](=O)-[OX2]-[#6]")
_ACYLOXY = Chem.MolFromSmarts("[OX2](-[#6])-[CX3](=O)")


def _is_ester(molecule: Chem.Mol, atoms: frozenset[int]) -> bool:
    """One ester group and otherwise saturated carbon: CO2Me, CH2CO2Et, OC(=O)CH3."""
    heteroatoms = [i for i in atoms if molecule.GetAtomWithIdx(i).GetAtomicNum() != CARBON]
    if len(heteroatoms) != 2:
        return False
    for pattern in (_ESTER, _ESTER_ON_ANCHOR, _ACYLOXY):
        for match in molecule.GetSubstructMatches(pattern):
            if set(heteroatoms) <= set(match) and set(match) & atoms:
                return True
    return False
