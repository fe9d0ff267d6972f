"""Time overlap plus service: records of different sources on the same service at the same time.

Two records link when their windows overlap (allowing ``slop`` either side) and they name
a common canonical service (:mod:`toolkit.timeline.services`: Slack's ``sso`` and
PagerDuty's ``auth`` are one service once ``[services]`` says so). Confidence grows with
the overlap: 0.5 + 0.4 x (shared time / the shorter window). Two war rooms never link this
way (each is its own incident). Candidates are found per day bucket, not by comparing
every pair, so a long history stays cheap.
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl

__all__ = ["overlap_edges"]


def overlap_edges(recs: pl.DataFrame, *, slop: timedelta = timedelta(minutes=15)) -> pl.DataFrame:
    """Edges ``a, b, method="time+service", confidence, evidence`` (``a < b``)."""
    base = (
        recs.lazy()
        .filter(pl.col("win_start").is_not_null())
        .select("rec", "source", "incident_id", "win_start", "win_end", key="service_keys")
        .explode("key")
        .drop_nulls("key")
    )
    windows = base.with_columns(
        day=pl.date_ranges((pl.col("win_start") - slop).dt.date(), (pl.col("win_end") + slop).dt.date(), "1d")
    ).explode("day")
    starts = base.with_columns(day=pl.col("win_start").dt.date())
    pairs = (
        starts.join(windows, on=["key", "day"], suffix="_b")
        .filter(
            (pl.col("rec") != pl.col("rec_b"))
            & (pl.col("source") != pl.col("source_b"))
            & (pl.col("win_start") >= pl.col("win_start_b") - slop)
            & (pl.col("win_start") <= pl.col("win_end_b") + slop)
        )
        .select(
            a=pl.min_horizontal("rec", "rec_b"),
            b=pl.max_horizontal("rec", "rec_b"),
            key="key",
            shared=(
                pl.min_horizontal("win_end", "win_end_b") - pl.max_horizontal("win_start", "win_start_b")
            ),
            shorter=pl.min_horizontal(
                pl.col("win_end") - pl.col("win_start"), pl.col("win_end_b") - pl.col("win_start_b")
            ),
            ids=pl.format("{} and {}", "incident_id", "incident_id_b"),
        )
    )
    ratio = (
        pl.when(pl.col("shorter").dt.total_seconds() > 0)
        .then(pl.col("shared").dt.total_seconds() / pl.col("shorter").dt.total_seconds())
        .otherwise(1.0)
        .clip(0.0, 1.0)
    )
    return (
        pairs.with_columns(confidence=(0.5 + 0.4 * ratio).round(3))
        .sort("a", "b", "confidence", "key", descending=[False, False, True, False])
        .unique(["a", "b"], keep="first", maintain_order=True)
        .select(
            "a",
            "b",
            method=pl.lit("time+service"),
            confidence="confidence",
            evidence=pl.format("{} overlap in time on service {}", "ids", "key"),
        )
        .collect()
    )
