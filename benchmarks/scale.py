"""Scale benchmarks: ingest throughput at 1 and 2 workers, peak memory as the corpus grows tenfold, and the
saved queries of ``queries/`` on a synthetic store of 10 million triples.

    python benchmarks/scale.py --part throughput [--articles 400]
    python benchmarks/scale.py --part memory [--articles 200] [--workers 2]
    python benchmarks/scale.py --part 10m [--triples 10000000] [--runs 5] [--query-timeout 300]

Every part works on articles from ``benchmarks/synthetic.py`` (same seed, same corpus), in a temporary
directory under ``--tmp`` (default: the system's) that is deleted afterwards.

* **throughput**: ``kg.pipeline.local.build_graph(..., workers=N)`` for N = 1 and 2 (N processes prepare articles,
  the calling one included), each run in a fresh process (cold, as ``kg ingest`` starts), on the same corpus
  and a new store each. Reported: docs/s over the whole run (start-up included) and in the steady state
  (from the 10th percentile of documents to the last), words/s, CPU seconds (the process and its helpers),
  and the ratio 2 workers / 1 worker.
* **memory**: ``kg ingest CORPUS --workers W`` as a subprocess, on N and 10·N articles. The peak RSS of the
  ``kg`` process and of each of its helper processes is read from ``/proc/PID/status`` (``VmHWM``, the
  kernel's high-water mark) every 0.1 s, and ``/usr/bin/time`` gives the largest process's peak as
  ``wait4`` reports it.
* **10m**: article graphs made by ``kg.rdf.mapping.map_article`` from the facts the synthetic articles state
  (the gold annotation turned into an :class:`kg.model.Extraction`, so events, actors, places, figures,
  claims, relations, mentions and provenance have the pipeline's shape), written as N-Quads until the target
  count of triples, loaded with ``pyoxigraph.Store.bulk_load`` into an on-disk store (timed), with the
  ontology and KB graphs beside them. Every saved query then runs ``--runs`` times unbound and, when it has
  parameters, with realistic values (the most reported event, the most active armed group, ...), each query
  in its own process on the closed store opened read-only, killed after ``--query-timeout`` seconds.

Timings depend on what else runs on the machine: check ``uptime`` first.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Self

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for _path in (str(REPO), str(HERE)):
    if _path not in sys.path:
        sys.path.insert(0, _path)  # run from a source checkout without installing

import pyoxigraph as ox  # noqa: E402
import synthetic  # noqa: E402

from kg.config import Settings  # noqa: E402
from kg.ingest.readers import Document, build_document  # noqa: E402
from kg.model import (  # noqa: E402
    CasualtyFigure,
    Claim,
    EntityRecord,
    EntityType,
    EventRecord,
    Extraction,
    Mention,
    RelationRecord,
)
from kg.pipeline.local import build_graph  # noqa: E402
from kg.pipeline.prepare import ArticlePreparer, store_reference_graphs  # noqa: E402
from kg.rdf.mapping import event_key, map_article  # noqa: E402
from kg.sparql.saved import SavedQuery, bind, load_queries  # noqa: E402
from kg.store.graphs import KgStore  # noqa: E402
from kg.vocab.iri import Minter  # noqa: E402
from kg.vocab.namespaces import CK, KG  # noqa: E402

MIB = 1024 * 1024
PARTS = ("throughput", "memory", "10m")


def make_corpus(directory: Path, articles: int, seed: int) -> int:
    """``articles`` synthetic articles (with gold and meta.jsonl) in ``directory``; returns their words."""
    corpus = synthetic.generate(articles, seed, _pools())
    synthetic.write_corpus(corpus, directory)
    return sum(len(a.text.split()) for a in corpus.articles)


@lru_cache(maxsize=1)
def _pools() -> synthetic.Pools:
    return synthetic.default_pools(Settings())


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


# --- throughput ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IngestTiming:
    """One cold ingest run: when each document was stored, and the CPU it took."""

    workers: int
    loaded: int
    rejected: int
    wall_s: float
    cpu_s: float
    done_at: list[float]  # seconds from the start of the run, one per document

    def steady_docs_per_s(self, skip: float = 0.1) -> float:
        """Documents per second after the first ``skip`` of them (models loaded, workers started)."""
        first = int(len(self.done_at) * skip)
        span = self.done_at[-1] - self.done_at[first]
        return (len(self.done_at) - 1 - first) / span if span > 0 else math.nan


def _timed_ingest(corpus: str, store: str, workers: int, out: Any) -> None:
    """In a fresh process: ingest ``corpus`` into a new store and send an :class:`IngestTiming` to ``out``."""
    settings = Settings(store=Path(store))
    start = time.perf_counter()
    stamps: list[float] = []
    report = build_graph(
        [Path(corpus)],
        settings,
        workers=workers,
        progress=lambda done, total, key: stamps.append(time.perf_counter() - start),
    )
    out.send(
        IngestTiming(
            workers, len(report.loaded), len(report.rejected), time.perf_counter() - start, _cpu_seconds(), stamps
        )
    )
    out.close()


def cold_ingest(corpus: Path, store: Path, workers: int) -> IngestTiming:
    """:func:`_timed_ingest` in a spawned process, as ``kg ingest`` would start."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_timed_ingest, args=(str(corpus), str(store), workers, send))
    process.start()
    send.close()
    timing: IngestTiming = receive.recv()
    process.join()
    if process.exitcode != 0:
        raise RuntimeError(f"the ingest process failed with exit code {process.exitcode}")
    return timing


