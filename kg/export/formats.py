"""Exports: RDF dumps of the store, and the format dispatch of ``kg export``.

:func:`export_store` writes any format of ``kg export``; the facts JSON
(:mod:`kg.export.facts`, whose models :mod:`kg.evaluate` also reads), the STIX 2.1 bundle
(:mod:`kg.export.stix`), the ACLED-style CSV (:mod:`kg.export.acled`) and the JSON-LD
compacted with osint-kg's context (:mod:`kg.export.jsonld`) have their own modules.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.export.facts import read_facts
from kg.store.graphs import KgStore

__all__ = ["EXPORT_FORMATS", "RdfExportFormat", "export_facts", "export_rdf", "export_store"]


class RdfExportFormat(str, Enum):
    """RDF serializations of ``kg export``."""

    TURTLE = "turtle"
    TRIG = "trig"
    NQUADS = "nquads"
    JSONLD = "jsonld"

    @property
    def oxigraph(self) -> ox.RdfFormat:
        return {
            "turtle": ox.RdfFormat.TURTLE,
            "trig": ox.RdfFormat.TRIG,
            "nquads": ox.RdfFormat.N_QUADS,
            "jsonld": ox.RdfFormat.JSON_LD,
        }[self.value]


def export_facts(store: KgStore, output: IO[bytes]) -> None:
    """The facts export (:func:`kg.export.facts.read_facts`) as JSON."""
    output.write(json.dumps(read_facts(store).model_dump(), ensure_ascii=False, indent=1).encode("utf-8"))


def export_rdf(store: KgStore, output: IO[bytes], fmt: RdfExportFormat) -> None:
    """Dump the store: TriG, N-Quads and JSON-LD keep the named graphs; Turtle merges them."""
    if fmt is RdfExportFormat.TURTLE:
        result = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", union_default_graph=True)
        assert isinstance(result, ox.QueryTriples)
        result.serialize(output, format=ox.RdfFormat.TURTLE)
        return
    store.dump(output, fmt.oxigraph)


EXPORT_FORMATS = ("trig", "nquads", "turtle", "jsonld", "facts", "stix", "acled")


def export_store(
    store: KgStore, output: IO[bytes], fmt: str, *, ontology_dir: Path, base_iri: str, context_url: str | None = None
) -> None:
    """Write the store in one of :data:`EXPORT_FORMATS`; JSON-LD is compacted with the context.

    ``context_url``: where the JSON-LD document says its context is, instead of embedding it.
    """
    if fmt == "facts":
        export_facts(store, output)
    elif fmt == "stix":
        from kg.export.stix import export_stix

        export_stix(store, output)
    elif fmt == "acled":
        from kg.export.acled import export_acled

        export_acled(store, output)
    elif fmt == "jsonld":
        from kg.export.jsonld import export_jsonld, jsonld_context

        export_jsonld(store, output, jsonld_context(ontology_dir, base_iri), context_url)
    else:
        export_rdf(store, output, RdfExportFormat(fmt))
