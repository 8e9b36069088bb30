"""A real uvicorn server on a free loopback port, for tests that talk to the API over HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import uvicorn
from fastapi import FastAPI

from kg.api import create_app
from kg.config import Settings
from kg.store.graphs import KgStore


class LiveServer:
    """Runs ``app`` in a background thread; ``with LiveServer(app) as root`` yields ``http://127.0.0.1:PORT``."""

    def __init__(self, app: FastAPI) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            self.thread.join(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


class ServerPool:
    """One live server per distinct settings, all on the same store, started on first use.

    ``pool.sparql(max_rows=5)`` is the ``/sparql`` URL of a server whose settings are ``defaults``
    with ``max_rows=5``; :meth:`close` stops them all.
    """

    def __init__(self, store: KgStore, **defaults: object) -> None:
        self.store = store
        self.defaults = {"store": store.path, **defaults}
        self.servers: dict[str, tuple[LiveServer, str]] = {}

    def sparql(self, **overrides: object) -> str:
        key = repr(sorted((k, repr(v)) for k, v in overrides.items()))
        if key not in self.servers:
            settings = Settings(**{**self.defaults, **overrides})  # type: ignore[arg-type]
            server = LiveServer(create_app(settings, self.store))
            self.servers[key] = (server, server.__enter__() + "/sparql")
        return self.servers[key][1]

    def close(self) -> None:
        for server, _ in self.servers.values():
            server.__exit__()


class Recorder(BaseHTTPRequestHandler):
    """An HTTP server's handler that records every request path in :attr:`seen` and answers like an empty
    SPARQL endpoint; under ``/bad`` it answers with an HTML page instead (an unreadable SPARQL answer)."""

    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self._answer()

    def _answer(self) -> None:
        type(self).seen.append(self.path)
        bad = self.path.startswith("/bad")
        body = (
            b"<html>not a SPARQL answer" if bad else b'{"head": {"vars": ["s", "p", "o"]}, "results": {"bindings": []}}'
        )
        self.send_response(200)
        self.send_header("Content-Type", "text/html" if bad else "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def recording_server() -> Iterator[str]:
    """A :class:`Recorder` on a free loopback port, standing for an outside host; yields its ``host:port``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
