"""Regressions of the attack trial (issue 11): the SERVICE allowlist, query memory, failing SERVICE calls.

Every test runs the real server under uvicorn on loopback and a recording HTTP
server standing for an outside host; a SERVICE call that gets through shows up
in its log.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, Namespace, URIRef

from kg.api import create_app
from kg.api.protocol import SparqlRequest
from kg.api.sandbox import resident_mb
from kg.api.tasks import execute_query
from kg.api.workers import QueryPool
from kg.api.writer import StoreWriter
from kg.config import Settings
from kg.errors import KgError
from kg.store.graphs import KgStore
from tests.conftest import quads_on_disk
from tests.live import LiveServer, Recorder, recording_server

pytestmark = pytest.mark.slow

EX = Namespace("https://example.org/")
G1 = URIRef("https://example.org/graph/1")
TOKEN = "a-long-enough-test-token-0123456789"
MEMORY_MB = 400
BOMB = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"


@pytest.fixture(scope="module")
def outside() -> Iterator[str]:
    """``host:port`` of the recording server on loopback."""
    with recording_server() as hostport:
        yield hostport


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KgStore]:
    g = Graph()
    for i in range(3000):  # 9 M pairs to sort for BOMB: far past MEMORY_MB
        g.add((EX[f"s{i}"], EX.value, Literal(f"value number {i} " * 3)))
    with KgStore(tmp_path_factory.mktemp("attack") / "store") as kg_store:
        kg_store.put_graph(G1, g)
        yield kg_store


def _server(store: KgStore, **overrides: Any) -> LiveServer:
    options: dict[str, Any] = {
        "store": store.path,
        "query_workers": 2,
        "query_timeout_s": 20,
        "update_token": TOKEN,
        "query_memory_mb": MEMORY_MB,
        **overrides,
    }
    return LiveServer(create_app(Settings(**options), store))


@pytest.fixture(scope="module")
def closed(store: KgStore) -> Iterator[tuple[LiveServer, str]]:
    """A server with an empty SERVICE allowlist (the default)."""
    server = _server(store)
    with server as root:
        yield server, root


@pytest.fixture(scope="module")
def federating(store: KgStore, outside: str) -> Iterator[str]:
    """A server whose allowlist names the recorder's host on another port only, and the recorder under /ok."""
    host = outside.split(":", maxsplit=1)[0]
    with _server(store, service_allowlist=[f"{host}:9"]) as root:
        yield root


# -- defect 1: the SERVICE/LOAD allowlist -----------------------------------------------------------------

_PREFIX = "PREFIX ex: <http://example.org/> "
_WRAPPERS = [
    "{call}",
    "OPTIONAL {{ {call} }}",
    "FILTER EXISTS {{ {call} }}",
    "FILTER NOT EXISTS {{ {call} }}",
    "{{ SELECT * WHERE {{ {call} }} }}",
    "{{ ?s ?p ?o }} UNION {{ {call} }}",
    "MINUS {{ {call} }}",
    "GRAPH ?g {{ {call} }}",
    "OPTIONAL {{ {{ SELECT ?c WHERE {{ FILTER EXISTS {{ {call} }} }} }} }}",
]
_LEADS = [
    "",
    " ",
    "\n",
    "\t",
    ".",
    " . ",
    "#c\n",
    "# SERVICE in a comment\n",
    "?s ?p ?o.",
    "?s ?p ?o .",
    "BIND(1 AS ?x) .",
    "BIND(1 AS ?x)",
    "BIND(ex:a\\' AS ?x) ",
    "BIND(ex:a\\# AS ?x) ",
    "BIND('it\\'s' AS ?y) ",
    'BIND("a # b" AS ?y) ',
    "BIND('''multi\nline''' AS ?y) ",
    "FILTER(?x != 'z') ",
]


