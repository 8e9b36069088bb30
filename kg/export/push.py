"""``kg push``: send the store's graphs to a remote SPARQL 1.1 Graph Store (``PUT ?graph=IRI``).

Every named graph of the local store (the article graphs and, unless left out,
the reference graphs: ontology and knowledge base) is serialized as N-Triples
and sent with ``PUT ENDPOINT?graph=IRI`` (indirect graph identification). PUT
replaces the remote graph, so a push is idempotent: pushing twice leaves the
remote with the same triples as pushing once, never duplicates. Remote graphs
the local store does not have are left alone.

Every graph is sent each time: the protocol offers no reliable way to learn
whether a remote graph already holds the same triples (ETags are optional, and
stores compute them differently).

Transient failures (connection errors, timeouts, 408, 429, 5xx) are retried
with exponential back-off; PUT is idempotent, so a retry is safe. Any other
answer stops the push with a :class:`~kg.errors.PushError` naming the graph,
the status and the start of the reply; graphs sent before it stay sent.

Credentials are a bearer token (osint-kg's own ``kg serve`` with
``KG_UPDATE_TOKEN``) or a user and password, sent with HTTP Basic or Digest as
the server's challenge asks (Virtuoso's ``/sparql-graph-crud-auth`` wants
Digest). They are never logged nor put into messages.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox
from rdflib import URIRef
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from kg.config import Settings
from kg.errors import PushError, StoreLockedError
from kg.store.graphs import KgStore
from kg.store.snapshots import latest_snapshot
from kg.vocab.prefixes import sparql_prefixes

__all__ = ["GRAPH_PARAMS", "PushReport", "Remote", "graphs_to_push", "push", "push_store"]

ProgressFn = Callable[[int, int, str], None]

GRAPH_PARAMS = ("graph", "graph-uri")
"""Names of the query parameter that names the graph: ``graph`` (the protocol's), ``graph-uri`` (older Virtuoso)."""

N_TRIPLES = "application/n-triples"

_ARTICLE_GRAPHS = (
    sparql_prefixes("kg")
    + """
SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g a kg:ArticleGraph } }
"""
)

_HINTS = {
    401: "the remote wants credentials, or refused them: check --token, or --user and --password",
    403: "the credentials may not write there, or the remote is read-only",
    413: "the graph is larger than the remote accepts in one request",
    415: "the remote does not accept N-Triples",
}


class BearerAuth(httpx.Auth):
    """``Authorization: Bearer <token>`` on every request."""

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


class PasswordAuth(httpx.Auth):
    """HTTP Digest or Basic, whichever the server's first 401 challenge asks for, then kept for the session."""

    def __init__(self, user: str, password: str) -> None:
        self._digest = httpx.DigestAuth(user, password)
        self._basic = httpx.BasicAuth(user, password)
        self._chosen: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._chosen is None:
            response = yield request
            if response.status_code != 401:
                return
            challenges = response.headers.get_list("www-authenticate")
            digest = any(c.lower().startswith("digest ") for c in challenges)
            self._chosen = self._digest if digest else self._basic
        yield from self._chosen.auth_flow(request)


@dataclass(frozen=True)
class Remote:
    """A Graph Store endpoint to push to, with its credentials (a token, or a user and password)."""

    endpoint: str
    token: str | None = field(default=None, repr=False)
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    graph_param: str = "graph"

    def __post_init__(self) -> None:
        try:
            url = httpx.URL(self.endpoint)
        except httpx.InvalidURL as exc:
            raise PushError(f"not a valid endpoint URL: {exc}") from exc
        if url.scheme not in ("http", "https") or not url.host:
            raise PushError(f"the endpoint must be an absolute http(s) URL, not {self.endpoint!r}")
        if url.userinfo:
            raise PushError("the endpoint URL must not carry credentials; give --user and --password instead")
        if self.graph_param not in GRAPH_PARAMS:
            raise PushError(f"the graph parameter must be one of {', '.join(GRAPH_PARAMS)}, not {self.graph_param!r}")
        if self.token is not None and (self.user is not None or self.password is not None):
            raise PushError("give either a token or a user and password, not both")
        if (self.user is None) != (self.password is None):
            raise PushError("a user needs a password, and a password a user")

    def auth(self) -> httpx.Auth | None:
        """The httpx authentication these credentials call for (None: send none)."""
        if self.token is not None:
            return BearerAuth(self.token)
        if self.user is not None and self.password is not None:
            return PasswordAuth(self.user, self.password)
        return None


@dataclass
class PushReport:
    """What a push did: the graphs the remote created or replaced, bytes sent, retries needed."""

    endpoint: str
    created: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    bytes_sent: int = 0
    retries: int = 0

    @property
    def graphs(self) -> list[str]:
        """Every graph pushed."""
        return self.created + self.replaced


def push(
    settings: Settings,
    remote: Remote,
    *,
    include_reference: bool = True,
    progress: ProgressFn | None = None,
    retries: int = 3,
    backoff_s: float = 0.5,
    timeout_s: float = 60.0,
) -> PushReport:
    """Push the store of ``settings`` to ``remote`` (see :func:`push_store`).

    A store that another process is writing (``kg ingest``) is read from its latest snapshot.
    """
    with _open_source(settings.store) as store:
        return push_store(
            store,
            remote,
            include_reference=include_reference,
            progress=progress,
            retries=retries,
            backoff_s=backoff_s,
            timeout_s=timeout_s,
        )


def push_store(
    store: KgStore,
    remote: Remote,
    *,
    include_reference: bool = True,
    progress: ProgressFn | None = None,
    retries: int = 3,
    backoff_s: float = 0.5,
    timeout_s: float = 60.0,
) -> PushReport:
    """PUT every graph of ``store`` (only the article graphs unless ``include_reference``) to ``remote``.

    ``progress(done, total, graph)`` is called before each graph and once at the end. Raises
    :class:`~kg.errors.PushError` on the first graph the remote refuses, or that still fails after
    ``retries`` retries of a transient error (back-off ``backoff_s``, doubled each time).
    """
    graphs = graphs_to_push(store, include_reference=include_reference)
    if not graphs:
        raise PushError(f"{store.path}: the store holds no graphs; nothing to push")
    report = PushReport(remote.endpoint)
    with httpx.Client(auth=remote.auth(), timeout=timeout_s, headers={"User-Agent": "osint-kg push"}) as client:
        for done, graph in enumerate(graphs):
            if progress is not None:
                progress(done, len(graphs), graph)
            body = _ntriples(store, graph)
            status, retried = _put(client, remote, graph, body, retries=retries, backoff_s=backoff_s)
            (report.created if status == 201 else report.replaced).append(graph)
            report.bytes_sent += len(body)
            report.retries += retried
    if progress is not None:
        progress(len(graphs), len(graphs), "")
    return report


def graphs_to_push(store: KgStore, *, include_reference: bool = True) -> list[str]:
    """The named graphs of ``store``, sorted; only those typed ``kg:ArticleGraph`` unless ``include_reference``."""
    graphs = store.named_graphs()
    if include_reference:
        return graphs
    articles = {str(row["g"].value) for row in store.select(_ARTICLE_GRAPHS)}
    return [graph for graph in graphs if graph in articles]


def _ntriples(store: KgStore, graph: str) -> bytes:
    """One graph of the store as N-Triples."""
    buffer = io.BytesIO()
    store.dump(buffer, ox.RdfFormat.N_TRIPLES, graph_name=URIRef(graph))
    return buffer.getvalue()


class _TransientStatus(Exception):
    """A status worth another try (408, 429, 5xx): raised inside the retry loop, never outside it."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def _put(
    client: httpx.Client, remote: Remote, graph: str, body: bytes, *, retries: int, backoff_s: float
) -> tuple[int, int]:
    """PUT one graph, retrying transient failures; (the success status, retries used)."""

    def wait(state: RetryCallState) -> float:
        backoff = backoff_s * 2 ** (state.attempt_number - 1)
        failure = state.outcome.exception() if state.outcome is not None else None
        return _retry_after(failure.response, backoff) if isinstance(failure, _TransientStatus) else backoff

    retrying = Retrying(
        stop=stop_after_attempt(retries + 1),
        wait=wait,
        retry=retry_if_exception_type((httpx.TransportError, _TransientStatus)),
        reraise=True,
    )
    try:
        for attempt in retrying:
            with attempt:
                response = client.put(
                    remote.endpoint,
                    params={remote.graph_param: graph},
                    content=body,
                    headers={"Content-Type": N_TRIPLES},
                )
                if not response.is_success and _transient(response.status_code):
                    raise _TransientStatus(response)
    except httpx.TransportError as exc:
        raise PushError(
            f"PUT <{graph}> to {remote.endpoint}: no answer after {retrying.statistics['attempt_number']} "
            f"attempt(s): {type(exc).__name__}: {exc}",
            graph=graph,
        ) from exc
    except _TransientStatus as exc:
        response = exc.response
    attempts: int = retrying.statistics["attempt_number"]
    if not response.is_success:
        raise PushError(
            _refusal(remote, graph, response, len(body), attempts), graph=graph, status=response.status_code
        )
    return response.status_code, attempts - 1


def _transient(status: int) -> bool:
    return status in (408, 429) or status >= 500


def _retry_after(response: httpx.Response, default: float) -> float:
    """The server's ``Retry-After`` in seconds (at most 60) if it gives a number, else ``default``."""
    value = response.headers.get("retry-after", "").strip()
    return min(float(value), 60.0) if value.isdecimal() else default


def _refusal(remote: Remote, graph: str, response: httpx.Response, size: int, attempts: int) -> str:
    tries = f" (after {attempts} attempts)" if attempts > 1 else ""
    hint = _HINTS.get(response.status_code)
    if response.status_code == 413:
        hint = f"{hint} ({size} bytes)"
    reply = _excerpt(response)
    return (
        f"PUT <{graph}> to {remote.endpoint}: HTTP {response.status_code} {response.reason_phrase}{tries}"
        + (f"; {hint}" if hint else "")
        + (f": {reply}" if reply else "")
    )


def _excerpt(response: httpx.Response, limit: int = 300) -> str:
    """The reply's text on one line, HTML tags dropped, cut to ``limit`` characters."""
    text = response.text
    if "html" in response.headers.get("content-type", ""):
        text = re.sub(r"<[^>]*>", " ", text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


@contextmanager
def _open_source(path: Path) -> Iterator[KgStore]:
    """The store at ``path`` for reading; its latest snapshot if another process is writing it."""
    if not path.is_dir():
        raise PushError(f"{path}: no store there; nothing to push")
    try:
        store = KgStore(path, snapshot_interval_s=None)
    except StoreLockedError:
        snapshot = latest_snapshot(path)
        if snapshot is None:
            raise
        store = KgStore.open_snapshot(snapshot)
    with store:
        yield store
