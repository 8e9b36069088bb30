"""Event triggers: the words that report an event ("attack", "embuscade", "shut down").

The component marks each trigger with its event type and whether it is
generic ("numerous attacks across Mali") or refers back to an event already
reported ("the operation"); assembling events from triggers happens per
article in :mod:`kg.extract.events`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.lexicon import COREF_TRIGGERS, EVENT_TRIGGERS, GENERIC_MODIFIERS
from kg.model import VIOLENT_TYPES

__all__ = ["Trigger", "TriggerComponent"]

if not Doc.has_extension("kg_triggers"):
    Doc.set_extension("kg_triggers", default=[])

_MAX_WORDS = max(len(k.split()) for lex in EVENT_TRIGGERS.values() for k in lex)
_GENERIC_HEADS = {"campaign", "insurgency", "wave", "series", "spate", "threat", "risk", "fear", "capability"}


def _joined(words: Iterable[str]) -> str:
    """Words as the lexicon writes them: "coup d'état", "hostage-taking"."""
    return _GLUE.sub(lambda m: "'" if m.group(1) in "'’" else "-", " ".join(words))


_GLUE = re.compile(r"\s*(['’-])\s*")


@dataclass(frozen=True)
class Trigger:
    """An event trigger in a paragraph's Doc."""

    span: Span
    type: str
    generic: bool
    coref_only: bool


class TriggerComponent:
    """spaCy component: event triggers into ``doc._.kg_triggers``."""

    def __init__(self, nlp: Language, name: str, language: str) -> None:
        self.name = name
        self.lexicon = EVENT_TRIGGERS[language]
        self.first_words = {key.split()[0].split("-")[0].split("'")[0] for key in self.lexicon} | COREF_TRIGGERS

    def __call__(self, doc: Doc) -> Doc:
        found: list[Trigger] = []
        i = 0
        while i < len(doc):
            hit = self._match(doc, i)
            if hit is None:
                i += 1
                continue
            end, etype, coref = hit
            span = doc[i:end]
            if self._is_event_use(span, etype):
                found.append(Trigger(span, etype, generic=self._is_generic(span, etype), coref_only=coref))
            i = end
        doc._.kg_triggers = found
        return doc

    def _match(self, doc: Doc, i: int) -> tuple[int, str, bool] | None:
        if doc[i].lower_ not in self.first_words and doc[i].lemma_.lower() not in self.first_words:
            return None
        for n in range(min(_MAX_WORDS, len(doc) - i), 0, -1):
            words = doc[i:i + n]
            text = _joined(t.lower_ for t in words)
            lemma = _joined(t.lemma_.lower() for t in words)
            for key in (text, lemma):
                if key in self.lexicon:
                    return i + n, self.lexicon[key], False
        if doc[i].lemma_.lower() in COREF_TRIGGERS or doc[i].lower_ in COREF_TRIGGERS:
            return i + 1, "Attack", True
        return None

    @staticmethod
    def _is_event_use(span: Span, etype: str) -> bool:
        """Reject uses that are not reports: verbs of closing a deal, adjectives, proper names."""
        head = span.root
        if head.pos_ not in {"NOUN", "VERB", "PROPN"} or head.ent_type_:
            return False
        if etype in {"Closure", "Reopening", "Withdrawal", "Sanction"} and head.pos_ == "VERB":
            objects = {c.lower_ for c in head.children if c.dep_ in {"dobj", "obj", "nsubjpass", "nsubj:pass"}}
            return not objects & {"eyes", "gap", "ranks", "deal", "door", "doors", "talks"}
        return True

    @staticmethod
    def _is_generic(span: Span, etype: str) -> bool:
        head = span.root
        modifiers = {c.lower_ for c in head.children if c.dep_ in {"amod", "det", "nummod", "quantmod", "advmod"}}
        if modifiers & GENERIC_MODIFIERS:
            return True
        if head.dep_ in {"compound", "amod"} and head.head.lower_ in _GENERIC_HEADS:
            return True
        if any(c.dep_ == "nummod" for c in head.children):
            return False  # "two coups in 2020 and 2021" counts specific events
        if etype not in VIOLENT_TYPES:
            return False  # "imposed sanctions", "coups": plural decisions are still reports
        if head.tag_ in {"NNS"} and not any(c.dep_ in {"det", "poss"} and c.lower_ in {"the", "these", "its", "their"}
                                             for c in head.children):
            return not any(c.dep_ in {"acl", "relcl"} for c in head.children)
        return False
