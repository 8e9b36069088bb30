"""Assemble an article's events from its triggers: dates, places, sites, perpetrators, claims, figures.

* Violent triggers that share a date and place, or name none, are one event
  ("the attack", "the assault", "the operation"); a trigger with its own date
  or place starts another (timelines).
* A trigger whose noun phrase carries a year ("the 2015 hotel siege", "a coup
  in 2021") is a historical event of its own, with year precision, never
  merged with the story's event.
* Dates are resolved against the publication date; an event with none takes
  the publication date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Span, Token

from kg.extract.context import ArticleContext
from kg.extract.figures import FigureCandidate, figures_in_sentence
from kg.extract.lexicon import (
    LANDMARK_PREPOSITIONS,
    REPORTING_VERBS,
    STANDALONE_OTHER,
    STATE_ACTS,
    TARGET_VERBS,
    WISH_VERBS,
)
from kg.extract.sites import town_of_site
from kg.extract.triggers import Trigger
from kg.model import (
    VIOLENT_TYPES,
    CasualtyFigure,
    Claim,
    EntityRecord,
    EntityType,
    EventRecord,
)
from kg.text.dates import DateMention, Precision, anchored, find_date_mentions

__all__ = ["extract_events"]

CONF_EVENT, CONF_HISTORICAL, CONF_CLAIM, CONF_FIGURE, CONF_HEADING_PLACE = 0.8, 0.7, 0.8, 0.7, 0.6
CONF_ENTRY = 0.6  # a timeline entry that names no event word: an event of its date, of unknown kind
_MIN_ENTRIES = 3  # dated paragraphs that make an article a timeline
_PLACE_TYPES = {EntityType.CITY, EntityType.REGION}
_STATE_LEVEL = {"Coup", "Sanction", "Withdrawal", "Expulsion"}
_SPEECH = {"Condemnation", "Statement"}  # said where the speaker's country is, unless the clause names a place
_EMBEDDED = {"ccomp", "advcl", "relcl", "acl:relcl", "conj", "xcomp", "parataxis"}
_WEEKEND = re.compile(r"week-?end", re.IGNORECASE)
_SINCE = re.compile(r"\b(since|depuis)\s*$", re.IGNORECASE)
_SAME_YEAR = re.compile(r"\b(that same year|the same year|that year|la même année|cette année-là)\b", re.IGNORECASE)


@dataclass
class _Cluster:
    record: EventRecord
    local_place: str | None = None
    fallback_date: DateMention | None = None
    para: int | None = None  # the paragraph that first reported it
    through: str | None = None  # the last day of its date's span (a night across two days)
    speaker: str | None = None  # who made a statement or a condemnation, if the text names them
    weak: bool = False  # started by a verb of killing: a noun that names the event ('embuscade') types it


def _attached_years(trigger: Trigger, sent: Span, dates: list[DateMention]) -> list[DateMention]:
    """Year-precision dates inside the trigger's own phrase: 'a 2021 coup', 'two coups in 2020 and 2021'."""
    root = trigger.span.root
    # a verb's own clause; a noun's own phrase, without clauses or coordinated nouns ("the 2015 siege and a
    # 2022 assault")
    verbal = root.pos_ in {"VERB", "AUX"}
    own = _own_tokens(root, _EMBEDDED | {"acl"} if verbal else {"relcl", "acl:relcl", "acl", "conj"})
    subtree = [t for t in root.subtree if t.i in own]
    lo = min(t.idx for t in subtree) - sent.start_char
    hi = max(t.idx + len(t) for t in subtree) - sent.start_char
    phrase_end = max(hi, trigger.span.end_char - sent.start_char)
    governor = _governing_verb(root)
    return [
        d
        for d in dates
        if d.precision is Precision.YEAR
        and (
            (lo <= d.start and d.end <= phrase_end and not _inside_other_noun(sent, d, root))
            or (governor is not None and root.pos_ == "NOUN" and _free_date_of(_last_token(sent, d)) == governor)
        )
    ]


def _last_token(sent: Span, d: DateMention) -> Token | None:
    """The head word of a date phrase: 'year' in 'last year', '2021' in 'in 2021'."""
    return next((t for t in reversed(sent) if t.idx - sent.start_char < d.end), None)


def _free_date_of(token: Token | None) -> int | None:
    """The verb a date hangs from directly ('in 2021', 'last year'), or None when a noun owns it ('the 2015 siege')."""
    if token is None:
        return None
    current = token
    while current.head.i != current.i:
        current = current.head
        if current.pos_ in {"VERB", "AUX"}:
            return current.i
        if current.pos_ in {"NOUN", "PROPN"}:
            return None
    return None


def _governing_verb(token: Token | None) -> int | None:
    """Index of the first verb above ``token`` ('ordered' for 'the withdrawal' in 'ordered the withdrawal')."""
    while token is not None:
        token = token.head if token.head.i != token.i else None
        if token is not None and token.pos_ in {"VERB", "AUX"}:
            return token.i
    return None


def _inside_other_noun(sent: Span, d: DateMention, root: Token) -> bool:
    token = next((t for t in sent if t.idx - sent.start_char == d.start), None)
    return token is not None and token.head.pos_ == "NOUN" and token.head.i != root.i and token.head.head.i != root.i


def _reporting_date(sent: Span, d: DateMention, triggers: set[int]) -> bool:
    """'the army said on Monday', 'citée vendredi': the date of a report, not of the event
    ('claimed Tuesday's assault' keeps Tuesday: it belongs to the assault)."""
    token = next((t for t in sent if t.idx - sent.start_char >= d.start), None)
    while token is not None and token.pos_ not in {"VERB", "AUX"}:
        if token.i in triggers:
            return False
        token = token.head if token.head.i != token.i else None
    return token is not None and token.i not in triggers and token.lemma_.lower() in REPORTING_VERBS | {"cite", "citer"}


def _own_date(trigger: Trigger, sent: Span, dates: list[DateMention]) -> DateMention | None:
    """A day or month before the trigger in its own phrase ('the weekend massacre', "Sunday's attack", 'the
    12 March attack'); not a phrase after it, which the parser often hangs there wrongly ('condemned the
    attack on Monday')."""
    root = trigger.span.root
    if root.pos_ not in {"NOUN", "PROPN"}:
        return None
    own = {i for i in _own_tokens(root, {"relcl", "acl:relcl", "acl", "conj"}) if i < root.i}
    chars = {(sent.doc[i].idx - sent.start_char) for i in own}
    found = next((d for d in dates if d.precision is not Precision.YEAR and d.start in chars), None)
    if found is not None:
        return found
    # 'les attaques qui ont frappé la région jeudi': the day of its own relative clause
    for clause in (c for c in root.children if c.dep_ in {"relcl", "acl:relcl"}):
        if clause.lemma_.lower() in REPORTING_VERBS:
            continue
        chars = {sent.doc[i].idx - sent.start_char for i in _own_tokens(clause, _EMBEDDED)}
        found = next((d for d in dates if d.precision is not Precision.YEAR and d.start in chars), None)
        if found is not None:
            return found
    return None


