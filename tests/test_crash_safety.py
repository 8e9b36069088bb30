"""Crash safety: ``kg ingest`` killed with SIGKILL at random moments never leaves a broken store.

A prepared store holds three articles of the example corpus in an earlier version. Each trial copies it and
starts ``kg ingest`` (a real process, ``--workers 1``) on the current version of those three plus three new
articles, so both write paths run: a new graph loaded in one transaction, and a changed one staged and
swapped in. The ingest is killed with SIGKILL at a moment drawn by a seeded RNG *relative to the store's own
write activity*: the k-th burst of writes into the store directory (k drawn over all the bursts of an
uninterrupted run), then a delay up to the pause that follows that burst in that run; a third of the trials
use no delay, to land between the steps of a replacement. Afterwards:

* the store opens (:class:`KgStore`, which drops leftover staging graphs) and ``kg validate`` exits 0;
* every article graph is wholly the old version, wholly the new one, or (new articles only) absent —
  compared quad for quad with the prepared store and with an uninterrupted reference run — and no staging
  graph is left; the newest published snapshot, if any, obeys the same rule;
* ``kg ingest`` run again exits 0 and leaves exactly the reference store's quads and graph names (but for
  the time each graph was generated, ``prov:generatedAtTime``, which differs from run to run).

An attempt whose ingest ends before its kill moment is checked too, and another is drawn, until
:data:`TRIALS` processes have really been killed. :data:`PARALLEL` attempts run at a time (each is a
sequence of processes; the kill moment depends only on its own store's writes). Run with ``-s`` to see
the table of attempts.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.config import PROJECT_ROOT
from kg.store import KgStore, latest_snapshot
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow

TRIALS = 20
MAX_ATTEMPTS = 40
PARALLEL = min(4, max(2, os.cpu_count() or 2))
"""Attempts run at a time: each is mostly waiting on its own processes."""
SEED = 20_261_121
CHANGED = ("03_indelimane-attack.txt", "06_kati-camp-attack.txt", "11_barsalogho-flash.txt")
NEW = ("04_inates-attack.txt", "10_tinzaouaten-battle.txt", "12_barsalogho-attack.txt")
BURST_GAP_S = 0.1
"""Writes closer together than this belong to one burst."""
POLL_S = 0.002
LAST_PAUSE_S = 0.5
"""The pause assumed after the last burst of the reference run (the process is exiting)."""

Quads = dict[str, frozenset[ox.Quad]]
REFERENCE_GRAPHS = ("graph/kb", "graph/ontology")
"""How the names of the two reference graphs end (beside the article graphs)."""
GENERATED_AT = ox.NamedNode("http://www.w3.org/ns/prov#generatedAtTime")
"""The one statement of an article graph that differs between two runs: when it was made."""


# -- running and watching `kg ingest` ---------------------------------------------


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "NO_COLOR": "1"}
    env.pop("KG_STORE", None)
    return env


def _ingest_command(corpus: Path, store: Path) -> list[str]:
    return [sys.executable, "-m", "kg.cli", "ingest", str(corpus), "--store", str(store), "--workers", "1"]


def _start_ingest(corpus: Path, store: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:
        return subprocess.Popen(_ingest_command(corpus, store), cwd=store.parent, env=_env(), stdout=sink,
                                stderr=subprocess.STDOUT)


def _kg(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=600, check=False)


def _signature(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every file in ``directory``."""
    entries = []
    try:
        listing = list(os.scandir(directory))
    except FileNotFoundError:
        return ()
    for entry in listing:
        try:
            stat = entry.stat()
        except FileNotFoundError:
            continue
        entries.append((entry.name, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(entries))


class WriteWatch:
    """Bursts of writes into a store directory, seen by polling its files."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.last = _signature(directory)
        self.bursts: list[float] = []
        self._changed_at: float | None = None

    def poll(self) -> None:
        signature = _signature(self.directory)
        if signature == self.last:
            return
        now = time.monotonic()
        self.last = signature
        if self._changed_at is None or now - self._changed_at > BURST_GAP_S:
            self.bursts.append(now)
        self._changed_at = now


@dataclass(frozen=True)
class KillPlan:
    """Kill ``delay`` seconds after the start of write burst number ``burst`` (0-based)."""

    burst: int
    delay: float


def _run(corpus: Path, store: Path, log: Path, plan: KillPlan | None) -> tuple[int, list[float], float]:
    """Run ``kg ingest``, killing it as ``plan`` says; (exit code, burst start times, end time) relative to start."""
    process = _start_ingest(corpus, store, log)
    started = time.monotonic()
    watch = WriteWatch(store)
    try:
        while process.poll() is None:
            watch.poll()
            if plan is not None and len(watch.bursts) > plan.burst \
                    and time.monotonic() >= watch.bursts[plan.burst] + plan.delay:
                process.send_signal(signal.SIGKILL)
                break
            time.sleep(POLL_S)
        code = process.wait(600)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return code, [t - started for t in watch.bursts], time.monotonic() - started


# -- reading stores -----------------------------------------------------------------


def _quads(store: ox.Store) -> Quads:
    """The store's quads by graph name, every generation time replaced by the same placeholder."""
    by_graph: dict[str, set[ox.Quad]] = {}
    for quad in store:
        assert isinstance(quad.graph_name, ox.NamedNode), f"a triple outside the named graphs: {quad}"
        if quad.predicate == GENERATED_AT:
            quad = ox.Quad(quad.subject, quad.predicate, ox.Literal("run time"), quad.graph_name)
        by_graph.setdefault(quad.graph_name.value, set()).add(quad)
    return {name: frozenset(quads) for name, quads in by_graph.items()}


def _read_only(path: Path) -> tuple[Quads, list[str]]:
    """The quads by graph and the named graphs of a store, read without opening it for writing."""
    store = ox.Store.read_only(str(path))
    try:
        return _quads(store), sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    finally:
        del store


def _opened(path: Path) -> tuple[Quads, list[str]]:
    """The same, after opening the store read-write with :class:`KgStore` (which repairs what a crash left)."""
    with KgStore(path, snapshot_interval_s=None):
        pass
    return _read_only(path)


def _staging(state: Quads, names: list[str]) -> list[str]:
    marker = ox.NamedNode("https://w3id.org/osint-kg/ontology#stagingFor")
    marked = {g for g, quads in state.items() if any(q.predicate == marker for q in quads)}
    return sorted(marked | {g for g in names if g.endswith("/staging")})


@dataclass
class Lab:
    """The corpora, the prepared store and the reference outcome shared by every trial."""

    corpus: Path
    prepared: Path
    before: Quads
    after: Quads
    after_names: list[str]
    bursts: list[float]
    end: float

    def pause_after(self, burst: int) -> float:
        following = self.bursts[burst + 1] if burst + 1 < len(self.bursts) else self.end + LAST_PAUSE_S
        return following - self.bursts[burst]

    def classify(self, state: Quads, where: str) -> Counter[str]:
        """How many graphs are old, new or absent; fails on a graph that is none of these."""
        outcome: Counter[str] = Counter()
        for graph in sorted(set(state) | set(self.after)):
            now = state.get(graph)
            if now is not None and now == self.after.get(graph):
                outcome["new"] += 1
            elif now is not None and now == self.before.get(graph):
                outcome["old"] += 1
            elif now is None and graph not in self.before:
                outcome["absent"] += 1
            else:
                size = "no" if now is None else len(now)
                pytest.fail(f"{where}: graph <{graph}> is partial or foreign ({size} quads; old version "
                            f"{len(self.before.get(graph, ()))}, new {len(self.after.get(graph, ()))})")
        return outcome


def _variant(text: str) -> str:
    """An earlier version of an article: the same text without its last sentence."""
    body = text.rstrip()
    cut = body.rstrip(".").rfind(". ")
    assert cut > 0, "the article needs two sentences"
    return body[: cut + 1] + "\n"


def _ingest_ok(corpus: Path, store: Path, log: Path) -> None:
    code, _, _ = _run(corpus, store, log, None)
    assert code == 0, log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Lab:
    root = tmp_path_factory.mktemp("crash")
    corpus, earlier = root / "corpus", root / "earlier"
    corpus.mkdir()
    earlier.mkdir()
    for name in (*CHANGED, *NEW):
        shutil.copy(EXAMPLES / name, corpus / name)
    for name in CHANGED:
        (earlier / name).write_text(_variant((EXAMPLES / name).read_text(encoding="utf-8")), encoding="utf-8")
    for folder in (corpus, earlier):
        shutil.copy(EXAMPLES / "meta.jsonl", folder / "meta.jsonl")

    prepared = root / "prepared" / "store"
    prepared.parent.mkdir()
    _ingest_ok(earlier, prepared, root / "prepared.log")
    shutil.rmtree(prepared.with_name("store.snapshots"))
    before, _ = _read_only(prepared)

    reference = root / "reference" / "store"
    shutil.copytree(prepared, reference)
    code, bursts, end = _run(corpus, reference, root / "reference.log", None)
    assert code == 0, (root / "reference.log").read_text(encoding="utf-8", errors="replace")
    after, after_names = _read_only(reference)
    assert len(bursts) >= len(CHANGED) + len(NEW), f"too few write bursts seen to spread the kills: {bursts}"
    return Lab(corpus, prepared, before, after, after_names, bursts, end)


def test_the_reference_run_replaces_the_changed_articles_and_adds_the_new_ones(lab: Lab) -> None:
    """The trials mean something only if the ingest has both kinds of work to do."""
    articles = {g for g in lab.after if not g.endswith(REFERENCE_GRAPHS)}
    assert len(articles) == len(CHANGED) + len(NEW)
    replaced = {g for g in articles if g in lab.before}
    assert len(replaced) == len(CHANGED)
    assert all(lab.before[g] != lab.after[g] for g in replaced)
    assert lab.classify(lab.before, "prepared store") == Counter(new=len(REFERENCE_GRAPHS), old=len(CHANGED),
                                                                  absent=len(NEW))


@dataclass(frozen=True)
class Trial:
    """One run of ``kg ingest`` under a kill plan, and what it left."""

    plan: KillPlan
    killed: bool
    leftovers: int
    articles: Counter[str]
    seconds: float

    def row(self, number: int) -> str:
        a = self.articles
        return (f"{number:>3} {self.plan.burst:>5} {self.plan.delay:>6.3f} {self.killed!s:>6} {self.leftovers:>7}  "
                f"{a['old']:>3}/{a['new']}/{a['absent']:<19} {self.seconds:7.1f}")


TABLE_HEAD = f"{'#':>3} {'burst':>5} {'delay':>6} {'killed':>6} {'staging':>7}  old/new/absent articles  seconds"


def _trial(lab: Lab, plan: KillPlan, folder: Path) -> Trial:
    """Copy the prepared store, run ``kg ingest`` killed as planned, check the store, re-run, compare."""
    started = time.monotonic()
    store = folder / "store"
    shutil.copytree(lab.prepared, store)
    code, _, _ = _run(lab.corpus, store, folder / "ingest.log", plan)
    assert code in (0, -signal.SIGKILL), (folder / "ingest.log").read_text(encoding="utf-8", errors="replace")
    where = f"{folder.name} ({plan})"

    raw, raw_names = _read_only(store)
    leftovers = _staging(raw, raw_names)
    lab.classify({g: q for g, q in raw.items() if g not in leftovers}, where + ", as the kill left it")

    state, names = _opened(store)
    assert _staging(state, names) == [], f"{where}: a staging graph survived opening the store"
    assert set(names) <= set(lab.after_names), f"{where}: stray graphs {set(names) - set(lab.after_names)}"
    counts = lab.classify(state, where)
    validated = _kg([sys.executable, "-m", "kg.cli", "validate", "--store", str(store)], folder)
    assert validated.returncode == 0, f"{where}: kg validate failed:\n{validated.stdout}{validated.stderr}"
    snapshot = latest_snapshot(store)
    if snapshot is not None:
        published, published_names = _read_only(snapshot)
        assert _staging(published, published_names) == [], f"{where}: a staging graph in {snapshot}"
        lab.classify(published, f"{where}, snapshot {snapshot.name}")

    rerun = _kg(_ingest_command(lab.corpus, store), folder)
    assert rerun.returncode == 0, f"{where}: the re-run failed:\n{rerun.stdout}{rerun.stderr}"
    final, final_names = _read_only(store)
    assert final == lab.after, f"{where}: the re-run did not reach the reference store"
    assert final_names == lab.after_names, f"{where}: the re-run left other named graphs"
    articles = counts - Counter(new=len(REFERENCE_GRAPHS))
    return Trial(plan, code != 0, len(leftovers), articles, time.monotonic() - started)


def _plans(lab: Lab) -> Iterator[KillPlan]:
    """Kill moments drawn by the seeded RNG: a write burst, then no delay (a third of them) or up to its pause."""
    rng = random.Random(SEED)
    while True:
        burst = rng.randrange(len(lab.bursts))
        yield KillPlan(burst, 0.0 if rng.random() < 1 / 3 else rng.uniform(0, lab.pause_after(burst)))


def _attempt(lab: Lab, plan: KillPlan, folder: Path) -> Trial:
    trial = _trial(lab, plan, folder)
    shutil.rmtree(folder)
    return trial


def test_sigkill_at_random_moments_leaves_a_whole_store(lab: Lab, tmp_path: Path) -> None:
    plans = _plans(lab)
    trials: list[Trial] = []
    running: set[Future[Trial]] = set()
    with ThreadPoolExecutor(PARALLEL) as pool:
        while True:
            kills = sum(t.killed for t in trials)
            while len(running) < PARALLEL and kills + len(running) < TRIALS:
                assert len(trials) + len(running) < MAX_ATTEMPTS, f"only {kills} of {len(trials)} runs were killed"
                folder = tmp_path / f"attempt-{len(trials) + len(running) + 1}"
                running.add(pool.submit(_attempt, lab, next(plans), folder))
            if not running:
                break
            done, running = wait(running, return_when=FIRST_COMPLETED)
            trials += [future.result() for future in done]
    kills = sum(t.killed for t in trials)
    staged = sum(t.leftovers > 0 for t in trials)
    print(f"\ncrash safety: {kills} SIGKILLs in {len(trials)} runs of kg ingest, all recovered "
          f"({staged} left a staging graph, dropped when the store was opened)")
    print("\n".join([TABLE_HEAD, *(t.row(n) for n, t in enumerate(trials, start=1))]))
    assert kills >= TRIALS


def test_an_emptied_staging_graph_left_by_a_kill_is_dropped_on_open(tmp_path: Path) -> None:
    """Regression: a kill between the swap (which empties the staging graph) and the removal of the staging
    graph left an empty named graph ``{graph}/staging`` that no repair found (it has no marker any more)."""
    live, staging = ox.NamedNode("https://example.org/graph/1"), ox.NamedNode("https://example.org/graph/1/staging")
    other = ox.NamedNode("https://example.org/notes/staging")  # not a staging graph: no live graph of that name
    raw = ox.Store(str(tmp_path / "store"))
    raw.add(ox.Quad(live, live, live, live))
    raw.add_graph(staging)
    raw.add_graph(other)
    raw.flush()
    del raw
    with KgStore(tmp_path / "store", snapshot_interval_s=None) as store:
        assert store.named_graphs() == [live.value, other.value]
        assert len(store) == 1
