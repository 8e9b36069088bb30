"""Descriptions that name an entity by its role: "the junta", "Mali's army", "the airport".

This component only finds them and records any country the text ties them to
("Malian army", "Mali's government"); which entity they refer to is decided
for the whole article in :mod:`kg.extract.resolve`, where the article's
salient country, city and armed group are known.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.extract.lexicon import DEMONYMS, DESCRIPTORS

__all__ = ["DESCRIPTOR_KEY", "DescriptorComponent"]

DESCRIPTOR_KEY = "kg_descriptors"
_DEFINITE = {"the", "its", "their", "le", "la", "les", "l'", "l’", "this", "that", "these"}
_MODIFIER_DEPS = {"amod", "compound", "nmod", "nummod"}
# "state television broadcast footage": the small parser often reads these as compounds
_NAMES_EVEN_AS_MODIFIER = {"state_media"}

if not Span.has_extension("kg_country"):
    Span.set_extension("kg_country", default=None)


class DescriptorComponent:
    """spaCy component: role descriptions into ``doc.spans["kg_descriptors"]``."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for role, phrases in DESCRIPTORS.items():
            self.matcher.add(role, [nlp.make_doc(p) for p in phrases])

    def __call__(self, doc: Doc) -> Doc:
        ent_tokens = {i for e in doc.ents for i in range(e.start, e.end)}
        found: list[Span] = []
        for match_id, start, end in self.matcher(doc):
            role = doc.vocab.strings[match_id]
            if any(i in ent_tokens for i in range(start, end)):
                continue
            if role not in _NAMES_EVEN_AS_MODIFIER and not self._is_head(doc, end):
                continue
            start, country = self._country_prefix(doc, start)
            if role == "armed_group" and not self._refers_back(doc, start, end):
                continue
            span = Span(doc, start, end, label=role)
            span._.kg_country = country
            found.append(span)
        doc.spans[DESCRIPTOR_KEY] = filter_spans(found)
        return doc

    @staticmethod
    def _is_head(doc: Doc, end: int) -> bool:
        """The phrase is a noun phrase head, not a modifier ("military" in "military police")."""
        last = doc[end - 1]
        if last.dep_ in _MODIFIER_DEPS and last.head.i > last.i:
            return False
        if doc.lang_ != "en":
            return True  # French modifiers follow their noun ("l'armée malienne"); nothing to rule out here
        return not (
            end < len(doc)
            and doc[end].pos_ in {"NOUN", "PROPN"}
            and doc[end].dep_ != "appos"
            and doc[end].text[0].islower()
        )

    @staticmethod
    def _country_prefix(doc: Doc, start: int) -> tuple[int, str | None]:
        """Extend over a demonym ("Malian army") and report the country it names."""
        i = start - 1
        while i >= 0 and doc[i].pos_ == "ADJ" and doc[i].lower_ not in DEMONYMS:
            i -= 1
        if i >= 0 and doc[i].lower_ in DEMONYMS:
            return i, DEMONYMS[doc[i].lower_]
        if start >= 2 and doc[start - 1].lower_ in {"'s", "’s", "`s"} and doc[start - 2].ent_type_ == "Country":
            return start, doc[start - 2].ent_kb_id_ or None
        return start, None

    @staticmethod
    def _refers_back(doc: Doc, start: int, end: int) -> bool:
        """'the group' refers back; 'a group of terrorists' does not, unless it claims the attack."""
        head = doc[end - 1]
        if end < len(doc) and doc[end].lower_ in {"of", "de", "des", "du"}:
            return False
        if head.tag_ in {"NNS", "NNPS"} and head.lower_ != "jihadists":
            return False
        det = next((t for t in doc[max(0, start - 4) : end] if t.dep_ in {"det", "poss"}), None)
        if det is not None and det.lower_ in _DEFINITE:
            return True
        if det is not None and det.lower_ in {"no", "any", "aucun", "aucune"}:
            return False
        verb = head.head
        if verb.lemma_ in {"claim", "revendiquer"}:
            return True
        # 'An al-Qaeda-linked group said it was behind the attack': a claim in other words
        cues = {"behind", "responsible", "responsibility", "derrière", "responsabilité"}
        return verb.lemma_ in {"say", "announce", "state", "dire", "affirmer", "annoncer"} and any(
            t.lower_ in cues for t in verb.subtree
        )