def run_throughput(tmp: Path, articles: int, seed: int, worker_counts: Sequence[int]) -> str:
    corpus = tmp / "corpus"
    words = make_corpus(corpus, articles, seed)
    print(f"corpus: {articles} articles, {words} words ({words / articles:.0f} per article)", file=sys.stderr)
    timings = {}
    for workers in worker_counts:
        timing = cold_ingest(corpus, tmp / f"store-{workers}w", workers)
        timings[workers] = timing
        print(f"  {workers} worker(s): {timing.loaded} loaded in {timing.wall_s:.1f} s", file=sys.stderr)
    lines = [
        "| workers | loaded | wall s | docs/s (whole run) | docs/s (steady) | words/s (steady) | CPU s |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for workers, t in timings.items():
        steady = t.steady_docs_per_s()
        lines.append(
            f"| {workers} | {t.loaded} | {t.wall_s:.1f} | {t.loaded / t.wall_s:.2f} | {steady:.2f} | "
            f"{steady * words / articles:,.0f} | {t.cpu_s:.1f} |"
        )
    if 1 in timings and 2 in timings:
        one, two = timings[1], timings[2]
        lines.append("")
        lines.append(
            f"2 workers / 1 worker: **{one.wall_s / two.wall_s:.2f} ×** over the whole run, "
            f"**{two.steady_docs_per_s() / one.steady_docs_per_s():.2f} ×** in the steady state "
            f"(target ≥ 1.7 ×)"
        )
    return "\n".join(lines)


# --- memory -------------------------------------------------------------------------------------------------


def _status_kib(pid: int, field_name: str) -> int | None:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(rf"^{field_name}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else None


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


class TreeSampler:
    """Polls the peak RSS (VmHWM) of a process and all its descendants until stopped."""

    def __init__(self, root: int, interval_s: float = 0.1) -> None:
        self.root = root
        self.interval_s = interval_s
        self.peaks: dict[int, int] = {}  # pid -> highest VmHWM seen, KiB
        self.commands: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _tree(self) -> Iterator[int]:
        todo = [self.root]
        while todo:
            pid = todo.pop()
            yield pid
            todo += _children(pid)

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in self._tree():
                hwm = _status_kib(pid, "VmHWM")
                if hwm is not None:
                    self.peaks[pid] = max(hwm, self.peaks.get(pid, 0))
                    if command := _command(pid):  # read again: a child seen before its exec changes it
                        self.commands[pid] = command
            self._stop.wait(self.interval_s)


@dataclass(frozen=True)
class MemoryPeak:
    """Peak RSS of one ``kg ingest`` run: the kg process (which prepares articles and writes the store), its
    helper processes (the other ``--workers``), and the wait4 figure."""

    articles: int
    wall_s: float
    parent_mib: float
    helper_mib: list[float]
    wait4_mib: float | None
    store_mib: float
    exit_code: int


def measure_ingest_memory(corpus: Path, store: Path, workers: int, articles: int) -> MemoryPeak:
    """Run ``kg ingest`` on ``corpus`` and record the peak RSS of every process of its tree."""
    command = [sys.executable, "-m", "kg.cli", "ingest", str(corpus), "--store", str(store), "--workers", str(workers)]
    time_file = store.parent / f"{store.name}.time"
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if timer is not None:
        command = [timer, "-f", "%M", "-o", str(time_file), *command]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(REPO), os.environ.get("PYTHONPATH"))))}
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with TreeSampler(process.pid) as sampler:
        _, stderr = process.communicate()
    wall = time.perf_counter() - start
    if process.returncode not in (0, 1):  # 1: some article rejected, the others loaded
        raise RuntimeError(f"kg ingest failed ({process.returncode}): {stderr.decode(errors='replace')[-2000:]}")
    kg_pid = next(
        (
            pid
            for pid, cmd in sampler.commands.items()
            if cmd.startswith(sys.executable) and " -m kg.cli ingest " in cmd
        ),
        process.pid,
    )
    helpers_kib = [
        kib for pid, kib in sampler.peaks.items() if "multiprocessing.spawn" in sampler.commands.get(pid, "")
    ]
    wait4 = float(time_file.read_text().split()[-1]) / 1024 if timer is not None and time_file.exists() else None
    size = sum(p.stat().st_size for p in store.rglob("*") if p.is_file())
    return MemoryPeak(
        articles,
        wall,
        sampler.peaks.get(kg_pid, 0) / 1024,
        sorted(k / 1024 for k in helpers_kib),
        wait4,
        size / MIB,
        process.returncode,
    )


