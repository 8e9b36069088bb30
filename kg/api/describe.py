"""The endpoint describing itself: a SPARQL Service Description and a VoID description.

Both are built as pyoxigraph triples from vocabulary terms (never from text) and
written with pyoxigraph's serializers in a negotiated RDF syntax.

The VoID figures are computed by SPARQL over the whole store: the store's real
default graph plus every named graph, a triple found in several graphs counted
once. ``void:entities`` counts the distinct IRIs in subject position;
``void:classes`` the distinct objects of ``rdf:type``. Each named graph is a
``void:subset`` (the graph's own IRI) with its triple count, and the
``owl:sameAs`` links into Wikidata form a ``void:Linkset``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from fastapi import HTTPException
from rdflib import DCTERMS, FOAF, OWL, RDF, RDFS, VOID, XSD, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from kg.api.negotiation import FORMATS, Format, pick_format
from kg.api.results import RDF_FORMATS
from kg.store.graphs import KgStore, to_ox
from kg.vocab.namespaces import WD

__all__ = ["SD", "VoidFigures", "negotiated_rdf", "service_description", "void_description", "void_figures"]


class SD(DefinedNamespace):
    """The SPARQL 1.1 Service Description vocabulary (the terms used here)."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/sparql-service-description#")

    BasicFederatedQuery: URIRef
    Dataset: URIRef
    Graph: URIRef
    NamedGraph: URIRef
    SPARQL11Query: URIRef
    Service: URIRef
    UnionDefaultGraph: URIRef
    defaultDataset: URIRef
    defaultGraph: URIRef
    endpoint: URIRef
    feature: URIRef
    name: URIRef
    namedGraph: URIRef
    resultFormat: URIRef
    supportedLanguage: URIRef


FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
_FORMAT_IRIS = {
    "json": FORMATS_NS.SPARQL_Results_JSON,
    "xml": FORMATS_NS.SPARQL_Results_XML,
    "csv": FORMATS_NS.SPARQL_Results_CSV,
    "tsv": FORMATS_NS.SPARQL_Results_TSV,
    "turtle": FORMATS_NS.Turtle,
    "ntriples": FORMATS_NS["N-Triples"],
    "jsonld": FORMATS_NS["JSON-LD"],
    "rdfxml": FORMATS_NS.RDF_XML,
}
_PREFIXES = {
    "sd": str(SD),
    "void": str(VOID),
    "owl": str(OWL),
    "rdfs": str(RDFS),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "formats": str(FORMATS_NS),
    "xsd": str(XSD),
}
MAX_LISTED_GRAPHS = 1000
"""The service description lists named graphs up to this many; past it, it only counts them."""

WIKIDATA_ENDPOINT = URIRef("https://query.wikidata.org/sparql")

_Node = ox.NamedNode | ox.BlankNode
_Object = ox.NamedNode | ox.BlankNode | ox.Literal


def _iri(term: URIRef | str) -> ox.NamedNode:
    return to_ox(URIRef(term))


def _count(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=_iri(XSD.integer))


def _t(s: _Node, p: URIRef, o: _Object | URIRef) -> ox.Triple:
    return ox.Triple(s, _iri(p), o if isinstance(o, ox.NamedNode | ox.BlankNode | ox.Literal) else _iri(o))


def service_description(
    endpoint: str, dataset: str, void_document: str, graphs: list[str], *, union: bool, federated: bool
) -> list[ox.Triple]:
    """An ``sd:Service`` at ``endpoint``, its default dataset ``dataset`` (described at ``void_document``)."""
    service, ds, default_graph = ox.BlankNode(), _iri(dataset), ox.BlankNode()
    triples = [
        _t(service, RDF.type, SD.Service),
        _t(service, SD.endpoint, _iri(endpoint)),
        _t(service, SD.supportedLanguage, SD.SPARQL11Query),
        _t(service, SD.defaultDataset, ds),
        _t(ds, RDF.type, SD.Dataset),
        _t(ds, RDF.type, VOID.Dataset),
        _t(ds, RDFS.seeAlso, _iri(void_document)),
        _t(ds, SD.defaultGraph, default_graph),
        _t(default_graph, RDF.type, SD.Graph),
    ]
    served = {fmt.name: fmt for kind in FORMATS.values() for fmt in kind}
    triples += [_t(service, SD.resultFormat, _FORMAT_IRIS[name]) for name in served]
    if union:
        triples.append(_t(service, SD.feature, SD.UnionDefaultGraph))
    if federated:
        triples.append(_t(service, SD.feature, SD.BasicFederatedQuery))
    if len(graphs) > MAX_LISTED_GRAPHS:
        note = f"{len(graphs)} named graphs; the VoID description lists them"
        return [*triples, _t(ds, RDFS.comment, ox.Literal(note))]
    for graph in graphs:
        named = ox.BlankNode()
        triples += [_t(ds, SD.namedGraph, named), _t(named, RDF.type, SD.NamedGraph), _t(named, SD.name, _iri(graph))]
    return triples


_ALL = "{ { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
_TOTALS = f"""
SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties)
       (COUNT(DISTINCT ?o) AS ?objects)
WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {_ALL} }}
"""
_ENTITIES = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {_ALL} FILTER isIRI(?s) }}"
_CLASSES = """
SELECT DISTINCT ?class WHERE {
  { ?s a ?class } UNION { GRAPH ?g { ?s a ?class } }
}
"""
_PROPERTIES = f"SELECT DISTINCT ?p WHERE {_ALL}"
_GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
_LINKS = """
SELECT DISTINCT ?s ?link ?o ?space WHERE {
  { ?s ?link ?o } UNION { GRAPH ?g { ?s ?link ?o } }
  FILTER STRSTARTS(STR(?o), STR(?space))
}
"""


