"""JSON-LD with osint-kg's context: the context itself, and the store compacted with it.

The context is ``ontology/context.jsonld`` plus one prefix, ``kgid``, for the
configured base IRI (``kgid:event/violence/2024-08-24/barsalogho``). It gives
every ontology term a short key (``perpetrator``, ``confidence``,
``wasDerivedFrom``), makes object properties IRIs and typed values plain
strings of their datatype. ``kg serve`` publishes it at :data:`CONTEXT_PATH`.

The export converts the store's N-Quads to JSON-LD with pyld, which keeps each
named graph (an article's graph, the ontology, the knowledge base) as a node
with its own ``@graph``, and compacts it with the context. The context is
embedded by default, so the file reads the same with no network; given a
``context_url`` (the server's ``/context.jsonld``), the document refers to it
there instead. Expanding either form gives back the store's quads.
"""

from __future__ import annotations

import io
import json
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from pyld import jsonld  # type: ignore[import-untyped]

from kg.errors import ConfigError
from kg.store.graphs import KgStore

__all__ = ["BASE_PREFIX", "CONTEXT_FILE", "CONTEXT_PATH", "compact_store", "export_jsonld", "jsonld_context"]

CONTEXT_FILE = "context.jsonld"
CONTEXT_PATH = "/context.jsonld"
BASE_PREFIX = "kgid"


@lru_cache(maxsize=4)
def _terms(path: Path) -> dict[str, Any]:
    try:
        terms: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["@context"]
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"{path}: cannot read the JSON-LD context: {exc}") from exc
    return terms


def jsonld_context(ontology_dir: Path, base_iri: str) -> dict[str, Any]:
    """The context document: ``{"@context": {...}}`` with the ``kgid`` prefix bound to ``base_iri``."""
    return {"@context": {**_terms(ontology_dir / CONTEXT_FILE), BASE_PREFIX: base_iri}}


def compact_store(store: KgStore, context: dict[str, Any], context_url: str | None = None) -> dict[str, Any]:
    """Every quad of the store as one compacted JSON-LD document (named graphs kept)."""
    quads = io.BytesIO()
    store.dump(quads, ox.RdfFormat.N_QUADS)
    expanded = jsonld.from_rdf(quads.getvalue().decode("utf-8"), {"format": "application/n-quads"})
    compacted: dict[str, Any] = jsonld.compact(expanded, context)
    if context_url is not None:
        compacted["@context"] = context_url
    return compacted


def export_jsonld(store: KgStore, output: IO[bytes], context: dict[str, Any], context_url: str | None = None) -> None:
    """Write the compacted JSON-LD of the store."""
    document = compact_store(store, context, context_url)
    output.write(json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"))
