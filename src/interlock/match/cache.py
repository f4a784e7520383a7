"""The analysed names of a corpus, kept on disk so a restart does not analyse them again.

Analysis is most of the cost of building the index. A cache file holds the analyses of one data
version made by one version of the analysis (its code and word tables): either changing makes a
new file, and older files are removed. The file is our own JSON, read with json, never unpickled.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Mapping
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from interlock.names.forms import AnalyzedName, Kind, NameForm, Token

FORMAT = 4  # 4: each distinct token written once, forms as token numbers
PREFIX = "name-analyses-"

Analyses = dict[tuple[str, str], AnalyzedName]  # (reading, name) → analysis


def analysis_version() -> str:
    """Changes with interlock's version, with the analysis code and with any word table it reads
    (an edited checkout must not be served analyses its code no longer makes)."""
    digest = hashlib.sha256(f"{FORMAT}:{metadata.version('interlock')}".encode())
    package = resources.files("interlock.names")
    code = [i for i in package.iterdir() if i.is_file() and i.name.endswith(".py")]
    tables = [
        i
        for i in package.joinpath("data").iterdir()
        if i.is_file() and not i.name.endswith((".py", ".md"))
    ]
    for item in sorted(code, key=lambda i: i.name) + sorted(tables, key=lambda i: i.name):
        digest.update(item.name.encode())
        digest.update(item.read_bytes())
    return digest.hexdigest()[:16]


def cache_path(folder: Path, data_version: str) -> Path:
    return folder / f"{PREFIX}{data_version}-{analysis_version()}.json.gz"


def _token(raw: list[Any]) -> Token:
    text, kind, alts, via, groups, vowelless, article = raw
    return Token(text, Kind(kind), frozenset(alts), via, frozenset(groups), vowelless, article)


def _tokens_at(tokens: list[Token], at: list[int]) -> tuple[Token, ...]:
    # Python would read a negative index from the end, and true as 1
    if type(at) is not list or not all(type(n) is int and n >= 0 for n in at):
        raise ValueError("token numbers: a list of whole numbers from 0")
    return tuple(map(tokens.__getitem__, at))


def read_analyses(path: Path) -> Analyses | None:
    """The cached analyses, or None when there is no usable file (it is then rebuilt)."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            stored = json.load(handle)
        tokens = [_token(raw) for raw in stored["tokens"]]
        return {
            (item["r"], item["n"]): AnalyzedName(
                item["n"],
                tuple(NameForm(_tokens_at(tokens, at), via) for via, at in item["f"]),
                tuple(item["o"]),
            )
            for item in stored["analyses"]
        }
    except (OSError, EOFError, ValueError, KeyError, TypeError, IndexError):
        return None


def write_analyses(path: Path, analyses: Mapping[tuple[str, str], AnalyzedName]) -> None:
    """Write atomically (a reader never sees half a file) and remove other versions' files.

    The names of a corpus share most of their words: each distinct token is written once, and a
    form as the numbers of its tokens (read back, equal tokens are one object)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    numbers: dict[Token, int] = {}
    items = [
        {
            "r": reading,
            "n": name,
            "f": [
                [form.via, [numbers.setdefault(t, len(numbers)) for t in form.tokens]]
                for form in analyzed.forms
            ],
            "o": list(analyzed.notes),
        }
        for (reading, name), analyzed in analyses.items()
    ]
    tokens = [
        [t.text, t.kind.value, sorted(t.alts), t.via, sorted(t.groups), t.vowelless, t.article]
        for t in numbers
    ]
    partial = path.with_suffix(f".{os.getpid()}.partial")
    with gzip.open(partial, "wt", encoding="utf-8", compresslevel=1) as handle:
        json.dump(
            {"format": FORMAT, "tokens": tokens, "analyses": items}, handle, ensure_ascii=False
        )
    partial.replace(path)
    for other in path.parent.glob(f"{PREFIX}*.json.gz"):
        if other != path:
            other.unlink(missing_ok=True)
