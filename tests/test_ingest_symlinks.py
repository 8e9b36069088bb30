"""Issue 11, defect 6: ingest followed file symlinks out of the corpus directory (directory links not at all).

Now links are treated alike for files and directories: followed while they stay inside the given root, skipped
with a warning naming the link and its target when they leave it (the ``meta.jsonl`` sidecar too). A path given
explicitly is a root of its own, so a link given by name is read.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from kg.ingest.readers import SIDECAR_NAME, discover_sidecar, list_sources
from kg.pipeline.local import read_all
from kg.pipeline.prepare import IngestReport

STORY = (
    "Gunmen attacked an army post near Djibo in northern Burkina Faso on Sunday, killing at least "
    "twelve soldiers, the army said in a statement on Monday."
)


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    """``corpus/`` with real files and links in and out of it, and ``outside/`` with what must not leak."""
    outside, corpus = tmp_path / "outside", tmp_path / "corpus"
    (outside / "dir").mkdir(parents=True)
    (corpus / "sub").mkdir(parents=True)
    for path in (
        outside / "secret.txt",
        outside / "dir" / "leak.txt",
        corpus / "a.txt",
        corpus / "sub" / "b.txt",
        corpus / "sub" / "notes.dat",
    ):
        path.write_text(STORY, encoding="utf-8")
    (outside / SIDECAR_NAME).write_text(json.dumps({"file": "a.txt", "title": "leaked"}) + "\n", encoding="utf-8")
    links = {
        "secret.txt": outside / "secret.txt",
        "dir-out": outside / "dir",
        "sub/up.txt": "../../outside/secret.txt",
        "alias.txt": corpus / "sub" / "b.txt",
        "dir-in": corpus / "sub",
        "notes.txt": "sub/notes.dat",
        "loop": corpus,
        "sub/back": "..",
        "broken.txt": corpus / "missing.txt",
    }
    for name, target in links.items():
        (corpus / name).symlink_to(target)
    return corpus, outside


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and r.name == "kg.ingest.readers"]


def test_symlinks_out_of_the_corpus_are_skipped_with_a_warning(
    layout: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    corpus, outside = layout
    with caplog.at_level(logging.WARNING, logger="kg.ingest.readers"):
        sources = list_sources([corpus])
    assert sources == [corpus / "a.txt", corpus / "notes.txt", corpus / "sub" / "b.txt"]
    warned = _warnings(caplog)
    assert len(warned) == 3, warned
    for link, target in [
        ("secret.txt", outside / "secret.txt"),
        ("dir-out", outside / "dir"),
        ("sub/up.txt", outside / "secret.txt"),
    ]:
        assert any(m.startswith(f"{corpus / link}: skipped, a link to {target.resolve()}, outside") for m in warned)


def test_symlinks_out_of_the_corpus_are_not_ingested(
    layout: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    corpus, _ = layout
    report = IngestReport()
    with caplog.at_level(logging.WARNING, logger="kg.ingest.readers"):
        documents = read_all([corpus], None, report)
    assert sorted(d.path for d in documents) == [str(corpus / n) for n in ("a.txt", "notes.txt", "sub/b.txt")]
    assert not report.failed


def test_symlinks_given_by_name_are_roots_of_their_own(
    layout: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    corpus, _ = layout
    with caplog.at_level(logging.WARNING, logger="kg.ingest.readers"):
        assert list_sources([corpus / "secret.txt"]) == [corpus / "secret.txt"]
        assert list_sources([corpus / "dir-out"]) == [corpus / "dir-out" / "leak.txt"]
    assert not _warnings(caplog)


def test_symlinks_out_of_the_corpus_do_not_supply_its_sidecar(
    tmp_path: Path, layout: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    corpus, outside = layout
    (corpus / SIDECAR_NAME).symlink_to(outside / SIDECAR_NAME)
    with caplog.at_level(logging.WARNING, logger="kg.ingest.readers"):
        assert discover_sidecar([corpus], None) == {}
        assert discover_sidecar([corpus / "a.txt"], None) == {}
    assert (
        _warnings(caplog)
        == [
            (
                f"{corpus / SIDECAR_NAME}: skipped, a link to {(outside / SIDECAR_NAME).resolve()}, "
                f"outside {corpus.resolve()}"
            )
        ]
        * 2
    )
    inside = tmp_path / "inside"
    inside.mkdir()
    (inside / "real-meta.jsonl").write_text(json.dumps({"file": "a.txt", "title": "T"}) + "\n", encoding="utf-8")
    (inside / SIDECAR_NAME).symlink_to("real-meta.jsonl")
    assert discover_sidecar([inside], None) == {"a.txt": {"file": "a.txt", "title": "T"}}
    assert discover_sidecar([inside], outside / SIDECAR_NAME)["a.txt"]["title"] == "leaked"  # --meta is named
