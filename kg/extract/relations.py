"""Relations between actors and places, from the way news writes them.

* apposition and compounds: "the al-Qaeda-affiliated group JNIM", "an al-Qaeda-linked group, JNIM",
  "JNIM, a group linked to al-Qaeda", "Affiliated to al-Qaeda, JNIM"        → affiliatedWith
* possessives: "Russia's Wagner group"                                          → affiliatedWith
* titles: "the army's chief of staff, Oumar Diarra", "Oumar Diarra, Chief of the General Staff of the
  army", "led by Assimi Goïta", "Assimi Goïta's junta"                          → leaderOf
* support: "turned to Russia and the Wagner Group for support"                 → supportedBy
* campaigns: "JNIM has waged a campaign against Mali"                          → opposes
* capitals and locations: "Bamako, the capital of Mali", "the school, located in Bamako" → locatedIn
* "Together with Burkina Faso and Niger, Mali formed the Alliance of Sahel States" → memberOf
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from kg.extract.context import ArticleContext
from kg.extract.lexicon import DEMONYMS, FORMER, GOVERNMENT_TITLES
from kg.model import EntityType, RelationRecord

__all__ = ["extract_relations"]

CONF = {
    "government-title": 0.7,
    "apposition": 0.8,
    "possessive": 0.7,
    "title": 0.8,
    "support": 0.65,
    "campaign": 0.6,
    "location": 0.8,
    "membership": 0.6,
    "head-title": 0.75,
    "head-of-state": 0.7,
    "kb-confirmed": 0.85,
    "alliance": 0.65,
}

# words that must appear in a sentence for a relation the knowledge base already holds to count as stated
KB_CUES: dict[str, re.Pattern[str]] = {
    "leaderOf": re.compile(
        r"\b(lead\w*|led|head\w*|president|chief|command\w*|power|ruler|founder|founded"
        r"|emir|dirig\w*|chef|président|junta of|government of|junte de|gouvernement de)\b",
        re.IGNORECASE,
    ),
    "affiliatedWith": re.compile(
        r"\b(affiliat\w*|link\w*|tied|ties|loyal\w*|allegiance|branch|franchise"
        r"|lié\w*|affilié\w*|allégeance)\b",
        re.IGNORECASE,
    ),
    "memberOf": re.compile(r"\b(member\w*|join\w*|formed|created|founded|membre\w*|créé\w*|fondé\w*)\b", re.IGNORECASE),
    "partOf": re.compile(r"\b(part|merg\w*|faction\w*|unit|component|wing|fusion\w*|composante)\b", re.IGNORECASE),
    "alliedWith": re.compile(r"\b(all(y|ies|ied|iance)|alongside|together|allié\w*)\b", re.IGNORECASE),
    "successorOf": re.compile(
        r"\b(replac\w*|succeed\w*|successor|took over|rebrand\w*|remplac\w*|succéd\w*"
        r"|successeur)\b",
        re.IGNORECASE,
    ),
}
_TITLE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(t) for t in GOVERNMENT_TITLES), key=len, reverse=True)) + r")\b", re.IGNORECASE
)
# what may stand between a title and the name it introduces: "the defence minister, ", "Minister of Defence "
_TITLE_TO_NAME = re.compile(
    r"^[\w\s'’-]{0,45}?,?\s*(colonel|captain|general|capitaine|général|lieutenant-colonel)?\s*$", re.IGNORECASE
)
# a title before a name that makes its bearer the leader of a government or organisation
_RANK = r"(colonel|captain|general|lieutenant|major|brigadier|capitaine|général|colonel|lieutenant-colonel)"
_DEMONYM = "|".join(sorted((re.escape(d) for d in DEMONYMS), key=len, reverse=True))
_HEAD_TITLE = re.compile(
    r"\b(president|head of state|junta leader|junta chief|secretary-general|secretary general"
    rf"|président|chef de la junte|chef de l'état)(\s+({_DEMONYM}))?\s*,?\s*({_RANK}\s*)?$",
    re.IGNORECASE,
)
# "Colonel Assimi Goïta emerged as the country's leader", "bringing Captain Ibrahim Traoré to power"
_HEAD_AFTER = re.compile(
    r"^\s*(,?\s*(emerged as|became|was named|was sworn in as|, the)\s+(the\s+)?(country['’]s\s+|"
    r"new\s+|transitional\s+|interim\s+)*(leader|president|head of state|ruler)\b|\s*to power\b)",
    re.IGNORECASE,
)
# what may follow a place to say where it lies: "X, a town in …", "X lies in …", "X, the main town of …", "X, in …"
_PLACE_NOUN = re.compile(
    r"^\s*(,\s*(a|an|the)?\s*(small\s+|remote\s+|rural\s+|main\s+|largest\s+|chief\s+)?(town|village|city"
    r"|commune|locality|region|district|province|area|ville|localité|chef-lieu)\s+(in|of|dans|de|du)\b"
    r"|\s*(lies|is located|is situated|se trouve|est situé\w*)\s+(in|dans)\b"
    r"|,\s*(in|dans)\b)",
    re.IGNORECASE,
)

_ACTORS = {
    EntityType.ARMED_GROUP,
    EntityType.STATE_FORCE,
    EntityType.STATE,
    EntityType.PMC,
    EntityType.IGO,
    EntityType.COUNTRY,
}
_AFFILIATION = re.compile(r"\b(affiliated|linked|allied|aligned|loyal|tied|connected|affilié|lié)\b", re.IGNORECASE)
_LEADER_TITLES = re.compile(
    r"\b(chief[- ]of[- ]staff|chief of the general staff|commander|leader|head|heads|president|chief|chef"
    r"|led by|leading|leads|who leads|dirigé par|dirigée par|dirige|emir|founder|founded)\b",
    re.IGNORECASE,
)
_SUPPORT = re.compile(
    r"\b(support|assistance|help|aid|turned to|collaborat\w*|partnership|bringing in|brought in"
    r"|bring in|hire|hired|hiring|backing|soutien|appui|relied on|rely on|relies on)\b",
    re.IGNORECASE,
)
_CAMPAIGN = re.compile(r"\b(waging|waged|wage|fighting|fought|campaign|insurgency|war)\b", re.IGNORECASE)
_CAPITAL = re.compile(r"\b(capital|capitale)\b", re.IGNORECASE)
_LOCATED = re.compile(r"\b(located|situated|situé|située|based)\b", re.IGNORECASE)
_MEMBERSHIP = re.compile(r"\b(formed|founded|created|members? of|joined|alliance)\b", re.IGNORECASE)


def _typed(ctx: ArticleContext, mentions: list[tuple[Span, str]], types: set[EntityType]) -> list[tuple[Span, str]]:
    return [(s, i) for s, i in mentions if ctx.type_of(i) in types]


def _rel(subject: str, predicate: str, obj: str, sent: Span, rule: str) -> RelationRecord:
    return RelationRecord(subject, predicate, obj, sent.text.strip(), f"relation:{rule}", CONF[rule])


def _nearest(span: Span, candidates: list[tuple[Span, str]], exclude: str) -> str | None:
    ranked = sorted((abs(s.start - span.start), i) for s, i in candidates if i != exclude)
    return ranked[0][1] if ranked and ranked[0][0] <= 15 else None


def _affiliations(ctx: ArticleContext, p: int, sent: Span, mentions: list[tuple[Span, str]]) -> list[RelationRecord]:
    out = []
    groups = _typed(ctx, mentions, {EntityType.ARMED_GROUP, EntityType.PMC})
    actors = [(s, i) for s, i in groups if not ctx.is_modifier(p, s)]
    for span, parent in groups:
        before = sent.doc[max(sent.start, span.start - 3) : span.start].text
        cued = ctx.is_modifier(p, span) or (_AFFILIATION.search(before) and re.search(r"\b(to|with|à)\s*$", before))
        subject = _nearest(span, actors, exclude=parent) if cued else None
        if subject is not None:
            out.append(_rel(subject, "affiliatedWith", parent, sent, "apposition"))
    for span, iri in groups:
        owner = next(
            (
                i
                for s, i in mentions
                if ctx.type_of(i) is EntityType.COUNTRY
                and span.start - 4 <= s.end <= span.start
                and sent.doc[s.end].lower_ in {"'s", "’s"}
            ),
            None,
        )
        if owner is not None:
            out.append(_rel(iri, "affiliatedWith", owner, sent, "possessive"))
    return out


def _leaders(ctx: ArticleContext, sent: Span, mentions: list[tuple[Span, str]]) -> list[RelationRecord]:
    people = _typed(ctx, mentions, {EntityType.PERSON})
    orgs = _typed(ctx, mentions, {EntityType.STATE_FORCE, EntityType.STATE, EntityType.ARMED_GROUP, EntityType.IGO})
    out = []
    for pspan, person in people:
        for ospan, org in orgs:
            lo, hi = sorted((pspan.start, ospan.start))
            between = sent.doc[lo : hi + 1].text
            possessive = ospan.start == pspan.end + 1 and sent.doc[pspan.end].lower_ in {"'s", "’s"}
            if possessive or (abs(pspan.start - ospan.start) <= 12 and _LEADER_TITLES.search(between)):
                out.append(_rel(person, "leaderOf", org, sent, "title"))
                break
    return out


def _supports(ctx: ArticleContext, sent: Span, mentions: list[tuple[Span, str]]) -> list[RelationRecord]:
    cue = _SUPPORT.search(sent.text)
    if cue is None:
        return []
    cue_at = sent.start_char + cue.start()
    before = [(s, i) for s, i in mentions if s.start_char < cue_at]
    after = [(s, i) for s, i in mentions if s.start_char >= cue_at]
    subject = next((i for s, i in before if ctx.type_of(i) in {EntityType.STATE, EntityType.COUNTRY}), None)
    if subject is None:
        return []
    if ctx.type_of(subject) is EntityType.COUNTRY:
        government = ctx.kb.of_country(subject, "government_of")
        if government is None:
            return []
        subject = government.iri
    return [
        _rel(subject, "supportedBy", i, sent, "support")
        for s, i in after
        if ctx.type_of(i) in {EntityType.COUNTRY, EntityType.PMC, EntityType.STATE_FORCE}
        and i != subject
        and ctx.kb.country_of(i) != ctx.kb.country_of(subject)
    ]


def _campaigns(ctx: ArticleContext, sent: Span, mentions: list[tuple[Span, str]]) -> list[RelationRecord]:
    cue = _CAMPAIGN.search(sent.text)
    if cue is None or not re.search(r"\b(waging|waged|wage|against|contre)\b", sent.text, re.IGNORECASE):
        return []
    groups = [i for s, i in mentions if ctx.type_of(i) is EntityType.ARMED_GROUP]
    cue_at = sent.start_char + cue.start()
    countries = [i for s, i in mentions if ctx.type_of(i) is EntityType.COUNTRY and s.start_char > cue_at]
    if not groups or not countries:
        return []
    government = ctx.kb.of_country(countries[0], "government_of")
    return [_rel(groups[0], "opposes", government.iri, sent, "campaign")] if government else []


def _locations(ctx: ArticleContext, sent: Span, mentions: list[tuple[Span, str]]) -> list[RelationRecord]:
    out = []
    places = _typed(ctx, mentions, {EntityType.CITY, EntityType.SITE, EntityType.COUNTRY, EntityType.REGION})
    for (a_span, a), (b_span, b) in zip(places, places[1:], strict=False):
        gap = sent.doc[a_span.end : b_span.start].text
        if len(gap) > 60:
            continue
        a_type, b_type = ctx.type_of(a), ctx.type_of(b)
        if _CAPITAL.search(gap) and {a_type, b_type} == {EntityType.CITY, EntityType.COUNTRY}:
            city, country = (a, b) if a_type is EntityType.CITY else (b, a)
            out.append(_rel(city, "locatedIn", country, sent, "location"))
        elif _LOCATED.search(gap) and a_type in {EntityType.SITE, EntityType.CITY} and b_type is not EntityType.SITE:
            out.append(_rel(a, "locatedIn", b, sent, "location"))
    capital = [(s, i) for s, i in places if ctx.type_of(i) is EntityType.CITY]
    for span, city in capital:
        before = sent.doc[max(sent.start, span.start - 5) : span.start].text
        if _CAPITAL.search(before) and re.search(r"capital[e]?\s*,?\s*$", before, re.IGNORECASE):
            city_country = ctx.kb.country_of(city)
            if city_country and ctx.salient_country == city_country:
                out.append(_rel(city, "locatedIn", city_country, sent, "location"))
    return out


def _memberships(ctx: ArticleContext, sent: Span, mentions: list[tuple[Span, str]]) -> list[RelationRecord]:
    if not _MEMBERSHIP.search(sent.text):
        return []
    orgs = [i for s, i in mentions if ctx.type_of(i) is EntityType.IGO]
    countries = [i for s, i in mentions if ctx.type_of(i) is EntityType.COUNTRY]
    if (
        len(orgs) != 1
        or len(countries) < 2
        or not re.search(r"\b(formed|founded|created|alliance)\b", sent.text, re.IGNORECASE)
    ):
        return []
    return [_rel(c, "memberOf", orgs[0], sent, "membership") for c in countries]


def _head_titles(ctx: ArticleContext, sent: Span, mentions: list[tuple[Span, str]]) -> list[RelationRecord]:
    """'President Roch Kaboré', 'UN Secretary-General António Guterres' → leaderOf."""
    out = []
    for span, person in _typed(ctx, mentions, {EntityType.PERSON}):
        before = sent.doc[max(sent.start, span.start - 5) : span.start]
        after = sent.doc[span.end : min(sent.end, span.end + 8)]
        if not _HEAD_TITLE.search(before.text) and not _HEAD_AFTER.match(after.text):
            continue
        org = next(
            (
                i
                for s, i in mentions
                if s.start >= before.start
                and s.end <= span.start
                and ctx.type_of(i) in {EntityType.IGO, EntityType.ARMED_GROUP, EntityType.STATE}
            ),
            None,
        )
        known = [o for o in ctx.kb.related(person, "leaderOf") if (e := ctx.kb.get(o)) and e.government_of]
        if org is None and known:
            org = known[0]  # the KB knows which government this president heads
        if org is None:
            org = _government_of_country(ctx, sent, before, span, mentions)
        if org is not None:
            out.append(_rel(person, "leaderOf", org, sent, "head-title"))
            state = ctx.kb.get(org)
            if state is not None and state.government_of and _HEAD_OF_STATE.search(before.text):
                # a president leads the country as well as its government ('French President X leads France')
                out.append(_rel(person, "leaderOf", state.government_of, sent, "head-of-state"))
    return out


_HEAD_OF_STATE = re.compile(
    rf"\b(president|président|head of state|chef de l['’]état)(\s+({_DEMONYM}))?\s*,?\s*$", re.IGNORECASE
)


def _government_of_person(ctx: ArticleContext, sent: Span, mentions: list[tuple[Span, str]]) -> list[RelationRecord]:
    """'the junta of Colonel Assimi Goïta', 'the government of Captain Ibrahim Traoré' → leaderOf."""
    out = []
    governments = _typed(ctx, mentions, {EntityType.STATE, EntityType.ARMED_GROUP})
    for span, person in _typed(ctx, mentions, {EntityType.PERSON}):
        between = sent.doc[max(sent.start, span.start - 4) : span.start]
        for gspan, government in governments:
            if (
                gspan.end <= span.start
                and gspan.end >= between.start
                and re.match(
                    rf"^\s*(of|de|du)\s+(the\s+|le\s+|la\s+)?({_RANK}\s+)?$",
                    sent.doc[gspan.end : span.start].text,
                    re.IGNORECASE,
                )
            ):
                out.append(_rel(person, "leaderOf", government, sent, "title"))
    return out


def _title_near(sent: Span, span: Span) -> re.Match[str] | None:
    """A government title introducing ``span`` ('the defence minister, X') or in apposition after it
    ('X, the government spokesman,'), never a former one."""
    doc = sent.doc
    before = doc[max(sent.start, span.start - 8) : span.start].text
    for m in _TITLE.finditer(before):
        if _TITLE_TO_NAME.match(before[m.end() :]) and not _former(before[: m.start()]):
            return m
    after = doc[span.end : min(sent.end, span.end + 9)].text
    if after.startswith(","):  # the apposition: up to its closing comma
        found = _TITLE.search(after.split(",")[1])
        if found is not None and not _former(after[: after.find(found.group(0))]):
            return found
    return None


def _former(text: str) -> bool:
    return bool({w.lower().strip("-") for w in re.findall(r"[\w-]+", text[-20:])} & FORMER)


_BODY_POSSESSIVE = re.compile(
    r"\b(mission|group|movement|party|coalition|company|militia|alliance|organisation"
    r"|organization|union|bloc|force|mouvement|groupe|parti)(['’]s\b|\s+(de|du|of)\b)",
    re.IGNORECASE,
)


def _of_another_body(sent: Span, person: Span) -> bool:
    """'Olivier Salgado, the mission's spokesman', 'le porte-parole du mouvement': a title in a body that is not
    a government."""
    doc = sent.doc
    window = doc[max(sent.start, person.start - 8) : min(sent.end, person.end + 9)].text
    return bool(_BODY_POSSESSIVE.search(window))


def _government_titles(ctx: ArticleContext, sent: Span, mentions: list[tuple[Span, str]]) -> list[RelationRecord]:
    """'the defence minister, Sadio Camara', 'X, the government spokesman', 'le ministre des Affaires
    étrangères, X' → memberOf; 'X, the president of the transition' → leaderOf; the government is the one
    of the country the phrase names ('Malian', "Mali's", 'du Mali'), else of the article's country."""
    out = []
    for span, person in _typed(ctx, mentions, {EntityType.PERSON}):
        m = _title_near(sent, span)
        if m is None or _of_another_body(sent, span):
            continue
        predicate = GOVERNMENT_TITLES[m.group(0).lower()]
        known = [
            o
            for pred in ("leaderOf", "memberOf")
            for o in ctx.kb.related(person, pred)
            if (e := ctx.kb.get(o)) and e.government_of
        ]
        government = known[0] if known else _government_named(ctx, sent, span, mentions)
        if government is not None:
            out.append(_rel(person, predicate, government, sent, "government-title"))
    return out


