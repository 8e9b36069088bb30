"""Synthetic RDF in osint-kg's data model, for the endpoint benchmarks.

:func:`write_nquads` writes N-Quads shaped like what ``kg ingest`` stores (see
:mod:`kg.rdf.mapping`): a knowledge-base graph (countries, regions, towns inside
them, armed groups, state forces, people, with Wikidata IDs and affiliations)
and one named graph per article, with its metadata, its entities and their
mentions, the events it reports (shared between articles, as fused events are),
their casualty figures (articles disagree on the counts), claims and reified
relations, each traced to the article with an extractor and a confidence. So
every analyst query of ``queries/`` returns rows, and the volume of each kind of
node grows with the number of articles.

IRIs are minted by :class:`kg.vocab.iri.Minter` and ontology terms come from
:mod:`kg.vocab.namespaces`; quads are pyoxigraph terms serialized by pyoxigraph. The
output is the same, byte for byte, for the same seed and size.

    python benchmarks/rdfgen.py --triples 1000000 -o data.nq
"""

from __future__ import annotations

import argparse
import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, XSD, URIRef

from kg.model import VIOLENT_TYPES
from kg.vocab.iri import Minter
from kg.vocab.namespaces import ACLED, CK, ET, KG, PROV, SDO, SEM, TIME, WD

__all__ = ["Dataset", "World", "generate", "write_nquads"]

DEFAULT_BASE = "https://w3id.org/osint-kg/id/"
_SYLLABLES = (
    "ba",
    "di",
    "ko",
    "sa",
    "ma",
    "ti",
    "ga",
    "lo",
    "na",
    "ou",
    "ke",
    "re",
    "zo",
    "fa",
    "du",
    "mi",
    "ta",
    "se",
    "bo",
    "ni",
    "ka",
    "ye",
    "go",
    "ha",
)
_EVENT_TYPES = ("Attack", "Attack", "Clash", "Ambush", "Bombing", "HostageTaking", "Massacre", "Withdrawal")
_ACLED = {
    "Attack": ACLED.Battles,
    "Clash": ACLED.Battles,
    "Ambush": ACLED.Battles,
    "Bombing": ACLED.ExplosionsRemoteViolence,
    "HostageTaking": ACLED.ViolenceAgainstCivilians,
    "Massacre": ACLED.ViolenceAgainstCivilians,
    "Withdrawal": ACLED.StrategicDevelopments,
}
_KINDS = (CK.killed, CK.killed, CK.injured, CK.missing, CK.hostages)
_PRECISIONS = (("day", TIME.unitDay, XSD.date),) * 8 + (
    ("month", TIME.unitMonth, XSD.gYearMonth),
    ("year", TIME.unitYear, XSD.gYear),
)
_AFFILIATIONS = (KG.affiliatedWith, KG.partOf, KG.alliedWith, KG.supportedBy)
_GENERATED_AT = ox.Literal("2026-11-21T00:00:00Z", datatype=ox.NamedNode(str(XSD.dateTime)))


@cache
def _n(term: URIRef | str) -> ox.NamedNode:
    """A pyoxigraph named node for an rdflib IRI (cached: the vocabulary is small)."""
    return ox.NamedNode(str(term))


def _lit(value: str, datatype: URIRef | None = None, language: str | None = None) -> ox.Literal:
    if datatype is not None:
        return ox.Literal(value, datatype=_n(datatype))
    return ox.Literal(value, language=language) if language else ox.Literal(value)


def _int(value: int) -> ox.Literal:
    return _lit(str(value), XSD.integer)


def _bool(value: bool) -> ox.Literal:
    return _lit("true" if value else "false", XSD.boolean)


@dataclass(frozen=True)
class Entity:
    """A KB or text-only actor or place."""

    iri: ox.NamedNode
    label: str
    cls: URIRef
    wikidata: str | None = None
    linked: bool = True


@dataclass(frozen=True)
class Event:
    """A real-world event, reported by several articles (same IRI in each: fusion)."""

    iri: ox.NamedNode
    type: str
    stamp: str
    precision: tuple[str, URIRef, URIRef]
    place: Entity
    country: Entity
    perpetrators: tuple[Entity, ...]
    targets: tuple[Entity, ...]
    claimed: bool
    base_count: int


