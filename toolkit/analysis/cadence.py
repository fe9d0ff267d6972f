"""Update cadence: the gaps between updates, against the severity's longest allowed interval.

Two audiences per incident:

* ``internal`` — from the declaration through every war-room update (``update`` events
  from Slack) to the resolution;
* ``public`` — from the first status-page update through every later one to the status
  page's resolution (else the incident's).

The silence from the last update to the resolution is a gap too; for an open incident
the silence so far (to ``as_of``) is. Gaps are measured to the second (war-room times
carry sub-second noise) and compared with ``update_max_minutes`` of the incident's
severity (SEV1: 30, SEV2: 60, SEV3: 60; SEV4 and unknown severities have no cadence).

Examples
--------
>>> from toolkit.timeline import Timeline
>>> cadence(Timeline.empty()).columns[:3]
['incident_id', 'audience', 'severity']
"""

from __future__ import annotations

import polars as pl

from toolkit.policy import Policy
from toolkit.schema import UTC, Severity
from toolkit.timeline import Timeline

__all__ = ["CADENCE_SCHEMA", "cadence", "internal_updates", "public_updates", "update_gaps"]

CADENCE_SCHEMA = pl.Schema(
    {
        "incident_id": pl.String(),
        "audience": pl.String(),
        "severity": pl.String(),
        "limit_min": pl.Int64(),
        "start_at": UTC,
        "end_at": UTC,
        "is_open": pl.Boolean(),
        "n_updates": pl.Int64(),
        "gaps_min": pl.List(pl.Float64()),
        "n_gaps": pl.Int64(),
        "n_within": pl.Int64(),
        "compliance": pl.Float64(),
        "longest_silence_min": pl.Float64(),
        "first_update_lag_min": pl.Float64(),
    }
)


def internal_updates(timeline: Timeline) -> pl.LazyFrame:
    """War-room updates: ``incident_id, at``."""
    ev = timeline.events.lazy()
    return ev.filter(
        (pl.col("kind") == "update")
        & (pl.col("visibility") == "internal")
        & pl.col("sources").list.contains("slack")
    ).select("incident_id", "at")


def public_updates(timeline: Timeline) -> pl.LazyFrame:
    """Status-page updates (one per time): ``incident_id, at``."""
    ev = timeline.events.lazy()
    return (
        ev.filter(pl.col("kind").is_in(["status_update", "resolve"]) & (pl.col("visibility") == "public"))
        .select("incident_id", "at")
        .unique()
    )


def _minutes(expr: pl.Expr) -> pl.Expr:
    return (expr.dt.total_microseconds() / 1e6).round(0) / 60


def update_gaps(updates: pl.LazyFrame, bounds: pl.LazyFrame) -> pl.LazyFrame:
    """One row per gap (``incident_id, at, gap_min``), from ``bounds`` (``incident_id,
    start_at, end_at``) through ``updates`` strictly inside them to the end."""
    inside = (
        updates.join(bounds, on="incident_id")
        .filter((pl.col("at") > pl.col("start_at")) & (pl.col("at") <= pl.col("end_at")))
        .select("incident_id", "at")
    )
    points = pl.concat(
        [
            bounds.select("incident_id", at="start_at"),
            inside,
            bounds.filter(pl.col("end_at") > pl.col("start_at")).select("incident_id", at="end_at"),
        ]
    ).sort("incident_id", "at")
    return (
        points.with_columns(gap_min=_minutes(pl.col("at").diff().over("incident_id")))
        .filter(pl.col("gap_min") > 0)
        .select("incident_id", "at", "gap_min")
    )


def cadence(timeline: Timeline, *, policy: Policy | None = None) -> pl.DataFrame:
    """One row per incident and audience (module docs): the gaps, their share within the
    severity's limit (``compliance``), the longest silence and the first update's lag."""
    pol = policy or Policy.default()
    limits = {s.value: pol.severities[s].update_max_minutes for s in Severity}
    inc = timeline.incidents.lazy()
    as_of = pl.lit(timeline.as_of, dtype=UTC)
    end_internal = pl.coalesce("resolved_at", as_of)
    end_public = pl.coalesce("resolved_at_statuspage", "resolved_at", as_of)
    first_public = public_updates(timeline).group_by("incident_id").agg(_first=pl.col("at").min())
    internal_first = (
        internal_updates(timeline)
        .join(inc.select("incident_id", "declared_at"), on="incident_id")
        .filter(pl.col("at") > pl.col("declared_at"))
        .group_by("incident_id")
        .agg(_first=pl.col("at").min())
    )
    parts = []
    for audience, updates, bounds, lag_from in (
        (
            "internal",
            internal_updates(timeline),
            inc.select("incident_id", start_at="declared_at", end_at=end_internal),
            internal_first.join(inc.select("incident_id", _from="declared_at"), on="incident_id"),
        ),
        (
            "public",
            public_updates(timeline),
            inc.join(first_public, on="incident_id", how="left").select(
                "incident_id", start_at="_first", end_at=end_public
            ),
            first_public.join(inc.select("incident_id", _from="detected_at"), on="incident_id"),
        ),
    ):
        valid = bounds.filter(pl.col("start_at").is_not_null() & pl.col("end_at").is_not_null())
        gaps = update_gaps(updates, valid)
        n_updates = (
            updates.join(valid, on="incident_id")
            .filter((pl.col("at") >= pl.col("start_at")) & (pl.col("at") <= pl.col("end_at")))
            .group_by("incident_id")
            .agg(n_updates=pl.len().cast(pl.Int64))
        )
        lag = lag_from.select(
            "incident_id", first_update_lag_min=_minutes(pl.col("_first") - pl.col("_from"))
        )
        per = gaps.group_by("incident_id").agg(gaps_min=pl.col("gap_min"))
        parts.append(
            inc.select("incident_id", "severity", "resolved_at")
            .join(bounds, on="incident_id", how="left")
            .join(per, on="incident_id", how="left")
            .join(n_updates, on="incident_id", how="left")
            .join(lag, on="incident_id", how="left")
            .with_columns(audience=pl.lit(audience))
        )
    limit = pl.col("severity").replace_strict(limits, default=None, return_dtype=pl.Int64)
    out = (
        pl.concat(parts)
        .with_columns(
            limit_min=limit,
            is_open=pl.col("resolved_at").is_null(),
            gaps_min=pl.col("gaps_min").fill_null([]),
            n_updates=pl.col("n_updates").fill_null(0),
        )
        .collect()
    )
    counts = (
        out.select("incident_id", "audience", "gaps_min", "limit_min")
        .explode("gaps_min")
        .group_by("incident_id", "audience")
        .agg(n_within=(pl.col("gaps_min") <= pl.col("limit_min")).sum().cast(pl.Int64))
    )
    out = (
        out.join(counts, on=["incident_id", "audience"], how="left")
        .with_columns(
            n_gaps=pl.col("gaps_min").list.len().cast(pl.Int64),
            longest_silence_min=pl.col("gaps_min").list.max(),
        )
        .with_columns(
            n_within=pl.when(pl.col("limit_min").is_not_null() & (pl.col("n_gaps") > 0)).then("n_within"),
        )
        .with_columns(compliance=pl.col("n_within") / pl.col("n_gaps"))
    )
    return out.select(list(CADENCE_SCHEMA)).cast(CADENCE_SCHEMA).sort("incident_id", "audience")