_LOCAL_TITLE = re.compile(
    r"\b(governor|gouverneur|mayor|maire|préfet|prefect|haut-commissaire|high commissioner"
    r"|chief|chef)\s+(of|de|du|d['’])\s*(the\s+|la\s+|l['’])?(\w+\s+){0,2}$",
    re.IGNORECASE,
)


def _local_leaders(ctx: ArticleContext, sent: Span, mentions: list[tuple[Span, str]]) -> list[RelationRecord]:
    """'the governor of the Est region, Colonel X', 'le maire de Djibo, X', 'X, governor of Y' → X leaderOf the
    place named with the title."""
    out = []
    places = _typed(ctx, mentions, {EntityType.CITY, EntityType.REGION})
    for span, person in _typed(ctx, mentions, {EntityType.PERSON}):
        for pspan, place in places:
            if pspan.end <= span.start and span.start - pspan.end <= 6:
                title = sent.doc[max(sent.start, pspan.start - 6) : pspan.start].text + " "
                between = sent.doc[pspan.end : span.start].text + " "
                if _LOCAL_TITLE.search(title) and re.match(r"^[\s,]*((the|le|la)\s+)?(\w+\s+)?$", between):
                    out.append(_rel(person, "leaderOf", place, sent, "title"))
            elif pspan.start >= span.end and pspan.start - span.end <= 7:
                after = sent.doc[span.end : pspan.start].text + " "
                if after.lstrip().startswith(",") and _LOCAL_TITLE.search(after):
                    out.append(_rel(person, "leaderOf", place, sent, "title"))
    return out


