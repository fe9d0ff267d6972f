"""The post-mortem's sections, read straight from the sample workspace (no kernel).

The payment outage of the sample (``INC-2025-01-15-payment``) is one incident across its
Slack war room, PagerDuty incident, status-page incident and post-mortem document; its
figures are the seed's: SEV1, 10:00 -> 12:15 PST (2 h 15 m), declared 5 minutes after the
alert, mitigated by rollback at 10:23, every 15-minute war-room update kept.
"""

import re
import shutil

import pytest

from toolkit import actions
from toolkit.analysis import DEFINITIONS
from toolkit.errors import WorkspaceError
from toolkit.reports.blocks import Figure, Note
from toolkit.reports.postmortem import PostmortemReport
from toolkit.reports.sections.measures import SHOWN
from toolkit.workspace import Workspace

PAYMENT = "INC-2025-01-15-payment"
ALIASES = ["PD-PZ4F9WB", "SP-acm3st4tus01-p7m2x9k4q1zt", "INC-2025-01-15-payment-service-outage"]
SECTIONS = [
    "title",
    "header",
    "summary",
    "impact",
    "milestones",
    "durations",
    "timeline_table",
    "cadence_table",
    "promises_table",
    "severity_audit",
    "response_times",
    "resolution_criteria",
    "root_cause_table",
    "action_items_table",
    "went_well",
    "went_wrong",
    "lessons",
    "follow_up",
    "definitions",
]


@pytest.fixture(scope="module")
def payment(sample_ws):
    return PostmortemReport.load(PAYMENT, workspace=sample_ws)


def test_header_of_the_linked_payment_outage(payment):
    assert payment.title().plain() == "Payment Service Outage (INC-2025-01-15-payment)"
    assert payment.header().plain().splitlines() == [
        "Incident: INC-2025-01-15-payment",
        "Date: 2025-01-15",
        "Started: 2025-01-15 10:00 PST",
        "Severity: SEV1 (declared SEV1; decision tree SEV1: revenue impacted)",
        "Status: resolved",
        "Service: payment-service (components: Payments API, Checkout)",
        "Duration: 2h 15m",
        "Commander: Alice Chen",
        "Participants: Alice Chen (IC), Bob Martinez (TL), Carol Johnson (Comms), Dave Kim (Scribe), Erin O'Brien",
        "Sources: slack (INC-2025-01-15-payment); pagerduty (PD-PZ4F9WB); statuspage (SP-acm3st4tus01-p7m2x9k4q1zt); "
        "postmortem (INC-2025-01-15-payment-service-outage)",
        "Audience: internal",
    ]


def test_the_timeline_merges_every_source(payment):
    assert payment.events.height == 40  # 46 events, the 6 update promises shown as the cadence
    assert set(payment.events["sources"].explode()) == {"slack", "pagerduty", "statuspage", "postmortem"}
    rows = payment.timeline_table().plain().splitlines()
    assert rows[0] == "Time (UTC) | Source | Kind | Who | What happened"
    assert rows[1] == "2025-01-15 17:55 | postmortem | deploy |  | Deployment of payment-service v2.5 started"
    assert (
        rows[2]
        == "2025-01-15 18:00 | pagerduty, postmortem | alert | payment-service | Triggered through the API"
    )
    assert "2025-01-15 18:02 | pagerduty | acknowledge | Bob Martinez | Acknowledged by Bob Martinez." in rows
    assert (
        "2025-01-15 18:15 | statuspage | status_update |  | We have identified a database issue affecting checkout."
        in rows
    )
    assert (
        "2025-01-15 18:23 | slack, postmortem | rollback | Bob Martinez | "
        "Rollback completed - v2.4 serving 100% of traffic. Monitoring metrics."
    ) in rows
    figure = payment.timeline_figure()
    assert isinstance(figure, Figure)
    spec = figure.spec()
    assert spec["layout"]["yaxis"]["categoryarray"] == ["postmortem", "statuspage", "pagerduty", "slack"]
    assert [n["text"] for n in spec["layout"]["annotations"]] == [
        "Started / Detected / Acknowledged / Declared",
        "Mitigated",
        "Resolved",
    ]
    assert len(spec["layout"]["shapes"]) == 6  # one line per milestone


