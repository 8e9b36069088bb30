"""The on-disk store: atomic graph writes, replacement without duplicates, crash leftovers repaired."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from kg.errors import QueryError, StoreLockedError
from kg.store.graphs import _DEFAULT_STAGING, KgStore
from kg.store.snapshots import latest_snapshot, snapshots_dir
from kg.vocab.namespaces import KG

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


def test_the_default_graph_is_replaced_whole_and_its_staging_leftover_dropped(tmp_path: Path) -> None:
    """A PUT of the default graph stages the body, then swaps it in: a crash in between leaves the old graph."""
    p = ox.NamedNode("https://example.org/p")
    with KgStore(tmp_path / "s") as store:
        store.put_ntriples(None, b'<https://example.org/s> <https://example.org/p> "old" .\n')
        store.put_graph(G, graph("named"))
        store.put_ntriples(None, b'<https://example.org/s> <https://example.org/p> "new" .\n')
        assert [q.object.value for q in store._store.quads_for_pattern(None, p, None, ox.DefaultGraph())] == ["new"]
        assert store.named_graphs() == [str(G)]
    raw = ox.Store(str(tmp_path / "s"))
    raw.add(ox.Quad(ox.NamedNode(str(S)), p, ox.Literal("half"), _DEFAULT_STAGING))
    raw.flush()
    del raw
    with KgStore(tmp_path / "s") as store:
        assert store.named_graphs() == [str(G)]
        assert [q.object.value for q in store._store.quads_for_pattern(None, p, None, ox.DefaultGraph())] == ["new"]
        assert store.drop_graph(None)
        assert list(store._store.quads_for_pattern(None, None, None, ox.DefaultGraph())) == []


def test_second_process_gets_a_clear_lock_error(tmp_path: Path) -> None:
    with KgStore(tmp_path / "s"):
        code = (
            "from kg.store.graphs import KgStore\n"
            "from kg.errors import StoreLockedError\n"
            f"try:\n    KgStore({str(tmp_path / 's')!r})\n"
            "except StoreLockedError as e:\n    print('LOCKED', e)\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=Path(__file__).parent.parent
        )
    assert "LOCKED" in result.stdout, result.stderr
    assert "being written by another process" in result.stdout


def test_syntax_error_is_a_query_error(tmp_path: Path) -> None:
    with KgStore(tmp_path / "s") as store, pytest.raises(QueryError):
        store.select("SELECT WHERE {")


def test_lock_error_is_a_store_error() -> None:
    from kg.errors import StoreError

    assert issubclass(StoreLockedError, StoreError)


def test_snapshots_are_published_on_close_and_when_due(tmp_path: Path) -> None:
    path = tmp_path / "s"
    assert latest_snapshot(path) is None
    with KgStore(path, snapshot_interval_s=3600) as store:
        store.put_graph(G, graph("one"))
        assert latest_snapshot(path) is None  # not due yet
    first = latest_snapshot(path)
    assert first is not None and first.parent == snapshots_dir(path)
    with KgStore(path, snapshot_interval_s=0) as store:  # due at every write
        store.put_graph(G, graph("two"))
        second = latest_snapshot(path)
        assert second is not None and second != first
        store.put_graph(G, graph("three"))  # the live store moves on; the published snapshot does not
        snapshot = KgStore.open_snapshot(second)
        try:
            assert values(snapshot) == ["two"]
        finally:
            snapshot.close()
    assert first.is_dir(), "a snapshot younger than the grace period is kept for its readers"


def test_a_snapshot_is_readable_while_the_writer_holds_the_store(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with KgStore(path, snapshot_interval_s=0) as store:
        store.put_graph(G, graph("one"))
        snapshot = latest_snapshot(path)
        assert snapshot is not None
        reader = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from kg.store.graphs import KgStore; s = KgStore.open_snapshot(sys.argv[1]); print(len(s))",
                str(snapshot),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert reader.returncode == 0, reader.stderr
        assert int(reader.stdout) == len(store)


def test_a_store_that_was_only_read_publishes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with KgStore(path) as store:
        store.select("SELECT * WHERE { ?s ?p ?o }")
    assert latest_snapshot(path) is None


def test_readers_fall_back_to_the_latest_snapshot_while_a_writer_holds_the_store(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with KgStore(path, snapshot_interval_s=0) as writer:
        writer.put_graph(G, graph("one"))
        reader = subprocess.run(
            [
                sys.executable,
                "-c",
                (
                    "import sys; from kg.store.graphs import open_for_reading\n"
                    "with open_for_reading(sys.argv[1]) as s: print(s.read_only, s.named_graphs())"
                ),
                str(path),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert reader.returncode == 0, reader.stderr
        assert reader.stdout.startswith("True"), reader.stdout
        assert str(G) in reader.stdout