def _keyword(draw: st.DrawFn, word: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    return "".join(c.lower() if flip else c for c, flip in zip(word, flips, strict=True))


@st.composite
def _spellings(draw: st.DrawFn, hostport: str) -> str:
    """A query whose SERVICE call targets the recorder, spelled one of many ways."""
    head = ""
    form = draw(st.sampled_from(["iri", "prefixed", "escaped", "base", "base-dot", "uchar"]))
    if form == "iri":
        target = f"<http://{hostport}/x>"
    elif form == "prefixed":
        head = f"PREFIX p: <http://{hostport}/> "
        target = "p:x"
    elif form == "escaped":
        head = f"PREFIX p: <http://{hostport}/> "
        target = draw(st.sampled_from(["p:a\\.b", "p:a\\'b", "p:a\\#b", "p:a\\/b", "p:\\?q", "p:a\\~b"]))
    elif form == "base":
        head = f"BASE <http://{hostport}/dir/> "
        target = draw(st.sampled_from(["<x>", "<../x>", "<>", "<?q=1>"]))
    elif form == "base-dot":
        head = f"BASE <http://{hostport}/> PREFIX p: <sub/> "
        target = "p:x"
    else:
        target = f"<http://{hostport}/\\u0078>"
    silent = draw(st.sampled_from(["", " SILENT", " silent", "\tSiLeNt"]))
    space = draw(st.sampled_from([" ", "\n", "\t", "#c\n", ""]))
    call = f"{_keyword(draw, 'SERVICE')}{silent}{space}{target} {{ ?c ?b ?d }}"
    lead = draw(st.sampled_from(_LEADS))
    body = draw(st.sampled_from(_WRAPPERS)).format(call=call)
    select = draw(st.sampled_from(["SELECT * WHERE", "select *", "ASK", "CONSTRUCT WHERE"]))
    if select == "CONSTRUCT WHERE":
        body = body if body.startswith("{") else call
        return f"{_PREFIX}{head}CONSTRUCT {{ ?c ?b ?d }} WHERE {{ {lead}{body} }}"
    return f"{_PREFIX}{head}{select} {{ {lead}{body} }}"


@settings(
    max_examples=2000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_generated_service_spellings_never_reach_an_outside_host(
    data: st.DataObject, closed: tuple[LiveServer, str], federating: str, outside: str
) -> None:
    query = data.draw(_spellings(outside))
    Recorder.seen.clear()
    root = data.draw(st.sampled_from([closed[1], federating]))
    response = httpx.post(f"{root}/sparql", data={"query": query}, timeout=30)
    assert response.status_code in (400, 403, 502), (query, response.status_code, response.text)
    assert Recorder.seen == [], f"a SERVICE call reached the outside host: {query!r}"


@pytest.mark.parametrize(
    "spelling",
    [
        "SELECT * WHERE {{ BIND(1 AS ?x) .SERVICE <http://{h}/x> {{ ?c ?b ?d }} }}",
        "SELECT * WHERE {{ ?s ?p ?o.SERVICE <http://{h}/x> {{ ?c ?b ?d }} }}",
        (
            "PREFIX ex: <http://e/> SELECT * WHERE {{ BIND(ex:a\\' AS ?x) SERVICE <http://{h}/x> {{ ?c ?b ?d }} "
            "FILTER(?x != 'z') }}"
        ),
        "PREFIX ex: <http://e/> SELECT * WHERE {{ BIND(ex:a\\# AS ?x) SERVICE <http://{h}/x> {{ ?c ?b ?d }} }}",
    ],
)
def test_the_service_spellings_of_the_attack_trial_are_refused(
    spelling: str, closed: tuple[LiveServer, str], outside: str
) -> None:
    Recorder.seen.clear()
    response = httpx.post(f"{closed[1]}/sparql", data={"query": spelling.format(h=outside)}, timeout=30)
    assert response.status_code == 403, response.text
    assert Recorder.seen == []


def test_load_hidden_behind_a_prefixed_name_escape_is_refused(closed: tuple[LiveServer, str], outside: str) -> None:
    update = (
        f"PREFIX ex: <http://e/> INSERT DATA {{ ex:a\\' ex:p 'x' }} ; "
        f"LOAD <http://{outside}/data.ttl> INTO GRAPH <http://g/>"
    )
    Recorder.seen.clear()
    response = httpx.post(
        f"{closed[1]}/sparql", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
    )
    assert response.status_code == 403, response.text
    assert Recorder.seen == []


def test_a_query_worker_cannot_reach_the_network_even_if_the_check_is_bypassed(store: KgStore, outside: str) -> None:
    """Defence in depth: the worker itself refuses to connect, with an empty allowlist and with another port."""

    async def run(allowlist: list[str]) -> str:
        pool = QueryPool(store.path, 1, 20, allowlist=allowlist, memory_mb=MEMORY_MB)
        await pool.start()
        try:
            query = SparqlRequest(f"SELECT * WHERE {{ SERVICE <http://{outside}/x> {{ ?a ?b ?c }} }}")
            await pool.run(execute_query, query, None, Settings(store=store.path), federated=True)
        except KgError as exc:
            return str(exc)
        finally:
            pool.close()
        return "answered"

    store.publish_snapshot()
    for allowlist in ([], [f"{outside.split(':', maxsplit=1)[0]}:9"]):
        Recorder.seen.clear()
        outcome = asyncio.run(run(allowlist))
        assert "Permission denied" in outcome, outcome
        assert Recorder.seen == [], f"the worker reached the outside host with allowlist {allowlist}"


def test_the_allowlist_matches_host_and_port(store: KgStore, outside: str) -> None:
    host, port = outside.split(":")
    query = f"SELECT * WHERE {{ SERVICE <http://{outside}/x> {{ ?a ?b ?c }} }}"
    with _server(store, service_allowlist=[host]) as root:  # the bare host: only its default port
        Recorder.seen.clear()
        assert httpx.get(f"{root}/sparql", params={"query": query}, timeout=30).status_code == 403
        assert Recorder.seen == []
    with _server(store, service_allowlist=[f"{host}:{port}"]) as root:
        Recorder.seen.clear()
        response = httpx.get(f"{root}/sparql", params={"query": query}, timeout=30)
        assert response.status_code == 200, response.text
        assert Recorder.seen == ["/x"]


# -- defect 7 (part): a failing SERVICE call -------------------------------------------------------------


def test_a_failing_service_call_is_a_502_with_the_remote_error(store: KgStore, outside: str) -> None:
    host = outside.split(":", maxsplit=1)[0]
    closed_port = _free_port()
    with _server(store, service_allowlist=[outside, f"{host}:{closed_port}"]) as root:
        for target in (f"http://{outside}/bad", f"http://{host}:{closed_port}/refused"):
            query = f"SELECT * WHERE {{ SERVICE <{target}> {{ ?a ?b ?c }} }}"
            response = httpx.get(f"{root}/sparql", params={"query": query}, timeout=30)
            assert response.status_code == 502, (target, response.status_code, response.text)
            assert "SERVICE call" in response.text


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# -- defect 2: query memory -------------------------------------------------------------------------------


def test_a_memory_bomb_is_answered_503_while_another_client_is_answered(closed: tuple[LiveServer, str]) -> None:
    server, root = closed
    pool: QueryPool = server.server.config.app.state.pool  # type: ignore[attr-defined]
    peak = {"mb": 0.0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            for pid in pool.pids():
                peak["mb"] = max(peak["mb"], resident_mb(pid))
            time.sleep(0.002)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    outcome: dict[str, httpx.Response] = {}
    bomb = threading.Thread(
        target=lambda: outcome.update(bomb=httpx.get(f"{root}/sparql", params={"query": BOMB}, timeout=60))
    )
    started = time.monotonic()
    bomb.start()
    time.sleep(0.3)
    other = httpx.get(
        f"{root}/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
        headers={"Accept": "text/csv"},
        timeout=30,
    )
    bomb.join(60)
    elapsed = time.monotonic() - started
    stop.set()
    sampler.join()
    assert other.status_code == 200 and other.text.split()[-1] == "3000", other.text
    response = outcome["bomb"]
    assert response.status_code == 503, response.text
    assert "KG_QUERY_MEMORY_MB" in response.text
    assert elapsed < 20, f"the bomb took {elapsed:.1f} s, past the time limit"
    assert 0 < peak["mb"] < MEMORY_MB, f"a worker's resident size peaked at {peak['mb']:.0f} MiB"
    for _ in range(500):  # the killed worker is replaced
        if len(pool.pids()) == 2:
            break
        time.sleep(0.02)
    assert len(pool.pids()) == 2
    again = httpx.get(f"{root}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert again.status_code == 200


# -- defect 5: a writer killed before it published ---------------------------------------------------------

_KILLED_WRITER = """
import os, signal, sys
from rdflib import Graph, Literal, Namespace, URIRef
from kg.store.graphs import KgStore
EX = Namespace("https://example.org/")
store = KgStore(sys.argv[1], snapshot_interval_s=None)  # never publishes, like an ingest killed between snapshots
g = Graph()
g.add((EX.late, EX.value, Literal("committed before the kill")))
store.put_graph(URIRef("https://example.org/graph/late"), g)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_commits_of_a_killed_writer_are_served_without_a_restart(tmp_path: Any) -> None:
    import subprocess
    import sys

    path = tmp_path / "store"
    with KgStore(path) as kg_store:
        kg_store.put_graph(G1, Graph().add((EX.early, EX.value, Literal(1))))
    ask = {"query": "ASK { GRAPH <https://example.org/graph/late> { ?s ?p ?o } }"}
    with LiveServer(create_app(Settings(store=path, query_workers=1))) as root:
        assert httpx.get(f"{root}/sparql", params=ask, headers={"Accept": "text/csv"}).text.strip() == "false"
        killed = subprocess.run([sys.executable, "-c", _KILLED_WRITER, str(path)], check=False)
        assert killed.returncode == -9
        deadline = time.monotonic() + 30
        answer = ""
        while time.monotonic() < deadline:
            answer = httpx.get(f"{root}/sparql", params=ask, headers={"Accept": "text/csv"}).text.strip()
            if answer == "true":
                break
            time.sleep(0.5)
        assert answer == "true", "the killed writer's commit was not served within 30 s"


# -- defect 3: authorised writes had no time limit and ran in the server process -------------------------

WRITE_LIMIT_S = 3.0
_ENDLESS_DELETE = (
    "DELETE { GRAPH ?g { ?a ?b ?c } } WHERE { GRAPH ?g { ?a ?b ?c . ?d ?e ?f . ?h ?i ?j } "
    "FILTER(STRLEN(CONCAT(STR(?c), STR(?f), STR(?j))) < 0) }"
)
"""A cartesian DELETE that runs for hours in constant memory (27 billion rows, none kept)."""
_CARTESIAN_DELETE = "DELETE { GRAPH ?g { ?a ?b ?c } } WHERE { GRAPH ?g { ?a ?b ?c . ?d ?e ?f } }"
"""The attack trial's DELETE: Oxigraph gathers its 9 M rows before deleting (3.5 GB), then empties the graph."""


@pytest.fixture
def on_disk(tmp_path: Any) -> Any:
    """A closed on-disk store of 3,000 triples (the server gets its path, not an open store)."""
    g = Graph()
    for i in range(3000):
        g.add((EX[f"s{i}"], EX.value, Literal(f"value number {i} " * 3)))
    path = tmp_path / "store"
    with KgStore(path) as kg_store:
        kg_store.put_graph(G1, g)
    return path


def _stopped_write_leaves_store_unchanged(path: Any, update: str, limit_name: str, limit_s: float) -> None:
    before = quads_on_disk(path)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    settings = Settings(
        store=path, query_workers=1, query_timeout_s=limit_s, update_token=TOKEN, query_memory_mb=MEMORY_MB
    )
    with LiveServer(create_app(settings)) as root, httpx.Client(base_url=root, timeout=60) as http:
        outcome: dict[str, httpx.Response] = {}
        started = time.monotonic()
        delete = threading.Thread(
            target=lambda: outcome.update(
                delete=http.post(
                    "/sparql", content=update.encode(), headers={**auth, "Content-Type": "application/sparql-update"}
                )
            )
        )
        delete.start()
        time.sleep(0.5)
        put = http.put(
            "/store",
            params={"graph": str(EX["graph/after"])},
            content=b"<urn:a> <urn:b> <urn:c> .",
            headers={**auth, "Content-Type": "application/n-triples"},
        )
        put_done = time.monotonic() - started
        delete.join(60)
        response = outcome["delete"]
        assert response.status_code == 503, response.text
        assert limit_name in response.text, response.text
        assert put.status_code == 201, put.text
        assert put_done < limit_s + 5, f"the PUT behind the stopped write took {put_done:.1f} s"
        count = http.get(
            "/sparql",
            params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}"},
            headers={"Accept": "text/csv"},
        )
        assert count.text.split()[-1] == "3000", "the served snapshot lost triples of the stopped write"
    after = quads_on_disk(path)
    assert before <= after and len(after - before) == 1, "the stopped write changed the store"


def test_defect3_update_has_time_limit_and_never_commits(on_disk: Any) -> None:
    """A cartesian DELETE is stopped at KG_QUERY_TIMEOUT_S (503), commits nothing, and a PUT behind it is served."""
    _stopped_write_leaves_store_unchanged(on_disk, _ENDLESS_DELETE, "KG_QUERY_TIMEOUT_S", WRITE_LIMIT_S)


def test_defect3_update_has_memory_limit_and_never_commits(on_disk: Any) -> None:
    """The attack trial's cartesian DELETE outgrows the writer's memory cap: 503, the graph keeps its triples."""
    _stopped_write_leaves_store_unchanged(on_disk, _CARTESIAN_DELETE, "KG_QUERY_MEMORY_MB", 30)


def test_defect3_writes_run_outside_the_server_process(on_disk: Any) -> None:
    """The writer is a process of its own, replaced when killed, confined like the query workers (no network)."""
    settings = Settings(
        store=on_disk, query_workers=1, query_timeout_s=WRITE_LIMIT_S, update_token=TOKEN, query_memory_mb=MEMORY_MB
    )
    app = create_app(settings)
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    with LiveServer(app) as root, httpx.Client(base_url=root, timeout=60) as http:
        writer = app.state.writer
        insert = f"INSERT DATA {{ GRAPH <{EX['graph/w']}> {{ <{EX.a}> <{EX.b}> 'c' }} }}"
        assert http.post("/sparql", content=insert.encode(), headers=auth).status_code == 204
        first = writer.pid()
        assert first is not None and first != os.getpid()
        assert http.post("/sparql", content=_ENDLESS_DELETE.encode(), headers=auth).status_code == 503
        assert http.post("/sparql", content=insert.encode(), headers=auth).status_code == 204
        second = writer.pid()
        assert second is not None and second not in (first, os.getpid())
    assert len(quads_on_disk(on_disk)) == 3001


def test_defect3_the_writer_cannot_reach_the_network_even_if_the_check_is_bypassed(on_disk: Any, outside: str) -> None:
    """Defence in depth for LOAD: the writer process itself refuses to connect (empty allowlist, or another port)."""

    async def run(allowlist: list[str]) -> str:
        writer = StoreWriter(
            Settings(store=on_disk, update_token=TOKEN, service_allowlist=allowlist, query_memory_mb=MEMORY_MB)
        )
        await writer.start()
        try:
            await writer.write(KgStore.update, f"LOAD <http://{outside}/data.ttl> INTO GRAPH <{EX.loaded}>")
        except KgError as exc:
            return str(exc)
        finally:
            writer.close()
        return "loaded"

    for allowlist in ([], [f"{outside.split(':', maxsplit=1)[0]}:9"]):
        Recorder.seen.clear()
        outcome = asyncio.run(run(allowlist))
        assert "Permission denied" in outcome, outcome
        assert Recorder.seen == [], f"the writer reached the outside host with allowlist {allowlist}"


# -- defect 7: HEAD and OPTIONS --------------------------------------------------------------------------

BASE = Namespace("https://w3id.org/osint-kg/id/")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FastAPI, str]]:
    """A server with writes on, over a store with an actor and an event under the default base IRI."""
    from rdflib import RDF, RDFS

    from kg.vocab.namespaces import SEM

    g = Graph()
    g.add((BASE["actor/jnim"], RDFS.label, Literal("JNIM")))
    g.add((BASE["event/attack/2024-09-17/bamako"], RDF.type, SEM.Event))
    g.add((BASE["event/attack/2024-09-17/bamako"], SEM.hasActor, BASE["actor/jnim"]))
    path = tmp_path_factory.mktemp("pages") / "store"
    with KgStore(path) as kg_store:
        kg_store.put_graph(G1, g)
    app = create_app(Settings(store=path, query_workers=1, update_token=TOKEN))
    with LiveServer(app) as root:
        yield app, root


def _get_urls(app: FastAPI) -> list[str]:
    """A URL for every GET route of the app (path parameters filled in), plus the query forms of /sparql."""
    from starlette.routing import Route

    from kg.api.methods import _flat

    paths = sorted(
        {route.path for route in _flat(app.routes) if isinstance(route, Route) and "GET" in (route.methods or ())}
    )
    urls = [
        p.replace("{path:path}", "actor/jnim")
        .replace("{path}", "actor/jnim")
        .replace("{name:path}", "app.js")
        .replace("{name}", "app.js")
        for p in paths
    ]
    return [
        *urls,
        "/osint-kg/id/event/attack/2024-09-17/bamako",
        "/osint-kg/id/actor/nobody",
        "/sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
        "/sparql?query=bad",
        f"/store?graph={G1}",
        "/store?default",
        "/store?graph=https://example.org/none",
    ]


def test_defect7_head_works_wherever_get_does(pages: tuple[FastAPI, str]) -> None:
    app, root = pages
    urls = _get_urls(app)
    assert "/osint-kg/id/actor/jnim" in urls and "/sparql" in urls and "/.well-known/void" in urls
    with httpx.Client(base_url=root, timeout=30) as http:
        for url in urls:
            for accept in ("text/html", "text/turtle"):
                got = http.get(url, headers={"Accept": accept})
                head = http.head(url, headers={"Accept": accept})
                assert head.status_code == got.status_code, (url, accept, head.status_code, got.status_code)
                assert head.content == b"", url
                assert head.headers.get("content-type") == got.headers.get("content-type"), url
                again = http.get(url, headers={"Accept": accept})
                if "content-length" in got.headers and again.content == got.content:
                    # the same length as GET's, where GET's representation is stable (the service description
                    # of /sparql carries live figures and may change by a byte between two requests)
                    assert head.headers["content-length"] == got.headers["content-length"], url
        page = http.head("/osint-kg/id/actor/jnim", headers={"Accept": "text/html"})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert http.head(f"/store?graph={G1}").status_code == 200
        assert http.head("/store?graph=https://example.org/none").status_code == 404


@pytest.mark.parametrize(
    ("path", "allow"),
    [
        ("/store", "GET, HEAD, PUT, POST, DELETE"),
        ("/sparql", "GET, HEAD, POST"),
        ("/osint-kg/id/actor/jnim", "GET, HEAD"),
        ("/.well-known/void", "GET, HEAD"),
        ("/api/queries", "GET, HEAD"),
    ],
)
def test_defect7_options_and_405_name_the_methods_of_each_path(
    pages: tuple[FastAPI, str], path: str, allow: str
) -> None:
    root = pages[1]
    options = httpx.options(root + path, timeout=30)
    assert options.status_code == 204 and options.headers["allow"] == allow, (options.status_code, options.headers)
    refused = httpx.request("PATCH", root + path, timeout=30)
    assert refused.status_code == 405 and refused.headers["allow"] == allow
    assert allow in refused.text
