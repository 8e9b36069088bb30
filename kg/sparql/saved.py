"""Saved analyst queries: ``queries/*.rq`` files with a machine-readable header.

Each file opens with a block of comment lines in this exact form::

    # title: Events by place and date range
    # description: Every event that took place in a given place ...
    # param: place iri  The place; unbound = everywhere
    # param: from date  Earliest date (xsd:date), inclusive; unbound = no lower bound

The header is the run of ``# key: value`` lines at the top of the file; it ends
at the first line that is not one (a bare ``#``, a blank line or the query
itself), and free comments may follow it. ``title`` and ``description`` are
required, once each; every ``param`` line names a SPARQL variable (without
``?``), its type (``iri``, ``date``, ``string`` or ``integer``) and, after two
spaces, what it means.

Parameters are bound from outside with pyoxigraph substitutions, never pasted
into the text, so each one must be a variable the SELECT projects; a query
must also give an answer when a parameter is left unbound. :func:`load_query`
checks all this (the query is prepared on an empty in-memory store) and raises
:class:`~kg.errors.ConfigError` naming the file; :func:`bind` turns strings,
such as HTTP query parameters, into the pyoxigraph terms to substitute.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Final

import pyoxigraph as ox

from kg.errors import ConfigError, QueryError

__all__ = ["PARAM_TYPES", "Param", "SavedQuery", "bind", "load_queries", "load_query", "parse_query"]

XSD: Final = "http://www.w3.org/2001/XMLSchema#"
PARAM_TYPES: Final = ("iri", "date", "string", "integer")

_HEADER_LINE = re.compile(r"^# (?P<key>[A-Za-z]+): (?P<value>\S.*)$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*) (?P<type>[a-z]+)  (?P<description>\S.*)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d+$")


@dataclass(frozen=True)
class Param:
    """A parameter of a saved query: the SPARQL variable ``?name`` bound by substitution."""

    name: str
    type: str
    description: str


@dataclass(frozen=True)
class SavedQuery:
    """A saved SPARQL query and what its header says about it."""

    name: str
    title: str
    description: str
    params: list[Param] = field(default_factory=list)
    text: str = ""

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise QueryError(
            f"query {self.name!r} has no parameter {name!r}"
            f" (it has: {', '.join(p.name for p in self.params) or 'none'})"
        )


def _header(text: str, where: str) -> tuple[str, str, list[Param]]:
    title: str | None = None
    description: str | None = None
    params: list[Param] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#") or line.strip() == "#":
            break
        match = _HEADER_LINE.match(line.rstrip())
        if match is None:
            raise ConfigError(
                f"{where}:{number}: malformed header line {line!r}; "
                f"expected '# title: …', '# description: …' or '# param: NAME TYPE  DESCRIPTION'"
            )
        key, value = match["key"], match["value"]
        if key == "title" or key == "description":
            if (title if key == "title" else description) is not None:
                raise ConfigError(f"{where}:{number}: '{key}' given twice in the header")
            if key == "title":
                title = value
            else:
                description = value
        elif key == "param":
            found = _PARAM.match(value)
            if found is None:
                raise ConfigError(
                    f"{where}:{number}: malformed param line {line!r}; "
                    f"expected '# param: NAME TYPE  DESCRIPTION' (two spaces before the description)"
                )
            if found["type"] not in PARAM_TYPES:
                raise ConfigError(
                    f"{where}:{number}: parameter {found['name']!r} has unknown type "
                    f"{found['type']!r}; use one of {', '.join(PARAM_TYPES)}"
                )
            if any(p.name == found["name"] for p in params):
                raise ConfigError(f"{where}:{number}: parameter {found['name']!r} declared twice")
            params.append(Param(found["name"], found["type"], found["description"]))
        else:
            raise ConfigError(
                f"{where}:{number}: unknown header key {key!r}; expected 'title', 'description' or 'param'"
            )
    if title is None or description is None:
        missing = " and ".join(k for k, v in (("title", title), ("description", description)) if v is None)
        raise ConfigError(
            f"{where}: the header has no {missing}; a saved query must open with "
            f"'# title: …' and '# description: …' lines"
        )
    return title, description, params


def _projected(text: str, where: str) -> list[str]:
    """The variables the query's SELECT projects, by preparing it on an empty store."""
    try:
        result = ox.Store().query(text)
    except SyntaxError as exc:
        raise ConfigError(f"{where}: the query does not parse: {exc}") from exc
    if not isinstance(result, ox.QuerySolutions):
        raise ConfigError(f"{where}: a saved query must be a SELECT query")
    return [v.value for v in result.variables]


def parse_query(text: str, name: str, where: str | None = None) -> SavedQuery:
    """A saved query from its text; ``where`` (default: ``name``) names it in errors."""
    where = where or name
    title, description, params = _header(text, where)
    projected = _projected(text, where)
    missing = [p.name for p in params if p.name not in projected]
    if missing:
        raise ConfigError(
            f"{where}: parameter(s) {', '.join(missing)} not projected by the SELECT; "
            f"a substituted variable must be projected (SELECT ?{missing[0]} …)"
        )
    return SavedQuery(name=name, title=title, description=description, params=params, text=text)


def load_query(path: Path | str) -> SavedQuery:
    """The saved query in ``path``, named after the file's stem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the query: {exc}") from exc
    return parse_query(text, path.stem, str(path))


def load_queries(directory: Path | str) -> dict[str, SavedQuery]:
    """Every ``*.rq`` file of ``directory``, by name (the file's stem), sorted."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ConfigError(f"{directory}: not a directory of saved queries")
    return {path.stem: load_query(path) for path in sorted(directory.glob("*.rq"))}


def _term(query: SavedQuery, param: Param, value: str) -> ox.NamedNode | ox.Literal:
    def bad(why: str) -> QueryError:
        return QueryError(f"query {query.name!r}, parameter {param.name!r} ({param.type}): {why}: {value!r}")

    if not isinstance(value, str):
        raise bad("expected a string")
    if param.type == "iri":
        iri = value.strip()
        if iri.startswith("<") and iri.endswith(">"):
            iri = iri[1:-1]
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", iri):
            raise bad("not an absolute IRI")
        try:
            return ox.NamedNode(iri)
        except ValueError as exc:
            raise bad(f"not a valid IRI ({exc})") from exc
    if param.type == "date":
        text = value.strip()
        try:
            if not _DATE.match(text):
                raise ValueError
            date.fromisoformat(text)
        except ValueError:
            raise bad("not a date in the form YYYY-MM-DD") from None
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))
    if param.type == "integer":
        text = value.strip()
        if not _INTEGER.match(text):
            raise bad("not an integer")
        return ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer"))
    return ox.Literal(value)


def bind(query: SavedQuery, values: Mapping[str, str | None]) -> dict[str, ox.NamedNode | ox.Literal]:
    """Substitutions for ``query`` from string values, converted per declared type.

    Parameters left out (or given as ``None``) stay unbound. Raises
    :class:`~kg.errors.QueryError` on an unknown parameter or a bad value.
    """
    bound: dict[str, ox.NamedNode | ox.Literal] = {}
    for name, value in values.items():
        param = query.param(name)
        if value is None:
            continue
        bound[name] = _term(query, param, value)
    return bound
