"""Action-item follow-through in the 30-day review: the sample's items as of the window's last day."""

from datetime import date

import pytest

from toolkit.reports.review import ReviewReport
from toolkit.reports.review_actions import window_follow_through
from toolkit.workspace import Workspace


@pytest.fixture(scope="module")
def review(sample_ws):
    return ReviewReport.load(workspace=sample_ws)


def test_follow_through_as_of_the_end_of_the_window(review):
    assert review.follow.as_of == date(2025, 2, 19)
    assert review.follow_through().plain().splitlines() == [
        "As of: 2025-02-19",
        "Action items: 14",
        "Open: 7",
        "Overdue: 6",
        "Completion: 50% (7 of 14)",
        "Open on resolved incidents: 7",
        "Incidents due for review: 1",
        "Incidents that recurred with earlier items not done: 5",
        "",
        "Priority | Items | Open | Overdue | Done | Cancelled | Completion",
        "P0 | 4 | 0 | 0 | 4 | 0 | 100% (4 of 4)",
        "P1 | 5 | 3 | 3 | 2 | 0 | 40% (2 of 5)",
        "P2 | 5 | 4 | 3 | 1 | 0 | 20% (1 of 5)",
    ]


def test_reviews_due_and_items_open_on_resolved_incidents(review):
    assert review.reviews_due().plain().splitlines() == [
        "Incident | Review due | Items | Done | Late | Untouched | Open",
        "INC-2025-01-15-payment | 2025-02-14 | 6 | 3 | 3 | 2 | 3",
    ]
    rows = review.follow.open_on_closed.select("incident_id", "priority", "days_since_resolved").rows()
    assert rows == [
        ("INC-2025-01-15-payment", "P1", 35),
        ("INC-2025-01-15-payment", "P2", 35),
        ("INC-2025-01-15-payment", "P2", 35),
        ("INC-2025-01-23-auth", "P1", 27),
        ("INC-2025-01-23-auth", "P2", 27),
        ("INC-2025-01-23-auth", "P2", 27),
        ("INC-2025-01-28-api-gateway", "P1", 22),
    ]
    assert review.open_on_closed().plain().count("\n") == 7


def test_incidents_that_recurred_before_the_earlier_items_were_done(review):
    pairs = (
        review.follow.recurring.group_by("incident_id", "earlier_incident_id", "reason", maintain_order=True)
        .len()
        .rows()
    )
    assert pairs == [
        ("INC-2025-01-23-auth", "INC-2025-01-15-payment", "factor capacity, change", 3),
        ("INC-2025-01-28-api-gateway", "INC-2025-01-15-payment", "factor capacity", 3),
        ("INC-2025-01-28-api-gateway", "INC-2025-01-23-auth", "factor capacity", 3),
        ("INC-2025-02-11-payment-webhooks", "INC-2025-01-15-payment", "same service payment-service", 3),
        ("INC-2025-02-13-api-gateway", "INC-2025-01-28-api-gateway", "same service api-gateway", 1),
        ("INC-2025-02-19-sso", "INC-2025-01-23-auth", "same service auth", 3),
    ]
    assert review.recurrence().plain().splitlines()[0] == (
        "Recurred as | Started (UTC) | Earlier incident | Related by | Priority | Item not done | Status"
    )


def test_burndown_and_aging_figures(review):
    burndown = review.burndown_figure().spec()
    assert [t["name"] for t in burndown["data"]] == ["open", "of which overdue", "closed so far"]
    assert (burndown["data"][0]["y"][-1], burndown["data"][1]["y"][-1]) == (7, 6)
    aging = review.aging_figure().spec()
    assert [t["name"] for t in aging["data"]] == ["P0", "P1", "P2", "P3"]
    assert aging["layout"]["title"]["text"] == "Open action items by age (as of 2025-02-19)"


def test_an_earlier_day_and_a_service_narrow_the_follow_through(sample_ws):
    ws = Workspace(sample_ws)
    early = window_follow_through(ws, as_of=date(2025, 1, 31))
    assert (early.items.height, int(early.items["overdue"].sum()), early.review_summary.height) == (14, 1, 0)
    auth = window_follow_through(ws, as_of=date(2025, 2, 19), services=["AUTH"])
    assert auth.items["incident_id"].unique().to_list() == ["INC-2025-01-23-auth"]
    assert auth.by_priority.select("priority", "items", "open").rows() == [
        ("P2", 2, 2),
        ("P1", 2, 1),
        ("P0", 1, 0),
    ]
