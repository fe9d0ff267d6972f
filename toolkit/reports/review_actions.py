"""The action-item sections of the 30-day review: follow-through as of the window's last day.

:func:`window_follow_through` judges the items of every incident that started by the end
of the window (of the review's services, when it names some) with
:func:`toolkit.actions.analyse`; the other functions show its frames as blocks and its
burndown and aging as :mod:`toolkit.charts` figures.

Examples
--------
>>> completion_text(7, 14), completion_text(0, 0)
('50% (7 of 14)', '—')
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from toolkit.actions import FollowThrough, analyse, incidents_of, list_items
from toolkit.reports.blocks import Block, Figure, Group, KeyValues, Table, no_data
from toolkit.workspace import Workspace

__all__ = [
    "ACTION_TERMS",
    "aging_figure",
    "burndown_figure",
    "completion_text",
    "follow_through_summary",
    "open_on_closed_table",
    "recurrence_table",
    "reviews_table",
    "window_follow_through",
]

ACTION_TERMS: dict[str, str] = {
    "open_item": "An action item pending or in progress.",
    "overdue": "Open with a due date before the day judged (the window's last day).",
    "untouched": "Pending and never changed since it was recorded (version 1).",
    "completion_rate": "Done ÷ items not cancelled.",
    "open_on_closed": "Open items of incidents already resolved by the day judged.",
    "review_due": "The incident's resolution date plus the policy's review days (30); items of incidents "
    "whose review is due are judged done, late (overdue), untouched or open.",
    "recurred": "A later incident of the same service, or naming a 5-Whys factor again, started while an "
    "earlier incident's item was not done (open, or done only after the later incident started).",
}
"""What the action-item figures of the review mean (printed in its definitions)."""


def window_follow_through(
    ws: Workspace, *, as_of: date, services: Sequence[str] = (), started_by: date | None = None
) -> FollowThrough:
    """Follow-through as of ``as_of`` of the items of incidents started by ``started_by``
    (default ``as_of``), of ``services`` only when given (any case); without ``services``,
    items of incidents the timeline does not know are kept."""
    ctx = incidents_of(ws)
    later = pl.col("started_at").dt.date() > (started_by or as_of)
    items = list_items(ws)
    if services:
        wanted = pl.col("service").str.to_lowercase().is_in([s.lower() for s in services])
        keep = ctx.incidents.filter(wanted & ~later.fill_null(False))["incident_id"]
        items = items.filter(pl.col("incident_id").is_in(keep.to_list()))
    else:  # items of an incident the timeline does not know stay in (never silently dropped)
        drop = ctx.incidents.filter(later.fill_null(False))["incident_id"]
        items = items.filter(~pl.col("incident_id").is_in(drop.to_list()))
    return analyse(items, ctx, ctx.link(ws.table("whys")), as_of=as_of, policy=ws.policy)


def completion_text(done: int, counted: int) -> str:
    """``50% (7 of 14)``: done of the items counted, or ``—`` without any."""
    return "—" if not counted else f"{done / counted:.0%} ({done} of {counted})"


def follow_through_summary(ft: FollowThrough) -> Block:
    """Counts and completion overall, then per priority."""
    items = ft.items
    kept = items.filter(pl.col("status") != "cancelled")
    header = KeyValues(
        [
            ("As of", ft.as_of),
            ("Action items", items.height),
            ("Open", int(items["is_open"].sum())),
            ("Overdue", int(items["overdue"].sum())),
            ("Completion", completion_text(int((kept["status"] == "done").sum()), kept.height)),
            ("Open on resolved incidents", ft.open_on_closed.height),
            ("Incidents due for review", ft.review_summary.height),
            ("Incidents that recurred with earlier items not done", ft.recurring["incident_id"].n_unique()),
        ]
    )
    if not items.height:
        return Group(header, no_data("no action items recorded for these incidents"))
    per = ft.by_priority.sort("priority", nulls_last=True).with_columns(
        completion=pl.struct("done", "items", "cancelled").map_elements(
            lambda r: completion_text(r["done"], r["items"] - r["cancelled"]), return_dtype=pl.String
        )
    )
    table = Table(
        per,
        columns={
            "priority": "Priority",
            "items": "Items",
            "open": "Open",
            "overdue": "Overdue",
            "done": "Done",
            "cancelled": "Cancelled",
            "completion": "Completion",
        },
    )
    return Group(header, table)


def reviews_table(ft: FollowThrough) -> Block:
    """Incidents whose 30-day review is due: their items done, late, untouched, open."""
    return Table(
        ft.review_summary,
        columns={
            "incident_id": "Incident",
            "review_due": "Review due",
            "items": "Items",
            "done": "Done",
            "late": "Late",
            "untouched": "Untouched",
            "open": "Open",
        },
        empty="no incident's 30-day review is due yet",
    )


def open_on_closed_table(ft: FollowThrough) -> Block:
    """Items still open on incidents already resolved, the longest-forgotten first."""
    return Table(
        ft.open_on_closed,
        columns={
            "incident_id": "Incident",
            "days_since_resolved": "Days since resolved",
            "priority": "Priority",
            "title": "Item",
            "owner": "Owner",
            "due_date": "Due",
            "status": "Status",
            "overdue": "Overdue",
        },
        empty="no open items on resolved incidents",
    )


def recurrence_table(ft: FollowThrough) -> Block:
    """Items of an earlier incident not done before a related incident happened again."""
    return Table(
        ft.recurring,
        columns={
            "incident_id": "Recurred as",
            "started_at": "Started (UTC)",
            "earlier_incident_id": "Earlier incident",
            "reason": "Related by",
            "priority": "Priority",
            "title": "Item not done",
            "status": "Status",
        },
        empty="no incident recurred before its earlier action items were done",
    )


def burndown_figure(ft: FollowThrough) -> Block:
    """Open and overdue items per day up to the window's end (:func:`toolkit.charts.burndown`)."""
    from toolkit import charts

    if not ft.burndown.height:
        return no_data("no action items recorded by the end of the window")
    return Figure(charts.burndown(ft), title="action items: open and overdue per day")


def aging_figure(ft: FollowThrough) -> Block:
    """Open items by age and priority (:func:`toolkit.charts.aging`)."""
    from toolkit import charts

    if not ft.items.height or not int(ft.items["is_open"].sum()):
        return no_data("no open action items")
    return Figure(charts.aging(ft), title="open action items by age")
