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

    One row per linked incident of the workspace's timeline (every source's records of
    one incident are one report); ``at`` is its start, else its detection, declaration
    or resolution.

    Examples
    --------
    With the sample ingested::

        report_incidents(ws)["incident_id"].head(3).to_list()
        # ['INC-2025-01-06-search', 'INC-2025-01-09-notifications', 'INC-2025-01-15-payment']
    """
    from toolkit.reports.context import linked

    incidents = linked(ws).timeline().incidents
    at = pl.coalesce("started_at", "detected_at", "declared_at", "resolved_at")
    return (
        incidents.select("incident_id", at=at)
        .unique("incident_id", maintain_order=True)
        .sort("at", "incident_id", nulls_last=True)
    )


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
    """The linked incidents to render: those ``ids`` name (each must exist), or all of them (``every``).

    An id may be the linked one or any source's own id of the incident (``PD-PZ4F9WB``);
    either gives the linked id, once. ``since`` keeps the incidents that happened on that
    day or later.
    """
    from toolkit.reports.context import linked

    if bool(ids) == every:
        raise RenderOptionError("name incident ids or pass --all (not both, not neither)")
    all_known = report_incidents(ws)
    known = all_known if since is None else all_known.filter(pl.col("at").dt.date() >= since)
    if every:
        return list(known["incident_id"])
    timeline = linked(ws).timeline()
    found = {i: timeline.linked_id(i) for i in ids}
    missing = [i for i, hit in found.items() if hit is None]
    if missing:
        examples = ", ".join(all_known["incident_id"].head(3).to_list())
        raise RenderOptionError(
            f"{ws.path}: no incident {', '.join(map(repr, missing))} (known ids include {examples}); "
            "list them with `incident-toolkit incidents`"
        )
    keep = set(known["incident_id"])
    return [i for i in dict.fromkeys(str(found[i]) for i in ids) if i in keep]


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
