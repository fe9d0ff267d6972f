"""Durations between milestones, one row per incident (definitions in :data:`DEFINITIONS`).

Examples
--------
>>> from toolkit.timeline import Timeline
>>> durations(Timeline.empty()).columns[:4]
['incident_id', 'severity', 'service', 'components']
"""

from __future__ import annotations

import polars as pl

from toolkit.analysis.definitions import DURATION_METRICS
from toolkit.policy import Policy
from toolkit.schema import UTC
from toolkit.timeline import Timeline

__all__ = ["FORMULAS", "durations", "first_public_update"]

FORMULAS: dict[str, tuple[str, str]] = {
    "time_to_detect": ("detected_at", "started_at"),
    "time_to_acknowledge": ("acknowledged_at", "detected_at"),
    "time_to_declare": ("declared_at", "detected_at"),
    "time_to_mitigate": ("mitigated_at", "started_at"),
    "time_to_resolve": ("resolved_at", "started_at"),
    "public_comms_lag": ("first_public_update_at", "detected_at"),
}
"""Each duration metric as ``(later milestone, earlier milestone)``."""


def first_public_update(timeline: Timeline) -> pl.DataFrame:
    """Per incident, the first public status-page update (``incident_id, first_public_update_at``)."""
    return (
        timeline.events.lazy()
        .filter((pl.col("visibility") == "public") & pl.col("kind").is_in(["status_update", "resolve"]))
        .group_by("incident_id")
        .agg(first_public_update_at=pl.col("at").min())
        .collect()
    )


def durations(timeline: Timeline, *, policy: Policy | None = None) -> pl.DataFrame:
    """One row per incident: its keys, milestones and the six durations (``pl.Duration``, full precision).

    Columns: incident_id, severity, service, components, month (``YYYY-MM`` of the start
    in the team's time zone), is_open, the milestones, first_public_update_at, as_of, the
    durations of :data:`FORMULAS`, and ``observed`` (start to resolution, or to ``as_of``
    while open: what survival curves censor at).
    """
    zone = (policy or Policy.default()).team.time_zone
    inc = timeline.incidents
    as_of = pl.lit(timeline.as_of, dtype=UTC)
    base = inc.join(first_public_update(timeline), on="incident_id", how="left").with_columns(
        month=pl.col("started_at").dt.convert_time_zone(zone).dt.strftime("%Y-%m"),
        is_open=pl.col("resolved_at").is_null(),
        as_of=as_of,
        first_public_update_at=pl.col("first_public_update_at").cast(UTC),
    )
    return base.select(
        "incident_id",
        "severity",
        "service",
        "components",
        "month",
        "is_open",
        "started_at",
        "detected_at",
        "acknowledged_at",
        "declared_at",
        "mitigated_at",
        "resolved_at",
        "first_public_update_at",
        "as_of",
        *((pl.col(a) - pl.col(b)).alias(m) for m, (a, b) in FORMULAS.items() if m in DURATION_METRICS),
        observed=pl.coalesce("resolved_at", "as_of") - pl.col("started_at"),
    )
