"""January 6-21: search latency (SEV2), a PagerDuty-only page, and a mis-declared SEV3."""

from __future__ import annotations

from ._kit import clock, messages_on, pages_on, updates_on
from .model import Incident, Paging, SeverityInputs, StatusIncident

PIN = (("pushpin", ("dave",)),)
WATCH = (("stopwatch", ("carol",)),)

# --- 2025-01-06: search latency after an index merge (SEV2, kept cadence) --------------
D1 = (2025, 1, 6)
W1 = "incident-2025-01-06-search"
t1, m1, p1, u1 = clock(D1), messages_on(D1, W1), pages_on(D1), updates_on(D1)
archive = messages_on((2025, 1, 13), W1)

SEARCH_LATENCY = Incident(
    incident_id="INC-20250106-1412",
    title="Search latency degraded after index merge",
    service="search",
    declared_severity="SEV2",
    final_severity="SEV2",
    inputs=SeverityInputs(percent_users_affected=8, performance_degradation=60),
    commander="bob",
    roles=(("IC", "bob"), ("TL", "grace"), ("Comms", "carol"), ("Scribe", "dave")),
    started_at=t1("14:02"),
    detected_at=t1("14:06:05"),
    declared_at=t1("14:12"),
    acknowledged_at=t1("14:09:30"),
    mitigated_at=t1("14:52"),
    resolved_at=t1("15:40"),
    mitigation="scale_up",
    channel=W1,
    sources=("slack", "pagerduty", "statuspage"),
    quirks=(
        "baseline SEV2: cadence kept (updates 14:12, 14:45, 15:15, resolved 15:40)",
        "war room archived a week later (channel_archive, is_archived)",
    ),
    messages=(
        m1(
            "14:06:05",
            "pagerduty",
            "",
            channel="incidents",
            kind="alert",
            attachment="Triggered #1041: search: p95 latency > 2s",
        ),
        m1(
            "14:08:30",
            "grace",
            "search p95 is ~3.1s (normally 400ms). Started right after the 2:00 PM index merge. Looking.",
            channel="incidents",
        ),
        m1("14:11:30", "bob", "", subtype="channel_join"),
        m1("14:11:40", "grace", "", subtype="channel_join"),
        m1("14:11:41", "carol", "", subtype="channel_join"),
        m1("14:11:42", "dave", "", subtype="channel_join"),
        m1(
            "14:12:00",
            "bob",
            "SEV2 declared - I'm the Incident Commander. Search is ~60% slower "
            "for everyone and about 8% of searches time out. Workaround: category browsing works.\n"
            "Technical Lead: @grace\nComms: @carol\nScribe: @dave\n"
            "Next update in 30 minutes (2:45 PM).",
            kind="declare",
            pinned_by="dave",
            reactions=PIN,
        ),
        m1(
            "14:12:30",
            "bob",
            "SEV2 declared for search latency, war room #incident-2025-01-06-search",
            channel="incidents",
            kind="declare",
        ),
        m1(
            "14:20:10",
            "carol",
            "Status page: *Investigating* - search is slower than usual",
            kind="status_update",
            reactions=WATCH,
        ),
        m1(
            "14:25:00",
            "grace",
            "The merge kicked off a full reindex on all 6 nodes; CPU pegged at "
            "100%. Plan: scale search-api and rate limit the bulk reindex.",
            key="plan",
        ),
        m1("14:26:10", "bob", "sounds good, what's the ETA?", reply_to="plan"),
        m1("14:27:00", "grace", "~10 min for the new replicas to warm up", reply_to="plan"),
        m1("14:38:00", "carol", "Status page -> *Identified*", kind="status_update", reactions=WATCH),
        m1(
            "14:40:00",
            "bob",
            "Decision: scale up + rate limit. @grace go: "
            "`kubectl scale deployment/search-api --replicas=20` & reindex throttle 200 docs/s",
            kind="mitigation",
            reactions=PIN,
        ),
        m1(
            "14:45:00",
            "bob",
            "📋 UPDATE #2 - 2:45 PM\n**Mitigation:** scaling search-api 6 → 20 "
            "replicas, bulk reindex rate limited\n**Impact:** p95 2.4s and falling, ~8% timeouts\n"
            "**Next update:** 3:15 PM",
            kind="update",
        ),
        m1("14:52:00", "grace", "Scale-up done, p95 back to 450ms", kind="mitigation", reactions=PIN),
        m1("14:55:00", "carol", "Status page -> *Monitoring*", kind="status_update", reactions=WATCH),
        m1(
            "15:15:00",
            "bob",
            "📋 UPDATE #3 - 3:15 PM\n**Status:** p95 stable at ~420ms for 20 min, "
            "reindex 70% done at the throttled rate\n**Next update:** 3:45 PM or on resolution",
            kind="update",
        ),
        m1(
            "15:40:00",
            "bob",
            "✅ INCIDENT RESOLVED - 3:40 PM\n**Duration:** 1h 38m (2:02 PM - "
            "3:40 PM PST)\n**Impact:** search ~60% slower, ~8% of searches timed out\n"
            "**Resolution:** scaled search-api + rate limited the bulk reindex",
            kind="resolve",
        ),
        m1(
            "15:41:15",
            "pagerduty",
            "",
            channel="incidents",
            kind="resolve",
            attachment="Resolved #1041: search: p95 latency > 2s",
        ),
        m1("15:42:00", "carol", "Status page -> *Resolved*", kind="status_update"),
        archive("09:00", "incident-bot", "", subtype="channel_archive", as_user=True),
    ),
    paging=Paging(
        pd_id="P3XQ7LM",
        number=1041,
        title="search: p95 latency > 2s",
        urgency="high",
        priority="P2",
        entries=(
            p1("14:06:05", "trigger"),
            p1("14:06:10", "notify", "dave", "push_notification"),
            p1("14:09:30", "acknowledge", "dave", "mobile"),
            p1("14:13:00", "annotate", "bob", "SEV2, war room #incident-2025-01-06-search"),
            p1("15:41:10", "resolve", "dave", "web_ui"),
        ),
    ),
    status_page=StatusIncident(
        sp_id="x1b8r4nq7c2v",
        name="Degraded search performance",
        impact="minor",
        updates=(
            u1(
                "14:20:00",
                "investigating",
                "We are investigating slower than usual search results.",
                search="degraded_performance",
            ),
            u1(
                "14:38:00",
                "identified",
                "We have identified the cause of slow search results and are applying a fix.",
                search="degraded_performance",
            ),
            u1(
                "14:55:00",
                "monitoring",
                "A fix has been applied and search response times are "
                "back to normal. We are monitoring the results.",
                search="operational",
            ),
            u1("15:42:00", "resolved", "This incident has been resolved.", search="operational"),
        ),
    ),
)

