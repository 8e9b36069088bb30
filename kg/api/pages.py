"""What a resource's description and HTML page show, read from a store (run in a query worker).

:func:`view` is the task: the concise bounded description of an IRI (the triples
with it as subject or object, plus the ``rdfs:label`` of every IRI they mention)
and, for a page, the facts by source, evidence sentences, events and related
actors and places that :mod:`kg.api.resource_page` draws. Each list holds at
most ``max_rows`` items; the task says whether one was cut.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import islice
from typing import TypeVar

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS

from kg.api.resource_page import Neighbour, Page, Source, Statement
from kg.store.errors import evaluation_errors
from kg.store.graphs import KgStore
from kg.vocab.namespaces import KG, WD
from kg.vocab.prefixes import sparql_prefixes

__all__ = ["DESCRIPTION", "description", "gather_page", "view"]

_Term = ox.NamedNode | ox.Literal | ox.BlankNode
T = TypeVar("T")

_PREFIXES = sparql_prefixes("rdf", "rdfs", "owl", "kg", "sem", "schema", "prov")

DESCRIPTION = (
    _PREFIXES
    + """
CONSTRUCT { ?r ?p ?o . ?s ?q ?r . ?n rdfs:label ?l }
WHERE {
  { ?r ?p ?o }
  UNION { ?s ?q ?r }
  UNION { { ?r ?p1 ?n } UNION { ?n ?q1 ?r } FILTER(isIRI(?n)) ?n rdfs:label ?l }
}
"""
)

# pyoxigraph binds a SELECT variable only if it is projected, hence ?r in each projection.
_SOURCE = """
  OPTIONAL { GRAPH ?g { ?article a kg:Article }
             OPTIONAL { GRAPH ?g { ?article kg:fileName ?file } }
             OPTIONAL { GRAPH ?g { ?article schema:headline ?headline } } }
"""

FACTS = (
    _PREFIXES
    + """
SELECT ?r ?g ?p ?o (SAMPLE(?ol) AS ?label) (SAMPLE(?article) AS ?a) (SAMPLE(?file) AS ?f) (SAMPLE(?headline) AS ?h)
WHERE {
  GRAPH ?g { ?r ?p ?o }
  OPTIONAL { ?o rdfs:label ?ol }
"""
    + _SOURCE
    + """
}
GROUP BY ?r ?g ?p ?o ORDER BY ?g ?p ?o
"""
)

EVIDENCE = (
    _PREFIXES
    + """
SELECT DISTINCT ?r ?g ?text (SAMPLE(?article) AS ?a) (SAMPLE(?file) AS ?f) (SAMPLE(?headline) AS ?h)
WHERE {
  GRAPH ?g { { ?m kg:mentionOf ?r } UNION { ?m rdf:subject ?r } UNION { ?m rdf:object ?r }
             ?m kg:evidenceText ?text }
"""
    + _SOURCE
    + """
}
GROUP BY ?r ?g ?text ORDER BY ?g ?text
"""
)

EVENTS = (
    _PREFIXES
    + """
SELECT ?r ?e ?p (SAMPLE(?l) AS ?label) WHERE {
  VALUES ?p { kg:perpetrator kg:target kg:claimedBy kg:site sem:hasPlace kg:country }
  ?e ?p ?r ; a sem:Event .
  OPTIONAL { ?e rdfs:label ?l }
}
GROUP BY ?r ?e ?p ORDER BY ?e ?p
"""
)

NEIGHBOURS = (
    _PREFIXES
    + """
