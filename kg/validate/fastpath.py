"""The SHACL gate's fast path: the shapes compiled once into plain checks that pass conforming graphs.

pyshacl spends about 30 ms on an article graph, most of it rebuilding its constraint objects for every
shape and focus node, and nearly every article conforms. :func:`compile_shapes` turns the shapes into
checks over an index of the graph, for the core SHACL they use, each as pyshacl 0.40 evaluates it:
``sh:targetClass`` and ``sh:targetSubjectsOf`` targets, predicate and inverse paths, ``sh:minCount``,
``sh:maxCount``, ``sh:datatype``, ``sh:nodeKind``, ``sh:class``, ``sh:in``, ``sh:hasValue``,
``sh:pattern``, ``sh:minLength``, ``sh:minInclusive``, ``sh:maxInclusive``, ``sh:lessThan``, ``sh:or``,
``sh:property`` and ``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount``. Shapes that use anything
else do not compile (None), and pyshacl then sees every graph.

:meth:`Checks.passes` says only "conforms": True means pyshacl finds nothing either; False means "ask
pyshacl", whose verdict and report stand (comparisons the checks are unsure of, such as of literals that
are not integers or decimals, answer False). ``tests/test_shapecheck.py`` runs both on every article of the
example corpus and on mutants of them that break each kind of constraint.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

__all__ = ["Checks", "compile_shapes"]

_DOCUMENTATION = {SH.message, SH.name, SH.description, SH.severity, RDFS.comment, RDFS.label}
_TARGETS = {SH.targetClass, SH.targetSubjectsOf}
_OTHER_TARGETS = {SH.targetNode, SH.targetObjectsOf, SH.target}
_KINDS: dict[Node, tuple[type, ...]] = {
    SH.IRI: (URIRef,),
    SH.Literal: (Literal,),
    SH.BlankNode: (BNode,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}
# the Python values pyshacl requires of a literal of these datatypes; it takes any other datatype on trust
_PYTHON_TYPES: dict[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


class _Index:
    """A graph's triples by subject and predicate and by predicate and object, and its class hierarchy."""

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        self.out: dict[Node, dict[Node, list[Node]]] = {}
        self.into: dict[Node, dict[Node, list[Node]]] = {}
        for s, p, o in triples:
            self.out.setdefault(s, {}).setdefault(p, []).append(o)
            self.into.setdefault(p, {}).setdefault(o, []).append(s)
        self._supers: dict[Node, set[Node]] = {}

    def objects(self, subject: Node, predicate: Node) -> list[Node]:
        return self.out.get(subject, {}).get(predicate, [])

    def subjects(self, predicate: Node, obj: Node) -> list[Node]:
        return self.into.get(predicate, {}).get(obj, [])

    def superclasses(self, cls: Node) -> set[Node]:
        """``cls`` and every class it is an ``rdfs:subClassOf*``."""
        if cls not in self._supers:
            found, todo = {cls}, [cls]
            while todo:
                for parent in self.objects(todo.pop(), RDFS.subClassOf):
                    if parent not in found:
                        found.add(parent)
                        todo.append(parent)
            self._supers[cls] = found
        return self._supers[cls]

    def is_instance(self, node: Node, cls: Node) -> bool:
        return any(cls in self.superclasses(t) for t in self.objects(node, RDF.type))

    def focus_nodes(self, classes: tuple[Node, ...], subjects_of: tuple[Node, ...]) -> set[Node]:
        found = {
            s
            for t, members in self.into.get(RDF.type, {}).items()
            if any(c in self.superclasses(t) for c in classes)
            for s in members
        }
        for predicate in subjects_of:
            found.update(s for members in self.into.get(predicate, {}).values() for s in members)
        return found


_Check = Callable[[_Index, Node, list[Node]], bool]  # (index, focus node, value nodes) -> conforms


@dataclass(frozen=True)
class _Path:
    predicate: Node
    inverse: bool

    def values(self, index: _Index, node: Node) -> list[Node]:
        return index.subjects(self.predicate, node) if self.inverse else index.objects(node, self.predicate)


