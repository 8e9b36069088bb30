"""Which outside hosts a query would make the server call: ``SERVICE`` (and ``LOAD``) targets.

pyoxigraph (0.5) does not expose a query's algebra, so this is a lexical check
over SPARQL's tokens: comments, strings and IRIs are read as whole tokens (so a
``SERVICE`` inside them is never seen as the keyword), ``PREFIX`` and ``BASE``
declarations are tracked, and the term after ``SERVICE [SILENT]`` (or
``LOAD [SILENT]``) is resolved to an IRI. A target is allowed only if it is an
http(s) IRI whose host is in the allowlist; a variable (``SERVICE ?x``), a
relative IRI without a base, or anything unreadable is refused. The check
errs on the side of refusing: a refused query never reaches the store.

The same tokens give a query's nesting depth (:func:`nesting_depth`): Oxigraph's
SPARQL parser recurses, so about 2 000 nested groups overflow its stack and kill
the process, and its time grows steeply with nested brackets (200 ``[`` take
half a minute). A query deeper than :data:`MAX_NESTING` is refused unparsed.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from kg.errors import QueryError

__all__ = ["MAX_NESTING", "Call", "check_nesting", "nesting_depth", "outside_calls", "refused_calls"]

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
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_CALLS = {"SERVICE", "LOAD"}
MAX_NESTING = 64
"""The deepest nesting of ``{}``, ``()`` and ``[]`` a query or update may have (at most a second or two to parse)."""


@dataclass(frozen=True)
class Call:
    """A ``SERVICE`` or ``LOAD`` in a query: the keyword, its target as written, and the resolved IRI."""

    keyword: str
    written: str
    iri: str | None

    @property
    def host(self) -> str | None:
        """The target's host (lower case), if the target is an absolute http(s) IRI."""
        if self.iri is None:
            return None
        parts = urlsplit(self.iri)
        if parts.scheme.lower() not in {"http", "https"}:
            return None
        return parts.hostname


def _tokens(query: str) -> Iterator[tuple[str, str]]:
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup
        assert kind is not None
        if kind != "comment":
            yield kind, match.group()


def _iri(token: str) -> str:
    """The text of an IRIREF token, its ``\\u`` escapes decoded."""
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), token[1:-1])


def outside_calls(query: str, base_iri: str | None = None) -> list[Call]:
    """Every ``SERVICE``/``LOAD`` of ``query``, with its target resolved where it can be."""
    prefixes: dict[str, str] = {}
    base = base_iri
    tokens = list(_tokens(query))
    calls = []
    for i, (kind, text) in enumerate(tokens):
        if kind != "word":
            continue
        keyword = text.upper()
        following = tokens[i + 1 : i + 3]
        if keyword == "BASE" and following and following[0][0] == "iri":
            iri = _iri(following[0][1])
            base = urljoin(base, iri) if base else iri
        elif keyword == "PREFIX" and len(following) == 2 and following[0][0] == "word" and following[1][0] == "iri":
            iri = _iri(following[1][1])
            prefixes[following[0][1].rstrip(":")] = urljoin(base, iri) if base else iri
        elif keyword in _CALLS:
            rest = tokens[i + 1 : i + 3]
            if rest and rest[0][0] == "word" and rest[0][1].upper() == "SILENT":
                rest = rest[1:]
            target = rest[0] if rest else ("other", "")
            calls.append(Call(keyword, target[1], _resolve(target, prefixes, base)))
    return calls


def _resolve(token: tuple[str, str], prefixes: dict[str, str], base: str | None) -> str | None:
    kind, text = token
    if kind == "iri":
        iri = _iri(text)
        if urlsplit(iri).scheme:
            return iri
        return urljoin(base, iri) if base else None
    if kind == "word" and ":" in text:
        prefix, _, local = text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)
    return None


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
        raise QueryError(f"the query nests braces, brackets or parentheses {depth} deep; "
                         f"at most {MAX_NESTING} are accepted")


def refused_calls(query: str, allowlist: Collection[str], base_iri: str | None = None) -> list[Call]:
    """The ``SERVICE``/``LOAD`` targets of ``query`` whose host is not in ``allowlist``."""
    allowed = {host.lower() for host in allowlist}
    return [call for call in outside_calls(query, base_iri) if call.host is None or call.host not in allowed]
