"""Who may write: SPARQL Update and Graph Store writes need the bearer token of ``KG_UPDATE_TOKEN``.

With no token configured the endpoint is read-only and every write is refused
with 403. With one, a write must carry ``Authorization: Bearer <token>``; a
missing or wrong token is refused with 401. The token is compared in constant
time (:func:`hmac.compare_digest`) and never logged.
"""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

from kg.config import Settings

__all__ = ["WRITES_DISABLED", "require_writer"]

WRITES_DISABLED = (
    "writes are disabled on this endpoint: it is read-only "
    "(set KG_UPDATE_TOKEN to allow SPARQL Update and Graph Store writes with that bearer token)"
)
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="osint-kg"'}


def require_writer(request: Request, settings: Settings) -> None:
    """Return if the request may write; raise 403 (writes off) or 401 (no or wrong token)."""
    if settings.update_token is None:
        raise HTTPException(403, WRITES_DISABLED)
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    expected = settings.update_token.get_secret_value().encode("utf-8")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode("utf-8"), expected):
        raise HTTPException(
            401, "a write needs the endpoint's bearer token (Authorization: Bearer <token>)", headers=_CHALLENGE
        )
