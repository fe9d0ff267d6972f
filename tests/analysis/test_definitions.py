"""Every metric an output shows is defined."""

from __future__ import annotations

from toolkit.analysis import DEFINITIONS, DURATION_METRICS, definitions
from toolkit.analysis.compliance import RULES


def test_every_metric_and_rule_is_defined():
    names = {
        *DURATION_METRICS,
        "median_ci",
        "mean_ci",
        "n_open",
        "gaps_min",
        "compliance",
        "late_min",
        "survival",
    }
    names |= {
        r
        for r in RULES
        if r not in ("internal_cadence", "public_cadence", "promises_kept", "severity_matches")
    }
    assert names <= set(DEFINITIONS)
    assert list(definitions(["time_to_resolve", "nope"])) == ["time_to_resolve"]
