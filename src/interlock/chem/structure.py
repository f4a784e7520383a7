"""Structures with RDKit: parsing, the parent of a salt or hydrate, the components of a mixture."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdkit import Chem, RDLogger
from rdkit.Chem.MolStandardize import rdMolStandardize

# RDKit reports every unparsable string on stderr; a screener parses many on purpose
RDLogger.DisableLog("rdApp.*")  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Structure:
    """A parsed structure: as given, and as the parts a control applies to."""

    smiles: str  # canonical SMILES of the whole input (salt, hydrate or mixture included)
    inchikey: str  # of the whole input
    parent_smiles: str  # the largest organic fragment, neutralised
    parent_inchikey: str
    components: tuple[
        tuple[str, str], ...
    ]  # (smiles, inchikey) of every organic part, parent first


def inchikey(molecule: Chem.Mol) -> str:
    return str(Chem.MolToInchiKey(molecule))  # type: ignore[no-untyped-call]


def from_smiles(text: str) -> Structure | None:
    molecule = Chem.MolFromSmiles(text)
    return _structure(molecule) if molecule is not None and molecule.GetNumAtoms() else None


def from_inchi(text: str) -> Structure | None:
    molecule = Chem.MolFromInchi(text)  # type: ignore[no-untyped-call]
    return _structure(molecule) if molecule is not None and molecule.GetNumAtoms() else None


@lru_cache(maxsize=1)
def _tools() -> tuple[
    rdMolStandardize.FragmentRemover,
    rdMolStandardize.LargestFragmentChooser,
    rdMolStandardize.Uncharger,
]:
    return (
        rdMolStandardize.FragmentRemover(),
        rdMolStandardize.LargestFragmentChooser(preferOrganic=True),
        rdMolStandardize.Uncharger(),
    )


def _structure(molecule: Chem.Mol) -> Structure:
    remover, chooser, uncharger = _tools()
    whole_smiles = Chem.MolToSmiles(molecule)
    whole_key = inchikey(molecule)
    parent = uncharger.uncharge(chooser.choose(molecule))
    parent_smiles = Chem.MolToSmiles(parent)
    parts = [(parent_smiles, inchikey(parent))]
    # counter-ions and solvents RDKit knows are dropped; every other organic fragment of a
    # mixture is a component of its own ('NPP in toluene', 'fentanyl citrate')
    for fragment in Chem.GetMolFrags(remover.remove(molecule), asMols=True):
        if not any(atom.GetAtomicNum() == 6 for atom in fragment.GetAtoms()):
            continue
        neutral = uncharger.uncharge(fragment)
        smiles = Chem.MolToSmiles(neutral)
        if all(smiles != known for known, _ in parts):
            parts.append((smiles, inchikey(neutral)))
    return Structure(whole_smiles, whole_key, parent_smiles, parts[0][1], tuple(parts))
