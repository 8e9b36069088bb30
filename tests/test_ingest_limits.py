"""Issue 11, defect 4: ``.jsonl`` files skipped the size check.

Every input type now has the same limits: a ``.jsonl`` file (and a ``meta.jsonl``) at most
:data:`~kg.ingest.readers.MAX_JSONL_BYTES`, and each of its records at most :data:`~kg.ingest.readers.MAX_BYTES` — the limit of
one ``.txt`` article — read a chunk at a time, never whole. A bad record is refused alone, naming the file and
line; the other records and files still load.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

import pytest

from kg.errors import IngestError, MetadataError
from kg.ingest.readers import MAX_BYTES, MAX_JSONL_BYTES, MAX_LINE_CHARS, SIDECAR_NAME, read_documents
from kg.pipeline.local import read_all
from kg.pipeline.prepare import IngestReport

STORY = (
    "Gunmen attacked an army post near Djibo in northern Burkina Faso on Sunday, killing at least "
    "twelve soldiers, the army said in a statement on Monday."
)
QUICK_S = 5.0
"""Refusing an oversized input takes well under a second; five leaves room for a busy machine."""


def _row(key: str, text: str = STORY) -> str:
    return json.dumps({"id": key, "text": text}) + "\n"


def _huge_record(key: str) -> str:
    """A well-formed record whose text (valid paragraphs) is over the per-article limit."""
    paragraphs = "\n".join([STORY] * (MAX_BYTES // len(STORY) + 10))
    return _row(key, paragraphs)


def _read(paths: list[Path]) -> tuple[list[str], dict[str, str], float]:
    """Keys loaded, {failed source: reason}, and seconds taken, as ``kg ingest`` reads ``paths``."""
    report = IngestReport()
    started = time.perf_counter()
    documents = read_all(paths, None, report)
    return [d.key for d in documents], {f.file: f.reason for f in report.failed}, time.perf_counter() - started


def test_jsonl_size_check_refuses_an_oversized_jsonl_file_at_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "good.jsonl").write_text(_row("one") + _row("two"), encoding="utf-8")
    huge = tmp_path / "huge.jsonl"
    with huge.open("w", encoding="utf-8") as out:
        out.write(_row("hidden"))
        out.truncate(MAX_JSONL_BYTES + 1)  # sparse: over the limit without writing 200 MB
    loaded, failed, seconds = _read([tmp_path])
    assert loaded == ["a.txt", "one", "two"]
    assert failed == {str(huge): f"file is {MAX_JSONL_BYTES + 1} bytes, over the {MAX_JSONL_BYTES}-byte limit"}
    assert seconds < QUICK_S


def test_jsonl_size_check_refuses_an_oversized_record_at_once(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text(_row("one") + _huge_record("huge") + "{not json\n\n" + _row("four"), encoding="utf-8")
    _read([tmp_path])  # warm up: the language model is loaded once, outside the measurement
    tracemalloc.start()
    try:
        loaded, failed, seconds = _read([path])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert loaded == ["one", "four"]
    assert set(failed) == {f"{path}:2", f"{path}:3"}
    assert failed[f"{path}:2"].startswith("record is ") and f"over the {MAX_BYTES}-byte limit" in failed[f"{path}:2"]
    assert failed[f"{path}:3"].startswith("invalid JSON")
    assert seconds < QUICK_S
    assert peak < MAX_BYTES // 4, f"the oversized record was held in memory ({peak} bytes at peak)"


def test_jsonl_size_check_gives_a_record_the_limits_of_a_txt_article(tmp_path: Path) -> None:
    one_line = " ".join([STORY] * (MAX_LINE_CHARS // len(STORY) + 1))
    (tmp_path / "long.txt").write_text(one_line, encoding="utf-8")
    (tmp_path / "batch.jsonl").write_text(_row("one") + _row("long", one_line), encoding="utf-8")
    loaded, failed, _ = _read([tmp_path])
    assert loaded == ["one"]
    assert failed.keys() == {str(tmp_path / "batch.jsonl:2"), str(tmp_path / "long.txt")}
    assert (
        len(set(failed.values())) == 1
        and f"over the {MAX_LINE_CHARS}-character limit" in failed[str(tmp_path / "long.txt")]
    )


def test_jsonl_size_check_read_documents_names_the_record(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text(_row("one") + _huge_record("huge"), encoding="utf-8")
    documents = read_documents([path])
    assert next(documents).key == "one"
    with pytest.raises(IngestError, match=rf"batch\.jsonl:2: record is \d+ bytes, over the {MAX_BYTES}-byte limit"):
        next(documents)


def test_jsonl_size_check_refuses_an_oversized_sidecar_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / SIDECAR_NAME).write_text(
        json.dumps({"file": "a.txt", "title": "x" * (MAX_BYTES + 1)}) + "\n", encoding="utf-8"
    )
    started = time.perf_counter()
    with pytest.raises(MetadataError, match=rf"{SIDECAR_NAME}:1: record is \d+ bytes, over the {MAX_BYTES}-byte"):
        list(read_documents([tmp_path]))
    assert time.perf_counter() - started < QUICK_S
