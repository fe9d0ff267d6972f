"""Response time per severity: acknowledgement and declaration within the severity's response time.

The limit is the severity's ``response_minutes`` (SEV2: 30, SEV3: 120); an immediate
response (SEV1, 0 minutes) is measured as the policy's ``immediate_response_minutes``
(the seed's "first 5 minutes"); best effort (SEV4) has no limit. Both are counted from
detection.

Examples
--------
>>> from toolkit.timeline import Timeline
>>> response_times(Timeline.empty()).columns[:3]
['incident_id', 'severity', 'limit_min']
"""

from __future__ import annotations

import polars as pl

from toolkit.policy import Policy
from toolkit.schema import Severity
from toolkit.timeline import Timeline

__all__ = ["response_limits", "response_times"]


def response_limits(policy: Policy) -> dict[str, int | None]:
    """Minutes allowed to respond, per severity (immediate measured as the policy says)."""
    out: dict[str, int | None] = {}
    for s in Severity:
        m = policy.severities[s].response_minutes
        out[s.value] = policy.immediate_response_minutes if m == 0 else m
    return out


def _minutes(a: str, b: str) -> pl.Expr:
    return ((pl.col(a) - pl.col(b)).dt.total_microseconds() / 1e6).round(0) / 60


def response_times(timeline: Timeline, *, policy: Policy | None = None) -> pl.DataFrame:
    """One row per incident: severity, limit_min, time to acknowledge and declare (minutes,
    to the second), and whether each was within the limit (null when not measurable)."""
    limits = response_limits(policy or Policy.default())
    limit = pl.col("severity").replace_strict(limits, default=None, return_dtype=pl.Int64)
    df = timeline.incidents.select(
        "incident_id",
        "severity",
        limit_min=limit,
        time_to_acknowledge_min=_minutes("acknowledged_at", "detected_at"),
        time_to_declare_min=_minutes("declared_at", "detected_at"),
    )
    return df.with_columns(
        acknowledged_in_time=pl.col("time_to_acknowledge_min") <= pl.col("limit_min"),
        declared_in_time=pl.col("time_to_declare_min") <= pl.col("limit_min"),
    )
