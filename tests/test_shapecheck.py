"""The SHACL gate's compiled checks agree with pyshacl: on every example article and on mutants of them.

A graph the checks pass must be one pyshacl passes; otherwise a graph that breaks the shapes would be
stored. Each mutant changes one triple of a real article graph (dropped, doubled, or its object replaced
by a value of another kind, datatype, sign or spelling), once for every kind of subject and predicate.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.ingest.readers import read_documents
from kg.pipeline.prepare import ArticlePreparer
from kg.rdf.mapping import map_article
from kg.validate.fastpath import compile_shapes
from kg.validate.gate import class_hierarchy, load_shapes, shacl_report, validate_graph
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures"
ELSEWHERE = URIRef("https://example.org/elsewhere")


@pytest.fixture(scope="module")
def articles(preparer: ArticlePreparer) -> list[Graph]:
    """The graphs of the example articles, as the gate sees them (before they are stored)."""
    out = []
    for document in read_documents([PROJECT_ROOT / "examples" / "corpus"]):
        extraction = preparer.extractor.extract(document)
        out.append(
            map_article(
                document,
                extraction,
                preparer.minter,
                fingerprint=preparer.fingerprint(document),
                version=preparer.extractor.version,
            ).graph
        )
    return out


def replacements(value: Node) -> Iterator[tuple[str, Node]]:
    """Values to put in place of ``value``: of another kind, datatype, sign or spelling."""
    if isinstance(value, URIRef):
        yield "as a literal", Literal(str(value))
        yield "as a blank node", BNode()
        yield "another IRI", ELSEWHERE
        return
    assert isinstance(value, Literal)
    yield "without datatype", Literal(str(value))
    yield "ill-typed", Literal("n/a", datatype=value.datatype or XSD.integer)
    yield "empty", Literal("", datatype=value.datatype)
    yield "cut short", Literal(str(value)[:-1], datatype=value.datatype)
    yield "as an IRI", ELSEWHERE
    if isinstance(value.value, (int, Decimal)) and not isinstance(value.value, bool):
        for number in (-1, 0, 2):
            yield f"number {number}", Literal(str(number), datatype=value.datatype)
        yield "double", Literal(float(value.value), datatype=XSD.double)


def constrained(shapes: Graph) -> set[Node]:
    """rdf:type and the predicates the shapes name (paths, targets, comparisons): changing any other one
    cannot change a verdict."""
    named = {o for p in (SH.path, SH.inversePath, SH.targetSubjectsOf, SH.lessThan) for o in shapes.objects(None, p)}
    return {RDF.type, *(n for n in named if isinstance(n, URIRef))}


def mutants(graphs: list[Graph], predicates: set[Node]) -> Iterator[tuple[str, Graph]]:
    """Each graph changed in one triple, for the first triple of every (subject classes, predicate) kind."""
    seen: set[tuple[frozenset[Node], Node]] = set()
    for graph in graphs:
        for s, p, o in sorted(graph):
            kind = (frozenset(graph.objects(s, RDF.type)), p)
            if kind in seen or p not in predicates:
                continue
            seen.add(kind)
            where = f"{p} of {s}"
            yield f"{where}: dropped", graph - Graph().add((s, p, o))
            yield (
                f"{where}: a second value",
                graph
                + Graph().add((s, p, ELSEWHERE if isinstance(o, URIRef) else Literal(f"{o} bis", datatype=o.datatype))),
            )
            for name, value in replacements(o):
                changed = graph - Graph().add((s, p, o))
                yield f"{where}: {name}", changed.add((s, p, value))


def test_every_example_article_passes_the_checks(articles: list[Graph], preparer: ArticlePreparer) -> None:
    checks = compile_shapes(preparer.shapes, class_hierarchy(preparer.ontology))
    assert checks is not None, "the project's shapes must compile"
    assert all(checks.passes(graph) for graph in articles)
    assert all(shacl_report(graph, preparer.shapes, preparer.ontology).conforms for graph in articles)


def test_the_checks_and_pyshacl_agree_on_mutants(articles: list[Graph], preparer: ArticlePreparer) -> None:
    checks = compile_shapes(preparer.shapes, class_hierarchy(preparer.ontology))
    assert checks is not None
    verdicts = [
        (name, checks.passes(graph), shacl_report(graph, preparer.shapes, preparer.ontology).conforms)
        for name, graph in mutants(articles, constrained(preparer.shapes))
    ]
    wrongly_passed = [name for name, fast, pyshacl in verdicts if fast and not pyshacl]
    assert not wrongly_passed, f"the checks pass graphs pyshacl rejects: {wrongly_passed}"
    differing = [name for name, fast, pyshacl in verdicts if fast != pyshacl]
    assert not differing, f"the checks send conforming graphs to pyshacl: {differing}"
    rejected = sum(1 for _, _, pyshacl in verdicts if not pyshacl)
    assert len(verdicts) > 500 and 200 < rejected < len(verdicts) - 200, (len(verdicts), rejected)


def test_shapes_beyond_the_checks_leave_every_graph_to_pyshacl(tmp_path: Path) -> None:
    """A shape with a constraint the checks do not cover (here sh:closed): nothing compiles, and the gate
    still rejects a graph that breaks it."""
    shapes = load_shapes(PROJECT_ROOT / "shapes")
    shapes.parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix kg: <https://w3id.org/osint-kg/ontology#> .
        <https://example.org/ClosedPublisher> a sh:NodeShape ; sh:targetClass kg:NewsOrganization ;
            sh:closed true ; sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) .
        """,
        format="turtle",
    )
    ontology = Graph().parse(PROJECT_ROOT / "ontology" / "osint-kg.ttl")
    assert compile_shapes(shapes, class_hierarchy(ontology)) is None
    publisher = URIRef("https://w3id.org/osint-kg/id/actor/sahel-desk")
    data = Graph().add((publisher, RDF.type, URIRef("https://w3id.org/osint-kg/ontology#NewsOrganization")))
    data.add((publisher, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Sahel Desk")))
    report = validate_graph(data, shapes, ontology)
    assert not report.conforms and any(
        "ClosedConstraintComponent" in v.message or "closed" in v.message.lower() for v in report.violations
    ), report.text
