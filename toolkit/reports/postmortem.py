"""The sections of a post-mortem report, one method each (``notebooks/postmortem.ipynb`` calls them).

Today a section shows what the workspace holds for the incident as its sources saw it:
its incident rows, events, roles, 5-Whys, action items and post-mortem prose. The
timeline and metrics (merged incidents, milestones, durations, cadence) will replace
the bodies of these methods; the notebook stays as it is. A section without data says
so in one line (:func:`~toolkit.reports.blocks.no_data`).

In a notebook (the workspace must hold the incident)::

    report = PostmortemReport.load("INC-2025-01-15-payment")
    report.header()          # displays as HTML, Markdown or text
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from toolkit.errors import WorkspaceError
from toolkit.reports.blocks import (
    Block,
    Bullets,
    Figure,
    Heading,
    KeyValues,
    Note,
    Table,
    no_data,
    plotly_text,
)
from toolkit.reports.context import Voice, check_audience, open_workspace
from toolkit.reports.prose import Prose, ProseList
from toolkit.reports.redact import role_names

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.store import Workspace

__all__ = ["EVENT_COLUMNS", "PostmortemReport"]

EVENT_COLUMNS = {
    "at": "Time (UTC)",
    "source": "Source",
    "kind": "Kind",
    "actor": "Who",
    "text": "What happened",
}
"""The timeline table's columns and labels."""

REVIEW_AFTER = timedelta(days=30)
"""The 30-day review of action items is due this long after resolution."""

_MILESTONES = (
    ("started_at", "Started"),
    ("detected_at", "Detected"),
    ("declared_at", "Declared"),
    ("acknowledged_at", "Acknowledged"),
    ("mitigated_at", "Mitigated"),
    ("resolved_at", "Resolved"),
)


def _of(ws: Workspace, table: str, incident_id: str) -> pl.DataFrame:
    df = ws.table(table)
    return df.filter(pl.col("incident_id") == incident_id) if "incident_id" in df.columns else df.clear()


