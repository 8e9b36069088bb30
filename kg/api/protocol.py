"""SPARQL 1.1 Protocol requests: the three ways to send a query, read into one value.

* ``GET /sparql?query=...``
* ``POST`` with ``application/x-www-form-urlencoded`` and ``query=`` in the body
* ``POST`` with ``application/sparql-query`` and the query as the body

``default-graph-uri`` and ``named-graph-uri`` (repeatable) name the dataset;
``format`` overrides the Accept header.

An update comes only by POST, as ``update=`` in a form or as an
``application/sparql-update`` body; ``using-graph-uri`` and
``using-named-graph-uri`` (repeatable) give the dataset of its ``WHERE``
clauses (:mod:`kg.sparql.update_dataset`). It is read into a
:class:`SparqlUpdate`; whether it may run is the route's decision
(:mod:`kg.api.auth`). An ``update`` in a GET is refused with 403.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

from fastapi import HTTPException

__all__ = ["SparqlRequest", "SparqlUpdate", "declares_dataset", "from_get", "from_post"]

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
UPDATE_BY_GET = "SPARQL Update is accepted only by POST (as update=... or an application/sparql-update body)"

Params = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class SparqlRequest:
    """A query with its protocol dataset and format override."""

    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    format: str | None = None

    @property
    def has_dataset(self) -> bool:
        """Whether the request names its dataset through the protocol."""
        return bool(self.default_graphs or self.named_graphs)


@dataclass(frozen=True)
class SparqlUpdate:
    """A SPARQL Update request, with the dataset the protocol gives its ``WHERE`` clauses (if any)."""

    update: str
    using_graphs: tuple[str, ...] = ()
    using_named_graphs: tuple[str, ...] = ()

    @property
    def has_dataset(self) -> bool:
        """Whether the request names the update's dataset through the protocol."""
        return bool(self.using_graphs or self.using_named_graphs)


def from_get(params: Params) -> SparqlRequest:
    """The query of a GET request, from its URL parameters."""
    return _build(params)


def from_post(content_type: str | None, body: bytes, params: Params) -> SparqlRequest | SparqlUpdate:
    """The query or update of a POST request, from its media type, body and URL parameters."""
    media_type, charset = _media_type(content_type)
    if media_type not in (FORM, DIRECT, UPDATE):
        raise HTTPException(
            415,
            f"POST a query as {FORM} or {DIRECT}, or an update as {FORM} or {UPDATE}, "
            f"not {media_type or 'no media type'}",
        )
    if charset not in (None, "utf-8", "utf8"):
        raise HTTPException(415, f"a query must be sent in UTF-8, not {charset}")
    text = _decode(body)
    if media_type == UPDATE:
        return _update([*params, ("update", text)])
    if media_type == FORM:
        fields = [*params, *parse_qsl(text, keep_blank_values=True)]
        if any(name == "update" for name, _ in fields):
            return _update(fields)
        return _build(fields)
    if any(name == "query" for name, _ in params):
        raise HTTPException(400, "the query is both in the body and in the URL")
    return _build(params, body_query=text)


def _media_type(content_type: str | None) -> tuple[str, str | None]:
    """The bare media type and the charset parameter (if any) of a Content-Type header."""
    media_type, *params = (part.strip() for part in (content_type or "").split(";"))
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.lower(), charset


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPException(400, f"the request body is not valid UTF-8: {exc}") from exc


def _build(params: Params, body_query: str | None = None) -> SparqlRequest:
    """Check the parameters and gather them; a body query counts as one ``query``."""
    if any(name == "update" for name, _ in params):
        raise HTTPException(403, UPDATE_BY_GET)
    queries = [value for name, value in params if name == "query"]
    if body_query is not None:
        queries.append(body_query)
    if not queries or not queries[0].strip():
        raise HTTPException(400, "missing query: send it as query=... or as an application/sparql-query body")
    if len(queries) > 1:
        raise HTTPException(400, "send exactly one query per request")
    formats = [value for name, value in params if name == "format"]
    return SparqlRequest(
        query=queries[0],
        default_graphs=tuple(value for name, value in params if name == "default-graph-uri"),
        named_graphs=tuple(value for name, value in params if name == "named-graph-uri"),
        format=formats[-1] if formats else None,
    )


def _update(params: Params) -> SparqlUpdate:
    """The update of a POST request; exactly one, with no query beside it."""
    updates = [value for name, value in params if name == "update"]
    if any(name == "query" for name, _ in params):
        raise HTTPException(400, "send a query or an update, not both")
    if len(updates) != 1 or not updates[0].strip():
        raise HTTPException(400, "send exactly one non-empty update per request")
    return SparqlUpdate(
        updates[0],
        using_graphs=tuple(value for name, value in params if name == "using-graph-uri"),
        using_named_graphs=tuple(value for name, value in params if name == "using-named-graph-uri"),
    )


_NOT_CODE = re.compile(
    r"""
      \#[^\n\r]*                              # comment
    | <[^<>"{}|^`\\\s]*>                      # IRI reference
    | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"     # long strings
    | '''(?:[^'\\]|\\.|'(?!''))*'''
    | "(?:[^"\\\n\r]|\\.)*"                   # short strings
    | '(?:[^'\\\n\r]|\\.)*'
    """,
    re.VERBOSE,
)
_FROM = re.compile(r"(?:^|(?<=[\s)}*]))FROM(?=\s)", re.IGNORECASE)


def declares_dataset(query: str) -> bool:
    """Whether the query has a ``FROM`` or ``FROM NAMED`` clause.

    A lexical check: comments, IRIs and strings are blanked out, then a bare
    ``FROM`` keyword is looked for. It is needed because pyoxigraph's
    ``use_default_graph_as_union`` would otherwise override the query's own dataset.
    """
    return _FROM.search(_NOT_CODE.sub(" ", query)) is not None
