"""What a post-mortem measures: milestones, durations, severity audit, response times,
resolution criteria, and the definitions of all of them.

Figures come from :mod:`toolkit.analysis` on the incident's timeline (with its live
action items); durations read like ``2h 15m`` (:mod:`toolkit.analysis.fmt`), times are
shown in the team's time zone and in UTC.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import polars as pl

from toolkit import analysis
from toolkit.analysis.fmt import human_duration, human_minutes, human_time
from toolkit.reports.blocks import Block, KeyValues, Table, format_value, no_data
from toolkit.timeline.model import RESOLVED_BY

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.reports.postmortem import PostmortemReport

__all__ = [
    "DURATION_LABELS",
    "MILESTONE_LABELS",
    "SHOWN",
    "definitions_table",
    "durations",
    "milestones",
    "resolution_criteria",
    "response_times",
    "severity_audit",
]

MILESTONE_LABELS = {
    "started_at": "Started",
    "detected_at": "Detected",
    "acknowledged_at": "Acknowledged",
    "declared_at": "Declared",
    "mitigated_at": "Mitigated",
    "resolved_at": "Resolved",
    "postmortem_at": "Post-mortem",
}
"""Milestone -> its label, in the order an incident runs through them."""

DURATION_LABELS = {
    "time_to_detect": "Time to detect",
    "time_to_acknowledge": "Time to acknowledge",
    "time_to_declare": "Time to declare",
    "time_to_mitigate": "Time to mitigate",
    "time_to_resolve": "Time to resolve",
    "public_comms_lag": "Public comms lag",
}
"""Duration metric -> its label."""

SHOWN = (
    *MILESTONE_LABELS,
    *DURATION_LABELS,
    "mitigation_strategy",
    "gaps_min",
    "compliance",
    "longest_silence_min",
    "first_update_lag_min",
    "promise_kept",
    "late_min",
    "severity_audit",
    "acknowledged_in_time",
    "declared_in_time",
    "mitigation_stable",
    "root_cause_recorded",
    "postmortem_on_time",
    "review_done",
)
"""Every metric a post-mortem shows, in the order the definitions section lists them."""


def _one(frame: pl.DataFrame) -> dict[str, Any] | None:
    return frame.row(0, named=True) if frame.height else None


def milestones(r: PostmortemReport) -> Block:
    """Each milestone: when (team zone and UTC), which source and record said so, how it was found."""
    zone = r.policy.team.time_zone
    found = {row["milestone"]: row for row in r.timeline.milestones.iter_rows(named=True)}
    rows: list[dict[str, Any]] = []
    for name, label in MILESTONE_LABELS.items():
        at = r.first(name)
        if at is None:
            continue
        m = found.get(name, {})
        how = m.get("method") or ""
        if m.get("corrected_by"):
            how = f"corrected by {r.say(m['corrected_by'])}: {r.say(m.get('reason'))} (derived {format_value(m.get('derived_at'))})"
        rows.append(
            {
                "milestone": label,
                "local": human_time(at, zone),
                "utc": at,
                "source": m.get("source"),
                "how": how,
            }
        )
    final = r.first("resolved_at")
    for column in RESOLVED_BY:
        at, source = r.first(column), column.removeprefix("resolved_at_")
        if at is None or final is None or found.get("resolved_at", {}).get("source") == source:
            continue
        seconds = round((at - final).total_seconds())
        lag = (
            "at the same time as the incident's"
            if seconds == 0
            else f"{human_duration(timedelta(seconds=abs(seconds)))} {'after' if seconds > 0 else 'before'} the incident's"
        )
        rows.append(
            {
                "milestone": f"Resolved ({source})",
                "local": human_time(at, zone),
                "utc": at,
                "source": source,
                "how": f"this source's own resolution, {lag}",
            }
        )
    if not rows:
        return no_data("no milestone times in any source")
    return Table(
        pl.DataFrame(rows, schema_overrides={"source": pl.String}),
        columns={
            "milestone": "Milestone",
            "local": f"Time ({zone})",
            "utc": "Time (UTC)",
            "source": "Source",
            "how": "How it is known",
        },
    )


def durations(r: PostmortemReport) -> Block:
    """The duration metrics of the incident with what each one measures."""
    row = _one(analysis.durations(r.scored, policy=r.policy))
    if row is None:
        return no_data("no milestones, so no durations")
    strategy = _one(analysis.mitigation_strategies(r.scored))
    rows = []
    for name, label in DURATION_LABELS.items():
        value: timedelta | None = row[name]
        shown = (
            human_duration(value)
            if value is not None
            else ("open" if row["is_open"] and name == "time_to_resolve" else "—")
        )
        if name == "time_to_mitigate" and strategy and strategy["mitigation_strategy"] != "none":
            shown += f" ({strategy['mitigation_strategy']})"
        rows.append({"metric": label, "value": shown, "definition": analysis.DEFINITIONS[name]})
    return Table(
        pl.DataFrame(rows), columns={"metric": "Metric", "value": "Duration", "definition": "Definition"}
    )


def _yes(value: bool | None) -> str:
    return "—" if value is None else "yes" if value else "no"


def severity_audit(r: PostmortemReport) -> Block:
    """Declared severity, the decision tree's on the impact recorded, the branch that decided, the verdict."""
    row = _one(analysis.severity_audit(r.scored, policy=r.policy))
    if row is None:
        return no_data("no severity recorded")
    impact = []
    if row["users_affected_pct"] is not None:
        impact.append(f"users affected {row['users_affected_pct']:g}%")
    if row["degradation_pct"] is not None:
        impact.append(f"degradation {row['degradation_pct']:g}%")
    for key, label in (
        ("revenue_impacted", "revenue impacted"),
        ("core_down", "core service down"),
        ("workaround", "workaround exists"),
        ("data_breach", "data breach"),
    ):
        if row[key] is not None:
            impact.append(f"{label}: {_yes(row[key])}")
    return KeyValues(
        [
            ("Declared", row["declared_severity"] or "not declared"),
            ("Final", row["severity"] or "not declared"),
            ("Decision tree", row["computed_severity"] or "not enough impact recorded"),
            ("Deciding branch", row["branch"] or "—"),
            ("Impact recorded", "; ".join(impact) or "none"),
            ("Verdict", row["verdict"] + (" (severity corrected by hand)" if row["corrected"] else "")),
        ]
    )


