"""Which listed names a search scores in full (Matcher.scored_candidates)."""

from __future__ import annotations

from interlock.match.matcher import CANDIDATES, Matcher
from interlock.model import Schema
from interlock.names.analysis import analyze
from interlock.names.forms import PERSON
from tests.conftest import list_entry

SURNAMES = [
    "abbas",
    "bakr",
    "chaudhry",
    "dar",
    "ejaz",
    "farooq",
    "gill",
    "hashmi",
    "iqbal",
    "javed",
]


def _matcher(names: list[str]) -> Matcher:
    entries = [list_entry(f"t:{n}", Schema.PERSON, name) for n, name in enumerate(names)]
    return Matcher(entries, threshold=0.65)


def _scored(matcher: Matcher, query: str) -> set[str]:
    positions = matcher.scored_candidates(analyze(query, PERSON), 10)
    return {matcher.index.names[p].display for p in positions}


def test_a_misspelt_name_is_scored_when_its_common_word_is_on_many_names() -> None:
    """'khaja' shares no index key with 'khan': by shared words alone 'Imran Khan' ranks with
    every other Imran, below the cut; its spelling brings it back."""
    crowd = ["Imran"] * (CANDIDATES + 20) + [f"Imran {s}{n}" for s in SURNAMES for n in range(5)]
    matcher = _matcher([*crowd, "Imran Khan"])
    assert "Imran Khan" in _scored(matcher, "Imran Khaja")
    # ... and a name spelt otherwise is not scored for its spelling
    assert "Imran Khan" not in _scored(matcher, "Imran Qureshi")