@dataclass
class _Shape:
    path: _Path | None  # None: a node shape, whose one value node is the focus node
    checks: list[_Check] = field(default_factory=list)
    classes: tuple[Node, ...] = ()
    subjects_of: tuple[Node, ...] = ()

    def conforms(self, index: _Index, node: Node) -> bool:
        values = self.path.values(index, node) if self.path else [node]
        return all(check(index, node, values) for check in self.checks)


@dataclass(frozen=True)
class Checks:
    """The compiled shapes, with the class hierarchy that data graphs are checked with."""

    shapes: tuple[_Shape, ...]
    hierarchy: tuple[tuple[Node, Node, Node], ...]

    def passes(self, data: Graph) -> bool:
        """True if ``data`` (plus the hierarchy) conforms; False if pyshacl must decide."""
        index = _Index([*data, *(axiom for axiom in self.hierarchy if axiom not in data)])
        return all(
            shape.conforms(index, node)
            for shape in self.shapes
            for node in index.focus_nodes(shape.classes, shape.subjects_of)
        )


class _Unsupported(Exception):
    """The shapes use something the checks do not cover."""


def compile_shapes(shapes: Graph, hierarchy: Graph) -> Checks | None:
    """The checks of every shape that has targets, or None if any shape is beyond them."""
    compiler = _Compiler(shapes)
    try:
        if any(True for p in _OTHER_TARGETS for _ in shapes.subject_objects(p)):
            raise _Unsupported("targets other than sh:targetClass and sh:targetSubjectsOf")
        targeted = sorted({s for p in _TARGETS for s in shapes.subjects(p)}, key=str)
        compiled = tuple(compiler.shape(node) for node in targeted)
    except _Unsupported:
        return None
    return Checks(compiled, tuple(hierarchy))


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self.done: dict[Node, _Shape] = {}
        self.active: set[Node] = set()

    def shape(self, node: Node) -> _Shape:
        if node in self.done:
            return self.done[node]
        if node in self.active:
            raise _Unsupported(f"recursive shape {node}")
        self.active.add(node)
        shape = _Shape(
            self.path(node),
            classes=tuple(self.g.objects(node, SH.targetClass)),
            subjects_of=tuple(self.g.objects(node, SH.targetSubjectsOf)),
        )
        for predicate, value in sorted(self.g.predicate_objects(node), key=str):
            if check := self.constraint(node, shape, predicate, value):
                shape.checks.append(check)
        self.active.discard(node)
        self.done[node] = shape
        return shape

    def path(self, node: Node) -> _Path | None:
        paths = list(self.g.objects(node, SH.path))
        if not paths:
            return None
        if len(paths) == 1 and isinstance(paths[0], URIRef):
            return _Path(paths[0], inverse=False)
        inverse = list(self.g.objects(paths[0], SH.inversePath)) if len(paths) == 1 else []
        if len(inverse) == 1 and isinstance(inverse[0], URIRef) and len(set(self.g.predicates(paths[0]))) == 1:
            return _Path(inverse[0], inverse=True)
        raise _Unsupported(f"path of {node}")

    def constraint(self, node: Node, shape: _Shape, predicate: Node, value: Node) -> _Check | None:
        """The check of one constraint parameter; None for parameters that check nothing by themselves."""
        if predicate == RDF.type:
            if value not in (SH.NodeShape, SH.PropertyShape):
                raise _Unsupported(f"{node} is a {value}")  # a class that is also a shape targets its instances
            return None
        if predicate in _DOCUMENTATION or predicate in _TARGETS or predicate in (SH.path, SH.qualifiedMinCount):
            return None
        if predicate == SH.minCount:
            least = _count(value, shape)
            return lambda index, focus, values: len(values) >= least
        if predicate == SH.maxCount:
            most = _count(value, shape)
            return lambda index, focus, values: len(values) <= most
        if predicate == SH.hasValue:
            return lambda index, focus, values: value in values
        if predicate == SH.lessThan:
            return lambda index, focus, values: all(
                _less(v, other) for v in values for other in index.objects(focus, value)
            )
        if predicate == SH.qualifiedValueShape:
            return self.qualified(node, value)
        test = self.value_test(node, predicate, value)
        return lambda index, focus, values: all(test(index, v) for v in values)

    def value_test(self, node: Node, predicate: Node, value: Node) -> Callable[[_Index, Node], bool]:
        """The test that each value node must pass, for the parameters that constrain value nodes one by one."""
        if predicate == SH.property:
            nested = self.shape(value)
            if nested.path is None:
                raise _Unsupported(f"sh:property without a path in {node}")
            return nested.conforms
        if predicate == SH["or"]:
            branches = [self.shape(item) for item in Collection(self.g, value)]
            return lambda index, v: any(branch.conforms(index, v) for branch in branches)
        if predicate == SH.datatype and value not in (RDFS.Literal, RDFS.Datatype, RDF.langString):
            return lambda index, v: _has_datatype(v, value)
        if predicate == SH.nodeKind and value in _KINDS:
            kinds = _KINDS[value]
            return lambda index, v: isinstance(v, kinds)
        if predicate == SH["class"]:
            return lambda index, v: not isinstance(v, Literal) and index.is_instance(v, value)
        if predicate == SH["in"]:
            members = frozenset(Collection(self.g, value))
            return lambda index, v: v in members
        if predicate == SH.pattern:
            regex = self.pattern(node, value)
            return lambda index, v: not isinstance(v, BNode) and regex.search(_text(v)) is not None
        if predicate == SH.minLength:
            least = _count(value, None)
            return lambda index, v: least == 0 or (not isinstance(v, BNode) and len(_text(v)) >= least)
        if predicate in (SH.minInclusive, SH.maxInclusive) and (bound := _number(value)) is not None:
            if predicate == SH.minInclusive:
                return lambda index, v: (number := _number(v)) is not None and number >= bound
            return lambda index, v: (number := _number(v)) is not None and number <= bound
        raise _Unsupported(f"{predicate} {value} in {node}")

    def pattern(self, node: Node, value: Node) -> re.Pattern[str]:
        if not isinstance(value, Literal) or any(True for _ in self.g.objects(node, SH.flags)):
            raise _Unsupported(f"sh:pattern of {node}")
        return re.compile(str(value.value) if value.value is not None and len(value.value) > 1 else str(value))

    def qualified(self, node: Node, value: Node) -> _Check:
        if set(self.g.objects(node, SH.qualifiedMaxCount)) or set(
            self.g.objects(node, SH.qualifiedValueShapesDisjoint)
        ):
            raise _Unsupported(f"qualified maximum or disjoint shapes in {node}")
        minimums = list(self.g.objects(node, SH.qualifiedMinCount))
        if len(minimums) != 1:
            raise _Unsupported(f"sh:qualifiedValueShape of {node} without one sh:qualifiedMinCount")
        least, qualified = _count(minimums[0], None), self.shape(value)
        return lambda index, focus, values: sum(qualified.conforms(index, v) for v in values) >= least


