"""From flat PagerDuty records to the importer's tables: dedupe, derive, merge, cross-check.

Rules (each documented once here):

- **Overlapping pages.** An incident seen more than once keeps the record with the latest
  ``updated_at``; ties go to the later ``last_status_change_at``, then to the further
  status (triggered < acknowledged < resolved), then to the later file. Log entries,
  notes, alerts and Analytics rows seen more than once keep one copy (Analytics: latest
  ``updated_at``).
- **Derived milestones.** Where an incident has log entries, ``first_ack_at`` is its
  first acknowledge entry, ``resolved_at`` its last resolve entry, and
  ``escalation_count`` the number of distinct instants with escalate entries (PagerDuty
  writes one escalate entry per assignee of a level, at the same instant). A milestone
  the log entries lack falls back to the incident record (``acknowledgements``,
  ``resolved_at``), then to Analytics (``created_at`` + ``seconds_to_first_ack``).
  ``seconds_to_first_ack`` / ``seconds_to_resolve`` are whole seconds from ``created_at``
  when the milestone comes from log entries or the incident record, else Analytics' own
  figures (so an incident known from Analytics alone keeps PagerDuty's numbers).
- **created_at** is the incident record's, else the first trigger entry's (both carry
  their zone), else Analytics' (read in ``tz``), else the first log entry's.
- **Descriptive fields** come from the incident record, else Analytics, else the log
  entries (title and number from the incident reference's "[#1234] title" summary).
  ``teams``, ``assignees`` and ``acknowledgers`` are the union of all three, in order.
- **Cross-check.** For incidents with both log entries and Analytics: seconds to first
  ack and to resolve and the creation time must agree within the tolerance, escalation
  counts exactly; a figure one side has and the other lacks is a disagreement too.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from toolkit.schema import TABLES, UTC

__all__ = [
    "CROSSCHECK_SCHEMA",
    "INCIDENT_COLUMNS",
    "KNOWN_TYPES",
    "crosscheck",
    "dedupe",
    "log_table",
    "merge_incidents",
]

KNOWN_TYPES = frozenset(
    {
        "trigger",
        "notify",
        "acknowledge",
        "unacknowledge",
        "assign",
        "delegate",
        "escalate",
        "exhaust_escalation_path",
        "repeat_escalation_path",
        "reach_ack_limit",
        "reach_trigger_limit",
        "snooze",
        "annotate",
        "urgency_change",
        "resolve",
        "field_value_change",
        "custom_field_value_change",
    }
)
"""Log-entry types of PagerDuty's schema (without ``_log_entry``); others are kept as they are."""

_LEVEL_TYPES = ("escalate", "delegate", "assign", "notify")
_STATUS_RANK = {"triggered": 0, "acknowledged": 1, "resolved": 2}

S = pl.String()
_NAMES = pl.List(S)
INCIDENT_COLUMNS = pl.Schema(
    {
        "pd_incident_id": S,
        "incident_number": pl.Int64(),
        "title": S,
        "status": S,
        "urgency": S,
        "priority": S,
        "service": S,
        "escalation_policy": S,
        "teams": _NAMES,
        "created_at": UTC,
        "first_ack_at": UTC,
        "resolved_at": UTC,
        "assignees": _NAMES,
        "acknowledgers": _NAMES,
        "escalation_count": pl.Int64(),
        "seconds_to_first_ack": pl.Int64(),
        "seconds_to_resolve": pl.Int64(),
        "html_url": S,
        "incident_key": S,
    }
)
"""Columns of ``PagerDutyData.incidents``, in order."""

CROSSCHECK_SCHEMA = pl.Schema({"pd_incident_id": S, "field": S, "from_log_entries": S, "from_analytics": S})


def _order(*first: str) -> list[str]:
    return [*first, "_file_idx", "_record"]


