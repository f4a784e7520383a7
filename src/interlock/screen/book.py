"""The counterparty book: parties screened once, then re-screened only where a list change can
reach them: parties whose hits changed entry or status, and parties whose names or identifiers the
changed entries' names or identifiers find in a reverse index of the book. New hits open alerts;
a delisting that clears a party hit before is a release notice."""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, Field, ValidationError, field_validator
from sqlalchemy import Engine, delete, insert, select

from interlock.match.calibration import Calibration
from interlock.match.contract import ScreeningMatch, ScreeningQuery, ScreeningResult
from interlock.match.matcher import Matcher
from interlock.match.query import parse_identifier
from interlock.model import Identifier, IdentifierType, ListEntry, Schema
from interlock.screen.decision import entry_version, party_fingerprint
from interlock.store.schema import book_parties, book_results, book_state
from interlock.store.tenancy import current_org

REVERSE_FLOOR = 0.3  # a changed entry's name this close to a party's sends it to re-screening
REVERSE_LIMIT = 50
LISTED = frozenset({"listed", "unknown", None})


class BookError(ValueError):
    pass


class BookParty(BaseModel):
    id: str = Field(min_length=1, max_length=200)
    name: str = Field(min_length=1, max_length=500)
    country: str | None = None
    identifiers: list[str] = Field(default_factory=list)
    schema_: str = Field(default="Any", alias="schema")

    model_config = {"populate_by_name": True}

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if len(value.strip()) != 2 or not value.strip().isalpha():
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
        return value.strip().upper()

    @property
    def fingerprint(self) -> str:
        return party_fingerprint(self.name, self.country, self.identifiers)


class StoredHit(BaseModel):
    identity: str
    entity_id: str
    name: str
    status: str | None
    score: float
    lists: list[str]
    entry_version: str


class ReleaseNotice(BaseModel):
    party_id: str
    party_name: str
    entity_id: str
    identity: str
    was: str | None
    now: str
    detail: str


class NewBookHit(BaseModel):
    party: BookParty
    hit: StoredHit


class BookReport(BaseModel):
    parties: int
    screened: int = Field(description="parties screened this time")
    full: bool = Field(description="every party screened (first screen or forced)")
    changed_entries: int = Field(description="entries added, changed or removed since last time")
    seconds: float
    new_hits: list[NewBookHit]
    releases: list[ReleaseNotice]
    as_of: date
    data_version: str


class BookServices(Protocol):
    threshold: float

    def screen_query(self, query: ScreeningQuery) -> ScreeningResult: ...
    def corpus(self) -> list[tuple[str, ListEntry]]: ...
    def states(self, identities: Sequence[str], as_of: date) -> dict[str, str]: ...
    def calibration(self) -> Calibration: ...
    def data_version(self) -> str: ...


def read_book_csv(path: Path) -> list[BookParty]:
    """Columns id, name, and optionally country, identifiers (';'-separated), schema."""
    if not path.is_file():
        raise BookError(f"{path}: no such file")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"id", "name"} - set(reader.fieldnames or [])
        if missing:
            raise BookError(f"{path}: missing columns {', '.join(sorted(missing))}")
        parties: dict[str, BookParty] = {}
        for line, row in enumerate(reader, start=2):
            try:
                party = BookParty(
                    id=(row.get("id") or "").strip(),
                    name=(row.get("name") or "").strip(),
                    country=row.get("country"),
                    identifiers=[
                        i.strip() for i in (row.get("identifiers") or "").split(";") if i.strip()
                    ],
                    schema=(row.get("schema") or "Any").strip() or "Any",
                )
            except ValidationError as exc:
                first = exc.errors()[0]
                raise BookError(
                    f"{path}: line {line}: {'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
                ) from exc
            if party.id in parties:
                raise BookError(f"{path}: line {line}: party id {party.id!r} appears twice")
            parties[party.id] = party
    return list(parties.values())


class BookEntry(BaseModel):
    """A party of the book with its last screening's hits."""

    party: BookParty
    hits: list[StoredHit] | None = Field(description="null: not screened yet")


