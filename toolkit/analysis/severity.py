"""Severity audit: the declared severity against the seed's decision tree on the impact recorded.

The impact columns of each incident (users affected %, degradation %, revenue, core
down, workaround, data breach — as the post-mortem, the war room or the status page
state them) go through :func:`toolkit.policy.explain_severity`; the branch that decided
is kept. ``verdict``: ``match`` (the final severity is the tree's), ``mismatch``, or
``not judged`` (no impact stated, or no severity declared). ``corrected`` says whether
the incident started at another severity and ended at the tree's.

Examples
--------
>>> from toolkit.timeline import Timeline
>>> severity_audit(Timeline.empty()).columns[:4]
['incident_id', 'declared_severity', 'severity', 'computed_severity']
"""

from __future__ import annotations

import polars as pl

from toolkit.policy import Policy
from toolkit.timeline import Timeline
from toolkit.timeline.incidents import IMPACT_INPUTS, judge

__all__ = ["severity_audit"]


def severity_audit(timeline: Timeline, *, policy: Policy | None = None) -> pl.DataFrame:
    """One row per incident: declared, final and computed severity, the deciding branch, the verdict."""
    pol = policy or Policy.default()
    inc = timeline.incidents
    sevs, reasons = judge(inc.select(*IMPACT_INPUTS).to_dicts(), pol)
    judged = inc.with_columns(
        computed_severity=pl.Series(sevs, dtype=pl.String), branch=pl.Series(reasons, dtype=pl.String)
    )
    verdict = (
        pl.when(pl.col("computed_severity").is_null() | pl.col("severity").is_null())
        .then(pl.lit("not judged"))
        .when(pl.col("severity") == pl.col("computed_severity"))
        .then(pl.lit("match"))
        .otherwise(pl.lit("mismatch"))
    )
    return judged.select(
        "incident_id",
        "declared_severity",
        "severity",
        "computed_severity",
        "branch",
        *IMPACT_INPUTS,
        verdict=verdict,
        corrected=(pl.col("declared_severity") != pl.col("severity"))
        & (pl.col("severity") == pl.col("computed_severity")),
    )
