"""Resolution criteria of the seed: mitigation stable, root cause known, post-mortem on time, review done.

* ``mitigation_stable``: the mitigation held ``mitigation_stable_minutes`` (15) before the
  resolution (``resolved_at - mitigated_at``);
* ``root_cause_recorded``: a 5-Whys node marked root cause, a post-mortem root-cause
  section, or a resolution message with a "Root cause:" line;
* ``postmortem_on_time``: the post-mortem within ``postmortem due_hours`` (48) of the resolution;
* ``review_done``: every action item done or cancelled by ``review days`` (30) after the
  resolution (null without action items, or before those days have passed while some
  are open).

Each is null when it cannot be judged yet (an open incident, a missing milestone).

Examples
--------
>>> from toolkit.timeline import Timeline
>>> resolution_criteria(Timeline.empty()).columns[:3]
['incident_id', 'stable_min', 'mitigation_stable']
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from toolkit.policy import Policy
from toolkit.schema import UTC
from toolkit.timeline import Timeline

__all__ = ["resolution_criteria"]

_ROOT_CAUSE_LINE = r"(?im)^[^\w\n]*root[\s-]?cause[*_]*\s*:"


def resolution_criteria(timeline: Timeline, *, policy: Policy | None = None) -> pl.DataFrame:
    """One row per incident with each criterion (module docs) and the figures behind it."""
    pol = policy or Policy.default()
    inc = timeline.incidents
    whys = timeline.whys.filter(pl.col("is_root_cause")).select("incident_id").unique()
    sections = timeline.sections.filter(pl.col("section") == "root_cause").select("incident_id").unique()
    said = (
        timeline.events.filter(
            (pl.col("kind") == "resolve") & pl.col("text").fill_null("").str.contains(_ROOT_CAUSE_LINE)
        )
        .select("incident_id")
        .unique()
    )
    known = pl.concat([whys, sections, said]).unique().with_columns(_rc=pl.lit(True))
    items = timeline.action_items.group_by("incident_id").agg(
        n_action_items=pl.len().cast(pl.Int64),
        _last_closed=pl.when(pl.col("status").is_in(["done", "cancelled"]))
        .then(pl.coalesce("completed_at", "updated_at", pl.lit(None, UTC)))
        .max(),
        n_open_items=pl.col("status").is_in(["pending", "in_progress"]).sum().cast(pl.Int64),
        _undated=(
            pl.col("status").is_in(["done", "cancelled"])
            & pl.coalesce("completed_at", "updated_at").is_null()
        ).sum(),
    )
    as_of = pl.lit(timeline.as_of, dtype=UTC)
    review_by = pl.col("resolved_at") + timedelta(days=pol.review_days)
    stable = ((pl.col("resolved_at") - pl.col("mitigated_at")).dt.total_microseconds() / 1e6).round(0) / 60
    lag_h = (pl.col("postmortem_at") - pl.col("resolved_at")).dt.total_microseconds() / 3.6e9
    return (
        inc.select("incident_id", "mitigated_at", "resolved_at", "postmortem_at")
        .join(known, on="incident_id", how="left")
        .join(items, on="incident_id", how="left")
        .select(
            "incident_id",
            stable_min=stable,
            mitigation_stable=stable >= pol.mitigation_stable_minutes,
            root_cause_recorded=pl.col("_rc").fill_null(False),
            postmortem_lag_h=lag_h,
            postmortem_on_time=pl.when(pl.col("resolved_at").is_not_null()).then(
                pl.when(pl.col("postmortem_at").is_not_null())
                .then(lag_h <= pol.postmortem_due_hours)
                .when(as_of > pl.col("resolved_at") + timedelta(hours=pol.postmortem_due_hours))
                .then(False)
            ),
            n_action_items=pl.col("n_action_items").fill_null(0),
            n_open_items=pl.col("n_open_items").fill_null(0),
            review_done=pl.when(pl.col("n_action_items").fill_null(0) > 0).then(
                pl.when(pl.col("n_open_items") == 0)
                .then(
                    pl.col("_last_closed").is_null()
                    | (pl.col("_last_closed") <= review_by)
                    | (pl.col("_undated") > 0)
                )
                .when(as_of > review_by)
                .then(False)
            ),
        )
    )
