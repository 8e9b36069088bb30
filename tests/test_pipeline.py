"""The whole flow on disk: load, skip unchanged, replace changed, reject on SHACL, survive bad files."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.config import Settings
from kg.pipeline.local import DOCS_PER_PROCESS, MAX_DEFAULT_PROCESSES, build_graph, default_workers
from kg.pipeline.prepare import IngestReport
from kg.store.graphs import KgStore
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.slow

EXAMPLES = PROJECT_ROOT / "examples" / "corpus"
STORY = (
    "Gunmen attacked an army post near Djibo in northern Burkina Faso on Sunday, killing at least "
    "twelve soldiers, the army said in a statement on Monday."
)

COUNT_FIGURES = """PREFIX kg: <https://w3id.org/osint-kg/ontology#>
SELECT (COUNT(?f) AS ?n) WHERE { GRAPH ?g { ?f a kg:CasualtyFigure } }"""


def figures(store: KgStore) -> int:
    return int(store.select(COUNT_FIGURES)[0]["n"].value)


def test_example_corpus_loads_whole(example_build: tuple[Settings, IngestReport]) -> None:
    settings, report = example_build
    assert report.ok, [r.reason for r in report.rejected + report.failed]
    articles = sorted(p.name for p in EXAMPLES.iterdir() if p.suffix in {".txt", ".html"})
    assert sorted(report.loaded) == articles
    with KgStore(settings.store) as store:
        assert len(store.article_graphs()) == len(articles)
        assert str(store_graph(settings, "kb")) in store.named_graphs()


def store_graph(settings: Settings, name: str) -> str:
    return settings.base_iri + "graph/" + name


def test_unchanged_articles_are_skipped(example_build: tuple[Settings, IngestReport], tmp_path: Path) -> None:
    settings, first = example_build
    copy = tmp_path / "store"
    shutil.copytree(settings.store, copy)
    again = build_graph([EXAMPLES], Settings(store=copy))
    assert again.loaded == [] and sorted(again.skipped) == sorted(first.loaded)


def test_changed_article_replaces_its_graph(settings: Settings, tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text(STORY, encoding="utf-8")
    (corpus / "meta.jsonl").write_text('{"file": "a.txt", "published": "2024-03-04"}\n', encoding="utf-8")
    build_graph([corpus], settings)
    with KgStore(settings.store) as store:
        before = figures(store)
    (corpus / "a.txt").write_text(STORY.replace("twelve", "fifteen"), encoding="utf-8")
    report = build_graph([corpus], settings)
    assert report.loaded == ["a.txt"]
    with KgStore(settings.store) as store:
        assert figures(store) == before == 1
        counts = [
            r["c"].value
            for r in store.select("PREFIX kg: <https://w3id.org/osint-kg/ontology#> SELECT ?c WHERE { ?f kg:count ?c }")
        ]
        assert counts == ["15"]


def test_bad_file_is_reported_and_the_rest_loaded(settings: Settings, tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "good.txt").write_text(STORY, encoding="utf-8")
    (corpus / "broken.txt").write_bytes(b"\xff\xfe\x00garbage")
    report = build_graph([corpus], settings)
    assert report.loaded == ["good.txt"]
    assert [(Path(f.file).name, "binary" in f.reason) for f in report.failed] == [("broken.txt", True)]
    assert not report.ok


def test_shacl_rejection_loads_nothing_and_keeps_what_was_stored(settings: Settings, tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "first.txt").write_text(STORY, encoding="utf-8")
    build_graph([corpus], settings)
    strict = tmp_path / "shapes"
    strict.mkdir()
    shutil.copy(PROJECT_ROOT / "shapes" / "osint-kg.shapes.ttl", strict)
    (strict / "strict.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix kg: <https://w3id.org/osint-kg/ontology#> .\n"
        "<https://example.org/NeedsUrl> a sh:NodeShape ; sh:targetClass kg:Article ;\n"
        "  sh:property [ sh:path <https://schema.org/url> ; sh:minCount 1 ;"
        ' sh:message "test shape: an article needs a URL" ] .\n',
        encoding="utf-8",
    )
    (corpus / "second.txt").write_text(STORY.replace("Djibo", "Dori"), encoding="utf-8")
    report = build_graph([corpus], settings.model_copy(update={"shapes_dir": strict}))
    assert report.loaded == [] and report.skipped == ["first.txt"]
    assert [r.file for r in report.rejected] == ["second.txt"]
    assert "an article needs a URL" in report.rejected[0].reason
    assert "Conforms: False" in (report.rejected[0].report or "")
    with KgStore(settings.store) as store:
        files = [
            r["f"].value
            for r in store.select(
                "PREFIX kg: <https://w3id.org/osint-kg/ontology#> SELECT ?f WHERE { ?a kg:fileName ?f }"
            )
        ]
        assert files == ["first.txt"]


def test_parallel_workers_load_the_same_graphs(settings: Settings, tmp_path: Path) -> None:
    """--workers 2: extraction and SHACL in two processes, the same articles stored, once each."""
    corpus = tmp_path / "in"
    corpus.mkdir()
    for n, town in enumerate(["Djibo", "Dori", "Kaya", "Djibo"]):
        (corpus / f"{n}.txt").write_text(STORY.replace("Djibo", town), encoding="utf-8")
    (corpus / "meta.jsonl").write_text(
        "".join(f'{{"file": "{n}.txt", "published": "2024-03-04"}}\n' for n in range(4)), encoding="utf-8"
    )
    report = build_graph([corpus], settings, workers=2)
    assert sorted(report.loaded) == ["0.txt", "1.txt", "2.txt", "3.txt"] and report.ok
    with KgStore(settings.store) as store:
        assert len(store.article_graphs()) == 4
        assert figures(store) == 4


FRENCH_STORY = (
    "Des hommes armés ont attaqué un poste de l'armée près de Dori, dans le nord du Burkina Faso, "
    "dimanche, tuant au moins huit soldats, a indiqué l'armée dans un communiqué."
)


def quads(settings: Settings) -> set[bytes]:
    """Every quad of the store but the graphs' creation times, as N-Quads lines."""
    buffer = io.BytesIO()
    with KgStore(settings.store) as store:
        store.dump(buffer, ox.RdfFormat.N_QUADS)
    return {line for line in buffer.getvalue().splitlines() if b"generatedAtTime" not in line}


