"""What the sample's own source tables say about the payment outage beyond the timeline."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.comms.conftest import PAYMENT
from toolkit.comms.records import read_records, records
from toolkit.workspace import Workspace


def test_the_payment_outage_records(ws: Workspace) -> None:
    rec = read_records(ws, ws.timeline().links, PAYMENT)
    assert [(p.at.strftime("%H:%M"), p.phase) for p in rec.posts] == [
        ("18:08", "investigating"),
        ("18:15", "identified"),
        ("18:30", "identified"),
        ("18:45", "monitoring"),
        ("20:15", "resolved"),
    ]
    assert rec.posts[1].body.startswith("We have identified a database issue affecting checkout.")
    assert rec.public_title == "Payment service disruption affecting checkout"
    assert rec.public_components == ("Payments API", "Checkout")
    assert rec.public_link == "https://stspg.io/g587hvricvvz"
    assert rec.public_postmortem is not None
    assert rec.public_postmortem.at == datetime(2025, 1, 17, 23, 0, 0, 43000, tzinfo=UTC)
    assert rec.alert_titles == ("payment-service: Payment API error rate > 10%",)
    assert len(rec.postmortem_rows) == 15
    assert rec.postmortem_rows[3].text == "IC (Alice) declared SEV1, assembled team"


def test_an_incident_of_one_source(ws: Workspace) -> None:
    rec = read_records(ws, ws.timeline().links, "INC-2025-02-04-admin-console")
    assert rec == records({}, ws.timeline().links.clear(), "x")  # nothing beyond the war-room thread
