"""kg.sparql.saved: the header of saved queries, loading a directory of them, binding parameters."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import ConfigError, QueryError
from kg.sparql.saved import Param, SavedQuery, bind, load_queries, load_query, parse_query

XSD = "http://www.w3.org/2001/XMLSchema#"

GOOD = """\
# title: Events in a place
# description: Every event in a place between two dates.
# param: place iri  The place; unbound = everywhere
# param: from date  Earliest date, inclusive
# param: label string  A label
# param: limit integer  At most this many
#
# Free comments may follow the header once a bare '#' line ends it.
# title: this is not read as a header line

PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
SELECT ?place ?from ?label ?limit ?event WHERE { ?event sem:hasPlace ?place }
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_header_is_parsed(tmp_path: Path) -> None:
    saved = load_query(write(tmp_path, "events.rq", GOOD))
    assert saved.name == "events"
    assert saved.title == "Events in a place"
    assert saved.description == "Every event in a place between two dates."
    assert saved.params == [
        Param("place", "iri", "The place; unbound = everywhere"),
        Param("from", "date", "Earliest date, inclusive"),
        Param("label", "string", "A label"),
        Param("limit", "integer", "At most this many"),
    ]
    assert saved.text == GOOD


def test_a_query_without_params(tmp_path: Path) -> None:
    text = "# title: All\n# description: Everything.\nSELECT * WHERE { ?s ?p ?o }\n"
    saved = load_query(write(tmp_path, "all.rq", text))
    assert saved.params == [] and bind(saved, {}) == {}


def test_load_queries_reads_every_rq_file_sorted(tmp_path: Path) -> None:
    write(tmp_path, "b.rq", GOOD)
    write(tmp_path, "a.rq", GOOD.replace("Events in a place", "Other"))
    write(tmp_path, "notes.txt", "not a query")
    queries = load_queries(tmp_path)
    assert list(queries) == ["a", "b"]
    assert queries["a"].title == "Other" and isinstance(queries["b"], SavedQuery)


def test_load_queries_names_the_bad_file(tmp_path: Path) -> None:
    write(tmp_path, "good.rq", GOOD)
    bad = write(tmp_path, "bad.rq", GOOD.replace("# title: Events in a place\n", ""))
    with pytest.raises(ConfigError, match=re.escape(str(bad)) + ".*title"):
        load_queries(tmp_path)