def _government_named(ctx: ArticleContext, sent: Span, person: Span, mentions: list[tuple[Span, str]]) -> str | None:
    """The government a title near ``person`` belongs to."""
    doc = sent.doc
    window = doc[max(sent.start, person.start - 8) : min(sent.end, person.end + 9)]
    near = [(s, i) for s, i in mentions if window.start <= s.start and s.end <= window.end and i != person]
    group = next((i for s, i in near if ctx.type_of(i) in {EntityType.ARMED_GROUP, EntityType.IGO}), None)
    if group is not None:
        return group  # "the JNIM spokesman X"
    if re.search(
        r"\b(its|their|son|sa|leur)\s+(\w+\s+){0,3}$",
        doc[window.start : person.start].text.split(",")[0] + " ",
        re.IGNORECASE,
    ):
        # "The French government sent its foreign minister, X": the government the clause names, if any
        return next((i for s, i in reversed(mentions) if s.end <= person.start and _is_government(ctx, i)), None)
    return _government_of_country(ctx, sent, window, person, mentions)


def _is_government(ctx: ArticleContext, iri: str) -> bool:
    """Whether ``iri`` is a country's government the KB knows ('Government of Mali')."""
    return ctx.type_of(iri) is EntityType.STATE and (known := ctx.kb.get(iri)) is not None and bool(known.government_of)


