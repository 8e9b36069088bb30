"""The whole flow for a batch of articles: read → extract → map → SHACL gate → store.

    report = build_graph([Path("examples/corpus")], settings)

Each article is handled on its own: one that cannot be read or fails SHACL is
reported and skipped, the others go on; whatever was stored before stays
intact, since each article graph is written in one transaction.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import suppress
from pathlib import Path

from kg.config import Settings
from kg.errors import ExtractionError, IngestError
from kg.extract import Extractor
from kg.ingest.readers import Document, discover_sidecar, list_sources, read_file
from kg.pipeline.prepare import (
    ArticlePreparer,
    IngestReport,
    Prepared,
    Rejection,
    record,
    split_unchanged,
    store_reference_graphs,
)
from kg.store.graphs import KgStore

__all__ = ["build_graph", "default_workers", "ingest_documents", "read_all"]

# By default a helper process is started only for every DOCS_PER_PROCESS articles to prepare: loading its
# models takes about as long as preparing 20 articles. Each process holds its own models (about 0.5 GiB).
DOCS_PER_PROCESS = 32
MAX_DEFAULT_PROCESSES = 8
# Documents each helper has queued: AHEAD while this process works, HEAD_START at first, while this process
# loads its models (seconds) and cannot hand out more.
AHEAD, HEAD_START = 4, 16


_WORKER: ArticlePreparer | None = None


def _start_worker(settings: Settings) -> None:
    global _WORKER  # noqa: PLW0603  (one preparer per helper process, made by the pool's initializer)
    _WORKER = ArticlePreparer(settings)


def _prepare_in_worker(document: Document) -> Prepared:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.prepare(document)


def default_workers(articles: int) -> int:
    """Processes for ``articles`` to prepare: one per usable CPU core, at most one per ``DOCS_PER_PROCESS``."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_PROCESSES, articles // DOCS_PER_PROCESS))


def read_all(paths: list[Path], meta_file: Path | None, report: IngestReport) -> list[Document]:
    """Every readable document; unreadable files go to ``report.failed``."""
    sidecar = discover_sidecar(paths, meta_file)
    documents: list[Document] = []
    for path in list_sources(paths):
        try:
            documents.extend(read_file(path, sidecar))
        except IngestError as exc:
            report.failed.append(Rejection(str(path), exc.problem))
    return documents


def build_graph(
    paths: Iterable[Path],
    settings: Settings,
    *,
    meta_file: Path | None = None,
    store: KgStore | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    workers: int | None = None,
) -> IngestReport:
    """Ingest every article under ``paths`` into the store of ``settings``.

    ``workers`` processes extract, map and validate, this one included; it also writes every graph to the
    store, the only process that opens it. None: :func:`default_workers` of the articles to prepare.
    """
    report = IngestReport()
    documents = read_all(list(paths), meta_file, report)
    return ingest_documents(documents, settings, report=report, store=store, progress=progress, workers=workers)


def ingest_documents(
    documents: list[Document],
    settings: Settings,
    *,
    report: IngestReport | None = None,
    store: KgStore | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    workers: int | None = None,
) -> IngestReport:
    """Ingest documents already read (see :func:`build_graph`)."""
    report = report or IngestReport()
    preparer = ArticlePreparer(settings)
    own_store = store is None
    store = store or KgStore(settings.store, snapshot_interval_s=settings.snapshot_interval_s)
    try:
        store_reference_graphs(preparer, store)
        todo = split_unchanged(documents, preparer, store, report)
        done = len(report.skipped)
        processes = default_workers(len(todo)) if workers is None else workers
        for prepared in _prepared(preparer, todo, settings, processes):
            record(prepared, store, report)
            done += 1
            if progress is not None:
                progress(done, len(documents), prepared.key)
    finally:
        if own_store:
            store.close()
    return report


def _prepared(
    preparer: ArticlePreparer, documents: list[Document], settings: Settings, processes: int
) -> Iterator[Prepared]:
    """Each document prepared, by this process and ``processes - 1`` helpers, in the order they are ready."""
    if processes <= 1 or len(documents) < 2:
        yield from (preparer.prepare(d) for d in documents)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=processes - 1, mp_context=context, initializer=_start_worker, initargs=(settings,)
    ) as pool:
        yield from _prepare_together(preparer, pool, documents, helpers=processes - 1)


def _prepare_together(
    preparer: ArticlePreparer, pool: Executor, documents: list[Document], helpers: int
) -> Iterator[Prepared]:
    """This process and the pool's helpers prepare the documents between them.

    The helpers have ``AHEAD`` documents each queued, ``HEAD_START`` at first while this process loads its
    models. This process takes the next document whenever it is free: first those only it may take, then
    those it should take, then any. Only it takes documents whose key occurs more than once, in input
    order, so the later one is stored as in one process. It should take those that need a model besides
    English (French: the helpers then need not load it, seconds each); the helpers take them too, from the
    end, once nothing else is left and enough of them wait.
    """
    repeated = {key for key, n in Counter(d.key for d in documents).items() if n > 1}
    mine: deque[Document] = deque()
    preferred: deque[Document] = deque()
    anyone: deque[Document] = deque()
    for d in documents:
        (mine if d.key in repeated else anyone if set(Extractor.languages(d)) <= {"en"} else preferred).append(d)
    in_flight: set[Future[Prepared]] = set()

    def hand_out(queued: int) -> None:
        while len(in_flight) < queued * helpers and (anyone or len(preferred) > DOCS_PER_PROCESS):
            in_flight.add(pool.submit(_prepare_in_worker, anyone.popleft() if anyone else preferred.pop()))

    hand_out(HEAD_START)
    for language in sorted({lang for d in documents for lang in Extractor.languages(d)}):
        with suppress(ExtractionError):  # a model that is missing fails each document that needs it, as usual
            preparer.extractor.pipeline(language)
    while mine or preferred or anyone or in_flight:
        done = [f for f in in_flight if f.done()]
        in_flight.difference_update(done)
        hand_out(AHEAD)  # before this process writes what is done and prepares its next document
        yield from (future.result() for future in done)
        if queue := mine or preferred or anyone:
            yield preparer.prepare(queue.popleft())
        elif in_flight:
            wait(in_flight, return_when=FIRST_COMPLETED)
