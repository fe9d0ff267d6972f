"""Linking: each method, manual links and unlinks, and the sample's 13 incidents."""

from __future__ import annotations

import polars as pl
import pytest

from tests.timeline.records import at, event, incident, tables, timeline
from toolkit.policy import Policy
from toolkit.samplegen.scenario import SCENARIO
from toolkit.timeline import Timeline
from toolkit.timeline.link import link

ROOM = incident(
    "slack",
    "C1",
    "INC-2025-01-15-payment",
    service="payment-service",
    declared_at=at(15, 18, 5),
    resolved_at=at(15, 20, 15),
)
PD = incident(
    "pagerduty",
    "PZ4F9WB",
    "PD-PZ4F9WB",
    service="payment-service",
    detected_at=at(15, 18),
    resolved_at=at(15, 20, 15, 20),
)
ROOM_EVENTS = [event("slack", "INC-2025-01-15-payment", at(15, 18, 5), "declare", "SEV1 declared")]
PD_EVENTS = [event("pagerduty", "PD-PZ4F9WB", at(15, 18), "alert", "Triggered")]


def methods(tl: Timeline) -> dict[tuple[str, str], tuple[str, str]]:
    return {(r["source"], r["ref"]): (r["incident_id"], r["method"]) for r in tl.links.iter_rows(named=True)}


def test_a_note_naming_the_war_room_is_a_reference():
    note = event(
        "pagerduty", "PD-PZ4F9WB", at(15, 18, 6), "note", "War room #incident-2025-01-15-payment, IC Alice"
    )
    pd = {**PD, "service": "billing"}  # a service the war room does not name: no time+service link
    tl = timeline(
        [ROOM, pd],
        [*ROOM_EVENTS, *PD_EVENTS, note],
        slack_channels=[{"channel_id": "C1", "channel": "incident-2025-01-15-payment"}],
    )
    got = methods(tl)
    assert got[("pagerduty", "PZ4F9WB")] == ("INC-2025-01-15-payment", "reference")
    row = tl.links.filter(pl.col("source") == "pagerduty").row(0, named=True)
    assert row["confidence"] == 0.95
    assert "names #incident-2025-01-15-payment" in row["evidence"]


@pytest.mark.parametrize(
    ("text", "target", "confidence"),
    [
        ("see https://acme.pagerduty.com/incidents/PZ4F9WB", ("pagerduty", "PZ4F9WB"), 1.0),
        ("paged: PagerDuty #1043", ("pagerduty", "PZ4F9WB"), 0.9),
        ("posted https://status.acme.example/incidents/p7m2x9k4q1zt", ("statuspage", "pg/p7m2x9k4q1zt"), 1.0),
        ("shortlink https://stspg.io/g587hvricvvz", ("statuspage", "pg/p7m2x9k4q1zt"), 1.0),
        ("tracking as SP-pg-p7m2x9k4q1zt", ("statuspage", "pg/p7m2x9k4q1zt"), 1.0),
    ],
    ids=["pd-url", "pd-number", "sp-url", "sp-shortlink", "incident-id"],
)
def test_explicit_references_in_war_room_text(text, target, confidence):
    sp = incident(
        "statuspage",
        "pg/p7m2x9k4q1zt",
        "SP-pg-p7m2x9k4q1zt",
        service="Billing portal",
        started_at=at(15, 18),
        resolved_at=at(15, 20),
    )
    pd = {**PD, "service": "billing"}
    msg = event("slack", "INC-2025-01-15-payment", at(15, 18, 8), "message", text)
    tl = timeline(
        [ROOM, pd, sp],
        [*ROOM_EVENTS, *PD_EVENTS, msg],
        pagerduty_incidents=[{"pd_incident_id": "PZ4F9WB", "incident_number": 1043}],
        statuspage_incidents=[
            {
                "page": "pg",
                "incident_ref": "p7m2x9k4q1zt",
                "shortlink": "https://stspg.io/g587hvricvvz",
                "components": [],
            }
        ],
    )
    linked = tl.links.filter((pl.col("source") == target[0]) & (pl.col("ref") == target[1])).row(
        0, named=True
    )
    assert (linked["incident_id"], linked["method"], linked["confidence"]) == (
        "INC-2025-01-15-payment",
        "reference",
        confidence,
    )


