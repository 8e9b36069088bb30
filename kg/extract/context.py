"""What the rules know of one article: its parsed paragraphs, entities and mention spans."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.extract.kb import KnowledgeBase
from kg.model import EntityRecord, EntityType, Mention
from kg.vocab.iri import Minter

__all__ = ["ArticleContext", "Para"]


@dataclass
class Para:
    """A paragraph's spaCy Doc and where it starts in the article text."""

    doc: Doc
    start: int
    language: str


@dataclass
class ArticleContext:
    """What one article mentions, and the lookups the later rules need."""

    kb: KnowledgeBase
    minter: Minter
    paras: list[Para]
    entities: dict[str, EntityRecord] = field(default_factory=dict)
    span_iri: dict[tuple[int, int, int], str] = field(default_factory=dict)
    modifier_spans: set[tuple[int, int, int]] = field(default_factory=set)
    site_spans: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    salient_country: str | None = None
    salient_city: str | None = None
    salient_group: str | None = None

    def type_of(self, iri: str) -> EntityType:
        return self.entities[iri].type

    def mentions_in(self, para: int, span: Span | None = None) -> list[tuple[Span, str]]:
        """Entity mentions (spans with IRIs) of a paragraph or of a sentence in it, in text order."""
        doc = self.paras[para].doc
        out = []
        for (p, start, end), iri in self.span_iri.items():
            if p != para or (span is not None and not (span.start <= start and end <= span.end)):
                continue
            out.append((doc[start:end], iri))
        return sorted(out, key=lambda pair: pair[0].start)

    def entity_at(self, para: int, token: Token) -> str | None:
        for (p, start, end), iri in self.span_iri.items():
            if p == para and start <= token.i < end:
                return iri
        return None

    def is_modifier(self, para: int, span: Span) -> bool:
        """'al-Qaeda' in 'al-Qaeda-linked': a mention used as a modifier, not an actor."""
        return (para, span.start, span.end) in self.modifier_spans

    def add_mention(self, para: int, span: Span, record: EntityRecord, rule: str, confidence: float) -> None:
        if (para, span.start, span.end) in self.span_iri:
            return  # the first rule to claim a span wins
        offset = self.paras[para].start
        existing = self.entities.setdefault(record.iri, record)
        existing.mentions.append(
            Mention(
                start=offset + span.start_char,
                end=offset + span.end_char,
                text=span.text,
                sentence=span.sent.text.strip(),
                language=self.paras[para].language,
                rule=rule,
                confidence=confidence,
            )
        )
        self.span_iri[(para, span.start, span.end)] = record.iri
