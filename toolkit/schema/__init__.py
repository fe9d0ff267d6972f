"""The tidy tables every layer agrees on: names, dtypes, enums, one doc line per column.

Importers produce these tables; analysis, charts, forms and reports consume them. Nothing
past ``toolkit/importers/`` sees a vendor's field names. All timestamps are
``pl.Datetime("us", "UTC")``; enum-valued columns hold the ``StrEnum`` values as strings
(``pl.String``), so tables travel unchanged to pandas, Parquet, DuckDB and Spark.

Examples
--------
>>> import polars as pl
>>> from toolkit import schema
>>> df = schema.empty("events")
>>> schema.validate("events", df).columns[:3]
['incident_id', 'at', 'source']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import polars as pl

from toolkit.errors import SchemaError

__all__ = [
    "TABLES",
    "UTC",
    "Column",
    "EventKind",
    "Impact",
    "IncidentStatus",
    "ItemStatus",
    "Priority",
    "Severity",
    "Source",
    "Table",
    "UpdateStatus",
    "Visibility",
    "empty",
    "validate",
]

UTC = pl.Datetime("us", "UTC")
"""The one timestamp dtype of every table."""


class Severity(StrEnum):
    """Incident severity of the seed's table (SEV1 most severe)."""

    SEV1 = "SEV1"
    SEV2 = "SEV2"
    SEV3 = "SEV3"
    SEV4 = "SEV4"


class EventKind(StrEnum):
    """What kind of thing happened on an incident's timeline."""

    alert = "alert"  # monitoring fired / PagerDuty trigger
    page = "page"  # a person was notified
    acknowledge = "acknowledge"
    unacknowledge = "unacknowledge"
    escalate = "escalate"
    assign = "assign"
    declare = "declare"  # incident declared (with a severity)
    role_assign = "role_assign"  # IC, TL, Comms, Scribe, SME named
    severity_change = "severity_change"
    update = "update"  # internal war-room update ("UPDATE #2 - 10:15 AM")
    update_promise = "update_promise"  # "Next update: 10:30 AM" (the promise, due at `due_at`)
    status_update = "status_update"  # public status-page update
    mitigation = "mitigation"  # failover, feature flag off, scale up, rate limit, hotfix
    deploy = "deploy"
    rollback = "rollback"
    resolve = "resolve"
    reopen = "reopen"
    postmortem = "postmortem"
    message = "message"  # a message marked as a timeline event (e.g. by a reaction)
    note = "note"  # annotation / note


class Source(StrEnum):
    """Where a row came from."""

    slack = "slack"
    pagerduty = "pagerduty"
    statuspage = "statuspage"
    postmortem = "postmortem"
    manual = "manual"


class Visibility(StrEnum):
    """Who saw an event: the war room (internal) or customers (public)."""

    internal = "internal"
    public = "public"


class UpdateStatus(StrEnum):
    """Status of a public status-page update (incidents, then scheduled maintenances)."""

    investigating = "investigating"
    identified = "identified"
    monitoring = "monitoring"
    resolved = "resolved"
    postmortem = "postmortem"
    scheduled = "scheduled"
    in_progress = "in_progress"
    verifying = "verifying"
    completed = "completed"


class Impact(StrEnum):
    """Status-page impact of an incident."""

    none = "none"
    minor = "minor"
    major = "major"
    critical = "critical"
    maintenance = "maintenance"


class IncidentStatus(StrEnum):
    """Lifecycle state of an incident."""

    open = "open"
    mitigated = "mitigated"
    resolved = "resolved"


class Priority(StrEnum):
    """Action-item priority (P0 most urgent)."""

    P0 = "P0"
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"


class ItemStatus(StrEnum):
    """Action-item state."""

    pending = "pending"
    in_progress = "in_progress"
    done = "done"
    cancelled = "cancelled"


@dataclass(frozen=True)
class Column:
    """One column: name, polars dtype, one line of documentation, allowed values."""

    name: str
    dtype: pl.DataType
    doc: str
    enum: type[StrEnum] | None = None
    nullable: bool = True


@dataclass(frozen=True)
class Table:
    """One tidy table: its columns, its key (unique per row) and what a row is."""

    name: str
    row: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def schema(self) -> pl.Schema:
        """The polars schema (column name to dtype), in column order."""
        return pl.Schema({c.name: c.dtype for c in self.columns})

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise SchemaError(self.name, name, "no such column in the schema")


S = pl.String()
REACTION = pl.Struct({"name": pl.String(), "count": pl.Int64(), "users": pl.List(pl.String())})

_INCIDENT_ID = Column(
    "incident_id",
    S,
    "Incident id, stable across imports (e.g. 'INC-2025-01-15-payment').",
    nullable=False,
)

