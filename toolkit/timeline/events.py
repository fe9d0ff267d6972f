"""Events under their linked incident, one row per thing that happened.

Every source's events move to the incident their record links to. An event seen in
several sources is kept once: the same kind and visibility in the same incident, at
most ``within`` apart (one minute by default: post-mortems write times to the minute),
from different sources. The row kept is the one of the first source in
``slack, pagerduty, statuspage, postmortem`` (the war room's message rather than the
post-mortem's line about it); ``sources`` names every source that saw it and
``merged_refs`` the ``source:ref`` of the copies folded into it. Hand corrections of an
event's time (``corrections`` with field ``at`` and the event's source and ref) apply
first. Rows keep the order of the store's events (by source, then as each importer
wrote them); sort by ``incident_id, at`` for a timeline view.

The work is done on a narrow frame (ids, kind, time, source); the wide events (texts,
actors) are read once, for the rows kept.
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from toolkit.schema import EventKind
from toolkit.timeline.model import SCHEMAS, SOURCE_ORDER

__all__ = ["SAME_EVENT_WITHIN", "correct_times", "dedupe", "relink"]

SAME_EVENT_WITHIN = timedelta(minutes=1)
"""How far apart two sources' copies of one event may be."""


def relink(events: pl.LazyFrame, recs: pl.DataFrame) -> pl.LazyFrame:
    """``events`` with ``incident_id`` the linked id (events of no record keep theirs)."""
    ids = recs.lazy().select("source", "incident_id", _linked="linked_id")
    return (
        events.join(ids, on=["source", "incident_id"], how="left", maintain_order="left")
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
        events.join(table, on=["source", "ref"], how="left", maintain_order="left")
        .with_columns(at=pl.coalesce("_fixed", "at"))
        .drop("_fixed")
    )


def _folds(narrow: pl.DataFrame, within: timedelta) -> pl.DataFrame:
    """``_i -> _to``: each row that copies a row of a source earlier in :data:`SOURCE_ORDER`.

    ``narrow`` (``_i, _k, at, _r``; ``_k`` the incident, kind and visibility in one
    integer, ``_r`` the source's rank) is sorted by time once; every row is matched with
    the nearest row of an earlier source with the same ``_k`` within ``within``, and a
    copy of a copy points to the first.
    """
    ranks = sorted(narrow["_r"].unique().to_list())
    parts = []
    for r in ranks[1:]:
        hit = narrow.filter(pl.col("_r") == r).join_asof(
            narrow.filter(pl.col("_r") < r).select("_k", "at", _to="_i"),
            on="at",
            by="_k",
            strategy="nearest",
            tolerance=within,
            check_sortedness=False,
        )
        parts.append(hit.filter(pl.col("_to").is_not_null()).select("_i", "_to"))
    folds = pl.concat([pl.DataFrame(schema={"_i": pl.UInt32, "_to": pl.UInt32}), *parts])
    for _ in ranks:  # follow copies of copies to the row kept (at most one hop per source)
        up = folds.rename({"_i": "_to", "_to": "_up"})
        folds = folds.join(up, on="_to", how="left").select("_i", _to=pl.coalesce("_up", "_to"))
    return folds


def dedupe(events: pl.LazyFrame | pl.DataFrame, *, within: timedelta = SAME_EVENT_WITHIN) -> pl.DataFrame:
    """One row per event seen in several sources (module docs), with ``sources`` and ``merged_refs``."""
    rank = pl.col("source").replace_strict(
        {s: i for i, s in enumerate(SOURCE_ORDER)}, default=len(SOURCE_ORDER), return_dtype=pl.Int8
    )
    incident = pl.col("incident_id").cast(pl.Categorical).to_physical().cast(pl.UInt64)
    kinds = {k.value: i for i, k in enumerate(EventKind)}
    kind = pl.col("kind").replace_strict(kinds, default=len(kinds), return_dtype=pl.UInt64)
    public = (pl.col("visibility") == "public").cast(pl.UInt64)
    base = events.lazy().with_row_index("_i")
    narrow = (
        base.select("_i", _k=(incident * 64 + kind) * 2 + public, at="at", _r=rank)
        .collect(engine="streaming")
        .sort("at")
    )
    folds = _folds(narrow, within)
    del narrow
    lazy_folds = folds.lazy()
    folded = (
        base.join(lazy_folds, on="_i", how="semi")
        .select("_i", _src="source", _ref=pl.format("{}:{}", "source", "ref"))
        .join(lazy_folds, on="_i")
        .group_by("_to")
        .agg(_more_src="_src", merged_refs="_ref")
        .collect(engine="streaming")
    )
    out = (
        base.join(lazy_folds, on="_i", how="anti", maintain_order="left")
        .join(folded.lazy(), left_on="_i", right_on="_to", how="left", maintain_order="left")
        .with_columns(
            sources=pl.when(pl.col("_more_src").is_null())
            .then(pl.concat_list(pl.col("source")))
            .otherwise(
                pl.concat_list(pl.col("source"), pl.col("_more_src")).list.unique(maintain_order=True)
            ),
            merged_refs=pl.col("merged_refs").fill_null([]),
        )
        .drop("_i", "_more_src")
    )
    return out.collect(engine="streaming")


def empty_events() -> pl.DataFrame:
    """An empty events frame of the timeline's schema."""
    return pl.DataFrame(schema=SCHEMAS["events"])
