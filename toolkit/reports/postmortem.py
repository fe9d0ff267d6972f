"""The post-mortem of one incident across all its sources (``notebooks/postmortem.ipynb`` calls it).

:meth:`PostmortemReport.load` reads the workspace's linked timeline
(:meth:`toolkit.workspace.Workspace.timeline`) for one incident — its Slack war room,
PagerDuty incident, status-page incident and post-mortem document as one — with the
metrics of :mod:`toolkit.analysis` and the action items as the action-item store holds
them now (:func:`toolkit.actions.list_items`, so edits made in the form show in the next
render). Each section is a method returning a safe display block; their bodies live in
:mod:`toolkit.reports.sections`. A section without data says so in one line
(:func:`~toolkit.reports.blocks.no_data`).

In a notebook (the workspace must hold the incident; any of its ids will do)::

    report = PostmortemReport.load("INC-2025-01-15-payment")     # or "PD-PZ4F9WB"
    report.header()          # displays as HTML, Markdown or text
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from toolkit.errors import WorkspaceError
from toolkit.reports.context import Voice, check_audience, open_linked_workspace
from toolkit.reports.sections import cadence, events, measures, overview, writeup
from toolkit.reports.sections.people import hidden_names

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.policy import Policy
    from toolkit.reports.blocks import Block, Heading, KeyValues
    from toolkit.timeline import Timeline

__all__ = ["EVENT_COLUMNS", "HIDDEN_KINDS", "PostmortemReport"]

EVENT_COLUMNS = events.EVENT_COLUMNS
"""The timeline table's columns and labels."""

HIDDEN_KINDS = ("update_promise",)
"""Event kinds the report does not list: a promise is its update again (see the cadence section)."""


