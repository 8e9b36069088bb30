"""Distributed ingest on a real Dask LocalCluster: the same store as a local ingest, crash marks honoured."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.config import Settings
from kg.pipeline.distributed import ingest_on_dask
from kg.pipeline.local import read_all
from kg.pipeline.prepare import IngestReport
from kg.store.graphs import KgStore
from kg.vocab.namespaces import KG
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow


GENERATED_AT = ox.NamedNode("http://www.w3.org/ns/prov#generatedAtTime")


def _quads(path: Path) -> set[ox.Quad]:
    """The store's quads but the time each graph was made (which differs from run to run)."""
    with KgStore(path) as store:
        buffer = io.BytesIO()
        store.dump(buffer, ox.RdfFormat.N_QUADS)
    return {q for q in ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_QUADS) if q.predicate != GENERATED_AT}


def test_dask_ingest_builds_the_same_store_as_a_local_ingest(
    tmp_path: Path, example_build: tuple[Settings, IngestReport]
) -> None:
    local_settings, local_report = example_build
    settings = Settings(store=tmp_path / "store")
    report = IngestReport()
    documents = read_all([EXAMPLES], None, report)
    report = ingest_on_dask(documents, settings, scheduler="local", workers=2, batch_size=3, report=report)
    assert sorted(report.loaded) == sorted(local_report.loaded)
    assert not report.rejected and not report.failed
    assert _quads(settings.store) == _quads(local_settings.store)

    # a crash after a bulk load, before the commit marks: the article has no mark, so it is redone whole
    victim = documents[0]
    with KgStore(settings.store) as store:
        graph = ox.NamedNode(str(store_graph(settings, victim.key)))
        marks = list(store._store.quads_for_pattern(None, ox.NamedNode(str(KG.contentHash)), None, graph))
        assert len(marks) == 1
        store._store.remove(marks[0])
        store._store.remove(next(store._store.quads_for_pattern(None, None, None, graph)))  # and a lost triple
    again = ingest_on_dask(documents, settings, scheduler="local", workers=1, report=IngestReport())
    assert again.loaded == [victim.key]
    assert len(again.skipped) == len(documents) - 1
    assert _quads(settings.store) == _quads(local_settings.store)


def store_graph(settings: Settings, key: str) -> str:
    from kg.vocab.iri import Minter

    return str(Minter(settings.base_iri).graph(key))


def test_cli_scheduler_option_runs_on_a_local_cluster(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    article = next(p for p in sorted(EXAMPLES.iterdir()) if p.suffix == ".txt")
    result = CliRunner().invoke(
        app, ["ingest", str(article), "--store", str(tmp_path / "s"), "--scheduler", "local", "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "loaded 1," in result.output


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    from kg.errors import ConfigError

    documents = read_all([EXAMPLES], None, IngestReport())[:1]
    with pytest.raises(ConfigError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        ingest_on_dask(documents, Settings(store=tmp_path / "s"), scheduler="tcp://127.0.0.1:9")
