"""``/`` and ``/ui/...``: the query UI (YASGUI), built from npm by ``ui/build.mjs``.

The build writes ``index.html`` and an ``assets/`` folder into :data:`BUILD_DIR`
(git-ignored); ``./scripts/serve`` and ``./scripts/test`` run it when needed.
``GET /`` is the page (``/favicon.ico`` is empty), with the base IRI and the path of the resource pages in
``<meta>`` tags, so that result links to IRIs minted here open this server's pages
(``ui/src/app.js``). ``GET /docs`` is Swagger UI on the app's OpenAPI schema, from the same build (nothing
from a CDN). ``GET /ui/{file}`` serves only regular files inside
``assets/``: a path that resolves elsewhere (``..``, a symbolic link out, a
hidden or unusual name) is a 404. Without a build, ``/`` answers 503 saying how to make one.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

__all__ = ["ASSETS_PATH", "BUILD_COMMAND", "BUILD_DIR", "router_for"]

BUILD_DIR = Path(__file__).resolve().parent.parent / "static" / "ui"
ASSETS_PATH = "/ui"
BUILD_COMMAND = "cd ui && npm ci && npm run build"
_NO_CACHE = {"Cache-Control": "no-cache"}
_SEGMENT = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")


def router_for(base_iri: str | None = None, build_dir: Path = BUILD_DIR) -> APIRouter:
    """The routes of the UI built into ``build_dir`` (read at each request, so a rebuild needs no restart).

    ``base_iri``: the base of the IRIs minted here, whose pages this server serves (none for a ``#`` base).
    """
    router = APIRouter(tags=["query UI"], include_in_schema=False)
    assets = build_dir / "assets"
    head_end = _resource_meta(base_iri) + b"</head>"

    @router.get("/", response_class=HTMLResponse)
    async def query_ui() -> HTMLResponse:
        """The YASGUI page, with the saved queries as example tabs."""
        page = build_dir / "index.html"
        if not page.is_file():
            raise HTTPException(
                503, f"the query UI is not built; run `{BUILD_COMMAND}` (./scripts/serve and ./scripts/test do it)"
            )
        return HTMLResponse(page.read_bytes().replace(b"</head>", head_end, 1), headers=_NO_CACHE)

    @router.get("/docs", response_class=HTMLResponse)
    async def api_docs(request: Request) -> HTMLResponse:
        """Swagger UI on the app's OpenAPI schema, its scripts from the UI build."""
        if not (assets / "swagger-ui-bundle.js").is_file():
            raise HTTPException(
                503, f"the API docs are not built; run `{BUILD_COMMAND}` (./scripts/serve and ./scripts/test do it)"
            )
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=root + (request.app.openapi_url or "/openapi.json"),
            title=f"{request.app.title} · API",
            swagger_favicon_url="data:,",
            swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
        )

    @router.get("/favicon.ico")
    async def favicon() -> Response:
        """No icon: an empty answer rather than a 404 for every page a browser shows."""
        return Response(status_code=204, headers={"Cache-Control": "max-age=86400"})

    @router.get(ASSETS_PATH + "/{name:path}")
    async def ui_asset(name: str) -> FileResponse:
        """A file of the built UI (scripts, style sheets)."""
        return FileResponse(asset_file(assets, name), headers=_NO_CACHE)

    return router


def _resource_meta(base_iri: str | None) -> bytes:
    """``<meta>`` tags naming the base IRI and the path its resources are served at (none for a ``#`` base)."""
    if base_iri is None or base_iri.endswith("#"):
        return b""
    tags = (
        f'<meta name="kg-base-iri" content="{html.escape(base_iri)}">\n'
        f'<meta name="kg-resource-path" content="{html.escape(urlsplit(base_iri).path or "/")}">\n'
    )
    return tags.encode("utf-8")


def asset_file(assets: Path, name: str) -> Path:
    """The regular file ``name`` inside ``assets``; 404 if it is not one or lies outside."""
    if not all(_SEGMENT.fullmatch(part) for part in name.split("/")):
        raise HTTPException(404, "no such file")
    root = assets.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise HTTPException(404, "no such file")
    return path
