"""Engines and migrations for the embedded SQLite default and PostgreSQL."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect


class StoreError(RuntimeError):
    pass


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        database = url.split("///", 1)[1] if "///" in url else ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            # WAL with NORMAL syncs at checkpoints, not at every commit: a crash of interlock
            # loses nothing, a power cut may lose the last commits but never corrupts the file.
            # Every screening commits an audit record, so a sync per commit would triple its cost
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    try:
        # a server process answers up to 40 requests at once (its thread pool), most holding a
        # connection briefly. Connections are not pinged before each use (a round trip per
        # query); one idle for five minutes is replaced, and one the server dropped fails a
        # single request and leaves the pool
        return create_engine(url, pool_size=10, max_overflow=30, pool_recycle=300)
    except ModuleNotFoundError as exc:
        raise StoreError(
            f"the database driver for {url.split(':', 1)[0]} is not installed ({exc.name}); "
            "install interlock[postgres]"
        ) from None


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("interlock.store").joinpath("migrations"))
    )
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def head_revision() -> str | None:
    """The newest migration shipped with this version of interlock."""
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def schema_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return None if row is None else str(row[0])
