"""A local HTTP server that replays recorded responses, so fetch tests never touch the network."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Recording:
    body: bytes
    last_modified: str = "Wed, 01 Jan 2025 00:00:00 GMT"
    # statuses to answer before the body, e.g. [503, 503] to exercise the retries
    failures: list[int] = field(default_factory=list)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass
class Replay:
    recordings: dict[str, Recording]
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    base_url: str = ""


@contextmanager
def replay_server(recordings: dict[str, Recording]) -> Iterator[Replay]:
    replay = Replay(recordings)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            replay.requests.append((self.path, dict(self.headers)))
            recording = replay.recordings.get(self.path)
            if recording is None:
                self.send_error(404)
                return
            if recording.failures:
                self.send_error(recording.failures.pop(0))
                return
            if self.headers.get("If-None-Match") == recording.etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", recording.etag)
            self.send_header("Last-Modified", recording.last_modified)
            self.send_header("Content-Length", str(len(recording.body)))
            self.end_headers()
            self.wfile.write(recording.body)

        def log_message(self, *_args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    replay.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield replay
    finally:
        server.shutdown()
        server.server_close()