@dataclass
class World:
    """The KB and the pool of events the articles draw from."""

    minter: Minter
    kb_graph: ox.NamedNode
    countries: list[Entity] = field(default_factory=list)
    regions: dict[str, list[Entity]] = field(default_factory=dict)
    towns: list[tuple[Entity, Entity, Entity]] = field(default_factory=list)
    groups: list[Entity] = field(default_factory=list)
    forces: list[Entity] = field(default_factory=list)
    people: list[Entity] = field(default_factory=list)
    publishers: list[Entity] = field(default_factory=list)
    unlinked: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


@dataclass
class Dataset:
    """What :func:`write_nquads` wrote: counts and IRIs to aim point lookups at."""

    path: Path
    quads: int = 0
    articles: int = 0
    lookup_targets: list[str] = field(default_factory=list)


_TRIES_PER_LENGTH = 200


class _Names:
    """Unique made-up proper names (syllables), so slugs never collide."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def __call__(self, syllables: int = 3) -> str:
        """A new name of ``syllables`` syllables, or of more once names that short run out."""
        while True:
            for _ in range(_TRIES_PER_LENGTH):
                name = "".join(self.rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()
                if name not in self.used:
                    self.used.add(name)
                    return name
            syllables += 1


def build_world(rng: random.Random, minter: Minter, articles: int) -> World:
    """The KB entities, and about one event for every three articles."""
    world = World(minter=minter, kb_graph=_n(minter.kb_graph()))
    name = _Names(rng)
    for label in ("Mali", "Burkina Faso", "Niger"):
        country = Entity(_n(minter.place(label)), label, KG.Country, f"Q{rng.randrange(10**5, 10**6)}")
        world.countries.append(country)
        world.regions[label] = [
            Entity(_n(minter.place(f"{r} Region")), f"{r} Region", KG.Region) for r in (name(2) for _ in range(10))
        ]
    for _ in range(300):
        country = rng.choice(world.countries)
        town = name()
        world.towns.append(
            (Entity(_n(minter.place(town)), town, KG.City), rng.choice(world.regions[country.label]), country)
        )
    world.groups = [
        Entity(_n(minter.actor(g)), g, KG.ArmedGroup, f"Q{rng.randrange(10**6, 10**7)}")
        for g in (f"{name()} {rng.choice(('Front', 'Movement', 'Brigade', 'Katiba'))}" for _ in range(40))
    ]
    world.forces = [
        Entity(_n(minter.actor(f"Armed Forces of {c.label}")), f"Armed Forces of {c.label}", KG.StateForce)
        for c in world.countries
    ]
    world.people = [
        Entity(_n(minter.actor(p)), p, KG.Person, f"Q{rng.randrange(10**7, 10**8)}")
        for p in (f"{name(2)} Ag {name(2)}" for _ in range(150))
    ]
    world.publishers = [
        Entity(_n(minter.actor(p)), p, KG.NewsOrganization)
        for p in (f"{name(2)} {rng.choice(('Monitor', 'Dispatch', 'Wire', 'Post'))}" for _ in range(20))
    ]
    world.unlinked = [
        Entity(_n(minter.actor(p)), p, rng.choice((KG.Person, KG.OtherActor, KG.ArmedGroup)), linked=False)
        for p in (f"{name(2)} {name(2)}" for _ in range(max(articles // 8, 20)))
    ]
    world.events = [_event(rng, world) for _ in range(max(articles // 3, 1))]
    return world


def _event(rng: random.Random, world: World) -> Event:
    town, _region, country = rng.choice(world.towns)
    kind = rng.choice(_EVENT_TYPES)
    day = date(2012, 1, 1) + timedelta(days=rng.randrange(14 * 365))
    precision = rng.choice(_PRECISIONS)
    stamp = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": day.isoformat()[:4]}[precision[0]]
    key = "violence" if kind in VIOLENT_TYPES else kind
    iri = _n(world.minter.event(key, stamp, town.label))
    perpetrators = tuple(rng.sample(world.groups, rng.choice((1, 1, 2))))
    targets = (next(f for f in world.forces if f.label.endswith(country.label)),)
    return Event(
        iri, kind, stamp, precision, town, country, perpetrators, targets, rng.random() < 0.4, rng.randrange(3, 80)
    )


def kb_quads(world: World) -> Iterator[ox.Quad]:
    """The knowledge-base graph: places inside places, actors with Wikidata IDs and affiliations."""
    g = world.kb_graph
    yield ox.Quad(g, _n(RDF.type), _n(KG.ReferenceGraph), g)
    for country in world.countries:
        yield from _kb_entity(country, g)
        for region in world.regions[country.label]:
            yield from _kb_entity(region, g)
            yield ox.Quad(region.iri, _n(KG.locatedIn), country.iri, g)
    for town, region, country in world.towns:
        yield from _kb_entity(town, g)
        yield ox.Quad(town.iri, _n(KG.locatedIn), region.iri, g)
        yield ox.Quad(town.iri, _n(KG.locatedIn), country.iri, g)
    for force, country in zip(world.forces, world.countries, strict=True):
        yield from _kb_entity(force, g)
        yield ox.Quad(force.iri, _n(KG.armedForcesOf), country.iri, g)
    for n, group in enumerate(world.groups):
        yield from _kb_entity(group, g)
        if n % 3:
            yield ox.Quad(group.iri, _n(_AFFILIATIONS[n % 4]), world.groups[n - n % 3].iri, g)
    for n, person in enumerate(world.people):
        yield from _kb_entity(person, g)
        yield ox.Quad(
            person.iri, _n(KG.leaderOf if n % 10 == 0 else KG.memberOf), world.groups[n % len(world.groups)].iri, g
        )


def _kb_entity(entity: Entity, g: ox.NamedNode) -> Iterator[ox.Quad]:
    yield ox.Quad(entity.iri, _n(RDF.type), _n(entity.cls), g)
    yield ox.Quad(entity.iri, _n(RDFS.label), _lit(entity.label, language="en"), g)
    if entity.wikidata:
        yield ox.Quad(entity.iri, _n(KG.wikidataId), _lit(entity.wikidata), g)
        yield ox.Quad(entity.iri, _n(OWL.sameAs), _n(WD[entity.wikidata]), g)


class _Article:
    """Builds one article's named graph, the way :mod:`kg.rdf.mapping` lays it out."""

    def __init__(self, world: World, rng: random.Random, number: int) -> None:
        self.world = world
        self.rng = rng
        self.key = f"synthetic/{number:06d}.txt"
        self.graph = _n(world.minter.graph(self.key))
        self.article = _n(world.minter.article(self.key))
        self.language = "fr" if number % 4 == 0 else "en"
        self.sentences: list[str] = []
        self.offset = 0
        self.extractors: set[str] = set()
        self.described: set[str] = set()
        self.counters = [0, 0, 0]
        self.quads: list[ox.Quad] = []

    def add(self, s: ox.NamedNode, p: URIRef, o: ox.NamedNode | ox.Literal) -> None:
        self.quads.append(ox.Quad(s, _n(p), o, self.graph))

    def sentence(self, *parts: str) -> tuple[str, list[tuple[int, int]]]:
        """Append a sentence made of ``parts``; the text and the offsets of the odd parts (the names)."""
        spans = []
        text = ""
        for n, part in enumerate(parts):
            if n % 2:
                spans.append((self.offset + len(text), self.offset + len(text) + len(part)))
            text += part
        self.sentences.append(text)
        self.offset += len(text) + 1
        return text, spans

    def provenance(self, node: ox.NamedNode, rule: str, evidence: str) -> None:
        extractor = _n(self.world.minter.extractor(rule))
        if rule not in self.extractors:
            self.extractors.add(rule)
            self.add(extractor, RDF.type, _n(KG.Extractor))
            self.add(extractor, RDFS.label, _lit(rule))
        self.add(node, PROV.wasDerivedFrom, self.article)
        self.add(node, KG.extractedBy, extractor)
        self.add(node, KG.confidence, _lit(f"0.{self.rng.randrange(50, 99)}", XSD.decimal))
        self.add(node, KG.evidenceText, _lit(evidence))

    def mention(
        self, target: ox.NamedNode, surface: str, span: tuple[int, int], evidence: str, node: ox.NamedNode, rule: str
    ) -> None:
        self.add(node, RDF.type, _n(KG.Mention))
        self.add(node, KG.mentionOf, target)
        self.add(node, KG.surfaceForm, _lit(surface))
        self.add(node, KG.startOffset, _int(span[0]))
        self.add(node, KG.endOffset, _int(span[1]))
        self.add(node, SDO.inLanguage, _lit(self.language))
        self.provenance(node, rule, evidence)

    def entity(self, entity: Entity, span: tuple[int, int], evidence: str) -> None:
        if str(entity.iri) not in self.described:
            self.described.add(str(entity.iri))
            self.add(entity.iri, RDF.type, _n(entity.cls))
            self.add(entity.iri, RDFS.label, _lit(entity.label))
            self.add(entity.iri, KG.linked, _bool(entity.linked))
            if entity.wikidata:
                self.add(entity.iri, KG.wikidataId, _lit(entity.wikidata))
                self.add(entity.iri, OWL.sameAs, _n(WD[entity.wikidata]))
        node = _n(self.world.minter.mention(self.key, *span))
        self.mention(entity.iri, entity.label, span, evidence, node, "gazetteer")

    def metadata(self, published: date) -> None:
        publisher = self.world.publishers[self.rng.randrange(len(self.world.publishers))]
        g, a = self.graph, self.article
        self.add(g, RDF.type, _n(KG.ArticleGraph))
        self.add(g, PROV.wasDerivedFrom, a)
        self.quads.append(ox.Quad(g, _n(PROV.generatedAtTime), _GENERATED_AT, g))
        self.add(a, RDF.type, _n(KG.Article))
        self.add(a, KG.fileName, _lit(self.key))
        self.add(a, KG.contentHash, _lit(hashlib.sha256(self.key.encode()).hexdigest()))
        self.add(a, KG.extractorVersion, _lit("rdfgen"))
        self.add(a, SDO.inLanguage, _lit(self.language))
        self.add(a, SDO.url, _lit(f"https://example.org/{self.key}", XSD.anyURI))
        self.add(a, SDO.datePublished, _lit(published.isoformat(), XSD.date))
        self.add(a, KG.datePublishedInferred, _bool(False))
        self.add(a, SDO.publisher, publisher.iri)
        self.add(publisher.iri, RDF.type, _n(KG.NewsOrganization))
        self.add(publisher.iri, RDFS.label, _lit(publisher.label))

    def event(self, event: Event) -> None:
        text, spans = self.sentence(
            "Fighters of ",
            event.perpetrators[0].label,
            " struck ",
            event.targets[0].label,
            " near ",
            event.place.label,
            f" on {event.stamp}.",
        )
        self.entity(event.perpetrators[0], spans[0], text)
        self.entity(event.targets[0], spans[1], text)
        self.entity(event.place, spans[2], text)
        e = event.iri
        self.add(e, RDF.type, _n(SEM.Event))
        self.add(e, SEM.eventType, _n(ET[event.type]))
        self.add(e, KG.acledEventType, _n(_ACLED[event.type]))
        self.add(e, RDFS.label, _lit(f"{event.type} in {event.place.label}, {event.stamp}", language="en"))
        self.add(e, SEM.hasTimeStamp, _lit(event.stamp, event.precision[2]))
        self.add(e, KG.datePrecision, _n(event.precision[1]))
        self.add(e, KG.dateText, _lit(f"on {event.stamp}"))
        self.add(e, SEM.hasPlace, event.place.iri)
        self.add(e, KG.country, event.country.iri)
        for perpetrator in event.perpetrators:
            self.add(e, KG.perpetrator, perpetrator.iri)
        for target in event.targets:
            self.add(e, KG.target, target.iri)
        trigger = (spans[0][1] + 1, spans[1][0] - 1)
        node = _n(self.world.minter.event_mention(self.key, *trigger, str(e)))
        self.mention(e, "struck", trigger, text, node, "event-trigger")
        self.provenance(e, "event-trigger", text)
        if event.claimed:
            self.claim(event)
        self.figures(event)

    def claim(self, event: Event) -> None:
        claimant = event.perpetrators[0]
        text, spans = self.sentence("", claimant.label, " claimed the attack.")
        self.entity(claimant, spans[0], text)
        self.add(event.iri, KG.claimedBy, claimant.iri)
        self.counters[0] += 1
        c = _n(self.world.minter.claim(self.key, self.counters[0]))
        self.add(c, RDF.type, _n(KG.ResponsibilityClaim))
        self.add(c, KG.claimant, claimant.iri)
        self.add(c, KG.claimFor, event.iri)
        self.provenance(c, "claim-pattern", text)

    def figures(self, event: Event) -> None:
        for kind in self.rng.sample(_KINDS, self.rng.choice((1, 1, 2))):
            count = max(1, event.base_count + self.rng.randrange(-3, 6))
            source = self.rng.choice((None, event.targets[0], event.perpetrators[0]))
            text, spans = self.sentence(
                f"At least {count} people were {kind.split('/')[-1]}, said ",
                source.label if source else "local sources",
                ".",
            )
            self.counters[1] += 1
            f = _n(self.world.minter.figure(self.key, self.counters[1]))
            self.add(f, RDF.type, _n(KG.CasualtyFigure))
            self.add(f, KG.figureFor, event.iri)
            self.add(f, KG.casualtyKind, _n(kind))
            self.add(f, KG.count, _int(count))
            self.add(f, KG.countQualifier, _lit("at least"))
            self.add(f, KG.victimDescription, _lit("civilians" if self.rng.random() < 0.5 else "soldiers"))
            if source is not None:
                self.entity(source, spans[0], text)
                self.add(f, PROV.wasAttributedTo, source.iri)
            else:
                self.add(f, KG.sourceDescription, _lit("local sources"))
            self.provenance(f, "figure-pattern", text)

    def relation(self) -> None:
        person = self.rng.choice(self.world.people + self.world.unlinked)
        group = self.rng.choice(self.world.groups)
        prop = self.rng.choice((KG.memberOf, KG.affiliatedWith, KG.leaderOf))
        text, spans = self.sentence("", person.label, " belongs to ", group.label, ".")
        self.entity(person, spans[0], text)
        self.entity(group, spans[1], text)
        self.add(person.iri, prop, group.iri)
        self.counters[2] += 1
        a = _n(self.world.minter.assertion(self.key, self.counters[2]))
        self.add(a, RDF.type, _n(KG.RelationAssertion))
        self.add(a, RDF.subject, person.iri)
        self.add(a, RDF.predicate, _n(prop))
        self.add(a, RDF.object, group.iri)
        self.provenance(a, "relation-pattern", text)

    def finish(self) -> list[ox.Quad]:
        """The article's text (every sentence written so far) and headline, then all its quads."""
        self.add(self.article, SDO.headline, _lit(self.sentences[0]))
        self.add(self.article, SDO.text, _lit(" ".join(self.sentences)))
        return self.quads