def test_parallel_ingest_stores_what_one_process_stores(tmp_path: Path) -> None:
    """This process and a helper share the work: a French article, a file name met twice (the later file
    wins, as in one process) and English articles; the store ends the same as with one process."""
    corpus = tmp_path / "in"
    (corpus / "sub").mkdir(parents=True)
    for n, town in enumerate(["Djibo", "Dori", "Kaya", "Djibo", "Gorom-Gorom"]):
        (corpus / f"{n}.txt").write_text(STORY.replace("Djibo", town), encoding="utf-8")
    (corpus / "fr.txt").write_text(FRENCH_STORY, encoding="utf-8")
    (corpus / "sub" / "0.txt").write_text(STORY.replace("Djibo", "Kaya").replace("twelve", "nine"), encoding="utf-8")
    one, two = Settings(store=tmp_path / "one"), Settings(store=tmp_path / "two")
    serial, parallel = build_graph([corpus], one, workers=1), build_graph([corpus], two, workers=2)
    assert serial.ok and parallel.ok
    assert (
        sorted(parallel.loaded)
        == sorted(serial.loaded)
        == ["0.txt", "0.txt", "1.txt", "2.txt", "3.txt", "4.txt", "fr.txt"]
    )
    assert quads(two) == quads(one)
    with KgStore(two.store) as store:
        texts = [
            r["t"].value
            for r in store.select(
                "PREFIX kg: <https://w3id.org/osint-kg/ontology#> PREFIX schema: <https://schema.org/> "
                'SELECT ?t WHERE { ?a kg:fileName "0.txt" ; schema:text ?t }'
            )
        ]
    assert len(texts) == 1 and "nine soldiers" in texts[0]


def test_default_workers_follow_cores_and_corpus_size() -> None:
    cores = len(os.sched_getaffinity(0))
    assert default_workers(0) == default_workers(DOCS_PER_PROCESS * 2 - 1) == 1
    assert default_workers(DOCS_PER_PROCESS * 2) == min(cores, 2)
    assert default_workers(10**6) == min(cores, MAX_DEFAULT_PROCESSES)


def test_reliability_and_confidence_can_be_filtered_in_sparql(settings: Settings, tmp_path: Path) -> None:
    """A publisher's Admiralty grade from the configuration, and each statement's confidence, in the graph."""
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text(STORY, encoding="utf-8")
    (corpus / "meta.jsonl").write_text(
        '{"file": "a.txt", "published": "2024-03-04", "publisher": "Sahel Desk"}\n', encoding="utf-8"
    )
    build_graph([corpus], settings.model_copy(update={"reliability": {"Sahel Desk": "B"}}))
    query = """
        PREFIX kg: <https://w3id.org/osint-kg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rel: <https://w3id.org/osint-kg/reliability/>
        PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
        SELECT ?event ?confidence WHERE {
            ?event a sem:Event ; kg:confidence ?confidence ; prov:wasDerivedFrom ?article .
            ?article kg:reliability rel:B .
            FILTER (?confidence >= 0.5)
        }"""
    with KgStore(settings.store) as store:
        rows = store.select(query)
    assert rows and all(0.5 <= float(r["confidence"].value) <= 1 for r in rows)
