"""``/sparql``: the SPARQL 1.1 Protocol endpoint, queries for everyone, updates behind a token.

A GET with neither ``query`` nor ``update`` answers with the endpoint's SPARQL
Service Description. Relative IRIs in a query resolve against the endpoint's
URL. A query (or update) calling an outside host with ``SERVICE`` or ``LOAD``
is refused (403) unless its ``host:port`` is in ``settings.service_allowlist``;
the check runs before the store sees the text, and a SERVICE call that fails
at the remote end is answered 502 with the remote's error. Queries run in the query workers
(:mod:`kg.api.workers`), within the time limit; updates only with the bearer
token (:mod:`kg.api.auth`), in the writer process (:mod:`kg.api.writer`), within the same time limit; an
update's relative IRIs resolve against the endpoint's URL, and ``using-graph-uri`` /
``using-named-graph-uri`` set the dataset of its ``WHERE`` clauses (:mod:`kg.sparql.update_dataset`).
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response

from kg.api import describe, protocol, tasks
from kg.api.auth import require_writer
from kg.api.deps import BodyDep, PoolDep, SettingsDep, WriterDep, endpoint_url
from kg.api.protocol import SparqlRequest, SparqlUpdate
from kg.api.results import respond
from kg.api.workers import QueryPool
from kg.config import Settings
from kg.sparql.safety import check_nesting, outside_calls, refused_calls

__all__ = ["router"]

router = APIRouter(tags=["sparql"])


@router.get("/sparql")
async def sparql_get(request: Request, pool: PoolDep, settings: SettingsDep) -> Response:
    """A query in the ``query`` URL parameter, or without one, the service description."""
    params = request.query_params.multi_items()
    if not any(name in ("query", "update") for name, _ in params):
        return _service_description(request, await pool.run(tasks.named_graphs), settings)
    sparql = protocol.from_get(params)
    return await _answer(request, sparql, pool, settings)


@router.post("/sparql")
async def sparql_post(
    request: Request, body: BodyDep, pool: PoolDep, writer: WriterDep, settings: SettingsDep
) -> Response:
    """A query as a form field or an ``application/sparql-query`` body; an update as a form field or
    an ``application/sparql-update`` body."""
    content_type = request.headers.get("content-type")
    sparql = protocol.from_post(content_type, body, request.query_params.multi_items())
    if isinstance(sparql, SparqlUpdate):
        require_writer(request, settings)
        check_nesting(sparql.update)
        _check_calls(sparql.update, settings, endpoint_url(request))
        await writer.write(tasks.apply_update, sparql, endpoint_url(request))
        return Response(status_code=204)
    return await _answer(request, sparql, pool, settings)


async def _answer(request: Request, sparql: SparqlRequest, pool: QueryPool, settings: Settings) -> Response:
    """Check the query's outside calls, run it in a query worker and send the result."""
    base = endpoint_url(request)
    check_nesting(sparql.query)
    federated = _check_calls(sparql.query, settings, base)
    accept = request.headers.get("accept")
    return respond(request, await pool.run(tasks.execute_query, sparql, accept, settings, base, federated=federated))


def _check_calls(text: str, settings: Settings, base: str) -> bool:
    """Refuse (403) a query or update that would call a host outside the allowlist; True if it calls out."""
    calls = outside_calls(text, base)
    refused = refused_calls(text, settings.service_allowlist, base) if calls else []
    if refused:
        targets = ", ".join(call.written or "(nothing)" for call in refused)
        raise HTTPException(
            403,
            f"{refused[0].keyword} to {targets} is refused: this endpoint calls only "
            f"the host:port pairs in its SERVICE allowlist (KG_SERVICE_ALLOWLIST), "
            f"and no variable targets",
        )
    return bool(calls)


def _service_description(request: Request, named_graphs: list[str], settings: Settings) -> Response:
    """The ``sd:Service`` description of this endpoint, in a negotiated RDF syntax."""
    void_document = request.url_for("void_description")
    triples = describe.service_description(
        endpoint_url(request),
        str(void_document.replace(fragment="dataset")),
        str(void_document),
        named_graphs,
        union=settings.union_default_graph,
        federated=bool(settings.service_allowlist),
    )
    body, fmt = describe.negotiated_rdf(triples, request.headers.get("accept"), request.query_params.get("format"))
    return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})
