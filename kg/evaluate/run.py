"""Score the knowledge graph against gold annotations: the project's own scorer.

    evaluation = evaluate(Path("examples/gold"), Path("examples/corpus"))
    print(evaluation.scores.summary_line())

The rules are those of ``../shared/eval/FORMAT.md`` and give the same figures
as the shared ``score.py``; this is a separate implementation, written with
typed models, so that the project can score itself (per document and per kind
of article) without depending on a file outside it.

* **Names** compare after :func:`fold` (case, accents, quotes, leading
  articles, possessives). A predicted name resolves to a gold name through the
  gold entities and their mentions, every gold name of the corpus, the names
  used inside gold events and relations, and the predicted entity's own label,
  mentions and aliases (:class:`NameResolver`).
* **Entities** match by name; optional ones neither count nor cost.
* **Events** are paired greedily, one to one, required gold events first:
  types match (any two violent types match each other), the date starts with
  the gold date (or an ``alt_dates`` entry, or falls within ``date``…``date_end``),
  and the place or a site is the gold place, a gold site or an ``alt_places``
  entry. Optional gold events then absorb predictions at no cost. Slots are
  scored on the pairs.
* **Relations** match on subject, predicate and object, alternatives included.
* **Fusion**: for each event of ``corpus.json``, how many of its sources point
  at one and the same event IRI. **Leaks**: entities named in
  ``must_not_extract_entities``.

:func:`evaluate` builds a fresh store in a temporary directory, ingests the
corpus, reads the facts back from the store by SPARQL and scores them.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.config import Settings
from kg.errors import ConfigError
from kg.export.formats import facts as read_facts
from kg.ingest.readers import discover_sidecar, list_sources
from kg.model import VIOLENT_TYPES
from kg.pipeline.local import build_graph
from kg.pipeline.prepare import IngestReport
from kg.store.graphs import KgStore
from kg.text.fold import name_key

__all__ = [
    "DocumentScore",
    "Evaluation",
    "GoldSet",
    "NameResolver",
    "Prf",
    "Scores",
    "evaluate",
    "kinds_of",
    "load_gold",
    "score_facts",
    "scores_by_kind",
]

SET_SLOTS = ("perpetrators", "claimed_by", "sites")
SLOTS = (*SET_SLOTS, "casualty_figures", "casualty_attribution")
GOLD_SUFFIX = ".gold.json"
CORPUS_FILE = "corpus.json"
ARTICLE_VOICE = "the article"

_APOSTROPHES = str.maketrans({"\u2019": "'", "`": "'"})
_POSSESSIVE = re.compile(r"'s\b")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_LEADING_ARTICLE = re.compile(r"^(the|a|an|l|la|le|les) ")


# --- gold annotations ---------------------------------------------------------------------------------------


def _strings(raw: Any) -> tuple[str, ...]:
    return tuple(raw or ())


@dataclass(frozen=True)
class GoldEntity:
    """An entity of a gold document."""

    name: str
    type: str
    mentions: tuple[str, ...] = ()
    alt_types: tuple[str, ...] = ()
    optional: bool = False

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> GoldEntity:
        return cls(
            name=raw["name"],
            type=raw.get("type", ""),
            mentions=_strings(raw.get("mentions")),
            alt_types=_strings(raw.get("alt_types")),
            optional=bool(raw.get("optional")),
        )

    @property
    def types(self) -> frozenset[str]:
        return frozenset((self.type, *self.alt_types))


@dataclass(frozen=True)
class GoldCasualty:
    """A casualty figure of a gold event; ``according_to`` is None or "the article" in the text's own voice."""

    kind: str
    count: int | None
    according_to: str | None = None

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> GoldCasualty:
        return cls(kind=raw.get("kind", ""), count=raw.get("count"), according_to=raw.get("according_to"))

    @property
    def attributed(self) -> bool:
        return self.according_to not in (None, ARTICLE_VOICE)


