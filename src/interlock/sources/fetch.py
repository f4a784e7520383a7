"""HTTP fetching of official list files: timeouts, retries with back-off, conditional requests.

`mirror` replaces the scheme and host of every official URL (an operator's internal mirror, or the
local server the tests run); the path is kept so one mirror can serve every source.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

RETRY_STATUS = {429, 500, 502, 503, 504}


class FetchError(RuntimeError):
    pass


class NotModified(Exception):
    """The server says the file has not changed since the validators we sent."""


@dataclass
class Fetcher:
    timeout: float = 60.0
    retries: int = 4
    backoff: float = 1.0
    mirror: str | None = None
    # validators from the previous fetch, per official URL: {"etag": …, "last_modified": …}
    validators: dict[str, dict[str, str]] = field(default_factory=dict)
    # what each response said, per official URL, recorded with the snapshot
    responses: dict[str, dict[str, str]] = field(default_factory=dict)

    def resolve(self, url: str) -> str:
        if not self.mirror:
            return url
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return self.mirror.rstrip("/") + path

    def get(self, url: str) -> bytes:
        target = self.resolve(url)
        headers = {"User-Agent": "interlock (+https://github.com/interlock)"}
        previous = self.validators.get(url, {})
        if previous.get("etag"):
            headers["If-None-Match"] = previous["etag"]
        if previous.get("last_modified"):
            headers["If-Modified-Since"] = previous["last_modified"]
        last_error = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                with httpx.Client(timeout=self.timeout, follow_redirects=True) as client:
                    response = client.get(target, headers=headers)
            except httpx.HTTPError as exc:
                last_error = f"{type(exc).__name__}: {exc}"
                continue
            if response.status_code in RETRY_STATUS:
                last_error = f"HTTP {response.status_code}"
                continue
            self.responses[url] = {
                "url": target,
                "status": str(response.status_code),
                "fetched_at": datetime.now(UTC).isoformat(),
                **{
                    key: response.headers[header]
                    for key, header in (("etag", "ETag"), ("last_modified", "Last-Modified"))
                    if header in response.headers
                },
            }
            if response.status_code == 304:
                raise NotModified(url)
            if response.status_code != 200:
                raise FetchError(f"{target}: HTTP {response.status_code}")
            return response.content
        raise FetchError(f"{target}: gave up after {self.retries + 1} attempts ({last_error})")
