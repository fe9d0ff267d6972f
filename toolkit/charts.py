"""Charts (plotly, imported on first use), one small function per chart.

Each takes what :mod:`toolkit.actions` (or a lower layer) computed and only draws it, so
the figures hold no arithmetic of their own; the frames behind them are tested exactly.
Figures render in JupyterLab, in papermill output (``plotly_mimetype``) and in the offline
HTML reports.

Examples
--------
>>> import tempfile
>>> from toolkit.store import Workspace
>>> ws = Workspace(tempfile.mkdtemp())
>>> _ = ws.ingest("data/sample/postmortems")
>>> from datetime import date
>>> from toolkit import actions, charts
>>> ft = actions.follow_through(ws, as_of=date(2025, 3, 1))
>>> charts.burndown(ft).data[0].y[-1]
7
>>> [bar.name for bar in charts.aging(ft).data]
['P0', 'P1', 'P2', 'P3']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from toolkit.actions import FollowThrough

if TYPE_CHECKING:  # pragma: no cover
    from plotly.graph_objects import Figure

__all__ = ["PRIORITY_COLORS", "aging", "burndown"]

PRIORITY_COLORS = {"P0": "#b2182b", "P1": "#ef8a62", "P2": "#67a9cf", "P3": "#2166ac", None: "#999999"}
"""One colour per priority (null: grey), the same in every chart."""


def burndown(ft: FollowThrough, *, title: str = "Action items: open and overdue") -> Figure:
    """Open items per day (and how many of them were overdue), up to ``ft.as_of``.

    Examples
    --------
    >>> import tempfile
    >>> from toolkit.store import Workspace
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> _ = ws.ingest("data/sample/postmortems")
    >>> from datetime import date
    >>> from toolkit import actions
    >>> fig = burndown(actions.follow_through(ws, as_of=date(2025, 3, 1)))
    >>> [trace.name for trace in fig.data]
    ['open', 'of which overdue', 'closed so far']
    """
    import plotly.graph_objects as go

    days = ft.burndown
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=days["day"].to_list(), y=days["open"].to_list(), name="open", mode="lines", line_shape="hv"
        )
    )
    fig.add_trace(
        go.Scatter(
            x=days["day"].to_list(),
            y=days["overdue"].to_list(),
            name="of which overdue",
            mode="lines",
            line_shape="hv",
            fill="tozeroy",
            line={"color": PRIORITY_COLORS["P0"]},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=days["day"].to_list(),
            y=days["closed"].to_list(),
            name="closed so far",
            mode="lines",
            line_shape="hv",
            line={"dash": "dot", "color": "#555555"},
        )
    )
    fig.update_layout(
        title=title,
        xaxis={"title": None},
        yaxis={"title": "items", "rangemode": "tozero"},
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.15},
        margin={"t": 50, "l": 50, "r": 20, "b": 40},
    )
    return fig


def aging(ft: FollowThrough, *, title: str = "Open action items by age") -> Figure:
    """Open items per age bucket as of ``ft.as_of``, stacked by priority (overdue in the hover).

    Examples
    --------
    >>> import tempfile
    >>> from toolkit.store import Workspace
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> _ = ws.ingest("data/sample/postmortems")
    >>> from datetime import date
    >>> from toolkit import actions
    >>> fig = aging(actions.follow_through(ws, as_of=date(2025, 3, 1)))
    >>> fig.layout.title.text
    'Open action items by age (as of 2025-03-01)'
    """
    import plotly.graph_objects as go

    fig = go.Figure()
    for (priority,), part in ft.aging.group_by("priority", maintain_order=True):
        name = "no priority" if priority is None else str(priority)
        fig.add_trace(
            go.Bar(
                x=part["bucket"].to_list(),
                y=part["items"].to_list(),
                name=name,
                marker={"color": PRIORITY_COLORS.get(priority, "#999999")},
                customdata=part.select("overdue").to_numpy(),
                hovertemplate=f"{name}: %{{y}} open, %{{customdata[0]}} overdue<extra></extra>",
            )
        )
    fig.update_layout(
        title=f"{title} (as of {ft.as_of.isoformat()})",
        barmode="stack",
        xaxis={"title": None, "categoryorder": "array", "categoryarray": _buckets(ft.aging)},
        yaxis={"title": "open items", "rangemode": "tozero", "dtick": 1},
        plot_bgcolor="white",
        margin={"t": 50, "l": 50, "r": 20, "b": 40},
    )
    return fig


def _buckets(frame: pl.DataFrame) -> list[str]:
    return list(dict.fromkeys(frame["bucket"].to_list()))