@dataclass(frozen=True)
class GoldEvent:
    """An event of a gold document, or a fused event of ``corpus.json`` (which lists its sources)."""

    type: str
    date: str | None = None
    place: str | None = None
    date_end: str | None = None
    alt_types: tuple[str, ...] = ()
    alt_dates: tuple[str, ...] = ()
    alt_places: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    perpetrators: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    claimed_by: tuple[str, ...] = ()
    casualties: tuple[GoldCasualty, ...] = ()
    sources: tuple[str, ...] = ()
    optional: bool = False

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> GoldEvent:
        return cls(
            type=raw["type"],
            date=raw.get("date"),
            place=raw.get("place"),
            date_end=raw.get("date_end"),
            alt_types=_strings(raw.get("alt_types")),
            alt_dates=_strings(raw.get("alt_dates")),
            alt_places=_strings(raw.get("alt_places")),
            sites=_strings(raw.get("sites")),
            perpetrators=_strings(raw.get("perpetrators")),
            targets=_strings(raw.get("targets")),
            claimed_by=_strings(raw.get("claimed_by")),
            casualties=tuple(GoldCasualty.from_json(c) for c in raw.get("casualties") or ()),
            sources=_strings(raw.get("sources")),
            optional=bool(raw.get("optional")),
        )

    @property
    def label(self) -> str:
        return f"{self.type} {self.date} {self.place}"

    def slot(self, name: str) -> tuple[str, ...]:
        return {"perpetrators": self.perpetrators, "claimed_by": self.claimed_by, "sites": self.sites}[name]

    def names(self) -> Iterable[str]:
        """Every actor or place name used inside the event."""
        yield from (
            n
            for n in (
                self.place,
                *self.alt_places,
                *self.sites,
                *self.perpetrators,
                *self.targets,
                *self.claimed_by,
                *(c.according_to for c in self.casualties),
            )
            if n
        )


@dataclass(frozen=True)
class GoldRelation:
    """A relation of a gold document with its accepted alternatives."""

    subject: str
    predicate: str
    object: str
    alt_predicates: tuple[str, ...] = ()
    alt_objects: tuple[str, ...] = ()
    optional: bool = False

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> GoldRelation:
        return cls(
            subject=raw["subject"],
            predicate=raw["predicate"],
            object=raw["object"],
            alt_predicates=_strings(raw.get("alt_predicates")),
            alt_objects=_strings(raw.get("alt_objects")),
            optional=bool(raw.get("optional")),
        )

    @property
    def label(self) -> str:
        return f"{self.subject} {self.predicate} {self.object}"

    def variants(self) -> frozenset[tuple[str, str, str]]:
        """Every (subject, predicate, object) triple that counts as this relation."""
        return frozenset(
            (self.subject, p, o)
            for p in (self.predicate, *self.alt_predicates)
            for o in (self.object, *self.alt_objects)
        )


@dataclass(frozen=True)
class GoldDocument:
    """The gold annotation of one source document."""

    file: str
    entities: tuple[GoldEntity, ...] = ()
    events: tuple[GoldEvent, ...] = ()
    relations: tuple[GoldRelation, ...] = ()
    optional_entities: tuple[str, ...] = ()
    must_not_extract: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> GoldDocument:
        return cls(
            file=raw["file"],
            entities=tuple(GoldEntity.from_json(e) for e in raw.get("entities") or ()),
            events=tuple(GoldEvent.from_json(e) for e in raw.get("events") or ()),
            relations=tuple(GoldRelation.from_json(r) for r in raw.get("relations") or ()),
            optional_entities=_strings(raw.get("optional_entities")),
            must_not_extract=_strings(raw.get("must_not_extract_entities")),
        )


@dataclass(frozen=True)
class GoldSet:
    """Gold documents keyed by file name, and the fused events of ``corpus.json``."""

    documents: Mapping[str, GoldDocument]
    fused_events: tuple[GoldEvent, ...] = ()

    @classmethod
    def from_json(cls, documents: Iterable[Mapping[str, Any]], corpus: Mapping[str, Any] | None = None) -> GoldSet:
        docs = [GoldDocument.from_json(d) for d in documents]
        fused = tuple(GoldEvent.from_json(e) for e in (corpus or {}).get("fused_events") or ())
        return cls({d.file: d for d in docs}, fused)

    @property
    def global_names(self) -> frozenset[str]:
        """The name of every gold entity of every document."""
        return frozenset(e.name for d in self.documents.values() for e in d.entities)

    def subset(self, files: Collection[str]) -> GoldSet:
        """These documents only, with the fused events all of whose sources are among them."""
        return GoldSet(
            {f: d for f, d in self.documents.items() if f in files},
            tuple(e for e in self.fused_events if set(e.sources) <= set(files)),
        )


