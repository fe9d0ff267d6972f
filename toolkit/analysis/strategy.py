"""Mitigation strategy of each incident, after the seed's decision matrix, and time to mitigate per strategy.

The strategy is that of the mitigation that completed (:mod:`toolkit.timeline.mitigation`:
the event at ``mitigated_at``); when that event names none (a recovery report such as
"Backlog drained"), the latest strategy named before it; without a completed mitigation,
that of the first mitigation attempted; ``none`` when the events record no mitigation.

Examples
--------
>>> from toolkit.timeline import Timeline
>>> mitigation_strategies(Timeline.empty()).columns
['incident_id', 'mitigation_strategy', 'mitigated_at', 'time_to_mitigate']
"""

from __future__ import annotations

import polars as pl

from toolkit.analysis.summary import summarize
from toolkit.timeline import Timeline
from toolkit.timeline.mitigation import MITIGATION_KINDS, strategy

__all__ = ["mitigation_strategies", "time_to_mitigate_by_strategy"]


def mitigation_strategies(timeline: Timeline) -> pl.DataFrame:
    """One row per incident: its mitigation strategy, when it was mitigated, time to mitigate."""
    inc = timeline.incidents.select("incident_id", "started_at", "mitigated_at")
    done = pl.col("at") == pl.col("mitigated_at")
    named = pl.col("_s") != "other"
    before = pl.col("mitigated_at").is_null() | (pl.col("at") <= pl.col("mitigated_at"))
    # the completing event's strategy; when it names none ("Backlog drained"), the latest
    # named one before it ("hotfix deployed"); else the completing event's, else the first
    rank = pl.when(done & named).then(0).when(named & before).then(1).when(done).then(2).otherwise(3)
    at = pl.col("at").dt.epoch("us")
    tried = (
        timeline.events.filter(pl.col("kind").is_in(list(MITIGATION_KINDS)))
        .select("incident_id", "at", _s=strategy())
        .join(inc.select("incident_id", "mitigated_at"), on="incident_id")
        .sort("incident_id", rank, pl.when(rank == 1).then(-at).otherwise(at))
        .group_by("incident_id", maintain_order=True)
        .agg(mitigation_strategy=pl.col("_s").first())
    )
    return inc.join(tried, on="incident_id", how="left").select(
        "incident_id",
        mitigation_strategy=pl.col("mitigation_strategy").fill_null("none"),
        mitigated_at="mitigated_at",
        time_to_mitigate=pl.col("mitigated_at") - pl.col("started_at"),
    )


def time_to_mitigate_by_strategy(timeline: Timeline, *, seed: int = 0) -> pl.DataFrame:
    """:func:`toolkit.summarize` of ``time_to_mitigate`` per mitigation strategy."""
    df = mitigation_strategies(timeline).join(
        timeline.incidents.select("incident_id", is_open=pl.col("resolved_at").is_null()), on="incident_id"
    )
    return summarize(df, by="mitigation_strategy", metrics=["time_to_mitigate"], seed=seed)
