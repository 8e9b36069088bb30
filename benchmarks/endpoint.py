"""Endpoint benchmark: kg serve against in-process pyoxigraph, Oxigraph's server, rdflib-endpoint and Virtuoso.

One run builds a dataset (:mod:`rdfgen`, N-Quads shaped like osint-kg's data),
loads it into every system and starts each on a free loopback port:

| system     | what runs                                                                  |
|------------|----------------------------------------------------------------------------|
| `floor`    | pyoxigraph in a child process, on the snapshot kg serve reads: query and    |
|            | serialize, no HTTP (the floor)                                             |
| `kg`       | `kg serve` (uvicorn, query worker processes) on an on-disk store           |
| `oxigraph` | `oxigraph serve --union-default-graph` (PyPI `oxigraph`), its own store    |
| `rdflib`   | `rdflib-endpoint serve` (rdflib's in-memory dataset, union default graph); |
|            | on a smaller slice of the data (`--rdflib-triples`), as it loads slowly    |
| `virtuoso` | `virtuoso-t` (Debian `virtuoso-opensource-7-bin`), loaded by `ld_dir`      |

The query mix: point lookups (all triples of one actor, place, event or
article, a different one per request), every analyst query of ``queries/`` with
its parameters unbound, an aggregation (instances per class) and a CONSTRUCT
(every event with its type, place and date). Each query class is first sent
once to every system (the row counts must agree), then a closed-loop load
generator (``wrk`` by default, see :mod:`loadgen`) runs it at each concurrency
for ``--duration`` seconds per system. The report, in Markdown: p50/p99 latency
and throughput for each system and class, kg's ratios to each peer, and the
generator's own ceiling against a trivial endpoint.

    python benchmarks/endpoint.py                                   # 1M triples, 10 s per cell
    python benchmarks/endpoint.py --triples 50000 --duration 2 --systems floor,kg,oxigraph

Every process started here runs in its own session and is killed at exit,
and the temporary folder is removed.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import Request, Stats, ceiling, percentile, run_httpx, run_wrk
from rdfgen import write_nquads

from kg.store.graphs import KgStore
from kg.store.snapshots import latest_snapshot

PROJECT_ROOT = Path(__file__).resolve().parent.parent  # the repository

SYSTEMS = ("floor", "kg", "oxigraph", "rdflib", "virtuoso")
PEERS = ("oxigraph", "rdflib", "virtuoso")
JSON_RESULTS = "application/sparql-results+json"
NTRIPLES = "application/n-triples"

POINT_LOOKUP = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
AGGREGATION = """SELECT ?class (COUNT(DISTINCT ?s) AS ?instances) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?instances) ?class"""
CONSTRUCT = """PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
CONSTRUCT { ?event a sem:Event ; sem:eventType ?type ; sem:hasPlace ?place ; sem:hasTimeStamp ?date }
WHERE { GRAPH ?g { ?event a sem:Event ; sem:eventType ?type ; sem:hasPlace ?place ; sem:hasTimeStamp ?date } }"""
"""The aggregation counts distinct instances and the CONSTRUCT matches within each graph: Oxigraph's union
default graph yields a triple once per graph that holds it, so joins over it multiply with the number of
articles that repeat a fact."""


# -- the query mix --------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryClass:
    """Queries measured together: one text, or (point lookups) one template bound to many IRIs."""

    name: str
    group: str
    text: str
    construct: bool = False
    bindings: tuple[str, ...] = ()

    @property
    def accept(self) -> str:
        return NTRIPLES if self.construct else JSON_RESULTS

    def http_texts(self) -> list[str]:
        """The query texts sent over HTTP, where the protocol has no parameters (see :func:`with_values`)."""
        if not self.bindings:
            return [self.text]
        return [with_values(self.text, "s", ox.NamedNode(iri)) for iri in self.bindings]


def with_values(text: str, variable: str, term: ox.NamedNode) -> str:
    """``text`` followed by a ``VALUES`` clause binding ``?variable`` to ``term``.

    The SPARQL Protocol has no way to pass a value beside the query, so for the
    HTTP systems the value goes into the text; it is written by pyoxigraph's
    term serializer (an escaped ``<IRI>`` token), never pasted raw. The
    in-process floor binds the same value with a substitution instead.
    """
    return f"{text}\nVALUES ?{ox.Variable(variable).value} {{ {term} }}"


def query_mix(lookup_targets: Sequence[str], queries_dir: Path) -> list[QueryClass]:
    """Point lookups, the analyst queries (unbound), an aggregation and a CONSTRUCT."""
    mix = [QueryClass("point lookup", "lookup", POINT_LOOKUP, bindings=tuple(lookup_targets))]
    mix += [
        QueryClass(path.stem, "analyst", path.read_text(encoding="utf-8")) for path in sorted(queries_dir.glob("*.rq"))
    ]
    mix.append(QueryClass("count by class", "aggregate", AGGREGATION))
    mix.append(QueryClass("construct events", "construct", CONSTRUCT, construct=True))
    return mix


# -- processes and ports --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def spawn(
    stack: ExitStack, command: Sequence[str], log: Path, *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start ``command`` in its own session, output to ``log``; its whole process group is stopped at exit."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            list(command),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
    stack.callback(stop_group, process)
    return process


def stop_group(process: subprocess.Popen[bytes], grace_s: float = 30.0) -> None:
    """SIGTERM the process group of ``process``, then SIGKILL whatever is left after ``grace_s``."""
    for sig, wait in ((signal.SIGTERM, grace_s), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            continue
        try:  # the leader is gone; children of its group (kg's query workers) may not be
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path, timeout_s: float) -> None:
    """Return once ``url`` answers ``ASK {}`` with 200; fail with the log's tail if the process exits."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}:\n{tail(log)}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, headers={"Accept": JSON_RESULTS}, timeout=5).is_success:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{url} did not answer within {timeout_s:g} s:\n{tail(log)}")