def load_gold(gold_dir: Path) -> GoldSet:
    """Every ``*.gold.json`` of ``gold_dir`` and its ``corpus.json``; fails if there is no gold file."""
    if not gold_dir.is_dir():
        raise ConfigError(f"{gold_dir}: not a directory of gold annotations")
    paths = sorted(gold_dir.glob(f"*{GOLD_SUFFIX}"))
    if not paths:
        raise ConfigError(f"{gold_dir}: no gold annotations (*{GOLD_SUFFIX}) found")
    try:
        documents = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
        corpus_path = gold_dir / CORPUS_FILE
        corpus = json.loads(corpus_path.read_text(encoding="utf-8")) if corpus_path.is_file() else None
        return GoldSet.from_json(documents, corpus)
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ConfigError(f"{gold_dir}: malformed gold annotation: {exc}") from exc


# --- predictions (the facts export) -------------------------------------------------------------------------


@dataclass(frozen=True)
class PredEntity:
    """An entity of the facts export."""

    id: str | None
    name: str
    type: str | None
    mentions: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> PredEntity:
        return cls(
            id=raw.get("id"),
            name=raw.get("name") or "",
            type=raw.get("type"),
            mentions=_strings(raw.get("mentions")),
            aliases=_strings(raw.get("aliases")),
        )

    @property
    def surface_names(self) -> tuple[str, ...]:
        """Label and mentions: what the article itself says."""
        return (self.name, *self.mentions)


@dataclass(frozen=True)
class PredCasualty:
    """A casualty figure of the facts export."""

    kind: str | None
    count: int | None
    according_to: str | None = None

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> PredCasualty:
        return cls(kind=raw.get("kind"), count=raw.get("count"), according_to=raw.get("according_to"))


@dataclass(frozen=True)
class PredEvent:
    """An event of the facts export."""

    id: str | None
    type: str
    date: str | None
    place: str | None = None
    sites: tuple[str, ...] = ()
    perpetrators: tuple[str, ...] = ()
    claimed_by: tuple[str, ...] = ()
    casualties: tuple[PredCasualty, ...] = ()

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> PredEvent:
        date = raw.get("date")
        return cls(
            id=raw.get("id"),
            type=raw.get("type") or "",
            date=str(date) if date else None,
            place=raw.get("place"),
            sites=_strings(raw.get("sites")),
            perpetrators=_strings(raw.get("perpetrators")),
            claimed_by=_strings(raw.get("claimed_by")),
            casualties=tuple(PredCasualty.from_json(c) for c in raw.get("casualties") or ()),
        )

    def slot(self, name: str) -> tuple[str, ...]:
        return {"perpetrators": self.perpetrators, "claimed_by": self.claimed_by, "sites": self.sites}[name]


@dataclass(frozen=True)
class PredRelation:
    """A relation of the facts export."""

    subject: str | None
    predicate: str | None
    object: str | None

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> PredRelation:
        return cls(subject=raw.get("subject"), predicate=raw.get("predicate"), object=raw.get("object"))


@dataclass(frozen=True)
class PredDocument:
    """What the knowledge graph holds for one document."""

    file: str
    entities: tuple[PredEntity, ...] = ()
    events: tuple[PredEvent, ...] = ()
    relations: tuple[PredRelation, ...] = ()

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> PredDocument:
        return cls(
            file=Path(raw["file"]).name,
            entities=tuple(PredEntity.from_json(e) for e in raw.get("entities") or ()),
            events=tuple(PredEvent.from_json(e) for e in raw.get("events") or ()),
            relations=tuple(PredRelation.from_json(r) for r in raw.get("relations") or ()),
        )


def predicted_documents(facts: Mapping[str, Any]) -> dict[str, PredDocument]:
    """The facts export keyed by file name (without any folder)."""
    docs = (PredDocument.from_json(d) for d in facts.get("documents") or ())
    return {d.file: d for d in docs}


# --- names --------------------------------------------------------------------------------------------------


