"""Status-page phases: when each incident first reached each status, and its update gaps.

A pure function over the updates (and, when at hand, the incidents) frames of
:class:`~toolkit.importers.statuspage.StatuspageData`; it is the basis of the status-page
duration metrics in reports (investigating -> identified -> monitoring -> resolved ->
postmortem).
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from toolkit.schema import UpdateStatus

__all__ = [
    "PHASE_STATUSES",
    "TimeBasis",
    "check_time_basis",
    "maintenances_as_incidents",
    "phases",
    "same_incident",
    "update_time",
]

TimeBasis = Literal["created_at", "display_at"]
"""Which clock of an update to use: when it was posted, or when it says it was posted."""

PHASE_STATUSES = (
    UpdateStatus.investigating,
    UpdateStatus.identified,
    UpdateStatus.monitoring,
    UpdateStatus.resolved,
    UpdateStatus.postmortem,
)
_ACTIVE = (UpdateStatus.investigating, UpdateStatus.identified, UpdateStatus.monitoring)


def check_time_basis(time_basis: str) -> TimeBasis:
    """``time_basis`` if it is one we know, else a ValueError that names the choices."""
    if time_basis == "created_at":
        return "created_at"
    if time_basis == "display_at":
        return "display_at"
    raise ValueError(f"time_basis must be 'created_at' or 'display_at', got {time_basis!r}")


def same_incident() -> pl.Expr:
    """True where a row belongs to the same incident as the row before (rows grouped by incident).

    Cheaper than ``.over("page", "incident_ref")`` on frames already sorted by incident.
    """
    return (pl.col("page") == pl.col("page").shift(1)) & (
        pl.col("incident_ref") == pl.col("incident_ref").shift(1)
    )


def update_time(time_basis: TimeBasis) -> pl.Expr:
    """An update's time on ``time_basis`` (``display_at`` falls back to ``at`` when missing)."""
    if time_basis == "display_at":
        return pl.coalesce("display_at", "at")
    return pl.col("at")


def phases(
    updates: pl.DataFrame, incidents: pl.DataFrame | None = None, *, time_basis: TimeBasis = "created_at"
) -> pl.DataFrame:
    """One row per incident: first time of each status, time to resolve, update gaps.

    ``updates`` has the ``statuspage_updates`` columns; ``incidents`` (the Statuspage
    incidents table) supplies impact and components and keeps incidents without any
    update. Without it, impact is the incident's (as every update carries it) and
    components the union of the updates' components.

    Examples
    --------
    >>> import datetime as dt
    >>> t = dt.datetime(2025, 1, 15, 10, 5, tzinfo=dt.UTC)
    >>> ups = pl.DataFrame({"page": "p", "incident_ref": "i", "update_id": ["a", "b"],
    ...     "at": [t, t + dt.timedelta(minutes=70)], "display_at": [t, None],
    ...     "status": ["investigating", "resolved"], "impact": "minor",
    ...     "components": [["API"], ["API"]]})
    >>> phases(ups)["time_to_resolve"].to_list()
    [datetime.timedelta(seconds=4200)]
    """
    t = update_time(time_basis)
    status = pl.col("status")
    ordered = updates.with_columns(_t=t).sort("page", "incident_ref", "_t", "update_id")

    def first(s: UpdateStatus) -> pl.Expr:
        return pl.col("_t").filter(status == s).min().alias(f"{s}_at")

    per = ordered.group_by("page", "incident_ref").agg(
        *(first(s) for s in PHASE_STATUSES),
        first_update_at=pl.col("_t").min(),
        _first_active=pl.col("_t").filter(status.is_in(_ACTIVE)).min(),
        _impact=pl.col("impact").last(),
        _components=pl.col("components").explode().drop_nulls().unique(maintain_order=True),
    )
    gaps = (
        ordered.filter(status.ne_missing(UpdateStatus.postmortem))
        .with_columns(_gap=pl.when(same_incident()).then(pl.col("_t").diff()))
        .group_by("page", "incident_ref")
        .agg(
            n_gaps=pl.col("_gap").count().cast(pl.Int64),
            gap_median=pl.col("_gap").median(),
            gap_max=pl.col("_gap").max(),
        )
    )
    if incidents is None:
        base = per.select(
            "page",
            "incident_ref",
            pl.col("_impact").alias("impact"),
            pl.col("_components").alias("components"),
        )
        order: list[str] = ["page", "first_update_at", "incident_ref"]
    else:
        base = incidents.select("page", "incident_ref", "impact", "components", "created_at")
        order = ["page", "created_at", "incident_ref"]
    out = (
        base.join(per.drop("_impact", "_components"), on=["page", "incident_ref"], how="left")
        .join(gaps, on=["page", "incident_ref"], how="left")
        .with_columns(
            time_to_resolve=pl.col("resolved_at") - pl.col("_first_active"),
            n_gaps=pl.col("n_gaps").fill_null(0),
        )
        .sort(order, nulls_last=True)
    )
    return out.select(
        "page",
        "incident_ref",
        "impact",
        "components",
        *(f"{s}_at" for s in PHASE_STATUSES),
        "first_update_at",
        "time_to_resolve",
        "n_gaps",
        "gap_median",
        "gap_max",
    )


def maintenances_as_incidents(
    maintenances: pl.DataFrame, updates: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The maintenances posted with incident statuses only, as (updates, incidents) frames of
    the incident tables' shape (impact ``maintenance``)."""
    statuses = [s.value for s in PHASE_STATUSES]
    posted = (
        updates.group_by("page", "maintenance_ref")
        .agg(_ok=pl.col("status").is_in(statuses).all())
        .filter("_ok")
        .select("page", "maintenance_ref")
    )
    incidents = maintenances.join(posted, on=["page", "maintenance_ref"]).select(
        "page",
        incident_ref="maintenance_ref",
        impact=pl.lit("maintenance"),
        components="components",
        created_at="created_at",
    )
    ups = (
        updates.join(posted, on=["page", "maintenance_ref"])
        .join(
            incidents.select("page", maintenance_ref="incident_ref", _c="components"),
            on=["page", "maintenance_ref"],
        )
        .select(
            "page",
            incident_ref="maintenance_ref",
            update_id="update_id",
            at="at",
            display_at="display_at",
            status="status",
            body="body",
            impact=pl.lit("maintenance"),
            components=pl.coalesce("affected_components", "_c"),
            affected_components="affected_components",
        )
    )
    return ups, incidents
