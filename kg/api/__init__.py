"""The HTTP API: a read-only SPARQL 1.1 Protocol endpoint."""

from kg.api.main import create_app

__all__ = ["create_app"]
