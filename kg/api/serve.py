"""``kg serve``: the SPARQL endpoint under uvicorn."""

from __future__ import annotations

import copy
from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from kg.api import create_app
from kg.config import Settings

__all__ = ["serve"]


def serve(settings: Settings) -> None:
    """Serve ``settings.store`` on ``settings.host:settings.port`` until interrupted."""
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_config=_log_config(),
        access_log=False,
    )


def _log_config() -> dict[str, Any]:
    """uvicorn's logging set-up, plus the ``kg`` loggers (the access log included) at INFO."""
    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["kg"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config
