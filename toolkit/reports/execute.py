"""Run a report notebook with papermill: fresh kernel, parameters injected, executed copy kept.

A failing cell becomes a :class:`RenderError` (cell index, exception name and value, from
papermill's ``PapermillExecutionError``) instead of an exception, so that one bad report
never stops a batch. papermill and nbformat are imported on first use.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["KERNEL", "RenderError", "close_thread_loop", "execute"]

KERNEL = "python3"
"""The kernel reports run in: the Python that runs the render (jupyter_client maps it)."""

# ipykernel warns on stderr for every kernel that talks TCP on localhost; keep real errors only.
_KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR"]


@dataclass(frozen=True)
class RenderError:
    """Why one report could not be rendered.

    ``cell`` is the index of the failing cell in the executed notebook (papermill's
    injected-parameters cell counts), ``None`` when the failure was not in a cell (export,
    a missing notebook, a worker that died); ``source`` is that cell's last line (in a
    thin notebook, the call that failed).
    """

    kind: str
    key: str
    ename: str
    evalue: str
    cell: int | None = None
    source: str = ""

    def __str__(self) -> str:
        where = (
            f"cell {self.cell}" + (f" ({self.source})" if self.source else "")
            if self.cell is not None
            else ""
        )
        what = f"{self.ename}: {self.evalue}" if self.evalue else self.ename
        return f"{self.kind} {self.key}: " + (f"{where}: " if where else "") + what

    @classmethod
    def of(cls, exc: BaseException, *, kind: str, key: str) -> RenderError:
        """The error for ``exc``, with cell, name and value when papermill raised it."""
        cell = getattr(exc, "cell_index", None)
        if cell is not None and hasattr(exc, "ename"):
            source = str(getattr(exc, "source", "") or "").strip().splitlines()
            return cls(
                kind,
                key,
                str(getattr(exc, "ename", "")),
                _one_line(str(getattr(exc, "evalue", ""))),
                int(cell),
                source[-1] if source else "",
            )
        return cls(kind, key, type(exc).__name__, _one_line(str(exc)))


def close_thread_loop() -> None:
    """Close the event loop nbclient left in this thread, unless it is the main thread.

    nbclient (through jupyter_core) gives each thread an event loop and never closes it;
    in a thread pool (or a Dask worker's threads) it would leak when the thread ends.
    """
    if threading.current_thread() is threading.main_thread():
        return
    try:
        loop = asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:
        return
    if not loop.is_running() and not loop.is_closed():
        loop.close()
    asyncio.set_event_loop(None)


def _one_line(text: str) -> str:
    return " ".join(text.split())[:500]


def execute(
    notebook: Path,
    output: Path,
    parameters: Mapping[str, Any],
    *,
    cwd: Path,
    kernel: str = KERNEL,
    timeout: int = 600,
) -> Any:
    """Execute ``notebook`` with ``parameters`` into ``output``; return the executed notebook.

    Raises papermill's ``PapermillExecutionError`` when a cell fails (the executed copy,
    with the error in it, is written all the same).
    """
    import papermill

    output.parent.mkdir(parents=True, exist_ok=True)
    return papermill.execute_notebook(
        str(notebook),
        str(output),
        parameters=dict(parameters),
        kernel_name=kernel,
        # the kernel starts in ``cwd`` (nbclient's path); papermill's own cwd= would chdir
        # this whole process, which is not safe with threads
        resources={"metadata": {"path": str(cwd)}},
        progress_bar=False,
        log_output=False,
        request_save_on_cell_execute=False,
        shutdown_kernel="immediate",
        execution_timeout=timeout,
        extra_arguments=_KERNEL_ARGS,
    )
