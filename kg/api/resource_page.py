"""The HTML page of one resource: label, types, Wikidata link, facts with their
sources, evidence sentences, related events and actors, and an inline SVG of
its neighbourhood (no JavaScript, nothing fetched from elsewhere).

The markup is the Jinja2 template ``kg/api/templates/resource.html``, rendered
with autoescaping on: every value from the store is escaped on its way in.
This module holds the page's data and lays out the network drawing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from itertools import groupby

import jinja2
import pyoxigraph as ox

from kg.vocab.prefixes import PREFIXES

__all__ = ["Neighbour", "Page", "Source", "Statement", "render_page"]

_NAMESPACES = {
    name: PREFIXES[name] for name in ("kg", "sem", "schema", "prov", "skos", "time", "wd", "rdf", "rdfs", "owl", "xsd")
}
"""The prefixes a page shortens IRIs with, tried in this order."""
MAX_NEIGHBOURS = 20
_FORMATS = (("ttl", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples"))


@dataclass(frozen=True)
class Source:
    """The named graph a statement is in, and the article it was read from (if it is an article's graph)."""

    graph: str
    article: str | None = None
    file_name: str | None = None
    headline: str | None = None

    @property
    def name(self) -> str:
        if self.file_name and self.headline:
            return f"{self.file_name} — {self.headline}"
        return self.file_name or self.headline or self.graph


@dataclass(frozen=True)
class Statement:
    """One fact about the resource: predicate, value (with the value's label) and where it was said."""

    source: Source
    predicate: str
    value: ox.NamedNode | ox.Literal | ox.BlankNode
    value_label: str | None = None


@dataclass(frozen=True)
class Neighbour:
    """A resource linked to this one by ``predicate`` (from this one if ``outgoing``)."""

    iri: str
    label: str
    predicate: str
    outgoing: bool


@dataclass
class Page:
    iri: str
    label: str
    types: list[str] = field(default_factory=list)
    wikidata: list[str] = field(default_factory=list)
    facts: list[Statement] = field(default_factory=list)
    evidence: list[tuple[str, Source]] = field(default_factory=list)
    events: list[Neighbour] = field(default_factory=list)
    related: list[Neighbour] = field(default_factory=list)


def render_page(page: Page, *, base: str, prefix: str, sparql: str, self_path: str) -> str:
    """The whole HTML document."""
    link = _Linker(base, prefix)
    return _template().render(
        page=page,
        href=link.href,
        formats=_FORMATS,
        self_path=self_path,
        sparql=sparql,
        facts=[(source, list(group)) for source, group in groupby(page.facts, key=lambda s: s.source)],
        network=_network(page, link),
    )


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kg.api", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )
    env.filters.update(compact=compact, local_name=local_name, short=_short)
    env.tests.update(named_node=lambda v: isinstance(v, ox.NamedNode), literal=lambda v: isinstance(v, ox.Literal))
    return env.get_template("resource.html")


class _Linker:
    """Links to IRIs: those under the base go to this server's path for them, others to themselves."""

    def __init__(self, base: str, prefix: str) -> None:
        self.base, self.prefix = base, prefix

    def href(self, iri: str) -> str | None:
        if iri.startswith(self.base):
            return self.prefix + iri[len(self.base) :]
        return iri if iri.startswith(("http://", "https://")) else None


def compact(iri: str) -> str:
    """``kg:perpetrator`` for a known namespace, else the IRI."""
    for name, namespace in _NAMESPACES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{name}:{iri[len(namespace) :]}"
    return iri


def local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass(frozen=True)
class _Node:
    """A neighbour on the network drawing: where it sits, where its name and its edge label go."""

    x: str
    y: str
    mid_x: str
    mid_y: str
    label_x: str
    label_y: str
    anchor: str
    label: str
    href: str | None
    edges: list[Neighbour]


@dataclass(frozen=True)
class _Network:
    width: int
    height: int
    cx: str
    cy: str
    title_y: str
    nodes: list[_Node]


def _network(page: Page, link: _Linker) -> _Network | None:
    """The resource in the centre, up to :data:`MAX_NEIGHBOURS` neighbours on a circle (None: no neighbour)."""
    edges: dict[str, list[Neighbour]] = {}
    for n in [*page.events, *page.related]:
        if n.iri != page.iri:
            edges.setdefault(n.iri, []).append(n)
    shown = list(edges.values())[:MAX_NEIGHBOURS]
    if not shown:
        return None
    width, height, radius = 720, 520, 190
    cx, cy = width / 2, height / 2
    nodes = []
    for i, group in enumerate(shown):
        angle = 2 * math.pi * i / len(shown) - math.pi / 2
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        dx = 9 if anchor == "start" else -9 if anchor == "end" else 0
        dy = 4 if anchor != "middle" else (16 if math.sin(angle) > 0 else -10)
        nodes.append(
            _Node(
                x=f"{x:.1f}",
                y=f"{y:.1f}",
                mid_x=f"{(cx + x) / 2:.1f}",
                mid_y=f"{(cy + y) / 2:.1f}",
                label_x=f"{x + dx:.1f}",
                label_y=f"{y + dy:.1f}",
                anchor=anchor,
                label=group[0].label,
                href=link.href(group[0].iri),
                edges=group,
            )
        )
    return _Network(width, height, f"{cx:.1f}", f"{cy:.1f}", f"{cy - 16:.1f}", nodes)


def _short(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
