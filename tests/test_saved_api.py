"""Saved queries as an API (/api/queries) over real HTTP, on a small store shaped like the article graphs."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, TIME

from kg.api import create_app
from kg.api.routes import saved
from kg.config import Settings
from kg.errors import ConfigError
from kg.sparql.saved import SavedQuery, load_queries
from kg.store.graphs import KgStore
from kg.vocab.namespaces import CK, ET, KG, SDO, SEM
from tests.live import LiveServer

pytestmark = pytest.mark.slow

ID = Namespace("https://w3id.org/osint-kg/id/")
BARSALOGHO = ID["place/barsalogho"]
BURKINA = ID["place/burkina-faso"]
BAMAKO = ID["place/bamako"]
MALI = ID["place/mali"]
ATTACK = ID["event/violence/2024-08-24/barsalogho"]
BOMBING = ID["event/bombing/2024-07-10/bamako"]
JNIM = ID["actor/jamaat-nusrat-al-islam-wal-muslimin"]
KB = ID["graph/kb"]
INJECTION = "> } ; DROP ALL #"


# -- the store -----------------------------------------------------------------


def _article(graph: Graph, name: URIRef, file: str, published: str) -> URIRef:
    article = ID[f"article/{file}"]
    graph.add((name, RDF.type, KG.ArticleGraph))
    graph.add((name, PROV.wasDerivedFrom, article))
    graph.add((article, KG.fileName, Literal(file)))
    graph.add((article, SDO.datePublished, Literal(published, datatype=XSD.date)))
    return article


def _event(graph: Graph, event: URIRef, kind: URIRef, day: str, place: URIRef, label: str) -> None:
    graph.add((event, RDF.type, SEM.Event))
    graph.add((event, SEM.eventType, kind))
    graph.add((event, SEM.hasTimeStamp, Literal(day, datatype=XSD.date)))
    graph.add((event, KG.datePrecision, TIME.unitDay))
    graph.add((event, SEM.hasPlace, place))
    graph.add((event, RDFS.label, Literal(label)))


def _figure(graph: Graph, figure: URIRef, event: URIRef, count: int) -> None:
    graph.add((figure, RDF.type, KG.CasualtyFigure))
    graph.add((figure, KG.figureFor, event))
    graph.add((figure, KG.casualtyKind, CK.killed))
    graph.add((figure, KG.count, Literal(count)))


def _graphs() -> dict[URIRef, Graph]:
    """The KB's places, and two articles: both report the attack with different death tolls."""
    kb = Graph()
    for place, inside, label in ((BARSALOGHO, BURKINA, "Barsalogho"), (BAMAKO, MALI, "Bamako")):
        kb.add((place, KG.locatedIn, inside))
        kb.add((place, RDFS.label, Literal(label)))
    kb.add((JNIM, RDFS.label, Literal("JNIM")))

    a_name, b_name = ID["graph/a.txt"], ID["graph/b.txt"]
    a = Graph()
    _article(a, a_name, "a.txt", "2024-08-25")
    _event(a, ATTACK, ET.Attack, "2024-08-24", BARSALOGHO, "Barsalogho attack")
    _event(a, BOMBING, ET.Bombing, "2024-07-10", BAMAKO, "Bamako bombing")
    a.add((ATTACK, KG.perpetrator, JNIM))
    a.add((ID["claim/a/1"], RDF.type, KG.ResponsibilityClaim))
    a.add((ID["claim/a/1"], KG.claimant, JNIM))
    a.add((ID["claim/a/1"], KG.claimFor, ATTACK))
    _figure(a, ID["figure/a/1"], ATTACK, 200)

    b = Graph()
    _article(b, b_name, "b.txt", "2024-08-27")
    _event(b, ATTACK, ET.Attack, "2024-08-24", BARSALOGHO, "Barsalogho attack")
    _figure(b, ID["figure/b/1"], ATTACK, 400)
    return {KB: kb, a_name: a, b_name: b}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KgStore]:
    with KgStore(tmp_path_factory.mktemp("saved") / "store") as kg_store:
        for name, graph in _graphs().items():
            kg_store.put_graph(name, graph)
        yield kg_store


