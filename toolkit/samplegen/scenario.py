"""SCENARIO: the ground truth of the small sample, 13 incidents from 2025-01-06 to 2025-02-19.

=====================  ========  ========  ====  =====================================
incident_id            service   declared  true  quirk
=====================  ========  ========  ====  =====================================
INC-20250106-1412      search    SEV2      SEV2  baseline, war room archived
INC-20250109-0320      notif.    -         SEV4  PagerDuty only, auto-resolved
INC-20250115-1005      payment   SEV1      SEV1  the seed's incident, exact timeline
INC-20250121-1552      checkout  SEV3      SEV1  mis-declared (30% of users)
INC-20250123-0914      auth      SEV2      SEV1  upgraded; 50-minute silence
INC-20250128-1031      api-gw    SEV2      SEV2  promised 11:00 update missed
INC-20250130-0748      notif.    SEV2      SEV3  downgraded; ``inc_`` channel
INC-20250204-1120      admin     SEV4      SEV4  no updates, Slack thread only
INC-20250206-1405      search    SEV3      SEV3  Slack only
INC-20250211-0936      payment   SEV2      SEV2  first-time IC
INC-20250213-0624      api-gw    SEV1      SEV1  escalated page, 15-min cadence
INC-20250218-1122      checkout  SEV2      SEV2  rollback
INC-20250219-1435      auth      SEV2      SEV2  still open
=====================  ========  ========  ====  =====================================
"""

from __future__ import annotations

from datetime import UTC, datetime

from . import story_early, story_last, story_late, story_mid, story_payment
from ._kit import messages_on
from .model import Incident, Message

EXPORT_AT = datetime(2025, 2, 20, 0, 30, tzinfo=UTC)
"""When the exports were taken (16:30 PST on 2025-02-19); the open incident is open then."""

SCENARIO: tuple[Incident, ...] = (
    story_early.SEARCH_LATENCY,
    story_early.EMAIL_QUEUE,
    story_payment.INCIDENT,
    story_early.CHECKOUT_FLAG,
    *story_mid.INCIDENTS,
    *story_late.INCIDENTS,
    *story_last.INCIDENTS,
)
"""The incidents of the small sample, in order of ``started_at`` of their alert/report."""

BY_ID: dict[str, Incident] = {i.incident_id: i for i in SCENARIO}

_g6 = messages_on((2025, 1, 6), "general")
_g22 = messages_on((2025, 1, 22), "general")
_d10 = messages_on((2025, 1, 10), "deploys")
_d3 = messages_on((2025, 2, 3), "deploys")

CHATTER: tuple[Message, ...] = (
    messages_on((2025, 1, 6), "incidents")(
        "08:00",
        "alice",
        "Declare here, then move to a war room #incident-YYYY-MM-DD-service | IC rotation in the wiki",
        subtype="channel_topic",
    ),
    _g6(
        "09:00:00",
        "lena",
        "Welcome back & happy 2025! Reminder: R&D offsite Jan 29-30 -> "
        "details in [the wiki](https://wiki.acme.example/offsite)",
    ),
    _g6(
        "09:02:30",
        "alice",
        "Also: new IC rotation starts today, see #incidents for the how-to",
        reactions=(("+1", ("bob", "dave", "erin")),),
    ),
    _g6("16:30:00", "oscar", "Last day today - thanks all, it's been a blast! <3"),
    _d10(
        "13:20:00", "deploy-bot", "search v2.3.0 deployed to prod by @grace: 6/6 pods healthy", kind="deploy"
    ),
    _g22(
        "13:00:00",
        "alice",
        "Sharing the learnings from the Jan 15 payment outage at today's "
        "Engineering All-Hands (2 PM). Post-mortem: [2025-01-15 payment-service outage]"
        "(https://docs.acme.example/postmortems/2025-01-15-payment-service-outage)",
    ),
    _d3("10:15:00", "deploy-bot", "auth v5.2.0 deployed to prod by @judy: 12/12 pods healthy", kind="deploy"),
)
"""Messages outside any incident: #general, unrelated deploys, the #incidents topic."""


def all_messages() -> tuple[Message, ...]:
    """Every Slack message of the sample: the incidents' and the chatter."""
    return tuple(m for i in SCENARIO for m in i.messages) + CHATTER
