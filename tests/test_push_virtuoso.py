"""`kg push` into a live Virtuoso on loopback; the analyst queries then give the same rows there and on kg serve.

The test starts ``virtuoso-t`` (Debian ``virtuoso-opensource-7-bin``; ``scripts/test`` installs it) on a fresh
database in a temporary folder, listening on free ports of 127.0.0.1 only, and stops it at the end. ``kg push``
writes through Virtuoso's Digest-authenticated Graph Store endpoint ``/sparql-graph-crud-auth`` as ``dba``
(whose password in a fresh database is ``dba``); queries go to its ``/sparql`` endpoint.

Virtuoso keeps every triple, but stores two datatypes its own way: ``xsd:boolean`` comes back as ``1``/``0``
and ``geo:wktLiteral`` as ``virtrdf:Geometry`` with single-precision coordinates. No saved query returns
either, so the rows of all eight compare exactly (with the GROUP_CONCAT normalisation of
:mod:`tests.sparql_rows`).
"""

from __future__ import annotations

import io
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kg.api import create_app
from kg.config import Settings
from kg.pipeline.prepare import IngestReport
from kg.sparql.saved import load_queries
from kg.store.graphs import KgStore
from tests.conftest import PROJECT_ROOT
from tests.live import LiveServer
from tests.sparql_rows import comparable, select_over_http

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("virtuoso-t") is None,
        reason="virtuoso-t is not installed (Debian: apt-get install virtuoso-opensource-7-bin; "
        "./scripts/test installs it when apt-get is there)",
    ),
]

QUERIES = load_queries(PROJECT_ROOT / "queries")
XSD_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
WKT = ox.NamedNode("http://www.opengis.net/ont/geosparql#wktLiteral")
VIRTUOSO_GEOMETRY = ox.NamedNode("http://www.openlinksw.com/schemas/virtrdf#Geometry")
ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"

