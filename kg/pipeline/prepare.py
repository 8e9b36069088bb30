"""One article made ready for the store, and what every way of ingesting shares.

    preparer = ArticlePreparer(settings)       # loads the models, shapes and KB once
    prepared = preparer.prepare(document)      # extract → map → SHACL gate, no store involved
    record(prepared, store, report)            # the graph in one transaction, the outcome noted

:func:`split_unchanged` is the one skip-unchanged loop of the local and the
Dask ingest.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from kg.config import Settings
from kg.errors import KgError, ShapeViolation
from kg.extract import Extractor
from kg.ingest.readers import Document
from kg.rdf.mapping import map_article
from kg.store.graphs import KgStore
from kg.validate.gate import check_graph, load_ontology, load_shapes
from kg.vocab.iri import Minter
from kg.vocab.namespaces import KG

__all__ = ["ArticlePreparer", "IngestReport", "Prepared", "Rejection", "record", "split_unchanged"]

KB_FILE = "kb.ttl"


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


@dataclass(frozen=True)
class Prepared:
    """One article made ready for the store (N-Triples of its graph), or the reason it is not."""

    key: str
    graph_name: str | None
    ntriples: bytes | None
    rejected: Rejection | None = None
    failed: Rejection | None = None


class ArticlePreparer:
    """What one run needs to prepare articles: the extractor (its models loaded once), the shapes, the ontology."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.minter = Minter(settings.base_iri)
        self.extractor = Extractor(settings.ontology_dir / KB_FILE, settings.base_iri)

    @cached_property
    def shapes(self) -> Graph:
        return load_shapes(self.settings.shapes_dir)

    @cached_property
    def ontology(self) -> Graph:
        return load_ontology(self.settings.ontology_dir)

    def fingerprint(self, document: Document) -> str:
        """Changes when the article, its metadata, the extractor or the base IRI change."""
        payload = "\n".join((document.content_hash, self.extractor.version, self.settings.base_iri))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

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


def store_reference_graphs(preparer: ArticlePreparer, store: KgStore) -> None:
    """The ontology and the knowledge base, each in its own named graph."""
    for name, graph, label in (
        (preparer.minter.ontology_graph(), preparer.ontology, "osint-kg ontology"),
        (preparer.minter.kb_graph(), preparer.extractor.kb.graph, "osint-kg knowledge base"),
    ):
        copy = Graph() + graph
        copy.add((name, RDF.type, KG.ReferenceGraph))
        copy.add((name, RDFS.label, Literal(label)))
        store.put_graph(name, copy)


def split_unchanged(
    documents: list[Document], preparer: ArticlePreparer, store: KgStore, report: IngestReport
) -> list[Document]:
    """The documents to prepare; those the store already holds as they are now go to ``report.skipped``."""
    todo = []
    for document in documents:
        if store.article_hash(preparer.minter.graph(document.key)) == preparer.fingerprint(document):
            report.skipped.append(document.key)
        else:
            todo.append(document)
    return todo


def record(prepared: Prepared, store: KgStore, report: IngestReport) -> None:
    """Write the graph of ``prepared`` (one transaction), or note why there is none."""
    if prepared.rejected is not None:
        report.rejected.append(prepared.rejected)
    elif prepared.failed is not None:
        report.failed.append(prepared.failed)
    else:
        assert prepared.graph_name is not None and prepared.ntriples is not None
        store.put_ntriples(URIRef(prepared.graph_name), prepared.ntriples)
        report.loaded.append(prepared.key)
