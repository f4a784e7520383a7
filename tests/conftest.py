"""Shared test fixtures: the real data folder beside the checkout, and databases."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from interlock.sources.base import RawFiles

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("INTERLOCK_SHARED_DATA", REPO.parent / "shared" / "data"))
FIXTURES = Path(__file__).resolve().parent / "sources" / "fixtures"


def shared_file(relative: str) -> Path:
    """A real file from ../shared/data, or skip the test saying exactly what is missing."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"real data file not available: {path} (../shared/data is absent here)")
    return path


def raw_from(paths: dict[str, Path]) -> RawFiles:
    """Load files as a snapshot, decompressing `.gz` the way the loader does."""
    files = {}
    for name, path in paths.items():
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        files[name] = data
    return RawFiles(files)
