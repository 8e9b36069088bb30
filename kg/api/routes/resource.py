"""``{base path}/{path}``: every IRI minted under the configured base, dereferenced.

A request for ``/id/actor/x`` (base ``https://w3id.org/osint-kg/id/``) is about
the IRI ``{base}actor/x``, whatever host the server runs on: the IRI is the base
plus the request's raw (still percent-encoded) path after the base's path, so it
is compared with the store exactly as minted. Nothing here touches the file
system; a path with ``.`` or ``..`` segments names no IRI and is a 404.

Answers are content-negotiated (``?format=`` overrides ``Accept``):

* RDF (Turtle by default, N-Triples, JSON-LD, RDF/XML): the resource's concise
  bounded description over all named graphs — the triples with it as subject or
  object, plus the ``rdfs:label`` of every IRI they mention;
* HTML (``text/html``, what browsers ask for first): a page for people, built by
  :mod:`kg.api.resource_page` from what :mod:`kg.api.pages` reads.

Like every answer of the endpoint, a description (and each list of a page)
holds at most ``settings.max_rows`` triples or rows; a capped one carries
``X-KG-Truncated: true``. An IRI that occurs in no triple is a 404. A base
ending in ``#`` mints IRIs whose fragment never reaches a server, so it gets
no route.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request, Response

from kg.api import describe
from kg.api.deps import PoolDep, SettingsDep
from kg.api.negotiation import FORMATS, Format, choose
from kg.api.resource_page import render_page
from kg.api.tasks import view
from kg.config import Settings

__all__ = ["HTML", "router_for"]

HTML = Format(("html",), "text/html", ("application/xhtml+xml",))
OFFERED = (*FORMATS["graph"], HTML)
"""Turtle first, so ``*/*`` (curl, scripts) gets RDF; browsers name text/html and get the page."""


def router_for(settings: Settings) -> APIRouter:
    """The router serving every path under the path of ``settings.base_iri``."""
    router = APIRouter(tags=["resources"])
    base = settings.base_iri
    if base.endswith("#"):
        return router
    prefix = urlsplit(base).path or "/"

    @router.get(
        prefix + "{path:path}",
        name="resource",
        response_class=Response,
        responses={
            200: {
                "description": "The resource, in RDF or as an HTML page",
                "content": {f.media_type: {} for f in OFFERED},
            },
            404: {"description": "No triple mentions this IRI"},
            406: {"description": "None of the acceptable formats can be given"},
        },
    )
    async def resource(request: Request, path: str, pool: PoolDep, settings: SettingsDep) -> Response:
        """The resource ``{base}{path}``: its description in a negotiated format."""
        iri = resource_iri(settings.base_iri, prefix, request.scope.get("raw_path") or b"")
        override = request.query_params.get("format")
        accept = request.headers.get("accept")
        fmt = next((f for f in OFFERED if f.answers(override)), None) if override else choose(OFFERED, accept)
        if fmt is None:
            raise HTTPException(406, "this resource is available as: " + ", ".join(f.media_type for f in OFFERED))
        triples, page, truncated = await pool.run(
            view, iri, settings.base_iri if fmt is HTML else None, settings.max_rows
        )
        if not triples:
            raise HTTPException(404, f"nothing is known about <{iri.value}> here")
        headers = {"Vary": "Accept", "Link": _alternates(request)}
        if truncated:
            headers["X-KG-Truncated"] = "true"
        if page is not None:
            body = render_page(
                page,
                base=settings.base_iri,
                prefix=prefix,
                sparql=str(request.url_for("sparql_get")),
                self_path=request.url.path,
            )
            return Response(body, media_type="text/html; charset=utf-8", headers=headers)
        rdf, chosen = describe.negotiated_rdf(triples, accept, override)
        return Response(rdf, media_type=chosen.media_type, headers=headers)

    return router


def resource_iri(base: str, prefix: str, raw_path: bytes) -> ox.NamedNode:
    """The IRI a request path names: ``base`` + the path after ``prefix``; 404 if it names none."""
    path = raw_path.decode("latin-1")
    if not path.startswith(prefix):
        raise HTTPException(404, "not a resource path")
    rest = path[len(prefix) :]
    segments = rest.split("/")
    if not rest or any(unquote(s) in ("", ".", "..") or "\\" in unquote(s) for s in segments):
        raise HTTPException(404, "not a resource path")
    try:
        return ox.NamedNode(base + rest)
    except ValueError as exc:
        raise HTTPException(404, "not a resource path") from exc


def _alternates(request: Request) -> str:
    url = request.url.replace(query="", fragment="")
    return ", ".join(f'<{url}?format={f.name}>; rel="alternate"; type="{f.media_type}"' for f in OFFERED)
