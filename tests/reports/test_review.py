"""The 30-day review on the sample's linked timeline (13 incidents), read with no kernel."""

from datetime import date

import pytest

from toolkit.reports.review import ReviewReport

SECTIONS = (
    "title",
    "header",
    "by_severity",
    "incidents_figure",
    "incidents_table",
    "durations_summary",
    "trend_table",
    "survival_figure",
    "survival_text",
    "cadence_table",
    "response_times",
    "severity_audit",
    "follow_through",
    "reviews_due",
    "open_on_closed",
    "recurrence",
    "burndown_figure",
    "aging_figure",
    "recurring_factors",
    "open_incidents",
    "definitions",
)
"""Every section the notebook shows, in its order."""


@pytest.fixture(scope="module")
def review(sample_ws):
    return ReviewReport.load(workspace=sample_ws)


def test_default_window_is_the_30_days_ending_on_the_latest_incident(review):
    assert (review.start, review.end, review.days) == (date(2025, 1, 21), date(2025, 2, 19), 30)
    assert review.incidents["incident_id"].to_list() == [
        "INC-2025-01-21-checkout",
        "INC-2025-01-23-auth",
        "INC-2025-01-28-api-gateway",
        "INC-2025-01-30-push-notifications",
        "INC-2025-02-04-admin-console",
        "INC-2025-02-06-search-autocomplete",
        "INC-2025-02-11-payment-webhooks",
        "INC-2025-02-13-api-gateway",
        "INC-2025-02-18-checkout",
        "INC-2025-02-19-sso",
    ]
    assert review.severity_counts() == {"SEV1": 2, "SEV2": 4, "SEV3": 3, "SEV4": 1}
    assert review.previous.incidents["incident_id"].to_list() == [
        "INC-2025-01-06-search",
        "INC-2025-01-09-notifications",
        "INC-2025-01-15-payment",
    ]


def test_header(review):
    assert review.title().plain() == "30-day review, 2025-01-21 to 2025-02-19"
    assert review.header().plain().splitlines() == [
        "Window (UTC): 2025-01-21 to 2025-02-19 (30 days)",
        "Services: all",
        "Incidents: 10",
        "By severity: SEV1: 2, SEV2: 4, SEV3: 3, SEV4: 1",
        "Open: 1",
        "Sources: pagerduty, postmortem, slack, statuspage",
        "Previous window: 2024-12-22 to 2025-01-20: 3 incidents",
    ]


def test_incidents_table_shows_linked_incidents_with_durations(review):
    lines = review.incidents_table().plain().splitlines()
    assert lines[0] == "Incident | Severity | Service | Started (UTC) | Duration | Status | Sources | Title"
    assert lines[2] == (
        "INC-2025-01-23-auth | SEV1 | auth | 2025-01-23 16:52 | 2h 56m | resolved | "
        "slack, pagerduty, statuspage, postmortem | Login Failures (Auth Database IOPS Exhausted)"
    )
    assert lines[-1] == (
        "INC-2025-02-19-sso | SEV2 | auth | 2025-02-19 22:10 | open (1h 55m so far) | mitigated | "
        "slack, pagerduty, statuspage | War room: enterprise SSO logins"
    )
    assert review.by_severity().plain().splitlines()[:3] == [
        "Severity | Service | Incidents",
        "SEV1 | api-gateway | 1",
        "SEV1 | auth | 1",
    ]


def test_durations_per_severity_with_bootstrap_intervals(review):
    resolve = {
        r["severity"]: r for r in review.summary().filter(metric="time_to_resolve").iter_rows(named=True)
    }
    assert list(resolve) == ["SEV1", "SEV2", "SEV3", "SEV4", "all"]
    assert (resolve["all"]["n"], resolve["all"]["n_open"]) == (9, 1)
    assert round(resolve["all"]["median_min"], 6) == 135.000219
    assert [round(v, 6) for v in resolve["SEV1"]["median_ci"]] == [90.001268, 176.000409]
    assert (resolve["SEV2"]["n"], resolve["SEV2"]["n_open"], round(resolve["SEV2"]["median_min"], 6)) == (
        3,
        1,
        135.000543,
    )
    lines = review.durations_summary().plain().splitlines()
    assert (
        "time_to_resolve | all | 9 | 1 | 2h 15m [1h 30m – 2h 25m] | 2h 31m | 2h 1m [1h 41m – 2h 22m]" in lines
    )
    assert "time_to_mitigate | SEV1 | 2 | 0 | 1h 15m [53m – 1h 37m] | 1h 33m | 1h 15m [53m – 1h 37m]" in lines


