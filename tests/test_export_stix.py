"""The STIX 2.1 bundle: valid for the stix2 library, closed under references, deterministic, traceable."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import stix2

from kg.config import Settings
from kg.export.stix import EXTENSION_ID, IDENTITY_ID, NAMESPACE, export_stix, stix_id
from kg.pipeline.local import build_graph
from kg.pipeline.prepare import IngestReport
from kg.store.graphs import KgStore
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.slow

BASE = "https://w3id.org/osint-kg/id/"
BARSALOGHO = BASE + "event/violence/2024-08-24/barsalogho"
JNIM = BASE + "actor/jamaat-nusrat-al-islam-wal-muslimin"
PREFIXES = """
PREFIX kg: <https://w3id.org/osint-kg/ontology#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
"""


@pytest.fixture(scope="module")
def exported(example_build: tuple[Settings, IngestReport]) -> Iterator[tuple[bytes, bytes, KgStore]]:
    """The example store's bundle, exported twice, and the store (open for the module)."""
    with KgStore(example_build[0].store) as store:
        first, second = io.BytesIO(), io.BytesIO()
        export_stix(store, first)
        export_stix(store, second)
        yield first.getvalue(), second.getvalue(), store


@pytest.fixture(scope="module")
def bundle(exported: tuple[bytes, bytes, KgStore]) -> stix2.v21.Bundle:
    parsed = stix2.parse(exported[0].decode("utf-8"), allow_custom=False)
    assert isinstance(parsed, stix2.v21.Bundle)
    return parsed


@pytest.fixture(scope="module")
def objects(bundle: stix2.v21.Bundle) -> dict[str, Any]:
    return {o.id: o for o in bundle.objects}


def _select(store: KgStore, query: str) -> list[dict[str, str]]:
    return [{k: v.value for k, v in row.items()} for row in store.select(PREFIXES + query)]


def test_bundle_validates_with_stix2(bundle: stix2.v21.Bundle, exported: tuple[bytes, bytes, KgStore]) -> None:
    store = exported[2]
    kinds = Counter(o.type for o in bundle.objects)
    events = _select(store, "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a sem:Event }")[0]["n"]
    articles = _select(store, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a kg:ArticleGraph } }")[0]["n"]
    assert kinds["incident"] == int(events) > 0
    assert kinds["report"] == int(articles) == 14
    assert kinds["threat-actor"] and kinds["identity"] and kinds["location"] and kinds["relationship"]
    assert kinds["extension-definition"] == 1
    assert len({o.id for o in bundle.objects}) == len(bundle.objects)


def test_every_reference_resolves_inside_the_bundle(bundle: stix2.v21.Bundle, objects: dict[str, Any]) -> None:
    refs = []
    for o in bundle.objects:
        refs += list(o.get("object_refs", []))
        refs += [o[k] for k in ("source_ref", "target_ref", "created_by_ref") if k in o]
        refs += [k for k in o.get("extensions", {}) if k.startswith("extension-definition--")]
    assert refs
    assert [r for r in refs if r not in objects] == []


def test_reexport_is_byte_identical(exported: tuple[bytes, bytes, KgStore]) -> None:
    assert exported[0] == exported[1]
    assert json.loads(exported[0])["objects"]


def test_ids_are_uuid5_of_the_graph_iris(objects: dict[str, Any]) -> None:
    assert uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/osint-kg/stix") == NAMESPACE
    incident = objects[f"incident--{uuid.uuid5(NAMESPACE, BARSALOGHO)}"]
    assert incident.external_references[0].url == BARSALOGHO
    actor = objects[stix_id("threat-actor", JNIM)]
    assert "JNIM" in actor.aliases
    assert any(r.get("external_id") == "Q28877411" for r in actor.external_references)


def test_kinds_of_objects_follow_the_ontology(objects: dict[str, Any]) -> None:
    place = objects[stix_id("location", BASE + "place/barsalogho")]
    assert (place.name, place.country) == ("Barsalogho", "BF")
    assert place.latitude == pytest.approx(13.41, abs=0.01) and place.longitude == pytest.approx(-1.06, abs=0.01)
    army = objects[stix_id("identity", BASE + "actor/malian-armed-forces")]
    assert army.identity_class == "organization" and army.sectors == ["defense"]
    assert objects[IDENTITY_ID].identity_class == "system"
    for o in objects.values():
        assert o.type != "threat-actor" or "threat-actor" in o.id


