"""Actors and places as the exports see them, read from the store by SPARQL.

Each entity gets one record however many articles name it: the class, label
and aliases of the knowledge base win over what an article's extractor said,
then the class most article graphs give. Places also carry their point
coordinates (GeoSPARQL, KB places only), the places that contain them
(``kg:locatedIn``, transitively) and, for countries, their ISO 3166-1 codes,
looked up by name (label, preferred and alternative labels) in pycountry's
copy of the standard.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pycountry

from kg.store.graphs import KgStore
from kg.vocab.iri import local_name
from kg.vocab.namespaces import KG
from kg.vocab.prefixes import sparql_prefixes

__all__ = ["Entities", "Entity", "IsoCountry", "read_entities"]

_PREFIXES = sparql_prefixes("kg", "sem", "rdfs", "skos", "geo")
# Every actor or place class of the ontology is a direct subclass of sem:Actor or sem:Place.
Q_CLASSES = (
    _PREFIXES
    + """
SELECT ?e ?class ?top ?g ?reference WHERE {
  ?class rdfs:subClassOf ?top . FILTER (?top IN (sem:Actor, sem:Place) && STRSTARTS(STR(?class), STR(kg:)))
  GRAPH ?g { ?e a ?class }
  BIND (EXISTS { GRAPH ?g { ?g a kg:ReferenceGraph } } AS ?reference)
}"""
)
Q_LABELS = (
    _PREFIXES
    + """
SELECT ?e ?label ?g ?reference WHERE {
  ?class rdfs:subClassOf ?top . FILTER (?top IN (sem:Actor, sem:Place) && STRSTARTS(STR(?class), STR(kg:)))
  ?e a ?class .
  GRAPH ?g { ?e rdfs:label ?label }
  BIND (EXISTS { GRAPH ?g { ?g a kg:ReferenceGraph } } AS ?reference)
}"""
)
Q_ALIASES = (
    _PREFIXES
    + """
SELECT DISTINCT ?e ?alias WHERE { ?e skos:prefLabel|skos:altLabel ?alias }"""
)
Q_WIKIDATA = _PREFIXES + "SELECT DISTINCT ?e ?qid WHERE { ?e kg:wikidataId ?qid }"
Q_POINTS = _PREFIXES + "SELECT DISTINCT ?e ?wkt WHERE { ?e geo:hasGeometry/geo:asWKT ?wkt }"
Q_ANCESTORS = _PREFIXES + "SELECT DISTINCT ?e ?ancestor WHERE { ?e kg:locatedIn+ ?ancestor }"
# Where an event's place lies, when the KB does not say: the country the extractor gave the event.
Q_EVENT_COUNTRIES = (
    _PREFIXES
    + """
SELECT DISTINCT ?place ?country WHERE { ?ev a sem:Event ; sem:hasPlace ?place ; kg:country ?country }"""
)

_POINT = re.compile(r"^\s*(?:<[^>]*>\s*)?POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)\s*$", re.IGNORECASE)
_OTHER = {"OtherActor", "OtherPlace"}


@dataclass(frozen=True)
class IsoCountry:
    """ISO 3166-1 codes of a country: alpha-2 (STIX), alpha-3 and numeric (ACLED)."""

    alpha2: str
    alpha3: str
    numeric: int


@dataclass(frozen=True)
class Entity:
    """One actor or place."""

    iri: str
    label: str
    kind: str
    """Local name of its osint-kg class: ``ArmedGroup``, ``City``, ``OtherActor``..."""
    is_place: bool
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    point: tuple[float, float] | None = None
    """(latitude, longitude) in WGS 84."""
    iso: IsoCountry | None = None
    """For a country: its ISO 3166-1 codes, when one of its names is an ISO 3166 name."""


@dataclass
class Entities:
    """Every actor and place of the store, with the containment of places."""

    by_iri: dict[str, Entity]
    ancestors: dict[str, frozenset[str]] = field(default_factory=dict)
    event_countries: dict[str, frozenset[str]] = field(default_factory=dict)

    def get(self, iri: str) -> Entity | None:
        return self.by_iri.get(iri)

    def country_of(self, place: str) -> Entity | None:
        """The country a place is in (itself for a country); from the KB, else from the events there."""
        entity = self.by_iri.get(place)
        if entity is not None and entity.kind == "Country":
            return entity
        countries = sorted(a for a in self.ancestors.get(place, frozenset()) if self._kind(a) == "Country")
        if not countries:
            countries = sorted(c for c in self.event_countries.get(place, frozenset()) if self._kind(c) == "Country")
        return self.by_iri[countries[0]] if len(countries) == 1 else None

    def admin_regions(self, place: str, country: str) -> list[Entity]:
        """The KB regions that contain ``place`` (itself included) and lie in ``country``, largest first."""
        chain = {place} | set(self.ancestors.get(place, frozenset()))
        regions = [
            self.by_iri[r] for r in chain if self._kind(r) == "Region" and country in self.ancestors.get(r, frozenset())
        ]
        return sorted(regions, key=lambda r: (len(self.ancestors.get(r.iri, frozenset())), r.label))

    def located_point(self, place: str) -> tuple[tuple[float, float], bool] | None:
        """The place's own point (True), else that of the smallest place known to contain it (False)."""
        entity = self.by_iri.get(place)
        if entity is not None and entity.point is not None:
            return entity.point, True
        country = self.country_of(place)
        around = set(self.ancestors.get(place, frozenset())) | ({country.iri} if country else set())
        containers = [self.by_iri[a] for a in around if a in self.by_iri and self.by_iri[a].point is not None]
        if not containers:
            return None
        smallest = max(containers, key=lambda c: (len(self.ancestors.get(c.iri, frozenset())), c.iri))
        assert smallest.point is not None
        return smallest.point, False

    def _kind(self, iri: str) -> str | None:
        entity = self.by_iri.get(iri)
        return entity.kind if entity else None


