"""Follow-through analytics: exact figures on the sample, and on small frames built by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl
import pytest

from toolkit import actions
from toolkit.actions import ITEM_SCHEMA
from toolkit.actions.incidents import build
from toolkit.policy import Policy
from toolkit.schema import empty

AS_OF = date(2025, 3, 1)
PAYMENT = "INC-2025-01-15-payment-service-outage"
AUTH = "INC-2025-01-23-login-failures-auth-database-iops-exhausted"
GATEWAY = "INC-2025-01-28-api-gateway-errors-partner-retry-storm"


@pytest.fixture
def ft(ws):
    return actions.follow_through(ws, as_of=AS_OF)


def test_counts_on_the_sample(ft):
    assert (ft.items.height, int(ft.items["is_open"].sum()), int(ft.items["overdue"].sum())) == (14, 7, 7)
    assert ft.completion_rate == 0.5
    assert ft.by_priority.rows() == [("P2", 5, 4, 4, 1, 0), ("P1", 5, 3, 3, 2, 0), ("P0", 4, 0, 0, 4, 0)]
    assert ft.by_incident.rows() == [
        (PAYMENT, 6, 3, 3, 3, 0),
        (AUTH, 5, 3, 3, 2, 0),
        (GATEWAY, 3, 1, 1, 2, 0),
    ]
    assert ft.by_service.select("service", "open").rows() == [
        ("Login, SSO, Mobile app sign-in", 3),
        ("Payment API, Checkout flow", 3),
        ("Public API, Mobile app", 1),
    ]
    assert ft.by_owner.head(2).rows() == [("SRE Team", 4, 2, 2, 2, 0), ("DevRel", 1, 1, 1, 0, 0)]
    assert ft.by_owner.height == 10


def test_time_to_close_counts_done_items_without_a_completion_time_apart(ft):
    assert ft.time_to_close.rows() == [
        ("P0", 0, None, 4),
        ("P1", 0, None, 2),
        ("P2", 0, None, 1),
        ("P3", 0, None, 0),
    ]


def test_items_still_open_on_resolved_incidents(ft):
    gap = ft.open_on_closed
    assert gap.height == 7
    assert gap.select("incident_id", "days_since_resolved").unique(maintain_order=True).rows() == [
        (PAYMENT, 45),
        (AUTH, 37),
        (GATEWAY, 32),
    ]
    assert gap.filter(pl.col("incident_id") == GATEWAY)["title"].to_list() == [
        "Publish retry and backoff guidance to partners"
    ]


def test_thirty_day_reviews_say_done_late_or_untouched(ft):
    assert ft.review_summary.rows() == [
        (PAYMENT, date(2025, 2, 14), 6, 3, 3, 2, 3),
        (AUTH, date(2025, 2, 22), 5, 2, 3, 2, 3),
        (GATEWAY, date(2025, 2, 27), 3, 2, 1, 0, 1),
    ]
    payment = ft.reviews.filter(pl.col("incident_id") == PAYMENT)
    assert payment.select("priority", "state").rows() == [
        ("P0", "done"), ("P0", "done"), ("P1", "late"), ("P1", "done"), ("P2", "untouched"), ("P2", "untouched"),
    ]  # fmt: skip


def test_reviews_are_due_thirty_days_after_resolution(ws):
    assert actions.follow_through(ws, as_of=date(2025, 2, 13)).reviews.height == 0
    assert actions.follow_through(ws, as_of=date(2025, 2, 14)).review_summary["incident_id"].to_list() == [
        PAYMENT
    ]


def test_recurring_incidents_with_earlier_items_not_done(ft):
    rec = ft.recurring
    assert rec.select("incident_id", "earlier_incident_id", "reason").unique(maintain_order=True).rows() == [
        (AUTH, PAYMENT, "factor capacity, change"),
        (GATEWAY, PAYMENT, "factor capacity"),
        (GATEWAY, AUTH, "factor capacity"),
    ]
    assert rec.group_by("incident_id", maintain_order=True).len().rows() == [(AUTH, 3), (GATEWAY, 6)]


def test_burndown_and_aging_on_the_sample(ft):
    days = ft.burndown
    assert (days.height, days["day"][0], days["day"][-1]) == (46, date(2025, 1, 15), AS_OF)
    at = {r["day"]: (r["created"], r["closed"], r["open"], r["overdue"]) for r in days.iter_rows(named=True)}
    assert at[date(2025, 1, 15)] == (6, 3, 3, 0)
    assert at[date(2025, 1, 23)] == (11, 5, 6, 0)
    assert at[date(2025, 1, 26)] == (11, 5, 6, 1)  # the load tests, due 01-25
    assert at[AS_OF] == (14, 7, 7, 7)
    aging = ft.aging.filter(pl.col("items") > 0)
    assert aging.rows() == [("31-90 days", "P1", 3, 3), ("31-90 days", "P2", 4, 4)]
    assert ft.aging.height == 16


def test_summary_reads_like_a_sentence(ft):
    assert ft.summary().splitlines() == [
        "As of 2025-03-01: 14 action items, 7 open (7 overdue), completion 50%.",
        "7 open on incidents already resolved; 3 incident(s) due for review (4 item(s) untouched, 7 late).",
        "2 incident(s) recurred with earlier items not done (9 item(s)).",
    ]


def _t(day: int, hour: int = 0) -> datetime:
    return datetime(2025, 1, day, hour, tzinfo=UTC)


def test_analyse_on_frames_built_by_hand():
    incidents = pl.DataFrame(
        {
            "incident_id": ["A", "B", "C"],
            "title": ["a", "b", "c"],
            "service": ["checkout", "Checkout ", "search"],
            "status": ["resolved", "resolved", "open"],
            "severity": ["SEV2"] * 3,
            "started_at": [_t(1), _t(20), _t(25)],
            "detected_at": [None, None, None],
            "declared_at": [None, None, None],
            "resolved_at": [_t(2), _t(21), None],
            "commander": [None, None, None],
        },
        schema_overrides={"detected_at": pl.Datetime("us", "UTC"), "declared_at": pl.Datetime("us", "UTC")},
    )
    no_aliases = pl.DataFrame(schema={"alias": pl.String, "incident_id": pl.String})
    ctx = build(incidents, no_aliases, empty("roles"), empty("people"))
    rows = [
        # item, incident, priority, status, created, completed, due, version
        ("1", "A", "P1", "done", _t(2), _t(4), date(2025, 1, 10), 3),
        ("2", "A", "P1", "done", _t(2), _t(6), date(2025, 1, 10), 2),
        ("3", "A", "P1", "done", _t(2), _t(11), date(2025, 1, 10), 2),  # done before B started (01-20)
        ("4", "A", "P0", "in_progress", _t(2), None, date(2025, 1, 5), 2),
        ("5", "A", "P2", "cancelled", _t(2), None, date(2025, 1, 30), 2),
        ("6", "A", "P2", "done", _t(2), _t(22), date(2025, 1, 30), 2),  # done only after B recurred
        ("7", "C", "P3", "pending", _t(26), None, None, 1),
    ]
    items = pl.DataFrame(
        [
            {
                "item_id": i,
                "incident_id": inc,
                "title": f"item {i}",
                "owner": "alice",
                "priority": p,
                "due_date": due,
                "status": st,
                "created_at": cr,
                "updated_at": cm or cr,
                "completed_at": cm,
                "version": v,
            }
            for i, inc, p, st, cr, cm, due, v in rows
        ]
    )
    items = pl.concat([pl.DataFrame(schema=ITEM_SCHEMA), items], how="diagonal_relaxed").cast(
        dict(ITEM_SCHEMA)
    )
    ft = actions.analyse(items, ctx, empty("whys"), as_of=date(2025, 2, 1), policy=Policy.default())
    assert ft.time_to_close.rows() == [
        ("P0", 0, None, 0),
        ("P1", 3, 4.0, 0),
        ("P2", 1, 20.0, 0),
        ("P3", 0, None, 0),
    ]
    assert ft.completion_rate == 4 / 6
    assert ft.open_on_closed["item_id"].to_list() == ["4"]
    assert ft.reviews["item_id"].to_list() == [
        "4",
        "1",
        "2",
        "3",
        "5",
        "6",
    ]  # A resolved 01-02: due 02-01; by priority
    assert ft.reviews["state"].to_list() == ["late", "done", "done", "done", "cancelled", "done"]
    assert ft.review_summary.rows() == [("A", date(2025, 2, 1), 6, 4, 1, 0, 1)]
    assert ft.recurring.select("incident_id", "earlier_incident_id", "reason", "item_id").rows() == [
        ("B", "A", "same service checkout", "4"),
        ("B", "A", "same service checkout", "6"),
    ]
    assert ft.aging.filter(pl.col("items") > 0).rows() == [
        ("0-7 days", "P3", 1, 0),
        ("8-30 days", "P0", 1, 1),
    ]
