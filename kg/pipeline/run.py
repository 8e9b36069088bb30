"""``kg ingest``: read the articles, then prepare and store them here or on a Dask cluster.

report = ingest([Path("examples/corpus")], settings)                      # this machine
report = ingest([Path("corpus")], settings, scheduler="tcp://host:8786")  # a Dask cluster
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from kg.config import Settings
from kg.pipeline.local import ingest_documents, read_all
from kg.pipeline.prepare import IngestReport

__all__ = ["ingest"]


def ingest(
    paths: Iterable[Path],
    settings: Settings,
    *,
    meta_file: Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> IngestReport:
    """Ingest every article under ``paths``: with ``workers`` local processes, or on the cluster at ``scheduler``.

    ``scheduler`` is a Dask scheduler address or ``"local"`` (a LocalCluster of ``workers`` processes).
    """
    report = IngestReport()
    documents = read_all(list(paths), meta_file, report)
    if scheduler is None:
        return ingest_documents(documents, settings, report=report, progress=progress, workers=workers)
    from kg.pipeline.distributed import ingest_on_dask  # dask.distributed is imported only when it is used

    return ingest_on_dask(
        documents, settings, scheduler=scheduler, workers=workers or 1, report=report, progress=progress
    )
