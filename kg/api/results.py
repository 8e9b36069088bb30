"""Query results written out in a negotiated format, capped at a number of rows.

Serialization uses pyoxigraph's own writers. pyoxigraph evaluates lazily, so
this is where evaluation happens and where its errors surface; they are turned
into :class:`~kg.errors.QueryError` (the query cannot be evaluated) or
:class:`~kg.errors.StoreError` (I/O).

SELECT results are capped without reading them twice: they are written as TSV
(one line per row) into a buffer that stops the evaluation after ``max_rows``
rows; the kept lines are then re-read and written in the wanted format.
"""

from __future__ import annotations

import io
import traceback
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

import pyoxigraph as ox
from fastapi import Request, Response

from kg.api.negotiation import Format, ResultKind
from kg.store.errors import evaluation_errors
from kg.store.graphs import QueryResult

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

__all__ = ["RDF_FORMATS", "Rendered", "clear_frames", "render", "respond", "result_kind"]

_RESULTS_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class Rendered:
    """A serialized result: its bytes, media type, size (rows, triples, or 1) and whether it was cut."""

    body: bytes
    media_type: str
    count: int
    truncated: bool = False


def result_kind(result: QueryResult) -> ResultKind:
    """Which formats apply: SELECT → solutions, ASK → boolean, CONSTRUCT/DESCRIBE → graph."""
    if isinstance(result, ox.QuerySolutions):
        return "solutions"
    if isinstance(result, ox.QueryBoolean):
        return "boolean"
    return "graph"


def render(result: QueryResult, fmt: Format, max_rows: int) -> Rendered:
    """Evaluate and serialize ``result`` as ``fmt``, keeping at most ``max_rows`` rows or triples."""
    with evaluation_errors():
        if isinstance(result, ox.QuerySolutions):
            return _render_solutions(result, fmt, max_rows)
        if isinstance(result, ox.QueryBoolean):
            return Rendered(_bytes(result.serialize(format=_RESULTS_FORMATS[fmt.name])), fmt.media_type, 1)
        return _render_graph(result, fmt, max_rows)


def _render_solutions(result: ox.QuerySolutions, fmt: Format, max_rows: int) -> Rendered:
    tsv, rows, truncated = _capped_tsv(result, max_rows)
    target = _RESULTS_FORMATS[fmt.name]
    if target != ox.QueryResultsFormat.TSV:
        parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
        assert isinstance(parsed, ox.QuerySolutions)
        tsv = _bytes(parsed.serialize(format=target))
    return Rendered(tsv, fmt.media_type, rows, truncated)


def _render_graph(result: ox.QueryTriples, fmt: Format, max_rows: int) -> Rendered:
    triples = list(islice(result, max_rows + 1))
    kept = triples[:max_rows]
    body = _bytes(ox.serialize(kept, format=RDF_FORMATS[fmt.name]))
    return Rendered(body, fmt.media_type, len(kept), len(triples) > max_rows)


class _Full(Exception):
    """Raised by :class:`_LineBuffer` to stop pyoxigraph once enough lines are written."""


class _LineBuffer(io.BytesIO):
    """A binary buffer that raises :class:`_Full` once it holds more than ``limit`` lines."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.lines = 0

    def write(self, chunk: ReadableBuffer, /) -> int:
        written = super().write(chunk)
        self.lines += bytes(chunk).count(b"\n")
        if self.lines > self.limit:
            raise _Full
        return written

    def head(self) -> bytes:
        """The first ``limit`` lines."""
        data = self.getvalue()
        end = 0
        for _ in range(self.limit):
            end = data.index(b"\n", end) + 1
        return data[:end]


def _bytes(data: bytes | None) -> bytes:
    """pyoxigraph's serializers return bytes when given no output; say so to the type checker."""
    assert data is not None
    return data


def _capped_tsv(result: ox.QuerySolutions, max_rows: int) -> tuple[bytes, int, bool]:
    """The header and at most ``max_rows`` rows as TSV, the row count, and whether rows were left out."""
    sink = _LineBuffer(max_rows + 1)
    try:
        result.serialize(sink, format=ox.QueryResultsFormat.TSV)
    except _Full:
        return sink.head(), max_rows, True
    return sink.getvalue(), sink.lines - 1, False


def respond(request: Request, rendered: Rendered) -> Response:
    """The HTTP answer for a rendered result; the access log reads its size from the request state."""
    request.state.result_count = rendered.count
    headers = {"Vary": "Accept"}
    if rendered.truncated:
        headers["X-KG-Truncated"] = "true"
    return Response(rendered.body, media_type=rendered.media_type, headers=headers)


def clear_frames(exc: BaseException) -> None:
    """Drop the locals of every finished frame in ``exc``'s tracebacks, causes and contexts included.

    pyoxigraph results may only be freed on the thread that made them; a worker that
    fails calls this before the exception travels to the event loop.
    """
    pending: list[BaseException | None] = [exc]
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        pending += [current.__cause__, current.__context__]
