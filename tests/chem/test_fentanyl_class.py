"""The fentanyl-related-substance classes and the US families, clause by clause: the expected
results of docs/precursors.md 4.2 and 4.4 (literal reading)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdkit import Chem

from interlock.chem.families import families
from interlock.chem.fentanyl_class import read_class
from interlock.chem.rules import Rules, rules

# docs/precursors.md 4.2 (literal reading): name, SMILES, US and CN outcome ('in', 'no' or
# 'itself': fentanyl with no modification), the US clauses; also the benchmark's structure set
EXPECTED_FILE = Path(__file__).parent / "fixtures" / "fentanyl_expected_results.csv"
with EXPECTED_FILE.open(newline="", encoding="utf-8") as handle:
    EXPECTED = [tuple(row.values()) for row in csv.DictReader(handle)]
SMILES = {row[0]: row[1] for row in EXPECTED}
FENTANYL = SMILES["fentanyl"]


def _outcome(in_class: bool, itself: bool) -> str:
    return "in" if in_class else "itself" if itself else "no"


@pytest.mark.parametrize(("name", "smiles", "us", "cn", "clauses"), EXPECTED)
def test_expected_results_clause_by_clause(
    name: str, smiles: str, us: str, cn: str, clauses: str
) -> None:
    readings = read_class(Chem.MolFromSmiles(smiles), rules())
    assert _outcome(readings["us"].in_class, readings["us"].is_fentanyl) == us, name
    assert _outcome(readings["cn"].in_class, readings["cn"].is_fentanyl) == cn, name
    if us == "in":
        assert ",".join(readings["us"].clauses) == clauses, name
    if us == "no" and readings["us"].core:
        assert readings["us"].near_misses, f"{name}: a near miss says why"


def test_china_clauses_are_numbered_by_its_own_text() -> None:
    sufentanil = read_class(Chem.MolFromSmiles(SMILES["sufentanil"]), rules())["cn"]
    assert sufentanil.clauses == ("3", "4")  # piperidine; phenethyl replaced
    benzyl = read_class(Chem.MolFromSmiles(SMILES["benzylfentanyl"]), rules())["cn"]
    assert benzyl.clauses == ("4",)


def test_interpretation_is_configuration_recorded_in_the_reading() -> None:
    carbamate = Chem.MolFromSmiles(SMILES["fentanyl carbamate"])
    reading = read_class(carbamate, rules())["us"]
    assert reading.in_class and "carbamate_is_acyl" in reading.interpretations
    strict = Rules.model_validate(
        rules().model_dump()
        | {
            "interpretation": {
                **{k: v.model_dump() for k, v in rules().interpretation.items()},
                "carbamate_is_acyl": {"value": False, "clause": "E", "reason": "read narrowly"},
            }
        }
    )
    narrow = read_class(carbamate, strict)["us"]
    assert not narrow.in_class and "carbamate" in narrow.near_misses[0]


@pytest.mark.parametrize(
    ("smiles", "parent", "derivatives"),
    [
        ("c1ccc(NC2CCNCC2)cc1", "4ap", ()),
        ("CC(C)(C)OC(=O)N1CCC(Nc2ccccc2)CC1", "4ap", ("carbamate",)),
        ("CCC(=O)N(c1ccccc1)C1CCNCC1", "4ap", ("amide",)),  # norfentanyl: also a 4-AP amide
        ("Fc1ccc(NC2CCNCC2)cc1", "4ap", ("halide",)),
        ("O=C1CCNCC1", "4piperidone", ()),
        ("O=C1CCN(C(=O)OCc2ccccc2)CC1", "4piperidone", ("carbamate",)),  # 1-Cbz-4-piperidone
        ("CC(=O)N1CCC(=O)CC1", "4piperidone", ("amide",)),
        ("C1CNCCC12OCCO2", "4piperidone", ("acetal",)),
    ],
)
def test_us_families_hit(smiles: str, parent: str, derivatives: tuple[str, ...]) -> None:
    (membership,) = families(Chem.MolFromSmiles(smiles))
    assert (membership.parent, membership.derivatives) == (parent, derivatives)


@pytest.mark.parametrize(
    "smiles",
    [
        "c1ccc(CCN2CCC(Nc3ccccc3)CC2)cc1",  # ANPP
        FENTANYL,
        "c1ccc(CN2CCC(Nc3ccccc3)CC2)cc1",  # 1-benzyl-4-AP
        "O=C1CCN(CCc2ccccc2)CC1",  # NPP
        "O=C1CCN(Cc2ccccc2)CC1",  # 1-benzyl-4-piperidone: a gap worth a watch list
    ],
)
def test_us_families_miss(smiles: str) -> None:
    assert families(Chem.MolFromSmiles(smiles)) == []
