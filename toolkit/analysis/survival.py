"""Kaplan–Meier curves: the share of incidents resolved by each time, open ones censored.

An incident with the milestone (resolved, for ``time_to_resolve``) is an event at its
duration; one without it is censored at the time it was last observed: ``as_of`` while
open, its resolution when closed without the milestone.

Examples
--------
>>> import datetime as dt, polars as pl
>>> m = dt.timedelta(minutes=1)
>>> d = pl.DataFrame({"time_to_resolve": [10 * m, 20 * m, None], "observed": [10 * m, 20 * m, 15 * m],
...                   "is_open": [False, False, True]})
>>> survival(d).select("time_min", "n_at_risk", pl.col("resolved").round(3)).rows()
[(0.0, 3, 0.0), (10.0, 3, 0.333), (15.0, 2, 0.333), (20.0, 1, 1.0)]
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from toolkit.errors import ArgumentError

__all__ = ["survival"]


def survival(
    durations: pl.DataFrame, metric: str = "time_to_resolve", by: str | Sequence[str] | None = None
) -> pl.DataFrame:
    """Kaplan–Meier estimate per group: ``<keys>, time_min, n_at_risk, n_events, n_censored,
    survival`` (still without the milestone) and ``resolved`` (1 − survival), one row per
    distinct time plus a first row at 0 minutes."""
    if metric not in durations.columns:
        raise ArgumentError(
            f"no duration {metric!r}; choose from {', '.join(c for c in durations.columns if c.startswith(('time_to', 'public')))}"
        )
    keys = [] if by is None else [by] if isinstance(by, str) else list(by)
    df = durations
    if "component" in keys:
        df = df.with_columns(component=pl.col("components")).explode("component", empty_as_null=True)
    obs = df.filter(pl.coalesce(metric, "observed").is_not_null()).select(
        *keys,
        time_min=pl.coalesce(metric, "observed").dt.total_microseconds() / 60e6,
        event=pl.col(metric).is_not_null(),
    )
    per_time = (
        obs.group_by(*keys, "time_min")
        .agg(
            n_events=pl.col("event").sum().cast(pl.Int64), n_censored=(~pl.col("event")).sum().cast(pl.Int64)
        )
        .sort(*keys, "time_min")
    )
    over = keys or None
    removed = pl.col("n_events") + pl.col("n_censored")
    total = removed.sum().over(over) if over else removed.sum()
    before = removed.cum_sum().over(over) - removed if over else removed.cum_sum() - removed
    curve = per_time.with_columns(n_at_risk=(total - before).cast(pl.Int64)).with_columns(
        survival=(1 - pl.col("n_events") / pl.col("n_at_risk")).cum_prod().over(over)
        if over
        else (1 - pl.col("n_events") / pl.col("n_at_risk")).cum_prod()
    )
    starts = (
        curve.group_by(*keys).agg(n_at_risk=pl.col("n_at_risk").max())
        if keys
        else pl.DataFrame({"n_at_risk": [curve["n_at_risk"].max() or 0]}, schema={"n_at_risk": pl.Int64})
    ).with_columns(
        time_min=pl.lit(0.0),
        n_events=pl.lit(0, pl.Int64),
        n_censored=pl.lit(0, pl.Int64),
        survival=pl.lit(1.0),
    )
    cols = [*keys, "time_min", "n_at_risk", "n_events", "n_censored", "survival"]
    out = pl.concat([starts.select(cols), curve.select(cols)], how="vertical_relaxed").sort(
        *keys, "time_min", "n_events"
    )
    out = out.unique([*keys, "time_min"], keep="last", maintain_order=True)
    return out.with_columns(resolved=1 - pl.col("survival"))