def test_event_roles_are_relationships(objects: dict[str, Any]) -> None:
    incident = stix_id("incident", BARSALOGHO)
    edges = {
        (o.relationship_type, o.target_ref)
        for o in objects.values()
        if o.type == "relationship" and o.source_ref == incident
    }
    assert ("attributed-to", stix_id("threat-actor", JNIM)) in edges
    assert ("claimed-by", stix_id("threat-actor", JNIM)) in edges
    assert ("located-at", stix_id("location", BASE + "place/barsalogho")) in edges
    assert ("located-at", stix_id("location", BASE + "place/burkina-faso")) in edges
    extension = objects[incident].extensions[EXTENSION_ID]
    assert (extension["event_type"], extension["date"], extension["date_precision"]) == ("Attack", "2024-08-24", "day")
    assert extension["acled_event_type"] == "Battles"


def test_dates_and_confidence_come_from_the_supporting_articles(
    objects: dict[str, Any], exported: tuple[bytes, bytes, KgStore]
) -> None:
    rows = _select(
        exported[2],
        f"""
        SELECT ?published ?confidence WHERE {{ GRAPH ?g {{
          <{BARSALOGHO}> prov:wasDerivedFrom ?a ; kg:confidence ?confidence . ?a schema:datePublished ?published }} }}""",
    )
    assert len(rows) >= 2
    incident = objects[stix_id("incident", BARSALOGHO)]
    days = sorted(datetime.fromisoformat(r["published"]).replace(tzinfo=UTC) for r in rows)
    assert (incident.created, incident.modified) == (days[0], days[-1])
    assert incident.confidence == round(max(float(r["confidence"]) for r in rows) * 100)


def test_each_article_is_a_report_of_what_it_supports(objects: dict[str, Any]) -> None:
    reports = [o for o in objects.values() if o.type == "report"]
    flash = [
        r for r in reports if any(ref.get("external_id") == "11_barsalogho-flash.txt" for ref in r.external_references)
    ]
    assert len(flash) == 1
    refs = set(flash[0].object_refs)
    assert {stix_id("incident", BARSALOGHO), stix_id("location", BASE + "place/barsalogho")} <= refs
    assert all(objects[ref].type != "report" for ref in refs)
    carrying = [r for r in reports if stix_id("incident", BARSALOGHO) in r.object_refs]
    assert len(carrying) >= 2


STORY = (
    "Gunmen attacked an army post near Djibo in northern Burkina Faso on Sunday, killing at least twelve "
    "soldiers, the army said on Monday."
)


def test_a_new_report_of_a_known_event_updates_its_objects(tmp_path: Path) -> None:
    """Ingest one article, export, ingest a later one about the same attack: same ids, a newer ``modified``."""
    corpus = tmp_path / "articles"
    corpus.mkdir()
    settings = Settings(store=tmp_path / "store")

    def ingest_and_export(name: str, published: str) -> dict[str, Any]:
        (corpus / name).write_text(STORY, encoding="utf-8")
        (corpus / "meta.jsonl").open("a", encoding="utf-8").write(
            json.dumps({"file": name, "published": published}) + "\n"
        )
        assert build_graph([corpus], settings).ok
        with KgStore(settings.store) as store:
            buffer = io.BytesIO()
            export_stix(store, buffer)
        return {o["id"]: o for o in json.loads(buffer.getvalue())["objects"]}

    before = ingest_and_export("first.txt", "2024-03-04")
    after = ingest_and_export("second.txt", "2024-03-05")
    incidents = [i for i in before if i.startswith("incident--")]
    assert incidents and all(i in after for i in incidents)
    assert sum(i.startswith("incident--") for i in after) == len(incidents)
    for ident in incidents:
        assert after[ident]["created"] == before[ident]["created"]
        assert after[ident]["modified"] > before[ident]["modified"]
    first_report = next(o for o in before.values() if o["type"] == "report")
    assert after[first_report["id"]] == first_report
    assert sum(o["type"] == "report" for o in after.values()) == 2


def test_cli_writes_the_bundle(example_build: tuple[Settings, IngestReport], tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    out = tmp_path / "bundle.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg.cli",
            "export",
            "--store",
            str(example_build[0].store),
            "--format",
            "stix",
            "-o",
            str(out),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    parsed = stix2.parse(out.read_text(encoding="utf-8"), allow_custom=False)
    assert any(o.type == "incident" for o in parsed.objects)
