"""The figures of the 30-day review: incidents per day, and the Kaplan–Meier resolved-by-time curve.

Figures are plotly JSON (no plotly import needed), shown through
:class:`~toolkit.reports.blocks.Figure`; text from data goes through
:func:`~toolkit.reports.blocks.plotly_text`.

Examples
--------
>>> import polars as pl
>>> from datetime import date
>>> empty = pl.DataFrame(schema={"incident_id": pl.String, "severity": pl.String, "started_at": pl.Datetime("us", "UTC"),
...                              "detected_at": pl.Datetime("us", "UTC"), "declared_at": pl.Datetime("us", "UTC"),
...                              "resolved_at": pl.Datetime("us", "UTC")})
>>> incidents_figure(empty, Window(date(2025, 2, 19), 30)).plain()
'No data: no incidents in the window'
"""

from __future__ import annotations

from typing import Any

import polars as pl

from toolkit.reports.blocks import Block, Figure, no_data, plotly_text
from toolkit.reports.review_window import Window, incident_time

__all__ = ["SEVERITY_COLORS", "incidents_figure", "survival_figure"]

SEVERITY_COLORS = {"SEV1": "#B22222", "SEV2": "#E4572E", "SEV3": "#F3A712", "SEV4": "#669BBC"}
"""One colour per severity, the same in every review figure."""


def incidents_figure(incidents: pl.DataFrame, window: Window) -> Block:
    """Incidents per day of the window, stacked by severity."""
    if not incidents.height:
        return no_data("no incidents in the window")
    per_day = (
        incidents.with_columns(
            day=incident_time().dt.date(), severity=pl.col("severity").fill_null("not declared")
        )
        .group_by("day", "severity")
        .agg(n=pl.len())
        .sort("day", "severity")
    )
    traces = [
        {
            "type": "bar",
            "name": plotly_text(sev),
            "x": [d.isoformat() for d in part["day"]],
            "y": part["n"].to_list(),
            "marker": {"color": SEVERITY_COLORS.get(str(sev), "#999999")},
        }
        for (sev,), part in per_day.group_by("severity", maintain_order=True)
    ]
    layout = {
        "title": {"text": "Incidents per day"},
        "barmode": "stack",
        "xaxis": {"type": "date", "range": [window.start.isoformat(), window.end.isoformat()]},
        "yaxis": {"title": {"text": "incidents"}, "dtick": 1},
        "height": 320,
        "margin": {"t": 50, "l": 60, "r": 20, "b": 40},
        "plot_bgcolor": "white",
    }
    return Figure({"data": traces, "layout": layout}, title="incidents per day")


def _curve_trace(curve: pl.DataFrame, name: str, **style: Any) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines",
        "line": {"shape": "hv", **style},
        "name": name,
        "x": curve["time_min"].to_list(),
        "y": [round(100 * v, 4) for v in curve["resolved"]],
        "hovertemplate": "%{y:.0f}% resolved by %{x:.0f} min<extra></extra>",
    }


def survival_figure(curve: pl.DataFrame, previous: pl.DataFrame | None = None) -> Block:
    """The Kaplan–Meier resolved-by-time curve of the window (the previous window dotted),
    open incidents marked where they are censored."""
    if curve.height <= 1:
        return no_data("no incidents with a start time in the window")
    traces = [_curve_trace(curve, "this window", color="#1f77b4", width=2)]
    if previous is not None and previous.height > 1:
        traces.append(_curve_trace(previous, "previous window", color="#999999", dash="dot"))
    censored = curve.filter(pl.col("n_censored") > 0)
    if censored.height:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "open (censored)",
                "x": censored["time_min"].to_list(),
                "y": [round(100 * v, 4) for v in censored["resolved"]],
                "marker": {"symbol": "x", "size": 10, "color": "#B22222"},
                "hovertemplate": "open, seen for %{x:.0f} min<extra></extra>",
            }
        )
    layout = {
        "title": {"text": "Resolved by time since impact started (Kaplan–Meier)"},
        "xaxis": {"title": {"text": "minutes since impact started"}, "rangemode": "tozero"},
        "yaxis": {"title": {"text": "% resolved"}, "range": [0, 105]},
        "height": 360,
        "margin": {"t": 50, "l": 60, "r": 20, "b": 80},
        "plot_bgcolor": "white",
        "legend": {"orientation": "h", "y": -0.3},
    }
    return Figure({"data": traces, "layout": layout}, title="time to resolve, Kaplan–Meier")