def dedupe(kind: str, df: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """One row per record id (see the module docstring), and how many copies were dropped."""
    if kind == "incident":
        rank = pl.col("status").replace_strict(_STATUS_RANK, default=-1, return_dtype=pl.Int64)
        out = (
            df.with_columns(_rank=rank)
            .sort(_order("pd_incident_id", "updated_at", "last_status_change_at", "_rank"), nulls_last=False)
            .unique("pd_incident_id", keep="last", maintain_order=True)
            .drop("_rank")
        )
    elif kind == "analytics":
        out = df.sort(_order("id", "updated_at"), nulls_last=False).unique(
            "id", keep="last", maintain_order=True
        )
    else:
        key = {"log entry": "entry_id", "note": "note_id", "alert": "alert_id"}[kind]
        if df.select(pl.col(key).n_unique()).item() == df.height:
            return df, 0  # PagerDuty's ids are unique: the usual case costs one hash pass
        # rows arrive in file order already: keep the first copy of each (incident, id)
        out = df.filter(pl.struct("pd_incident_id", key).is_first_distinct())
    return out, df.height - out.height


def log_table(le: pl.DataFrame) -> pl.DataFrame:
    """Deduplicated log entries as the ``pagerduty_log_entries`` table, plus agent_kind, notified_user, assignees."""
    typ = pl.col("raw_type").str.strip_suffix("_log_entry")
    via_notification = (
        pl.col("channel_type").is_null() | (pl.col("channel_type") == "notification")
    ) & pl.col("notification_type").is_not_null()
    out = le.with_columns(type=typ).with_columns(
        at=pl.col("created_at"),
        channel=pl.when(via_notification)
        .then(pl.col("notification_type").str.strip_suffix("_notification"))
        .otherwise(pl.col("channel_type")),
        escalation_level=pl.when(pl.col("type").is_in(_LEVEL_TYPES)).then(
            pl.col("summary").str.extract(r"(?i)\blevel\s*(\d+)").cast(pl.Int64, strict=False)
        ),
        agent_kind=pl.col("agent_type").str.strip_suffix("_reference"),
    )
    columns = list(TABLES["pagerduty_log_entries"].schema)
    internal = [
        "_file_idx",
        "_record",
        "note",
        "channel_type",
        "channel_summary",
        "incident_summary",
        "service",
    ]
    out = out.select(*columns, *internal)
    if _in_incident_time_order(out):
        return out  # exports fetched incident by incident are already in order
    # rows arrive in file order: a stable sort on incident and time keeps it for ties
    return out.sort("pd_incident_id", "at", maintain_order=True)


def _in_incident_time_order(df: pl.DataFrame) -> bool:
    """Whether rows are already sorted by (pd_incident_id, at) — checked without sorting."""
    pid, at = pl.col("pd_incident_id"), pl.col("at")
    nxt_pid, nxt_at = pid.shift(-1), at.shift(-1)
    out_of_order = (nxt_pid < pid) | ((nxt_pid == pid) & (nxt_at < at))
    return not df.select(out_of_order.any()).item()


def _log_summary(log: pl.DataFrame) -> pl.DataFrame:
    t = pl.col("type")
    at = pl.col("at")
    state = (
        pl.col("type")
        .filter(t.is_in(["trigger", "acknowledge", "unacknowledge", "snooze", "resolve"]))
        .last()
    )
    return log.group_by("pd_incident_id", maintain_order=True).agg(
        l_first_at=at.min(),
        l_trigger_at=at.filter(t == "trigger").min(),
        l_first_ack_at=at.filter(t == "acknowledge").min(),
        l_resolved_at=at.filter(t == "resolve").max(),
        l_escalations=at.filter(t == "escalate").n_unique().cast(pl.Int64),
        l_acknowledgers=pl.col("agent").filter(t == "acknowledge").drop_nulls().unique(maintain_order=True),
        l_assignees=pl.col("assignees")
        .filter(t.is_in(["assign", "escalate", "delegate"]))
        .explode()
        .drop_nulls()
        .unique(maintain_order=True),
        l_state=state,
        l_summary=pl.col("incident_summary").drop_nulls().first(),
        l_service=pl.coalesce(
            pl.col("service"), pl.when(pl.col("agent_kind") == "service").then(pl.col("agent"))
        )
        .drop_nulls()
        .first(),
    )


def _prefixed(
    df: pl.DataFrame | None, prefix: str, key: str, schema: Mapping[str, pl.DataType]
) -> pl.DataFrame:
    if df is None:
        df = pl.DataFrame(schema=dict(schema))
    return df.rename({c: f"{prefix}{c}" for c in df.columns if c != key}).rename({key: "pd_incident_id"})


def _union(*columns: str) -> pl.Expr:
    parts = [
        pl.col(c) if c.endswith("_name") else pl.col(c).fill_null(pl.lit([], dtype=_NAMES)) for c in columns
    ]
    return pl.concat_list(parts).list.drop_nulls().list.unique(maintain_order=True)


def _seconds(later: pl.Expr, earlier: pl.Expr) -> pl.Expr:
    return (later - earlier).dt.total_seconds().cast(pl.Int64)


def _from_timestamps_else(sources: tuple[str, ...], milestone: str, fallback: str) -> pl.Expr:
    """Seconds from created_at to ``milestone`` when a timestamp source has it, else Analytics' figure."""
    known = pl.any_horizontal(pl.col(c).is_not_null() for c in sources)
    return pl.when(known).then(_seconds(pl.col(milestone), pl.col("created_at"))).otherwise(pl.col(fallback))


_TITLE_PREFIX = r"^\[#\d+\]\s*"


def merge_incidents(
    rest: pl.DataFrame | None,
    log: pl.DataFrame,
    analytics: pl.DataFrame | None,
    *,
    rest_schema: Mapping[str, pl.DataType],
    analytics_schema: Mapping[str, pl.DataType],
) -> pl.DataFrame:
    """All incidents (record, log entries, Analytics) in one wide frame (``r_``, ``l_``, ``a_`` columns)."""
    summary = _log_summary(log)
    r = _prefixed(rest, "r_", "pd_incident_id", rest_schema)
    a = _prefixed(analytics, "a_", "id", analytics_schema)
    ids = pl.concat(
        [r.select("pd_incident_id"), summary.select("pd_incident_id"), a.select("pd_incident_id")]
    ).unique(maintain_order=True)
    wide = (
        ids.join(r, on="pd_incident_id", how="left")
        .join(summary, on="pd_incident_id", how="left")
        .join(a, on="pd_incident_id", how="left")
    )
    has_log = pl.col("l_first_at").is_not_null()
    created = pl.coalesce("r_created_at", "l_trigger_at", "a_created_at", "l_first_at")
    a_ack = pl.col("a_created_at") + pl.duration(seconds=pl.col("a_seconds_to_first_ack"))
    wide = wide.with_columns(
        created_at=created,
        r_first_ack_at=pl.col("r_ack_ats").list.min(),
        r_resolved=pl.coalesce(
            pl.col("r_resolved_at"),
            pl.when(pl.col("r_status") == "resolved").then(pl.col("r_last_status_change_at")),
        ),
    )
    wide = wide.with_columns(
        first_ack_at=pl.coalesce("l_first_ack_at", "r_first_ack_at", a_ack),
        resolved_at=pl.coalesce("l_resolved_at", "r_resolved", "a_resolved_at"),
        escalation_count=pl.when(has_log)
        .then(pl.col("l_escalations"))
        .otherwise(pl.col("a_escalation_count")),
        l_status=pl.col("l_state").replace_strict(
            {"resolve": "resolved", "acknowledge": "acknowledged", "snooze": "acknowledged"},
            default="triggered",
            return_dtype=S,
        ),
        has_log=has_log,
        has_analytics=pl.col("a__record").is_not_null(),
    )
    wide = wide.with_columns(
        seconds_to_first_ack=_from_timestamps_else(
            ("l_first_ack_at", "r_first_ack_at"), "first_ack_at", "a_seconds_to_first_ack"
        ),
        seconds_to_resolve=_from_timestamps_else(
            ("l_resolved_at", "r_resolved"), "resolved_at", "a_seconds_to_resolve"
        ),
        status=pl.coalesce("r_status", "a_status", pl.when(has_log).then(pl.col("l_status"))),
        title=pl.coalesce(
            "r_title",
            pl.col("r_summary").str.replace(_TITLE_PREFIX, ""),
            "a_description",
            pl.col("l_summary").str.replace(_TITLE_PREFIX, ""),
        ),
        incident_number=pl.coalesce(
            "r_incident_number",
            "a_incident_number",
            pl.col("l_summary").str.extract(r"^\[#(\d+)\]").cast(pl.Int64, strict=False),
        ),
        urgency=pl.coalesce("r_urgency", "a_urgency"),
        priority=pl.coalesce("r_priority", "a_priority_name"),
        service=pl.coalesce("r_service", "a_service_name", "l_service"),
        escalation_policy=pl.coalesce("r_escalation_policy", "a_escalation_policy_name"),
        teams=_union("r_teams", "a_team_name"),
        assignees=_union("r_assignees", "l_assignees", "a_assigned_user_names"),
        acknowledgers=_union("r_acknowledgers", "l_acknowledgers", "a_acknowledged_user_names"),
        html_url=pl.col("r_html_url"),
        incident_key=pl.col("r_incident_key"),
    )
    return wide.sort("created_at", "pd_incident_id", nulls_last=True)


def crosscheck(wide: pl.DataFrame, *, tolerance_seconds: int) -> pl.DataFrame:
    """Disagreements between log-derived figures and Analytics' own (see the module docstring)."""
    both = wide.filter(pl.col("has_log") & pl.col("has_analytics"))
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    checks = [
        (
            "seconds_to_first_ack",
            _seconds(pl.col("l_first_ack_at"), pl.col("created_at")),
            pl.col("a_seconds_to_first_ack"),
            tolerance_seconds,
        ),
        (
            "seconds_to_resolve",
            _seconds(pl.col("l_resolved_at"), pl.col("created_at")),
            pl.col("a_seconds_to_resolve"),
            tolerance_seconds,
        ),
        ("escalation_count", pl.col("l_escalations"), pl.col("a_escalation_count"), 0),
    ]
    frames = []
    for name, mine, theirs, tol in checks:
        differ = (mine.is_null() != theirs.is_null()) | ((mine - theirs).abs() > tol)
        frames.append(
            both.filter(differ).select(
                "pd_incident_id",
                field=pl.lit(name),
                from_log_entries=mine.cast(S),
                from_analytics=theirs.cast(S),
            )
        )
    mine_at, theirs_at = pl.col("l_trigger_at"), pl.col("a_created_at")
    frames.append(
        both.filter(
            mine_at.is_not_null()
            & theirs_at.is_not_null()
            & (_seconds(mine_at, theirs_at).abs() > tolerance_seconds)
        ).select(
            "pd_incident_id",
            field=pl.lit("created_at"),
            from_log_entries=mine_at.dt.strftime(fmt),
            from_analytics=theirs_at.dt.strftime(fmt),
        )
    )
    order = {name: i for i, (name, *_rest) in enumerate(checks)} | {"created_at": -1}
    out = pl.concat(frames, how="vertical")
    return (
        out.with_columns(_o=pl.col("field").replace_strict(order, return_dtype=pl.Int64))
        .sort("pd_incident_id", "_o")
        .drop("_o")
        .cast(CROSSCHECK_SCHEMA)
    )
