"""HTTP methods per path: HEAD wherever GET works, OPTIONS everywhere, and 405s that say what is allowed.

FastAPI routes answer only the methods they declare, and Starlette's 405 names
the methods of one route, although a path (``/sparql``, ``/store``) is served
by several. This pure ASGI middleware looks up every route of the app that
matches the request's path and takes the union of their methods:

* ``HEAD`` is served as the ``GET`` it stands for, with the same status and
  headers (``Content-Length`` included) and no body (RFC 9110, 9.3.2);
* ``OPTIONS`` is answered 204 with ``Allow`` listing those methods (CORS
  preflights, which name an ``Origin``, are answered before, by the CORS
  middleware);
* any other method the path does not serve gets 405 with the same ``Allow``.

A path that no route matches goes on to the router (404).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["Methods", "allowed_methods"]

_ORDER = ("GET", "HEAD", "PUT", "POST", "DELETE", "PATCH")
_CACHED_PATHS = 4096


def allowed_methods(routes: Iterable[BaseRoute], scope: Scope) -> list[str]:
    """The methods the routes matching ``scope``'s path serve, HEAD with GET, in a stable order."""
    methods: set[str] = set()
    for route in _flat(routes):
        route_methods = getattr(route, "methods", None)
        if route_methods and route.matches(scope)[0] is not Match.NONE:
            methods |= route_methods
    if "GET" in methods:
        methods.add("HEAD")
    methods.discard("OPTIONS")
    return sorted(methods, key=lambda m: (_ORDER.index(m) if m in _ORDER else len(_ORDER), m))


def _flat(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    """The routes, those of included routers too (FastAPI >= 0.120 keeps an included router whole)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _flat(included.routes)
        else:
            yield route


class Methods:
    """Serve HEAD as GET without a body, answer OPTIONS with ``Allow``, refuse other methods with 405."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._allowed: dict[str, list[str]] = {}  # by path: the routes do not change once the app is built

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "GET":
            await self.app(scope, receive, send)
            return
        allowed = self._allowed.get(scope["path"])
        if allowed is None:
            if len(self._allowed) >= _CACHED_PATHS:
                self._allowed.clear()
            allowed = self._allowed[scope["path"]] = allowed_methods(scope["app"].routes, scope)
        method = scope["method"]
        if not allowed or (method in allowed and method != "HEAD"):
            await self.app(scope, receive, send)
        elif method == "HEAD":
            await self.app({**scope, "method": "GET"}, receive, _without_body(send))
        else:
            allow = {"Allow": ", ".join(allowed)}
            answer: Response = (
                Response(status_code=204, headers=allow)
                if method == "OPTIONS"
                else PlainTextResponse(
                    f"{method} is not allowed on {scope['path']}; allowed: {allow['Allow']}", 405, headers=allow
                )
            )
            await answer(scope, receive, send)


def _without_body(send: Send) -> Send:
    """``send`` that passes the status and headers of an answer on but none of its body."""

    async def send_head(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b""}
        await send(message)

    return send_head
