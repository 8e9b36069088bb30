"""Security review as tests, over real HTTP on the assembled app (every router, the built query UI included):

* no path traversal through any route that serves files or maps paths (``/``, ``/ui/...``, the resource
  pages under the base path): ``..`` in every spelling, encoded slashes and backslashes, absolute paths and
  NUL bytes are a 404 (or 400), and never the content of a file outside its folder;
* request and result size limits: a write body over ``KG_MAX_REQUEST_BYTES`` is 413 and changes nothing;
  Graph Store reads and resource descriptions are capped at ``KG_MAX_ROWS`` with ``X-KG-Truncated``;
* secrets are never logged: with ``KG_UPDATE_TOKEN`` set, writes with the right and wrong tokens leave no
  trace of either in any log record (every logger at DEBUG) nor in ``kg serve``'s own output;
* read-only by default: with no token configured, every route that writes answers 403 (or 405);
* tokens are required: with one configured, a write without it, with a wrong one or another scheme is 401.

The write routes are found by walking the app's routes, so a new one that forgets the token fails here.
"""

from __future__ import annotations

import http.client
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from starlette.routing import Route

from kg.api import create_app
from kg.api.routes import ui
from kg.config import Settings
from kg.pipeline.prepare import IngestReport
from tests.conftest import PROJECT_ROOT, quads_on_disk
from tests.live import LiveServer

pytestmark = pytest.mark.slow

TOKEN = "s3cret-token-for-the-security-tests-0123456789"
WRONG = "wrong-token-that-must-not-be-logged-either-42"
GRAPH = "https://example.org/security/graph"
TRIPLE = b"<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n"
LIMIT = 50_000
WRITE_LIMIT = 2 * LIMIT
ROWS = 5
READ_ONLY_METHODS = {"GET", "HEAD", "OPTIONS"}
HTTP_METHODS = {"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"}

SECRETS = ("root:x:0:0", "[build-system]", "class Settings(BaseSettings)", "PRIVATE-MARKER")
ESCAPES = [
    "../../../../../../../../etc/passwd",
    "..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "%2E%2E%2F" * 8 + "etc%2Fpasswd",
    "%252e%252e%252f" * 8 + "etc%252fpasswd",
    "%c0%ae%c0%ae/" * 8 + "etc/passwd",
    "..\\..\\..\\..\\..\\..\\..\\..\\etc\\passwd",
    "..%5c" * 8 + "etc%5cpasswd",
    "....//....//....//....//....//etc/passwd",
    "..;/..;/..;/..;/..;/etc/passwd",
    "/etc/passwd",
    "%2fetc%2fpasswd",
    "etc/passwd%00.js",
    "app.js%00/../../../../../../etc/passwd",
    "../../../../../pyproject.toml",
    "%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
    "..%2f..%2f..%2f..%2f..%2fkg%2fconfig.py",
    "../../../../../kg/config.py",
    "../private.txt",
    "..%2fprivate.txt",
]
PREFIXES = ["/ui/", "/osint-kg/id/", "/osint-kg/id/actor/", "/", "/static/", "/api/queries/", "/.well-known/"]


