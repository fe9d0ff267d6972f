"""Core tables: what every layer after the importers reads, whatever the source.

Every importer fills some of these under the same names (``incidents``, ``events``,
``roles``, ``people``, ...); the timeline links them across sources. Each source record
has a ``(source, ref)`` key that survives a re-export: the Slack channel id, the
PagerDuty incident id, the Statuspage page + incident id, the post-mortem's stated id
(else its path inside the export). Edits are keyed on it.
"""

from __future__ import annotations

import polars as pl

from toolkit.schema.enums import (
    EventKind,
    IncidentStatus,
    ItemStatus,
    Priority,
    Role,
    SectionKind,
    Severity,
    Source,
    Visibility,
)
from toolkit.schema.table import UTC, Column, S, Table

__all__ = ["CORE_TABLES"]

_INCIDENT_ID = Column(
    "incident_id",
    S,
    "Incident id: readable, stable across re-imports (e.g. 'INC-2025-01-15-payment').",
    nullable=False,
)
_SOURCE = Column("source", S, "Which export the row came from.", Source, nullable=False)
_STRINGS = pl.List(S)

INCIDENTS = Table(
    "incidents",
    "incident as one source saw it; after linking (the timeline), one per incident",
    (
        _INCIDENT_ID,
        _SOURCE,
        Column(
            "ref",
            S,
            "The source's stable id of the record: channel id, PagerDuty id, 'page/incident', "
            "the post-mortem's stated id or path.",
            nullable=False,
        ),
        Column("title", S, "Short human title."),
        Column("severity", S, "Declared severity (last declared or changed to).", Severity),
        Column(
            "computed_severity",
            S,
            "Severity by the policy's decision tree, when its inputs are stated.",
            Severity,
        ),
        Column("status", S, "Lifecycle state at the time of the export.", IncidentStatus),
        Column("service", S, "Affected service or system, as the source names it."),
        Column("commander", S, "Incident Commander (display name, as the source writes it)."),
        Column("started_at", UTC, "When user impact began (as stated, else the first alert)."),
        Column("detected_at", UTC, "When monitoring or a person first noticed."),
        Column("declared_at", UTC, "When the incident was declared."),
        Column("acknowledged_at", UTC, "First acknowledgement of a page."),
        Column("mitigated_at", UTC, "When a mitigation completed (rollback done, flag off, failover done)."),
        Column("resolved_at", UTC, "When declared resolved; null while open."),
        Column("postmortem_at", UTC, "When the post-mortem was published or held."),
        Column("impact", S, "What users experienced, as stated (declaration, post-mortem)."),
        Column("users_affected_pct", pl.Float64(), "Share of users affected, 0-100, where stated."),
        Column("degradation_pct", pl.Float64(), "Performance degradation, 0-100 (% slower), where stated."),
        Column("revenue_impacted", pl.Boolean(), "Revenue impact stated (true/false), else null."),
        Column("core_down", pl.Boolean(), "Core functionality down, where stated."),
        Column("workaround", pl.Boolean(), "A workaround exists, where stated."),
        Column("data_breach", pl.Boolean(), "A data breach, where stated."),
        Column("components", _STRINGS, "Affected components (status page), else empty."),
        Column("url", S, "Where the record lives at the source (PagerDuty/status page URL, channel)."),
    ),
    ("source", "ref"),
)

EVENTS = Table(
    "events",
    "thing that happened on an incident's timeline",
    (
        _INCIDENT_ID,
        Column("at", UTC, "When it happened.", nullable=False),
        _SOURCE,
        Column("kind", S, "What happened.", EventKind, nullable=False),
        Column("actor", S, "Who or what did it (display name, bot or service)."),
        Column("text", S, "Human-readable text of the event."),
        Column(
            "ref",
            S,
            "Pointer back into the source: 'channel_id/ts', log entry id, update id, 'file:line'.",
            nullable=False,
        ),
        Column(
            "visibility",
            S,
            "internal (war room) or public (status page).",
            Visibility,
            nullable=False,
        ),
        Column("severity", S, "Severity named by a declare/severity_change event.", Severity),
        Column("due_at", UTC, "For update_promise: when the next update was promised."),
    ),
    ("source", "incident_id", "ref", "kind", "text"),
)

ROLES = Table(
    "roles",
    "role held in an incident",
    (
        _INCIDENT_ID,
        Column("role", S, "IC, TL, Comms, Scribe or SME.", Role, nullable=False),
        Column("person", S, "The person as the source names them (display name or handle).", nullable=False),
        Column("person_id", S, "The person across sources (people.person_id), once resolved."),
        Column("assigned_at", UTC, "When the role was taken or assigned, where known."),
        _SOURCE,
        Column("ref", S, "The record that names the role ('channel_id/ts', 'file:line').", nullable=False),
    ),
    ("source", "incident_id", "role", "person", "ref"),
)

