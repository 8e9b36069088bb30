"""Named sites the knowledge base does not hold: camps, bases, posts, hotels, embassies, markets, mines.

News names a site by a head noun of a site kind and a name beside it, and the
parse shows both:

* a name before the noun: "the X military camp", "the Y Hotel", "the French embassy";
* a name after it: "Hotel X", "le camp militaire de Y", "the camp of Z", "the camp at X".

Each becomes a ``Site`` entity labelled by its words (without the article);
a town named inside the phrase is where the site is. A later definite mention
of the same kind ("the camp", "le camp") refers back to the last site of that
kind the article named.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extract.context import ArticleContext
from kg.extract.lexicon import SITE_NOUNS
from kg.model import EntityRecord, EntityType

__all__ = ["link_sites", "shouting", "town_of_site"]

CONF_SITE, CONF_SITE_COREF = 0.6, 0.5
_NAME_DEPS = {"compound", "amod", "nmod", "flat", "flat:name", "appos", "nummod"}
_OF = {"of", "de", "du", "d'", "d’", "des"}
_AT = {"at", "à"}  # 'the camp at X', 'camp militaire à Y': the town that names the site
_DEFINITE = {"the", "this", "that", "le", "la", "l'", "l’", "ce", "cette"}
_SAME_IN_PLURAL = {"barracks", "headquarters"}
_PLACES = {EntityType.CITY, EntityType.REGION, EntityType.COUNTRY}


def _site_noun(token: Token, language: str) -> str | None:
    """The site kind a noun names ('camp', 'hôtel'), or None."""
    plural = "Plur" in token.morph.get("Number", None) and token.lower_ not in _SAME_IN_PLURAL
    if token.pos_ not in {"NOUN", "PROPN"} or plural:
        return None  # 'the army camps of X' names no one site
    nouns = SITE_NOUNS.get(language, SITE_NOUNS["en"])
    return nouns.get(token.lower_) or nouns.get(token.lemma_.lower())


def _is_name(token: Token) -> bool:
    """A word that can name a site: capitalised letters ('X', 'French')."""
    return token.text[:1].isupper() and token.pos_ in {"PROPN", "ADJ", "NOUN", "NUM"} and token.is_alpha


def _name_before(head: Token) -> int:
    """Index where the words naming ``head`` from its left start ('X military' camp)."""
    start = head.i
    for token in reversed(list(head.lefts)):
        if token.dep_ not in _NAME_DEPS or (
            token.i != start - 1 and not all(t.dep_ in _NAME_DEPS or t.is_punct for t in head.doc[token.i + 1 : start])
        ):
            break
        start = token.left_edge.i if token.dep_ != "amod" else token.i
    return start


def _name_after(head: Token) -> int:
    """Index after the words naming ``head`` from its right: 'Hotel X', 'camp militaire de Y'."""
    end = head.i + 1
    doc = head.doc
    while end < len(doc) and doc[end].dep_ == "amod" and doc[end].head.i == head.i and not doc[end].text[:1].isupper():
        end += 1  # 'camp militaire', 'base aérienne'
    if end < len(doc) and doc[end].lower_ in _OF | _AT and end + 1 < len(doc) and _is_name(doc[end + 1]):
        end += 1
    start = end
    after_of = doc[end - 1].lower_ in _OF | _AT  # 'le poste de X': a town, whatever NER thought
    while (
        end < len(doc)
        and _is_name(doc[end])
        and (after_of or doc[end].ent_type_ not in {"PERSON", "PER"})
        and (doc[end].head.i in range(head.i, end) or doc[end - 1].head.i == doc[end].i)
    ):
        end += 1  # 'camp of Z'; 'Hotel X', where 'Hotel' is a compound of the name
    return end if end > start else head.i + 1


def _taken(ctx: ArticleContext, para: int, start: int, end: int) -> bool:
    """The phrase overlaps a mention of a site or an actor already linked (the KB comes first)."""
    return any(
        p == para and s < end and start < e and ctx.type_of(iri) not in _PLACES
        for (p, s, e), iri in ctx.span_iri.items()
    )


def _named_site(head: Token) -> Span | None:
    """The site phrase around ``head`` when a name stands beside it, else None."""
    doc = head.doc
    start, end = _name_before(head), _name_after(head)
    if end == head.i + 1 and start == head.i:
        return None
    while start < head.i and (doc[start].lower_ in _DEFINITE or not doc[start].is_alpha):
        start += 1
    span = doc[start:end]
    named = [t for t in span if t.i != head.i and _is_name(t) and t.lower_ not in _OF | _AT]
    if any(t.is_punct and t.whitespace_ and t.i > span.start and doc[t.i - 1].whitespace_ for t in span):
        return None  # 'FLASH - Gunmen storm hotel': a headline's dash is no part of a name
    return span if named and len(span) <= 7 else None


def town_of_site(ctx: ArticleContext, site: str) -> str | None:
    """The town or region named inside a site's phrase ('Djibo' in 'camp militaire de Djibo'), if any."""
    if site not in ctx.site_spans:
        return None
    para, start, end = ctx.site_spans[site]
    span = ctx.paras[para].doc[start:end]
    return next(
        (
            iri
            for s, iri in ctx.mentions_in(para, span)
            if iri != site and ctx.type_of(iri) in {EntityType.CITY, EntityType.REGION}
        ),
        None,
    )


def shouting(sent: Span) -> bool:
    """A sentence in capitals (a headline, a section title): its capitals name nothing."""
    words = [t.text for t in sent if t.is_alpha and len(t.text) > 1]
    return len(words) >= 3 and sum(w.isupper() for w in words) > len(words) / 2


def _town_after_of(ctx: ArticleContext, para: int, span: Span, head: Token) -> None:
    """'le poste de X', 'the camp of X': the name after 'of' is a town; an unknown one
    becomes an open-world town, so that the site's event has a place."""
    doc = span.doc
    of = next((t for t in doc[head.i + 1 : span.end] if t.lower_ in _OF | _AT), None)
    if of is None or of.i + 1 >= span.end:
        return
    name = doc[of.i + 1 : span.end]
    if any(
        p == para and s < name.end and name.start < e and (s, e) != (span.start, span.end) for (p, s, e) in ctx.span_iri
    ):
        return
    record = EntityRecord(iri=str(ctx.minter.place(name.text)), label=name.text, type=EntityType.CITY, linked=False)
    ctx.add_mention(para, name, record, "site:town", CONF_SITE_COREF)


def link_sites(ctx: ArticleContext) -> None:
    """Add the article's named sites, and the definite mentions that refer back to them, to ``ctx``."""
    last: dict[str, str] = {}
    for p, para in enumerate(ctx.paras):
        for token in para.doc:
            kind = _site_noun(token, para.language)
            if kind is None or shouting(token.sent):
                continue
            span = _named_site(token)
            if span is not None and not _taken(ctx, p, span.start, span.end):
                record = EntityRecord(
                    iri=str(ctx.minter.place(span.text)), label=span.text, type=EntityType.SITE, linked=False
                )
                ctx.add_mention(p, span, record, "site:named", CONF_SITE)
                ctx.site_spans.setdefault(record.iri, (p, span.start, span.end))
                _town_after_of(ctx, p, span, token)
                last[kind] = record.iri
            elif span is None and kind in last and token.i > 0 and para.doc[token.i - 1].lower_ in _DEFINITE:
                if not _taken(ctx, p, token.i, token.i + 1):
                    site = ctx.entities[last[kind]]
                    ctx.add_mention(p, para.doc[token.i - 1 : token.i + 1], site, "coref:site", CONF_SITE_COREF)
