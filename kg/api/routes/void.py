"""``/.well-known/void``: a VoID description of the dataset, computed from the store on each request."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from kg.api import describe
from kg.api.deps import PoolDep, SettingsDep

__all__ = ["router"]

router = APIRouter(tags=["self-description"])


@router.get("/.well-known/void")
async def void_description(request: Request, pool: PoolDep, settings: SettingsDep) -> Response:
    """The dataset's size, classes, vocabularies, named graphs and Wikidata links, in a negotiated RDF syntax."""
    figures = await pool.run(describe.void_figures)
    document = str(request.url.replace(query="", fragment=""))
    endpoint = str(request.url_for("sparql_get"))
    triples = describe.void_description(figures, document, endpoint, settings.base_iri)
    body, fmt = describe.negotiated_rdf(triples, request.headers.get("accept"), request.query_params.get("format"))
    return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})
