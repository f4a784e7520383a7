"""Requests a minute per API key: a token bucket per key in each worker process.

With N workers each holds a bucket of rate/N, so the service as a whole admits about the key's
rate whichever worker a request reaches."""

from __future__ import annotations

import threading
from time import monotonic


class RateLimiter:
    def __init__(self, default_per_minute: int, workers: int = 1) -> None:
        self.default = default_per_minute
        self.workers = max(1, workers)
        self._buckets: dict[int, tuple[float, float]] = {}  # key id → (tokens, at)
        self._lock = threading.Lock()

    def admit(self, key_id: int, per_minute: int | None) -> float | None:
        """None if the request may go ahead, else the seconds to wait before the next one."""
        rate = (per_minute or self.default) / self.workers / 60.0  # tokens a second
        capacity = max(1.0, rate * 60.0)  # a minute's worth may come at once
        now = monotonic()
        with self._lock:
            tokens, at = self._buckets.get(key_id, (capacity, now))
            tokens = min(capacity, tokens + (now - at) * rate)
            if tokens >= 1.0:
                self._buckets[key_id] = (tokens - 1.0, now)
                return None
            self._buckets[key_id] = (tokens, now)
            return (1.0 - tokens) / rate