def _government_of_country(
    ctx: ArticleContext, sent: Span, window: Span, person: Span, mentions: list[tuple[Span, str]]
) -> str | None:
    """The government of the state or country named closest to ``person`` in ``window`` with no verb between
    them ("A's foreign minister, X, had left Y, the Z ministry…" is A's), else of the
    article's country unless a nationality the KB does not know stands there ('Israeli Prime Minister X')."""
    doc = sent.doc

    def reachable(i: int) -> bool:
        if i < person.start:
            return not any(t.pos_ in {"VERB", "AUX"} for t in doc[i : person.start])
        # after the name, only its apposition: 'X, the Chadian foreign minister,' but not 'X, sent to Abidjan'
        between = doc[person.end : i]
        return (
            person.end < len(doc)
            and doc[person.end].text == ","
            and not any(t.pos_ in {"VERB", "AUX"} or t.text == "," for t in between[1:])
        )

    candidates: list[tuple[int, str]] = []
    for s, i in mentions:
        if not (window.start <= s.start and s.end <= window.end) or i == person or not reachable(s.start):
            continue
        kind = ctx.type_of(i)
        if _is_government(ctx, i):
            candidates.append((abs(s.start - person.start), i))
        elif kind is EntityType.COUNTRY and (government := ctx.kb.of_country(i, "government_of")) is not None:
            candidates.append((abs(s.start - person.start), government.iri))
    for t in window:
        if t.lower_ in DEMONYMS and reachable(t.i) and (found := ctx.kb.lookup(DEMONYMS[t.lower_])) is not None:
            if (government := ctx.kb.of_country(found.iri, "government_of")) is not None:
                candidates.append((abs(t.i - person.start), government.iri))
    if candidates:
        return min(candidates)[1]
    if any(t.ent_type_ == "NORP" and t.lower_ not in DEMONYMS and reachable(t.i) for t in window):
        return None  # a nationality the KB has no country for
    government = ctx.kb.of_country(ctx.salient_country, "government_of") if ctx.salient_country else None
    return government.iri if government is not None else None


