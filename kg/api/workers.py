"""Query worker processes: the endpoint reads the store only through them, so a runaway query can be killed.

pyoxigraph cannot interrupt a query, so ``kg serve`` never evaluates one in its
own process. A :class:`QueryPool` keeps ``settings.query_workers`` spawned
processes; each opens the newest published snapshot of the store read-only
(:func:`kg.store.graphs.latest_snapshot`; a writer may go on writing the live store
meanwhile) and runs one task at a time. A task is a module-level function,
called in the worker as ``func(store, *args)``; its arguments and its result
travel by pickle.

When a task runs past ``settings.query_timeout_s``, its process is killed
(SIGKILL: the evaluation stops for sure, whatever it was doing), the caller
gets :class:`~kg.errors.QueryTimeout` (503 at the edge) and a fresh process
takes the place of the killed one. The other workers go on serving. A task
whose worker outgrows ``settings.query_memory_mb`` is stopped the same way and
gets :class:`~kg.errors.QueryMemoryError` (503). Each worker confines itself
before its first task (:func:`kg.api.sandbox.confine`): no network but the
SERVICE allowlist, and a cap on its allocations.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import pickle
import signal
import socket
import struct
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from kg.api.sandbox import confine, resident_mb
from kg.errors import KgError, QueryMemoryError, QueryTimeout, StoreError
from kg.store.graphs import KgStore, publish_if_stale
from kg.store.snapshots import latest_snapshot, snapshots_dir

__all__ = ["QueryPool", "Task", "WorkerProcess", "serve_tasks"]

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

_START_TIMEOUT_S = 120.0
_STALE_CHECK_S = 5.0
"""How often the pool looks for commits that a killed writer left unpublished."""
_WATCH_S = 0.01
"""How often the resident size of a busy worker is read."""
_WATCH_SHARE = 0.9
_NEAR_CAP = 0.5  # a worker that dies after reaching this share of its cap died of memory
"""The share of the memory cap at which a worker is stopped (the rest is room for one step of the watch)."""
_CONTEXT = multiprocessing.get_context("spawn")


Task = tuple[str, Callable[..., Any], tuple[tuple[Any, ...], dict[str, Any]]]
"""What a worker process runs: a store path, a module-level function and its arguments (all pickled)."""


class WorkerProcess:
    """One spawned worker process and the parent's end of its pipe.

    ``target(conn, *args)`` is the process's main function (module-level, so
    that it can be spawned); it answers tasks with :func:`serve_tasks`. Once
    ready, the parent talks to it on the event loop (asyncio streams over a
    duplicate of the pipe's socket, in :mod:`multiprocessing.connection`'s framing:
    a 4-byte big-endian length, or -1 and an 8-byte length, then a pickle), so a
    call costs no thread hop; the worker itself uses a plain ``Connection``.
    """

    def __init__(
        self, target: Callable[..., None], args: tuple[Any, ...] = (), *, role: str = "query worker", memory_mb: int = 0
    ) -> None:
        self.conn, child = _CONTEXT.Pipe()
        self.role = role
        self.memory_mb = memory_mb
        self.peak_mb = 0.0  # the largest resident size the memory watch saw during the current call
        self.process: BaseProcess = _CONTEXT.Process(
            target=target, args=(child, *args), name=f"kg-{role.replace(' ', '-')}", daemon=True
        )
        self.process.start()
        child.close()
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    def wait_ready(self) -> None:
        """Block until the worker says it is ready (run in a thread)."""
        try:
            ready = self.conn.poll(_START_TIMEOUT_S) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            raise StoreError(f"a {self.role} process did not start")

    async def connect(self) -> None:
        """Open the event-loop streams on the pipe (after :meth:`wait_ready`)."""
        sock = socket.socket(fileno=os.dup(self.conn.fileno()))
        self._streams = await asyncio.open_unix_connection(sock=sock)

    async def call(self, task: Task, timeout: float) -> tuple[str, Any]:
        """Run ``task``; ``("ok", result)``, ``("error", exception)``, ``("timeout", None)`` or ``("memory", mb)``."""
        exchange = asyncio.ensure_future(self._exchange(task))
        watch = asyncio.ensure_future(self._watch_memory())
        try:
            done, _ = await asyncio.wait({exchange, watch}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            watch.cancel()
        if exchange in done:
            return exchange.result()
        exchange.cancel()
        self.kill()
        if watch in done:
            return "memory", watch.result()
        return "timeout", None

    async def _exchange(self, task: Task) -> tuple[str, Any]:
        assert self._streams is not None, "connect() was not awaited"
        reader, writer = self._streams
        try:
            writer.write(_frame(pickle.dumps(task, protocol=pickle.HIGHEST_PROTOCOL)))
            await writer.drain()
            (size,) = struct.unpack("!i", await reader.readexactly(4))
            if size == -1:
                (size,) = struct.unpack("!Q", await reader.readexactly(8))
            reply: tuple[str, Any] = pickle.loads(await reader.readexactly(size))  # noqa: S301  (our own worker's pipe)
            return reply
        except (asyncio.IncompleteReadError, ConnectionError, OSError) as exc:
            self.kill()
            # an allocation failed at the worker's memory cap (abort), or it died while the watch saw it near
            # the cap (a crash of the allocator, or the kernel's OOM killer, between two readings)
            near_cap = bool(self.memory_mb) and self.peak_mb >= _NEAR_CAP * self.memory_mb
            if self.process.exitcode == -signal.SIGABRT or near_cap:
                return "memory", max(self.peak_mb, float(self.memory_mb))
            return "error", StoreError(f"a {self.role} process died ({exc or type(exc).__name__})")

    async def _watch_memory(self) -> float:
        """Return (with the resident size in MiB) once the worker passes its share of the memory cap."""
        pid = self.process.pid
        if not self.memory_mb or pid is None:
            await asyncio.Future()  # no cap: wait until cancelled
        limit = self.memory_mb * _WATCH_SHARE
        self.peak_mb = 0.0
        while True:
            await asyncio.sleep(_WATCH_S)
            resident = resident_mb(pid)  # type: ignore[arg-type]
            self.peak_mb = max(self.peak_mb, resident)
            if resident > limit:
                return resident

    def stop(self) -> None:
        """Ask the process to end (it leaves its task loop on ``None``), then make sure it has."""
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(2)
        self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        if self._streams is not None:
            self._streams[1].close()
        self.conn.close()

    @property
    def alive(self) -> bool:
        return self.process.is_alive() and not self.conn.closed


def _frame(data: bytes) -> bytes:
    """``data`` with the length header :class:`multiprocessing.connection.Connection` reads."""
    if len(data) > 0x7FFFFFFF:
        return struct.pack("!iQ", -1, len(data)) + data
    return struct.pack("!i", len(data)) + data


class QueryPool:
    """``size`` worker processes reading the snapshots of the store at ``store_path``."""

    def __init__(
        self, store_path: Path, size: int, timeout_s: float, *, allowlist: Collection[str] = (), memory_mb: int = 0
    ) -> None:
        self.store_path = store_path
        self.size = size
        self.timeout_s = timeout_s
        self.allowlist = tuple(allowlist)
        self.memory_mb = memory_mb
        self._idle: asyncio.LifoQueue[WorkerProcess] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._threads = ThreadPoolExecutor(max_workers=size + 1, thread_name_prefix="kg-query")
        self._workers: set[WorkerProcess] = set()
        self._pointer_mtime: int | None = None
        self._snapshot: Path | None = None
        self._stale_check: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Spawn the workers and wait until every one is ready."""
        self._idle = asyncio.LifoQueue()  # the most recently used worker first: its caches are warm
        self._loop = loop = asyncio.get_running_loop()
        workers = [self._spawn() for _ in range(self.size)]
        await asyncio.gather(*(loop.run_in_executor(self._threads, w.wait_ready) for w in workers))
        for worker in workers:
            await worker.connect()
            self._workers.add(worker)
            self._idle.put_nowait(worker)
        self.snapshot()
        self._stale_check = asyncio.ensure_future(self._publish_stale())

    async def _publish_stale(self) -> None:
        """Every few seconds, publish what a writer killed before it could publish (see ``publish_if_stale``)."""
        assert self._loop is not None
        seen = 0
        while True:
            await asyncio.sleep(_STALE_CHECK_S)
            try:
                seen = await self._loop.run_in_executor(self._threads, publish_if_stale, self.store_path, seen)
            except KgError:
                log.exception("could not publish a snapshot of %s", self.store_path)

    def close(self) -> None:
        """Stop every worker."""
        if self._stale_check is not None:
            self._stale_check.cancel()
        for worker in list(self._workers):
            worker.stop()
        self._workers.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)

    def pids(self) -> list[int]:
        """The process ids of the live workers (for operators and tests)."""
        workers = list(self._workers)  # a copy: the event loop may replace a worker meanwhile
        return sorted(w.process.pid for w in workers if w.process.pid is not None and w.alive)

    def snapshot(self) -> Path:
        """The newest published snapshot, re-read whenever its pointer file changes."""
        pointer = snapshots_dir(self.store_path) / "CURRENT"
        try:
            mtime = pointer.stat().st_mtime_ns
        except FileNotFoundError:
            mtime = None
        if mtime != self._pointer_mtime or self._snapshot is None:
            self._snapshot = latest_snapshot(self.store_path)
            self._pointer_mtime = mtime
        if self._snapshot is None:
            raise StoreError(f"{self.store_path}: no snapshot of the store has been published yet")
        return self._snapshot

    async def run(self, func: Callable[Concatenate[KgStore, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``func(store, *args)`` in a worker, on the newest snapshot, within the time limit."""
        assert self._idle is not None, "QueryPool.start() was not awaited"
        task = (str(self.snapshot()), func, (args, kwargs))
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.timeout_s)
        except TimeoutError:
            raise QueryTimeout(
                f"all {self.size} query workers stayed busy for {self.timeout_s:g} s; try again later"
            ) from None
        # the time limit is the evaluation's: a query that waited for a worker still gets all of it (else one
        # queued behind stopped queries would be killed as soon as it starts, and its worker with it)
        call = asyncio.ensure_future(worker.call(task, self.timeout_s))
        # the worker goes back (or is replaced) when its call ends, even if this request is cancelled meanwhile
        call.add_done_callback(lambda _: self._release(worker))
        status, value = await asyncio.shield(call)
        if status == "timeout":
            raise QueryTimeout(
                f"the query was stopped after the time limit of {self.timeout_s:g} s (KG_QUERY_TIMEOUT_S)"
            )
        if status == "memory":
            raise QueryMemoryError(
                f"the query was stopped when its worker reached {value:.0f} MiB of memory "
                f"(limit {self.memory_mb} MiB, KG_QUERY_MEMORY_MB); narrow it or add a LIMIT"
            )
        if status == "error":
            raise value
        return value  # type: ignore[no-any-return]

    def _release(self, worker: WorkerProcess) -> None:
        """Back to the idle queue if alive; otherwise replaced by a fresh worker (on the event loop)."""
        assert self._idle is not None and self._loop is not None
        if worker.alive:
            self._idle.put_nowait(worker)
        else:
            self._workers.discard(worker)
            self._loop.run_in_executor(self._threads, self._replace)

    def _spawn(self) -> WorkerProcess:
        return WorkerProcess(_main, (self.allowlist, self.memory_mb), memory_mb=self.memory_mb)

    def _replace(self) -> None:
        """Start a worker in place of a killed one and hand it to the idle queue (blocking)."""
        worker = self._spawn()
        try:
            worker.wait_ready()
        except StoreError:
            log.exception("could not replace a query worker")
            worker.kill()
            return
        assert self._loop is not None
        adopt = self._adopt(worker)
        try:
            asyncio.run_coroutine_threadsafe(adopt, self._loop)
        except RuntimeError:  # the loop closed while the worker started: the server is stopping
            adopt.close()
            worker.kill()

    async def _adopt(self, worker: WorkerProcess) -> None:
        """Connect a started worker and hand it to the idle queue (on the event loop)."""
        assert self._idle is not None
        try:
            await worker.connect()
        except OSError:
            log.exception("could not connect to a replacement query worker")
            worker.kill()
            return
        self._workers.add(worker)
        self._idle.put_nowait(worker)


def _main(conn: Connection, allowlist: tuple[str, ...], memory_mb: int) -> None:
    """A query worker: confined, it runs each task on its snapshot (kept open while it stays current)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server's Ctrl-C is for the server to handle
    import kg.api.tasks  # noqa: F401  (the task functions: imported before the first task, not during it)

    confine(allowlist, memory_mb)
    opened: list[tuple[str, KgStore]] = []

    def run(snapshot: str, func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if opened and opened[0][0] != snapshot:
            opened.pop()[1].close()
        if not opened:
            opened.append((snapshot, KgStore.open_snapshot(snapshot)))
        return func(opened[0][1], *args, **kwargs)

    serve_tasks(conn, memory_mb, run)
    for _, store in opened:
        store.close()
    os._exit(0)


def serve_tasks(
    conn: Connection, memory_mb: int, run: Callable[[str, Callable[..., Any], tuple[Any, ...], dict[str, Any]], Any]
) -> None:
    """Say ready, then answer the parent's tasks with ``run(path, func, args, kwargs)`` until it sends None.

    Each answer is ``("ok", result)`` or ``("error", exception)``; a ``MemoryError``
    (the allocation cap) sends ``("memory", cap)`` and ends the process.
    """
    conn.send("ready")
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        path, func, (args, kwargs) = task
        try:
            reply: tuple[str, Any] = ("ok", run(path, func, args, kwargs))
        except MemoryError:  # the allocation cap: this process is spent
            conn.send(("memory", float(memory_mb)))
            os._exit(1)
        except Exception as exc:  # noqa: BLE001  (sent back to the parent, which raises it for the caller)
            reply = ("error", _portable(exc))
        try:
            conn.send(reply)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            conn.send(("error", KgError(f"a worker process could not send its answer back: {exc}")))


def _portable(exc: Exception) -> Exception:
    """``exc`` if it survives a pickle round trip, else a :class:`KgError` with its message."""
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301  (an object of this process)
    except Exception:  # noqa: BLE001  (whatever fails to round-trip is replaced)
        return KgError(f"{type(exc).__name__}: {exc}")
    return exc