# -- the server ----------------------------------------------------------------


def _app(settings: Settings, store: KgStore) -> FastAPI:
    app = create_app(settings, store)  # the app serves the saved queries of settings.queries_dir
    return app


@pytest.fixture(scope="module")
def settings(store: KgStore) -> Settings:
    return Settings(store=store.path, max_rows=1000)


@pytest.fixture(scope="module")
def base(store: KgStore, settings: Settings) -> Iterator[str]:
    with LiveServer(_app(settings, store)) as url:
        yield url


@pytest.fixture(scope="module")
def client(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=10) as http:
        yield http


@pytest.fixture(scope="module")
def queries(settings: Settings) -> dict[str, SavedQuery]:
    found = load_queries(settings.queries_dir)
    assert found, f"no saved queries in {settings.queries_dir}"
    return found


def _rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/sparql-results+json"
    return [{var: term["value"] for var, term in row.items()} for row in response.json()["results"]["bindings"]]


def _events(response: httpx.Response) -> list[str]:
    return [row["event"] for row in _rows(response)]


# -- listing and documentation -------------------------------------------------


def test_the_list_names_every_rq_file(
    client: httpx.Client, base: str, settings: Settings, queries: dict[str, SavedQuery]
) -> None:
    response = client.get("/api/queries")
    assert response.status_code == 200, response.text
    listed = response.json()
    assert [q["name"] for q in listed] == sorted(p.stem for p in settings.queries_dir.glob("*.rq"))
    events = next(q for q in listed if q["name"] == "events_by_place_and_date")
    assert events["title"] == queries["events_by_place_and_date"].title
    assert [(p["name"], p["type"]) for p in events["parameters"]] == [
        ("place", "iri"),
        ("from", "date"),
        ("to", "date"),
    ]
    assert all(p["description"] for p in events["parameters"])
    assert events["url"] == f"{base}/api/queries/events_by_place_and_date"
    assert events["query"] == (settings.queries_dir / "events_by_place_and_date.rq").read_text(encoding="utf-8")


def test_every_listed_url_answers(client: httpx.Client) -> None:
    for query in client.get("/api/queries").json():
        response = client.get(query["url"])
        assert response.status_code == 200, (query["name"], response.text)
        assert "results" in response.json()


def test_openapi_has_an_operation_per_saved_query(client: httpx.Client, queries: dict[str, SavedQuery]) -> None:
    paths: dict[str, Any] = client.get("/openapi.json").json()["paths"]
    assert "/api/queries" in paths
    types = {
        "iri": ("string", "iri"),
        "date": ("string", "date"),
        "string": ("string", None),
        "integer": ("integer", None),
    }
    for name, query in queries.items():
        operation = paths[f"/api/queries/{name}"]["get"]
        assert operation["operationId"] == name
        assert operation["summary"] == query.title
        assert operation["description"] == query.description
        documented = {p["name"]: p for p in operation["parameters"]}
        assert set(documented) == {p.name for p in query.params} | {"format"}
        for param in query.params:
            doc = documented[param.name]
            assert doc["in"] == "query" and not doc["required"]
            assert doc["description"] == param.description
            assert (doc["schema"]["type"], doc["schema"].get("format")) == types[param.type]


# -- parameters ----------------------------------------------------------------


def test_parameters_restrict_the_rows(client: httpx.Client) -> None:
    url = "/api/queries/events_by_place_and_date"
    assert sorted(_events(client.get(url))) == sorted([str(ATTACK), str(BOMBING)])
    assert _events(client.get(url, params={"from": "2024-08-01"})) == [str(ATTACK)]
    assert _events(client.get(url, params={"to": "2024-07-31"})) == [str(BOMBING)]
    assert _events(client.get(url, params={"place": str(MALI)})) == [str(BOMBING)]
    assert _events(client.get(url, params={"place": f"<{BURKINA}>", "to": "2024-08-01"})) == []


def test_an_iri_parameter_selects_the_event(client: httpx.Client) -> None:
    url = "/api/queries/conflicting_figures"
    rows = _rows(client.get(url, params={"event": str(ATTACK)}))
    assert [(r["count1"], r["file1"], r["count2"], r["file2"]) for r in rows] == [("200", "a.txt", "400", "b.txt")]
    assert _rows(client.get(url, params={"event": str(BOMBING)})) == []


