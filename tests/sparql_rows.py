"""SELECT answers of two SPARQL engines made comparable: rows over HTTP, and the one normalisation needed.

Rows are compared as multisets of tuples of terms (N-Triples form). Only
``GROUP_CONCAT`` columns are normalised, because SPARQL leaves two things about
them to the engine:

* the order in which the values are joined: the parts are sorted;
* the result over no values at all: Virtuoso gives ``""``, Oxigraph leaves the
  variable unbound; both become unbound.
"""

from __future__ import annotations

import re
from collections import Counter

import httpx
import pyoxigraph as ox

Row = tuple[str | None, ...]

_GROUP_CONCAT = re.compile(
    r'GROUP_CONCAT\(\s*(?:DISTINCT\s+)?\?\w+\s*;\s*separator\s*=\s*"([^"]*)"\s*\)\s*AS\s+\?(\w+)', re.IGNORECASE
)


def select_over_http(client: httpx.Client, url: str, query: str) -> tuple[list[str], list[tuple[object, ...]]]:
    """The variables and rows of a SELECT posted to the SPARQL endpoint ``url`` (results as JSON)."""
    response = client.post(url, data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, f"{url}: HTTP {response.status_code}: {response.text[:500]}"
    solutions = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return names, [tuple(solution[name] for name in names) for solution in solutions]


def comparable(query: str, names: list[str], rows: list[tuple[object, ...]]) -> Counter[Row]:
    """The rows as a multiset, ``GROUP_CONCAT`` columns normalised (see the module docstring)."""
    separators = {column: separator for separator, column in _GROUP_CONCAT.findall(query)}
    result: Counter[Row] = Counter()
    for row in rows:
        values: list[str | None] = []
        for name, term in zip(names, row, strict=True):
            if term is None:
                values.append(None)
            elif name in separators:
                assert isinstance(term, ox.Literal), f"?{name} is a GROUP_CONCAT but holds {term}"
                parts = sorted(term.value.split(separators[name])) if term.value else None
                values.append(None if parts is None else separators[name].join(parts))
            else:
                values.append(str(term))
        result[tuple(values)] += 1
    return result
