"""Gold annotations (the shape of ``../shared/eval/FORMAT.md``): typed models and the loader of a gold folder."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import ConfigError

__all__ = [
    "ARTICLE_VOICE",
    "CORPUS_FILE",
    "GOLD_SUFFIX",
    "GoldCasualty",
    "GoldDocument",
    "GoldEntity",
    "GoldEvent",
    "GoldRelation",
    "GoldSet",
    "load_gold",
]


GOLD_SUFFIX = ".gold.json"
CORPUS_FILE = "corpus.json"
ARTICLE_VOICE = "the article"


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
