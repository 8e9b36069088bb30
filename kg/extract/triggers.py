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
from spacy.tokens import Doc, Span, Token

from kg.extract.lexicon import (
    AGREEMENT_NOUNS,
    COREF_TRIGGERS,
    EVENT_TRIGGERS,
    GENERIC_MODIFIERS,
    HEAD_WORDS,
    KILL_VERBS,
    ORDER_VERBS,
    ORGANISATION_EXITS,
    SIGNING,
    SOLDIER_WORDS,
    VERB_ONLY,
)
from kg.model import VIOLENT_TYPES

__all__ = ["Trigger", "TriggerComponent"]

if not Doc.has_extension("kg_triggers"):
    Doc.set_extension("kg_triggers", default=[])

_MAX_WORDS = max(len(k.split()) for lex in EVENT_TRIGGERS.values() for k in lex)
_GENERIC_HEADS = {
    "campaign",
    "insurgency",
    "wave",
    "series",
    "spate",
    "threat",
    "risk",
    "fear",
    "capability",
    "série",
    "vague",
    "campagne",
    "recrudescence",
    "multiplication",
    "menace",
    "risque",
}


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
    key: str = ""  # the lexicon entry it matched ('state of emergency'); empty for a back-reference
    weak: bool = False  # a verb of killing: an event of its own only when its clause dates and places it


class TriggerComponent:
    """spaCy component: event triggers into ``doc._.kg_triggers``."""

    def __init__(self, nlp: Language, name: str, language: str) -> None:
        self.name = name
        self.lexicon = EVENT_TRIGGERS[language]
        self.first_words = (
            {key.split()[0].split("-")[0].split("'")[0] for key in self.lexicon} | COREF_TRIGGERS | set(KILL_VERBS)
        )

    def __call__(self, doc: Doc) -> Doc:
        found: list[Trigger] = []
        i = 0
        while i < len(doc):
            hit = self._match(doc, i)
            if hit is None:
                i += 1
                continue
            end, etype, coref, key = hit
            span = doc[i:end]
            if etype == "Closure" and _suspends_a_state(span):
                etype = "Sanction"  # 'the bloc suspended Mali': a sanction, not a closure
            if etype == "Other" and _seizes_the_head_of_state(span):
                etype = "Coup"  # 'soldiers detain the president': a coup
            if etype == "Condemnation" and _SENTENCE.match(doc[span.end : span.end + 4].text):
                i = end
                continue  # 'condamné à mort', 'condemned to death': a court's sentence, not a condemnation
            if etype == "Withdrawal" and _ordered(span):
                etype, key = "Expulsion", "expel"  # 'gave the ambassador 48 hours to leave': an expulsion
            if self._is_event_use(span, etype, key):
                generic = self._is_generic(span, etype)
                found.append(Trigger(span, etype, generic, coref, key=key, weak=key in KILL_VERBS))
            i = end
        doc._.kg_triggers = found
        return doc

    def _match(self, doc: Doc, i: int) -> tuple[int, str, bool, str] | None:
        if doc[i].lower_ not in self.first_words and doc[i].lemma_.lower() not in self.first_words:
            return None
        for n in range(min(_MAX_WORDS, len(doc) - i), 0, -1):
            words = doc[i : i + n]
            text = _joined(t.lower_ for t in words)
            lemma = _joined(t.lemma_.lower() for t in words)
            for key in (text, lemma):
                if key in self.lexicon:
                    return i + n, self.lexicon[key], False, key
        if (key := _split_phrasal(doc[i])) in self.lexicon:
            return i + 1, self.lexicon[key], False, key
        if doc[i].lemma_.lower() in COREF_TRIGGERS or doc[i].lower_ in COREF_TRIGGERS:
            return i + 1, "Attack", True, ""
        if doc[i].pos_ == "VERB" and doc[i].lemma_.lower() in KILL_VERBS:
            return i + 1, KILL_VERBS[doc[i].lemma_.lower()], False, doc[i].lemma_.lower()
        return None

    @staticmethod
    def _is_event_use(span: Span, etype: str, key: str = "") -> bool:
        """Reject uses that are not reports: verbs of closing a deal, adjectives, proper names; 'leave' and
        'quitter' only with an organisation or an agreement to leave, 'sign' only with an agreement to sign."""
        head = span.root
        if head.pos_ not in {"NOUN", "VERB", "PROPN"} or head.ent_type_ or _in_compound_word(span):
            return False
        if key in VERB_ONLY and head.pos_ != "VERB":
            return False
        if key in SIGNING:
            return any(
                p.root.lemma_.lower() in AGREEMENT_NOUNS or p.root.lower_ in AGREEMENT_NOUNS for p in _objects(span)
            )
        exits = _joined(t.lemma_.lower() for t in span) in ORGANISATION_EXITS or span.text.lower() in ORGANISATION_EXITS
        if exits and etype != "Expulsion":
            return _leaves_an_organisation(span)
        if etype == "Withdrawal" and head.pos_ == "VERB" and _attackers_retreat(span):
            return False  # 'the assailants set fire to the post before withdrawing': a retreat
        if etype in {"Closure", "Reopening", "Withdrawal", "Sanction"} and head.pos_ == "VERB":
            objects = {c.lower_ for c in head.children if c.dep_ in {"dobj", "obj", "nsubjpass", "nsubj:pass"}}
            return not objects & {"eyes", "gap", "ranks", "deal", "door", "doors", "talks", "chapter", "page"}
        return True

    @staticmethod
    def _is_generic(span: Span, etype: str) -> bool:
        head = span.root
        modifiers = {c.lower_ for c in head.children if c.dep_ in {"amod", "det", "nummod", "quantmod", "advmod"}}
        if modifiers & GENERIC_MODIFIERS:
            return True
        if head.dep_ in {"compound", "amod", "nmod"} and head.head.lower_ in _GENERIC_HEADS:
            return True  # 'an insurgency campaign', 'une série d'attaques'
        if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lower_ in _GENERIC_HEADS:
            return True  # 'a wave of attacks'
        if any(c.dep_ == "nummod" for c in head.children):
            return False  # "two coups in 2020 and 2021" counts specific events
        if etype not in VIOLENT_TYPES:
            return False  # "imposed sanctions", "coups": plural decisions are still reports
        if head.tag_ in {"NNS"} and not any(
            c.dep_ in {"det", "poss"} and c.lower_ in {"the", "these", "its", "their"} for c in head.children
        ):
            return not any(c.dep_ in {"acl", "relcl"} for c in head.children)
        return False


