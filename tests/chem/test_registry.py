"""The substance registry: valid at load, every identifier resolves, a wrong one fails loudly."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest
import yaml

from interlock.chem.registry import RegistryError, parse_registry, registry
from interlock.chem.screening import ChemScreener

TEXT = resources.files("interlock.chem.data").joinpath("substances.yaml").read_text("utf-8")
SCREENER = ChemScreener(None)  # registry identifiers only: OPSIN is tested on its own


def _identifiers() -> list[tuple[str, str, str]]:
    """(registry key, how, text) for every identifier of every row."""
    rows = []
    for s in registry().substances:
        for name in s.names:
            rows.append((s.key, "name", name))
        for cas in s.cas:
            rows.append((s.key, "cas", f"CAS {cas}"))
        rows.append((s.key, "smiles", s.smiles))
        rows.append((s.key, "inchikey", s.inchikey))
    return rows


@pytest.mark.parametrize(("key", "how", "text"), _identifiers())
def test_every_identifier_resolves_to_its_row(key: str, how: str, text: str) -> None:
    (answer,) = SCREENER.answer([text], "all", date(2026, 1, 1))
    assert answer.resolved is not None, answer.explanation
    assert answer.resolved.registry_key == key
    assert answer.resolved.inchikey == registry().by_key[key].inchikey


def _broken(change: dict[str, object], key: str = "npp") -> str:
    data = yaml.safe_load(TEXT)
    row = next(s for s in data["substances"] if s["key"] == key)
    row.update(change)
    return yaml.safe_dump(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cas": ["39742-60-5"]}, "check digit"),
        ({"inchikey": "ZCMDXDQUYIWEKB-UHFFFAOYSA-N"}, "does not match its SMILES"),
        ({"smiles": "C1CC(("}, "does not parse"),
        ({"synonyms": ["ANPP"]}, "claimed by both"),
        ({"cas": ["21409-26-7"]}, "claimed by both"),
        ({"parent": "nothing"}, "unknown parent"),
    ],
)
def test_a_wrong_identifier_fails_loudly(change: dict[str, object], message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        parse_registry(_broken(change), "broken.yaml")


def test_a_salt_must_be_a_salt_of_its_parent() -> None:
    with pytest.raises(RegistryError, match="not a salt or hydrate"):
        parse_registry(_broken({"parent": "npp"}, "4piperidone-hcl"), "broken.yaml")


def test_unverified_facts_are_marked() -> None:
    rows = registry().by_key
    assert not next(x for x in rows["npp"].listings if x.jurisdiction == "CN").verified
    assert next(x for x in rows["4ap"].listings if x.jurisdiction == "US").verified
