"""STIX 2.1 bundle of the store, for OpenCTI, MISP and other threat-intelligence platforms.

Read from the store by SPARQL (constant queries) and built with the ``stix2``
library, which validates every object as it is made (no custom properties).

* Armed groups (``kg:ArmedGroup``) are ``threat-actor``s: organisations that use
  force, the "who" of STIX (an ``intrusion-set`` is a cluster of activity, which
  osint-kg does not model). Every other actor is an ``identity`` (people
  ``individual``, unclassified actors ``unknown``, the rest ``organization``).
  Places are ``location``s with their coordinates and ISO 3166-1 alpha-2
  country; a place with neither (STIX requires one) is left out.
* Each event is an ``incident``, STIX 2.1's object for a security event that
  happened. Its date, date precision and event types travel in a
  property-extension (``extension-definition`` in the bundle), the STIX 2.1
  way to add properties without custom ones. Its roles become relationships:
  ``attributed-to`` (perpetrator), ``targets``, ``claimed-by`` (a claim of
  responsibility, not a proven fact) and ``located-at`` (place, site, country).
  ``observed-data`` was not used: it needs observables (SCOs), which news
  reports of attacks do not have.
* Relations stated in articles (``kg:RelationAssertion``) become
  ``relationship``s (``kg:locatedIn`` as ``located-at``, the others under their
  own hyphenated names: ``affiliated-with``, ``leader-of``...). Relations of the
  knowledge base alone are not exported.
* Each article is a ``report`` whose ``object_refs`` list what it supports: the
  entities it mentions, the events it reports, the relationships it states.
  It is ``published`` and ``created`` at the article's publication date and
  ``modified`` when its graph was last ingested.

Confidence is osint-kg's (0–1) times 100: the highest any article gives.

Identifiers are UUIDv5 in the fixed namespace :data:`NAMESPACE` (itself UUIDv5
of ``https://w3id.org/osint-kg/stix`` in the URL namespace) over the graph's
IRI; a relationship's over its source IRI, type and target IRI. ``created`` is
the publication date of the first article supporting an object and
``modified`` that of the newest (the graph's ingest time for an undated
article), so exporting again after new articles updates objects in OpenCTI
instead of duplicating them, and two exports of one store are byte-identical.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

import stix2  # type: ignore[import-untyped]

from kg.export.entities import Entities, Entity, read_entities
from kg.store.graphs import KgStore
from kg.vocab.iri import local_name
from kg.vocab.prefixes import sparql_prefixes

__all__ = ["EXTENSION_ID", "IDENTITY_ID", "NAMESPACE", "export_stix", "stix_bundle", "stix_id"]

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/osint-kg/stix")
_OSINT_KG = "https://w3id.org/osint-kg/"
_DEFINED = datetime(2026, 11, 21, tzinfo=UTC)
"""When the osint-kg identity and the event extension were defined (the ontology's date)."""

_PREFIXES = sparql_prefixes("kg", "sem", "prov", "rdf", "rdfs", "schema", "skos")
Q_ARTICLES = (
    _PREFIXES
    + """
SELECT ?g ?a ?file ?generated ?headline ?published ?url ?publisher ?lang WHERE { GRAPH ?g {
  ?g a kg:ArticleGraph ; prov:wasDerivedFrom ?a ; prov:generatedAtTime ?generated . ?a kg:fileName ?file .
  OPTIONAL { ?a schema:headline ?headline } OPTIONAL { ?a schema:datePublished ?published }
  OPTIONAL { ?a schema:url ?url } OPTIONAL { ?a schema:publisher/rdfs:label ?publisher }
  OPTIONAL { ?a schema:inLanguage ?lang } } }"""
)
Q_MENTIONS = (
    _PREFIXES
    + """
SELECT ?g ?e (MAX(?c) AS ?confidence) WHERE { GRAPH ?g {
  ?g a kg:ArticleGraph . ?m a kg:Mention ; kg:mentionOf ?e ; kg:confidence ?c } }
GROUP BY ?g ?e"""
)
Q_EVENTS = (
    _PREFIXES
    + """
SELECT ?g ?ev ?label ?type ?date ?precision ?confidence ?typeLabel ?acled WHERE {
  GRAPH ?g { ?g a kg:ArticleGraph . ?ev a sem:Event ; sem:eventType ?type ; rdfs:label ?label ; kg:confidence ?confidence .
    OPTIONAL { ?ev sem:hasTimeStamp ?date } OPTIONAL { ?ev kg:datePrecision ?precision } }
  OPTIONAL { ?type skos:prefLabel ?typeLabel FILTER (LANGMATCHES(LANG(?typeLabel), "en")) }
  OPTIONAL { ?type skos:broadMatch ?match . ?match skos:inScheme kg:AcledEventTypeScheme ; skos:prefLabel ?acled }
}"""
)
Q_ROLES = (
    _PREFIXES
    + """
SELECT ?g ?ev ?role ?x WHERE { GRAPH ?g { ?g a kg:ArticleGraph . ?ev a sem:Event ; ?role ?x .
  FILTER (?role IN (kg:perpetrator, kg:target, kg:claimedBy, sem:hasPlace, kg:site, kg:country)) } }"""
)
Q_RELATIONS = (
    _PREFIXES
    + """
SELECT ?g ?s ?p ?o ?confidence WHERE { GRAPH ?g { ?g a kg:ArticleGraph .
  ?r a kg:RelationAssertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:confidence ?confidence } }"""
)

_ROLE_TYPES = {
    "perpetrator": "attributed-to",
    "target": "targets",
    "claimedBy": "claimed-by",
    "hasPlace": "located-at",
    "site": "located-at",
    "country": "located-at",
}
_RELATION_TYPES = {"locatedIn": "located-at"}
_IDENTITY_CLASS = {"Person": "individual", "OtherActor": "unknown"}
_SECTORS = {"State": ["government-national"], "StateForce": ["defense"], "NewsOrganization": ["communications"]}
_PRECISION = {"unitDay": "day", "unitMonth": "month", "unitYear": "year"}

IDENTITY_ID = f"identity--{uuid.uuid5(NAMESPACE, _OSINT_KG)}"
EXTENSION_ID = f"extension-definition--{uuid.uuid5(NAMESPACE, _OSINT_KG + 'ontology#Event')}"


def stix_id(kind: str, key: str) -> str:
    """The STIX identifier of an object of type ``kind`` for an IRI (or relationship key)."""
    return f"{kind}--{uuid.uuid5(NAMESPACE, key)}"


def _hyphenated(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def _instant(value: str) -> datetime:
    """An xsd:date or xsd:dateTime as an aware UTC datetime."""
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _confidence(value: float | None) -> int | None:
    return None if value is None else max(0, min(100, round(value * 100)))


@dataclass(frozen=True)
class _Article:
    graph: str
    iri: str
    file: str
    when: datetime
    """Publication date, or the ingest time of an undated article."""
    generated: datetime
    headline: str | None
    url: str | None
    publisher: str | None
    lang: str | None


@dataclass
class _Support:
    """What the articles say about one STIX object: which articles, and the best confidence."""

    graphs: set[str] = field(default_factory=set)
    confidence: float | None = None

    def add(self, graph: str, confidence: float | None = None) -> None:
        self.graphs.add(graph)
        if confidence is not None and (self.confidence is None or confidence > self.confidence):
            self.confidence = confidence


@dataclass
class _Event:
    label: str
    type: str
    type_label: str | None
    acled: str | None
    date: str | None
    precision: str | None


class _Builder:
    def __init__(self, store: KgStore) -> None:
        self.store = store
        self.entities: Entities = read_entities(store)
        self.articles = {row["g"].value: self._article(row) for row in store.select(Q_ARTICLES)}
        self.support: dict[str, _Support] = defaultdict(_Support)
        self.entity_ids: dict[str, str] = {}
        self.events: dict[str, _Event] = {}
        self.relationships: dict[str, tuple[str, str, str]] = {}

    @staticmethod
    def _article(row: dict[str, Any]) -> _Article:
        generated = _instant(row["generated"].value)
        when = _instant(row["published"].value) if "published" in row else generated
        return _Article(
            row["g"].value,
            row["a"].value,
            row["file"].value,
            when,
            max(when, generated),
            *(row[name].value if name in row else None for name in ("headline", "url", "publisher", "lang")),
        )

    # -- what the articles support -----------------------------------------

    def entity_id(self, iri: str) -> str | None:
        """The STIX id of an actor or place, or None if it cannot be expressed in STIX."""
        if iri in self.entity_ids:
            return self.entity_ids[iri]
        entity = self.entities.get(iri)
        ident = None if entity is None else stix_id(self._entity_type(entity), iri)
        if entity is not None and entity.is_place and self._location_fields(entity) is None:
            ident = None
        self.entity_ids[iri] = ident or ""
        return ident

    def collect(self) -> None:
        for row in self.store.select(Q_MENTIONS):
            ident = self.entity_id(row["e"].value)
            if ident and row["g"].value in self.articles:
                self.support[ident].add(row["g"].value, float(row["confidence"].value))
        for row in self.store.select(Q_EVENTS):
            graph, event = row["g"].value, row["ev"].value
            self.events.setdefault(
                event,
                _Event(
                    row["label"].value,
                    local_name(row["type"].value),
                    row["typeLabel"].value if "typeLabel" in row else None,
                    row["acled"].value if "acled" in row else None,
                    row["date"].value if "date" in row else None,
                    _PRECISION.get(local_name(row["precision"].value)) if "precision" in row else None,
                ),
            )
            self.support[stix_id("incident", event)].add(graph, float(row["confidence"].value))
        for row in self.store.select(Q_ROLES):
            event = row["ev"].value
            self.relate(
                row["g"].value,
                event,
                stix_id("incident", event),
                _ROLE_TYPES[local_name(row["role"].value)],
                row["x"].value,
                self.support[stix_id("incident", event)].confidence,
            )
        for row in self.store.select(Q_RELATIONS):
            source = self.entity_id(row["s"].value)
            if source:
                kind = _RELATION_TYPES.get(local_name(row["p"].value), _hyphenated(local_name(row["p"].value)))
                self.relate(
                    row["g"].value, row["s"].value, source, kind, row["o"].value, float(row["confidence"].value)
                )

    def relate(
        self, graph: str, source_iri: str, source: str, kind: str, target_iri: str, confidence: float | None
    ) -> None:
        target = self.entity_id(target_iri)
        if not target:
            return
        ident = stix_id("relationship", f"{source_iri} {kind} {target_iri}")
        self.relationships[ident] = (source, kind, target)
        self.support[ident].add(graph, confidence)
        self.support[source].add(graph)
        self.support[target].add(graph)

    # -- STIX objects ------------------------------------------------------

    def stamps(self, ident: str) -> dict[str, Any]:
        """created, modified and confidence of an object from the articles supporting it."""
        support = self.support[ident]
        dates = sorted(self.articles[g].when for g in support.graphs)
        out: dict[str, Any] = {"id": ident, "created": dates[0], "modified": dates[-1], "created_by_ref": IDENTITY_ID}
        if support.confidence is not None:
            out["confidence"] = _confidence(support.confidence)
        return out

    @staticmethod
    def _entity_type(entity: Entity) -> str:
        if entity.is_place:
            return "location"
        return "threat-actor" if entity.kind == "ArmedGroup" else "identity"

    def _location_fields(self, entity: Entity) -> dict[str, Any] | None:
        fields: dict[str, Any] = {}
        if entity.point is not None:
            fields["latitude"], fields["longitude"] = entity.point
        country = self.entities.country_of(entity.iri)
        if country is not None and country.iso is not None:
            fields["country"] = country.iso.alpha2
        return fields or None

    @staticmethod
    def _references(entity: Entity) -> list[dict[str, str]]:
        refs = [{"source_name": "osint-kg", "url": entity.iri}]
        if entity.wikidata:
            refs.append(
                {
                    "source_name": "wikidata",
                    "external_id": entity.wikidata,
                    "url": f"http://www.wikidata.org/entity/{entity.wikidata}",
                }
            )
        return refs

    def entity_object(self, iri: str, ident: str) -> Any:
        entity = self.entities.by_iri[iri]
        common = {**self.stamps(ident), "name": entity.label, "external_references": self._references(entity)}
        if entity.is_place:
            fields = self._location_fields(entity)
            assert fields is not None
            return stix2.v21.Location(**common, **fields)
        if entity.kind == "ArmedGroup":
            return stix2.v21.ThreatActor(**common, **({"aliases": list(entity.aliases)} if entity.aliases else {}))
        extra: dict[str, Any] = {"identity_class": _IDENTITY_CLASS.get(entity.kind, "organization")}
        if entity.kind in _SECTORS:
            extra["sectors"] = _SECTORS[entity.kind]
        return stix2.v21.Identity(**common, **extra)

    def incident(self, iri: str, event: _Event) -> stix2.v21.Incident:
        ident = stix_id("incident", iri)
        properties: dict[str, Any] = {"extension_type": "property-extension", "event_type": event.type}
        for name, value in (
            ("event_type_label", event.type_label),
            ("acled_event_type", event.acled),
            ("date", event.date),
            ("date_precision", event.precision),
        ):
            if value is not None:
                properties[name] = value
        articles = len(self.support[ident].graphs)
        description = f"{event.label}. Reported by {articles} article{'s' if articles > 1 else ''}."
        return stix2.v21.Incident(
            **self.stamps(ident),
            name=event.label,
            description=description,
            external_references=[{"source_name": "osint-kg", "url": iri}],
            extensions={EXTENSION_ID: properties},
        )

    def report(self, article: _Article, refs: list[str]) -> stix2.v21.Report:
        references = [{"source_name": "osint-kg", "url": article.iri, "external_id": article.file}]
        if article.url:
            references.append({"source_name": article.publisher or "source", "url": article.url})
        extra = {"lang": article.lang} if article.lang else {}
        return stix2.v21.Report(
            id=stix_id("report", article.iri),
            created=article.when,
            modified=article.generated,
            created_by_ref=IDENTITY_ID,
            name=article.headline or article.file,
            published=article.when,
            report_types=["threat-report"],
            object_refs=refs,
            external_references=references,
            **extra,
        )

    def objects(self) -> list[Any]:
        self.collect()
        made: list[Any] = [_identity(), _extension()]
        for iri, ident in sorted(self.entity_ids.items()):
            if ident and self.support[ident].graphs:
                made.append(self.entity_object(iri, ident))
        for iri, event in sorted(self.events.items()):
            made.append(self.incident(iri, event))
        for ident, (source, kind, target) in sorted(self.relationships.items()):
            made.append(
                stix2.v21.Relationship(
                    **self.stamps(ident), relationship_type=kind, source_ref=source, target_ref=target
                )
            )
        by_article: dict[str, list[str]] = defaultdict(list)
        for ident, support in self.support.items():
            for graph in support.graphs:
                by_article[graph].append(ident)
        for graph, article in sorted(self.articles.items()):
            if by_article.get(graph):
                made.append(self.report(article, sorted(by_article[graph])))
        return made


def _identity() -> stix2.v21.Identity:
    return stix2.v21.Identity(
        id=IDENTITY_ID,
        created=_DEFINED,
        modified=_DEFINED,
        name="osint-kg",
        identity_class="system",
        description="Knowledge graph of Sahel conflict events extracted from news articles.",
        external_references=[{"source_name": "osint-kg", "url": _OSINT_KG}],
    )


def _extension() -> stix2.v21.ExtensionDefinition:
    return stix2.v21.ExtensionDefinition(
        id=EXTENSION_ID,
        created=_DEFINED,
        modified=_DEFINED,
        created_by_ref=IDENTITY_ID,
        name="osint-kg event",
        version="1.0.0",
        extension_types=["property-extension"],
        description="Properties of an osint-kg event carried on a STIX incident.",
        schema="Properties (all strings): event_type, the local name of the osint-kg event type "
        "(https://w3id.org/osint-kg/event-type/); event_type_label, its English label; acled_event_type, "
        "the ACLED event type it is aligned with; date, the event's date as xsd:date, xsd:gYearMonth or "
        "xsd:gYear; date_precision, day, month or year.",
    )


def stix_bundle(store: KgStore) -> stix2.v21.Bundle:
    """Every article, entity, event and relation of the store as one STIX 2.1 bundle."""
    objects = _Builder(store).objects()
    key = "\n".join(f"{o.id} {o.modified}" for o in objects)
    return stix2.v21.Bundle(objects=objects, id=stix_id("bundle", key))


def export_stix(store: KgStore, output: IO[bytes]) -> None:
    """Write the store's STIX 2.1 bundle as JSON."""
    # stix2's own pretty printer sorts properties in quadratic time; indent its compact output instead.
    document = json.loads(stix_bundle(store).serialize())
    output.write(json.dumps(document, indent=1, ensure_ascii=False).encode("utf-8"))
