"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol, read-only (indirect graph identification).

* ``GET /store?graph=IRI`` — the triples of one named graph (404 if the store has no such graph);
* ``GET /store?default`` — the default graph *as queries see it*: the union of all
  named graphs when ``settings.union_default_graph`` is on, else the store's own
  (usually empty) default graph.

Answers are content-negotiated (Turtle, N-Triples, JSON-LD, RDF/XML) and capped
at ``settings.max_rows`` triples, like CONSTRUCT results (``X-KG-Truncated``).
``PUT``, ``POST`` and ``DELETE`` are refused with 403.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool

from kg.api.deps import SettingsDep, StoreDep
from kg.api.protocol import SparqlRequest
from kg.api.results import Rendered, respond
from kg.api.routes.sparql import execute
from kg.config import Settings
from kg.store import KgStore

__all__ = ["router"]

router = APIRouter(tags=["graph store"])

WRITES_DISABLED = "Graph Store writes are disabled on this endpoint; it serves graphs read-only"
_ALL = "CONSTRUCT WHERE { ?s ?p ?o }"


@router.get("/store")
async def graph_get(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """One graph, named by ``?graph=IRI`` or ``?default``."""
    params = request.query_params
    graphs = params.getlist("graph")
    if ("default" in params) == bool(graphs) or len(graphs) > 1:
        raise HTTPException(400, "name exactly one graph: ?graph=IRI or ?default")
    read = SparqlRequest(_ALL, default_graphs=tuple(graphs), format=params.get("format"))
    return respond(request, await run_in_threadpool(_read, store, read, request.headers.get("accept"), settings))


@router.api_route("/store", methods=["PUT", "POST", "DELETE", "PATCH"], include_in_schema=False)
async def graph_write() -> Response:
    """Writes are not available (yet)."""
    raise HTTPException(403, WRITES_DISABLED)


def _read(store: KgStore, read: SparqlRequest, accept: str | None, settings: Settings) -> Rendered:
    """The graph's triples, serialized (blocking); 404 if a named graph is absent."""
    for graph in read.default_graphs:
        try:
            present = store.contains_graph(graph)
        except ValueError as exc:
            raise HTTPException(400, f"invalid graph IRI: {exc}") from exc
        if not present:
            raise HTTPException(404, f"no graph <{graph}> in this store")
    return execute(store, read, accept, settings)
