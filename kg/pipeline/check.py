"""Whole-store operations: re-validating every article graph."""

from __future__ import annotations

import io

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.config import Settings
from kg.errors import StoreError
from kg.pipeline.local import Builder
from kg.store.graphs import KgStore, open_for_reading
from kg.validate.gate import ShaclReport, validate_graph

__all__ = ["article_graphs", "read_graph", "validate_store"]

_ARTICLE_GRAPHS = """
PREFIX kg: <https://w3id.org/osint-kg/ontology#>
SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g a kg:ArticleGraph } } ORDER BY ?g
"""


def article_graphs(store: KgStore) -> list[URIRef]:
    """The names of every article graph in the store."""
    return [URIRef(row["g"].value) for row in store.select(_ARTICLE_GRAPHS, union_default_graph=False)]


def read_graph(store: KgStore, name: URIRef) -> Graph:
    """One named graph of the store as an rdflib graph."""
    buffer = io.BytesIO()
    store.dump(buffer, ox.RdfFormat.N_TRIPLES, graph_name=name)
    return Graph().parse(data=buffer.getvalue().decode("utf-8"), format="nt")


def validate_store(settings: Settings) -> dict[str, ShaclReport]:
    """SHACL report of each article graph of the store, keyed by graph name."""
    builder = Builder(settings)  # its shapes and ontology; no models are loaded for this
    shapes, ontology = builder.shapes, builder.ontology
    with open_for_reading(settings.store) as store:
        names = article_graphs(store)
        if not names and len(store) == 0:
            raise StoreError(f"{settings.store}: the store is empty; run `kg ingest` first")
        return {str(name): validate_graph(read_graph(store, name), shapes, ontology) for name in names}