def _alliances(ctx: ArticleContext, sent: Span, mentions: list[tuple[Span, str]]) -> list[RelationRecord]:
    """'a militia that fights alongside the army', 'aux côtés de l'armée' → alliedWith."""
    cue = re.search(r"\b(alongside|aux côtés de|allied with|allié\w* (à|de|avec))\b", sent.text, re.IGNORECASE)
    if cue is None:
        return []
    at = sent.start_char + cue.start()
    actors = _typed(ctx, mentions, {EntityType.ARMED_GROUP, EntityType.STATE_FORCE, EntityType.PMC})
    before = [i for s, i in actors if s.end_char <= at]
    after = [i for s, i in actors if s.start_char >= at + len(cue.group(0))]
    if before and after and before[-1] != after[0]:
        return [_rel(before[-1], "alliedWith", after[0], sent, "alliance")]
    return []


def _kb_confirmed(ctx: ArticleContext, sent: Span, mentions: list[tuple[Span, str]]) -> list[RelationRecord]:
    """A durable relation the KB holds, between two entities of one sentence that words it."""
    out = []
    iris = {i for _, i in mentions}
    for subject in dict.fromkeys(i for _, i in mentions):  # text order, not set order: assertion numbers are IRIs
        for predicate, cue in KB_CUES.items():
            for obj in ctx.kb.related(subject, predicate):
                if obj in iris and cue.search(sent.text):
                    out.append(_rel(subject, predicate, obj, sent, "kb-confirmed"))
    return out


