"""What the ``render`` command asks for, checked: which incidents, which formats, which executor.

Every mistake here is the user's and raises :class:`~toolkit.errors.ToolkitError`
subclass :class:`RenderOptionError` with one line saying what to do; the CLI prints it
and exits 2.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl

from toolkit.errors import ToolkitError

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.store import Workspace

__all__ = [
    "RenderOptionError",
    "executor_for",
    "formats_from",
    "incident_ids",
    "report_incidents",
    "since_from",
]


class RenderOptionError(ToolkitError):
    """A ``render`` option that cannot be used as given."""


def report_incidents(ws: Workspace) -> pl.DataFrame:
    """The incidents a post-mortem can be rendered for: ``incident_id`` and ``at``, earliest first.

    Today every source's incident record (``ws.incidents()``); the timeline's linked
    incidents will take their place here.
    """
    from toolkit.reports.review import incident_time

    return ws.incidents().select("incident_id", at=incident_time()).unique("incident_id", maintain_order=True)


def since_from(text: str | None) -> date | None:
    """``--since YYYY-MM-DD`` as a date."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RenderOptionError(f"--since: expected a date like 2025-01-15, got {text!r}") from None


def incident_ids(
    ws: Workspace, ids: Sequence[str], *, every: bool = False, since: date | None = None
) -> list[str]:
    """The incidents to render: ``ids`` as given (each must exist), or all of them (``every``).

    ``since`` keeps the incidents that happened on that day or later.
    """
    if bool(ids) == every:
        raise RenderOptionError("name incident ids or pass --all (not both, not neither)")
    known = report_incidents(ws)
    if since is not None:
        known = known.filter(pl.col("at").dt.date() >= since)
    if every:
        return list(known["incident_id"])
    have = set(report_incidents(ws)["incident_id"])
    missing = [i for i in ids if i not in have]
    if missing:
        raise RenderOptionError(
            f"{ws.path}: no incident {', '.join(map(repr, missing))}; list them with `incident-toolkit incidents`"
        )
    keep = set(known["incident_id"])
    return [i for i in dict.fromkeys(ids) if i in keep]


def formats_from(text: str) -> tuple[str, ...]:
    """``--format html,md`` as a tuple of known formats."""
    from toolkit.reports.render import check_formats

    try:
        return check_formats(text.split(","))
    except ValueError as exc:
        raise RenderOptionError(f"--format: {exc}") from None


@contextmanager
def executor_for(name: str | None, *, scheduler: str | None = None) -> Iterator[Any]:
    """The executor ``--executor`` names: ``None`` (worker processes) or ``dask``.

    ``dask`` connects to ``scheduler`` (``tcp://host:8786``), or starts a local cluster
    when none is given; the client is closed afterwards.
    """
    if name is None:
        if scheduler is not None:
            raise RenderOptionError("--scheduler needs --executor dask")
        yield None
        return
    if name != "dask":
        raise RenderOptionError(f"--executor: unknown executor {name!r}; use dask (or leave it out)")
    try:
        from distributed import Client
    except ImportError:
        raise RenderOptionError(
            "--executor dask needs dask.distributed: pip install 'incident-toolkit[dask]'"
        ) from None
    try:
        client = Client(scheduler) if scheduler else Client(processes=True)  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise RenderOptionError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
    try:
        yield client
    finally:
        client.close()  # type: ignore[no-untyped-call]
