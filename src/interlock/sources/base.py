"""The shape every source module has: fetch → read → map.

A snapshot is one or more named raw files (OFAC's legacy set is four files, the UK tables five).
`read` turns those bytes into the format's own records; `map` turns one record into list entries (or,
for the Federal Register, into documents). `ListFormat.entries` runs both.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from interlock.model import DataIssue, ListEntry, SourceSpec

R = TypeVar("R")
T = TypeVar("T")


class SourceError(ValueError):
    """A raw file that cannot be read as the format it claims to be. Message names file and row."""


@dataclass(frozen=True)
class RawFiles:
    """The bytes of one snapshot: file name → content (decompressed)."""

    files: Mapping[str, bytes]

    def get(self, name: str) -> bytes:
        try:
            return self.files[name]
        except KeyError:
            raise SourceError(
                f"snapshot has no file {name!r} (files: {', '.join(sorted(self.files)) or 'none'})"
            ) from None

    def optional(self, name: str) -> bytes | None:
        return self.files.get(name)

    @property
    def size(self) -> int:
        return sum(len(b) for b in self.files.values())

    def file_hashes(self) -> dict[str, str]:
        return {name: hashlib.sha256(data).hexdigest() for name, data in self.files.items()}

    def sha256(self) -> str:
        """The file's own hash for one file; otherwise the hash of the sorted name:hash manifest."""
        hashes = self.file_hashes()
        if len(hashes) == 1:
            return next(iter(hashes.values()))
        manifest = "\n".join(f"{name}:{digest}" for name, digest in sorted(hashes.items()))
        return hashlib.sha256(manifest.encode()).hexdigest()


def open_raw(name: str, data: bytes) -> tuple[str, bytes]:
    """Decompress a `.gz` file as distributed, returning the name without the suffix."""
    if name.endswith(".gz"):
        return name[:-3], gzip.decompress(data)
    return name, data


class ListFormat(ABC, Generic[R, T]):
    """One list format. Subclasses set the class attributes and implement read and map."""

    name: str  # format id, e.g. 'csl_csv'
    spec: SourceSpec
    parser_version: str
    # files a snapshot of this format must contain (names after decompression)
    required_files: tuple[str, ...]

    def fetch(self, fetcher: Any) -> RawFiles:
        """Fetch every official file of this format (see `interlock.sources.fetch.Fetcher`)."""
        return RawFiles({name: fetcher.get(url) for name, url in self.spec.urls.items()})

    def single_file(self, raw: RawFiles) -> tuple[str, bytes]:
        """The one file of a one-file format, whatever it is called, else the named one."""
        (name,) = raw.files if len(raw.files) == 1 else self.required_files
        return name, raw.get(name)

    def single_json(self, raw: RawFiles) -> tuple[str, Any]:
        name, data = self.single_file(raw)
        try:
            return name, json.loads(data)
        except json.JSONDecodeError as exc:
            raise SourceError(f"{name}: not JSON ({exc})") from None

    @abstractmethod
    def read(self, raw: RawFiles) -> Iterator[R]:
        """Parse raw bytes into the format's own records."""

    @abstractmethod
    def map(self, record: R) -> Iterator[T]:
        """Map one record to zero or more list entries (or documents)."""

    def rows_in(self, record: R) -> int:
        """How many rows of the raw file one record stands for (a DPL order groups several)."""
        return 1

    def snapshot_issues(self, raw: RawFiles) -> list[DataIssue]:
        """Observations about the snapshot as a whole (rows no entry can hold, …)."""
        return []

    def data_date(self, raw: RawFiles) -> date | None:
        """The date of the list content when the file states it; None otherwise."""
        return None

    def items(self, raw: RawFiles) -> Iterator[T]:
        for record in self.read(raw):
            yield from self.map(record)


class EntryFormat(ListFormat[R, ListEntry]):
    """A format whose records map to list entries."""

    def entries(self, raw: RawFiles) -> Iterator[ListEntry]:
        return self.items(raw)


@dataclass
class ParsedSnapshot:
    """What one snapshot yields: its record count and its entries with ids unique in the snapshot."""

    row_count: int
    entries: list[ListEntry]


def parse_snapshot(fmt: EntryFormat[Any], raw: RawFiles) -> ParsedSnapshot:
    """Read and map a snapshot; a source id repeated within it is kept under a suffixed id, flagged."""
    row_count = 0
    entries: list[ListEntry] = []
    seen: dict[str, int] = {}
    for record in fmt.read(raw):
        row_count += fmt.rows_in(record)
        for entry in fmt.map(record):
            count = seen.get(entry.entity_id, 0) + 1
            seen[entry.entity_id] = count
            if count > 1:
                entry.issues.append(
                    DataIssue(
                        field="source_id",
                        message=f"source id repeated in the snapshot (occurrence {count})",
                        value=entry.source_id,
                    )
                )
                entry.source_id = f"{entry.source_id}#{count}"
                entry.entity_id = f"{entry.source}:{entry.source_id}"
            entries.append(entry)
    return ParsedSnapshot(row_count=row_count, entries=entries)
