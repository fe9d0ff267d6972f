"""The sections of the 30-day review (``notebooks/review_30d.ipynb`` calls them).

Today the review counts the incident records of every source in the window, by
severity and service, lists the open ones and the recurring 5-Whys factors. The
timeline and metrics (durations with confidence intervals, cadence compliance,
action-item follow-through) will replace or join these bodies; the notebook stays.

In a notebook::

    review = ReviewReport.load(end_date="2025-02-19", days=30)
    review.incidents_table()
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from toolkit.reports.blocks import Block, Figure, Heading, KeyValues, Table, no_data, plotly_text
from toolkit.reports.context import open_workspace

__all__ = ["ReviewReport", "incident_time", "latest_incident_date", "parse_day"]

SEVERITY_COLORS = {"SEV1": "#B22222", "SEV2": "#E4572E", "SEV3": "#F3A712", "SEV4": "#669BBC"}


def incident_time() -> pl.Expr:
    """When an incident record happened, for windows: started, else detected, declared, resolved."""
    return pl.coalesce("started_at", "detected_at", "declared_at", "resolved_at")


def latest_incident_date(incidents: pl.DataFrame) -> date | None:
    """The UTC date of the latest incident record (the default end of a review), or None."""
    latest = incidents.select(incident_time().max()).item()
    return None if latest is None else latest.date()


def parse_day(value: str | date) -> date:
    """A date from ``YYYY-MM-DD`` (or a date); a ValueError names the bad value.

    Examples
    --------
    >>> parse_day("2025-02-19")
    datetime.date(2025, 2, 19)
    """
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"expected a date like 2025-02-19, got {value!r}") from None


@dataclass(frozen=True)
class ReviewReport:
    """The incidents of one window (``days`` days ending on ``end``, inclusive) and its sections."""

    end: date
    days: int
    services: tuple[str, ...]
    incidents: pl.DataFrame
    whys: pl.DataFrame
    action_items: pl.DataFrame

    @classmethod
    def load(
        cls,
        *,
        end_date: str | date | None = None,
        days: int = 30,
        workspace: str | Path | None = None,
        services: Sequence[str] | None = None,
        policy: str | Path | None = None,
    ) -> ReviewReport:
        """Read the window's incidents (default end: the day of the latest incident)."""
        if days < 1:
            raise ValueError(f"days must be at least 1, got {days}")
        ws = open_workspace(workspace, policy=policy)
        everything = ws.incidents()
        end = parse_day(end_date) if end_date is not None else latest_incident_date(everything)
        if end is None:
            end = date.today()
        start = end - timedelta(days=days - 1)
        day = incident_time().dt.date()
        inside = everything.filter(day.is_between(start, end))
        wanted = tuple(services or ())
        if wanted:
            lowered = [s.lower() for s in wanted]
            inside = inside.filter(pl.col("service").str.to_lowercase().is_in(lowered))
        ids = inside["incident_id"].unique().to_list()
        return cls(
            end=end,
            days=days,
            services=wanted,
            incidents=inside,
            whys=ws.table("whys").filter(pl.col("incident_id").is_in(ids)),
            action_items=ws.table("action_items").filter(pl.col("incident_id").is_in(ids)),
        )

    @property
    def start(self) -> date:
        """The first day of the window."""
        return self.end - timedelta(days=self.days - 1)

    def title(self) -> Heading:
        """The review's title: its window."""
        return Heading(f"{self.days}-day review, {self.start} to {self.end}", level=1)

    def header(self) -> KeyValues:
        """The window, the services, how many incident records and how many are open."""
        open_ = self.incidents.filter(pl.col("resolved_at").is_null()).height
        return KeyValues(
            [
                ("Window (UTC)", f"{self.start} to {self.end} ({self.days} days)"),
                ("Services", ", ".join(self.services) or "all"),
                ("Incident records", self.incidents.height),
                ("Open", open_),
                ("Sources", ", ".join(sorted(set(self.incidents["source"].to_list()))) or "none"),
            ]
        )

    def by_severity(self) -> Block:
        """Incident records per severity and service."""
        counts = (
            self.incidents.with_columns(pl.col("severity").fill_null("not declared"))
            .group_by("severity", "service")
            .agg(records=pl.len().cast(pl.Int64))
            .sort("severity", "records", "service", descending=[False, True, False], nulls_last=True)
        )
        return Table(
            counts,
            columns={"severity": "Severity", "service": "Service", "records": "Records"},
            empty="no incidents in the window",
        )

    def incidents_figure(self) -> Block:
        """Incident records per day of the window, stacked by severity."""
        if not self.incidents.height:
            return no_data("no incidents in the window")
        per_day = (
            self.incidents.with_columns(
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
            "title": {"text": "Incident records per day"},
            "barmode": "stack",
            "xaxis": {"type": "date", "range": [self.start.isoformat(), self.end.isoformat()]},
            "yaxis": {"title": {"text": "records"}, "dtick": 1},
            "height": 320,
            "margin": {"t": 50, "l": 60, "r": 20, "b": 40},
            "plot_bgcolor": "white",
        }
        return Figure({"data": traces, "layout": layout}, title="incident records per day")

    def incidents_table(self) -> Block:
        """Every incident record in the window, earliest first."""
        return Table(
            self.incidents.with_columns(when=incident_time()),
            columns={
                "when": "When (UTC)",
                "incident_id": "Incident",
                "source": "Source",
                "severity": "Severity",
                "service": "Service",
                "title": "Title",
                "status": "Status",
            },
            empty="no incidents in the window",
        )

    def open_incidents(self) -> Block:
        """The incident records not resolved at the time of their export."""
        return Table(
            self.incidents.filter(pl.col("resolved_at").is_null()).with_columns(when=incident_time()),
            columns={
                "when": "Since (UTC)",
                "incident_id": "Incident",
                "severity": "Severity",
                "title": "Title",
            },
            empty="every incident in the window is resolved",
        )

    def recurring_factors(self) -> Block:
        """Which 5-Whys factor categories recur, and how many of their action items are done."""
        from toolkit.whys import factor_table

        if not self.whys.height:
            return no_data("no 5-Whys analyses for the incidents in the window")
        table = factor_table(self.whys, self.action_items, as_of=self.end)
        return Table(
            table.filter(pl.col("factor").is_not_null()),
            columns={
                "label": "Factor",
                "incidents": "Incidents",
                "nodes": "Whys",
                "root_causes": "Root causes",
                "items": "Action items",
                "items_done": "Done",
                "recurring": "Recurring",
            },
            empty="no factor categories found",
        )