TABLES: Mapping[str, Table] = {
    t.name: t
    for t in (
        Table(
            "incidents",
            "incident, as one source sees it (linking merges them later)",
            (
                _INCIDENT_ID,
                Column("source", S, "Which export the row came from.", Source, nullable=False),
                Column(
                    "ref",
                    S,
                    "The source's own id (channel id, PagerDuty id, page/incident id, file).",
                    nullable=False,
                ),
                Column("title", S, "Short human title."),
                Column("severity", S, "Declared severity (last declared or changed to).", Severity),
                Column(
                    "computed_severity",
                    S,
                    "Severity by the policy's decision tree, when inputs are known.",
                    Severity,
                ),
                Column("status", S, "Lifecycle state at the time of the export.", IncidentStatus),
                Column("service", S, "Affected service or system."),
                Column("commander", S, "Incident Commander (display name)."),
                Column("started_at", UTC, "When user impact began."),
                Column("detected_at", UTC, "When monitoring or a person first noticed."),
                Column("declared_at", UTC, "When the incident was declared."),
                Column("acknowledged_at", UTC, "First acknowledgement of a page."),
                Column("mitigated_at", UTC, "When user impact was stopped (rollback, failover, ...)."),
                Column("resolved_at", UTC, "When declared resolved; null while open."),
                Column("postmortem_at", UTC, "When the post-mortem was published or held."),
            ),
            ("source", "incident_id"),
        ),
        Table(
            "events",
            "thing that happened on an incident's timeline",
            (
                _INCIDENT_ID,
                Column("at", UTC, "When it happened.", nullable=False),
                Column("source", S, "Which export it came from.", Source, nullable=False),
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
        ),
        Table(
            "messages",
            "Slack message",
            (
                Column("channel_id", S, "Slack conversation id.", nullable=False),
                Column("channel", S, "Conversation name.", nullable=False),
                Column(
                    "ts",
                    S,
                    "Slack's message timestamp, the exact original string (it is the message id).",
                    nullable=False,
                ),
                Column("at", UTC, "ts as a UTC timestamp.", nullable=False),
                Column("user_id", S, "Author's Slack user id (or bot id when no user)."),
                Column("user", S, "Author's display name, else real name, else the id."),
                Column(
                    "text",
                    S,
                    "Text rendered for people: mentions, channels, links and entities resolved.",
                ),
                Column(
                    "subtype",
                    S,
                    "Slack subtype (null for ordinary messages); unknown ones kept as is.",
                ),
                Column("thread_ts", S, "ts of the thread parent, for parents and replies."),
                Column(
                    "is_thread_reply",
                    pl.Boolean(),
                    "A reply inside a thread (not the parent).",
                    nullable=False,
                ),
                Column("reply_count", pl.Int64(), "Replies a thread parent reports."),
                Column("is_bot", pl.Boolean(), "Posted by a bot or integration.", nullable=False),
                Column("edited_at", UTC, "When last edited, if ever."),
                Column("reactions", pl.List(REACTION), "Reactions: name, count, users."),
                Column("files", pl.Int64(), "Number of files attached.", nullable=False),
                Column("pinned", pl.Boolean(), "Pinned to the channel.", nullable=False),
            ),
            ("channel_id", "ts"),
        ),
        Table(
            "status_updates",
            "public status-page update",
            (
                Column("page", S, "Status page id.", nullable=False),
                Column("incident_ref", S, "The page's incident id.", nullable=False),
                Column("update_id", S, "The update's id.", nullable=False),
                Column("at", UTC, "When posted (created_at).", nullable=False),
                Column("display_at", UTC, "When shown as posted (may be back-dated)."),
                Column("status", S, "Status set by the update; unknown values kept as is."),
                Column("body", S, "Text shown to customers."),
                Column("impact", S, "Impact of the incident.", Impact),
                Column("components", pl.List(S), "Affected components (names)."),
            ),
            ("page", "incident_ref", "update_id"),
        ),
        Table(
            "pages",
            "PagerDuty log entry",
            (
                Column("pd_incident_id", S, "PagerDuty incident id.", nullable=False),
                Column("entry_id", S, "Log entry id.", nullable=False),
                Column("at", UTC, "When it happened.", nullable=False),
                Column(
                    "type",
                    S,
                    "Entry type without the '_log_entry' suffix (trigger, notify, ...); unknown kept.",
                    nullable=False,
                ),
                Column("agent", S, "Who or what acted (user or service summary)."),
                Column("channel", S, "Channel type (api, email, sms, phone, web_trigger, auto, ...)."),
                Column("summary", S, "PagerDuty's one-line summary."),
                Column("escalation_level", pl.Int64(), "Escalation level, where known."),
            ),
            ("pd_incident_id", "entry_id"),
        ),
        Table(
            "action_items",
            "follow-up action item",
            (
                Column("item_id", S, "Stable id.", nullable=False),
                Column("incident_id", S, "Incident it follows up.", nullable=False),
                Column("title", S, "What is to be done.", nullable=False),
                Column("owner", S, "Who owns it (person or team)."),
                Column("priority", S, "P0..P3.", Priority),
                Column("due_date", pl.Date(), "When it is due."),
                Column(
                    "status",
                    S,
                    "pending, in_progress, done, cancelled.",
                    ItemStatus,
                    nullable=False,
                ),
                Column(
                    "kind",
                    S,
                    "Kind of fix: prevent, detect, mitigate, process (free text allowed).",
                ),
                Column("created_at", UTC, "When the item was created."),
                Column("completed_at", UTC, "When marked done."),
                Column("version", pl.Int64(), "Edit version, for concurrent edits.", nullable=False),
            ),
            ("item_id",),
        ),
        Table(
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
                Column("evidence", pl.List(S), "Refs of timeline events that support the answer."),
            ),
            ("incident_id", "node_id"),
        ),
        Table(
            "links",
            "cross-source link",
            (
                _INCIDENT_ID,
                Column("source", S, "Source of the linked record.", Source, nullable=False),
                Column("ref", S, "The linked record's id in that source.", nullable=False),
                Column(
                    "method",
                    S,
                    "How the link was made (manual, id, time+service, ...).",
                    nullable=False,
                ),
                Column("confidence", pl.Float64(), "0..1; 1 for manual links."),
            ),
            ("incident_id", "source", "ref"),
        ),
        Table(
            "corrections",
            "hand-made correction of one timestamp of an imported record",
            (
                Column("source", S, "Source of the corrected record.", Source, nullable=False),
                Column("ref", S, "The record's ref (as in events.ref) or incident id.", nullable=False),
                Column(
                    "field",
                    S,
                    "Which timestamp column is corrected (e.g. 'at', 'resolved_at').",
                    nullable=False,
                ),
                Column("at", UTC, "The corrected value (null clears it)."),
                Column("reason", S, "Why it was corrected."),
            ),
            ("source", "ref", "field"),
        ),
        Table(
            "rejected",
            "input record that could not be read (kept aside, never dropped)",
            (
                Column("source", S, "Importer that rejected it.", Source, nullable=False),
                Column("file", S, "File (zip members as 'archive.zip:member').", nullable=False),
                Column(
                    "record",
                    pl.Int64(),
                    "0-based record index (or line number), null for a whole file.",
                ),
                Column("field", S, "Field at fault, if one."),
                Column("reason", S, "What is wrong.", nullable=False),
            ),
            (),
        ),
    )
}