def _pick(votes: list[tuple[str, bool]]) -> str:
    """The value a reference graph gives, else the one most graphs give; ties by value."""
    reference = sorted({v for v, ref in votes if ref})
    if reference:
        return reference[0]
    counts = Counter(v for v, _ in votes)
    return min(counts, key=lambda v: (-counts[v], v))


def _kind(votes: list[tuple[str, bool]]) -> str:
    specific = [(v, ref) for v, ref in votes if v not in _OTHER]
    return _pick(specific or votes)


def iso_country(names: list[str]) -> IsoCountry | None:
    """ISO 3166-1 codes of the first of ``names`` that is a name of a country in the standard."""
    for name in names:
        try:
            country = pycountry.countries.lookup(name)
        except LookupError:
            continue
        return IsoCountry(country.alpha_2, country.alpha_3, int(country.numeric))
    return None


def parse_point(wkt: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a WKT ``POINT(lon lat)``; None for any other geometry."""
    match = _POINT.match(wkt)
    return (float(match.group(2)), float(match.group(1))) if match else None


def read_entities(store: KgStore) -> Entities:
    """Every actor and place of the store, one record each."""
    kinds: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    places: set[str] = set()
    for row in store.select(Q_CLASSES):
        iri = row["e"].value
        kinds[iri].append((local_name(row["class"].value), row["reference"].value == "true"))
        if row["top"].value.endswith("/Place"):
            places.add(iri)
    labels: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for row in store.select(Q_LABELS):
        labels[row["e"].value].append((row["label"].value, row["reference"].value == "true"))
    aliases: dict[str, set[str]] = defaultdict(set)
    for row in store.select(Q_ALIASES):
        aliases[row["e"].value].add(row["alias"].value)
    wikidata = {row["e"].value: row["qid"].value for row in store.select(Q_WIKIDATA)}
    points = {
        row["e"].value: point for row in store.select(Q_POINTS) if (point := parse_point(row["wkt"].value)) is not None
    }
    by_iri: dict[str, Entity] = {}
    for iri, votes in kinds.items():
        kind = _kind(votes)
        label = _pick(labels[iri]) if labels.get(iri) else local_name(iri)
        names = sorted(aliases.get(iri, set()) - {label})
        by_iri[iri] = Entity(
            iri=iri,
            label=label,
            kind=kind,
            is_place=iri in places,
            aliases=tuple(names),
            wikidata=wikidata.get(iri),
            point=points.get(iri),
            iso=iso_country([label, *names]) if kind == local_name(str(KG.Country)) else None,
        )
    ancestors: dict[str, set[str]] = defaultdict(set)
    for row in store.select(Q_ANCESTORS):
        ancestors[row["e"].value].add(row["ancestor"].value)
    event_countries: dict[str, set[str]] = defaultdict(set)
    for row in store.select(Q_EVENT_COUNTRIES):
        event_countries[row["place"].value].add(row["country"].value)
    return Entities(
        by_iri, {k: frozenset(v) for k, v in ancestors.items()}, {k: frozenset(v) for k, v in event_countries.items()}
    )