def test_load_queries_on_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a directory"):
        load_queries(tmp_path / "nowhere")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "no title and description"),
        ("# title: T\nSELECT * WHERE { ?s ?p ?o }", "no description"),
        ("# description: D\nSELECT * WHERE { ?s ?p ?o }", "no title"),
        ("# title: T\n# title: U\n# description: D\nSELECT * WHERE { ?s ?p ?o }", "'title' given twice"),
        ("# title: T\n# description: D\n# author: me\nSELECT * WHERE { ?s ?p ?o }", "unknown header key 'author'"),
        ("# title: T\n# description: D\n#param: x iri  X\nSELECT ?x WHERE { ?s ?p ?o }", "malformed header line"),
        ("# title: T\n# description: D\n# param: x iri X\nSELECT ?x WHERE { ?s ?p ?o }", "two spaces"),
        ("# title: T\n# description: D\n# param: x\nSELECT ?x WHERE { ?s ?p ?o }", "malformed param line"),
        ("# title: T\n# description: D\n# param: x url  X\nSELECT ?x WHERE { ?s ?p ?o }", "unknown type 'url'"),
        (
            "# title: T\n# description: D\n# param: x iri  X\n# param: x date  Y\nSELECT ?x WHERE { ?s ?p ?o }",
            "declared twice",
        ),
        ("# title: T\n# description: D\n# param: x iri  X\nSELECT ?s WHERE { ?s ?p ?x }", "not projected"),
        ("# title: T\n# description: D\nSELECT ?s WHERE { ?s ?p }", "does not parse"),
        ("# title: T\n# description: D\nASK { ?s ?p ?o }", "must be a SELECT"),
        ("# title: T\n# description: D\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "must be a SELECT"),
        ("# title:\n# description: D\nSELECT * WHERE { ?s ?p ?o }", "malformed header line"),
    ],
)
def test_malformed_queries_raise_config_error_naming_the_file(tmp_path: Path, text: str, problem: str) -> None:
    path = write(tmp_path, "broken.rq", text)
    with pytest.raises(ConfigError) as info:
        load_query(path)
    assert str(path) in str(info.value)
    assert problem in str(info.value)


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.rq"
    path.write_bytes("# title: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="cannot read"):
        load_query(path)
    with pytest.raises(ConfigError, match="cannot read"):
        load_query(tmp_path / "missing.rq")


def test_parse_query_names_it_in_errors() -> None:
    with pytest.raises(ConfigError, match=r"^inline:"):
        parse_query("SELECT * WHERE { ?s ?p ?o }", "q", "inline")
    assert parse_query(GOOD, "q").name == "q"


@pytest.fixture
def saved() -> SavedQuery:
    return parse_query(GOOD, "events")


def test_bind_converts_values_per_declared_type(saved: SavedQuery) -> None:
    terms = bind(
        saved,
        {
            "place": "https://w3id.org/osint-kg/id/place/bamako",
            "from": "2024-08-24",
            "label": "Barsalogho « 24 août »",
            "limit": "+10",
        },
    )
    assert terms["place"] == ox.NamedNode("https://w3id.org/osint-kg/id/place/bamako")
    assert terms["from"] == ox.Literal("2024-08-24", datatype=ox.NamedNode(XSD + "date"))
    assert terms["label"] == ox.Literal("Barsalogho « 24 août »")
    assert terms["limit"] == ox.Literal("10", datatype=ox.NamedNode(XSD + "integer"))


def test_bind_leaves_out_unbound_parameters(saved: SavedQuery) -> None:
    assert bind(saved, {}) == {}
    assert bind(saved, {"place": None, "from": "2024-01-01"}) == {
        "from": ox.Literal("2024-01-01", datatype=ox.NamedNode(XSD + "date"))
    }


def test_bind_accepts_an_iri_in_angle_brackets(saved: SavedQuery) -> None:
    assert bind(saved, {"place": "<urn:x:1>"})["place"] == ox.NamedNode("urn:x:1")


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("place", "bamako", "not an absolute IRI"),
        ("place", "https://example.org/a b", "not an absolute IRI"),
        ("place", "https://example.org/<a>", "not a valid IRI"),
        ("place", "", "not an absolute IRI"),
        ("from", "2024-02-30", "YYYY-MM-DD"),
        ("from", "2024-8-24", "YYYY-MM-DD"),
        ("from", "2024", "YYYY-MM-DD"),
        ("from", "24/08/2024", "YYYY-MM-DD"),
        ("from", "2024-08-24T10:00:00", "YYYY-MM-DD"),
        ("limit", "ten", "not an integer"),
        ("limit", "1.5", "not an integer"),
        ("limit", "", "not an integer"),
    ],
)
def test_bind_rejects_bad_values(saved: SavedQuery, name: str, value: str, problem: str) -> None:
    with pytest.raises(QueryError, match=problem) as info:
        bind(saved, {name: value})
    assert f"'{name}'" in str(info.value) and "'events'" in str(info.value)


def test_bind_rejects_a_non_string(saved: SavedQuery) -> None:
    with pytest.raises(QueryError, match="expected a string"):
        bind(saved, {"limit": 10})  # type: ignore[dict-item]


def test_bind_rejects_an_unknown_parameter(saved: SavedQuery) -> None:
    with pytest.raises(QueryError, match=r"no parameter 'to'.*place, from, label, limit"):
        bind(saved, {"to": "2024-08-24"})


def test_bound_values_restrict_the_query(saved: SavedQuery) -> None:
    store = ox.Store()
    sem = "http://semanticweb.cs.vu.nl/2009/11/sem/"
    for event, place in (("e1", "bamako"), ("e2", "gao")):
        store.add(ox.Quad(ox.NamedNode(f"urn:{event}"), ox.NamedNode(sem + "hasPlace"), ox.NamedNode(f"urn:{place}")))
    terms = bind(saved, {"place": "urn:gao"})
    rows = list(store.query(saved.text, substitutions={ox.Variable(k): v for k, v in terms.items()}))
    assert [row["event"] for row in rows] == [ox.NamedNode("urn:e2")]
    assert len(list(store.query(saved.text))) == 2
