"""``/context.jsonld``: the JSON-LD context of osint-kg's exports, for clients that read them."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from kg.api.deps import SettingsDep
from kg.export.jsonld import CONTEXT_PATH, jsonld_context

__all__ = ["router"]

router = APIRouter(tags=["self-description"])


@router.get(CONTEXT_PATH, response_class=JSONResponse)
def context_document(settings: SettingsDep) -> JSONResponse:
    """The context that ``kg export -f jsonld`` compacts with (its ``kgid`` prefix is this server's base IRI).

    Served to any origin, as JSON-LD processors in browsers fetch contexts cross-origin.
    """
    return JSONResponse(
        jsonld_context(settings.ontology_dir, settings.base_iri),
        media_type="application/ld+json",
        headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=3600"},
    )
