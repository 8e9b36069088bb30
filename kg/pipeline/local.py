"""The whole flow for a batch of articles: read → extract → map → SHACL gate → store.

    report = build_graph([Path("examples/corpus")], settings)

Each article is handled on its own: one that cannot be read or fails SHACL is
reported and skipped, the others go on; whatever was stored before stays
intact, since each article graph is written in one transaction.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from kg.config import Settings
from kg.errors import ExtractionError, IngestError, KgError, ShapeViolation
from kg.extract import Extractor
from kg.ingest.readers import Document, discover_sidecar, list_sources, read_file
from kg.rdf.mapping import map_article
from kg.store.graphs import KgStore
from kg.validate.gate import check_graph, load_shapes
from kg.vocab.iri import Minter
from kg.vocab.namespaces import KG

__all__ = ["Builder", "IngestReport", "Prepared", "build_graph", "default_workers", "ingest_documents", "read_all"]

KB_FILE = "kb.ttl"
ONTOLOGY_FILE = "osint-kg.ttl"
# By default a helper process is started only for every DOCS_PER_PROCESS articles to prepare: loading its
# models takes about as long as preparing 20 articles. Each process holds its own models (about 0.5 GiB).
DOCS_PER_PROCESS = 32
MAX_DEFAULT_PROCESSES = 8
# Documents each helper has queued: AHEAD while this process works, HEAD_START at first, while this process
# loads its models (seconds) and cannot hand out more.
AHEAD, HEAD_START = 4, 16


@dataclass
class Rejection:
    """An article that was not loaded, and why."""

    file: str
    reason: str
    report: str | None = None


@dataclass
class IngestReport:
    """The outcome of an ingest run."""

    loaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    failed: list[Rejection] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.failed


class Builder:
    """Holds the loaded models, shapes and KB across the articles of a run."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.minter = Minter(settings.base_iri)
        self.extractor = Extractor(settings.ontology_dir / KB_FILE, settings.base_iri)

    @cached_property
    def shapes(self) -> Graph:
        return load_shapes(self.settings.shapes_dir)

    @cached_property
    def ontology(self) -> Graph:
        return Graph().parse(self.settings.ontology_dir / ONTOLOGY_FILE, format="turtle")

    def fingerprint(self, document: Document) -> str:
        """Changes when the article, its metadata, the extractor or the base IRI change."""
        payload = "\n".join((document.content_hash, self.extractor.version, self.settings.base_iri))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def load_reference_graphs(self, store: KgStore) -> None:
        """The ontology and the knowledge base, each in its own named graph."""
        for name, graph, label in (
            (self.minter.ontology_graph(), self.ontology, "osint-kg ontology"),
            (self.minter.kb_graph(), self.extractor.kb.graph, "osint-kg knowledge base"),
        ):
            copy = Graph() + graph
            copy.add((name, RDF.type, KG.ReferenceGraph))
            copy.add((name, RDFS.label, Literal(label)))
            store.put_graph(name, copy)

    def is_unchanged(self, document: Document, store: KgStore) -> bool:
        """True when the store already holds this article as it is now."""
        return store.article_hash(self.minter.graph(document.key)) == self.fingerprint(document)

    def prepare(self, document: Document) -> Prepared:
        """Extract, map and validate one article; the result is what the store needs, or why not."""
        try:
            extraction = self.extractor.extract(document)
            article = map_article(
                document,
                extraction,
                self.minter,
                fingerprint=self.fingerprint(document),
                version=self.extractor.version,
                reliability=self.settings.reliability,
            )
            check_graph(document.key, article.graph, self.shapes, self.ontology)
        except ShapeViolation as exc:
            return Prepared(document.key, None, None, rejected=Rejection(document.key, str(exc), exc.report_text))
        except KgError as exc:
            return Prepared(document.key, None, None, failed=Rejection(document.path, str(exc)))
        return Prepared(document.key, str(article.name), article.graph.serialize(format="nt", encoding="utf-8"))


@dataclass(frozen=True)
class Prepared:
    """One article made ready for the store (N-Triples of its graph), or the reason it is not."""

    key: str
    graph_name: str | None
    ntriples: bytes | None
    rejected: Rejection | None = None
    failed: Rejection | None = None

    def record(self, store: KgStore, report: IngestReport) -> None:
        """Write the graph (one transaction) and note the outcome."""
        if self.rejected is not None:
            report.rejected.append(self.rejected)
        elif self.failed is not None:
            report.failed.append(self.failed)
        else:
            assert self.graph_name is not None and self.ntriples is not None
            store.put_ntriples(URIRef(self.graph_name), self.ntriples)
            report.loaded.append(self.key)


_WORKER: Builder | None = None


def _start_worker(settings: Settings) -> None:
    global _WORKER  # noqa: PLW0603  (one Builder per helper process, made by the pool's initializer)
    _WORKER = Builder(settings)


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
    builder = Builder(settings)
    own_store = store is None
    store = store or KgStore(settings.store, snapshot_interval_s=settings.snapshot_interval_s)
    try:
        builder.load_reference_graphs(store)
        todo = []
        for document in documents:
            if builder.is_unchanged(document, store):
                report.skipped.append(document.key)
            else:
                todo.append(document)
        done = len(report.skipped)
        processes = default_workers(len(todo)) if workers is None else workers
        for prepared in _prepared(builder, todo, settings, processes):
            prepared.record(store, report)
            done += 1
            if progress is not None:
                progress(done, len(documents), prepared.key)
    finally:
        if own_store:
            store.close()
    return report


def _prepared(builder: Builder, documents: list[Document], settings: Settings, processes: int) -> Iterator[Prepared]:
    """Each document prepared, by this process and ``processes - 1`` helpers, in the order they are ready."""
    if processes <= 1 or len(documents) < 2:
        yield from (builder.prepare(d) for d in documents)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=processes - 1, mp_context=context, initializer=_start_worker, initargs=(settings,)
    ) as pool:
        yield from _shared(builder, pool, documents, helpers=processes - 1)


def _shared(builder: Builder, pool: Executor, documents: list[Document], helpers: int) -> Iterator[Prepared]:
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
            builder.extractor.pipeline(language)
    while mine or preferred or anyone or in_flight:
        done = [f for f in in_flight if f.done()]
        in_flight.difference_update(done)
        hand_out(AHEAD)  # before this process writes what is done and prepares its next document
        yield from (future.result() for future in done)
        if queue := mine or preferred or anyone:
            yield builder.prepare(queue.popleft())
        elif in_flight:
            wait(in_flight, return_when=FIRST_COMPLETED)
