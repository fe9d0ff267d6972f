"""Aggregates of the durations per group: count, open count, median, p90, mean, bootstrap intervals.

Examples
--------
>>> import datetime as dt, polars as pl
>>> d = pl.DataFrame({"incident_id": ["a", "b", "c"], "severity": ["SEV1", "SEV1", "SEV1"],
...                   "is_open": [False, False, True],
...                   "time_to_resolve": [dt.timedelta(minutes=30), dt.timedelta(minutes=90), None]})
>>> summarize(d, metrics=["time_to_resolve"]).select("severity", "n", "n_open", "median_min").row(0)
('SEV1', 2, 1, 60.0)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from toolkit.analysis.bootstrap import mean_ci, median_ci
from toolkit.analysis.definitions import DURATION_METRICS
from toolkit.errors import ArgumentError

__all__ = ["GROUPS", "SUMMARY_SCHEMA", "summarize"]

GROUPS = ("severity", "service", "component", "month")
"""What summaries can be grouped by (``component`` counts an incident under each of its components)."""

SUMMARY_SCHEMA = pl.Schema(
    {
        "metric": pl.String(),
        "n": pl.Int64(),
        "n_open": pl.Int64(),
        "n_missing": pl.Int64(),
        "median_min": pl.Float64(),
        "p90_min": pl.Float64(),
        "mean_min": pl.Float64(),
        "median_ci": pl.List(pl.Float64()),
        "mean_ci": pl.List(pl.Float64()),
    }
)


def _keys(by: str | Sequence[str] | None, columns: Sequence[str]) -> list[str]:
    keys = [] if by is None else [by] if isinstance(by, str) else list(by)
    for k in keys:
        if k not in GROUPS and k not in columns:
            raise ArgumentError(f"cannot group by {k!r}; choose from {', '.join(GROUPS)}")
    return keys


def summarize(
    durations: pl.DataFrame,
    by: str | Sequence[str] | None = "severity",
    *,
    seed: int = 0,
    metrics: Sequence[str] | None = None,
    level: float = 0.95,
) -> pl.DataFrame:
    """One row per group and metric: ``<group keys>, metric, n, n_open, n_missing,
    median_min, p90_min, mean_min, median_ci, mean_ci`` (intervals as ``[low, high]``).

    Parameters
    ----------
    durations
        :func:`toolkit.durations` rows.
    by
        ``"severity"``, ``"service"``, ``"component"``, ``"month"`` (or another column of
        ``durations``), a list of them, or None for one group of all incidents.
    seed
        Seed of the bootstrap: the same seed gives the same intervals.
    metrics
        The duration metrics to summarise (default: all six).
    level
        Coverage of the intervals.
    """
    keys = _keys(by, durations.columns)
    names = list(metrics or [m for m in DURATION_METRICS if m in durations.columns])
    df = durations
    if "component" in keys:
        df = df.with_columns(component=pl.col("components")).explode("component", empty_as_null=True)
    long = df.unpivot(
        index=[*keys, "is_open"], on=names, variable_name="metric", value_name="_d"
    ).with_columns(_v=pl.col("_d").dt.total_microseconds() / 60e6)
    grouped = long.group_by(*keys, "metric", maintain_order=True).agg(
        n=pl.col("_v").count().cast(pl.Int64),
        n_open=(pl.col("_v").is_null() & pl.col("is_open")).sum().cast(pl.Int64),
        n_missing=(pl.col("_v").is_null() & ~pl.col("is_open")).sum().cast(pl.Int64),
        median_min=pl.col("_v").median(),
        p90_min=pl.col("_v").quantile(0.9, interpolation="linear"),
        mean_min=pl.col("_v").mean(),
        _values=pl.col("_v").drop_nulls(),
    )
    med, mean = [], []
    for row in grouped.select(*keys, "metric", "_values").iter_rows():
        key, values = row[:-1], np.asarray(row[-1], dtype=np.float64)
        med.append(median_ci(values, seed=seed, key=key, level=level))
        mean.append(mean_ci(values, seed=seed, key=key, level=level))
    order = {m: i for i, m in enumerate(names)}
    out = grouped.drop("_values").with_columns(
        median_ci=pl.Series([list(c) if c else None for c in med], dtype=pl.List(pl.Float64)),
        mean_ci=pl.Series([list(c) if c else None for c in mean], dtype=pl.List(pl.Float64)),
        _o=pl.col("metric").replace_strict(order, return_dtype=pl.Int32),
    )
    return (
        out.sort(*keys, "_o", nulls_last=True).drop("_o").select(*keys, *SUMMARY_SCHEMA).cast(SUMMARY_SCHEMA)
    )
