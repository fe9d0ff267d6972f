"""The PagerDuty importer on the committed sample against the scenario's ground truth.

Every paged incident of ``toolkit.samplegen.SCENARIO`` (its ``[pagerduty]`` table and
``[times]``) is compared with what ``load_pagerduty`` reads from ``data/sample/pagerduty``:
the vendor incident (``pagerduty_incidents``), the core incident every later layer reads,
first acknowledgement and resolution, escalations, who was paged, the people, and the log
entries one by one.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from toolkit.importers.pagerduty import PagerDutyData, load_pagerduty
from toolkit.samplegen import SCENARIO, STORY, Incident

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "pagerduty"
PAGED = [i for i in SCENARIO if i.paging is not None]

# what the log entries become on the timeline (events.kind)
EVENT_KIND = {
    "trigger": "alert",
    "notify": "page",
    "escalate": "escalate",
    "acknowledge": "acknowledge",
    "annotate": "note",
    "resolve": "resolve",
}


@pytest.fixture(scope="module")
def pd() -> PagerDutyData:
    return load_pagerduty(SAMPLE)


def _row(pd: PagerDutyData, inc: Incident) -> dict[str, object]:
    assert inc.paging is not None
    rows = pd.pagerduty_incidents.filter(pl.col("pd_incident_id") == inc.paging.pd_id)
    assert rows.height == 1, inc.incident_id
    return rows.row(0, named=True)


def test_one_pagerduty_incident_per_paged_incident(pd: PagerDutyData) -> None:
    assert sorted(pd.pagerduty_incidents["pd_incident_id"]) == sorted(
        i.paging.pd_id for i in PAGED if i.paging
    )
    assert sorted(pd.incidents["ref"]) == sorted(pd.pagerduty_incidents["pd_incident_id"])
    assert len(PAGED) == 11
    assert pd.rejected.height == 0


@pytest.mark.parametrize("inc", PAGED, ids=[i.incident_id for i in PAGED])
def test_incident(pd: PagerDutyData, inc: Incident) -> None:
    paging = inc.paging
    assert paging is not None
    row = _row(pd, inc)
    trigger, ack, res = paging.first("trigger"), paging.first("acknowledge"), paging.first("resolve")
    assert trigger is not None
    assert (row["incident_number"], row["title"], row["urgency"], row["priority"]) == (
        paging.number,
        paging.title,
        paging.urgency,
        paging.priority,
    )
    assert row["service"] == STORY.service(inc.service).display
    assert row["status"] == ("resolved" if res else "acknowledged" if ack else "triggered")
    assert row["created_at"] == trigger.at == inc.detected_at
    assert row["first_ack_at"] == inc.acknowledged_at == (ack.at if ack else None)
    assert row["resolved_at"] == (res.at if res else None)
    assert row["seconds_to_first_ack"] == (int((ack.at - trigger.at).total_seconds()) if ack else None)
    assert row["seconds_to_resolve"] == (int((res.at - trigger.at).total_seconds()) if res else None)
    assert row["escalation_count"] == sum(e.type == "escalate" for e in paging.entries)
    notified = {STORY.person(e.who).real_name for e in paging.entries if e.type == "notify" and e.who}
    assert set(row["assignees"]) == notified
    assert row["acknowledgers"] == ([STORY.person(ack.who).real_name] if ack and ack.who else [])


@pytest.mark.parametrize("inc", PAGED, ids=[i.incident_id for i in PAGED])
def test_core_incident(pd: PagerDutyData, inc: Incident) -> None:
    """The row later layers read: the page's milestones, nothing it cannot know."""
    paging = inc.paging
    assert paging is not None
    rows = pd.incidents.filter(pl.col("ref") == paging.pd_id)
    assert rows.height == 1
    row = rows.row(0, named=True)
    res = paging.first("resolve")
    assert (row["source"], row["title"], row["service"]) == ("pagerduty", paging.title, inc.service)
    assert row["status"] == ("open" if inc.is_open else "resolved")
    assert row["detected_at"] == inc.detected_at
    assert row["acknowledged_at"] == inc.acknowledged_at
    assert row["resolved_at"] == (res.at if res else None)  # the page's resolve, after the declared one
    assert (row["started_at"], row["declared_at"], row["mitigated_at"]) == (None, None, None)
    assert (row["severity"], row["computed_severity"]) == (None, None)