def _place_appositions(ctx: ArticleContext, sent: Span, mentions: list[tuple[Span, str]]) -> list[RelationRecord]:
    """'Barsalogho, a town in Burkina Faso's Centre-Nord region' → locatedIn the most specific place named."""
    out = []
    places = _typed(ctx, mentions, {EntityType.CITY, EntityType.SITE, EntityType.REGION, EntityType.COUNTRY})
    for n, (span, place) in enumerate(places):
        if ctx.type_of(place) is EntityType.COUNTRY:
            continue
        tail = sent.doc[span.end : min(sent.end, span.end + 14)]
        m = _PLACE_NOUN.match(tail.text)
        if m is None:
            continue
        limit = tail.start_char + m.end() + 45
        inside = [(s, i) for s, i in places[n + 1 :] if s.start_char < limit and i != place]
        if not inside:
            continue
        first_span, first = inside[0]
        possessive = sent.doc[first_span.end].lower_ in {"'s", "’s"} if first_span.end < sent.end else False
        if possessive and len(inside) > 1:  # "in Niger's Tillabéri region": the region, itself in Niger
            out.append(_rel(place, "locatedIn", inside[1][1], sent, "location"))
            out.append(_rel(inside[1][1], "locatedIn", first, sent, "location"))
        else:
            out.append(_rel(place, "locatedIn", first, sent, "location"))
    return out