def _date_of_phrase(trigger: Trigger, sent: Span, dates: list[DateMention]) -> DateMention | None:
    """'le massacre du 3 mai', 'the attack of 12 March': a date joined to the noun by 'of'."""
    root = trigger.span.root
    for child in root.children:
        if child.dep_ not in {"nmod", "prep", "obl"}:
            continue
        marker = child if child.dep_ == "prep" else next((c for c in child.children if c.dep_ == "case"), None)
        if marker is None or marker.lower_ not in {"of", "de", "du", "d'", "d’"}:
            continue
        chars = {t.idx - sent.start_char for t in child.subtree}
        found = next((d for d in dates if d.precision is not Precision.YEAR and d.start in chars), None)
        if found is not None:
            return found
    return None


def _landmark(span: Span) -> bool:
    """'near the airport', 'outside the city': a landmark, not where the event happened."""
    before = [t.lower_ for t in span.doc[max(0, span.start - 3) : span.start]]
    return bool(set(before) & LANDMARK_PREPOSITIONS)


def _place_in(ctx: ArticleContext, para: int, sent: Span, trigger: Trigger | None = None) -> str | None:
    """Where the sentence's event happened: a town or region in the trigger's own phrase ('the attack on the
    post at X'), else the first of the sentence ('near Tongo Tongo' is where a rural attack happened);
    never a dateline ('OUAGADOUGOU -') or where a source spoke from ('speaking from Djibo')."""
    places = _event_places(ctx, para, sent)
    # '60 kilometres south-east of X', 'à 120 km au nord de la capitale': a point of reference, last
    places.sort(key=lambda found: _reference_point(found[0]))
    if trigger is not None:
        own = {t.i for t in trigger.span.root.subtree} - {t.i for t in trigger.span}
        inside = [iri for span, iri in places if span.start in own]
        if inside:
            return inside[0]
    return places[0][1] if places else None


_COMPASS = re.compile(
    r"\b(north|south|east|west|northeast|northwest|southeast|southwest|nord|sud|est|ouest|km|kilomet\w*|miles)"
    r"([- ](east|west|est|ouest))?\s+(of|from|de|du|d['’])\s+(the\s+|la\s+|l['’])?$",
    re.IGNORECASE,
)


def _reference_point(span: Span) -> bool:
    """'south-east of X', 'au nord de Y': a town the place is measured from."""
    return bool(_COMPASS.search(span.doc[max(span.sent.start, span.start - 6) : span.start].text + " "))


def _event_places(ctx: ArticleContext, para: int, sent: Span) -> list[tuple[Span, str]]:
    """The towns and regions of a sentence that can be where its event happened: not a dateline, a source's
    town, a capital standing for its government or a region as wide as the Sahel."""
    filed = sent.start_char + _dateline_end(sent)
    return [
        (span, iri)
        for span, iri in ctx.mentions_in(para, sent)
        if ctx.type_of(iri) in _PLACE_TYPES
        and not ctx.is_modifier(para, span)
        and span.start_char >= filed
        and not _dateline(span)
        and not _source_location(span)
        and not _acts(ctx, span, iri)
        and not _supranational(ctx, iri)
    ]


def _phrase_place(ctx: ArticleContext, para: int, sent: Span, trigger: Trigger) -> str | None:
    """A town or region inside the trigger's own phrase ('the attack on the camp at X'), or None."""
    own = {t.i for t in trigger.span.root.subtree} - {t.i for t in trigger.span}
    return next((iri for span, iri in _event_places(ctx, para, sent) if span.start in own), None)


def _supranational(ctx: ArticleContext, place: str) -> bool:
    """'the Sahel', 'West Africa': a KB region in no one country is too wide to be where an event happened."""
    return ctx.type_of(place) is EntityType.REGION and ctx.entities[place].linked and ctx.kb.country_of(place) is None


def _acts(ctx: ArticleContext, span: Span, iri: str) -> bool:
    """'the capital acknowledged losses', 'Bamako accuses Algiers': a capital that acts stands for its government
    (a village the parser makes a subject does not)."""
    known = ctx.kb.get(iri)
    capital = span.root.lower_ in {"capital", "capitale"} or (known is not None and known.capital_of is not None)
    return capital and span.root.dep_ == "nsubj" and span.root.head.pos_ in {"VERB", "AUX"}


def _dateline(span: Span) -> bool:
    """'OUAGADOUGOU -', 'NIAMEY, Aug 3 (Sahel Wire) -', 'Bamako, 12 mai —': the place a story was filed from."""
    doc = span.doc
    if span.start != span.sent.start and not (span.start > 0 and doc[span.start - 1].is_space):
        return False
    rest = doc[span.end : min(len(doc), span.end + 12)].text
    return bool(re.match(r"^\s*(,[^.;]{0,40}?)?\s*(\([^)]{0,40}\))?\s*[—–-]{1,2}\s", rest)) or (
        span.text.isupper() and len(span.text) > 3 and rest.lstrip().startswith(",")
    )


_DATELINE_PREFIX = re.compile(r"^\s*[A-ZÀ-Ý][\w'’ .-]{1,30}?,?\s*[^—–\n]{0,40}?\s[—–-]{1,2}\s")


def _dateline_end(sent: Span) -> int:
    """Where a dateline at the start of a sentence ends ('NIAMEY, Aug 3 (Sahel Wire) - '), or 0: its date is
    the filing date, not the event's."""
    m = _DATELINE_PREFIX.match(sent.doc.text)  # the paragraph's: the parser may cut 'NIAMEY' off as a sentence
    if m is None or m.end() <= sent.start_char or not (place := m.group(0).split(",")[0].strip(" -–—")).isupper():
        return 0
    # 'SEPT. 16 - RSP soldiers…': a timeline entry's date, not a dateline's place
    if find_date_mentions(place, None) or find_date_mentions(place, date(2000, 1, 1)):
        return 0
    return m.end() - sent.start_char


_SOURCE_CUES = re.compile(
    r"\b(speaking|spoke|reached|contacted|joint|jointe|joints|interrogé\w*|contacté\w*)\s+"
    r"(by\s+\w+\s+)?(from|in|at|depuis|à|au)\s+(the\s+)?(town of\s+|city of\s+)?$",
    re.IGNORECASE,
)


def _source_location(span: Span) -> bool:
    """'a source speaking from Djibo', 'joint au téléphone depuis Dapaong': where a source was, not the event."""
    before = span.doc[max(span.sent.start, span.start - 8) : span.start].text + " "
    if re.search(
        r"\b(sources?|officials?|residents?|witness(es)?|responsables?|habitants?|témoins?"
        r"|sécuritaires?|locales?|local|security|militaires?|diplomat\w*|analyst\w*)"
        r"\s+(based\s+)?(in|at|à|au)\s+(the\s+)?$",
        before,
        re.IGNORECASE,
    ):
        return True  # 'a security source in Ouagadougou', 'une source sécuritaire à Niamey'
    return bool(_SOURCE_CUES.search(before)) or bool(
        re.search(
            r"\b(by telephone|by phone|par téléphone|au téléphone)\s+(from|depuis)\s+(the\s+)?"
            r"(\w+\s+)?(town of\s+)?$",
            before,
            re.IGNORECASE,
        )
    )


