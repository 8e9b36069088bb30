"""benchmarks/rdfgen.py: synthetic RDF in osint-kg's data model, the data of the endpoint benchmarks."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from kg.pipeline.prepare import ArticlePreparer
from kg.sparql.saved import load_queries
from kg.store.graphs import KgStore
from kg.validate.gate import validate_graph
from kg.vocab.iri import Minter
from tests.conftest import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))
import rdfgen

BASE = "https://w3id.org/osint-kg/id/"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[rdfgen.Dataset, KgStore]:
    """About 4,000 generated quads in an on-disk store."""
    folder = tmp_path_factory.mktemp("rdfgen")
    dataset = rdfgen.write_nquads(folder / "data.nq", 4000, lookups=20)
    store = KgStore(folder / "store")
    store.bulk_load(dataset.path)
    return dataset, store


def test_the_size_asked_for_is_reached_with_whole_articles(generated: tuple[rdfgen.Dataset, KgStore]) -> None:
    dataset, store = generated
    assert 4000 <= dataset.quads < 4000 + 400
    assert len(store) == dataset.quads
    rows = store.select(
        "PREFIX kg: <https://w3id.org/osint-kg/ontology#>\n"
        "SELECT (COUNT(?g) AS ?n) WHERE { GRAPH ?g { ?g a kg:ArticleGraph } }"
    )
    assert int(rows[0]["n"].value) == dataset.articles > 5


@pytest.mark.parametrize("name", sorted(load_queries(PROJECT_ROOT / "queries")))
def test_every_analyst_query_returns_rows(generated: tuple[rdfgen.Dataset, KgStore], name: str) -> None:
    _, store = generated
    text = (PROJECT_ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    assert store.select(text), f"{name} returns no row on the generated data"


def test_lookup_targets_are_subjects_of_the_data(generated: tuple[rdfgen.Dataset, KgStore]) -> None:
    dataset, store = generated
    assert len(dataset.lookup_targets) == 20
    for iri in dataset.lookup_targets:
        rows = store.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", substitutions={"s": ox.NamedNode(iri)})
        assert rows, iri


def test_article_graphs_pass_the_shacl_gate(preparer: ArticlePreparer) -> None:
    world = rdfgen.build_world(random.Random(3), Minter(BASE), 30)
    for number in range(1, 6):
        quads = rdfgen.article_quads(world, random.Random(number), number)
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        graph = Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
        report = validate_graph(graph, preparer.shapes, preparer.ontology)
        assert report.conforms, report.text


def test_an_article_graph_missing_its_hash_fails_the_gate(preparer: ArticlePreparer) -> None:
    """The gate above can fail: the same graph without kg:contentHash does not conform."""
    world = rdfgen.build_world(random.Random(3), Minter(BASE), 30)
    quads = rdfgen.article_quads(world, random.Random(1), 1)
    triples = [
        ox.Triple(q.subject, q.predicate, q.object) for q in quads if not q.predicate.value.endswith("#contentHash")
    ]
    graph = Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    assert not validate_graph(graph, preparer.shapes, preparer.ontology).conforms


def test_same_seed_and_size_give_the_same_bytes(tmp_path: Path) -> None:
    first = rdfgen.write_nquads(tmp_path / "a.nq", 2000, seed=5)
    second = rdfgen.write_nquads(tmp_path / "b.nq", 2000, seed=5)
    other = rdfgen.write_nquads(tmp_path / "c.nq", 2000, seed=6)
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.path.read_bytes() != other.path.read_bytes()
    assert first.lookup_targets == second.lookup_targets
