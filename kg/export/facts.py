"""The facts export: what the knowledge graph holds for each article, read back from the store by SPARQL.

    facts = read_facts(store)                    # a Facts model, never the extractor's memory
    facts = load_facts(Path("facts.json"))      # the same model, from a file (ConfigError names the file)

The shape is that of ``../shared/eval/FORMAT.md``: one record per ingested article, keyed by its file
name, with the entities it mentions (under their names in the knowledge base), the events it reports
(with the IRI shared by every article reporting the same event) and the relations it states.
``kg export --format facts`` writes these models and :mod:`kg.evaluate` scores them: there is one schema.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kg.errors import ConfigError
from kg.store.graphs import KgStore
from kg.vocab.iri import local_name
from kg.vocab.prefixes import sparql_prefixes

__all__ = [
    "FactCasualty",
    "FactDocument",
    "FactEntity",
    "FactEvent",
    "FactRelation",
    "Facts",
    "load_facts",
    "parse_facts",
    "read_facts",
    "validation_summary",
]

# --- the schema ---------------------------------------------------------------------------------------------


class _FactModel(BaseModel):
    """Keys the schema does not know (another exporter's extras) are ignored."""

    model_config = ConfigDict(extra="ignore")


class FactEntity(_FactModel):
    """An entity an article mentions: its preferred label, type, surface forms and knowledge-base names."""

    id: str
    name: str
    type: str
    mentions: list[str] = Field(default_factory=list)
    wikidata: str | None = None
    aliases: list[str] = Field(default_factory=list)

    @property
    def surface_names(self) -> tuple[str, ...]:
        """Label and mentions: what the article itself says."""
        return (self.name, *self.mentions)


class FactCasualty(_FactModel):
    """A casualty figure; ``according_to`` is who gave it, or None in the article's own voice."""

    kind: str
    count: int | None = None
    who: str | None = None
    according_to: str | None = None


class FactEvent(_FactModel):
    """An event an article reports, under the IRI every article reporting it shares."""

    id: str
    type: str
    date: str | None = None
    place: str | None = None
    country: str | None = None
    sites: list[str] = Field(default_factory=list)
    perpetrators: list[str] = Field(default_factory=list)
    targets: list[str] = Field(default_factory=list)
    claimed_by: list[str] = Field(default_factory=list)
    casualties: list[FactCasualty] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)

    def slot(self, name: str) -> list[str]:
        """The names of one scored slot: ``perpetrators``, ``claimed_by`` or ``sites``."""
        return {"perpetrators": self.perpetrators, "claimed_by": self.claimed_by, "sites": self.sites}[name]


class FactRelation(_FactModel):
    """A relation an article states, between the labels of two entities."""

    subject: str
    predicate: str
    object: str


class FactDocument(_FactModel):
    """Everything the knowledge graph holds for one article."""

    file: str
    entities: list[FactEntity] = Field(default_factory=list)
    events: list[FactEvent] = Field(default_factory=list)
    relations: list[FactRelation] = Field(default_factory=list)


class Facts(_FactModel):
    """The facts export: one record per article, sorted by file name."""

    documents: list[FactDocument] = Field(default_factory=list)


# --- reading a facts file -----------------------------------------------------------------------------------


def validation_summary(exc: ValidationError, limit: int = 5) -> str:
    """The first ``limit`` problems of ``exc``, each as ``where.in[0].the: what``."""
    problems = [f"{_location(error['loc'])}: {error['msg']}" for error in exc.errors()]
    more = f" (and {len(problems) - limit} more)" if len(problems) > limit else ""
    return "; ".join(problems[:limit]) + more


def _location(loc: Iterable[int | str]) -> str:
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)
    return path.lstrip(".") or "(top level)"


def parse_facts(raw: object, source: str) -> Facts:
    """``raw`` (decoded facts JSON) as :class:`Facts`; :class:`ConfigError` names ``source`` and the bad fields."""
    try:
        return Facts.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{source}: malformed facts export: {validation_summary(exc)}") from exc


