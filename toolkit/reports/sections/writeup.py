"""What people wrote and decided: the 5 Whys, the action items (live), what went well and
wrong, lessons learned, and the follow-up.

Action items are read from the action-item store when the report is built
(:func:`toolkit.actions.list_items`), so the form's edits show in the next render.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import polars as pl

from toolkit.reports.blocks import Block, Figure, Group, KeyValues, Note, Table, no_data, plotly_text
from toolkit.reports.prose import ProseList

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.reports.postmortem import PostmortemReport

__all__ = ["action_items_table", "follow_up", "listed", "root_cause", "root_cause_table"]


def root_cause(r: PostmortemReport) -> Block:
    """The 5-Whys tree as a figure."""
    whys = r.timeline.whys
    if not whys.height:
        return no_data("this incident has no 5-Whys analysis")
    from toolkit.whys import Tree

    said = r.say.column(whys, "question", "answer").with_columns(
        pl.col("question", "answer").map_elements(plotly_text, return_dtype=pl.String, skip_nulls=True)
    )
    return Figure(Tree.from_frame(said, r.incident_id).figure(), title="5 Whys")


def root_cause_table(r: PostmortemReport) -> Block:
    """The 5-Whys as text, and the root cause as the post-mortem states it."""
    whys = r.say.column(r.timeline.whys, "question", "answer").sort("node_id")
    table = Table(
        whys,
        columns={
            "node_id": "Why",
            "question": "Question",
            "answer": "Answer",
            "factor": "Factor",
            "is_root_cause": "Root cause",
        },
        empty="this incident has no 5-Whys analysis",
    )
    stated = r.sections_of("root_cause")
    return Group(table, ProseList(tuple(stated))) if stated else table


def action_items_table(r: PostmortemReport) -> Block:
    """The action items as the store holds them now: priority, action, owner, due date, status."""
    items = r.say.column(r.action_items, "title", "owner")
    return Table(
        items,
        columns={
            "priority": "Priority",
            "title": "Action",
            "owner": "Owner",
            "due_date": "Due",
            "status": "Status",
        },
        empty="no action items recorded for this incident",
    )


def listed(r: PostmortemReport, section: str, empty: str) -> Block:
    """The post-mortem document's items of ``section`` (went_well, went_wrong, lessons)."""
    items = r.sections_of(section)
    return ProseList(tuple(items)) if items else no_data(empty)


def follow_up(r: PostmortemReport) -> Block:
    """The 30-day review's due date, the action items still open, and the document's follow-up."""
    resolved = r.first("resolved_at")
    written = r.sections_of("follow_up")
    if resolved is None:
        note: Block = Note(
            f"The incident is still open: the 30-day review is due {r.policy.review_days} days after it resolves."
        )
    else:
        due = (resolved + timedelta(days=r.policy.review_days)).date()
        open_items = r.action_items.filter(pl.col("status").is_in(["pending", "in_progress"])).height
        note = KeyValues(
            [
                (f"{r.policy.review_days}-day review due", due),
                ("Action items", f"{r.action_items.height}"),
                ("Still open", f"{open_items}"),
            ]
        )
    return Group(note, ProseList(tuple(written))) if written else note
