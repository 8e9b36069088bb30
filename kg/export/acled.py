"""ACLED-style CSV: one row per event of the store, in the columns of ACLED's data exports.

Read from the store by SPARQL (constant queries). A column is filled where the
graph knows the answer and left empty where it does not:

* ``event_id_cnty``: the ISO 3166-1 alpha-3 code of the event's country (``XXX``
  when unknown) followed by a stable number, the first 32 bits of the SHA-256
  of the event's IRI (so it survives re-exports; ACLED's own numbers are
  sequential).
* ``event_date`` / ``year`` / ``time_precision``: a day-precise date is given
  as is (precision 1). ACLED has no finer level for a month or a year than 3,
  "month or longer", and codes such an event to the middle of the period: the
  15th of the month, 1 July of the year. Undated events leave all three empty.
* ``event_type`` / ``sub_event_type``: the ACLED concepts the event's type is
  aligned with in the ontology (``skos:broadMatch``). ``disorder_type`` follows
  from the event type as in ACLED's codebook; ``civilian_targeting`` is set for
  violence against civilians.
* ``actor1`` / ``assoc_actor_1``: the perpetrators, the one most articles name
  first; ``actor2`` / ``assoc_actor_2``: the targets. Claims of responsibility
  are not perpetrators: they go to ``notes``.
* ``inter1`` / ``inter2``: ACLED actor-type codes from the actor's class: state
  forces and states 1, armed groups 2 (osint-kg does not tell rebels from
  political or identity militias, 3 and 4), intergovernmental organisations
  and private military companies 8 (external/other forces). People and other
  actors stay empty. ``interaction`` joins the two codes, lower first (``10``
  for one actor type alone).
* ``iso``, ``country``, ``admin1``-``admin3``, ``location``, ``latitude``,
  ``longitude``, ``geo_precision``: from the event's place, the KB regions that
  contain it (largest first) and the coordinates of the place (precision 1 for
  a town or site) or of the smallest place containing it (precision 3).
  ``region`` (ACLED's world regions) and ``source_scale`` are not in the graph.
* ``fatalities``: ACLED codes the most conservative figure when reports
  conflict. Each source (the actor or words a figure is attributed to in an
  article, else the article) gives its highest count of people killed, its
  total; the lowest of those totals is kept. Empty when no figure was reported.
* ``source``: the publishers of the articles reporting the event; ``notes`` a
  short generated summary; ``tags`` the event's IRI in osint-kg;
  ``timestamp`` the Unix time of the newest ingest of those articles.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO

from kg.export.entities import Entities, Entity, read_entities
from kg.store.graphs import KgStore
from kg.vocab.iri import digest, local_name
from kg.vocab.namespaces import ACLED
from kg.vocab.prefixes import sparql_prefixes

__all__ = ["COLUMNS", "acled_rows", "export_acled"]

COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

_PREFIXES = sparql_prefixes("kg", "ck", "sem", "prov", "rdfs", "schema", "skos")
Q_EVENTS = (
    _PREFIXES
    + """
SELECT ?ev ?type ?typeLabel ?date ?precision ?place ?country WHERE {
  ?ev a sem:Event ; sem:eventType ?type .
  OPTIONAL { ?type skos:prefLabel ?typeLabel FILTER (LANGMATCHES(LANG(?typeLabel), "en")) }
  OPTIONAL { ?ev sem:hasTimeStamp ?date } OPTIONAL { ?ev kg:datePrecision ?precision }
  OPTIONAL { ?ev sem:hasPlace ?place } OPTIONAL { ?ev kg:country ?country }
} ORDER BY ?ev ?type ?date ?place ?country"""
)
Q_ALIGNMENT = (
    _PREFIXES
    + """
SELECT ?type ?acled ?event ?sub WHERE {
  ?type skos:broadMatch ?acled . ?acled skos:inScheme kg:AcledEventTypeScheme ; skos:prefLabel ?event .
  OPTIONAL { ?type skos:broadMatch ?s . ?s skos:inScheme kg:AcledSubEventTypeScheme ; skos:broader ?acled ;
                                          skos:prefLabel ?sub }
}"""
)
Q_ROLES = (
    _PREFIXES
    + """
