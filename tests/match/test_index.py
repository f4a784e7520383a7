"""The candidate index: which listed names a query gathers for full scoring."""

from __future__ import annotations

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
