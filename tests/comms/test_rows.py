"""Timeline rows from events while the incident runs; the post-mortem's own rows afterwards."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.timeline.records import event, incident, timeline
from toolkit.comms import facts
from toolkit.comms.records import Post, Records, Row


def t(mm: int) -> datetime:
    return datetime(2025, 3, 3, 18, mm, tzinfo=UTC)


ID = "INC-2025-03-03-api"
EVENTS = [
    event("pagerduty", "PD-P1", t(0), "alert", "Triggered through the API"),
    event("pagerduty", "PD-P1", t(2), "acknowledge", "Acknowledged by Bob"),
    event("slack", ID, t(5), "declare", "🚨 SEV2 INCIDENT DECLARED 🚨\n**Impact:** slow", severity="SEV2"),
    event("slack", ID, t(6), "declare", "SEV2 declared again", severity="SEV2"),
    event("slack", ID, t(7), "role_assign", "IC: alice"),
    event("slack", ID, t(9), "severity_change", "Upgrading to SEV1", severity="SEV1"),
    event("slack", ID, t(10), "update_promise", "Next update: 10:30"),
    event("slack", ID, t(12), "message", "Finding: pool at 100%\nmore detail"),
    event("slack", ID, t(20), "mitigation", "Rate limit applied"),
    event("slack", ID, t(40), "resolve", "Incident resolved"),
]
INCIDENTS = [
    incident("slack", "C1", ID, service="api", severity="SEV1", declared_at=t(5), resolved_at=t(40)),
    incident("pagerduty", "P1", "PD-P1", service="api", detected_at=t(0), resolved_at=t(40)),
]


def test_rows_from_events_while_open() -> None:
    tl = timeline(INCIDENTS, EVENTS)
    rec = Records(
        posts=(Post(t(8), "investigating", "Looking into slow API"), Post(t(15), "investigating", "Still")),
        alert_titles=("api: p99 latency > 2s",),
    )
    f = facts(tl, ID, at=t(30), records=rec)
    assert [(r.at.minute, r.text) for r in f.timeline] == [
        (0, "Alert: p99 latency > 2s"),
        (2, "Acknowledged by Bob"),
        (5, "SEV2 declared"),
        (8, 'Status page: Investigating - "Looking into slow API"'),
        (9, "Severity changed to SEV1"),
        (12, "Finding: pool at 100%"),
        (20, "Rate limit applied"),
    ]
    assert f.severity == "SEV1"


def test_the_post_mortem_rows_once_resolved() -> None:
    tl = timeline(INCIDENTS, EVENTS)
    rows = (Row(t(0), "Alert fired"), Row(t(40), "Resolved"))
    assert facts(tl, ID, at=t(40), records=Records(postmortem_rows=rows)).timeline == rows
    assert (
        facts(tl, ID, at=t(39), records=Records(postmortem_rows=rows)).timeline[-1].text
        == "Rate limit applied"
    )