SELECT ?ev ?role ?actor (COUNT(DISTINCT ?g) AS ?articles) WHERE { GRAPH ?g {
  ?g a kg:ArticleGraph . ?ev a sem:Event ; ?role ?actor FILTER (?role IN (kg:perpetrator, kg:target, kg:claimedBy)) } }
GROUP BY ?ev ?role ?actor"""
)
Q_KILLED = (
    _PREFIXES
    + """
SELECT ?ev ?g ?f ?count ?source ?sourceText WHERE { GRAPH ?g {
  ?g a kg:ArticleGraph . ?f a kg:CasualtyFigure ; kg:figureFor ?ev ; kg:casualtyKind ck:killed ; kg:count ?count .
  OPTIONAL { ?f prov:wasAttributedTo ?source } OPTIONAL { ?f kg:sourceDescription ?sourceText } } }"""
)
Q_SOURCES = (
    _PREFIXES
    + """
SELECT ?ev ?g ?generated ?publisher WHERE { GRAPH ?g {
  ?g a kg:ArticleGraph ; prov:wasDerivedFrom ?a ; prov:generatedAtTime ?generated . ?ev a sem:Event .
  OPTIONAL { ?a schema:publisher/rdfs:label ?publisher } } }"""
)

_DISORDER = {
    str(ACLED.Battles): "Political violence",
    str(ACLED.ExplosionsRemoteViolence): "Political violence",
    str(ACLED.ViolenceAgainstCivilians): "Political violence",
    str(ACLED.Protests): "Demonstrations",
    str(ACLED.StrategicDevelopments): "Strategic developments",
}
_INTER = {"StateForce": 1, "State": 1, "ArmedGroup": 2, "IntergovernmentalOrganization": 8, "PrivateMilitaryCompany": 8}
_CITY_LIKE = {"City", "Site"}


@dataclass
class _Event:
    iri: str
    type: str
    type_label: str
    date: str | None = None
    precision: str | None = None
    place: str | None = None
    country: str | None = None
    roles: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    killed: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    publishers: set[str] = field(default_factory=set)
    ingested: list[str] = field(default_factory=list)


def _when(date: str, precision: str | None) -> tuple[str, str, str]:
    """event_date, year and time_precision of an xsd:date, xsd:gYearMonth or xsd:gYear."""
    unit = local_name(precision or "")
    if unit == "unitDay" or len(date) == 10:
        return date, date[:4], "1"
    if unit == "unitMonth" or len(date) == 7:
        return f"{date[:7]}-15", date[:4], "3"
    return f"{date[:4]}-07-01", date[:4], "3"


def fatalities(killed: dict[tuple[str, str], list[int]]) -> int | None:
    """The lowest of the sources' totals (each source's highest count); None without figures."""
    totals = [max(counts) for counts in killed.values() if counts]
    return min(totals) if totals else None


def _names(entities: Entities, ranked: list[tuple[int, str]]) -> list[Entity]:
    found = [e for _, iri in ranked if (e := entities.get(iri)) is not None]
    order = {iri: n for n, iri in ranked}
    return sorted(found, key=lambda e: (-order[e.iri], e.label))


def _interaction(inter1: int | None, inter2: int | None) -> str:
    if inter1 is None:
        return ""
    if inter2 is None:
        return f"{inter1}0"
    low, high = sorted((inter1, inter2))
    return f"{low}{high}"


def _notes(event: _Event, place: str, actors: dict[str, list[Entity]]) -> str:
    when = f" {'on' if len(event.date) == 10 else 'in'} {event.date}" if event.date else ""
    parts = [f"{event.type_label.capitalize()}{f' in {place}' if place else ''}{when}."]
    for role, words in (("perpetrator", "Carried out by"), ("target", "Against"), ("claimedBy", "Claimed by")):
        if actors[role]:
            parts.append(f"{words} {', '.join(a.label for a in actors[role])}.")
    counts = sorted({c for values in event.killed.values() for c in values})
    if counts:
        parts.append(f"Killed figures reported: {', '.join(map(str, counts))}.")
    return " ".join(parts)


def _row(event: _Event, entities: Entities, alignment: dict[str, tuple[str, str, str]]) -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    actors = {role: _names(entities, event.roles[role]) for role in ("perpetrator", "target", "claimedBy")}
    acled_iri, event_type, sub_event_type = alignment.get(event.type, ("", "", ""))
    row.update(event_type=event_type, sub_event_type=sub_event_type, disorder_type=_DISORDER.get(acled_iri, ""))
    if acled_iri == str(ACLED.ViolenceAgainstCivilians):
        row["civilian_targeting"] = "Civilian targeting"
    if event.date:
        row["event_date"], row["year"], row["time_precision"] = _when(event.date, event.precision)
    inter: list[int | None] = [None, None]
    for n, role in enumerate(("perpetrator", "target")):
        named = actors[role]
        if named:
            row[f"actor{n + 1}"] = named[0].label
            row[f"assoc_actor_{n + 1}"] = "; ".join(a.label for a in named[1:])
            inter[n] = _INTER.get(named[0].kind)
            row[f"inter{n + 1}"] = "" if inter[n] is None else str(inter[n])
    row["interaction"] = _interaction(*inter)
    country = entities.get(event.country) if event.country else None
    if country is None and event.place:
        country = entities.country_of(event.place)
    place = entities.get(event.place) if event.place else None
    if country is not None:
        row["country"] = country.label
        row["iso"] = str(country.iso.numeric) if country.iso else ""
        if place is not None:
            for n, region in enumerate(entities.admin_regions(place.iri, country.iri)[:3], start=1):
                row[f"admin{n}"] = region.label
    if place is not None:
        row["location"] = place.label
        located = entities.located_point(place.iri)
        if located is not None:
            (lat, lon), own = located
            row["latitude"], row["longitude"] = f"{lat:.5f}", f"{lon:.5f}"
            row["geo_precision"] = "1" if own and place.kind in _CITY_LIKE else "3"
    alpha3 = country.iso.alpha3 if country is not None and country.iso else "XXX"
    row["event_id_cnty"] = f"{alpha3}{int(digest(event.iri)[:8], 16)}"
    row["source"] = "; ".join(sorted(event.publishers))
    row["notes"] = _notes(event, place.label if place else "", actors)
    killed = fatalities(event.killed)
    row["fatalities"] = "" if killed is None else str(killed)
    row["tags"] = f"osint-kg={event.iri}"
    if event.ingested:
        row["timestamp"] = str(int(datetime.fromisoformat(max(event.ingested)).timestamp()))
    return row


def _events(store: KgStore) -> dict[str, _Event]:
    events: dict[str, _Event] = {}
    for r in store.select(Q_EVENTS):
        iri = r["ev"].value
        if iri in events:
            continue
        date, precision, place, country = (
            r[n].value if n in r else None for n in ("date", "precision", "place", "country")
        )
        label = r["typeLabel"].value if "typeLabel" in r else local_name(r["type"].value)
        events[iri] = _Event(iri, r["type"].value, label, date, precision, place, country)
    for r in store.select(Q_ROLES):
        if (event := events.get(r["ev"].value)) is not None:
            event.roles[local_name(r["role"].value)].append((int(r["articles"].value), r["actor"].value))
    for r in store.select(Q_KILLED):
        if (event := events.get(r["ev"].value)) is not None:
            source = r["source"].value if "source" in r else r["sourceText"].value if "sourceText" in r else ""
            event.killed[(r["g"].value, source)].append(int(r["count"].value))
    for r in store.select(Q_SOURCES):
        if (event := events.get(r["ev"].value)) is not None:
            event.ingested.append(r["generated"].value)
            if "publisher" in r:
                event.publishers.add(r["publisher"].value)
    return events


def acled_rows(store: KgStore) -> list[dict[str, str]]:
    """One row per event of the store, ordered by date then IRI (undated events last)."""
    entities = read_entities(store)
    alignment: dict[str, tuple[str, str, str]] = {}
    for r in sorted(store.select(Q_ALIGNMENT), key=lambda r: ("sub" not in r, r["acled"].value)):
        alignment.setdefault(
            r["type"].value, (r["acled"].value, r["event"].value, r["sub"].value if "sub" in r else "")
        )
    events = _events(store)
    rows = [_row(events[iri], entities, alignment) for iri in sorted(events)]
    return sorted(rows, key=lambda r: (r["event_date"] == "", r["event_date"], r["tags"]))


def export_acled(store: KgStore, output: IO[bytes]) -> None:
    """Write the ACLED-style CSV of the store (a header, then one row per event)."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(acled_rows(store))
    output.write(text.getvalue().encode("utf-8"))
