"""Severity audit: declared against the decision tree, the deciding branch kept."""

from __future__ import annotations

from tests.analysis.practice import practice
from toolkit.analysis import severity_audit
from toolkit.policy import Policy


def test_a_match_and_a_mismatch():
    ok = severity_audit(practice()).row(0, named=True)
    assert (ok["verdict"], ok["computed_severity"], ok["branch"]) == (
        "match",
        "SEV2",
        "users affected 12% >= 10%",
    )
    bad = severity_audit(practice(users_pct=30.0)).row(0, named=True)
    assert (bad["verdict"], bad["computed_severity"], bad["branch"]) == (
        "mismatch",
        "SEV1",
        "users affected 30% >= 25%",
    )


def test_the_policy_thresholds_decide():
    strict = Policy.default().replace(decision=Policy.default().decision.__class__(sev2_percent_users=15))
    assert severity_audit(practice(), policy=strict).row(0, named=True)["computed_severity"] == "SEV3"


def test_no_impact_is_not_judged():
    row = severity_audit(practice(users_pct=None)).row(0, named=True)
    assert (row["verdict"], row["computed_severity"]) == ("not judged", None)
