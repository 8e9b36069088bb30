"""Exports: RDF dumps of the store, and the facts JSON read back from it by SPARQL.

:func:`export_store` writes any format of ``kg export``; the STIX 2.1 bundle
(:mod:`kg.export.stix`), the ACLED-style CSV (:mod:`kg.export.acled`) and the JSON-LD
compacted with osint-kg's context (:mod:`kg.export.jsonld`) have their own modules.

The facts export is the shape of ``../shared/eval/FORMAT.md``: one record per
ingested article, keyed by its file name, with the entities it mentions (and their names in the knowledge base), the
events it reports (with the IRI shared by every article reporting the same
event) and the relations it states. It is read from the store, never from
the extractor's memory.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kg.store.graphs import KgStore

__all__ = ["EXPORT_FORMATS", "RdfExportFormat", "export_facts", "export_rdf", "export_store", "facts"]

_PREFIXES = """
PREFIX kg: <https://w3id.org/osint-kg/ontology#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
_ARTICLE = "?g a kg:ArticleGraph ; prov:wasDerivedFrom ?a . ?a kg:fileName ?file ."

Q_DOCUMENTS = _PREFIXES + f"SELECT ?file WHERE {{ GRAPH ?g {{ {_ARTICLE} }} }} ORDER BY ?file"
Q_ENTITIES = (
    _PREFIXES
    + f"""
SELECT ?file ?e ?label ?type ?wd ?form WHERE {{ GRAPH ?g {{ {_ARTICLE}
    ?m a kg:Mention ; kg:mentionOf ?e ; kg:surfaceForm ?form .
    ?e rdfs:label ?label ; a ?type . FILTER (STRSTARTS(STR(?type), STR(kg:)))
    OPTIONAL {{ ?e kg:wikidataId ?wd }} }} }}"""
)
Q_ALIASES = (
    _PREFIXES
    + """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?e ?alias WHERE { GRAPH ?g { ?g a kg:ReferenceGraph . ?e skos:prefLabel|skos:altLabel ?alias } }"""
)
Q_EVENTS = (
    _PREFIXES
    + f"""
SELECT ?file ?ev ?type ?date ?place ?country WHERE {{ GRAPH ?g {{ {_ARTICLE}
    ?ev a sem:Event ; sem:eventType ?type ; sem:hasTimeStamp ?date .
    OPTIONAL {{ ?ev sem:hasPlace/rdfs:label ?place }} OPTIONAL {{ ?ev kg:country/rdfs:label ?country }} }} }}"""
)
Q_ROLES = (
    _PREFIXES
    + f"""
SELECT ?file ?ev ?role ?label WHERE {{ GRAPH ?g {{ {_ARTICLE}
    ?ev a sem:Event ; ?role ?x . ?x rdfs:label ?label .
    FILTER (?role IN (kg:site, kg:perpetrator, kg:target, kg:claimedBy)) }} }}"""
)
Q_FIGURES = (
    _PREFIXES
    + f"""
SELECT ?file ?ev ?f ?kind ?count ?who ?source ?sourceText WHERE {{ GRAPH ?g {{ {_ARTICLE}
    ?f a kg:CasualtyFigure ; kg:figureFor ?ev ; kg:casualtyKind ?kind ; kg:count ?count .
    OPTIONAL {{ ?f kg:victimDescription ?who }} OPTIONAL {{ ?f prov:wasAttributedTo/rdfs:label ?source }}
    OPTIONAL {{ ?f kg:sourceDescription ?sourceText }} }} }}"""
)
Q_SOURCES = _PREFIXES + f"SELECT DISTINCT ?ev ?file WHERE {{ GRAPH ?g {{ {_ARTICLE} ?ev a sem:Event }} }}"
Q_RELATIONS = (
    _PREFIXES
    + f"""
SELECT DISTINCT ?file ?subject ?predicate ?object WHERE {{ GRAPH ?g {{ {_ARTICLE}
    ?r a kg:RelationAssertion ; rdf:subject/rdfs:label ?subject ; rdf:predicate ?predicate ;
       rdf:object/rdfs:label ?object }} }}"""
)

_TYPE_NAMES = {"OtherActor": "Other", "OtherPlace": "Other"}


class RdfExportFormat(str, Enum):
    """RDF serializations of ``kg export``."""

    TURTLE = "turtle"
    TRIG = "trig"
    NQUADS = "nquads"
    JSONLD = "jsonld"

    @property
    def oxigraph(self) -> ox.RdfFormat:
        return {
            "turtle": ox.RdfFormat.TURTLE,
            "trig": ox.RdfFormat.TRIG,
            "nquads": ox.RdfFormat.N_QUADS,
            "jsonld": ox.RdfFormat.JSON_LD,
        }[self.value]