def run_memory(tmp: Path, articles: int, seed: int, workers: int, factor: int) -> str:
    peaks = []
    for n in (articles, articles * factor):
        corpus = tmp / f"corpus-{n}"
        make_corpus(corpus, n, seed)
        peak = measure_ingest_memory(corpus, tmp / f"store-{n}", workers, n)
        peaks.append(peak)
        print(
            f"  {n} articles: kg process {peak.parent_mib:.0f} MiB, helpers "
            f"{', '.join(f'{w:.0f}' for w in peak.helper_mib) or '-'} MiB, {peak.wall_s:.0f} s",
            file=sys.stderr,
        )
        shutil.rmtree(corpus)
    lines = [
        f"`kg ingest --workers {workers}`:",
        "",
        (
            "| articles | wall s | peak RSS, kg process | peak RSS, each helper | largest process (wait4) "
            "| store on disk |"
        ),
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for p in peaks:
        helpers = " / ".join(f"{w:.0f} MiB" for w in p.helper_mib) or "–"
        wait4 = f"{p.wait4_mib:.0f} MiB" if p.wait4_mib is not None else "–"
        lines.append(
            f"| {p.articles} | {p.wall_s:.0f} | {p.parent_mib:.0f} MiB | {helpers} | {wait4} | {p.store_mib:.0f} MiB |"
        )
    small, large = peaks
    lines.append("")
    ratio = f"{factor}× the articles: kg process × {large.parent_mib / small.parent_mib:.2f}"
    if small.helper_mib and large.helper_mib:
        ratio += f", largest helper × {max(large.helper_mib) / max(small.helper_mib):.2f}"
    lines.append(ratio)
    return "\n".join(lines)


# --- 10 million triples -----------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?»”])\s+")
_QUALIFIER = {
    "at least": "at least",
    "more than": "more than",
    "about": "about",
    "au moins": "at least",
    "plus de": "more than",
}
_TRIGGERS = re.compile(
    r"\b(attack\w*|ambush\w*|fighting|clash\w*|battle|strike|bomb\w*|IED|massacre\w*|slaughter"
    r"|kidnap\w*|abduct\w*|sanctions?|withdrawal|condemn\w*|attaqu\w*|assaut|embuscade"
    r"|affrontements|combats|frappe|explosion|tuerie|enl[eè]v\w*|retrait|condamn\w*)\b",
    re.IGNORECASE,
)


class ArticleFacts:
    """The facts a synthetic article states (its gold), as the typed records extraction would produce."""

    def __init__(
        self, article: synthetic.Article, document: Document, minter: Minter, kb_by_label: Mapping[str, Any]
    ) -> None:
        self.gold = article.gold
        self.doc = document
        self.minter = minter
        self.kb = kb_by_label
        self.iris: dict[str, str] = {}

    def iri(self, name: str) -> str:
        return self.iris[name]

    def sentence_at(self, start: int) -> str:
        """The sentence of the document text around offset ``start``."""
        line_start = self.doc.text.rfind("\n", 0, start) + 1
        line_end = self.doc.text.find("\n", start)
        line = self.doc.text[line_start : line_end if line_end >= 0 else None]
        offset = line_start
        for sentence in _SENTENCE_END.split(line):
            if offset <= start < offset + len(sentence) + 1:
                return sentence
            offset += len(sentence) + 1
        return line

    def spans(self, form: str) -> list[tuple[int, int]]:
        folded, needle = self.doc.text.casefold(), form.casefold()
        out, at = [], folded.find(needle)
        while at >= 0:
            out.append((at, at + len(form)))
            at = folded.find(needle, at + len(form))
        return out

    def entities(self) -> dict[str, EntityRecord]:
        records: dict[str, EntityRecord] = {}
        for entity in self.gold["entities"]:
            kb_entity = self.kb.get(entity["name"])
            etype = EntityType(entity["type"])
            iri = kb_entity.iri if kb_entity else str(self.minter.actor(entity["name"]))
            mentions = [
                Mention(
                    start,
                    end,
                    self.doc.text[start:end],
                    self.sentence_at(start),
                    self.doc.language,
                    "kb-gazetteer" if kb_entity else "ner",
                    0.9 if kb_entity else 0.6,
                )
                for form in entity["mentions"]
                for start, end in self.spans(form)
            ]
            self.iris[entity["name"]] = iri
            records[iri] = EntityRecord(
                iri, entity["name"], etype, kb_entity is not None, kb_entity.wikidata if kb_entity else None, mentions
            )
        return records

    def figure(self, raw: Mapping[str, Any]) -> CasualtyFigure:
        at = self.doc.text.casefold().find(raw["count_text"].casefold())
        source = raw["according_to"]
        qualifier = next((q for text, q in _QUALIFIER.items() if raw["count_text"].casefold().startswith(text)), None)
        return CasualtyFigure(
            raw["kind"],
            raw["count"],
            qualifier,
            raw["who"],
            None,
            self.iris.get(source),
            source if source not in self.iris and source != "the article" else None,
            self.sentence_at(max(at, 0)),
            "figure:pattern",
            0.8,
        )

    def event(self, raw: Mapping[str, Any]) -> EventRecord:
        start = max(self.doc.text.find(raw["evidence"]), 0)
        trigger = _TRIGGERS.search(raw["evidence"])
        t_start, t_end = (start + trigger.start(), start + trigger.end()) if trigger else (start, start + 1)
        date = raw.get("date")
        precision = {10: "day", 7: "month", 4: "year"}.get(len(date)) if date else None
        claims = [Claim(self.iri(name), raw["evidence"], "claim:claim", 0.8) for name in raw.get("claimed_by", [])]
        return EventRecord(
            type=raw["type"],
            date=date,
            precision=precision,
            date_text=raw.get("date_text"),
            place=self.iris.get(raw["place"]) if raw.get("place") else None,
            country=self.kb[raw["country"]].iri if raw.get("country") else None,
            evidence=raw["evidence"],
            start=t_start,
            end=t_end,
            rule=f"trigger:{trigger.group(0).casefold() if trigger else 'other'}",
            confidence=0.8,
            sites=[self.iri(n) for n in raw.get("sites", [])],
            perpetrators=[self.iri(n) for n in raw.get("perpetrators", [])],
            targets=[self.iri(n) for n in raw.get("targets", [])],
            claims=claims,
            figures=[self.figure(f) for f in raw.get("casualties", [])],
        )

    def extraction(self) -> Extraction:
        """The article's facts as extraction records. As the extractor does, an event the text leaves undated
        or unplaced ("X condemned the attack") takes the date and place of the article's main event."""
        entities = self.entities()
        events = [self.event(e) for e in self.gold["events"] if not e.get("optional")]
        main = events[0]
        for event in events[1:]:
            if event.date is None:
                event.date, event.precision, event.date_text = main.date, main.precision, main.date_text
            if event.place is None:
                event.place, event.country = main.place, main.country
        relations = [
            RelationRecord(
                self.iri(r["subject"]), r["predicate"], self.iri(r["object"]), r["evidence"], "relation:apposition", 0.8
            )
            for r in self.gold["relations"]
        ]
        return Extraction(entities, events, relations)


@dataclass
class ChunkStats:
    """What one chunk of synthetic articles put in its N-Quads file, and values worth querying."""

    path: str
    articles: int
    quads: int
    seconds: float
    reports: Counter[str] = field(default_factory=Counter)  # event IRI -> articles reporting it
    conflicts: set[str] = field(default_factory=set)  # events with differing figures
    perpetrators: Counter[str] = field(default_factory=Counter)  # actor IRI -> events


def _write_chunk(task: tuple[int, int, int, str]) -> ChunkStats:
    """Articles ``index * size + 1`` to ``(index + 1) * size`` of the synthetic world, as N-Quads in ``out``."""
    index, size, seed, out = task
    started = time.perf_counter()
    settings = Settings()
    preparer = ArticlePreparer(settings)  # for the fingerprint and version only: no model is loaded
    minter, version = preparer.minter, preparer.extractor.version
    kb_by_label = {e.label: e for e in _pools().kb}
    corpus = synthetic.generate(size, seed * 100_003 + index, _pools(), first=index * size + 1)
    stats = ChunkStats(out, 0, 0, 0.0)
    figures: dict[str, set[tuple[str, int]]] = {}
    with open(out, "wb") as sink:
        for article in corpus.articles:
            document = build_document(article.file, Path(article.file), article.text, article.meta, is_html=False)
            facts = ArticleFacts(article, document, minter, kb_by_label)
            extraction = facts.extraction()
            graph = map_article(
                document,
                extraction,
                minter,
                fingerprint=preparer.fingerprint(document),
                version=version,
                reliability=settings.reliability,
            )
            name = ox.NamedNode(str(graph.name))
            quads = [
                ox.Quad(q.subject, q.predicate, q.object, name)
                for q in ox.parse(graph.graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
            ]
            ox.serialize(quads, sink, format=ox.RdfFormat.N_QUADS)
            stats.articles += 1
            stats.quads += len(quads)
            for event in extraction.events:
                place = extraction.entities.get(event.place) if event.place else None
                iri = str(minter.event(event_key(event), event.date, place.label if place else None, event.ordinal))
                stats.reports[iri] += 1
                stats.perpetrators.update(event.perpetrators)
                for figure in event.figures:
                    figures.setdefault(iri, set()).add((figure.kind, figure.count))
    stats.conflicts = {iri for iri, values in figures.items() if len({k for k, _ in values}) < len(values)}
    stats.seconds = time.perf_counter() - started
    return stats


@dataclass
class SyntheticStore:
    """The 10M-triple store and what was measured while building it."""

    path: Path
    articles: int
    quads: int
    generate_s: float
    load_s: float
    disk_mib: float
    values: dict[str, str]


def build_synthetic_store(tmp: Path, target: int, seed: int, workers: int, chunk: int) -> SyntheticStore:
    """Write chunks of article graphs as N-Quads until ``target`` triples, then bulk-load them."""
    started = time.perf_counter()
    parts = tmp / "nquads"
    parts.mkdir()
    first = _write_chunk((0, chunk, seed, str(parts / "part-00000.nq")))
    chunks = max(1, math.ceil(target / first.quads))
    print(
        f"  {first.quads / first.articles:.0f} triples per article: {chunks} chunks of {chunk} articles",
        file=sys.stderr,
    )
    tasks = [(i, chunk, seed, str(parts / f"part-{i:05d}.nq")) for i in range(1, chunks)]
    stats = [first]
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for done in pool.map(_write_chunk, tasks):
            stats.append(done)
            if len(stats) % 10 == 0:
                print(f"  {len(stats)}/{chunks} chunks, {sum(s.quads for s in stats):,} triples", file=sys.stderr)
    generate_s = time.perf_counter() - started
    path = tmp / "store"
    store = ox.Store(str(path))
    started = time.perf_counter()
    for part in stats:
        store.bulk_load(path=part.path, format=ox.RdfFormat.N_QUADS)
    store.flush()
    store.optimize()
    load_s = time.perf_counter() - started
    del store
    shutil.rmtree(parts)
    with KgStore(path, snapshot_interval_s=None) as kg_store:
        store_reference_graphs(ArticlePreparer(Settings(store=path)), kg_store)
        quads = len(kg_store)
    disk = sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / MIB
    return SyntheticStore(
        path, sum(s.articles for s in stats), quads, generate_s, load_s, disk, realistic_values(stats)
    )


def realistic_values(stats: Sequence[ChunkStats]) -> dict[str, str]:
    """Parameter values an analyst would pass: the most reported event with conflicting figures, the most
    active armed group, a country, a year, killed, people mentioned at least twice."""
    reports: Counter[str] = Counter()
    perpetrators: Counter[str] = Counter()
    conflicts: set[str] = set()
    for s in stats:
        reports.update(s.reports)
        perpetrators.update(s.perpetrators)
        conflicts |= s.conflicts
    event = max(conflicts or reports, key=lambda iri: (reports[iri], iri))
    groups = {e.iri for e in _pools().groups}
    actor = max((a for a in perpetrators if a in groups), key=lambda a: (perpetrators[a], a))
    mali = next(c for c in _pools().countries if c.label == "Mali")
    return {
        "event": event,
        "actor": actor,
        "kind": str(CK.killed),
        "place": mali.iri,
        "from": "2020-01-01",
        "to": "2020-12-31",
        "role": "perpetrator",
        "type": str(KG.Person),
        "minMentions": "2",
    }


@dataclass(frozen=True)
class QueryTiming:
    name: str
    bound: dict[str, str]
    rows: int | None
    latencies_ms: list[float]
    note: str = ""

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, max(0, math.ceil(p * len(ordered)) - 1))]


