"""The FastAPI app: routers, the store's lifespan, and kg errors mapped to HTTP status codes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import PlainTextResponse
from starlette.exceptions import HTTPException

from kg.api.access_log import AccessLog
from kg.api.routes import graph_store, resource, saved, sparql, void
from kg.config import Settings, get_settings
from kg.errors import KgError, QueryError
from kg.store import KgStore

__all__ = ["create_app"]

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, store: KgStore | None = None) -> FastAPI:
    """The SPARQL endpoint; it opens ``settings.store`` for its lifetime unless ``store`` is given."""
    settings = settings or get_settings()
    app = FastAPI(title="osint-kg SPARQL endpoint", lifespan=_lifespan(settings, store))
    app.state.settings = settings
    app.state.store = store
    app.add_middleware(AccessLog)
    app.include_router(sparql.router)
    app.include_router(void.router)
    app.include_router(graph_store.router)
    app.include_router(saved.router_for(settings))
    app.include_router(resource.router_for(settings))
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Content-Type"],
            expose_headers=["X-KG-Truncated"],
        )
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(QueryError, _query_error)  # type: ignore[arg-type]
    app.add_exception_handler(KgError, _server_error)  # type: ignore[arg-type]
    return app


def _lifespan(settings: Settings, store: KgStore | None) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if store is not None:
            yield
            return
        with KgStore(settings.store) as opened:
            app.state.store = opened
            yield

    return lifespan


async def _http_error(request: Request, exc: HTTPException) -> PlainTextResponse:
    """Protocol errors (400, 403, 406, 413, 415...) as plain text."""
    return PlainTextResponse(exc.detail, exc.status_code, headers=exc.headers)


async def _query_error(request: Request, exc: QueryError) -> PlainTextResponse:
    """A malformed or unevaluable query: 400 with the parser's message."""
    return PlainTextResponse(str(exc), 400)


async def _server_error(request: Request, exc: KgError) -> PlainTextResponse:
    """Any other kg error (StoreError included) is the server's fault: 500, details in the log."""
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return PlainTextResponse(f"internal error ({type(exc).__name__}); see the server log", 500)
