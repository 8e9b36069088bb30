"""spaCy factory registrations of osint-kg's pipeline components (one place, versioned names)."""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language

from kg.extract.descriptors import DescriptorComponent
from kg.extract.gazetteer import GazetteerComponent
from kg.extract.kb import load_kb
from kg.extract.triggers import TriggerComponent

__all__ = ["DESCRIPTORS", "GAZETTEER", "TRIGGERS"]

GAZETTEER = "kg_kb_gazetteer_v1"
DESCRIPTORS = "kg_descriptors_v1"
TRIGGERS = "kg_event_triggers_v1"


@Language.factory(
    GAZETTEER,
    requires=["doc.ents"],
    assigns=["doc.ents", "token.ent_kb_id"],
    default_config={"kb_path": "", "base_iri": ""},
)
def make_gazetteer(nlp: Language, name: str, *, kb_path: str, base_iri: str) -> GazetteerComponent:
    """Entity ruler and linker fed by the curated knowledge base."""
    return GazetteerComponent(nlp, name, load_kb(Path(kb_path), base_iri))


@Language.factory(DESCRIPTORS, requires=["doc.ents", "token.dep"], assigns=["doc.spans"])
def make_descriptors(nlp: Language, name: str) -> DescriptorComponent:
    """Role descriptions ("the junta", "the airport") for resolution in context."""
    return DescriptorComponent(nlp, name)


@Language.factory(
    TRIGGERS, requires=["token.lemma", "token.dep"], assigns=["doc._.kg_triggers"], default_config={"language": "en"}
)
def make_triggers(nlp: Language, name: str, *, language: str) -> TriggerComponent:
    """Event triggers in English or French."""
    return TriggerComponent(nlp, name, language)
