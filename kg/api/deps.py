"""FastAPI dependencies: the settings and store of the running app, and a size-capped body."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from kg.config import Settings
from kg.store import KgStore

__all__ = ["BodyDep", "SettingsDep", "StoreDep", "endpoint_url", "get_settings", "get_store", "request_body"]


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> KgStore:
    """The store opened for the app (in its lifespan, or given to ``create_app``)."""
    store: KgStore = request.app.state.store
    return store


def endpoint_url(request: Request) -> str:
    """The URL the request was sent to, without its query string: the base of relative IRIs."""
    return str(request.url.replace(query="", fragment=""))


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[KgStore, Depends(get_store)]


async def request_body(request: Request, settings: SettingsDep) -> bytes:
    """The request body, refused with 413 once it passes ``settings.max_request_bytes``."""
    limit = settings.max_request_bytes
    too_large = HTTPException(413, f"the request body is larger than the limit of {limit} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)


BodyDep = Annotated[bytes, Depends(request_body)]
