"""The SPARQL endpoint over real HTTP: a uvicorn server in a thread, a KgStore on disk, httpx."""

from __future__ import annotations

import csv
import io
import json
import logging
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from kg.api import create_app
from kg.api.protocol import declares_dataset
from kg.config import Settings
from kg.store.graphs import KgStore
from tests.live import LiveServer, ServerPool

pytestmark = pytest.mark.slow

EX = Namespace("https://example.org/")
G1 = URIRef("https://example.org/graph/1")
G2 = URIRef("https://example.org/graph/2")
SRX = "{http://www.w3.org/2005/sparql-results#}"
ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
CONSTRUCT_ALL = "CONSTRUCT WHERE { ?s ?p ?o }"
NAMES = "SELECT ?name WHERE { ?who <https://example.org/name> ?name } ORDER BY ?name"

DIRECT = {"Content-Type": "application/sparql-query"}

Urls = Callable[..., str]


# -- fixtures ------------------------------------------------------------------


def _graph1() -> Graph:
    g = Graph()
    g.add((EX.alice, EX.knows, EX.bob))
    g.add((EX.alice, EX.name, Literal("Alice")))
    g.add((EX.bob, EX.name, Literal("Bob", lang="en")))
    return g


def _graph2() -> Graph:
    g = Graph()
    g.add((EX.carol, EX.name, Literal('Carol, "C"\tthe third')))
    g.add((EX.carol, EX.age, Literal(42)))
    return g


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KgStore]:
    """Five triples: three in G1, two in G2."""
    with KgStore(tmp_path_factory.mktemp("store")) as kg_store:
        kg_store.put_graph(G1, _graph1())
        kg_store.put_graph(G2, _graph2())
        yield kg_store


@pytest.fixture(scope="module")
def endpoint(store: KgStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Urls]:
    """``endpoint(**settings)``: the URL of a server on the shared store with those settings."""
    pool = ServerPool(store, max_rows=1000, max_request_bytes=10_000)
    yield pool.sparql
    pool.close()


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as http:
        yield http


def _json_rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    bindings = response.json()["results"]["bindings"]
    return [{var: term["value"] for var, term in row.items()} for row in bindings]


def _names(response: httpx.Response) -> list[str]:
    return [row["name"] for row in _json_rows(response)]


# -- the three ways to send a query --------------------------------------------


def test_get(endpoint: Urls, client: httpx.Client) -> None:
    response = client.get(endpoint(), params={"query": ALL})
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert len(_json_rows(response)) == 5


def test_post_form(endpoint: Urls, client: httpx.Client) -> None:
    response = client.post(endpoint(), data={"query": NAMES})
    assert _names(response) == ["Alice", "Bob", 'Carol, "C"\tthe third']


def test_post_direct(endpoint: Urls, client: httpx.Client) -> None:
    response = client.post(endpoint(), content=NAMES.encode(), headers=DIRECT)
    assert _names(response) == ["Alice", "Bob", 'Carol, "C"\tthe third']


def test_post_form_non_ascii(endpoint: Urls, client: httpx.Client) -> None:
    query = 'SELECT ?v WHERE { BIND("café" AS ?v) }'
    response = client.post(endpoint(), data={"query": query})
    assert _json_rows(response) == [{"v": "café"}]


# -- result formats --------------------------------------------------------------


def _parse_xml(body: bytes) -> list[dict[str, str]]:
    root = ET.fromstring(body)
    results = root.find(f"{SRX}results")
    assert results is not None
    return [
        {b.attrib["name"]: "".join(b.itertext()) for b in result.findall(f"{SRX}binding")}
        for result in results.findall(f"{SRX}result")
    ]


def _parse_csv(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode())))


def _parse_tsv(body: bytes) -> list[dict[str, str]]:
    header, *lines = body.decode().splitlines()
    names = [var.removeprefix("?") for var in header.split("\t")]
    return [dict(zip(names, line.split("\t"), strict=True)) for line in lines]


def _parse_json(body: bytes) -> list[dict[str, str]]:
    bindings = json.loads(body)["results"]["bindings"]
    return [{var: term["value"] for var, term in row.items()} for row in bindings]


