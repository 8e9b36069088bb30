"""The endpoint's authorised writes, run in a writer process that is killed at the time limit.

``kg serve`` does not hold the live store: its query workers read snapshots.
pyoxigraph cannot interrupt an update, so writes do not run in the server
process either. A :class:`StoreWriter` keeps one spawned *writer process*,
confined like the query workers (:func:`kg.api.sandbox.confine`: no network
but the SERVICE/LOAD allowlist, allocations capped at ``KG_QUERY_MEMORY_MB``).
For each write it opens the live store read-write, runs the write in one
transaction, publishes a snapshot (so the next query sees it) and closes the
store again, so that ``kg ingest`` may run between writes. Writes run one at
a time; a write waits for the ones before it at most ``KG_QUERY_TIMEOUT_S``
(plus 2 s), then gets 503.

A write that runs past ``KG_QUERY_TIMEOUT_S`` (or outgrows the memory cap) is
stopped by SIGKILL of the process: :class:`~kg.errors.QueryTimeout`
(:class:`~kg.errors.QueryMemoryError`), 503 at the edge. Its transaction never
commits, the kernel releases the store's lock with the process, and the served
snapshot stays as it was; a fresh writer process is started at once for the
next write. (A PUT that replaces a graph is a staged load, then a swap in one
transaction: stopped before the swap it leaves the old graph whole, after it
the new one, and any staging graph left is dropped when the store is next
opened.) While ``kg ingest`` holds
the store, a write fails with :class:`~kg.errors.StoreLockedError` (503: try
again later).

An app handed an open store (``create_app(settings, store)``, as tests and
embedding callers do) writes through that store in its own process instead:
the caller holds the store's lock, so no other process could open it, and
such writes have no time limit. ``kg serve`` never passes one.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from starlette.concurrency import run_in_threadpool

from kg.api.sandbox import confine
from kg.api.workers import Task, WorkerProcess, serve_tasks
from kg.config import Settings
from kg.errors import QueryMemoryError, QueryTimeout, StoreLockedError
from kg.store.graphs import KgStore

__all__ = ["StoreWriter"]

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

_LOCK_WAIT_S = 2.0
"""How long a write waits for the live store while another process (a snapshot publisher) holds it briefly."""
_TURN_GRACE_S = 2.0
"""A write waits for the write before it up to the time limit plus this (room for the kill of one that overran)."""


class StoreWriter:
    """Runs write functions on the live store, one at a time, each within the time limit."""

    def __init__(self, settings: Settings, store: KgStore | None = None) -> None:
        self.settings = settings
        self.store = store
        self.timeout_s = settings.query_timeout_s
        self._turn = asyncio.Lock()
        self._here = threading.Lock()
        self._process: asyncio.Task[WorkerProcess] | None = None

    async def start(self) -> None:
        """Start the writer process if writes are on (a write would otherwise start it)."""
        if self.store is None and self.settings.update_token is not None:
            self._starting()

    def pid(self) -> int | None:
        """The process id of the writer process, if one is running (for operators and tests)."""
        worker = self._ready()
        return worker.process.pid if worker is not None and worker.alive else None

    def close(self) -> None:
        """Stop the writer process."""
        worker = self._ready()
        if worker is not None:
            worker.stop()
        elif self._process is not None:
            self._process.cancel()
        self._process = None

    def _ready(self) -> WorkerProcess | None:
        """The writer process if it has started (None while it starts, or if it could not)."""
        task = self._process
        if task is None or not task.done() or task.cancelled() or task.exception() is not None:
            return None
        return task.result()

    async def write(self, func: Callable[Concatenate[KgStore, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``func(store, *args, **kwargs)`` on the live store, then a snapshot for the readers.

        ``func`` must be a module-level function (it is sent to the writer process by pickle).
        """
        if self.store is not None:
            return await run_in_threadpool(self._write_here, func, args, kwargs)
        try:
            await asyncio.wait_for(self._turn.acquire(), self.timeout_s + _TURN_GRACE_S)
        except TimeoutError:
            raise QueryTimeout(
                f"the writer stayed busy with other writes for more than the time limit of "
                f"{self.timeout_s:g} s (KG_QUERY_TIMEOUT_S); try again later"
            ) from None
        # the turn is released (and a killed process replaced) when the write ends, even if the request is cancelled
        run = asyncio.ensure_future(self._run((str(self.settings.store), func, (args, kwargs))))
        run.add_done_callback(lambda _: self._turn.release())
        return await asyncio.shield(run)

    def _write_here(self, func: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
        """The write in this process, on the store the app was given (blocking)."""
        assert self.store is not None
        with self._here:
            result = func(self.store, *args, **kwargs)
            self.store.publish_snapshot()
            return result

    async def _run(self, task: Task) -> Any:
        """Send ``task`` to the writer process within the time limit; replace the process if it was killed."""
        worker = await self._starting()
        status, value = await worker.call(task, self.timeout_s)
        if not worker.alive:
            self._process = None
            self._starting()
        if status == "timeout":
            raise QueryTimeout(
                f"the write was stopped after the time limit of {self.timeout_s:g} s "
                f"(KG_QUERY_TIMEOUT_S); its transaction was not committed"
            )
        if status == "memory":
            raise QueryMemoryError(
                f"the write was stopped when the writer reached {value:.0f} MiB of memory "
                f"(limit {self.settings.query_memory_mb} MiB, KG_QUERY_MEMORY_MB); "
                f"its transaction was not committed"
            )
        if status == "error":
            raise value
        return value

    def _starting(self) -> asyncio.Task[WorkerProcess]:
        """The writer process, started now if there is none (a task: it is ready when the task is done)."""
        task = self._process
        if task is None or (task.done() and (task.cancelled() or task.exception() is not None)):
            task = self._process = asyncio.ensure_future(self._spawn())
        return task

    async def _spawn(self) -> WorkerProcess:
        settings = self.settings
        worker = WorkerProcess(
            _main,
            (tuple(settings.service_allowlist), settings.query_memory_mb),
            role="writer",
            memory_mb=settings.query_memory_mb,
        )
        try:
            await asyncio.get_running_loop().run_in_executor(None, worker.wait_ready)
            await worker.connect()
        except BaseException:
            worker.kill()
            raise
        return worker


def _main(conn: Connection, allowlist: tuple[str, ...], memory_mb: int) -> None:
    """The writer process: confined, it runs each task on the live store, opened for that task only."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server's Ctrl-C is for the server to handle
    import kg.api.tasks  # noqa: F401  (the write functions: imported before the first write, not during it)

    confine(allowlist, memory_mb)

    def run(path: str, func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        with _open_live(Path(path)) as store:
            return func(store, *args, **kwargs)

    serve_tasks(conn, memory_mb, run)
    os._exit(0)


def _open_live(path: Path) -> KgStore:
    """The live store, read-write, publishing a snapshot after each write; waits briefly while it is held."""
    deadline = time.monotonic() + _LOCK_WAIT_S
    while True:
        try:
            return KgStore(path, snapshot_interval_s=0)
        except StoreLockedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