class NameResolver:
    """Maps the names a prediction uses to the canonical gold names of one document."""

    def __init__(self, gold: GoldDocument, global_names: Iterable[str], predicted: Iterable[PredEntity]) -> None:
        self.canonical_of: dict[str, str] = {name_key(n): n for n in sorted(global_names)}
        for entity in gold.entities:
            self.canonical_of[name_key(entity.name)] = entity.name
            for mention in entity.mentions:
                self.canonical_of.setdefault(name_key(mention), entity.name)
        implicit = [n for e in gold.events for n in e.names()]
        implicit += list(gold.optional_entities)
        implicit += [n for r in gold.relations for n in (r.subject, r.object, *r.alt_objects) if n]
        for name in implicit:
            self.canonical_of.setdefault(name_key(name), name)
        self.optional = frozenset(name_key(n) for n in gold.optional_entities)
        self.names_of: dict[str, tuple[str, ...]] = {}
        for guess in predicted:
            names = (guess.name, *guess.mentions, *guess.aliases)
            for key in (guess.id, guess.name):
                if key:
                    self.names_of[name_key(key)] = names

    def canonical(self, name: str | None) -> str | None:
        """The gold name for ``name`` (itself, or any name of the predicted entity it labels), if any."""
        if not name:
            return None
        for candidate in (name, *self.names_of.get(name_key(name), ())):
            hit = self.canonical_of.get(name_key(candidate))
            if hit:
                return hit
        return None

    def key(self, name: str | None) -> str:
        """The gold name, or a marked folded form that matches no gold name."""
        return self.canonical(name) or "?" + name_key(name)

    def entity(self, entity: PredEntity) -> str | None:
        """The gold name of a predicted entity, by its label first, then by its mentions."""
        return self.canonical(entity.name) or next((hit for hit in map(self.canonical, entity.mentions) if hit), None)

    def is_optional(self, entity: PredEntity) -> bool:
        return any(name_key(n) in self.optional for n in entity.surface_names)


# --- scores -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prf:
    """Precision, recall and F1 of a count of true and false positives and false negatives."""

    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, tp: int, fp: int, fn: int) -> Prf:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return cls(p, r, 2 * p * r / (p + r) if p + r else 0.0)

    def __str__(self) -> str:
        return f"P={self.precision:.2f} R={self.recall:.2f} F1={self.f1:.2f}"

    def as_list(self) -> list[float]:
        return [self.precision, self.recall, self.f1]


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def prf(self) -> Prf:
        return Prf.of(self.tp, self.fp, self.fn)

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def __str__(self) -> str:
        return f"tp={self.tp} fp={self.fp} fn={self.fn}"


@dataclass(frozen=True)
class EntityScore:
    """Entities of one document; ``type_correct`` counts matched gold entities given a right type."""

    counts: Counts
    type_correct: int
    missing: list[str]
    spurious: list[str]


@dataclass(frozen=True)
class EventScore:
    """Events of one document; ``slots`` holds one value in [0, 1] per scored slot of a matched pair."""

    counts: Counts
    missing: list[str]
    slots: dict[str, list[float]]


@dataclass(frozen=True)
class RelationScore:
    """Relations of one document."""

    counts: Counts
    missing: list[str]


@dataclass(frozen=True)
class DocumentScore:
    """Everything scored for one gold document."""

    file: str
    entities: EntityScore
    events: EventScore
    relations: RelationScore
    leaks: list[str]


