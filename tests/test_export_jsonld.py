"""JSON-LD compacted with osint-kg's context: short keys, the same quads back, the context served over HTTP."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph
from rdflib.compare import isomorphic

from kg.api import create_app
from kg.config import Settings
from kg.export.jsonld import CONTEXT_PATH, compact_store, export_jsonld, jsonld_context
from kg.pipeline.prepare import IngestReport
from kg.store.graphs import KgStore
from kg.vocab.namespaces import KG
from tests.conftest import PROJECT_ROOT
from tests.live import LiveServer

BASE = "https://w3id.org/osint-kg/id/"
CONTEXT_URL = "https://osint-kg.example/context.jsonld"
Loader = Callable[[str, Any], dict[str, Any]]


@pytest.fixture(scope="module")
def context() -> dict[str, Any]:
    return jsonld_context(PROJECT_ROOT / "ontology", BASE)


@pytest.fixture
def store(example_build: tuple[Settings, IngestReport]) -> Iterator[KgStore]:
    with KgStore(example_build[0].store) as opened:
        yield opened


def _local_loader(documents: dict[str, Any]) -> Loader:
    """A pyld document loader that serves ``documents`` by URL and refuses anything else (no network)."""

    def load(url: str, options: Any = None) -> dict[str, Any]:
        if url not in documents:
            raise jsonld.JsonLdError(f"no network in tests: {url}", "loading document failed")
        return {"contextUrl": None, "documentUrl": url, "document": documents[url]}

    return load


def _dataset(nquads: str | bytes) -> Dataset:
    dataset = Dataset()
    dataset.parse(data=nquads, format="nquads")
    return dataset


def _store_dataset(store: KgStore) -> Dataset:
    dump = io.BytesIO()
    store.dump(dump, ox.RdfFormat.N_QUADS)
    return _dataset(dump.getvalue())


def _assert_same_graphs(expected: Dataset, actual: Dataset) -> None:
    names = {g.identifier for g in expected.graphs() if len(g)}
    assert names == {g.identifier for g in actual.graphs() if len(g)}
    assert len(names) > 10
    for name in names:
        assert isomorphic(expected.graph(name), actual.graph(name)), name


def test_context_has_a_term_for_every_ontology_term(context: dict[str, Any]) -> None:
    ontology = Graph().parse(PROJECT_ROOT / "ontology" / "osint-kg.ttl")
    terms = context["@context"]
    assert terms["kgid"] == BASE and terms["kg"] == str(KG._NS)
    checked = 0
    for term in sorted(set(ontology.subjects(RDF.type, None))):
        if not str(term).startswith(str(KG._NS)):
            continue
        kinds = set(ontology.objects(term, RDF.type))
        if not kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}:
            continue
        name = str(term)[len(str(KG._NS)) :]
        definition = terms[name] if isinstance(terms[name], dict) else {"@id": terms[name]}
        assert definition["@id"] == f"kg:{name}"
        if OWL.ObjectProperty in kinds:
            assert definition.get("@type") == "@id", name
        range_ = ontology.value(term, RDFS.range)
        if OWL.DatatypeProperty in kinds and range_ is not None and range_ != XSD.string:
            assert definition.get("@type") == f"xsd:{str(range_)[len(str(XSD)) :]}", name
        checked += 1
    assert checked > 60


@pytest.mark.slow
def test_export_uses_short_keys_only(store: KgStore, context: dict[str, Any]) -> None:
    document = compact_store(store, context)
    assert document["@context"] == context["@context"]
    long_keys: set[str] = set()
    nodes = 0
    for graph in document["@graph"]:
        assert graph["id"].startswith("kgid:graph/")
        for node in graph["@graph"]:
            nodes += 1
            long_keys |= {k for k in node if "://" in k}
            types = node.get("type", [])
            long_keys |= {t for t in ([types] if isinstance(types, str) else types) if "://" in t}
    assert nodes > 1000
    assert long_keys == set()


@pytest.mark.slow
def test_events_read_with_their_ontology_keys(store: KgStore, context: dict[str, Any]) -> None:
    document = compact_store(store, context)
    events = [
        n
        for g in document["@graph"]
        for n in g["@graph"]
        if n.get("id") == "kgid:event/violence/2024-08-24/barsalogho" and "eventType" in n
    ]
    assert len(events) >= 2  # one node per article graph that reports it
    assert all(e["type"] == "Event" and e["hasPlace"] == "kgid:place/barsalogho" for e in events)
    assert all(isinstance(e["confidence"], str) and 0 < float(e["confidence"]) <= 1 for e in events)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_round_trip_through_pyld_is_isomorphic(store: KgStore, context: dict[str, Any]) -> None:
    buffer = io.BytesIO()
    export_jsonld(store, buffer, context, context_url=CONTEXT_URL)
    document = json.loads(buffer.getvalue())
    assert document["@context"] == CONTEXT_URL
    expanded = jsonld.expand(document, {"documentLoader": _local_loader({CONTEXT_URL: context})})
    nquads = jsonld.to_rdf(expanded, {"format": "application/n-quads"})
    _assert_same_graphs(_store_dataset(store), _dataset(nquads))


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_embedded_context_reads_back_with_rdflib(store: KgStore, context: dict[str, Any]) -> None:
    """A second JSON-LD processor (rdflib's) reads the self-contained export to the same graphs."""
    buffer = io.BytesIO()
    export_jsonld(store, buffer, context)
    parsed = Dataset()
    parsed.parse(data=buffer.getvalue(), format="json-ld")
    _assert_same_graphs(_store_dataset(store), parsed)


@pytest.mark.slow
def test_server_publishes_the_context(store: KgStore, context: dict[str, Any]) -> None:
    settings = Settings(store=store.path, base_iri=BASE)
    with LiveServer(create_app(settings, store)) as root, httpx.Client(timeout=10) as client:
        response = client.get(root + CONTEXT_PATH)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/ld+json"
        assert response.headers["access-control-allow-origin"] == "*"
        assert response.json() == context

        def over_http(url: str, options: Any = None) -> dict[str, Any]:
            return {"contextUrl": None, "documentUrl": url, "document": client.get(url).json()}

        doc = {
            "@context": root + CONTEXT_PATH,
            "id": "kgid:event/e",
            "perpetrator": "kgid:actor/a",
            "confidence": "0.8",
        }
        expanded = jsonld.expand(doc, {"documentLoader": over_http})
        assert expanded == [
            {
                "@id": BASE + "event/e",
                str(KG.perpetrator): [{"@id": BASE + "actor/a"}],
                str(KG.confidence): [{"@type": str(XSD.decimal), "@value": "0.8"}],
            }
        ]


def test_context_follows_the_base_iri() -> None:
    assert jsonld_context(PROJECT_ROOT / "ontology", "https://example.org/kg/")["@context"]["kgid"] == (
        "https://example.org/kg/"
    )


@pytest.mark.slow
def test_cli_embeds_or_refers_to_the_context(example_build: tuple[Settings, IngestReport], tmp_path: Any) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    out = tmp_path / "graph.jsonld"
    result = CliRunner().invoke(
        app,
        [
            "export",
            "--store",
            str(example_build[0].store),
            "-f",
            "jsonld",
            "--context-url",
            CONTEXT_URL,
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["@context"] == CONTEXT_URL
