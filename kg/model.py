"""Typed records passed between the extraction and mapping stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

__all__ = [
    "PLACE_TYPES",
    "VIOLENT_TYPES",
    "CasualtyFigure",
    "Claim",
    "EntityRecord",
    "EntityType",
    "EventRecord",
    "Extraction",
    "KbEntity",
    "Mention",
    "RelationRecord",
]


class EntityType(str, Enum):
    """Entity types, named as in the evaluation vocabulary and the ontology's classes."""

    ARMED_GROUP = "ArmedGroup"
    STATE_FORCE = "StateForce"
    STATE = "State"
    IGO = "IntergovernmentalOrganization"
    PMC = "PrivateMilitaryCompany"
    NEWS = "NewsOrganization"
    PERSON = "Person"
    COUNTRY = "Country"
    CITY = "City"
    SITE = "Site"
    REGION = "Region"
    OTHER = "Other"

    @property
    def is_place(self) -> bool:
        return self in PLACE_TYPES


PLACE_TYPES = frozenset({EntityType.COUNTRY, EntityType.CITY, EntityType.SITE, EntityType.REGION})
VIOLENT_TYPES = frozenset({"Attack", "Clash", "Ambush", "Bombing", "HostageTaking", "Massacre"})


@dataclass(frozen=True)
class KbEntity:
    """An entity of the curated knowledge base."""

    iri: str
    label: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    wkt: str | None = None
    located_in: tuple[str, ...] = ()
    capital_of: str | None = None
    armed_forces_of: str | None = None
    government_of: str | None = None
    site_kind: str | None = None


@dataclass(frozen=True)
class Mention:
    """A span of the document's text that refers to an entity."""

    start: int
    end: int
    text: str
    sentence: str
    language: str
    rule: str
    confidence: float


@dataclass
class EntityRecord:
    """An entity as one document knows it: KB-linked or found in the text only."""

    iri: str
    label: str
    type: EntityType
    linked: bool
    wikidata: str | None = None
    mentions: list[Mention] = field(default_factory=list)

    @property
    def confidence(self) -> float:
        return max((m.confidence for m in self.mentions), default=0.0)


@dataclass(frozen=True)
class CasualtyFigure:
    """A count of casualties of one kind, as one source gives it."""

    kind: str
    count: int
    qualifier: str | None
    victim_text: str | None
    victim: str | None
    source: str | None
    source_text: str | None
    evidence: str
    rule: str
    confidence: float


@dataclass(frozen=True)
class Claim:
    """A claim of responsibility made by an actor."""

    claimant: str
    evidence: str
    rule: str
    confidence: float


@dataclass
class EventRecord:
    """An event reported by a document, with its roles."""

    type: str
    date: str | None
    precision: str | None
    date_text: str | None
    place: str | None
    country: str | None
    evidence: str
    start: int
    end: int
    rule: str
    confidence: float
    historical: bool = False
    ordinal: int = 1  # "two coups in 2022": the second has ordinal 2, its own node
    sites: list[str] = field(default_factory=list)
    perpetrators: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    figures: list[CasualtyFigure] = field(default_factory=list)

    @property
    def claimed_by(self) -> list[str]:
        return list(dict.fromkeys(c.claimant for c in self.claims))


@dataclass(frozen=True)
class RelationRecord:
    """A relation between two entities stated by a document."""

    subject: str
    predicate: str
    object: str
    evidence: str
    rule: str
    confidence: float


@dataclass
class Extraction:
    """Everything extracted from one document; entity fields hold entity IRIs."""

    entities: dict[str, EntityRecord] = field(default_factory=dict)
    events: list[EventRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
