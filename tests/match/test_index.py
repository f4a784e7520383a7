"""The candidate index: which listed names a query gathers for full scoring."""

from __future__ import annotations

import pytest

from interlock.match import index as index_module
from interlock.match.index import NameIndex
from interlock.names.analysis import analyze
from interlock.names.forms import ORGANIZATION, PERSON

LISTED = [
    ("Vladimir Putin", PERSON),
    ("Vladimir Petrov", PERSON),
    ("Gazprom Neft", ORGANIZATION),
    ("Brigade 44", ORGANIZATION),
    ("Goodwill Company", ORGANIZATION),
]


def _index() -> NameIndex:
    index = NameIndex()
    for entry, (name, reading) in enumerate(LISTED):
        index.add_entry(entry, [(name, False)], reading)
    index.finish()
    return index


def _gathered(index: NameIndex, query: str, reading: str) -> list[str]:
    found = index.candidates(analyze(query, reading), 10)
    return [index.names[position].display for position, _share in found]


def test_a_word_one_edit_away_gathers_its_names() -> None:
    index = _index()
    (pulin,) = analyze("Pulin", PERSON).forms[0].tokens
    assert index.one_edit_away(pulin) == ["putin"]
    assert _gathered(index, "Vladimir Pulin", PERSON)[0] == "Vladimir Putin"
    assert "Gazprom Neft" in _gathered(index, "Gasprom", ORGANIZATION)
    # 'pucino' is three edits from 'putin'
    (far,) = analyze("Pucino", PERSON).forms[0].tokens
    assert index.one_edit_away(far) == []


def test_numbers_spelt_out_and_words_written_apart_gather_their_names() -> None:
    index = _index()
    assert _gathered(index, "Brigade Forty-Four", ORGANIZATION)[0] == "Brigade 44"
    assert _gathered(index, "Good Will Company", ORGANIZATION)[0] == "Goodwill Company"


def test_words_written_apart_and_misspelt_gather_the_word_they_make() -> None:
    index = NameIndex()
    for entry, name in enumerate(["'Ndrangheta", "Camorra", "Sacra Corona Unita"]):
        index.add_entry(entry, [(name, False)], ORGANIZATION)
    index.finish()
    assert _gathered(index, "Andrang Heta", ORGANIZATION)[:1] == ["'Ndrangheta"]


def test_a_rare_query_word_does_not_keep_common_ones_from_gathering(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The query's words joined find a name first; its words, each on more names than the
    seeding limits, still gather theirs."""
    monkeypatch.setattr(index_module, "LONG_POSTING", 30)
    monkeypatch.setattr(index_module, "SEED_POSTING", 60)
    common = [f"Ali {n}" for n in range(100)] + [f"Mohamed {n}" for n in range(100)]
    index = NameIndex()
    for entry, name in enumerate(["Mohammedali Trading", *common, "Mohamed Ali"]):
        index.add_entry(entry, [(name, False)], PERSON)
    index.finish()
    assert "Mohamed Ali" in _gathered(index, "Mohammed Ali", PERSON)