def time_query(store: Path, query: SavedQuery, values: Mapping[str, str], runs: int) -> tuple[int, list[float]]:
    """Rows of ``query`` with ``values`` bound, and the latency of each of ``runs`` runs (all rows read)."""
    kg_store = KgStore.open_snapshot(store)
    substitutions = bind(query, dict(values))
    latencies, rows = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        rows = sum(1 for _ in kg_store.query(query.text, substitutions=substitutions))  # type: ignore[union-attr]
        latencies.append((time.perf_counter() - started) * 1000)
    return rows, latencies


def run_query_isolated(
    store: Path, query: SavedQuery, values: Mapping[str, str], runs: int, timeout_s: float
) -> QueryTiming:
    """:func:`time_query` in a child process, killed if it runs past ``timeout_s`` (pyoxigraph cannot stop a
    running query)."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--time-query",
        str(store),
        query.name,
        json.dumps(dict(values)),
        str(runs),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        return QueryTiming(query.name, dict(values), None, [], f"stopped after {timeout_s:.0f} s")
    if done.returncode != 0:
        return QueryTiming(query.name, dict(values), None, [], f"failed: {done.stderr.strip()[-300:]}")
    result = json.loads(done.stdout)
    return QueryTiming(query.name, dict(values), result["rows"], result["latencies_ms"])


def run_saved_queries(store: Path, values: Mapping[str, str], runs: int, timeout_s: float) -> list[QueryTiming]:
    """Every saved query unbound, and bound to ``values`` when it has parameters."""
    timings = []
    for query in load_queries(Settings().queries_dir).values():
        bound = {p.name: values[p.name] for p in query.params if p.name in values}
        variants: list[dict[str, str]] = [{}, bound] if bound else [{}]
        for bindings in variants:
            timing = run_query_isolated(store, query, bindings, runs, timeout_s)
            timings.append(timing)
            p50 = f"{timing.percentile(0.5):.0f} ms" if timing.latencies_ms else timing.note
            print(f"  {query.name} {bindings or '(unbound)'}: {timing.rows} rows, p50 {p50}", file=sys.stderr)
    return timings


def _short(value: str) -> str:
    return value.rsplit("/", 1)[-1].rsplit("#", 1)[-1] if value.startswith("http") else value


def query_table(timings: Sequence[QueryTiming]) -> str:
    lines = ["| query | parameters | rows | p50 | p90 | runs |", "|---|---|---:|---:|---:|---:|"]
    for t in timings:
        params = ", ".join(f"{k}={_short(v)}" for k, v in t.bound.items()) or "unbound"
        if t.latencies_ms:
            lines.append(
                f"| `{t.name}` | {params} | {t.rows:,} | {t.percentile(0.5):,.0f} ms | "
                f"{t.percentile(0.9):,.0f} ms | {len(t.latencies_ms)} |"
            )
        else:
            lines.append(f"| `{t.name}` | {params} | – | {t.note} | | 0 |")
    return "\n".join(lines)


def run_10m(tmp: Path, target: int, seed: int, workers: int, chunk: int, runs: int, timeout_s: float) -> str:
    built = build_synthetic_store(tmp, target, seed, workers, chunk)
    print(
        f"  store: {built.quads:,} triples from {built.articles:,} articles; generated in "
        f"{built.generate_s:.0f} s, bulk-loaded in {built.load_s:.0f} s",
        file=sys.stderr,
    )
    timings = run_saved_queries(built.path, built.values, runs, timeout_s)
    head = (
        f"{built.quads:,} triples ({built.articles:,} article graphs + ontology + KB), "
        f"{built.disk_mib:,.0f} MiB on disk. N-Quads generated in {built.generate_s:.0f} s "
        f"({workers} processes); `Store.bulk_load` {built.load_s:.0f} s "
        f"({built.quads / max(built.load_s, 1e-9):,.0f} triples/s)."
    )
    return head + "\n\n" + query_table(timings)


# --- command line ------------------------------------------------------------------------------------------


def _machine() -> str:
    load = os.getloadavg()
    return (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, pyoxigraph {ox.__version__}, "
        f"load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} at the start"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Prints Markdown tables on stdout, progress on stderr.",
    )
    parser.add_argument(
        "--part", action="append", choices=PARTS, help="what to measure (repeatable; default: all three)"
    )
    parser.add_argument(
        "--articles", type=int, default=None, help="articles: throughput corpus (default 400), memory N (default 200)"
    )
    parser.add_argument("--factor", type=int, default=10, help="memory: the larger corpus is N × this (default 10)")
    parser.add_argument(
        "--workers", type=int, default=2, help="memory: kg ingest --workers; 10m: processes writing N-Quads (default 2)"
    )
    parser.add_argument("--triples", type=int, default=10_000_000, help="10m: triples to generate (default 10M)")
    parser.add_argument("--chunk", type=int, default=1000, help="10m: articles per N-Quads file (default 1000)")
    parser.add_argument("--runs", type=int, default=5, help="10m: runs of each query (default 5)")
    parser.add_argument(
        "--query-timeout",
        type=float,
        default=300.0,
        help="10m: seconds before a query's process is killed (default 300)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic corpus (default 1)")
    parser.add_argument("--tmp", type=Path, default=None, help="where to put corpora and stores (deleted after)")
    parser.add_argument(
        "--time-query", nargs=4, metavar=("STORE", "NAME", "VALUES", "RUNS"), help=argparse.SUPPRESS
    )  # internal: one query in its own process
    args = parser.parse_args(argv)
    if args.articles is not None and args.articles < 2:
        parser.error("--articles must be at least 2")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.time_query:
        store, name, values, runs = args.time_query
        rows, latencies = time_query(
            Path(store), load_queries(Settings().queries_dir)[name], json.loads(values), int(runs)
        )
        print(json.dumps({"rows": rows, "latencies_ms": latencies}))
        return 0
    parts = args.part or list(PARTS)
    print(f"_{time.strftime('%Y-%m-%d')}; {_machine()}._\n")
    with tempfile.TemporaryDirectory(prefix="kg-scale-", dir=args.tmp) as tmp_name:
        tmp = Path(tmp_name)
        sections: dict[str, Callable[[], str]] = {
            "throughput": lambda: run_throughput(tmp / "throughput", args.articles or 400, args.seed, (1, 2)),
            "memory": lambda: run_memory(tmp / "memory", args.articles or 200, args.seed, args.workers, args.factor),
            "10m": lambda: run_10m(
                tmp / "10m", args.triples, args.seed, args.workers, args.chunk, args.runs, args.query_timeout
            ),
        }
        for part in parts:
            (tmp / part).mkdir()
            print(f"== {part}", file=sys.stderr)
            print(f"### {part}\n\n{sections[part]()}\n", flush=True)
            shutil.rmtree(tmp / part)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