def test_people_are_the_paged_and_the_responders(pd: PagerDutyData) -> None:
    keys = {e.who for i in PAGED if i.paging for e in i.paging.entries if e.who}
    assert sorted(pd.people["name"]) == sorted(STORY.person(k).real_name for k in keys)
    assert not any(pd.people["is_bot"])
    # listed disagreement: the person's ref is the name, not the PagerDuty user id of the export
    assert list(pd.people.select("ref").to_series()) == list(pd.people["name"])
    assert {STORY.person(k).pd_id for k in keys} == {
        "PALICE7",
        "PBOBM42",
        "PDAVEK9",
        "PERINO5",
        "PFRANK8",
        "PJUDYA4",
        "PKENJI1",
    }


@pytest.mark.parametrize("inc", PAGED, ids=[i.incident_id for i in PAGED])
def test_log_entries_one_by_one(pd: PagerDutyData, inc: Incident) -> None:
    paging = inc.paging
    assert paging is not None
    got = pd.log_entries.filter(pl.col("pd_incident_id") == paging.pd_id).sort("at")
    want = [(e.at, e.type, e.level) for e in paging.entries]
    assert list(got.select("at", "type", "escalation_level").iter_rows()) == want
    notified = [
        STORY.person(e.who).real_name if e.who else None for e in paging.entries if e.type == "notify"
    ]
    assert got.filter(pl.col("type") == "notify")["notified_user"].to_list() == notified
    notes = [e.note for e in paging.entries if e.type == "annotate"]
    assert got.filter(pl.col("type") == "annotate")["summary"].to_list() == notes
    res = paging.first("resolve")
    if res is not None:  # the notifications page resolved itself through the API
        agent = got.filter(pl.col("type") == "resolve").row(0, named=True)
        assert agent["agent_kind"] == ("service" if res.who is None else "user")


@pytest.mark.parametrize("inc", PAGED, ids=[i.incident_id for i in PAGED])
def test_events_per_kind(pd: PagerDutyData, inc: Incident) -> None:
    paging = inc.paging
    assert paging is not None
    got = pd.events.filter(pl.col("ref").is_in(_entry_ids(pd, paging.pd_id)))
    counts = dict(got.group_by("kind").len().iter_rows())
    want: dict[str, int] = {}
    for e in paging.entries:
        want[EVENT_KIND[e.type]] = want.get(EVENT_KIND[e.type], 0) + 1
    assert counts == want
    assert sorted(got["at"]) == [e.at for e in paging.entries]


def _entry_ids(pd: PagerDutyData, pd_id: str) -> list[str]:
    return pd.log_entries.filter(pl.col("pd_incident_id") == pd_id)["entry_id"].to_list()


def test_crosscheck_reports_exactly_the_deliberate_analytics_disagreement(pd: PagerDutyData) -> None:
    want = [
        (i.paging.pd_id, field, str(sum(e.type == "escalate" for e in i.paging.entries)), str(value))
        for i in PAGED
        if i.paging
        for field, value in i.paging.analytics_overrides
    ]
    assert want == [("PM2V8JQ", "escalation_count", "1", "2")]
    assert list(pd.crosscheck.iter_rows()) == want


def test_open_and_auto_resolved_pages(pd: PagerDutyData) -> None:
    """The open SSO page is acknowledged only; the night-time email page resolved itself."""
    vendor = pd.pagerduty_incidents
    by_status = dict(vendor.group_by("status").len().iter_rows())
    assert by_status == {"resolved": 10, "acknowledged": 1}
    open_ids = [i.paging.pd_id for i in PAGED if i.paging and i.is_open]
    assert vendor.filter(pl.col("status") == "acknowledged")["pd_incident_id"].to_list() == open_ids
    never_acked = [i.paging.pd_id for i in PAGED if i.paging and i.acknowledged_at is None]
    assert vendor.filter(pl.col("first_ack_at").is_null())["pd_incident_id"].to_list() == never_acked
