"""Synthetic Sahel conflict news from the curated knowledge base, with the facts each article states.

    python benchmarks/synthetic.py --articles 1000 --seed 1 -o DIR

writes into DIR, side by side:

    NNNNN_<type>-<town>.txt        an article: headline, dateline, paragraphs; English or French
    NNNNN_<type>-<town>.gold.json  the facts it states, in the gold format of ../shared/eval/FORMAT.md
    meta.jsonl                     file, published, publisher, url, title, language and kind of each article
    corpus.json                    events reported by several articles, with the figures that conflict

so that ``kg ingest DIR`` reads the articles (gold files are not articles) and ``kg evaluate DIR DIR``
scores the extractor on them.

Every article reports one event of a synthetic world drawn from the knowledge base (``ontology/kb.ttl``,
read through :mod:`kg.extract.kb`): an attack, ambush, clash, bombing, air strike, massacre or kidnapping in a KB
town or site of Mali, Burkina Faso or Niger, between a KB armed group and that country's KB forces; or a
sanction by a regional or international organisation; or a foreign force's withdrawal. Dates fall in
2015–2024. An article gives casualty figures as one source tells them (a KB actor, a named local official
the KB does not know, an unnamed source or the article itself), a claim of responsibility or its absence,
and background: relations the KB holds ("X, a group affiliated with Y"), where the town lies, an earlier
attack known to the month, a condemnation. An event is reported by one to ``--max-reports`` articles, each with its own publisher,
language, wording and figures, so the corpus has fused events and conflicting figures. The templates are
this module's own. The same seed gives the same corpus, byte for byte.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import string
import sys
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # run from a source checkout without installing

from kg.config import Settings  # noqa: E402
from kg.extract.kb import KnowledgeBase, load_kb  # noqa: E402
from kg.model import EntityType, KbEntity  # noqa: E402
from kg.vocab.iri import slug  # noqa: E402

__all__ = ["Article", "Corpus", "EventSpec", "Figure", "LocalPerson", "Pools", "generate", "load_pools", "write_corpus"]

SAHEL = ("Mali", "Burkina Faso", "Niger")
FIRST_DAY, LAST_DAY = date(2015, 1, 1), date(2024, 12, 24)
ARTICLE_VOICE = "the article"
VIOLENT = ("Attack", "Ambush", "Clash", "Bombing", "Massacre", "HostageTaking")
ACLED = {
    "Attack": "Battles",
    "Ambush": "Battles",
    "Clash": "Battles",
    "Bombing": "Explosions/Remote violence",
    "Massacre": "Violence against civilians",
    "HostageTaking": "Violence against civilians",
    "Sanction": "Strategic developments",
    "Withdrawal": "Strategic developments",
}
# template variant -> (event type, how often it is drawn); an air strike is a bombing by the state's forces
VARIANTS = {
    "Attack": ("Attack", 26),
    "SiteAttack": ("Attack", 6),
    "Ambush": ("Ambush", 14),
    "Clash": ("Clash", 12),
    "Bombing": ("Bombing", 6),
    "Airstrike": ("Bombing", 6),
    "Massacre": ("Massacre", 8),
    "HostageTaking": ("HostageTaking", 10),
    "Sanction": ("Sanction", 6),
    "Withdrawal": ("Withdrawal", 6),
}
RELATION_PREDICATES = (
    "affiliatedWith",
    "partOf",
    "alliedWith",
    "leaderOf",
    "supportedBy",
    "opposes",
    "successorOf",
    "memberOf",
)
# KB armed groups that do not fight in the three countries themselves (parents, or active elsewhere)
NOT_IN_THE_FIELD = (
    "Boko Haram",
    "Islamic State West Africa Province",
    "al-Qaeda",
    "Islamic State",
    "Salafist Group for Preaching and Combat",
)
SANCTIONING = ("Economic Community of West African States", "African Union", "European Union", "United Nations")
WITHDRAWING = ("France", "United States")  # countries whose armed forces withdraw in the generated news

PUBLISHERS = {
    "en": (
        "Harmattan Wire",
        "Savanna Ledger",
        "The Dune Courier",
        "Niger Bend Gazette",
        "Baobab Press Agency",
        "Red Laterite Review",
    ),
    "fr": (
        "Le Courrier du Fleuve",
        "L'Écho des Dunes",
        "Radio Baobab Info",
        "Le Veilleur des Trois Frontières",
        "La Gazette du Bani",
    ),
}

# --- the knowledge base, as pools of actors and places ----------------------------------------------------------


@dataclass(frozen=True)
class Pools:
    """KB entities grouped by the part they can play in an article, and the KB's relations between actors."""

    kb: KnowledgeBase
    countries: tuple[KbEntity, ...]
    towns: dict[str, tuple[KbEntity, ...]]  # country label -> its KB cities
    sites: dict[str, tuple[KbEntity, ...]]  # country label -> its KB sites
    forces: dict[str, tuple[KbEntity, ...]]  # country label -> its state forces
    armies: dict[str, tuple[KbEntity, ...]]  # country label -> its armed forces and air force
    governments: dict[str, KbEntity]  # country label -> its government
    capitals: dict[str, KbEntity]  # country label -> its capital
    groups: tuple[KbEntity, ...]  # armed groups that fight in the three countries
    igos: tuple[KbEntity, ...]  # organisations that sanction and condemn
    foreign_forces: tuple[KbEntity, ...]  # forces that withdraw
    relations: tuple[tuple[KbEntity, str, KbEntity], ...]

    def region_of(self, town: KbEntity) -> KbEntity | None:
        regions = [e for iri in town.located_in if (e := self.kb.get(iri)) and e.type is EntityType.REGION]
        return regions[0] if regions else None

    def town_of(self, site: KbEntity) -> KbEntity:
        """The town a site lies in: the wider one when the KB gives a district too (Bamako, not Faladié)."""
        towns = [e for iri in site.located_in if (e := self.kb.get(iri)) and e.type is EntityType.CITY]
        wider = [t for t in towns if any(t.iri in other.located_in for other in towns)]
        return (wider or towns)[0]

    def relations_of(
        self, actors: Sequence[KbEntity], predicates: Sequence[str]
    ) -> list[tuple[KbEntity, str, KbEntity]]:
        """KB relations with one of ``actors`` as subject or object."""
        return [r for r in self.relations if r[1] in predicates and (r[0] in actors or r[2] in actors)]


def _in_a_town(kb: KnowledgeBase, site: KbEntity) -> bool:
    """A site the KB places in a town (some lie only in a region, and a story needs the town)."""
    return any((e := kb.get(iri)) is not None and e.type is EntityType.CITY for iri in site.located_in)


