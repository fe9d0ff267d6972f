"""Update cadence of an incident: the gaps between updates against the policy, and its promises.

Per audience (war-room updates inside, status-page updates outside) from
:func:`toolkit.analysis.cadence`: every gap as a bar ending when the update came, the
severity's longest allowed interval as a line, gaps over it in red; promised next
updates from :func:`toolkit.analysis.promises`, kept or broken. An external report shows
the public audience only.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import polars as pl

from toolkit import analysis
from toolkit.analysis.fmt import human_minutes
from toolkit.reports.blocks import Block, Figure, Table, no_data, plotly_text

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.reports.postmortem import PostmortemReport

__all__ = ["AUDIENCE_LABELS", "figure", "promises_table", "rows", "table"]

AUDIENCE_LABELS = {"internal": "war room (internal)", "public": "status page (public)"}
"""Cadence audience -> how the report names it."""

_COLOURS = {"internal": "#2e86c1", "public": "#7d3c98"}


def rows(r: PostmortemReport) -> pl.DataFrame:
    """The incident's cadence rows (:func:`toolkit.analysis.cadence`) the report's audience may see."""
    found = analysis.cadence(r.scored, policy=r.policy)
    if r.external:
        found = found.filter(pl.col("audience") == "public")
    return found.filter(pl.col("n_gaps").fill_null(0) > 0)


def _late(minutes: float) -> str:
    return "on time" if minutes <= 0 else human_minutes(minutes)


def _gap_middles(row: dict[str, Any]) -> list[str]:
    """The middle of each gap (its bar spans the gap, from one update to the next)."""
    at, out = row["start_at"], []
    for gap in row["gaps_min"]:
        out.append(f"{at + timedelta(minutes=gap / 2):%Y-%m-%dT%H:%M:%S}")
        at = at + timedelta(minutes=gap)
    return out


def figure(r: PostmortemReport) -> Block:
    """Every gap between updates as a bar, per audience, against the severity's limit."""
    found = rows(r)
    if not found.height:
        return no_data("no updates to measure a cadence by")
    traces: list[dict[str, Any]] = []
    shapes: list[dict[str, Any]] = []
    limit = None
    for row in found.iter_rows(named=True):
        limit = row["limit_min"]
        gaps = row["gaps_min"]
        over = [limit is not None and g > limit for g in gaps]
        traces.append(
            {
                "type": "bar",
                "name": AUDIENCE_LABELS[row["audience"]],
                "x": _gap_middles(row),
                "y": gaps,
                "width": [g * 60_000 for g in gaps],
                "opacity": 0.6,
                "marker": {
                    "color": ["#e74c3c" if o else _COLOURS[row["audience"]] for o in over],
                    "line": {"width": 1, "color": "#333"},
                },
                "text": [human_minutes(g) for g in gaps],
                "hovertemplate": "%{text} without an update<extra>"
                + plotly_text(AUDIENCE_LABELS[row["audience"]])
                + "</extra>",
            }
        )
    if limit is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": limit,
                "y1": limit,
                "line": {"color": "#e74c3c", "dash": "dash", "width": 2},
            }
        )
    severity = found["severity"][0] or "no severity"
    layout = {
        "title": {
            "text": f"Update cadence of {plotly_text(r.incident_id)} ({plotly_text(severity)}: "
            + (f"at most {limit} min between updates)" if limit is not None else "no cadence required)")
        },
        "xaxis": {
            "title": {"text": "time (UTC); each bar spans the gap between two updates"},
            "type": "date",
        },
        "yaxis": {"title": {"text": "minutes since the previous update"}, "rangemode": "tozero"},
        "barmode": "overlay",
        "height": 340,
        "margin": {"t": 60, "l": 70, "r": 20, "b": 50},
        "plot_bgcolor": "white",
        "shapes": shapes,
    }
    return Figure({"data": traces, "layout": layout}, title=f"update cadence of {r.incident_id}")


def table(r: PostmortemReport) -> Block:
    """Per audience: updates, gaps within the limit, compliance, longest silence, first update's lag."""
    found = rows(r)
    if not found.height:
        return no_data("no updates to measure a cadence by")
    shown = found.select(
        audience=pl.col("audience").replace_strict(AUDIENCE_LABELS, default=pl.col("audience")),
        limit=pl.col("limit_min").map_elements(lambda m: f"{m} min", return_dtype=pl.String, skip_nulls=True),
        n_updates="n_updates",
        within=pl.format("{} of {}", "n_within", "n_gaps"),
        compliance=pl.col("compliance").map_elements(
            lambda c: f"{c:.0%}", return_dtype=pl.String, skip_nulls=True
        ),
        longest=pl.col("longest_silence_min").map_elements(
            human_minutes, return_dtype=pl.String, skip_nulls=True
        ),
        first=pl.col("first_update_lag_min").map_elements(
            human_minutes, return_dtype=pl.String, skip_nulls=True
        ),
    )
    return Table(
        shown,
        columns={
            "audience": "Audience",
            "limit": "Longest allowed gap",
            "n_updates": "Updates",
            "within": "Gaps within it",
            "compliance": "Compliance",
            "longest": "Longest silence",
            "first": "First update after",
        },
    )


def promises_table(r: PostmortemReport) -> Block:
    """Every "next update at ..." promise: when it was made, when it was due, kept or broken, how late."""
    found = analysis.promises(r.scored, policy=r.policy)
    if r.external:
        found = found.filter(pl.col("audience") == "public")
    if not found.height:
        return no_data("no update was promised")
    kept = int(found["kept"].sum() or 0)
    judged = int(found["kept"].is_not_null().sum())
    shown = found.sort("promised_at").select(
        audience=pl.col("audience").replace_strict(AUDIENCE_LABELS, default=pl.col("audience")),
        promised_at="promised_at",
        due_at="due_at",
        answered_at="answered_at",
        status=pl.col("status"),
        late=pl.col("late_min").map_elements(_late, return_dtype=pl.String, skip_nulls=True),
    )
    return Table(
        shown,
        columns={
            "audience": "Audience",
            "promised_at": "Promised (UTC)",
            "due_at": "Due (UTC)",
            "answered_at": "Next update (UTC)",
            "status": f"Kept ({kept} of {judged})",
            "late": "Late by",
        },
    )
