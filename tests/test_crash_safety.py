"""Crash safety: ``kg ingest`` killed with SIGKILL at random moments never leaves a broken store.

A prepared store holds three articles of the example corpus in an earlier version. Each trial copies it and
starts ``kg ingest`` (a real process, ``--workers 1``) on the current version of those three plus three new
articles, so both write paths run: a new graph loaded in one transaction, and a changed one staged and
swapped in. The ingest is killed with SIGKILL at a moment drawn by a seeded RNG *relative to its progress*,
not to the clock: it writes to a pseudo-terminal, so its progress bar shows how many articles are stored,
and the store directory is watched for bursts of writes. A plan reads "once k articles are stored, then at
the next write, or after a random part of one article's time" (or, for k = 0, "at the n-th write that opens
the store and replaces the reference graphs"), so kills spread over the whole write phase on a fast or a
loaded machine alike. Afterwards:

* the store opens (:class:`KgStore`, which drops leftover staging graphs) and ``kg validate`` exits 0;
* every article graph is wholly the old version, wholly the new one, or (new articles only) absent —
  compared quad for quad with the prepared store and with an uninterrupted reference run — and no staging
  graph is left; the newest published snapshot, if any, obeys the same rule;
* ``kg ingest`` run again exits 0 and leaves exactly the reference store's quads and graph names (but for
  the time each graph was generated, ``prov:generatedAtTime``, which differs from run to run).

An attempt whose ingest ends before its kill moment is checked too, and another is drawn, until
:data:`TRIALS` processes have really been killed. :data:`PARALLEL` attempts run at a time (each is a
sequence of processes; the kill moment depends only on its own progress). Run with ``-s`` to see the
table of attempts.
"""

from __future__ import annotations

import os
import pty
import random
import re
import select
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

from kg.store.graphs import KgStore
from kg.store.snapshots import latest_snapshot
from tests.conftest import EXAMPLES, PROJECT_ROOT

pytestmark = pytest.mark.slow

TRIALS = 20
MAX_ATTEMPTS = 40
PARALLEL = min(4, max(2, os.cpu_count() or 2))
"""Attempts run at a time: each is mostly waiting on its own processes."""
SEED = 20_261_121
CHANGED = ("03_indelimane-attack.txt", "06_kati-camp-attack.txt", "11_barsalogho-flash.txt")
NEW = ("04_inates-attack.txt", "10_tinzaouaten-battle.txt", "12_barsalogho-attack.txt")
BURST_GAP_S = 0.02
"""Writes closer together than this belong to one burst."""
POLL_S = 0.002
PROGRESS = re.compile(rb"(\d+)/\d+ \d+:\d\d:\d\d")
"""The progress bar's "stored/total elapsed" columns."""

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


class Watch:
    """A running ``kg ingest`` seen from outside: its progress bar (it writes to a pseudo-terminal, so Rich
    draws it) and the bursts of writes into its store directory."""

    def __init__(self, directory: Path, terminal: int) -> None:
        self.directory = directory
        self.terminal = terminal
        self.output = bytearray()
        self.last = _signature(directory)
        self.bursts: list[float] = []
        self.stored_at: list[float] = []
        """When the progress bar first showed 1, 2, ... articles stored."""
        self._changed_at: float | None = None

    @property
    def stored(self) -> int:
        return len(self.stored_at)

    def poll(self) -> None:
        now = time.monotonic()
        signature = _signature(self.directory)
        if signature != self.last:
            self.last = signature
            if self._changed_at is None or now - self._changed_at > BURST_GAP_S:
                self.bursts.append(now)
            self._changed_at = now
        while select.select([self.terminal], [], [], 0)[0]:
            try:
                chunk = os.read(self.terminal, 65536)
            except OSError:  # the process has gone and closed the terminal
                break
            if not chunk:
                break
            self.output += chunk
            for done in PROGRESS.findall(chunk):
                self.stored_at += [now] * (int(done) - self.stored)

    def writes_since(self, moment: float) -> list[float]:
        return [t for t in self.bursts if t >= moment]


@dataclass(frozen=True)
class KillPlan:
    """Kill once the progress bar shows ``stored`` articles stored, the store has then seen ``writes`` more
    bursts of writes, and ``delay`` more seconds have passed."""

    stored: int
    writes: int
    delay: float

    def moment(self, watch: Watch, started: float) -> float | None:
        """When to kill, as far as can be told yet (None: not yet known)."""
        armed = (
            started if self.stored == 0 else (watch.stored_at[self.stored - 1] if watch.stored >= self.stored else None)
        )
        if armed is None:
            return None
        writes = watch.writes_since(armed)
        if len(writes) < self.writes:
            return None
        return (writes[self.writes - 1] if self.writes else armed) + self.delay