def load_facts(path: Path) -> Facts:
    """A facts JSON file (``kg export --format facts``); :class:`ConfigError` names the file if it is malformed."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not a readable facts export: {exc}") from exc
    return parse_facts(raw, str(path))


# --- reading the store --------------------------------------------------------------------------------------

_PREFIXES = sparql_prefixes("kg", "sem", "prov", "rdf", "rdfs")
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
    + sparql_prefixes("skos")
    + """SELECT ?e ?alias WHERE { GRAPH ?g { ?g a kg:ReferenceGraph . ?e skos:prefLabel|skos:altLabel ?alias } }"""
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

Row = dict[str, str]


def _rows(store: KgStore, query: str) -> list[Row]:
    """The rows of ``query`` over the named graphs, each as variable → lexical value (unbound ones left out)."""
    return [{k: v.value for k, v in row.items()} for row in store.select(query, union_default_graph=False)]


def _aliases(store: KgStore) -> dict[str, set[str]]:
    """Every preferred and alternative label of the knowledge base, by entity IRI."""
    aliases: dict[str, set[str]] = defaultdict(set)
    for r in _rows(store, Q_ALIASES):
        aliases[r["e"]].add(r["alias"])
    return aliases


def _entity(row: Row, aliases: set[str]) -> FactEntity:
    """An entity from its first row; its mentions are added row by row."""
    kind = local_name(row["type"])
    return FactEntity(
        id=row["e"],
        name=row["label"],
        type=_TYPE_NAMES.get(kind, kind),
        wikidata=row.get("wd"),
        aliases=sorted(aliases - {row["label"]}),
    )


def _entities(store: KgStore) -> dict[str, list[FactEntity]]:
    """The entities of each article, by file name, sorted by IRI."""
    aliases = _aliases(store)
    found: dict[str, dict[str, FactEntity]] = defaultdict(dict)
    for r in _rows(store, Q_ENTITIES):
        entities = found[r["file"]]
        if r["e"] not in entities:
            entities[r["e"]] = _entity(r, aliases.get(r["e"], set()))
        mentions = entities[r["e"]].mentions
        if r["form"] not in mentions:
            mentions.append(r["form"])
    return {file: sorted(by_iri.values(), key=lambda e: e.id) for file, by_iri in found.items()}


def _role_names(event: FactEvent, role: str) -> list[str]:
    """The list of ``event`` that holds the labels of one role (a kg: property's local name)."""
    match role:
        case "site":
            return event.sites
        case "perpetrator":
            return event.perpetrators
        case "target":
            return event.targets
        case "claimedBy":
            return event.claimed_by
    raise ValueError(f"not an event role: {role}")


def _casualty(row: Row) -> FactCasualty:
    return FactCasualty(
        kind=local_name(row["kind"]),
        count=int(row["count"]),
        who=row.get("who"),
        according_to=row.get("source") or row.get("sourceText"),
    )


def _events(store: KgStore) -> dict[str, list[FactEvent]]:
    """The events of each article, by file name, sorted by IRI, with their roles and casualty figures."""
    sources: dict[str, set[str]] = defaultdict(set)
    for r in _rows(store, Q_SOURCES):
        sources[r["ev"]].add(r["file"])
    found: dict[str, dict[str, FactEvent]] = defaultdict(dict)
    for r in _rows(store, Q_EVENTS):
        found[r["file"]][r["ev"]] = FactEvent(
            id=r["ev"],
            type=local_name(r["type"]),
            date=r["date"],
            place=r.get("place"),
            country=r.get("country"),
            sources=sorted(sources[r["ev"]]),
        )
    for r in _rows(store, Q_ROLES):
        event = found.get(r["file"], {}).get(r["ev"])
        if event is not None and r["label"] not in (names := _role_names(event, local_name(r["role"]))):
            names.append(r["label"])
    for r in sorted(_rows(store, Q_FIGURES), key=lambda r: r["f"]):
        event = found.get(r["file"], {}).get(r["ev"])
        if event is not None:
            event.casualties.append(_casualty(r))
    return {file: sorted(by_iri.values(), key=lambda e: e.id) for file, by_iri in found.items()}


def _relations(store: KgStore) -> dict[str, list[FactRelation]]:
    """The relations of each article, by file name, sorted by subject, predicate and object."""
    found: dict[str, list[FactRelation]] = defaultdict(list)
    for r in _rows(store, Q_RELATIONS):
        found[r["file"]].append(
            FactRelation(subject=r["subject"], predicate=local_name(r["predicate"]), object=r["object"])
        )
    return {file: sorted(rs, key=lambda r: (r.subject, r.predicate, r.object)) for file, rs in found.items()}


def read_facts(store: KgStore) -> Facts:
    """The facts export of every article in the store."""
    files = sorted({r["file"] for r in _rows(store, Q_DOCUMENTS)})
    entities, events, relations = _entities(store), _events(store), _relations(store)
    return Facts(
        documents=[
            FactDocument(file=f, entities=entities.get(f, []), events=events.get(f, []), relations=relations.get(f, []))
            for f in files
        ]
    )
