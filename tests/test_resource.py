"""Dereferenceable IRIs over real HTTP: every IRI under the base resolves, in RDF or as an HTML page."""

from __future__ import annotations

import http.client
import warnings
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from kg.api import create_app
from kg.config import Settings
from kg.store.graphs import KgStore
from kg.vocab.iri import Minter
from kg.vocab.namespaces import KG, PROV, SDO, SEM, WD
from tests.live import LiveServer

pytestmark = pytest.mark.slow

BASE = "https://example.org/id/"
MINT = Minter(BASE)
G1, A1 = MINT.graph("a1.txt"), MINT.article("a1.txt")
G2, A2 = MINT.graph("a2.txt"), MINT.article("a2.txt")
JNIM = MINT.actor("JNIM")
GAO = MINT.place("Gao")
EVENT = MINT.event("violence", "2024-01-05", "Gao")
EVIL = MINT.actor("evil")
EVIDENCE = "JNIM fighters attacked the army camp in Gao on Friday."
RELATION_EVIDENCE = "JNIM has long operated around Gao."
SCRIPT = "<script>alert(1)</script>"


def _article(g: Graph, graph: URIRef, article: URIRef, name: str, headline: str) -> None:
    g.add((graph, RDF.type, KG.ArticleGraph))
    g.add((graph, PROV.wasDerivedFrom, article))
    g.add((article, RDF.type, KG.Article))
    g.add((article, KG.fileName, Literal(name)))
    g.add((article, SDO.headline, Literal(headline)))


def _graph1() -> Graph:
    g = Graph()
    _article(g, G1, A1, "a1.txt", "Camp attacked in Gao")
    g.add((JNIM, RDF.type, KG.ArmedGroup))
    g.add((JNIM, RDFS.label, Literal("JNIM")))
    g.add((JNIM, KG.wikidataId, Literal("Q22338940")))
    g.add((JNIM, OWL.sameAs, WD.Q22338940))
    g.add((GAO, RDF.type, KG.City))
    g.add((GAO, RDFS.label, Literal("Gao")))
    g.add((EVENT, RDF.type, SEM.Event))
    g.add((EVENT, RDFS.label, Literal("Attack in Gao, 2024-01-05", lang="en")))
    g.add((EVENT, KG.perpetrator, JNIM))
    g.add((EVENT, SEM.hasPlace, GAO))
    mention = MINT.mention("a1.txt", 0, 4)
    g.add((mention, RDF.type, KG.Mention))
    g.add((mention, KG.mentionOf, JNIM))
    g.add((mention, KG.evidenceText, Literal(EVIDENCE)))
    g.add((mention, PROV.wasDerivedFrom, A1))
    return g