PARSERS: dict[str, Callable[[bytes], list[dict[str, str]]]] = {
    "json": _parse_json,
    "xml": _parse_xml,
    "csv": _parse_csv,
    "tsv": _parse_tsv,
}


@pytest.mark.parametrize(
    ("media_type", "parse", "carol"),
    [
        ("application/sparql-results+json", _parse_json, 'Carol, "C"\tthe third'),
        ("application/sparql-results+xml", _parse_xml, 'Carol, "C"\tthe third'),
        ("text/csv", _parse_csv, 'Carol, "C"\tthe third'),
        ("text/tab-separated-values", _parse_tsv, '"Carol, \\"C\\"\\tthe third"'),
    ],
)
def test_select_formats(
    endpoint: Urls, client: httpx.Client, media_type: str, parse: Callable[[bytes], list[dict[str, str]]], carol: str
) -> None:
    response = client.get(endpoint(), params={"query": NAMES}, headers={"Accept": media_type})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    rows = parse(response.content)
    assert len(rows) == 3
    assert rows[2]["name"] == carol


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        pytest.param(  # rdflib's own JSON-LD parser still builds a ConjunctiveGraph
            "application/ld+json",
            "json-ld",
            marks=pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
        ),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_formats(endpoint: Urls, client: httpx.Client, accept: str, rdflib_format: str) -> None:
    response = client.get(endpoint(), params={"query": CONSTRUCT_ALL}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == accept
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert len(graph) == 5
    assert (EX.carol, EX.age, Literal(42)) in graph


def test_construct_defaults_to_turtle(endpoint: Urls, client: httpx.Client) -> None:
    response = client.get(endpoint(), params={"query": f"DESCRIBE <{EX.alice}>"})
    assert response.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=response.content, format="turtle")) == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"ASK {{ <{EX.alice}> ?p ?o }}", True),
        (f"ASK {{ <{EX.nobody}> ?p ?o }}", False),
    ],
)
def test_ask(endpoint: Urls, client: httpx.Client, query: str, expected: bool) -> None:
    as_json = client.get(endpoint(), params={"query": query})
    assert as_json.json()["boolean"] is expected
    xml_type = "application/sparql-results+xml"
    as_xml = client.get(endpoint(), params={"query": query}, headers={"Accept": xml_type})
    assert as_xml.headers["content-type"] == xml_type
    boolean = ET.fromstring(as_xml.content).find(f"{SRX}boolean")
    assert boolean is not None and boolean.text == str(expected).lower()


def test_accept_q_values(endpoint: Urls, client: httpx.Client) -> None:
    accept = "application/sparql-results+json;q=0.5, application/sparql-results+xml, */*;q=0.1"
    response = client.get(endpoint(), params={"query": ALL}, headers={"Accept": accept})
    assert response.headers["content-type"] == "application/sparql-results+xml"


def test_format_parameter_overrides_accept(endpoint: Urls, client: httpx.Client) -> None:
    response = client.get(endpoint(), params={"query": ALL, "format": "csv"}, headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/csv")
    jsonld = client.get(endpoint(), params={"query": CONSTRUCT_ALL, "format": "json"})
    assert jsonld.headers["content-type"] == "application/ld+json"


@pytest.mark.parametrize("accept", ["image/png", "text/turtle"])
def test_unacceptable_format_is_406(endpoint: Urls, client: httpx.Client, accept: str) -> None:
    response = client.get(endpoint(), params={"query": ALL}, headers={"Accept": accept})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text


def test_accept_anything(endpoint: Urls, client: httpx.Client) -> None:
    response = client.get(endpoint(), params={"query": ALL}, headers={"Accept": "*/*"})
    assert response.headers["content-type"] == "application/sparql-results+json"


# -- errors ------------------------------------------------------------------------


def test_syntax_error_is_400_with_parser_message(endpoint: Urls, client: httpx.Client) -> None:
    bad = "SELECT * WHERE { ?s ?p }"
    with pytest.raises(SyntaxError) as parser:
        ox.Store().query(bad)
    response = client.get(endpoint(), params={"query": bad})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert str(parser.value) in response.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT (<https://example.org/f>(1) AS ?x) {}", "https://example.org/f"),  # fails when planned
    ],
)  # SERVICE ?var, which failed while the rows were read, is now refused (403) before evaluation
def test_unevaluable_query_is_400(endpoint: Urls, client: httpx.Client, query: str, message: str) -> None:
    response = client.get(endpoint(), params={"query": query})
    assert response.status_code == 400
    assert message in response.text


