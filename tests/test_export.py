"""Exports read back from the store: the facts JSON and RDF dumps that keep the article graphs."""

from __future__ import annotations

import io
import json

import pytest
from rdflib import Dataset, Graph

from kg.export.facts import read_facts
from kg.export.formats import RdfExportFormat, export_facts, export_rdf
from kg.model import VIOLENT_TYPES
from kg.store.graphs import KgStore

pytestmark = pytest.mark.slow


def test_facts_have_one_record_per_article(example_store: KgStore) -> None:
    out = read_facts(example_store).model_dump()
    files = [d["file"] for d in out["documents"]]
    assert len(files) == 14 and files == sorted(files)
    for doc in out["documents"]:
        assert doc["entities"], doc["file"]
        for ent in doc["entities"]:
            assert ent["name"] and ent["type"] and ent["mentions"]
            assert ent["wikidata"] is None or ent["wikidata"].startswith("Q")


def test_shared_event_has_one_iri_and_all_its_sources(example_store: KgStore) -> None:
    """Barsalogho is reported by three articles (11, 12, 13): one node, each article a source."""
    out = read_facts(example_store).model_dump()
    events = {e["id"]: e for d in out["documents"] for e in d["events"]}
    barsalogho = [
        e
        for e in events.values()
        if e["place"] == "Barsalogho" and e["date"] == "2024-08-24" and e["type"] in VIOLENT_TYPES
    ]
    assert len(barsalogho) == 1
    assert {"11_barsalogho-flash.txt", "12_barsalogho-attack.txt"} <= set(barsalogho[0]["sources"])


def test_conflicting_figures_stay_side_by_side(example_store: KgStore) -> None:
    out = read_facts(example_store).model_dump()
    killed = {
        (d["file"], c["count"])
        for d in out["documents"]
        for e in d["events"]
        if e["place"] == "Barsalogho"
        for c in e["casualties"]
        if c["kind"] == "killed"
    }
    counts = {count for _, count in killed}
    assert {300, 400} <= counts, killed
    assert len({f for f, _ in killed}) >= 2


def test_facts_json_is_valid(example_store: KgStore) -> None:
    buffer = io.BytesIO()
    export_facts(example_store, buffer)
    assert json.loads(buffer.getvalue())["documents"]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("fmt, rdflib_format", [(RdfExportFormat.TRIG, "trig"), (RdfExportFormat.NQUADS, "nquads")])
def test_dataset_dumps_keep_article_graphs(example_store: KgStore, fmt: RdfExportFormat, rdflib_format: str) -> None:
    buffer = io.BytesIO()
    export_rdf(example_store, buffer, fmt)
    dataset = Dataset()
    dataset.parse(data=buffer.getvalue(), format=rdflib_format)
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert set(example_store.named_graphs()) <= names
    assert sum(len(g) for g in dataset.graphs()) == len(example_store)


def test_turtle_dump_merges_graphs(example_store: KgStore) -> None:
    buffer = io.BytesIO()
    export_rdf(example_store, buffer, RdfExportFormat.TURTLE)
    merged = Graph().parse(data=buffer.getvalue(), format="turtle")
    assert 0 < len(merged) <= len(example_store)


def test_jsonld_dump_parses(example_store: KgStore) -> None:
    buffer = io.BytesIO()
    export_rdf(example_store, buffer, RdfExportFormat.JSONLD)
    assert json.loads(buffer.getvalue())
