"""The Docker deployment files: a compose project with a one-shot ingest and a server on a named volume."""

from __future__ import annotations

import re
from typing import Any

import yaml

from tests.conftest import PROJECT_ROOT


def compose() -> dict[str, Any]:
    return yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_serve_waits_for_a_successful_ingest() -> None:
    services = compose()["services"]
    assert services["ingest"]["command"][0] == "ingest"
    assert services["serve"]["command"][:1] == ["serve"]
    assert services["serve"]["depends_on"]["ingest"]["condition"] == "service_completed_successfully"
    assert "8000:8000" in services["serve"]["ports"]


def test_store_lives_on_a_named_volume_shared_by_both_services() -> None:
    doc = compose()
    assert "kg-data" in doc["volumes"]
    for name in ("ingest", "serve"):
        service = doc["services"][name]
        assert "kg-data:/data" in service["volumes"]
        assert service["environment"]["KG_STORE"].startswith("/data/")


def test_image_installs_the_package_with_its_data() -> None:
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "COPY kg/ /tmp/src/kg/" in dockerfile, "the package, its data (kg/resources) included"
    assert "KG_ONTOLOGY_DIR" not in dockerfile and "KG_SHAPES_DIR" not in dockerfile, "no data folders to name"
    assert re.search(r"^USER \d+", dockerfile, re.MULTILINE), "the image must not run as root"
