"""The one exception tree of osint-kg.

    KgError
     ├── ConfigError          bad settings (base IRI, paths, reliability grades)
     ├── IngestError          a file cannot be read or parsed; names the file
     │    └── MetadataError   a meta.jsonl sidecar line is malformed
     ├── ExtractionError      the NLP pipeline failed on a document
     ├── ShapeViolation       a document graph failed SHACL; carries the report
     ├── StoreError           the on-disk store cannot be opened or written
     │    └── StoreLockedError another process holds the store
     ├── RequestError         a request cannot be answered as asked (400 at the HTTP edge)
     │    ├── QueryError      a SPARQL query is malformed or cannot run
     │    │    └── RemoteServiceError a SERVICE call to an allowlisted endpoint failed (502)
     │    ├── NotFound        the request names something the store does not hold (404)
     │    └── NotAcceptable   no format the client accepts can carry the answer (406)
     ├── LimitReached         a request hit a limit of the server (503: try later)
     │    ├── QueryTimeout    a query (or write) ran past its time limit, or no worker was free
     │    └── QueryMemoryError a query (or write) outgrew the memory of its worker process
     └── PushError            a graph could not be sent to a remote store; names the graph and status

Library code raises these; only the edges (CLI, HTTP API) turn them into exit
codes or status codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ConfigError",
    "ExtractionError",
    "IngestError",
    "KgError",
    "LimitReached",
    "MetadataError",
    "NotAcceptable",
    "NotFound",
    "PushError",
    "QueryError",
    "QueryMemoryError",
    "QueryTimeout",
    "RemoteServiceError",
    "RequestError",
    "ShapeViolation",
    "StoreError",
    "StoreLockedError",
]


class KgError(Exception):
    """Base class of every error osint-kg raises on purpose."""


class ConfigError(KgError):
    """Settings are missing or invalid."""


class IngestError(KgError):
    """A source file cannot be read; the message names the file and the problem."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class MetadataError(IngestError):
    """A line of a metadata sidecar is malformed."""


class ExtractionError(KgError):
    """The extraction pipeline failed on a document."""


@dataclass(frozen=True)
class Violation:
    """One SHACL result, flattened for people."""

    focus: str
    path: str | None
    message: str
    severity: str

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{self.severity}: {self.focus}{where}: {self.message}"


class ShapeViolation(KgError):
    """A document graph does not conform to the SHACL shapes."""

    def __init__(self, document: str, violations: list[Violation], report_text: str) -> None:
        self.document = document
        self.violations = violations
        self.report_text = report_text
        first = "; ".join(str(v) for v in violations[:3])
        more = f" (and {len(violations) - 3} more)" if len(violations) > 3 else ""
        super().__init__(f"{document}: fails SHACL: {first}{more}")


class StoreError(KgError):
    """The on-disk store cannot be opened, read or written."""


class StoreLockedError(StoreError):
    """Another process (a running `kg serve` or `kg ingest`) holds the store."""


class RequestError(KgError):
    """A request cannot be answered as asked: a bad value, an unknown name, a format nobody can give."""


class QueryError(RequestError):
    """A SPARQL query is malformed or cannot be evaluated."""


class NotFound(RequestError):
    """The request names a graph or resource the store does not hold."""


class NotAcceptable(RequestError):
    """None of the formats the client accepts can carry the answer; the message lists those that can."""


class RemoteServiceError(QueryError):
    """A ``SERVICE`` call failed: the remote endpoint refused, timed out or sent an unreadable answer."""


class LimitReached(KgError):
    """A request reached a limit of the server (time, memory, busy workers); the client may try again later."""


class QueryTimeout(LimitReached):
    """A query ran past its time limit and was stopped."""


class QueryMemoryError(LimitReached):
    """A query outgrew the memory a query worker may use (``KG_QUERY_MEMORY_MB``) and was stopped."""


class PushError(KgError):
    """A graph could not be sent to a remote Graph Store: the message names the graph, the HTTP status and the reply."""

    def __init__(self, message: str, *, graph: str | None = None, status: int | None = None) -> None:
        self.graph = graph
        self.status = status
        super().__init__(message)