@dataclass(frozen=True)
class FusionScore:
    """One fused event of ``corpus.json``: in how many sources it was found, and how many share one IRI."""

    event: str
    sources: int
    found_in: int
    fused: int


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class Scores:
    """Per-document and corpus scores of a set of gold documents."""

    documents: list[DocumentScore]
    fusion: list[FusionScore] = field(default_factory=list)
    missing_from_facts: list[str] = field(default_factory=list)

    def _total(self, part: str) -> Counts:
        total = Counts()
        for doc in self.documents:
            total += getattr(doc, part).counts
        return total

    @property
    def entity_prf(self) -> Prf:
        return self._total("entities").prf

    @property
    def event_prf(self) -> Prf:
        return self._total("events").prf

    @property
    def relation_prf(self) -> Prf:
        return self._total("relations").prf

    @property
    def type_accuracy(self) -> float:
        """Matched gold entities given a right type, over matched gold entities."""
        return sum(d.entities.type_correct for d in self.documents) / max(1, self._total("entities").tp)

    @property
    def slots(self) -> dict[str, float | None]:
        """Each slot's mean over every matched event pair of every document where it is scored."""
        return {name: _mean([v for d in self.documents for v in d.events.slots[name]]) for name in SLOTS}

    @property
    def leaks(self) -> int:
        return sum(len(d.leaks) for d in self.documents)

    def slots_line(self) -> str:
        return "slots: " + ", ".join(f"{k}={v:.2f}" if v is not None else f"{k}=n/a" for k, v in self.slots.items())

    def summary_line(self) -> str:
        """One line, in the format of the last line of ``score.py``."""
        fusion = ", ".join(f"{f.fused}/{f.sources}" for f in self.fusion) or "n/a"
        return (
            f"entities {self.entity_prf} types={self.type_accuracy:.2f} | events {self.event_prf} | "
            f"relations {self.relation_prf} | fusion {fusion} | leaks {self.leaks}"
        )

    def to_json(self) -> dict[str, Any]:
        """The figures under the keys of ``score.py --json``."""
        return {
            "entity_prf": self.entity_prf.as_list(),
            "entity_type_accuracy": self.type_accuracy,
            "event_prf": self.event_prf.as_list(),
            "relation_prf": self.relation_prf.as_list(),
            "event_slots": self.slots,
            "leaks": self.leaks,
            "corpus": {"fused_events": [vars(f) for f in self.fusion]},
            "documents": [_document_json(d) for d in self.documents],
            "documents_missing_from_facts": self.missing_from_facts,
        }


def _document_json(doc: DocumentScore) -> dict[str, Any]:
    return {
        "file": doc.file,
        "entities": {
            **vars(doc.entities.counts),
            "type_correct": doc.entities.type_correct,
            "missing": doc.entities.missing,
            "spurious": doc.entities.spurious,
        },
        "events": {
            **vars(doc.events.counts),
            "missing": doc.events.missing,
            "slots": {k: [_mean(v), len(v)] for k, v in doc.events.slots.items()},
        },
        "relations": {**vars(doc.relations.counts), "missing": doc.relations.missing},
        "leaks": doc.leaks,
    }


# --- matching rules -----------------------------------------------------------------------------------------


def type_matches(gold: GoldEvent, predicted: str) -> bool:
    """Same type, an alternative type, or both in the violent family."""
    types = {gold.type, *gold.alt_types}
    return predicted in types or (bool(types & VIOLENT_TYPES) and predicted in VIOLENT_TYPES)


def date_matches(gold: GoldEvent, predicted: str | None) -> bool:
    """The predicted date starts with the gold date or an alternative, or falls in ``date``…``date_end``."""
    if not gold.date:
        return True
    if not predicted:
        return False
    if predicted.startswith((gold.date, *gold.alt_dates)):
        return True
    return bool(gold.date_end) and gold.date <= predicted[: len(gold.date)] <= str(gold.date_end)


def place_matches(resolver: NameResolver, gold: GoldEvent, predicted: PredEvent) -> bool:
    """The predicted place or one of its sites is the gold place, a gold site or an alternative place."""
    if not gold.place:
        return True
    allowed = {gold.place, *gold.sites, *gold.alt_places}
    return any(resolver.canonical(p) in allowed for p in (predicted.place, *predicted.sites) if p)


def event_matches(resolver: NameResolver, gold: GoldEvent, predicted: PredEvent) -> bool:
    return (
        type_matches(gold, predicted.type)
        and date_matches(gold, predicted.date)
        and place_matches(resolver, gold, predicted)
    )


def set_f1(gold: Collection[str], predicted: Collection[str]) -> float | None:
    """F1 of two name sets; None when the gold set is empty (the text names nobody)."""
    gold, predicted = set(gold), set(predicted)
    if not gold:
        return None
    return Prf.of(len(gold & predicted), len(predicted - gold), len(gold - predicted)).f1


# --- scoring one document -----------------------------------------------------------------------------------