def _local(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> str:
    value = term.value
    return value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _rows(store: KgStore, query: str) -> Iterable[dict[str, Any]]:
    for row in store.select(query, union_default_graph=False):
        yield {k: v.value for k, v in row.items()}


def facts(store: KgStore) -> dict[str, Any]:
    """The facts export of every article in the store."""
    documents: dict[str, dict[str, Any]] = {
        r["file"]: {"file": r["file"], "entities": {}, "events": {}, "relations": []} for r in _rows(store, Q_DOCUMENTS)
    }
    for row in store.select(Q_ENTITIES, union_default_graph=False):
        doc = documents[row["file"].value]
        ent = doc["entities"].setdefault(
            row["e"].value,
            {
                "id": row["e"].value,
                "name": row["label"].value,
                "type": _TYPE_NAMES.get(_local(row["type"]), _local(row["type"])),
                "mentions": [],
                "wikidata": row["wd"].value if "wd" in row else None,
            },
        )
        if row["form"].value not in ent["mentions"]:
            ent["mentions"].append(row["form"].value)
    aliases: dict[str, set[str]] = defaultdict(set)
    for r in _rows(store, Q_ALIASES):
        aliases[r["e"]].add(r["alias"])
    for doc in documents.values():
        for ent in doc["entities"].values():
            ent["aliases"] = sorted(aliases.get(ent["id"], set()) - {ent["name"]})
    sources: dict[str, set[str]] = defaultdict(set)
    for r in _rows(store, Q_SOURCES):
        sources[r["ev"]].add(r["file"])
    for r in _rows(store, Q_EVENTS):
        documents[r["file"]]["events"][r["ev"]] = {
            "id": r["ev"],
            "type": _local(ox.NamedNode(r["type"])),
            "date": r["date"],
            "place": r.get("place"),
            "country": r.get("country"),
            "sites": [],
            "perpetrators": [],
            "targets": [],
            "claimed_by": [],
            "casualties": [],
            "sources": sorted(sources[r["ev"]]),
        }
    slot = {"site": "sites", "perpetrator": "perpetrators", "target": "targets", "claimedBy": "claimed_by"}
    for r in _rows(store, Q_ROLES):
        event = documents[r["file"]]["events"].get(r["ev"])
        if event is not None and r["label"] not in event[slot[_local(ox.NamedNode(r["role"]))]]:
            event[slot[_local(ox.NamedNode(r["role"]))]].append(r["label"])
    for r in sorted(_rows(store, Q_FIGURES), key=lambda r: r["f"]):
        event = documents[r["file"]]["events"].get(r["ev"])
        if event is not None:
            event["casualties"].append(
                {
                    "kind": _local(ox.NamedNode(r["kind"])),
                    "count": int(r["count"]),
                    "who": r.get("who"),
                    "according_to": r.get("source") or r.get("sourceText"),
                }
            )
    for r in _rows(store, Q_RELATIONS):
        documents[r["file"]]["relations"].append(
            {"subject": r["subject"], "predicate": _local(ox.NamedNode(r["predicate"])), "object": r["object"]}
        )
    out = []
    for doc in documents.values():
        doc["entities"] = sorted(doc["entities"].values(), key=lambda e: e["id"])
        doc["events"] = sorted(doc["events"].values(), key=lambda e: e["id"])
        doc["relations"].sort(key=lambda r: (r["subject"], r["predicate"], r["object"]))
        out.append(doc)
    return {"documents": sorted(out, key=lambda d: d["file"])}


def export_facts(store: KgStore, output: IO[bytes]) -> None:
    output.write(json.dumps(facts(store), ensure_ascii=False, indent=1).encode("utf-8"))


def export_rdf(store: KgStore, output: IO[bytes], fmt: RdfExportFormat) -> None:
    """Dump the store: TriG, N-Quads and JSON-LD keep the named graphs; Turtle merges them."""
    if fmt is RdfExportFormat.TURTLE:
        result = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", union_default_graph=True)
        assert isinstance(result, ox.QueryTriples)
        result.serialize(output, format=ox.RdfFormat.TURTLE)
        return
    store.dump(output, fmt.oxigraph)


EXPORT_FORMATS = ("trig", "nquads", "turtle", "jsonld", "facts", "stix", "acled")


def export_store(
    store: KgStore, output: IO[bytes], fmt: str, *, ontology_dir: Path, base_iri: str, context_url: str | None = None
) -> None:
    """Write the store in one of :data:`EXPORT_FORMATS`; JSON-LD is compacted with the context.

    ``context_url``: where the JSON-LD document says its context is, instead of embedding it.
    """
    if fmt == "facts":
        export_facts(store, output)
    elif fmt == "stix":
        from kg.export.stix import export_stix

        export_stix(store, output)
    elif fmt == "acled":
        from kg.export.acled import export_acled

        export_acled(store, output)
    elif fmt == "jsonld":
        from kg.export.jsonld import export_jsonld, jsonld_context

        export_jsonld(store, output, jsonld_context(ontology_dir, base_iri), context_url)
    else:
        export_rdf(store, output, RdfExportFormat(fmt))