def empty(name: str) -> pl.DataFrame:
    """An empty DataFrame with the columns and dtypes of table ``name``."""
    return pl.DataFrame(schema=_table(name).schema)


def _table(name: str) -> Table:
    try:
        return TABLES[name]
    except KeyError:
        raise SchemaError(name, None, f"no such table; known tables: {', '.join(TABLES)}") from None


def validate(name: str, df: pl.DataFrame, *, extra: bool = True) -> pl.DataFrame:
    """Check ``df`` against table ``name``; return it unchanged or raise :class:`SchemaError`.

    Checks, in order: every schema column present, dtypes equal (timestamps must be
    ``Datetime("us", "UTC")``; a naive datetime is named as such), no nulls in
    non-nullable columns, enum columns hold only their enum's values, and the key is
    unique. Extra columns are allowed unless ``extra=False``.

    Examples
    --------
    >>> import polars as pl
    >>> validate("links", pl.DataFrame({"incident_id": ["x"]}))
    Traceback (most recent call last):
    ...
    toolkit.errors.SchemaError: table 'links', column 'source': missing column
    """
    table = _table(name)
    for col in table.columns:
        if col.name not in df.columns:
            raise SchemaError(name, col.name, "missing column")
        actual = df.schema[col.name]
        if actual != col.dtype:
            if isinstance(actual, pl.Datetime) and actual.time_zone is None:
                problem = f"naive datetime ({actual}); expected {col.dtype} — attach a time zone"
            else:
                problem = f"wrong dtype {actual}; expected {col.dtype}"
            raise SchemaError(name, col.name, problem)
        if not col.nullable and df[col.name].null_count():
            raise SchemaError(
                name, col.name, f"{df[col.name].null_count()} null value(s) in a required column"
            )
        if col.enum is not None:
            allowed = {e.value for e in col.enum}
            bad = (
                df[col.name].drop_nulls().unique().filter(~df[col.name].drop_nulls().unique().is_in(allowed))
            )
            if len(bad):
                shown = ", ".join(repr(v) for v in sorted(bad.to_list())[:5])
                raise SchemaError(
                    name,
                    col.name,
                    f"value(s) {shown} outside {col.enum.__name__} ({', '.join(sorted(allowed))})",
                )
    if not extra:
        unknown = [c for c in df.columns if c not in table.schema]
        if unknown:
            raise SchemaError(name, unknown[0], "column not in the schema")
    if table.key and df.height:
        dup = df.select(table.key).is_duplicated()
        if dup.any():
            first = df.filter(dup).row(0, named=True)
            shown = ", ".join(f"{k}={first[k]!r}" for k in table.key)
            raise SchemaError(name, ",".join(table.key), f"{int(dup.sum())} rows share a key, e.g. {shown}")
    return df
