"""The post-mortem's sections, read straight from the sample workspace (no kernel)."""

import pytest

from toolkit.errors import WorkspaceError
from toolkit.reports.blocks import Figure, Note
from toolkit.reports.postmortem import PostmortemReport


def test_header_of_a_slack_incident(sample_ws):
    report = PostmortemReport.load("INC-2025-01-15-payment", workspace=sample_ws)
    assert report.header().plain().splitlines() == [
        "Incident: INC-2025-01-15-payment",
        "Date: 2025-01-15",
        "Severity: SEV1",
        "Status: resolved",
        "Service: payment-service",
        "Duration: 2h 15m",
        "Commander: alice",
        "Participants: alice (IC), bob (TL), carol (Comms), dave (Scribe)",
        "Sources: slack",
        "Audience: internal",
    ]
    assert report.events.height == 27
    assert isinstance(report.timeline_figure(), Figure)
    assert report.root_cause().plain() == "No data: this incident has no 5-Whys analysis"


def test_an_external_report_masks_people_and_keeps_public_events_only(sample_ws):
    internal = PostmortemReport.load("SP-acm3st4tus01-p7m2x9k4q1zt", workspace=sample_ws)
    external = PostmortemReport.load("INC-2025-01-15-payment", workspace=sample_ws, audience="external")
    assert "Commander: the Incident Commander" in external.header().plain()
    assert (
        "Participants: the Incident Commander (IC), the Technical Lead (TL), the Communications Lead (Comms), "
        "the Scribe (Scribe)"
    ) in external.header().plain()
    assert external.events.height == 0  # the war room is internal
    assert isinstance(external.timeline_figure(), Note)
    assert (
        internal.events.height
        == PostmortemReport.load(
            "SP-acm3st4tus01-p7m2x9k4q1zt", workspace=sample_ws, audience="external"
        ).events.height
        == 6
    )  # a status page is public


def test_redact_masks_names_in_event_text(sample_ws):
    report = PostmortemReport.load("INC-2025-01-15-payment", workspace=sample_ws, redact=True)
    text = report.timeline_table().plain()
    assert "alice" not in text.lower()
    assert "@bob" not in text
    assert "IC: the Incident Commander" in text


def test_a_postmortem_document_fills_whys_and_action_items(sample_ws):
    report = PostmortemReport.load("INC-2025-01-15-payment-service-outage", workspace=sample_ws)
    assert isinstance(report.root_cause(), Figure)
    assert report.root_cause_table().plain().splitlines()[-1] == (
        "W5 | Why didn't tests catch this? | Load tests didn't simulate error scenarios (only happy path). "
        "| testing | yes"
    )
    assert len(report.action_items_table().plain().splitlines()) == 7
    assert report.follow_up().plain() == "30-day review due: 2025-02-14\nAction items: 6"


def test_an_unknown_incident_or_audience_is_refused(sample_ws):
    with pytest.raises(WorkspaceError, match="no incident 'INC-x'"):
        PostmortemReport.load("INC-x", workspace=sample_ws)
    with pytest.raises(ValueError, match="audience must be 'internal' or 'external'"):
        PostmortemReport.load("INC-2025-01-15-payment", workspace=sample_ws, audience="public")


def test_an_empty_workspace_says_how_to_fill_it(tmp_path):
    with pytest.raises(WorkspaceError, match="no imported exports here; run `incident-toolkit demo`"):
        PostmortemReport.load("INC-1", workspace=tmp_path)