INI = """\
[Database]
DatabaseFile       = virtuoso.db
ErrorLogFile       = virtuoso.log
LockFile           = virtuoso.lck
TransactionFile    = virtuoso.trx
xa_persistent_file = virtuoso.pxa

[TempDatabase]
DatabaseFile    = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx

[Parameters]
ServerPort        = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers   = 10000
MaxDirtyBuffers   = 6000

[HTTPServer]
ServerPort    = 127.0.0.1:{http_port}
ServerRoot    = .
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 1000000
"""


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _wait_until_up(process: subprocess.Popen[bytes], root: str, folder: Path) -> None:
    """Return once Virtuoso answers a query; fail with its log if it exits or does not come up in 3 minutes."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (folder / "console.log").read_text(errors="replace")[-3000:]
            pytest.fail(f"virtuoso-t exited with {process.returncode}:\n{log}")
        try:
            if httpx.get(root + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    pytest.fail("Virtuoso did not answer on " + root + " within 3 minutes")


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh Virtuoso on loopback, stopped afterwards; yields its HTTP root."""
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = _free_ports(2)
    (folder / "virtuoso.ini").write_text(INI.format(sql_port=sql_port, http_port=http_port), encoding="utf-8")
    root = f"http://127.0.0.1:{http_port}"
    with (folder / "console.log").open("wb") as log:
        process = subprocess.Popen(
            ["virtuoso-t", "+foreground", "+configfile", "virtuoso.ini"],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(process, root, folder)
            yield root
        finally:
            process.terminate()  # Virtuoso shuts down cleanly on SIGTERM
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _kg_push(root: str, store: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "COLUMNS": "200", "NO_COLOR": "1", "KG_PUSH_PASSWORD": "dba"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "kg.cli",
            "push",
            "--endpoint",
            root + "/sparql-graph-crud-auth",
            "--user",
            "dba",
            "--store",
            str(store),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def pushes(virtuoso: str, example_build: tuple[Settings, IngestReport]) -> list[subprocess.CompletedProcess[str]]:
    """`kg push` of the example store into Virtuoso, twice."""
    return [_kg_push(virtuoso, example_build[0].store) for _ in range(2)]


@pytest.fixture(scope="module")
def kg_serve(example_build: tuple[Settings, IngestReport]) -> Iterator[str]:
    """kg serve on the example store (read-only); yields its /sparql URL."""
    with LiveServer(create_app(Settings(store=example_build[0].store, query_workers=1))) as root:
        yield root + "/sparql"


def _local_quads(store: Path) -> set[ox.Quad]:
    buffer = io.BytesIO()
    with KgStore(store) as kg_store:
        kg_store.dump(buffer, ox.RdfFormat.N_QUADS)
    return set(ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_QUADS))


def _virtuoso_quads(root: str, graphs: set[ox.NamedNode]) -> set[ox.Quad]:
    with httpx.Client(timeout=120) as client:
        names, rows = select_over_http(client, root + "/sparql", ALL_QUADS)
    assert names == ["g", "s", "p", "o"]
    return {ox.Quad(s, p, o, g) for g, s, p, o in rows if g in graphs}  # type: ignore[arg-type]


def _as_pushed(quad: ox.Quad) -> ox.Quad:
    """A quad read back from Virtuoso with its boolean as xsd:boolean writes it ("1" -> "true")."""
    literal = quad.object
    if isinstance(literal, ox.Literal) and literal.datatype == XSD_BOOLEAN and literal.value in ("0", "1"):
        value = "true" if literal.value == "1" else "false"
        return ox.Quad(quad.subject, quad.predicate, ox.Literal(value, datatype=XSD_BOOLEAN), quad.graph_name)
    return quad


def _point(literal: ox.Literal) -> tuple[float, ...]:
    return tuple(float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", literal.value))


def test_kg_push_into_virtuoso_creates_then_replaces_every_graph(
    pushes: list[subprocess.CompletedProcess[str]], example_build: tuple[Settings, IngestReport]
) -> None:
    with KgStore(example_build[0].store) as store:
        count = len(store.named_graphs())
    assert count > 2
    first, second = pushes
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert f"pushed {count} graphs to " in first.stdout and f": {count} new, 0 replaced" in first.stdout
    assert f": 0 new, {count} replaced" in second.stdout


def test_virtuoso_holds_every_pushed_triple_once(
    pushes: list[subprocess.CompletedProcess[str]], virtuoso: str, example_build: tuple[Settings, IngestReport]
) -> None:
    local = _local_quads(example_build[0].store)
    graphs = {quad.graph_name for quad in local}
    assert isinstance(next(iter(graphs)), ox.NamedNode)
    remote = {_as_pushed(quad) for quad in _virtuoso_quads(virtuoso, graphs)}  # type: ignore[arg-type]
    assert Counter(q.graph_name for q in remote) == Counter(q.graph_name for q in local)  # pushed twice, held once
    # Everything but WKT points is held exactly as pushed ...
    exact_local = {q for q in local if not (isinstance(q.object, ox.Literal) and q.object.datatype == WKT)}
    exact_remote = {
        q for q in remote if not (isinstance(q.object, ox.Literal) and q.object.datatype == VIRTUOSO_GEOMETRY)
    }
    assert exact_remote == exact_local
    # ... and the points come back as Virtuoso geometries, equal to single precision.
    points = {(q.graph_name, q.subject, q.predicate): q.object for q in local - exact_local}
    geometries = {(q.graph_name, q.subject, q.predicate): q.object for q in remote - exact_remote}
    assert points and geometries.keys() == points.keys()
    for key, point in points.items():
        pushed, held = _point(point), _point(geometries[key])  # type: ignore[arg-type]
        assert len(pushed) == len(held) == 2
        assert all(math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6) for a, b in zip(pushed, held, strict=True))


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_an_analyst_query_gives_the_same_rows_on_virtuoso_and_kg_serve(
    pushes: list[subprocess.CompletedProcess[str]], virtuoso: str, kg_serve: str, name: str
) -> None:
    assert all(push.returncode == 0 for push in pushes)
    text = QUERIES[name].text
    with httpx.Client(timeout=300) as client:
        ours = comparable(text, *select_over_http(client, kg_serve, text))
        theirs = comparable(text, *select_over_http(client, virtuoso + "/sparql", text))
    assert sum(ours.values()) > 0
    assert theirs == ours
