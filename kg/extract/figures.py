"""Casualty figures: counts of killed, injured, captured, missing and hostages, and who gave them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from kg.extract.lexicon import CASUALTY_CUES, NUMBER_WORDS, QUALIFIERS, REPORTING_VERBS

__all__ = ["FigureCandidate", "figures_in_sentence"]

_YEAR = re.compile(r"^(19|20)\d\d$")
_TIME_WORDS = {
    "a.m.",
    "p.m.",
    "am",
    "pm",
    "h",
    "hours",
    "heures",
    "minutes",
    "years",
    "year",
    "ans",
    "days",
    "jours",
    "km",
    "kilometres",
    "kilometers",
    "percent",
    "%",
    "th",
    "st",
    "nd",
    "rd",
    "o'clock",
}


@dataclass(frozen=True)
class FigureCandidate:
    """A casualty count found in one sentence, before it is tied to an event."""

    kind: str
    count: int
    qualifier: str | None
    victim_text: str | None
    source_token: Token | None
    source_text: str | None
    sentence: Span


def _number(tokens: list[Token], i: int) -> tuple[int, int] | None:
    """The value of the number starting at token ``i`` and the index after it."""
    tok = tokens[i]
    two = f"{tok.lower_} {tokens[i + 1].lower_}" if i + 1 < len(tokens) else ""
    if two in NUMBER_WORDS:
        return NUMBER_WORDS[two], i + 2
    text = tok.text.replace(",", "")
    if text.isdecimal() and not _YEAR.match(text) and len(text) <= 5:
        return int(text), i + 1
    if tok.lower_ in NUMBER_WORDS and tok.lower_ not in {"un", "une", "one"}:
        return NUMBER_WORDS[tok.lower_], i + 1
    return None


def _cue(token: Token) -> str | None:
    return CASUALTY_CUES.get(token.lemma_.lower()) or CASUALTY_CUES.get(token.lower_)


def _kind_near(tokens: list[Token], start: int, end: int) -> tuple[str, str | None] | None:
    """The casualty kind cued right after the number, and the victim noun between."""
    victim: list[str] = []
    for tok in tokens[end : end + 7]:
        kind = _cue(tok)
        if kind:
            return kind, " ".join(victim) or (
                tok.text if tok.pos_ == "NOUN" and kind in {"captured", "hostages"} else None
            )
        if (tok.is_punct and tok.text not in {"-", "–"}) or tok.lower_ in {"and", "but", "while", "et"}:
            break
        if tok.pos_ in {"NOUN", "ADJ", "PROPN"} or tok.lower_ in {"of", "the", "de", "des"}:
            victim.append(tok.text)
    for tok in reversed(tokens[max(0, start - 3) : start]):
        kind = _cue(tok)
        if kind and tok.pos_ == "VERB":
            return kind, " ".join(victim) or None
    return None


_TOLL_WORDS = {"toll", "bilan", "dead", "killed", "morts", "tués"}
_TOLL_VERBS = {
    "rise",
    "climb",
    "reach",
    "stand",
    "increase",
    "jump",
    "put",
    "s'élever",
    "passer",
    "atteindre",
    "grimper",
    "porter",
}


def _toll(tokens: list[Token], start: int) -> tuple[str, str | None] | None:
    """'the death toll has risen to 53', 'the number of people killed … stood at 53', 'le bilan s'élève à 53'."""
    at = start - 1
    while (
        at > 0
        and at >= start - 2
        and tokens[at].lower_
        in {"about", "around", "some", "nearly", "least", "over", "than", "more", "environ", "moins", "au", "plus"}
    ):
        at -= 1  # 'at about 400', 'to more than 50', 'à au moins 30'
    if at < 0 or tokens[at].lower_ not in {"to", "at", "à"}:
        return None
    before = tokens[max(0, at - 15) : at]
    if any(t.lower_ in _TOLL_WORDS or t.lemma_.lower() in {"toll", "bilan"} for t in before) and any(
        t.lemma_.lower() in _TOLL_VERBS or t.lower_ in _TOLL_VERBS for t in before[-4:]
    ):
        return "killed", None
    return None