def test_milestones_say_where_each_came_from(payment):
    assert payment.milestones().plain().splitlines() == [
        "Milestone | Time (America/Los_Angeles) | Time (UTC) | Source | How it is known",
        "Started | 2025-01-15 10:00 PST | 2025-01-15 18:00 | slack | start stated in the war room",
        "Detected | 2025-01-15 10:00 PST | 2025-01-15 18:00 | pagerduty | first alert",
        "Acknowledged | 2025-01-15 10:02 PST | 2025-01-15 18:02 | pagerduty | first acknowledgement",
        "Declared | 2025-01-15 10:05 PST | 2025-01-15 18:05 | slack | declaration in the war room",
        "Mitigated | 2025-01-15 10:23 PST | 2025-01-15 18:23 | slack | mitigation completed",
        "Resolved | 2025-01-15 12:15 PST | 2025-01-15 20:15 | slack | resolution in the war room",
        "Post-mortem | 2025-01-17 15:00 PST | 2025-01-17 23:00 | statuspage | post-mortem on the status page",
        "Resolved (pagerduty) | 2025-01-15 12:15 PST | 2025-01-15 20:15 | pagerduty | "
        "this source's own resolution, 20s after the incident's",
        "Resolved (statuspage) | 2025-01-15 12:15 PST | 2025-01-15 20:15 | statuspage | "
        "this source's own resolution, at the same time as the incident's",
        "Resolved (postmortem) | 2025-01-15 12:15 PST | 2025-01-15 20:15 | postmortem | "
        "this source's own resolution, at the same time as the incident's",
    ]


def test_durations_with_their_definitions(payment):
    rows = [line.split(" | ")[:2] for line in payment.durations().plain().splitlines()]
    assert rows == [
        ["Metric", "Duration"],
        ["Time to detect", "7s"],
        ["Time to acknowledge", "2m 33s"],
        ["Time to declare", "4m 53s"],
        ["Time to mitigate", "23m 20s (rollback)"],
        ["Time to resolve", "2h 15m"],
        ["Public comms lag", "7m 53s"],
    ]
    assert DEFINITIONS["time_to_resolve"] in payment.durations().plain()


def test_cadence_and_promises_against_the_sev1_policy(payment):
    assert payment.cadence_table().plain().splitlines() == [
        "Audience | Longest allowed gap | Updates | Gaps within it | Compliance | Longest silence | First update after",
        "war room (internal) | 30 min | 5 | 6 of 6 | 100% | 30m | 10m",
        "status page (public) | 30 min | 5 | 3 of 4 | 75% | 1h 30m | 7m 53s",
    ]
    promises = payment.promises_table().plain().splitlines()
    assert (
        promises[0] == "Audience | Promised (UTC) | Due (UTC) | Next update (UTC) | Kept (6 of 6) | Late by"
    )
    assert (
        promises[3]
        == "war room (internal) | 2025-01-15 18:30 | 2025-01-15 18:45 | 2025-01-15 18:46 | kept | 1m"
    )
    assert len(promises) == 7
    spec = payment.cadence_figure().spec()
    assert [t["name"] for t in spec["data"]] == ["war room (internal)", "status page (public)"]
    assert spec["data"][0]["y"] == [10.0, 15.0, 16.0, 29.0, 30.0, 30.0]
    assert spec["data"][1]["y"] == [7.0, 15.0, 15.0, 90.0]
    assert spec["data"][1]["marker"]["color"][-1] == "#e74c3c"  # the 90-minute public silence
    assert spec["layout"]["shapes"][0]["y0"] == 30


