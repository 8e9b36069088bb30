"""The knowledge-base entity ruler: finds KB names and aliases in a Doc.

Matching is on accent- and case-folded word tokens, so "Faladie" finds
"Faladié" and "al Qaida" finds "al-Qaeda"; acronyms must keep their capitals
("FAN" is an army, "fan" is not). KB matches take precedence over the
statistical NER, which is how the KB corrects its mislabels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.extract.kb import KnowledgeBase
from kg.text.fold import fold

__all__ = ["Gazetteer", "GazetteerComponent", "KbMatch"]

_TOKEN = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1 << 16)
@dataclass(frozen=True)
class _Entry:
    iri: str
    type: str
    acronym: bool
    capitalised: bool


@dataclass(frozen=True)
class KbMatch:
    start: int
    end: int
    iri: str
    type: str


class Gazetteer:
    """Longest-match lookup of folded token sequences."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.index: dict[tuple[str, ...], _Entry] = {}
        self.first_words: set[str] = set()
        self.max_len = 1
        for ent in kb:
            for alias in (ent.label, *ent.aliases):
                words = tuple(fold(w) for w in _TOKEN.findall(alias))
                letters = [c for c in alias if c.isalpha()]
                if not words or (len(words) == 1 and len(words[0]) < 2):
                    continue
                if len(words) == 1 and len(words[0]) == 2 and not all(c.isupper() for c in letters):
                    continue  # two letters only as a case-sensitive acronym ("UN")
                entry = _Entry(
                    ent.iri,
                    ent.type.value,
                    acronym=len(words) == 1 and all(c.isupper() for c in letters),
                    capitalised=bool(letters) and letters[0].isupper(),
                )
                known = self.index.get(words)
                if known is None:
                    self.index[words] = entry
                elif known.iri == entry.iri:  # one entity's spellings: the least demanding case rules
                    self.index[words] = _Entry(
                        ent.iri,
                        known.type,
                        acronym=known.acronym and entry.acronym,
                        capitalised=known.capitalised and entry.capitalised,
                    )
                self.first_words.add(words[0])
                self.max_len = max(self.max_len, len(words))

    def find(self, text: str) -> list[KbMatch]:
        """Non-overlapping KB matches in ``text``, longest first, left to right."""
        tokens = [(m.start(), m.end(), fold(m.group())) for m in _TOKEN.finditer(text)]
        words = tuple(t[2] for t in tokens)
        out: list[KbMatch] = []
        i = 0
        while i < len(tokens):
            if words[i] not in self.first_words:
                i += 1
                continue
            for n in range(min(self.max_len, len(tokens) - i), 0, -1):
                entry = self.index.get(words[i : i + n])
                if entry is None:
                    continue
                start, end = tokens[i][0], tokens[i + n - 1][1]
                if self._case_ok(entry, text[start:end]):
                    out.append(KbMatch(start, end, entry.iri, entry.type))
                    i += n
                    break
            else:
                i += 1
        return out

    @staticmethod
    def _case_ok(entry: _Entry, surface: str) -> bool:
        letters = [c for c in surface if c.isalpha()]
        if entry.acronym:
            return all(c.isupper() for c in letters)
        if entry.capitalised:
            return bool(letters) and letters[0].isupper()
        return True


class GazetteerComponent:
    """spaCy component: KB matches become ``doc.ents`` (label = type, kb_id = IRI)."""

    def __init__(self, nlp: Language, name: str, kb: KnowledgeBase) -> None:
        self.name = name
        self.gazetteer = Gazetteer(kb)

    def __call__(self, doc: Doc) -> Doc:
        kb_spans: list[Span] = []
        for match in self.gazetteer.find(doc.text):
            span = doc.char_span(match.start, match.end, label=match.type, kb_id=match.iri, alignment_mode="expand")
            if span is not None:
                kb_spans.append(span)
        kb_spans = filter_spans(kb_spans)
        taken = {i for span in kb_spans for i in range(span.start, span.end)}
        statistical = [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))]
        doc.ents = filter_spans(kb_spans + statistical)
        return doc