def _own_tokens(head: Token, embedded: set[str]) -> set[int]:
    """Token indices of ``head``'s subtree without the clauses embedded in it at any depth (the subtrees
    attached by ``embedded``; coordination only at the head's own level): 'ended the accord signed in 2015'
    owns 'the accord', not 'signed in 2015'; 'coups in 2020 and 2021' owns both years."""
    own: set[int] = {head.i}
    todo = [c for c in head.children if c.dep_ not in embedded]
    while todo:
        token = todo.pop()
        own.add(token.i)
        todo.extend(c for c in token.children if c.dep_ not in embedded - {"conj"})
    return own


def _verb_of(anchor: Span) -> Token:
    """The verb of the clause that reports ``anchor`` (its own root when no verb is above it)."""
    root = anchor.root
    return (
        root if root.pos_ in {"VERB", "AUX"} else next((a for a in root.ancestors if a.pos_ in {"VERB", "AUX"}), root)
    )


def _clause(anchor: Span) -> set[int]:
    """Token indices of the clause that reports ``anchor``: its verb's subtree minus embedded clauses."""
    return _own_tokens(_verb_of(anchor), _EMBEDDED)


def _nearest_place(ctx: ArticleContext, para: int, sent: Span, anchor: Span) -> str | None:
    """The place named closest to ``anchor`` in its clause ('Mali's officers seized power in 2020')."""
    clause = _clause(anchor)
    own = {t.i for t in anchor.root.subtree}
    mentions = [
        (span, iri)
        for span, iri in ctx.mentions_in(para, sent)
        if span.start in clause and not ctx.is_modifier(para, span)
    ]
    # a place inside the trigger's own phrase ("les putschs de 2020 au Mali") first, then the nearest;
    # towns and countries before wide regions
    candidates = [
        (span.start not in own, ctx.type_of(iri) is EntityType.REGION, abs(span.start - anchor.start), iri)
        for span, iri in mentions
        if ctx.type_of(iri) in _PLACE_TYPES | {EntityType.COUNTRY}
    ]
    if not candidates:
        # "the country's leader", "Mali's junta": a government or force stands for its country
        candidates = [
            (False, False, abs(span.start - anchor.start), c)
            for span, iri in mentions
            if (c := ctx.kb.country_of(iri)) and ctx.type_of(iri) in {EntityType.STATE, EntityType.STATE_FORCE}
        ]
    return min(candidates)[3] if candidates else None


def _expelled_from(ctx: ArticleContext, para: int, sent: Span, trigger: Trigger) -> str | None:
    """'ordered the ambassador out of X', 'expelled from Y', 'given 48 hours to leave Z': the country left."""
    clause = _clause(trigger.span) | {t.i for t in trigger.span.root.subtree}
    for span, iri in ctx.mentions_in(para, sent):
        root = span.root
        if span.start not in clause or ctx.type_of(iri) not in _PLACE_TYPES | {EntityType.COUNTRY}:
            continue
        via = root.head
        if (root.dep_ == "pobj" and via.lower_ in {"of", "from", "de", "du", "des"}) or (
            root.dep_ in {"dobj", "obj"} and via.lemma_.lower() in {"leave", "quitter"}
        ):
            return iri
    return None


_HEADING = re.compile(r"^\W*(?P<date>.{4,40}?)\s*[—–:-]+\s*(?P<place>[^.]{2,60})$")


def _timeline_heading(ctx: ArticleContext, para: int, published: date | None) -> tuple[DateMention, str | None] | None:
    """'4 October 2017 — Tongo Tongo': a timeline entry's date and place, for the paragraphs under it."""
    doc = ctx.paras[para].doc
    text = doc.text
    m = _HEADING.match(text)
    if m is None or len(text.split()) > 10:
        return None
    dates = find_date_mentions(m.group("date"), published)
    if not dates or (dates[0].precision is Precision.YEAR and len(m.group("date")) > 6):
        return None
    place = next((iri for span, iri in ctx.mentions_in(para) if ctx.type_of(iri) in _PLACE_TYPES), None)
    span = doc.char_span(m.start("place"), m.end("place"), alignment_mode="expand")
    if place is None and span is not None and span.text[:1].isupper():
        record = EntityRecord(iri=str(ctx.minter.place(span.text)), label=span.text, type=EntityType.CITY, linked=False)
        ctx.add_mention(para, span, record, "timeline-heading", CONF_HEADING_PLACE)
        place = record.iri
    return dates[0], place


_ENTRY = re.compile(r"^\s*[—–:-]{1,2}\s")


_ENTRY_LEAD = re.compile(r"^\W{0,2}(le|on|en|in)\s+", re.IGNORECASE)
_DAY_RANGE = re.compile(r"^\s*(?P<first>[0-3]?\d)\s*(?:[-–]|to|au|à)\s*(?=[0-3]?\d\s+\w)")
_SPAN_TO = re.compile(r"^\s*(?:to|au|à|[-–])\s+", re.IGNORECASE)


def _timeline_entry(text: str, published: date | None) -> DateMention | None:
    """'SEPT. 16 - RSP soldiers burst into…', '12 mars : …': the date a timeline paragraph opens with; a span
    ('18-24 January - …', '30 March to 1 April - …') is dated by its first day."""
    if (r := _DAY_RANGE.match(text)) is not None:  # '18-24 January': the first day of the second's month
        rest = find_date_mentions(text[r.end() : r.end() + 30], published)
        if (
            rest
            and rest[0].start == 0
            and rest[0].precision is Precision.DAY
            and _ENTRY.match(text[r.end() + rest[0].end :])
        ):
            day = rest[0].value.replace(day=int(r.group("first")))
            return DateMention(
                0, r.end() + rest[0].end, text[: r.end() + rest[0].end], day, Precision.DAY, rest[0].relative
            )
    found = find_date_mentions(text[:40], published)
    if found and found[0].start <= 2 and (m := _SPAN_TO.match(text[found[0].end :])) is not None:
        second = find_date_mentions(text[found[0].end + m.end() : found[0].end + m.end() + 30], published)
        if second and second[0].start == 0 and _ENTRY.match(text[found[0].end + m.end() + second[0].end :]):
            return found[0]  # '30 March to 1 April - …'
    lead = _ENTRY_LEAD.match(text)
    first = lead.end() if lead is not None else 2  # 'Le 3 mai : …', 'On 3 May: …'
    if not found or found[0].start > first or (found[0].precision is Precision.YEAR and len(found[0].text) > 4):
        return None
    return found[0] if _ENTRY.match(text[found[0].end :]) else None


def _sites_in(ctx: ArticleContext, para: int, sent: Span) -> list[str]:
    return [
        iri for span, iri in ctx.mentions_in(para, sent) if ctx.type_of(iri) is EntityType.SITE and not _landmark(span)
    ]


def _place_of_site(ctx: ArticleContext, site: str) -> str | None:
    ent = ctx.kb.get(site)
    if ent is None:
        return town_of_site(ctx, site)
    return next((p for p in ent.located_in if (e := ctx.kb.get(p)) and e.type in _PLACE_TYPES), None)