def load_pools(kb: KnowledgeBase) -> Pools:
    """Group the KB's entities by the part they play in the generated news."""
    by_type: dict[EntityType, list[KbEntity]] = {}
    for ent in kb:
        by_type.setdefault(ent.type, []).append(ent)
    countries = tuple(e for e in by_type[EntityType.COUNTRY] if e.label in SAHEL)

    def in_country(etype: EntityType) -> dict[str, tuple[KbEntity, ...]]:
        out: dict[str, list[KbEntity]] = {c.label: [] for c in countries}
        for ent in by_type.get(etype, []):
            country = kb.get(kb.country_of(ent.iri) or "")
            if country is not None and country.label in out:
                out[country.label].append(ent)
        return {k: tuple(v) for k, v in out.items()}

    forces = {
        c.label: tuple(
            e
            for e in by_type[EntityType.STATE_FORCE]
            if e.armed_forces_of == c.iri or (e.armed_forces_of is None and _names_country(e, c))
        )
        for c in countries
    }
    relations = []
    for subject in kb:
        for predicate in RELATION_PREDICATES:
            relations += [
                (subject, predicate, obj)
                for iri in kb.related(subject.iri, predicate)
                if (obj := kb.get(iri)) is not None
            ]
    return Pools(
        kb=kb,
        countries=countries,
        towns=in_country(EntityType.CITY),
        sites={c: tuple(e for e in sites if _in_a_town(kb, e)) for c, sites in in_country(EntityType.SITE).items()},
        forces=forces,
        armies={c: tuple(e for e in f if e.armed_forces_of or "Air Force" in e.label) for c, f in forces.items()},
        governments={c.label: g for c in countries if (g := kb.of_country(c.iri, "government_of"))},
        capitals={c.label: e for e in by_type[EntityType.CITY] for c in countries if e.capital_of == c.iri},
        groups=tuple(e for e in by_type[EntityType.ARMED_GROUP] if e.label not in NOT_IN_THE_FIELD),
        igos=tuple(e for e in by_type[EntityType.IGO] if e.label in SANCTIONING),
        foreign_forces=tuple(
            e
            for e in by_type[EntityType.STATE_FORCE]
            if e.armed_forces_of and (c := kb.get(e.armed_forces_of)) is not None and c.label in WITHDRAWING
        ),
        relations=tuple(relations),
    )


_COUNTRY_STEMS = {"Mali": ("malian", "mali"), "Burkina Faso": ("burkina",), "Niger": ("niger",)}


def _names_country(ent: KbEntity, country: KbEntity) -> bool:
    """A gendarmerie, guard or police named after the country ('Malian gendarmerie', '... du Niger')."""
    names = " ".join((ent.label, *ent.aliases)).casefold()
    return any(re.search(rf"\b{stem}", names) for stem in _COUNTRY_STEMS.get(country.label, ()))


# --- the facts of an event and of the articles that report it -------------------------------------------------


@dataclass(frozen=True)
class LocalPerson:
    """A named local source that the KB does not know ("local official Moussa Diallo")."""

    name: str
    role: str  # in the article's language, with its article in French ("l'élu local")


Source = KbEntity | LocalPerson | str | None  # str: an unnamed source ("local sources"); None: the article


@dataclass(frozen=True)
class Figure:
    """A casualty count as one source gives it."""

    kind: str
    count: int
    victims: str
    source: Source


@dataclass(frozen=True)
class EventSpec:
    """One event of the synthetic world; every article that reports it shares it."""

    variant: str
    day: date
    town: KbEntity
    country: KbEntity
    site: KbEntity | None
    perpetrator: KbEntity | None
    target: KbEntity | None
    actor: KbEntity | None  # who sanctions, or withdraws
    claimed: bool
    killed: int
    wounded: int

    @property
    def type(self) -> str:
        return VARIANTS[self.variant][0]

    @property
    def violent(self) -> bool:
        return self.type in VIOLENT

    @property
    def place(self) -> KbEntity:
        """The event's place as the gold gives it: the town, or the country for a sanction or withdrawal."""
        return self.town if self.violent else self.country

    @property
    def key(self) -> str:
        return f"{self.type}/{self.day.isoformat()}/{self.place.label}"


@dataclass(frozen=True)
class Article:
    """A generated article: its text, its row of ``meta.jsonl`` and its gold annotation."""

    file: str
    text: str
    meta: dict[str, Any]
    gold: dict[str, Any]
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Corpus:
    """The articles, and the events that several of them report (``corpus.json``)."""

    articles: list[Article]
    fused_events: list[dict[str, Any]]

    def corpus_json(self) -> dict[str, Any]:
        return {"corpus": "synthetic", "fused_events": self.fused_events}


# --- surface forms ------------------------------------------------------------------------------------------------

# French function words and nouns that only French names have; lower-case French adjectives and accented words
_FRENCH_WORDS = re.compile(
    r"\b(du|de|des|la|le|les|et|pour|au|aux|[ld]['’]|armée|gouvernement|autorités|junte"
    r"|ministère|conseil|groupe|état|aéroport|hôtel)(?=\W|$)",
    re.IGNORECASE,
)
_FRENCH_LOWER = re.compile(
    r"\b(malien(ne)?s?|nigérien(ne)?s?|burkinabè|français(e|es)?|russes?|africaine"
    r"|européenne|unies)\b"
    r"|\b[a-zàâçéèêëîïôûùüÿœ]*[àâçéèêëîïôûùüœ]"
)
_ACRONYM = re.compile(r"[A-Z][A-Za-z-]{1,7}")
_FR_ARTICLE = {
    "forces": "les ",
    "autorités": "les ",
    "volontaires": "les ",
    "nations": "les ",
    "gouvernement": "le ",
    "ministère": "le ",
    "conseil": "le ",
    "groupe": "le ",
    "bureau": "le ",
    "junte": "la ",
    "police": "la ",
    "gendarmerie": "la ",
    "garde": "la ",
    "mission": "la ",
    "communauté": "la ",
    "coordination": "la ",
    "mouvement": "le ",
    "front": "le ",
    "haut": "le ",
    "cadre": "le ",
    "camp": "le ",
    "base": "la ",
    "hôtel": "l'",
}
_FR_CONTRACTIONS = (
    (re.compile(r"\bde les\b"), "des"),
    (re.compile(r"\bde le\b"), "du"),
    (re.compile(r"\bà les\b"), "aux"),
    (re.compile(r"\bà le\b"), "au"),
    (re.compile(r"\b([Dd])e (?=[AEIOUÉaeiouéÂ])"), r"\1'"),
)
_EN_ARTICLE_TYPES = {EntityType.STATE_FORCE, EntityType.STATE, EntityType.IGO, EntityType.PMC, EntityType.SITE}


def is_acronym(name: str) -> bool:
    """'JNIM', 'FAMa', 'CSP-DPA': a short name written mostly in capitals."""
    return bool(_ACRONYM.fullmatch(name)) and sum(c.isupper() for c in name) >= 2


def is_french(name: str) -> bool:
    """A French name ("Forces armées maliennes", "Union africaine"), not an English one with an accented
    proper noun ("gendarmerie school in Faladié")."""
    return bool(_FRENCH_WORDS.search(name) or _FRENCH_LOWER.search(name))


def unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def full_forms(ent: KbEntity, lang: str) -> list[str]:
    """Names of ``ent`` that an article in ``lang`` writes out in full: for a town or country its label
    or the same without accents, for anything else its names in that language (else its label)."""
    names = [n for n in (ent.label, *ent.aliases) if unaccented(n).isascii() and not is_acronym(n)]
    if ent.type in (EntityType.CITY, EntityType.COUNTRY):
        return [n for n in names if unaccented(n) == unaccented(ent.label)] or [ent.label]
    names = [n for n in names if is_french(n) == (lang == "fr")]
    return [n for n in names if lang == "fr" or not n[0].islower()] or [ent.label]


def acronyms(ent: KbEntity, lang: str) -> list[str]:
    """The acronyms of ``ent`` an article in ``lang`` uses: not those that abbreviate only names in the
    other language (CEDEAO is French, ECOWAS English; JNIM, with no match, is both)."""
    names = [n for n in (ent.label, *ent.aliases) if not is_acronym(n)]
    out = []
    for acronym in (n for n in ent.aliases if is_acronym(n)):
        langs = {"fr" if is_french(n) else "en" for n in names if _abbreviates(acronym, n)}
        if not langs or lang in langs:
            out.append(acronym)
    return out


def _abbreviates(acronym: str, name: str) -> bool:
    """The acronym's letters are, in order, initials of the name's words ('ECOWAS', 'Economic Community
    of West African States')."""
    initials = iter(w[0].upper() for w in re.split(r"[\s\-'’]+", unaccented(name)) if w)
    return all(letter in initials for letter in unaccented(acronym).upper() if letter.isalpha())


def french_contractions(text: str) -> str:
    """'de les' -> 'des', 'à le' -> 'au', 'de Ansarul' -> "d'Ansarul"."""
    for pattern, replacement in _FR_CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


# --- writing one article ----------------------------------------------------------------------------------------

Slot = Callable[[], str] | None


class Writer:
    """Writes the sentences of one article and records every fact they state, for its gold annotation."""

    def __init__(self, rng: random.Random, lang: str) -> None:
        self.rng = rng
        self.lang = lang
        self.forms: dict[str, list[str]] = {}  # KB label -> surface forms used, in order of use
        self.types: dict[str, str] = {}
        self.short: dict[str, str] = {}  # KB label -> the acronym introduced for it
        self.events: list[dict[str, Any]] = []
        self.relations: list[dict[str, Any]] = []

    def name(self, ent: KbEntity) -> str:
        """``ent`` as this article names it: in full the first time, with an acronym in brackets if it has
        one ("Jama'at Nusrat al-Islam wal-Muslimin (JNIM)"), then by the acronym or the same name."""
        if ent.label in self.forms:
            form = self.short.get(ent.label) or self.forms[ent.label][0]
            return self._determined(ent, form)
        form = self.rng.choice(full_forms(ent, self.lang))
        self._record(ent, form)
        shorts = acronyms(ent, self.lang)
        if shorts and self.rng.random() < 0.6:
            short = self.rng.choice(shorts)
            self.short[ent.label] = short
            self._record(ent, short)
            return f"{self._determined(ent, form)} ({short})"
        return self._determined(ent, form)

    def person(self, person: LocalPerson) -> str:
        """A local source, by role and name the first time ("town councillor Aminata Cissé"), then by name."""
        first = person.name not in self.forms
        self.forms.setdefault(person.name, [person.name])
        self.types[person.name] = EntityType.PERSON.value
        return f"{person.role} {person.name}" if first else person.name

    def _record(self, ent: KbEntity, form: str) -> None:
        self.forms.setdefault(ent.label, []).append(form)
        self.types[ent.label] = ent.type.value

    def _determined(self, ent: KbEntity, form: str) -> str:
        """The name with the article it takes ('the Malian Armed Forces', "l'armée malienne")."""
        if is_acronym(form) or (ent.type.is_place and ent.type is not EntityType.SITE):
            return form
        if self.lang == "en":
            return f"the {form}" if ent.type in _EN_ARTICLE_TYPES else form
        first = form.split(maxsplit=1)[0].casefold()
        if first in _FR_ARTICLE:
            return _FR_ARTICLE[first] + form
        return f"l'{form}" if first[0] in "aeéiouyâ" and is_french(form) else form

    def relation(self, subject: KbEntity, predicate: str, obj: KbEntity, evidence: str) -> None:
        rel = {"subject": subject.label, "predicate": predicate, "object": obj.label, "evidence": evidence}
        if rel not in self.relations:
            self.relations.append(rel)

    def fill(self, templates: Sequence[str], slots: Mapping[str, Slot]) -> tuple[str, frozenset[str]]:
        """One of ``templates`` whose slots are all available, filled, and the slots it used. A slot is
        written (and the facts it states recorded) only if the chosen template uses it."""
        usable = [t for t in templates if all(slots.get(f) is not None for f in _fields(t))]
        template = self.rng.choice(usable)
        text = _DANGLING_COMMA.sub(r"\1", template.format_map(_LazySlots(slots)))
        if self.lang == "fr":
            text = french_contractions(text)
        return text[0].upper() + text[1:], frozenset(_fields(template))


class _LazySlots(dict[str, str]):
    """Slot values computed on first use (``str.format_map`` asks for each field of the template)."""

    def __init__(self, slots: Mapping[str, Slot]) -> None:
        super().__init__()
        self.slots = slots

    def __missing__(self, key: str) -> str:
        make = self.slots[key]
        assert make is not None, key
        self[key] = value = make()
        return value


_DANGLING_COMMA = re.compile(r",([.,])")  # "in Agadez, Niger,." after an apposition that ends a sentence