def _qualifier(tokens: list[Token], start: int) -> str | None:
    before = " ".join(t.lower_ for t in tokens[max(0, start - 2) : start])
    for phrase, qualifier in QUALIFIERS.items():
        if before.endswith(phrase):
            return qualifier
    return None


def _source(sentence: Span, number: Token) -> tuple[Token | None, str | None]:
    """Who gave the figure: 'according to X', or the subject of a reporting verb above it."""
    for tok in sentence:
        if tok.lower_ in {"according", "selon"}:
            obj = next((t for t in tok.subtree if t.dep_ == "pobj"), None) if tok.lower_ == "according" else None
            target = obj or (tok.nbor(1) if tok.i + 1 < sentence.end else None)
            if target is not None and target.pos_ == "DET":
                target = target.head
            if target is not None:  # the phrase without its preposition ("selon une source locale")
                return target, " ".join(t.text for t in target.subtree if t.i != tok.i and t.dep_ != "case")
    head: Token | None = number
    while head is not None:
        if head.lemma_.lower() in REPORTING_VERBS and head.pos_ == "VERB":
            subject = next((c for c in head.children if c.dep_ in {"nsubj", "nsubj:pass"}), None)
            if subject is None and head.doc.lang_ == "fr":
                # « …, a annoncé l'armée »: the inverted subject, which the small parser reads as an object
                subject = next((c for c in head.children if c.dep_ == "obj" and c.i > head.i), None)
            if subject is not None and subject.lower_ not in _PRONOUNS and _small(subject, number):
                return subject, " ".join(t.text for t in subject.subtree)
        head = head.head if head.head.i != head.i else None
    # a reporting verb elsewhere in the sentence with a subject ("…, a annoncé l'armée lundi")
    for tok in sentence:
        if tok.pos_ == "VERB" and tok.lemma_.lower() in REPORTING_VERBS:
            subject = next((c for c in tok.children if c.dep_ in {"nsubj", "nsubj:pass"}), None)
            if (
                subject is not None
                and subject.lower_ not in _PRONOUNS
                and subject.pos_ in {"NOUN", "PROPN"}
                and _small(subject, number)
            ):
                return subject, " ".join(t.text for t in subject.subtree)
    # the parser missed the verb ("state television broadcast footage of 20 prisoners"): the noun
    # just before a reporting word that precedes the figure
    for tok in sentence:
        if tok.i >= number.i:
            break
        if (
            tok.lower_ in _REPORTING_FORMS
            and tok.i > sentence.start
            and tok.nbor(-1).pos_ in {"NOUN", "PROPN"}
            and tok.nbor(-1).lower_ not in _PRONOUNS
        ):
            return tok.nbor(-1), tok.nbor(-1).text
    return None, None


def _small(subject: Token, number: Token) -> bool:
    """A source is a short phrase that does not hold the figure itself (a misparse makes the whole clause
    'Gunmen killed 95 people …' the subject of 'said')."""
    tokens = list(subject.subtree)
    return len(tokens) <= 10 and not any(t.i == number.i for t in tokens)


_PRONOUNS = {"it", "they", "he", "she", "we", "i", "il", "ils", "elle", "elles", "on"}
_REPORTING_FORMS = {
    "broadcast",
    "aired",
    "showed",
    "reported",
    "said",
    "announced",
    "told",
    "released",
    "published",
    "a annoncé",
    "a diffusé",
}


def figures_in_sentence(sentence: Span) -> list[FigureCandidate]:
    """Every casualty figure stated in ``sentence``."""
    tokens = list(sentence)
    out: list[FigureCandidate] = []
    i = 0
    while i < len(tokens):
        found = _number(tokens, i)
        if found is None:
            i += 1
            continue
        value, end = found
        if (end < len(tokens) and tokens[end].lower_ in _TIME_WORDS) or (i > 0 and tokens[i - 1].text in {"$", "€"}):
            i = end
            continue
        cued = _kind_near(tokens, i, end) or _toll(tokens, i)
        if cued is not None:
            kind, victim = cued
            source_token, source_text = _source(sentence, tokens[i])
            out.append(FigureCandidate(kind, value, _qualifier(tokens, i), victim, source_token, source_text, sentence))
        i = end
    return out