def tail(log: Path, size: int = 3000) -> str:
    return log.read_text(encoding="utf-8", errors="replace")[-size:] if log.exists() else "(no log)"


# -- the systems ----------------------------------------------------------------------------------


@dataclass
class Endpoint:
    """A system under test: its SPARQL endpoint URL (empty for the floor), load time and data size."""

    name: str
    url: str
    load_s: float
    quads: int
    note: str = ""


@dataclass
class Bench:
    """What every system's start-up needs."""

    stack: ExitStack
    workdir: Path
    data: Path
    quads: int
    timeout_s: float
    kg_workers: int
    rdflib_data: Path | None = None
    rdflib_quads: int = 0


def start_kg(bench: Bench) -> Endpoint:
    """Bulk-load an on-disk store and run ``kg serve`` on it."""
    store = bench.workdir / "kg-store"
    began = time.perf_counter()
    with KgStore(store) as kg_store:
        kg_store.bulk_load(bench.data)
    load_s = time.perf_counter() - began
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "KG_STORE": str(store),
        "KG_PORT": str(port),
        "KG_HOST": "127.0.0.1",
        "KG_QUERY_WORKERS": str(bench.kg_workers),
        "KG_QUERY_TIMEOUT_S": f"{min(bench.timeout_s, 300):g}",
    }
    log = bench.workdir / "kg.log"
    process = spawn(bench.stack, [sys.executable, "-m", "kg.cli", "serve"], log, env=env, cwd=bench.workdir)
    url = f"http://127.0.0.1:{port}/sparql"
    wait_ready(url, process, log, 300)
    return Endpoint("kg", url, load_s, bench.quads, f"{bench.kg_workers} query workers")


