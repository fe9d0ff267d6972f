"""What was known at a moment: the sample's payment outage at several times, and a bare incident."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.comms.conftest import PAYMENT
from tests.timeline.records import event, incident, timeline
from toolkit.comms import facts
from toolkit.comms.model import Facts, Person
from toolkit.comms.records import read_records
from toolkit.comms.render import render
from toolkit.errors import ArgumentError
from toolkit.policy import Policy
from toolkit.workspace import Workspace


def pst(hh: int, mm: int, ss: int = 0, *, day: int = 15) -> datetime:
    return datetime(2025, 1, day, hh, mm, ss, tzinfo=UTC) + timedelta(hours=8)


@pytest.fixture(scope="module")
def known(ws: Workspace):  # type: ignore[no-untyped-def]
    tl = ws.timeline()
    rec = read_records(ws, tl.links, PAYMENT)

    def at(moment: datetime) -> Facts:
        return facts(tl, PAYMENT, at=moment, policy=ws.policy, records=rec)

    return at


def test_at_the_declaration(known) -> None:  # type: ignore[no-untyped-def]
    f = known(pst(10, 5))
    assert (f.phase, f.severity, f.retrospective, f.update_number) == ("Investigating", "SEV1", False, 1)
    assert (f.started_at, f.declared_at, f.mitigated_at, f.resolved_at) == (
        pst(10, 0),
        pst(10, 5),
        None,
        None,
    )
    assert {r: [p.handle for p in ps] for r, ps in f.roles.items()} == {
        "IC": ["alice"],
        "TL": ["bob"],
        "Comms": ["carol"],
        "Scribe": ["dave"],
    }
    assert f.commander == Person("Alice Chen", "alice")
    assert f.impact == ("Users cannot complete checkout (15% error rate)",)
    assert (f.next_update_at, f.next_update_promised) == (
        pst(10, 15),
        True,
    )  # "Next update in 15 minutes (10:15 AM)"
    assert f.bridge == "https://zoom.us/j/incident-war-room"
    assert f.posts == ()
    assert f.public_title is None
    # what only the post-mortem says is not known yet: no report, no items, the timeline from events
    assert (f.impact_report, f.items, f.users_affected_pct, f.root_causes) == ((), (), None, ())
    assert [r.text for r in f.timeline] == [
        "Alert: Payment API error rate > 10%",
        "Acknowledged by Bob Martinez.",
        "SEV1 declared by Alice Chen",
    ]


def test_a_moment_counts_to_the_second(known) -> None:  # type: ignore[no-untyped-def]
    assert known(pst(10, 4, 59)).declared_at is None
    assert known(pst(10, 5)).declared_at == pst(10, 5)  # stamped 10:05:00.051172


def test_during_mitigation(known) -> None:  # type: ignore[no-untyped-def]
    f = known(pst(10, 20))
    assert (f.phase, f.update_number, f.mitigated_at) == ("Identified", 3, None)
    assert [(s.text[:27], s.done, s.strategy) for s in f.steps] == [
        ("Decision: Rollback to v2.4.", False, "rollback")
    ]
    assert f.next_update_at == pst(10, 30)  # update #2 promised 10:30
    assert [p.phase for p in f.posts] == ["investigating", "identified"]
    g = known(pst(10, 24))
    assert (g.phase, g.mitigated_at) == ("Monitoring", pst(10, 23, 20))
    assert [s.label for s in g.fixes] == ["Rollback"]


def test_at_the_resolution_the_post_mortem_counts(known) -> None:  # type: ignore[no-untyped-def]
    f = known(pst(12, 15))
    assert (f.phase, f.retrospective, f.next_update_at) == ("Resolved", True, None)
    assert f.duration is not None
    assert f.duration.total_seconds() == 8100
    assert f.root_cause == "Database connection leak in deployment v2.5"  # as the war room said it
    assert f.root_causes == (
        "Connection leak in payment-service v2.5, introduced in PR #1234.",
        "Load tests didn't simulate error scenarios (only happy path).",
    )
    assert f.impact_report[0] == "Users affected: ~5,000 (15% of checkout attempts)"
    assert f.users_affected_pct == 15.0
    assert len(f.items) == 6
    assert [i.priority for i in f.items] == ["P0", "P0", "P1", "P1", "P2", "P2"]
    assert len(f.timeline) == 15
    assert f.timeline[0].text == "Deployment of payment-service v2.5 started"
    assert f.postmortem_said == "Tomorrow (Jan 16) at 2 PM"
    assert f.postmortem_due == datetime(2025, 1, 17, 20, 15, 0, 77001, tzinfo=UTC)  # 48 h after
    assert [p.handle for p in f.responders] == ["bob", "carol", "dave", "erin"]
    assert f.postmortem_at is None  # published Jan 17: later than this moment
    assert known(pst(16, 0, day=17)).postmortem_at == datetime(2025, 1, 17, 23, tzinfo=UTC)


def test_an_unknown_incident() -> None:
    with pytest.raises(ArgumentError, match="no incident 'INC-9'"):
        facts(timeline([], []), "INC-9", at=pst(10, 0))


ID = "INC-2025-03-03-api"


def bare() -> Facts:
    """An incident of a war room that says only that a SEV2 was declared."""
    tl = timeline(
        [incident("slack", "C1", ID, service="api", severity="SEV2", declared_at=pst(10, 5, day=3))],
        [event("slack", ID, pst(10, 5, day=3), "declare", "SEV2 declared", severity="SEV2")],
    )
    return facts(tl, ID, at=pst(10, 20, day=3), policy=Policy.default())


def test_a_bare_incident_knows_little() -> None:
    f = bare()
    assert (f.phase, f.severity, f.update_number, f.cadence_minutes) == ("Investigating", "SEV2", 2, 30)
    assert f.next_update_at == pst(10, 30, day=3)  # the next half hour: SEV2 updates every 30-60 min
    assert (f.roles, f.impact, f.steps, f.bridge, f.war_room) == ({}, (), (), None, None)


@pytest.mark.parametrize(
    ("kind", "markers"),
    [
        (
            "declare",
            [
                "**Impact:** [fill in: user impact: what users cannot do, and how many]",
                "- IC: [fill in: Incident Commander] (Incident Commander - makes decisions)",
                "- Scribe: [fill in: Scribe] (Timeline tracking)",
                "**War Room:** [fill in: war-room channel] (this channel)",
                "**Zoom Bridge:** [fill in: bridge link]",
            ],
        ),
        (
            "update",
            [
                "- [fill in: what the investigation has found so far]",
                "- [fill in: mitigation in progress or planned, and its ETA]",
                "- [fill in: current user impact]",
            ],
        ),
        (
            "resolve",
            [
                "**Impact:** [fill in: impact: users affected, how many]",
                "**Root Cause:** [fill in: root cause]",
                "**Resolution:** [fill in: what resolved it]",
                "- [fill in: outcome]",
                "- Post-mortem meeting: [fill in: date and time, by Sun Jan 5, 10:20 AM PST (within 48 h)]",
            ],
        ),
        (
            "exec",
            [
                "Hi [fill in: CEO/CTO name],",
                "- [fill in: users affected, revenue impact]",
                "- [fill in: root cause]",
                "1. [fill in: prevention: the action items]",
                "- [fill in: your name] (Incident Commander)",
            ],
        ),
        (
            "customer",
            [
                "that affects [fill in: affected feature] on our platform.",
                "[fill in: what is changing so that it does not happen again]",
                "[fill in: support e-mail ([comms] support_email)].",
            ],
        ),
        (
            "escalate",
            ["**Current impact:** [fill in: current user impact]", "**IC:** [fill in: Incident Commander]"],
        ),
        ("support", ["YOUR ANSWER: [fill in: what is changing so that it does not happen again]"]),
        ("statuspage", ["We are investigating reports of issues with [fill in: affected feature]."]),
    ],
)
def test_missing_data_gives_fill_in_markers(kind: str, markers: list[str]) -> None:
    out = render(
        kind,
        bare(),
        fmt="slack" if kind in ("declare", "update", "resolve", "escalate") else "text",
        policy=Policy.default(),
    )
    for marker in markers:
        assert marker in out.splitlines(), f"{marker!r} not in\n{out}"
