"""Ingest throughput of osint-kg against bare spaCy on the same texts.

Four stages run over the same documents (the example corpus, read by
:func:`kg.ingest.readers.read_documents` so the texts are its clean paragraphs, and
replicated to ``--docs`` documents under distinct keys):

  a   bare spaCy: ``en_core_web_sm`` (``nlp.pipe``) over every paragraph
  a'  bare spaCy with the model of each paragraph's language (en/fr), ``nlp.pipe``
      (for reference: this is the model choice osint-kg makes)
  b   ``Extractor.extract`` over every document (spaCy + osint-kg's components and rules)
  c   the whole ingest path in one process (``ArticlePreparer.prepare`` then ``record``):
      extract + map to RDF + SHACL + store, into a temporary on-disk store
  d   the whole ingest path as ``kg ingest`` runs it by default (``kg.pipeline.local.ingest_documents`` with
      the processes of :func:`kg.pipeline.local.default_workers`, or ``--workers N``): one process and N - 1
      helpers extract, map and validate, the first also writes the store. It runs in a new process, and
      everything is timed: loading the models in both, the helpers' start-up, the store

Every stage but d first runs once over the distinct documents (models, vocabularies, shapes and
the store warm) before it is timed. The target of the issue is an ingest throughput of
at least 0.8 x bare spaCy, i.e. t(a) / t(x) >= 0.8.

    python benchmarks/ingest_throughput.py                 # default: 28 documents, ~1 min on 2 cores
    python benchmarks/ingest_throughput.py --docs 140 --stages a,b
    python benchmarks/ingest_throughput.py --profile c     # cProfile of stage c, top functions
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import gc
import io
import json
import os
import pickle
import platform
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run from a source checkout without installing

from kg.config import Settings  # noqa: E402
from kg.extract import MODELS, Extractor, _load_model  # noqa: E402
from kg.ingest.readers import Document, read_documents  # noqa: E402
from kg.pipeline.local import default_workers, ingest_documents  # noqa: E402
from kg.pipeline.prepare import ArticlePreparer, IngestReport, store_reference_graphs  # noqa: E402
from kg.pipeline.prepare import record as store_prepared  # noqa: E402
from kg.store.graphs import KgStore  # noqa: E402

TARGET = 0.8
STAGES = ("a", "a'", "b", "c", "d")
LABELS = {
    "a": "a  bare en_core_web_sm, nlp.pipe",
    "a'": "a' bare en/fr models, nlp.pipe",
    "b": "b  Extractor.extract",
    "c": "c  ingest, 1 process (extract+map+SHACL+store)",
    "d": "d  ingest, kg ingest default (start-up incl.)",
}


@dataclasses.dataclass
class Result:
    stage: str
    seconds: float
    cpu_seconds: float
    docs: int
    words: int
    peak_rss_mib: float
    note: str = ""


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def load_corpus(corpus: Path, n_docs: int) -> tuple[list[Document], list[Document]]:
    """The corpus documents, and them cycled to ``n_docs`` with distinct keys (none is skipped as unchanged)."""
    base = list(read_documents([corpus]))
    if not base:
        raise SystemExit(f"no documents under {corpus}")
    docs = [
        dataclasses.replace(base[i % len(base)], key=f"bench-{i:05d}/{base[i % len(base)].key}") for i in range(n_docs)
    ]
    return base, docs


def count_words(docs: list[Document]) -> int:
    return sum(len(p.text.split()) for d in docs for p in d.paragraphs)


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (stage d's helpers, once it is over)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(fn: Callable[[], str | None], profile: bool) -> tuple[float, float, str]:
    gc.collect()
    profiler = cProfile.Profile() if profile else None
    wall, cpu = time.perf_counter(), cpu_seconds()
    if profiler:
        profiler.enable()
    note = fn() or ""
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    if profiler:
        print_profile(profiler)
    return wall, cpu, note


def print_profile(profiler: cProfile.Profile, top: int = 30) -> None:
    for key in ("tottime", "cumulative"):
        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).strip_dirs().sort_stats(key).print_stats(top)
        lines = buf.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        print(f"\n--- profile, top {top} by {key} ---", file=sys.stderr)
        print("\n".join(lines[start:]), file=sys.stderr)


def run(args: argparse.Namespace) -> list[Result]:
    stages = [s.strip() for s in args.stages.split(",")]
    unknown = set(stages) - set(STAGES)
    if unknown:
        raise SystemExit(f"unknown stage(s) {sorted(unknown)}; choose from {', '.join(STAGES)}")
    base, docs = load_corpus(args.corpus, args.docs)
    words = count_words(docs)
    warm = base if args.warmup is None else base[: args.warmup]
    paragraphs = [p for d in docs for p in d.paragraphs]
    print(
        f"{len(docs)} documents, {len(paragraphs)} paragraphs, {words} words "
        f"({len(base)} distinct from {args.corpus}); warm-up {len(warm)} documents",
        file=sys.stderr,
    )

    tmp = tempfile.TemporaryDirectory(prefix="kg-bench-")
    settings = Settings(store=Path(tmp.name) / "store")
    preparer = ArticlePreparer(settings)
    extractor: Extractor = preparer.extractor  # one set of models for b and c
    results: list[Result] = []

    def record(stage: str, fn: Callable[[], str | None]) -> None:
        wall, cpu, note = timed(fn, profile=args.profile == stage)
        results.append(Result(stage, wall, cpu, len(docs), words, peak_rss_mib(), note))
        print(f"  {LABELS[stage]}: {wall:.2f} s", file=sys.stderr)

    if "a" in stages or "a'" in stages:
        # the very model packages osint-kg loads (same exclusions), with none of its components
        bare = {lang: _load_model(lang) for lang in MODELS}
        en_texts = [p.text for p in paragraphs]
        by_lang: dict[str, list[str]] = {}
        for p in paragraphs:
            by_lang.setdefault(p.language if p.language in bare else "en", []).append(p.text)
        for nlp in bare.values():  # warm-up
            for _ in nlp.pipe([p.text for d in warm for p in d.paragraphs]):
                pass

        def stage_a() -> None:
            for _ in bare["en"].pipe(en_texts):
                pass

        def stage_a2() -> None:
            for lang, texts in by_lang.items():
                for _ in bare[lang].pipe(texts):
                    pass

        if "a" in stages:
            record("a", stage_a)
        if "a'" in stages:
            record("a'", stage_a2)
        del bare

    if "b" in stages:
        for d in warm:
            extractor.extract(d)

        def stage_b() -> str:
            events = sum(len(extractor.extract(d).events) for d in docs)
            return f"{events} events"

        record("b", stage_b)

    if "c" in stages:
        with KgStore(settings.store) as store:
            store_reference_graphs(preparer, store)
            warm_report = IngestReport()
            for d in warm:
                store_prepared(preparer.prepare(dataclasses.replace(d, key=f"warm/{d.key}")), store, warm_report)
            report = IngestReport()

            def stage_c() -> str:
                for d in docs:
                    store_prepared(preparer.prepare(d), store, report)
                return (
                    f"loaded {len(report.loaded)}, rejected by SHACL {len(report.rejected)}, "
                    f"skipped {len(report.skipped)}"
                )

            record("c", stage_c)

    if "d" in stages:
        parallel = settings.model_copy(update={"store": Path(tmp.name) / "store-d"})
        processes = args.workers or default_workers(len(docs))
        child = run_stage_d_in_child(docs, parallel, processes, profile=args.profile == "d")
        note = (
            f"loaded {child['loaded']}, rejected by SHACL {child['rejected']}, {processes} process(es)"
            f"{'' if args.workers else ' (the default)'}"
        )
        results.append(Result("d", child["wall"], child["cpu"], len(docs), words, child["peak_rss_mib"], note))
        print(f"  {LABELS['d']}: {child['wall']:.2f} s", file=sys.stderr)
    tmp.cleanup()
    return results


def run_stage_d_in_child(docs: list[Document], settings: Settings, processes: int, profile: bool) -> dict[str, float]:
    """Stage d in a new process, as `kg ingest` runs it: nothing loaded beforehand, spaCy's modules not even
    imported by the other stages (the French one alone takes seconds to import)."""
    with tempfile.NamedTemporaryFile(prefix="kg-bench-docs-", suffix=".pickle") as job:
        pickle.dump((docs, settings, processes, profile), job)
        job.flush()
        done = subprocess.run(
            [sys.executable, __file__, "--stage-d-child", job.name], check=True, stdout=subprocess.PIPE, text=True
        )
    result: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return result


def stage_d_child(job: Path) -> int:
    """The child of :func:`run_stage_d_in_child`: times ``ingest_documents``, prints the figures as JSON."""
    docs, settings, processes, profile = pickle.loads(job.read_bytes())
    report = IngestReport()

    def ingest() -> None:
        nonlocal report
        report = ingest_documents(docs, settings, workers=processes)

    wall, cpu, _ = timed(ingest, profile)  # helpers' CPU counts: they have ended when ingest_documents returns
    print(
        json.dumps(
            {
                "wall": wall,
                "cpu": cpu,
                "peak_rss_mib": peak_rss_mib(),
                "loaded": len(report.loaded),
                "rejected": len(report.rejected),
            }
        )
    )
    return 0


def print_table(results: list[Result]) -> None:
    base = next((r for r in results if r.stage == "a"), None)
    header = (
        f"| {'stage':<46} | {'docs':>5} | {'words':>7} | {'wall s':>7} | {'CPU s':>7} | {'docs/s':>7} | "
        f"{'words/s':>8} | {'t(a)/t':>6} | {'CPU ratio':>9} | {'peak RSS MiB':>12} |"
    )
    print(header)
    print("|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|")
    for r in results:
        ratio = f"{base.seconds / r.seconds:6.2f}" if base else "     -"
        cpu_ratio = f"{base.cpu_seconds / r.cpu_seconds:9.2f}" if base else "        -"
        print(
            f"| {LABELS[r.stage]:<46} | {r.docs:>5} | {r.words:>7} | {r.seconds:>7.2f} | {r.cpu_seconds:>7.2f} | "
            f"{r.docs / r.seconds:>7.1f} | {r.words / r.seconds:>8.0f} | {ratio} | {cpu_ratio} | "
            f"{r.peak_rss_mib:>12.0f} |"
        )
    notes = [f"{r.stage}: {r.note}" for r in results if r.note]
    if notes:
        print("\n" + "; ".join(notes))
    if base:
        for r in results:
            if r.stage in {"b", "c", "d"}:
                share = base.seconds / r.seconds
                verdict = "meets" if share >= TARGET else "misses"
                print(
                    f"{r.stage}: throughput {share:.2f} x bare spaCy (CPU {base.cpu_seconds / r.cpu_seconds:.2f} x)"
                    f" -> {verdict} the {TARGET} x target"
                )
    print(
        "\nt(a)/t: wall-time ratio = throughput relative to bare spaCy; CPU ratio: the same from CPU time, this "
        "process's and its helpers' (steadier on a busy machine; for d it is the work per document, not the "
        "throughput). Peak RSS is this process's peak so far (ru_maxrss), so it only grows from row to row; "
        "d's is that of its own process (which loads the models too), not of its helpers. "
        f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end"
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--stage-d-child"]:
        return stage_d_child(Path(argv[1]))
    parser = argparse.ArgumentParser(
        description="Measure osint-kg's ingest throughput against bare spaCy on the same paragraphs.",
        epilog=f"Stages: {'; '.join(LABELS.values())}. Target: t(a)/t(b) and t(a)/t(c) >= {TARGET}.",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=REPO / "examples" / "corpus",
        help="directory of articles (default: examples/corpus)",
    )
    parser.add_argument(
        "--docs",
        type=int,
        default=28,
        help="documents to process, the corpus cycled (default: 28, twice the example corpus: "
        "~20 s of work for stage c on 2 cores)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=None,
        help="distinct corpus documents run through each stage before timing (default: all, once)",
    )
    parser.add_argument(
        "--stages", default=",".join(STAGES), help=f"comma-separated stages to run (default: {','.join(STAGES)})"
    )
    parser.add_argument("--profile", choices=STAGES, help="run cProfile over this stage; top functions to stderr")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes of stage d (default: what `kg ingest` chooses for --docs documents)",
    )
    args = parser.parse_args(argv)
    if (
        args.docs < 1
        or (args.warmup is not None and args.warmup < 0)
        or (args.workers is not None and args.workers < 1)
    ):
        parser.error("--docs and --workers must be >= 1 and --warmup >= 0")
    print_table(run(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
