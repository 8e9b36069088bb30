"""Self-description and safety over real HTTP: service description, VoID, Graph Store reads, SERVICE, CORS."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urljoin

import httpx
import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, VOID, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from kg.api.describe import SD
from kg.store.graphs import KgStore
from kg.vocab.namespaces import WD
from tests.live import Recorder, ServerPool, recording_server

pytestmark = pytest.mark.slow

EX = Namespace("https://example.org/")
G1 = URIRef("https://example.org/graph/1")
G2 = URIRef("https://example.org/graph/2")
TURTLE = {"Accept": "text/turtle"}

Urls = Callable[..., str]


def _graph1() -> Graph:
    g = Graph()
    g.add((EX.alice, RDF.type, EX.Person))
    g.add((EX.alice, EX.knows, EX.bob))
    g.add((EX.alice, OWL.sameAs, WD.Q1))
    g.add((EX.bob, RDF.type, EX.Person))
    g.add((EX.bob, OWL.sameAs, URIRef("https://example.net/not-wikidata")))
    return g


def _graph2() -> Graph:
    g = Graph()
    g.add((EX.bob, RDF.type, EX.Person))  # also in G1: counted once in the dataset
    g.add((EX.acme, RDF.type, EX.Company))
    g.add((EX.acme, OWL.sameAs, WD.Q2))
    g.add((EX.acme, EX.name, Literal("ACME")))
    return g


@pytest.fixture(scope="module")
def outside() -> Iterator[str]:
    """The URL of a recording SPARQL endpoint on loopback, standing for an outside host."""
    with recording_server() as hostport:
        yield f"http://{hostport}/sparql"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KgStore]:
    kg_store = KgStore(tmp_path_factory.mktemp("store"))
    with kg_store:
        kg_store.put_graph(G1, _graph1())
        kg_store.put_graph(G2, _graph2())
        yield kg_store


@pytest.fixture(scope="module")
def endpoint(store: KgStore) -> Iterator[Urls]:
    """``endpoint(**settings)``: the SPARQL URL of a server on the shared store with those settings."""
    pool = ServerPool(store)
    yield pool.sparql
    pool.close()


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as http:
        yield http


def _rdf(response: httpx.Response, fmt: str = "turtle") -> Graph:
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.content, format=fmt)


def _quads(store: KgStore) -> list[tuple[Any, URIRef, Any, URIRef | None]]:
    """The whole store as (s, p, o, graph) tuples, read from an N-Quads dump (no SPARQL)."""
    dump = io.BytesIO()
    store.dump(dump, ox.RdfFormat.N_QUADS)
    quads = []
    for quad in ox.parse(dump.getvalue(), format=ox.RdfFormat.N_QUADS):
        graph = URIRef(quad.graph_name.value) if isinstance(quad.graph_name, ox.NamedNode) else None
        subject = URIRef(quad.subject.value) if isinstance(quad.subject, ox.NamedNode) else quad.subject
        quads.append((subject, URIRef(quad.predicate.value), quad.object, graph))
    return quads


# -- service description -------------------------------------------------------


def test_service_description_at_the_endpoint(endpoint: Urls, client: httpx.Client, store: KgStore) -> None:
    url = endpoint()
    response = client.get(url, headers=TURTLE)
    assert response.headers["content-type"].startswith("text/turtle")
    sd = _rdf(response)
    service = sd.value(predicate=RDF.type, object=SD.Service)
    assert service is not None
    assert sd.value(service, SD.endpoint) == URIRef(url)
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in sd
    assert (service, SD.feature, SD.UnionDefaultGraph) in sd
    assert len(set(sd.objects(service, SD.resultFormat))) == 8
    dataset = sd.value(service, SD.defaultDataset)
    names = {sd.value(named, SD.name) for named in sd.objects(dataset, SD.namedGraph)}
    assert names == {URIRef(g) for g in store.named_graphs()}


def test_service_description_negotiates_and_follows_union_mode(endpoint: Urls, client: httpx.Client) -> None:
    url = endpoint(union_default_graph=False)
    sd = _rdf(client.get(url, headers={"Accept": "application/rdf+xml"}), "xml")
    service = sd.value(predicate=RDF.type, object=SD.Service)
    assert sd.value(service, SD.endpoint) == URIRef(url)
    assert (service, SD.feature, SD.UnionDefaultGraph) not in sd
    response = client.get(url, headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    triples = list(ox.parse(response.content, format=ox.RdfFormat.JSON_LD))
    assert ox.NamedNode(url) in {t.object for t in triples if t.predicate == ox.NamedNode(str(SD.endpoint))}
    assert len(triples) == len(sd)
    assert client.get(url, headers={"Accept": "image/png"}).status_code == 406


def test_relative_iris_resolve_against_the_endpoint(endpoint: Urls, client: httpx.Client) -> None:
    url = endpoint()
    response = client.post(
        url, content="CONSTRUCT { <s> <p> 1 } WHERE {}", headers={"Content-Type": "application/sparql-query", **TURTLE}
    )
    triples = list(_rdf(response))
    assert triples == [(URIRef(urljoin(url, "s")), URIRef(urljoin(url, "p")), Literal(1))]


# -- VoID ------------------------------------------------------------------------


def _count(void: Graph, subject: URIRef, predicate: URIRef) -> int:
    value = void.value(subject, predicate)
    assert isinstance(value, Literal), (subject, predicate)
    return int(value)


def test_void_figures_match_the_store(endpoint: Urls, client: httpx.Client, store: KgStore) -> None:
    void_url = urljoin(endpoint(), "/.well-known/void")
    void = _rdf(client.get(void_url, headers=TURTLE))
    dataset = URIRef(f"{void_url}#dataset")
    quads = _quads(store)
    triples = {(s, p, o) for s, p, o, _ in quads}
    assert _count(void, dataset, VOID.triples) == len(triples) == 8
    assert _count(void, dataset, VOID.distinctSubjects) == len({s for s, _, _ in triples})
    assert _count(void, dataset, VOID.entities) == len({s for s, _, _ in triples if isinstance(s, URIRef)})
    assert _count(void, dataset, VOID.properties) == len({p for _, p, _ in triples})
    assert _count(void, dataset, VOID.classes) == len({o for _, p, o in triples if p == RDF.type}) == 2
    assert void.value(dataset, VOID.sparqlEndpoint) == URIRef(endpoint())
    assert set(void.objects(dataset, VOID.vocabulary)) == {URIRef(str(RDF)), URIRef(str(OWL)), URIRef(str(EX))}
    for graph in (G1, G2):
        assert (dataset, VOID.subset, graph) in void
        assert _count(void, graph, VOID.triples) == sum(1 for *_, g in quads if g == graph)
    linkset = void.value(predicate=RDF.type, object=VOID.Linkset)
    assert isinstance(linkset, URIRef)
    assert void.value(linkset, VOID.linkPredicate) == OWL.sameAs
    assert _count(void, linkset, VOID.triples) == 2


# -- Graph Store Protocol (read-only) --------------------------------------------


def _store_url(endpoint: Urls, **settings: object) -> str:
    return urljoin(endpoint(**settings), "/store")


def test_gsp_get_named_graph(endpoint: Urls, client: httpx.Client) -> None:
    response = client.get(_store_url(endpoint), params={"graph": str(G1)}, headers={"Accept": "application/n-triples"})
    assert response.headers["content-type"].startswith("application/n-triples")
    assert isomorphic(_rdf(response, "nt"), _graph1())


def test_gsp_default_graph_is_the_union_in_union_mode(endpoint: Urls, client: httpx.Client) -> None:
    union = _rdf(client.get(_store_url(endpoint), params={"default": ""}, headers=TURTLE))
    assert isomorphic(union, _graph1() + _graph2())
    own = _rdf(client.get(_store_url(endpoint, union_default_graph=False), params={"default": ""}, headers=TURTLE))
    assert len(own) == 0


def test_gsp_errors(endpoint: Urls, client: httpx.Client) -> None:
    url = _store_url(endpoint)
    assert client.get(url, params={"graph": "https://example.org/nope"}).status_code == 404
    assert client.get(url).status_code == 400
    assert client.get(url, params={"graph": "not an iri"}).status_code == 400
    for method in ("PUT", "POST", "DELETE"):
        response = client.request(method, url, params={"graph": str(G1)}, content=b"", headers=TURTLE)
        assert response.status_code == 403
        assert "writes are disabled" in response.text


# -- SERVICE and CORS ------------------------------------------------------------


def test_service_to_an_unlisted_host_is_refused_before_evaluation(
    endpoint: Urls, client: httpx.Client, outside: str
) -> None:
    url = endpoint()
    Recorder.seen.clear()
    for query in (
        f"SELECT * WHERE {{ SERVICE <{outside}> {{ ?s ?p ?o }} }}",
        f"PREFIX out: <{outside.rsplit('/', 1)[0]}/> SELECT * WHERE {{ SERVICE out:sparql {{ ?s ?p ?o }} }}",
        "SELECT * WHERE { SERVICE SILENT ?where { ?s ?p ?o } }",
    ):
        response = client.get(url, params={"query": query})
        assert response.status_code == 403, response.text
        assert "SERVICE" in response.text and "allowlist" in response.text
    assert Recorder.seen == [], "a refused SERVICE call reached its host"


def test_service_to_an_allowlisted_host_passes(endpoint: Urls, client: httpx.Client, outside: str) -> None:
    url = endpoint(service_allowlist=[outside.split("/")[2]])
    Recorder.seen.clear()
    response = client.get(url, params={"query": f"SELECT * WHERE {{ SERVICE <{outside}> {{ ?s ?p ?o }} }}"})
    assert response.status_code == 200, response.text
    assert len(Recorder.seen) == 1, "the allowlisted SERVICE call was not made"


def test_cors_headers_only_when_configured(endpoint: Urls, client: httpx.Client) -> None:
    origin = {"Origin": "https://app.example"}
    params = {"query": "ASK {}"}
    plain = client.get(endpoint(), params=params, headers=origin)
    assert "access-control-allow-origin" not in plain.headers
    allowed = client.get(endpoint(cors_origins=["https://app.example"]), params=params, headers=origin)
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    preflight = client.options(
        endpoint(cors_origins=["https://app.example"]),
        headers={**origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]


def test_cors_lets_browsers_send_the_token_only_when_writes_are_on(endpoint: Urls, client: httpx.Client) -> None:
    preflight = {
        "Origin": "https://app.example",
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    read_only = client.options(endpoint(cors_origins=["https://app.example"]), headers=preflight)
    assert read_only.status_code == 400, "a read-only endpoint accepted a cross-origin PUT with a token"
    writable = client.options(endpoint(cors_origins=["https://app.example"], update_token="t" * 32), headers=preflight)
    assert writable.status_code == 200, writable.text
    assert {"PUT", "DELETE"} <= set(writable.headers["access-control-allow-methods"].replace(" ", "").split(","))
    assert "authorization" in writable.headers["access-control-allow-headers"].lower()
