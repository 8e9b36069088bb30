"""The query UI's routes over real HTTP: the page at ``/``, the built assets at ``/ui/``, 503 when unbuilt,
and no way out of the assets folder."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI

from kg.api.routes import ui
from tests.live import LiveServer

pytestmark = pytest.mark.slow

PAGE = "<!DOCTYPE html><title>query UI</title>"
SCRIPT = "console.log('osint-kg');\n"
SECRET = "not to be served"


def _server(build_dir: Path) -> LiveServer:
    app = FastAPI()
    app.include_router(ui.router_for(build_dir=build_dir))
    return LiveServer(app)


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A UI build as ui/build.mjs lays it out, beside files that must stay private."""
    root = tmp_path_factory.mktemp("ui-build")
    (root / "secret.txt").write_text(SECRET)
    build = root / "static"
    assets = build / "assets"
    (assets / "nested").mkdir(parents=True)
    (build / "index.html").write_text(PAGE)
    (build / ".inputs.sha256").write_text(SECRET)
    (assets / "app.js").write_text(SCRIPT)
    (assets / "app.css").write_text("body { margin: 0 }\n")
    (assets / "nested" / "part.json").write_text("{}\n")
    (assets / ".hidden.js").write_text(SECRET)
    (assets / "escape.txt").symlink_to(root / "secret.txt")
    (assets / "up").symlink_to(root)
    return build


@pytest.fixture(scope="module")
def base(build: Path) -> Iterator[str]:
    with _server(build) as root:
        yield root


def _raw_get(base: str, path: str) -> tuple[int, bytes]:
    """GET ``path`` exactly as written (no client-side normalisation of ``..`` or escapes)."""
    where = urlsplit(base)
    connection = http.client.HTTPConnection(where.hostname or "", where.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_the_page_is_served_at_the_root(base: str) -> None:
    response = httpx.get(base + "/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == PAGE
    assert httpx.get(base + "/favicon.ico").status_code == 204


@pytest.mark.parametrize(
    ("path", "media_type", "body"),
    [
        ("/ui/app.js", "text/javascript", SCRIPT),
        ("/ui/app.css", "text/css", "body { margin: 0 }\n"),
        ("/ui/nested/part.json", "application/json", "{}\n"),
    ],
)
def test_assets_are_served_with_their_media_type(base: str, path: str, media_type: str, body: str) -> None:
    response = httpx.get(base + path)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.text == body


@pytest.mark.parametrize(
    "path",
    [
        "/ui/../secret.txt",
        "/ui/%2e%2e/secret.txt",
        "/ui/..%2fsecret.txt",
        "/ui/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/ui/nested/../../index.html",
        "/ui/..%5c..%5csecret.txt",
        "/ui//etc/passwd",
        "/ui/%2fetc%2fpasswd",
        "/ui/escape.txt",
        "/ui/up/secret.txt",
        "/ui/.hidden.js",
        "/ui/%00app.js",
        "/ui/",
        "/ui/nested",
        "/ui/missing.js",
    ],
)
def test_nothing_outside_the_assets_is_reachable(base: str, path: str) -> None:
    status, body = _raw_get(base, path)
    assert status == 404, (path, body)
    assert SECRET.encode() not in body
    assert b"root:" not in body


def test_an_unbuilt_ui_answers_503_naming_the_build(tmp_path: Path) -> None:
    with _server(tmp_path / "never-built") as root:
        response = httpx.get(root + "/")
        assert response.status_code == 503
        assert ui.BUILD_COMMAND in response.text
        assert httpx.get(root + "/ui/app.js").status_code == 404