SELECT ?r ?x ?p ?out (SAMPLE(?l) AS ?label) WHERE {
  { ?r ?p ?x BIND(true AS ?out) } UNION { ?x ?p ?r BIND(false AS ?out) }
  FILTER(isIRI(?x) && ?p != rdf:type)
  FILTER NOT EXISTS { ?x a sem:Event }
  OPTIONAL { ?x rdfs:label ?l }
}
GROUP BY ?r ?x ?p ?out ORDER BY ?x ?p
"""
)


def view(
    store: KgStore, iri: ox.NamedNode, page_base: str | None, max_rows: int
) -> tuple[list[ox.Triple], Page | None, bool]:
    """The description of ``iri`` and, given the base (for an HTML page), what its page shows, each list at
    most ``max_rows`` long; and whether anything was left out (blocking)."""
    with evaluation_errors():
        triples, truncated = _capped(description(store, iri), max_rows)
    page = None
    if triples and page_base is not None:
        with evaluation_errors():
            page, page_truncated = gather_page(store, iri, triples, page_base, max_rows)
        truncated = truncated or page_truncated
    return triples, page, truncated


def description(store: KgStore, iri: ox.NamedNode) -> ox.QueryTriples:
    """The concise bounded description of ``iri`` over all graphs, evaluated as it is read (blocking)."""
    result = store.query(DESCRIPTION, substitutions={"r": iri})
    assert isinstance(result, ox.QueryTriples)
    return result


def _capped(items: Iterable[T], limit: int) -> tuple[list[T], bool]:
    """The first ``limit`` items, and whether there were more."""
    kept = list(islice(items, limit + 1))
    return kept[:limit], len(kept) > limit


def _rows(store: KgStore, query: str, iri: ox.NamedNode, limit: int) -> tuple[list[dict[str, _Term]], bool]:
    result = store.query(query, substitutions={"r": iri})
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    rows, truncated = _capped(result, limit)
    return [{n: row[n] for n in names if row[n] is not None} for row in rows], truncated


def _source(row: Mapping[str, _Term]) -> Source:
    article, file, headline = row.get("a"), row.get("f"), row.get("h")
    return Source(
        graph=row["g"].value,
        article=article.value if article else None,
        file_name=file.value if file else None,
        headline=headline.value if headline else None,
    )


def gather_page(
    store: KgStore, iri: ox.NamedNode, triples: list[ox.Triple], base: str, max_rows: int
) -> tuple[Page, bool]:
    """What the HTML page shows about ``iri``, read from the store, each list capped at ``max_rows``; and
    whether one was (blocking)."""
    own = [
        (t.predicate.value, t.object)
        for t in triples
        if t.subject == iri and isinstance(t.object, ox.NamedNode | ox.Literal)
    ]
    labels = [o for p, o in own if p == _RDFS_LABEL and isinstance(o, ox.Literal)]
    label = _preferred(labels) or iri.value.rstrip("/").rsplit("/", 1)[-1]
    types = sorted({o.value for p, o in own if p == _RDF_TYPE})
    wikidata = sorted(
        {_WD + o.value for p, o in own if p == _KG_WIKIDATA}
        | {o.value for p, o in own if p == _OWL_SAMEAS and o.value.startswith(_WD)}
    )
    fact_rows, cut_facts = _rows(store, FACTS, iri, max_rows)
    evidence_rows, cut_evidence = _rows(store, EVIDENCE, iri, max_rows)
    event_rows, cut_events = _rows(store, EVENTS, iri, max_rows)
    neighbour_rows, cut_related = _rows(store, NEIGHBOURS, iri, max_rows)
    facts = [
        Statement(_source(row), row["p"].value, row["o"], row["label"].value if "label" in row else None)
        for row in fact_rows
    ]
    evidence = [(row["text"].value, _source(row)) for row in evidence_rows]
    events = [Neighbour(row["e"].value, _label(row, row["e"]), row["p"].value, outgoing=False) for row in event_rows]
    related = [
        Neighbour(row["x"].value, _label(row, row["x"]), row["p"].value, outgoing=row["out"].value == "true")
        for row in neighbour_rows
        if _is_entity(row["x"].value, base)
    ]
    page = Page(
        iri=iri.value,
        label=label,
        types=types,
        wikidata=wikidata,
        facts=facts,
        evidence=evidence,
        events=events,
        related=related,
    )
    return page, cut_facts or cut_evidence or cut_events or cut_related


def _label(row: Mapping[str, _Term], node: _Term) -> str:
    return row["label"].value if "label" in row else node.value.rstrip("/").rsplit("/", 1)[-1]


def _is_entity(iri: str, base: str) -> bool:
    """Actors and places: the other ends of relations worth listing (not mentions, articles, claims...)."""
    return iri.startswith((base + "actor/", base + "place/"))


def _preferred(labels: list[ox.Literal]) -> str | None:
    """An English or language-less label if there is one, else any; stable order."""
    if not labels:
        return None
    ranked = sorted(labels, key=lambda lit: (lit.language not in (None, "en"), lit.value))
    return ranked[0].value


_RDF_TYPE = str(RDF.type)
_RDFS_LABEL = str(RDFS.label)
_OWL_SAMEAS = str(OWL.sameAs)
_KG_WIKIDATA = str(KG.wikidataId)
_WD = str(WD)
