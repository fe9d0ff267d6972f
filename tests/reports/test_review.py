"""The 30-day review's sections, read straight from the sample workspace (no kernel)."""

from datetime import date

from toolkit.reports.review import ReviewReport


def test_default_window_ends_on_the_latest_incident(sample_ws):
    review = ReviewReport.load(workspace=sample_ws)
    assert (review.start, review.end, review.incidents.height) == (date(2025, 1, 21), date(2025, 2, 19), 28)
    assert review.by_severity().plain().splitlines()[:3] == [
        "Severity | Service | Records",
        "SEV1 | Login, SSO, Mobile app sign-in | 1",
        "SEV1 | api-gateway | 1",
    ]
    assert "not declared | Checkout | 2" in review.by_severity().plain().splitlines()
    assert review.open_incidents().plain().count("\n") == 3


def test_services_and_days_narrow_the_window(sample_ws):
    review = ReviewReport.load(end_date="2025-01-22", days=7, services=["Checkout"], workspace=sample_ws)
    assert review.incidents["incident_id"].to_list() == [
        "SP-acm3st4tus01-c9h2w5t8m3kd",
        "PD-PK6D1HC",
        "INC-2025-01-21-checkout",
    ]
    assert review.recurring_factors().plain() == "No data: no 5-Whys analyses for the incidents in the window"


def test_recurring_factors_of_the_documented_incidents(sample_ws):
    review = ReviewReport.load(end_date="2025-01-31", workspace=sample_ws)
    assert review.recurring_factors().plain().splitlines()[:3] == [
        "Factor | Incidents | Whys | Root causes | Action items | Done | Recurring",
        "Capacity | 3 | 5 | 1 | 1 | 0 | yes",
        "Deployment / change | 2 | 2 | 0 | 2 | 1 | yes",
    ]
