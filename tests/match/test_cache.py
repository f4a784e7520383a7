"""Analysed names kept on disk: read back equal, rebuilt from a damaged file, old versions removed."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from interlock.match.cache import cache_path, read_analyses, write_analyses
from interlock.names.analysis import analyze

NAMES = [
    ("organization", "Ministry of Public Security's Institute of Forensic Science of China"),
    ("any", "公安部物证鉴定中心"),
    ("person", "طه ياسين رمضان الجزراوي"),
    ("person", "Mao Tse-tung"),
]


def test_analyses_round_trip_and_replace_older_versions(tmp_path: Path) -> None:
    analyses = {(reading, name): analyze(name, reading) for reading, name in NAMES}
    # every field of a token is kept: al-Jizrawi's article too
    assert any(t.article for a in analyses.values() for f in a.forms for t in f.tokens)
    stale = tmp_path / "name-analyses-olddata-oldcode.json.gz"
    stale.write_bytes(b"")
    path = cache_path(tmp_path, "0123456789abcdef")
    write_analyses(path, analyses)
    assert read_analyses(path) == analyses
    assert not stale.exists() and sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_equal_tokens_are_read_back_as_one(tmp_path: Path) -> None:
    """Names share words: a word stored under several names is one token once read."""
    names = ["Hamid Masli", "Ahmed Hamid", "Masli Trading"]
    analyses = {("any", name): analyze(name, "any") for name in names}
    path = cache_path(tmp_path, "0123456789abcdef")
    write_analyses(path, analyses)
    read = read_analyses(path)
    assert read == analyses
    tokens = {
        name: {t.text: t for f in read[("any", name)].forms for t in f.tokens} for name in names
    }
    hamid = tokens["Hamid Masli"]["hamid"], tokens["Ahmed Hamid"]["hamid"]
    assert hamid[0] == hamid[1] and hamid[0] is hamid[1]
    masli = tokens["Hamid Masli"]["masli"], tokens["Masli Trading"]["masli"]
    # equal only where every field is: a person's 'masli' and a body's differ in kind or groups
    assert (masli[0] is masli[1]) == (masli[0] == masli[1])


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    path = cache_path(tmp_path, "0123456789abcdef")
    path.write_bytes(b"not gzip")
    assert read_analyses(path) is None
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write('{"format": 2, "analyses": [{"r": "any"}]}')
    assert read_analyses(path) is None
    write_analyses(path, {("any", "Hamid Masli"): analyze("Hamid Masli", "any")})
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        stored = json.load(handle)
    for number in (-1, len(stored["tokens"]), "0", True, 1.0):  # a number that names no token
        stored["analyses"][0]["f"][0][1][0] = number
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            json.dump(stored, handle)
        assert read_analyses(path) is None, number
    assert read_analyses(tmp_path / "missing.json.gz") is None
