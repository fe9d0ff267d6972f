"""The sections of the 30-day review (``notebooks/review_30d.ipynb`` calls them).

:meth:`ReviewReport.load` reads the workspace's linked timeline (``ws.timeline()``: one
row per real incident, every source merged), keeps the incidents that started in the
window (``days`` days ending on ``end_date``, UTC; by default the 30 days ending on the
day of the latest incident) and the window of the same length before it, and computes
their metrics with :mod:`toolkit.analysis` (durations with seeded bootstrap intervals, the
Kaplan–Meier curve with open incidents censored, cadence, promises, compliance, the
severity audit) and the action items' follow-through with :mod:`toolkit.actions` as of
the window's last day. Each section method returns one :mod:`~toolkit.reports.blocks`
block (escaped in every format); :mod:`.review_window` (the window), :mod:`.review_metrics`
(durations, trend, Kaplan–Meier in words, definitions), :mod:`.review_figures`,
:mod:`.review_practice` (cadence, promises, response times, severity audit) and
:mod:`.review_actions` (follow-through) build them.

In a notebook::

    review = ReviewReport.load(end_date="2025-02-19", days=30)
    review.incidents_table()
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from toolkit import analysis
from toolkit.actions import FollowThrough
from toolkit.policy import Policy
from toolkit.reports import review_actions as acts
from toolkit.reports import review_figures as rf
from toolkit.reports import review_metrics as rm
from toolkit.reports import review_practice as rp
from toolkit.reports.blocks import Block, Heading, KeyValues, Table, no_data
from toolkit.reports.context import open_linked_workspace
from toolkit.reports.review_window import Window, incident_time, latest_incident_date, parse_day, window_ids
from toolkit.timeline import Timeline

__all__ = ["ReviewReport", "Window", "incident_time", "latest_incident_date", "parse_day"]


@dataclass(frozen=True)
class ReviewReport:
    """A window's linked incidents, the previous window's, their metrics and follow-through.

    Attributes
    ----------
    window, services
        The days reviewed and the services kept (empty: all).
    timeline, previous
        The linked timeline restricted to this window's and the previous window's incidents.
    durations, previous_durations
        :func:`toolkit.analysis.durations` of each.
    follow
        Action-item follow-through as of the window's last day.
    policy
        The policy the metrics were judged against.
    seed
        Seed of the bootstrap intervals.
    """

    window: Window
    services: tuple[str, ...]
    timeline: Timeline
    previous: Timeline
    durations: pl.DataFrame
    previous_durations: pl.DataFrame
    follow: FollowThrough
    policy: Policy
    seed: int = 0

    @classmethod
    def load(
        cls,
        *,
        end_date: str | date | None = None,
        days: int = 30,
        workspace: str | Path | None = None,
        services: Sequence[str] | None = None,
        policy: str | Path | None = None,
        seed: int = 0,
    ) -> ReviewReport:
        """Read the window's linked incidents (default end: the day of the latest incident)."""
        if days < 1:
            raise ValueError(f"days must be at least 1, got {days}")
        ws = open_linked_workspace(workspace, policy=policy)
        tl = ws.timeline()
        end = parse_day(end_date) if end_date is not None else latest_incident_date(tl.incidents)
        window = Window(end or date.today(), days)
        wanted = tuple(services or ())
        current = tl.restrict(window_ids(tl.incidents, window, services=wanted))
        previous = tl.restrict(window_ids(tl.incidents, window.previous(), services=wanted))
        return cls(
            window=window,
            services=wanted,
            timeline=current,
            previous=previous,
            durations=analysis.durations(current, policy=ws.policy),
            previous_durations=analysis.durations(previous, policy=ws.policy),
            follow=acts.window_follow_through(ws, as_of=window.end, services=wanted),
            policy=ws.policy,
            seed=seed,
        )

    @property
    def start(self) -> date:
        """The first day of the window."""
        return self.window.start

    @property
    def end(self) -> date:
        """The last day of the window."""
        return self.window.end

    @property
    def days(self) -> int:
        """How many days the window has."""
        return self.window.days

    @property
    def incidents(self) -> pl.DataFrame:
        """The window's linked incidents, earliest first."""
        return self.timeline.incidents.sort(incident_time(), "incident_id", nulls_last=True)

    def title(self) -> Heading:
        """The review's title: its window."""
        return Heading(f"{self.days}-day review, {self.start} to {self.end}", level=1)

    def severity_counts(self) -> dict[str, int]:
        """Incidents of the window per severity (``not declared`` for none), SEV1 first."""
        counts = Counter(s or "not declared" for s in self.incidents["severity"].to_list())
        return dict(sorted(counts.items()))

    def header(self) -> KeyValues:
        """The window, the services, the incidents by severity, how many are open, the previous window."""
        inc = self.incidents
        prev = self.window.previous()
        by_sev = ", ".join(f"{k}: {v}" for k, v in self.severity_counts().items())
        return KeyValues(
            [
                ("Window (UTC)", f"{self.window.label()} ({self.days} days)"),
                ("Services", ", ".join(self.services) or "all"),
                ("Incidents", inc.height),
                ("By severity", by_sev or "none"),
                ("Open", inc.filter(pl.col("resolved_at").is_null()).height),
                ("Sources", ", ".join(sorted({s for ss in inc["sources"].to_list() for s in ss})) or "none"),
                ("Previous window", f"{prev.label()}: {self.previous.incidents.height} incidents"),
            ]
        )

    def by_severity(self) -> Block:
        """Incidents per severity and service."""
        counts = (
            self.incidents.with_columns(pl.col("severity").fill_null("not declared"))
            .group_by("severity", "service")
            .agg(incidents=pl.len().cast(pl.Int64))
            .sort("severity", "incidents", "service", descending=[False, True, False], nulls_last=True)
        )
        return Table(
            counts,
            columns={"severity": "Severity", "service": "Service", "incidents": "Incidents"},
            empty="no incidents in the window",
        )

    def incidents_figure(self) -> Block:
        """Incidents per day of the window, stacked by severity."""
        return rf.incidents_figure(self.incidents, self.window)

    def incidents_table(self) -> Block:
        """Every linked incident of the window: severity, service, start, duration, sources."""
        return rm.incidents_table(self.incidents, self.durations)

    def summary(self) -> pl.DataFrame:
        """:func:`toolkit.analysis.summarize` of the window per severity, then for all incidents."""
        per = analysis.summarize(self.durations, by="severity", seed=self.seed)
        every = analysis.summarize(self.durations, by=None, seed=self.seed).with_columns(
            severity=pl.lit("all")
        )
        order = {m: i for i, m in enumerate(analysis.DURATION_METRICS)}
        both = pl.concat([per, every.select(per.columns)], how="vertical_relaxed")
        return both.sort(
            pl.col("metric").replace_strict(order, return_dtype=pl.Int32), "severity", nulls_last=True
        )

    def durations_summary(self) -> Block:
        """Each duration's median, p90 and mean per severity, with 95 % bootstrap intervals."""
        return rm.summary_table(self.summary())

    def trend(self) -> pl.DataFrame:
        """Each duration's median in this window and the previous one (:func:`.review_metrics.trend_frame`)."""
        return rm.trend_frame(
            analysis.summarize(self.durations, by=None, seed=self.seed),
            analysis.summarize(self.previous_durations, by=None, seed=self.seed),
        )

    def trend_table(self) -> Block:
        """This window against the previous one of equal length."""
        return rm.trend_table(
            self.trend(), incidents=self.incidents.height, previous_incidents=self.previous.incidents.height
        )

    def survival(self) -> pl.DataFrame:
        """The Kaplan–Meier time-to-resolve curve of the window (open incidents censored)."""
        return analysis.survival(self.durations)

    def survival_figure(self) -> Block:
        """The resolved-by-time curve, the previous window's dotted, open incidents marked."""
        return rf.survival_figure(self.survival(), analysis.survival(self.previous_durations))

    def survival_text(self) -> Block:
        """The curve in one sentence."""
        return rm.survival_text(self.survival())

    def cadence(self) -> pl.DataFrame:
        """Per incident: gaps within the policy, longest silences, promises kept (:func:`.review_metrics.cadence_frame`)."""
        frame = rp.cadence_frame(
            analysis.cadence(self.timeline, policy=self.policy),
            analysis.promises(self.timeline, policy=self.policy),
        )
        order = self.incidents.select("incident_id").with_row_index("_o")
        return order.join(frame, on="incident_id").sort("_o").drop("_o")

    def cadence_table(self) -> Block:
        """Status-update cadence per incident against the policy, and promised updates kept."""
        return rp.cadence_table(self.cadence())

    def response_times(self) -> Block:
        """Acknowledged and declared within the severity's response time, per severity."""
        return rp.response_table(analysis.compliance(self.timeline, policy=self.policy), self.incidents)

    def severity_audit(self) -> Block:
        """Declared severities against the decision tree; the disagreements listed."""
        audit = analysis.severity_audit(self.timeline, policy=self.policy)
        order = self.incidents.select("incident_id").with_row_index("_o")
        return rp.severity_table(order.join(audit, on="incident_id").sort("_o").drop("_o"))

    def follow_through(self) -> Block:
        """Action items of incidents started by the window's end: counts and completion by priority."""
        return acts.follow_through_summary(self.follow)

    def reviews_due(self) -> Block:
        """Incidents whose 30-day review is due: their items done, late, untouched."""
        return acts.reviews_table(self.follow)

    def open_on_closed(self) -> Block:
        """Action items still open on incidents already resolved."""
        return acts.open_on_closed_table(self.follow)

    def recurrence(self) -> Block:
        """Incidents that recurred before the earlier incident's items were done."""
        return acts.recurrence_table(self.follow)

    def burndown_figure(self) -> Block:
        """Open and overdue action items per day."""
        return acts.burndown_figure(self.follow)

    def aging_figure(self) -> Block:
        """Open action items by age and priority."""
        return acts.aging_figure(self.follow)

    def recurring_factors(self) -> Block:
        """Which 5-Whys factor categories recur, and how many of their action items are done."""
        from toolkit.whys import factor_table

        whys = self.timeline.whys
        if not whys.height:
            return no_data("no 5-Whys analyses for the incidents in the window")
        ids = self.incidents["incident_id"].to_list()
        items = self.follow.items.filter(pl.col("incident_id").is_in(ids))
        table = factor_table(whys, items, policy=self.policy, as_of=self.end)
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

    def open_incidents(self) -> Block:
        """The window's incidents not resolved yet."""
        return rm.open_incidents_table(self.incidents, self.durations)

    def definitions(self) -> Block:
        """What every metric the review shows means, exactly as computed."""
        return rm.definitions_table(acts.ACTION_TERMS)
