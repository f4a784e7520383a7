"""A private schema on the benchmark PostgreSQL server, dropped afterwards."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy

POSTGRES = os.environ.get(
    "INTERLOCK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@contextmanager
def private_schema() -> Iterator[str | None]:
    """The URL of a new schema, or None (said on stderr) when no server answers."""
    url = POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        engine = sqlalchemy.create_engine(url, connect_args={"connect_timeout": 3})
        engine.connect().close()
    except Exception as exc:  # no server: report it instead of a figure
        print(f"PostgreSQL not reachable at {POSTGRES}: {type(exc).__name__}", file=sys.stderr)
        yield None
        return
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with engine.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{url}?options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()