def _fields(template: str) -> list[str]:
    return [f for _, f, _, _ in string.Formatter().parse(template) if f]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- templates (this module's own wording) ----------------------------------------------------------------------
# {perp} and {target} are the event's perpetrator and target; {loc} the town and often where it lies;
# {site_loc} a site and its town; {when} a date phrase; {igo}, {foreign}, {country} as named.

LEADS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "Attack": (
            "{perp} fighters attacked a position of {target} in {loc} {when}.",
            "{when_cap}, {perp} militants stormed a base of {target} in {loc}.",
            "Gunmen of {perp} launched an assault on a camp of {target} in {loc} {when}.",
            "An attack on {target} in {loc} {when} was one of the deadliest of the year.",
        ),
        "SiteAttack": (
            "Dozens of armed men from {perp} attacked {target} at {site_loc} {when}.",
            "{perp} carried out a raid on {site_loc} {when}, targeting {target}.",
        ),
        "Ambush": (
            "{perp} fighters ambushed a convoy of {target} in {loc} {when}.",
            "A patrol of {target} was ambushed in {loc} {when}.",
            "{when_cap}, militants from {perp} ambushed a supply column of {target} in {loc}.",
        ),
        "Clash": (
            "Heavy fighting broke out between {target} and {perp} in {loc} {when}.",
            "{target} clashed with fighters of {perp} in {loc} {when}.",
            "{when_cap}, {target} and {perp} fought a battle lasting several hours in {loc}.",
        ),
        "Bombing": (
            "A car bomb exploded {when} outside a base of {target} in {loc}, in a bombing blamed on {perp}.",
            "An IED struck a vehicle of {target} in {loc} {when}.",
        ),
        "Airstrike": (
            "A drone strike by {perp} hit a gathering of {target} fighters in {loc} {when}.",
            "{when_cap}, an air strike by {perp} targeted a camp of {target} in {loc}.",
        ),
        "Massacre": (
            "Gunmen from {perp} carried out a massacre of villagers in {loc} {when}.",
            "{when_cap}, armed men massacred residents of {loc}, in a slaughter attributed to {perp}.",
        ),
        "HostageTaking": (
            "{perp} fighters kidnapped a group of travellers in {loc} {when}.",
            "Armed men abducted residents of {loc} {when}, in a kidnapping attributed to {perp}.",
        ),
        "Sanction": (
            "{igo} imposed sanctions on {country} {when}, freezing its assets in regional banks.",
            (
                "{when_cap}, {igo} announced sanctions against the military leaders of {country}, including a "
                "travel ban."
            ),
        ),
        "Withdrawal": (
            "{foreign} completed the withdrawal of its last troops from {country} {when}.",
            "{when_cap}, {foreign} announced the withdrawal of its soldiers from {country}.",
        ),
    },
    "fr": {
        "Attack": (
            "Des combattants de {perp} ont attaqué {when} une position de {target} à {loc}.",
            "{when_cap}, des hommes armés de {perp} ont lancé un assaut contre un camp de {target} à {loc}.",
            "Une attaque contre {target} a eu lieu {when} à {loc}.",
        ),
        "SiteAttack": (
            "Des hommes armés de {perp} ont attaqué {when} {target} à {site_loc}.",
            "{when_cap}, {perp} a mené un raid contre {site_loc}, visant {target}.",
        ),
        "Ambush": (
            "Un convoi de {target} est tombé {when} dans une embuscade tendue par {perp} à {loc}.",
            "{when_cap}, une patrouille de {target} a été prise dans une embuscade à {loc}.",
        ),
        "Clash": (
            "De violents affrontements ont opposé {when} {target} à des combattants de {perp} à {loc}.",
            "{when_cap}, des combats ont éclaté entre {target} et {perp} à {loc}.",
        ),
        "Bombing": ("Une explosion a frappé {when} un véhicule de {target} à {loc}.",),
        "Airstrike": ("Une frappe de drone de {perp} a visé {when} des combattants de {target} à {loc}.",),
        "Massacre": (
            "Des hommes armés de {perp} ont commis {when} un massacre à {loc}.",
            "{when_cap}, une tuerie attribuée à {perp} a endeuillé {loc}.",
        ),
        "HostageTaking": (
            "Des combattants de {perp} ont procédé {when} à l'enlèvement de voyageurs à {loc}.",
            "{when_cap}, des hommes armés ont enlevé des habitants de {loc}, selon des témoins.",
        ),
        "Sanction": (
            "{igo} a imposé {when} des sanctions au {country}, dont le gel de ses avoirs.",
            "{when_cap}, {igo} a annoncé des sanctions contre les dirigeants militaires du {country}.",
        ),
        "Withdrawal": (
            "{foreign} a achevé {when} le retrait de ses derniers soldats du {country}.",
            "{when_cap}, {foreign} a annoncé le retrait de ses troupes du {country}.",
        ),
    },
}
PLACES = {  # {town} in {region} / {country}: each states a locatedIn relation
    "en": {"region": "{town}, a town in {region}", "country": "{town}, {country}"},
    "fr": {"region": "{town}, une localité de la {region}", "country": "{town}, au {country}"},
}
NOUNS = {
    "en": {
        "Attack": "attack",
        "Ambush": "ambush",
        "Clash": "fighting",
        "Bombing": "strike",
        "Massacre": "massacre",
        "HostageTaking": "kidnapping",
    },
    "fr": {
        "Attack": "l'attaque",
        "Ambush": "l'embuscade",
        "Clash": "l'affrontement",
        "Bombing": "la frappe",
        "Massacre": "la tuerie",
        "HostageTaking": "l'enlèvement",
    },
}
# {killed}, {wounded}, {hostages}: count phrases such as "at least 23 soldiers"; {source}: who gave them
FIGURES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "sourced": (
            "{killed} were killed and {wounded} wounded in the {noun}, {source} said.",
            "The {noun} left {killed} dead, according to {source}.",
            "{source_cap} said {killed} had been killed in the {noun}.",
            "According to {source}, {killed} died in the {noun} and {wounded} were injured.",
            "{hostages} were abducted in the {noun}, according to {source}.",
            "{source_cap} said {hostages} had been kidnapped.",
        ),
        "voice": (
            "{killed} were killed in the {noun}.",
            "The {noun} killed {killed} and wounded {wounded}.",
            "The kidnappers took {hostages} hostage.",
        ),
    },
    "fr": {
        "sourced": (
            "{killed} ont été tués et {wounded} blessés dans {noun}, selon {source}.",
            "Selon {source}, {noun} a fait {killed} tués.",
            "{killed} ont été tués, selon un bilan communiqué par {source}.",
            "Selon {source}, {hostages} ont été enlevés.",
        ),
        "voice": ("{killed} ont été tués dans {noun}.", "{hostages} ont été enlevés."),
    },
}
VICTIMS = {
    "en": {
        "forces": ("soldiers",),
        "civilians": ("civilians", "villagers", "residents"),
        "fighters": ("fighters", "militants", "assailants"),
        "hostages": ("travellers", "villagers", "traders"),
    },
    "fr": {
        "forces": ("soldats",),
        "civilians": ("civils", "villageois", "habitants"),
        "fighters": ("combattants", "assaillants", "jihadistes"),
        "hostages": ("voyageurs", "villageois", "commerçants"),
    },
}
# what the members of a force are called, by a word of its KB label
MEMBERS = {
    "en": {"Police": "police officers", "Gendarmerie": "gendarmes", "Guard": "guardsmen", "Volunteers": "volunteers"},
    "fr": {"Police": "policiers", "Gendarmerie": "gendarmes", "Guard": "gardes", "Volunteers": "volontaires"},
}
UNNAMED_SOURCES = {
    "en": ("local sources", "security sources", "residents", "a local official", "hospital staff"),
    "fr": ("des sources locales", "des sources sécuritaires", "des habitants", "un élu local"),
}
LOCAL_ROLES = {
    "en": ("local official", "town councillor", "community leader", "hospital director"),
    "fr": ("l'élu local", "le conseiller municipal", "le chef de village", "le directeur de l'hôpital"),
}
GIVEN_NAMES = (
    "Moussa",
    "Aminata",
    "Boubacar",
    "Fatoumata",
    "Ousmane",
    "Mariam",
    "Hamidou",
    "Salif",
    "Adama",
    "Kadidiatou",
    "Souleymane",
    "Rokia",
    "Idrissa",
    "Haoua",
    "Seydou",
    "Ramatou",
)
FAMILY_NAMES = (
    "Diallo",
    "Cissé",
    "Ouédraogo",
    "Maïga",
    "Sawadogo",
    "Coulibaly",
    "Dicko",
    "Sidibé",
    "Zongo",
    "Hama",
    "Touré",
    "Kindo",
    "Boureima",
    "Tamboura",
    "Yattara",
    "Kassogué",
)
QUALIFIERS = {"en": ("at least ", "more than ", "about ", "", "", ""), "fr": ("au moins ", "plus de ", "", "", "")}
NUMBER_WORDS = {
    "en": {
        2: "two",
        3: "three",
        4: "four",
        5: "five",
        6: "six",
        7: "seven",
        8: "eight",
        9: "nine",
        10: "ten",
        11: "eleven",
        12: "twelve",
        20: "twenty",
        30: "thirty",
        40: "forty",
        50: "fifty",
    },
    "fr": {2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 10: "dix", 12: "douze", 20: "vingt"},
}
CLAIMS = {
    "en": (
        "{perp} claimed responsibility for the {noun} in a statement {claim_when}.",
        "The {noun} was claimed by {perp} {claim_when}.",
        "In a message released {claim_when}, {perp} claimed the {noun}.",
    ),
    "fr": (
        "{perp} a revendiqué {noun} dans un communiqué diffusé {claim_when}.",
        "{noun_cap} a été revendiquée par {perp} {claim_when}.",
    ),
}
NO_CLAIM = {
    "en": (
        "No group had claimed responsibility for the {noun} by the time of publication.",
        "No group has claimed the {noun}.",
    ),
    "fr": ("Aucun groupe n'a revendiqué {noun} pour l'instant.",),
}
RELATIONS = {
    "en": {
        "affiliatedWith": "{s}, a group affiliated with {o}, has stepped up its operations in recent months.",
        "partOf": "{s}, which is part of {o}, has long been active in the area.",
        "alliedWith": "{s}, an ally of {o}, has fought alongside it in the area.",
        "leaderOf": "{o}, led by {s}, has expanded its presence in the area.",
        "supportedBy": "{s} relies on support from {o} in the area.",
        "opposes": "{s} has waged a campaign against {o} for several years.",
        "successorOf": "{s} is the successor of {o}.",
    },
    "fr": {
        "affiliatedWith": "{s}, un groupe affilié à {o}, a multiplié ses opérations ces derniers mois.",
        "partOf": "{s}, une composante de {o}, est active depuis longtemps dans la zone.",
        "leaderOf": "{o}, dirigé par {s}, a étendu sa présence dans la zone.",
        "alliedWith": "{s}, allié à {o}, combat à ses côtés dans la zone.",
    },
}
CONDEMNATIONS = {
    "en": (
        "{igo} condemned the {noun} and called for an investigation.",
        "In a statement, {igo} condemned the {noun}.",
    ),
    "fr": ("{igo} a condamné {noun} et demandé une enquête.",),
}
PAST = {  # (template, event type, victims): an earlier event in another town of the country
    "en": (
        (
            (
                "It was the worst violence in the area since {month_year}, when fighters of {perp} killed "
                "{count} in an ambush in {town}."
            ),
            "Ambush",
            "soldiers",
        ),
        ("In {month_year}, an attack by {perp} in {town} killed {count}.", "Attack", "civilians"),
    ),
    "fr": (("En {month_year}, une attaque de {perp} à {town} avait tué {count}.", "Attack", "civils"),),
}
BACKGROUND = {
    "en": (
        "Humanitarian agencies say that access to the area has become increasingly difficult.",
        "Thousands of families have fled the surrounding villages over the past two years.",
        "Teachers and nurses have left many villages of the district in recent months.",
        "Roads leading to the town are regularly mined, and supplies arrive by escorted convoys.",
        "Residents described hearing gunfire for several hours before reinforcements arrived.",
        "Local markets are half empty, and farmers say they can no longer reach their fields.",
        "Analysts say the insurgency has spread steadily southwards since the early years of the conflict.",
        "Telephone networks in the area were cut for most of the day, residents said.",
        "Many of the displaced have settled in makeshift camps on the outskirts of larger towns.",
        "Aid convoys have been turned back several times this year because of insecurity on the roads.",
        "Herders say that cattle thefts have become a daily worry in the surrounding pastures.",
        "Several mayors and village chiefs in the district have left their posts after receiving threats.",
        "Fuel and food prices in the town have doubled since the main road was blocked.",
        "\u201cWe no longer sleep at night,\u201d said a shopkeeper who asked not to be named.",
        "Rainy-season floods have further cut off several villages from the rest of the district.",
    ),
    "fr": (
        "Les organisations humanitaires affirment que l'accès à la zone est de plus en plus difficile.",
        "Des milliers de familles ont fui les villages environnants au cours des deux dernières années.",
        "De nombreux enseignants et infirmiers ont quitté le district ces derniers mois.",
        "Les routes menant à la ville sont régulièrement minées.",
        "Des habitants ont raconté avoir entendu des tirs pendant plusieurs heures.",
        "Beaucoup de déplacés vivent dans des abris de fortune à la périphérie des grandes villes.",
        "Les convois d'aide ont dû rebrousser chemin à plusieurs reprises cette année.",
        "Les prix du carburant et des denrées ont doublé depuis le blocage de la route principale.",
        "Plusieurs maires et chefs de village du district ont quitté leur poste après avoir reçu des menaces.",
        "\u00ab Nous ne dormons plus la nuit \u00bb, confie un commerçant qui a requis l'anonymat.",
        "Les éleveurs disent craindre pour leur bétail dans les pâturages environnants.",
    ),
}
HEADLINES = {
    "en": {
        "violent": ("{n} killed in {noun} in {town}", "{Noun} in {town} leaves {n} dead", "Deadly {noun} hits {town}"),
        "Sanction": ("{igo} sanctions {country}", "New sanctions against {country}"),
        "Withdrawal": ("Foreign troops leave {country}", "Withdrawal from {country} completed"),
    },
    "fr": {
        "violent": ("{town} : {n} morts dans une attaque", "{country} : violences meurtrières à {town}"),
        "Sanction": ("Nouvelles sanctions contre le {country}",),
        "Withdrawal": ("Retrait de troupes étrangères du {country}",),
    },
}
MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
}
WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
}


