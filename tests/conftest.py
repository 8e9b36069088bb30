"""Shared fixtures: settings on temporary stores, and one store built from the example corpus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.config import Settings
from kg.pipeline.local import build_graph
from kg.pipeline.prepare import ArticlePreparer, IngestReport
from kg.store.graphs import KgStore

PROJECT_ROOT = Path(__file__).resolve().parent.parent  # the repository
EXAMPLES = PROJECT_ROOT / "examples" / "corpus"


def quads_on_disk(path: Path) -> frozenset[str]:
    """Every quad of the closed on-disk store at ``path``, as N-Quads text (to compare before and after)."""
    store = ox.Store.read_only(str(path))
    try:
        return frozenset(str(quad) for quad in store)
    finally:
        del store


GOLD = PROJECT_ROOT / "examples" / "gold"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings pointing at a fresh store under ``tmp_path``."""
    return Settings(store=tmp_path / "store")


@pytest.fixture(scope="session")
def preparer() -> ArticlePreparer:
    """One extractor (spaCy models loaded once) for the whole test session."""
    return ArticlePreparer(Settings())


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, IngestReport]:
    """The example corpus ingested once into a store on disk (closed again afterwards)."""
    settings = Settings(store=tmp_path_factory.mktemp("example") / "store")
    report = build_graph([EXAMPLES], settings)
    return settings, report


@pytest.fixture
def example_store(example_build: tuple[Settings, IngestReport]) -> Iterator[KgStore]:
    """The example store, opened for one test."""
    with KgStore(example_build[0].store) as store:
        yield store