_IN_WORDS = re.compile(
    r"^\s*(,\s*)?(also\s+)?(in|at|à|au|en|dans|de)\s+((the|le|la|l['’]|du|des)\s*)?"
    r"((far\s+)?(north|south|east|west|central|northern|southern|eastern|western|north-eastern"
    r"|north-western|south-eastern|south-western|nord|sud|est|ouest|centre)\s+)?"
    r"((of|de|du)\s+(the\s+|la\s+|l['’])?)?$",
    re.IGNORECASE,
)


def _places_named_together(ctx: ArticleContext, sent: Span, mentions: list[tuple[Span, str]]) -> list[RelationRecord]:
    """Two places a few words apart that the KB nests ('X, in the Y region'), a town followed by its
    country ('Abuja, Nigeria'), a country's own region or town ("Burkina Faso's Est region") → locatedIn."""
    out = []
    places = _typed(ctx, mentions, {EntityType.CITY, EntityType.SITE, EntityType.REGION, EntityType.COUNTRY})
    for (a_span, a), (b_span, b) in zip(places, places[1:], strict=False):
        gap = sent.doc[a_span.end : b_span.start]
        if len(gap) > 8 or any(t.lower_ in {"and", "et", "or", "ou", "to", "à", "from", "de"} for t in gap[:1]):
            continue
        for inner, outer in ((a, b), (b, a)):
            known = ctx.kb.get(inner)
            if known is not None and outer in known.located_in:
                out.append(_rel(inner, "locatedIn", outer, sent, "location"))
        a_type, b_type = ctx.type_of(a), ctx.type_of(b)
        if gap.text.strip() == "," and a_type is EntityType.CITY and b_type is EntityType.COUNTRY:
            if ctx.kb.country_of(a) in (None, b):
                out.append(_rel(a, "locatedIn", b, sent, "location"))  # 'Abuja, Nigeria'
        if (
            a_type is EntityType.COUNTRY
            and b_type in {EntityType.REGION, EntityType.CITY}
            and gap.text.strip().lower() in {"'s", "’s"} | {f"{q} {w}" for q in ("'s", "’s") for w in _QUARTERS}
            and ctx.kb.country_of(b) in (None, a)
        ):
            out.append(_rel(b, "locatedIn", a, sent, "location"))  # "Burkina Faso's Est region"
    return out


