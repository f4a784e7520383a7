"""The bundled corpus loaded into a temporary SQLite database, for the benchmark scripts."""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

from interlock.config import Settings, load_settings
from interlock.core import Interlock


def interlock_over(folder: Path, settings: Settings | None = None) -> Interlock:
    """An Interlock over the SQLite file and data folder of `folder` (see bundled_interlock)."""
    base = settings or load_settings()
    return Interlock(
        dataclasses.replace(
            base, database_url=f"sqlite:///{folder / 'bench.sqlite3'}", data_dir=folder
        )
    )


def bundled_interlock(folder: Path, settings: Settings | None = None) -> tuple[Interlock, float]:
    """An Interlock over a new SQLite file in `folder` with every bundled snapshot loaded, and
    the seconds the load took."""
    app = interlock_over(folder, settings)
    print("loading the bundled snapshots into a temporary SQLite …", file=sys.stderr)
    started = time.perf_counter()
    app.load_bundled()
    return app, time.perf_counter() - started
