"""One row per linked incident: fields from the source that knows best, and the decision tree."""

from __future__ import annotations

import polars as pl

from tests.timeline.records import at, event, incident, timeline


def test_the_sample_payment_incident_row(sample):
    row = sample.incidents.filter(pl.col("incident_id") == "INC-2025-01-15-payment").row(0, named=True)
    assert (row["title"], row["severity"], row["declared_severity"], row["status"], row["service"]) == (
        "Payment Service Outage",
        "SEV1",
        "SEV1",
        "resolved",
        "payment-service",
    )
    assert row["war_room"] == "incident-2025-01-15-payment"
    assert row["components"] == ["Payments API", "Checkout"]
    assert row["url"] == "https://acme.pagerduty.com/incidents/PZ4F9WB"
    assert len(row["records"]) == 4


def test_upgraded_and_downgraded_severities(sample):
    got = dict(
        sample.incidents.select("incident_id", pl.concat_list("declared_severity", "severity")).iter_rows()
    )
    assert got["INC-2025-01-23-auth"] == ["SEV2", "SEV1"]
    assert got["INC-2025-01-30-push-notifications"] == ["SEV2", "SEV3"]


def test_the_decision_tree_judges_the_stated_impact():
    doc = incident(
        "postmortem",
        "pm.md",
        "INC-9",
        title="Checkout down",
        started_at=at(21, 23, 35),
        users_affected_pct=30.0,
    )
    room = incident("slack", "C1", "INC-2025-01-21-checkout", severity="SEV3", declared_at=at(21, 23, 52))
    tl = timeline(
        [doc, room],
        [event("slack", "INC-2025-01-21-checkout", at(21, 23, 52), "declare", severity="SEV3")],
        links=[
            {
                "incident_id": "INC-2025-01-21-checkout",
                "source": "postmortem",
                "ref": "pm.md",
                "method": "manual",
            }
        ],
    )
    row = tl.incidents.row(0, named=True)
    assert (row["severity"], row["computed_severity"], row["severity_reason"]) == (
        "SEV3",
        "SEV1",
        "users affected 30% >= 25%",
    )


def test_an_impact_outside_0_100_is_not_judged():
    doc = incident("postmortem", "pm.md", "INC-9", title="x", started_at=at(1, 1), users_affected_pct=130.0)
    row = timeline([doc], []).incidents.row(0, named=True)
    assert row["computed_severity"] is None
    assert row["severity_reason"].startswith("not judged: percent_users_affected")
