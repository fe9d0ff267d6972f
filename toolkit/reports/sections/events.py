"""The merged timeline of an incident: every source's events in one table and one figure.

An event several sources recorded is one row, with all its sources. The figure gives
each source a lane (an event seen in two sources shows in both), colours events by kind
and draws each milestone as a vertical line.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import polars as pl

from toolkit.reports.blocks import Block, Figure, Table, no_data, plotly_text
from toolkit.reports.sections.measures import MILESTONE_LABELS
from toolkit.reports.sections.people import display_names
from toolkit.timeline.model import SOURCE_ORDER

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.reports.postmortem import PostmortemReport

__all__ = ["EVENT_COLUMNS", "KIND_COLOURS", "figure", "table"]

EVENT_COLUMNS = {
    "at": "Time (UTC)",
    "source": "Source",
    "kind": "Kind",
    "actor": "Who",
    "text": "What happened",
}
"""The timeline table's columns and labels."""

_MILESTONE_COLOUR = "#c0392b"

KIND_COLOURS = {
    "alert": "#e74c3c",
    "page": "#f39c12",
    "acknowledge": "#f1c40f",
    "escalate": "#d35400",
    "declare": "#8e44ad",
    "role_assign": "#bb8fce",
    "severity_change": "#6c3483",
    "update": "#2e86c1",
    "status_update": "#5dade2",
    "mitigation": "#27ae60",
    "rollback": "#1e8449",
    "deploy": "#7f8c8d",
    "resolve": "#145a32",
    "postmortem": "#34495e",
    "message": "#aab7b8",
    "note": "#d5dbdb",
}
"""Event kind -> its colour in the timeline figure (other kinds get plotly's defaults)."""


def _shown(r: PostmortemReport) -> pl.DataFrame:
    """The report's events with every source named and actors by display name, in the report's voice."""
    names = display_names(r.timeline)
    ev = r.events.with_columns(
        source=pl.col("sources").list.join(", ").fill_null(pl.col("source")),
        actor=pl.col("person_id").replace_strict(names, default=pl.col("actor"), return_dtype=pl.String),
    )
    return r.say.column(ev, "actor", "text")


def table(r: PostmortemReport) -> Block:
    """Every event of the incident, in time order, with the sources that recorded it."""
    return Table(_shown(r), columns=EVENT_COLUMNS, empty="no events recorded for this incident")


def _lanes(r: PostmortemReport) -> list[str]:
    seen = set(r.events["sources"].explode().drop_nulls().to_list())
    rank = {s: i for i, s in enumerate(SOURCE_ORDER)}
    return sorted(seen, key=lambda s: (rank.get(s, len(rank)), s))


def _milestone_marks(r: PostmortemReport) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A dotted vertical line per milestone; labels of milestones close together joined into one."""
    marks = sorted(
        (r.first(name), label)
        for name, label in MILESTONE_LABELS.items()
        if name != "postmortem_at" and r.first(name) is not None
    )
    if not marks:
        return [], []
    times: list[datetime] = [*r.events["at"].drop_nulls().to_list(), *(at for at, _ in marks)]
    near = (max(times) - min(times)) * 0.04
    clusters: list[tuple[Any, list[str]]] = []
    for at, label in marks:
        if clusters and at - clusters[-1][0] <= near:
            clusters[-1][1].append(label)
        else:
            clusters.append((at, [label]))
    shapes, notes = [], []
    line = {"color": _MILESTONE_COLOUR, "width": 1, "dash": "dot"}
    for at, _ in marks:
        x = f"{at:%Y-%m-%dT%H:%M:%S}"
        shapes.append(
            {"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1, "line": line}
        )
    for i, (at, labels) in enumerate(clusters):
        notes.append(
            {
                "x": f"{at:%Y-%m-%dT%H:%M:%S}",
                "y": 1.02 + 0.08 * (i % 2),
                "xref": "x",
                "yref": "paper",
                "text": " / ".join(labels),
                "showarrow": False,
                "yanchor": "bottom",
                "font": {"size": 10, "color": _MILESTONE_COLOUR},
            }
        )
    return shapes, notes


def figure(r: PostmortemReport) -> Block:
    """The events over time, one lane per source, coloured by kind, the milestones as vertical lines."""
    if not r.events.height:
        return no_data("no events to plot")
    shown = _shown(r).with_columns(lane=pl.col("sources")).explode("lane")
    traces = []
    for (kind,), part in shown.group_by("kind", maintain_order=True):
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": plotly_text(kind),
                "x": [f"{t:%Y-%m-%dT%H:%M:%S}" for t in part["at"]],
                "y": part["lane"].to_list(),
                "text": [plotly_text(t or "")[:300] for t in part["text"].to_list()],
                "hovertemplate": "%{x}<br>%{text}<extra>" + plotly_text(kind) + "</extra>",
                "marker": {
                    "size": 11,
                    "line": {"width": 1, "color": "#333"},
                    **({"color": KIND_COLOURS[kind]} if kind in KIND_COLOURS else {}),
                },
            }
        )
    lanes = _lanes(r)
    shapes, notes = _milestone_marks(r)
    layout = {
        "title": {"text": f"Timeline of {plotly_text(r.incident_id)}"},
        "xaxis": {"title": {"text": "time (UTC)"}, "type": "date"},
        "yaxis": {
            "title": {"text": "source"},
            "type": "category",
            "categoryorder": "array",
            "categoryarray": lanes[::-1],
        },
        "height": max(420, 200 + 60 * len(lanes)),
        "margin": {"t": 90, "l": 90, "r": 20, "b": 50},
        "plot_bgcolor": "white",
        "legend": {"title": {"text": "event kind"}},
        "shapes": shapes,
        "annotations": notes,
    }
    return Figure({"data": traces, "layout": layout}, title=f"timeline of {r.incident_id}")
