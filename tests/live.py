"""A real uvicorn server on a free loopback port, for tests that talk to the API over HTTP."""

from __future__ import annotations

import threading

import uvicorn
from fastapi import FastAPI


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
