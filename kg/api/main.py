"""The FastAPI app: routers, the lifespan of the query workers and the writer process, and kg errors mapped to
HTTP status codes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import PlainTextResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from kg.api.access_log import AccessLog
from kg.api.methods import Methods
from kg.api.routes import context, graph_store, resource, saved, sparql, ui, void
from kg.api.workers import QueryPool
from kg.api.writer import StoreWriter
from kg.config import Settings, get_settings
from kg.errors import (
    KgError,
    LimitReached,
    NotAcceptable,
    NotFound,
    RemoteServiceError,
    RequestError,
    StoreError,
    StoreLockedError,
)
from kg.store.graphs import KgStore
from kg.store.snapshots import latest_snapshot

__all__ = ["create_app"]

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, store: KgStore | None = None) -> FastAPI:
    """The SPARQL endpoint over the snapshots of ``settings.store``.

    ``store``, if given, is that store already opened read-write by the caller
    (who keeps it): the app publishes a snapshot of it at start-up and writes
    through it, in this process and with no time limit (tests do this).
    Otherwise the app opens the store only to publish a first snapshot (unless
    an ingest holds it and has published one), and writes run in a writer
    process that is killed at the time limit (:mod:`kg.api.writer`).
    """
    settings = settings or get_settings()
    # the API docs are served by the UI's router, from the UI build (FastAPI's own /docs and /redoc load from CDNs)
    app = FastAPI(title="osint-kg SPARQL endpoint", lifespan=_lifespan(settings, store), docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.writer = StoreWriter(settings, store)
    app.add_middleware(Methods)  # inside the access log, so that it logs HEAD and OPTIONS as sent
    app.add_middleware(AccessLog)
    app.include_router(sparql.router)
    app.include_router(void.router)
    app.include_router(context.router)
    app.include_router(graph_store.router)
    app.include_router(saved.router_for(settings))
    app.include_router(ui.router_for(settings.base_iri))
    app.include_router(resource.router_for(settings))
    if settings.cors_origins:
        writable = settings.update_token is not None  # browsers may then send the token and write graphs
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", *(["PUT", "DELETE"] if writable else [])],
            allow_headers=["Accept", "Content-Type", *(["Authorization"] if writable else [])],
            expose_headers=["X-KG-Truncated"],
        )
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(LimitReached, _limit)  # type: ignore[arg-type]
    app.add_exception_handler(RemoteServiceError, _remote_error)  # type: ignore[arg-type]
    app.add_exception_handler(StoreLockedError, _locked)  # type: ignore[arg-type]
    app.add_exception_handler(RequestError, _request_error)  # type: ignore[arg-type]
    app.add_exception_handler(KgError, _server_error)  # type: ignore[arg-type]
    return app


def _lifespan(settings: Settings, store: KgStore | None) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(_first_snapshot, settings, store)
        pool = QueryPool(
            settings.store,
            settings.query_workers,
            settings.query_timeout_s,
            allowlist=settings.service_allowlist,
            memory_mb=settings.query_memory_mb,
        )
        await pool.start()
        app.state.pool = pool
        writer: StoreWriter = app.state.writer
        await writer.start()
        try:
            yield
        finally:
            writer.close()
            pool.close()

    return lifespan


def _first_snapshot(settings: Settings, store: KgStore | None) -> None:
    """Publish a snapshot of the store as it is now, unless an ingest holds it (then use its latest)."""
    if store is not None:
        store.publish_snapshot()
        return
    try:
        opened = KgStore(settings.store)
    except StoreLockedError:
        if latest_snapshot(settings.store) is None:
            raise StoreError(
                f"{settings.store}: the store is being written by another process (kg ingest?) "
                f"and has no snapshot to serve yet; try again when it has published one"
            ) from None
        log.info("%s is held by another process; serving its latest snapshot", settings.store)
        return
    try:
        opened.publish_snapshot()
    finally:
        opened.close()


async def _http_error(request: Request, exc: HTTPException) -> PlainTextResponse:
    """Protocol errors (400, 403, 406, 413, 415...) as plain text."""
    return PlainTextResponse(exc.detail, exc.status_code, headers=exc.headers)


async def _limit(request: Request, exc: LimitReached) -> PlainTextResponse:
    """A query stopped at its time or memory limit, or no worker free in time: 503, try later."""
    return PlainTextResponse(str(exc), 503, headers={"Retry-After": "5"})


async def _locked(request: Request, exc: StoreLockedError) -> PlainTextResponse:
    """A write while an ingest holds the store: 503, try later."""
    return PlainTextResponse(f"the store is busy: {exc}", 503, headers={"Retry-After": "10"})


async def _remote_error(request: Request, exc: RemoteServiceError) -> PlainTextResponse:
    """A SERVICE call to an allowlisted endpoint failed: 502 with the remote's error."""
    return PlainTextResponse(str(exc), 502)


_REQUEST_STATUS: dict[type[RequestError], int] = {NotFound: 404, NotAcceptable: 406}


async def _request_error(request: Request, exc: RequestError) -> PlainTextResponse:
    """A request that cannot be answered as asked: 404 (not found), 406 (no acceptable format), else 400 (a
    malformed or unevaluable query, a bad value) with the message."""
    status = next((code for cls, code in _REQUEST_STATUS.items() if isinstance(exc, cls)), 400)
    return PlainTextResponse(str(exc), status)


async def _server_error(request: Request, exc: KgError) -> PlainTextResponse:
    """Any other kg error (StoreError included) is the server's fault: 500, details in the log."""
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return PlainTextResponse(f"internal error ({type(exc).__name__}); see the server log", 500)
