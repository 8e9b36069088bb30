"""The endpoint's authorised writes: the live store opened read-write for one write at a time.

``kg serve`` does not hold the live store: its query workers read snapshots.
A write opens the store read-write (or uses the store the app was given), runs
in one transaction and publishes a new snapshot at once, so the next query
sees it. While ``kg ingest`` holds the store a write fails with
:class:`~kg.errors.StoreLockedError` (503 at the edge: try again later).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from kg.config import Settings
from kg.store import KgStore

__all__ = ["StoreWriter"]

T = TypeVar("T")


class StoreWriter:
    """Runs write functions on the live store, one at a time, publishing a snapshot after each."""

    def __init__(self, settings: Settings, store: KgStore | None = None) -> None:
        self.settings = settings
        self.store = store
        self._lock = threading.Lock()

    def write(self, func: Callable[[KgStore], T]) -> T:
        """``func(store)``, then a snapshot for the readers (blocking)."""
        with self._lock:
            if self.store is not None:
                result = func(self.store)
                self.store.publish_snapshot()
                return result
            with KgStore(self.settings.store, snapshot_interval_s=0) as store:
                return func(store)