def test_trend_against_the_previous_window(review):
    row = review.trend().filter(metric="time_to_resolve").row(0, named=True)
    assert (row["n"], row["previous_n"]) == (9, 3)
    assert (round(row["median_min"], 6), round(row["previous_median_min"], 6)) == (135.000219, 98.000693)
    lines = review.trend_table().plain().splitlines()
    assert lines[:2] == ["Measure | This window | Previous window | Change", "incidents | 10 | 3 | +7"]
    assert "median time_to_resolve | 2h 15m (n=9) | 1h 38m (n=3) | +37m" in lines


def test_kaplan_meier_censors_the_open_incident(review):
    curve = review.survival()
    assert curve.height == 11
    last = curve.row(-1, named=True)
    assert (round(last["time_min"], 6), last["n_at_risk"], last["resolved"]) == (176.000409, 1, 1.0)
    censored = curve.filter(n_censored=1).row(0, named=True)
    assert (round(censored["time_min"], 6), censored["n_at_risk"], round(censored["resolved"], 6)) == (
        115.001138,
        6,
        0.4,
    )
    assert review.survival_text().plain() == (
        "9 of 10 resolved; Kaplan–Meier median time to resolve 2h 15m; 1 open, censored at 1h 55m."
    )
    spec = review.survival_figure().spec()
    assert [t["name"] for t in spec["data"]] == ["this window", "previous window", "open (censored)"]
    assert spec["data"][2]["y"] == [40.0]


def test_open_incidents_and_definitions(review):
    assert review.open_incidents().plain().splitlines()[1] == (
        "2025-02-19 22:10 | INC-2025-02-19-sso | SEV2 | mitigated | auth | 1h 55m | War room: enterprise SSO logins"
    )
    defined = [line.split(" | ")[0] for line in review.definitions().plain().splitlines()[1:]]
    assert {"time_to_resolve", "median_ci", "survival", "compliance", "promise_kept"} <= set(defined)
    assert {"severity_audit", "completion_rate", "open_on_closed", "untouched", "recurred"} <= set(defined)


def test_services_and_days_narrow_the_window(sample_ws):
    review = ReviewReport.load(end_date="2025-01-22", days=7, services=["Checkout"], workspace=sample_ws)
    assert (review.start, review.end) == (date(2025, 1, 16), date(2025, 1, 22))
    assert review.incidents["incident_id"].to_list() == ["INC-2025-01-21-checkout"]
    assert review.recurring_factors().plain() == "No data: no 5-Whys analyses for the incidents in the window"
    assert (
        review.follow_through().plain().splitlines()[-1]
        == "No data: no action items recorded for these incidents"
    )


def test_recurring_factors_of_the_documented_incidents(sample_ws):
    review = ReviewReport.load(end_date="2025-01-31", workspace=sample_ws)
    assert review.recurring_factors().plain().splitlines()[:3] == [
        "Factor | Incidents | Whys | Root causes | Action items | Done | Recurring",
        "Capacity | 3 | 5 | 1 | 1 | 0 | yes",
        "Deployment / change | 2 | 2 | 0 | 2 | 1 | yes",
    ]


@pytest.mark.parametrize(
    ("end_date", "days"),
    [pytest.param("2024-01-01", 30, id="no-incidents"), pytest.param("2025-01-09", 1, id="one-day")],
)
def test_every_section_renders_in_every_format_whatever_the_window(sample_ws, end_date, days):
    review = ReviewReport.load(end_date=end_date, days=days, workspace=sample_ws)
    for name in SECTIONS:
        block = getattr(review, name)()
        assert all((block.plain(), block.html(), block.markdown())), name


def test_bad_days_are_refused(sample_ws):
    with pytest.raises(ValueError, match="days must be at least 1, got 0"):
        ReviewReport.load(days=0, workspace=sample_ws)


def test_untrusted_text_is_escaped_in_every_section(injection_ws):
    review = ReviewReport.load(workspace=injection_ws, end_date="2025-03-04", days=60)
    assert review.incidents.height >= 1
    for name in SECTIONS:
        block = getattr(review, name)()
        assert "<script" not in block.html(), name
        assert "<script" not in block.markdown().replace("\\<script", ""), name
