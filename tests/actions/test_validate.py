"""Validation: every bad value is named with its field and what is allowed."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from toolkit import actions
from toolkit.actions.validate import ValidationError, parse_due_date, parse_link, parse_priority, parse_status
from toolkit.errors import ArgumentError
from toolkit.schema import ItemStatus, Priority

PAYMENT = "INC-2025-01-15-payment-service-outage"
GOOD = {"incident_id": PAYMENT, "title": "Alert at 80%", "owner": "alice", "priority": "P1"}

BAD = [
    ("title-empty", {"title": "  "}, "title", "required; got nothing"),
    ("title-not-text", {"title": 42}, "title", "expected text, got 42 (int)"),
    (
        "title-too-long",
        {"title": "x" * 256},
        "title",
        "at most 255 characters (a tracker's summary), got 256",
    ),
    ("owner-missing", {"owner": None}, "owner", "required; got nothing"),
    ("priority-unknown", {"priority": "P5"}, "priority", "expected one of P0, P1, P2, P3, got 'P5'"),
    ("priority-missing", {"priority": None}, "priority", "required; choose one of P0, P1, P2, P3"),
    ("due-not-a-date", {"due_date": "2025-02-30"}, "due_date", "'2025-02-30' is not a real date"),
    (
        "due-format",
        {"due_date": "next week"},
        "due_date",
        "expected a date like '2025-02-14', got 'next week'",
    ),
    ("due-number", {"due_date": 20250214}, "due_date", "expected a date like '2025-02-14', got 20250214"),
    (
        "due-before-start",
        {"due_date": date(2025, 1, 14)},
        "due_date",
        "2025-01-14 is before the incident started (2025-01-15)",
    ),
    (
        "link-not-http",
        {"link": "ftp://files.example.com/x"},
        "link",
        "expected an http(s) URL like 'https://tracker.example.com/PAY-123', got 'ftp://files.example.com/x'",
    ),
    (
        "link-no-host",
        {"link": "https://"},
        "link",
        "expected an http(s) URL like 'https://tracker.example.com/PAY-123', got 'https://'",
    ),
    (
        "link-javascript",
        {"link": "javascript:alert(1)"},
        "link",
        "expected an http(s) URL like 'https://tracker.example.com/PAY-123', got 'javascript:alert(1)'",
    ),
    (
        "incident-unknown",
        {"incident_id": "INC-nope"},
        "incident_id",
        "no incident 'INC-nope' in this workspace; pass one of its incident ids",
    ),
]


@pytest.mark.parametrize(("changes", "field", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_add_names_the_field_and_what_is_allowed(ws, changes, field, message):
    with pytest.raises(ValidationError) as caught:
        actions.add(ws, **(GOOD | changes), actor="t")
    assert caught.value.errors == {field: message}
    assert (
        str(caught.value)
        == f"new action item on {(GOOD | changes)['incident_id']}: field '{field}': {message}"
    )
    assert isinstance(caught.value, ArgumentError)
    assert actions.list_items(ws).height == 14  # nothing written


def test_all_problems_are_reported_at_once(ws):
    with pytest.raises(ValidationError) as caught:
        actions.add(ws, incident_id=PAYMENT, title="", owner="", priority="P9", link="x", actor="t")
    assert list(caught.value.errors) == ["title", "owner", "priority", "link"]


def test_update_validates_status_and_the_due_date_against_the_incident(ws):
    item = actions.add(ws, **GOOD, actor="t")
    with pytest.raises(ValidationError, match=r"field 'status': expected one of pending, in_progress, done"):
        actions.update(ws, item.item_id, version=1, status="finished")
    with pytest.raises(ValidationError, match=r"field 'due_date': 2025-01-01 is before the incident started"):
        actions.update(ws, item.item_id, version=1, due_date="2025-01-01")
    with pytest.raises(ValidationError, match=r"2025-01-25 is before incident INC-2025-02-19-sso started"):
        actions.update(ws, item.item_id, version=1, incident_id="INC-2025-02-19-sso")


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("pending", ItemStatus.pending),
        ("In progress", ItemStatus.in_progress),
        ("in-progress", ItemStatus.in_progress),
        ("DONE", ItemStatus.done),
        ("cancelled", ItemStatus.cancelled),
        ("canceled", ItemStatus.cancelled),
        ("open", ItemStatus.pending),
        ("won't do", ItemStatus.cancelled),
        ("Won’t do", ItemStatus.cancelled),
        ("wont_do", ItemStatus.cancelled),
    ],
    ids=lambda v: str(v),
)
def test_status_aliases(text, status):
    assert parse_status(text) is status


def test_the_small_parsers():
    assert parse_priority("p2") is Priority.P2
    assert parse_due_date(datetime(2025, 2, 14, 9, 30)) == date(2025, 2, 14)
    assert parse_due_date(" 2025-02-14 ") == date(2025, 2, 14)
    assert parse_due_date("") is None
    assert parse_link(" https://tracker.example.com/PAY-1 ") == "https://tracker.example.com/PAY-1"
    assert parse_link("") is None
