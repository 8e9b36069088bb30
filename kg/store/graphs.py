"""The on-disk Oxigraph store: one named graph per article, written atomically.

Writes go through two primitives:

* a new article graph is added with one ``Store.load`` call, which Oxigraph
  applies as one transaction;
* a changed article is first loaded, in one transaction, into a *staging* graph
  marked ``kg:stagingFor`` its live graph, then swapped in by one SPARQL Update
  request (also one transaction) whose text is constant. A crash can only leave
  a staging graph behind (full, or emptied by the swap but not yet removed),
  never a half-written or doubled article; :meth:`KgStore.repair`, run on every
  read-write open, drops such leftovers.

Readers never open the live store. A writer publishes *snapshots*: Oxigraph
backups (RocksDB checkpoints, mostly hard links) in ``STORE.snapshots/``, at most
every ``snapshot_interval_s`` while it writes and again when it closes; the
file ``CURRENT`` names the newest. Nobody writes a snapshot once it is
published, so any number of processes may open it read-only while the writer
goes on (opening the live store read-only while it is written is undefined in
Oxigraph). ``kg serve``'s query workers read the newest snapshot, so new
articles appear without a restart and an ingest never blocks a reader.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.errors import QueryError, StoreError, StoreLockedError
from kg.store.errors import evaluation_errors
from kg.store.snapshots import latest_snapshot, live_changed_ns, prune_snapshots, write_snapshot
from kg.vocab.namespaces import KG
from kg.vocab.prefixes import sparql_prefixes

__all__ = ["KgStore", "QueryResult", "open_for_reading", "publish_if_stale", "to_ox"]

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

_SWAP_STAGED = (
    sparql_prefixes("kg")
    + """
DELETE { GRAPH ?live { ?s ?p ?o } }
WHERE { GRAPH ?staging { ?staging kg:stagingFor ?live } GRAPH ?live { ?s ?p ?o } } ;
INSERT { GRAPH ?live { ?s ?p ?o } }
WHERE { GRAPH ?staging { ?staging kg:stagingFor ?live . ?s ?p ?o } FILTER (?p != kg:stagingFor) } ;
DELETE { GRAPH ?staging { ?s ?p ?o } }
WHERE { GRAPH ?staging { ?staging kg:stagingFor ?live . ?s ?p ?o } }
"""
)

_STAGING_GRAPHS = (
    sparql_prefixes("kg")
    + """
SELECT DISTINCT ?staging WHERE { GRAPH ?staging { ?staging kg:stagingFor ?live } }
"""
)

_STAGING_SUFFIX = "/staging"

_DEFAULT_STAGING = ox.NamedNode("urn:x-osint-kg:staging:default-graph")
"""Where a replacement of the store's default graph is staged (its swap names it as a constant)."""

_SWAP_STAGED_DEFAULT = """
DELETE WHERE { ?s ?p ?o } ;
INSERT { ?s ?p ?o } WHERE { GRAPH <urn:x-osint-kg:staging:default-graph> { ?s ?p ?o } } ;
DROP SILENT GRAPH <urn:x-osint-kg:staging:default-graph>
"""

_ARTICLE_GRAPHS = (
    sparql_prefixes("kg")
    + """
SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g a kg:ArticleGraph } } ORDER BY ?g
"""
)

_ARTICLE_HASH = (
    sparql_prefixes("kg")
    + """
SELECT ?graph ?hash WHERE { GRAPH ?graph { ?article kg:contentHash ?hash } } LIMIT 1
"""
)


def publish_if_stale(store: Path | str, seen_ns: int = 0) -> int:
    """Publish a snapshot of ``store`` if no process holds it and it changed after its newest snapshot.

    A writer killed with SIGKILL leaves its last commits unpublished: readers
    would go on serving the older snapshot until the next writer. This opens the
    store (which also repairs it), publishes, and closes it. ``seen_ns`` is what
    an earlier call returned: changes up to then (opening a store touches its
    files) do not count. Returns the live store's change time after the call.
    """
    changed = live_changed_ns(store)
    current = latest_snapshot(store)
    made = int(current.name.split("-", 1)[0]) if current is not None and current.name[:1].isdigit() else 0
    if changed <= max(made, seen_ns):
        return max(changed, seen_ns)
    try:
        opened = KgStore(store, snapshot_interval_s=None)
    except StoreLockedError:  # a live writer: it publishes on its own
        return seen_ns
    try:
        opened.publish_snapshot()
    finally:
        opened.close()
    return live_changed_ns(store)


