"""The write side of the protocols with the bearer token: Graph Store writes on ``?default`` and multipart
bodies, the base IRI of an update, and ``using-graph-uri`` / ``using-named-graph-uri``.

Each test runs the real server under uvicorn on loopback over a store on disk that the server opens itself,
so every write goes through the writer process.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from kg.api import create_app
from kg.config import Settings
from kg.store.graphs import KgStore
from tests.live import LiveServer

pytestmark = pytest.mark.slow

EX = Namespace("https://example.org/")
ARTICLE = URIRef("https://example.org/graph/article")
TOKEN = "a-long-enough-test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """A closed store on disk with one article graph."""
    path = tmp_path / "store"
    with KgStore(path) as store:
        store.put_graph(ARTICLE, Graph().add((EX.article, EX.says, Literal("kept"))))
    return path


@pytest.fixture
def http(store_path: Path) -> Iterator[httpx.Client]:
    settings = Settings(store=store_path, query_workers=1, update_token=TOKEN)
    with LiveServer(create_app(settings)) as root, httpx.Client(base_url=root, timeout=30) as client:
        yield client


def _ask(http: httpx.Client, query: str) -> bool:
    response = http.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    return bool(response.json()["boolean"])


def _put(http: httpx.Client, target: str, turtle: str) -> httpx.Response:
    return http.put(f"/store?{target}", content=turtle.encode(), headers={**AUTH, "Content-Type": "text/turtle"})


def test_writes_to_default_go_to_the_stores_default_graph_which_the_union_takes_in(
    http: httpx.Client, store_path: Path
) -> None:
    assert _put(http, "default", f"<{EX.a}> <{EX.p}> 'one' .").status_code == 204
    assert _put(http, "default", f"<{EX.a}> <{EX.p}> 'two' .").status_code == 204  # replaced
    post = http.post(
        "/store?default",
        content=f'<{EX.b}> <{EX.p}> "three" .'.encode(),
        headers={**AUTH, "Content-Type": "application/n-triples"},
    )
    assert post.status_code == 204
    union = http.get("/store?default", headers={"Accept": "application/n-triples"}).text
    assert '"two"' in union and '"three"' in union and '"one"' not in union
    assert '"kept"' in union  # GET ?default is the union: the article graph is in it too
    # a SPARQL Update without GRAPH writes the same graph
    assert _ask(http, f"ASK {{ <{EX.a}> <{EX.p}> 'two' FILTER NOT EXISTS {{ GRAPH ?g {{ <{EX.a}> ?p ?o }} }} }}")
    assert http.delete("/store?default", headers=AUTH).status_code == 204
    assert '"two"' not in http.get("/store?default", headers={"Accept": "application/n-triples"}).text
    assert _ask(http, f"ASK {{ GRAPH <{ARTICLE}> {{ <{EX.article}> <{EX.says}> 'kept' }} }}")


def test_a_write_names_exactly_one_graph(http: httpx.Client) -> None:
    for target in ("", f"default&graph={EX.g}", f"graph={EX.g}&graph={EX.h}"):
        assert _put(http, target, f"<{EX.a}> <{EX.p}> 'x' .").status_code == 400, target


def test_a_multipart_post_adds_the_triples_of_every_part(http: httpx.Client) -> None:
    boundary = "a6fe4cd636164618814be9f8d3d1a0de"
    parts = [
        ("last.ttl", "text/turtle; charset=utf-8", f"<{EX.jane}> <{EX.family}> 'Doe' ."),
        ("first.nt", "application/n-triples", f'<{EX.jane}> <{EX.given}> "Jane" .'),
    ]
    body = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}"\r\n'
        f"Content-Type: {media_type}\r\n\r\n{text}\r\n"
        for name, media_type, text in parts
    )
    body += f"--{boundary}--\r\n"
    response = http.post(
        f"/store?graph={EX.person}",
        content=body.encode(),
        headers={**AUTH, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 204, response.text
    assert _ask(http, f"ASK {{ GRAPH <{EX.person}> {{ <{EX.jane}> <{EX.family}> 'Doe' ; <{EX.given}> 'Jane' }} }}")
    untyped = f'--{boundary}\r\nContent-Disposition: form-data; name="x"\r\n\r\n<urn:a> <urn:b> <urn:c> .\r\n'
    refused = http.post(
        f"/store?graph={EX.person}",
        content=f"{untyped}--{boundary}--\r\n".encode(),
        headers={**AUTH, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert refused.status_code == 415, refused.text


def test_relative_iris_of_an_update_resolve_against_the_endpoint(http: httpx.Client) -> None:
    update = f"INSERT DATA {{ GRAPH <{EX.based}> {{ <{EX.s}> <{EX.p}> <relative> }} }}"
    response = http.post(
        "/sparql", content=update.encode(), headers={**AUTH, "Content-Type": "application/sparql-update"}
    )
    assert response.status_code == 204, response.text
    resolved = str(http.base_url).rstrip("/") + "/relative"  # <relative> against http://HOST:PORT/sparql
    assert _ask(http, f"ASK {{ GRAPH <{EX.based}> {{ <{EX.s}> <{EX.p}> <{resolved}> }} }}")


def _update(http: httpx.Client, update: str, params: dict[str, str | list[str]] | None = None) -> httpx.Response:
    return http.post(
        "/sparql", params=params, content=update.encode(), headers={**AUTH, "Content-Type": "application/sparql-update"}
    )


def test_using_graph_uri_and_using_named_graph_uri_give_the_dataset_of_the_where(http: httpx.Client) -> None:
    g1, g2 = EX["graph/1"], EX["graph/2"]
    assert (
        _update(
            http,
            f"INSERT DATA {{ GRAPH <{g1}> {{ <{EX.s1}> a <{EX.Doc}> }} GRAPH <{g2}> {{ <{EX.s2}> a <{EX.Doc}> }} }}",
        ).status_code
        == 204
    )
    copy = (
        f"INSERT {{ GRAPH <{EX.out}> {{ ?s <{EX.seen}> ?in }} }} WHERE {{ {{ ?s a <{EX.Doc}> BIND('default' AS ?in) }}"
        f" UNION {{ GRAPH ?g {{ ?s a <{EX.Doc}> }} BIND(?g AS ?in) }} }}"
    )
    response = _update(http, copy, {"using-graph-uri": str(g1), "using-named-graph-uri": str(g2)})
    assert response.status_code == 204, response.text
    rows = http.get(
        "/sparql",
        params={"query": f"SELECT ?s ?in WHERE {{ GRAPH <{EX.out}> {{ ?s ?p ?in }} }}"},
        headers={"Accept": "text/csv"},
    ).text.split()[1:]
    assert sorted(rows) == sorted([f"{EX.s1},default", f"{EX.s2},{g2}"])


def test_an_update_with_its_own_dataset_and_the_protocols_is_a_400(http: httpx.Client, store_path: Path) -> None:
    response = _update(
        http, f"WITH <{EX.g}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}", {"using-named-graph-uri": str(EX.people)}
    )
    assert response.status_code == 400 and "own dataset" in response.text
    missing = _update(http, f"DROP GRAPH <{EX.nothing}>")
    assert missing.status_code == 400, missing.text  # an update that cannot be evaluated is the client's error
