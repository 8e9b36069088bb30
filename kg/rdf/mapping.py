"""Map one article's extraction to RDF: the article's named graph, with provenance.

Everything asserted here is built from rdflib terms minted by :mod:`kg.vocab.iri`;
nothing is pasted into RDF text. Each statement of the graph traces back to
the article through ``prov:wasDerivedFrom`` (events, mentions, claims, figures,
relation assertions) and records the rule that produced it and a confidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.ingest.readers import Document
from kg.model import VIOLENT_TYPES, EntityRecord, EntityType, EventRecord, Extraction
from kg.vocab.iri import Minter
from kg.vocab.namespaces import ACLED, CK, ET, KG, PROV, REL, SDO, SEM, TIME, WD

__all__ = ["ArticleGraph", "event_key", "map_article", "new_graph"]

_CLASS: dict[EntityType, URIRef] = {t: KG[t.value] for t in EntityType if t is not EntityType.OTHER}
_CLASS[EntityType.OTHER] = KG.OtherActor
_PRECISION = {
    "day": (TIME.unitDay, XSD.date),
    "month": (TIME.unitMonth, XSD.gYearMonth),
    "year": (TIME.unitYear, XSD.gYear),
}
_ACLED = {
    "Attack": ACLED.Battles,
    "Clash": ACLED.Battles,
    "Ambush": ACLED.Battles,
    "Bombing": ACLED.ExplosionsRemoteViolence,
    "HostageTaking": ACLED.ViolenceAgainstCivilians,
    "Massacre": ACLED.ViolenceAgainstCivilians,
    "Coup": ACLED.StrategicDevelopments,
    "Closure": ACLED.StrategicDevelopments,
    "Reopening": ACLED.StrategicDevelopments,
    "Sanction": ACLED.StrategicDevelopments,
    "Withdrawal": ACLED.StrategicDevelopments,
    "Expulsion": ACLED.StrategicDevelopments,
    "ClaimOfResponsibility": ACLED.StrategicDevelopments,
}
PREFIXES = {
    "kg": KG._NS,
    "et": ET._NS,
    "acled": ACLED._NS,
    "ck": CK._NS,
    "sem": SEM,
    "prov": PROV,
    "schema": SDO,
    "time": TIME,
    "skos": SKOS,
    "owl": OWL,
    "wd": WD,
}


@dataclass(frozen=True)
class ArticleGraph:
    """An article's graph and the names that identify it in the store."""

    name: URIRef
    article: URIRef
    graph: Graph
    fingerprint: str


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def _confidence(value: float) -> Literal:
    return Literal(Decimal(str(round(value, 2))), datatype=XSD.decimal)


def event_key(event: EventRecord) -> str:
    """What identifies an event across articles: its type family ('violence' for all violent types)."""
    return "violence" if event.type in VIOLENT_TYPES else event.type


