"""The one core object every shell (CLI, API, web) uses: lists, snapshots and screening."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel

from interlock.config import Settings, load_settings
from interlock.match.baseline import BaselineMatcher
from interlock.match.contract import ScreeningQuery, ScreeningResult
from interlock.model import ListEntry, Snapshot, SnapshotStatus
from interlock.sources.base import RawFiles, SourceError, open_raw
from interlock.sources.fetch import Fetcher, NotModified
from interlock.sources.registry import get_format
from interlock.store.bundled import bundled_snapshots
from interlock.store.db import make_engine, upgrade
from interlock.store.snapshots import ImportResult, SnapshotStore


class ListInfo(BaseModel):
    source: str
    format: str
    snapshot_id: int
    status: SnapshotStatus
    data_date: date | None
    sha256: str
    entries: int
    rows: int
    data_issues: int
    origin: str
    retrieved_at: datetime
    loaded_at: datetime | None
    quarantined_snapshots: list[int]


class _ListTable(BaseModel):
    class _List(BaseModel):
        name: str
        publisher: str
        native_source: str | None

    version: int
    source: str
    lists: dict[str, _List]


@cache
def native_sources() -> dict[str, str | None]:
    """List code → the source that publishes it natively (see data/lists.yaml)."""
    text = resources.files("interlock.data").joinpath("lists.yaml").read_text("utf-8")
    table = _ListTable.model_validate(yaml.safe_load(text))
    return {code: item.native_source for code, item in table.lists.items()}


def screening_entries(
    entries: Iterable[ListEntry], loaded_sources: set[str]
) -> Iterable[ListEntry]:
    """Leave out CSL copies of lists whose native source is loaded."""
    natives = native_sources()
    for entry in entries:
        if entry.source == "us_csl" and all(
            natives.get(code) in loaded_sources for code in entry.lists
        ):
            continue
        yield entry


class Interlock:
    def __init__(self, settings: Settings | None = None, *, migrate: bool = True) -> None:
        self.settings = settings or load_settings()
        self.engine = make_engine(self.settings.database_url)
        if migrate:
            upgrade(self.engine)
        self.store = SnapshotStore(self.engine, self.settings.quarantine_drop)
        self._matcher: BaselineMatcher | None = None
        self._matcher_key: tuple[int, ...] = ()

    # -- loading -------------------------------------------------------------------------------
    def load_bundled(self, progress: Callable[[str], None] | None = None) -> list[ImportResult]:
        results = []
        for bundled in bundled_snapshots():
            description = bundled.description
            if progress:
                progress(description.source)
            results.append(
                self.store.import_snapshot(
                    get_format(description.format),
                    bundled.raw,
                    origin="bundled",
                    data_date=description.data_date,
                    retrieved_at=datetime.combine(description.data_date, datetime.min.time(), UTC),
                )
            )
        return results

    def load_files(
        self, format_name: str, paths: Sequence[Path], data_date: date | None = None
    ) -> ImportResult:
        fmt = get_format(format_name)
        files: dict[str, bytes] = {}
        for path in paths:
            if not path.is_file():
                raise SourceError(f"{path}: no such file")
            name, content = open_raw(path.name, path.read_bytes())
            files[name] = content
        if len(files) == 1 and len(fmt.required_files) == 1:
            # one file: take it as the format's file whatever it is called on disk
            files = {fmt.required_files[0]: next(iter(files.values()))}
        return self.store.import_snapshot(fmt, RawFiles(files), origin="file", data_date=data_date)

    def fetch(self, format_name: str, mirror: str | None = None) -> ImportResult | None:
        """Fetch a source's official files now; None when the server reports no change."""
        fmt = get_format(format_name)
        previous = [s for s in self.store.snapshots(fmt.spec.code) if s.format == format_name]
        fetcher = Fetcher(
            timeout=self.settings.fetch_timeout,
            retries=self.settings.fetch_retries,
            mirror=mirror,
            validators=self.store.validators(previous[-1].id)
            if previous and previous[-1].id
            else {},
        )
        try:
            raw = fmt.fetch(fetcher)
        except NotModified:
            return None
        return self.store.import_snapshot(
            fmt, raw, origin="fetched", http_metadata=fetcher.responses
        )

    def accept(self, snapshot_id: int, reason: str) -> Snapshot:
        return self.store.accept(snapshot_id, reason)

    # -- reading -------------------------------------------------------------------------------
    def lists_info(self) -> list[ListInfo]:
        current = self.store.current_snapshots()
        quarantined: dict[str, list[int]] = {}
        for snapshot in self.store.snapshots():
            if snapshot.status == SnapshotStatus.QUARANTINED and snapshot.id is not None:
                quarantined.setdefault(snapshot.source, []).append(snapshot.id)
        sources = sorted(set(current) | set(quarantined))
        infos = []
        for source in sources:
            snapshot = current.get(source) or self.store.snapshot(quarantined[source][-1])
            assert snapshot.id is not None
            infos.append(
                ListInfo(
                    source=source,
                    format=snapshot.format,
                    snapshot_id=snapshot.id,
                    status=snapshot.status,
                    data_date=snapshot.data_date,
                    sha256=snapshot.sha256,
                    entries=snapshot.entry_count,
                    rows=snapshot.row_count,
                    data_issues=snapshot.issue_count,
                    origin=snapshot.origin,
                    retrieved_at=snapshot.retrieved_at,
                    loaded_at=snapshot.loaded_at,
                    quarantined_snapshots=quarantined.get(source, []),
                )
            )
        return infos

    def data_version(self) -> str:
        """One id for the exact set of snapshots an answer was computed from."""
        current = self.store.current_snapshots()
        if not current:
            return "empty"
        manifest = "\n".join(f"{s}:{current[s].sha256}" for s in sorted(current))
        return hashlib.sha256(manifest.encode()).hexdigest()[:16]

    def entity(self, entity_id: str) -> ListEntry | None:
        return self.store.current_entry(entity_id)

    # -- screening -----------------------------------------------------------------------------
    def matcher(self) -> BaselineMatcher:
        current = self.store.current_snapshots()
        key = tuple(sorted(s.id for s in current.values() if s.id is not None))
        if self._matcher is None or key != self._matcher_key:
            entries = self.store.entries(list(key))
            self._matcher = BaselineMatcher(
                screening_entries(entries, set(current)), self.settings.match_threshold
            )
            self._matcher_key = key
        return self._matcher

    def screen(self, query: ScreeningQuery) -> ScreeningResult:
        return self.screen_many([query])[0]

    def screen_many(self, queries: Sequence[ScreeningQuery]) -> list[ScreeningResult]:
        matcher = self.matcher()
        version = self.data_version()
        today = datetime.now(UTC).date()
        results = []
        for query in queries:
            as_of = query.as_of or today
            results.append(
                ScreeningResult(
                    query=query.model_dump(mode="json", by_alias=True, exclude_none=True),
                    as_of=as_of,
                    data_version=version,
                    scorer=matcher.scorer,
                    threshold=matcher.threshold,
                    matches=matcher.search(query, as_of),
                )
            )
        return results
