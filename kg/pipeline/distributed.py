"""Distributed ingest on Dask: cluster workers extract, map and validate; this process bulk-loads their shards.

    kg ingest CORPUS --scheduler tcp://scheduler:8786      # an existing dask.distributed cluster
    kg ingest CORPUS --scheduler local --workers 2         # a LocalCluster of 2 worker processes

Documents are sent to the cluster in batches. Each task runs the same
:meth:`kg.pipeline.prepare.ArticlePreparer.prepare` as a local ingest (one preparer per
worker process, its models loaded once) and returns an N-Quads *shard*: the
graphs of the batch's articles that passed SHACL, plus the outcome of every
article. The client writes each shard to a temporary file and loads it with
``Store.bulk_load``, Oxigraph's fast loader, which writes without a transaction.
The shard therefore leaves out each article's ``kg:contentHash`` triple, its
commit mark. Once the bulk load has returned, the marks of the whole shard are
added in one transaction. An article cut short by a crash has no mark, so the
next ingest does not take it as unchanged and replaces it whole. Articles
already in the store (changed since) go through :meth:`KgStore.put_ntriples`,
the staged atomic replacement, rather than the bulk loader, which can only add.

Nothing here depends on the cluster sharing a disk with the client: documents
and shards travel through Dask.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from kg.config import Settings
from kg.errors import ConfigError
from kg.ingest.readers import Document
from kg.pipeline.prepare import (
    ArticlePreparer,
    IngestReport,
    Prepared,
    Rejection,
    split_unchanged,
    store_reference_graphs,
)
from kg.store.graphs import KgStore
from kg.vocab.iri import Minter
from kg.vocab.namespaces import KG

__all__ = ["Shard", "ingest_on_dask", "prepare_shard"]

LOCAL = "local"
_CONTENT_HASH = ox.NamedNode(str(KG.contentHash))


@dataclass(frozen=True)
class Shard:
    """What a cluster task returns for a batch of articles."""

    quads: bytes
    """N-Quads of the passing articles' graphs, without their ``kg:contentHash`` marks."""
    marks: bytes
    """N-Quads of those marks, added once ``quads`` is loaded."""
    loaded: list[str]
    rejected: list[Rejection]
    failed: list[Rejection]


_PREPARERS: dict[str, ArticlePreparer] = {}


def prepare_shard(settings: Settings, documents: list[Document]) -> Shard:
    """Extract, map and validate ``documents`` on a cluster worker (its preparer is kept between tasks)."""
    key = settings.model_dump_json()
    preparer = _PREPARERS.get(key)
    if preparer is None:
        preparer = _PREPARERS[key] = ArticlePreparer(settings)
    return _shard([preparer.prepare(document) for document in documents])


def _shard(prepared: list[Prepared]) -> Shard:
    quads: list[ox.Quad] = []
    marks: list[ox.Quad] = []
    loaded: list[str] = []
    rejected: list[Rejection] = []
    failed: list[Rejection] = []
    for item in prepared:
        if item.rejected is not None:
            rejected.append(item.rejected)
        elif item.failed is not None:
            failed.append(item.failed)
        else:
            assert item.graph_name is not None and item.ntriples is not None
            graph = ox.NamedNode(item.graph_name)
            for triple in ox.parse(item.ntriples, format=ox.RdfFormat.N_TRIPLES):
                quad = ox.Quad(triple.subject, triple.predicate, triple.object, graph)
                (marks if triple.predicate == _CONTENT_HASH else quads).append(quad)
            loaded.append(item.key)
    return Shard(
        ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"",
        ox.serialize(marks, format=ox.RdfFormat.N_QUADS) or b"",
        loaded,
        rejected,
        failed,
    )


@contextmanager
def _client(scheduler: str, workers: int) -> Iterator[object]:
    """A dask.distributed client of the cluster at ``scheduler``, or of a LocalCluster for ``local``."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - dask is a dependency
        raise ConfigError("distributed ingest needs dask.distributed (pip install 'dask[distributed]')") from exc
    if scheduler == LOCAL:
        with (
            LocalCluster(
                n_workers=max(workers, 1), threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = Client(scheduler, timeout=30)
    except OSError as exc:
        raise ConfigError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    with client:
        yield client


def ingest_on_dask(
    documents: list[Document],
    settings: Settings,
    *,
    scheduler: str,
    workers: int = 2,
    batch_size: int = 8,
    report: IngestReport | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> IngestReport:
    """Ingest ``documents`` with extraction on the Dask cluster at ``scheduler`` (or ``"local"``)."""
    report = report or IngestReport()
    preparer = ArticlePreparer(settings)
    with KgStore(settings.store, snapshot_interval_s=settings.snapshot_interval_s) as store:
        store_reference_graphs(preparer, store)
        todo = split_unchanged(documents, preparer, store, report)
        existing = {d.key for d in todo if store.contains_graph(str(preparer.minter.graph(d.key)))}
        done, total = len(report.skipped), len(report.skipped) + len(todo)
        batches = [todo[i : i + batch_size] for i in range(0, len(todo), batch_size)]
        with _client(scheduler, workers) as client, tempfile.TemporaryDirectory(prefix="kg-shards-") as tmp:
            from dask.distributed import as_completed

            futures = [client.submit(prepare_shard, settings, batch, pure=False) for batch in batches]  # type: ignore[attr-defined]
            for number, future in enumerate(as_completed(futures)):
                shard: Shard = future.result()
                _load_shard(store, shard, existing, preparer.minter, Path(tmp) / f"shard-{number}.nq")
                report.loaded.extend(shard.loaded)
                report.rejected.extend(shard.rejected)
                report.failed.extend(shard.failed)
                done += len(shard.loaded) + len(shard.rejected) + len(shard.failed)
                if progress is not None:
                    progress(done, total, f"shard {number + 1}/{len(batches)}")
    return report


def _load_shard(store: KgStore, shard: Shard, existing: set[str], minter: Minter, path: Path) -> None:
    """Bulk-load the new articles of ``shard``, replace the changed ones atomically, then add the marks."""
    quads = list(ox.parse(shard.quads, format=ox.RdfFormat.N_QUADS))
    marks = list(ox.parse(shard.marks, format=ox.RdfFormat.N_QUADS))
    replaced = {str(minter.graph(key)) for key in shard.loaded if key in existing}
    fresh = [q for q in quads if q.graph_name.value not in replaced]
    path.write_bytes(ox.serialize(fresh, format=ox.RdfFormat.N_QUADS) or b"")
    store.bulk_load(path)
    fresh_marks = [q for q in marks if q.graph_name.value not in replaced]
    store.add_quads(fresh_marks)
    for graph in replaced:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in (*quads, *marks) if q.graph_name.value == graph]
        store.put_ntriples(URIRef(graph), ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    path.unlink()