def date_phrase(rng: random.Random, day: date, published: date, lang: str) -> str:
    """``day`` as an article published on ``published`` writes it: a full date, day and month (same
    year), or a weekday (within the week before publication)."""
    month = MONTHS[lang][day.month - 1]
    options = [f"{day.day} {month} {day.year}"] + ([f"{month} {day.day}, {day.year}"] if lang == "en" else [])
    if day.year == published.year:
        options += [f"{day.day} {month}"] + ([f"{month} {day.day}"] if lang == "en" else [])
    if 0 <= (published - day).days < 7:
        options += [WEEKDAYS[lang][day.weekday()]] * 2
    text = rng.choice(options)
    if lang == "fr":
        return text if text in WEEKDAYS["fr"] else f"le {text}"
    return f"on {text}"


def count_phrase(rng: random.Random, count: int, victims: str, lang: str) -> str:
    """'at least 23 soldiers', 'twelve villagers', 'au moins 7 civils'."""
    word = NUMBER_WORDS[lang].get(count) if rng.random() < 0.5 else None
    return f"{rng.choice(QUALIFIERS[lang])}{word or count} {victims}"


class Report:
    """One article about an event, in one language: its paragraphs and the facts they state."""

    def __init__(self, rng: random.Random, pools: Pools, event: EventSpec, lang: str, published: date) -> None:
        self.rng = rng
        self.pools = pools
        self.event = event
        self.lang = lang
        self.published = published
        self.w = Writer(rng, lang)
        self.when = date_phrase(rng, event.day, published, lang)
        self.stated: list[Figure] = []
        self.casualties: list[dict[str, Any]] = []

    def name(self, ent: KbEntity | None) -> Slot:
        return None if ent is None else (lambda: self.w.name(ent))

    def loc(self) -> str:
        """The event's town, and often where it lies."""
        ev, w = self.event, self.w
        region = self.pools.region_of(ev.town)
        if region is not None and self.lang == "fr" and not any(is_french(n) for n in region.aliases):
            region = None  # "une localité de la Tillabéri Region" would not be French
        choice = self.rng.random()
        wider = region if region is not None and choice < 0.35 else ev.country if choice < 0.75 else None
        town = w.name(ev.town)
        if wider is None:
            return town
        key = "region" if wider is region else "country"
        text = PLACES[self.lang][key].format(town=town, region=w.name(wider), country=w.name(wider))
        w.relation(ev.town, "locatedIn", wider, text)
        return text + ","  # the apposition closes before what follows ("in Djibo, Burkina Faso, on Monday")

    def site_loc(self) -> str:
        """The event's site, and the town it lies in unless its name says so ("Hôtel Radisson Blu de Bamako")."""
        ev, w = self.event, self.w
        assert ev.site is not None
        site = w.name(ev.site)
        if unaccented(ev.town.label) in unaccented(site):
            return site
        text = f"{site} {'in' if self.lang == 'en' else 'à'} {w.name(ev.town)}"
        w.relation(ev.site, "locatedIn", ev.town, text)
        return text

    def lead(self) -> str:
        ev = self.event
        slots: dict[str, Slot] = {
            "perp": self.name(ev.perpetrator),
            "target": self.name(ev.target),
            "country": self.name(ev.country),
            "igo": self.name(ev.actor),
            "foreign": self.name(ev.actor),
            "loc": self.loc if ev.site is None else None,
            "site_loc": self.site_loc if ev.site else None,
            "when": lambda: self.when,
            "when_cap": lambda: _cap(self.when),
        }
        sentence, _ = self.w.fill(LEADS[self.lang][ev.variant], slots)
        return sentence

    def main_event(self, evidence: str, named: Collection[str]) -> dict[str, Any]:
        """The gold record of the reported event; its roles are the ``named`` actors (those of the lead)."""
        ev = self.event
        perps = [a.label for a in (ev.perpetrator, ev.actor) if a is not None and a.label in named]
        targets = [ev.target.label] if ev.target is not None and ev.target.label in named else []
        place = ev.place
        if ev.site is not None and ev.town.label not in named:
            place = ev.site  # "l'aéroport de Bamako": the site's name says where it is
        return {
            "type": ev.type,
            "acled_event_type": ACLED[ev.type],
            "date": ev.day.isoformat(),
            "date_text": self.when,
            "place": place.label,
            "country": ev.country.label,
            "sites": [ev.site.label] if ev.site else [],
            "perpetrators": perps,
            "targets": targets,
            "claimed_by": [ev.perpetrator.label] if ev.claimed and ev.perpetrator else [],
            "casualties": self.casualties,
            "evidence": evidence,
        }

    def figure_sentence(self, figures: Sequence[Figure]) -> str:
        """The figures of one source in one sentence; a figure the chosen template leaves out is not stated."""
        phrases = {f.kind: count_phrase(self.rng, f.count, f.victims, self.lang) for f in figures}
        source = figures[0].source
        said = self.source(source)
        noun = NOUNS[self.lang][self.event.type]
        slots: dict[str, Slot] = {
            "killed": _const(phrases.get("killed")),
            "wounded": _const(phrases.get("injured")),
            "hostages": _const(phrases.get("hostages")),
            "noun": lambda: noun,
            "source": said,
            "source_cap": None if said is None else (lambda: _cap(said())),
        }
        group = FIGURES[self.lang]["voice" if source is None else "sourced"]
        sentence, used = self.w.fill(group, slots)
        slot_of = {"killed": "killed", "injured": "wounded", "hostages": "hostages"}
        for f in figures:
            if slot_of[f.kind] in used:
                self.stated.append(f)
                self.casualties.append(
                    {
                        "kind": f.kind,
                        "count": f.count,
                        "count_text": phrases[f.kind],
                        "who": f.victims,
                        "according_to": source_label(source),
                    }
                )
        return sentence

    def source(self, source: Source) -> Slot:
        if source is None:
            return None
        if isinstance(source, str):
            return lambda: source
        if isinstance(source, LocalPerson):
            return lambda: self.w.person(source)
        return self.name(source)

    def claim(self) -> str:
        ev = self.event
        noun = NOUNS[self.lang][ev.type]
        if not ev.claimed or ev.perpetrator is None:
            return self.w.fill(NO_CLAIM[self.lang], {"noun": lambda: noun})[0]
        claim_day = min(ev.day + timedelta(days=self.rng.randint(0, 2)), self.published)
        claim_when = date_phrase(self.rng, claim_day, self.published, self.lang)
        sentence, _ = self.w.fill(
            CLAIMS[self.lang],
            {
                "perp": self.name(ev.perpetrator),
                "noun": lambda: noun,
                "noun_cap": lambda: _cap(noun),
                "claim_when": lambda: claim_when,
            },
        )
        self.w.events.append(
            {
                "type": "ClaimOfResponsibility",
                "date": claim_day.isoformat(),
                "place": None,
                "country": None,
                "perpetrators": [ev.perpetrator.label],
                "optional": True,
                "evidence": sentence,
            }
        )
        return sentence

    def relation(self) -> str | None:
        """A relation the KB holds about an actor of the event, written as background."""
        ev = self.event
        actors = [a for a in (ev.perpetrator, ev.target, ev.actor) if a is not None]
        candidates = self.pools.relations_of(actors, tuple(RELATIONS[self.lang]))
        if not candidates:
            return None
        subject, predicate, obj = self.rng.choice(candidates)
        sentence = RELATIONS[self.lang][predicate].format(s=self.w.name(subject), o=self.w.name(obj))
        sentence = _cap(french_contractions(sentence) if self.lang == "fr" else sentence)
        self.w.relation(subject, predicate, obj, sentence)
        return sentence

    def condemnation(self) -> str | None:
        igo = self.event.actor or self.rng.choice(self.pools.igos)
        noun = NOUNS[self.lang][self.event.type]
        sentence, _ = self.w.fill(CONDEMNATIONS[self.lang], {"igo": self.name(igo), "noun": lambda: noun})
        self.w.events.append(
            {
                "type": "Condemnation",
                "date": None,
                "place": None,
                "country": None,
                "perpetrators": [igo.label],
                "evidence": sentence,
            }
        )
        return sentence

    def past_event(self) -> str | None:
        """An earlier attack in another town of the country, known to the month."""
        ev, rng = self.event, self.rng
        towns = [t for t in self.pools.towns[ev.country.label] if t != ev.town]
        if not towns or ev.day.year == FIRST_DAY.year:
            return None
        town, perp = rng.choice(towns), rng.choice(self.pools.groups)
        when = date(rng.randint(FIRST_DAY.year, ev.day.year - 1), rng.randint(1, 12), 1)
        template, etype, victims = rng.choice(PAST[self.lang])
        count = f"{rng.randint(3, 60)} {victims}"
        month_year = f"{MONTHS[self.lang][when.month - 1]} {when.year}"
        sentence, _ = self.w.fill(
            [template],
            {
                "perp": self.name(perp),
                "town": self.name(town),
                "month_year": lambda: month_year,
                "count": lambda: count,
            },
        )
        self.w.events.append(
            {
                "type": etype,
                "acled_event_type": ACLED[etype],
                "date": f"{when.year:04d}-{when.month:02d}",
                "date_text": month_year,
                "place": town.label,
                "country": ev.country.label,
                "sites": [],
                "perpetrators": [perp.label],
                "targets": [],
                "claimed_by": [],
                "casualties": [
                    {
                        "kind": "killed",
                        "count": int(count.split(maxsplit=1)[0]),
                        "count_text": count,
                        "who": victims,
                        "according_to": ARTICLE_VOICE,
                    }
                ],
                "evidence": sentence,
            }
        )
        return sentence

    def headline(self) -> str:
        ev = self.event
        killed = next((f.count for f in self.stated if f.kind == "killed"), None)
        templates = HEADLINES[self.lang]["violent" if ev.violent else ev.type]
        templates = tuple(t for t in templates if killed is not None or "{n}" not in t) or templates
        noun = NOUNS["en"].get(ev.type, "")
        igo = (self.w.short.get(ev.actor.label) or ev.actor.label) if ev.actor else ""
        return self.rng.choice(templates).format(
            n=killed, noun=noun, Noun=_cap(noun), town=ev.town.label, country=ev.country.label, igo=igo
        )

    def dateline(self, publisher: str) -> str:
        """'NIAMEY, Mar 4 (Harmattan Wire) – ', or nothing (ingest moves a dateline out of the text)."""
        if self.rng.random() < 0.3:
            return ""
        capital = self.pools.capitals[self.event.country.label].label.upper()
        month = MONTHS[self.lang][self.published.month - 1]
        stamp = f"{month[:3]} {self.published.day}" if self.lang == "en" else f"{self.published.day} {month}"
        return f"{capital}, {stamp} ({publisher}) – "

    def write(self, figures: Sequence[Figure], kind: str, publisher: str) -> tuple[str, str]:
        """(headline, body); the facts the body states are in ``self.w`` afterwards."""
        ev, rng = self.event, self.rng
        lead = self.lead()
        self.w.events.append(self.main_event(lead, set(self.w.forms)))
        first = [lead]
        if figures:
            first.append(self.figure_sentence(figures))  # adds them to the event's casualties
        paragraphs = [first]
        if ev.violent:
            paragraphs.append([self.claim()])
        if kind != "flash":
            if (relation := self.relation()) is not None:
                paragraphs[-1].append(relation)
            background = rng.sample(BACKGROUND[self.lang], k=rng.randint(3, 8))
            paragraphs += [background[:3], background[3:]] if len(background) > 4 else [background]
            if ev.violent and rng.random() < 0.5 and (past := self.past_event()) is not None:
                paragraphs.append([past])
            if ev.violent and rng.random() < 0.35 and (condemned := self.condemnation()) is not None:
                paragraphs[-1].append(condemned)
        body = "\n\n".join(" ".join(p) for p in paragraphs)
        return self.headline(), self.dateline(publisher) + body