@dataclass(frozen=True)
class PostmortemReport:
    """One linked incident's timeline, metrics and action items, and the report's sections as methods.

    Build it with :meth:`load`. ``external`` reports (and ``redact=True``) mask e-mail
    addresses, phone numbers and people's names (roles instead); ``external`` ones also
    leave out internal-only events and the war-room cadence.

    Attributes
    ----------
    incident_id
        The linked id (whatever id the report was asked for).
    timeline
        The workspace's timeline restricted to the incident, every event included.
    action_items
        The incident's action items as the store holds them at load time.
    """

    incident_id: str
    timeline: Timeline
    action_items: pl.DataFrame
    policy: Policy
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
        """Read incident ``incident_id`` (its linked id or any source's own id) from the workspace.

        Raises :class:`~toolkit.errors.WorkspaceError` when no incident has that id,
        naming some that do.
        """
        from toolkit import actions

        check_audience(audience)
        ws = open_linked_workspace(workspace, policy=policy)
        full = ws.timeline()
        iid = full.linked_id(incident_id)
        if iid is None:
            known = full.incidents["incident_id"].to_list()
            raise WorkspaceError(
                f"{ws.path}: no incident {incident_id!r} (known: {', '.join(known[:5])}"
                f"{', ...' if len(known) > 5 else ''}); list them with `incident-toolkit incidents`"
            )
        tl = full.incident(iid)
        items = actions.list_items(ws, incident_id=iid).sort("due_date", "title", nulls_last=True)
        names = hidden_names(tl)
        return cls(
            incident_id=iid,
            timeline=tl,
            action_items=items,
            policy=ws.policy,
            say=Voice(names, redact=redact or audience == "external"),
            audience=audience,
        )

    # -- the incident's data ------------------------------------------------------------
    @property
    def incident(self) -> pl.DataFrame:
        """The linked incident's one row."""
        return self.timeline.incidents

    def first(self, column: str) -> Any:
        """The incident's value of ``column`` (None when unknown)."""
        if column not in self.incident.columns or not self.incident.height:
            return None
        return self.incident[column].to_list()[0]

    @cached_property
    def events(self) -> pl.DataFrame:
        """The events the report shows, in time order: public ones only for an external audience."""
        ev = self.timeline.events.filter(~pl.col("kind").is_in(HIDDEN_KINDS))
        if self.audience == "external":
            ev = ev.filter(pl.col("visibility") == "public")
        return ev.sort("at", "source", "ref")

    @property
    def external(self) -> bool:
        """Whether the report is for outsiders (public events and public cadence only)."""
        return self.audience == "external"

    @cached_property
    def scored(self) -> Timeline:
        """The timeline the metrics are computed on: the incident with its live action items."""
        live = self.action_items.select(self.timeline.action_items.columns)
        return replace(self.timeline, action_items=live)

    def sections_of(self, section: str) -> list[str]:
        """The post-mortem document's paragraphs or items of ``section``, said in the report's voice."""
        rows = self.timeline.sections.filter(pl.col("section") == section).sort("position")
        return [self.say(t) for t in rows["text"].to_list()]

    # -- sections -------------------------------------------------------------------------
    def title(self) -> Heading:
        """The report's title: the incident's title and linked id."""
        return overview.title(self)

    def header(self) -> KeyValues:
        """Date, severity (declared and computed), status, services, duration, commander, people, sources."""
        return overview.header(self)

    def summary(self) -> Block:
        """The executive summary, as the post-mortem document words it (its emphasis kept)."""
        return overview.summary(self)

    def impact(self) -> Block:
        """What users experienced: the post-mortem's impact list, else what the sources state."""
        return overview.impact(self)

    def milestones(self) -> Block:
        """When the incident started, was detected, acknowledged, declared, mitigated, resolved; from where."""
        return measures.milestones(self)

    def durations(self) -> Block:
        """Time to detect, acknowledge, declare, mitigate, resolve, and the public-comms lag."""
        return measures.durations(self)

    def timeline_table(self) -> Block:
        """Every event of the incident from every source, in time order."""
        return events.table(self)

    def timeline_figure(self) -> Block:
        """The events over time, one lane per source, the milestones as vertical lines."""
        return events.figure(self)

    def cadence_figure(self) -> Block:
        """The gaps between updates against the severity's longest allowed interval."""
        return cadence.figure(self)

    def cadence_table(self) -> Block:
        """Per audience: updates, gaps within the limit, compliance, longest silence."""
        return cadence.table(self)

    def promises_table(self) -> Block:
        """Every promised next update, and whether it was kept."""
        return cadence.promises_table(self)

    def severity_audit(self) -> Block:
        """The declared severity against what the decision tree gives on the impact recorded."""
        return measures.severity_audit(self)

    def response_times(self) -> Block:
        """Acknowledgement and declaration against the severity's response time."""
        return measures.response_times(self)

    def resolution_criteria(self) -> Block:
        """Mitigation stable, root cause recorded, post-mortem on time, 30-day review done."""
        return measures.resolution_criteria(self)

    def root_cause(self) -> Block:
        """The 5-Whys tree as a figure."""
        return writeup.root_cause(self)

    def root_cause_table(self) -> Block:
        """The 5-Whys as text: each why, its answer, its factor, whether it is a root cause."""
        return writeup.root_cause_table(self)

    def action_items_table(self) -> Block:
        """The action items with their status in the action-item store now."""
        return writeup.action_items_table(self)

    def went_well(self) -> Block:
        """What went well, as the post-mortem document lists it."""
        return writeup.listed(self, "went_well", "the post-mortem lists nothing that went well")

    def went_wrong(self) -> Block:
        """What went wrong, as the post-mortem document lists it."""
        return writeup.listed(self, "went_wrong", "the post-mortem lists nothing that went wrong")

    def lessons(self) -> Block:
        """The lessons learned, as the post-mortem document lists them."""
        return writeup.listed(self, "lessons", "no lessons learned were written")

    def follow_up(self) -> Block:
        """When the 30-day review of the action items is due, and the document's follow-up."""
        return writeup.follow_up(self)

    def definitions(self) -> Block:
        """What every metric and milestone the report shows means."""
        return measures.definitions_table(self)
