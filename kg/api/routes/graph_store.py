"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol (indirect graph identification).

Reads, for everyone:

* ``GET /store?graph=IRI`` — the triples of one named graph (404 if the store has no such graph);
* ``GET /store?default`` — the default graph *as queries see it*: the union of all
  named graphs when ``settings.union_default_graph`` is on, else the store's own
  (usually empty) default graph.

Answers are content-negotiated (Turtle, N-Triples, JSON-LD, RDF/XML) and capped
at ``settings.max_rows`` triples, like CONSTRUCT results (``X-KG-Truncated``).

Writes, only with the bearer token (:mod:`kg.api.auth`; 403 when writes are
off), each in one transaction (a PUT that replaces a graph: staged, then
swapped in one), run by the writer process within the time limit
(:mod:`kg.api.writer`):

* ``PUT`` replaces the graph with the body (201 if it is new, else 204);
* ``POST`` adds the body's triples to the graph (204);
* ``DELETE`` removes the graph (204, or 404 if there is none).

A write names a graph with ``?graph=IRI`` or the default graph with
``?default``. A write to ``?default`` goes to the store's own default graph
(the one a SPARQL Update without ``GRAPH`` writes), not to the union: the
union takes it in, so ``GET ?default`` then shows it beside every named
graph. ``DELETE ?default`` empties it (204; the article graphs stay), and a
``PUT ?default`` replaces only it (204).

The body may be Turtle, N-Triples, RDF/XML or JSON-LD, as its ``Content-Type``
says, or ``multipart/form-data`` whose parts are such documents, each with
its own ``Content-Type`` (their triples are merged).

``HEAD`` answers like ``GET`` without the body, ``OPTIONS`` lists
``GET, HEAD, PUT, POST, DELETE`` in ``Allow``, and other methods get 405
(:mod:`kg.api.methods`).
"""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request, Response

from kg.api import tasks
from kg.api.auth import require_writer
from kg.api.deps import GraphBodyDep, PoolDep, SettingsDep, WriterDep
from kg.api.protocol import SparqlRequest
from kg.api.results import RDF_FORMATS, respond
from kg.store.graphs import KgStore

__all__ = ["router"]

router = APIRouter(tags=["graph store"])

_ALL = "CONSTRUCT WHERE { ?s ?p ?o }"
MULTIPART = "multipart/form-data"
_BODY_FORMATS = {fmt.media_type: fmt for fmt in RDF_FORMATS.values()} | {"application/ld+json": ox.RdfFormat.JSON_LD}


@router.get("/store")
async def graph_get(request: Request, pool: PoolDep, settings: SettingsDep) -> Response:
    """One graph, named by ``?graph=IRI`` or ``?default``."""
    params = request.query_params
    graphs = params.getlist("graph")
    if ("default" in params) == bool(graphs) or len(graphs) > 1:
        raise HTTPException(400, "name exactly one graph: ?graph=IRI or ?default")
    read = SparqlRequest(_ALL, default_graphs=tuple(graphs), format=params.get("format"))
    return respond(request, await pool.run(tasks.read_graph, read, request.headers.get("accept"), settings))


@router.put("/store", status_code=204, responses={201: {"description": "The graph was created"}})
async def graph_put(request: Request, body: GraphBodyDep, writer: WriterDep, settings: SettingsDep) -> Response:
    """Replace the graph ``?graph=IRI`` (or ``?default``) with the body (token required: checked by the body's
    dependency before the body is read)."""
    graph, data = _write_target(request), _ntriples(request, body)
    created = await writer.write(tasks.put_graph, graph, data)
    return Response(status_code=201 if created else 204)


@router.post("/store", status_code=204)
async def graph_post(request: Request, body: GraphBodyDep, writer: WriterDep, settings: SettingsDep) -> Response:
    """Add the body's triples to the graph ``?graph=IRI`` (or ``?default``) (token required, as for PUT)."""
    graph, data = _write_target(request), _ntriples(request, body)
    await writer.write(KgStore.add_ntriples, graph, data)
    return Response(status_code=204)


@router.delete("/store", status_code=204)
async def graph_delete(request: Request, writer: WriterDep, settings: SettingsDep) -> Response:
    """Remove the named graph ``?graph=IRI``, or empty the default graph (``?default``) (token required)."""
    require_writer(request, settings)
    graph = _write_target(request)
    if not await writer.write(KgStore.drop_graph, graph):
        raise HTTPException(404, f"no graph <{graph}> in this store")
    return Response(status_code=204)


def _write_target(request: Request) -> str | None:
    """The IRI of ``?graph=``, or None for ``?default`` (the store's own default graph): exactly one of them."""
    graphs = request.query_params.getlist("graph")
    if ("default" in request.query_params) == bool(graphs) or len(graphs) > 1:
        raise HTTPException(400, "name exactly one graph to write: ?graph=IRI or ?default")
    if not graphs:
        return None
    try:
        return ox.NamedNode(graphs[0]).value
    except ValueError as exc:
        raise HTTPException(400, f"invalid graph IRI: {exc}") from exc


def _ntriples(request: Request, body: bytes) -> bytes:
    """The body as N-Triples: one RDF document, or each part of a ``multipart/form-data`` body; 415/400 if it
    cannot be read."""
    content_type = request.headers.get("content-type", "")
    if _media_type(content_type) == MULTIPART:
        triples = [triple for media_type, part in _parts(content_type, body) for triple in _triples(media_type, part)]
    else:
        triples = _triples(_media_type(content_type), body)
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert data is not None  # serialized to no output: the bytes are returned
    return data


def _media_type(content_type: str) -> str:
    return content_type.split(";", maxsplit=1)[0].strip().lower()


def _triples(media_type: str, body: bytes) -> list[ox.Triple]:
    """The triples of one RDF document in the syntax ``media_type`` names."""
    fmt = _BODY_FORMATS.get(media_type)
    if fmt is None:
        offered = ", ".join([*sorted(_BODY_FORMATS), MULTIPART])
        raise HTTPException(415, f"send the graph as one of: {offered} (not {media_type or 'no media type'})")
    try:
        return [quad.triple for quad in ox.parse(body, format=fmt)]
    except SyntaxError as exc:
        raise HTTPException(400, f"the body is not valid {media_type}: {exc}") from exc


def _parts(content_type: str, body: bytes) -> list[tuple[str, bytes]]:
    """The media type and content of each part of a ``multipart/form-data`` body (RFC 7578)."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1", "replace")
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise HTTPException(400, "the multipart/form-data body has no parts (is its boundary right?)")
    parts = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            raise HTTPException(400, "a part of the multipart/form-data body is itself multipart")
        media_type = part.get_content_type() if part.get("content-type") else ""
        parts.append((media_type, payload))
    return parts
