"""Identifiers and trade noise on order lines."""

from __future__ import annotations

import pytest

from interlock.chem.identifiers import (
    cas_check_digit_ok,
    cas_numbers,
    hs_codes,
    inchikeys,
    name_key,
    name_text,
)


def test_cas_check_digit() -> None:
    assert cas_check_digit_ok("1609-66-1")
    assert not cas_check_digit_ok("1609-66-5")  # the norfentanyl typo seen in public tables
    found = cas_numbers("norfentanyl CAS: 1609-66-5, see also 79099-07-3")
    assert [(c.text, c.valid) for c in found] == [("1609-66-5", False), ("79099-07-3", True)]


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("N-Phenethyl-4-piperidinone, 99%, 25 kg drum", "N-Phenethyl-4-piperidinone"),
        ("1-Boc-4-piperidone (98%)", "1-Boc-4-piperidone"),
        ("4-ANPP 99% min, 1kg bag, CAS: 21409-26-7", "4-ANPP"),
        ("4-Piperidinone, 1-(2-phenylethyl)- AR grade 500 g", "4-Piperidinone, 1-(2-phenylethyl)-"),
        ("CAS 79099-07-3", ""),
    ],
)
def test_trade_noise_is_stripped_and_chemistry_kept(line: str, name: str) -> None:
    assert name_text(line) == name


def test_hs_codes_are_read_where_the_line_says_so() -> None:
    assert hs_codes("NPP HS code 2933.37, 25 kg") == ["2933.37"]
    assert hs_codes("HS: 293339") == ["2933.39"]
    assert hs_codes("lot 20231104, 25 kg") == []


def test_inchikeys_and_name_keys() -> None:
    assert inchikeys("key YDJXNYNKKXZBMP-UHFFFAOYSA-N here") == ["YDJXNYNKKXZBMP-UHFFFAOYSA-N"]
    assert name_key("α-Methylfentanyl") == name_key("alpha methyl-fentanyl")
