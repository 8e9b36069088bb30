"""The on-disk Oxigraph store: one named graph per article, written atomically.

Writes go through two primitives:

* a new article graph is added with one ``Store.load`` call, which Oxigraph
  applies as one transaction;
* a changed article is first loaded, in one transaction, into a *staging* graph
  marked ``kg:stagingFor`` its live graph, then swapped in by one SPARQL Update
  request (also one transaction) whose text is constant. A crash can only leave
  a staging graph behind, never a half-written or doubled article;
  :meth:`KgStore.repair`, run on every read-write open, drops such leftovers.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.errors import QueryError, StoreError, StoreLockedError
from kg.namespaces import KG

__all__ = ["KgStore", "QueryResult", "to_ox"]

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

_SWAP_STAGED = """
PREFIX kg: <https://w3id.org/osint-kg/ontology#>
DELETE { GRAPH ?live { ?s ?p ?o } }
WHERE { GRAPH ?staging { ?staging kg:stagingFor ?live } GRAPH ?live { ?s ?p ?o } } ;
INSERT { GRAPH ?live { ?s ?p ?o } }
WHERE { GRAPH ?staging { ?staging kg:stagingFor ?live . ?s ?p ?o } FILTER (?p != kg:stagingFor) } ;
DELETE { GRAPH ?staging { ?s ?p ?o } }
WHERE { GRAPH ?staging { ?staging kg:stagingFor ?live . ?s ?p ?o } }
"""

_STAGING_GRAPHS = """
PREFIX kg: <https://w3id.org/osint-kg/ontology#>
SELECT DISTINCT ?staging WHERE { GRAPH ?staging { ?staging kg:stagingFor ?live } }
"""

_ARTICLE_HASH = """
PREFIX kg: <https://w3id.org/osint-kg/ontology#>
SELECT ?graph ?hash WHERE { GRAPH ?graph { ?article kg:contentHash ?hash } } LIMIT 1
"""


def to_ox(term: URIRef) -> ox.NamedNode:
    """An rdflib IRI as a pyoxigraph named node."""
    return ox.NamedNode(str(term))


class KgStore:
    """An Oxigraph store on disk, opened read-write by one process at a time."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._write_lock = threading.Lock()
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(self.path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreLockedError(
                    f"{self.path}: the store is in use by another process (a running `kg serve` "
                    f"or `kg ingest`?); stop it or use another --store"
                ) from exc
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc
        self.repair()

    # -- lifecycle ---------------------------------------------------------

    def close(self) -> None:
        """Flush to disk; the store must not be used afterwards."""
        self._store.flush()
        del self._store

    def __enter__(self) -> KgStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self._store)

    # -- writes ------------------------------------------------------------

    def repair(self) -> list[str]:
        """Drop staging graphs a crashed ingest may have left; return their names."""
        leftovers = [row["staging"] for row in self._select(_STAGING_GRAPHS)]
        for graph in leftovers:
            self._store.remove_graph(graph)
        return [g.value for g in leftovers]

    def article_hash(self, graph: URIRef) -> str | None:
        """The content hash recorded in an article's graph, or None if it is not stored."""
        rows = list(self._select(_ARTICLE_HASH, substitutions={ox.Variable("graph"): to_ox(graph)}))
        return rows[0]["hash"].value if rows else None

    def put_graph(self, graph_name: URIRef, graph: Graph) -> None:
        """Store ``graph`` as named graph ``graph_name``, replacing it atomically if present."""
        self.put_ntriples(graph_name, graph.serialize(format="nt", encoding="utf-8"))

    def put_ntriples(self, graph_name: URIRef, data: bytes) -> None:
        """Store N-Triples ``data`` as named graph ``graph_name``, replacing it atomically if present."""
        target = to_ox(graph_name)
        with self._write_lock:
            try:
                if not self._store.contains_named_graph(target):
                    self._store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=target)
                    return
                staging = ox.NamedNode(f"{graph_name}/staging")
                marker = ox.Triple(staging, to_ox(KG.stagingFor), target)
                staged = data + ox.serialize([marker], format=ox.RdfFormat.N_TRIPLES)
                self._store.load(staged, format=ox.RdfFormat.N_TRIPLES, to_graph=staging)
                self._store.update(_SWAP_STAGED)
                self._store.remove_graph(staging)
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot write graph <{graph_name}>: {exc}") from exc

    # -- reads -------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
        union_default_graph: bool = True,
        default_graph: list[ox.NamedNode] | None = None,
        named_graphs: list[ox.NamedNode] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL query; values are bound by ``substitutions``, never pasted into text."""
        subs = {ox.Variable(k): v for k, v in (substitutions or {}).items()}
        try:
            return self._store.query(
                sparql,
                base_iri=base_iri,
                substitutions=subs or None,
                use_default_graph_as_union=union_default_graph and default_graph is None,
                default_graph=default_graph,
                named_graphs=named_graphs,
            )
        except SyntaxError as exc:
            raise QueryError(str(exc)) from exc
        except OSError as exc:
            raise StoreError(f"{self.path}: query failed: {exc}") from exc

    def select(self, sparql: str, **kwargs: object) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
        """Rows of a SELECT query as dicts from variable name to term (unbound ones left out)."""
        result = self.query(sparql, **kwargs)  # type: ignore[arg-type]
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in result]

    def _select(self, sparql: str, **kwargs: object) -> Iterator[ox.QuerySolution]:
        result = self._store.query(sparql, **kwargs)  # type: ignore[arg-type]
        assert isinstance(result, ox.QuerySolutions)
        yield from result

    def contains_graph(self, name: str) -> bool:
        """Whether the named graph ``name`` holds at least one triple (or was created empty)."""
        try:
            return self._store.contains_named_graph(ox.NamedNode(name))
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read the graph list: {exc}") from exc

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def dump(self, output: IO[bytes], rdf_format: ox.RdfFormat, graph_name: URIRef | None = None) -> None:
        """Serialize the dataset (or one graph) to ``output``."""
        if graph_name is None:
            self._store.dump(output, format=rdf_format)
        else:
            self._store.dump(output, format=rdf_format, from_graph=to_ox(graph_name))