def test_a_reference_to_last_months_war_room_links_nothing():
    doc = incident(
        "postmortem",
        "pm.md",
        "INC-2025-02-20-db",
        title="DB",
        started_at=at(20, 9, month=2),
        resolved_at=at(20, 10, month=2),
    )
    says = event(
        "postmortem", "INC-2025-02-20-db", at(20, 9, month=2), "note", "like #incident-2025-01-15-payment"
    )
    tl = timeline(
        [ROOM, doc],
        [*ROOM_EVENTS, says],
        slack_channels=[{"channel_id": "C1", "channel": "incident-2025-01-15-payment"}],
    )
    assert tl.incidents.height == 2
    assert set(tl.links["method"]) == {"self"}


def test_naming_links_a_war_room_and_a_post_mortem_of_the_same_day():
    doc = incident(
        "postmortem",
        "2025-01-15-payment-service-outage.md",
        "INC-2025-01-15-payment-service-outage",
        title="Payment Service Outage",
        service="Checkout flow",
        started_at=at(16, 2),
        resolved_at=at(16, 3),
    )
    tl = timeline([ROOM, doc], ROOM_EVENTS)  # windows apart: only the name links them
    assert methods(tl)[("postmortem", "2025-01-15-payment-service-outage.md")] == (
        "INC-2025-01-15-payment",
        "name",
    )


def test_naming_needs_every_word_of_the_war_room():
    room = {**ROOM, "incident_id": "INC-2025-01-15-payment-webhooks"}
    doc = incident(
        "postmortem", "pm.md", "INC-2025-01-15-payment-outage", title="Payment outage", started_at=at(16, 2)
    )
    assert timeline([room, doc], []).incidents.height == 2


def test_time_overlap_and_a_service_alias_link_sso_and_auth():
    room = incident("slack", "C9", "INC-2025-02-19-sso", service="sso", declared_at=at(19, 22, 35, month=2))
    pd = incident("pagerduty", "PE2Y7MF", "PD-PE2Y7MF", service="auth", detected_at=at(19, 22, 22, month=2))
    sp = incident("statuspage", "s3", "SP-s3", service="Login & SSO", started_at=at(19, 22, 10, month=2))
    evs = [
        event("slack", "INC-2025-02-19-sso", at(19, 23, 50, month=2), "update"),
        event("pagerduty", "PD-PE2Y7MF", at(19, 23, 50, month=2), "note"),
        event("statuspage", "SP-s3", at(19, 23, 55, month=2), "status_update"),
    ]
    tl = timeline([room, pd, sp], evs)
    assert tl.incidents["incident_id"].to_list() == ["INC-2025-02-19-sso"]
    assert tl.incidents["service"].to_list() == ["auth"]
    assert set(tl.links["method"]) == {"time+service"}
    assert tl.links["confidence"].min() > 0.5


def test_time_overlap_without_a_common_service_links_nothing():
    other = incident(
        "pagerduty", "PX", "PD-PX", service="search", detected_at=at(15, 18, 1), resolved_at=at(15, 19)
    )
    assert timeline([ROOM, other], ROOM_EVENTS).incidents.height == 2


def test_two_war_rooms_are_never_one_incident():
    twin = incident(
        "slack",
        "C2",
        "INC-2025-01-15-payment-db",
        service="payment-service",
        declared_at=at(15, 18, 6),
        resolved_at=at(15, 20),
    )
    tl = timeline([ROOM, twin, PD], [*ROOM_EVENTS, *PD_EVENTS])
    assert tl.incidents.height == 2
    assert tl.links.filter(pl.col("source") == "pagerduty")["incident_id"].to_list() == [
        "INC-2025-01-15-payment"
    ]


def test_a_record_that_links_nowhere_stays_its_own_incident():
    lone = incident(
        "pagerduty",
        "P8N2KRT",
        "PD-P8N2KRT",
        service="notifications",
        detected_at=at(9, 11, 20),
        resolved_at=at(9, 11, 41),
    )
    tl = timeline([lone], [event("pagerduty", "PD-P8N2KRT", at(9, 11, 20), "alert")])
    assert tl.links.select("incident_id", "method", "confidence").row(0) == (
        "INC-2025-01-09-notifications",
        "self",
        1.0,
    )


