"""Golden graphs: what the pipeline stores for a handful of example articles, compared quad for quad.

Each file of ``tests/golden/`` is one article's named graph as sorted N-Quads,
with the one value that changes from run to run (``prov:generatedAtTime``)
replaced by a fixed one. Any change to extraction, mapping, IRIs or provenance
shows up here as a diff to review. After a deliberate change, rewrite the files
with ``KG_UPDATE_GOLDEN=1 ./scripts/test tests/test_golden.py`` and commit them
with the change.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.config import Settings
from kg.pipeline.prepare import IngestReport
from kg.store.graphs import KgStore
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow

GOLDEN = Path(__file__).parent / "golden"
ARTICLES = [
    "01_radisson-blu-bamako.txt",  # report
    "07_burkina-coup-traore.html",  # an HTML page with teasers
    "08_coup-niger-tiani.txt",  # French, institutional events
    "09_tillaberi-ambushes-timeline.txt",  # a timeline of several incidents
    "13_barsalogho-bilan.txt",  # French, conflicting figures
]
_GENERATED_AT = re.compile(r'(<http://www\.w3\.org/ns/prov#generatedAtTime> )"[^"]*"')
_ARTICLE_GRAPH = """
PREFIX kg: <https://w3id.org/osint-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?g ?file WHERE { GRAPH ?g { ?g a kg:ArticleGraph ; prov:wasDerivedFrom ?article . ?article kg:fileName ?file } }
"""


def canonical_nquads(store: KgStore, graph: str) -> str:
    """The named graph ``graph`` as sorted N-Quads lines, its generation time fixed."""
    lines = []
    for quad in store._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
        lines.append(_GENERATED_AT.sub(r'\1"(generated at)"', f"{quad} ."))
    return "\n".join(sorted(lines)) + "\n"


@pytest.mark.parametrize("article", ARTICLES)
def test_the_stored_graph_of_an_article_is_the_golden_one(
    article: str, example_build: tuple[Settings, IngestReport]
) -> None:
    assert (EXAMPLES / article).is_file()
    with KgStore(example_build[0].store) as store:
        graphs = store.select(_ARTICLE_GRAPH, substitutions={"file": ox.Literal(article)})
        assert len(graphs) == 1, f"{article}: {len(graphs)} article graphs"
        actual = canonical_nquads(store, graphs[0]["g"].value)
    expected_path = GOLDEN / (Path(article).stem + ".nq")
    if os.environ.get("KG_UPDATE_GOLDEN") == "1":
        expected_path.write_text(actual, encoding="utf-8")
    expected = expected_path.read_text(encoding="utf-8")
    missing = sorted(set(expected.splitlines()) - set(actual.splitlines()))
    extra = sorted(set(actual.splitlines()) - set(expected.splitlines()))
    assert not missing and not extra, (
        f"{article}: the stored graph differs from {expected_path.name}: "
        f"{len(missing)} quads missing, {len(extra)} new; first missing: {missing[:3]}, first new: {extra[:3]}"
    )
