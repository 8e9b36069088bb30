"""``using-graph-uri`` / ``using-named-graph-uri`` applied to rdflib's parse tree of an update, and the
printer that writes the tree back (``kg.sparql.update_dataset``).

The printer is checked on the W3C SPARQL 1.1 test files of ``../shared/conformance`` (skipped when they are
absent): every update that rdflib reads prints to a text Oxigraph gives the same effect on the same data,
and printing is a fixpoint; every SELECT query's pattern prints to one with the same answers.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

from kg.errors import QueryError
from kg.sparql.update_dataset import (
    _prologue,
    _select,
    _Unprintable,
    unparse,
    with_dataset,
)
from tests.conftest import PROJECT_ROOT

W3C = PROJECT_ROOT.parent / "shared" / "conformance" / "w3c-sparql" / "sparql11"
G1, G2, G3 = (f"http://example.org/g{n}" for n in (1, 2, 3))
BASE = "http://example.org/base/"


def _w3c(pattern: str) -> list[Path]:
    if not W3C.is_dir():
        pytest.skip(f"{W3C} not present")
    files = sorted(W3C.glob(pattern))
    assert files, f"no {pattern} under {W3C}"
    return files


def _store_with_data(directory: Path) -> ox.Store:
    """The Turtle files of ``directory`` in the default graph and, each, in a named graph."""
    store = ox.Store()
    for n, data in enumerate(sorted(directory.glob("*.ttl"))):
        for graph in (ox.DefaultGraph(), ox.NamedNode(f"http://example.org/g{n}")):
            try:
                store.load(path=str(data), format=ox.RdfFormat.TURTLE, base_iri=BASE, to_graph=graph)
            except SyntaxError:
                break
    return store


def _canonical(store: ox.Store) -> set[str]:
    dataset = ox.Dataset(list(store))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(quad) for quad in dataset}


def _outcome(store: ox.Store, update: str) -> set[str] | str:
    try:
        store.update(update, base_iri=BASE)
    except (SyntaxError, OSError, RuntimeError) as exc:
        return f"refused ({type(exc).__name__})"
    return _canonical(store)


def test_w3c_updates_print_back_to_updates_with_the_same_effect() -> None:
    checked = 0
    for path in _w3c("*/*.ru"):
        text = path.read_text(encoding="utf-8")
        if "bad" in path.name or "LOAD" in text.upper():
            continue
        try:
            printed = unparse(parseUpdate(text))
        except Exception:
            continue
        assert unparse(parseUpdate(printed)) == printed, path
        assert _outcome(_store_with_data(path.parent), printed) == _outcome(_store_with_data(path.parent), text), path
        checked += 1
    assert checked > 100


def test_w3c_select_patterns_print_back_to_the_same_answers() -> None:
    checked = 0
    for path in _w3c("*/*.rq"):
        if path.parent.name.startswith("syntax") or path.parent.name in ("service", "entailment"):
            continue
        text = path.read_text(encoding="utf-8")
        try:
            prologue, query = parseQuery(text)
        except Exception:
            continue
        if query.name != "SelectQuery" or "datasetClause" in query:
            continue
        try:
            printed = _prologue(prologue) + _select(query)
        except _Unprintable:
            continue  # ^iri in a negated property set: with_dataset refuses those
        store = _store_with_data(path.parent)
        expected, got = _answers(store, text), _answers(store, printed)
        if any(word in text.upper() for word in ("RAND", "NOW(", "UUID", "BNODE", "SAMPLE")):
            assert isinstance(got, list) and isinstance(expected, list) and len(got) == len(expected), path
        else:
            assert got == expected, (path, printed)
        checked += 1
    assert checked > 150


def _answers(store: ox.Store, query: str) -> list[str] | str:
    """The rows of ``query`` on ``store`` in a comparable form, or why it was refused."""
    try:
        result = store.query(query, base_iri=BASE)
    except (SyntaxError, OSError, RuntimeError) as exc:
        return f"refused ({type(exc).__name__})"
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return sorted(repr(sorted((n, str(row[n])) for n in names if row[n] is not None)) for row in result)


_W3C_FULL = """PREFIX dc: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
DROP ALL ;
INSERT DATA {
    GRAPH <http://example.org/g1> { <http://example.org/g1> a foaf:Document }
    GRAPH <http://example.org/g2> { <http://example.org/g2> a foaf:Document }
    GRAPH <http://example.org/g3> { <http://example.org/g3> a foaf:Document }
} ;
INSERT { GRAPH <http://example.org/out> { ?s <http://example.org/in> ?in } }
WHERE { { GRAPH ?g { ?s a foaf:Document } BIND(?g AS ?in) } UNION { ?s a foaf:Document . BIND("default" AS ?in) } }
"""


def _out(store: ox.Store) -> set[tuple[str, str]]:
    rows = store.query("SELECT ?s ?in WHERE { GRAPH <http://example.org/out> { ?s <http://example.org/in> ?in } }")
    assert isinstance(rows, ox.QuerySolutions)
    return {(row["s"].value, row["in"].value) for row in rows}


@pytest.mark.parametrize(
    ("default", "named", "expected"),
    [
        ([G1], [G2], {(G1, "default"), (G2, G2)}),
        ([G1, G2], [], {(G1, "default"), (G2, "default")}),
        ([], [G1, G2], {(G1, G1), (G2, G2)}),
    ],
)
def test_the_protocol_dataset_is_the_dataset_of_each_where(
    default: list[str], named: list[str], expected: set[tuple[str, str]]
) -> None:
    store = ox.Store()
    store.update(with_dataset(_W3C_FULL, default, named))
    assert _out(store) == expected


def test_delete_where_reads_the_protocol_dataset_too() -> None:
    store = ox.Store()
    store.update(f"INSERT DATA {{ <http://e/s> <http://e/p> 1 . GRAPH <{G1}> {{ <http://e/s> <http://e/p> 1 }} }}")
    store.update(with_dataset("DELETE WHERE { ?s ?p ?o }", [G1], []))
    assert [q.graph_name for q in store] == [ox.NamedNode(G1)]  # matched in G1, deleted from the default graph


def test_an_update_without_a_where_is_left_as_it_is() -> None:
    update = "INSERT DATA { <http://e/s> <http://e/p> 'a\\'b' } ; CLEAR SILENT GRAPH <http://e/g>"
    assert with_dataset(update, [G1], [G2]) is update


@pytest.mark.parametrize(
    "update",
    [
        "WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } USING <http://e/g> WHERE { ?s ?p ?o }",
        "INSERT { ?s ?p ?o } USING NAMED <http://e/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_an_update_with_its_own_dataset_is_refused_with_the_protocols_one(update: str) -> None:
    with pytest.raises(QueryError, match="names its own dataset"):
        with_dataset(update, [], [G3])


@pytest.mark.parametrize(
    "update",
    [
        "INSERT { ?s ?p ?o } WHERE { ?s !(^<http://e/p>) ?o }",  # rdflib loses the IRI of ^iri in !(...)
        "INSERT { ?s ?p ?o } WHERE { ?s ?p ?o ",
    ],
)
def test_an_update_rdflib_cannot_keep_whole_is_refused(update: str) -> None:
    with pytest.raises(QueryError, match="cannot be applied"):
        with_dataset(update, [G1], [])


def test_values_are_written_in_their_own_syntax_not_pasted() -> None:
    tricky = 'INSERT { ?s <http://e/p> "a\\"} ; DROP ALL ; #" } WHERE { BIND(<http://e/s> AS ?s) }'
    printed = with_dataset(tricky, [G1], [])
    store = ox.Store()
    store.update(printed)
    assert [q.object.value for q in store] == ['a"} ; DROP ALL ; #']
    with pytest.raises(QueryError, match="invalid graph IRI"):
        with_dataset(tricky, ["http://e/> } ; DROP ALL ; <x"], [])
