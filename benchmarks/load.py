"""Load test: 16 clients on kg serve for 60 s while ``kg ingest`` writes 200 new articles into the same store.

The store starts with generated data (:mod:`rdfgen`, ``--triples``). ``kg
serve`` runs on it as a subprocess; then ``kg ingest`` (another subprocess)
ingests ``--articles`` synthetic articles (``benchmarks/synthetic.py``) into the
same store while ``wrk`` keeps ``--clients`` connections busy for ``--duration``
seconds with a shuffled mix of:

* SPARQL queries on ``/sparql``: point lookups (a different IRI each time) and
  a count of the article graphs;
* saved queries on ``/api/queries/{name}``, each with its parameters bound to an
  actor, event or place of the store;
* resource pages of actors, events and places, as HTML and as Turtle.

Any answer outside 2xx, timeout or connection error is a failure; the target is
none. The report gives requests, failures, p50/p99 latency and throughput, how
long the ingest took, and how many of the ingested articles the endpoint shows
at the end (it reads snapshots, so they appear without a restart).

    python benchmarks/load.py                                # 60 s, 16 clients, 200 articles
    python benchmarks/load.py --duration 10 --articles 10    # a smoke run
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx
import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from endpoint import POINT_LOOKUP, free_port, say, spawn, tail, terminate_cleanly, wait_ready, with_values
from loadgen import Request, Stats, run_httpx, run_wrk
from rdfgen import write_nquads

from kg.store.graphs import KgStore

PROJECT_ROOT = Path(__file__).resolve().parent.parent  # the repository

JSON_RESULTS = "application/sparql-results+json"
ARTICLE_GRAPHS = """PREFIX kg: <https://w3id.org/osint-kg/ontology#>
SELECT (COUNT(?g) AS ?articles) WHERE { GRAPH ?g { ?g a kg:ArticleGraph } }"""
# entities that article graphs mention: `kg ingest` replaces the generated knowledge-base graph with the real one
# when it starts, so an entity named only there stops existing mid-run (and its resource page rightly turns 404)
_SUBJECTS = """PREFIX kg: <https://w3id.org/osint-kg/ontology#>
SELECT DISTINCT ?s ?class WHERE { ?s a ?class . GRAPH ?g { ?g a kg:ArticleGraph . ?x ?p ?s } } ORDER BY ?s LIMIT 40"""
_EVENTS_WITH_FIGURES = """PREFIX kg: <https://w3id.org/osint-kg/ontology#>
SELECT DISTINCT ?s WHERE { ?figure kg:figureFor ?s } ORDER BY ?s LIMIT 40"""
_KG = "https://w3id.org/osint-kg/ontology#"
_SEM_EVENT = "http://semanticweb.cs.vu.nl/2009/11/sem/Event"


@dataclass
class Targets:
    """IRIs of the starting store that the requests are about."""

    groups: list[str]
    people: list[str]
    events: list[str]
    places: list[str]


@dataclass
class LoadResult:
    """What the load test measured."""

    stats: Stats
    generator: str
    clients: int
    duration_s: float
    requests_in_mix: int
    ingest_s: float
    ingest_exit: int
    ingest_summary: str
    articles_before: int
    articles_after: int
    articles_loaded: int
    visible_timeline: list[tuple[float, int]] = field(default_factory=list)


def find_targets(store: KgStore) -> Targets:
    """Up to 40 armed groups, people, events (with casualty figures) and towns of the store."""

    def of(cls: str) -> list[str]:
        rows = store.select(_SUBJECTS, substitutions={"class": ox.NamedNode(cls)})
        return [row["s"].value for row in rows]

    events = [row["s"].value for row in store.select(_EVENTS_WITH_FIGURES)] or of(_SEM_EVENT)
    return Targets(of(_KG + "ArmedGroup"), of(_KG + "Person"), events, of(_KG + "City"))


def request_mix(targets: Targets, seed: int = 1) -> list[Request]:
    """The shuffled list of requests the clients cycle through."""
    mix: list[Request] = []
    everything = targets.groups + targets.people + targets.events + targets.places
    for iri in everything:
        text = with_values(POINT_LOOKUP, "s", ox.NamedNode(iri))
        mix.append(Request("/sparql?" + urlencode({"query": text}), JSON_RESULTS, "sparql point lookup"))
    mix += [Request("/sparql?" + urlencode({"query": ARTICLE_GRAPHS}), JSON_RESULTS, "sparql count")] * 10
    saved = [
        ("events_by_actor", "actor", targets.groups),
        ("actors_affiliations", "actor", targets.people),
        ("event_sources", "event", targets.events),
        ("casualty_figures_by_source", "event", targets.events),
        ("claims_for_event", "event", targets.events),
        ("events_by_place_and_date", "place", targets.places),
    ]
    for name, param, iris in saved:
        mix += [
            Request(f"/api/queries/{name}?" + urlencode({param: iri}), JSON_RESULTS, f"saved {name}")
            for iri in iris[:10]
        ]
    mix += [Request("/api/queries/unlinked_entities", JSON_RESULTS, "saved unlinked_entities")] * 5
    for iri in targets.groups[:10] + targets.events[:10] + targets.places[:10]:
        mix.append(Request(urlsplit(iri).path, "text/html", "resource page html"))
        mix.append(Request(urlsplit(iri).path, "text/turtle", "resource page turtle"))
    random.Random(seed).shuffle(mix)
    return mix


def article_count(url: str) -> int:
    """How many article graphs the endpoint shows."""
    response = httpx.get(url, params={"query": ARTICLE_GRAPHS}, headers={"Accept": JSON_RESULTS}, timeout=60)
    response.raise_for_status()
    return int(response.json()["results"]["bindings"][0]["articles"]["value"])


def _watch(url: str, started: float, stop: threading.Event, timeline: list[tuple[float, int]]) -> None:
    """Every 5 s, how many article graphs are visible (the ingest's progress as readers see it)."""
    while not stop.wait(5.0):
        try:
            timeline.append((round(time.monotonic() - started, 1), article_count(url)))
        except httpx.HTTPError:
            timeline.append((round(time.monotonic() - started, 1), -1))


def run(args: argparse.Namespace) -> LoadResult:
    """Prepare the store and the articles, serve, ingest and load at once; stop everything on the way out."""
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kg-load-test-")))
        store_path = workdir / "store"
        say(f"generating about {args.triples:,} quads and {args.articles} articles in {workdir}")
        dataset = write_nquads(workdir / "start.nq", args.triples, lookups=0)
        with KgStore(store_path) as store:
            store.bulk_load(dataset.path)
            targets = find_targets(store)
        articles = workdir / "articles"
        subprocess.run(
            [
                sys.executable,
                str(Path(__file__).with_name("synthetic.py")),
                "--articles",
                str(args.articles),
                "--seed",
                str(args.seed),
                "-o",
                str(articles),
            ],
            check=True,
            capture_output=True,
            env=_env(store_path),
        )
        port = free_port()
        env = {
            **_env(store_path),
            "KG_PORT": str(port),
            "KG_HOST": "127.0.0.1",
            "KG_QUERY_WORKERS": str(args.kg_workers),
        }
        server_log = workdir / "serve.log"
        server = spawn(stack, [sys.executable, "-m", "kg.cli", "serve"], server_log, env=env, cwd=workdir)
        url = f"http://127.0.0.1:{port}/sparql"
        wait_ready(url, server, server_log, 300)
        before = article_count(url)
        mix = request_mix(targets, args.seed)
        say(
            f"{before} article graphs served; starting kg ingest of {args.articles} articles and "
            f"{args.clients} clients for {args.duration:g} s ({len(mix)} distinct requests)"
        )
        ingest_log = workdir / "ingest.log"
        began = time.monotonic()
        ingest = spawn(
            stack,
            [sys.executable, "-m", "kg.cli", "ingest", str(articles), "--workers", str(args.ingest_workers)],
            ingest_log,
            env={**_env(store_path), "COLUMNS": "200"},
            cwd=workdir,
        )
        timeline: list[tuple[float, int]] = []
        stop = threading.Event()
        watcher = threading.Thread(target=_watch, args=(url, began, stop, timeline), daemon=True)
        watcher.start()
        root = f"http://127.0.0.1:{port}"
        if args.generator == "wrk":
            stats = run_wrk(root, mix, args.clients, args.duration, args.timeout, workdir / "wrk")
        else:
            stats = run_httpx(root, mix, args.clients, args.duration, args.timeout)[0]
        say(f"load done: {stats.requests} requests, {stats.failures} failed; waiting for the ingest")
        if stats.failures:
            say("answers outside 2xx in the server's access log:\n" + _failed_requests(server_log))
        exit_code = ingest.wait(args.ingest_timeout)
        ingest_s = time.monotonic() - began
        stop.set()
        watcher.join()
        time.sleep(1.0)
        after = article_count(url)
        summary = _ingest_summary(ingest_log)
    return LoadResult(
        stats,
        args.generator,
        args.clients,
        args.duration,
        len(mix),
        ingest_s,
        exit_code,
        summary,
        before,
        after,
        _loaded(summary),
        timeline,
    )


def _failed_requests(log: Path, shown: int = 10) -> str:
    """The server log's access lines with a status of 400 or more, counted by status, and the first few
    lines of the log that are not access lines (tracebacks, warnings)."""
    access = re.compile(r"\b(GET|POST|PUT|DELETE|HEAD|OPTIONS) (\S+) (\d{3}) [\d.]+ms ")
    statuses: Counter[str] = Counter()
    other: list[str] = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        found = access.search(line)
        if found and int(found[3]) >= 400:
            statuses[f"{found[3]} {found[1]} {found[2]}"] += 1
        elif not found and len(other) < shown:
            other.append(line)
    counts = "\n".join(f"  {n} × {what}" for what, n in statuses.most_common())
    return counts + ("\n  other log lines:\n    " + "\n    ".join(other) if other else "")


def _env(store: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "KG_STORE": str(store), "NO_COLOR": "1"}


def _ingest_summary(log: Path) -> str:
    lines = [line for line in tail(log, 20000).splitlines() if line.startswith("loaded ")]
    return lines[-1].strip() if lines else tail(log, 500)


def _loaded(summary: str) -> int:
    found = re.match(r"loaded (\d+)", summary)
    return int(found.group(1)) if found else -1


def report(result: LoadResult) -> str:
    """The result as a Markdown table and a few lines."""
    s = result.stats
    kinds = ", ".join(f"{k} {v}" for k, v in s.failure_kinds.items()) or "none"
    visible = result.articles_after - result.articles_before
    lines = [
        "| clients | duration | requests | failed | p50 | p99 | throughput | ingest | articles visible / loaded |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        (
            f"| {result.clients} | {s.duration_s:.0f} s | {s.requests:,} | {s.failures} | {s.p50_ms:.1f} ms | "
            f"{s.p99_ms:.0f} ms | {s.throughput:.1f}/s | {result.ingest_s:.0f} s (exit {result.ingest_exit}) | "
            f"{visible} / {result.articles_loaded} |"
        ),
        "",
        (
            f"Generator `{result.generator}`, {result.requests_in_mix} distinct requests cycled; failures by kind: "
            f"{kinds}. Ingest: {result.ingest_summary}"
        ),
        "Article graphs visible while the ingest ran (seconds since it started: count): "
        + ", ".join(f"{t:g}: {n}" for t, n in result.visible_timeline),
    ]
    return "\n".join(lines) + "\n"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument("--articles", type=int, default=200, help="articles to ingest meanwhile (default 200)")
    parser.add_argument("--triples", type=int, default=50_000, help="quads the store starts with (default 50,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kg-workers", type=int, default=4, help="KG_QUERY_WORKERS of kg serve (default 4)")
    parser.add_argument("--ingest-workers", type=int, default=1, help="kg ingest --workers (default 1)")
    parser.add_argument("--ingest-timeout", type=float, default=1800.0, help="seconds to wait for the ingest")
    parser.add_argument("--timeout", type=float, default=60.0, help="per-request time limit in seconds")
    parser.add_argument("--generator", choices=("wrk", "httpx"), default="wrk" if shutil.which("wrk") else "httpx")
    parser.add_argument("--json", type=Path, help="write the raw result here")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with terminate_cleanly():
        result = run(args)
    print(report(result))
    if args.json:
        args.json.write_text(
            json.dumps({**asdict(result), "throughput": result.stats.throughput}, indent=1), encoding="utf-8"
        )
    return 0 if result.stats.failures == 0 and result.stats.requests > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
