"""The fentanyl-related-substance classes, clause by clause (docs/precursors.md 3-4).

A structure is read against the common core, an N-aryl-N-(piperidin-4-yl) amide, and each part of
fentanyl is checked for the modifications a reading allows:
- US (21 U.S.C. 812(c) Schedule I (e)): (A) phenethyl's phenyl replaced by any monocycle, (B) the
  phenethyl group substituted, (C) the piperidine ring substituted, (D) the aniline ring replaced by
  an aromatic monocycle, (E) the propionyl replaced by another acyl group.
- CN (2019): (1) acyl, (2) N-aryl, (3) piperidine as US (E), (D), (C); (4) the phenethyl group
  replaced by any other group but hydrogen.
Salts and mixtures are the caller's business: it passes each component's parent structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdkit import Chem

from interlock.chem.groups import CARBON, NITROGEN, OXYGEN, branch, classify
from interlock.chem.rules import Rules

CORE = Chem.MolFromSmarts(
    "[#7;R1:1]1-[#6;X4;R1:2]-[#6;X4;R1:3]-[#6;X4;R1:4](-[#7;X3;!R:7](-[a:8])"
    "-[#6;X3;!R:9]=[#8;X1:10])-[#6;X4;R1:5]-[#6;X4;R1:6]-1"
)
# GetSubstructMatches returns atoms in SMARTS order: map number -> position in a match
_POSITION = {atom.GetAtomMapNum(): atom.GetIdx() for atom in CORE.GetAtoms()}
PHENETHYL_SUBSTITUENTS = frozenset(
    {"alkyl", "alkenyl", "alkoxyl", "hydroxyl", "halo", "haloalkyl", "amino", "nitro"}
)
PIPERIDINE_SUBSTITUENTS = PHENETHYL_SUBSTITUENTS | {"ester", "ether"}
CN_CLAUSE = {"E": "1", "D": "2", "C": "3", "A": "4", "B": "4", "N1": "4"}


@dataclass(frozen=True, slots=True)
class Substituent:
    where: str  # 'piperidine C3', 'phenethyl ring', 'N-aryl ring', 'acyl', 'N1' …
    group: str  # the branch as SMILES
    kind: str  # its classification: 'alkyl', 'ester', … or what else it is


@dataclass(frozen=True, slots=True)
class ClassReading:
    reading: str  # 'us' or 'cn'
    core: bool  # the N-aryl-N-(piperidin-4-yl) amide core is there
    in_class: bool
    is_fentanyl: bool  # the core with no modification: fentanyl itself
    clauses: tuple[str, ...]
    substituents: tuple[Substituent, ...]
    near_misses: tuple[str, ...]  # why a structure with the core is not in the class
    interpretations: tuple[str, ...]  # the interpretation choices this reading relied on


@dataclass
class _Parts:
    """What one core match says, before a reading decides."""

    clauses: set[str] = field(default_factory=set)  # US letters
    misses: list[str] = field(default_factory=list)  # outside both readings
    us_misses: list[str] = field(default_factory=list)
    cn_misses: list[str] = field(default_factory=list)
    substituents: list[Substituent] = field(default_factory=list)
    interpretations: set[str] = field(default_factory=set)
    n1_group: bool = False  # N1 carries a group other than unsubstituted phenethyl


def read_class(molecule: Chem.Mol, rules: Rules) -> dict[str, ClassReading]:
    """The US and CN readings of one (parent, neutral) structure."""
    matches = molecule.GetSubstructMatches(CORE)
    if not matches:
        reason = "no N-aryl-N-(piperidin-4-yl) amide core"
        return {
            reading: ClassReading(reading, False, False, False, (), (), (reason,), ())
            for reading in ("us", "cn")
        }
    readings = [_readings(molecule, match, rules) for match in matches]
    # several matches (a symmetric molecule): the reading that places it in the class, if any
    return {
        reading: max((r[reading] for r in readings), key=lambda r: (r.in_class, r.is_fentanyl))
        for reading in ("us", "cn")
    }


def _readings(molecule: Chem.Mol, match: tuple[int, ...], rules: Rules) -> dict[str, ClassReading]:
    atom = {number: match[position] for number, position in _POSITION.items()}
    core = frozenset(atom.values())
    parts = _Parts()
    _aryl(molecule, atom, core, parts)
    _acyl(molecule, atom, core, parts, rules)
    _piperidine(molecule, atom, core, parts, rules)
    _n1(molecule, atom, core, parts, rules)
    us_clauses = tuple(sorted(parts.clauses))
    cn_clauses = tuple(
        sorted(
            {CN_CLAUSE[c] for c in parts.clauses if c in "CDE"}
            | ({"4"} if parts.n1_group else set())
        )
    )
    result = {}
    for reading, clauses, misses in (
        ("us", us_clauses, parts.misses + parts.us_misses),
        ("cn", cn_clauses, parts.misses + parts.cn_misses),
    ):
        fits = not misses
        result[reading] = ClassReading(
            reading,
            True,
            fits and bool(clauses),
            fits and not clauses,
            clauses if fits else (),
            tuple(parts.substituents),
            tuple(misses),
            tuple(sorted(parts.interpretations)),
        )
    return result


def _outside(molecule: Chem.Mol, index: int, core: frozenset[int], *also: int) -> list[int]:
    return [
        n.GetIdx()
        for n in molecule.GetAtomWithIdx(index).GetNeighbors()
        if n.GetIdx() not in core and n.GetIdx() not in also
    ]


def _smiles(molecule: Chem.Mol, atoms: frozenset[int]) -> str:
    return Chem.MolFragmentToSmiles(molecule, atomsToUse=sorted(atoms))


def _is_monocycle(molecule: Chem.Mol, ring_atom: int) -> tuple[bool, tuple[int, ...]]:
    """Whether the atom sits in exactly one ring whose atoms are each in no other ring."""
    info = molecule.GetRingInfo()
    rings = [r for r in info.AtomRings() if ring_atom in r]
    if len(rings) != 1:
        return False, ()
    ring = rings[0]
    return all(info.NumAtomRings(i) == 1 for i in ring), ring


def _is_benzene(molecule: Chem.Mol, ring: tuple[int, ...]) -> bool:
    return len(ring) == 6 and all(
        molecule.GetAtomWithIdx(i).GetAtomicNum() == CARBON
        and molecule.GetAtomWithIdx(i).GetIsAromatic()
        for i in ring
    )


def _ring_substituents(
    molecule: Chem.Mol, ring: tuple[int, ...], entry: int, rules: Rules, where: str
) -> list[Substituent]:
    found = []
    ring_set = frozenset(ring)
    for member in ring:
        for neighbour in _outside(molecule, member, ring_set, entry):
            part = branch(molecule, member, neighbour, ring_set)
            kind = _kind(molecule, part, rules)
            found.append(Substituent(where, _smiles(molecule, part.atoms), kind))
    return found


def _kind(molecule: Chem.Mol, part: object, rules: Rules) -> str:
    return classify(
        molecule,
        part,  # type: ignore[arg-type]
        rules.reads("cycloalkyl_is_alkyl"),
        rules.reads("substituted_alkyl_is_alkyl"),
    )


def _aryl(molecule: Chem.Mol, atom: dict[int, int], core: frozenset[int], parts: _Parts) -> None:
    """(D) / (2): the aniline ring may be any aromatic monocycle, substituted or not."""
    monocycle, ring = _is_monocycle(molecule, atom[8])
    if not monocycle or not all(molecule.GetAtomWithIdx(i).GetIsAromatic() for i in ring):
        parts.misses.append("the N-aryl group is not an aromatic monocycle (a fused ring system)")
        return
    substituents = []
    ring_set = frozenset(ring)
    for member in ring:
        for neighbour in _outside(molecule, member, ring_set, atom[7]):
            part = branch(molecule, member, neighbour, ring_set | core)
            substituents.append(Substituent("N-aryl ring", _smiles(molecule, part.atoms), "any"))
    parts.substituents += substituents
    if substituents or not _is_benzene(molecule, ring):
        parts.clauses.add("D")


def _acyl(
    molecule: Chem.Mol, atom: dict[int, int], core: frozenset[int], parts: _Parts, rules: Rules
) -> None:
    """(E) / (1): any acyl group in place of propionyl; a carbamate or urea only if read so."""
    rest = _outside(molecule, atom[9], core)
    if not rest:
        parts.substituents.append(Substituent("acyl", "formyl", "acyl"))
        parts.clauses.add("E")
        return
    (first,) = rest
    part = branch(molecule, atom[9], first, core)
    group = _smiles(molecule, part.atoms)
    element = molecule.GetAtomWithIdx(first).GetAtomicNum()
    if element in (OXYGEN, NITROGEN):
        kind = "carbamate" if element == OXYGEN else "urea"
        parts.substituents.append(Substituent("acyl", group, kind))
        parts.interpretations.add("carbamate_is_acyl")
        if rules.reads("carbamate_is_acyl"):
            parts.clauses.add("E")
        else:
            parts.misses.append(f"the acyl group is a {kind}, not read as an acyl group")
        return
    ethyl = (
        element == CARBON
        and len(part.atoms) == 2
        and all(molecule.GetAtomWithIdx(i).GetAtomicNum() == CARBON for i in part.atoms)
        and _kind(molecule, part, rules) == "alkyl"
    )
    parts.substituents.append(Substituent("acyl", group, "propionyl" if ethyl else "acyl"))
    if not ethyl:
        parts.clauses.add("E")


def _piperidine(
    molecule: Chem.Mol, atom: dict[int, int], core: frozenset[int], parts: _Parts, rules: Rules
) -> None:
    """(C) / (3): substituents on the ring carbons, each of a listed kind."""
    for number in (2, 3, 4, 5, 6):
        for neighbour in _outside(molecule, atom[number], core):
            part = branch(molecule, atom[number], neighbour, core)
            kind = _kind(molecule, part, rules)
            where = f"piperidine C{number}"
            parts.substituents.append(Substituent(where, _smiles(molecule, part.atoms), kind))
            if kind in PIPERIDINE_SUBSTITUENTS:
                parts.clauses.add("C")
                if (
                    kind == "alkyl"
                    and part.atoms
                    and any(molecule.GetAtomWithIdx(i).IsInRing() for i in part.atoms)
                ):
                    parts.interpretations.add("cycloalkyl_is_alkyl")
            else:
                parts.misses.append(f"piperidine substituent {kind} is not one the classes list")


def _n1(
    molecule: Chem.Mol, atom: dict[int, int], core: frozenset[int], parts: _Parts, rules: Rules
) -> None:
    """US (A)/(B): an ethyl linker to a monocycle; CN (4): any group but hydrogen."""
    groups = _outside(molecule, atom[1], core)
    if not groups:
        parts.misses.append("the piperidine nitrogen carries hydrogen (a nor-compound)")
        return
    if len(groups) > 1:
        parts.misses.append("the piperidine nitrogen carries more than one group")
        return
    (alpha,) = groups
    whole = branch(molecule, atom[1], alpha, core)
    parts.substituents.append(Substituent("N1", _smiles(molecule, whole.atoms), "N1 group"))
    phenethyl = _phenethyl(molecule, atom[1], alpha, core, parts, rules)
    parts.n1_group = phenethyl != "phenethyl"
    if phenethyl is None:
        parts.us_misses.append(
            "the piperidine nitrogen's group is not a two-carbon chain to a monocycle "
            "with listed substituents (US (A)/(B))"
        )


def _phenethyl(
    molecule: Chem.Mol,
    n1: int,
    alpha: int,
    core: frozenset[int],
    parts: _Parts,
    rules: Rules,
) -> str | None:
    """'phenethyl' (unchanged), 'modified' (A and/or B), or None (not a US phenethyl group)."""
    a = molecule.GetAtomWithIdx(alpha)
    if (
        a.GetAtomicNum() != CARBON
        or a.IsInRing()
        or a.GetHybridization() != Chem.HybridizationType.SP3
    ):
        return None
    for beta in _outside(molecule, alpha, core, n1):
        b = molecule.GetAtomWithIdx(beta)
        if (
            b.GetAtomicNum() != CARBON
            or b.IsInRing()
            or b.GetHybridization() != Chem.HybridizationType.SP3
        ):
            continue
        ring_atoms = [
            n
            for n in _outside(molecule, beta, core, alpha)
            if molecule.GetAtomWithIdx(n).IsInRing()
        ]
        if len(ring_atoms) != 1:
            continue
        monocycle, ring = _is_monocycle(molecule, ring_atoms[0])
        if not monocycle:
            continue
        chain = frozenset({alpha, beta}) | core | frozenset(ring)
        clauses: set[str] = set()
        subs: list[Substituent] = []
        for carbon, name in ((alpha, "phenethyl Cα"), (beta, "phenethyl Cβ")):
            for neighbour in _outside(molecule, carbon, chain):
                part = branch(molecule, carbon, neighbour, chain)
                subs.append(
                    Substituent(name, _smiles(molecule, part.atoms), _kind(molecule, part, rules))
                )
        benzene = _is_benzene(molecule, ring)
        ring_subs = _ring_substituents(molecule, ring, beta, rules, "phenethyl ring")
        if not benzene:
            clauses.add("A")
            ring_subs = [Substituent(s.where, s.group, "any") for s in ring_subs]
        subs += ring_subs
        checked = [s for s in subs if s.kind != "any"]
        if any(s.kind not in PHENETHYL_SUBSTITUENTS for s in checked):
            continue
        if checked:
            clauses.add("B")
        parts.substituents += subs
        parts.clauses |= clauses
        return "modified" if clauses else "phenethyl"
    return None