# --- 2025-01-09: night-time email queue page, PagerDuty only, auto-resolved ------------
D2 = (2025, 1, 9)
t2, p2 = clock(D2), pages_on(D2)

EMAIL_QUEUE = Incident(
    incident_id="INC-20250109-0320",
    title="Email notification queue backlog",
    service="notifications",
    declared_severity=None,
    final_severity=None,
    inputs=SeverityInputs(),
    commander=None,
    roles=(),
    started_at=t2("03:15"),
    detected_at=t2("03:20:14"),
    declared_at=None,
    acknowledged_at=None,
    mitigated_at=None,
    resolved_at=t2("03:41:02"),
    mitigation=None,
    channel=None,
    sources=("pagerduty",),
    quirks=("PagerDuty only: low urgency, never acknowledged, auto-resolved by the integration",),
    paging=Paging(
        pd_id="P8N2KRT",
        number=1042,
        title="notifications: Email queue depth > 10000",
        urgency="low",
        priority=None,
        entries=(
            p2("03:20:14", "trigger"),
            p2("03:20:20", "notify", "kenji", "email"),
            p2("03:41:02", "resolve", None, "api"),
        ),
    ),
)

# --- 2025-01-21: checkout flag ramp, declared SEV3 but 30% of users (SEV1) -------------
D4 = (2025, 1, 21)
W4 = "incident-2025-01-21-checkout"
t4, m4, p4, u4 = clock(D4), messages_on(D4, W4), pages_on(D4), updates_on(D4)

BOT_DECLARATION = """\
🚨 SEV3 INCIDENT DECLARED 🚨
**Incident ID:** INC-20250121-1552
**Title:** Checkout button unresponsive for some users
**Commander:** @erin
**Started:** 2025-01-21 15:52 PST
**Next Steps:**
1. IC: Assign roles (TL, Comms, Scribe)
2. TL: Begin investigation
3. Comms: Update status page
4. Scribe: Track timeline"""

