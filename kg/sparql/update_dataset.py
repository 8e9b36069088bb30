"""``using-graph-uri`` / ``using-named-graph-uri``: the protocol's dataset for an update, set in its parse tree.

pyoxigraph (0.5) takes no dataset for an update (``Store.update`` has no
``default_graph`` or ``named_graphs``), and the update text must not be edited
by pasting. So :func:`with_dataset` parses the update with rdflib's SPARQL 1.1
grammar, gives every ``DELETE``/``INSERT … WHERE`` operation (and ``DELETE
WHERE``, as Oxigraph's own server does) ``USING`` and ``USING NAMED`` clauses
for the given graphs in that tree, and writes the tree back as SPARQL with
:func:`unparse`, a printer of rdflib's parse tree: every term is written in its
own syntax (IRIs checked, strings escaped), every compound expression and
property path in parentheses. Other operations (``INSERT DATA``, ``LOAD``,
``CLEAR``...) do not read a dataset and come out as they went in.

As the protocol requires, an update that names its own dataset (``USING``,
``USING NAMED`` or ``WITH``) while the request gives one is refused
(:class:`~kg.errors.QueryError`, 400). So is one the grammar cannot read, or
whose tree rdflib does not keep whole (``^iri`` inside a negated property set
``!(...)`` loses its IRI there): applying the dataset to it cannot be done
faithfully.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, XSD, BNode, Literal, URIRef, Variable
from rdflib.plugins.sparql.parserutils import CompValue

from kg.errors import QueryError

__all__ = ["unparse", "with_dataset"]

_IRIREF = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')
_AGGREGATES = {
    "Aggregate_Count": "COUNT",
    "Aggregate_Sum": "SUM",
    "Aggregate_Min": "MIN",
    "Aggregate_Max": "MAX",
    "Aggregate_Avg": "AVG",
    "Aggregate_Sample": "SAMPLE",
    "Aggregate_GroupConcat": "GROUP_CONCAT",
}
_BINARY = {"ConditionalOrExpression": "||", "ConditionalAndExpression": "&&"}


def _get(node: CompValue, key: str) -> Any:
    """``node[key]``, or None if ``node`` has no ``key`` (rdflib's ``CompValue.get`` gives the key back then)."""
    return OrderedDict.get(node, key)


class _Unprintable(Exception):
    """A part of rdflib's tree that cannot be written back as it was written."""


def with_dataset(update: str, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> str:
    """``update`` with ``USING <g>`` for each of ``default_graphs`` and ``USING NAMED <g>`` for each of
    ``named_graphs`` in every operation that reads a dataset; the text itself if none does."""
    tree = _parse(update)
    using = [CompValue("UsingClause", default=_iri_term(g)) for g in default_graphs]
    using += [CompValue("UsingClause", named=_iri_term(g)) for g in named_graphs]
    operations = list(_get(tree, "request") or [])
    if any(op.name == "Modify" and (_get(op, "withClause") is not None or _get(op, "using")) for op in operations):
        raise QueryError(
            "this update names its own dataset (USING, USING NAMED or WITH): it cannot be sent with "
            "using-graph-uri or using-named-graph-uri as well"
        )
    reading = [n for n, op in enumerate(operations) if op.name in ("Modify", "DeleteWhere")]
    if not reading:
        return update
    for n in reading:
        op = operations[n]
        if op.name == "DeleteWhere":  # DELETE WHERE { Q } is DELETE { Q } WHERE { Q }
            op = CompValue("Modify", delete=CompValue("DeleteClause", quads=op["quads"]), where=op["quads"])
        op["using"] = using
        operations[n] = op
    tree["request"] = operations
    try:
        return unparse(tree)
    except _Unprintable as exc:
        raise QueryError(f"using-graph-uri cannot be applied to this update: {exc}") from None


def _parse(update: str) -> CompValue:
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        tree: CompValue = parseUpdate(update)
    except Exception as exc:  # noqa: BLE001  (pyparsing's and rdflib's errors alike: the grammar cannot read it)
        raise QueryError(
            f"using-graph-uri cannot be applied to this update: its SPARQL 1.1 parse failed ({exc})"
        ) from None
    return tree


def _iri_term(iri: str) -> URIRef:
    try:
        return URIRef(ox.NamedNode(iri).value)
    except ValueError as exc:
        raise QueryError(f"invalid graph IRI in using-graph-uri or using-named-graph-uri: {exc}") from None


# -- the printer ---------------------------------------------------------------------------------------------


def unparse(tree: CompValue) -> str:
    """SPARQL Update text for rdflib's parse tree of an update (``parseUpdate``)."""
    prologues = list(_get(tree, "prologue") or [])
    operations = list(_get(tree, "request") or [])
    texts = [_prologue(prologues[n] if n < len(prologues) else []) + _operation(op) for n, op in enumerate(operations)]
    trailing = "".join(_prologue(p) for p in prologues[len(operations) :])
    if trailing:
        texts.append(trailing)
    return " ;\n".join(texts)


def _prologue(declarations: Iterable[CompValue]) -> str:
    lines = []
    for decl in declarations:
        if decl.name == "Base":
            lines.append(f"BASE {_iriref(decl['iri'])}\n")
        else:
            lines.append(f"PREFIX {_get(decl, 'prefix') or ''}: {_iriref(decl['iri'])}\n")
    return "".join(lines)


def _operation(op: CompValue) -> str:
    silent = " SILENT" if _get(op, "silent") else ""
    name = op.name
    if name == "Load":
        into = f" INTO GRAPH {_term(op['graphiri'])}" if _get(op, "graphiri") is not None else ""
        return f"LOAD{silent} {_term(op['iri'])}{into}"
    if name in ("Clear", "Drop"):
        target = op["graphiri"]
        graph = (
            target if isinstance(target, str) and target in ("DEFAULT", "NAMED", "ALL") else f"GRAPH {_term(target)}"
        )
        return f"{name.upper()}{silent} {graph}"
    if name == "Create":
        return f"CREATE{silent} GRAPH {_term(op['graphiri'])}"
    if name in ("Add", "Move", "Copy"):
        source, target = (g if g == "DEFAULT" else f"GRAPH {_term(g)}" for g in op["graph"])
        return f"{name.upper()}{silent} {source} TO {target}"
    if name in ("InsertData", "DeleteData", "DeleteWhere"):
        keyword = {"InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE"}[name]
        return f"{keyword} {{ {_quads(op['quads'])} }}"
    if name == "Modify":
        text = f"WITH {_term(op['withClause'])} " if _get(op, "withClause") is not None else ""
        if _get(op, "delete") is not None:
            text += f"DELETE {{ {_quads(op['delete']['quads'])} }} "
        if _get(op, "insert") is not None:
            text += f"INSERT {{ {_quads(op['insert']['quads'])} }} "
        for using in _get(op, "using") or []:
            text += (
                f"USING NAMED {_term(using['named'])} "
                if _get(using, "named") is not None
                else f"USING {_term(using['default'])} "
            )
        return text + "WHERE " + _group(op["where"])
    raise _Unprintable(f"an update operation rdflib calls {name}")


def _quads(quads: CompValue) -> str:
    graphs = " ".join(
        f"GRAPH {_term(q['term'])} {{ {_triples(_get(q, 'triples') or [])} }}"
        for q in _get(quads, "quadsNotTriples") or []
    )
    return f"{_triples(_get(quads, 'triples') or [])} {graphs}".strip()


def _triples(blocks: Iterable[Sequence[Any]]) -> str:
    """Triples blocks, each a flat list subject, predicate (a term or a path), object, subject...."""
    out = []
    for block in blocks:
        items = list(block)
        if len(items) % 3:
            raise _Unprintable("a triples block that is not made of whole triples")
        out += [f"{_term(items[n])} {_verb(items[n + 1])} {_term(items[n + 2])} ." for n in range(0, len(items), 3)]
    return " ".join(out)


def _group(pattern: CompValue) -> str:
    """A group graph pattern, in braces."""
    if pattern.name == "SubSelect":
        return f"{{ {_select(pattern)} }}"
    if pattern.name == "Quads":  # the pattern of a DELETE WHERE
        return f"{{ {_quads(pattern)} }}"
    if pattern.name != "GroupGraphPatternSub":
        raise _Unprintable(f"a graph pattern rdflib calls {pattern.name}")
    return "{ " + " ".join(_pattern_part(part) for part in _get(pattern, "part") or []) + " }"


def _pattern_part(part: CompValue) -> str:
    name = part.name
    simple: dict[str, Callable[[CompValue], str]] = {
        "TriplesBlock": lambda p: _triples(_get(p, "triples") or []),
        "Filter": lambda p: f"FILTER({_expr(p['expr'])})",
        "OptionalGraphPattern": lambda p: "OPTIONAL " + _group(p["graph"]),
        "MinusGraphPattern": lambda p: "MINUS " + _group(p["graph"]),
        "GraphGraphPattern": lambda p: f"GRAPH {_term(p['term'])} {_group(p['graph'])}",
        "ServiceGraphPattern": lambda p: (
            f"SERVICE{' SILENT' if _get(p, 'silent') else ''} {_term(p['term'])} {_group(p['graph'])}"
        ),
        "Bind": lambda p: f"BIND({_expr(p['expr'])} AS {_term(p['var'])})",
        "InlineData": lambda p: "VALUES " + _data_block(p),
        "GroupOrUnionGraphPattern": lambda p: " UNION ".join(_group(g) for g in p["graph"]),
    }
    if name not in simple:
        raise _Unprintable(f"a graph pattern rdflib calls {name}")
    return simple[name](part)


def _select(select: CompValue) -> str:
    text = "SELECT " + (f"{select['modifier']} " if _get(select, "modifier") else "")
    projection = _get(select, "projection")
    if projection:
        text += " ".join(
            _term(v["var"]) if _get(v, "var") is not None else f"({_expr(v['expr'])} AS {_term(v['evar'])})"
            for v in projection
        )
    else:
        text += "*"
    text += " WHERE " + _group(select["where"])
    if _get(select, "groupby") is not None:
        text += " GROUP BY " + " ".join(_group_condition(c) for c in select["groupby"]["condition"])
    if _get(select, "having") is not None:
        text += " HAVING " + " ".join(f"({_expr(c)})" for c in select["having"]["condition"])
    if _get(select, "orderby") is not None:
        text += " ORDER BY " + " ".join(_order_condition(c) for c in select["orderby"]["condition"])
    limits = _get(select, "limitoffset")
    if limits is not None:
        text += "".join(f" {key.upper()} {int(limits[key])}" for key in ("limit", "offset") if key in limits)
    if _get(select, "valuesClause") is not None:
        text += " VALUES " + _data_block(select["valuesClause"])
    return text


def _group_condition(condition: Any) -> str:
    if isinstance(condition, CompValue) and condition.name == "GroupAs":
        alias = f" AS {_term(condition['var'])}" if _get(condition, "var") is not None else ""
        return f"({_expr(condition['expr'])}{alias})"
    return _term(condition) if isinstance(condition, Variable) else f"({_expr(condition)})"


def _order_condition(condition: CompValue) -> str:
    expression = condition["expr"]
    if _get(condition, "order"):
        return f"{condition['order']}({_expr(expression)})"
    return _term(expression) if isinstance(expression, Variable) else f"({_expr(expression)})"


def _data_block(block: CompValue) -> str:
    variables = list(_get(block, "var") or [])
    rows = []
    for row in _get(block, "value") or []:
        values = list(row) if isinstance(row, list | tuple) or type(row).__name__ == "ParseResults" else [row]
        rows.append("(" + " ".join("UNDEF" if v == "UNDEF" else _term(v) for v in values) + ")")
    return "(" + " ".join(_term(v) for v in variables) + ") { " + " ".join(rows) + " }"


def _expr(node: Any) -> str:
    """An expression; every compound one in parentheses, so that precedence is kept."""
    if not isinstance(node, CompValue) or node.name in ("pname", "literal"):
        return _term(node)
    name = node.name
    if name in _BINARY or name in ("AdditiveExpression", "MultiplicativeExpression", "RelationalExpression"):
        return _operators(node)
    if name in ("UnaryNot", "UnaryPlus", "UnaryMinus"):
        return {"UnaryNot": "!", "UnaryPlus": "+", "UnaryMinus": "-"}[name] + f"({_expr(node['expr'])})"
    if name in _AGGREGATES:
        return _aggregate(node)
    if name == "Function":
        distinct = "DISTINCT " if _get(node, "distinct") else ""
        return f"{_term(node['iri'])}({distinct}{', '.join(_expr(e) for e in _get(node, 'expr') or [])})"
    if name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
        return ("EXISTS " if name == "Builtin_EXISTS" else "NOT EXISTS ") + _group(node["graph"])
    if name in ("Builtin_CONCAT", "Builtin_COALESCE"):
        return name[len("Builtin_") :] + _expression_list(node["arg"])
    if name.startswith("Builtin_"):
        return name[len("Builtin_") :] + "(" + ", ".join(_expr(arg) for arg in node.values()) + ")"
    raise _Unprintable(f"an expression rdflib calls {name}")


def _operators(node: CompValue) -> str:
    first = _expr(node["expr"])
    name = node.name
    if name in _BINARY:
        others = _get(node, "other") or []
        return f"({' '.join([first, *(f'{_BINARY[name]} {_expr(o)}' for o in others)])})" if others else first
    if name == "RelationalExpression":
        op = _get(node, "op")
        if op is None:
            return first
        other = _expression_list(node["other"]) if op in ("IN", "NOT IN") else _expr(node["other"])
        return f"({first} {op} {other})"
    ops, others = _get(node, "op") or [], _get(node, "other") or []
    if not ops:
        return first
    return "(" + first + "".join(f" {op} {_expr(other)}" for op, other in zip(ops, others, strict=True)) + ")"


def _expression_list(items: Any) -> str:
    if items == RDF.nil:
        return "()"
    return "(" + ", ".join(_expr(item) for item in items) + ")"


def _aggregate(node: CompValue) -> str:
    distinct = "DISTINCT " if _get(node, "distinct") else ""
    argument = "*" if _get(node, "vars") == "*" else _expr(node["vars"])
    separator = f" ; SEPARATOR={_string(str(node['separator']))}" if _get(node, "separator") is not None else ""
    return f"{_AGGREGATES[node.name]}({distinct}{argument}{separator})"


def _verb(node: Any) -> str:
    """A predicate: a variable, a term, or a property path."""
    if isinstance(node, CompValue) and node.name not in ("pname", "literal"):
        return _path(node)
    return _term(node)


def _path(node: Any) -> str:
    if not isinstance(node, CompValue) or node.name == "pname":
        return _term(node)
    name, parts = node.name, _get(node, "part")
    if name in ("PathAlternative", "PathSequence"):
        texts = [_path(p) for p in parts]
        joined = (" | " if name == "PathAlternative" else " / ").join(texts)
        return f"({joined})" if len(texts) > 1 else joined
    if name == "PathElt":
        primary = parts
        text = (
            f"({_path(primary)})"
            if isinstance(primary, CompValue) and primary.name == "PathAlternative"
            else _path(primary)
        )
        return text + (_get(node, "mod") or "")
    if name == "PathEltOrInverse":
        return "^" + _path(parts)
    if name == "PathNegatedPropertySet":
        members = parts if isinstance(parts, list) else [parts]
        return "!(" + " | ".join(_negated_member(m) for m in members) + ")"
    raise _Unprintable(f"a property path rdflib calls {name}")


def _negated_member(member: Any) -> str:
    if isinstance(member, CompValue) and member.name == "InversePath":
        raise _Unprintable("rdflib's parse drops the IRI of ^iri inside a negated property set !(...)")
    return _term(member)


def _term(node: Any) -> str:
    if isinstance(node, Variable):
        return f"?{node}"
    if isinstance(node, URIRef):
        return _iriref(node)
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        return _literal(str(node), node.language, node.datatype)
    if isinstance(node, CompValue) and node.name == "pname":
        return f"{_get(node, 'prefix') or ''}:{_get(node, 'localname') or ''}"
    if isinstance(node, CompValue) and node.name == "literal":
        datatype = _get(node, "datatype")
        return (
            _string(str(node["string"]))
            + (f"@{node['lang']}" if _get(node, "lang") else "")
            + (f"^^{_term(datatype)}" if datatype is not None else "")
        )
    raise _Unprintable(f"a term rdflib gives as {type(node).__name__} {node!r}")


def _iriref(iri: str) -> str:
    if not _IRIREF.fullmatch(iri):
        raise _Unprintable(f"an IRI with characters an IRI reference cannot hold: {iri!r}")
    return f"<{iri}>"


def _literal(lexical: str, language: str | None, datatype: str | None) -> str:
    if language:
        return f"{_string(lexical)}@{language}"
    if datatype is not None and str(datatype) != str(XSD.string):
        return f"{_string(lexical)}^^{_iriref(datatype)}"
    return _string(lexical)


def _string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'