def article_quads(world: World, rng: random.Random, number: int) -> list[ox.Quad]:
    """The named graph of synthetic article ``number``: one or two events, a relation or two."""
    article = _Article(world, rng, number)
    events = rng.sample(world.events, rng.choice((1, 1, 2)))
    article.metadata(date(2012, 1, 1) + timedelta(days=number % (14 * 365)))
    for event in events:
        article.event(event)
    for _ in range(rng.choice((0, 1, 1, 2))):
        article.relation()
    return article.finish()


def generate(target_triples: int, *, seed: int = 7, base: str = DEFAULT_BASE) -> Iterator[list[ox.Quad]]:
    """Batches of quads, the KB graph first then one batch per article, until ``target_triples`` is reached."""
    articles = max(target_triples // 190, 1)
    rng = random.Random(seed)
    world = build_world(rng, Minter(base), articles)
    emitted = 0
    kb = list(kb_quads(world))
    emitted += len(kb)
    yield kb
    number = 0
    while emitted < target_triples:
        number += 1
        batch = article_quads(world, random.Random(f"{seed}/{number}"), number)
        emitted += len(batch)
        yield batch


def write_nquads(
    path: Path, target_triples: int, *, seed: int = 7, base: str = DEFAULT_BASE, lookups: int = 500
) -> Dataset:
    """Write about ``target_triples`` quads to ``path``; pick ``lookups`` IRIs of actors, places, events
    and articles for point lookups."""
    dataset = Dataset(path)
    subjects: list[str] = []
    with path.open("wb") as out:
        for n, batch in enumerate(generate(target_triples, seed=seed, base=base)):
            ox.serialize(batch, out, ox.RdfFormat.N_QUADS)
            dataset.quads += len(batch)
            dataset.articles += n > 0
            subjects.extend(
                q.subject.value for q in batch if q.predicate == _n(RDF.type) and isinstance(q.subject, ox.NamedNode)
            )
    pool = sorted({s for s in subjects if "/mention/" not in s})
    rng = random.Random(seed)
    dataset.lookup_targets = rng.sample(pool, min(lookups, len(pool)))
    return dataset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, default=1_000_000, help="about how many quads to write")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", type=Path, required=True, help="the N-Quads file to write")
    args = parser.parse_args()
    dataset = write_nquads(args.output, args.triples, seed=args.seed)
    print(f"{dataset.quads} quads, {dataset.articles} articles -> {dataset.path}")


if __name__ == "__main__":
    main()