def _const(value: str | None) -> Slot:
    return None if value is None else (lambda: value)


def source_label(source: Source) -> str:
    """Who gave a figure, as the gold writes it: a name, the unnamed source, or 'the article'."""
    if source is None:
        return ARTICLE_VOICE
    if isinstance(source, str):
        return source
    return source.name if isinstance(source, LocalPerson) else source.label


def local_person(rng: random.Random, kb: KnowledgeBase, lang: str) -> LocalPerson:
    """A local official with a common name of the region that is not a KB person's."""
    while True:
        name = f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}"
        if kb.lookup(name) is None:
            return LocalPerson(name, rng.choice(LOCAL_ROLES[lang]))


# --- events and their reports ---------------------------------------------------------------------------------


def draw_event(rng: random.Random, pools: Pools) -> EventSpec:
    """An event of the synthetic world: what happened, when, where, who, and its true toll."""
    variant = rng.choices(list(VARIANTS), weights=[w for _, w in VARIANTS.values()])[0]
    etype = VARIANTS[variant][0]
    country = rng.choice(pools.countries)
    if variant == "SiteAttack" and not pools.sites[country.label]:
        variant = "Attack"
    site = rng.choice(pools.sites[country.label]) if variant == "SiteAttack" else None
    town = pools.town_of(site) if site is not None else rng.choice(pools.towns[country.label])
    violent = etype in VIOLENT
    group = rng.choice(pools.groups) if violent else None
    airstrike = variant == "Airstrike"
    force = rng.choice((pools.armies if airstrike else pools.forces)[country.label]) if violent else None
    actor = None
    if etype == "Sanction":
        actor = rng.choice(pools.igos)
    elif etype == "Withdrawal":
        actor = rng.choice(pools.foreign_forces)
    return EventSpec(
        variant=variant,
        day=FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days)),
        town=town,
        country=country,
        site=site,
        perpetrator=force if airstrike else group,
        target=group if airstrike else force,
        actor=actor,
        claimed=violent and not airstrike and rng.random() < 0.6,
        killed=rng.randint(2, 120) if violent else 0,
        wounded=rng.randint(2, 40) if violent and rng.random() < 0.6 else 0,
    )


