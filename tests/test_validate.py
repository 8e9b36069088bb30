"""The SHACL gate: a known-bad graph fails for each of its faults; a real article graph passes."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.errors import ConfigError, ShapeViolation
from kg.validate.gate import check_graph, load_shapes, validate_graph
from tests.conftest import PROJECT_ROOT

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(PROJECT_ROOT / "shapes")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(PROJECT_ROOT / "ontology" / "osint-kg.ttl")


@pytest.fixture(scope="module")
def bad_report(shapes: Graph, ontology: Graph):  # type: ignore[no-untyped-def]
    return validate_graph(Graph().parse(FIXTURES / "bad_article.ttl"), shapes, ontology)


def test_known_bad_fixture_fails(bad_report) -> None:  # type: ignore[no-untyped-def]
    assert not bad_report.conforms
    assert len(bad_report.violations) >= 10


@pytest.mark.parametrize(
    "focus, fragment",
    [
        ("event", "time stamp"),
        ("event", "date precision"),
        ("event", "needs a place"),
        ("group", "an actor needs a label"),
        ("group", "Wikidata ID is Q followed by digits"),
        ("group", "owl:sameAs links point at Wikidata"),
        ("group", "no kg:RelationAssertion"),
        ("figure", "non-negative integer"),
        ("figure", "needs one kind"),
        ("mention", "trace to a source article"),
        ("mention", "end after it starts"),
        ("article", "SHA-256"),
    ],
)
def test_each_fault_is_reported(bad_report, focus: str, fragment: str) -> None:  # type: ignore[no-untyped-def]
    hits = [v for v in bad_report.violations if v.focus.endswith("/" + focus) and fragment in v.message]
    assert hits, f"no violation on {focus} mentioning {fragment!r}: {[str(v) for v in bad_report.violations]}"


def test_validation_leaves_the_graph_as_it_was(shapes: Graph, ontology: Graph) -> None:
    """The class hierarchy is mixed into the graph for the run only (the 'group' fault above needs it)."""
    data = Graph().parse(FIXTURES / "bad_article.ttl")
    before = set(data)
    assert not validate_graph(data, shapes, ontology).conforms
    assert set(data) == before


def test_check_graph_raises_with_report(shapes: Graph, ontology: Graph) -> None:
    with pytest.raises(ShapeViolation) as caught:
        check_graph("bad.txt", Graph().parse(FIXTURES / "bad_article.ttl"), shapes, ontology)
    assert caught.value.document == "bad.txt"
    assert "fails SHACL" in str(caught.value)
    assert "Conforms: False" in caught.value.report_text


def test_empty_shapes_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no SHACL shapes"):
        load_shapes(tmp_path)