def test_severity_audit_response_times_and_resolution_criteria(payment):
    assert payment.severity_audit().plain().splitlines() == [
        "Declared: SEV1",
        "Final: SEV1",
        "Decision tree: SEV1",
        "Deciding branch: revenue impacted",
        "Impact recorded: users affected 15%; revenue impacted: yes",
        "Verdict: match",
    ]
    assert payment.response_times().plain().splitlines() == [
        "Step | Took | Policy (SEV1) | In time",
        "Acknowledged (from detection) | 2m 33s | within 5 min | yes",
        "Declared (from detection) | 4m 53s | within 5 min | yes",
    ]
    assert payment.resolution_criteria().plain().splitlines() == [
        "Criterion | Met | Detail",
        "Mitigation stable | yes | held 1h 51m before the resolution (at least 15 min)",
        "Root cause recorded | yes | 5 Whys, post-mortem or resolution message",
        "Post-mortem on time | no | 50.7 h after the resolution (due within 48 h)",
        "30-day review done | no | 3 of 6 action items open",
    ]


def test_the_postmortem_document_fills_whys_lessons_and_follow_up(payment):
    assert isinstance(payment.root_cause(), Figure)
    whys = payment.root_cause_table().plain().splitlines()
    assert whys[5] == (
        "W5 | Why didn't tests catch this? | Load tests didn't simulate error scenarios (only happy path). "
        "| testing | yes"
    )
    assert whys[-1].startswith("- Connection leak in payment-service v2.5, introduced in PR #1234.")
    assert (
        payment.went_well().plain().splitlines()[0] == "- Fast detection: Alert fired within 5 min of impact"
    )
    assert len(payment.went_wrong().plain().splitlines()) == 4
    assert len(payment.lessons().plain().splitlines()) == 4
    assert payment.follow_up().plain().splitlines() == [
        "30-day review due: 2025-02-14",
        "Action items: 6",
        "Still open: 3",
        "",
        "- 30-day review scheduled for 2025-02-15 to verify action items completed.",
        "- Share learnings in Engineering All-Hands (2025-01-22).",
    ]


def test_definitions_list_every_metric_shown(payment):
    rows = payment.definitions().plain().splitlines()
    assert rows[0] == "Metric | Definition"
    assert [r.split(" | ")[0] for r in rows[1:]] == list(SHOWN)
    assert f"time_to_declare | {DEFINITIONS['time_to_declare']}" in rows


@pytest.mark.parametrize("alias", ALIASES)
def test_any_source_id_gives_the_same_report(sample_ws, payment, alias):
    other = PostmortemReport.load(alias, workspace=sample_ws)
    assert other.incident_id == PAYMENT
    assert [getattr(other, s)().plain() for s in SECTIONS] == [
        getattr(payment, s)().plain() for s in SECTIONS
    ]


def test_action_items_are_read_live_from_the_store(sample_ws, tmp_path):
    ws_path = tmp_path / "ws"
    shutil.copytree(sample_ws, ws_path)
    ws = Workspace(ws_path)
    before = PostmortemReport.load("PD-PZ4F9WB", workspace=ws_path)
    assert len(before.action_items_table().plain().splitlines()) == 7
    pending = actions.list_items(ws, incident_id=PAYMENT, status="pending")
    (checklist,) = pending.filter(pending["title"].str.starts_with("Code review checklist"))["item_id"]
    actions.complete(ws, checklist, version=actions.get(ws, checklist).version, actor="alice")
    actions.add(
        ws, incident_id=PAYMENT, title="Alert at 80% pool use", owner="Bob", priority="P1", actor="alice"
    )
    after = PostmortemReport.load(PAYMENT, workspace=ws_path)
    rows = after.action_items_table().plain().splitlines()
    assert len(rows) == 8
    assert (
        'P2 | Code review checklist: Add "Resource cleanup (connections, files)" | Engineering | 2025-02-01 | done'
        in rows
    )
    assert "P1 | Alert at 80% pool use | Bob Martinez | 2025-01-25 | pending" in rows  # the default due date
    assert after.follow_up().plain().splitlines()[1:3] == ["Action items: 7", "Still open: 3"]