def draw_figures(rng: random.Random, pools: Pools, event: EventSpec, lang: str) -> list[Figure]:
    """The toll as one article gives it: one source, whose count may differ from other sources'."""
    if not event.violent:
        return []
    sources: list[Source] = [None, rng.choice(UNNAMED_SOURCES[lang]), local_person(rng, pools.kb, lang)]
    sources += [a for a in (event.target, pools.governments.get(event.country.label)) if a is not None]
    if event.variant == "Airstrike" or event.claimed:
        sources.append(event.perpetrator)
    source = rng.choice(sources)
    victims_kind = {"Massacre": "civilians", "HostageTaking": "hostages", "Airstrike": "fighters"}.get(
        event.variant, "forces"
    )
    victims = rng.choice(VICTIMS[lang][victims_kind])
    if victims_kind == "forces" and event.target is not None:
        victims = next((m for word, m in MEMBERS[lang].items() if word in event.target.label.split()), victims)
    count = max(2, round(event.killed * (1.0 if source is None else rng.choice((0.8, 1.0, 1.0, 1.25, 1.5)))))
    if event.type == "HostageTaking":
        return [Figure("hostages", count // 4 + 2, victims, source)]
    figures = [Figure("killed", count, victims, source)]
    if event.wounded:
        figures.append(Figure("injured", event.wounded, victims, source))
    return figures


def write_report(rng: random.Random, pools: Pools, event: EventSpec, number: int) -> Article:
    """Article number ``number``, about ``event``: its text, metadata row and gold annotation."""
    lang = "fr" if rng.random() < 0.3 else "en"
    kind = "french" if lang == "fr" else rng.choices(("report", "flash"), weights=(4, 1))[0]
    published = event.day + timedelta(days=rng.randint(0, 5))
    publisher = rng.choice(PUBLISHERS[lang])
    report = Report(rng, pools, event, lang, published)
    headline, body = report.write(draw_figures(rng, pools, event, lang), kind, publisher)
    name = f"{number:05d}_{slug(event.type)}-{slug(event.place.label)}.txt"
    meta = {
        "file": name,
        "published": published.isoformat(),
        "publisher": publisher,
        "url": f"https://example.org/synthetic/{published.year}/{name.removesuffix('.txt')}",
        "title": headline,
        "language": lang,
        "kind": kind,
    }
    w = report.w
    gold = {
        "file": name,
        "published": published.isoformat(),
        "language": lang,
        "entities": [
            {"name": label, "type": w.types[label], "mentions": list(dict.fromkeys(forms))}
            for label, forms in w.forms.items()
        ],
        "events": w.events,
        "relations": w.relations,
        "optional_entities": [publisher],
        "must_not_extract_entities": [],
    }
    return Article(file=name, text=f"{headline}\n\n{body}\n", meta=meta, gold=gold, figures=tuple(report.stated))


def fused_event(event: EventSpec, reports: Sequence[Article]) -> dict[str, Any]:
    """The ``corpus.json`` record of an event reported by several articles."""
    values: dict[str, set[int]] = {}
    for article in reports:
        for figure in article.figures:
            values.setdefault(figure.kind, set()).add(figure.count)
    return {
        "type": event.type,
        "date": event.day.isoformat(),
        "place": event.place.label,
        "country": event.country.label,
        "perpetrators": [event.perpetrator.label] if event.perpetrator else [],
        "claimed_by": [event.perpetrator.label] if event.claimed and event.perpetrator else [],
        "sites": [event.site.label] if event.site else [],
        "sources": [a.file for a in reports],
        "conflicting_figures": [
            {"kind": kind, "values": sorted(v), "notes": "given by different sources"}
            for kind, v in sorted(values.items())
            if len(v) > 1
        ],
    }


def generate(articles: int, seed: int, pools: Pools, *, max_reports: int = 3, first: int = 1) -> Corpus:
    """``articles`` articles about events drawn with ``seed``, numbered from ``first``; each event gets 1 to
    ``max_reports`` reports."""
    rng = random.Random(seed)
    out: list[Article] = []
    fused: list[dict[str, Any]] = []
    seen: set[str] = set()
    weights = (8, 3, 1)[:max_reports]
    while len(out) < articles:
        event = draw_event(rng, pools)
        if event.key in seen:  # two draws of one event would fuse in the graph without being declared
            continue
        seen.add(event.key)
        count = min(rng.choices(range(1, max_reports + 1), weights=weights)[0], articles - len(out))
        reports = [write_report(rng, pools, event, first + len(out) + i) for i in range(count)]
        out.extend(reports)
        if count > 1:
            fused.append(fused_event(event, reports))
    return Corpus(out, fused)


def write_corpus(corpus: Corpus, directory: Path) -> None:
    """The articles, their gold files, ``meta.jsonl`` and ``corpus.json``, into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "meta.jsonl").open("w", encoding="utf-8") as meta:
        for article in corpus.articles:
            (directory / article.file).write_text(article.text, encoding="utf-8")
            gold = json.dumps(article.gold, ensure_ascii=False, indent=1) + "\n"
            (directory / (article.file.removesuffix(".txt") + ".gold.json")).write_text(gold, encoding="utf-8")
            meta.write(json.dumps(article.meta, ensure_ascii=False) + "\n")
    corpus_json = json.dumps(corpus.corpus_json(), ensure_ascii=False, indent=1) + "\n"
    (directory / "corpus.json").write_text(corpus_json, encoding="utf-8")


def default_pools(settings: Settings | None = None) -> Pools:
    """Pools from the configured knowledge base."""
    settings = settings or Settings()
    return load_pools(load_kb(settings.ontology_dir / "kb.ttl", settings.base_iri))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0],
        epilog="Writes NNNNN_*.txt, NNNNN_*.gold.json, meta.jsonl and corpus.json.",
    )
    parser.add_argument("--articles", type=int, default=100, help="how many articles (default 100)")
    parser.add_argument("--seed", type=int, default=1, help="random seed; one seed, one corpus (default 1)")
    parser.add_argument(
        "--max-reports", type=int, default=3, choices=(1, 2, 3), help="most articles about one event (default 3)"
    )
    parser.add_argument("-o", "--out", type=Path, required=True, help="output directory")
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    corpus = generate(args.articles, args.seed, default_pools(), max_reports=args.max_reports)
    write_corpus(corpus, args.out)
    words = sum(len(a.text.split()) for a in corpus.articles)
    print(
        f"wrote {len(corpus.articles)} articles ({words} words; {len(corpus.fused_events)} events reported by "
        f"more than one) to {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
