"""A real uvicorn server on a free loopback port, for tests that talk to the API over HTTP."""

from __future__ import annotations

import threading

import uvicorn
from fastapi import FastAPI

from kg.api import create_app
from kg.config import Settings
from kg.store import KgStore


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
