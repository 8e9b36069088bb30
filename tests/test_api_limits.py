"""Limits over real HTTP: the per-query time limit stops the work, token-guarded writes, serving while ingesting."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from rdflib import Graph, Literal, Namespace, URIRef

from kg.api import create_app
from kg.config import Settings
from kg.store.graphs import KgStore
from tests.conftest import EXAMPLES
from tests.live import LiveServer

pytestmark = pytest.mark.slow

EX = Namespace("https://example.org/")
G1 = URIRef("https://example.org/graph/1")
TOKEN = "a-long-enough-test-token-0123456789"
LIMIT_S = 2.0
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
COUNT_GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _graph(count: int) -> Graph:
    g = Graph()
    for i in range(count):
        g.add((EX[f"s{i}"], EX.value, Literal(i)))
    return g


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KgStore]:
    with KgStore(tmp_path_factory.mktemp("limits") / "store") as kg_store:
        kg_store.put_graph(G1, _graph(200))  # 200⁵ rows to count: far more than any limit allows
        yield kg_store


@pytest.fixture(scope="module")
def app(store: KgStore) -> FastAPI:
    return create_app(Settings(store=store.path, query_timeout_s=LIMIT_S, query_workers=2, update_token=TOKEN), store)


@pytest.fixture(scope="module")
def root(app: FastAPI) -> Iterator[str]:
    with LiveServer(app) as url:
        yield url


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_runaway_query_is_stopped_while_another_client_is_answered(app: FastAPI, root: str) -> None:
    pool = app.state.pool
    before = set(pool.pids())
    assert len(before) == 2
    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        with httpx.Client(timeout=60) as http:
            outcome["response"] = http.get(root + "/sparql", params={"query": CARTESIAN})
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)  # the runaway query is now being evaluated
    with httpx.Client(timeout=10) as http:
        other = http.get(root + "/sparql", params={"query": "SELECT ?s WHERE { ?s ?p 7 }"})
    answered_while_running = thread.is_alive()
    thread.join(30)

    assert other.status_code == 200, other.text
    assert [b["s"]["value"] for b in other.json()["results"]["bindings"]] == [str(EX.s7)]
    assert answered_while_running, "the second client had to wait for the runaway query"
    response = outcome["response"]
    assert isinstance(response, httpx.Response)
    assert response.status_code == 503, response.text
    assert "time limit" in response.text and response.headers["retry-after"]
    assert LIMIT_S <= float(outcome["seconds"]) <= LIMIT_S + 1  # type: ignore[arg-type]

    killed = before - set(pool.pids())
    assert len(killed) == 1, "the worker running the runaway query was not stopped"
    assert not _alive(killed.pop()), "the stopped worker's process still exists"
    for _ in range(300):  # a fresh worker takes its place
        if len(pool.pids()) == 2:
            break
        time.sleep(0.1)
    assert len(pool.pids()) == 2
    with httpx.Client(timeout=10) as http:
        assert http.get(root + "/sparql", params={"query": "ASK { ?s ?p 7 }"}).json()["boolean"] is True


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong-token-wrong-token-00"}, {"Authorization": f"Basic {TOKEN}"}]
)
def test_an_update_without_the_token_is_refused(root: str, store: KgStore, headers: dict[str, str]) -> None:
    update = f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX.mallory}> <{EX.name}> 'Mallory' }} }}"
    before = len(store)
    with httpx.Client(timeout=10) as http:
        response = http.post(
            root + "/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-update", **headers}
        )
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
        gsp = http.put(
            root + "/store",
            params={"graph": str(EX.g2)},
            content=b"<urn:a> <urn:b> <urn:c> .",
            headers={"Content-Type": "application/n-triples", **headers},
        )
        assert gsp.status_code == 401
    assert len(store) == before


def test_writes_with_the_token_are_applied_and_seen_by_the_next_query(root: str) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    graph = str(EX["graph/written"])
    ask = f"ASK {{ GRAPH <{graph}> {{ <{EX.eve}> <{EX.name}> 'Eve' }} }}"
    with httpx.Client(base_url=root, timeout=10) as http:
        update = f"INSERT DATA {{ GRAPH <{graph}> {{ <{EX.eve}> <{EX.name}> 'Eve' }} }}"
        response = http.post("/sparql", data={"update": update}, headers=auth)
        assert response.status_code == 204, response.text
        assert http.get("/sparql", params={"query": ask}).json()["boolean"] is True

        turtle = f"<{EX.frank}> <{EX.name}> 'Frank' .".encode()
        put = http.put(
            "/store", params={"graph": graph}, content=turtle, headers={**auth, "Content-Type": "text/turtle"}
        )
        assert put.status_code == 204  # replaced: Eve is gone, Frank is there
        assert http.get("/sparql", params={"query": ask}).json()["boolean"] is False
        nt = http.get("/store", params={"graph": graph}, headers={"Accept": "application/n-triples"}).text
        assert "Frank" in nt and "Eve" not in nt

        bad = http.put(
            "/store", params={"graph": graph}, content=b"<unterminated", headers={**auth, "Content-Type": "text/turtle"}
        )
        assert bad.status_code == 400
        assert "Frank" in http.get("/store", params={"graph": graph}).text  # a bad body changes nothing

        assert http.delete("/store", params={"graph": graph}, headers=auth).status_code == 204
        assert http.get("/store", params={"graph": graph}).status_code == 404
        assert http.delete("/store", params={"graph": graph}, headers=auth).status_code == 404


def test_load_from_an_unlisted_host_is_refused_even_with_the_token(root: str) -> None:
    with httpx.Client(base_url=root, timeout=10) as http:
        response = http.post(
            "/sparql",
            data={"update": "LOAD <http://127.0.0.1:9/data.ttl>"},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    assert response.status_code == 403
    assert "allowlist" in response.text


def test_new_articles_are_served_while_kg_ingest_runs(tmp_path: Path) -> None:
    """A real `kg ingest` writes the store while the server answers; its articles appear without a restart."""
    settings = Settings(store=tmp_path / "store", query_workers=2)
    articles = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".html"))
    with LiveServer(create_app(settings)) as root, httpx.Client(base_url=root, timeout=30) as http:

        def graphs() -> int:
            response = http.get("/sparql", params={"query": COUNT_GRAPHS})
            assert response.status_code == 200, response.text
            return int(response.json()["results"]["bindings"][0]["n"]["value"])

        assert graphs() == 0
        env = {**os.environ, "KG_SNAPSHOT_INTERVAL_S": "0"}
        ingest = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kg.cli",
                "ingest",
                *map(str, articles),
                "--store",
                str(settings.store),
                "--meta",
                str(EXAMPLES / "meta.jsonl"),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        seen: list[int] = []
        slowest = 0.0
        while ingest.poll() is None:
            started = time.monotonic()
            seen.append(graphs())
            slowest = max(slowest, time.monotonic() - started)
            time.sleep(0.05)
        output = ingest.stdout.read().decode() if ingest.stdout else ""
        assert ingest.returncode == 0, output
        final = graphs()
    assert final >= len(articles)  # one graph per article, plus the ontology and KB graphs
    assert any(0 < n < final for n in seen), f"no partial state was served during the ingest: {sorted(set(seen))}"
    assert seen == sorted(seen), "the served article count went backwards"
    assert slowest < 5, f"a query waited {slowest:.1f} s during the ingest"


def test_a_client_that_hangs_up_does_not_cost_a_worker(app: FastAPI, root: str) -> None:
    pool = app.state.pool
    for _ in range(300):  # wait for the pool to be whole (an earlier test may have had a worker killed)
        if len(pool.pids()) == 2:
            break
        time.sleep(0.1)
    for _ in range(3):  # more hang-ups than there are workers
        with httpx.Client(timeout=0.3) as http, pytest.raises(httpx.TimeoutException):
            http.get(root + "/sparql", params={"query": CARTESIAN})
    deadline = time.monotonic() + 30
    with httpx.Client(timeout=30) as http:  # answered once the abandoned queries hit their limit
        response = http.get(root + "/sparql", params={"query": "ASK { ?s ?p 7 }"})
        # while the killed workers are replaced the pool may still be busy: that is a 503 "try again later"
        # (on a loaded machine a replacement takes longer than the 2 s wait), never a lost worker
        while response.status_code == 503 and "stayed busy" in response.text and time.monotonic() < deadline:
            time.sleep(0.5)
            response = http.get(root + "/sparql", params={"query": "ASK { ?s ?p 7 }"})
    assert response.status_code == 200, response.text
    for _ in range(300):
        if len(pool.pids()) == 2:
            break
        time.sleep(0.1)
    assert len(pool.pids()) == 2, "a worker was lost to a client that hung up"


def test_large_queries_and_answers_cross_the_worker_pipe_whole(root: str) -> None:
    """A query near the request-size limit goes to a worker, and a multi-megabyte answer comes back complete
    (both are far larger than the pipe's buffer, so they travel in many pieces)."""
    padding = "# " + "x" * 78 + "\n"
    pairs = "SELECT ?a ?b WHERE { ?a <https://example.org/value> ?x . ?b <https://example.org/value> ?y }"
    query = padding * 11_000 + pairs
    assert 800_000 < len(query.encode()) < 1_000_000
    with httpx.Client(timeout=60) as http:
        response = http.post(
            root + "/sparql",
            content=query.encode(),
            headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        )
    assert response.status_code == 200, response.text[:500]
    assert len(response.content) > 4_000_000
    rows = response.json()["results"]["bindings"]
    assert len(rows) == 200 * 200
    assert {row["a"]["value"] for row in rows} == {str(EX[f"s{i}"]) for i in range(200)}
