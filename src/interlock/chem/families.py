"""US family listings by structure (docs/precursors.md 4.4): 4-AP with its amides, carbamates and
halides; 4-piperidone with its acetals, amides and carbamates. A member's listing dates from the
latest of the derivative kinds it combines."""

from __future__ import annotations

from dataclasses import dataclass

from rdkit import Chem

from interlock.chem.groups import CARBON, HALOGENS, OXYGEN
from interlock.chem.rules import Derivative

FOUR_AP = Chem.MolFromSmarts(
    "[#7;R1:1]1-[#6;X4:2]-[#6;X4:3]-[#6;X4:4](-[#7;X3;!R:7]-[c:8]2[c:9][c:10][c:11][c:12][c:13]2)"
    "-[#6;X4:5]-[#6;X4:6]-1"
)
FOUR_PIPERIDONE = Chem.MolFromSmarts("[#7;R:1]1-[CH2:2]-[CH2:3]-[#6:4]-[CH2:5]-[CH2:6]-1")


@dataclass(frozen=True, slots=True)
class FamilyMembership:
    parent: str  # registry key of the family's parent ('4ap', '4piperidone')
    derivatives: tuple[Derivative, ...]  # empty: the parent itself


def families(molecule: Chem.Mol) -> list[FamilyMembership]:
    found = []
    for parent, pattern, check in (
        ("4ap", FOUR_AP, _four_ap),
        ("4piperidone", FOUR_PIPERIDONE, _four_piperidone),
    ):
        for match in molecule.GetSubstructMatches(pattern):
            atom = {a.GetAtomMapNum(): match[a.GetIdx()] for a in pattern.GetAtoms()}
            derivatives = check(molecule, atom)
            if derivatives is not None:
                found.append(FamilyMembership(parent, tuple(sorted(derivatives))))
                break
    return found


def _outside(molecule: Chem.Mol, index: int, inside: set[int]) -> list[int]:
    return [
        n.GetIdx()
        for n in molecule.GetAtomWithIdx(index).GetNeighbors()
        if n.GetIdx() not in inside
    ]


def _acyl_kind(molecule: Chem.Mol, carbon: int, nitrogen: int) -> Derivative | None:
    """'amide' for N-C(=O)-C or N-CHO, 'carbamate' for N-C(=O)-O-C; None for anything else."""
    atom = molecule.GetAtomWithIdx(carbon)
    if atom.GetAtomicNum() != CARBON:
        return None
    double_o = [
        b.GetOtherAtomIdx(carbon)
        for b in atom.GetBonds()
        if b.GetBondType() == Chem.BondType.DOUBLE and b.GetOtherAtom(atom).GetAtomicNum() == OXYGEN
    ]
    if len(double_o) != 1:
        return None
    others = [n for n in atom.GetNeighbors() if n.GetIdx() not in (nitrogen, double_o[0])]
    if not others:
        return "amide"
    (other,) = others
    if other.GetAtomicNum() == OXYGEN and other.GetDegree() == 2:
        return "carbamate"
    return "amide" if other.GetAtomicNum() == CARBON else None


def _nitrogen_groups(
    molecule: Chem.Mol, nitrogen: int, inside: set[int], kinds: set[Derivative]
) -> bool:
    """Every group on the nitrogen an acyl (amide or carbamate): recorded in `kinds`."""
    for group in _outside(molecule, nitrogen, inside):
        kind = _acyl_kind(molecule, group, nitrogen)
        if kind is None:
            return False
        kinds.add(kind)
    return True


def _four_ap(molecule: Chem.Mol, atom: dict[int, int]) -> set[Derivative] | None:
    ring = {atom[i] for i in (1, 2, 3, 4, 5, 6)}
    phenyl = {atom[i] for i in (8, 9, 10, 11, 12, 13)}
    core = ring | phenyl | {atom[7]}
    kinds: set[Derivative] = set()
    if any(_outside(molecule, atom[i], core) for i in (2, 3, 4, 5, 6)):
        return None
    if not _nitrogen_groups(molecule, atom[1], core, kinds):
        return None
    if not _nitrogen_groups(molecule, atom[7], core, kinds):
        return None
    for carbon in phenyl:
        for neighbour in _outside(molecule, carbon, core):
            if molecule.GetAtomWithIdx(neighbour).GetAtomicNum() not in HALOGENS:
                return None
            kinds.add("halide")
    return kinds


def _four_piperidone(molecule: Chem.Mol, atom: dict[int, int]) -> set[Derivative] | None:
    ring = {atom[i] for i in (1, 2, 3, 4, 5, 6)}
    kinds: set[Derivative] = set()
    four = molecule.GetAtomWithIdx(atom[4])
    oxygens = [b for b in four.GetBonds() if b.GetOtherAtom(four).GetAtomicNum() == OXYGEN]
    if len(oxygens) == 1 and oxygens[0].GetBondType() == Chem.BondType.DOUBLE:
        pass  # the ketone itself
    elif len(oxygens) == 2 and all(
        b.GetBondType() == Chem.BondType.SINGLE
        and b.GetOtherAtom(four).GetDegree() == 2
        and all(n.GetAtomicNum() == CARBON for n in b.GetOtherAtom(four).GetNeighbors())
        for b in oxygens
    ):
        kinds.add("acetal")
    else:
        return None
    if four.GetDegree() != 2 + len(oxygens):
        return None
    if not _nitrogen_groups(molecule, atom[1], ring, kinds):
        return None
    return kinds
