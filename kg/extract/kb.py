"""The curated knowledge base of Sahel actors and places (``ontology/kb.ttl``).

The file uses relative IRIs, resolved here against the configured base, so the
KB's entities are minted under the same base as everything else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.errors import ConfigError
from kg.model import EntityType, KbEntity
from kg.text.fold import name_key
from kg.vocab.namespaces import GEO, KG

__all__ = ["KnowledgeBase", "load_kb"]

_TYPES = {KG[t.value]: t for t in EntityType if t is not EntityType.OTHER}


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """The KB's entities, its RDF graph, and lookups by IRI and by folded name."""

    graph: Graph
    entities: tuple[KbEntity, ...]
    by_iri: dict[str, KbEntity] = field(init=False, repr=False)
    by_name: dict[str, KbEntity] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_name: dict[str, KbEntity] = {}
        for ent in self.entities:
            for name in (ent.label, *ent.aliases):
                if key := name_key(name):  # names in other scripts fold to nothing
                    by_name.setdefault(key, ent)
        object.__setattr__(self, "by_iri", {e.iri: e for e in self.entities})
        object.__setattr__(self, "by_name", by_name)

    def __iter__(self) -> Iterator[KbEntity]:
        return iter(self.entities)

    def get(self, iri: str) -> KbEntity | None:
        return self.by_iri.get(iri)

    def lookup(self, name: str) -> KbEntity | None:
        """The entity whose label or alias folds to the same string as ``name``."""
        key = name_key(name)
        return self.by_name.get(key) if key else None

    def country_of(self, iri: str) -> str | None:
        """The country an entity lies in or belongs to, following kg:locatedIn upwards."""
        seen: set[str] = set()
        todo = [iri]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            ent = self.get(current)
            if ent is None:
                continue
            if ent.type is EntityType.COUNTRY:
                return ent.iri
            for parent in (ent.capital_of, ent.armed_forces_of, ent.government_of, *ent.located_in):
                if parent:
                    todo.append(parent)
        return None

    def related(self, subject: str, predicate: str) -> list[str]:
        """Objects of a durable KB relation (kg:leaderOf, kg:affiliatedWith, …) of ``subject``."""
        return [str(o) for o in self.graph.objects(URIRef(subject), KG[predicate])]

    def of_country(self, country: str, relation: str) -> KbEntity | None:
        """The armed forces or the government (``relation``) of a country."""
        for ent in self.entities:
            if getattr(ent, relation) == country:
                return ent
        return None

    def site_of_kind(self, city: str, kind: str) -> KbEntity | None:
        """The site of a given kind ('airport', 'military airport', …) in a city."""
        for ent in self.entities:
            if ent.type is EntityType.SITE and ent.site_kind == kind and city in ent.located_in:
                return ent
        return None


def _entity(graph: Graph, node: URIRef, etype: EntityType) -> KbEntity:
    def one(pred: URIRef) -> str | None:
        value = graph.value(node, pred)
        return str(value) if value is not None else None

    labels = [o for o in graph.objects(node, SKOS.prefLabel) if isinstance(o, Literal)]
    english = next((str(o) for o in labels if o.language == "en"), None)
    label = english or str(graph.value(node, RDFS.label) or node)
    aliases = {str(o) for o in graph.objects(node, SKOS.altLabel)} | {str(o) for o in labels}
    geometry = graph.value(node, GEO.hasGeometry)
    wkt = graph.value(geometry, GEO.asWKT) if geometry is not None else None
    return KbEntity(
        iri=str(node),
        label=label,
        type=etype,
        aliases=tuple(sorted(aliases - {label})),
        wikidata=one(KG.wikidataId),
        wkt=str(wkt) if wkt is not None else None,
        located_in=tuple(sorted(str(o) for o in graph.objects(node, KG.locatedIn))),
        capital_of=one(KG.capitalOf),
        armed_forces_of=one(KG.armedForcesOf),
        government_of=one(KG.governmentOf),
        site_kind=one(KG.siteKind),
    )


def load_kb(path: Path, base: str) -> KnowledgeBase:
    """Parse the KB file, resolving its relative IRIs against ``base``."""
    return _load_kb(path.resolve(), base)


@lru_cache(maxsize=4)
def _load_kb(path: Path, base: str) -> KnowledgeBase:
    if not path.is_file():
        raise ConfigError(f"{path}: knowledge base file not found")
    try:
        graph = Graph().parse(path, format="turtle", publicID=base)
    except Exception as exc:  # rdflib raises many parser exception types
        raise ConfigError(f"{path}: cannot parse the knowledge base: {exc}") from exc
    entities = []
    for cls, etype in _TYPES.items():
        for node in graph.subjects(RDF.type, cls):
            if isinstance(node, URIRef):
                entities.append(_entity(graph, node, etype))
    return KnowledgeBase(graph=graph, entities=tuple(sorted(entities, key=lambda e: e.iri)))
