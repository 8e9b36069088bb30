"""The whole flow for a batch of articles: read → extract → map → SHACL gate → store.

    report = build_graph([Path("examples/corpus")], settings)

Each article is handled on its own: one that cannot be read or fails SHACL is
reported and skipped, the others go on; whatever was stored before stays
intact, since each article graph is written in one transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal

from kg.config import Settings
from kg.errors import IngestError, KgError, ShapeViolation
from kg.extract import Extractor
from kg.ingest import Document, discover_sidecar, list_sources, read_file
from kg.iri import Minter
from kg.mapping import map_article
from kg.namespaces import KG
from kg.store import KgStore
from kg.validate import check_graph, load_shapes

__all__ = ["Builder", "IngestReport", "build_graph"]

KB_FILE = "kb.ttl"
ONTOLOGY_FILE = "osint-kg.ttl"


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
        for name, graph, label in ((self.minter.ontology_graph(), self.ontology, "osint-kg ontology"),
                                   (self.minter.kb_graph(), self.extractor.kb.graph, "osint-kg knowledge base")):
            copy = Graph() + graph
            copy.add((name, RDF.type, KG.ReferenceGraph))
            copy.add((name, RDFS.label, Literal(label)))
            store.put_graph(name, copy)

    def process(self, document: Document, store: KgStore, report: IngestReport) -> None:
        """Extract, validate and store one article, recording the outcome in ``report``."""
        fingerprint = self.fingerprint(document)
        graph_name = self.minter.graph(document.key)
        if store.article_hash(graph_name) == fingerprint:
            report.skipped.append(document.key)
            return
        extraction = self.extractor.extract(document)
        article = map_article(document, extraction, self.minter, fingerprint=fingerprint,
                              version=self.extractor.version, reliability=self.settings.reliability)
        try:
            check_graph(document.key, article.graph, self.shapes, self.ontology)
        except ShapeViolation as exc:
            report.rejected.append(Rejection(document.key, str(exc), exc.report_text))
            return
        store.put_graph(article.name, article.graph)
        report.loaded.append(document.key)


def build_graph(
    paths: Iterable[Path],
    settings: Settings,
    *,
    meta_file: Path | None = None,
    store: KgStore | None = None,
    progress: Callable[[str], None] | None = None,
) -> IngestReport:
    """Ingest every article under ``paths`` into the store of ``settings``."""
    paths = list(paths)
    report = IngestReport()
    sidecar = discover_sidecar(paths, meta_file)
    sources = list_sources(paths)
    builder = Builder(settings)
    own_store = store is None
    store = store or KgStore(settings.store)
    try:
        builder.load_reference_graphs(store)
        for path in sources:
            try:
                documents = read_file(path, sidecar)
            except IngestError as exc:
                report.failed.append(Rejection(str(path), exc.problem))
                documents = []
            for document in documents:
                try:
                    builder.process(document, store, report)
                except KgError as exc:
                    report.failed.append(Rejection(document.path, str(exc)))
            if progress is not None:
                progress(path.name)
    finally:
        if own_store:
            store.close()
    return report
