"""Smoke runs of benchmarks/endpoint.py and benchmarks/load.py on small data: they measure, agree and clean up.

Nothing here asserts a timing; the figures themselves are in benchmarks/README.md.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.slow

BENCHMARKS = PROJECT_ROOT / "benchmarks"


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def _workdir(stderr: str) -> Path:
    found = re.search(r" in (/\S+)", stderr)
    assert found, stderr
    return Path(found.group(1))


def test_endpoint_benchmark_measures_kg_and_the_floor_on_the_same_data(tmp_path: Path) -> None:
    out = tmp_path / "raw.json"
    done = _run(
        "endpoint.py",
        "--triples",
        "3000",
        "--duration",
        "1",
        "--systems",
        "floor,kg",
        "--concurrency",
        "1,2",
        "--only",
        "point lookup,count by class,construct events,event_sources",
        "--json",
        str(out),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    raw = json.loads(out.read_text(encoding="utf-8"))
    probes = raw["probes"]
    for name in ("point lookup", "count by class", "construct events", "event_sources"):
        assert probes["floor"][name]["status"] == probes["kg"][name]["status"] == "ok", name
        assert probes["floor"][name]["rows"] == probes["kg"][name]["rows"] > 0, name
        for concurrency in ("1", "2"):
            for system in ("floor", "kg"):
                stats = raw["stats"][concurrency][system][name]
                assert stats["requests"] > 0 and stats["failures"] == 0, (concurrency, system, name, stats)
    assert "| point lookup |" in done.stdout and "kg p50 − floor p50" in done.stdout
    assert not _workdir(done.stderr).exists(), "the temporary folder was left behind"


def test_load_test_has_no_failure_and_shows_every_ingested_article(tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    done = _run(
        "load.py", "--duration", "3", "--clients", "4", "--articles", "3", "--triples", "3000", "--json", str(out)
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    raw = json.loads(out.read_text(encoding="utf-8"))
    assert raw["stats"]["requests"] > 0 and raw["stats"]["failures"] == 0
    assert raw["ingest_exit"] == 0 and raw["articles_loaded"] == 3
    assert raw["articles_after"] - raw["articles_before"] == 3
    assert not _workdir(done.stderr).exists(), "the temporary folder was left behind"
