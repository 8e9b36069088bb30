"""What the query workers and the writer process run: module-level functions of a store, no HTTP types.

Each task is called in a worker process as ``task(store, *args)`` (see
:class:`kg.api.workers.QueryPool` and :class:`kg.api.writer.StoreWriter`); its
arguments and result travel by pickle, and it reports failure with the kg
errors (:class:`~kg.errors.QueryError`, :class:`~kg.errors.RequestError`,
:class:`~kg.errors.NotFound`, :class:`~kg.errors.NotAcceptable`...) that the
app maps to status codes at the edge (:mod:`kg.api.main`).

pyoxigraph results may only be freed on the thread that made them, so a
reading task that fails clears the locals of its failed frames here
(:func:`kg.api.results.clear_frames`), not on the event loop that receives the exception.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import ParamSpec, TypeVar

import pyoxigraph as ox

from kg.api import protocol
from kg.api.negotiation import FORMATS, Format, pick_format
from kg.api.pages import view
from kg.api.protocol import SparqlRequest, SparqlUpdate
from kg.api.results import Rendered, clear_frames, render, result_kind
from kg.config import Settings
from kg.errors import NotAcceptable, NotFound, QueryError, RemoteServiceError, RequestError, StoreError
from kg.sparql.saved import SavedQuery
from kg.store.errors import evaluation_errors
from kg.store.graphs import KgStore

__all__ = ["apply_update", "execute_query", "execute_saved", "named_graphs", "put_graph", "read_graph", "view"]

P = ParamSpec("P")
T = TypeVar("T")


def _clearing_frames(task: Callable[P, T]) -> Callable[P, T]:
    """``task``, clearing the frames of whatever it raises on the thread that raised it."""

    @wraps(task)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return task(*args, **kwargs)
        except BaseException as exc:
            clear_frames(exc)
            raise

    return run


@_clearing_frames
def execute_query(
    store: KgStore,
    sparql: SparqlRequest,
    accept: str | None,
    settings: Settings,
    base_iri: str | None = None,
    *,
    federated: bool = False,
) -> Rendered:
    """Evaluate a protocol query with its dataset and serialize it in the negotiated format."""
    with evaluation_errors():
        result = store.query(
            sparql.query,
            union_default_graph=settings.union_default_graph and not protocol.declares_dataset(sparql.query),
            default_graph=_graphs(sparql.default_graphs) if sparql.has_dataset else None,
            named_graphs=_graphs(sparql.named_graphs) if sparql.has_dataset else None,
            base_iri=base_iri,
        )
    kind = result_kind(result)
    fmt = pick_format(kind, accept, sparql.format)
    if fmt is None:
        offered = ", ".join(f.media_type for f in FORMATS[kind])
        raise NotAcceptable(f"cannot answer this query in the requested format; available: {offered}")
    if not federated:
        return render(result, fmt, settings.max_rows)
    try:
        return render(result, fmt, settings.max_rows)
    except (QueryError, StoreError) as exc:  # the SERVICE calls run while the answer is read
        raise RemoteServiceError(f"a SERVICE call of this query failed: {exc}") from exc


@_clearing_frames
def execute_saved(
    store: KgStore,
    saved: SavedQuery,
    substitutions: Mapping[str, ox.NamedNode | ox.Literal],
    fmt: Format,
    settings: Settings,
) -> Rendered:
    """Evaluate ``saved`` with ``substitutions`` (never pasted into its text) and serialize it as ``fmt``."""
    result = store.query(saved.text, substitutions=substitutions, union_default_graph=settings.union_default_graph)
    return render(result, fmt, settings.max_rows)


@_clearing_frames
def read_graph(store: KgStore, read: SparqlRequest, accept: str | None, settings: Settings) -> Rendered:
    """The triples of the graphs ``read`` names as its default graph, serialized; NotFound if one is absent."""
    for graph in read.default_graphs:
        try:
            present = store.contains_graph(graph)
        except ValueError as exc:
            raise RequestError(f"invalid graph IRI: {exc}") from exc
        if not present:
            raise NotFound(f"no graph <{graph}> in this store")
    return execute_query(store, read, accept, settings)


def named_graphs(store: KgStore) -> list[str]:
    """The names of every named graph (for the service description)."""
    return store.named_graphs()


def apply_update(store: KgStore, update: SparqlUpdate, base_iri: str) -> None:
    """Apply ``update`` with its protocol dataset, if any, relative IRIs resolved against ``base_iri``."""
    text = update.update
    if update.has_dataset:
        from kg.sparql.update_dataset import with_dataset  # rdflib's SPARQL parser: imported only when needed

        text = with_dataset(text, update.using_graphs, update.using_named_graphs)
    store.update(text, base_iri)


def put_graph(store: KgStore, graph: str | None, data: bytes) -> bool:
    """Replace ``graph`` (None: the default graph) with N-Triples ``data`` atomically; True if it is new."""
    created = graph is not None and not store.contains_graph(graph)
    store.put_ntriples(graph, data)
    return created


def _graphs(iris: tuple[str, ...]) -> list[ox.NamedNode]:
    try:
        return [ox.NamedNode(iri) for iri in iris]
    except ValueError as exc:
        raise RequestError(f"invalid graph IRI: {exc}") from exc