def response_times(r: PostmortemReport) -> Block:
    """Acknowledgement and declaration, each against the severity's response time."""
    row = _one(analysis.response_times(r.scored, policy=r.policy))
    if row is None:
        return no_data("no response times")
    limit = row["limit_min"]
    allowed = "no response time for this severity" if limit is None else f"within {limit} min"
    rows = [
        {
            "step": "Acknowledged (from detection)",
            "took": human_minutes(row["time_to_acknowledge_min"]),
            "allowed": allowed,
            "ok": _yes(row["acknowledged_in_time"]),
        },
        {
            "step": "Declared (from detection)",
            "took": human_minutes(row["time_to_declare_min"]),
            "allowed": allowed,
            "ok": _yes(row["declared_in_time"]),
        },
    ]
    return Table(
        pl.DataFrame(rows),
        columns={
            "step": "Step",
            "took": "Took",
            "allowed": f"Policy ({row['severity'] or 'no severity'})",
            "ok": "In time",
        },
    )


def resolution_criteria(r: PostmortemReport) -> Block:
    """The seed's resolution criteria, each met or not, with the figure behind it."""
    row = _one(analysis.resolution_criteria(r.scored, policy=r.policy))
    if row is None:
        return no_data("no resolution criteria to check")
    pol = r.policy
    stable = row["stable_min"]
    lag = row["postmortem_lag_h"]
    items = row["n_action_items"]
    rows = [
        (
            "Mitigation stable",
            row["mitigation_stable"],
            ("not resolved yet" if r.first("resolved_at") is None else "no completed mitigation recorded")
            if stable is None
            else f"held {human_minutes(stable)} before the resolution (at least {pol.mitigation_stable_minutes} min)",
        ),
        ("Root cause recorded", row["root_cause_recorded"], "5 Whys, post-mortem or resolution message"),
        (
            "Post-mortem on time",
            row["postmortem_on_time"],
            "no post-mortem yet"
            if lag is None
            else f"{lag:.1f} h after the resolution (due within {pol.postmortem_due_hours} h)",
        ),
        (
            "30-day review done",
            row["review_done"],
            f"{row['n_open_items']} of {items} action items open" if items else "no action items",
        ),
    ]
    frame = pl.DataFrame([{"criterion": c, "met": _yes(m), "detail": d} for c, m, d in rows])
    return Table(frame, columns={"criterion": "Criterion", "met": "Met", "detail": "Detail"})


def definitions_table(r: PostmortemReport) -> Block:
    """Every metric and milestone the report shows, with its definition."""
    defs = analysis.definitions(SHOWN)
    frame = pl.DataFrame({"metric": list(defs), "definition": list(defs.values())})
    return Table(frame, columns={"metric": "Metric", "definition": "Definition"})
