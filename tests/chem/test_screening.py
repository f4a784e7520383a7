"""Answers per jurisdiction and date: listings, families and classes, salts, mixtures, bad input."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pytest

from interlock.chem.contract import ChemAnswer
from interlock.chem.opsin import Opsin
from interlock.chem.registry import registry
from interlock.chem.screening import ChemQueryError, ChemScreener

SCREENER = ChemScreener(None)


def _answer(text: str, jurisdiction: str = "all", on: date = date(2026, 1, 1)) -> ChemAnswer:
    return SCREENER.answer([text], jurisdiction, on)[0]


def _dated_controls() -> list[tuple[str, str, date]]:
    rows = []
    for substance in registry().substances:
        for listing in substance.listings:
            if listing.effective and listing.effect == "control":
                rows.append((substance.key, listing.jurisdiction, listing.effective))
    return rows


@pytest.mark.parametrize(("key", "jurisdiction", "effective"), _dated_controls())
def test_each_listing_holds_from_its_effective_date(
    key: str, jurisdiction: str, effective: date
) -> None:
    text = registry().by_key[key].smiles
    after = _answer(text, jurisdiction, effective)
    assert any(
        v.controlled and v.basis == "listing" and v.since == effective for v in after.verdicts
    )
    before = _answer(text, jurisdiction, effective - timedelta(days=1))
    assert not any(
        v.basis == "listing" and v.controlled and v.since == effective for v in before.verdicts
    )


def test_4ap_us_from_2020_china_from_september_2024() -> None:
    assert _answer("4-AP", "US", date(2020, 5, 15)).status == "controlled"
    assert _answer("4-AP", "US", date(2020, 5, 14)).status == "not_controlled"
    assert _answer("4-AP", "CN", date(2024, 8, 31)).status == "not_controlled"
    china = _answer("4-AP", "CN", date(2024, 9, 1))
    assert china.status == "controlled"
    (verdict,) = china.verdicts
    assert (verdict.listing, verdict.since, verdict.verified) == (
        "Category II precursor chemical",
        date(2024, 9, 1),
        True,
    )


def test_a_family_member_is_controlled_from_its_latest_derivative_date() -> None:
    fluoro_boc = "CC(C)(C)OC(=O)N1CCC(Nc2ccc(F)cc2)CC1"  # a carbamate and a halide of 4-AP
    before = _answer(fluoro_boc, "US", date(2023, 11, 29))
    assert before.status == "not_controlled"
    assert [v.since for v in before.verdicts if v.basis == "family"] == [date(2023, 11, 30)]
    after = _answer(fluoro_boc, "US", date(2023, 11, 30))
    assert after.status == "controlled"
    (family,) = [v for v in after.verdicts if v.basis == "family"]
    assert family.clauses == ["carbamate", "halide"]


def test_classes_apply_from_their_dates_and_step_aside_for_own_listings() -> None:
    benzyl = "CCC(=O)N(c1ccccc1)C1CCN(Cc2ccccc2)CC1"
    assert _answer(benzyl, "CN", date(2019, 4, 30)).status == "not_controlled"
    china = _answer(benzyl, "CN", date(2019, 5, 1))
    assert china.status == "controlled" and china.verdicts[0].clauses == ["4"]
    (us_class,) = [v for v in _answer(benzyl, "US").verdicts if v.basis == "class"]
    # benzyl is no phenethyl: a US List I chemical, not a US fentanyl-related substance
    assert not us_class.controlled and "two-carbon chain" in us_class.reason
    acetyl = _answer("acetyl fentanyl", "US", date(2019, 1, 1))
    (in_class,) = [v for v in acetyl.verdicts if v.basis == "class"]
    assert not in_class.controlled and "otherwise controlled" in in_class.reason
    assert acetyl.status == "controlled"  # by its own Schedule I listing


def test_an_unlisted_analogue_is_caught_by_the_class() -> None:
    # 2-fluoro-acrylfentanyl: in no table, in both classes by structure
    answer = _answer("C=CC(=O)N(c1ccccc1F)C1CCN(CCc2ccccc2)CC1")
    assert answer.resolved is not None and answer.resolved.registry_key is None
    assert answer.status == "controlled"
    assert {(v.jurisdiction, tuple(v.clauses)) for v in answer.verdicts} == {
        ("US", ("D", "E")),
        ("CN", ("1", "2")),
    }
    us = next(v for v in answer.verdicts if v.jurisdiction == "US")
    assert {"where": "acyl", "group": "C=C", "kind": "acyl"} in [
        {k: s[k] for k in ("where", "group", "kind")} for s in us.substituents
    ]


@pytest.mark.parametrize(
    "salt",
    [
        "Cl.O.O=C1CCNCC1",  # 4-piperidone HCl monohydrate
        "CAS 40064-34-4",
        "4-piperidone hydrochloride",
        "O=C1CC[NH2+]CC1.[Cl-]",
    ],
)
def test_salts_and_hydrates_take_their_parents_verdict(salt: str) -> None:
    parent = _answer("4-piperidone", "US", date(2024, 1, 1))
    answer = _answer(salt, "US", date(2024, 1, 1))
    assert answer.status == parent.status == "controlled"
    assert [(v.listing, v.since) for v in answer.verdicts] == [
        (v.listing, v.since) for v in parent.verdicts
    ]


def test_fentanyl_citrate_is_fentanyl() -> None:
    for text in (
        "fentanyl citrate",
        "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1.OC(=O)CC(O)(CC(=O)O)C(=O)O",
    ):
        answer = _answer(text, "US")
        assert answer.status == "controlled", text
        assert any(v.listing.startswith("Schedule II") for v in answer.verdicts)


def test_a_mixture_with_one_controlled_component_is_controlled() -> None:
    by_structure = _answer(
        "O=C1CCN(CCc2ccccc2)CC1.CC(C)=O", "UN", date(2020, 1, 1)
    )  # NPP + acetone
    assert by_structure.status == "controlled"
    assert {v.substance for v in by_structure.verdicts} == {"N-phenethyl-4-piperidone"}
    by_names = _answer("aniline / NPP", "UN", date(2020, 1, 1))
    assert by_names.status == "controlled"
    assert [c.registry_key for c in by_names.components] == ["aniline", "npp"]


def test_a_bad_cas_is_reported_and_never_cleared() -> None:
    alone = _answer("norfentanyl base CAS 1609-66-5")
    assert any("1609-66-5 fails its check digit" in issue for issue in alone.issues)
    bad_only = _answer("CAS 1609-66-5")
    assert bad_only.status == "unresolved" and bad_only.resolved is None
    harmless = _answer("aniline, CAS 62-53-4")  # aniline's CAS with a wrong check digit
    assert harmless.status == "unresolved"


def test_nothing_resolved_is_unresolved_never_not_controlled() -> None:
    for text in ("blue widget paste, 20 kg", "CAS 50-00-0", "ZZZZZZZZZZZZZZ-ZZZZZZZZSA-N"):
        answer = _answer(text)
        assert answer.status == "unresolved", text
        assert answer.explanation


def test_hs_code_is_a_routing_signal_only() -> None:
    answer = _answer("industrial chemical, HS code 2933.37, 25 kg drum")
    assert answer.status == "unresolved" and answer.hs_codes == ["2933.37"]
    assert any("N-phenethyl-4-piperidone" in line for line in answer.explanation)


def test_watched_chemicals_are_not_controlled_but_say_so() -> None:
    answer = _answer("propionyl chloride 99%", "US", date(2024, 1, 1))
    assert answer.status == "not_controlled"
    (watched,) = answer.verdicts
    assert watched.effect == "surveillance" and not watched.controlled


def test_identifiers_that_disagree_are_all_assessed() -> None:
    answer = _answer("aniline CAS 39742-60-4", "US", date(2024, 1, 1))  # NPP's CAS
    assert answer.status == "controlled"
    assert any("different substances" in issue for issue in answer.issues)


def test_unknown_jurisdiction_is_a_clear_error() -> None:
    with pytest.raises(ChemQueryError, match="unknown jurisdiction 'XX'"):
        SCREENER.answer(["NPP"], "XX", date(2024, 1, 1))


def test_systematic_names_not_in_the_registry_are_read_by_opsin() -> None:
    if shutil.which("java") is None:
        pytest.skip("no Java runtime on PATH: OPSIN cannot run here")
    with Opsin() as opsin:
        screener = ChemScreener(opsin)
        lines = [
            "tert-butyl 4-(4-fluoroanilino)piperidine-1-carboxylate, 98%, 5 kg",  # 4-AP family
            "N-(2-fluorophenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]prop-2-enamide",  # both classes
            "1-(2-phenylethyl)piperidin-4-one",  # a registry synonym: no OPSIN needed
            "N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide citrate",
        ]
        family, analogue, npp, citrate = screener.answer(lines, "US", date(2024, 1, 1))
    assert family.status == "controlled" and family.resolved is not None
    assert family.resolved.method == "opsin" and family.resolved.confidence == 0.9
    assert [v.clauses for v in family.verdicts if v.basis == "family"] == [["carbamate", "halide"]]
    assert analogue.status == "controlled" and analogue.verdicts[0].clauses == ["D", "E"]
    assert npp.resolved is not None and npp.resolved.method == "name"
    assert citrate.status == "controlled"  # the salt word set aside, the name is fentanyl
    assert citrate.resolved is not None and citrate.resolved.registry_key == "fentanyl"


def test_without_opsin_a_systematic_name_is_unresolved_and_says_why() -> None:
    answer = _answer("tert-butyl 4-(4-fluoroanilino)piperidine-1-carboxylate")
    assert answer.status == "unresolved"
    assert any("OPSIN is off" in line for line in answer.explanation)


def test_a_registry_name_among_brand_words_is_found_with_less_confidence() -> None:
    answer = _answer("Sigma-Aldrich 1-Boc-4-piperidone high purity, 5 kg", "US", date(2024, 1, 1))
    assert answer.status == "controlled" and answer.resolved is not None
    assert (answer.resolved.registry_key, answer.resolved.confidence) == ("boc4piperidone", 0.8)
    assert "a registry name within the text" in answer.explanation[0]


def test_a_near_miss_says_why_per_jurisdiction() -> None:
    four_phenyl = "CCC(=O)N(c1ccccc1)C1(c2ccccc2)CCN(CCc2ccccc2)CC1"
    answer = _answer(four_phenyl, "all", date(2024, 1, 1))
    assert answer.status == "not_controlled"
    assert {v.jurisdiction for v in answer.verdicts} == {"US", "CN"}
    assert all(
        not v.controlled and v.basis == "class" and "piperidine substituent aryl" in v.reason
        for v in answer.verdicts
    )