@pytest.mark.parametrize(
    ("method", "request_args"),
    [
        ("GET", {"params": {"query": ""}}),  # no query at all: the service description
        ("POST", {"data": {"format": "json"}}),
        ("POST", {"content": b"", "headers": DIRECT}),
        ("GET", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}),
        ("POST", {"params": {"query": "ASK {}"}, "content": b"ASK {}", "headers": DIRECT}),
    ],
)
def test_missing_or_repeated_query_is_400(
    endpoint: Urls, client: httpx.Client, method: str, request_args: dict[str, Any]
) -> None:
    assert client.request(method, endpoint(), **request_args).status_code == 400


@pytest.mark.parametrize("content_type", ["text/plain", "application/sparql-query; charset=UTF-16", None])
def test_wrong_media_type_is_415(endpoint: Urls, client: httpx.Client, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post(endpoint(), content=b"ASK {}", headers=headers)
    assert response.status_code == 415


def test_other_methods_are_405(endpoint: Urls, client: httpx.Client) -> None:
    assert client.put(endpoint(), params={"query": "ASK {}"}).status_code == 405


UPDATE = f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX.mallory}> <{EX.name}> 'Mallory' }} }}"


@pytest.mark.parametrize(
    ("method", "request_args", "why"),
    [
        ("POST", {"content": UPDATE.encode(), "headers": {"Content-Type": "application/sparql-update"}}, "read-only"),
        ("POST", {"data": {"update": UPDATE}}, "read-only"),
        ("GET", {"params": {"update": UPDATE}}, "only by POST"),
    ],
)
def test_update_is_403_when_writes_are_off(
    endpoint: Urls, client: httpx.Client, store: KgStore, method: str, request_args: dict[str, Any], why: str
) -> None:
    before = len(store)
    response = client.request(method, endpoint(), **request_args)
    assert response.status_code == 403
    assert why in response.text
    assert len(store) == before


def test_update_as_query_is_400(endpoint: Urls, client: httpx.Client, store: KgStore) -> None:
    before = len(store)
    assert client.post(endpoint(), data={"query": UPDATE}).status_code == 400
    assert len(store) == before


def test_oversized_body_is_413(endpoint: Urls, client: httpx.Client) -> None:
    query = "ASK {}" + " " * 20_000
    assert client.post(endpoint(), content=query.encode(), headers=DIRECT).status_code == 413


