"""The ``kg`` command line: each command parses its arguments and calls one library function."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pyoxigraph as ox
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from kg.config import Settings, load_settings
from kg.errors import ConfigError, KgError, QueryError

if TYPE_CHECKING:
    from kg.evaluate.run import Evaluation
    from kg.export.facts import Facts

app = typer.Typer(
    name="kg",
    help="osint-kg: build a knowledge graph of Sahel conflict events from news articles and query it with SPARQL.\n\n"
    "Typical use:  kg ingest examples/corpus && kg serve   (the store defaults to ./data/store; "
    "set KG_STORE or --store to use another).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

StoreOpt = Annotated[
    Path | None, typer.Option("--store", help="On-disk Oxigraph store directory (default: $KG_STORE, or ./data/store).")
]


def _settings(store: Path | None, **overrides: object) -> Settings:
    values = {k: v for k, v in overrides.items() if v is not None}
    if store is not None:
        values["store"] = store
    try:
        return load_settings(**values)
    except ConfigError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


@contextmanager
def _progress(label: str, *, quiet: bool = False) -> Iterator[Callable[[int, int, str], None]]:
    """A progress bar on stderr, advanced by the callback it yields: (done, total, current item).

    ``quiet`` leaves the item's name out (a sealed split's file names are not shown)."""
    columns = (
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("reading", total=None)
        yield lambda done, total, name: bar.update(task, completed=done, total=total, description="" if quiet else name)


def _fail(exc: KgError) -> typer.Exit:
    err.print(f"[red]error:[/red] {exc}")
    return typer.Exit(1)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Article files (.txt, .html, .jsonl) or directories of them.")],
    store: StoreOpt = None,
    meta: Annotated[
        Path | None,
        typer.Option(
            help="A meta.jsonl sidecar (file, published, publisher, url, "
            "title, language); meta.jsonl in a given directory is read "
            "anyway."
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Processes that extract and validate, this one included (it also writes the store). "
            "Default: one per CPU core (8 at most), and no more than one per 32 articles to prepare (so 1 "
            "below 64).",
            show_default=False,
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Run extraction on a Dask cluster: the scheduler's address (tcp://HOST:8786), or 'local' for a "
            "LocalCluster of --workers processes. Shards come back and are bulk-loaded here."
        ),
    ] = None,
) -> None:
    """Extract articles into the store, one named graph per article, each checked by SHACL first.

    Unchanged articles are skipped; changed ones replace their graph atomically. Exits 1 if any article
    was rejected by SHACL or could not be read (the others are still loaded).
    """
    from kg.pipeline.run import ingest as run_ingest

    settings = _settings(store)
    try:
        with _progress("ingest") as advance:
            report = run_ingest(paths, settings, meta_file=meta, workers=workers, scheduler=scheduler, progress=advance)
    except KgError as exc:
        raise _fail(exc) from exc
    out.print(
        f"loaded {len(report.loaded)}, skipped as unchanged {len(report.skipped)}, "
        f"rejected by SHACL {len(report.rejected)}, unreadable {len(report.failed)}  (store: {settings.store})"
    )
    for item in report.rejected:
        err.print(f"[red]rejected[/red] {item.reason}")
    for item in report.failed:
        err.print(f"[red]failed[/red] {item.file}: {item.reason}")
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def serve(
    store: StoreOpt = None,
    host: Annotated[str | None, typer.Option(help="Interface to listen on (default: 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default: 8000).")] = None,
) -> None:
    """Serve the store as a SPARQL 1.1 endpoint at http://HOST:PORT/sparql, with the query UI at /.

    Queries run in KG_QUERY_WORKERS worker processes on the newest snapshot of the store, each stopped
    after KG_QUERY_TIMEOUT_S seconds (503). The store is not locked: `kg ingest` may run meanwhile and
    its articles appear without a restart. Read-only unless KG_UPDATE_TOKEN is set (then SPARQL Update
    and Graph Store writes need that bearer token).
    """
    from kg.api.serve import serve as run_server

    settings = _settings(store, host=host, port=port)
    err.print(f"SPARQL endpoint: http://{settings.host}:{settings.port}/sparql  (store: {settings.store})")
    try:
        run_server(settings)
    except KgError as exc:
        raise _fail(exc) from exc


@app.command()
def query(
    file: Annotated[Path, typer.Argument(help="A SPARQL query file (.rq).", exists=True, dir_okay=False)],
    store: StoreOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, csv or json (SPARQL results JSON).")] = "table",
) -> None:
    """Run a SPARQL query against the store and print the results."""
    from kg.sparql.safety import check_nesting
    from kg.store.graphs import open_for_reading

    if format not in {"table", "csv", "json"}:
        err.print(f"[red]error:[/red] --format must be table, csv or json, not {format!r}")
        raise typer.Exit(2)
    settings = _settings(store)
    text = file.read_text(encoding="utf-8")
    try:
        check_nesting(text)  # Oxigraph's recursive parser would overflow the stack and kill the process
    except QueryError as exc:
        raise _fail(QueryError(f"{file}: {exc}")) from exc
    try:
        with open_for_reading(settings.store) as kg_store:
            result = kg_store.query(text, union_default_graph=settings.union_default_graph)
            _print_result(result, format)
    except KgError as exc:
        raise _fail(exc) from exc


def _print_result(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, fmt: str) -> None:
    if isinstance(result, ox.QueryBoolean):
        out.print("true" if bool(result) else "false")
        return
    if isinstance(result, ox.QueryTriples):
        sys.stdout.buffer.write(result.serialize(format=ox.RdfFormat.TURTLE) or b"")
        return
    if fmt in {"csv", "json"}:
        kind = ox.QueryResultsFormat.CSV if fmt == "csv" else ox.QueryResultsFormat.JSON
        sys.stdout.buffer.write(result.serialize(format=kind) or b"")
        return
    names = [v.value for v in result.variables]
    table = Table(*names)
    for row in result:
        table.add_row(*("" if row[n] is None else row[n].value for n in names))
    out.print(table)


@app.command()
def validate(store: StoreOpt = None) -> None:
    """Check every article graph in the store against the SHACL shapes; exit 1 on any violation."""
    from kg.pipeline.check import validate_store

    settings = _settings(store)
    try:
        results = validate_store(settings)
    except KgError as exc:
        raise _fail(exc) from exc
    bad = {name: report for name, report in results.items() if not report.conforms}
    out.print(f"{len(results)} article graphs checked, {len(bad)} with violations")
    for name, report in bad.items():
        err.print(f"[red]{name}[/red]: {len(report.violations)} violations")
        for violation in report.violations[:10]:
            err.print(f"  {violation}")
        if len(report.violations) > 10:
            err.print(f"  … and {len(report.violations) - 10} more")
    if bad:
        raise typer.Exit(1)


@app.command()
def export(
    store: StoreOpt = None,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="trig, nquads, turtle, jsonld (compacted with "
            "osint-kg's context), facts, stix (STIX 2.1 bundle) or acled "
            "(ACLED-style CSV).",
        ),
    ] = "trig",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")] = None,
    context_url: Annotated[
        str | None,
        typer.Option(
            help="jsonld only: refer to the context at this URL "
            "(e.g. http://127.0.0.1:8000/context.jsonld, served "
            "by kg serve) instead of embedding it."
        ),
    ] = None,
) -> None:
    """Export the store: RDF (TriG and N-Quads keep one graph per article), the facts JSON, a STIX 2.1
    bundle for OpenCTI or MISP, or an ACLED-style CSV with one row per event."""
    from kg.export.formats import EXPORT_FORMATS, export_store
    from kg.store.graphs import open_for_reading

    if format not in EXPORT_FORMATS:
        err.print(f"[red]error:[/red] --format must be one of {', '.join(EXPORT_FORMATS)}, not {format!r}")
        raise typer.Exit(2)
    settings = _settings(store)
    try:
        with open_for_reading(settings.store) as kg_store:
            sink = output.open("wb") if output else sys.stdout.buffer
            try:
                export_store(
                    kg_store,
                    sink,
                    format,
                    ontology_dir=settings.ontology_dir,
                    base_iri=settings.base_iri,
                    context_url=context_url,
                )
            finally:
                if output:
                    sink.close()
    except KgError as exc:
        raise _fail(exc) from exc
    if output:
        err.print(f"wrote {output}")


@app.command()
def push(
    endpoint: Annotated[
        str,
        typer.Option(
            help="The remote's SPARQL 1.1 Graph Store endpoint, e.g. "
            "http://HOST:8000/store (kg serve) or "
            "http://HOST:8890/sparql-graph-crud-auth (Virtuoso)."
        ),
    ],
    store: StoreOpt = None,
    token: Annotated[
        str | None,
        typer.Option(envvar="KG_PUSH_TOKEN", show_default=False, help="Bearer token (kg serve's KG_UPDATE_TOKEN)."),
    ] = None,
    user: Annotated[
        str | None, typer.Option(help="User name, sent with HTTP Digest or Basic as the remote asks.")
    ] = None,
    password: Annotated[
        str | None, typer.Option(envvar="KG_PUSH_PASSWORD", show_default=False, help="Password for --user.")
    ] = None,
    graph_param: Annotated[
        str, typer.Option(help="Query parameter naming the graph: graph, or graph-uri for older Virtuoso.")
    ] = "graph",
    reference: Annotated[
        bool,
        typer.Option(
            help="Also push the ontology and knowledge-base graphs (the analyst queries need the KB's labels)."
        ),
    ] = True,
) -> None:
    """Send the store's graphs to a remote Graph Store with PUT ?graph=IRI, replacing each one there.

    Pushing again leaves the remote as it was after the first push (no duplicates). Transient errors
    are retried; exits 1, naming the graph and the remote's answer, on the first graph it refuses.
    """
    from kg.export.push import Remote
    from kg.export.push import push as push_graphs

    settings = _settings(store)
    try:
        remote = Remote(endpoint, token=token, user=user, password=password, graph_param=graph_param)
        with _progress("push") as advance:
            report = push_graphs(settings, remote, include_reference=reference, progress=advance)
    except KgError as exc:
        raise _fail(exc) from exc
    out.print(
        f"pushed {len(report.graphs)} graphs to {endpoint}: {len(report.created)} new, "
        f"{len(report.replaced)} replaced, {report.bytes_sent} bytes, {report.retries} retries",
        markup=False,
        highlight=False,
    )


@app.command()
def evaluate(
    gold_dir: Annotated[
        Path,
        typer.Argument(
            metavar="GOLD_DIR",
            help="Folder of NAME.gold.json files (and corpus.json), in the format of ../shared/eval/FORMAT.md.",
        ),
    ],
    corpus_dir: Annotated[
        Path, typer.Argument(metavar="CORPUS_DIR", help="Folder of the articles the gold annotates.")
    ],
    meta: Annotated[
        Path | None,
        typer.Option(
            help="A meta.jsonl sidecar; meta.jsonl in CORPUS_DIR is read "
            "anyway. Its 'kind' field groups the per-kind table."
        ),
    ] = None,
    scorer: Annotated[
        Path | None,
        typer.Option(
            help="Also run this scorer (e.g. ../shared/eval/score.py) on "
            "the same facts and print its last line, to compare.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    json_file: Annotated[
        Path | None,
        typer.Option("--json", help="Write the scores here as JSON (the keys of score.py --json, plus by_kind)."),
    ] = None,
    sealed: Annotated[
        bool,
        typer.Option(
            "--sealed",
            help="Print only the aggregate lines (slots and summary) and "
            "how many articles loaded: for a sealed test split, whose "
            "texts and per-document errors whoever tunes the rules "
            "must not see. Not with --json or --scorer.",
        ),
    ] = False,
) -> None:
    """Score extraction against gold annotations, on a fresh store built from CORPUS_DIR.

    The corpus is ingested into a temporary store (your store is not touched), the facts are read back
    from it by SPARQL and scored by the project's own scorer: per-document tp/fp/fn and misses, a
    per-kind table when meta.jsonl rows have a 'kind', and the summary line of score.py. Scores are
    information: the exit code is 0 unless no article could be loaded (or the --scorer run failed).
    """
    from kg.evaluate.run import evaluate as run_evaluation

    if sealed and (json_file is not None or scorer is not None):
        raise _fail(KgError("--sealed prints aggregate lines only: it cannot be combined with --json or --scorer"))
    settings = _settings(None)
    try:
        with _progress("evaluate", quiet=sealed) as advance:
            evaluation = run_evaluation(gold_dir, corpus_dir, settings, meta_file=meta, progress=advance)
    except KgError as exc:
        raise _fail(exc) from exc
    report = evaluation.report
    if sealed:
        _say(f"sealed split: {len(report.loaded)} articles loaded, {len(report.rejected) + len(report.failed)} not")
        _say(evaluation.scores.slots_line())
        _say(evaluation.scores.summary_line())
        if not report.loaded:
            raise typer.Exit(1)
        return
    for item in [*report.rejected, *report.failed]:
        err.print(f"[red]not loaded[/red] {escape(item.file)}: {escape(item.reason)}", highlight=False)
    if not report.loaded:
        err.print("[red]error:[/red] no article could be loaded; nothing to score")
        raise typer.Exit(1)
    _print_scores(evaluation)
    if json_file is not None:
        json_file.write_text(json.dumps(evaluation.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
        err.print(f"wrote {json_file}")
    if scorer is not None:
        _run_scorer(scorer, gold_dir, evaluation.facts, evaluation.scores.summary_line())


def _say(text: str) -> None:
    out.print(text, markup=False, highlight=False, soft_wrap=True)


def _print_scores(evaluation: Evaluation) -> None:
    scores = evaluation.scores
    for doc in scores.documents:
        _say(f"== {doc.file}")
        _say(f"   entities  {doc.entities.counts}  missing={doc.entities.missing}")
        if doc.entities.spurious:
            _say(f"   spurious entities: {doc.entities.spurious}")
        _say(f"   events    {doc.events.counts}  missing={doc.events.missing}")
        _say(f"   relations {doc.relations.counts}  missing={doc.relations.missing}")
        if doc.leaks:
            _say(f"   LEAKED (must not extract): {doc.leaks}")
    for fused in scores.fusion:
        _say(
            f"== fused {fused.event}: reported by {fused.sources}, found in {fused.found_in}, "
            f"one node for {fused.fused}"
        )
    if scores.missing_from_facts:
        _say(f"documents missing from facts: {scores.missing_from_facts}")
    if evaluation.by_kind:
        table = Table("kind", "docs", "entity F1", "type acc", "event F1", "relation F1", title="per kind")
        for kind, part in evaluation.by_kind.items():
            table.add_row(
                kind,
                str(len(part.documents)),
                f"{part.entity_prf.f1:.2f}",
                f"{part.type_accuracy:.2f}",
                f"{part.event_prf.f1:.2f}",
                f"{part.relation_prf.f1:.2f}",
            )
        out.print(table)
    _say(scores.slots_line())
    _say(scores.summary_line())


def _run_scorer(scorer: Path, gold_dir: Path, facts: Facts, own_line: str) -> None:
    """Run an external scorer on the same facts and print its last line beside ours."""
    with tempfile.TemporaryDirectory(prefix="kg-evaluate-") as tmp:
        facts_file = Path(tmp) / "facts.json"
        facts_file.write_text(json.dumps(facts.model_dump(), ensure_ascii=False), encoding="utf-8")
        result = subprocess.run(
            [sys.executable, str(scorer), str(gold_dir), str(facts_file)], capture_output=True, text=True, check=False
        )
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        err.print(f"[red]error:[/red] {scorer} exited with {result.returncode}", highlight=False)
        err.print(result.stderr, markup=False, highlight=False)
        raise typer.Exit(1)
    _say(f"{scorer.name}: {lines[-1]}")
    _say("the two scorers agree" if lines[-1] == own_line else "the two scorers DIFFER")


if __name__ == "__main__":
    app()
