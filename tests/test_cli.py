"""Every `kg` command run as a user runs it: a real process, on a real store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

STORY = (
    "Gunmen attacked an army post near Djibo in northern Burkina Faso on Sunday, killing at least "
    "twelve soldiers, the army said in a statement on Monday."
)


def kg(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("KG_STORE", None)
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.mark.parametrize("command", ["ingest", "serve", "query", "validate", "export"])
def test_help_explains_each_command(command: str, tmp_path: Path) -> None:
    result = kg(command, "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "--store" in result.stdout and "Usage" in result.stdout


def test_top_level_help_lists_commands(tmp_path: Path) -> None:
    result = kg("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("ingest", "serve", "query", "validate", "export"):
        assert command in result.stdout


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project directory with two good articles, one bad one, ingested with the default store path."""
    root = tmp_path_factory.mktemp("cli")
    corpus = root / "articles"
    corpus.mkdir()
    (corpus / "djibo.txt").write_text(STORY, encoding="utf-8")
    (corpus / "dori.txt").write_text(STORY.replace("Djibo", "Dori"), encoding="utf-8")
    (corpus / "meta.jsonl").write_text(
        json.dumps({"file": "djibo.txt", "published": "2024-03-04", "publisher": "Sahel Desk"})
        + "\n"
        + json.dumps({"file": "dori.txt", "published": "2024-03-04"})
        + "\n",
        encoding="utf-8",
    )
    (corpus / "broken.txt").write_bytes(b"")
    return root


@pytest.fixture(scope="module")
def ingested(workdir: Path) -> subprocess.CompletedProcess[str]:
    return kg("ingest", "articles", cwd=workdir)


@pytest.mark.slow
def test_ingest_summarises_and_fails_on_a_bad_file(ingested: subprocess.CompletedProcess[str], workdir: Path) -> None:
    assert ingested.returncode == 1
    assert "loaded 2, skipped as unchanged 0, rejected by SHACL 0, unreadable 1" in ingested.stdout
    assert "broken.txt: file is empty" in ingested.stderr
    assert (workdir / "data" / "store").is_dir()


@pytest.mark.slow
def test_reingest_skips_unchanged(ingested: subprocess.CompletedProcess[str], workdir: Path) -> None:
    (workdir / "articles" / "broken.txt").unlink(missing_ok=True)
    again = kg("ingest", "articles", cwd=workdir)
    assert again.returncode == 0
    assert "loaded 0, skipped as unchanged 2" in again.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    "fmt, check",
    [
        ("csv", lambda out: out.splitlines()[0].strip() == "file" and "djibo.txt" in out),
        ("json", lambda out: {b["file"]["value"] for b in json.loads(out)["results"]["bindings"]} >= {"djibo.txt"}),
        ("table", lambda out: "djibo.txt" in out and "dori.txt" in out),
    ],
)
def test_query_formats(ingested: subprocess.CompletedProcess[str], workdir: Path, fmt: str, check) -> None:  # type: ignore[no-untyped-def]
    rq = workdir / "files.rq"
    rq.write_text(
        "PREFIX kg: <https://w3id.org/osint-kg/ontology#>\n"
        "SELECT ?file WHERE { ?a kg:fileName ?file } ORDER BY ?file\n",
        encoding="utf-8",
    )
    result = kg("query", rq, "--format", fmt, cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert check(result.stdout)


@pytest.mark.slow
def test_query_syntax_error_is_reported(ingested: subprocess.CompletedProcess[str], workdir: Path) -> None:
    rq = workdir / "bad.rq"
    rq.write_text("SELECT WHERE {", encoding="utf-8")
    result = kg("query", rq, cwd=workdir)
    assert result.returncode == 1 and "error" in result.stderr


@pytest.mark.slow
def test_a_query_nested_too_deep_is_refused_not_crashed_on(
    ingested: subprocess.CompletedProcess[str], workdir: Path
) -> None:
    rq = workdir / "deep.rq"
    rq.write_text("ASK " + "{ " * 5000 + "}" * 5000, encoding="utf-8")
    result = kg("query", rq, cwd=workdir)
    assert result.returncode == 1, (result.returncode, result.stderr[-500:])
    squeezed = "".join(result.stderr.split())  # Rich wraps long lines
    assert "5000deep" in squeezed and "deep.rq" in squeezed


@pytest.mark.slow
def test_validate_passes(ingested: subprocess.CompletedProcess[str], workdir: Path) -> None:
    result = kg("validate", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert "2 article graphs checked, 0 with violations" in result.stdout


@pytest.mark.slow
def test_export_facts_to_file(ingested: subprocess.CompletedProcess[str], workdir: Path) -> None:
    result = kg("export", "--format", "facts", "-o", "facts.json", cwd=workdir)
    assert result.returncode == 0, result.stderr
    facts = json.loads((workdir / "facts.json").read_text(encoding="utf-8"))
    assert [d["file"] for d in facts["documents"]] == ["djibo.txt", "dori.txt"]
    djibo = facts["documents"][0]
    assert any(e["type"] == "Attack" and e["date"] == "2024-03-03" for e in djibo["events"])


@pytest.mark.slow
def test_export_trig_to_stdout(ingested: subprocess.CompletedProcess[str], workdir: Path) -> None:
    result = kg("export", "--format", "trig", cwd=workdir)
    assert result.returncode == 0, result.stderr
    blocks = [line for line in result.stdout.splitlines() if line.endswith("> {")]
    assert "<https://w3id.org/osint-kg/id/graph/kb> {" in blocks
    assert len(blocks) == 4  # ontology, knowledge base, two articles


def test_unknown_export_format(tmp_path: Path) -> None:
    result = kg("export", "--format", "xml", cwd=tmp_path)
    assert result.returncode == 2 and "must be one of" in result.stderr


def test_invalid_base_iri_is_a_configuration_error(tmp_path: Path) -> None:
    env_result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "validate"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "KG_BASE_IRI": "not-an-iri"},
    )
    assert env_result.returncode == 2 and "base IRI" in env_result.stderr


def test_validate_on_an_empty_store_says_so(tmp_path: Path) -> None:
    result = kg("validate", "--store", tmp_path / "empty", cwd=tmp_path)
    assert result.returncode == 1 and "store is empty" in result.stderr
