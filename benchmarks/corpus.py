"""The bundled corpus loaded into a temporary SQLite database, for the benchmark scripts."""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

from interlock.config import Settings, load_settings
from interlock.core import Interlock


def bundled_interlock(folder: Path, settings: Settings | None = None) -> tuple[Interlock, float]:
    """An Interlock over a new SQLite file in `folder` with every bundled snapshot loaded, and
    the seconds the load took."""
    base = settings or load_settings()
    app = Interlock(
        dataclasses.replace(
            base, database_url=f"sqlite:///{folder / 'bench.sqlite3'}", data_dir=folder
        )
    )
    print("loading the bundled snapshots into a temporary SQLite …", file=sys.stderr)
    started = time.perf_counter()
    app.load_bundled()
    return app, time.perf_counter() - started