def score_entities(gold: GoldDocument, predicted: PredDocument, resolver: NameResolver) -> EntityScore:
    """Entities matched by name; extras count against precision unless optional."""
    required = {e.name: e for e in gold.entities if not e.optional}
    optional = {e.name for e in gold.entities if e.optional}
    matched: set[str] = set()
    spurious: list[str] = []
    type_correct = 0
    for entity in predicted.entities:
        name = resolver.entity(entity)
        if name is not None and name in required:
            if name not in matched and entity.type in required[name].types:
                type_correct += 1
            matched.add(name)
        elif name not in optional and not resolver.is_optional(entity):
            spurious.append(entity.name)
    return EntityScore(
        Counts(len(matched), len(spurious), len(required) - len(matched)),
        type_correct,
        missing=sorted(set(required) - matched),
        spurious=sorted(n for n in spurious if n),
    )


def pair_events(
    gold: GoldDocument, predicted: PredDocument, resolver: NameResolver
) -> tuple[list[tuple[GoldEvent, PredEvent]], int]:
    """Greedy one-to-one pairs of required gold events, and how many predictions optional events absorbed."""
    required = [e for e in gold.events if not e.optional]
    optional = [e for e in gold.events if e.optional]
    used: set[int] = set()
    pairs: list[tuple[GoldEvent, PredEvent]] = []
    absorbed = 0
    for gold_event in required + optional:
        for i, event in enumerate(predicted.events):
            if i not in used and event_matches(resolver, gold_event, event):
                used.add(i)
                if gold_event.optional:
                    absorbed += 1
                else:
                    pairs.append((gold_event, event))
                break
    return pairs, absorbed


def score_slots(pairs: Iterable[tuple[GoldEvent, PredEvent]], resolver: NameResolver) -> dict[str, list[float]]:
    """Set F1 of perpetrators, claimed_by and sites; casualty figures (kind + count) and who gave them."""
    slots: dict[str, list[float]] = {name: [] for name in SLOTS}
    for gold_event, event in pairs:
        for name in SET_SLOTS:
            f1 = set_f1(gold_event.slot(name), {resolver.key(n) for n in event.slot(name)})
            if f1 is not None:
                slots[name].append(f1)
        for figure in gold_event.casualties:
            if figure.count is None:
                continue
            hits = [c for c in event.casualties if c.kind == figure.kind and c.count == figure.count]
            slots["casualty_figures"].append(1.0 if hits else 0.0)
            if hits and figure.attributed:
                givers = {resolver.canonical(c.according_to) or name_key(c.according_to) for c in hits}
                slots["casualty_attribution"].append(1.0 if figure.according_to in givers else 0.0)
    return slots


def score_events(gold: GoldDocument, predicted: PredDocument, resolver: NameResolver) -> EventScore:
    """Events paired one to one; optional gold events absorb predictions without counting either way."""
    pairs, absorbed = pair_events(gold, predicted, resolver)
    required = [e for e in gold.events if not e.optional]
    paired = [id(g) for g, _ in pairs]
    counts = Counts(len(pairs), len(predicted.events) - len(pairs) - absorbed, len(required) - len(pairs))
    return EventScore(
        counts, missing=[e.label for e in required if id(e) not in paired], slots=score_slots(pairs, resolver)
    )


def score_relations(gold: GoldDocument, predicted: PredDocument, resolver: NameResolver) -> RelationScore:
    """Relations matched on all three parts; predictions matching an optional relation cost nothing."""
    required = [r for r in gold.relations if not r.optional]
    covered = frozenset().union(*(r.variants() for r in gold.relations))
    triples = {(resolver.key(r.subject), r.predicate, resolver.key(r.object)) for r in predicted.relations}
    found = [r for r in required if r.variants() & triples]
    return RelationScore(
        Counts(len(found), len(triples - covered), len(required) - len(found)),
        missing=sorted(r.label for r in required if r not in found),
    )


def find_leaks(gold: GoldDocument, predicted: PredDocument) -> list[str]:
    """Predicted entities named (by label or mention) in ``must_not_extract_entities``."""
    banned = {name_key(n) for n in gold.must_not_extract}
    return sorted({e.name for e in predicted.entities if any(name_key(n) in banned for n in e.surface_names)})


