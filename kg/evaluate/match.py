"""The matching rules of ``FORMAT.md`` and the scoring of one document, one corpus and its kinds of article."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

from kg.evaluate.gold import GoldDocument, GoldEvent, GoldSet
from kg.evaluate.metrics import (
    SET_SLOTS,
    SLOTS,
    Counts,
    DocumentScore,
    EntityScore,
    EventScore,
    FusionScore,
    Prf,
    RelationScore,
    Scores,
)
from kg.evaluate.names import NameResolver, predicted_documents
from kg.export.facts import FactDocument, FactEvent, Facts
from kg.ingest.readers import discover_sidecar
from kg.model import VIOLENT_TYPES
from kg.text.fold import name_key

__all__ = [
    "date_matches",
    "event_matches",
    "find_leaks",
    "kinds_of",
    "pair_events",
    "place_matches",
    "score_document",
    "score_entities",
    "score_events",
    "score_facts",
    "score_fusion",
    "score_relations",
    "score_slots",
    "scores_by_kind",
    "set_f1",
    "type_matches",
]


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


def place_matches(resolver: NameResolver, gold: GoldEvent, predicted: FactEvent) -> bool:
    """The predicted place or one of its sites is the gold place, a gold site or an alternative place."""
    if not gold.place:
        return True
    allowed = {gold.place, *gold.sites, *gold.alt_places}
    return any(resolver.canonical(p) in allowed for p in (predicted.place, *predicted.sites) if p)


def event_matches(resolver: NameResolver, gold: GoldEvent, predicted: FactEvent) -> bool:
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


def score_entities(gold: GoldDocument, predicted: FactDocument, resolver: NameResolver) -> EntityScore:
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
    gold: GoldDocument, predicted: FactDocument, resolver: NameResolver
) -> tuple[list[tuple[GoldEvent, FactEvent]], int]:
    """Greedy one-to-one pairs of required gold events, and how many predictions optional events absorbed."""
    required = [e for e in gold.events if not e.optional]
    optional = [e for e in gold.events if e.optional]
    used: set[int] = set()
    pairs: list[tuple[GoldEvent, FactEvent]] = []
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


def score_slots(pairs: Iterable[tuple[GoldEvent, FactEvent]], resolver: NameResolver) -> dict[str, list[float]]:
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


def score_events(gold: GoldDocument, predicted: FactDocument, resolver: NameResolver) -> EventScore:
    """Events paired one to one; optional gold events absorb predictions without counting either way."""
    pairs, absorbed = pair_events(gold, predicted, resolver)
    required = [e for e in gold.events if not e.optional]
    paired = [id(g) for g, _ in pairs]
    counts = Counts(len(pairs), len(predicted.events) - len(pairs) - absorbed, len(required) - len(pairs))
    return EventScore(
        counts, missing=[e.label for e in required if id(e) not in paired], slots=score_slots(pairs, resolver)
    )


def score_relations(gold: GoldDocument, predicted: FactDocument, resolver: NameResolver) -> RelationScore:
    """Relations matched on all three parts; predictions matching an optional relation cost nothing."""
    required = [r for r in gold.relations if not r.optional]
    covered = frozenset().union(*(r.variants() for r in gold.relations))
    triples = {(resolver.key(r.subject), r.predicate, resolver.key(r.object)) for r in predicted.relations}
    found = [r for r in required if r.variants() & triples]
    return RelationScore(
        Counts(len(found), len(triples - covered), len(required) - len(found)),
        missing=sorted(r.label for r in required if r not in found),
    )


def find_leaks(gold: GoldDocument, predicted: FactDocument) -> list[str]:
    """Predicted entities named (by label or mention) in ``must_not_extract_entities``."""
    banned = {name_key(n) for n in gold.must_not_extract}
    return sorted({e.name for e in predicted.entities if any(name_key(n) in banned for n in e.surface_names)})


def score_document(gold: GoldDocument, predicted: FactDocument, global_names: Iterable[str]) -> DocumentScore:
    """Entities, events (with slots), relations and leaks of one document."""
    resolver = NameResolver(gold, global_names, predicted.entities)
    return DocumentScore(
        gold.file,
        score_entities(gold, predicted, resolver),
        score_events(gold, predicted, resolver),
        score_relations(gold, predicted, resolver),
        find_leaks(gold, predicted),
    )


def score_fusion(gold: GoldSet, predicted: Mapping[str, FactDocument]) -> list[FusionScore]:
    """For each fused event, the first matching event of each source and how many share one IRI."""
    out = []
    for fused in gold.fused_events:
        ids: dict[str, str | None] = {}
        for source in fused.sources:
            doc = predicted.get(source, FactDocument(file=source))
            resolver = NameResolver(
                gold.documents.get(source, GoldDocument(file=source)), gold.global_names, doc.entities
            )
            hit = next((e for e in doc.events if event_matches(resolver, fused, e)), None)
            if hit is not None:
                ids[source] = hit.id
        shared = max(Counter(ids.values()).values(), default=0)
        out.append(FusionScore(fused.label, len(fused.sources), len(ids), shared))
    return out


def score_facts(gold: GoldSet, facts: Facts | Mapping[str, Any]) -> Scores:
    """Score a facts export (the shape of FORMAT.md) against a gold set."""
    predicted = predicted_documents(facts)
    names = gold.global_names
    documents = [score_document(g, predicted.get(f, FactDocument(file=f)), names) for f, g in gold.documents.items()]
    return Scores(documents, score_fusion(gold, predicted), sorted(set(gold.documents) - set(predicted)))


def scores_by_kind(gold: GoldSet, facts: Facts | Mapping[str, Any], kinds: Mapping[str, str]) -> dict[str, Scores]:
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
