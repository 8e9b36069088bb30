"""Content negotiation for the SPARQL endpoint: which syntax to answer in.

Pure functions over strings: :func:`parse_accept` reads an ``Accept`` header
(RFC 9110, with q-values), :func:`choose` picks one of the formats a result
kind can be written in, and :func:`pick_format` adds the ``?format=`` override.
A missing or empty ``Accept`` means the kind's first (default) format.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "FORMATS",
    "Format",
    "MediaRange",
    "ResultKind",
    "choose",
    "parse_accept",
    "pick_format",
]

ResultKind = Literal["solutions", "boolean", "graph"]


@dataclass(frozen=True)
class Format:
    """A result syntax: short names (for ``?format=``), its media type, and synonyms it answers to."""

    names: tuple[str, ...]
    media_type: str
    synonyms: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.names[0]

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.synonyms)

    def answers(self, token: str) -> bool:
        """Whether a ``?format=`` value (short name or media type) names this format."""
        token = token.strip().lower()
        return token in self.names or token in self.media_types


SPARQL_JSON = Format(("json", "srj"), "application/sparql-results+json", ("application/json",))
SPARQL_XML = Format(("xml", "srx"), "application/sparql-results+xml", ("application/xml", "text/xml"))
CSV = Format(("csv",), "text/csv")
TSV = Format(("tsv",), "text/tab-separated-values")
TURTLE = Format(("turtle", "ttl"), "text/turtle", ("application/x-turtle",))
N_TRIPLES = Format(("ntriples", "nt"), "application/n-triples")
JSON_LD = Format(("jsonld", "json-ld", "json"), "application/ld+json", ("application/json",))
RDF_XML = Format(("rdfxml", "rdf", "xml"), "application/rdf+xml", ("application/xml", "text/xml"))

FORMATS: dict[ResultKind, tuple[Format, ...]] = {
    "solutions": (SPARQL_JSON, SPARQL_XML, CSV, TSV),
    "boolean": (SPARQL_JSON, SPARQL_XML, CSV, TSV),
    "graph": (TURTLE, N_TRIPLES, JSON_LD, RDF_XML),
}
"""The formats of each result kind, the default first, then in order of server preference."""


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header, such as ``text/*;q=0.5``."""

    type: str
    subtype: str
    q: float = 1.0

    def specificity(self, media_type: str) -> int | None:
        """2 for an exact match, 1 for ``type/*``, 0 for ``*/*``, None if it does not match."""
        mtype, _, subtype = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != mtype:
            return None
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == subtype else None


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed entries are skipped."""
    ranges = []
    for item in (header or "").split(","):
        media_range = _parse_range(item)
        if media_range is not None:
            ranges.append(media_range)
    return ranges


def _parse_range(item: str) -> MediaRange | None:
    token, *params = (part.strip() for part in item.split(";"))
    token = token.lower()
    if token == "*":  # noqa: S105  (a media range)
        token = "*/*"  # noqa: S105
    mtype, slash, subtype = token.partition("/")
    if not (mtype and slash and subtype) or (mtype == "*" and subtype != "*"):
        return None
    q = 1.0
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return None
    return MediaRange(mtype, subtype, min(max(q, 0.0), 1.0))


def _quality(fmt: Format, ranges: Sequence[MediaRange]) -> tuple[float, int]:
    """(q, specificity) the client gives ``fmt``; the most specific matching range decides.

    Synonyms count only when named exactly, so ``text/*`` does not select
    SPARQL XML results through ``text/xml``.
    """
    best = (0.0, -1)
    for media_type in fmt.media_types:
        scored = [(spec, r.q) for r in ranges if (spec := r.specificity(media_type)) is not None]
        if media_type != fmt.media_type:
            scored = [(spec, q) for spec, q in scored if spec == 2]
        if scored:
            spec, q = max(scored, key=lambda sq: sq[0])
            best = max(best, (q, spec))
    return best


def choose(offered: Sequence[Format], accept: str | None) -> Format | None:
    """The offered format the client prefers (ties go to server order), or None if none is acceptable."""
    ranges = parse_accept(accept)
    if not ranges:
        return offered[0]
    chosen, chosen_key = None, (0.0, -1)
    for fmt in offered:
        key = _quality(fmt, ranges)
        if key[0] > 0 and key > chosen_key:
            chosen, chosen_key = fmt, key
    return chosen


def pick_format(kind: ResultKind, accept: str | None, override: str | None = None) -> Format | None:
    """The format to answer a ``kind`` result in: ``?format=`` if given, else by ``Accept``."""
    offered = FORMATS[kind]
    if override:
        return next((fmt for fmt in offered if fmt.answers(override)), None)
    return choose(offered, accept)