def _new_record(etype: str, trigger: Trigger, sent: Span, offset: int, historical: bool) -> EventRecord:
    return EventRecord(
        type=etype,
        date=None,
        precision=None,
        date_text=None,
        place=None,
        country=None,
        evidence=sent.text.strip(),
        start=offset + trigger.span.start_char,
        end=offset + trigger.span.end_char,
        rule="trigger:historical" if historical else f"trigger:{trigger.span.root.lemma_.lower()}",
        confidence=CONF_HISTORICAL if historical else CONF_EVENT,
        historical=historical,
    )


def _set_date(record: EventRecord, d: DateMention | None) -> None:
    if d is not None and record.date is None:
        record.date, record.precision, record.date_text = d.iso, d.precision.value, d.text


def _actor_mentions(ctx: ArticleContext, para: int, tokens: list[Token], etype: EntityType) -> list[str]:
    out = []
    for tok in tokens:
        iri = ctx.entity_at(para, tok)
        if iri and ctx.type_of(iri) is etype and iri not in out:
            span = next((s for s, i in ctx.mentions_in(para) if i == iri and s.start <= tok.i < s.end), None)
            if span is not None and not ctx.is_modifier(para, span):
                out.append(iri)
    return out


_FIGHTERS = (EntityType.ARMED_GROUP, EntityType.STATE_FORCE, EntityType.PMC)


def _perpetrators(ctx: ArticleContext, para: int, trigger: Trigger) -> list[str]:
    """Armed groups, forces and contractors that are the subject or agent of a violent trigger, or possess it
    ('JNIM fighters attacked', 'the army stormed', "the group's assault", 'an attack by X', 'menée par X')."""
    root = trigger.span.root
    verbs = [root] + [a for a in root.ancestors if a.lemma_.lower() in TARGET_VERBS][:1]
    tokens: list[Token] = []
    for verb in verbs:
        for child in verb.children:
            if child.dep_ in {"nsubj", "poss", "agent", "nmod:poss", "obl:agent"} or (
                child.dep_ in {"prep", "acl"} and child.lower_ in {"by", "par"}
            ):
                tokens.extend(child.subtree)
            elif child.dep_ == "acl" and child.lemma_.lower() in {"mener", "perpétrer", "conduire", "lancer", "carry"}:
                tokens.extend(t for c in child.children if c.dep_ in {"obl:agent", "agent", "prep"} for t in c.subtree)
        if verb.dep_ in {"acl", "relcl"} and verb.head.dep_ in {"nsubj", "nsubjpass"}:
            tokens.extend(verb.head.subtree)
    # 'a joint operation by the army to track down the attackers': a back-reference names who responded
    fighters = (EntityType.ARMED_GROUP,) if trigger.coref_only else _FIGHTERS
    return [iri for etype in fighters for iri in _actor_mentions(ctx, para, tokens, etype)]


_BLAME = re.compile(
    r"\b(blam\w*|attribut\w*|pinned|carried out by|perpetrated by|attribu\w*|imput\w*"
    r"|perpétré\w* par|commis\w* par)\b",
    re.IGNORECASE,
)


def _blamed(ctx: ArticleContext, para: int, sent: Span) -> list[str]:
    """'the killings were blamed on X', 'des témoins attribuent ces tueries à X' → X (an armed group)."""
    m = _BLAME.search(sent.text)
    if m is None:
        return []
    after = sent.start_char + m.end()
    return [
        iri
        for span, iri in ctx.mentions_in(para, sent)
        if span.start_char >= after and ctx.type_of(iri) is EntityType.ARMED_GROUP and not ctx.is_modifier(para, span)
    ][:1]


def _claims(ctx: ArticleContext, para: int, sent: Span) -> list[Claim]:
    """Claims of responsibility in a sentence: 'X claimed …', 'claimed by X', 'revendiqué par X'."""
    out = []
    for tok in sent:
        if tok.lemma_.lower() not in {"claim", "revendiquer", "revendication"} or _negated(tok):
            continue
        tokens: list[Token] = []
        if tok.pos_ == "NOUN":  # "In its claim of responsibility, JNIM said …"
            verb = next((a for a in tok.ancestors if a.pos_ in {"VERB", "AUX"}), None)
            subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubj:pass"}] if verb is not None else []
            tokens.extend(t for c in [*subjects, *(c for c in tok.children if c.dep_ == "poss")] for t in c.subtree)
        for child in tok.children:
            if child.dep_ in {"nsubj", "agent", "obl:agent", "nsubj:pass"} or (
                child.dep_ in {"prep", "case", "obl"} and child.lower_ in {"by", "par"}
            ):
                tokens.extend(child.subtree)
        if tok.dep_ in {"acl", "relcl"} and tok.head.pos_ == "NOUN":
            tokens.extend(t for t in tok.subtree if t.i > tok.i)
        for claimant in _actor_mentions(ctx, para, tokens, EntityType.ARMED_GROUP)[:1]:
            out.append(
                Claim(
                    claimant=claimant,
                    evidence=sent.text.strip(),
                    rule="claim:" + tok.lemma_.lower(),
                    confidence=CONF_CLAIM,
                )
            )
    return out


def _deciders(ctx: ArticleContext, para: int, trigger: Trigger) -> list[str]:
    """Who made a decision or statement: the subject of the trigger, or of the verb that governs it
    ('the junta ordered the withdrawal'), or of the verb reporting it; a country named as subject stands for
    its government; a person speaking is the speaker, not their organisation."""
    verb = _deciding_verb(trigger.span.root)
    if verb is None:
        return []
    heads = [c for c in verb.children if c.dep_ in {"nsubj", "nsubj:pass"}]
    if (not heads or all(h.pos_ == "PRON" for h in heads)) and verb.dep_ == "ccomp":
        # 'Burkina Faso, Mali and Niger said they were leaving ECOWAS': who said it decided it
        heads = [c for c in verb.head.children if c.dep_ in {"nsubj", "nsubj:pass"}]
    subject = [t for h in heads for t in h.subtree]
    speaker = [ctx.entity_at(para, h) for h in heads]
    people = [i for i in speaker if i and ctx.type_of(i) is EntityType.PERSON]
    if people and trigger.type in _SPEECH:
        return list(dict.fromkeys(people))  # 'the UN secretary-general, X, condemned': X
    found = [
        i
        for etype in (
            EntityType.STATE,
            EntityType.IGO,
            EntityType.ARMED_GROUP,
            EntityType.STATE_FORCE,
            EntityType.COUNTRY,
            EntityType.PERSON,
        )
        for i in _actor_mentions(ctx, para, subject, etype)
    ]
    out = []
    for iri in found:
        if ctx.type_of(iri) is EntityType.COUNTRY and (gov := ctx.kb.of_country(iri, "government_of")):
            iri = gov.iri
        if iri not in out:
            out.append(iri)
    return out


def _deciding_verb(root: Token) -> Token | None:
    """The verb whose subject decided ``root``: the trigger itself when it is a verb, the verb governing a
    noun trigger ('announced the suspension and the expulsion'), climbing coordinations ('closed the border
    and expelled the ambassador' share one subject) and control verbs ('decided to withdraw')."""
    token = root
    while token.dep_ == "conj" and token.head.i != token.i and token.pos_ == token.head.pos_:
        token = token.head  # 'the suspension and the expulsion': the first conjunct's verb governs both
    if token.pos_ not in {"VERB", "AUX"}:
        if token.dep_ not in {"dobj", "obj", "nsubjpass", "nsubj:pass"}:
            return None
        token = token.head
    while not any(c.dep_ in {"nsubj", "nsubj:pass"} for c in token.children):
        if token.dep_ not in {"conj", "xcomp"} or token.head.i == token.i or token.head.pos_ not in {"VERB", "AUX"}:
            break
        token = token.head
    return token


