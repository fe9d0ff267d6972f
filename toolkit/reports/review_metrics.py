"""The metric sections of the 30-day review, from the window's linked timeline.

Each function takes frames :mod:`toolkit.analysis` computed (durations, their per-severity
summary with bootstrap intervals, the trend against the previous window, the Kaplan–Meier
curve) and returns a :mod:`toolkit.reports.blocks` block, escaped in every format; the
arithmetic stays in :mod:`toolkit.analysis`. Durations read like ``2h 15m``
(:mod:`toolkit.analysis.fmt`). :data:`SHOWN` lists the metrics the review defines.

Examples
--------
>>> change_text(135.0, 95.0), change_text(60.0, 90.5), change_text(None, 10.0)
('+40m', '−30m 30s', '—')
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from toolkit.analysis.definitions import DURATION_METRICS, definitions
from toolkit.analysis.fmt import human_duration, human_minutes
from toolkit.reports.blocks import Block, Table, Text, no_data

__all__ = [
    "SHOWN",
    "change_text",
    "definitions_table",
    "incidents_table",
    "open_incidents_table",
    "summary_table",
    "survival_text",
    "trend_frame",
    "trend_table",
]

_NONE = "—"

SHOWN = (
    "started_at",
    "resolved_at",
    *DURATION_METRICS,
    "n",
    "n_open",
    "median_min",
    "p90_min",
    "mean_min",
    "median_ci",
    "mean_ci",
    "survival",
    "gaps_min",
    "compliance",
    "longest_silence_min",
    "promise_kept",
    "late_min",
    "acknowledged_in_time",
    "declared_in_time",
    "severity_audit",
)
"""The metrics the review shows, in the order its definitions list them."""


def _ci(values: list[float] | None) -> str:
    return "" if not values else f" [{human_minutes(values[0])} – {human_minutes(values[1])}]"


def change_text(current: float | None, previous: float | None) -> str:
    """The change from ``previous`` to ``current`` minutes, signed (``+40m``), or ``—``."""
    if current is None or previous is None:
        return _NONE
    delta = current - previous
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    return sign + human_minutes(abs(delta))


def incidents_table(incidents: pl.DataFrame, durations: pl.DataFrame) -> Block:
    """Every incident of the window, earliest first: severity, service, start, how long, sources."""
    rows = incidents.join(
        durations.select("incident_id", "time_to_resolve", "observed"), on="incident_id", how="left"
    ).with_columns(
        duration=pl.struct("time_to_resolve", "observed").map_elements(
            lambda r: (
                human_duration(r["time_to_resolve"])
                if r["time_to_resolve"] is not None
                else f"open ({human_duration(r['observed'])} so far)"
            ),
            return_dtype=pl.String,
        )
    )
    return Table(
        rows.sort("started_at", "incident_id", nulls_last=True),
        columns={
            "incident_id": "Incident",
            "severity": "Severity",
            "service": "Service",
            "started_at": "Started (UTC)",
            "duration": "Duration",
            "status": "Status",
            "sources": "Sources",
            "title": "Title",
        },
        empty="no incidents in the window",
    )


def summary_table(summary: pl.DataFrame) -> Block:
    """Median, p90 and mean of each duration per severity (and for all), with 95 % intervals."""
    shown = summary.filter((pl.col("n") > 0) | (pl.col("n_open") > 0)).with_columns(
        pl.col("severity").fill_null("not declared"),
        median=pl.struct("median_min", "median_ci").map_elements(
            lambda r: human_minutes(r["median_min"]) + _ci(r["median_ci"]), return_dtype=pl.String
        ),
        mean=pl.struct("mean_min", "mean_ci").map_elements(
            lambda r: human_minutes(r["mean_min"]) + _ci(r["mean_ci"]), return_dtype=pl.String
        ),
        p90=pl.col("p90_min").map_elements(human_minutes, return_dtype=pl.String),
    )
    return Table(
        shown,
        columns={
            "metric": "Metric",
            "severity": "Severity",
            "n": "n",
            "n_open": "Open",
            "median": "Median [95% CI]",
            "p90": "p90",
            "mean": "Mean [95% CI]",
        },
        empty="no durations in the window",
    )


def trend_frame(current: pl.DataFrame, previous: pl.DataFrame) -> pl.DataFrame:
    """Per duration metric, this window's and the previous window's ``n`` and median minutes
    (``summarize(..., by=None)`` rows of each), and the change in minutes."""
    cols = ("metric", "n", "n_open", "median_min")
    prev = previous.select(cols).rename({c: f"previous_{c}" for c in cols[1:]})
    grid = pl.DataFrame({"metric": list(DURATION_METRICS)})
    return (
        grid.join(current.select(cols), on="metric", how="left")
        .join(prev, on="metric", how="left")
        .with_columns(pl.col("n", "n_open", "previous_n", "previous_n_open").fill_null(0))
        .with_columns(change_min=pl.col("median_min") - pl.col("previous_median_min"))
    )


def trend_table(trend: pl.DataFrame, *, incidents: int, previous_incidents: int) -> Block:
    """The window against the one before it: incidents, then each metric's median."""

    def median(value: float | None, n: int) -> str:
        return _NONE if value is None else f"{human_minutes(value)} (n={n})"

    rows = [("incidents", str(incidents), str(previous_incidents), f"{incidents - previous_incidents:+d}")]
    for r in trend.iter_rows(named=True):
        rows.append(
            (
                f"median {r['metric']}",
                median(r["median_min"], r["n"]),
                median(r["previous_median_min"], r["previous_n"]),
                change_text(r["median_min"], r["previous_median_min"]),
            )
        )
    frame = pl.DataFrame(rows, schema=["measure", "this", "previous", "change"], orient="row")
    return Table(
        frame,
        columns={
            "measure": "Measure",
            "this": "This window",
            "previous": "Previous window",
            "change": "Change",
        },
    )


