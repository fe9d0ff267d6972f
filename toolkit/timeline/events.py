"""Events under their linked incident, one row per thing that happened.

Every source's events move to the incident their record links to. An event seen in
several sources is kept once: the same kind and visibility in the same incident, at
most ``within`` apart (one minute by default: post-mortems write times to the minute),
from different sources. The row kept is the one of the first source in
``slack, pagerduty, statuspage, postmortem`` (the war room's message rather than the
post-mortem's line about it); ``sources`` and ``refs`` name every copy. Hand
corrections of an event's time (``corrections`` with field ``at`` and the event's
source and ref) apply first.
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from toolkit.timeline.model import SCHEMAS, SOURCE_ORDER

__all__ = ["SAME_EVENT_WITHIN", "correct_times", "dedupe", "relink"]

SAME_EVENT_WITHIN = timedelta(minutes=1)
"""How far apart two sources' copies of one event may be."""


def relink(events: pl.LazyFrame, recs: pl.DataFrame) -> pl.LazyFrame:
    """``events`` with ``incident_id`` the linked id (events of no record keep theirs)."""
    ids = recs.lazy().select("source", "incident_id", _linked="linked_id")
    return (
        events.join(ids, on=["source", "incident_id"], how="left")
        .with_columns(incident_id=pl.coalesce("_linked", "incident_id"))
        .drop("_linked")
    )


def correct_times(events: pl.LazyFrame, corrections: pl.DataFrame) -> pl.LazyFrame:
    """``events`` with hand-corrected times (``field == "at"``) applied by source and ref."""
    fix = corrections.filter((pl.col("field") == "at") & pl.col("at").is_not_null())
    if not fix.height:
        return events
    table = fix.lazy().select("source", "ref", _fixed="at")
    return (
        events.join(table, on=["source", "ref"], how="left")
        .with_columns(at=pl.coalesce("_fixed", "at"))
        .drop("_fixed")
    )


def dedupe(events: pl.DataFrame, *, within: timedelta = SAME_EVENT_WITHIN) -> pl.DataFrame:
    """One row per event seen in several sources (module docs), with ``sources`` and ``refs``."""
    rank = pl.col("source").replace_strict(
        {s: i for i, s in enumerate(SOURCE_ORDER)}, default=len(SOURCE_ORDER), return_dtype=pl.Int8
    )
    narrow = events.select(
        _i=pl.int_range(pl.len(), dtype=pl.UInt32),
        _g=pl.col("incident_id").cast(pl.Categorical),
        kind=pl.col("kind").cast(pl.Categorical),
        visibility=pl.col("visibility").cast(pl.Categorical),
        at="at",
        _r=rank,
    ).sort("at")
    by = ["_g", "kind", "visibility"]
    ranks = sorted(set(narrow["_r"].unique().to_list()))
    kept = narrow.filter(pl.col("_r") == ranks[0]) if ranks else narrow
    dups: list[pl.DataFrame] = []
    for r in ranks[1:]:
        cand = narrow.filter(pl.col("_r") == r)
        hit = cand.join_asof(
            kept.select(*by, "at", _to="_i", _at2="at"),
            on="at",
            by=by,
            strategy="nearest",
            tolerance=within,
            check_sortedness=False,
        )
        dups.append(hit.filter(pl.col("_to").is_not_null()).select("_i", "_to"))
        kept = pl.concat([kept, hit.filter(pl.col("_to").is_null()).select(kept.columns)]).sort("at")
    own = events.select(
        _i=pl.int_range(pl.len(), dtype=pl.UInt32), _src="source", _ref=pl.format("{}:{}", "source", "ref")
    )
    merged = (
        pl.concat([pl.DataFrame(schema={"_i": pl.UInt32, "_to": pl.UInt32}), *dups])
        .join(own, on="_i")
        .group_by("_to")
        .agg(_more_src="_src", _more_ref="_ref")
    )
    keep = kept.select("_i").sort("_i")
    out = (
        events.with_columns(_i=pl.int_range(pl.len(), dtype=pl.UInt32))
        .join(keep, on="_i", how="semi")
        .join(merged, left_on="_i", right_on="_to", how="left")
        .with_columns(
            sources=pl.concat_list(pl.col("source"), pl.col("_more_src").fill_null([])).list.unique(
                maintain_order=True
            ),
            refs=pl.concat_list(pl.format("{}:{}", "source", "ref"), pl.col("_more_ref").fill_null([])),
        )
        .drop("_i", "_more_src", "_more_ref")
    )
    return out.sort("incident_id", "at", "kind", "source", "ref", maintain_order=True)


def empty_events() -> pl.DataFrame:
    """An empty events frame of the timeline's schema."""
    return pl.DataFrame(schema=SCHEMAS["events"])
