"""February 4-11: a SEV4 with no updates, a Slack-only SEV3, and a first-time IC's SEV2."""

from __future__ import annotations

from ._kit import clock, messages_on, pages_on, updates_on
from .model import Incident, Paging, SeverityInputs, StatusIncident

PIN = (("pushpin", ("dave",)),)
WATCH = (("stopwatch", ("carol",)),)

# --- 2025-02-04: internal admin console slow, SEV4, one #incidents thread -------------
D8 = (2025, 2, 4)
t8, m8 = clock(D8), messages_on(D8, "incidents")

ADMIN_SLOW = Incident(
    incident_id="INC-20250204-1120",
    title="Internal admin console slow",
    service="admin-console",
    declared_severity="SEV4",
    final_severity="SEV4",
    inputs=SeverityInputs(),
    commander="grace",
    roles=(("IC", "grace"),),
    started_at=t8("10:50"),
    detected_at=t8("11:15"),
    declared_at=t8("11:20"),
    acknowledged_at=None,
    mitigated_at=t8("13:05"),
    resolved_at=t8("13:05"),
    mitigation="other",
    channel=None,
    sources=("slack",),
    quirks=("SEV4 with no updates: declared and resolved in one #incidents thread, no war room",),
    messages=(
        m8("11:15:00", "dave", "is the admin console crawling for anyone else? 10s+ page loads"),
        m8(
            "11:20:00",
            "grace",
            "SEV4: admin-console (internal) slow - ~10s page loads. No "
            "customer impact. I'm IC, tracking in this thread.",
            kind="declare",
            key="sev4",
        ),
        m8(
            "13:05:00",
            "grace",
            "resolved - a stuck reporting cron job was hammering the admin DB; "
            "killed it and added a timeout.",
            kind="resolve",
            reply_to="sev4",
        ),
        m8("13:06:00", "dave", "thanks!", reply_to="sev4", reactions=(("pray", ("grace",)),)),
    ),
)

# --- 2025-02-06: stale autocomplete, Slack only (no page, no status page) -------------
D9 = (2025, 2, 6)
W9 = "incident-2025-02-06-search-autocomplete"
t9, m9 = clock(D9), messages_on(D9, W9)

AUTOCOMPLETE = Incident(
    incident_id="INC-20250206-1405",
    title="Search autocomplete serving stale suggestions",
    service="search",
    declared_severity="SEV3",
    final_severity="SEV3",
    inputs=SeverityInputs(percent_users_affected=2, non_critical_feature_broken=True),
    commander="grace",
    roles=(("IC", "grace"), ("TL", "frank")),
    started_at=clock((2025, 1, 30))("06:00"),
    detected_at=t9("13:58"),
    declared_at=t9("14:05"),
    acknowledged_at=None,
    mitigated_at=t9("15:38"),
    resolved_at=t9("16:20"),
    mitigation="hotfix",
    channel=W9,
    sources=("slack",),
    quirks=(
        "Slack only: found by support, never paged, never posted to the status page",
        "impact began a week before detection (suggestion index stale since Jan 30)",
        "resolution and a thread reply land after midnight UTC (2025-02-07.json)",
    ),
    messages=(
        m9(
            "13:58:00",
            "heidi",
            "Customers say search autocomplete suggests discontinued products "
            "(screenshots in ticket 48213). Is that known?",
            channel="incidents",
            key="report",
        ),
        m9("14:01:00", "grace", "Not known - looking", channel="incidents", reply_to="report"),
        *(
            m9(f"14:04:{30 + i}", who, "", subtype="channel_join")
            for i, who in enumerate(("grace", "heidi", "frank"))
        ),
        m9(
            "14:05:00",
            "grace",
            "SEV3 declared - I'm the Incident Commander. Autocomplete serves "
            "stale suggestions (index from Jan 30); ~2% of users click them and hit 'product "
            "unavailable'. Search itself works.\nTechnical Lead: @frank\nNext update: 3:05 PM",
            kind="declare",
            pinned_by="grace",
        ),
        m9(
            "14:20:00",
            "frank",
            "The suggestion index build has failed every night since Jan 30 - "
            "schema change in the product feed. One-line mapping fix; hotfix rather than rollback "
            "(the feed change can't be reverted).",
        ),
        m9(
            "14:50:00",
            "frank",
            "Hotfix merged, rebuilding the suggestion index (~45 min)",
            kind="mitigation",
            reactions=(("pushpin", ("grace",)),),
        ),
        m9(
            "14:52:00",
            "deploy-bot",
            "search-suggest v1.14.3 deployed to prod by @frank (hotfix)",
            channel="deploys",
            kind="deploy",
        ),
        m9(
            "15:05:00",
            "grace",
            "Update 3:05 PM - hotfix deployed, index rebuild 40% done. Next update: 4:05 PM or on resolution",
            kind="update",
        ),
        m9("15:38:00", "frank", "Index rebuilt & swapped, suggestions are fresh", kind="mitigation"),
        m9("16:20:00", "grace", "resolved", kind="resolve"),
        m9(
            "16:21:00",
            "heidi",
            "Confirmed with the customer, all good now :pray:",
            channel="incidents",
            reply_to="report",
        ),
    ),
)