def survival_text(curve: pl.DataFrame) -> Block:
    """The curve in words: how many resolved, the Kaplan–Meier median, who is censored where."""
    if curve.height <= 1:
        return no_data("no incidents with a start time in the window")
    total, events = int(curve.item(0, "n_at_risk")), int(curve["n_events"].sum())
    half = curve.filter(pl.col("resolved") >= 0.5)["time_min"]
    median = human_minutes(half[0]) if half.len() else "not reached"
    censored = curve.filter(pl.col("n_censored") > 0)["time_min"].to_list()
    at = ", ".join(human_minutes(t) for t in censored)
    open_part = f"; {len(censored)} open, censored at {at}" if censored else "; none open"
    return Text(f"{events} of {total} resolved; Kaplan–Meier median time to resolve {median}{open_part}.")


def open_incidents_table(incidents: pl.DataFrame, durations: pl.DataFrame) -> Block:
    """The window's incidents not resolved yet, with how long they have been open."""
    open_ = incidents.filter(pl.col("resolved_at").is_null()).join(
        durations.select("incident_id", "observed"), on="incident_id", how="left"
    )
    return Table(
        open_.with_columns(open_for=pl.col("observed").map_elements(human_duration, return_dtype=pl.String)),
        columns={
            "started_at": "Since (UTC)",
            "incident_id": "Incident",
            "severity": "Severity",
            "status": "Status",
            "service": "Service",
            "open_for": "Open for",
            "title": "Title",
        },
        empty="every incident in the window is resolved",
    )


def definitions_table(extra: Mapping[str, str] | None = None) -> Block:
    """Every metric of :data:`SHOWN` with its definition, then ``extra`` terms.

    Examples
    --------
    >>> definitions_table({"overdue": "past due"}).plain().splitlines()[-1]
    'overdue | past due'
    """
    terms = {**definitions(SHOWN), **(extra or {})}
    frame = pl.DataFrame({"metric": list(terms), "definition": list(terms.values())})
    return Table(frame, columns={"metric": "Metric", "definition": "Definition"})
