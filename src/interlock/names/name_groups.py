"""Cross-script name-token equivalence from Wikidata name groups.

Two name tokens are equivalent when they share a group: 'mohammed', 'muhammad' and 'محمد' share one,
as do '习' and 'xi', or '近平' and 'jinping'. The groups come from Wikidata (CC0) via nomenklatura
(MIT) and are filtered and normalised by ``scripts/build_name_resources.py`` into
``names/data/name_groups.tsv.gz`` (see ``names/data/README.md``). Curated groups the Wikidata ones
lack are added at load: the Ukrainian and Russian forms of one given name
(``names/data/given_names_uk_ru.csv``: serhiy / sergei).

The loaded structure is kept compact for a long-lived service process: the sorted forms are one
UTF-8 ``bytes`` blob with an offset array (looked up by bisection), and the form → group and
group → Latin-form relations are CSR-style ``array('I')`` pairs.
"""

from __future__ import annotations

import csv
import gzip
import re
import unicodedata
from array import array
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import overload

from anyascii import anyascii

from interlock.names.han import has_han, to_simplified

DATA_FILE = "name_groups.tsv.gz"
CURATED_FILE = "given_names_uk_ru.csv"

# Latin forms returned by `latin_forms` at most
LATIN_FORMS_CAP = 8

# Arabic harakat, superscript alef and Quranic marks; Hebrew points and cantillation
_SEMITIC_MARKS = re.compile(r"[\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Letter variants that Arabic and Persian spellings of one name differ by
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ک": "ك",
        "ة": "ه",
        "ۀ": "ه",
    }
)
_BOPOMOFO = re.compile(r"[\u3100-\u312f\u31a0-\u31bf\u02ea\u02eb]")
_SPACES = re.compile(r"\s+")


def _is_latin(char: str) -> bool:
    return unicodedata.name(char, "").startswith("LATIN")


def _fold_char(char: str, previous_base: str) -> str:
    """One character of an NFKC-casefolded form, folded; '' drops it, ' ' separates tokens."""
    if char.isascii():
        return char if char.isalnum() else " "
    category = unicodedata.category(char)
    if category == "Mn":
        # accents on Latin, Greek and Cyrillic letters are spelling noise; other scripts' marks
        # (Devanagari, Bengali, Thai vowel signs) are part of the word
        return "" if previous_base in ("LATIN", "GREEK", "CYRILLIC") else char
    if category[0] in "PSZC":
        return " "
    name = unicodedata.name(char, "")
    if name.startswith("LATIN"):
        return "".join(c if c.isalnum() else " " for c in anyascii(char).lower())
    if name.startswith("GREEK"):
        return unicodedata.normalize("NFD", char)[0]
    return char


