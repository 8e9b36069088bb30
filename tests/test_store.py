"""The on-disk store: atomic graph writes, replacement without duplicates, crash leftovers repaired."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from kg.errors import QueryError, StoreLockedError
from kg.namespaces import KG
from kg.store import KgStore

G = URIRef("https://example.org/graph/a")
S = URIRef("https://example.org/s")


def graph(*values: str) -> Graph:
    g = Graph()
    for v in values:
        g.add((S, URIRef("https://example.org/p"), Literal(v)))
    g.add((S, KG.contentHash, Literal("h-" + "-".join(values))))
    return g


def values(store: KgStore) -> list[str]:
    rows = store.select("SELECT ?v WHERE { GRAPH ?g { ?s <https://example.org/p> ?v } } ORDER BY ?v")
    return [r["v"].value for r in rows]


def test_new_graph_then_replacement_keeps_one_copy(tmp_path: Path) -> None:
    with KgStore(tmp_path / "s") as store:
        store.put_graph(G, graph("one", "two"))
        assert values(store) == ["one", "two"]
        store.put_graph(G, graph("three"))
        assert values(store) == ["three"]
        assert store.named_graphs() == [str(G)]
        assert store.article_hash(G) == "h-three"


def test_data_survives_reopening(tmp_path: Path) -> None:
    with KgStore(tmp_path / "s") as store:
        store.put_graph(G, graph("kept"))
    with KgStore(tmp_path / "s") as store:
        assert values(store) == ["kept"]


def test_unknown_graph_has_no_hash(tmp_path: Path) -> None:
    with KgStore(tmp_path / "s") as store:
        assert store.article_hash(URIRef("https://example.org/nothing")) is None


def test_leftover_staging_graph_is_dropped_on_open(tmp_path: Path) -> None:
    """A crash between staging and swap leaves a staging graph; opening the store removes it."""
    raw = ox.Store(str(tmp_path / "s"))
    staging = ox.NamedNode(f"{G}/staging")
    raw.add(ox.Quad(staging, ox.NamedNode(str(KG.stagingFor)), ox.NamedNode(str(G)), staging))
    raw.add(ox.Quad(ox.NamedNode(str(S)), ox.NamedNode("https://example.org/p"), ox.Literal("half"), staging))
    raw.flush()
    del raw
    with KgStore(tmp_path / "s") as store:
        assert values(store) == []
        assert store.named_graphs() == []


def test_second_process_gets_a_clear_lock_error(tmp_path: Path) -> None:
    with KgStore(tmp_path / "s"):
        code = ("from kg.store import KgStore\n"
                "from kg.errors import StoreLockedError\n"
                f"try:\n    KgStore({str(tmp_path / 's')!r})\n"
                "except StoreLockedError as e:\n    print('LOCKED', e)\n")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                                cwd=Path(__file__).parent.parent)
    assert "LOCKED" in result.stdout, result.stderr
    assert "in use by another process" in result.stdout


def test_syntax_error_is_a_query_error(tmp_path: Path) -> None:
    with KgStore(tmp_path / "s") as store, pytest.raises(QueryError):
        store.select("SELECT WHERE {")


def test_lock_error_is_a_store_error() -> None:
    from kg.errors import StoreError

    assert issubclass(StoreLockedError, StoreError)