_SENTENCE = re.compile(
    r"^(à|to)\s+(mort|death|la prison|prison|perpétuité|life|la peine|\d+\s+(ans|years|mois|months))", re.IGNORECASE
)
_NOT_EVENT_PREFIXES = {"anti", "pro", "post", "pre", "non", "ex"}


def _in_compound_word(span: Span) -> bool:
    """'battle-hardened', 'attack helicopters' aside, 'anti-coup', 'post-coup': a trigger inside a hyphenated
    word that is not in the lexicon describes something else."""
    doc = span.doc
    after = span.end + 1 < len(doc) and doc[span.end].text == "-" and not span[-1].whitespace_
    before = span.start >= 2 and doc[span.start - 1].text == "-" and not doc[span.start - 2].whitespace_
    if before and doc[span.start - 2].lower_ in _NOT_EVENT_PREFIXES:
        return True
    return after and doc[span.end].whitespace_ == "" and doc[span.end + 1].is_alpha


_PARTICLES = {"over", "out", "down", "off", "up"}


def _split_phrasal(token: Token) -> str:
    """'handed the base over', 'ordering the ambassador out of Germany': a verb and its particle set apart
    ('hand over'), as the lexicon writes them; empty when the token is no verb with a particle."""
    if token.pos_ != "VERB":
        return ""
    particle = next((c for c in token.children if c.dep_ in {"prt", "advmod", "prep"} and c.lower_ in _PARTICLES), None)
    return f"{token.lemma_.lower()} {particle.lower_}" if particle is not None and particle.i > token.i + 1 else ""


def _objects(head: Span) -> list[Span]:
    """What a verb or noun acts on: its objects, and the objects of its prepositions ('sortie de la CEDEAO',
    'withdraw from ECOWAS', 'mis fin à l'accord')."""
    root = head.root
    out = []
    for child in root.subtree:
        if child.i == root.i or child.head.i not in {root.i, *[c.i for c in root.children]}:
            continue
        if child.dep_ in {"dobj", "obj", "pobj", "nmod", "obl", "obl:arg", "iobj"}:
            out.append(root.doc[child.left_edge.i : child.right_edge.i + 1])
    return out


