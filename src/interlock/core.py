"""The one core object every shell (CLI, API, web) uses: lists, snapshots and screening."""

from __future__ import annotations

import contextlib
import functools
import gc
import getpass
import hashlib
import multiprocessing
import multiprocessing.pool
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from time import monotonic
from typing import Any, TypeVar, cast

import yaml
from pydantic import BaseModel

from interlock.accounts.store import AccountStore
from interlock.audit.certificate import Certificate, SnapshotUsed
from interlock.audit.log import AuditLog, AuditRecord, Verification
from interlock.chem.contract import ChemAnswer
from interlock.chem.opsin import Opsin
from interlock.chem.screening import ChemScreener
from interlock.config import Settings, load_settings
from interlock.history.curated import load_curated_events
from interlock.history.diff import SnapshotDiff
from interlock.history.identity import assign_identities
from interlock.history.model import ListEvent, Origin, event_order
from interlock.history.regimes import RecordedPhase, RegimeState, regimes_in_force
from interlock.history.sdn_log import import_log
from interlock.history.service import History, Status
from interlock.history.status import MatchStatus, State, match_status
from interlock.jobs.store import Job, JobStore
from interlock.match.cache import cache_path, read_analyses, write_analyses
from interlock.match.calibration import Calibration
from interlock.match.contract import (
    ScreeningMatch,
    ScreeningQuery,
    ScreeningResult,
    given_status,
)
from interlock.match.matcher import Matcher
from interlock.match.query import QueryError
from interlock.model import Coverage, ListEntry, Snapshot, SnapshotStatus
from interlock.names.analysis import prepare as prepare_analysis
from interlock.ownership.graph import OwnershipEdge, OwnershipGraph
from interlock.ownership.store import OwnershipStore, edges_from_entries
from interlock.review.alerts import Alert, AlertStore, NewHit, open_order_alerts
from interlock.review.alerts import Outcome as AlertOutcome
from interlock.rules.model import block_lists, order_rules
from interlock.screen.book import BookEntry, BookParty, BookReport, BookScreen, BookStore
from interlock.screen.contract import OrderDecision, OwnershipExplanation
from interlock.screen.decision import OrderScreen
from interlock.screen.order import Order
from interlock.screen.records import OrderStore
from interlock.sources.base import RawFiles, SourceError, open_raw
from interlock.sources.fetch import Fetcher, NotModified
from interlock.sources.registry import format_names, get_format
from interlock.store.bundled import bundled_history, bundled_snapshots
from interlock.store.db import StoreError, make_engine, upgrade
from interlock.store.history import EventStore
from interlock.store.snapshots import ImportResult, SnapshotStore
from interlock.store.tenancy import acting_for, current_actor, current_org


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


class HistoryItem(BaseModel):
    source: str
    kind: str  # snapshot / version-log
    data_date: date | None
    count: int
    created: bool


class LogReport(BaseModel):
    source: str
    versions: int
    events: int
    stored_events: int
    stored_bytes: int
    bytes_per_version: float
    first_version_bytes: int
    bytes_per_later_version: float


class HistoryReport(BaseModel):
    items: list[HistoryItem]
    logs: list[LogReport]


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
    entries: Iterable[tuple[str, ListEntry]], loaded_sources: set[str]
) -> Iterable[tuple[str, ListEntry]]:
    """Leave out CSL copies of lists whose native source is loaded."""
    natives = native_sources()
    for identity, entry in entries:
        if entry.source == "us_csl" and all(
            natives.get(code) in loaded_sources for code in entry.lists
        ):
            continue
        yield identity, entry


RESCREEN_JOB = "book.rescreen"
FETCH_JOB = "lists.fetch"

# how long screening trusts its index before asking the store whether another process changed
# the lists (changes made through the same Interlock are seen at once)
STALENESS_CHECK_SECONDS = 2.0
EVENTS_CACHED = 50_000  # identities whose history events screening keeps in memory
PRELOAD_EVENTS_FROM = 2_000  # batch size from which every entry's history is read up front

Method = TypeVar("Method", bound=Callable[..., Any])


def _changes_lists(method: Method) -> Method:
    """Mark a method that writes lists or history: the next screening checks the store. Such a
    method may read whole snapshots and screen the book again: it runs with the cycle collector
    held off."""

    @functools.wraps(method)
    def changing(self: Interlock, *args: Any, **kwargs: Any) -> Any:
        try:
            with _collector_paused():
                return method(self, *args, **kwargs)
        finally:
            self._checked_at = -STALENESS_CHECK_SECONDS

    return cast(Method, changing)