def _speaker(trigger: Trigger) -> str | None:
    """The head word of who speaks ('X condemned', 'the mission said … it condemns'): two speakers make two
    statements; a pronoun names no one new."""
    verb = _deciding_verb(trigger.span.root)
    if verb is None:
        return None
    while verb is not None:
        subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubj:pass"}), None)
        if subject is not None and subject.pos_ != "PRON":
            return subject.lemma_.lower()
        # 'X said … that it condemns': the reporting verb's subject speaks
        verb = verb.head if verb.dep_ in {"ccomp", "conj"} and verb.head.i != verb.i else None
    return None


def _negated(verb: Token) -> bool:
    """'No group has claimed', 'has not claimed', 'n'a pas revendiqué'."""
    if any(c.dep_ in {"neg", "advmod"} and c.lower_ in {"not", "n't", "never", "pas", "jamais"} for c in verb.children):
        return True
    return any(
        c.dep_ in {"nsubj", "nsubj:pass"} and any(d.lower_ in {"no", "aucun", "aucune"} for d in c.children)
        for c in verb.children
    )


def _figure(ctx: ArticleContext, para: int, cand: FigureCandidate) -> CasualtyFigure:
    source = ctx.entity_at(para, cand.source_token) if cand.source_token is not None else None
    if source is None and cand.source_token is not None:
        # "Mali's state television": the actor in the phrase, not the country that qualifies it
        inside = [
            i
            for s, i in ctx.mentions_in(para)
            if s.start >= cand.source_token.left_edge.i and s.end <= cand.source_token.right_edge.i + 1
        ]
        # 'a security source in Ouagadougou' is a source, not the town: only its words are kept
        source = next((i for i in inside if not ctx.type_of(i).is_place), None)
    return CasualtyFigure(
        kind=cand.kind,
        count=cand.count,
        qualifier=cand.qualifier,
        victim_text=cand.victim_text,
        victim=None,
        source=source,
        source_text=cand.source_text,
        evidence=cand.sentence.text.strip(),
        rule="figure:pattern",
        confidence=CONF_FIGURE,
    )