def test_oversized_chunked_body_is_413(endpoint: Urls, client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"ASK {}"
        for _ in range(30):
            yield b" " * 1000

    assert client.post(endpoint(), content=chunks(), headers=DIRECT).status_code == 413


def test_invalid_graph_iri_is_400(endpoint: Urls, client: httpx.Client) -> None:
    params = {"query": ALL, "default-graph-uri": "not an iri"}
    assert client.get(endpoint(), params=params).status_code == 400


# -- dataset -------------------------------------------------------------------------


def test_default_graph_uri_restricts_to_that_graph(endpoint: Urls, client: httpx.Client) -> None:
    response = client.get(endpoint(), params={"query": NAMES, "default-graph-uri": str(G1)})
    assert _names(response) == ["Alice", "Bob"]


def test_several_default_graph_uris_are_merged(endpoint: Urls, client: httpx.Client) -> None:
    params = httpx.QueryParams([("query", NAMES), ("default-graph-uri", str(G1)), ("default-graph-uri", str(G2))])
    assert len(_names(client.get(endpoint(), params=params))) == 3


def test_named_graph_uri_with_graph_pattern(endpoint: Urls, client: httpx.Client) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = client.post(endpoint(), params={"named-graph-uri": str(G2)}, content=query, headers=DIRECT)
    assert _json_rows(response) == [{"g": str(G2)}]


def test_default_graph_uri_alone_leaves_no_named_graphs(endpoint: Urls, client: httpx.Client) -> None:
    query = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert _json_rows(client.get(endpoint(), params={"query": query, "default-graph-uri": str(G1)})) == []


def test_from_clause_is_honoured_in_union_mode(endpoint: Urls, client: httpx.Client) -> None:
    query = f"SELECT ?name FROM <{G2}> WHERE {{ ?who <{EX.name}> ?name }}"
    assert _names(client.get(endpoint(), params={"query": query})) == ['Carol, "C"\tthe third']


def test_protocol_dataset_overrides_from_clause(endpoint: Urls, client: httpx.Client) -> None:
    query = f"SELECT ?name FROM <{G2}> WHERE {{ ?who <{EX.name}> ?name }} ORDER BY ?name"
    response = client.get(endpoint(), params={"query": query, "default-graph-uri": str(G1)})
    assert _names(response) == ["Alice", "Bob"]


def test_union_default_graph_on_and_off(endpoint: Urls, client: httpx.Client) -> None:
    assert len(_json_rows(client.get(endpoint(union_default_graph=True), params={"query": ALL}))) == 5
    assert _json_rows(client.get(endpoint(union_default_graph=False), params={"query": ALL})) == []
    in_graphs = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert len(_json_rows(client.get(endpoint(union_default_graph=False), params={"query": in_graphs}))) == 5


# -- limits and logging ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_max_rows_truncates_select(endpoint: Urls, client: httpx.Client, fmt: str) -> None:
    response = client.get(endpoint(max_rows=2), params={"query": ALL, "format": fmt})
    assert response.headers["x-kg-truncated"] == "true"
    assert len(PARSERS[fmt](response.content)) == 2


def test_max_rows_not_reached_has_no_header(endpoint: Urls, client: httpx.Client) -> None:
    response = client.get(endpoint(max_rows=2), params={"query": ALL + " LIMIT 2"})
    assert "x-kg-truncated" not in response.headers
    assert len(_json_rows(response)) == 2


def test_max_rows_truncates_construct(endpoint: Urls, client: httpx.Client) -> None:
    response = client.get(endpoint(max_rows=2), params={"query": CONSTRUCT_ALL, "format": "nt"})
    assert response.headers["x-kg-truncated"] == "true"
    assert len(Graph().parse(data=response.content, format="nt")) == 2


def test_access_log_line(endpoint: Urls, client: httpx.Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="kg.api.access")
    client.get(endpoint(), params={"query": ALL})
    # the line is written once the body is sent, so it may land just after the client has the response
    for _ in range(100):
        lines = [r.getMessage() for r in caplog.records if r.name == "kg.api.access"]
        if any(line.startswith("GET /sparql 200 ") and "results=5 " in line for line in lines):
            break
        time.sleep(0.01)
    assert any(line.startswith("GET /sparql 200 ") and "results=5 " in line for line in lines), lines


def test_the_server_does_not_hold_the_store(tmp_path: Path, client: httpx.Client) -> None:
    settings = Settings(store=tmp_path / "own-store", query_workers=1)
    with LiveServer(create_app(settings)) as root:
        url = root + "/sparql"
        assert client.get(url, params={"query": "ASK {}"}).json()["boolean"] is True
        with KgStore(settings.store):  # would raise StoreLockedError if the server held it
            pass


# -- the lexical FROM check ------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * FROM <http://g> WHERE { ?s ?p ?o }", True),
        ("select * from named <http://g> { graph ?g { ?s ?p ?o } }", True),
        ("SELECT (COUNT(*) AS ?n)FROM<http://g> {}", True),
        ("CONSTRUCT { ?s ?p ?o }\nFROM ex:g WHERE { ?s ?p ?o }", True),
        ("SELECT * WHERE { ?s ?p ?o }", False),
        ("SELECT * WHERE { ?s ?p 'FROM <x>' } # FROM <http://g>", False),
        ('SELECT * WHERE { ?s ?p """a\nFROM b""" }', False),
        ("SELECT * WHERE { ?s <http://x/FROM> ?o . ?s ex:FROM ?from }", False),
    ],
)
def test_declares_dataset(query: str, expected: bool) -> None:
    assert declares_dataset(query) is expected
