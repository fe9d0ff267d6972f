"""Follow-through: are the action items of past incidents getting done?

:func:`follow_through` judges every item against a day ``as_of`` (default today, UTC):
open and overdue counts by priority, owner, service and incident; the completion rate;
the median time to close by priority; items still open on incidents already resolved;
for each incident whose review is due (resolution + the policy's ``[review] days``, 30),
which items are done, late or untouched; and incidents that recur (same service, or a
5-Whys factor named again) while the earlier incident's items were not done.

Definitions: *open* is pending or in progress; *overdue* is open with a due date before
``as_of``; *untouched* is pending and never changed since it was recorded (version 1);
the completion rate is done ÷ items not cancelled; time to close runs from ``created_at``
to ``completed_at`` (items imported as done have no known completion time and are
counted apart). Statuses are as they are now; items created after ``as_of`` are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import polars as pl

from toolkit.actions.incidents import Incidents, incidents_of
from toolkit.actions.items import as_of_date, load
from toolkit.actions.model import OPEN_STATUSES
from toolkit.actions.trend import aging_frame, burndown_frame
from toolkit.policy import Policy
from toolkit.schema import ItemStatus, Priority
from toolkit.store import Workspace
from toolkit.whys import factor_table

__all__ = ["FollowThrough", "analyse", "follow_through"]

_DONE, _CANCELLED = ItemStatus.done.value, ItemStatus.cancelled.value
_IS_OPEN = pl.col("status").is_in(OPEN_STATUSES)
_ITEM_COLS = ("item_id", "title", "owner", "priority", "due_date", "status")


@dataclass(frozen=True)
class FollowThrough:
    """Follow-through of action items as of one day (frozen frames; see the module docstring).

    Attributes
    ----------
    as_of
        The day items are judged against.
    items
        Every item with its incident's ``service``, ``incident_status``, ``started_at``,
        ``resolved_at`` and ``is_open``, ``overdue``, ``days_overdue``, ``age_days``,
        ``days_to_close``.
    by_priority, by_owner, by_service, by_incident
        ``items, open, overdue, done, cancelled`` per key, most open first.
    completion_rate
        Done ÷ items not cancelled (None without such items).
    time_to_close
        ``priority, closed, median_days, done_time_unknown`` for P0-P3.
    open_on_closed
        Open items of incidents resolved by ``as_of``, with ``days_since_resolved``.
    reviews
        Items of incidents whose review is due: ``review_due, state`` (done, cancelled,
        untouched, late, open), ``late``, ``untouched``.
    review_summary
        Per such incident: ``review_due, items, done, late, untouched, open``.
    recurring
        One row per earlier item not done when its incident recurred: ``incident_id``
        (the later one), ``started_at``, ``earlier_incident_id``, ``reason``, the item.
    burndown
        Per day: ``created``, ``closed`` (cumulative), ``open``, ``overdue``.
    aging
        Open items per age ``bucket`` and ``priority``: ``items``, ``overdue``.
    """

    as_of: date
    items: pl.DataFrame
    by_priority: pl.DataFrame
    by_owner: pl.DataFrame
    by_service: pl.DataFrame
    by_incident: pl.DataFrame
    completion_rate: float | None
    time_to_close: pl.DataFrame
    open_on_closed: pl.DataFrame
    reviews: pl.DataFrame
    review_summary: pl.DataFrame
    recurring: pl.DataFrame
    burndown: pl.DataFrame
    aging: pl.DataFrame

    def summary(self) -> str:
        """A few lines for a person: counts, completion, the gaps worth a look."""
        n, open_ = self.items.height, int(self.items["is_open"].sum())
        overdue = int(self.items["overdue"].sum())
        rate = "n/a" if self.completion_rate is None else f"{self.completion_rate:.0%}"
        return "\n".join(
            [
                f"As of {self.as_of.isoformat()}: {n} action items, {open_} open ({overdue} overdue), "
                f"completion {rate}.",
                f"{self.open_on_closed.height} open on incidents already resolved; "
                f"{self.review_summary.height} incident(s) due for review "
                f"({int(self.review_summary['untouched'].sum())} item(s) untouched, "
                f"{int(self.review_summary['late'].sum())} late).",
                f"{self.recurring['incident_id'].n_unique()} incident(s) recurred with earlier items not done "
                f"({self.recurring.height} item(s)).",
            ]
        )


def follow_through(ws: Workspace, *, as_of: date | datetime | None = None) -> FollowThrough:
    """Follow-through of the workspace's action items as of ``as_of`` (default today, UTC).

    Examples
    --------
    >>> import tempfile
    >>> from toolkit.store import Workspace
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> _ = ws.ingest("data/sample/postmortems")
    >>> ft = follow_through(ws, as_of=date(2025, 3, 1))
    >>> ft.by_priority.select("priority", "open", "overdue").rows()
    [('P2', 4, 4), ('P1', 3, 3), ('P0', 0, 0)]
    >>> ft.completion_rate
    0.5
    """
    ctx = incidents_of(ws)
    return analyse(
        load(ws, ctx=ctx), ctx, ctx.link(ws.table("whys")), as_of=as_of_date(as_of), policy=ws.policy
    )


def _counts(items: pl.DataFrame, by: str) -> pl.DataFrame:
    return (
        items.group_by(by)
        .agg(
            items=pl.len().cast(pl.Int64),
            open=pl.col("is_open").sum().cast(pl.Int64),
            overdue=pl.col("overdue").sum().cast(pl.Int64),
            done=(pl.col("status") == _DONE).sum().cast(pl.Int64),
            cancelled=(pl.col("status") == _CANCELLED).sum().cast(pl.Int64),
        )
        .sort(["open", "overdue", by], descending=[True, True, False], nulls_last=True)
    )


def analyse(
    items: pl.DataFrame, ctx: Incidents, whys: pl.DataFrame, *, as_of: date, policy: Policy
) -> FollowThrough:
    """:class:`FollowThrough` of ``items`` (rows of ``list_items``) as of ``as_of`` (pure)."""
    day = pl.lit(as_of)
    incidents = ctx.incidents.select(
        "incident_id", "service", "started_at", "resolved_at", incident_status="status"
    )
    rows = (
        items.filter(pl.col("created_at").dt.date().fill_null(as_of) <= as_of)
        .join(incidents, on="incident_id", how="left")
        .with_columns(is_open=_IS_OPEN, overdue=(_IS_OPEN & (pl.col("due_date") < day)).fill_null(False))
        .with_columns(
            days_overdue=pl.when("overdue").then((day - pl.col("due_date")).dt.total_days()),
            age_days=(day - pl.col("created_at").dt.date()).dt.total_days(),
            days_to_close=pl.when(pl.col("status") == _DONE).then(
                (pl.col("completed_at") - pl.col("created_at")).dt.total_seconds() / 86400
            ),
        )
    )
    kept = rows.filter(pl.col("status") != _CANCELLED)
    done = int((kept["status"] == _DONE).sum())
    return FollowThrough(
        as_of=as_of,
        items=rows,
        by_priority=_counts(rows, "priority"),
        by_owner=_counts(rows, "owner"),
        by_service=_counts(rows, "service"),
        by_incident=_counts(rows, "incident_id"),
        completion_rate=done / kept.height if kept.height else None,
        time_to_close=_time_to_close(rows),
        open_on_closed=_open_on_closed(rows, as_of),
        reviews=(reviews := _reviews(rows, as_of, policy.review_days)),
        review_summary=_review_summary(reviews),
        recurring=_recurring(rows, ctx.incidents, whys, as_of, policy),
        burndown=burndown_frame(rows, as_of),
        aging=aging_frame(rows, as_of),
    )


def _time_to_close(rows: pl.DataFrame) -> pl.DataFrame:
    done = rows.filter(pl.col("status") == _DONE)
    stats = done.group_by("priority").agg(
        closed=pl.col("days_to_close").count().cast(pl.Int64),
        median_days=pl.col("days_to_close").median(),
        done_time_unknown=pl.col("days_to_close").null_count().cast(pl.Int64),
    )
    grid = pl.DataFrame({"priority": [p.value for p in Priority]})
    return grid.join(stats, on="priority", how="left").with_columns(
        pl.col("closed", "done_time_unknown").fill_null(0)
    )


def _open_on_closed(rows: pl.DataFrame, as_of: date) -> pl.DataFrame:
    resolved_on = pl.col("resolved_at").dt.date()
    return (
        rows.filter(pl.col("is_open") & (resolved_on <= as_of))
        .with_columns(days_since_resolved=(pl.lit(as_of) - resolved_on).dt.total_days())
        .select("incident_id", "service", "resolved_at", *_ITEM_COLS, "overdue", "days_since_resolved")
        .sort(
            "days_since_resolved", "incident_id", "priority", "title", descending=[True, False, False, False]
        )
    )


def _reviews(rows: pl.DataFrame, as_of: date, review_days: int) -> pl.DataFrame:
    due = (pl.col("resolved_at").dt.date() + timedelta(days=review_days)).alias("review_due")
    untouched = (pl.col("status") == ItemStatus.pending.value) & (pl.col("version") == 1)
    state = (
        pl.when(pl.col("status") == _DONE)
        .then(pl.lit("done"))
        .when(pl.col("status") == _CANCELLED)
        .then(pl.lit("cancelled"))
        .when(untouched)
        .then(pl.lit("untouched"))
        .when("overdue")
        .then(pl.lit("late"))
        .otherwise(pl.lit("open"))
    )
    return (
        rows.with_columns(due)
        .filter(pl.col("review_due") <= as_of)
        .with_columns(state=state, late=pl.col("overdue"), untouched=untouched)
        .select("incident_id", "review_due", *_ITEM_COLS, "state", "late", "untouched")
        .sort("review_due", "incident_id", "priority", "title")
    )


def _review_summary(reviews: pl.DataFrame) -> pl.DataFrame:
    return (
        reviews.group_by("incident_id", "review_due")
        .agg(
            items=pl.len().cast(pl.Int64),
            done=(pl.col("state") == "done").sum().cast(pl.Int64),
            late=pl.col("late").sum().cast(pl.Int64),
            untouched=pl.col("untouched").sum().cast(pl.Int64),
            open=pl.col("status").is_in(OPEN_STATUSES).sum().cast(pl.Int64),
        )
        .sort("review_due", "incident_id")
    )


def _recurring(
    rows: pl.DataFrame, incidents: pl.DataFrame, whys: pl.DataFrame, as_of: date, policy: Policy
) -> pl.DataFrame:
    """Earlier items not done when a later incident of the same service or factor started."""
    factors = (
        factor_table(whys, rows.head(0), policy=policy)
        .filter(pl.col("recurring").fill_null(False))
        .select("factor", incident_id="incident_ids")
        .explode("incident_id")
    )
    inc = incidents.select(
        "incident_id", "started_at", service=pl.col("service").str.to_lowercase().str.strip_chars()
    )
    earlier = inc.rename({c: f"earlier_{c}" for c in inc.columns})
    pairs = (
        inc.filter(pl.col("started_at").dt.date() <= as_of)
        .join(earlier, how="cross")
        .filter(pl.col("earlier_started_at") < pl.col("started_at"))
    )
    shared = (
        pairs.select("incident_id", "earlier_incident_id")
        .join(factors, on="incident_id")
        .join(factors.rename({"incident_id": "earlier_incident_id"}), on=["earlier_incident_id", "factor"])
        .group_by("incident_id", "earlier_incident_id")
        .agg(shared=pl.col("factor").unique().sort().str.join(", "))
    )
    same = (pl.col("service") == pl.col("earlier_service")).fill_null(False)
    pairs = (
        pairs.join(shared, on=["incident_id", "earlier_incident_id"], how="left")
        .filter(same | pl.col("shared").is_not_null())
        .with_columns(
            reason=pl.concat_str(
                pl.when(same).then(pl.format("same service {}", pl.col("service"))),
                pl.when(pl.col("shared").is_not_null()).then(pl.format("factor {}", pl.col("shared"))),
                separator="; ",
                ignore_nulls=True,
            )
        )
        .select("incident_id", "started_at", "earlier_incident_id", "reason")
    )
    not_done = (pl.col("status").is_in(OPEN_STATUSES)) | (
        (pl.col("status") == _DONE) & (pl.col("completed_at") > pl.col("started_at"))
    )
    items = rows.select(
        pl.col("incident_id").alias("earlier_incident_id"), "created_at", "completed_at", *_ITEM_COLS
    )
    return (
        pairs.join(items, on="earlier_incident_id")
        .filter(not_done.fill_null(False) & (pl.col("created_at") < pl.col("started_at")))
        .select("incident_id", "started_at", "earlier_incident_id", "reason", *_ITEM_COLS)
        .sort("started_at", "incident_id", "earlier_incident_id", "priority", "title")
    )