class _Assembler:
    """Walks an article's triggers in order and groups them into events."""

    def __init__(self, ctx: ArticleContext, published: date | None) -> None:
        self.ctx = ctx
        self.published = published
        self.violent: list[_Cluster] = []
        self.other: list[_Cluster] = []
        self.historical: list[EventRecord] = []
        self.last_year: DateMention | None = None
        self._dates: dict[tuple[int, int], list[DateMention]] = {}
        self.entries = 0  # timeline entries and headings: in a timeline, one entry's place is not another's
        self.told = 0  # sentences that reported an event (started or joined one)
        self.quiet_headings: list[tuple[int, tuple[DateMention, str | None]]] = []  # headings that told none

    def run(self) -> list[EventRecord]:
        heading: tuple[DateMention, str | None] | None = None
        entries = [_timeline_entry(para.doc.text, self.published) for para in self.ctx.paras]
        timeline = sum(e is not None for e in entries)
        opened: tuple[int, int] | None = None  # the paragraph after the current heading, and self.told then
        for p, para in enumerate(self.ctx.paras):
            if (found := _timeline_heading(self.ctx, p, self.published)) is not None:
                self._close_heading(opened, heading)
                heading, opened = found, (p + 1, self.told)
                self.entries += 1
                continue
            entry = entries[p]
            self.entries += entry is not None
            told = self.told
            for sent in para.doc.sents:
                triggers = [t for t in para.doc._.kg_triggers if sent.start <= t.span.start < sent.end]
                self._sentence(p, sent, triggers, (entry, None) if entry is not None else heading)
            if entry is not None and timeline >= _MIN_ENTRIES and self.told == told:
                self._entry_event(p, entry)
        self._close_heading(opened, heading)
        if self.entries >= _MIN_ENTRIES:
            for p, (when, place) in self.quiet_headings:
                self._entry_event(p, when, place)
        return self._finish()

    def _close_heading(self, opened: tuple[int, int] | None, heading: tuple[DateMention, str | None] | None) -> None:
        """The paragraphs under a timeline heading that told no event tell one of its date and place."""
        if opened is not None and heading is not None and opened[1] == self.told and opened[0] < len(self.ctx.paras):
            self.quiet_headings.append((opened[0], heading))

    def _entry_event(self, p: int, entry: DateMention, place: str | None = None) -> None:
        """A timeline entry is an event of its date even when no event word names it ('6 May - X promulgates
        the new constitution'): one of unknown kind, reported by the entry's first sentence."""
        doc = self.ctx.paras[p].doc
        sent = next((s for s in doc.sents if place is not None or s.end_char > entry.end), None)
        if sent is None:
            return
        trig = Trigger(doc[sent.root.i : sent.root.i + 1], "Other", generic=False, coref_only=False)
        record = _new_record("Other", trig, sent, self.ctx.paras[p].start, historical=False)
        record.rule, record.confidence = "timeline-entry", CONF_ENTRY
        _set_date(record, entry)
        record.sites = _sites_in(self.ctx, p, sent)
        record.perpetrators = _deciders(self.ctx, p, trig)
        self.other.append(_Cluster(record, local_place=_place_in(self.ctx, p, sent, trig) or place, para=p))

    def _sentence(
        self, p: int, sent: Span, triggers: list[Trigger], heading: tuple[DateMention, str | None] | None = None
    ) -> None:
        dates = [d for d in self._dates_of(sent) if d.end > _dateline_end(sent)]
        if self.last_year is not None and (same := _SAME_YEAR.search(sent.text)):
            dates.append(
                DateMention(
                    same.start(), same.end(), same.group(0), self.last_year.value, Precision.YEAR, relative=True
                )
            )
        years_here = [d for d in dates if d.precision is Precision.YEAR]
        if years_here:
            self.last_year = years_here[-1]
        roots = {t.span.root.i for t in triggers}
        local = next(
            (
                d
                for d in dates
                if d.precision is not Precision.YEAR
                and not _reporting_date(sent, d, roots)
                and not _SINCE.search(sent.text[: d.start])  # 'mourns since Friday': a state's start
            ),
            None,
        )
        announced = next((d for d in dates if d.precision is not Precision.YEAR), None)
        reporting = bool(triggers) and any(t.lemma_.lower() in {"claim", "revendiquer"} for t in sent)
        entry = heading[0] if heading is not None else None  # the date of the timeline entry the sentence is in
        offset = self.ctx.paras[p].start
        current: _Cluster | None = None
        has_other = False
        historical = False
        for trig in triggers:
            if (
                trig.type == "Other"
                and trig.key not in STANDALONE_OTHER
                and not _names_organisation(self.ctx, p, sent, trig)
            ):
                continue
            if _wished(trig):
                trig = replace(trig, type="Statement")  # a demand is a statement of whoever makes it
            attached = _attached_years(trig, sent, dates)
            years = [y for y in attached if not _SINCE.search(sent.text[: y.start])]
            if attached and not years:
                continue  # 'battling an insurgency since 2015': a state of affairs, not an event
            if years:
                if not trig.coref_only and not trig.generic:
                    self._historical(p, trig, sent, offset, years)
                    historical = True
                continue
            if trig.generic:
                continue
            if trig.type in VIOLENT_TYPES and reporting and self.violent:
                current = self.violent[-1]  # "X claimed the attack on Wednesday" refers back
            elif trig.type in VIOLENT_TYPES:
                when = _own_date(trig, sent, dates) or local or (heading[0] if heading else None)
                back = (
                    bool(self.violent) and _definite_noun(trig) and _timeline_entry(sent.text, self.published) is None
                )
                if back:
                    # 'the same day as the raid': the event told before, unless its own phrase dates it
                    when = _own_date(trig, sent, dates) or _date_of_phrase(trig, sent, dates)
                heading_place = heading[1] if heading else None
                current = self._violent(p, trig, sent, offset, when, heading_place, back_reference=back) or current
            elif not trig.coref_only and (
                local is not None
                or (entry is not None and not _definite_noun(trig))
                or trig.type not in {"Coup", "Other"}
            ):
                # a decision or statement happens when it is announced: 'the junta said on Tuesday it had
                # expelled' dates the expulsion by the report
                self._other(p, trig, sent, offset, local or announced or (heading[0] if heading else None))
                has_other = True
        self.told += current is not None or has_other or historical
        # a sentence about other events lends the story's event neither its sites nor its claims
        target = current or (self.violent[0] if self.violent and not has_other and not historical else None)
        if current is not None and current.fallback_date is None:
            current.fallback_date = next((d for d in dates if d.precision is not Precision.YEAR), None)
        if target is not None:
            self._attach(target, p, sent, sites=current is not None or self._targets(sent))
            if current is None and target.local_place is None and target in self.violent:
                target.local_place = _struck_place(self.ctx, p, sent)
        # a figure with no trigger of its own goes to the incident its paragraph told last, else the story's
        told_here = [c for c in self.violent if c.para == p]
        fallback = told_here[-1] if told_here else (self.violent[0] if self.violent and not self.entries else None)
        for cand in figures_in_sentence(sent):
            holder = current or fallback
            if holder is not None:
                figure = _figure(self.ctx, p, cand)
                if not any(
                    (f.kind, f.count, f.source) == (figure.kind, figure.count, figure.source)
                    for f in holder.record.figures
                ):
                    holder.record.figures.append(figure)

    @staticmethod
    def _targets(sent: Span) -> bool:
        return any(t.lemma_.lower() in TARGET_VERBS for t in sent)

    def _historical(self, p: int, trig: Trigger, sent: Span, offset: int, years: list[DateMention]) -> None:
        # "two coups in 2022" are two events; "two coups since 2020" says nothing of their years
        count = _cardinal(trig) if len(years) == 1 and not _SINCE.search(sent.text[: years[0].start]) else 1
        dated = [(year, n) for year in years for n in range(1, count + 1)]
        for year, ordinal in dated:
            record = _new_record(trig.type, trig, sent, offset, historical=True)
            record.ordinal = ordinal
            _set_date(record, year)
            phrase = {t.i for t in trig.span.root.subtree}
            record.sites = [
                iri
                for span, iri in self.ctx.mentions_in(p, sent)
                if self.ctx.type_of(iri) is EntityType.SITE and span.start in phrase
            ]
            record.place = next(
                (pl for s in record.sites if (pl := _place_of_site(self.ctx, s))), None
            ) or _nearest_place(self.ctx, p, sent, trig.span)
            if trig.type in _STATE_LEVEL:
                record.perpetrators = _deciders(self.ctx, p, trig)
            self.historical.append(record)

    def _violent(
        self,
        p: int,
        trig: Trigger,
        sent: Span,
        offset: int,
        local: DateMention | None,
        heading_place: str | None = None,
        *,
        back_reference: bool = False,
    ) -> _Cluster | None:
        """The cluster ``trig`` joins or starts; a back-reference ('the raid') is placed by its own phrase only."""
        if back_reference:
            place = _phrase_place(self.ctx, p, sent, trig)
        else:
            place = _place_in(self.ctx, p, sent, trig) or heading_place
        if local is None and place is None and self.violent and (_demonstrative(trig) or _definite_noun(trig)):
            cluster = self.violent[-1]  # 'That attack killed 80': the incident just told, not the story's first
            cluster.record.perpetrators += [
                x for x in _perpetrators(self.ctx, p, trig) if x not in cluster.record.perpetrators
            ]
            return cluster
        for cluster in self.violent:
            rec = cluster.record
            date_conflict = local is not None and rec.date is not None and local.iso not in {rec.date, cluster.through}
            place_conflict = self._places_differ(place, cluster.local_place)
            if (
                not date_conflict
                and not place_conflict
                and (local is None or place is None or cluster is self.violent[-1])
            ):
                if rec.date is None and local is not None:
                    cluster.through = local.through.isoformat() if local.through else None
                if local is not None and rec.date_text and _WEEKEND.search(rec.date_text) and local.through is None:
                    rec.date = None  # 'the weekend assault' … 'on Sunday': the day it names
                _set_date(rec, local)
                cluster.local_place = cluster.local_place or place
                rec.perpetrators += [x for x in _perpetrators(self.ctx, p, trig) if x not in rec.perpetrators]
                if cluster.weak and not trig.weak:
                    rec.type, cluster.weak = trig.type, False
                return cluster
        if trig.coref_only or (trig.weak and not (self._own_place(p, sent, trig) and _dated_clause(trig, sent, local))):
            return None
        cluster = _Cluster(
            _new_record(trig.type, trig, sent, offset, historical=False), local_place=place, para=p, weak=trig.weak
        )
        _set_date(cluster.record, local)
        cluster.through = local.through.isoformat() if local is not None and local.through else None
        cluster.record.perpetrators = _perpetrators(self.ctx, p, trig)
        self.violent.append(cluster)
        for town in _coordinated_towns(self.ctx, p, sent, place):
            # 'attacked the police stations of X and Y': one incident in each town
            sibling = _Cluster(
                _new_record(trig.type, trig, sent, offset, historical=False), local_place=town, para=p, weak=trig.weak
            )
            _set_date(sibling.record, local)
            sibling.through = cluster.through
            sibling.record.perpetrators = list(cluster.record.perpetrators)
            self.violent.append(sibling)
        return cluster

    def _own_place(self, p: int, sent: Span, trig: Trigger) -> bool:
        """Whether the trigger's own clause names a town or region ('were killed in X')."""
        clause = _shared_clause(trig)
        return any(span.start in clause and not _reference_point(span) for span, _ in _event_places(self.ctx, p, sent))

    def _places_differ(self, a: str | None, b: str | None) -> bool:
        """Places in two countries differ; two towns differ unless one lies in the other (Faladié in Bamako);
        otherwise a region never contradicts."""
        if a is None or b is None or a == b:
            return False
        countries = self.ctx.kb.country_of(a), self.ctx.kb.country_of(b)
        if None not in countries and countries[0] != countries[1]:
            return True  # a town in Niger and a region of Mali
        if self.ctx.type_of(a) is not EntityType.CITY or self.ctx.type_of(b) is not EntityType.CITY:
            return False
        inside = self.ctx.kb.get(a), self.ctx.kb.get(b)
        return not ((inside[0] and b in inside[0].located_in) or (inside[1] and a in inside[1].located_in))

    def _other(self, p: int, trig: Trigger, sent: Span, offset: int, local: DateMention | None) -> None:
        speaker = _speaker(trig) if trig.type in _SPEECH else None
        for cluster in self.other:
            if (
                cluster.record.type == trig.type
                and (local is None or cluster.record.date in (None, local.iso))
                and (None in (speaker, cluster.speaker) or speaker == cluster.speaker)
            ):
                _set_date(cluster.record, local)
                cluster.record.sites += [s for s in _sites_in(self.ctx, p, sent) if s not in cluster.record.sites]
                return
        record = _new_record(trig.type, trig, sent, offset, historical=False)
        _set_date(record, local)
        record.sites = _sites_in(self.ctx, p, sent)
        if trig.type in _STATE_LEVEL or (trig.type == "Closure" and not record.sites) or trig.key in STATE_ACTS:
            record.place = (
                (_expelled_from(self.ctx, p, sent, trig) if trig.type == "Expulsion" else None)
                or _nearest_place(self.ctx, p, sent, trig.span)
                or self.ctx.salient_country
            )
        record.perpetrators = _deciders(self.ctx, p, trig)
        self.other.append(_Cluster(record, local_place=_place_in(self.ctx, p, sent, trig), speaker=speaker))

    def _attach(self, cluster: _Cluster, p: int, sent: Span, *, sites: bool) -> None:
        rec = cluster.record
        if sites:
            rec.sites += [s for s in _sites_in(self.ctx, p, sent) if s not in rec.sites]
        for claim in _claims(self.ctx, p, sent):
            if claim.claimant not in rec.claimed_by:
                rec.claims.append(claim)
            if claim.claimant not in rec.perpetrators:
                rec.perpetrators.append(claim.claimant)
        rec.perpetrators += [x for x in _blamed(self.ctx, p, sent) if x not in rec.perpetrators]

    def _finish(self) -> list[EventRecord]:
        dated = sorted((c.record for c in self.violent + self.other if c.record.date), key=lambda r: r.start)
        main = self.violent[0].record if self.violent else (dated[0] if dated else None)
        for cluster in self.violent + self.other:
            rec = cluster.record
            if rec.date is None and cluster.local_place is not None and cluster in self.violent:
                _set_date(rec, self._date_near(cluster.local_place))
            _set_date(rec, cluster.fallback_date)
            rec.place = (
                rec.place
                or cluster.local_place
                or next((pl for s in rec.sites if (pl := _place_of_site(self.ctx, s))), None)
                or (self._country_of(main) if rec.type in _SPEECH else None)
                or (self._paragraph_place(cluster) if cluster in self.violent else None)
                or (main.place if main is not None and main is not rec and self.entries < 3 else None)
                or (self.ctx.salient_city if self.entries < 3 else self.ctx.salient_country)
            )
            lead = next((d for d in dated if d is not rec), None)  # the first dated event of the article
            if rec.date is None and lead is not None:
                rec.date, rec.precision, rec.date_text = lead.date, lead.precision, lead.date_text
            if rec.date is None and self.published is not None:
                rec.date, rec.precision, rec.date_text = self.published.isoformat(), Precision.DAY.value, None
        for rec in self.historical:
            rec.place = rec.place or self.ctx.salient_country
        events = [c.record for c in self.violent + self.other] + self.historical
        for rec in events:
            rec.place = rec.place or self.ctx.salient_country
            rec.country = self._country(rec)
        # an event that cannot be placed in time and space is not reported as one
        return _dedupe_historical([rec for rec in events if rec.date and rec.place])

    def _country_of(self, rec: EventRecord | None) -> str | None:
        """The country an event happened in: a condemnation of it is placed there, not in its town."""
        if rec is None or rec.place is None:
            return self.ctx.salient_country
        if rec.place in self.ctx.entities and self.ctx.type_of(rec.place) is EntityType.COUNTRY:
            return rec.place
        return self.ctx.kb.country_of(rec.place) or self.ctx.salient_country

    def _paragraph_place(self, cluster: _Cluster) -> str | None:
        """The first town the paragraph that reported an unplaced event names ('…les violences qui ont endeuillé
        X, un village de…'), not its dateline nor a source's town."""
        if cluster.para is None:
            return None
        for sent in self.ctx.paras[cluster.para].doc.sents:
            if (place := _place_in(self.ctx, cluster.para, sent)) is not None and self.ctx.type_of(
                place
            ) is EntityType.CITY:
                return place
        return None

    def _dates_of(self, sent: Span) -> list[DateMention]:
        """The date mentions of a sentence, found once for its whole paragraph (the story's event may look
        back at them); a yearless date takes the year of a full date before it in the paragraph."""
        if not self._dates:
            self._read_dates()
        return self._dates.get((id(sent.doc), sent.start), [])

    def _read_dates(self) -> None:
        """Every sentence's date mentions, in text order: a yearless date read in the year of the full date
        before it in its paragraph, an offset ('the next day') counted from the last day told before it."""
        last_day: DateMention | None = None
        for para in self.ctx.paras:
            anchor: DateMention | None = None
            for sent in para.doc.sents:
                found: list[DateMention] = []
                for mention in find_date_mentions(sent.text, self.published, offsets=True):
                    read = anchored(mention, last_day if mention.offset is not None else anchor, self.published)
                    if read is None:
                        continue
                    found.append(read)
                    if read.precision is not Precision.YEAR and read.offset is None:
                        anchor = read
                    if read.precision is Precision.DAY:
                        last_day = read
                self._dates[(id(para.doc), sent.start)] = found

    def _date_near(self, place: str) -> DateMention | None:
        """The first date of an event (not of a report) in a sentence naming ``place``: 'At least 20 were
        killed when gunmen overran the post at X on Sunday' dates 'the assault on the X detachment'."""
        for p, para in enumerate(self.ctx.paras):
            for sent in para.doc.sents:
                if not any(iri == place for _, iri in self.ctx.mentions_in(p, sent)):
                    continue
                dates = self._dates_of(sent)
                found = next(
                    (d for d in dates if d.precision is not Precision.YEAR and not _reporting_date(sent, d, set())),
                    None,
                )
                if found is not None:
                    return found
        return None

    def _country_named_near(self, rec: EventRecord) -> str | None:
        """The country named in the event's own sentence: where a town the KB does not know lies
        ('at the In Amenas gas plant in Algeria')."""
        para = max((p for p, para in enumerate(self.ctx.paras) if para.start <= rec.start), default=None)
        if para is None:
            return None
        doc = self.ctx.paras[para].doc
        token = doc.char_span(
            rec.start - self.ctx.paras[para].start, rec.end - self.ctx.paras[para].start, alignment_mode="expand"
        )
        if token is None:
            return None
        return next(
            (
                iri
                for span, iri in self.ctx.mentions_in(para, token.sent)
                if self.ctx.type_of(iri) is EntityType.COUNTRY
                and not self.ctx.is_modifier(para, span)
                and _lies_in(span)
            ),
            None,
        )

    def _country(self, rec: EventRecord) -> str | None:
        place = rec.place
        if place is None:
            return None
        if place in self.ctx.entities and self.ctx.type_of(place) is EntityType.COUNTRY:
            return place
        if (known := self.ctx.kb.country_of(place)) is not None:
            return known
        unknown_town = place in self.ctx.entities and not self.ctx.entities[place].linked
        return (self._country_named_near(rec) if unknown_town else None) or self.ctx.salient_country


