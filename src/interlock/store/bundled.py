"""The snapshots shipped inside the package, described and checksummed in `provenance.yaml`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from importlib import resources

import yaml
from pydantic import BaseModel

from interlock.sources.base import RawFiles, open_raw
from interlock.store.db import StoreError


class BundledFile(BaseModel):
    name: str
    path: str
    upstream_file: str
    sha256: str
    content_sha256: str
    bytes: int


class BundledSnapshot(BaseModel):
    source: str
    format: str
    data_date: date
    files: list[BundledFile]
    upstream: str
    licence: str
    note: str


class BundledHistory(BaseModel):
    description: str
    version_logs: list[BundledSnapshot]
    snapshots: list[BundledSnapshot]


class Provenance(BaseModel):
    version: int
    description: str
    snapshots: list[BundledSnapshot]
    history: BundledHistory


@dataclass(frozen=True)
class BundledRaw:
    description: BundledSnapshot
    raw: RawFiles


def provenance() -> Provenance:
    text = resources.files("interlock.bundled").joinpath("provenance.yaml").read_text("utf-8")
    return Provenance.model_validate(yaml.safe_load(text))


def bundled_snapshots() -> list[BundledRaw]:
    """Every bundled current snapshot's bytes, each file checked against its recorded sha256."""
    return _read(provenance().snapshots)


def bundled_history() -> tuple[list[BundledRaw], list[BundledRaw]]:
    """(version logs, older snapshots) shipped for `lists load-history`, checked like the rest."""
    history = provenance().history
    return _read(history.version_logs), _read(history.snapshots)


def _read(snapshots: list[BundledSnapshot]) -> list[BundledRaw]:
    root = resources.files("interlock.bundled")
    result = []
    for snapshot in snapshots:
        files: dict[str, bytes] = {}
        for item in snapshot.files:
            data = root.joinpath(item.path).read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest != item.sha256:
                raise StoreError(
                    f"bundled file {item.path} does not match provenance.yaml "
                    f"(sha256 {digest}, expected {item.sha256})"
                )
            name, content = open_raw(item.name, data)
            files[name] = content
        result.append(BundledRaw(snapshot, RawFiles(files)))
    return result