class BookStore:
    """One organisation's book: the acting one unless named."""

    def __init__(self, engine: Engine, org_id: int | None = None) -> None:
        self.engine = engine
        self.org = current_org() if org_id is None else org_id

    def replace_parties(self, parties: Sequence[BookParty]) -> None:
        """The book becomes these parties; results of parties no longer in it go."""
        ids = [p.id for p in parties]
        with self.engine.begin() as connection:
            connection.execute(delete(book_parties).where(book_parties.c.org_id == self.org))
            connection.execute(
                delete(book_results).where(
                    book_results.c.org_id == self.org, book_results.c.party_id.not_in(ids)
                )
            )
            if parties:
                connection.execute(
                    insert(book_parties),
                    [
                        {
                            "org_id": self.org,
                            "party_id": p.id,
                            "data": p.model_dump(mode="json", by_alias=True),
                        }
                        for p in parties
                    ],
                )

    def parties(self) -> list[BookParty]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(book_parties.c.data)
                .where(book_parties.c.org_id == self.org)
                .order_by(book_parties.c.party_id)
            )
            return [BookParty.model_validate(row.data) for row in rows]

    def results(self) -> dict[str, list[StoredHit]]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(book_results.c.party_id, book_results.c.hits).where(
                    book_results.c.org_id == self.org
                )
            )
            return {row.party_id: [StoredHit.model_validate(h) for h in row.hits] for row in rows}

    def screened(self) -> bool:
        """Whether the book has parties and has been screened once (there is a base to compare)."""
        with self.engine.connect() as connection:
            return (
                connection.execute(
                    select(book_state.c.key).where(
                        book_state.c.org_id == self.org, book_state.c.key == "corpus"
                    )
                ).first()
                is not None
                and connection.execute(
                    select(book_parties.c.party_id)
                    .where(book_parties.c.org_id == self.org)
                    .limit(1)
                ).first()
                is not None
            )

    def state(self) -> dict[str, object]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(book_state.c.key, book_state.c.value).where(book_state.c.org_id == self.org)
            )
            return {row.key: row.value for row in rows}

    def save(self, results: dict[str, list[StoredHit]], state: dict[str, object]) -> None:
        """The new results and the corpus they were screened against, in one transaction."""
        now = datetime.now(UTC)
        with self.engine.begin() as connection:
            if results:
                connection.execute(
                    delete(book_results).where(
                        book_results.c.org_id == self.org,
                        book_results.c.party_id.in_(list(results)),
                    )
                )
                connection.execute(
                    insert(book_results),
                    [{"org_id": self.org, "party_id": pid, "screened_at": now,
                      "hits": [h.model_dump() for h in hits]}
                     for pid, hits in results.items()],
                )  # fmt: skip
            connection.execute(
                delete(book_state).where(
                    book_state.c.org_id == self.org, book_state.c.key.in_(list(state))
                )
            )
            connection.execute(
                insert(book_state),
                [{"org_id": self.org, "key": k, "value": v} for k, v in state.items()],
            )


