"""Run many report jobs: in this process, in a process pool, or on any executor (Dask too).

Anything with ``submit(fn, arg)`` returning a future with ``add_done_callback`` and
``result()`` works: a ``concurrent.futures.Executor`` and a ``dask.distributed.Client``
alike (Dask gets ``pure=False``, so that equal jobs are still run). Results come back
in job order; a job whose worker died comes back as a failed :class:`Rendered`.

Process pools start their workers with ``spawn`` (safe with threads; scripts need the
``if __name__ == "__main__":`` guard).
"""

from __future__ import annotations

import queue
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from toolkit.progress import progress as progress_bar
from toolkit.reports.execute import RenderError
from toolkit.reports.job import Job, Rendered, run_job

__all__ = ["is_dask", "process_pool", "run_jobs"]


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes started with ``spawn`` (reuse it across batches)."""
    import multiprocessing

    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def is_dask(executor: object) -> bool:
    """Whether ``executor`` is a ``dask.distributed`` client (its ``submit`` takes ``pure=``)."""
    return type(executor).__module__.split(".")[0] == "distributed"


def _submit(executor: Any, job: Job) -> Any:
    if is_dask(executor):
        return executor.submit(run_job, job, pure=False)
    return executor.submit(run_job, job)


def _failed(job: Job, exc: BaseException) -> Rendered:
    return Rendered(job.kind, job.key, {}, error=RenderError.of(exc, kind=job.kind, key=job.key))


def _collect(executor: Any, jobs: Sequence[Job], advance: Callable[[float], None]) -> list[Rendered]:
    done: queue.Queue[int] = queue.Queue()
    futures = []
    for index, job in enumerate(jobs):
        future = _submit(executor, job)
        future.add_done_callback(lambda _f, i=index: done.put(i))
        futures.append(future)
    results: list[Rendered | None] = [None] * len(jobs)
    for _ in jobs:
        index = done.get()
        try:
            results[index] = futures[index].result()
        except Exception as exc:  # the worker died or the job could not be sent
            results[index] = _failed(jobs[index], exc)
        advance(1)
    return [r for r in results if r is not None]


def run_jobs(
    jobs: Sequence[Job],
    *,
    workers: int = 1,
    executor: Any = None,
    description: str = "rendering",
    show_progress: bool | None = None,
) -> list[Rendered]:
    """Render ``jobs``; one failing never stops the others.

    Parameters
    ----------
    jobs
        The reports to render.
    workers
        Processes to use when no ``executor`` is given (1: this process, one by one).
    executor
        Any ``concurrent.futures.Executor`` or ``dask.distributed.Client``; it is used
        as it is and not shut down.
    description
        The progress bar's label.
    show_progress
        Show a progress bar (``None``: in a terminal or notebook).
    """
    with progress_bar(description, total=len(jobs), enabled=show_progress) as advance:
        if not jobs:
            return []
        if executor is not None:
            return _collect(executor, jobs, advance)
        if workers <= 1 or len(jobs) == 1:
            out = []
            for job in jobs:
                out.append(run_job(job))
                advance(1)
            return out
        with process_pool(min(workers, len(jobs))) as pool:
            return _collect(pool, jobs, advance)