class _CollectorPause:
    """The cycle collector held off while much is made: objects that live long (an index, a
    snapshot being loaded), or short-lived ones that their reference counts free (a batch's
    chunk). Its passes over them, each longer than the last, cost a build or a load a third to
    half of its time, a batch a few per cent. Cycles left meanwhile are collected after it
    resumes; those frozen with an index (see Interlock._refreshed_matcher) when it is rebuilt.

    Threads may overlap: the first to pause notes whether the collector was on, the last to
    finish turns it back on (and a caller that had it off keeps it off)."""

    def __init__(self) -> None:
        # re-entrant: a finalizer run by a collection may itself pause
        self._lock = threading.RLock()
        self._depth = 0
        self._resume = False
        os.register_at_fork(after_in_child=self._after_fork)

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if not self._depth:
                self._resume = gc.isenabled()
                gc.disable()
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                # (a forked child leaving a pause its parent began finds the count reset)
                self._depth = max(0, self._depth - 1)
                if not self._depth and self._resume:
                    gc.enable()

    def _after_fork(self) -> None:
        """A forked worker has none of the threads that paused: the collector is as before."""
        self._lock = threading.RLock()
        if self._depth and self._resume:
            gc.enable()
        self._depth = 0


_collector_paused = _CollectorPause()


def actor() -> str:
    """Who acts: the service's caller, else $INTERLOCK_ACTOR, else the system user."""
    return current_actor() or os.environ.get("INTERLOCK_ACTOR") or getpass.getuser()


class _Unaudited:
    """The services an order screen uses, without an audit record each: the order's own record
    holds them all."""

    def __init__(self, interlock: Interlock) -> None:
        self.interlock = interlock

    def screen(self, query: ScreeningQuery) -> ScreeningResult:
        return self.interlock._screen([query])[0]

    def entity(self, entity_id: str) -> ListEntry | None:
        return self.interlock.entity(entity_id)

    def chem(
        self, lines: Sequence[str], jurisdiction: str = "all", as_of: date | None = None
    ) -> list[ChemAnswer]:
        return self.interlock._chem_answers(lines, jurisdiction, as_of)

    def regimes(self, as_of: date | None = None, known_at: date | None = None) -> list[RegimeState]:
        return self.interlock.regimes(as_of, known_at)

    def data_version(self) -> str:
        return self.interlock.data_version()

    def suppressed_by(self, fingerprint: str, entity_id: str, entry_version: str) -> int | None:
        return self.interlock.alerts.suppressed_by(fingerprint, entity_id, entry_version)


class _BookServices:
    """What a book screen needs: screening without an audit record each (the screen's own record
    holds them), the indexed corpus, statuses on a date."""

    def __init__(self, interlock: Interlock) -> None:
        self.interlock = interlock
        self.threshold = interlock.settings.match_threshold

    def screen_query(self, query: ScreeningQuery) -> ScreeningResult:
        return self.interlock._screen([query])[0]

    def corpus(self) -> list[tuple[str, ListEntry]]:
        matcher = self.interlock.matcher()
        return list(zip(matcher.identities, matcher.entries, strict=True))

    def states(self, identities: Sequence[str], as_of: date) -> dict[str, str]:
        today = datetime.now(UTC).date()
        events = self.interlock._events_for(list(identities))
        return {
            identity: str(match_status(events.get(identity, []), as_of, today).state)
            for identity in identities
        }

    def calibration(self) -> Calibration:
        return self.interlock.matcher().calibration

    def data_version(self) -> str:
        return self.interlock.data_version()


def _status_of(status: MatchStatus) -> tuple[str, dict[str, Any]]:
    """A match's status and its detail (since when listed; when and how removed)."""
    detail: dict[str, Any] = {}
    if status.since is not None:
        detail["since"] = status.since
    removal = status.removal
    if status.state == State.DELISTED and removal is not None:
        detail["removed"] = removal.effective_date or removal.recorded_at
        detail["removal"] = removal.model_dump(mode="json", exclude_defaults=True)
    return status.state.value, detail


