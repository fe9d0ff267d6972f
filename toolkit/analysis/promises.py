"""Promised updates ("Next update: 10:30 AM", "next update in 15 minutes"): kept or missed.

A promise (an ``update_promise`` event with its ``due_at``) is answered by the next
update to the same audience after it — a war-room update for a war-room promise, a
status-page update for a public one — or by the resolution, whichever comes first. It is
**kept** when that comes by ``due_at`` plus the policy's grace (``promise_grace_minutes``,
5 by default), else **missed**; ``late_min`` counts from the due time (0 when on time).
A promise of an open incident that nothing has answered yet is ``pending`` until its
grace has passed (as of the timeline's ``as_of``), then missed, late by the time since.

Examples
--------
>>> from toolkit.timeline import Timeline
>>> promises(Timeline.empty()).columns[:4]
['incident_id', 'audience', 'promised_at', 'due_at']
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from toolkit.analysis.cadence import internal_updates, public_updates
from toolkit.policy import Policy
from toolkit.schema import UTC
from toolkit.timeline import Timeline

__all__ = ["PROMISE_SCHEMA", "promises"]

PROMISE_SCHEMA = pl.Schema(
    {
        "incident_id": pl.String(),
        "audience": pl.String(),
        "promised_at": UTC,
        "due_at": UTC,
        "answered_at": UTC,
        "status": pl.String(),
        "kept": pl.Boolean(),
        "late_min": pl.Float64(),
        "ref": pl.String(),
    }
)


def promises(timeline: Timeline, *, policy: Policy | None = None) -> pl.DataFrame:
    """One row per promise (module docs): when made, when due, when answered, kept, late_min."""
    grace = timedelta(minutes=(policy or Policy.default()).promise_grace_minutes)
    ev = timeline.events.lazy()
    made = (
        ev.filter((pl.col("kind") == "update_promise") & pl.col("due_at").is_not_null())
        .select("incident_id", promised_at="at", due_at="due_at", audience="visibility", ref="ref")
        .with_columns(
            audience=pl.when(pl.col("audience") == "public")
            .then(pl.lit("public"))
            .otherwise(pl.lit("internal"))
        )
    )
    answers = (
        pl.concat(
            [
                internal_updates(timeline).with_columns(audience=pl.lit("internal")),
                public_updates(timeline).with_columns(audience=pl.lit("public")),
            ]
        )
        .select("incident_id", "audience", _next="at")
        .sort("_next")
    )
    resolved = timeline.incidents.lazy().select("incident_id", "resolved_at")
    as_of = pl.lit(timeline.as_of, dtype=UTC)
    found = (
        made.sort("promised_at")
        .join_asof(
            answers,
            left_on="promised_at",
            right_on="_next",
            by=["incident_id", "audience"],
            strategy="forward",
            allow_exact_matches=False,
            check_sortedness=False,
        )
        .join(resolved, on="incident_id", how="left")
        .with_columns(
            answered_at=pl.min_horizontal(
                "_next", pl.when(pl.col("resolved_at") > pl.col("promised_at")).then("resolved_at")
            )
        )
    )
    late = ((pl.col("answered_at") - pl.col("due_at")).dt.total_microseconds() / 1e6).round(0).clip(
        0
    ) / 60 + 0.0
    overdue = ((as_of - pl.col("due_at")).dt.total_microseconds() / 1e6).round(0).clip(0) / 60 + 0.0
    answered = pl.col("answered_at").is_not_null()
    status = (
        pl.when(answered & (pl.col("answered_at") <= pl.col("due_at") + grace))
        .then(pl.lit("kept"))
        .when(answered | (as_of > pl.col("due_at") + grace))
        .then(pl.lit("missed"))
        .otherwise(pl.lit("pending"))
    )
    out = found.with_columns(status=status).with_columns(
        kept=pl.when(pl.col("status") != "pending").then(pl.col("status") == "kept"),
        late_min=pl.when(answered).then(late).when(pl.col("status") == "missed").then(overdue),
    )
    return (
        out.select(list(PROMISE_SCHEMA))
        .cast(PROMISE_SCHEMA)
        .sort("incident_id", "promised_at", "due_at")
        .collect()
    )
