"""``kg validate``: the SHACL gate run again over every article graph already in the store."""

from __future__ import annotations

from kg.config import Settings
from kg.errors import StoreError
from kg.store.graphs import open_for_reading
from kg.validate.gate import ShaclReport, load_ontology, load_shapes, validate_graph

__all__ = ["validate_store"]


def validate_store(settings: Settings) -> dict[str, ShaclReport]:
    """SHACL report of each article graph of the store, keyed by graph name."""
    shapes, ontology = load_shapes(settings.shapes_dir), load_ontology(settings.ontology_dir)
    with open_for_reading(settings.store) as store:
        names = store.article_graphs()
        if not names and len(store) == 0:
            raise StoreError(f"{settings.store}: the store is empty; run `kg ingest` first")
        return {str(name): validate_graph(store.read_graph(name), shapes, ontology) for name in names}
