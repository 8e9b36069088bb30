"""Article-level entity resolution: KB links, open-world entities, descriptions in context.

Builds, for one article, the table of entities it mentions and a map from each
mention span to the entity's IRI, which the event, figure and relation rules
then read.
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Doc, Span, Token

from kg.extract.context import ArticleContext, Para
from kg.extract.descriptors import DESCRIPTOR_KEY
from kg.extract.lexicon import (
    DEMONYMS,
    DESCRIPTORS,
    ETHNIC_GROUPS,
    PERSON_TITLES,
    ROLE_TYPES,
    SITE_KINDS,
    SITE_NOUNS,
)
from kg.extract.sites import link_sites, shouting
from kg.model import EntityRecord, EntityType
from kg.text.fold import name_key

__all__ = ["ArticleContext", "Para", "resolve_entities"]

CONF_KB, CONF_DESCRIPTOR, CONF_OPEN = 0.95, 0.75, 0.6
_OPEN_LABELS = {"PERSON", "PER", "ORG", "GPE", "LOC", "FAC"}
_ORG_KEYWORDS: list[tuple[set[str], EntityType]] = [
    ({"army", "forces", "military", "police", "gendarmerie", "armée", "guard", "battalion"}, EntityType.STATE_FORCE),
    ({"ministry", "government", "presidency", "council", "ministère", "gouvernement", "junta"}, EntityType.STATE),
    (
        {
            "news",
            "agency",
            "television",
            "tv",
            "radio",
            "journal",
            "times",
            "post",
            "press",
            "media",
            "tribune",
            "herald",
            "agence",
            "télévision",
        },
        EntityType.NEWS,
    ),
    (
        {
            "group",
            "front",
            "movement",
            "brigade",
            "katiba",
            "militia",
            "jihadists",
            "rebels",
            "groupe",
            "mouvement",
            "coordination",
            "platform",
        },
        EntityType.ARMED_GROUP,
    ),
    ({"nations", "union", "community", "organisation", "organization", "mission", "bank", "fund"}, EntityType.IGO),
]
# 'al-Qaeda-linked', 'Montreal-based': a name used as a modifier, not an actor or a place
_MODIFIER_PARTICIPLES = {"affiliated", "linked", "allied", "backed", "aligned", "led", "inspired", "based"}
_REGION_WORDS = {
    "région",
    "province",
    "nord",
    "sud",
    "est",
    "ouest",
    "centre",
    "sahel",
    "lac",
    "delta",
    "zone",
    "boucle",
    "liptako",
    "gourma",
    "sahara",
    "afrique",
    "maghreb",
    "azawad",
}
_STOP_NAMES = {
    "islamist",
    "islamists",
    "jihadist",
    "jihadists",
    "sharia",
    "overview",
    "analysis",
    "conclusion",
    "recommendations",
    "context",
    "key developments",
    "tuesday",
    "monday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "covid",
    "twitter",
    "facebook",
    "whatsapp",
    "telegram",
    "x",
    "god",
    "allah",
}

_FOLDED_DESCRIPTORS = frozenset(name_key(phrase) for phrases in DESCRIPTORS.values() for phrase in phrases)


def _kb_record(ctx: ArticleContext, iri: str) -> EntityRecord | None:
    ent = ctx.kb.get(iri)
    if ent is None:
        return None
    return EntityRecord(iri=ent.iri, label=ent.label, type=ent.type, linked=True, wikidata=ent.wikidata)


def _is_modifier_mention(span: Span) -> bool:
    doc = span.doc
    end = span.end
    return end + 1 < len(doc) and doc[end].text in {"-", "–"} and doc[end + 1].lower_ in _MODIFIER_PARTICIPLES


def _link_kb_mentions(ctx: ArticleContext) -> None:
    for p, para in enumerate(ctx.paras):
        for ent in para.doc.ents:
            if not ent.kb_id_:
                continue
            record = _kb_record(ctx, ent.kb_id_)
            if record is not None:
                ctx.add_mention(p, ent, record, "kb-gazetteer", CONF_KB)
                if _is_modifier_mention(ent):
                    ctx.modifier_spans.add((p, ent.start, ent.end))


def _compute_salience(ctx: ArticleContext) -> None:
    countries: Counter[str] = Counter()
    cities: Counter[str] = Counter()
    groups: Counter[str] = Counter()
    for iri, record in ctx.entities.items():
        n = len(record.mentions)
        if record.type is EntityType.COUNTRY:
            countries[iri] += 2 * n
        elif record.type is EntityType.CITY:
            cities[iri] += n
            country = ctx.kb.country_of(iri)
            if country:
                countries[country] += 2 * n
        elif record.type is EntityType.ARMED_GROUP:
            used = sum(1 for (p, s, e), i in ctx.span_iri.items() if i == iri and (p, s, e) not in ctx.modifier_spans)
            if used:
                groups[iri] += used
    # 'Togolese soldiers', 'le gouvernement togolais' speak of their country too, but name who acts more often
    # than where: half the weight of a place named
    for para in ctx.paras:
        for token in para.doc:
            if token.lower_ in DEMONYMS and (named := ctx.kb.lookup(DEMONYMS[token.lower_])) is not None:
                countries[named.iri] += 1
    first: dict[str, int] = {}
    parents: set[str] = set()
    for (p, start, _end), iri in ctx.span_iri.items():
        if (p, start, _end) in ctx.modifier_spans:
            parents.add(iri)  # "al-Qaeda-linked": named as the parent of the actor, not the actor
        else:
            first[iri] = min(first.get(iri, 1 << 30), ctx.paras[p].start + start)

    def top(counter: Counter[str]) -> str | None:
        return max(counter, key=lambda k: (counter[k], k not in parents, -first.get(k, 0))) if counter else None

    ctx.salient_country = top(countries)
    ctx.salient_city = top(cities)
    ctx.salient_group = top(groups)


def _country_ref(ctx: ArticleContext, ref: str | None) -> str | None:
    if ref is None:
        return ctx.salient_country
    if ref.startswith(("http://", "https://")):
        return ref
    found = ctx.kb.lookup(ref)
    return found.iri if found is not None else ctx.salient_country


def _demonym_of(ctx: ArticleContext, country: str) -> str | None:
    ent = ctx.kb.get(country)
    if ent is None:
        return None
    return next((d.capitalize() for d, label in DEMONYMS.items() if label == ent.label and d.isascii()), None)


def _resolve_descriptor(ctx: ArticleContext, span: Span) -> EntityRecord | None:
    role = span.label_
    country = _country_ref(ctx, span._.kg_country)
    target = None
    if role == "armed_forces" and country:
        target = ctx.kb.of_country(country, "armed_forces_of")
    elif role == "government" and country:
        target = ctx.kb.of_country(country, "government_of")
    elif role == "capital" and country:
        target = next((e for e in ctx.kb if e.capital_of == country), None)
    elif role == "armed_group" and ctx.salient_group:
        target = ctx.kb.get(ctx.salient_group)
    elif role in SITE_KINDS and ctx.salient_city:
        target = next((s for kind in SITE_KINDS[role] if (s := ctx.kb.site_of_kind(ctx.salient_city, kind))), None)
    elif role == "state_media" and country and (demonym := _demonym_of(ctx, country)):
        label = f"{demonym} state television"
        kb_hit = ctx.kb.lookup(label)
        if kb_hit is not None:
            target = kb_hit
        else:
            return EntityRecord(iri=str(ctx.minter.actor(label)), label=label, type=EntityType.NEWS, linked=False)
    if target is None:
        return None
    return EntityRecord(iri=target.iri, label=target.label, type=target.type, linked=True, wikidata=target.wikidata)


def _link_descriptors(ctx: ArticleContext) -> None:
    for p, para in enumerate(ctx.paras):
        for span in para.doc.spans.get(DESCRIPTOR_KEY, []):
            record = _resolve_descriptor(ctx, span)
            if record is not None and record.type.value == ROLE_TYPES.get(span.label_, record.type.value):
                ctx.add_mention(p, span, record, f"descriptor:{span.label_}", CONF_DESCRIPTOR)


def _clean_name(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    if span.label_ in {"PERSON", "PER"}:  # 'Ibrahim X' + 'Y': the NER cut the name short
        while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper() and not doc[end].ent_type_:
            end += 1
    while start < end and (
        doc[start].lower_ in {"the", "a", "an", "le", "la", "les", "l'", "l’"} or doc[start].is_punct
    ):
        start += 1
    while end > start and (doc[end - 1].lower_ in {"'s", "’s", "`s"} or doc[end - 1].is_punct):
        end -= 1
    return doc[start:end] if end > start else None


def _open_world_type(span: Span, label: str) -> EntityType | None:
    if name_key(span.text) in ETHNIC_GROUPS or span.text.lower() in DEMONYMS:
        return None  # "Tuareg rebels", "their Malian driver": a people or a nationality, not a place
    if label in {"PERSON", "PER"}:
        return EntityType.PERSON
    if label == "GPE":
        return EntityType.CITY
    if label == "LOC":
        # French NER has no GPE: an unknown one-name LOC is a town or village far more often than a region
        words = {t.lower_ for t in span}
        if span.doc.lang_ == "fr" and len(span) <= 2 and not words & _REGION_WORDS:
            return EntityType.CITY
        return EntityType.REGION
    if label == "FAC":
        return EntityType.SITE
    words = {t.lower_ for t in span}
    for keywords, etype in _ORG_KEYWORDS:
        if words & keywords:
            return etype
    return EntityType.OTHER if label == "ORG" else None


_APPOSITION_POS = {"DET", "ADJ", "NOUN", "PROPN", "ADP", "PUNCT", "PRON"}


def _is_title(token: Token) -> bool:
    return token.lower_.rstrip(".") in PERSON_TITLES or token.lower_ in PERSON_TITLES


def _titled(span: Span) -> bool:
    """Whether a person's title stands beside a two-word name: before it ('Colonel X', 'le ministre de la
    Défense, X') or in apposition after it ('X, the junta's spokesman')."""
    if len(span) < 2 or not all(t.text[:1].isupper() for t in span if t.is_alpha):
        return False
    doc, sent = span.doc, span.sent
    if span.start > sent.start and _is_title(doc[span.start - 1]):
        return True
    if span.start - 1 > sent.start and doc[span.start - 1].text == ",":
        before = doc[max(sent.start, span.start - 7) : span.start - 1]
        titles = [t for t in before if _is_title(t)]
        if titles and all(t.pos_ in _APPOSITION_POS for t in doc[titles[-1].i : span.start - 1]):
            return True
    if span.end < sent.end and doc[span.end].text == ",":
        for t in doc[span.end + 1 : min(sent.end, span.end + 7)]:
            if _is_title(t):
                return True
            if t.pos_ not in _APPOSITION_POS or t.text == ",":
                return False
    return False


def _acceptable_open_name(span: Span, etype: EntityType) -> bool:
    text = span.text
    folded = name_key(text)
    if not folded or folded in _STOP_NAMES or any(c.isdigit() for c in text) or len(span) > 6:
        return False
    if not text[0].isupper() or not any(t.pos_ == "PROPN" for t in span):
        return False
    if folded in _FOLDED_DESCRIPTORS:
        return False
    if "@" in text or "#" in text or re.search(r"[“”\"]", text):
        return False
    return not (etype is EntityType.PERSON and len(span) < 2)


def _link_open_world(ctx: ArticleContext) -> None:
    taken: set[tuple[int, int]] = set()
    for p, para in enumerate(ctx.paras):
        sentence_starts = {s.start for s in para.doc.sents}
        for ent in _organisation_names(para.doc):
            if ent.kb_id_ or ent.label_ not in _OPEN_LABELS | {"MISC"} or _inside_site(ctx, p, ent):
                continue
            span = _clean_name(ent)
            if span is None or (ent.label_ == "MISC" and not _settlement(span)):
                continue
            kb_hit = ctx.kb.lookup(span.text)
            if kb_hit is not None:
                record = _kb_record(ctx, kb_hit.iri)
                assert record is not None
                ctx.add_mention(p, span, record, "kb-fuzzy", CONF_KB - 0.1)
                continue
            etype = _open_world_type(span, ent.label_)
            if etype not in {None, EntityType.PERSON} and _titled(span):
                etype = EntityType.PERSON  # 'le ministre de la Défense, X': the NER took X for a place
            elif (etype is None or not etype.is_place) and _settlement(span):
                etype = EntityType.CITY  # 'X, un village de la commune de Y': the NER took X for a person
            heading = (span.start in sentence_starts and len(span.sent) <= 6) or shouting(span.sent)
            if etype is None or heading or not _acceptable_open_name(span, etype):
                continue
            mint = ctx.minter.place if etype.is_place else ctx.minter.actor
            record = EntityRecord(iri=str(mint(span.text)), label=span.text, type=etype, linked=False)
            ctx.add_mention(p, span, record, f"ner:{ent.label_}", CONF_OPEN)
            if _is_modifier_mention(span):
                ctx.modifier_spans.add((p, span.start, span.end))  # 'Montreal-based': not where things happen
            taken.add((p, span.start))
    _link_surnames(ctx)


_SETTLEMENTS = {
    "village",
    "localité",
    "locality",
    "commune",
    "town",
    "hamlet",
    "hameau",
    "bourgade",
    "ville",
    "city",
}
_BUILT = {noun for nouns in SITE_NOUNS.values() for noun in nouns} | _SETTLEMENTS


def _settlement(span: Span) -> bool:
    """A one- or two-word name that a settlement word places: 'X, un village de…', 'X, a small town in…',
    'the village of X', 'le poste de douane de X'."""
    if len(span) > 2 or not span.text[:1].isupper():
        return False
    doc, sent = span.doc, span.sent
    after = doc[span.end : min(sent.end, span.end + 4)]
    if len(after) >= 2 and after[0].text == ",":
        noun = next((t for t in after[1:] if t.pos_ not in {"DET", "ADJ"}), None)
        if noun is not None and noun.lower_ in _SETTLEMENTS:
            return True
    before = doc[max(sent.start, span.start - 4) : span.start]
    return (
        len(before) >= 2
        and before[-1].lower_ in {"de", "d'", "d’", "of"}
        and any(t.lower_ in _BUILT or t.lemma_.lower() in _BUILT for t in before[:-1])
    )


_NAME_LINKS = {"pour", "de", "du", "des", "for", "of"}
_ORG_NOUNS = {
    "collective",
    "association",
    "movement",
    "coalition",
    "organisation",
    "organization",
    "group",
    "platform",
    "collectif",
    "mouvement",
    "groupe",
    "plateforme",
    "front",
}


def _organisation_names(doc: Doc) -> list[Span]:
    """The NER's entities, with names it cut at a lower-case link joined again ('Justice' + 'pour' +
    'X' → 'Justice pour X'), and names it called MISC after a word for an organisation
    ('le collectif Justice pour X')."""
    ents = list(doc.ents)
    out: list[Span] = []
    i = 0
    while i < len(ents):
        ent = ents[i]
        nxt = ents[i + 1] if i + 1 < len(ents) else None
        if (
            nxt is not None
            and ent.label_ == "ORG"
            and not ent.kb_id_
            and nxt.start == ent.end + 1
            and doc[ent.end].lower_ in _NAME_LINKS
            and nxt.text[:1].isupper()
        ):
            out.append(Span(doc, ent.start, nxt.end, label="ORG"))
            i += 2
            continue
        before = {t.lower_ for t in doc[max(0, ent.start - 2) : ent.start]}
        if ent.label_ == "MISC" and len(ent) >= 2 and before & _ORG_NOUNS:
            out.append(Span(doc, ent.start, ent.end, label="ORG"))
        else:
            out.append(ent)
        i += 1
    named = [span for span in map(_name_after_org_noun, doc) if span is not None]
    kept = [
        e
        for e in out
        if not any(n.start <= e.start < n.end or e.start <= n.start < e.end for n in named if not e.kb_id_)
    ]
    return sorted(
        kept + [n for n in named if not any(e.start == n.start and e.end == n.end for e in kept)],
        key=lambda span: span.start,
    )


def _name_after_org_noun(token: Token) -> Span | None:
    """'le collectif Justice pour X', 'the association Tabital Pulaaku': a name of capitalised
    words (and lower-case links) right after a word for an organisation."""
    if token.lower_ not in _ORG_NOUNS or token.i + 1 >= len(token.doc):
        return None
    doc = token.doc
    end = token.i + 1
    while end < len(doc) and (
        (doc[end].text[:1].isupper() and doc[end].is_alpha)
        or (doc[end].lower_ in _NAME_LINKS and end + 1 < len(doc) and doc[end + 1].text[:1].isupper())
    ):
        end += 1
    if end - token.i < 3 or not any(t.lower_ in _NAME_LINKS for t in doc[token.i + 1 : end]):
        return None  # a single name after the noun is the NER's to find; a link makes it one name
    return Span(doc, token.i + 1, end, label="ORG")


def _inside_site(ctx: ArticleContext, para: int, ent: Span) -> bool:
    """'X' of 'Hotel X': a name the site phrase already holds (a town inside it stays a town)."""
    return ent.label_ not in {"GPE", "LOC"} and any(
        p == para and s < ent.end and ent.start < e for p, s, e in ctx.site_spans.values()
    )


def _link_surnames(ctx: ArticleContext) -> None:
    """'Diarra' alone refers to the 'Oumar Diarra' the article named."""
    surnames = {
        name_key(r.label.split()[-1]): r
        for r in ctx.entities.values()
        if r.type is EntityType.PERSON and len(r.label.split()) >= 2
    }
    for p, para in enumerate(ctx.paras):
        for token in para.doc:
            if token.pos_ != "PROPN" or ctx.entity_at(p, token) is not None:
                continue
            record = surnames.get(name_key(token.text))
            if record is not None:
                ctx.add_mention(p, para.doc[token.i : token.i + 1], record, "coref:surname", CONF_DESCRIPTOR)


def resolve_entities(ctx: ArticleContext) -> None:
    """Fill ``ctx.entities`` and ``ctx.span_iri`` for the whole article."""
    _link_kb_mentions(ctx)
    _compute_salience(ctx)
    _link_descriptors(ctx)
    link_sites(ctx)
    _link_open_world(ctx)