_QUARTERS = {"northern", "southern", "eastern", "western", "central", "north-eastern", "north-western"}


def _places_within(ctx: ArticleContext, sent: Span, mentions: list[tuple[Span, str]]) -> list[RelationRecord]:
    """'X in northern Burkina Faso', 'the Y hotel in Z', 'camp militaire de Z' → the town or
    site lies in the wider place named right after it (or inside the site's own phrase)."""
    out = []
    places = _typed(ctx, mentions, {EntityType.CITY, EntityType.SITE, EntityType.REGION, EntityType.COUNTRY})
    rank = {EntityType.SITE: 0, EntityType.CITY: 1, EntityType.REGION: 2, EntityType.COUNTRY: 3}
    for (a_span, a), (b_span, b) in zip(places, places[1:], strict=False):
        a_type, b_type = ctx.type_of(a), ctx.type_of(b)
        if rank[b_type] <= rank[a_type] and not (a_type is EntityType.SITE and b_type is EntityType.CITY):
            continue
        if b_span.start < a_span.end:  # a town inside the site's phrase ('camp militaire de Djibo')
            if a_type is EntityType.SITE and b_type is EntityType.CITY:
                out.append(_rel(a, "locatedIn", b, sent, "location"))
            continue
        if rank[b_type] > rank[a_type] and _IN_WORDS.match(sent.doc[a_span.end : b_span.start].text + " "):
            out.append(_rel(a, "locatedIn", b, sent, "location"))
    return out


def _membership_lists(ctx: ArticleContext, sent: Span, mentions: list[tuple[Span, str]]) -> list[RelationRecord]:
    """'the G5 Sahel (Mali, Niger, Burkina Faso, Chad and Mauritania)' → each memberOf the organisation."""
    out = []
    for span, org in _typed(ctx, mentions, {EntityType.IGO}):
        opener = next(
            (t for t in sent.doc[span.end : min(sent.end, span.end + 3)] if t.text in {"(", "—", "–", ":"}), None
        )
        if opener is None or any(t.pos_ == "VERB" for t in sent.doc[span.end : opener.i]):
            continue
        closer = {"(": ")"}.get(opener.text, opener.text)
        close = next(
            (t.i for t in sent.doc[opener.i + 1 : sent.end] if t.text in {closer, ")", "—", "–", ";"}), sent.end
        )
        members = [i for s, i in mentions if opener.i < s.start < close and ctx.type_of(i) is EntityType.COUNTRY]
        if len(members) >= 2:
            out += [_rel(c, "memberOf", org, sent, "membership") for c in members]
    return out


def extract_relations(ctx: ArticleContext) -> list[RelationRecord]:
    """Every relation the article states, deduplicated on (subject, predicate, object)."""
    found: dict[tuple[str, str, str], RelationRecord] = {}
    for p, para in enumerate(ctx.paras):
        for sent in para.doc.sents:
            mentions = ctx.mentions_in(p, sent)
            if not mentions:
                continue
            for rel in (
                *_affiliations(ctx, p, sent, mentions),
                *_leaders(ctx, sent, mentions),
                *_supports(ctx, sent, mentions),
                *_campaigns(ctx, sent, mentions),
                *_locations(ctx, sent, mentions),
                *_memberships(ctx, sent, mentions),
                *_head_titles(ctx, sent, mentions),
                *_kb_confirmed(ctx, sent, mentions),
                *_place_appositions(ctx, sent, mentions),
                *_membership_lists(ctx, sent, mentions),
                *_government_of_person(ctx, sent, mentions),
                *_alliances(ctx, sent, mentions),
                *_government_titles(ctx, sent, mentions),
                *_local_leaders(ctx, sent, mentions),
                *_places_within(ctx, sent, mentions),
                *_places_named_together(ctx, sent, mentions),
            ):
                if rel.subject != rel.object:
                    found.setdefault((rel.subject, rel.predicate, rel.object), rel)
    return list(found.values())
