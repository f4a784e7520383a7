"""The candidate index: which listed names a query gathers for full scoring."""

from __future__ import annotations

import os
import subprocess
import sys

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
    assert index.near_words(pulin) == ["putin"]
    assert _gathered(index, "Vladimir Pulin", PERSON)[0] == "Vladimir Putin"
    assert "Gazprom Neft" in _gathered(index, "Gasprom", ORGANIZATION)
    # 'pucino' is three edits from 'putin'
    (far,) = analyze("Pucino", PERSON).forms[0].tokens
    assert index.near_words(far) == []


def test_a_long_word_no_list_has_is_looked_up_two_edits_away() -> None:
    index = NameIndex()
    for entry, name in enumerate(["Pacific Motors Company", "Rotors Holdings", "Gazprom Neft"]):
        index.add_entry(entry, [(name, False)], ORGANIZATION)
    index.finish()

    def near(word: str) -> list[str]:
        (token,) = analyze(word, ORGANIZATION).forms[0].tokens
        return index.near_words(token)

    assert near("mortars") == ["motors"]  # two edits: no word is one
    assert near("mottors") == ["motors"]  # one edit: 'rotors', two, is not looked for
    assert near("motorz") == ["motors"]  # six letters: one edit only
    assert near("motrz") == []
    assert _gathered(index, "Pacific Mortars Co", ORGANIZATION)[0] == "Pacific Motors Company"


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


def test_names_of_equal_rank_come_in_index_order_in_every_process() -> None:
    """A token's equivalent spellings are a set, looked up in an order that changes with each
    process's string hashing; the names gathered must not."""
    script = (
        "from interlock.match.index import NameIndex\n"
        "from interlock.names.analysis import analyze\n"
        "index = NameIndex()\n"
        "names = ['Cho Wei', 'Chong Wei', 'Teo Wei', 'Zhang Wei', 'Jhang Wei', 'Cang Wei']\n"
        "names += [f'{s} Wei' for s in ('Li', 'Wang', 'Liu', 'Yang', 'Zhao', 'Wu', 'Sun', 'Xu')]\n"
        "for entry, name in enumerate(names):\n"
        "    index.add_entry(entry, [(name, False)], 'person')\n"
        "index.finish()\n"
        "print([p for p, _ in index.candidates(analyze('张伟', 'person'), 3)])\n"
    )
    answers = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout.strip()
        for seed in range(1, 6)
    }
    assert len(answers) == 1
