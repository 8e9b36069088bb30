"""The synthetic article generator of the scale benchmarks (benchmarks/synthetic.py): deterministic, with
gold annotations the project's own scorer accepts and that agree with the text, and a meta.jsonl that
ingest reads; and the pieces of benchmarks/scale.py built on it (article graphs for the 10M-triple store,
query timing, the peak-RSS sampler). No spaCy model is loaded here."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kg.config import Settings
from kg.evaluate.gold import load_gold
from kg.evaluate.match import score_facts
from kg.extract.kb import load_kb
from kg.ingest.readers import build_document, read_documents, read_sidecar
from kg.model import EntityType
from kg.pipeline.prepare import ArticlePreparer, store_reference_graphs
from kg.rdf.mapping import map_article
from kg.sparql.saved import load_queries
from kg.store.graphs import KgStore
from kg.validate.gate import check_graph
from tests.conftest import PROJECT_ROOT

EVENT_TYPES = {
    "Attack",
    "Clash",
    "Ambush",
    "Bombing",
    "HostageTaking",
    "Massacre",
    "Coup",
    "ClaimOfResponsibility",
    "Statement",
    "Condemnation",
    "Closure",
    "Reopening",
    "Sanction",
    "Withdrawal",
    "Expulsion",
    "Other",
}
PREDICATES = {
    "affiliatedWith",
    "leaderOf",
    "alliedWith",
    "supportedBy",
    "memberOf",
    "partOf",
    "locatedIn",
    "opposes",
    "successorOf",
}
KINDS = {"killed", "injured", "captured", "missing", "hostages"}
DATE = re.compile(r"^(\d{4})(-\d{2}(-\d{2})?)?$")


def _load_module(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, PROJECT_ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


synthetic = _load_module("synthetic")
scale = _load_module("scale")


@pytest.fixture(scope="module")
def pools() -> Any:
    return synthetic.default_pools(Settings())


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory, pools: Any) -> Path:
    directory = tmp_path_factory.mktemp("synthetic")
    synthetic.write_corpus(synthetic.generate(60, 3, pools), directory)
    return directory


def _gold_files(directory: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.gold.json"))]


def test_same_seed_same_bytes_other_seed_other_corpus(tmp_path: Path, pools: Any) -> None:
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        synthetic.write_corpus(synthetic.generate(25, seed, pools), tmp_path / name)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert len([f for f in files if f.endswith(".txt")]) == 25
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert (tmp_path / "a" / "meta.jsonl").read_bytes() != (tmp_path / "c" / "meta.jsonl").read_bytes()


def test_varied_event_types_languages_and_templates(pools: Any) -> None:
    corpus = synthetic.generate(300, 11, pools)
    main_types = {a.gold["events"][0]["type"] for a in corpus.articles}
    assert {"Attack", "Ambush", "Clash", "Bombing", "Massacre", "HostageTaking", "Sanction", "Withdrawal"} <= main_types
    assert {a.meta["language"] for a in corpus.articles} == {"en", "fr"}
    assert {a.meta["kind"] for a in corpus.articles} == {"report", "flash", "french"}
    leads = {a.gold["events"][0]["evidence"] for a in corpus.articles}
    assert len(leads) > 250  # hardly two articles open with the same sentence
    years = {a.gold["events"][0]["date"][:4] for a in corpus.articles}
    assert min(years) >= "2015" and max(years) <= "2024" and len(years) >= 8
    assert corpus.fused_events and any(f["conflicting_figures"] for f in corpus.fused_events)
    kb_labels = {e.label for e in pools.kb}
    assert any(e["name"] not in kb_labels for a in corpus.articles for e in a.gold["entities"])  # local sources


def test_gold_entities_are_kb_entities_or_local_people_named_in_the_text(corpus_dir: Path) -> None:
    settings = Settings()
    kb = load_kb(settings.ontology_dir / "kb.ttl", settings.base_iri)
    types = {e.label: e.type.value for e in kb}
    for gold in _gold_files(corpus_dir):
        text = (corpus_dir / gold["file"]).read_text(encoding="utf-8").casefold()
        assert gold["entities"], gold["file"]
        for entity in gold["entities"]:
            if entity["name"] in types:
                assert types[entity["name"]] == entity["type"], entity
            else:  # a local source the KB does not know
                assert entity["type"] == EntityType.PERSON.value and kb.lookup(entity["name"]) is None, entity
            for mention in entity["mentions"]:
                assert mention.casefold() in text, (gold["file"], mention)


def test_gold_events_and_relations_only_name_entities_of_the_document(corpus_dir: Path) -> None:
    for gold in _gold_files(corpus_dir):
        text = (corpus_dir / gold["file"]).read_text(encoding="utf-8")
        names = {e["name"] for e in gold["entities"]}
        assert gold["events"][0]["type"] in EVENT_TYPES - {"ClaimOfResponsibility"}
        for event in gold["events"]:
            assert event["type"] in EVENT_TYPES and event["evidence"] in text
            if event.get("date") is not None:
                match = DATE.match(event["date"])
                assert match and "2015" <= match.group(1) <= "2024", event["date"]
            for slot in ("perpetrators", "targets", "claimed_by", "sites"):
                assert set(event.get(slot, [])) <= names, (gold["file"], slot, event)
            assert event.get("place") is None or event["place"] in names, (gold["file"], event)
            assert event.get("country") in (None, "Mali", "Burkina Faso", "Niger")
            for figure in event.get("casualties", []):
                assert figure["kind"] in KINDS and isinstance(figure["count"], int) and figure["count"] > 0
                assert figure["count_text"].casefold() in text.casefold()
                source = figure["according_to"]
                assert source == "the article" or source in names or source.casefold() in text.casefold(), figure
        for relation in gold["relations"]:
            assert relation["predicate"] in PREDICATES
            assert {relation["subject"], relation["object"]} <= names
            assert relation["evidence"] in text or relation["evidence"].casefold() in text.casefold()


def test_perfect_facts_score_one_with_the_projects_scorer(corpus_dir: Path) -> None:
    """Facts written from the gold itself score 1.0 everywhere: the gold is consistent and loadable."""
    gold_set = load_gold(corpus_dir)
    documents = []
    for gold in _gold_files(corpus_dir):
        documents.append(
            {
                "file": gold["file"],
                "entities": [
                    {"id": e["name"], "name": e["name"], "type": e["type"], "mentions": e["mentions"]}
                    for e in gold["entities"]
                ],
                "events": [
                    {
                        **{k: e.get(k) for k in ("type", "date", "place", "country")},
                        **{k: e.get(k) or [] for k in ("sites", "perpetrators", "targets", "claimed_by")},
                        "id": f"{e['type']}/{e['date']}/{e['country']}",  # one IRI per reported event
                        "casualties": [
                            {**c, "according_to": None if c["according_to"] == "the article" else c["according_to"]}
                            for c in e.get("casualties", [])
                        ],
                    }
                    for e in gold["events"]
                    if not e.get("optional")
                ],
                "relations": [{k: r[k] for k in ("subject", "predicate", "object")} for r in gold["relations"]],
            }
        )
    scores = score_facts(gold_set, {"documents": documents})
    assert scores.entity_prf.f1 == scores.event_prf.f1 == scores.relation_prf.f1 == 1.0
    assert all(v in (None, 1.0) for v in scores.slots.values()), scores.slots
    assert scores.fusion and all(f.fused == f.sources for f in scores.fusion)
    assert scores.type_accuracy == 1.0 and scores.leaks == 0


def test_corpus_json_declares_the_events_several_articles_report(corpus_dir: Path) -> None:
    corpus = json.loads((corpus_dir / "corpus.json").read_text(encoding="utf-8"))
    golds = {g["file"]: g for g in _gold_files(corpus_dir)}
    assert corpus["fused_events"]
    for fused in corpus["fused_events"]:
        assert len(fused["sources"]) > 1
        figures: dict[str, set[int]] = {}
        for source in fused["sources"]:
            main = golds[source]["events"][0]
            assert (main["type"], main["date"]) == (fused["type"], fused["date"])
            assert main["place"] in {fused["place"], *fused["sites"]}
            for figure in main.get("casualties", []):
                figures.setdefault(figure["kind"], set()).add(figure["count"])
        for conflict in fused["conflicting_figures"]:
            assert set(conflict["values"]) == figures[conflict["kind"]] and len(conflict["values"]) > 1


def test_meta_jsonl_matches_the_articles_and_ingest_reads_them(corpus_dir: Path) -> None:
    rows = read_sidecar(corpus_dir / "meta.jsonl")
    articles = sorted(p.name for p in corpus_dir.glob("*.txt"))
    assert sorted(rows) == articles and len(articles) == 60
    golds = {g["file"]: g for g in _gold_files(corpus_dir)}
    for name, row in rows.items():
        assert set(row) == {"file", "published", "publisher", "url", "title", "language", "kind"}
        assert row["published"] == golds[name]["published"] and row["language"] == golds[name]["language"]
        assert (corpus_dir / name).read_text(encoding="utf-8").startswith(row["title"] + "\n\n")
    documents = {d.key: d for d in read_documents([corpus_dir])}
    assert sorted(documents) == articles  # gold files, meta.jsonl and corpus.json are not articles
    for name, doc in documents.items():
        row = rows[name]
        assert doc.published is not None and doc.published.isoformat() == row["published"]
        assert doc.publisher == row["publisher"] and doc.language == row["language"]
        assert row["title"] not in doc.text and f"({row['publisher']})" not in doc.text  # headline, dateline
        assert golds[name]["events"][0]["evidence"] in doc.text


def test_no_passage_copied_from_the_example_or_seed_corpora(pools: Any) -> None:
    """No run of eight words of generated text occurs in examples/corpus or the shared seeds, once the
    names of the knowledge base ("Economic Community of West African States") are masked."""
    names = sorted({n.casefold() for e in pools.kb for n in (e.label, *e.aliases)}, key=len, reverse=True)
    kb_name = re.compile("|".join(re.escape(n) for n in names))

    def grams(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"\w+", kb_name.sub(" NAME ", text.casefold()))
        return {tuple(words[i : i + 8]) for i in range(len(words) - 7)}

    sources = list((PROJECT_ROOT / "examples" / "corpus").glob("*.txt"))
    sources += list((PROJECT_ROOT.parent / "shared" / "corpus" / "seeds").glob("*.txt"))
    assert sources
    existing = set().union(*(grams(p.read_text(encoding="utf-8")) for p in sources))
    generated = set().union(*(grams(a.text) for a in synthetic.generate(200, 2, pools).articles))
    assert not generated & existing


def test_cli_writes_the_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert synthetic.main(["--articles", "7", "--seed", "4", "-o", str(tmp_path / "out")]) == 0
    assert "wrote 7 articles" in capsys.readouterr().out
    assert len(list((tmp_path / "out").glob("*.txt"))) == 7
    assert len(list((tmp_path / "out").glob("*.gold.json"))) == 7
    assert (tmp_path / "out" / "corpus.json").is_file()
    with pytest.raises(SystemExit) as exit_info:
        synthetic.main(["--help"])
    assert exit_info.value.code == 0
    with pytest.raises(SystemExit) as exit_info:
        synthetic.main(["--articles", "0", "-o", str(tmp_path / "none")])
    assert exit_info.value.code == 2


def test_article_graphs_for_the_10m_store_pass_the_shacl_gate(pools: Any) -> None:
    """The 10m part makes each article's graph with kg.rdf.mapping from the facts of the article: the SHACL gate
    accepts every one, and each has the article, its events, figures, mentions and provenance."""
    settings = Settings()
    preparer = ArticlePreparer(settings)
    kb_by_label = {e.label: e for e in pools.kb}
    for article in synthetic.generate(40, 8, pools).articles:
        document = build_document(article.file, Path(article.file), article.text, article.meta, is_html=False)
        extraction = scale.ArticleFacts(article, document, preparer.minter, kb_by_label).extraction()
        assert len(extraction.events) == len([e for e in article.gold["events"] if not e.get("optional")])
        graph = map_article(
            document,
            extraction,
            preparer.minter,
            fingerprint=preparer.fingerprint(document),
            version=preparer.extractor.version,
        )
        check_graph(article.file, graph.graph, preparer.shapes, preparer.ontology)  # raises ShapeViolation
        assert len(graph.graph) > 50


def test_synthetic_store_answers_the_saved_queries_with_realistic_values(tmp_path: Path, pools: Any) -> None:
    stats = scale._write_chunk((0, 30, 4, str(tmp_path / "part.nq")))
    assert stats.articles == 30 and stats.quads > 30 * 50
    store = ox.Store(str(tmp_path / "store"))
    store.bulk_load(path=stats.path, format=ox.RdfFormat.N_QUADS)
    assert len(store) == stats.quads
    del store
    with KgStore(tmp_path / "store", snapshot_interval_s=None) as kg_store:
        store_reference_graphs(ArticlePreparer(Settings(store=tmp_path / "store")), kg_store)
    values = scale.realistic_values([stats])
    queries = load_queries(Settings().queries_dir)
    rows, latencies = scale.time_query(tmp_path / "store", queries["event_sources"], {"event": values["event"]}, 2)
    assert rows == stats.reports[values["event"]] and len(latencies) == 2
    rows, _ = scale.time_query(
        tmp_path / "store", queries["events_by_actor"], {"actor": values["actor"], "role": "perpetrator"}, 1
    )
    assert rows > 0
    timing = scale.run_query_isolated(tmp_path / "store", queries["claims_for_event"], {}, 1, timeout_s=120)
    assert timing.rows and timing.rows > 0 and timing.note == ""


def test_tree_sampler_reports_each_process_peak() -> None:
    child = (
        "import subprocess, sys, time; "
        "subprocess.run([sys.executable, '-c', 'import time; b = bytearray(80 * 2**20); time.sleep(1)'])"
    )
    process = subprocess.Popen([sys.executable, "-c", child])
    with scale.TreeSampler(process.pid, interval_s=0.05) as sampler:
        process.wait()
    assert len(sampler.peaks) == 2
    grandchild = max(sampler.peaks, key=lambda pid: sampler.peaks[pid])
    assert grandchild != process.pid and "bytearray" in sampler.commands[grandchild]
    assert sampler.peaks[grandchild] >= 80 * 1024 > sampler.peaks[process.pid]