def test_a_manual_link_wins_and_names_the_incident():
    stray = incident("pagerduty", "PQ", "PD-PQ", service="search", detected_at=at(3, 1), resolved_at=at(3, 2))
    manual = [
        {
            "incident_id": "INC-2025-01-15-payment",
            "source": "pagerduty",
            "ref": "PQ",
            "method": "manual",
            "confidence": 1.0,
        },
    ]
    tl = timeline([ROOM, stray], ROOM_EVENTS, links=manual)
    got = methods(tl)
    assert got[("pagerduty", "PQ")] == ("INC-2025-01-15-payment", "manual")
    assert tl.incidents.height == 1


def test_an_unlink_keeps_a_record_out_of_automatic_links():
    unlink = [
        {
            "incident_id": "INC-2025-01-15-payment",
            "source": "pagerduty",
            "ref": "PZ4F9WB",
            "method": "unlink",
            "confidence": 1.0,
        }
    ]
    before = timeline([ROOM, PD], [*ROOM_EVENTS, *PD_EVENTS])
    after = timeline([ROOM, PD], [*ROOM_EVENTS, *PD_EVENTS], links=unlink)
    assert before.incidents.height == 1
    assert sorted(after.incidents["incident_id"]) == [
        "INC-2025-01-15-payment",
        "INC-2025-01-15-payment-service",
    ]
    assert methods(after)[("pagerduty", "PZ4F9WB")] == ("INC-2025-01-15-payment-service", "self")


def test_link_returns_records_links_and_aliases():
    got = link(tables([ROOM, PD], [*ROOM_EVENTS, *PD_EVENTS]), policy=Policy.default())
    assert got.aliases.filter(pl.col("kind") == "source").select("alias", "incident_id").sort(
        "alias"
    ).rows() == [
        ("INC-2025-01-15-payment", "INC-2025-01-15-payment"),
        ("PD-PZ4F9WB", "INC-2025-01-15-payment"),
    ]
    assert set(got.records["linked_id"]) == {"INC-2025-01-15-payment"}


# --- the bundled sample ------------------------------------------------------------------

SAMPLE_SOURCES = {
    "INC-2025-01-06-search": ["slack", "pagerduty", "statuspage"],
    "INC-2025-01-09-notifications": ["pagerduty"],
    "INC-2025-01-15-payment": ["slack", "pagerduty", "statuspage", "postmortem"],
    "INC-2025-01-21-checkout": ["slack", "pagerduty", "statuspage"],
    "INC-2025-01-23-auth": ["slack", "pagerduty", "statuspage", "postmortem"],
    "INC-2025-01-28-api-gateway": ["slack", "pagerduty", "statuspage", "postmortem"],
    "INC-2025-01-30-push-notifications": ["slack", "pagerduty", "statuspage"],
    "INC-2025-02-04-admin-console": ["slack"],
    "INC-2025-02-06-search-autocomplete": ["slack"],
    "INC-2025-02-11-payment-webhooks": ["slack", "pagerduty", "statuspage"],
    "INC-2025-02-13-api-gateway": ["slack", "pagerduty", "statuspage"],
    "INC-2025-02-18-checkout": ["slack", "pagerduty", "statuspage"],
    "INC-2025-02-19-sso": ["slack", "pagerduty", "statuspage"],
}
"""The linked ids by the rule (ids.py) applied to the scenario, with the sources it says."""


def test_the_sample_links_into_its_13_incidents_with_their_sources(sample):
    got = dict(sample.incidents.select("incident_id", "sources").iter_rows())
    assert got == SAMPLE_SOURCES
    truth = sorted(sorted(i.sources) for i in SCENARIO)
    assert sorted(sorted(s) for s in got.values()) == truth


def test_the_sample_links_by_every_automatic_method(sample):
    counts = dict(sample.links.group_by("method").len().iter_rows())
    assert counts == {"reference": 8, "name": 3, "time+service": 22, "self": 3}
    assert sample.links.height == 36