def test_an_external_report_masks_people_and_keeps_public_events_only(sample_ws):
    external = PostmortemReport.load(PAYMENT, workspace=sample_ws, audience="external")
    header = external.header().plain()
    assert "Commander: the Incident Commander" in header
    assert (
        "Participants: the Incident Commander (IC), the Technical Lead (TL), the Communications Lead (Comms), "
        "the Scribe (Scribe), a responder"
    ) in header
    assert set(external.events["visibility"]) == {"public"}
    assert external.events.height == 6  # the status page's five updates and its resolution
    assert set(external.events["sources"].explode()) == {"statuspage", "postmortem"}
    assert external.cadence_table().plain().splitlines()[1:] == [
        "status page (public) | 30 min | 5 | 3 of 4 | 75% | 1h 30m | 7m 53s"
    ]
    assert external.promises_table().plain() == "No data: no update was promised"
    text = "\n".join(getattr(external, s)().plain() for s in SECTIONS).lower()
    for name in ("alice", "bob", "carol", "dave", "erin", "martinez"):
        assert re.search(rf"\b{name}\b", text) is None, name


def test_redact_masks_names_in_an_internal_report(sample_ws):
    report = PostmortemReport.load(PAYMENT, workspace=sample_ws, redact=True)
    text = report.timeline_table().plain()
    assert "alice" not in text.lower()
    assert "@bob" not in text
    assert "Bob Martinez" not in text
    assert "IC: the Incident Commander" in text
    assert "Acknowledged by the Technical Lead." in text
    assert report.events.height == 40  # redacted, not cut


def test_an_open_incident_says_so(sample_ws):
    report = PostmortemReport.load("PD-PE2Y7MF", workspace=sample_ws)
    assert report.incident_id == "INC-2025-02-19-sso"
    header = report.header().plain().splitlines()
    assert "Duration: open (1h 55m so far)" in header
    assert "Severity: SEV2 (declared SEV2; decision tree: not enough impact recorded)" in header
    assert report.durations().plain().splitlines()[5].startswith("Time to resolve | open | ")
    assert report.follow_up().plain() == (
        "The incident is still open: the 30-day review is due 30 days after it resolves."
    )
    assert report.root_cause().plain() == "No data: this incident has no 5-Whys analysis"
    assert report.summary().plain() == "No data: no executive summary was written"


def test_an_incident_seen_by_pagerduty_only_is_still_a_whole_report(sample_ws):
    report = PostmortemReport.load("PD-P8N2KRT", workspace=sample_ws)
    assert report.incident_id == "INC-2025-01-09-notifications"
    assert "Sources: pagerduty (PD-P8N2KRT)" in report.header().plain()
    assert isinstance(report.cadence_figure(), Note)
    assert report.cadence_table().plain() == "No data: no updates to measure a cadence by"
    assert [getattr(report, s)() is not None for s in SECTIONS] == [True] * len(SECTIONS)


def test_an_unknown_incident_or_audience_is_refused(sample_ws):
    with pytest.raises(WorkspaceError, match=r"no incident 'INC-x' \(known: INC-2025-01-06-search, "):
        PostmortemReport.load("INC-x", workspace=sample_ws)
    with pytest.raises(ValueError, match="audience must be 'internal' or 'external'"):
        PostmortemReport.load(PAYMENT, workspace=sample_ws, audience="public")


def test_an_empty_workspace_says_how_to_fill_it(tmp_path):
    with pytest.raises(WorkspaceError, match="no imported exports here; run `incident-toolkit demo`"):
        PostmortemReport.load("INC-1", workspace=tmp_path)
