"""Action items over time: the burndown (open items per day) and the aging of open items.

Both read the item rows of :func:`toolkit.actions.analyse` (``is_open``, ``overdue``,
``age_days`` set). An item counts as closed on the day it was completed; an item closed
with no completion time (imported as done, or cancelled) counts as closed on the day it
last changed.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from toolkit.actions.model import OPEN_STATUSES
from toolkit.schema import Priority

__all__ = ["AGE_BUCKETS", "aging_frame", "burndown_frame"]

AGE_BUCKETS = ((0, 7, "0-7 days"), (8, 30, "8-30 days"), (31, 90, "31-90 days"), (91, None, "over 90 days"))
"""Age buckets of open items: (first day, last day or None, label)."""


def burndown_frame(rows: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Per day from the first item's creation to ``as_of``: ``created`` and ``closed`` so far,
    ``open`` and ``overdue`` (open at the end of that day with a due date before it).

    Examples
    --------
    >>> rows = pl.DataFrame({"created_at": [None], "status": ["done"], "completed_at": [None],
    ...                      "updated_at": [None], "due_date": [None]})
    >>> burndown_frame(rows.cast({"created_at": pl.Datetime("us", "UTC")}), date(2025, 1, 1)).height
    0
    """
    spans = rows.select(
        created=pl.col("created_at").dt.date(),
        closed=pl.when(~pl.col("status").is_in(OPEN_STATUSES)).then(
            pl.coalesce("completed_at", "updated_at", "created_at").dt.date()
        ),
        due=pl.col("due_date"),
    ).drop_nulls("created")
    schema = {
        "day": pl.Date(),
        "created": pl.Int64(),
        "closed": pl.Int64(),
        "open": pl.Int64(),
        "overdue": pl.Int64(),
    }
    first: date | None = spans["created"].min()  # type: ignore[assignment]
    if first is None or first > as_of:
        return pl.DataFrame(schema=schema)
    days = pl.DataFrame({"day": pl.date_range(first, as_of, "1d", eager=True)})
    is_open = (pl.col("created") <= pl.col("day")) & (
        pl.col("closed").is_null() | (pl.col("closed") > pl.col("day"))
    )
    return (
        days.join(spans, how="cross")
        .group_by("day")
        .agg(
            created=(pl.col("created") <= pl.col("day")).sum().cast(pl.Int64),
            closed=(pl.col("closed") <= pl.col("day")).fill_null(False).sum().cast(pl.Int64),
            open=is_open.sum().cast(pl.Int64),
            overdue=(is_open & (pl.col("due") < pl.col("day"))).fill_null(False).sum().cast(pl.Int64),
        )
        .sort("day")
        .cast(schema)  # type: ignore[arg-type]
    )


def aging_frame(rows: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Open items per age ``bucket`` (:data:`AGE_BUCKETS`) and ``priority`` (every bucket and
    P0-P3, plus ``None`` when some item has no priority): ``items`` and ``overdue``.

    Examples
    --------
    >>> rows = pl.DataFrame({"is_open": [True], "age_days": [12], "priority": ["P1"], "overdue": [True]})
    >>> aging_frame(rows, date(2025, 1, 1)).filter(pl.col("items") > 0).rows()
    [('8-30 days', 'P1', 1, 1)]
    """
    label = pl.lit(AGE_BUCKETS[-1][2])
    for lo, hi, name in reversed(AGE_BUCKETS[:-1]):
        label = pl.when(pl.col("age_days").is_between(lo, hi)).then(pl.lit(name)).otherwise(label)
    open_rows = rows.filter(pl.col("is_open")).with_columns(bucket=label)
    counts = open_rows.group_by("bucket", "priority").agg(
        items=pl.len().cast(pl.Int64), overdue=pl.col("overdue").sum().cast(pl.Int64)
    )
    priorities: list[str | None] = [p.value for p in Priority]
    if open_rows["priority"].null_count():
        priorities.append(None)
    grid = pl.DataFrame({"bucket": [b[2] for b in AGE_BUCKETS]}).join(
        pl.DataFrame({"priority": priorities}, schema={"priority": pl.String}), how="cross"
    )
    return grid.join(counts, on=["bucket", "priority"], how="left", nulls_equal=True).with_columns(
        pl.col("items", "overdue").fill_null(0)
    )