def open_for_reading(path: Path | str) -> KgStore:
    """The store at ``path`` to read: itself, or its latest snapshot while another process writes it."""
    try:
        return KgStore(path)
    except StoreLockedError:
        snapshot = latest_snapshot(path)
        if snapshot is None:
            raise
        return KgStore.open_snapshot(snapshot)


def to_ox(term: URIRef | str) -> ox.NamedNode:
    """An rdflib IRI as a pyoxigraph named node."""
    return ox.NamedNode(str(term))


def _graph_node(graph_name: str | None) -> ox.NamedNode | ox.DefaultGraph:
    """The named graph ``graph_name``, or the default graph for None."""
    return ox.DefaultGraph() if graph_name is None else ox.NamedNode(graph_name)


class KgStore:
    """An Oxigraph store on disk, opened read-write by one process at a time.

    ``snapshot_interval_s`` (None: never) is how often writes publish a
    snapshot for readers; closing a store that was written publishes one too.
    """

    def __init__(self, path: Path | str, *, snapshot_interval_s: float | None = 2.0, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._write_lock = threading.Lock()
        self._snapshot_interval_s = None if read_only else snapshot_interval_s
        self._unpublished = False
        self._published_at = time.monotonic()
        if read_only:
            try:
                self._store = ox.Store.read_only(str(self.path))
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot open the snapshot: {exc}") from exc
            return
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(self.path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreLockedError(
                    f"{self.path}: the store is being written by another process (a running `kg ingest`?); "
                    f"wait for it to finish or use another --store"
                ) from exc
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc
        if self.repair():
            self._unpublished = True

    @classmethod
    def open_snapshot(cls, path: Path | str) -> KgStore:
        """A published snapshot (see :func:`kg.store.snapshots.latest_snapshot`), opened read-only."""
        return cls(path, read_only=True)

    # -- lifecycle ---------------------------------------------------------

    def close(self) -> None:
        """Flush to disk and publish a snapshot if anything was written; the store must not be used afterwards."""
        if not self.read_only:
            self._store.flush()
            if self._unpublished and self._snapshot_interval_s is not None:
                self.publish_snapshot()
        del self._store

    def publish_snapshot(self) -> Path:
        """Checkpoint the store into a new snapshot, make it the current one and prune old ones."""
        with self._write_lock:
            snapshot = write_snapshot(self._store, self.path)
            self._unpublished = False
            self._published_at = time.monotonic()
        prune_snapshots(snapshot.parent, keep=snapshot.name)
        return snapshot

    def __enter__(self) -> KgStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self._store)

    # -- writes ------------------------------------------------------------

    def repair(self) -> list[str]:
        """Drop staging graphs a crashed ingest may have left; return their names."""
        leftovers = [row["staging"] for row in self._select(_STAGING_GRAPHS)] + self._emptied_staging()
        if self._store.contains_named_graph(_DEFAULT_STAGING):
            leftovers.append(_DEFAULT_STAGING)
        for graph in leftovers:
            self._store.remove_graph(graph)
        return [g.value for g in leftovers]

    def _emptied_staging(self) -> list[ox.NamedNode]:
        """Staging graphs the swap emptied but the process did not live to remove (named graphs stay until removed)."""
        names = {g for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)}
        return [
            g
            for g in names
            if g.value.endswith(_STAGING_SUFFIX)
            and ox.NamedNode(g.value[: -len(_STAGING_SUFFIX)]) in names
            and next(self._store.quads_for_pattern(None, None, None, g), None) is None
        ]

    def article_hash(self, graph: URIRef) -> str | None:
        """The content hash recorded in an article's graph, or None if it is not stored."""
        rows = list(self._select(_ARTICLE_HASH, substitutions={ox.Variable("graph"): to_ox(graph)}))
        return rows[0]["hash"].value if rows else None

    def put_graph(self, graph_name: URIRef, graph: Graph) -> None:
        """Store ``graph`` as named graph ``graph_name``, replacing it atomically if present."""
        self.put_ntriples(graph_name, graph.serialize(format="nt", encoding="utf-8"))

    def put_ntriples(self, graph_name: URIRef | str | None, data: bytes) -> None:
        """Store N-Triples ``data`` as named graph ``graph_name`` (None: the store's own default graph),
        replacing it atomically if present."""
        if graph_name is None:
            with self._writing("cannot write the default graph"):
                self._store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=_DEFAULT_STAGING)
                self._store.update(_SWAP_STAGED_DEFAULT)
            return
        target = to_ox(graph_name)
        with self._writing(f"cannot write graph <{graph_name}>"):
            if not self._store.contains_named_graph(target):
                self._store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=target)
            else:
                staging = ox.NamedNode(f"{graph_name}{_STAGING_SUFFIX}")
                marker = ox.Triple(staging, to_ox(KG.stagingFor), target)
                staged = data + (ox.serialize([marker], format=ox.RdfFormat.N_TRIPLES) or b"")
                self._store.load(staged, format=ox.RdfFormat.N_TRIPLES, to_graph=staging)
                self._store.update(_SWAP_STAGED)
                self._store.remove_graph(staging)

    def add_ntriples(self, graph_name: str | None, data: bytes) -> None:
        """Add N-Triples ``data`` to named graph ``graph_name`` (None: the default graph) in one transaction."""
        with self._writing(f"cannot write graph <{graph_name or 'default'}>"):
            self._store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=_graph_node(graph_name))

    def bulk_load(self, path: Path) -> None:
        """Load an N-Quads file with Oxigraph's bulk loader: fast, but not one transaction (see kg.pipeline.distributed)."""
        with self._writing(f"cannot bulk-load {path}"):
            self._store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)

    def add_quads(self, quads: list[ox.Quad]) -> None:
        """Add ``quads`` in one transaction."""
        with self._writing(f"cannot add {len(quads)} quads"):
            self._store.extend(quads)

    def drop_graph(self, graph_name: str | None) -> bool:
        """Remove named graph ``graph_name``, or empty the default graph (None); False if there was no such graph."""
        if graph_name is None:
            with self._writing("cannot empty the default graph"):
                self._store.clear_graph(ox.DefaultGraph())
            return True
        target = ox.NamedNode(graph_name)
        with self._writing(f"cannot remove graph <{graph_name}>"):
            if not self._store.contains_named_graph(target):
                return False
            self._store.remove_graph(target)
        return True

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Apply a SPARQL Update in one transaction (the endpoint's authorised writes); relative IRIs
        resolve against ``base_iri``."""
        with self._writing("update failed"), evaluation_errors(f"{self.path}: update failed"):
            self._store.update(sparql, base_iri=base_iri)

    @contextmanager
    def _writing(self, failure: str) -> Iterator[None]:
        """One write: under the write lock, OSError (and a bulk file's SyntaxError) as StoreError
        naming ``failure``; a snapshot is due afterwards."""
        with self._write_lock:
            try:
                yield
            except (OSError, SyntaxError) as exc:
                raise StoreError(f"{self.path}: {failure}: {exc}") from exc
            finally:
                self._unpublished = True
        self._publish_if_due()

    def _publish_if_due(self) -> None:
        interval = self._snapshot_interval_s
        if interval is not None and time.monotonic() - self._published_at >= interval:
            self.publish_snapshot()

    # -- reads -------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
        union_default_graph: bool = True,
        default_graph: Sequence[ox.NamedNode] | None = None,
        named_graphs: Sequence[ox.NamedNode] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL query; values are bound by ``substitutions``, never pasted into text."""
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): v for k, v in (substitutions or {}).items()
        }
        defaults: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = (
            None if default_graph is None else list(default_graph)
        )
        named: list[ox.NamedNode | ox.BlankNode] | None = None if named_graphs is None else list(named_graphs)
        with evaluation_errors(f"{self.path}: query failed"):
            return self._store.query(
                sparql,
                base_iri=base_iri,
                substitutions=subs or None,
                use_default_graph_as_union=union_default_graph and default_graph is None,
                default_graph=defaults,
                named_graphs=named,
            )

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

    def article_graphs(self) -> list[URIRef]:
        """The names of every article graph in the store, sorted."""
        return [URIRef(row["g"].value) for row in self.select(_ARTICLE_GRAPHS, union_default_graph=False)]

    def read_graph(self, name: URIRef) -> Graph:
        """One named graph of the store as an rdflib graph."""
        buffer = io.BytesIO()
        self.dump(buffer, ox.RdfFormat.N_TRIPLES, graph_name=name)
        return Graph().parse(data=buffer.getvalue().decode("utf-8"), format="nt")

    def dump(self, output: IO[bytes], rdf_format: ox.RdfFormat, graph_name: URIRef | None = None) -> None:
        """Serialize the dataset (or one graph) to ``output``."""
        if graph_name is None:
            self._store.dump(output, format=rdf_format)
        else:
            self._store.dump(output, format=rdf_format, from_graph=to_ox(graph_name))
