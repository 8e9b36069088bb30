"""Settings, read from the environment (prefix ``KG_``) or a ``.env`` file.

| variable            | default                           | meaning                                   |
|---------------------|-----------------------------------|-------------------------------------------|
| KG_STORE            | ``./data/store``                  | on-disk Oxigraph store                    |
| KG_BASE_IRI         | ``https://w3id.org/osint-kg/id/`` | base under which every IRI is minted      |
| KG_HOST / KG_PORT   | ``127.0.0.1`` / ``8000``          | where ``kg serve`` listens                |
| KG_QUERY_TIMEOUT_S  | ``30``                            | per-query time limit; the query's worker  |
|                     |                                   | process is killed when it is passed       |
| KG_QUERY_WORKERS    | ``4``                             | query worker processes of ``kg serve``    |
| KG_QUERY_MEMORY_MB  | half the machine's memory shared  | memory one query worker may use; a query  |
|                     | by the workers (at least 256)     | that outgrows it is stopped (503)         |
| KG_UPDATE_TOKEN     | unset                             | bearer token for SPARQL Update and Graph  |
|                     |                                   | Store writes; unset = read-only endpoint  |
| KG_SNAPSHOT_INTERVAL_S | ``2``                          | how often a writer publishes a snapshot   |
| KG_MAX_ROWS         | ``100000``                        | cap on result rows of the endpoint        |
| KG_UNION_DEFAULT_GRAPH | ``true``                       | default graph = union of all named graphs |
| KG_RELIABILITY      | ``{}``                            | JSON map publisher → Admiralty grade A–F  |
| KG_SERVICE_ALLOWLIST | ``[]``                           | JSON list of ``host`` (default port) or   |
|                     |                                   | ``host:port`` entries SERVICE may call    |
| KG_CORS_ORIGINS     | ``[]``                            | JSON list of CORS origins (empty: no CORS)|
| KG_ONTOLOGY_DIR     | the package's ``resources/ontology`` | ontology, knowledge base, JSON-LD context |
| KG_SHAPES_DIR       | the package's ``resources/shapes``   | SHACL shapes of the gate                 |
| KG_QUERIES_DIR      | the package's ``resources/queries``  | saved analyst queries (``*.rq``)         |

Bad values raise :class:`kg.errors.ConfigError` from :func:`load_settings`, naming each variable.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kg.errors import ConfigError
from kg.resources import resource_dir

__all__ = ["Settings", "get_settings", "load_settings"]

ADMIRALTY_GRADES = frozenset("ABCDEF")


class Settings(BaseSettings):
    """Every knob of osint-kg, validated at start-up."""

    model_config = SettingsConfigDict(env_prefix="KG_", env_file=".env", extra="ignore")

    store: Path = Path("data/store")
    base_iri: str = "https://w3id.org/osint-kg/id/"
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout_s: float = Field(30.0, gt=0, le=300)
    query_workers: int = Field(4, ge=1, le=64)
    query_memory_mb: int = Field(0, ge=0, description="0: half the machine's memory, shared by the workers")
    update_token: SecretStr | None = None
    snapshot_interval_s: float = Field(2.0, ge=0)
    max_rows: int = 100_000
    max_request_bytes: int = 1_000_000
    max_write_bytes: int = 64_000_000  # a Graph Store write's body, read only once its token is checked
    union_default_graph: bool = True
    ontology_dir: Path = Field(default_factory=lambda: resource_dir("ontology"))
    shapes_dir: Path = Field(default_factory=lambda: resource_dir("shapes"))
    queries_dir: Path = Field(default_factory=lambda: resource_dir("queries"))
    reliability: dict[str, str] = {}
    service_allowlist: list[str] = []
    cors_origins: list[str] = []

    @field_validator("base_iri")
    @classmethod
    def _base_iri_is_absolute(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError(f"base IRI must be an absolute http(s) IRI, got {value!r}")
        if not value.endswith(("/", "#")):
            raise ValueError(f"base IRI must end with '/' or '#', got {value!r}")
        return value

    @field_validator("ontology_dir", "shapes_dir")
    @classmethod
    def _resource_dir_exists(cls, value: Path) -> Path:
        if not value.is_dir():
            raise ValueError(
                f"{value} is not a directory; set KG_ONTOLOGY_DIR / KG_SHAPES_DIR to the "
                f"ontology/ and shapes/ folders of osint-kg"
            )
        return value

    @field_validator("update_token")
    @classmethod
    def _token_is_long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("the update token must be at least 16 characters long")
        return value

    @field_validator("service_allowlist")
    @classmethod
    def _hosts_are_bare(cls, value: list[str]) -> list[str]:
        bad = [entry for entry in value if not _is_host_and_port(entry)]
        if bad:
            raise ValueError(f"the SERVICE allowlist takes host or host:port entries (no scheme or path), got {bad}")
        return [entry.lower() for entry in value]

    @model_validator(mode="after")
    def _default_query_memory(self) -> Settings:
        if self.query_memory_mb == 0:
            self.query_memory_mb = max(256, _machine_memory_mb() // 2 // self.query_workers)
        return self

    @field_validator("reliability")
    @classmethod
    def _grades_are_admiralty(cls, value: dict[str, str]) -> dict[str, str]:
        bad = {k: v for k, v in value.items() if v.upper() not in ADMIRALTY_GRADES}
        if bad:
            raise ValueError(f"reliability grades must be A-F (Admiralty scale), got {bad}")
        return {k: v.upper() for k, v in value.items()}


def _is_host_and_port(entry: str) -> bool:
    """Whether ``entry`` is ``host`` or ``host:port`` and nothing more."""
    try:
        parts = urlsplit(f"//{entry}")
        port = parts.port
    except ValueError:
        return False
    if not entry or parts.hostname is None or parts.path or parts.query or parts.fragment or "@" in entry:
        return False
    return port is None or entry.endswith(f":{port}")


def _machine_memory_mb() -> int:
    """Physical memory of this machine in MiB."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024)
    except (ValueError, OSError):
        return 4096


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment with ``overrides`` on top; :class:`ConfigError` names each bad value."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(
            f"KG_{'_'.join(str(part) for part in error['loc']).upper()}: {error['msg']}" for error in exc.errors()
        )
        raise ConfigError(f"invalid configuration: {problems}") from exc


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()