def _leaves_an_organisation(span: Span) -> bool:
    """'left ECOWAS', 'terminated the agreement', 'French troops left Mali': what is left is an organisation
    (the NER's or the KB's), an agreement, a country or a camp, not a meeting or a room."""
    for phrase in _objects(span):
        head = phrase.root
        if head.ent_type_ in _ORGANISATIONS or head.lemma_.lower() in AGREEMENT_NOUNS or head.lower_ in AGREEMENT_NOUNS:
            return True
        if head.ent_type_ in {"GPE", "Country"} or head.lemma_.lower() in _LEFT_PLACES:
            return True  # 'French troops left Mali', 'the mission left its camp in X'
        if head.ent_type_ in {"City", "Region", "LOC", "FAC"} and _military_subject(span):
            return True  # 'the fighter jets left X' (not 'the minister had left X')
        if head.pos_ in {"PROPN", "NOUN"} and head.text.isupper() and len(head.text) >= 3:
            return True  # an acronym: 'left ECOWAS', 'quitter la CEDEAO'
    return False


_LEFT_PLACES = {"camp", "base", "country", "territory", "pays", "territoire"}
_FORCES = SOLDIER_WORDS | {"jet", "aircraft", "contingent", "force", "unit", "airman", "helicopter", "battalion"}


_ATTACKERS = {
    "assailant",
    "attacker",
    "gunman",
    "gunmen",
    "militant",
    "jihadist",
    "fighter",
    "assaillant",
    "agresseur",
    "terroriste",
    "djihadiste",
    "jihadiste",
    "individu",
    "homme",
}


def _attackers_retreat(span: Span) -> bool:
    """'the attackers withdrew', 'les assaillants ont mis le feu avant de se retirer': the subject (or, for a
    verb of a clause that shares it, its governing verb's subject) is who attacked."""
    verb = span.root
    for holder in (verb, *verb.ancestors):
        subjects = [c for c in holder.children if c.dep_ in {"nsubj", "nsubj:pass"}]
        if subjects:
            return any(s.lemma_.lower() in _ATTACKERS or s.lower_ in _ATTACKERS for s in subjects)
    return False


def _military_subject(span: Span) -> bool:
    """The verb's subject is a force: 'the last French soldiers', 'its fighter jets', 'les troupes'."""
    verb = span.root
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubj:pass"}]
    return any(t.lemma_.lower() in _FORCES for s in subjects for t in s.subtree)


_ORGANISATIONS = {"ORG"}  # the NER's label (KB organisations are named by their acronym in such phrases)


def _seizes_the_head_of_state(span: Span) -> bool:
    """'Soldiers arrest the president and the prime minister', 'des militaires ont arrêté le président'."""
    root = span.root
    if root.lemma_.lower() not in {"arrest", "detain", "arrêter", "détenir"}:
        return False
    verb = root if root.pos_ == "VERB" else root.head
    objects = [t for c in verb.children if c.dep_ in {"dobj", "obj"} for t in c.subtree]
    subjects = [t for c in verb.children if c.dep_ in {"nsubj", "nsubj:pass"} for t in c.subtree]
    return any(t.lower_ in HEAD_WORDS for t in objects) and any(t.lemma_.lower() in SOLDIER_WORDS for t in subjects)


def _ordered(span: Span) -> bool:
    """'ordered X to leave', 'given 48 hours to leave the country', 'sommé de quitter': made to leave."""
    root = span.root
    if root.lemma_.lower() not in {"leave", "quitter"} or root.dep_ not in {"xcomp", "acl", "advcl", "relcl"}:
        return False
    # the parser may hang '48 hours to leave' on the ambassador's name: the first verb above decides
    head = next((a for a in root.ancestors if a.pos_ in {"VERB", "AUX"}), root)
    return head.lemma_.lower() in ORDER_VERBS


def _suspends_a_state(span: Span) -> bool:
    """'suspended all three countries', 'suspended Mali from the bloc'."""
    root = span.root
    if root.lemma_.lower() not in {"suspend", "suspendre"}:
        return False
    objects = [c for c in root.children if c.dep_ in {"dobj", "obj"}]
    return any(
        o.ent_type_ in {"GPE", "Country"} or o.lemma_.lower() in {"country", "state", "member", "pays", "état"}
        for o in objects
    )
