"""Practice compliance: every rule of the seed's policy, judged per incident, in one long table.

======================  ===========================================================  =================
rule                    passes when                                                  value
======================  ===========================================================  =================
acknowledged_in_time    first acknowledgement within the severity's response time    minutes
declared_in_time        declaration within the severity's response time              minutes
internal_cadence        every war-room gap within the severity's update interval     share within
public_cadence          every status-page gap within the severity's update interval  share within
promises_kept           every promised update came by its due time plus the grace    share kept
severity_matches        the final severity is the decision tree's                    —
mitigation_stable       the mitigation held 15 minutes before the resolution         minutes held
root_cause_recorded     a root cause is recorded                                     —
postmortem_on_time      the post-mortem within 48 hours of the resolution            hours
review_done             every action item closed within 30 days of the resolution    open items
======================  ===========================================================  =================

``passed`` is null where a rule does not apply or cannot be judged yet (no severity, no
cadence for SEV4, an open incident, no promises). Definitions: :data:`toolkit.analysis.DEFINITIONS`.

Examples
--------
>>> from toolkit.timeline import Timeline
>>> compliance(Timeline.empty()).columns
['incident_id', 'rule', 'passed', 'value', 'limit', 'detail']
"""

from __future__ import annotations

import polars as pl

from toolkit.analysis.cadence import cadence
from toolkit.analysis.promises import promises
from toolkit.analysis.resolution import resolution_criteria
from toolkit.analysis.response import response_times
from toolkit.analysis.severity import severity_audit
from toolkit.policy import Policy
from toolkit.timeline import Timeline

__all__ = ["COMPLIANCE_SCHEMA", "RULES", "compliance"]

RULES = (
    "acknowledged_in_time",
    "declared_in_time",
    "internal_cadence",
    "public_cadence",
    "promises_kept",
    "severity_matches",
    "mitigation_stable",
    "root_cause_recorded",
    "postmortem_on_time",
    "review_done",
)

COMPLIANCE_SCHEMA = pl.Schema(
    {
        "incident_id": pl.String(),
        "rule": pl.String(),
        "passed": pl.Boolean(),
        "value": pl.Float64(),
        "limit": pl.Float64(),
        "detail": pl.String(),
    }
)


def _rows(
    df: pl.DataFrame, rule: str, passed: pl.Expr, value: pl.Expr, limit: pl.Expr, detail: pl.Expr
) -> pl.DataFrame:
    return df.select(
        "incident_id", rule=pl.lit(rule), passed=passed, value=value, limit=limit, detail=detail
    ).cast(COMPLIANCE_SCHEMA)


def compliance(timeline: Timeline, *, policy: Policy | None = None) -> pl.DataFrame:
    """One row per incident and rule (module docs): passed, the value judged, the limit, a detail."""
    pol = policy or Policy.default()
    none = pl.lit(None, pl.Float64)
    resp = response_times(timeline, policy=pol)
    cad = cadence(timeline, policy=pol)
    prom = (
        promises(timeline, policy=pol)
        .group_by("incident_id")
        .agg(
            judged=pl.col("kept").is_not_null().sum(),
            kept=pl.col("kept").sum(),
            missed=(pl.col("status") == "missed").sum(),
            worst=pl.col("late_min").max(),
        )
    )
    prom = timeline.incidents.select("incident_id").join(prom, on="incident_id", how="left")
    audit = severity_audit(timeline, policy=pol)
    crit = resolution_criteria(timeline, policy=pol)
    parts = [
        _rows(
            resp,
            "acknowledged_in_time",
            pl.col("acknowledged_in_time"),
            pl.col("time_to_acknowledge_min"),
            pl.col("limit_min"),
            pl.lit(None, pl.String),
        ),
        _rows(
            resp,
            "declared_in_time",
            pl.col("declared_in_time"),
            pl.col("time_to_declare_min"),
            pl.col("limit_min"),
            pl.lit(None, pl.String),
        ),
    ]
    for audience in ("internal", "public"):
        sub = cad.filter(pl.col("audience") == audience)
        parts.append(
            _rows(
                sub,
                f"{audience}_cadence",
                pl.when(pl.col("compliance").is_not_null()).then(pl.col("compliance") == 1.0),
                pl.col("compliance"),
                pl.col("limit_min"),
                pl.when(pl.col("n_gaps") > 0).then(
                    pl.format(
                        "{} of {} gaps within; longest silence {} min",
                        "n_within",
                        "n_gaps",
                        "longest_silence_min",
                    )
                ),
            )
        )
    parts.append(
        _rows(
            prom,
            "promises_kept",
            pl.when(pl.col("judged") > 0).then(pl.col("kept") == pl.col("judged")),
            pl.when(pl.col("judged") > 0).then(pl.col("kept") / pl.col("judged")),
            pl.lit(pol.promise_grace_minutes, pl.Float64),
            pl.when(pl.col("judged") > 0).then(
                pl.format("{} of {} kept; latest by {} min", "kept", "judged", "worst")
            ),
        )
    )
    parts.append(
        _rows(
            audit,
            "severity_matches",
            pl.when(pl.col("verdict") != "not judged").then(pl.col("verdict") == "match"),
            none,
            none,
            pl.when(pl.col("verdict") != "not judged").then(
                pl.format(
                    "declared {}, final {}, tree {}: {}",
                    "declared_severity",
                    "severity",
                    "computed_severity",
                    "branch",
                )
            ),
        )
    )
    parts += [
        _rows(
            crit,
            "mitigation_stable",
            pl.col("mitigation_stable"),
            pl.col("stable_min"),
            pl.lit(pol.mitigation_stable_minutes, pl.Float64),
            pl.lit(None, pl.String),
        ),
        _rows(
            crit, "root_cause_recorded", pl.col("root_cause_recorded"), none, none, pl.lit(None, pl.String)
        ),
        _rows(
            crit,
            "postmortem_on_time",
            pl.col("postmortem_on_time"),
            pl.col("postmortem_lag_h"),
            pl.lit(pol.postmortem_due_hours, pl.Float64),
            pl.lit(None, pl.String),
        ),
        _rows(
            crit,
            "review_done",
            pl.col("review_done"),
            pl.col("n_open_items").cast(pl.Float64),
            pl.lit(pol.review_days, pl.Float64),
            pl.when(pl.col("n_action_items") > 0).then(
                pl.format("{} of {} action items open", "n_open_items", "n_action_items")
            ),
        ),
    ]
    order = {r: i for i, r in enumerate(RULES)}
    return (
        pl.concat(parts)
        .with_columns(_o=pl.col("rule").replace_strict(order, return_dtype=pl.Int32))
        .sort("incident_id", "_o")
        .drop("_o")
    )
