"""Score the knowledge graph against gold annotations: the project's own scorer.

    evaluation = evaluate(Path("examples/gold"), Path("examples/corpus"))
    print(evaluation.scores.summary_line())

The rules are those of ``../shared/eval/FORMAT.md`` and give the same figures
as the shared ``score.py``; this is a separate implementation, written with
typed models, so that the project can score itself (per document and per kind
of article) without depending on a file outside it.

* **Names** compare after :func:`fold` (case, accents, quotes, leading
  articles, possessives). A predicted name resolves to a gold name through the
  gold entities and their mentions, every gold name of the corpus, the names
  used inside gold events and relations, and the predicted entity's own label,
  mentions and aliases (:class:`NameResolver`).
* **Entities** match by name; optional ones neither count nor cost.
* **Events** are paired greedily, one to one, required gold events first:
  types match (any two violent types match each other), the date starts with
  the gold date (or an ``alt_dates`` entry, or falls within ``date``…``date_end``),
  and the place or a site is the gold place, a gold site or an ``alt_places``
  entry. Optional gold events then absorb predictions at no cost. Slots are
  scored on the pairs.
* **Relations** match on subject, predicate and object, alternatives included.
* **Fusion**: for each event of ``corpus.json``, how many of its sources point
  at one and the same event IRI. **Leaks**: entities named in
  ``must_not_extract_entities``.

:func:`evaluate` builds a fresh store in a temporary directory, ingests the
corpus, reads the facts back from the store by SPARQL and scores them.

The parts: :mod:`kg.evaluate.gold` (the gold models and loader), :mod:`kg.evaluate.names`
(name resolution), :mod:`kg.evaluate.metrics` (counts and figures), :mod:`kg.evaluate.match`
(the matching rules and the scoring); the facts are :mod:`kg.export.facts`'s models.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.config import Settings, load_settings
from kg.errors import ConfigError
from kg.evaluate.gold import load_gold
from kg.evaluate.match import kinds_of, score_facts, scores_by_kind
from kg.evaluate.metrics import Scores
from kg.export.facts import Facts, read_facts
from kg.ingest.readers import list_sources
from kg.pipeline.local import build_graph
from kg.pipeline.prepare import IngestReport
from kg.store.graphs import KgStore

__all__ = ["Evaluation", "evaluate"]


# --- the whole run ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    """The scores of a fresh build of a corpus, per kind too, with its ingest report and facts."""

    scores: Scores
    by_kind: dict[str, Scores]
    report: IngestReport
    facts: Facts

    def to_json(self) -> dict[str, Any]:
        return {
            **self.scores.to_json(),
            "by_kind": {k: s.to_json() for k, s in self.by_kind.items()},
            "ingest": {
                "loaded": self.report.loaded,
                "rejected": [r.file for r in self.report.rejected],
                "failed": [r.file for r in self.report.failed],
            },
        }


def evaluate(
    gold_dir: Path,
    corpus_dir: Path,
    settings: Settings | None = None,
    *,
    meta_file: Path | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Evaluation:
    """Build ``corpus_dir`` into a fresh temporary store, read the facts back by SPARQL, score them.

    The store of ``settings`` is never touched; only its other settings (base IRI, ontology and
    shapes folders, reliability grades) are used. ``progress`` is called with (done, total, name) after each article.
    """
    gold = load_gold(gold_dir)
    if not corpus_dir.is_dir():
        raise ConfigError(f"{corpus_dir}: not a directory of articles")
    if not list_sources([corpus_dir]):
        raise ConfigError(f"{corpus_dir}: no articles (.txt, .html, .jsonl) found")
    settings = settings or load_settings()
    with tempfile.TemporaryDirectory(prefix="kg-evaluate-") as tmp:
        fresh = settings.model_copy(update={"store": Path(tmp) / "store"})
        report = build_graph([corpus_dir], fresh, meta_file=meta_file, progress=progress)
        with KgStore(fresh.store) as store:
            facts = read_facts(store)
    kinds = kinds_of(corpus_dir, meta_file)
    return Evaluation(score_facts(gold, facts), scores_by_kind(gold, facts, kinds), report, facts)