class Interlock:
    def __init__(self, settings: Settings | None = None, *, migrate: bool = True) -> None:
        self.settings = settings or load_settings()
        self.engine = make_engine(self.settings.database_url)
        if migrate:
            upgrade(self.engine)
        self.store = SnapshotStore(self.engine, self.settings.quarantine_drop)
        self.events = EventStore(self.engine)
        self.history = History(self.store, self.events, load_curated_events())
        self._matcher: Matcher | None = None
        self._matcher_key: tuple[int, ...] = ()
        self._entity_of: dict[str, str] = {}
        self._freshness_cache: dict[tuple[tuple[int, ...], date], dict[str, Any]] = {}
        self._checked_at = -STALENESS_CHECK_SECONDS
        self._refreshing = threading.Lock()
        self._data_version: tuple[tuple[int, ...], str] | None = None
        self._events_cache: dict[str, list[ListEvent]] = {}
        # (identity, as_of, known_at) → a match's status and its detail, kept as the events are
        self._status_cache: dict[tuple[str, date, date], tuple[str, dict[str, Any]]] = {}
        self._chem: ChemScreener | None = None
        self.audit = AuditLog(self.engine)
        self.alerts = AlertStore(self.engine)
        self.ownership = OwnershipStore(self.engine)
        self.orders = OrderStore(self.engine)
        self.jobs = JobStore(self.engine)
        self.accounts = AccountStore(self.engine)
        # a service with a job worker leaves the re-screens after a list change to it
        self.defer_rescreens = False
        self._derived_edges: tuple[Matcher, list[OwnershipEdge]] | None = None
        # what the last load's or event's automatic book re-screen found, for the shells to show
        self.last_book_report: BookReport | None = None

    # -- loading -------------------------------------------------------------------------------
    @_changes_lists
    def load_bundled(self, progress: Callable[[str], None] | None = None) -> list[ImportResult]:
        results = []
        for bundled in bundled_snapshots():
            description = bundled.description
            if progress:
                progress(description.source)
            result = self.store.import_snapshot(
                get_format(description.format),
                bundled.raw,
                origin="bundled",
                data_date=description.data_date,
                retrieved_at=datetime.combine(description.data_date, datetime.min.time(), UTC),
            )
            if result.created:
                self.history.rebuild(description.source)
            results.append(result)
        if any(r.created for r in results):
            self._after_change()
        return results

    @_changes_lists
    def load_history(self) -> HistoryReport:
        """The bundled older snapshots and version logs; each part loads once."""
        logs, older = bundled_history()
        items: list[HistoryItem] = []
        for bundled in older:
            description = bundled.description
            result = self._recorded(
                self.store.import_snapshot(
                    get_format(description.format),
                    bundled.raw,
                    origin="bundled-history",
                    data_date=description.data_date,
                    retrieved_at=datetime.combine(description.data_date, datetime.min.time(), UTC),
                )
            )
            items.append(
                HistoryItem(
                    source=description.source,
                    kind="snapshot",
                    data_date=description.data_date,
                    count=result.snapshot.entry_count,
                    created=result.created,
                )
            )
        reports = []
        for bundled in logs:
            description = bundled.description
            (data,) = bundled.raw.files.values()
            report = import_log(self.events, data)
            items.append(
                HistoryItem(
                    source=description.source,
                    kind="version-log",
                    data_date=description.data_date,
                    count=report.events,
                    created=True,
                )
            )
            reports.append(LogReport(source=description.source, **asdict(report)))
        return HistoryReport(items=items, logs=reports)

    def regimes(self, as_of: date | None = None, known_at: date | None = None) -> list[RegimeState]:
        today = datetime.now(UTC).date()
        return regimes_in_force(as_of or today, known_at, self.events.phases(), today)

    @_changes_lists
    def record_regime_phase(self, phase: RecordedPhase) -> None:
        """An operator's record of a regime phase (an extension of a suspension, …)."""
        self.events.add_phase(phase)
        self._audit(
            "regime.record",
            phase.regime_id,
            phase.model_dump(mode="json"),
            {"recorded": True},
            {"status": str(phase.phase.status)},
        )

    @_changes_lists
    def add_event(self, event: ListEvent) -> bool:
        """Store an operator's event; False when the same event is already stored."""
        added = bool(self.events.add([event]))
        if added:
            self._after_change()
        self._audit(
            "events.add", event.identity or "", event.model_dump(mode="json"), {"added": added}, {}
        )
        return added

    def list_events(
        self,
        origin: Origin | None = None,
        source: str | None = None,
        before: str | None = None,
        limit: int | None = None,
    ) -> list[ListEvent]:
        """Stored and curated events, newest first (by `event_order`); `before`: only those
        after that order key in this order, as a page's cursor gives it."""
        stored = list(self.events.events(source=source, origin=origin))
        if origin in (None, Origin.CURATED):
            stored += [e for e in self.history.extra_events if source in (None, e.source)]
        stored.sort(key=event_order, reverse=True)
        if before is not None:
            stored = [e for e in stored if event_order(e) < before]
        return stored if limit is None else stored[:limit]

    def _recorded(self, result: ImportResult) -> ImportResult:
        """Keep the source's history in step with a newly stored snapshot, and audit the load."""
        if result.created:
            self.history.rebuild(result.snapshot.source)
            self._after_change()
        snapshot = result.snapshot
        self._audit(
            "lists.load",
            f"{snapshot.source} snapshot {snapshot.id}",
            {"source": snapshot.source, "sha256": snapshot.sha256},
            {"snapshot": snapshot.id, "created": result.created, "status": str(snapshot.status)},
            {"entries": snapshot.entry_count, "data_date": str(snapshot.data_date)},
        )
        return result

    @_changes_lists
    def load_files(
        self,
        format_name: str,
        paths: Sequence[Path],
        data_date: date | None = None,
        coverage: Coverage = Coverage.FULL,
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
        return self._recorded(
            self.store.import_snapshot(
                fmt, RawFiles(files), origin="file", data_date=data_date, coverage=coverage
            )
        )

    @_changes_lists
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
        return self._recorded(
            self.store.import_snapshot(fmt, raw, origin="fetched", http_metadata=fetcher.responses)
        )

    @_changes_lists
    def accept(self, snapshot_id: int, reason: str) -> Snapshot:
        snapshot = self.store.accept(snapshot_id, reason)
        self.history.rebuild(snapshot.source)
        self._after_change()
        return snapshot

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
    def matcher(self) -> Matcher:
        """The screening index: current entries, and the last content of delisted parties.

        Rebuilt when the lists change: at once after a change made through this object, and
        within STALENESS_CHECK_SECONDS after one made by another process. One thread asks the
        store; the others answer from the index they have meanwhile.
        """
        if self._matcher is not None:
            if monotonic() - self._checked_at < STALENESS_CHECK_SECONDS:
                return self._matcher
            if not self._refreshing.acquire(blocking=False):
                return self._matcher
        else:
            self._refreshing.acquire()
        try:
            return self._refreshed_matcher()
        finally:
            self._refreshing.release()

    def _refreshed_matcher(self) -> Matcher:
        current = self.store.current_snapshots()
        key = (*sorted(s.id for s in current.values() if s.id is not None), self.events.count())
        self._checked_at = monotonic()
        if self._data_version is None or self._data_version[0] != key:
            self._data_version = (key, self.data_version())
            self._events_cache.clear()
            self._status_cache.clear()
        if self._matcher is None or key != self._matcher_key:
            if gc.get_freeze_count():
                # the index built before, the histories read and the cycles frozen with them (a
                # build leaves some ten objects in cycles): collectable once the new one replaces
                # it, and those cycles now
                gc.unfreeze()
                gc.collect()
            # the build makes millions of long-lived objects: the collector's passes over them,
            # each longer than the last, would take half its time; frozen before it resumes
            with _collector_paused():
                identities = assign_identities(self.store.entries(list(key[:-1])))
                historical = self.history.historical_entries(exclude=set(identities))
                everything = [*identities.items(), *historical.items()]
                cached = cache_path(self.settings.data_dir / "cache", self.data_version())
                known = read_analyses(cached)
                self._matcher = Matcher(
                    screening_entries(everything, set(current)),
                    self.settings.match_threshold,
                    analyses=known,
                )
                if known is None or len(known) != len(self._matcher.index.analyses):
                    # a read-only data folder only means the names are analysed again next time
                    with contextlib.suppress(OSError):
                        write_analyses(cached, self._matcher.index.analyses)
                self._entity_of = {
                    identity: entry.entity_id
                    for identity, entry in zip(
                        self._matcher.identities, self._matcher.entries, strict=True
                    )
                }
                self._matcher_key = key
                # out of the collector's walks a search runs markedly faster, and forked workers
                # do not copy the pages the collector would write to (gc.freeze's documented use)
                gc.freeze()
        return self._matcher

    def screen(self, query: ScreeningQuery) -> ScreeningResult:
        return self.screen_many([query])[0]

    # -- orders ----------------------------------------------------------------------------------
    def screen_order(
        self,
        order: Order,
        as_of: date | None = None,
        ownership: Iterable[OwnershipEdge] = (),
    ) -> OrderDecision:
        """Every party and line of an order against the dated rules (as of the order's date unless
        `as_of` is given); `ownership` edges extend the parties to their owners."""
        return self._screen_order(order, as_of, list(ownership))[0]

    def certify_order(
        self,
        order: Order,
        as_of: date | None = None,
        ownership: Iterable[OwnershipEdge] = (),
    ) -> Certificate:
        """The order screened, with the data, rules and audit record that make it reproducible."""
        decision, record = self._screen_order(order, as_of, list(ownership))
        snapshots = [
            SnapshotUsed(
                source=s.source,
                snapshot_id=s.id,
                sha256=s.sha256,
                data_date=str(s.data_date) if s.data_date else None,
            )
            for s in sorted(self.store.current_snapshots().values(), key=lambda s: s.source)
        ]
        return Certificate(
            issued_at=record.recorded_at,
            order=order,
            decision=decision,
            snapshots=snapshots,
            audit_seq=record.seq,
            audit_hash=record.record_hash,
            actor=record.actor,
        )

    def _screen_order(
        self, order: Order, as_of: date | None, edges: list[OwnershipEdge]
    ) -> tuple[OrderDecision, AuditRecord]:
        graph = self._ownership_graph(edges).above(p.name for p in order.parties)
        decision = OrderScreen(_Unaudited(self), order_rules(), graph).decide(order, as_of)
        open_order_alerts(self.alerts, decision, actor())
        record = self._audit(
            "order.screen",
            order.id,
            {
                "order": order.model_dump(mode="json"),
                "as_of": str(as_of),
                "ownership": [e.model_dump(mode="json") for e in edges],
            },
            decision.model_dump(mode="json"),
            {"decision": decision.decision, "rules_version": decision.rules_version},
        )
        self.orders.save(decision, record.seq)
        return decision, record

    # -- ownership -------------------------------------------------------------------------------
    def import_ownership(self, origin: str, edges: Sequence[OwnershipEdge]) -> int:
        """Keep these edges under `origin` (a file name …), replacing that origin's earlier ones."""
        self.ownership.replace(origin, edges)
        self._audit(
            "ownership.import",
            f"{origin}: {len(edges)} edges",
            [e.model_dump(mode="json") for e in edges],
            {"edges": len(edges)},
            {"origin": origin},
        )
        return len(edges)

    def explain_ownership(self, name: str, as_of: date | None = None) -> OwnershipExplanation:
        on = as_of or datetime.now(UTC).date()
        graph = self._ownership_graph([]).above([name])
        return OrderScreen(_Unaudited(self), order_rules(), graph).explain_ownership(name, on)

    def _ownership_graph(self, extra: Sequence[OwnershipEdge]) -> OwnershipGraph:
        """Edges given, edges imported, and the ownership the lists themselves state."""
        matcher = self.matcher()
        if self._derived_edges is None or self._derived_edges[0] is not matcher:
            self._derived_edges = (matcher, edges_from_entries(matcher.entries))
        return OwnershipGraph([*extra, *self.ownership.edges(), *self._derived_edges[1]])

    def _after_change(self) -> None:
        """A load or an event re-screens every organisation's screened book where the change can
        reach (as of today): here and now, or as a job for the service's worker."""
        self.last_book_report = None
        if not self.settings.rescreen_on_change:
            return
        acting = current_org()
        for org in self.accounts.orgs():
            if not BookStore(self.engine, org.id).screened():
                continue
            if self.defer_rescreens:
                self.jobs.enqueue(
                    RESCREEN_JOB, org_id=org.id, dedupe_key=f"{RESCREEN_JOB}:{org.id}"
                )
                continue
            self._checked_at = -STALENESS_CHECK_SECONDS  # the index must see the change first
            with acting_for(org.id):
                report = self.screen_book()
            if org.id == acting:
                self.last_book_report = report

    # -- counterparty book ---------------------------------------------------------------------
    def import_book(self, parties: Sequence[BookParty]) -> int:
        BookStore(self.engine).replace_parties(parties)
        self._audit(
            "book.import",
            f"{len(parties)} parties",
            [p.model_dump(mode="json", by_alias=True) for p in parties],
            {"parties": len(parties)},
            {"parties": len(parties)},
        )
        return len(parties)

    def book_entries(self) -> list[BookEntry]:
        """The book's parties, by id, each with its last screening's hits."""
        store = BookStore(self.engine)
        results = store.results()
        return [BookEntry(party=p, hits=results.get(p.id)) for p in store.parties()]

    def screen_book(self, as_of: date | None = None, full: bool = False) -> BookReport:
        """Screen the book (all of it the first time or with `full`, else only the parties a
        list change can reach); new hits open alerts, delistings give release notices."""
        on = as_of or datetime.now(UTC).date()
        report = BookScreen(_BookServices(self), BookStore(self.engine)).screen(on, full)
        blocking = block_lists(order_rules())
        for found in report.new_hits:
            party, hit = found.party, found.hit
            self.alerts.open(
                NewHit(
                    fingerprint=party.fingerprint,
                    entity_id=hit.entity_id,
                    entry_version=hit.entry_version,
                    party=party.model_dump(mode="json", by_alias=True),
                    order_id=None,
                    lists=hit.lists,
                    score=hit.score,
                    matched_name=hit.name,
                    block_level=bool(set(hit.lists) & blocking),
                ),
                actor(),
            )
        self._audit(
            "book.screen",
            f"{report.screened} of {report.parties} parties",
            {"as_of": str(on), "full": full},
            report.model_dump(mode="json"),
            {"new_hits": len(report.new_hits), "releases": len(report.releases)},
        )
        return report

    # -- alerts ----------------------------------------------------------------------------------
    def flag_overdue_alerts(self, now: datetime | None = None) -> list[Alert]:
        """The acting organisation's undecided alerts past the review deadline, flagged once."""
        cutoff = (now or datetime.now(UTC)) - timedelta(hours=self.settings.alert_sla_hours)
        flagged = self.alerts.flag_overdue(cutoff, actor())
        for alert in flagged:
            self._audit_alert(alert, "review deadline passed")
        return flagged

    def assign_alert(self, alert_id: int, reviewer: str) -> Alert:
        alert = self.alerts.assign(alert_id, reviewer, actor())
        self._audit_alert(alert, f"assigned to {reviewer}")
        return alert

    def decide_alert(
        self, alert_id: int, outcome: AlertOutcome, reviewer: str, note: str = ""
    ) -> Alert:
        alert = self.alerts.decide(alert_id, outcome, reviewer, note)
        self._audit_alert(alert, alert.history[-1].action)
        return alert

    def _audit_alert(self, alert: Alert, action: str) -> None:
        self._audit(
            "alert",
            f"alert {alert.id}: {action}",
            {"alert": alert.id, "action": action},
            alert.model_dump(mode="json"),
            {"state": alert.state},
        )

    # -- chemicals -----------------------------------------------------------------------------
    def chem(
        self, lines: Sequence[str], jurisdiction: str = "all", as_of: date | None = None
    ) -> list[ChemAnswer]:
        """Each order line resolved to substances and assessed in the jurisdiction(s) on as_of
        (today by default): listings, US families and the fentanyl classes."""
        answers = self._chem_answers(lines, jurisdiction, as_of)
        self._audit(
            "chem",
            ", ".join(lines[:3]) + (f" (+{len(lines) - 3})" if len(lines) > 3 else ""),
            {"lines": list(lines), "jurisdiction": jurisdiction, "as_of": str(as_of)},
            [a.model_dump(mode="json") for a in answers],
            {"lines": len(lines), "controlled": sum(a.status == "controlled" for a in answers)},
        )
        return answers

    def _chem_answers(
        self, lines: Sequence[str], jurisdiction: str = "all", as_of: date | None = None
    ) -> list[ChemAnswer]:
        if self._chem is None:
            self._chem = ChemScreener(Opsin())
        return self._chem.answer(lines, jurisdiction, as_of or datetime.now(UTC).date())

    # -- audit ---------------------------------------------------------------------------------
    def _audit(
        self,
        action: str,
        subject: str,
        input_value: object,
        result_value: object,
        detail: dict[str, Any],
        version: str | None = None,
    ) -> AuditRecord:
        """`version`: the data version the answer carries, when it has one (asking the store
        again costs a query per screening)."""
        return self.audit.append(
            actor(),
            action,
            subject,
            input_value,
            result_value,
            version or self.data_version(),
            detail,
        )

    def hold_audit_record(self, seq: int, held: bool = True) -> None:
        """Set or lift a legal hold on one record (LookupError: no such record of this
        organisation); the change is itself recorded, with who made it."""
        self.audit.hold(seq, held)
        change = "set" if held else "lifted"
        self._audit(
            "audit.hold", f"record {seq}: legal hold {change}", {"seq": seq}, {"held": held}, {}
        )

    def queue_fetch(self, formats: Sequence[str] = (), mirror: str | None = None) -> Job:
        """A fetch of the official files, for the job worker: the named formats, or every format
        with a current snapshot."""
        unknown = sorted(set(formats) - set(format_names()))
        if unknown:
            raise SourceError(
                f"unknown formats {', '.join(unknown)}; known: {', '.join(format_names())}"
            )
        return self.jobs.enqueue(FETCH_JOB, {"formats": list(formats), "mirror": mirror})

    def queue_book_rescreen(self, full: bool = False) -> Job:
        """A re-screen of the acting organisation's book, for the job worker (one at a time)."""
        org = current_org()
        return self.jobs.enqueue(
            RESCREEN_JOB, {"full": full}, org_id=org, dedupe_key=f"{RESCREEN_JOB}:{org}"
        )

    def verify_audit(self) -> Verification:
        return self.audit.verify()

    def purge_audit(self, today: date | None = None) -> int:
        """Records past retention go (oldest first, never past a legal hold); the purge itself is
        recorded."""
        removed = self.audit.purge(today or datetime.now(UTC).date())
        self._audit("audit.purge", f"{removed} records", {}, {"removed": removed}, {})
        return removed

    def screen_many(self, queries: Sequence[ScreeningQuery]) -> list[ScreeningResult]:
        results = self._screen(queries)
        self._audit(
            "screen",
            ", ".join(q.name or " ".join(q.identifiers) for q in queries[:3])
            + (f" (+{len(queries) - 3})" if len(queries) > 3 else ""),
            [q.model_dump(mode="json", by_alias=True) for q in queries],
            [r.model_dump(mode="json", by_alias=True) for r in results],
            {
                "queries": len(queries),
                "matches": sum(len([m for m in r.matches if m.match]) for r in results),
            },
            results[0].data_version if results else None,
        )
        return results

    def _screen(self, queries: Sequence[ScreeningQuery]) -> list[ScreeningResult]:
        matcher = self.matcher()
        assert self._data_version is not None
        version = self._data_version[1]
        today = datetime.now(UTC).date()
        results = []
        for query in queries:
            as_of = query.as_of or today
            matches = self._with_status(matcher.search(query, as_of), as_of, today)
            results.append(
                ScreeningResult(
                    query=query.model_dump(mode="json", by_alias=True, exclude_none=True),
                    as_of=as_of,
                    data_version=version,
                    scorer=matcher.scorer,
                    threshold=matcher.threshold,
                    matches=matches,
                    freshness=self._freshness(as_of),
                )
            )
        return results

    def _freshness(self, as_of: date) -> dict[str, Any]:
        """Each source's freshness on `as_of`, kept until the lists change."""
        key = (self._matcher_key, as_of)
        if key not in self._freshness_cache:
            if len(self._freshness_cache) > 64:
                self._freshness_cache.clear()
            self._freshness_cache[key] = {
                source: fresh.model_dump(mode="json")
                for source, fresh in self.history.freshness(as_of).items()
            }
        return self._freshness_cache[key]

    def screen_json(
        self, queries: Sequence[ScreeningQuery], workers: int, chunk: int = 200
    ) -> Iterator[str | QueryError]:
        """Each query's ScreeningResult as JSON text, in order, screened by `workers` forked
        processes that share the built index (a book of thousands of names).

        The workers fork when this is called (call it before starting threads such as a progress
        display); a query the matcher rejects yields its QueryError in its place.
        """
        # built once, before the fork: every worker reads the same pages; a book this size
        # touches much of the index, so every entry's history is read once, up front
        if len(queries) >= PRELOAD_EVENTS_FROM:
            self.warm()
        else:
            self.matcher()
        # a book repeats names: each distinct query is screened once
        keys = [query.model_dump_json() for query in queries]
        first: dict[str, int] = {}
        distinct: list[ScreeningQuery] = []
        for key, query in zip(keys, queries, strict=True):
            if key not in first:
                first[key] = len(distinct)
                distinct.append(query)
        chunks = [list(distinct[i : i + chunk]) for i in range(0, len(distinct), chunk)]
        screened: Iterator[str | QueryError]
        if workers <= 1 or len(chunks) <= 1:
            screened = (text for part in chunks for text in _screen_chunk_with(self, part))
        else:
            global _FORKED
            _FORKED = self
            pool = multiprocessing.get_context("fork").Pool(workers, initializer=_after_fork)
            screened = _drain(pool, chunks)
        self._audit(
            "screen.batch",
            f"{len(queries)} names ({len(distinct)} distinct)",
            keys,
            {"queries": len(queries)},
            {"queries": len(queries), "workers": workers},
        )
        return _in_input_order([first[key] for key in keys], screened)

    def warm(self) -> Matcher:
        """The index built and every indexed party's history read into memory: what a service
        or a large batch wants before its first query, as both touch most of them; and every
        table name analysis reads."""
        matcher = self.matcher()
        prepare_analysis()
        identities = list(dict.fromkeys(matcher.identities))
        if len(identities) <= EVENTS_CACHED:
            with _collector_paused():  # long-lived like the index (see _refreshed_matcher)
                for start in range(0, len(identities), 2000):
                    self._events_for(identities[start : start + 2000])
                gc.freeze()
        return matcher

    def _events_for(self, identities: list[str]) -> dict[str, list[ListEvent]]:
        """History events per identity, kept until the lists change (see matcher())."""
        found = {i: self._events_cache.get(i) for i in identities}
        missing = [i for i, events in found.items() if events is None]
        if missing:
            read = self.history.events_for(missing)
            if len(self._events_cache) > EVENTS_CACHED:
                self._events_cache.clear()
            self._events_cache.update(read)
            found.update(read)
        # answered from what this call read: another thread may clear the cache meanwhile
        return {i: events or [] for i, events in found.items()}

    def _with_status(
        self, matches: list[ScreeningMatch], as_of: date, known_at: date
    ) -> list[ScreeningMatch]:
        """Each match's listing state on as_of; parties not yet listed then are left out."""
        unknown = [
            m.identity
            for m in matches
            if m.identity and (m.identity, as_of, known_at) not in self._status_cache
        ]
        events = self._events_for(unknown) if unknown else {}
        kept = []
        for match in matches:
            identity = match.identity or ""
            known = self._status_cache.get((identity, as_of, known_at))
            if known is None:
                known = _status_of(match_status(events.get(identity, []), as_of, known_at))
                if identity:
                    if len(self._status_cache) > EVENTS_CACHED:
                        self._status_cache.clear()
                    self._status_cache[(identity, as_of, known_at)] = known
            state, detail = known
            if state == State.NOT_YET_LISTED.value:
                continue
            # each match is new, made by this search: it is given its status, not copied
            given_status(match, state, dict(detail) or None)
            kept.append(match)
        return kept

    # -- history -------------------------------------------------------------------------------
    def identity_of(self, reference: str) -> tuple[str, str | None]:
        """(identity, entity_id) for an entity id of a current snapshot or an identity."""
        if self.history.events_for([reference])[reference]:
            return reference, self._entity_ids().get(reference)
        for identity, entity_id in self._entity_ids().items():
            if entity_id == reference:
                return identity, entity_id
        raise StoreError(f"no entry or identity {reference!r}")

    def _entity_ids(self) -> dict[str, str]:
        """Identity → entity id of the entries in the screening index (built with it)."""
        self.matcher()
        return self._entity_of

    def status(
        self, reference: str, as_of: date | None = None, known_at: date | None = None
    ) -> Status:
        as_of, known_at = as_of or datetime.now(UTC).date(), known_at or datetime.now(UTC).date()
        entity_ids = self._entity_ids()  # the index, and the history kept with it, are current
        # an indexed party's history is kept with the index; any other reference is read
        events = (
            self._events_for([reference])
            if reference in entity_ids
            else self.history.events_for([reference])
        )[reference]
        if events:  # the reference is an identity: its events are read once
            entity_id = entity_ids.get(reference)
            return self.history.status(reference, as_of, known_at, entity_id, events=events)
        identity, entity_id = self.identity_of(reference)
        return self.history.status(identity, as_of, known_at, entity_id)

    def status_by_name(
        self, name: str, as_of: date | None = None, known_at: date | None = None
    ) -> Status:
        """Resolve a name with the matcher (top match at or above the threshold), then status."""
        result = self.screen(ScreeningQuery(name=name, as_of=as_of, limit=1))
        top = next((m for m in result.matches if m.match), None)
        if top is None or top.identity is None:
            raise StoreError(
                f"no list entry matches {name!r} at or above the threshold {result.threshold}"
            )
        answer = self.status(top.identity, as_of, known_at)
        answer.notes.insert(
            0, f"name resolved to {top.name!r} ({top.entity_id}), score {top.score:.2f}"
        )
        return answer

    def timeline(self, reference: str) -> Status:
        """Every event of an entry, as known today, evaluated today, and the snapshots holding it."""
        answer = self.status(reference)
        answer.appearances = self.history.appearances(answer.identity)
        return answer

    def diff(self, source: str, from_ref: str, to_ref: str) -> SnapshotDiff:
        return self.history.diff(source, from_ref, to_ref)


# the Interlock a forked batch worker inherits (set by screen_json just before the fork)
_FORKED: Interlock | None = None


def _after_fork() -> None:
    """A forked worker opens its own database connections; the parent's stay the parent's."""
    if _FORKED is not None:
        _FORKED.engine.dispose(close=False)


def _in_input_order(
    positions: list[int], screened: Iterator[str | QueryError]
) -> Iterator[str | QueryError]:
    """Results of the distinct queries (in order of first use) for every input position; each
    is kept only until its last repetition."""
    remaining: dict[int, int] = {}
    for position in positions:
        remaining[position] = remaining.get(position, 0) + 1
    held: dict[int, str | QueryError] = {}
    received = 0
    for position in positions:
        if position == received:  # a query's first use: its result is the next one screened
            held[position] = next(screened)
            received += 1
        yield held[position]
        remaining[position] -= 1
        if not remaining[position]:
            del held[position]


def _drain(
    pool: multiprocessing.pool.Pool, chunks: list[list[ScreeningQuery]]
) -> Iterator[str | QueryError]:
    with pool:
        for results in pool.imap(_screen_chunk, chunks):
            yield from results


def _screen_chunk(queries: list[ScreeningQuery]) -> list[str | QueryError]:
    assert _FORKED is not None
    return _screen_chunk_with(_FORKED, queries)


def _screen_chunk_with(
    interlock: Interlock, queries: list[ScreeningQuery]
) -> list[str | QueryError]:
    results: list[str | QueryError] = []
    with _collector_paused():
        for query in queries:
            try:
                # one audit record for the whole batch, written by the caller (see screen_json)
                results.append(interlock._screen([query])[0].model_dump_json(by_alias=True))
            except QueryError as exc:
                results.append(exc)
    return results