def _run(corpus: Path, store: Path, log: Path, plan: KillPlan | None) -> tuple[int, Watch, float]:
    """Run ``kg ingest`` on a pseudo-terminal, killing it as ``plan`` says; (exit code, what was seen, start)."""
    terminal, child = pty.openpty()
    env = {**_env(), "COLUMNS": "160", "TERM": "xterm"}
    try:
        process = subprocess.Popen(
            _ingest_command(corpus, store),
            cwd=store.parent,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=child,
            stderr=child,
        )
    finally:
        os.close(child)
    started = time.monotonic()
    watch = Watch(store, terminal)
    try:
        while process.poll() is None:
            watch.poll()
            moment = plan.moment(watch, started) if plan is not None else None
            if moment is not None and time.monotonic() >= moment:
                process.send_signal(signal.SIGKILL)
                break
            time.sleep(POLL_S)
        code = process.wait(600)
        watch.poll()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(terminal)
        log.write_bytes(bytes(watch.output))
    return code, watch, started


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
    early_writes: int
    """Bursts of writes before the first article is stored (opening the store, the reference graphs)."""
    period: float
    """Seconds from one article stored to the next."""

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
                pytest.fail(
                    f"{where}: graph <{graph}> is partial or foreign ({size} quads; old version "
                    f"{len(self.before.get(graph, ()))}, new {len(self.after.get(graph, ()))})"
                )
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
    code, watch, _ = _run(corpus, reference, root / "reference.log", None)
    assert code == 0, (root / "reference.log").read_text(encoding="utf-8", errors="replace")
    after, after_names = _read_only(reference)
    articles = len(CHANGED) + len(NEW)
    assert watch.stored == articles, f"the progress bar was not read: {bytes(watch.output[-400:])!r}"
    early_writes = len([t for t in watch.bursts if t < watch.stored_at[0]])
    assert early_writes >= 2, f"the writes before the articles were not seen: {watch.bursts}"
    period = (watch.stored_at[-1] - watch.stored_at[0]) / (articles - 1)
    return Lab(corpus, prepared, before, after, after_names, early_writes, max(period, 0.05))


def test_the_reference_run_replaces_the_changed_articles_and_adds_the_new_ones(lab: Lab) -> None:
    """The trials mean something only if the ingest has both kinds of work to do."""
    articles = {g for g in lab.after if not g.endswith(REFERENCE_GRAPHS)}
    assert len(articles) == len(CHANGED) + len(NEW)
    replaced = {g for g in articles if g in lab.before}
    assert len(replaced) == len(CHANGED)
    assert all(lab.before[g] != lab.after[g] for g in replaced)
    assert lab.classify(lab.before, "prepared store") == Counter(
        new=len(REFERENCE_GRAPHS), old=len(CHANGED), absent=len(NEW)
    )


@dataclass(frozen=True)
class Trial:
    """One run of ``kg ingest`` under a kill plan, and what it left."""

    plan: KillPlan
    killed: bool
    leftovers: int
    articles: Counter[str]
    seconds: float

    def row(self, number: int) -> str:
        a, plan = self.articles, self.plan
        return (
            f"{number:>3} {plan.stored:>6} {plan.writes:>6} {plan.delay:>6.3f} {self.killed!s:>6} "
            f"{self.leftovers:>7}  {a['old']:>3}/{a['new']}/{a['absent']:<19} {self.seconds:7.1f}"
        )


TABLE_HEAD = (
    f"{'#':>3} {'stored':>6} {'writes':>6} {'delay':>6} {'killed':>6} {'staging':>7}  old/new/absent articles  seconds"
)


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
    """Kill moments drawn by the seeded RNG, spread over the whole write phase.

    Before the first article (0 stored): at one of the bursts of writes that open the store and replace the
    reference graphs. After k articles: at once, after a random part of one article's time, or as soon as the
    next article's write begins (to land between the steps of a replacement).
    """
    rng = random.Random(SEED)
    while True:
        stored = rng.randrange(len(CHANGED) + len(NEW) + 1)
        if stored == 0:
            yield KillPlan(0, rng.randint(1, lab.early_writes), rng.choice([0.0, rng.uniform(0, BURST_GAP_S)]))
        elif rng.random() < 1 / 3:
            yield KillPlan(stored, 1, 0.0)
        else:
            yield KillPlan(stored, 0, rng.uniform(0, lab.period))


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
    print(
        f"\ncrash safety: {kills} SIGKILLs in {len(trials)} runs of kg ingest, all recovered "
        f"({staged} left a staging graph, dropped when the store was opened)"
    )
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
