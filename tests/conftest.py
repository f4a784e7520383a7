"""Shared test fixtures: the real data folder beside the checkout, and databases."""

from __future__ import annotations

import gzip
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from interlock.config import DEFAULT_MATCH_THRESHOLD, Settings
from interlock.model import Alias, AliasStrength, ListEntry, Schema
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


POSTGRES_URL = os.environ.get(
    "INTERLOCK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def postgres_engine_url() -> str:
    """A private schema on the test server, or skip saying which server did not answer."""
    import sqlalchemy

    url = POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        engine = sqlalchemy.create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:  # any connection failure means: no server to test against
        pytest.skip(f"no PostgreSQL server answers at {POSTGRES_URL}: {type(exc).__name__}")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each store test runs on the embedded SQLite and on the real PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'interlock.sqlite3'}"
        return
    import sqlalchemy

    base = postgres_engine_url()
    schema = f"interlock_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    engine = sqlalchemy.create_engine(base)
    with engine.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


def sqlite_settings(folder: Path, **changes: object) -> Settings:
    """Test settings over a new SQLite file in `folder`, with `changes` to the defaults."""
    values: dict[str, object] = {
        "database_url": f"sqlite:///{folder / 'interlock.sqlite3'}",
        "data_dir": folder,
        "match_threshold": DEFAULT_MATCH_THRESHOLD,
        "fetch_timeout": 5.0,
        "fetch_retries": 0,
        "quarantine_drop": 0.10,
    }
    return Settings(**(values | changes))  # type: ignore[arg-type]


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=tmp_path,
        match_threshold=DEFAULT_MATCH_THRESHOLD,
        fetch_timeout=5.0,
        fetch_retries=1,
        quarantine_drop=0.10,
    )


def api_client(interlock: object, role: str = "admin", org: str | int = 1) -> TestClient:
    """A test client of the service that sends a new key of `role` in organisation `org`."""
    from interlock.accounts.model import Role
    from interlock.api.app import create_app
    from interlock.core import Interlock

    assert isinstance(interlock, Interlock)
    made = interlock.accounts.create_key(org, Role(role), f"test {role}")
    client = TestClient(create_app(interlock))
    client.headers["Authorization"] = f"Bearer {made.secret}"
    return client


def list_entry(
    entity_id: str, schema: Schema, name: str, *aliases: tuple[str, AliasStrength]
) -> tuple[str, ListEntry]:
    """(identity, entry) for a Matcher: a listed party named `name` and `aliases`."""
    source, source_id = entity_id.split(":")
    entry = ListEntry(
        entity_id=entity_id,
        source=source,
        source_id=source_id,
        lists=[source.upper()],
        schema=schema,
        name=name,
        name_original=name,
        aliases=[Alias(name=a, original=a, strength=strength) for a, strength in aliases],
    )
    return entity_id, entry
