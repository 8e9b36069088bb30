"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol (indirect graph identification).

Reads, for everyone:

* ``GET /store?graph=IRI`` — the triples of one named graph (404 if the store has no such graph);
* ``GET /store?default`` — the default graph *as queries see it*: the union of all
  named graphs when ``settings.union_default_graph`` is on, else the store's own
  (usually empty) default graph.

Answers are content-negotiated (Turtle, N-Triples, JSON-LD, RDF/XML) and capped
at ``settings.max_rows`` triples, like CONSTRUCT results (``X-KG-Truncated``).

Writes, only with the bearer token (:mod:`kg.api.auth`; 403 when writes are
off), on named graphs (``?graph=IRI``), each in one transaction:

* ``PUT`` replaces the graph with the body (201 if it is new, else 204);
* ``POST`` adds the body's triples to the graph (204);
* ``DELETE`` removes the graph (204, or 404 if there is none).

The body may be Turtle, N-Triples, RDF/XML or JSON-LD, as its ``Content-Type`` says.

``HEAD`` answers like ``GET`` without the body, ``OPTIONS`` lists
``GET, HEAD, PUT, POST, DELETE`` in ``Allow``, and other methods get 405
(:mod:`kg.api.methods`).
"""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request, Response

from kg.api.auth import require_writer
from kg.api.deps import BodyDep, PoolDep, SettingsDep, WriterDep
from kg.api.protocol import SparqlRequest
from kg.api.results import RDF_FORMATS, Rendered, respond
from kg.api.routes.sparql import execute
from kg.config import Settings
from kg.store import KgStore

__all__ = ["router"]

router = APIRouter(tags=["graph store"])

_ALL = "CONSTRUCT WHERE { ?s ?p ?o }"
_BODY_FORMATS = {fmt.media_type: fmt for fmt in RDF_FORMATS.values()} | {"application/ld+json": ox.RdfFormat.JSON_LD}


@router.get("/store")
async def graph_get(request: Request, pool: PoolDep, settings: SettingsDep) -> Response:
    """One graph, named by ``?graph=IRI`` or ``?default``."""
    params = request.query_params
    graphs = params.getlist("graph")
    if ("default" in params) == bool(graphs) or len(graphs) > 1:
        raise HTTPException(400, "name exactly one graph: ?graph=IRI or ?default")
    read = SparqlRequest(_ALL, default_graphs=tuple(graphs), format=params.get("format"))
    return respond(request, await pool.run(_read, read, request.headers.get("accept"), settings))


@router.put("/store", status_code=204, responses={201: {"description": "The graph was created"}})
async def graph_put(request: Request, body: BodyDep, writer: WriterDep, settings: SettingsDep) -> Response:
    """Replace the named graph ``?graph=IRI`` with the body (token required)."""
    require_writer(request, settings)
    graph, data = _write_target(request), _ntriples(request, body)
    created = await writer.write(_put, graph, data)
    return Response(status_code=201 if created else 204)


@router.post("/store", status_code=204)
async def graph_post(request: Request, body: BodyDep, writer: WriterDep, settings: SettingsDep) -> Response:
    """Add the body's triples to the named graph ``?graph=IRI`` (token required)."""
    require_writer(request, settings)
    graph, data = _write_target(request), _ntriples(request, body)
    await writer.write(KgStore.add_ntriples, graph, data)
    return Response(status_code=204)


@router.delete("/store", status_code=204)
async def graph_delete(request: Request, writer: WriterDep, settings: SettingsDep) -> Response:
    """Remove the named graph ``?graph=IRI`` (token required)."""
    require_writer(request, settings)
    graph = _write_target(request)
    if not await writer.write(KgStore.drop_graph, graph):
        raise HTTPException(404, f"no graph <{graph}> in this store")
    return Response(status_code=204)


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


def _put(store: KgStore, graph: str, data: bytes) -> bool:
    """Replace ``graph`` atomically; True if it did not exist before."""
    created = not store.contains_graph(graph)
    store.put_ntriples(graph, data)
    return created


def _write_target(request: Request) -> str:
    """The IRI of ``?graph=``: writes name exactly one named graph."""
    graphs = request.query_params.getlist("graph")
    if "default" in request.query_params:
        raise HTTPException(400, "writes to the default graph are not supported: it is the union of the "
                                 "article graphs; name a graph with ?graph=IRI")
    if len(graphs) != 1:
        raise HTTPException(400, "name exactly one graph to write: ?graph=IRI")
    try:
        return ox.NamedNode(graphs[0]).value
    except ValueError as exc:
        raise HTTPException(400, f"invalid graph IRI: {exc}") from exc


def _ntriples(request: Request, body: bytes) -> bytes:
    """The body, parsed in the syntax its Content-Type names, as N-Triples; 415/400 if it cannot be."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = _BODY_FORMATS.get(media_type)
    if fmt is None:
        offered = ", ".join(sorted(_BODY_FORMATS))
        raise HTTPException(415, f"send the graph as one of: {offered} (not {media_type or 'no media type'})")
    try:
        triples = [quad.triple for quad in ox.parse(body, format=fmt)]
    except SyntaxError as exc:
        raise HTTPException(400, f"the body is not valid {media_type}: {exc}") from exc
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
