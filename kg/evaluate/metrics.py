"""Precision, recall and F1: counts per document and per part, and the summary lines of ``score.py``'s shape."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "SET_SLOTS",
    "SLOTS",
    "Counts",
    "DocumentScore",
    "EntityScore",
    "EventScore",
    "FusionScore",
    "Prf",
    "RelationScore",
    "Scores",
]


SET_SLOTS = ("perpetrators", "claimed_by", "sites")
SLOTS = (*SET_SLOTS, "casualty_figures", "casualty_attribution")


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