@pytest.fixture(scope="module")
def store(example_build: tuple[Settings, IngestReport], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example store, with a file beside it that no route may serve."""
    folder = tmp_path_factory.mktemp("security")
    shutil.copytree(example_build[0].store, folder / "store")
    (folder / "private.txt").write_text("PRIVATE-MARKER\n")
    return folder / "store"


@pytest.fixture(scope="module")
def read_only(store: Path) -> Iterator[tuple[FastAPI, str]]:
    """The app as ``kg serve`` runs it by default: no update token."""
    app = create_app(Settings(store=store, query_workers=1, max_rows=ROWS, max_request_bytes=LIMIT))
    with LiveServer(app) as root:
        yield app, root


@pytest.fixture(scope="module")
def guarded(store: Path) -> Iterator[tuple[FastAPI, str]]:
    """The app with an update token."""
    app = create_app(
        Settings(
            store=store,
            query_workers=1,
            max_rows=ROWS,
            max_request_bytes=LIMIT,
            max_write_bytes=WRITE_LIMIT,
            update_token=SecretStr(TOKEN),
        )
    )
    with LiveServer(app) as root:
        yield app, root


def _raw(
    root: str, method: str, target: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    """Send ``target`` byte for byte (no client-side normalisation of dots, escapes or backslashes)."""
    where = urlsplit(root)
    connection = http.client.HTTPConnection(where.hostname or "", where.port, timeout=30)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# -- path traversal ---------------------------------------------------------------------------------


def test_the_ui_assets_are_served_at_all(read_only: tuple[FastAPI, str]) -> None:
    """The traversal tests below mean something only if the file route serves its own files."""
    assets = ui.BUILD_DIR / "assets"
    if not assets.is_dir():
        pytest.skip(f"the query UI is not built ({ui.BUILD_COMMAND}); /ui/ serves nothing")
    name = min(p.name for p in assets.iterdir() if p.is_file())
    status, body = _raw(read_only[1], "GET", "/ui/" + name)
    assert status == 200
    assert body == (assets / name).read_bytes()


@pytest.mark.parametrize("prefix", PREFIXES)
def test_no_path_escapes_its_folder(read_only: tuple[FastAPI, str], prefix: str) -> None:
    for escape in ESCAPES:
        for accept in ("*/*", "text/html"):
            status, body = _raw(read_only[1], "GET", prefix + escape, headers={"Accept": accept})
            assert status in (400, 404), (prefix + escape, status, body[:200])
            assert not any(secret.encode() in body for secret in SECRETS), prefix + escape


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1/ui/../../../../../../etc/passwd",
        "//etc/passwd",
        "/ui//etc/passwd",
        "/ui/%2F%2Fetc%2Fpasswd",
        "/osint-kg/id//etc/passwd",
    ],
)
def test_absolute_and_doubled_slash_targets(read_only: tuple[FastAPI, str], target: str) -> None:
    status, body = _raw(read_only[1], "GET", target)
    assert status in (400, 404), (target, status)
    assert not any(secret.encode() in body for secret in SECRETS)


# -- size limits -----------------------------------------------------------------------------------


def test_a_write_body_over_the_limit_is_413_even_with_the_token(guarded: tuple[FastAPI, str], store: Path) -> None:
    before = quads_on_disk(store)
    body = TRIPLE * (WRITE_LIMIT // len(TRIPLE) + 10)
    update = b"INSERT DATA { <https://example.org/s> <https://example.org/p> '" + b"x" * LIMIT + b"' }"
    with httpx.Client(base_url=guarded[1], timeout=30) as client:
        for method in ("PUT", "POST"):
            response = client.request(
                method,
                "/store",
                params={"graph": GRAPH},
                content=body,
                headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/n-triples"},
            )
            assert response.status_code == 413, response.text
        response = client.post(
            "/sparql",
            content=update,
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"},
        )
        assert response.status_code == 413, response.text
    assert quads_on_disk(store) == before


def test_a_graph_larger_than_a_query_may_be_written_with_the_token_only(guarded: tuple[FastAPI, str]) -> None:
    """Graph Store bodies have their own, larger limit, and it is read only once the token was checked."""
    body = TRIPLE * (LIMIT // len(TRIPLE) + 10)
    assert LIMIT < len(body) < WRITE_LIMIT
    with httpx.Client(base_url=guarded[1], timeout=30) as client:
        refused = client.put(
            "/store", params={"graph": GRAPH}, content=body, headers={"Content-Type": "application/n-triples"}
        )
        written = client.put(
            "/store",
            params={"graph": GRAPH},
            content=body,
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/n-triples"},
        )
    assert refused.status_code == 401
    assert written.status_code in (201, 204), written.text


def test_graph_store_reads_are_capped(read_only: tuple[FastAPI, str]) -> None:
    with httpx.Client(base_url=read_only[1], timeout=30) as client:
        response = client.get("/store", params={"default": ""}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert len(response.text.splitlines()) == ROWS
    assert response.headers["x-kg-truncated"] == "true"


@pytest.mark.parametrize("accept", ["application/n-triples", "text/html"])
def test_resource_descriptions_are_capped(read_only: tuple[FastAPI, str], accept: str) -> None:
    """Regression: a resource's description (and its page) ignored KG_MAX_ROWS: every triple that names it."""
    with httpx.Client(base_url=read_only[1], timeout=60) as client:
        response = client.get("/osint-kg/id/place/mali", headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["x-kg-truncated"] == "true"
    if accept == "application/n-triples":
        assert len(response.text.splitlines()) == ROWS


# -- read-only default and tokens ------------------------------------------------------------------


def _routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) of the app: from its OpenAPI schema, and from a walk of its routers (for the routes
    left out of the schema)."""
    found = {
        (method.upper(), path)
        for path, item in app.openapi()["paths"].items()
        for method in item
        if method.upper() in HTTP_METHODS
    }
    pending: list[object] = list(app.routes)
    while pending:
        route = pending.pop()
        included = getattr(route, "original_router", None)  # FastAPI >= 0.120 keeps included routers whole
        if included is not None:
            pending.extend(included.routes)
        elif isinstance(route, Route):
            found |= {(method, route.path) for method in route.methods or ()}
    return found


def _write_requests(app: FastAPI) -> list[tuple[str, str, dict[str, str], bytes]]:
    """(method, path, headers, body) of a harmless write for every route that may change the store."""
    requests = [
        (
            "POST",
            "/sparql",
            {"Content-Type": "application/sparql-update"},
            f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <urn:s> <urn:p> <urn:o> }} }}".encode(),
        ),
        ("POST", "/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, b"update=CLEAR+ALL"),
    ]
    for method, path in sorted(_routes(app)):
        if method in READ_ONLY_METHODS or path == "/sparql":
            continue
        target = path.replace("{path}", "actor/jnim").replace("{name}", "x")
        requests.append((method, f"{target}?graph={GRAPH}", {"Content-Type": "application/n-triples"}, TRIPLE))
    return requests


def test_every_write_route_is_known(read_only: tuple[FastAPI, str]) -> None:
    """The walk finds the Graph Store writes; a route added later is checked below without changes here."""
    found = {(method, path.split("?")[0]) for method, path, _, _ in _write_requests(read_only[0])}
    assert {("PUT", "/store"), ("POST", "/store"), ("DELETE", "/store"), ("POST", "/sparql")} <= found


def test_without_a_token_configured_every_write_is_403(read_only: tuple[FastAPI, str], store: Path) -> None:
    before = quads_on_disk(store)
    for method, path, headers, body in _write_requests(read_only[0]):
        for auth in ({}, {"Authorization": f"Bearer {TOKEN}"}):
            status, answer = _raw(read_only[1], method, path, body, {**headers, **auth})
            assert status in (403, 405), (method, path, status, answer)
    assert quads_on_disk(store) == before


@pytest.mark.parametrize(
    "auth",
    [None, f"Bearer {WRONG}", f"Basic {TOKEN}", f"Bearer {TOKEN[:-1]}", f"Bearer {TOKEN}x", TOKEN, "Bearer", "Bearer "],
)
def test_with_a_token_configured_a_write_needs_it(guarded: tuple[FastAPI, str], store: Path, auth: str | None) -> None:
    before = quads_on_disk(store)
    for method, path, headers, body in _write_requests(guarded[0]):
        status, answer = _raw(guarded[1], method, path, body, {**headers, **({"Authorization": auth} if auth else {})})
        assert status in (401, 405), (method, path, status, answer)
        assert TOKEN.encode() not in answer
    assert quads_on_disk(store) == before


def test_the_token_is_not_taken_from_the_url(guarded: tuple[FastAPI, str]) -> None:
    status, _ = _raw(
        guarded[1],
        "PUT",
        f"/store?graph={GRAPH}&access_token={TOKEN}",
        TRIPLE,
        {"Content-Type": "application/n-triples"},
    )
    assert status == 401


# -- secrets never logged ----------------------------------------------------------------------------


def test_tokens_never_reach_a_log_record(guarded: tuple[FastAPI, str], caplog: pytest.LogCaptureFixture) -> None:
    for name in ("", "kg", "kg.api", "kg.api.access", "uvicorn", "uvicorn.error", "uvicorn.access", "fastapi"):
        caplog.set_level(logging.DEBUG, logger=name)
    root = guarded[1]
    with httpx.Client(base_url=root, timeout=30) as client:
        for token in (TOKEN, WRONG):
            auth = {"Authorization": f"Bearer {token}"}
            client.put(
                "/store",
                params={"graph": GRAPH},
                content=TRIPLE,
                headers={**auth, "Content-Type": "application/n-triples"},
            )
            client.post("/sparql", data={"update": f"DROP SILENT GRAPH <{GRAPH}>"}, headers=auth)
            client.post("/sparql", data={"update": "not an update"}, headers=auth)
            client.delete("/store", params={"graph": GRAPH}, headers=auth)
    records = caplog.records
    assert any(r.name == "kg.api.access" for r in records), "the access log was not captured"
    for record in records:
        text = f"{record.getMessage()} {record.args!r} {record.exc_text or ''} {record.__dict__!r}"
        assert TOKEN not in text and WRONG not in text, record


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_kg_serve_output_holds_no_token(store: Path, tmp_path: Path) -> None:
    """The real ``kg serve`` (its own logging set-up, access log included), its whole output read back."""
    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "KG_UPDATE_TOKEN": TOKEN, "KG_QUERY_WORKERS": "1"}
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "serve", "--store", str(copy), "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        root = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=root, timeout=30) as client:
            for _ in range(600):
                try:
                    if client.get("/sparql", params={"query": "ASK {}"}).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert server.poll() is None, log.read_text()
                time.sleep(0.1)
            for token in (TOKEN, WRONG):
                auth = {"Authorization": f"Bearer {token}"}
                client.put(
                    "/store",
                    params={"graph": GRAPH},
                    content=TRIPLE,
                    headers={**auth, "Content-Type": "application/n-triples"},
                )
                client.post("/sparql", data={"update": "not an update"}, headers=auth)
                client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}, headers=auth)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    output = log.read_text(encoding="utf-8", errors="replace")
    assert "PUT /store 204" in output or "PUT /store 201" in output, output  # the access log was written
    assert TOKEN not in output and WRONG not in output
