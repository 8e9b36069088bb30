"""The package stands on its own: a wheel installed outside the source tree ingests and serves.

The wheel is built from a copy of the repository (``python -m build``), installed
into a new virtual environment in a temporary folder, and run from there with no
``KG_*`` variable and no ``PYTHONPATH``: the ontology, the shapes and the saved
queries come from the package's data (``kg/resources``), not from a checkout.
The dependencies are installed from the package index like any user's, so this
test takes a minute or two.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.slow

_NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "data", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "node_modules", ".hypothesis"
)


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 900) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, (
        f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done.stdout + done.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A virtual environment outside the tree holding only the built wheel (and what it depends on)."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    shutil.copytree(PROJECT_ROOT, source, symlinks=True, ignore=_NOT_SOURCES)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_") and k != "PYTHONPATH"}
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(root / "dist"), str(source)], root, env)
    (wheel,) = (root / "dist").glob("osint_kg-*.whl")
    shutil.rmtree(source)  # nothing of the tree is left to fall back on
    venv = root / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], root, env)
    _run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        root,
        env,
    )
    return venv, env


def test_the_wheel_carries_the_ontology_shapes_and_saved_queries(installed: tuple[Path, dict[str, str]]) -> None:
    venv, env = installed
    where = _run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import kg.config as c; s = c.Settings(); print(s.ontology_dir, s.queries_dir)",
        ],
        venv.parent,
        env,
    )
    ontology, queries = (Path(p) for p in where.split()[-2:])
    assert ontology.is_relative_to(venv) and (ontology / "osint-kg.ttl").is_file() and (ontology / "kb.ttl").is_file()
    assert sorted(p.name for p in queries.glob("*.rq")) == sorted(
        p.name for p in (PROJECT_ROOT / "queries").glob("*.rq")
    )


def test_the_installed_wheel_ingests_the_examples_and_serves_the_saved_queries(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    venv, env = installed
    kg = str(venv / "bin" / "kg")
    shutil.copytree(PROJECT_ROOT / "examples" / "corpus", tmp_path / "examples" / "corpus")
    out = _run([kg, "ingest", "examples/corpus", "--store", "store"], tmp_path, env)
    articles = [p for p in (tmp_path / "examples" / "corpus").iterdir() if p.suffix in {".txt", ".html"}]
    assert f"loaded {len(articles)}," in out, out
    port = _free_port()
    server = subprocess.Popen(
        [kg, "serve", "--store", "store", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=60) as client:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if client.get("/sparql", params={"query": "ASK {}"}).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert server.poll() is None and time.monotonic() < deadline, "kg serve did not start"
                time.sleep(0.5)
            listed = client.get("/api/queries").json()
            assert sorted(q["name"] for q in listed) == sorted(p.stem for p in (PROJECT_ROOT / "queries").glob("*.rq"))
            answered = {}
            for query in listed:
                response = client.get(query["url"])
                assert response.status_code == 200, (query["name"], response.text)
                answered[query["name"]] = len(response.json()["results"]["bindings"])
            assert answered["event_sources"] > 0, answered  # the examples were stored and are read back
            events = client.get(
                "/sparql",
                params={"query": "SELECT (COUNT(*) AS ?n) { ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> }"},
            )
            assert int(events.json()["results"]["bindings"][0]["n"]["value"]) > 0
            actor = client.get(
                "/sparql",
                params={"query": "SELECT ?a { ?a a <https://w3id.org/osint-kg/ontology#ArmedGroup> } LIMIT 1"},
            ).json()["results"]["bindings"][0]["a"]["value"]
            page = client.get(httpx.URL(actor).path, headers={"Accept": "text/html"})  # the page template is packaged
            assert page.status_code == 200 and "<h1>" in page.text, page.text
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
