"""The data osint-kg ships with, inside the package: read wherever it is installed.

    ontology/   osint-kg.ttl (the ontology), kb.ttl (the knowledge base), context.jsonld
    shapes/     the SHACL shapes of the gate
    queries/    the saved analyst queries (*.rq)

The top-level ``ontology/``, ``shapes/`` and ``queries/`` of the repository are
links to these folders. ``KG_ONTOLOGY_DIR``, ``KG_SHAPES_DIR`` and
``KG_QUERIES_DIR`` override them (see :mod:`kg.config`).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from kg.errors import ConfigError

__all__ = ["resource_dir"]


def resource_dir(name: str) -> Path:
    """The folder ``name`` of the installed package's data, as a path on disk."""
    found = files(__name__) / name
    if not isinstance(found, Path) or not found.is_dir():
        raise ConfigError(f"osint-kg's {name}/ folder is not on disk here ({found}); set KG_{name.upper()}_DIR")
    return found
