"""PagerDuty on the shared timeline: events of log entries, notes and alerts; generic incidents.

Events (``source="pagerduty"``, ``visibility="internal"``): a log entry of a type in
:data:`EVENT_KINDS` becomes one event with ``ref`` = its id (trigger → alert, notify →
page, acknowledge, unacknowledge, escalate, assign, annotate → note, resolve; other types
make none). A note of the notes endpoint becomes a ``note`` event (ref ``note:<id>``) and
replaces an annotate entry that repeats it; an alert becomes an ``alert`` event (ref
``alert:<id>``).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from toolkit.schema import TABLES, UTC, EventKind, Severity, Source, Visibility, conform

__all__ = ["EVENT_KINDS", "events", "incident_id", "people", "tidy_incidents"]


def incident_id(pd_id: pl.Expr) -> pl.Expr:
    """The workspace's id of a PagerDuty incident: ``PD-`` and PagerDuty's own id (``PD-PT4KHLK``)."""
    return pl.lit("PD-") + pd_id


S = pl.String()

EVENT_KINDS: Mapping[str, EventKind] = {
    "trigger": EventKind.alert,
    "notify": EventKind.page,
    "acknowledge": EventKind.acknowledge,
    "unacknowledge": EventKind.unacknowledge,
    "escalate": EventKind.escalate,
    "assign": EventKind.assign,
    "annotate": EventKind.note,
    "resolve": EventKind.resolve,
}
"""Log-entry types that become timeline events; the other types stay in the log only."""


def events(
    log: pl.DataFrame, notes: pl.DataFrame | None, alerts: pl.DataFrame | None
) -> tuple[pl.DataFrame, int]:
    """Timeline events of log entries, notes and alerts, and how many annotate entries duplicated a note.

    Notes become ``note`` events (ref ``note:<id>``); alerts become ``alert`` events (ref
    ``alert:<id>``, actor the integration or service, text the alert summary). An annotate
    log entry at the same second, by the same person, as a note of the notes endpoint is
    the same note: only the note's event is kept.
    """
    schema = TABLES["events"].schema
    text = pl.coalesce(
        pl.when(pl.col("type") == "annotate").then(
            pl.coalesce("note", pl.when(pl.col("channel_type") == "note").then(pl.col("channel_summary")))
        ),
        pl.col("summary"),
        pl.when(pl.col("type") == "notify").then(pl.format("Notified {}", pl.col("notified_user"))),
        pl.col("type"),
    )
    from_log = log.filter(pl.col("type").is_in(list(EVENT_KINDS))).select(
        incident_id=incident_id(pl.col("pd_incident_id")),
        at=pl.col("at"),
        source=pl.lit(Source.pagerduty.value),
        kind=pl.col("type").replace_strict({k: v.value for k, v in EVENT_KINDS.items()}, return_dtype=S),
        actor=pl.col("agent"),
        text=text,
        ref=pl.col("entry_id"),
        visibility=pl.lit(Visibility.internal.value),
        severity=pl.lit(None, dtype=S),
        due_at=pl.lit(None, dtype=UTC),
    )
    parts = [from_log]
    duplicates = 0
    if notes is not None and notes.height:
        from_notes = notes.select(
            incident_id=incident_id(pl.col("pd_incident_id")),
            at=pl.col("created_at"),
            source=pl.lit(Source.pagerduty.value),
            kind=pl.lit(EventKind.note.value),
            actor=pl.col("user"),
            text=pl.col("content"),
            ref=pl.lit("note:") + pl.col("note_id"),
            visibility=pl.lit(Visibility.internal.value),
            severity=pl.lit(None, dtype=S),
            due_at=pl.lit(None, dtype=UTC),
        )
        keys = from_notes.select(
            "incident_id", "actor", _sec=pl.col("at").dt.truncate("1s"), _dup=pl.lit(True)
        ).unique()
        marked = from_log.with_columns(_sec=pl.col("at").dt.truncate("1s")).join(
            keys, on=["incident_id", "_sec", "actor"], how="left", maintain_order="left"
        )
        repeat = (pl.col("kind") == EventKind.note.value) & pl.col("_dup").fill_null(False)
        duplicates = marked.filter(repeat).height
        from_log_kept = marked.filter(~repeat).drop("_sec", "_dup")
        parts = [from_log_kept, from_notes]
    if alerts is not None and alerts.height:
        parts.append(
            alerts.select(
                incident_id=incident_id(pl.col("pd_incident_id")),
                at=pl.col("created_at"),
                source=pl.lit(Source.pagerduty.value),
                kind=pl.lit(EventKind.alert.value),
                actor=pl.coalesce("integration", "service"),
                text=pl.coalesce("summary", pl.lit("alert")),
                ref=pl.lit("alert:") + pl.col("alert_id"),
                visibility=pl.lit(Visibility.internal.value),
                severity=pl.lit(None, dtype=S),
                due_at=pl.lit(None, dtype=UTC),
            )
        )
    out = pl.concat([p.select(list(schema)).cast(schema) for p in parts], how="vertical")
    if len(parts) == 1:
        return out, duplicates  # log entries are already in incident and time order
    return out.sort("incident_id", "at", maintain_order=True), duplicates


_SEV_PATTERN = r"(?i)^\s*sev(?:erity)?[\s_-]*([1-4])\s*$"


def tidy_incidents(pd_incidents: pl.DataFrame, *, severity_map: Mapping[str, Severity]) -> pl.DataFrame:
    """PagerDuty incidents in the generic ``incidents`` schema.

    ``severity`` is set only where the priority maps cleanly: a priority named like
    "SEV-1", "Sev 2" or "SEV3" maps to that severity, and the policy's
    ``[pagerduty] severity_from_priority`` table maps further names (matched without
    regard to case); any other priority (PagerDuty's default P1-P5, say) leaves it null.
    """
    lowered = {k.lower(): v.value for k, v in severity_map.items()}
    mapped = pl.col("priority").str.to_lowercase().replace_strict(lowered, default=None, return_dtype=S)
    pattern = pl.lit("SEV") + pl.col("priority").str.extract(_SEV_PATTERN)
    status = pl.col("status").replace_strict(
        {"triggered": "open", "acknowledged": "open", "resolved": "resolved"}, default=None, return_dtype=S
    )
    null_ts = pl.lit(None, dtype=UTC)
    tidy = pd_incidents.select(
        incident_id=incident_id(pl.col("pd_incident_id")),
        source=pl.lit(Source.pagerduty.value),
        ref=pl.col("pd_incident_id"),
        title=pl.col("title"),
        severity=pl.coalesce(mapped, pattern),
        computed_severity=pl.lit(None, dtype=S),
        status=status,
        service=pl.col("service"),
        commander=pl.lit(None, dtype=S),
        started_at=null_ts,
        detected_at=pl.col("created_at"),
        declared_at=null_ts,
        acknowledged_at=pl.col("first_ack_at"),
        mitigated_at=null_ts,
        resolved_at=pl.col("resolved_at"),
        postmortem_at=null_ts,
        url=pl.col("html_url"),
    )
    return conform("incidents", tidy)


def people(pd_incidents: pl.DataFrame, log: pl.DataFrame) -> pl.DataFrame:
    """Everyone the export names (assignees, acknowledgers, users who acted) as core ``people`` rows.

    PagerDuty references carry a user's name (``summary``); the name is the ref, so the
    same person named in two exports is one row.
    """
    names = (
        pl.concat(
            [
                pd_incidents.select(pl.col("assignees").explode().alias("name")),
                pd_incidents.select(pl.col("acknowledgers").explode().alias("name")),
                log.filter(pl.col("agent_kind") == "user").select(pl.col("agent").alias("name")),
                log.select(pl.col("notified_user").alias("name")),
            ]
        )
        .drop_nulls()
        .unique()
        .sort("name")
    )
    return conform(
        "people",
        names.select(
            person_id=pl.lit("pagerduty:") + pl.col("name"),
            source=pl.lit(Source.pagerduty.value),
            ref=pl.col("name"),
            name=pl.col("name"),
            display_names=pl.concat_list("name"),
            emails=pl.lit([], dtype=pl.List(S)),
            aliases=pl.lit([], dtype=pl.List(S)),
            is_bot=pl.lit(False),
        ),
    )
