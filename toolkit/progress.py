"""Progress bars for long work, in the terminal and in notebooks (rich renders in both)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["progress", "want_progress"]


def want_progress(enabled: bool | None) -> bool:
    """Resolve ``enabled=None`` (auto): on when stderr is a terminal or inside Jupyter."""
    if enabled is not None:
        return enabled
    if os.environ.get("INCIDENT_TOOLKIT_NO_PROGRESS"):
        return False
    if _in_notebook():
        return True
    return sys.stderr.isatty()


def _noop(n: float = 1) -> None:
    """Advance nothing (progress disabled)."""


def _in_notebook() -> bool:
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


@contextmanager
def progress(
    description: str, total: float | None, *, enabled: bool | None = None
) -> Iterator[Callable[[float], None]]:
    """A context giving ``advance(n)``; shows a bar when enabled (see :func:`want_progress`).

    Examples
    --------
    >>> with progress("reading", total=3, enabled=False) as advance:
    ...     for _ in range(3):
    ...         advance(1)
    """
    if not want_progress(enabled):
        yield _noop
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=False,
    ) as bar:
        task = bar.add_task(description, total=total)

        def advance(n: float = 1) -> None:
            bar.advance(task, n)

        yield advance
