"""One hand-made SEV2 incident that keeps every rule of the practice, and ways to break each."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.timeline.records import event, incident, timeline
from toolkit.timeline import Timeline

ID = "INC-2025-03-03-api"


def t(hh: int, mm: int, *, day: int = 3, month: int = 3) -> datetime:
    return datetime(2025, month, day, hh, mm, tzinfo=UTC)


GOOD: dict[str, Any] = {
    "alert": t(10, 0),
    "ack": t(10, 2),
    "declared": t(10, 5),
    "updates": [t(10, 35), t(11, 5)],
    "promise": (t(10, 35), t(11, 5)),
    "public": [t(10, 10), t(10, 50)],
    "mitigated": t(11, 0),
    "resolved": t(11, 30),
    "public_resolved": t(11, 31),
    "users_pct": 12.0,
    "postmortem_at": t(10, 0, day=4),
    "root_cause": True,
    "items": [("done", t(9, 0, day=10))],
    "later": None,
}


def practice(**changes: Any) -> Timeline:
    """The incident of :data:`GOOD` with ``changes`` applied."""
    c = {**GOOD, **changes}
    room = incident(
        "slack",
        "C1",
        ID,
        service="api",
        severity="SEV2",
        declared_at=c["declared"],
        resolved_at=c["resolved"],
    )
    pd = incident(
        "pagerduty",
        "P1",
        "PD-P1",
        service="api",
        detected_at=c["alert"],
        acknowledged_at=c["ack"],
        resolved_at=c["resolved"],
    )
    sp = incident(
        "statuspage",
        "pg/s1",
        "SP-pg-s1",
        service="api",
        started_at=c["alert"],
        resolved_at=c["public_resolved"],
    )
    doc = incident(
        "postmortem",
        "pm.md",
        "INC-API",
        title="API outage",
        started_at=c["alert"],
        resolved_at=c["resolved"],
        postmortem_at=c["postmortem_at"],
        users_affected_pct=c["users_pct"],
    )
    evs = [
        event("pagerduty", "PD-P1", c["alert"], "alert", "Triggered"),
        event("pagerduty", "PD-P1", c["ack"], "acknowledge", "Acknowledged"),
        event("slack", ID, c["declared"], "declare", "SEV2 declared", severity="SEV2"),
        *(event("slack", ID, u, "update", f"UPDATE {i}") for i, u in enumerate(c["updates"])),
        event("slack", ID, c["mitigated"], "mitigation", "Rate limit applied, errors back to normal"),
        *([event("slack", ID, c["resolved"], "resolve", "Incident resolved")] if c["resolved"] else []),
        *(event("statuspage", "SP-pg-s1", u, "status_update", "Investigating") for u in c["public"]),
        *(
            [event("statuspage", "SP-pg-s1", c["public_resolved"], "resolve", "Resolved")]
            if c["public_resolved"]
            else []
        ),
    ]
    if c["promise"] is not None:
        made, due = c["promise"]
        evs.append(event("slack", ID, made, "update_promise", "Next update: 11:05", due_at=due))
    if c["later"] is not None:
        evs.append(event("pagerduty", "PD-P1", c["later"], "note", "a note much later"))
    whys = [
        {
            "incident_id": "INC-API",
            "node_id": "W1",
            "question": "Why?",
            "answer": "Because",
            "is_root_cause": c["root_cause"],
        }
    ]
    items = [
        {
            "item_id": f"A{i}",
            "incident_id": "INC-API",
            "title": "fix",
            "status": status,
            "completed_at": done,
            "version": 1,
        }
        for i, (status, done) in enumerate(c["items"])
    ]
    links = [
        {"incident_id": ID, "source": s, "ref": r, "method": "manual"}
        for s, r in (("pagerduty", "P1"), ("statuspage", "pg/s1"), ("postmortem", "pm.md"))
    ]
    return timeline([room, pd, sp, doc], evs, whys=whys, action_items=items, links=links)
