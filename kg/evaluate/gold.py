"""Gold annotations (the shape of ``../shared/eval/FORMAT.md``): pydantic models and the loader of a gold folder.

    gold = load_gold(Path("examples/gold"))   # ConfigError names the file and field of a malformed annotation

Keys the schema does not use (``published``, ``evidence``…) are ignored; a ``null`` list or flag is empty.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from kg.errors import ConfigError
from kg.export.facts import validation_summary

__all__ = [
    "ARTICLE_VOICE",
    "CORPUS_FILE",
    "GOLD_SUFFIX",
    "GoldCasualty",
    "GoldCorpus",
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


def _empty_if_null(value: object) -> object:
    return () if value is None else value


def _false_if_null(value: object) -> object:
    return False if value is None else value


Names = Annotated[tuple[str, ...], BeforeValidator(_empty_if_null)]
Flag = Annotated[bool, BeforeValidator(_false_if_null)]


class _GoldModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class GoldEntity(_GoldModel):
    """An entity of a gold document."""

    name: str
    type: str = ""
    mentions: Names = ()
    alt_types: Names = ()
    optional: Flag = False

    @property
    def types(self) -> frozenset[str]:
        return frozenset((self.type, *self.alt_types))


class GoldCasualty(_GoldModel):
    """A casualty figure of a gold event; ``according_to`` is None or "the article" in the text's own voice."""

    kind: str = ""
    count: int | None = None
    according_to: str | None = None

    @property
    def attributed(self) -> bool:
        return self.according_to not in (None, ARTICLE_VOICE)


class GoldEvent(_GoldModel):
    """An event of a gold document, or a fused event of ``corpus.json`` (which lists its sources)."""

    type: str
    date: str | None = None
    place: str | None = None
    date_end: str | None = None
    alt_types: Names = ()
    alt_dates: Names = ()
    alt_places: Names = ()
    sites: Names = ()
    perpetrators: Names = ()
    targets: Names = ()
    claimed_by: Names = ()
    casualties: Annotated[tuple[GoldCasualty, ...], BeforeValidator(_empty_if_null)] = ()
    sources: Names = ()
    optional: Flag = False

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


class GoldRelation(_GoldModel):
    """A relation of a gold document with its accepted alternatives."""

    subject: str
    predicate: str
    object: str
    alt_predicates: Names = ()
    alt_objects: Names = ()
    optional: Flag = False

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


class GoldDocument(_GoldModel):
    """The gold annotation of one source document (a ``NAME.gold.json``)."""

    file: str
    entities: Annotated[tuple[GoldEntity, ...], BeforeValidator(_empty_if_null)] = ()
    events: Annotated[tuple[GoldEvent, ...], BeforeValidator(_empty_if_null)] = ()
    relations: Annotated[tuple[GoldRelation, ...], BeforeValidator(_empty_if_null)] = ()
    optional_entities: Names = ()
    must_not_extract: Names = Field(default=(), validation_alias="must_not_extract_entities")


class GoldCorpus(_GoldModel):
    """``corpus.json``: the events several documents report, each to be one node of the graph."""

    fused_events: Annotated[tuple[GoldEvent, ...], BeforeValidator(_empty_if_null)] = ()


_Model = TypeVar("_Model", bound=BaseModel)


def _validated(model: type[_Model], raw: object, source: str) -> _Model:
    """``raw`` as ``model``; :class:`ConfigError` names ``source`` and each bad field."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{source}: malformed gold annotation: {validation_summary(exc)}") from exc


def _read(model: type[_Model], path: Path) -> _Model:
    """The JSON file ``path`` as ``model``; :class:`ConfigError` names the file."""
    try:
        return model.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the gold annotation: {exc}") from exc
    except ValidationError as exc:
        raise ConfigError(f"{path}: malformed gold annotation: {validation_summary(exc)}") from exc


@dataclass(frozen=True)
class GoldSet:
    """Gold documents keyed by file name, and the fused events of ``corpus.json``."""

    documents: Mapping[str, GoldDocument]
    fused_events: tuple[GoldEvent, ...] = ()

    @classmethod
    def of(cls, documents: Iterable[GoldDocument], corpus: GoldCorpus | None = None) -> GoldSet:
        """The set of ``documents`` (a later one replaces an earlier one of the same file) and ``corpus``."""
        return cls({d.file: d for d in documents}, corpus.fused_events if corpus else ())

    @classmethod
    def from_json(cls, documents: Iterable[Mapping[str, Any]], corpus: Mapping[str, Any] | None = None) -> GoldSet:
        """The set of decoded gold documents and ``corpus.json``; :class:`ConfigError` names the bad field."""
        docs = [_validated(GoldDocument, d, f"gold document {i}") for i, d in enumerate(documents)]
        return cls.of(docs, _validated(GoldCorpus, corpus, CORPUS_FILE) if corpus is not None else None)

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
    corpus_path = gold_dir / CORPUS_FILE
    corpus = _read(GoldCorpus, corpus_path) if corpus_path.is_file() else None
    return GoldSet.of((_read(GoldDocument, p) for p in paths), corpus)
