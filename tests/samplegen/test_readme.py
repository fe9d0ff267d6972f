"""The sample README: one row per incident, under the id the linked workspace shows."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from toolkit.samplegen import SCENARIO, STORY, Incident, incident_id_for
from toolkit.samplegen.readme import ID_RULE, render_readme

README = Path(__file__).resolve().parents[2] / "data" / "sample" / "README.md"
JAN_9 = datetime(2025, 1, 9, 11, 15, tzinfo=UTC)  # 03:15 PST


@pytest.mark.parametrize(
    ("war_room", "postmortem_id", "service", "started", "want"),
    [
        ("incident-2025-01-15-payment", None, "payment-service", JAN_9, "INC-2025-01-15-payment"),
        (
            "inc_2025-01-30_push-notifications",
            None,
            "notifications",
            JAN_9,
            "INC-2025-01-30-push-notifications",
        ),
        (
            "incident_2025_02_06_Search_Autocomplete",
            None,
            "search",
            JAN_9,
            "INC-2025-02-06-search-autocomplete",
        ),
        ("incident-2025-03-01", None, "auth", JAN_9, "INC-2025-03-01"),
        ("incident-checkout-eu", None, "checkout", JAN_9, "INC-2025-01-09-checkout-eu"),
        ("incident-2025-01-15-payment", "PM-7", "payment-service", JAN_9, "INC-2025-01-15-payment"),
        (None, "INC-2025-01-09-email", "notifications", JAN_9, "INC-2025-01-09-email"),
        (None, None, "notifications", JAN_9, "INC-2025-01-09-notifications"),
        (None, None, "admin-console (internal)", JAN_9, "INC-2025-01-09-admin-console-internal"),
        (None, None, "auth", datetime(2025, 2, 20, 1, 0, tzinfo=UTC), "INC-2025-02-19-auth"),
    ],
    ids=[
        "war-room",
        "inc-underscores",
        "mixed-case-underscores",
        "date-only",
        "no-date-in-name",
        "war-room-beats-postmortem",
        "postmortem-id",
        "service-and-start",
        "service-slug",
        "start-in-team-time",
    ],
)
def test_incident_id_rule(
    war_room: str | None, postmortem_id: str | None, service: str, started: datetime, want: str
) -> None:
    assert incident_id_for(war_room, started=started, service=service, postmortem_id=postmortem_id) == want


@pytest.mark.parametrize("inc", SCENARIO, ids=[i.incident_id for i in SCENARIO])
def test_every_incident_file_states_the_id_of_the_rule(inc: Incident) -> None:
    assert inc.incident_id == incident_id_for(inc.channel, started=inc.started_at, service=inc.service)


def test_readme_lists_every_incident() -> None:
    text = README.read_text()
    assert text.encode() == render_readme(STORY)
    assert ID_RULE in text
    rows = [line.split(" | ") for line in text.splitlines() if line.startswith("| INC-")]
    assert [r[0].removeprefix("| ") for r in rows] == [i.incident_id for i in SCENARIO]
    payment = rows[2]
    assert payment == [
        "| INC-2025-01-15-payment",
        "payment-service",
        "SEV1",
        "SEV1",
        "SEV1",
        "2025-01-15 10:00",
        "2025-01-15 12:15",
        "incident-2025-01-15-payment",
        "PZ4F9WB",
        "p7m2x9k4q1zt",
        "2025-01-15-payment-service-outage.md |",
    ]
    assert rows[1][:8] == [
        "| INC-2025-01-09-notifications",
        "notifications",
        "-",
        "-",
        "SEV4",
        "2025-01-09 03:15",
        "2025-01-09 03:41",
        "-",
    ]
    assert [r[6] for r in rows if r[6] == "open"] == ["open"]
