"""pyoxigraph's exceptions as kg errors, in one place.

pyoxigraph raises ``SyntaxError`` for a query it cannot parse, ``RuntimeError``
for one it cannot evaluate (a DROP of a graph that is not there, a type error
in a SERVICE answer...) and ``OSError`` when the store itself fails. Queries
are evaluated lazily, so these surface wherever results are read: every such
place wraps its reading in :func:`evaluation_errors`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kg.errors import QueryError, StoreError

__all__ = ["evaluation_errors"]


@contextmanager
def evaluation_errors(where: str = "query evaluation failed") -> Iterator[None]:
    """Turn a query's ``SyntaxError``/``RuntimeError`` into :class:`QueryError` and an ``OSError`` into
    :class:`StoreError` (its message prefixed with ``where``)."""
    try:
        yield
    except (SyntaxError, RuntimeError) as exc:
        raise QueryError(str(exc)) from exc
    except OSError as exc:
        raise StoreError(f"{where}: {exc}") from exc