def _count(value: Node, shape: _Shape | None) -> int:
    if not isinstance(value, Literal) or type(value.value) is not int or value.value < 0:
        raise _Unsupported(f"count {value}")
    if shape is not None and shape.path is None:
        raise _Unsupported("a cardinality on a node shape")
    return value.value


def _has_datatype(node: Node, datatype: Node) -> bool:
    if not isinstance(node, Literal):
        return False
    if node.datatype is None:
        return node.language is None and datatype == XSD.string and isinstance(node.value, (str, bytes))
    if node.datatype != datatype or node.ill_typed is True:
        return False
    expected = _PYTHON_TYPES.get(datatype)
    return expected is None or isinstance(node.value, expected)


def _text(node: Node) -> str:
    if isinstance(node, Literal) and node.value is not None and node.datatype in (None, RDF.langString, XSD.string):
        return str(node.value)
    return str(node)


def _number(node: Node) -> int | Decimal | None:
    """The value of a well-typed integer or decimal literal (the only comparisons the checks make)."""
    if isinstance(node, Literal) and node.ill_typed is not True and type(node.value) in (int, Decimal):
        return node.value  # type: ignore[no-any-return]
    return None


def _less(node: Node, other: Node) -> bool:
    left, right = _number(node), _number(other)
    return left is not None and right is not None and left < right
