"""Which outside hosts a query would make the server call: ``SERVICE`` (and ``LOAD``) targets.

pyoxigraph (0.5) does not expose a query's algebra, so the check parses the
query with a real SPARQL 1.1 grammar, rdflib's, on the very text Oxigraph gets
(rdflib's own pre-expansion of ``\\u`` escapes is skipped: Oxigraph 0.5 does
not do it, and a parser that reads a different text would see a different
query). Every ``SERVICE`` and ``LOAD`` of the parse tree, in any nesting
(``OPTIONAL``, ``EXISTS``, subqueries, ``UNION``), is resolved to an IRI against
the prologue's ``PREFIX`` and ``BASE`` declarations and the request's base IRI.
A target is allowed only if it is an http(s) IRI whose ``host:port`` is in the
allowlist (a bare host stands for its scheme's default port); a variable
(``SERVICE ?x``) is refused. A query or update that mentions neither keyword
(ASCII letters in any case, the only spelling Oxigraph's grammar accepts)
cannot call out and is not parsed again; one that does mention them but that
the grammar cannot read is refused, since what it calls cannot be known.

This check is the first line. The second is :mod:`kg.api.sandbox`: the query
workers cannot open a connection to anything the allowlist does not name, so a
spelling this check misread still reaches nothing.

The query's tokens give its nesting depth (:func:`nesting_depth`): Oxigraph's
SPARQL parser recurses, so about 2 000 nested groups overflow its stack and kill
the process, and its time grows steeply with nested brackets (200 ``[`` take
half a minute). A query deeper than :data:`MAX_NESTING` is refused unparsed."""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from pyparsing import ParseResults

from kg.errors import QueryError

__all__ = ["MAX_NESTING", "UNREADABLE", "Call", "check_nesting", "nesting_depth", "outside_calls", "refused_calls"]

_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                 |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
    | (?P<var>[?$][^\s{}()\[\];,"'<>#?$=!&|+*/]*)
    | (?P<word>[^\s{}()\[\];,"'<>#?$=!&|+*/]+)
    | (?P<other>\S)
    """,
    re.VERBOSE,
)
_MENTION = re.compile(r"service|load", re.IGNORECASE | re.ASCII)
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_NESTING = 64
"""The deepest nesting of ``{}``, ``()`` and ``[]`` a query or update may have (at most a second or two to parse)."""
UNREADABLE = "(a query or update the SERVICE check could not parse)"
"""What :attr:`Call.written` says for a query that mentions SERVICE or LOAD but does not parse."""


@dataclass(frozen=True)
class Call:
    """A ``SERVICE`` or ``LOAD`` in a query: the keyword, its target as written, and the resolved IRI."""

    keyword: str
    written: str
    iri: str | None

    @property
    def endpoint(self) -> str | None:
        """The target's ``host:port`` (lower case, default port filled in), if it is an absolute http(s) IRI."""
        if self.iri is None:
            return None
        parts = urlsplit(self.iri)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS or not parts.hostname:
            return None
        try:
            port = parts.port or _DEFAULT_PORTS[scheme]
        except ValueError:
            return None
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        return f"{host}:{port}"

    @property
    def host(self) -> str | None:
        """The target's host (lower case), if the target is an absolute http(s) IRI."""
        endpoint = self.endpoint
        return endpoint.rpartition(":")[0].strip("[]") if endpoint else None


def _tokens(query: str) -> Iterator[tuple[str, str]]:
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup
        assert kind is not None
        if kind != "comment":
            yield kind, match.group()


def outside_calls(query: str, base_iri: str | None = None) -> list[Call]:
    """Every ``SERVICE``/``LOAD`` of ``query`` (a query or an update), its target resolved where it can be.

    A text that mentions either keyword but does not parse gives one :class:`Call`
    with no IRI (and so is refused by :func:`refused_calls`).
    """
    if not _MENTION.search(query):
        return []
    tree = _parse(query, base_iri)
    if tree is None:
        return [Call("SERVICE or LOAD", UNREADABLE, None)]
    return list(_calls(tree))


def _parse(text: str, base_iri: str | None) -> object | None:
    """rdflib's algebra of ``text`` as a query, else as an update; None if it is neither."""
    from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
    from rdflib.plugins.sparql.parser import Query, UpdateUnit

    quiet = logging.getLogger("rdflib.term")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # rdflib warns about IRIs with escapes; they are resolved below
    try:
        try:
            return translateQuery(Query.parse_string(text, parse_all=True), base=base_iri).algebra
        except Exception:  # noqa: BLE001, S110  (any failure of the grammar or the translation: try as an update)
            pass
        try:
            return translateUpdate(UpdateUnit.parse_string(text, parse_all=True)[0], base=base_iri).algebra
        except Exception:  # noqa: BLE001
            return None
    finally:
        quiet.setLevel(level)


def _calls(tree: object) -> Iterator[Call]:
    """The ``ServiceGraphPattern`` and ``Load`` nodes anywhere in rdflib's algebra ``tree``."""
    from rdflib.term import URIRef

    stack, seen = [tree], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        name = getattr(node, "name", None)
        if name in ("ServiceGraphPattern", "Load") and isinstance(node, dict):
            target = node.get("term") if name == "ServiceGraphPattern" else node.get("iri")
            iri = _LOCAL_ESCAPE.sub(r"\1", str(target)) if isinstance(target, URIRef) else None
            keyword = "SERVICE" if name == "ServiceGraphPattern" else "LOAD"
            written = f"<{target}>" if isinstance(target, URIRef) else f"?{target}"
            yield Call(keyword, written, iri if iri and urlsplit(iri).scheme else None)
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)


def nesting_depth(query: str) -> int:
    """How deep the braces, parentheses and brackets of ``query`` nest (those in strings, IRIs and comments aside)."""
    depth = deepest = 0
    for kind, text in _tokens(query):
        if kind == "other" and text in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "other" and text in "})]":
            depth -= 1
    return deepest


def check_nesting(query: str) -> None:
    """Raise :class:`~kg.errors.QueryError` if ``query`` nests deeper than :data:`MAX_NESTING`."""
    depth = nesting_depth(query)
    if depth > MAX_NESTING:
        raise QueryError(
            f"the query nests braces, brackets or parentheses {depth} deep; at most {MAX_NESTING} are accepted"
        )


def refused_calls(query: str, allowlist: Collection[str], base_iri: str | None = None) -> list[Call]:
    """The ``SERVICE``/``LOAD`` targets of ``query`` whose ``host:port`` is not in ``allowlist``.

    An allowlist entry is ``host`` (its scheme's default port: 80 for http, 443 for https) or ``host:port``.
    """
    allowed = {_entry(entry) for entry in allowlist}
    refused = []
    for call in outside_calls(query, base_iri):
        endpoint, host = call.endpoint, call.host
        if (
            endpoint is None
            or host is None
            or (endpoint not in allowed and (host, urlsplit(call.iri or "").port is None) not in allowed)
        ):
            refused.append(call)
    return refused


def _entry(entry: str) -> object:
    """An allowlist entry as compared with a call: ``"host:port"``, or ``(host, True)`` for a bare host."""
    entry = entry.lower()
    head, sep, tail = entry.rpartition(":")
    if sep and tail.isdigit() and (not head.startswith("[") or head.endswith("]")):
        return entry
    return (entry.strip("[]"), True)