def _lies_in(country: Span) -> bool:
    """'in Algeria', 'in northern Mali', 'au Niger': a country said to contain what precedes it (not 'near the
    border with Mali', 'frontalière du Burkina Faso')."""
    doc = country.doc
    before = [t.lower_ for t in doc[max(country.sent.start, country.start - 5) : country.start]]
    near = before[-2:]
    return any(w in {"in", "en", "au", "aux", "dans"} for w in near) and not set(before) & {
        "border",
        "borders",
        "frontière",
        "frontalière",
        "frontalier",
        "with",
        "avec",
    }


def _struck_place(ctx: ArticleContext, para: int, sent: Span) -> str | None:
    """'The attackers struck X and Y': the town a verb of attack has for its object,
    which places the story's event when its own sentence named none."""
    for verb in sent:
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in TARGET_VERBS:
            continue
        objects = {t.i for c in verb.children if c.dep_ in {"dobj", "obj", "prep"} for t in c.subtree}
        for span, iri in ctx.mentions_in(para, sent):
            if span.start in objects and ctx.type_of(iri) in _PLACE_TYPES and not _source_location(span):
                return iri
    return None


_BETWEEN = {"between", "entre"}  # 'on the road between X and Y': one place


def _coordinated_towns(ctx: ArticleContext, para: int, sent: Span, place: str | None) -> list[str]:
    """The towns coordinated with the event's town in the sentence ('les commissariats de X et de Y')."""
    if place is None or ctx.type_of(place) is not EntityType.CITY:
        return []
    mentions = ctx.mentions_in(para, sent)
    heads = {span.root.i for span, iri in mentions if iri == place and span.root.head.lower_ not in _BETWEEN}
    towns: list[str] = []
    for span, iri in mentions:
        root = span.root
        if iri != place and iri not in towns and ctx.type_of(iri) is EntityType.CITY and root.dep_ == "conj":
            if root.head.i in heads:
                towns.append(iri)
                heads.add(root.i)  # 'X, Y and Z': a chain of conjuncts
    return towns