class _Mapper:
    def __init__(self, graph: Graph, minter: Minter, document: Document, article: URIRef) -> None:
        self.g = graph
        self.minter = minter
        self.doc = document
        self.article = article
        self.extractors: set[str] = set()

    def provenance(self, node: URIRef, rule: str, confidence: float, evidence: str | None = None) -> None:
        extractor = self.minter.extractor(rule)
        if rule not in self.extractors:
            self.extractors.add(rule)
            self.g.add((extractor, RDF.type, KG.Extractor))
            self.g.add((extractor, RDFS.label, Literal(rule)))
        self.g.add((node, PROV.wasDerivedFrom, self.article))
        self.g.add((node, KG.extractedBy, extractor))
        self.g.add((node, KG.confidence, _confidence(confidence)))
        if evidence:
            self.g.add((node, KG.evidenceText, Literal(evidence)))

    def entity(self, record: EntityRecord) -> None:
        node = URIRef(record.iri)
        g = self.g
        g.add((node, RDF.type, _CLASS[record.type]))
        g.add((node, RDFS.label, Literal(record.label)))
        g.add((node, KG.linked, Literal(record.linked)))
        if record.wikidata:
            g.add((node, KG.wikidataId, Literal(record.wikidata)))
            g.add((node, OWL.sameAs, WD[record.wikidata]))
        for m in record.mentions:
            mention = self.mention(self.minter.mention(self.doc.key, m.start, m.end), node, m.start, m.end)
            g.add((mention, SDO.inLanguage, Literal(m.language)))
            self.provenance(mention, m.rule, m.confidence, m.sentence)

    def mention(self, mention: URIRef, target: URIRef, start: int, end: int) -> URIRef:
        """A span of the article's text that refers to ``target``."""
        g = self.g
        g.add((mention, RDF.type, KG.Mention))
        g.add((mention, KG.mentionOf, target))
        g.add((mention, KG.surfaceForm, Literal(self.doc.text[start:end])))
        g.add((mention, KG.startOffset, Literal(start, datatype=XSD.integer)))
        g.add((mention, KG.endOffset, Literal(end, datatype=XSD.integer)))
        return mention

    def event(self, event: EventRecord, extraction: Extraction) -> URIRef:
        place = extraction.entities.get(event.place) if event.place else None
        node = self.minter.event(event_key(event), event.date, place.label if place else None, event.ordinal)
        g = self.g
        g.add((node, RDF.type, SEM.Event))
        g.add((node, SEM.eventType, ET[event.type]))
        if event.type in _ACLED:
            g.add((node, KG.acledEventType, _ACLED[event.type]))
        where = f" in {place.label}" if place else ""
        g.add((node, RDFS.label, Literal(f"{event.type}{where}, {event.date or 'undated'}", lang="en")))
        if event.date and event.precision:
            unit, datatype = _PRECISION[event.precision]
            g.add((node, SEM.hasTimeStamp, Literal(event.date, datatype=datatype)))
            g.add((node, KG.datePrecision, unit))
        if event.date_text:
            g.add((node, KG.dateText, Literal(event.date_text)))
        if event.place:
            g.add((node, SEM.hasPlace, URIRef(event.place)))
        if event.country:
            g.add((node, KG.country, URIRef(event.country)))
        for prop, values in (
            (KG.site, event.sites),
            (KG.perpetrator, event.perpetrators),
            (KG.target, event.targets),
            (KG.claimedBy, event.claimed_by),
        ):
            for value in values:
                g.add((node, prop, URIRef(value)))
        mention = self.mention(
            self.minter.event_mention(self.doc.key, event.start, event.end, str(node)), node, event.start, event.end
        )
        self.provenance(mention, event.rule, event.confidence, event.evidence)
        self.provenance(node, event.rule, event.confidence, event.evidence)
        return node

    def claims_and_figures(self, event: EventRecord, node: URIRef, counter: list[int]) -> None:
        g = self.g
        for claim in event.claims:
            counter[0] += 1
            c = self.minter.claim(self.doc.key, counter[0])
            g.add((c, RDF.type, KG.ResponsibilityClaim))
            g.add((c, KG.claimant, URIRef(claim.claimant)))
            g.add((c, KG.claimFor, node))
            self.provenance(c, claim.rule, claim.confidence, claim.evidence)
        for fig in event.figures:
            counter[1] += 1
            f = self.minter.figure(self.doc.key, counter[1])
            g.add((f, RDF.type, KG.CasualtyFigure))
            g.add((f, KG.figureFor, node))
            g.add((f, KG.casualtyKind, CK[fig.kind]))
            g.add((f, KG.count, Literal(fig.count, datatype=XSD.integer)))
            if fig.qualifier:
                g.add((f, KG.countQualifier, Literal(fig.qualifier)))
            if fig.victim_text:
                g.add((f, KG.victimDescription, Literal(fig.victim_text)))
            if fig.victim:
                g.add((f, KG.victim, URIRef(fig.victim)))
            if fig.source:
                g.add((f, PROV.wasAttributedTo, URIRef(fig.source)))
            if fig.source_text:
                g.add((f, KG.sourceDescription, Literal(fig.source_text)))
            self.provenance(f, fig.rule, fig.confidence, fig.evidence)

    def relations(self, extraction: Extraction) -> None:
        g = self.g
        for n, rel in enumerate(extraction.relations, start=1):
            s, p, o = URIRef(rel.subject), KG[rel.predicate], URIRef(rel.object)
            g.add((s, p, o))
            a = self.minter.assertion(self.doc.key, n)
            g.add((a, RDF.type, KG.RelationAssertion))
            g.add((a, RDF.subject, s))
            g.add((a, RDF.predicate, p))
            g.add((a, RDF.object, o))
            self.provenance(a, rel.rule, rel.confidence, rel.evidence)

    def article_metadata(self, graph_name: URIRef, fingerprint: str, version: str, reliability: dict[str, str]) -> None:
        g, doc, a = self.g, self.doc, self.article
        g.add((graph_name, RDF.type, KG.ArticleGraph))
        g.add((graph_name, PROV.wasDerivedFrom, a))
        g.add(
            (graph_name, PROV.generatedAtTime, Literal(datetime.now(UTC).replace(microsecond=0), datatype=XSD.dateTime))
        )
        g.add((a, RDF.type, KG.Article))
        g.add((a, KG.fileName, Literal(doc.key)))
        g.add((a, KG.contentHash, Literal(fingerprint)))
        g.add((a, KG.extractorVersion, Literal(version)))
        g.add((a, SDO.inLanguage, Literal(doc.language)))
        g.add((a, SDO.text, Literal(doc.text)))
        if doc.title:
            g.add((a, SDO.headline, Literal(doc.title)))
        if doc.url:
            g.add((a, SDO.url, Literal(doc.url, datatype=XSD.anyURI)))
        if doc.published:
            g.add((a, SDO.datePublished, Literal(doc.published.isoformat(), datatype=XSD.date)))
            g.add((a, KG.datePublishedInferred, Literal(doc.published_inferred)))
        if doc.published_basis:
            g.add((a, KG.datePublishedBasis, Literal(doc.published_basis)))
        if doc.publisher:
            publisher = self.minter.actor(doc.publisher)
            g.add((a, SDO.publisher, publisher))
            g.add((publisher, RDF.type, KG.NewsOrganization))
            g.add((publisher, RDFS.label, Literal(doc.publisher)))
            grade = reliability.get(doc.publisher)
            if grade:
                g.add((publisher, KG.reliability, REL[grade]))
                g.add((a, KG.reliability, REL[grade]))


def map_article(
    document: Document,
    extraction: Extraction,
    minter: Minter,
    *,
    fingerprint: str,
    version: str,
    reliability: dict[str, str] | None = None,
) -> ArticleGraph:
    """The named graph of one article."""
    graph = new_graph()
    article = minter.article(document.key)
    name = minter.graph(document.key)
    mapper = _Mapper(graph, minter, document, article)
    mapper.article_metadata(name, fingerprint, version, reliability or {})
    for record in extraction.entities.values():
        mapper.entity(record)
    counter = [0, 0]
    for event in extraction.events:
        node = mapper.event(event, extraction)
        mapper.claims_and_figures(event, node, counter)
    mapper.relations(extraction)
    return ArticleGraph(name=name, article=article, graph=graph, fingerprint=fingerprint)