# --- 2025-02-11: payment webhooks delayed for enterprise merchants (SEV2) -------------
D10 = (2025, 2, 11)
W10 = "incident-2025-02-11-payment-webhooks"
t10, m10, p10, u10 = clock(D10), messages_on(D10, W10), pages_on(D10), updates_on(D10)

WEBHOOK_DECLARATION = """\
🚨 SEV2 INCIDENT DECLARED 🚨
**System:** Payment webhooks (payment-service)
**Impact:** webhook deliveries delayed 20+ min for enterprise merchants (Globex & 3 others), \
~3% of merchants
**Started:** 9:12 AM PST
**Roles:**
- IC: @dave
- TL: @erin
- Comms: @carol
**Status:** Investigating
**ETA:** Next update in 30 minutes (10:05 AM)"""

WEBHOOKS = Incident(
    incident_id="INC-20250211-0936",
    title="Payment webhooks delayed for enterprise merchants",
    service="payment-service",
    declared_severity="SEV2",
    final_severity="SEV2",
    inputs=SeverityInputs(percent_users_affected=3, critical_customer_affected=True),
    commander="dave",
    roles=(("IC", "dave"), ("TL", "erin"), ("Comms", "carol")),
    started_at=t10("09:12"),
    detected_at=t10("09:20:40"),
    declared_at=t10("09:36"),
    acknowledged_at=t10("09:24:10"),
    mitigated_at=t10("10:32"),
    resolved_at=t10("11:30"),
    mitigation="restart",
    channel=W10,
    sources=("slack", "pagerduty", "statuspage"),
    quirks=(
        "first-time IC (Dave) shadowed by Alice; cadence kept every 30 min",
        "an enterprise customer's report arrives before the declaration",
    ),
    messages=(
        m10(
            "09:20:40",
            "pagerduty",
            "",
            channel="incidents",
            kind="alert",
            attachment="Triggered #1048: payment-service: Webhook delivery lag > 15 min",
        ),
        m10(
            "09:31:00",
            "heidi",
            "Globex (enterprise) says payment webhooks are 20+ min late and their order pipeline is stalled",
            channel="incidents",
        ),
        *(
            m10(f"09:35:{30 + i}", who, "", subtype="channel_join")
            for i, who in enumerate(("dave", "erin", "carol", "alice"))
        ),
        m10(
            "09:36:00",
            "dave",
            WEBHOOK_DECLARATION,
            kind="declare",
            pinned_by="alice",
            reactions=(("pushpin", ("alice",)),),
        ),
        m10("09:38:00", "alice", "@dave shout if you need help, I'm shadowing"),
        m10(
            "09:45:20",
            "carol",
            "Status page: *Investigating* - delayed payment webhooks",
            kind="status_update",
            reactions=WATCH,
        ),
        m10(
            "09:52:00",
            "erin",
            "2 of 6 webhook consumers wedged since the broker upgrade at 9:10; lag 25 min and growing",
        ),
        m10(
            "10:05:00",
            "dave",
            "📋 UPDATE #2 - 10:05 AM\n**Investigation:** 2/6 webhook consumers "
            "stuck after the broker upgrade\n**Mitigation:** restart consumers + scale to 12 to "
            "drain the backlog\n**Next update:** 10:35 AM",
            kind="update",
        ),
        m10(
            "10:08:00",
            "erin",
            "Restarting consumers & scaling to 12 replicas "
            "(`kubectl scale deployment/webhook-consumer --replicas=12`)",
            kind="mitigation",
            reactions=(("pushpin", ("alice",)),),
        ),
        m10("10:10:20", "carol", "Status page -> *Identified*", kind="status_update"),
        m10("10:32:00", "erin", "Backlog drained, lag < 30s", kind="mitigation"),
        m10(
            "10:35:00",
            "dave",
            "📋 UPDATE #3 - 10:35 AM\n**Status:** backlog drained, webhook lag "
            "< 30s\n**Next update:** 11:05 AM or on resolution",
            kind="update",
        ),
        m10("10:40:30", "carol", "Status page -> *Monitoring*", kind="status_update"),
        m10(
            "11:05:00",
            "dave",
            "📋 UPDATE #4 - 11:05 AM\n**Status:** stable, Globex confirms "
            "webhooks arrive in real time\n**Next update:** 11:30 AM",
            kind="update",
        ),
        m10(
            "11:30:00",
            "dave",
            "✅ INCIDENT RESOLVED - 11:30 AM\n**Duration:** 2h 18m (9:12 AM - "
            "11:30 AM PST)\n**Impact:** webhook deliveries to enterprise merchants delayed up to "
            "48 min\n**Resolution:** restarted & scaled webhook consumers; broker client pinned",
            kind="resolve",
        ),
        m10("11:30:40", "carol", "Status page -> *Resolved*", kind="status_update"),
        m10(
            "11:31:05",
            "pagerduty",
            "",
            channel="incidents",
            kind="resolve",
            attachment="Resolved #1048: payment-service: Webhook delivery lag > 15 min",
        ),
    ),
    paging=Paging(
        pd_id="PB7L2XD",
        number=1048,
        title="payment-service: Webhook delivery lag > 15 min",
        urgency="high",
        priority="P2",
        entries=(
            p10("09:20:40", "trigger"),
            p10("09:20:45", "notify", "erin", "push_notification"),
            p10("09:24:10", "acknowledge", "erin", "mobile"),
            p10("09:37:00", "annotate", "dave", "SEV2 declared, IC Dave Kim"),
            p10("11:31:00", "resolve", "dave", "web_ui"),
        ),
    ),
    status_page=StatusIncident(
        sp_id="w8b3h6k2m9px",
        name="Delayed payment webhooks",
        impact="minor",
        updates=(
            u10(
                "09:45:00",
                "investigating",
                "Some merchants are receiving payment webhooks with a delay. We are investigating.",
                payments="degraded_performance",
            ),
            u10(
                "10:10:00",
                "identified",
                "We have identified the cause and are processing the backlog.",
                payments="degraded_performance",
            ),
            u10(
                "10:40:00",
                "monitoring",
                "Webhooks are delivered in real time again. We are monitoring.",
                payments="operational",
            ),
            u10("11:30:30", "resolved", "This incident has been resolved.", payments="operational"),
        ),
    ),
)

INCIDENTS = (ADMIN_SLOW, AUTOCOMPLETE, WEBHOOKS)