def start_oxigraph(bench: Bench) -> Endpoint:
    """``oxigraph load`` into its own store, then ``oxigraph serve --union-default-graph``."""
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    location = bench.workdir / "oxigraph-store"
    log = bench.workdir / "oxigraph.log"
    began = time.perf_counter()
    subprocess.run(
        [oxigraph, "load", "--location", str(location), "--file", str(bench.data)],
        check=True,
        capture_output=True,
        timeout=3600,
    )
    load_s = time.perf_counter() - began
    port = free_port()
    # no --timeout-s: oxigraph 0.5.13's server then starts a thread per query that sleeps out the limit,
    # and under load (thousands of queries a second) it runs out of threads and aborts (SIGABRT)
    process = spawn(
        bench.stack,
        [oxigraph, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        log,
    )
    url = f"http://127.0.0.1:{port}/query"
    wait_ready(url, process, log, 120)
    return Endpoint("oxigraph", url, load_s, bench.quads)


def start_rdflib(bench: Bench) -> Endpoint:
    """``rdflib-endpoint serve`` on the rdflib slice; its load time is the time until it answers."""
    data = bench.rdflib_data or bench.data
    quads = bench.rdflib_quads or bench.quads
    command = shutil.which("rdflib-endpoint") or str(Path(sys.executable).with_name("rdflib-endpoint"))
    port = free_port()
    log = bench.workdir / "rdflib.log"
    began = time.perf_counter()
    process = spawn(bench.stack, [command, "serve", str(data), "--host", "127.0.0.1", "--port", str(port)], log)
    url = f"http://127.0.0.1:{port}/"
    wait_ready(url, process, log, 3600)
    note = "" if quads == bench.quads else f"smaller slice: {quads:,} quads"
    return Endpoint("rdflib", url, time.perf_counter() - began, quads, note)


VIRTUOSO_INI = """\
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
DirsAllowed       = ., {folder}
NumberOfBuffers   = 170000
MaxDirtyBuffers   = 130000
ServerThreads     = 20

[HTTPServer]
ServerPort    = 127.0.0.1:{http_port}
ServerRoot    = .
ServerThreads = 20
MaxKeepAlives = 20

[SPARQL]
ResultSetMaxRows = 1000000
"""


def start_virtuoso(bench: Bench) -> Endpoint:
    """A fresh Virtuoso database loaded with ``ld_dir`` + ``rdf_loader_run()`` through ``isql``."""
    folder = bench.workdir / "virtuoso"
    folder.mkdir()
    os.link(bench.data, folder / "data.nq")
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(
        VIRTUOSO_INI.format(sql_port=sql_port, http_port=http_port, folder=folder), encoding="utf-8"
    )
    log = folder / "console.log"
    process = spawn(bench.stack, ["virtuoso-t", "+foreground", "+configfile", "virtuoso.ini"], log, cwd=folder)
    url = f"http://127.0.0.1:{http_port}/sparql"
    wait_ready(url, process, log, 300)
    isql = shutil.which("isql-vt") or "isql"
    began = time.perf_counter()
    script = (
        f"ld_dir('{folder}', 'data.nq', 'urn:osint-kg:benchmark'); rdf_loader_run(); checkpoint; "
        "select ll_file, ll_error from DB.DBA.load_list where ll_error is not null;"
    )
    done = subprocess.run(
        [isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={script}"],
        capture_output=True,
        text=True,
        timeout=7200,
        check=True,
    )
    load_s = time.perf_counter() - began
    if "data.nq" in done.stdout.split("ll_error", 1)[-1]:
        raise RuntimeError(f"Virtuoso could not load the data:\n{done.stdout[-2000:]}")
    return Endpoint("virtuoso", url, load_s, bench.quads)


STARTERS: dict[str, Callable[[Bench], Endpoint]] = {
    "kg": start_kg,
    "oxigraph": start_oxigraph,
    "rdflib": start_rdflib,
    "virtuoso": start_virtuoso,
}


# -- the floor: pyoxigraph in a child process -----------------------------------------------------


def _floor_main(conn: Connection, snapshot: str) -> None:
    """Serve measurement requests from the parent on one read-only store, until told to stop."""
    store = ox.Store.read_only(snapshot)
    while True:
        message = conn.recv()
        if message is None:
            break
        kind, query_class, concurrency, duration_s = message
        try:
            if kind == "probe":
                began = time.perf_counter()
                body = _floor_answer(store, query_class, 0)
                conn.send(("ok", (_count(body, query_class.construct), time.perf_counter() - began)))
            else:
                conn.send(("ok", _floor_load(store, query_class, concurrency, duration_s)))
        except (SyntaxError, RuntimeError, OSError) as exc:
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


def _floor_answer(store: ox.Store, query_class: QueryClass, n: int) -> bytes:
    """Evaluate request ``n`` of the class and serialize it as the servers do (JSON results, N-Triples)."""
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] | None = None
    if query_class.bindings:
        iri = query_class.bindings[n % len(query_class.bindings)]
        substitutions = {ox.Variable("s"): ox.NamedNode(iri)}
    result = store.query(query_class.text, substitutions=substitutions, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryTriples):
        return ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b""
    return result.serialize(format=ox.QueryResultsFormat.JSON) or b""


def _floor_load(
    store: ox.Store, query_class: QueryClass, concurrency: int, duration_s: float
) -> tuple[list[float], float]:
    """``concurrency`` threads each answering requests for ``duration_s`` s; the latencies and the time taken."""
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + duration_s

    def loop(start: int) -> None:
        n = start
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            _floor_answer(store, query_class, n)
            with lock:
                latencies.append(time.perf_counter() - began)
            n += concurrency

    began = time.perf_counter()
    threads = [threading.Thread(target=loop, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - began


class Floor:
    """The in-process floor, in a child process so a runaway query can be killed."""

    def __init__(self, snapshot: Path, timeout_s: float) -> None:
        self.snapshot = snapshot
        self.timeout_s = timeout_s
        self._start()

    def _start(self) -> None:
        self.conn, child = multiprocessing.get_context("spawn").Pipe()
        self.process = multiprocessing.get_context("spawn").Process(
            target=_floor_main, args=(child, str(self.snapshot)), daemon=True
        )
        self.process.start()
        child.close()

    def _ask(self, message: tuple[object, ...], wait_s: float) -> tuple[str, Any]:
        """Send ``message``; ``("ok", answer)``, ``("error", message)`` or ``("timeout", None)`` (child killed)."""
        self.conn.send(message)
        if self.conn.poll(wait_s):
            return self.conn.recv()  # type: ignore[no-any-return]
        self.process.kill()
        self.process.join()
        self._start()
        return "timeout", None

    def probe(self, query_class: QueryClass) -> Probe:
        status, answer = self._ask(("probe", query_class, 1, 0.0), self.timeout_s)
        if status != "ok":
            say(f"floor: {query_class.name}: {status} {answer or ''}")
            return Probe(status, None, self.timeout_s * 1000)
        rows, seconds = answer
        return Probe("ok", rows, seconds * 1000)

    def load(self, query_class: QueryClass, concurrency: int, duration_s: float) -> Stats:
        status, answer = self._ask(("load", query_class, concurrency, duration_s), duration_s + self.timeout_s)
        if status != "ok":
            return Stats(0, concurrency, duration_s, math.nan, math.nan, {status: concurrency})
        latencies, elapsed = answer
        return Stats(len(latencies), 0, elapsed, percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000)

    def close(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()


# -- probing and loading --------------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    """One request of a class: how it ended, the rows (or triples) it returned, and its latency."""

    status: str
    rows: int | None
    ms: float


def _count(body: bytes, construct: bool) -> int:
    if construct:
        return sum(1 for line in body.splitlines() if line.strip() and not line.startswith(b"#"))
    return len(json.loads(body)["results"]["bindings"])


def probe_http(endpoint: Endpoint, query_class: QueryClass, timeout_s: float) -> Probe:
    """Send the class's first query once; count what comes back."""
    text = query_class.http_texts()[0]
    began = time.perf_counter()
    try:
        response = httpx.get(
            endpoint.url, params={"query": text}, headers={"Accept": query_class.accept}, timeout=timeout_s
        )
    except httpx.TimeoutException:
        return Probe("timeout", None, timeout_s * 1000)
    ms = (time.perf_counter() - began) * 1000
    if not response.is_success:
        return Probe(f"HTTP {response.status_code}", None, ms)
    try:
        return Probe("ok", _count(response.content, query_class.construct), ms)
    except (ValueError, KeyError):
        return Probe(f"unreadable {response.headers.get('content-type')}", None, ms)


def http_requests(endpoint: Endpoint, query_class: QueryClass) -> list[Request]:
    path = urlsplit(endpoint.url).path or "/"
    return [
        Request(f"{path}?{urlencode({'query': text})}", query_class.accept, query_class.name)
        for text in query_class.http_texts()
    ]


def settle(endpoint: Endpoint, timeout_s: float) -> None:
    """Wait until the endpoint answers ``ASK {}`` again (rdflib-endpoint keeps evaluating abandoned requests)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(endpoint.url, params={"query": "ASK {}"}, timeout=timeout_s).is_success:
                return
        except httpx.TransportError:
            time.sleep(0.5)


# -- the report -----------------------------------------------------------------------------------


@dataclass
class Results:
    """Everything measured, keyed by system, class and concurrency."""

    endpoints: dict[str, Endpoint] = field(default_factory=dict)
    probes: dict[str, dict[str, Probe]] = field(default_factory=dict)
    stats: dict[int, dict[str, dict[str, Stats]]] = field(default_factory=dict)
    ceilings: dict[str, dict[int, Stats]] = field(default_factory=dict)
    generator: str = "wrk"
    duration_s: float = 0.0
    quads: int = 0
    articles: int = 0
    started: str = ""
    load_average: tuple[float, float, float] = (0.0, 0.0, 0.0)


def _cell(stats: Stats | None, probe: Probe | None) -> str:
    if stats is None:
        if probe is not None and probe.status != "ok":
            return f"{probe.status}" + (f" ({probe.ms / 1000:.0f} s)" if probe.status == "timeout" else "")
        return "–"
    if not stats.requests:
        return "no answer in time"
    if stats.requests == 1:
        return f"{_ms(stats.p50_ms)} (one request, longer than the run)"
    text = f"{_ms(stats.p50_ms)} / {_ms(stats.p99_ms)} · {stats.throughput:,.1f}/s"
    return text + (f" · **{stats.failures} failed**" if stats.failures else "")


def _ms(value: float) -> str:
    if math.isnan(value):
        return "–"
    return f"{value:.2f}" if value < 10 else f"{value:,.0f}"


def _ratio(ours: Stats | None, theirs: Stats | None) -> float | None:
    if ours is None or theirs is None or not ours.requests or not theirs.requests:
        return None
    return ours.throughput / theirs.throughput


def _fmt_ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def report(results: Results, classes: Sequence[QueryClass]) -> str:
    """The Markdown tables of a run."""
    systems = list(results.endpoints)
    out = [
        (
            f"Run of {results.started}: {results.quads:,} quads ({results.articles:,} article graphs), "
            f"{results.duration_s:g} s per cell, generator `{results.generator}`, load average before the run "
            f"{' / '.join(f'{x:.2f}' for x in results.load_average)}."
        ),
        "",
    ]
    out += ["| system | quads | load | notes |", "|---|---:|---:|---|"]
    out += [f"| {e.name} | {e.quads:,} | {e.load_s:.1f} s | {e.note} |" for e in results.endpoints.values()]
    out += [
        "",
        "Generator ceiling (closed loop against a trivial endpoint that answers `ok`):",
        "",
        "| generator | concurrency | req/s | p50 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, by_c in results.ceilings.items():
        out += [f"| {name} | {c} | {s.throughput:,.0f} | {_ms(s.p50_ms)} | {_ms(s.p99_ms)} |" for c, s in by_c.items()]
    out += [
        "",
        "Rows (or triples) of one answer, per system (point lookup: the first IRI):",
        "",
        "| query | " + " | ".join(systems) + " |",
        "|---|" + "---:|" * len(systems),
    ]
    for qc in classes:
        cells = []
        for system in systems:
            probe = results.probes.get(system, {}).get(qc.name)
            cells.append("–" if probe is None else str(probe.rows) if probe.status == "ok" else probe.status)
        out.append(f"| {qc.name} | " + " | ".join(cells) + " |")
    for concurrency, by_system in results.stats.items():
        out += [
            "",
            f"Concurrency {concurrency}: p50 / p99 latency in ms · throughput in requests/s",
            "",
            "| query | " + " | ".join(systems) + " |",
            "|---|" + "---|" * len(systems),
        ]
        for qc in classes:
            cells = [_cell(by_system.get(s, {}).get(qc.name), results.probes.get(s, {}).get(qc.name)) for s in systems]
            out.append(f"| {qc.name} | " + " | ".join(cells) + " |")
    out += ["", *_ratios(results, classes, systems)]
    return "\n".join(out) + "\n"


def _ratios(results: Results, classes: Sequence[QueryClass], systems: Sequence[str]) -> list[str]:
    """kg's overhead over the floor (p50, concurrency 1) and its throughput as a multiple of each peer's."""
    if "kg" not in systems:
        return []
    peers = [p for p in PEERS if p in systems]
    concurrencies = list(results.stats)
    head = ["query", *(["kg p50 − floor p50 (c=1)"] if "floor" in systems else [])]
    head += [f"kg ÷ {p} (c={c})" for p in peers for c in concurrencies]
    lines = [
        "kg's overhead over the floor, and its throughput as a multiple of each peer's:",
        "",
        "| " + " | ".join(head) + " |",
        "|---|" + "---:|" * (len(head) - 1),
    ]
    for qc in classes:
        row = [qc.name]
        if "floor" in systems:
            ours = results.stats.get(min(concurrencies), {}).get("kg", {}).get(qc.name)
            floor = results.stats.get(min(concurrencies), {}).get("floor", {}).get(qc.name)
            row.append(
                "–"
                if ours is None or floor is None or not ours.requests or not floor.requests
                else f"{ours.p50_ms - floor.p50_ms:+.2f} ms"
            )
        for peer in peers:
            for c in concurrencies:
                by_system = results.stats.get(c, {})
                row.append(
                    _fmt_ratio(_ratio(by_system.get("kg", {}).get(qc.name), by_system.get(peer, {}).get(qc.name)))
                )
        lines.append("| " + " | ".join(row) + " |")
    return lines


# -- the run --------------------------------------------------------------------------------------


def measure_ceilings(
    generator: str,
    concurrencies: Sequence[int],
    duration_s: float,
    workdir: Path,
) -> dict[str, dict[int, Stats]]:
    """Each available generator's rate against the trivial endpoint."""
    found: dict[str, dict[int, Stats]] = {}
    names = ["wrk", "httpx"] if shutil.which("wrk") else ["httpx"]
    for name in names:
        found[name] = {}
        for c in concurrencies:
            found[name][c] = ceiling(_generator(name, duration_s, 10.0, workdir / "ceiling"), c)
    return found


def _generator(
    name: str, duration_s: float, timeout_s: float, workdir: Path
) -> Callable[[str, Sequence[Request], int], Stats]:
    if name == "wrk":
        return lambda root, requests, c: run_wrk(root, requests, c, duration_s, timeout_s, workdir)
    return lambda root, requests, c: run_httpx(root, requests, c, duration_s, timeout_s)[0]


def run(args: argparse.Namespace) -> tuple[Results, list[QueryClass]]:
    """Build the data, start the systems, probe and load every class; everything stopped on the way out."""
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        raise SystemExit(f"unknown systems {sorted(unknown)}; choose from {', '.join(SYSTEMS)}")
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    results = Results(
        generator=args.generator,
        duration_s=args.duration,
        started=time.strftime("%Y-%m-%d %H:%M"),
        load_average=os.getloadavg(),
    )
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kg-endpoint-bench-")))
        say(f"generating about {args.triples:,} quads in {workdir}")
        dataset = write_nquads(workdir / "data.nq", args.triples, lookups=args.lookups)
        results.quads, results.articles = dataset.quads, dataset.articles
        bench = Bench(stack, workdir, dataset.path, dataset.quads, args.timeout, args.kg_workers)
        if "rdflib" in systems and args.rdflib_triples < args.triples:
            small = write_nquads(workdir / "rdflib.nq", args.rdflib_triples, lookups=0)
            bench.rdflib_data, bench.rdflib_quads = small.path, small.quads
        classes = query_mix(dataset.lookup_targets, PROJECT_ROOT / "queries")
        if args.only:
            classes = [qc for qc in classes if qc.name in args.only.split(",")]
        say("measuring the load generators' ceiling")
        results.ceilings = measure_ceilings(args.generator, concurrencies, min(args.duration, 5), workdir)
        floor = None
        for name in [s for s in systems if s != "floor"] + (
            ["kg"] if "floor" in systems and "kg" not in systems else []
        ):
            say(f"loading and starting {name}")
            results.endpoints[name] = STARTERS[name](bench)
        if "floor" in systems:
            snapshot = latest_snapshot(workdir / "kg-store")
            assert snapshot is not None, "kg serve published no snapshot"
            floor = Floor(snapshot, args.timeout)
            stack.callback(floor.close)
            kg = results.endpoints.get("kg")
            results.endpoints = {
                "floor": Endpoint("floor", "", kg.load_s if kg else 0.0, bench.quads, "in-process pyoxigraph, no HTTP"),
                **results.endpoints,
            }
            if "kg" not in systems:
                del results.endpoints["kg"]
        _probe_all(results, classes, floor, args.timeout)
        generate = _generator(args.generator, args.duration, args.timeout, workdir / "load")
        for concurrency in concurrencies:
            by_system = results.stats.setdefault(concurrency, {})
            for qc in classes:
                for name, endpoint in results.endpoints.items():
                    probe = results.probes[name][qc.name]
                    if probe.status != "ok":
                        continue
                    say(f"c={concurrency} {qc.name}: {name}")
                    if probe.ms > args.duration * 1000:
                        stats = Stats(1, 0, probe.ms / 1000, probe.ms, probe.ms)  # one answer outlasts the run
                    elif floor is not None and name == "floor":
                        stats = floor.load(qc, concurrency, args.duration)
                    else:
                        root = f"http://{urlsplit(endpoint.url).netloc}"
                        try:
                            stats = generate(root, http_requests(endpoint, qc), concurrency)
                        except RuntimeError as exc:  # the system stopped answering: note it, go on with the others
                            say(f"  {name} failed: {exc}")
                            results.probes[name] = {
                                q: Probe("stopped answering", None, 0.0) for q in results.probes[name]
                            }
                            continue
                        settle(endpoint, args.timeout * 2)
                    by_system.setdefault(name, {})[qc.name] = stats
    return results, classes


def _probe_all(results: Results, classes: Sequence[QueryClass], floor: Floor | None, timeout_s: float) -> None:
    for name, endpoint in results.endpoints.items():
        for qc in classes:
            say(f"probe {qc.name}: {name}")
            probe = floor.probe(qc) if name == "floor" and floor else probe_http(endpoint, qc, timeout_s)
            results.probes.setdefault(name, {})[qc.name] = probe
            if name != "floor":
                settle(endpoint, timeout_s * 2)


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _to_json(results: Results) -> dict[str, object]:
    return {
        "endpoints": {k: asdict(v) for k, v in results.endpoints.items()},
        "probes": {s: {q: asdict(p) for q, p in by_q.items()} for s, by_q in results.probes.items()},
        "stats": {
            c: {
                s: {q: {**asdict(st), "throughput": st.throughput} for q, st in by_q.items()}
                for s, by_q in by_s.items()
            }
            for c, by_s in results.stats.items()
        },
        "ceilings": {
            g: {c: {**asdict(st), "throughput": st.throughput} for c, st in by_c.items()}
            for g, by_c in results.ceilings.items()
        },
        "quads": results.quads,
        "articles": results.articles,
        "duration_s": results.duration_s,
        "generator": results.generator,
        "started": results.started,
        "load_average": results.load_average,
    }


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, default=1_000_000, help="quads to generate (default 1,000,000)")
    parser.add_argument(
        "--rdflib-triples",
        type=int,
        default=100_000,
        help="quads of the slice rdflib-endpoint serves (default 100,000)",
    )
    parser.add_argument(
        "--duration", type=float, default=10.0, help="seconds of load per system, class and concurrency (default 10)"
    )
    parser.add_argument("--systems", default=",".join(SYSTEMS), help=f"comma-separated, from {','.join(SYSTEMS)}")
    parser.add_argument("--concurrency", default="1,16", help="comma-separated client counts (default 1,16)")
    parser.add_argument("--generator", choices=("wrk", "httpx"), default="wrk" if shutil.which("wrk") else "httpx")
    parser.add_argument("--timeout", type=float, default=60.0, help="per-request time limit in seconds")
    parser.add_argument("--kg-workers", type=int, default=4, help="KG_QUERY_WORKERS of kg serve (default 4)")
    parser.add_argument("--lookups", type=int, default=500, help="distinct IRIs the point lookups cycle through")
    parser.add_argument("--only", default="", help="comma-separated query classes to run (default: all)")
    parser.add_argument("--out", type=Path, help="also write the Markdown report here")
    parser.add_argument("--json", type=Path, help="write the raw measurements here")
    return parser.parse_args(argv)


@contextmanager
def terminate_cleanly() -> Iterator[None]:
    """Turn SIGTERM into SystemExit, so the exit stack stops every process and removes the folder."""
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    with terminate_cleanly():
        results, classes = run(args)
    text = report(results, classes)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(_to_json(results), indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
