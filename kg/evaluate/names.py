"""Name resolution: a predicted name to the gold name it stands for, after folding (:func:`kg.text.fold.name_key`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kg.evaluate.gold import GoldDocument
from kg.export.facts import FactDocument, FactEntity, Facts, parse_facts
from kg.text.fold import name_key

__all__ = ["NameResolver", "predicted_documents"]


# --- predictions (the facts export) -------------------------------------------------------------------------


def predicted_documents(facts: Facts | Mapping[str, Any], source: str = "the facts export") -> dict[str, FactDocument]:
    """The facts export (its models, or its JSON: checked, :class:`ConfigError` naming ``source``) keyed by file
    name (without any folder)."""
    parsed = facts if isinstance(facts, Facts) else parse_facts(facts, source)
    return {Path(d.file).name: d for d in parsed.documents}


# --- names --------------------------------------------------------------------------------------------------


class NameResolver:
    """Maps the names a prediction uses to the canonical gold names of one document."""

    def __init__(self, gold: GoldDocument, global_names: Iterable[str], predicted: Iterable[FactEntity]) -> None:
        self.canonical_of: dict[str, str] = {name_key(n): n for n in sorted(global_names)}
        for entity in gold.entities:
            self.canonical_of[name_key(entity.name)] = entity.name
            for mention in entity.mentions:
                self.canonical_of.setdefault(name_key(mention), entity.name)
        implicit = [n for e in gold.events for n in e.names()]
        implicit += list(gold.optional_entities)
        implicit += [n for r in gold.relations for n in (r.subject, r.object, *r.alt_objects) if n]
        for name in implicit:
            self.canonical_of.setdefault(name_key(name), name)
        self.optional = frozenset(name_key(n) for n in gold.optional_entities)
        self.names_of: dict[str, tuple[str, ...]] = {}
        for guess in predicted:
            names = (guess.name, *guess.mentions, *guess.aliases)
            for key in (guess.id, guess.name):
                if key:
                    self.names_of[name_key(key)] = names

    def canonical(self, name: str | None) -> str | None:
        """The gold name for ``name`` (itself, or any name of the predicted entity it labels), if any."""
        if not name:
            return None
        for candidate in (name, *self.names_of.get(name_key(name), ())):
            hit = self.canonical_of.get(name_key(candidate))
            if hit:
                return hit
        return None

    def key(self, name: str | None) -> str:
        """The gold name, or a marked folded form that matches no gold name."""
        return self.canonical(name) or "?" + name_key(name)

    def entity(self, entity: FactEntity) -> str | None:
        """The gold name of a predicted entity, by its label first, then by its mentions."""
        return self.canonical(entity.name) or next((hit for hit in map(self.canonical, entity.mentions) if hit), None)

    def is_optional(self, entity: FactEntity) -> bool:
        return any(name_key(n) in self.optional for n in entity.surface_names)
