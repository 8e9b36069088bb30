"""The read-only snapshots a writer publishes for readers (the query workers, ``kg export`` meanwhile).

A snapshot is an Oxigraph checkpoint of the live store in ``STORE.snapshots/``;
the file ``CURRENT`` there names the newest one and is replaced atomically.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pyoxigraph as ox

from kg.errors import StoreError

__all__ = [
    "SNAPSHOT_GRACE_S",
    "latest_snapshot",
    "live_changed_ns",
    "prune_snapshots",
    "snapshots_dir",
    "write_snapshot",
]

SNAPSHOT_GRACE_S = 600.0
"""Older snapshots are deleted only once they are this old and two newer ones exist."""


def snapshots_dir(store: Path | str) -> Path:
    """Where the snapshots of the store at ``store`` are published."""
    path = Path(store)
    return path.with_name(path.name + ".snapshots")


def latest_snapshot(store: Path | str) -> Path | None:
    """The newest published snapshot of ``store``, or None if there is none."""
    directory = snapshots_dir(store)
    try:
        name = (directory / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"{directory}: cannot read the snapshot pointer: {exc}") from exc
    snapshot = directory / name
    return snapshot if name and snapshot.is_dir() else None


def live_changed_ns(store: Path | str) -> int:
    """When the files of the live store at ``store`` last changed (ns since the epoch; 0 if there are none)."""
    try:
        return max((entry.stat().st_mtime_ns for entry in os.scandir(store) if entry.is_file()), default=0)
    except OSError:
        return 0


def write_snapshot(store: ox.Store, path: Path) -> Path:
    """Checkpoint ``store`` (the live store at ``path``) into a new snapshot and make it the current one."""
    directory = snapshots_dir(path)
    name = f"{time.time_ns():020d}-{os.getpid()}"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        store.backup(str(directory / name))
        pointer = directory / f".CURRENT.{name}"
        pointer.write_text(name + "\n", encoding="utf-8")
        os.replace(pointer, directory / "CURRENT")
    except OSError as exc:
        raise StoreError(f"{directory}: cannot publish a snapshot: {exc}") from exc
    return directory / name


def prune_snapshots(directory: Path, keep: str) -> None:
    """Delete snapshots that have two newer ones and are older than :data:`SNAPSHOT_GRACE_S`.

    A reader opens the current snapshot for each query, so one older than the
    grace period (far longer than any query may run) has no reader left.
    """
    names = sorted(p.name for p in directory.iterdir() if p.is_dir() and p.name != keep)
    now = time.time_ns()
    for name in names[:-1]:
        try:
            made = int(name.split("-", 1)[0])
        except ValueError:
            continue
        if now - made > SNAPSHOT_GRACE_S * 1e9:
            shutil.rmtree(directory / name, ignore_errors=True)
