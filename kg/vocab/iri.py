"""Every IRI osint-kg mints, in one place.

IRIs are deterministic: the same actor, place, event or article gets the same
IRI in every document and every run, under the configured base. Path segments
are slugs (ASCII, lower case, hyphens) or hex digests, so they never need
escaping and can never break out of the base.

    {base}actor/{slug}                 an actor (KB or found in text)
    {base}place/{slug}                 a place
    {base}event/{type}/{date}/{place}  an event, keyed so reports of it fuse
    {base}article/{digest}             a source article
    {base}graph/{digest}               the named graph of an article
    {base}graph/kb                     the knowledge base graph
    {base}mention/{digest}/{start}-{end}        an entity mention
    {base}mention/{digest}/event/{start}-{end}/{event-digest}  an event trigger
    {base}figure/{digest}/{n}          a casualty figure in one article
    {base}claim/{digest}/{n}           a claim of responsibility in one article
    {base}assertion/{digest}/{n}       a reified relation in one article
    {base}extractor/{name}             a rule or model of the pipeline
"""

from __future__ import annotations

import hashlib
import re

from rdflib import URIRef

from kg.text.fold import fold

__all__ = ["Minter", "digest", "local_name", "slug"]

_NON_WORD = re.compile(r"[^a-z0-9]+")


def local_name(iri: str) -> str:
    """What follows the last ``#`` or ``/`` of ``iri``: ``kg:Attack``'s ``Attack``."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def slug(text: str) -> str:
    """ASCII, lower-case, hyphen-separated form of ``text``; never empty."""
    folded = fold(text).replace("'", "").replace("\u2019", "")
    out = _NON_WORD.sub("-", folded).strip("-")
    return out or "x" + digest(text)[:12]


def digest(text: str) -> str:
    """Short, stable hex digest of ``text``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class Minter:
    """Mints IRIs under one base."""

    def __init__(self, base: str) -> None:
        self.base = base

    def _iri(self, *segments: str) -> URIRef:
        return URIRef(self.base + "/".join(segments))

    def actor(self, label: str) -> URIRef:
        return self._iri("actor", slug(label))

    def place(self, label: str) -> URIRef:
        return self._iri("place", slug(label))

    def geometry(self, place: URIRef) -> URIRef:
        return URIRef(f"{place}/geometry")

    def event(self, type_key: str, date: str | None, place_key: str | None, ordinal: int = 1) -> URIRef:
        """An event IRI from what identifies it: type family, date (at its precision), place, and
        for the second of "two coups in 2022" an ordinal."""
        segments = ["event", slug(type_key), date or "undated", slug(place_key or "unknown")]
        return self._iri(*segments, *([str(ordinal)] if ordinal > 1 else []))

    def article(self, key: str) -> URIRef:
        return self._iri("article", digest(key))

    def graph(self, key: str) -> URIRef:
        return self._iri("graph", digest(key))

    def kb_graph(self) -> URIRef:
        return self._iri("graph", "kb")

    def ontology_graph(self) -> URIRef:
        return self._iri("graph", "ontology")

    def mention(self, key: str, start: int, end: int) -> URIRef:
        return self._iri("mention", digest(key), f"{start}-{end}")

    def event_mention(self, key: str, start: int, end: int, event: str) -> URIRef:
        """One trigger can report several events ("coups in 2020 and 2021"), hence the event's digest."""
        return self._iri("mention", digest(key), "event", f"{start}-{end}", digest(event)[:8])

    def figure(self, key: str, n: int) -> URIRef:
        return self._iri("figure", digest(key), str(n))

    def claim(self, key: str, n: int) -> URIRef:
        return self._iri("claim", digest(key), str(n))

    def assertion(self, key: str, n: int) -> URIRef:
        return self._iri("assertion", digest(key), str(n))

    def extractor(self, name: str) -> URIRef:
        return self._iri("extractor", slug(name))