def score_document(gold: GoldDocument, predicted: PredDocument, global_names: Iterable[str]) -> DocumentScore:
    """Entities, events (with slots), relations and leaks of one document."""
    resolver = NameResolver(gold, global_names, predicted.entities)
    return DocumentScore(
        gold.file,
        score_entities(gold, predicted, resolver),
        score_events(gold, predicted, resolver),
        score_relations(gold, predicted, resolver),
        find_leaks(gold, predicted),
    )


def score_fusion(gold: GoldSet, predicted: Mapping[str, PredDocument]) -> list[FusionScore]:
    """For each fused event, the first matching event of each source and how many share one IRI."""
    out = []
    for fused in gold.fused_events:
        ids: dict[str, str | None] = {}
        for source in fused.sources:
            doc = predicted.get(source, PredDocument(source))
            resolver = NameResolver(gold.documents.get(source, GoldDocument(source)), gold.global_names, doc.entities)
            hit = next((e for e in doc.events if event_matches(resolver, fused, e)), None)
            if hit is not None:
                ids[source] = hit.id
        shared = max(Counter(ids.values()).values(), default=0)
        out.append(FusionScore(fused.label, len(fused.sources), len(ids), shared))
    return out


def score_facts(gold: GoldSet, facts: Mapping[str, Any]) -> Scores:
    """Score a facts export (the shape of FORMAT.md) against a gold set."""
    predicted = predicted_documents(facts)
    names = gold.global_names
    documents = [score_document(g, predicted.get(f, PredDocument(f)), names) for f, g in gold.documents.items()]
    return Scores(documents, score_fusion(gold, predicted), sorted(set(gold.documents) - set(predicted)))


def scores_by_kind(gold: GoldSet, facts: Mapping[str, Any], kinds: Mapping[str, str]) -> dict[str, Scores]:
    """Each kind's documents scored as a set of their own (kinds as ``{file: kind}``); sorted by kind."""
    files_of: dict[str, set[str]] = {}
    for file, kind in kinds.items():
        if file in gold.documents:
            files_of.setdefault(kind, set()).add(file)
    return {kind: score_facts(gold.subset(files), facts) for kind, files in sorted(files_of.items())}


def kinds_of(corpus_dir: Path, meta_file: Path | None = None) -> dict[str, str]:
    """``{file: kind}`` from the ``kind`` field of the corpus's meta.jsonl rows, where present."""
    sidecar = discover_sidecar([corpus_dir], meta_file)
    return {file: str(row["kind"]) for file, row in sidecar.items() if row.get("kind")}


# --- the whole run ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    """The scores of a fresh build of a corpus, per kind too, with its ingest report and facts."""

    scores: Scores
    by_kind: dict[str, Scores]
    report: IngestReport
    facts: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            **self.scores.to_json(),
            "by_kind": {k: s.to_json() for k, s in self.by_kind.items()},
            "ingest": {
                "loaded": self.report.loaded,
                "rejected": [r.file for r in self.report.rejected],
                "failed": [r.file for r in self.report.failed],
            },
        }


def evaluate(
    gold_dir: Path,
    corpus_dir: Path,
    settings: Settings | None = None,
    *,
    meta_file: Path | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Evaluation:
    """Build ``corpus_dir`` into a fresh temporary store, read the facts back by SPARQL, score them.

    The store of ``settings`` is never touched; only its other settings (base IRI, ontology and
    shapes folders, reliability grades) are used. ``progress`` is called with (done, total, name) after each article.
    """
    gold = load_gold(gold_dir)
    if not corpus_dir.is_dir():
        raise ConfigError(f"{corpus_dir}: not a directory of articles")
    if not list_sources([corpus_dir]):
        raise ConfigError(f"{corpus_dir}: no articles (.txt, .html, .jsonl) found")
    settings = settings or Settings()
    with tempfile.TemporaryDirectory(prefix="kg-evaluate-") as tmp:
        fresh = settings.model_copy(update={"store": Path(tmp) / "store"})
        report = build_graph([corpus_dir], fresh, meta_file=meta_file, progress=progress)
        with KgStore(fresh.store) as store:
            facts = read_facts(store)
    kinds = kinds_of(corpus_dir, meta_file)
    return Evaluation(score_facts(gold, facts), scores_by_kind(gold, facts, kinds), report, facts)
