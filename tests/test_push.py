"""kg push over real HTTP: the example store into osint-kg's own server (an empty second store, writes
allowed by token), and into small stand-in stores that fail for a while, always fail, or ask for Basic auth."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import httpx
import pyoxigraph as ox
import pytest
from fastapi import Depends, FastAPI, HTTPException, Response
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from kg.api import create_app
from kg.config import Settings
from kg.errors import PushError
from kg.export.push import PushReport, Remote, graphs_to_push, push, push_store
from kg.pipeline.prepare import IngestReport
from kg.sparql.saved import load_queries
from kg.store.graphs import KgStore
from tests.conftest import PROJECT_ROOT
from tests.live import LiveServer
from tests.sparql_rows import comparable, select_over_http

pytestmark = pytest.mark.slow

TOKEN = "push-test-token-0123456789abcdef"
QUERIES = load_queries(PROJECT_ROOT / "queries")
COMPARED = ["conflicting_figures", "events_by_actor", "unlinked_entities"]  # all eight run against Virtuoso
BasicCredentials = Annotated[HTTPBasicCredentials, Depends(HTTPBasic())]


def _quads(store: KgStore) -> set[ox.Quad]:
    """Every quad of the store (the article graphs have no blank nodes, so sets compare them exactly)."""
    buffer = io.BytesIO()
    store.dump(buffer, ox.RdfFormat.N_QUADS)
    quads = set(ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_QUADS))
    assert not any(isinstance(term, ox.BlankNode) for quad in quads for term in (quad.subject, quad.object))
    return quads


def _writable_server(path: Path, store: KgStore | None = None, token: str | None = TOKEN) -> LiveServer:
    """kg serve on ``path`` with Graph Store writes allowed for ``token`` (read-only if None)."""
    return LiveServer(create_app(Settings(store=path, update_token=token, query_workers=1), store))


@dataclass
class Pushed:
    source: KgStore
    remote: KgStore
    root: str
    first: PushReport
    second: PushReport
    after_first: set[ox.Quad]


@pytest.fixture(scope="module")
def pushed(example_build: tuple[Settings, IngestReport], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pushed]:
    """The example store pushed twice into kg serve on an empty store. The source stays open (held) meanwhile."""
    remote_path = tmp_path_factory.mktemp("push") / "remote"
    with (
        KgStore(example_build[0].store) as source,
        KgStore(remote_path) as remote,
        _writable_server(remote_path, remote) as root,
    ):
        target = Remote(root + "/store", token=TOKEN)
        first = push_store(source, target)
        after_first = _quads(remote)
        second = push_store(source, target)
        yield Pushed(source, remote, root, first, second, after_first)


@pytest.fixture
def source(pushed: Pushed) -> KgStore:
    """The example store, as the module holds it open (``source`` cannot open it meanwhile)."""
    return pushed.source


def test_pushing_twice_leaves_the_remote_with_exactly_the_local_quads(pushed: Pushed) -> None:
    graphs = pushed.source.named_graphs()
    assert len(graphs) > 2 and {g.rsplit("/", 1)[-1] for g in graphs} >= {"kb", "ontology"}
    assert sorted(pushed.first.created) == graphs and pushed.first.replaced == []
    assert pushed.second.created == [] and sorted(pushed.second.replaced) == graphs
    local = _quads(pushed.source)
    assert pushed.after_first == local
    assert _quads(pushed.remote) == local  # the second push changed nothing, and duplicated nothing
    assert len(pushed.remote) == len(pushed.source)
    assert pushed.first.bytes_sent == pushed.second.bytes_sent > 0
    assert pushed.first.retries == pushed.second.retries == 0


@pytest.mark.parametrize("name", COMPARED)
def test_an_analyst_query_gives_the_same_rows_locally_and_on_the_remote(pushed: Pushed, name: str) -> None:
    text = QUERIES[name].text
    result = pushed.source.query(text)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    local = comparable(text, names, [tuple(row[n] for n in names) for row in result])
    with httpx.Client(timeout=60) as client:
        remote = comparable(text, *select_over_http(client, pushed.root + "/sparql", text))
    assert sum(local.values()) > 0
    assert remote == local


def test_the_remote_serves_a_pushed_graph_over_the_graph_store_protocol(pushed: Pushed) -> None:
    graph = graphs_to_push(pushed.source, include_reference=False)[0]
    with httpx.Client(timeout=30) as client:
        response = client.get(
            pushed.root + "/store", params={"graph": graph}, headers={"Accept": "application/n-triples"}
        )
    assert response.status_code == 200
    served = {quad.triple for quad in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)}
    local = {quad.triple for quad in _quads(pushed.source) if quad.graph_name == ox.NamedNode(graph)}
    assert served == local and local


def test_without_reference_graphs_only_article_graphs_are_pushed(source: KgStore, tmp_path: Path) -> None:
    articles = graphs_to_push(source, include_reference=False)
    assert articles and len(articles) == len(source.named_graphs()) - 2
    with KgStore(tmp_path / "remote") as remote, _writable_server(remote.path, remote) as root:
        report = push_store(source, Remote(root + "/store", token=TOKEN), include_reference=False)
        assert sorted(report.created) == articles
        assert remote.named_graphs() == articles


def test_a_push_replaces_whatever_the_remote_held_in_a_graph(source: KgStore, tmp_path: Path) -> None:
    graph = graphs_to_push(source, include_reference=False)[0]
    stale = b"<https://example.org/stale> <https://example.org/was> <https://example.org/here> .\n"
    with KgStore(tmp_path / "remote") as remote, _writable_server(remote.path, remote) as root:
        remote.put_ntriples(graph, stale)
        report = push_store(source, Remote(root + "/store", token=TOKEN), include_reference=False)
        held = {quad for quad in _quads(remote) if quad.graph_name == ox.NamedNode(graph)}
    assert report.replaced == [graph] and graph not in report.created
    assert held == {quad for quad in _quads(source) if quad.graph_name == ox.NamedNode(graph)}


def test_a_wrong_token_is_refused_with_a_clear_error_and_changes_nothing(source: KgStore, tmp_path: Path) -> None:
    wrong = "not-the-token-but-long-enough"
    with KgStore(tmp_path / "remote") as remote, _writable_server(remote.path, remote) as root:
        with pytest.raises(PushError) as caught:
            push_store(source, Remote(root + "/store", token=wrong), backoff_s=0)
        assert len(remote) == 0 and remote.named_graphs() == []
    first = source.named_graphs()[0]
    assert caught.value.status == 401 and caught.value.graph == first
    message = str(caught.value)
    assert f"<{first}>" in message and "HTTP 401" in message and "bearer token" in message
    assert wrong not in message


def test_a_read_only_server_refuses_with_403_and_says_why(source: KgStore, tmp_path: Path) -> None:
    with KgStore(tmp_path / "remote") as remote, _writable_server(remote.path, remote, token=None) as root:
        with pytest.raises(PushError) as caught:
            push_store(source, Remote(root + "/store", token=TOKEN), backoff_s=0)
        assert len(remote) == 0
    assert caught.value.status == 403 and "read-only" in str(caught.value)


# -- stand-in stores: small real HTTP servers that answer PUT as a failing or Basic-auth store would ----


def _flaky_store(failures: int, status: int = 503) -> tuple[FastAPI, Counter[str]]:
    """Answers ``status`` to the first ``failures`` PUTs of each graph, then 201; counts PUTs per graph."""
    app, puts = FastAPI(), Counter[str]()

    @app.put("/store")
    async def put(graph: str) -> Response:
        puts[graph] += 1
        if puts[graph] <= failures:
            return Response(f"store busy with graph {puts[graph]}", status_code=status, media_type="text/plain")
        return Response(status_code=201)

    return app, puts


def test_transient_errors_are_retried_until_the_graph_is_stored(source: KgStore) -> None:
    app, puts = _flaky_store(failures=2)
    with LiveServer(app) as root:
        report = push_store(source, Remote(root + "/store"), retries=2, backoff_s=0)
    graphs = source.named_graphs()
    assert sorted(report.created) == graphs
    assert report.retries == 2 * len(graphs)
    assert puts == Counter({graph: 3 for graph in graphs})


def test_a_store_that_keeps_failing_stops_the_push_after_the_retries(source: KgStore) -> None:
    app, puts = _flaky_store(failures=100, status=500)
    with LiveServer(app) as root, pytest.raises(PushError) as caught:
        push_store(source, Remote(root + "/store"), retries=3, backoff_s=0)
    first = source.named_graphs()[0]
    assert caught.value.status == 500 and caught.value.graph == first
    assert "HTTP 500 Internal Server Error (after 4 attempts)" in str(caught.value)
    assert "store busy with graph 4" in str(caught.value)  # the remote's own words
    assert puts == Counter({first: 4})  # stopped at the first graph


def test_a_client_error_is_not_retried(source: KgStore) -> None:
    app, puts = _flaky_store(failures=100, status=415)
    with LiveServer(app) as root, pytest.raises(PushError) as caught:
        push_store(source, Remote(root + "/store"), retries=3, backoff_s=0)
    assert caught.value.status == 415 and "does not accept N-Triples" in str(caught.value)
    assert sum(puts.values()) == 1


def test_an_unreachable_store_is_named_in_the_error(source: KgStore) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    with pytest.raises(PushError) as caught:
        push_store(source, Remote(f"http://127.0.0.1:{port}/store"), retries=1, backoff_s=0)
    assert caught.value.status is None
    assert f"http://127.0.0.1:{port}/store: no answer after 2 attempt(s): ConnectError" in str(caught.value)


def _basic_auth_store(user: str, password: str) -> tuple[FastAPI, list[str]]:
    """Stores nothing, but checks HTTP Basic credentials as a Fuseki-like store would; records graphs accepted."""
    app, accepted = FastAPI(), list[str]()

    @app.put("/store")
    async def put(graph: str, credentials: BasicCredentials) -> Response:
        if (credentials.username, credentials.password) != (user, password):
            raise HTTPException(401, "wrong user or password", headers={"WWW-Authenticate": "Basic"})
        accepted.append(graph)
        return Response(status_code=201)

    return app, accepted


def test_user_and_password_go_as_basic_auth_when_the_store_asks_for_it(source: KgStore) -> None:
    app, accepted = _basic_auth_store("analyst", "s3cret-pass")
    with LiveServer(app) as root:
        report = push_store(source, Remote(root + "/store", user="analyst", password="s3cret-pass"))
        with pytest.raises(PushError) as caught:
            push_store(source, Remote(root + "/store", user="analyst", password="wrong-pass"))
    assert sorted(accepted) == sorted(report.created) == source.named_graphs()
    assert caught.value.status == 401 and "wrong-pass" not in str(caught.value)


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"endpoint": "ftp://example.org/store"}, "absolute http(s) URL"),
        ({"endpoint": "/store"}, "absolute http(s) URL"),
        ({"endpoint": "http://u:p@example.org/store"}, "must not carry credentials"),
        ({"endpoint": "http://example.org/store", "graph_param": "g"}, "graph, graph-uri"),
        ({"endpoint": "http://example.org/store", "token": "t", "user": "u", "password": "p"}, "not both"),
        ({"endpoint": "http://example.org/store", "user": "u"}, "needs a password"),
    ],
)
def test_a_remote_is_checked_before_anything_is_sent(kwargs: dict[str, str], problem: str) -> None:
    with pytest.raises(PushError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        Remote(**kwargs)


def test_pushing_an_empty_or_missing_store_says_there_is_nothing_to_push(tmp_path: Path) -> None:
    remote = Remote("http://127.0.0.1:9/store")
    with pytest.raises(PushError, match="no store there"):
        push(Settings(store=tmp_path / "missing"), remote)
    KgStore(tmp_path / "empty").close()
    with pytest.raises(PushError, match="holds no graphs"):
        push(Settings(store=tmp_path / "empty"), remote)


# -- the command, run as a user runs it --------------------------------------------------------------


def _kg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "COLUMNS": "200", "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args], env=environ, capture_output=True, text=True, timeout=300, check=False
    )


def test_kg_push_reads_a_held_store_from_its_snapshot_and_replaces_every_graph(pushed: Pushed) -> None:
    # The module's fixture holds the source store open, as a running kg ingest would.
    result = _kg(
        "push", "--endpoint", pushed.root + "/store", "--store", str(pushed.source.path), env={"KG_PUSH_TOKEN": TOKEN}
    )
    graphs = len(pushed.source.named_graphs())
    assert result.returncode == 0, result.stderr
    assert f"pushed {graphs} graphs to {pushed.root}/store: 0 new, {graphs} replaced" in result.stdout
    assert _quads(pushed.remote) == _quads(pushed.source)


def test_kg_push_exits_1_naming_the_graph_and_status(pushed: Pushed) -> None:
    result = _kg(
        "push",
        "--endpoint",
        pushed.root + "/store",
        "--store",
        str(pushed.source.path),
        "--token",
        "a-wrong-token-of-some-length",
    )
    assert result.returncode == 1
    assert "error: PUT <" in result.stderr and "HTTP 401 Unauthorized" in result.stderr
    assert "a-wrong-token-of-some-length" not in result.stdout + result.stderr


def test_kg_push_help_lists_its_options() -> None:
    result = _kg("push", "--help")
    assert result.returncode == 0
    for option in ("--endpoint", "--token", "--user", "--password", "--graph-param", "--no-reference", "--store"):
        assert option in result.stdout
