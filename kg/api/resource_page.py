"""The HTML page of one resource: label, types, Wikidata link, facts with their
sources, evidence sentences, related events and actors, and an inline SVG of
its neighbourhood (drawn here; no JavaScript, nothing fetched from elsewhere).

Every value from the store goes through :func:`html.escape` before it reaches
the page; the functions below each build one piece of markup from plain data.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from itertools import groupby

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, XSD

from kg.vocab.namespaces import KG, PROV, SDO, SEM, SKOS, TIME, WD

__all__ = ["Neighbour", "Page", "Source", "Statement", "render_page"]

_NAMESPACES = {
    "kg": str(KG._NS),
    "sem": str(SEM),
    "schema": str(SDO),
    "prov": str(PROV),
    "skos": str(SKOS),
    "time": str(TIME),
    "wd": str(WD),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
}
MAX_NEIGHBOURS = 20
_STYLE = (
    "<style>body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;"
    "vertical-align:top}th.source{background:#eee}.iri{color:#555;font-size:.9em}</style>"
)


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
    formats = " · ".join(
        f'<a href="{escape(self_path)}?format={name}">{label}</a>'
        for name, label in (("ttl", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples"))
    )
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{escape(page.label)}</title>",
            _STYLE,
            "</head><body>",
            f"<h1>{escape(page.label)}</h1>",
            f'<p class="iri">{escape(page.iri)}</p>',
            _types(page.types),
            _wikidata(page.wikidata),
            f'<p>Also as {formats}; query it at <a href="{escape(sparql)}">SPARQL</a>.</p>',
            _facts(page.facts, link),
            _evidence(page.evidence, link),
            _neighbours("Related events", page.events, link),
            _neighbours("Related actors and places", page.related, link),
            _network(page, link),
            "</body></html>",
        ]
    )


class _Linker:
    """Links to IRIs: those under the base go to this server's path for them, others to themselves."""

    def __init__(self, base: str, prefix: str) -> None:
        self.base, self.prefix = base, prefix

    def href(self, iri: str) -> str | None:
        if iri.startswith(self.base):
            return self.prefix + iri[len(self.base) :]
        return iri if iri.startswith(("http://", "https://")) else None

    def a(self, iri: str, text: str) -> str:
        href = self.href(iri)
        return f'<a href="{escape(href)}">{escape(text)}</a>' if href else escape(text)


def compact(iri: str) -> str:
    """``kg:perpetrator`` for a known namespace, else the IRI."""
    for name, namespace in _NAMESPACES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{name}:{iri[len(namespace) :]}"
    return iri


def local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _types(types: list[str]) -> str:
    if not types:
        return ""
    return "<p>Type: " + ", ".join(f'<span title="{escape(t)}">{escape(local_name(t))}</span>' for t in types) + "</p>"


def _wikidata(links: list[str]) -> str:
    if not links:
        return ""
    anchors = ", ".join(f'<a href="{escape(iri)}">{escape(local_name(iri))}</a>' for iri in links)
    return f"<p>Wikidata: {anchors}</p>"


def _value(statement: Statement, link: _Linker) -> str:
    value = statement.value
    if isinstance(value, ox.NamedNode):
        return link.a(value.value, statement.value_label or compact(value.value))
    if isinstance(value, ox.Literal):
        tag = f' <span class="iri">@{escape(value.language)}</span>' if value.language else ""
        return escape(value.value) + tag
    return escape(str(value))


def _source(source: Source, link: _Linker) -> str:
    return link.a(source.article or source.graph, source.name)


def _facts(facts: list[Statement], link: _Linker) -> str:
    if not facts:
        return ""
    rows = ["<h2>Facts</h2>", "<table><tr><th>predicate</th><th>value</th></tr>"]
    for source, group in groupby(facts, key=lambda s: s.source):
        rows.append(f'<tr><th class="source" colspan="2">Source: {_source(source, link)}</th></tr>')
        rows += [
            f'<tr><td title="{escape(s.predicate)}">{escape(compact(s.predicate))}</td><td>{_value(s, link)}</td></tr>'
            for s in group
        ]
    rows.append("</table>")
    return "\n".join(rows)


def _evidence(evidence: list[tuple[str, Source]], link: _Linker) -> str:
    if not evidence:
        return ""
    items = [f"<li><q>{escape(text)}</q> — {_source(source, link)}</li>" for text, source in evidence]
    return "\n".join(["<h2>Evidence</h2>", "<ul>", *items, "</ul>"])


def _neighbours(title: str, neighbours: Iterable[Neighbour], link: _Linker) -> str:
    items = [f'<li>{link.a(n.iri, n.label)} <span class="iri">({_edge(n)})</span></li>' for n in neighbours]
    if not items:
        return ""
    return "\n".join([f"<h2>{escape(title)}</h2>", "<ul>", *items, "</ul>"])


def _edge(n: Neighbour) -> str:
    """The relation as seen from the page's resource: ``kg:perpetrator →`` or ``← kg:perpetrator``."""
    name = escape(compact(n.predicate))
    return f"{name} →" if n.outgoing else f"← {name}"


def _network(page: Page, link: _Linker) -> str:
    """An SVG: the resource in the centre, up to :data:`MAX_NEIGHBOURS` neighbours on a circle."""
    edges: dict[str, list[Neighbour]] = {}
    for n in [*page.events, *page.related]:
        if n.iri != page.iri:
            edges.setdefault(n.iri, []).append(n)
    shown = list(edges.values())[:MAX_NEIGHBOURS]
    if not shown:
        return ""
    width, height, radius = 720, 520, 190
    cx, cy = width / 2, height / 2
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="Network of {escape(page.label)}" '
            'font-family="sans-serif" font-size="11">'
        )
    ]
    nodes = []
    for i, group in enumerate(shown):
        angle = 2 * math.pi * i / len(shown) - math.pi / 2
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        label = "; ".join(_edge(n) for n in group)
        parts.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#999"/>')
        parts.append(
            f'<text x="{(cx + x) / 2:.1f}" y="{(cy + y) / 2:.1f}" fill="#666" text-anchor="middle">{label}</text>'
        )
        anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        dx = 9 if anchor == "start" else -9 if anchor == "end" else 0
        dy = 4 if anchor != "middle" else (16 if math.sin(angle) > 0 else -10)
        node = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="#48c"/>'
            f'<text x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}">'
            f"{escape(_short(group[0].label))}</text>"
        )
        href = link.href(group[0].iri)
        nodes.append(f'<a href="{escape(href)}">{node}</a>' if href else node)
    parts += nodes
    parts.append(
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="10" fill="#c44"/>'
        f'<text x="{cx:.1f}" y="{cy - 16:.1f}" text-anchor="middle" font-weight="bold">'
        f"{escape(_short(page.label))}</text>"
    )
    parts.append("</svg>")
    return "\n".join(["<h2>Network</h2>", *parts])


def _short(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
