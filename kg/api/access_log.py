"""One access-log line per request on logger ``kg.api.access``.

A pure ASGI middleware: it sees the status and body size the client gets, even
for errors answered by exception handlers. Routes may add the result size
(rows, triples) as ``request.state.result_count``.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["AccessLog"]

log = logging.getLogger("kg.api.access")


class AccessLog:
    """Log method, path, status, duration, result count and bytes of every HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status, size = 500, 0

        async def send_and_measure(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_and_measure)
        finally:
            count = scope.get("state", {}).get("result_count", "-")
            millis = (time.perf_counter() - start) * 1000
            log.info(
                "%s %s %d %.1fms results=%s bytes=%d",
                scope["method"],
                scope["path"],
                status,
                millis,
                count,
                size,
            )