@lru_cache(maxsize=65536)
def normalize_form(text: str) -> str:
    """The comparison form of a name token or short name; '' when nothing usable is left.

    Case and width folded (casefold, NFKC); Latin letters folded to ASCII with anyascii
    ('Muḥammad' → 'muhammad', 'Ølund' → 'olund'); Greek and Cyrillic accents and Arabic/Hebrew
    vowel points removed, Arabic/Persian letter variants folded (أ إ آ → ا, ی ى → ي, ک → ك,
    ة → ه); Han folded to simplified (OpenCC); punctuation and symbols become spaces and
    whitespace is collapsed. Forms with digits (tone-numbered romanisations like 'gam2 loeng4'),
    Bopomofo, or a mix of Latin and non-Latin letters ('kanji 金') normalise to ''.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    if _BOPOMOFO.search(folded):
        return ""
    folded = _SEMITIC_MARKS.sub("", folded).translate(_ARABIC_FOLD)
    chars: list[str] = []
    base = ""
    for char in folded:
        if char.isdigit():
            return ""
        if unicodedata.category(char) != "Mn":
            base = "LATIN" if char.isascii() else (unicodedata.name(char, "") or "?").split()[0]
        chars.append(_fold_char(char, base))
    form = _SPACES.sub(" ", "".join(chars)).strip()
    if not form or any(c.isdigit() for c in form):
        return ""
    latin = any(c.isascii() and c.isalpha() for c in form)
    if latin and any(not c.isascii() for c in form):
        return ""
    return to_simplified(form) if has_han(form) else form


def is_latin_form(form: str) -> bool:
    """Whether a normalised form is written in (ASCII-folded) Latin letters."""
    return form.isascii() and any(c.isalpha() for c in form)


class _Forms(Sequence[bytes]):
    """The sorted forms as UTF-8 slices of one blob (UTF-8 byte order is code-point order)."""

    __slots__ = ("_blob", "_offsets")

    def __init__(self, blob: bytes, offsets: array[int]) -> None:
        self._blob = blob
        self._offsets = offsets  # len(forms) + 1 entries

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, index: int) -> bytes: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[bytes]: ...
    def __getitem__(self, index: int | slice) -> bytes | Sequence[bytes]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._blob[self._offsets[index] : self._offsets[index + 1]]

    def __iter__(self) -> Iterator[bytes]:
        for index in range(len(self)):
            yield self[index]


class NameGroups:
    """Name forms and the Wikidata groups they belong to, with lookups by normalised form."""

    __slots__ = (
        "_form_group_ids",
        "_form_group_start",
        "_forms",
        "_group_latin_ids",
        "_group_latin_start",
        "group_count",
    )

    def __init__(
        self,
        blob: bytes,
        form_offsets: array[int],
        form_group_start: array[int],
        form_group_ids: array[int],
    ) -> None:
        """Forms are `blob[form_offsets[i]:form_offsets[i + 1]]` (UTF-8, normalised, sorted,
        distinct); the group ids of form i are `form_group_ids[form_group_start[i]:…[i + 1]]`."""
        self._forms = _Forms(blob, form_offsets)
        self._form_group_start = form_group_start
        self._form_group_ids = form_group_ids
        self.group_count = max(form_group_ids, default=-1) + 1
        self._build_latin_index()

    def _build_latin_index(self) -> None:
        """group id → the ids of its Latin forms (CSR), filled by a counting sort."""
        counts = array("I", bytes(4 * (self.group_count + 1)))
        forms, starts, ids = self._forms, self._form_group_start, self._form_group_ids
        latin = [index for index in range(len(forms)) if forms[index].isascii()]
        for index in latin:
            for position in range(starts[index], starts[index + 1]):
                counts[ids[position] + 1] += 1
        for group in range(self.group_count):
            counts[group + 1] += counts[group]
        fill = array("I", counts)
        members = array("I", bytes(4 * counts[self.group_count]))
        for index in latin:
            for position in range(starts[index], starts[index + 1]):
                group = ids[position]
                members[fill[group]] = index
                fill[group] += 1
        self._group_latin_start = counts
        self._group_latin_ids = members

    def __len__(self) -> int:
        """The number of distinct forms."""
        return len(self._forms)

    def _index(self, normalised: str) -> int | None:
        if not normalised:
            return None
        key = normalised.encode()
        # bisect over the blob directly: through _Forms.__getitem__ it cost most of a lookup
        forms = self._forms
        blob, offsets = forms._blob, forms._offsets
        low, high = 0, len(offsets) - 1
        while low < high:
            middle = (low + high) // 2
            if blob[offsets[middle] : offsets[middle + 1]] < key:
                low = middle + 1
            else:
                high = middle
        if low < len(offsets) - 1 and blob[offsets[low] : offsets[low + 1]] == key:
            return low
        return None

    def _group_ids(self, index: int) -> frozenset[int]:
        start, end = self._form_group_start[index], self._form_group_start[index + 1]
        return frozenset(self._form_group_ids[start:end])

    def groups(self, form: str) -> frozenset[int]:
        """The ids of the groups `form` (normalised here) belongs to; empty when unknown."""
        index = self._index(normalize_form(form))
        return frozenset() if index is None else self._group_ids(index)

    def equivalent(self, a: str, b: str) -> bool:
        """Whether two tokens share a group (a token is always equivalent to itself)."""
        norm_a, norm_b = normalize_form(a), normalize_form(b)
        if not norm_a or not norm_b:
            return False
        if norm_a == norm_b:
            return True
        return not self.groups(norm_a).isdisjoint(self.groups(norm_b))

    def latin_forms(self, form: str) -> tuple[str, ...]:
        """The ASCII Latin forms sharing a group with `form`, at most 8, `form` itself excluded.

        Most common first, as far as the data tells: forms in more of `form`'s groups first
        ('li' for 李), then forms in more groups overall ('muhammad' and 'mohammed' before
        'mukhammad'), then shortest, then alphabetically.
        """
        index = self._index(normalize_form(form))
        if index is None:
            return ()
        shared: dict[int, int] = {}
        for group in self._group_ids(index):
            start, end = self._group_latin_start[group], self._group_latin_start[group + 1]
            for member in self._group_latin_ids[start:end]:
                shared[member] = shared.get(member, 0) + 1
        shared.pop(index, None)
        starts = self._form_group_start
        texts = {i: self._forms[i].decode() for i in shared}
        ranked = sorted(
            shared,
            key=lambda i: (-shared[i], starts[i] - starts[i + 1], len(texts[i]), texts[i]),
        )
        return tuple(texts[i] for i in ranked[:LATIN_FORMS_CAP])


def read_curated_groups(text: str, origin: str) -> list[frozenset[str]]:
    """A curated groups file (CSV, columns `ukrainian,russian`, forms separated by '|'; '#' lines
    are comments): each row's forms, normalised, as one group. ValueError names the file and line.
    """
    groups: list[frozenset[str]] = []
    header_seen = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#") or not line.strip():
            continue
        row = next(csv.reader([line]))
        if not header_seen:
            if row != ["ukrainian", "russian"]:
                raise ValueError(f"{origin}: line {number}: expected the header ukrainian,russian")
            header_seen = True
            continue
        forms = [normalize_form(form) for cell in row for form in cell.split("|")]
        if len(row) != 2 or not all(row) or not all(forms) or not all(map(is_latin_form, forms)):
            raise ValueError(
                f"{origin}: line {number}: two columns of Latin name forms separated by '|'"
            )
        groups.append(frozenset(forms))
    if not groups:
        raise ValueError(f"{origin}: no groups (a header ukrainian,russian and rows of forms)")
    return groups


def read_name_groups(path: Path, curated: Sequence[frozenset[str]] = ()) -> NameGroups:
    """Load a name-groups file (`form<TAB>id,id,…` lines sorted by form; '#' lines are comments),
    with each `curated` set of forms as one group more (numbered after the file's).

    Read line by line into flat arrays, so that loading does not hold a list of every line.
    """
    blob = bytearray()
    offsets = array("I", [0])
    group_start = array("I", [0])
    group_ids = array("I")
    # form → the curated groups it is in, merged into the sorted forms as the file is read; each
    # one's id is known once the file's largest is (patches: where each is to be written)
    extra: dict[bytes, list[int]] = {}
    for row, members in enumerate(curated):
        for member in members:
            extra.setdefault(member.encode(), []).append(row)
    pending = sorted(extra)
    patches: list[tuple[int, int]] = []

    def add(form: bytes, ids: Iterable[int]) -> None:
        blob.extend(form)
        offsets.append(len(blob))
        group_ids.extend(ids)
        for row in extra.get(form, ()):
            patches.append((len(group_ids), row))
            group_ids.append(0)
        group_start.append(len(group_ids))

    previous = b""
    with gzip.open(path, "rb") as handle:
        for line in handle:
            if line.startswith(b"#") or not line.strip():
                continue
            form, _, ids = line.rstrip(b"\n").partition(b"\t")
            if form <= previous:
                raise ValueError(f"{path}: forms not sorted and distinct at {form!r}")
            previous = form
            while pending and pending[0] < form:
                add(pending.pop(0), ())
            if pending and pending[0] == form:
                pending.pop(0)
            add(form, map(int, ids.split(b",")))
    for rest in pending:
        add(rest, ())
    first_curated = max(group_ids, default=-1) + 1
    for position, row in patches:
        group_ids[position] = first_curated + row
    return NameGroups(bytes(blob), offsets, group_start, group_ids)


@lru_cache(maxsize=1)
def load_name_groups() -> NameGroups:
    """The bundled name groups and the curated ones (loaded once per process)."""
    data = resources.files("interlock.names") / "data"
    curated = read_curated_groups(
        data.joinpath(CURATED_FILE).read_text("utf-8"), f"names/data/{CURATED_FILE}"
    )
    with resources.as_file(data / DATA_FILE) as path:
        return read_name_groups(path, curated)
