"""Processes that edit action items at the same time (run by the concurrency tests)."""

from __future__ import annotations

from typing import Any

from toolkit import actions
from toolkit.errors import ConflictError
from toolkit.store import Workspace


def bump(path: str, item_id: str, name: str, times: int) -> None:
    """Change one item ``times`` times, each based on the version just read."""
    ws = Workspace(path)
    for i in range(times):
        version = actions.get(ws, item_id).version
        actions.update(ws, item_id, version=version, actor=name, notes=f"{name} {i}")


def race(path: str, item_id: str, name: str, times: int, barrier: Any, results: Any) -> None:
    """Read the item, wait for the other process to have read it too, then both save.

    Both save based on the same version, so each round one save wins and one is refused.
    """
    ws = Workspace(path)
    won = refused = 0
    for i in range(times):
        barrier.wait()
        version = actions.get(ws, item_id).version
        barrier.wait()
        try:
            actions.update(ws, item_id, version=version, actor=name, notes=f"{name} {i}")
            won += 1
        except ConflictError as exc:
            if (exc.yours, exc.current) != (version, version + 1):
                raise
            refused += 1
    results[name] = (won, refused)