CHECKOUT_FLAG = Incident(
    incident_id="INC-20250121-1552",
    title="Checkout button unresponsive for some users",
    service="checkout",
    declared_severity="SEV3",
    final_severity="SEV3",
    inputs=SeverityInputs(percent_users_affected=30),
    commander="erin",
    roles=(("IC", "erin"), ("TL", "frank"), ("Comms", "carol")),
    started_at=t4("15:35"),
    detected_at=t4("15:44:31"),
    declared_at=t4("15:52:10"),
    acknowledged_at=t4("15:49:02"),
    mitigated_at=t4("16:16:30"),
    resolved_at=t4("17:05"),
    mitigation="feature_flag",
    channel=W4,
    sources=("slack", "pagerduty", "statuspage"),
    quirks=(
        "mis-declared: /incident start sev3, but ~30% of users affected -> SEV1 by the tree",
        "thread replies cross midnight UTC (parent 23:58 UTC Jan 21, replies in 2025-01-22.json)",
        "declaration posted by incident-bot as a user (user + bot_id); plain 'resolved'",
        "Statuspage impact 'minor' understates the impact",
    ),
    messages=(
        m4(
            "15:35:00",
            "deploy-bot",
            "Feature flag new-checkout-flow ramped 10% → 50% by @frank",
            channel="deploys",
            kind="deploy",
        ),
        m4(
            "15:44:31",
            "pagerduty",
            "",
            channel="incidents",
            kind="alert",
            attachment="Triggered #1044: checkout: completion rate dropped > 25%",
        ),
        m4("15:52:05", "erin", "", subtype="channel_join"),
        m4("15:52:06", "frank", "", subtype="channel_join"),
        m4("15:52:07", "carol", "", subtype="channel_join"),
        m4("15:52:08", "heidi", "", subtype="channel_join"),
        m4(
            "15:52:10",
            "incident-bot",
            '@erin ran `/incident start sev3 "Checkout button '
            'unresponsive for some users"` → #incident-2025-01-21-checkout',
            channel="incidents",
            kind="declare",
        ),
        m4(
            "15:52:15",
            "incident-bot",
            "SEV3: Checkout button unresponsive for some users | IC: @erin | Started: 15:52 PST",
            subtype="channel_topic",
            as_user=True,
        ),
        m4("15:52:20", "incident-bot", BOT_DECLARATION, kind="declare", as_user=True),
        m4("15:54:00", "erin", "IC: @erin\nTechnical Lead: @frank\nComms: @carol", kind="role_assign"),
        m4(
            "15:58:30",
            "erin",
            "What we know: the checkout 'Pay now' button does nothing for some "
            "users. JS errors in the new checkout flow bundle. @heidi how many users?",
            key="numbers",
        ),
        m4(
            "16:02:10",
            "heidi",
            "Support is seeing a spike - about 30% of users can't get past the "
            "payment step (130 tickets in 20 min)",
            reply_to="numbers",
        ),
        m4(
            "16:03:40",
            "frank",
            "30% lines up with the new-checkout-flow ramp to 50% at 3:35 PM",
            reply_to="numbers",
        ),
        m4(
            "16:10:20",
            "carol",
            'Status page: *Investigating* - "Some customers may have trouble completing checkout."',
            kind="status_update",
            reactions=WATCH,
        ),
        m4(
            "16:14:00",
            "erin",
            "Decision: turn the feature flag off. @frank: `feature-flag disable --flag new-checkout-flow`",
            kind="mitigation",
            reactions=PIN,
        ),
        m4(
            "16:16:20",
            "deploy-bot",
            "Feature flag new-checkout-flow disabled (0%) by @frank",
            channel="deploys",
            kind="deploy",
        ),
        m4(
            "16:16:30",
            "frank",
            "Flag disabled, checkout completion recovering",
            kind="mitigation",
            reactions=PIN,
        ),
        m4(
            "16:25:00",
            "erin",
            "Checkout error rate back to baseline (0.3%). Next update in 60 minutes or on resolution",
            kind="update",
        ),
        m4("16:30:10", "carol", "Status page -> *Monitoring*", kind="status_update"),
        m4("17:05:00", "erin", "resolved", kind="resolve"),
        m4("17:05:40", "carol", "Status page -> *Resolved*", kind="status_update"),
        m4(
            "17:06:15",
            "pagerduty",
            "",
            channel="incidents",
            kind="resolve",
            attachment="Resolved #1044: checkout: completion rate dropped > 25%",
        ),
    ),
    paging=Paging(
        pd_id="PK6D1HC",
        number=1044,
        title="checkout: Checkout completion rate dropped > 25%",
        urgency="high",
        priority="P3",
        entries=(
            p4("15:44:31", "trigger"),
            p4("15:44:36", "notify", "erin", "push_notification"),
            p4("15:49:02", "acknowledge", "erin", "mobile"),
            p4("16:17:00", "annotate", "erin", "Disabled new-checkout-flow flag"),
            p4("17:06:10", "resolve", "erin", "web_ui"),
        ),
    ),
    status_page=StatusIncident(
        sp_id="c9h2w5t8m3kd",
        name="Some customers unable to complete checkout",
        impact="minor",
        updates=(
            u4(
                "16:10:00",
                "investigating",
                "Some customers may have trouble completing checkout. We are investigating.",
                checkout="partial_outage",
            ),
            u4(
                "16:30:00",
                "monitoring",
                "A fix has been implemented and we are monitoring the results.",
                checkout="operational",
            ),
            u4("17:05:30", "resolved", "This incident has been resolved.", checkout="operational"),
        ),
    ),
)

INCIDENTS = (SEARCH_LATENCY, EMAIL_QUEUE, CHECKOUT_FLAG)
