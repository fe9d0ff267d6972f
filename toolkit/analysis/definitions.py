"""What every metric means, in words: printed with every table and report that shows one.

Examples
--------
>>> DEFINITIONS["time_to_resolve"]
'resolved_at − started_at: from the start of impact to the resolution (open incidents have none yet and are counted in n_open).'
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["DEFINITIONS", "DURATION_METRICS", "definitions"]

DURATION_METRICS = (
    "time_to_detect",
    "time_to_acknowledge",
    "time_to_declare",
    "time_to_mitigate",
    "time_to_resolve",
    "public_comms_lag",
)
"""The duration metrics, in the order an incident runs through them."""

DEFINITIONS: dict[str, str] = {
    "started_at": "When user impact began: the earliest impact start the war room's declaration, the "
    "post-mortem or the status page states; else the first alert; else the earliest known time.",
    "detected_at": "The first alert or PagerDuty trigger in any source; else a stated detection; else the declaration.",
    "acknowledged_at": "The first acknowledgement of a page.",
    "declared_at": "The war-room declaration; else the first declaration any source records.",
    "mitigated_at": "When a mitigation completed (rollback done, flag disabled, failover done, workaround "
    "applied), the first at or before resolution; the same definition for every source.",
    "resolved_at": "The war room's resolution, else PagerDuty's resolve, else the status page's, else the "
    "post-mortem's; each source's own stays visible as resolved_at_<source>.",
    "postmortem_at": "The post-mortem's own date, else a post-mortem event, else the status page's post-mortem.",
    "time_to_detect": "detected_at − started_at: from the start of impact to the first alert.",
    "time_to_acknowledge": "acknowledged_at − detected_at: from the first alert to the first acknowledgement.",
    "time_to_declare": "declared_at − detected_at: from the first alert to the declaration.",
    "time_to_mitigate": "mitigated_at − started_at: from the start of impact to a completed mitigation.",
    "time_to_resolve": "resolved_at − started_at: from the start of impact to the resolution (open incidents "
    "have none yet and are counted in n_open).",
    "public_comms_lag": "first public status-page update − detected_at.",
    "n": "Incidents of the group with a value for the metric.",
    "n_open": "Open incidents of the group without a value yet (counted, never dropped).",
    "n_missing": "Closed incidents of the group without a value (a milestone no source recorded).",
    "median_min": "Median, in minutes.",
    "p90_min": "90th percentile (linear interpolation), in minutes.",
    "mean_min": "Mean, in minutes.",
    "median_ci": "95 % bootstrap interval of the median (percentile method, 2,000 resamples, seeded): the "
    "median of each resample drawn exactly from its order statistics.",
    "mean_ci": "95 % bootstrap interval of the mean (percentile method, 2,000 resamples, seeded); above "
    "2,000 incidents the resampled means are drawn from their normal limit.",
    "survival": "Kaplan–Meier share of incidents still unresolved after t minutes from the start; open "
    "incidents are censored at the time they were last seen (as_of).",
    "gaps_min": "Minutes between consecutive updates, measured to the second: internal from the declaration "
    "through each war-room update to the resolution, public from the first status-page update through each "
    "later one to the status page's resolution; the silence from the last update to the resolution included.",
    "compliance": "Share of the gaps within the severity's longest allowed update interval (update_max_minutes).",
    "longest_silence_min": "The longest gap, in minutes.",
    "first_update_lag_min": "Internal: declaration to first war-room update; public: detection to first "
    "status-page update (public_comms_lag).",
    "promise_kept": "A promised update ('Next update: 10:30 AM', 'next update in 15 minutes') is kept when "
    "the next update of the same audience, or the resolution, comes by the due time plus the policy's grace "
    "(promise_grace_minutes, 5 by default).",
    "late_min": "Minutes from the promised time to the update that answered it (0 when on time); for a "
    "promise not yet due or answered, null.",
    "severity_audit": "The declared severity against the seed's decision tree on the impact recorded "
    "(users affected %, degradation %, revenue, core down, workaround, data breach); the branch that decided.",
    "acknowledged_in_time": "acknowledged_at − detected_at within the severity's response time "
    "(immediate = immediate_response_minutes, 5 by default).",
    "declared_in_time": "declared_at − detected_at within the severity's response time.",
    "mitigation_stable": "The mitigation held at least mitigation_stable_minutes (15) before the resolution.",
    "root_cause_recorded": "A root cause is recorded: a 5-Whys node marked root cause, a post-mortem root-cause "
    "section, or a resolution message naming the root cause.",
    "postmortem_on_time": "The post-mortem within postmortem due_hours (48) of the resolution.",
    "review_done": "Every action item done or cancelled within review days (30) of the resolution.",
    "mitigation_strategy": "The seed's decision matrix: rollback, failover, feature_flag, rate_limit (scale up, "
    "rate limit, shed or block traffic), hotfix, other; none when no mitigation is recorded.",
}
"""Metric → what it means, exactly as computed."""


def definitions(names: Iterable[str] | None = None) -> dict[str, str]:
    """The definitions of ``names`` (all of them by default), in that order."""
    return dict(DEFINITIONS) if names is None else {n: DEFINITIONS[n] for n in names if n in DEFINITIONS}