def _graph2() -> Graph:
    g = Graph()
    _article(g, G2, A2, "a2.txt", "Who holds Gao")
    g.add((JNIM, RDFS.label, Literal("JNIM")))
    g.add((JNIM, KG.locatedIn, GAO))
    assertion = MINT.assertion("a2.txt", 1)
    g.add((assertion, RDF.type, KG.RelationAssertion))
    g.add((assertion, RDF.subject, JNIM))
    g.add((assertion, RDF.predicate, KG.locatedIn))
    g.add((assertion, RDF.object, GAO))
    g.add((assertion, KG.evidenceText, Literal(RELATION_EVIDENCE)))
    g.add((EVIL, RDF.type, KG.Person))
    g.add((EVIL, RDFS.label, Literal(SCRIPT)))
    g.add((EVIL, KG.memberOf, JNIM))
    return g


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The root URL of a server whose base IRI is ``BASE`` (so ``/id/...`` paths)."""
    with KgStore(tmp_path_factory.mktemp("store")) as store:
        store.put_graph(G1, _graph1())
        store.put_graph(G2, _graph2())
        with LiveServer(create_app(Settings(store=store.path, base_iri=BASE), store)) as root:
            yield root


@pytest.fixture(scope="module")
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=10) as http:
        yield http


def _path(iri: URIRef) -> str:
    """The path on this server of an IRI under ``BASE``."""
    return "/id/" + str(iri)[len(BASE) :]


def _rdf(response: httpx.Response, fmt: str) -> Graph:
    assert response.status_code == 200, response.text
    with warnings.catch_warnings():
        # rdflib's JSON-LD parser builds a ConjunctiveGraph internally, which rdflib itself deprecates
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return Graph().parse(data=response.content, format=fmt)


@pytest.mark.parametrize(
    ("accept", "media_type", "fmt"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("*/*", "text/turtle", "turtle"),
    ],
)
def test_rdf_is_the_concise_bounded_description(client: httpx.Client, accept: str, media_type: str, fmt: str) -> None:
    response = client.get(_path(JNIM), headers={"Accept": accept})
    assert response.headers["content-type"].startswith(media_type)
    assert "Accept" in response.headers["vary"]
    g = _rdf(response, fmt)
    assert (JNIM, RDFS.label, Literal("JNIM")) in g
    assert (JNIM, OWL.sameAs, WD.Q22338940) in g
    assert (JNIM, KG.locatedIn, GAO) in g  # from the second article's graph
    assert (EVENT, KG.perpetrator, JNIM) in g  # the resource as object
    assert (EVIL, KG.memberOf, JNIM) in g
    assert (GAO, RDFS.label, Literal("Gao")) in g  # labels of the IRIs it mentions
    assert (EVENT, RDFS.label, Literal("Attack in Gao, 2024-01-05", lang="en")) in g
    assert (GAO, RDF.type, KG.City) not in g  # bounded: not the neighbours' other facts
    assert (A1, KG.fileName, Literal("a1.txt")) not in g


@pytest.mark.parametrize(
    ("fmt", "parse_as"), [("ttl", "turtle"), ("turtle", "turtle"), ("jsonld", "json-ld"), ("nt", "nt")]
)
def test_format_parameter_overrides_accept(client: httpx.Client, fmt: str, parse_as: str) -> None:
    response = client.get(_path(EVENT), params={"format": fmt}, headers={"Accept": "text/html"})
    g = _rdf(response, parse_as)
    assert (EVENT, SEM.hasPlace, GAO) in g


def test_the_iri_is_the_base_not_the_host(client: httpx.Client) -> None:
    """The server runs on 127.0.0.1, yet the path names the IRI under the configured base."""
    g = _rdf(client.get(_path(GAO), headers={"Accept": "text/turtle"}), "turtle")
    assert set(g.subjects(RDFS.label, Literal("Gao"))) == {GAO}


def test_browsers_get_the_html_page(client: httpx.Client) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
    response = client.get(_path(JNIM), headers={"Accept": browser})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<title>JNIM</title>" in page and "<h1>JNIM</h1>" in page
    assert "ArmedGroup" in page
    assert 'href="http://www.wikidata.org/entity/Q22338940"' in page
    assert EVIDENCE in page and RELATION_EVIDENCE in page
    assert "a1.txt" in page and "a2.txt" in page  # the source articles
    assert "Attack in Gao, 2024-01-05" in page and f'href="{_path(EVENT)}"' in page  # the related event
    assert "Related events" in page and "Related actors and places" in page
    assert f'href="{_path(GAO)}"' in page  # other end of a relation, linked on this server
    assert "<svg" in page and "</svg>" in page
    assert "?format=ttl" in page and "/sparql" in page
    assert "<script" not in page


def test_facts_are_grouped_by_source_article(client: httpx.Client) -> None:
    page = client.get(_path(JNIM), headers={"Accept": "text/html"}).text
    facts = page[page.index("<h2>Facts</h2>") : page.index("<h2>Evidence</h2>")]
    first, second = facts.index("a1.txt — Camp attacked in Gao"), facts.index("a2.txt — Who holds Gao")
    located = facts.index("kg:locatedIn")
    wikidata = facts.index("kg:wikidataId")
    assert first < wikidata < second < located


def test_event_page_lists_actors_and_places(client: httpx.Client) -> None:
    page = client.get(_path(EVENT), params={"format": "html"}).text
    assert "<h1>Attack in Gao, 2024-01-05</h1>" in page
    related = page[page.index("Related actors and places") :]
    assert f'href="{_path(JNIM)}"' in related and f'href="{_path(GAO)}"' in related


def test_labels_are_escaped(client: httpx.Client) -> None:
    evil = client.get(_path(EVIL), headers={"Accept": "text/html"})
    assert evil.status_code == 200
    assert SCRIPT not in evil.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in evil.text
    neighbour = client.get(_path(JNIM), headers={"Accept": "text/html"}).text
    assert SCRIPT not in neighbour and "&lt;script&gt;" in neighbour


def test_unknown_iri_is_404(client: httpx.Client) -> None:
    assert client.get("/id/actor/nobody", headers={"Accept": "text/turtle"}).status_code == 404
    assert client.get("/id/actor/nobody", headers={"Accept": "text/html"}).status_code == 404
    assert client.get("/id/", headers={"Accept": "text/turtle"}).status_code == 404


def test_unacceptable_format_is_406(client: httpx.Client) -> None:
    assert client.get(_path(JNIM), headers={"Accept": "image/png"}).status_code == 406
    assert client.get(_path(JNIM), params={"format": "png"}).status_code == 406


@pytest.mark.parametrize(
    "path",
    [
        "/id/../../etc/passwd",
        "/id/%2e%2e/%2e%2e/etc/passwd",
        "/id/%2E%2E/%2E%2E/etc/passwd",
        "/id/actor/..%2f..%2f..%2fetc%2fpasswd",
        "/id/./actor/jnim",
        "/id/actor/%2e%2e",
    ],
)
def test_path_traversal_is_404_never_a_file(server: str, path: str) -> None:
    """Sent byte for byte (httpx would remove dot segments before sending)."""
    host = urlsplit(server)
    connection = http.client.HTTPConnection(host.hostname or "", host.port, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept": "text/turtle, text/plain;q=0.1"})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status == 404
    assert b"root:" not in body


def test_other_routes_still_win(client: httpx.Client) -> None:
    assert client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/json"}).status_code == 200
