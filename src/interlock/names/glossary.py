"""Chinese → English glossary for organisation names, and segmentation of Han names with it.

Two curated data files (``names/data/``):

- ``glossary_zh.yaml``: words and fixed phrases of organisation names (有限公司, 生物科技, 研究所,
  公安部 …) with the English words list entries use for them, a kind and a source;
- ``zh_divisions.yaml``: administrative divisions (北京, 武汉, 浙江 …, written without their suffix)
  and the suffixes that follow them (省, 市, 自治区 …).

Both are validated when read; a bad row raises `GlossaryError` naming the file and the row.
`load_glossary` reads the packaged files once; `read_glossary` reads any pair of files (tests).

`Glossary.segment` cuts a name written in simplified Han into glossary words, divisions (with their
suffix: 武汉市 → location 'wuhan'), numbers (第五十四 → '54') and runs of unknown characters (the
trade name): 武汉硕康生物科技有限公司 → 武汉 | 硕康 | 生物科技 | 有限公司.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from interlock.names.han import to_simplified

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

GLOSSARY_FILE = "glossary_zh.yaml"
DIVISIONS_FILE = "zh_divisions.yaml"

KINDS = frozenset(
    {
        "legal_form",
        "generic",
        "industry",
        "institution",
        "government",
        "military",
        "location_word",
        "sub_unit",
        "other",
    }
)
DIVISION_LEVELS = frozenset({"province", "city", "region", "county", "district"})

# segment kinds besides the glossary kinds
LOCATION = "location"  # a division, with or without its suffix
LOCATION_WORD = "location_word"  # also: a multi-character suffix standing alone (自治区, 开发区)
NUMBER = "number"
UNKNOWN = "unknown"
DIVISIONS_SOURCE = "zh_divisions"

# words of ASCII lowercase letters and digits; "people's" is the one possessive English keeps
_EN = re.compile(r"[a-z0-9]+(?:'s)?(?: [a-z0-9]+(?:'s)?)*")
_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL_CHARS = frozenset(_DIGITS) | frozenset(_UNITS)
# a bare numeral directly before one of these is a unit number: 五十四所, 七〇二厂, 九院
NUMBER_UNITS = ("研究所", "研究院", "研究室", "分院", "分厂", "工厂", "所", "院", "厂")

# cost of a cut, compared in this order: words (a known piece or one unknown character is a
# word), unknown characters, segments (a run of unknown characters is one segment)
_WORD = 1 << 40
_UNKNOWN_CHAR = 1 << 20


class GlossaryError(ValueError):
    """A glossary or divisions file that does not validate; the message names the file and row."""


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    description: str
    location: str  # the url or path the entries were taken from
    entry_ids: tuple[str, ...] = ()  # ids of the list entries they were seen in


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    zh: str
    en: tuple[str, ...]  # English renderings, most common first
    kind: str
    source: str


@dataclass(frozen=True, slots=True)
class Division:
    zh: str  # without its suffix: 北京, not 北京市
    en: tuple[str, ...]
    level: str


@dataclass(frozen=True, slots=True)
class DivisionSuffix:
    zh: str
    en: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Segment:
    """One piece of a segmented name.

    kind is a glossary kind, 'location' (a division, suffix included in text), 'number' or
    'unknown' (unmatched characters: en is empty). For a location, en holds the division's
    renderings and suffix_en the suffix's (武汉市: en ('wuhan',), suffix_en ('city', …)).
    """

    text: str
    kind: str
    en: tuple[str, ...] = ()
    source: str | None = None
    suffix_en: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Candidate:
    segment: Segment
    # single-character words also occur inside trade names (中兴, 东华): they count only next to
    # known segments or the name's edge — on the right (部, 局, 厂 …) or on both sides (东, 中 …)
    needs_left: bool
    needs_right: bool


# states of the segmentation: what the previous segment was
_EDGE, _UNKNOWN_HAN, _UNKNOWN_OTHER, _NEEDS_RIGHT = 0, 1, 2, 3


class Glossary:
    """The glossary entries, divisions and suffixes, and a segmenter built from them."""

    def __init__(
        self,
        entries: Mapping[str, GlossaryEntry],
        divisions: Mapping[str, Division],
        suffixes: Mapping[str, DivisionSuffix],
        sources: Mapping[str, Source],
    ) -> None:
        self.entries: Mapping[str, GlossaryEntry] = MappingProxyType(dict(entries))
        self.divisions: Mapping[str, Division] = MappingProxyType(dict(divisions))
        self.suffixes: Mapping[str, DivisionSuffix] = MappingProxyType(dict(suffixes))
        self.sources: Mapping[str, Source] = MappingProxyType(dict(sources))
        self._lexicon = self._build_lexicon()
        self._prefixes = frozenset(
            key[:end] for key in self._lexicon for end in range(1, len(key) + 1)
        )

    def _build_lexicon(self) -> dict[str, _Candidate]:
        lexicon: dict[str, _Candidate] = {}
        # lowest precedence first: a later kind overwrites an earlier one for the same text
        for suffix in self.suffixes.values():
            if len(suffix.zh) > 1:  # 市, 区, 旗 … alone are too common inside other words
                segment = Segment(suffix.zh, LOCATION_WORD, suffix.en, DIVISIONS_SOURCE)
                lexicon[suffix.zh] = _Candidate(segment, False, False)
        for entry in self.entries.values():
            single = len(entry.zh) == 1
            segment = Segment(entry.zh, entry.kind, entry.en, entry.source)
            lexicon[entry.zh] = _Candidate(segment, single and entry.kind == LOCATION_WORD, single)
        for division in self.divisions.values():
            for suffix in self.suffixes.values():
                text = division.zh + suffix.zh
                segment = Segment(text, LOCATION, division.en, DIVISIONS_SOURCE, suffix.en)
                lexicon.setdefault(text, _Candidate(segment, False, False))
        for division in self.divisions.values():
            segment = Segment(division.zh, LOCATION, division.en, DIVISIONS_SOURCE)
            lexicon[division.zh] = _Candidate(segment, False, False)
        return lexicon

    def _candidates(self, text: str, start: int) -> list[tuple[int, _Candidate]]:
        """Known pieces starting at `start`: (end, candidate), longest first."""
        found: list[tuple[int, _Candidate]] = []
        lexicon, prefixes = self._lexicon, self._prefixes
        n = len(text)
        end = start + 1
        while end <= n:
            piece = text[start:end]
            if piece not in prefixes:
                break
            candidate = lexicon.get(piece)
            if candidate is not None:
                found.append((end, candidate))
            end += 1
        first = text[start]
        if first == "第" or first in _NUMERAL_CHARS or first.isdecimal():
            number = _number_at(text, start)
            if number is not None:
                found.append(number)
                found.sort(key=lambda item: item[0])
        found.reverse()
        return found

    def segment(self, text: str) -> list[Segment]:
        """Cut simplified Han text into glossary words, divisions, numbers and unknown runs.

        Longest match, made robust by looking at the whole name: the cut has the fewest words
        (a known piece, or one unknown character, is a word), then the fewest unknown characters,
        then the fewest segments; among equal cuts the longest piece further left wins. It agrees
        with greedy longest-match whenever that is not fooled by a trade name's last character:
        恒通信息 → 恒通 | 信息 (not 恒 | 通信 | 息); 东创新材料 → 东创 | 新材料 (not 东 | 创新 | 材料).

        Unmatched characters form maximal runs of kind 'unknown', split where the script changes
        (Han / other); whitespace and punctuation only separate runs and are dropped. Fold
        traditional characters first (`interlock.names.han.to_simplified`).
        """
        n = len(text)
        if n == 0:
            return []
        classes = [_char_class(char) for char in text]
        infinity = 1 << 62
        # cost[4 * i + state]: the best cost of text[i:] after a segment of type `state`;
        # step[4 * i + state]: the piece that achieves it (None: one unknown character)
        cost = [infinity] * (4 * n) + [0, 0, 0, 0]
        step: list[tuple[int, int, _Candidate | None]] = [(0, 0, None)] * (4 * n)
        for i in range(n - 1, -1, -1):
            here = 4 * i
            char_class = classes[i]
            if char_class == 0:  # a separator: an edge for what follows
                after = cost[here + 4 + _EDGE]
                for state in range(4):
                    cost[here + state] = after
                    step[here + state] = (i + 1, _EDGE, None)
                continue
            nothing: tuple[int, int, _Candidate | None] = (0, 0, None)
            any_cost, any_step = infinity, nothing
            free_cost, free_step = infinity, nothing  # candidates allowed after an unknown
            for end, candidate in self._candidates(text, i):
                next_state = _NEEDS_RIGHT if candidate.needs_right else _EDGE
                value = _WORD + 1 + cost[4 * end + next_state]
                if value < any_cost:
                    any_cost, any_step = value, (end, next_state, candidate)
                if not candidate.needs_left and value < free_cost:
                    free_cost, free_step = value, (end, next_state, candidate)
            same = _WORD + _UNKNOWN_CHAR + cost[here + 4 + char_class]  # continues an unknown run
            unknown_step = (i + 1, char_class, None)
            cost[here + _NEEDS_RIGHT], step[here + _NEEDS_RIGHT] = any_cost, any_step
            if any_cost <= same + 1:
                cost[here + _EDGE], step[here + _EDGE] = any_cost, any_step
            else:
                cost[here + _EDGE], step[here + _EDGE] = same + 1, unknown_step
            for state in (_UNKNOWN_HAN, _UNKNOWN_OTHER):
                value = same if state == char_class else same + 1
                if free_cost <= value:
                    cost[here + state], step[here + state] = free_cost, free_step
                else:
                    cost[here + state], step[here + state] = value, unknown_step
        return _collect(text, step, classes)


def _collect(
    text: str, step: list[tuple[int, int, _Candidate | None]], classes: list[int]
) -> list[Segment]:
    segments: list[Segment] = []
    run_start = -1
    i, state = 0, _EDGE
    while i < len(text):
        end, next_state, candidate = step[4 * i + state]
        is_unknown = candidate is None and classes[i] != 0
        if run_start >= 0 and (not is_unknown or classes[i] != classes[run_start]):
            segments.append(Segment(text[run_start:i], UNKNOWN))
            run_start = -1
        if is_unknown and run_start < 0:
            run_start = i
        if candidate is not None:
            segments.append(candidate.segment)
        i, state = end, next_state
    if run_start >= 0:
        segments.append(Segment(text[run_start:], UNKNOWN))
    return segments


def _char_class(char: str) -> int:
    """1 for Han (and 〇), 2 for other letters and digits, 0 for separators."""
    if _HAN_CHAR.match(char) or char == "〇":
        return _UNKNOWN_HAN
    return _UNKNOWN_OTHER if char.isalnum() else 0


def _is_numeral(char: str) -> bool:
    return char in _NUMERAL_CHARS or char.isdecimal()


def _number_at(text: str, start: int) -> tuple[int, _Candidate] | None:
    """第 + numeral (第五十四, 第54), or a bare numeral right before a unit word (五十四所)."""
    ordinal = text[start] == "第"
    first = start + 1 if ordinal else start
    if not ordinal and start > 0 and _is_numeral(text[start - 1]):
        return None  # inside a numeral: only its first character starts a number
    end = first
    while end < len(text) and _is_numeral(text[end]):
        end += 1
    if end == first:
        return None
    if not ordinal and not text.startswith(NUMBER_UNITS, end):
        return None
    value = parse_chinese_number(text[first:end])
    if value is None:
        return None
    segment = Segment(text[start:end], NUMBER, (str(value),))
    return end, _Candidate(segment, False, False)


def parse_chinese_number(text: str) -> int | None:
    """The value of a Chinese or Arabic numeral, or None if `text` is not one.

    Accepts an optional leading 第; positional numerals with 十/百/千 (十 → 10, 十四 → 14,
    五十四 → 54, 二十九 → 29, 一百零二 → 102, 两千 → 2000); digit by digit (七〇二 → 702); Arabic
    digits, also full-width (54, ５４).
    """
    if text.startswith("第"):
        text = text[1:]
    if not text:
        return None
    if text.isdecimal():
        return int(text)
    if any(char in _UNITS for char in text):
        return _positional(text)
    if all(char in _DIGITS for char in text):
        return int("".join(str(_DIGITS[char]) for char in text))
    return None


def _positional(text: str) -> int | None:
    total = 0
    digit: int | None = None
    last_unit = 10_000
    after_zero = False
    for char in text:
        if char in _DIGITS:
            if digit is not None:
                return None  # two digits in a row: 五五十
            digit = _DIGITS[char]
            if digit == 0:
                after_zero, digit = True, None
        elif char in _UNITS:
            unit = _UNITS[char]
            if unit >= last_unit:
                return None  # units must fall: 十百, 十十
            if digit is None:
                if total or after_zero:
                    return None  # a unit needs its digit except at the start: 十四, 百
                digit = 1
            total += digit * unit
            digit, last_unit, after_zero = None, unit, False
        else:
            return None
    if digit is not None:
        total += digit
    return total


# ---------------------------------------------------------------- loading and validation


def read_glossary(
    glossary_path: str | os.PathLike[str] | None = None,
    divisions_path: str | os.PathLike[str] | None = None,
) -> Glossary:
    """Read and validate a glossary file and a divisions file (the packaged ones by default)."""
    glossary_name, glossary_text = _read(glossary_path, GLOSSARY_FILE)
    divisions_name, divisions_text = _read(divisions_path, DIVISIONS_FILE)
    entries, sources = _parse_glossary(glossary_name, _load_yaml(glossary_name, glossary_text))
    divisions, suffixes = _parse_divisions(
        divisions_name, _load_yaml(divisions_name, divisions_text)
    )
    return Glossary(entries, divisions, suffixes, sources)


@lru_cache(maxsize=1)
def load_glossary() -> Glossary:
    """The packaged glossary and divisions, read and validated once."""
    return read_glossary()


def _read(path: str | os.PathLike[str] | None, packaged: str) -> tuple[str, str]:
    if path is None:
        resource = resources.files("interlock.names") / "data" / packaged
        return f"names/data/{packaged}", resource.read_text(encoding="utf-8")
    with open(path, encoding="utf-8") as handle:
        return os.fspath(path), handle.read()


def _load_yaml(name: str, text: str) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise GlossaryError(f"{name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise GlossaryError(f"{name}: expected a mapping at the top level")
    if data.get("version") != 1:
        raise GlossaryError(f"{name}: expected version: 1, found {data.get('version')!r}")
    return data


def _rows(name: str, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    rows = data.get(key)
    if not isinstance(rows, list) or not rows:
        raise GlossaryError(f"{name}: '{key}' must be a non-empty list")
    for number, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise GlossaryError(f"{name}: {key} #{number}: expected a mapping, found {row!r}")
    return rows


def _fields(
    name: str,
    where: str,
    row: dict[str, Any],
    required: set[str],
    optional: frozenset[str] = frozenset(),
) -> None:
    missing = required - row.keys()
    if missing:
        raise GlossaryError(f"{name}: {where}: missing {', '.join(sorted(missing))}")
    extra = row.keys() - required - optional
    if extra:
        raise GlossaryError(f"{name}: {where}: unknown field {', '.join(sorted(map(str, extra)))}")


def _zh(name: str, where: str, value: Any, seen: set[str]) -> str:
    if not isinstance(value, str) or not value or not all(_HAN_CHAR.match(c) for c in value):
        raise GlossaryError(f"{name}: {where}: zh must be Han characters, found {value!r}")
    simplified = to_simplified(value)
    if simplified != value:
        raise GlossaryError(
            f"{name}: {where}: zh is not simplified Chinese (simplified: {simplified})"
        )
    if value in seen:
        raise GlossaryError(f"{name}: {where}: duplicate zh")
    seen.add(value)
    return value


def _en(name: str, where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise GlossaryError(f"{name}: {where}: en must be a non-empty list, found {value!r}")
    for rendering in value:
        if not isinstance(rendering, str) or not _EN.fullmatch(rendering):
            raise GlossaryError(
                f"{name}: {where}: en {rendering!r} is not lowercase ASCII words separated by single spaces"
            )
    if len(set(value)) != len(value):
        raise GlossaryError(f"{name}: {where}: en repeats a rendering")
    return tuple(value)


def _parse_glossary(
    name: str, data: dict[str, Any]
) -> tuple[dict[str, GlossaryEntry], dict[str, Source]]:
    sources: dict[str, Source] = {}
    for number, row in enumerate(_rows(name, data, "sources"), 1):
        where = f"source #{number} ({row.get('id')!r})"
        _fields(name, where, row, {"id", "description"}, frozenset({"url", "path", "entry_ids"}))
        source_id, description = row["id"], row["description"]
        if not isinstance(source_id, str) or not source_id or source_id in sources:
            raise GlossaryError(f"{name}: {where}: id must be a unique non-empty string")
        if not isinstance(description, str) or not description.strip():
            raise GlossaryError(f"{name}: {where}: description must be a non-empty string")
        location = row.get("url", row.get("path"))
        if not isinstance(location, str) or not location:
            raise GlossaryError(f"{name}: {where}: needs a url or a path")
        entry_ids = row.get("entry_ids", [])
        if not isinstance(entry_ids, list) or not all(isinstance(i, str) and i for i in entry_ids):
            raise GlossaryError(f"{name}: {where}: entry_ids must be a list of strings")
        sources[source_id] = Source(source_id, description.strip(), location, tuple(entry_ids))
    entries: dict[str, GlossaryEntry] = {}
    seen: set[str] = set()
    for number, row in enumerate(_rows(name, data, "entries"), 1):
        where = f"entry #{number} ({row.get('zh')!r})"
        _fields(name, where, row, {"zh", "en", "kind", "source"})
        zh = _zh(name, where, row["zh"], seen)
        en = _en(name, where, row["en"])
        if row["kind"] not in KINDS:
            raise GlossaryError(f"{name}: {where}: unknown kind {row['kind']!r}")
        if row["source"] not in sources:
            raise GlossaryError(f"{name}: {where}: source {row['source']!r} is not in sources")
        entries[zh] = GlossaryEntry(zh, en, row["kind"], row["source"])
    return entries, sources


def _parse_divisions(
    name: str, data: dict[str, Any]
) -> tuple[dict[str, Division], dict[str, DivisionSuffix]]:
    suffixes: dict[str, DivisionSuffix] = {}
    seen: set[str] = set()
    for number, row in enumerate(_rows(name, data, "suffixes"), 1):
        where = f"suffix #{number} ({row.get('zh')!r})"
        _fields(name, where, row, {"zh", "en"})
        zh = _zh(name, where, row["zh"], seen)
        suffixes[zh] = DivisionSuffix(zh, _en(name, where, row["en"]))
    divisions: dict[str, Division] = {}
    seen = set()
    for number, row in enumerate(_rows(name, data, "divisions"), 1):
        where = f"division #{number} ({row.get('zh')!r})"
        _fields(name, where, row, {"zh", "en", "level"})
        zh = _zh(name, where, row["zh"], seen)
        if len(zh) < 2:
            raise GlossaryError(f"{name}: {where}: a division name has at least two characters")
        for suffix in suffixes:
            if zh.endswith(suffix) and len(suffix) > 1:
                raise GlossaryError(f"{name}: {where}: write the name without its suffix {suffix}")
        if zh[-1] in ("省", "市", "县") or zh.endswith("区"):
            raise GlossaryError(f"{name}: {where}: write the name without its suffix {zh[-1]}")
        if row["level"] not in DIVISION_LEVELS:
            raise GlossaryError(f"{name}: {where}: unknown level {row['level']!r}")
        divisions[zh] = Division(zh, _en(name, where, row["en"]), row["level"])
    return divisions, suffixes