@dataclass(frozen=True)
class VoidFigures:
    """The statistics of a store that its VoID description states."""

    triples: int
    entities: int
    classes: int
    properties: int
    distinct_subjects: int
    distinct_objects: int
    graph_triples: dict[str, int]
    wikidata_links: int
    vocabularies: tuple[str, ...]


def _number(store: KgStore, query: str, var: str = "n", **kwargs: object) -> int:
    rows = store.select(query, union_default_graph=False, **kwargs)
    term = rows[0].get(var) if rows else None
    return int(term.value) if term is not None else 0


def _namespace(iri: str) -> str:
    """The vocabulary of a term: its IRI up to the last ``#`` or ``/``."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut > 0 else iri


def void_figures(store: KgStore) -> VoidFigures:
    """Count what the VoID description states, by SPARQL over the whole store (blocking)."""
    totals = store.select(_TOTALS, union_default_graph=False)[0]
    classes = [row["class"].value for row in store.select(_CLASSES, union_default_graph=False) if "class" in row]
    properties = [row["p"].value for row in store.select(_PROPERTIES, union_default_graph=False)]
    sizes = {row["g"].value: int(row["n"].value) for row in store.select(_GRAPH_SIZES, union_default_graph=False)}
    links = store.select(
        _LINKS, union_default_graph=False, substitutions={"link": _iri(OWL.sameAs), "space": ox.Literal(str(WD))}
    )
    vocabularies = {_namespace(term) for term in [*classes, *properties]}
    return VoidFigures(
        triples=int(totals["triples"].value),
        entities=_number(store, _ENTITIES),
        classes=len(classes),
        properties=int(totals["properties"].value),
        distinct_subjects=int(totals["subjects"].value),
        distinct_objects=int(totals["objects"].value),
        graph_triples=sizes,
        wikidata_links=len(links),
        vocabularies=tuple(sorted(vocabularies)),
    )


def void_description(figures: VoidFigures, document: str, endpoint: str, uri_space: str) -> list[ox.Triple]:
    """The VoID document at ``document``: the dataset ``document#dataset`` and its Wikidata linkset."""
    doc = _iri(document)
    dataset, linkset, wikidata = (_iri(f"{document}#{frag}") for frag in ("dataset", "wikidata-links", "wikidata"))
    triples = [
        _t(doc, RDF.type, VOID.DatasetDescription),
        _t(doc, FOAF.primaryTopic, dataset),
        _t(dataset, RDF.type, VOID.Dataset),
        _t(dataset, DCTERMS.title, ox.Literal("osint-kg knowledge graph", language="en")),
        _t(dataset, VOID.sparqlEndpoint, _iri(endpoint)),
        _t(dataset, VOID.uriSpace, ox.Literal(uri_space)),
        _t(dataset, VOID.triples, _count(figures.triples)),
        _t(dataset, VOID.entities, _count(figures.entities)),
        _t(dataset, VOID.classes, _count(figures.classes)),
        _t(dataset, VOID.properties, _count(figures.properties)),
        _t(dataset, VOID.distinctSubjects, _count(figures.distinct_subjects)),
        _t(dataset, VOID.distinctObjects, _count(figures.distinct_objects)),
    ]
    triples += [_t(dataset, VOID.vocabulary, _iri(vocab)) for vocab in figures.vocabularies]
    for graph, size in figures.graph_triples.items():
        subset = _iri(graph)
        triples += [
            _t(dataset, VOID.subset, subset),
            _t(subset, RDF.type, VOID.Dataset),
            _t(subset, VOID.triples, _count(size)),
        ]
    triples += [
        _t(dataset, VOID.subset, linkset),
        _t(linkset, RDF.type, VOID.Linkset),
        _t(linkset, VOID.linkPredicate, OWL.sameAs),
        _t(linkset, VOID.subjectsTarget, dataset),
        _t(linkset, VOID.objectsTarget, wikidata),
        _t(linkset, VOID.triples, _count(figures.wikidata_links)),
        _t(wikidata, RDF.type, VOID.Dataset),
        _t(wikidata, DCTERMS.title, ox.Literal("Wikidata", language="en")),
        _t(wikidata, FOAF.homepage, _iri("https://www.wikidata.org/")),
        _t(wikidata, VOID.sparqlEndpoint, _iri(WIKIDATA_ENDPOINT)),
        _t(wikidata, VOID.uriSpace, ox.Literal(str(WD))),
    ]
    return triples


def negotiated_rdf(
    triples: Iterable[ox.Triple], accept: str | None, override: str | None = None
) -> tuple[bytes, Format]:
    """``triples`` written in the RDF syntax the client asks for; 406 if it accepts none."""
    fmt = pick_format("graph", accept, override)
    if fmt is None:
        offered = ", ".join(f.media_type for f in FORMATS["graph"])
        raise HTTPException(406, f"this resource is available as: {offered}")
    body = ox.serialize(list(triples), format=RDF_FORMATS[fmt.name], prefixes=_PREFIXES)
    assert body is not None
    return body, fmt
