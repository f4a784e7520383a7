"""Live fetching, tested against recorded responses replayed by a local server."""

from __future__ import annotations

import pytest

from interlock.config import DEFAULT_MATCH_THRESHOLD, Settings
from interlock.core import Interlock
from interlock.sources.csl import SPEC
from interlock.sources.fetch import Fetcher, FetchError, NotModified
from tests.conftest import FIXTURES
from tests.recorded_http import Recording, replay_server

CSL_PATH = "/downloadable_consolidated_screening_list/v1/consolidated.csv"
assert SPEC.urls["consolidated.csv"].endswith(CSL_PATH)


@pytest.fixture
def sqlite_settings(tmp_path: object) -> Settings:
    from pathlib import Path

    base = Path(str(tmp_path))
    return Settings(
        database_url=f"sqlite:///{base / 'fetch.sqlite3'}",
        data_dir=base,
        match_threshold=DEFAULT_MATCH_THRESHOLD,
        fetch_timeout=5.0,
        fetch_retries=2,
        quarantine_drop=0.10,
    )


def test_fetch_loads_then_uses_conditional_requests(sqlite_settings: Settings) -> None:
    body = (FIXTURES / "csl" / "csl_2022-04_cut.csv").read_bytes()
    with replay_server({CSL_PATH: Recording(body)}) as replay:
        interlock = Interlock(sqlite_settings)
        result = interlock.fetch("csl_csv", mirror=replay.base_url)
        assert result is not None and result.snapshot.entry_count == 24
        assert result.snapshot.origin == "fetched"
        assert interlock.fetch("csl_csv", mirror=replay.base_url) is None
    first_headers, second_headers = replay.requests[0][1], replay.requests[1][1]
    assert "If-None-Match" not in first_headers
    assert second_headers["If-None-Match"] == Recording(body).etag


def test_fetch_retries_transient_errors() -> None:
    with replay_server({"/a.csv": Recording(b"x,y\n", failures=[503, 502])}) as replay:
        fetcher = Fetcher(timeout=5, retries=2, backoff=0.01, mirror=replay.base_url)
        assert fetcher.get("https://official.example/a.csv") == b"x,y\n"
    assert len(replay.requests) == 3


def test_fetch_gives_up_with_a_clear_error() -> None:
    with replay_server({"/a.csv": Recording(b"", failures=[503, 503, 503])}) as replay:
        fetcher = Fetcher(timeout=5, retries=1, backoff=0.01, mirror=replay.base_url)
        with pytest.raises(FetchError, match="gave up after 2 attempts"):
            fetcher.get("https://official.example/a.csv")
        with pytest.raises(FetchError, match="HTTP 404"):
            fetcher.get("https://official.example/missing.csv")


def test_not_modified_is_reported() -> None:
    recording = Recording(b"data")
    with replay_server({"/a.csv": recording}) as replay:
        fetcher = Fetcher(
            mirror=replay.base_url,
            validators={"https://official.example/a.csv": {"etag": recording.etag}},
        )
        with pytest.raises(NotModified):
            fetcher.get("https://official.example/a.csv")