PEOPLE = Table(
    "people",
    "person as one source knows them; resolved across sources by the timeline",
    (
        Column(
            "person_id",
            S,
            "Person id: '<source>:<ref>' as imported; the canonical id after resolution.",
            nullable=False,
        ),
        _SOURCE,
        Column(
            "ref",
            S,
            "The source's id of the person (Slack user id, PagerDuty user id, name).",
            nullable=False,
        ),
        Column("name", S, "Best display name (real name, else display name, else handle)."),
        Column("display_names", _STRINGS, "Every name the source gives (real, display, handle)."),
        Column("emails", _STRINGS, "E-mail addresses."),
        Column("aliases", _STRINGS, "Other names (policy [people] aliases)."),
        Column("is_bot", pl.Boolean(), "A bot or integration, not a person."),
    ),
    ("source", "ref"),
)

ACTION_ITEMS = Table(
    "action_items",
    "follow-up action item",
    (
        Column(
            "item_id",
            S,
            "Stable id: from the incident and the normalised title for imported items.",
            nullable=False,
        ),
        _INCIDENT_ID,
        Column("title", S, "What is to be done.", nullable=False),
        Column("owner", S, "Who owns it (person or team)."),
        Column("priority", S, "P0..P3.", Priority),
        Column("due_date", pl.Date(), "When it is due."),
        Column("status", S, "pending, in_progress, done, cancelled.", ItemStatus, nullable=False),
        Column("kind", S, "corrective, preventive, detective, mitigative (free text allowed)."),
        Column("link", S, "Ticket or document (http(s) URL)."),
        Column("notes", S, "Free-text notes."),
        Column("created_at", UTC, "When the item was created."),
        Column("updated_at", UTC, "When the item last changed."),
        Column("completed_at", UTC, "When it became done; cleared when reopened."),
        Column("version", pl.Int64(), "Edit version, for concurrent edits.", nullable=False),
        Column("source", S, "Where the item came from (postmortem document or manual).", Source),
        Column("ref", S, "The record it came from ('file:line'), for imported items."),
    ),
    ("item_id",),
)

WHYS = Table(
    "whys",
    "5-Whys node",
    (
        _INCIDENT_ID,
        Column("node_id", S, "Node id, unique within the incident.", nullable=False),
        Column("parent_id", S, "Parent node id; null for the first why."),
        Column("question", S, "The why question.", nullable=False),
        Column("answer", S, "Its answer."),
        Column("is_root_cause", pl.Boolean(), "This answer is a root cause.", nullable=False),
        Column("factor", S, "Contributing-factor category (policy taxonomy)."),
        Column("evidence", _STRINGS, "Refs of timeline events that support the answer."),
    ),
    ("incident_id", "node_id"),
)

POSTMORTEM_SECTIONS = Table(
    "postmortem_sections",
    "what a post-mortem says in prose (a paragraph, or one list item)",
    (
        _INCIDENT_ID,
        Column("section", S, "Which part of the post-mortem.", SectionKind, nullable=False),
        Column("position", pl.Int64(), "Order within the section, from 0.", nullable=False),
        Column("text", S, "The text (Markdown as written; untrusted).", nullable=False),
        Column("ref", S, "Where it is written ('file:line')."),
    ),
    ("incident_id", "section", "position"),
)

LINKS = Table(
    "links",
    "cross-source link: this record belongs to this incident",
    (
        _INCIDENT_ID,
        Column("source", S, "Source of the linked record.", Source, nullable=False),
        Column("ref", S, "The linked record's ref in that source.", nullable=False),
        Column(
            "method",
            S,
            "How the link was made (manual, unlink, reference, name, time+service, self).",
            nullable=False,
        ),
        Column("confidence", pl.Float64(), "0..1; 1 for manual links."),
    ),
    ("incident_id", "source", "ref"),
)

CORRECTIONS = Table(
    "corrections",
    "hand-made correction of one timestamp of an imported record",
    (
        Column("source", S, "Source of the corrected record.", Source, nullable=False),
        Column("ref", S, "The record's ref (as in events.ref) or incident id.", nullable=False),
        Column(
            "field",
            S,
            "Which timestamp is corrected (e.g. 'at', 'resolved_at').",
            nullable=False,
        ),
        Column("at", UTC, "The corrected value (null clears it)."),
        Column("reason", S, "Why it was corrected."),
    ),
    ("source", "ref", "field"),
)

REJECTED = Table(
    "rejected",
    "input record that could not be read (kept aside, never dropped)",
    (
        Column("source", S, "Importer that rejected it.", Source, nullable=False),
        Column("file", S, "File (zip members as 'archive.zip:member').", nullable=False),
        Column("record", pl.Int64(), "0-based record index (or line number), null for a whole file."),
        Column("field", S, "Field at fault, if one."),
        Column("reason", S, "What is wrong.", nullable=False),
        Column(
            "incident_id",
            S,
            "Incident the record belonged to, where known (its milestones may be incomplete).",
        ),
    ),
    (),
)

CORE_TABLES: tuple[Table, ...] = (
    INCIDENTS,
    EVENTS,
    ROLES,
    PEOPLE,
    ACTION_ITEMS,
    WHYS,
    POSTMORTEM_SECTIONS,
    LINKS,
    CORRECTIONS,
    REJECTED,
)
