"""The SHACL gate: pyshacl behind one function returning a typed report.

Every graph goes first through the shapes compiled into plain checks (:mod:`kg.validate.fastpath`); a graph they
pass is one pyshacl passes too, and they take a tenth of its time. pyshacl validates every other graph, and
its verdict and report stand.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDFS, Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.errors import ConfigError, ShapeViolation, Violation
from kg.validate.fastpath import Checks, compile_shapes

__all__ = [
    "ShaclReport",
    "check_graph",
    "class_hierarchy",
    "load_ontology",
    "load_shapes",
    "shacl_report",
    "validate_graph",
]

ONTOLOGY_FILE = "osint-kg.ttl"


@dataclass(frozen=True)
class ShaclReport:
    """What pyshacl found, flattened."""

    conforms: bool
    violations: list[Violation]
    text: str


@lru_cache(maxsize=4)
def _parse(path: Path) -> Graph:
    if not path.is_file():
        raise ConfigError(f"{path}: file not found")
    return Graph().parse(path, format="turtle")


def load_ontology(ontology_dir: Path) -> Graph:
    """The ontology of ``ontology_dir``: the gate infers the classes of nodes from its hierarchy."""
    path = ontology_dir / ONTOLOGY_FILE
    if not path.is_file():
        raise ConfigError(f"{path}: the ontology is not there (is KG_ONTOLOGY_DIR right?)")
    return Graph().parse(path, format="turtle")


def load_shapes(shapes_dir: Path) -> Graph:
    """Every ``*.ttl`` of the shapes directory as one graph; fails if there is none."""
    files = sorted(shapes_dir.glob("*.ttl"))
    if not files:
        raise ConfigError(f"{shapes_dir}: no SHACL shapes (*.ttl) found")
    graph = Graph()
    for path in files:
        graph += _parse(path.resolve())
    return graph


def _value(results: Graph, node: Node, pred: URIRef) -> str | None:
    found = results.value(node, pred)
    return str(found) if found is not None else None


def _violations(results: Graph) -> list[Violation]:
    out = []
    for result in results.subjects(SH.resultSeverity, None):
        message = (
            _value(results, result, SH.resultMessage)
            or _value(results, result, SH.sourceConstraintComponent)
            or "constraint not met"
        )
        severity = (_value(results, result, SH.resultSeverity) or "Violation").rsplit("#", 1)[-1]
        out.append(
            Violation(
                focus=_value(results, result, SH.focusNode) or "?",
                path=_value(results, result, SH.resultPath),
                message=message,
                severity=severity,
            )
        )
    return sorted(out, key=lambda v: (v.focus, v.path or "", v.message))


def class_hierarchy(ontology: Graph) -> Graph:
    """Only the ``rdfs:subClassOf`` axioms of the ontology: all SHACL needs for its class targets."""
    return _hierarchy(ontology)


@lru_cache(maxsize=4)
def _hierarchy(ontology: Graph) -> Graph:
    out = Graph()
    for triple in ontology.triples((None, RDFS.subClassOf, None)):
        out.add(triple)
    return out


CONFORMS_TEXT = "Validation Report\nConforms: True\n"  # pyshacl's text for a graph that conforms


@lru_cache(maxsize=4)
def _checks(shapes: Graph, ontology: Graph) -> Checks | None:
    shacl_report(Graph(), shapes, ontology)  # shapes that pyshacl cannot load fail here, as they would there
    return compile_shapes(shapes, class_hierarchy(ontology))


def validate_graph(data: Graph, shapes: Graph, ontology: Graph) -> ShaclReport:
    """Validate ``data`` against ``shapes``, with the ontology's class hierarchy mixed in for targets.

    The compiled checks first; pyshacl (:func:`shacl_report`) for any graph they do not pass.
    """
    checks = _checks(shapes, ontology)
    if checks is not None and checks.passes(data):
        return ShaclReport(conforms=True, violations=[], text=CONFORMS_TEXT)
    return shacl_report(data, shapes, ontology)


def shacl_report(data: Graph, shapes: Graph, ontology: Graph) -> ShaclReport:
    """pyshacl's verdict and report on ``data``, with the ontology's class hierarchy mixed in for targets.

    The hierarchy's axioms are added to ``data`` for the run and removed afterwards, so ``data`` ends as it
    began: pyshacl's own mix-in (``ont_graph``) would first copy the whole graph, a fifth of the time.
    """
    added = [axiom for axiom in class_hierarchy(ontology) if axiom not in data]
    for axiom in added:
        data.add(axiom)
    try:
        conforms, results, text = shacl_validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=False,
            inplace=True,
            allow_warnings=False,
            abort_on_first=False,
        )
    finally:
        for axiom in added:
            data.remove(axiom)
    if not isinstance(results, Graph):  # pyshacl reports a broken shapes file this way
        raise ConfigError(f"SHACL validation could not run: {results}")
    return ShaclReport(conforms=bool(conforms), violations=_violations(results), text=str(text))


def check_graph(name: str, data: Graph, shapes: Graph, ontology: Graph) -> ShaclReport:
    """Validate and raise :class:`ShapeViolation` (carrying the report) if the graph fails."""
    report = validate_graph(data, shapes, ontology)
    if not report.conforms:
        raise ShapeViolation(name, report.violations, report.text)
    return report
