"""Resolution criteria: stable mitigation, root cause, post-mortem on time, 30-day review."""

from __future__ import annotations

from tests.analysis.practice import practice, t
from toolkit.analysis import resolution_criteria


def test_the_good_incident():
    row = resolution_criteria(practice()).row(0, named=True)
    assert (row["stable_min"], row["mitigation_stable"], row["root_cause_recorded"]) == (30.0, True, True)
    assert (row["postmortem_lag_h"], row["postmortem_on_time"], row["review_done"]) == (22.5, True, True)


def test_a_missing_post_mortem_is_late_once_48_hours_have_passed():
    row = resolution_criteria(practice(postmortem_at=None, later=t(9, 0, day=9))).row(0, named=True)
    assert row["postmortem_on_time"] is False
    early = resolution_criteria(practice(postmortem_at=None, later=t(12, 0))).row(0, named=True)
    assert early["postmortem_on_time"] is None


def test_a_root_cause_line_in_the_resolution_counts(sample):
    rows = dict(resolution_criteria(sample).select("incident_id", "root_cause_recorded").iter_rows())
    assert rows["INC-2025-01-15-payment"] is True  # whys and the resolution's "Root Cause:" line
    assert rows["INC-2025-01-09-notifications"] is False


def test_an_item_closed_after_30_days_fails_the_review():
    row = resolution_criteria(practice(items=[("done", t(9, 0, day=20, month=4))])).row(0, named=True)
    assert row["review_done"] is False