@dataclass(frozen=True)
class PostmortemReport:
    """One incident's data, read once, and the report's sections as methods.

    Build it with :meth:`load`. ``external`` reports (and ``redact=True``) mask e-mail
    addresses, phone numbers and people's names; ``external`` ones also leave out
    internal-only events.
    """

    incident_id: str
    incident: pl.DataFrame
    events: pl.DataFrame
    roles: pl.DataFrame
    whys: pl.DataFrame
    action_items: pl.DataFrame
    sections: pl.DataFrame
    say: Voice
    audience: str = "internal"

    @classmethod
    def load(
        cls,
        incident_id: str,
        *,
        workspace: str | Path | None = None,
        policy: str | Path | None = None,
        audience: str = "internal",
        redact: bool = False,
    ) -> PostmortemReport:
        """Read ``incident_id``'s rows from the workspace (default: the repository's).

        Raises :class:`~toolkit.errors.WorkspaceError` when the workspace has no such incident.
        """
        check_audience(audience)
        ws = open_workspace(workspace, policy=policy)
        incident = ws.incidents().filter(pl.col("incident_id") == incident_id)
        if not incident.height:
            known = ws.incidents()["incident_id"].unique(maintain_order=True).to_list()
            raise WorkspaceError(
                f"{ws.path}: no incident {incident_id!r} (known: {', '.join(known[:5])}"
                f"{', ...' if len(known) > 5 else ''}); list them with `incident-toolkit incidents`"
            )
        events = _of(ws, "events", incident_id).sort("at", "source", "ref")
        if audience == "external":
            events = events.filter(pl.col("visibility") == "public")
        roles = _of(ws, "roles", incident_id)
        people = [*incident["commander"].drop_nulls().to_list(), *events["actor"].drop_nulls().to_list()]
        pairs = [(p, "IC") for p in incident["commander"].drop_nulls().to_list()]
        pairs += list(roles.select("person", "role").iter_rows())
        names = role_names(pairs, people=people)
        sections = _of(ws, "postmortem_sections", incident_id).sort("section", "position")
        return cls(
            incident_id=incident_id,
            incident=incident,
            events=events,
            roles=roles,
            whys=_of(ws, "whys", incident_id),
            action_items=_of(ws, "action_items", incident_id).sort("due_date", "title", nulls_last=True),
            sections=sections,
            say=Voice(names, redact=redact or audience == "external"),
            audience=audience,
        )

    # -- helpers ----------------------------------------------------------------------
    def _first(self, column: str) -> Any:
        values = self.incident[column].drop_nulls()
        return values[0] if len(values) else None

    def _prose(self, section: str) -> list[str]:
        rows = self.sections.filter(pl.col("section") == section)
        return [self.say(t) for t in rows["text"].to_list()]

    # -- sections ---------------------------------------------------------------------
    def title(self) -> Heading:
        """The report's title: the incident's title and id."""
        title = self._first("title")
        return Heading(f"{self.say(str(title)) if title else 'Incident'} ({self.incident_id})", level=1)

    def header(self) -> KeyValues:
        """Date, severity, status, service, duration, commander, participants, sources."""
        start = self._first("started_at") or self._first("detected_at") or self._first("declared_at")
        end = self._first("resolved_at")
        roles = self.roles.unique(["role", "person"], maintain_order=True)
        participants = ", ".join(
            f"{self.say(p)} ({r})" for p, r in roles.select("person", "role").iter_rows()
        )
        duration = (end - start) if start is not None and end is not None else None
        commander = self._first("commander")
        return KeyValues(
            [
                ("Incident", self.incident_id),
                ("Date", start.date() if start is not None else "unknown"),
                ("Severity", self._first("severity") or "not declared"),
                ("Status", self._first("status") or "unknown"),
                ("Service", self.say(str(self._first("service") or "")) or "unknown"),
                ("Duration", duration if duration is not None else ("open" if end is None else "unknown")),
                ("Commander", self.say(str(commander)) if commander else "unknown"),
                ("Participants", participants or "none recorded"),
                ("Sources", ", ".join(sorted(set(self.incident["source"].to_list())))),
                ("Audience", self.audience),
            ]
        )

    def summary(self) -> Block:
        """The executive summary, as the post-mortem document words it (its emphasis kept)."""
        paras = self._prose("summary")
        return Prose("\n".join(paras)) if paras else no_data("no executive summary was written")

    def impact(self) -> Block:
        """What users experienced: the post-mortem's impact list, else what the sources state."""
        written = self._prose("impact")
        if written:
            return ProseList(tuple(written))
        stated = [self.say(t) for t in self.incident["impact"].drop_nulls().unique(maintain_order=True)]
        pct = self._first("users_affected_pct")
        if pct is not None:
            stated.append(f"Users affected: {pct:g}%")
        return Bullets(stated) if stated else no_data("no impact statement in any source")

    def milestones(self) -> Block:
        """When the incident started, was detected, declared, acknowledged, mitigated, resolved."""
        rows = [(label, self._first(col)) for col, label in _MILESTONES]
        known = [(label, at) for label, at in rows if at is not None]
        if not known:
            return no_data("no milestone times in any source")
        return KeyValues([(f"{label} (UTC)", at) for label, at in known])

    def timeline_table(self) -> Block:
        """Every event of the incident, in time order."""
        shown = self.say.column(self.events, "actor", "text")
        return Table(shown, columns=EVENT_COLUMNS, empty="no events recorded for this incident")

    def timeline_figure(self) -> Block:
        """The events over time, one lane per source, coloured by kind."""
        if not self.events.height:
            return no_data("no events to plot")
        traces = []
        for (kind,), part in self.events.group_by("kind", maintain_order=True):
            traces.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": str(kind),
                    "x": [f"{t:%Y-%m-%dT%H:%M:%S}" for t in part["at"]],
                    "y": part["source"].to_list(),
                    "text": [plotly_text(self.say(t))[:300] for t in part["text"].to_list()],
                    "hovertemplate": "%{x}<br>%{text}<extra>" + plotly_text(str(kind)) + "</extra>",
                    "marker": {"size": 11, "line": {"width": 1, "color": "#333"}},
                }
            )
        layout = {
            "title": {"text": f"Timeline of {plotly_text(self.incident_id)}"},
            "xaxis": {"title": {"text": "time (UTC)"}, "type": "date"},
            "yaxis": {"title": {"text": "source"}, "type": "category"},
            "height": 320,
            "margin": {"t": 50, "l": 90, "r": 20, "b": 50},
            "plot_bgcolor": "white",
            "legend": {"title": {"text": "event kind"}},
        }
        return Figure({"data": traces, "layout": layout}, title=f"timeline of {self.incident_id}")

    def root_cause(self) -> Block:
        """The 5-Whys tree as a figure."""
        if not self.whys.height:
            return no_data("this incident has no 5-Whys analysis")
        from toolkit.whys import Tree

        whys = self.say.column(self.whys, "question", "answer").with_columns(
            pl.col("question", "answer").map_elements(plotly_text, return_dtype=pl.String, skip_nulls=True)
        )
        return Figure(Tree.from_frame(whys, self.incident_id).figure(), title="5 Whys")

    def root_cause_table(self) -> Block:
        """The 5-Whys as text: each why, its answer, its factor, whether it is a root cause."""
        whys = self.say.column(self.whys, "question", "answer")
        return Table(
            whys.sort("node_id"),
            columns={
                "node_id": "Why",
                "question": "Question",
                "answer": "Answer",
                "factor": "Factor",
                "is_root_cause": "Root cause",
            },
            empty="this incident has no 5-Whys analysis",
        )

    def action_items_table(self) -> Block:
        """The action items, with their status in the workspace."""
        items = self.say.column(self.action_items, "title", "owner")
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

    def went_well(self) -> Block:
        """What went well, as the post-mortem document lists it."""
        items = self._prose("went_well")
        return ProseList(tuple(items)) if items else no_data("the post-mortem lists nothing that went well")

    def went_wrong(self) -> Block:
        """What went wrong, as the post-mortem document lists it."""
        items = self._prose("went_wrong")
        return ProseList(tuple(items)) if items else no_data("the post-mortem lists nothing that went wrong")

    def lessons(self) -> Block:
        """The lessons learned, as the post-mortem document lists them."""
        items = self._prose("lessons")
        return ProseList(tuple(items)) if items else no_data("no lessons learned were written")

    def follow_up(self) -> Block:
        """When the 30-day review of the action items is due."""
        resolved = self._first("resolved_at")
        if resolved is None:
            return Note("The incident is still open: the 30-day review is due 30 days after it resolves.")
        due = (resolved + REVIEW_AFTER).date()
        return KeyValues([("30-day review due", due), ("Action items", f"{self.action_items.height}")])