class BookScreen:
    def __init__(self, services: BookServices, store: BookStore) -> None:
        self.services = services
        self.store = store

    def screen(self, as_of: date, full: bool = False) -> BookReport:
        """Screen the book: every party the first time (or with `full`), else only those a list
        change since the last screen can reach."""
        started = time.perf_counter()
        parties = {p.id: p for p in self.store.parties()}
        before = self.store.results()
        state = self.store.state()
        corpus = self.services.corpus()
        versions = {identity: entry_version(entry) for identity, entry in corpus}
        previous = state.get("corpus")
        first = full or not isinstance(previous, dict) or state.get("parties") != sorted(parties)
        changed = (
            set(versions)
            if first or not isinstance(previous, dict)
            else {
                i for i in versions.keys() | previous.keys() if versions.get(i) != previous.get(i)
            }
        )
        targets = set(parties) if first else self._affected(parties, before, changed, corpus, as_of)
        after: dict[str, list[StoredHit]] = {}
        new_hits: list[NewBookHit] = []
        releases: list[ReleaseNotice] = []
        by_identity = dict(corpus)
        for party_id in sorted(targets):
            party = parties[party_id]
            hits = self._screen_party(party, as_of, by_identity)
            after[party_id] = hits
            new_hits += self._new(party, before.get(party_id, []), hits)
            releases += self._released(party, before.get(party_id, []), hits)
        self.store.save(
            after,
            {"corpus": versions, "parties": sorted(parties), "as_of": as_of.isoformat(),
             "data_version": self.services.data_version()},
        )  # fmt: skip
        return BookReport(
            parties=len(parties),
            screened=len(targets),
            full=first,
            changed_entries=len(changed),
            seconds=round(time.perf_counter() - started, 3),
            new_hits=new_hits,
            releases=releases,
            as_of=as_of,
            data_version=self.services.data_version(),
        )

    def _screen_party(
        self, party: BookParty, as_of: date, corpus: dict[str, ListEntry]
    ) -> list[StoredHit]:
        result = self.services.screen_query(
            ScreeningQuery(
                name=party.name,
                schema=party.schema_,
                country=party.country,
                identifiers=party.identifiers,
                as_of=as_of,
                limit=5,
            )
        )
        return [_stored(m, corpus.get(m.identity or "")) for m in result.matches if m.match]

    def _affected(
        self,
        parties: dict[str, BookParty],
        before: dict[str, list[StoredHit]],
        changed: set[str],
        corpus: list[tuple[str, ListEntry]],
        as_of: date,
    ) -> set[str]:
        """Parties a change can reach: those hit by a changed entry or by one whose status on
        as_of is not what it was, and those the changed entries' names and identifiers find."""
        held = {h.identity for hits in before.values() for h in hits}
        states = self.services.states(sorted(held), as_of)
        affected = {
            party_id
            for party_id, hits in before.items()
            if any(h.identity in changed or states.get(h.identity) != h.status for h in hits)
        }
        affected |= {party_id for party_id in parties if party_id not in before}
        entries = [entry for identity, entry in corpus if identity in changed]
        if entries:
            affected |= self._reverse(parties, entries, as_of)
        return affected & set(parties)

    def _reverse(
        self, parties: dict[str, BookParty], entries: Iterable[ListEntry], as_of: date
    ) -> set[str]:
        index = Matcher(
            [(f"book:{p.id}", _as_entry(p)) for p in parties.values()],
            self.services.threshold,
            self.services.calibration(),
        )
        found: set[str] = set()
        for entry in entries:
            identifiers = [i.original for i in entry.identifiers if i.original][:10]
            for name in [entry.name, *(a.name for a in entry.aliases)][:20]:
                if not name.strip():
                    continue
                matches = index.search(
                    ScreeningQuery(name=name, identifiers=identifiers, limit=REVERSE_LIMIT), as_of
                )
                found |= {
                    m.entity_id.removeprefix("book:") for m in matches if m.score >= REVERSE_FLOOR
                }
        return found

    @staticmethod
    def _new(party: BookParty, before: list[StoredHit], after: list[StoredHit]) -> list[NewBookHit]:
        known = {h.identity for h in before if h.status in LISTED}
        return [
            NewBookHit(party=party, hit=h)
            for h in after
            if h.status in LISTED and h.identity not in known
        ]

    @staticmethod
    def _released(
        party: BookParty, before: list[StoredHit], after: list[StoredHit]
    ) -> list[ReleaseNotice]:
        now = {h.identity: h for h in after}
        notices = []
        for hit in before:
            if hit.status not in LISTED:
                continue
            current = now.get(hit.identity)
            if current is not None and current.status in LISTED:
                continue
            state = current.status if current else "no longer matched or no longer listed"
            notices.append(
                ReleaseNotice(
                    party_id=party.id,
                    party_name=party.name,
                    entity_id=hit.entity_id,
                    identity=hit.identity,
                    was=hit.status,
                    now=state or "unknown",
                    detail=f"{party.name} no longer hits {hit.name} ({', '.join(hit.lists)}): {state}",
                )
            )
        return notices


def _stored(match: ScreeningMatch, entry: ListEntry | None) -> StoredHit:
    return StoredHit(
        identity=match.identity or match.entity_id,
        entity_id=match.entity_id,
        name=match.name,
        status=match.status,
        score=match.score,
        lists=match.lists,
        entry_version=entry_version(entry),
    )


def _as_entry(party: BookParty) -> ListEntry:
    """A book party as an index entry, so the matcher can be asked the other way round."""
    identifiers = []
    for raw in party.identifiers:
        kind, value = parse_identifier(raw)
        identifiers.append(Identifier(type=kind or IdentifierType.OTHER, value=value, original=raw))
    return ListEntry(
        entity_id=f"book:{party.id}",
        source="book",
        source_id=party.id,
        lists=["BOOK"],
        schema=Schema.UNKNOWN,
        name=party.name,
        name_original=party.name,
        countries=[party.country] if party.country else [],
        identifiers=identifiers,
    )