def _dated_clause(trigger: Trigger, sent: Span, when: DateMention | None) -> bool:
    """Whether ``when`` is written inside the trigger's own clause ('were killed in X on 23 March')."""
    if when is None:
        return False
    clause = _shared_clause(trigger)
    return any(t.i in clause for t in sent if when.start <= t.idx - sent.start_char < when.end)


def _shared_clause(trigger: Trigger) -> set[int]:
    """The trigger's clause, with the clause of the verb it is joined to: 'burst into a house in X on
    Saturday and shot three' places and dates the shooting."""
    clause = _clause(trigger.span)
    root = trigger.span.root
    if root.dep_ == "conj" and root.pos_ == "VERB" and root.head.pos_ in {"VERB", "AUX"}:
        clause |= _own_tokens(root.head, _EMBEDDED)
    return clause


def _wished(trigger: Trigger) -> bool:
    """'recommends that the guard be disbanded', 'asks for the mission to be withdrawn': asked for, not done."""
    return any(
        a.lemma_.lower() in WISH_VERBS
        and (a.lemma_.lower() != "call" or any(c.lower_ in {"for", "on"} for c in a.children))  # not 'called it X'
        for a in trigger.span.root.ancestors
        if a.pos_ in {"VERB", "NOUN"}
    )


def _definite_noun(trigger: Trigger) -> bool:
    """'to denounce the coup', 'since the putsch': a noun pointing back at an event told before."""
    root = trigger.span.root
    return root.pos_ == "NOUN" and any(
        c.dep_ in {"det", "poss"} and c.lower_ in {"the", "its", "their", "le", "la", "l'", "l’", "son", "leur"}
        for c in root.children
    )


def _demonstrative(trigger: Trigger) -> bool:
    """'that attack', 'this ambush', 'cette attaque': a trigger pointing at the incident just reported."""
    return any(
        c.dep_ == "det" and c.lower_ in {"that", "this", "ce", "cet", "cette"} for c in trigger.span.root.children
    )


def _names_organisation(ctx: ArticleContext, para: int, sent: Span, trigger: Trigger) -> bool:
    """A formation ('the merger', 'created the AES') is an event only when it forms a known group or alliance."""
    clause = _clause(trigger.span) | {t.i for t in trigger.span.root.subtree}
    return any(
        span.start in clause
        and ctx.entities[iri].linked
        and ctx.type_of(iri) in {EntityType.ARMED_GROUP, EntityType.IGO}
        for span, iri in ctx.mentions_in(para, sent)
    )


def _cardinal(trigger: Trigger) -> int:
    """'two coups in 2022' → 2 (up to 5); one otherwise."""
    words = {"two": 2, "three": 3, "four": 4, "five": 5, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5}
    for child in trigger.span.root.children:
        if child.dep_ == "nummod":
            value = words.get(child.lower_) or (int(child.text) if child.text.isdecimal() else 1)
            return value if 1 < value <= 5 else 1
    return 1


def _dedupe_historical(events: list[EventRecord]) -> list[EventRecord]:
    seen: set[tuple[str, str | None, str | None, int]] = set()
    out = []
    for rec in events:
        key = (rec.type, rec.date, rec.place, rec.ordinal)
        if rec.historical and key in seen:
            continue
        seen.add(key)
        out.append(rec)
    return out


def _number_speeches(events: list[EventRecord]) -> list[EventRecord]:
    """Two speakers' condemnations of one day in one country are two events: the second gets ordinal 2, so
    its IRI differs (IRIs are minted from type, date, place and ordinal)."""
    seen: dict[tuple[str, str | None, str | None], int] = {}
    for rec in events:
        if rec.type in _SPEECH and not rec.historical:
            key = (rec.type, rec.date, rec.place)
            seen[key] = seen.get(key, 0) + 1
            rec.ordinal = seen[key]
    return events


def _one_type_per_node(events: list[EventRecord]) -> list[EventRecord]:
    """Two violent events of one day and place are one node of the graph (its IRI is minted from the type
    family, date and place): the later records take the first one's type, so that the node has one."""
    first: dict[tuple[str | None, str | None, int], str] = {}
    for rec in events:
        if rec.type in VIOLENT_TYPES:
            rec.type = first.setdefault((rec.date, rec.place, rec.ordinal), rec.type)
    return events


def extract_events(ctx: ArticleContext, published: date | None) -> list[EventRecord]:
    """Every event the article reports, with roles, claims and figures."""
    return _one_type_per_node(_number_speeches(_Assembler(ctx, published).run()))