def test_an_integer_parameter(client: httpx.Client) -> None:
    response = client.get("/api/queries/unlinked_entities", params={"minMentions": "3"})
    assert _rows(response) == []
    bad = client.get("/api/queries/unlinked_entities", params={"minMentions": "three"})
    assert bad.status_code == 400 and "'minMentions'" in bad.text and "integer" in bad.text


# -- formats -------------------------------------------------------------------


@pytest.mark.parametrize(("params", "headers"), [({"format": "csv"}, {}), ({}, {"Accept": "text/csv"})])
def test_csv(client: httpx.Client, params: dict[str, str], headers: dict[str, str]) -> None:
    url = "/api/queries/events_by_place_and_date"
    response = client.get(url, params=params, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(row["event"] for row in rows) == sorted(_events(client.get(url)))
    assert {row["label"] for row in rows} == {"Barsalogho attack", "Bamako bombing"}


def test_an_unknown_format_is_406(client: httpx.Client) -> None:
    response = client.get("/api/queries/event_sources", params={"format": "yaml"})
    assert response.status_code == 406 and "csv" in response.text


def test_rows_are_capped_at_max_rows(store: KgStore) -> None:
    settings = Settings(store=store.path, max_rows=1)
    with LiveServer(_app(settings, store)) as url, httpx.Client(base_url=url, timeout=10) as http:
        response = http.get("/api/queries/events_by_place_and_date")
    assert len(_rows(response)) == 1
    assert response.headers["x-kg-truncated"] == "true"


# -- refusals ------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2024-13-01", "24 August 2024", "2024-08-24T00:00:00", ""])
def test_a_bad_date_is_400_naming_the_parameter(client: httpx.Client, value: str) -> None:
    response = client.get("/api/queries/events_by_place_and_date", params={"from": value})
    assert response.status_code == 400, response.text
    assert "'from'" in response.text and "YYYY-MM-DD" in response.text


def test_an_unknown_parameter_is_400(client: httpx.Client) -> None:
    response = client.get("/api/queries/events_by_place_and_date", params={"country": str(MALI)})
    assert response.status_code == 400
    assert "'country'" in response.text and "place, from, to" in response.text


def test_a_repeated_parameter_is_400(client: httpx.Client) -> None:
    response = client.get("/api/queries/events_by_place_and_date?from=2024-01-01&from=2024-02-01")
    assert response.status_code == 400 and "'from'" in response.text and "more than once" in response.text


def test_an_unknown_query_is_404(client: httpx.Client) -> None:
    assert client.get("/api/queries/drop_everything").status_code == 404


def test_injection_is_a_value(client: httpx.Client, store: KgStore) -> None:
    before = (len(store), store.named_graphs())
    as_iri = client.get("/api/queries/claims_for_event", params={"event": INJECTION})
    assert as_iri.status_code == 400 and "'event'" in as_iri.text and "IRI" in as_iri.text
    as_string = client.get("/api/queries/events_by_actor", params={"role": INJECTION})
    assert _rows(as_string) == []
    quoted = client.get("/api/queries/events_by_actor", params={"role": '") } } DROP ALL ; SELECT * { ("'})
    assert _rows(quoted) == []
    assert (len(store), store.named_graphs()) == before
    assert _rows(client.get("/api/queries/events_by_actor", params={"role": "perpetrator"}))[0]["actor"] == str(JNIM)


# -- building the router -------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "header", "problem"),
    [
        ("a b.rq", "", "letters, digits"),
        ("list_saved_queries.rq", "", "taken"),
        ("q.rq", "# param: format string  The format\n", "reserved"),
    ],
)
def test_unservable_queries_are_refused(tmp_path: Path, file: str, header: str, problem: str) -> None:
    text = f"# title: T\n# description: D\n{header}SELECT ?format WHERE {{ ?s ?p ?o }}\n"
    (tmp_path / file).write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=problem):
        saved.saved_queries_router(load_queries(tmp_path))
