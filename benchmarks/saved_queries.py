"""Saved queries at scale: every query of a directory (default ``queries/``) on stores made by ``rdfgen.py``.

    python benchmarks/saved_queries.py [--triples 22500 95000] [--runs 5] [--timeout 60]
    python benchmarks/saved_queries.py --queries tests/fixtures/reference_queries   # the texts before the rewrite

For each size, ``rdfgen.write_nquads`` writes the N-Quads (about 190 quads per article) and
``pyoxigraph.Store.bulk_load`` loads them into an on-disk store under ``--tmp`` (deleted at the end).
Each query then runs ``--runs`` times unbound and, when it has parameters, bound by substitution
(:func:`kg.sparql.saved.bind`) to values read from the data: the event with the most casualty figures, the
event with the most claims (for ``claims_for_event``), the armed group with the most events, the country
with the most events, the busiest year, ``killed``, ``perpetrator``, ``kg:Person`` with 2 mentions. The
runs of one (query, binding) happen in a child process on the store opened read-only, with the union
default graph as ``kg serve`` queries it, every row read; the child is killed after ``--timeout`` seconds
(pyoxigraph cannot interrupt a query), so a slow query shows the runs it finished and ``timeout``.
Printed: a Markdown table of min / median / max seconds and the row count.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import rdfgen

from kg.sparql.saved import bind, load_queries
from kg.vocab.namespaces import CK, KG, SEM

QUERIES = Path(__file__).resolve().parents[1] / "queries"


def _first(store: ox.Store, sparql: str) -> str:
    rows = list(store.query(sparql, use_default_graph_as_union=True))
    return rows[0][0].value if rows else ""


def pick_values(path: Path) -> dict[str, str]:
    """Parameter values with many rows behind them, read from the store at ``path``."""
    store = ox.Store.read_only(str(path))
    busiest = "GROUP BY ?x ORDER BY DESC(?n) STR(?x) LIMIT 1"
    year = _first(
        store,
        f"SELECT ?x (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e <{SEM.hasTimeStamp}> ?d }} "
        f"GROUP BY (SUBSTR(STR(?d), 1, 4) AS ?x) ORDER BY DESC(?n) ?x LIMIT 1",
    )
    return {
        "event": _first(store, f"SELECT ?x (COUNT(DISTINCT ?f) AS ?n) WHERE {{ ?f <{KG.figureFor}> ?x }} {busiest}"),
        "claimed": _first(store, f"SELECT ?x (COUNT(*) AS ?n) WHERE {{ ?x <{KG.claimedBy}> ?a }} {busiest}"),
        "actor": _first(
            store,
            f"SELECT ?x (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e <{KG.perpetrator}> ?x . "
            f"?x a <{KG.ArmedGroup}> }} {busiest}",
        ),
        "place": _first(store, f"SELECT ?x (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e <{KG.country}> ?x }} {busiest}"),
        "from": f"{year}-01-01",
        "to": f"{year}-12-31",
        "kind": str(CK.killed),
        "role": "perpetrator",
        "type": str(KG.Person),
        "minMentions": "2",
    }


def _runs(store_path: str, text: str, values: dict[str, str], runs: int, out: mp.Queue) -> None:
    """In the child: run the query ``runs`` times, reporting each time and finally the row count."""
    store = ox.Store.read_only(store_path)
    subs = {ox.Variable(k): v for k, v in values.items()} or None
    count = 0
    for _ in range(runs):
        start = time.perf_counter()
        count = sum(1 for _ in store.query(text, substitutions=subs, use_default_graph_as_union=True))
        out.put(("time", time.perf_counter() - start))
    out.put(("rows", count))


def time_query(
    store_path: Path, text: str, values: dict[str, ox.NamedNode | ox.Literal], runs: int, timeout: float
) -> tuple[list[float], int | None]:
    """Seconds of each finished run, and the row count (None when killed after ``timeout`` seconds)."""
    queue: mp.Queue = mp.Queue()
    child = mp.Process(target=_runs, args=(str(store_path), text, {k: v for k, v in values.items()}, runs, queue))
    child.start()
    times: list[float] = []
    rows: int | None = None
    deadline = time.monotonic() + timeout
    while rows is None and (left := deadline - time.monotonic()) > 0:
        try:
            kind, value = queue.get(timeout=left)
        except Exception:  # queue.Empty: the deadline passed
            break
        if kind == "time":
            times.append(value)
        else:
            rows = value
    if child.is_alive():
        child.kill()
    child.join()
    return times, rows


def _cell(times: list[float], rows: int | None) -> str:
    if not times:
        return "timeout (no run finished)"
    spread = f"{min(times):.3f} / {statistics.median(times):.3f} / {max(times):.3f}"
    return f"{spread} ({rows} rows)" if rows is not None else f"{spread}, then timeout ({len(times)} runs)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--triples", type=int, nargs="+", default=[22500, 95000], help="store sizes in quads (about 190 per article)"
    )
    parser.add_argument("--queries", type=Path, default=QUERIES, help="the directory of .rq files to time")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds for all runs of one query")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tmp", type=Path, default=None)
    args = parser.parse_args()
    saved = load_queries(args.queries)
    folder = Path(tempfile.mkdtemp(prefix="kg-saved-queries-", dir=args.tmp))
    try:
        for target in args.triples:
            dataset = rdfgen.write_nquads(folder / f"{target}.nq", target, seed=args.seed)
            store_path = folder / f"store-{target}"
            store = ox.Store(str(store_path))
            store.bulk_load(path=str(dataset.path), format=ox.RdfFormat.N_QUADS)
            store.flush()
            del store
            picked = pick_values(store_path)
            print(f"\n{dataset.quads} quads, {dataset.articles} articles; bound to {picked}\n", file=sys.stderr)
            print(
                f"\n**{dataset.articles} articles, {dataset.quads} quads** (seconds: min / median / max of "
                f"{args.runs} runs)\n\n| query | unbound | bound |\n|---|---|---|"
            )
            for query in saved.values():
                cells = []
                for bound in (False, True):
                    if bound and not query.params:
                        cells.append("–")
                        continue
                    given = (
                        {
                            p.name: picked[
                                "claimed" if query.name == "claims_for_event" and p.name == "event" else p.name
                            ]
                            for p in query.params
                        }
                        if bound
                        else {}
                    )
                    times, rows = time_query(store_path, query.text, bind(query, given), args.runs, args.timeout)
                    cells.append(_cell(times, rows))
                print(f"| {query.name} | {cells[0]} | {cells[1]} |", flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
