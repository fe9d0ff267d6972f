"""The seed's SEV1: payment-service v2.5 connection leak, 2025-01-15, 10:00-12:15 PST.

Every time here is the seed post-mortem's timeline; the declaration, UPDATE #2, UPDATE #3
and the resolution announcement are the seed's Slack messages verbatim.
"""

from __future__ import annotations

from ._kit import clock, messages_on, pages_on, updates_on
from .model import Incident, Paging, SeverityInputs, StatusIncident

DAY = (2025, 1, 15)
WAR_ROOM = "incident-2025-01-15-payment"
t = clock(DAY)
m = messages_on(DAY, WAR_ROOM)
p = pages_on(DAY)
u = updates_on(DAY)

DECLARATION = """\
🚨 SEV1 INCIDENT DECLARED 🚨
**System:** Payment Processing (payment-service)
**Impact:** Users cannot complete checkout (15% error rate)
**Started:** 10:00 AM PST
**Roles:**
- IC: @alice (Incident Commander - makes decisions)
- TL: @bob (Technical Lead - coordinates debugging)
- Comms: @carol (Status page updates, stakeholder notifications)
- Scribe: @dave (Timeline tracking)
**Status:** Investigating
**ETA:** Next update in 15 minutes (10:15 AM)
**War Room:** #incident-2025-01-15-payment (this channel)
**Zoom Bridge:** https://zoom.us/j/incident-war-room"""

UPDATE_2 = """\
📋 UPDATE #2 - 10:15 AM
**Investigation:**
- Root cause identified: DB connection pool exhausted
- Recent deployment (v2.5) suspected
**Mitigation:**
- Action: Rolling back to v2.4
- Status: In progress (ETA 5 min)
- Expected outcome: Restore service
**Impact:**
- Still 15% error rate
- Support tickets: 12 new reports
**Next update:** 10:30 AM"""

UPDATE_3 = """\
📋 UPDATE #3 - 10:30 AM
**Mitigation:**
- Rollback completed at 10:23 AM
- Monitoring: Error rate dropping (15% → 8% → 4%)
**Status:**
- Service recovering
- Monitoring for 15 min before declaring stable
**Next update:** 10:45 AM or on resolution"""

RESOLVED = """\
✅ INCIDENT RESOLVED - 12:15 PM
**Duration:** 2h 15m (10:00 AM - 12:15 PM PST)
**Impact:** ~5,000 users affected (15% of checkout attempts)
**Root Cause:** Database connection leak in deployment v2.5
**Resolution:** Rollback + deployed fix (v2.5.1)
**Outcome:**
- Service fully restored
- All metrics green
- Fix deployed to prevent recurrence
**Next Steps:**
- Post-mortem meeting: Tomorrow (Jan 16) at 2 PM
- Action items to be assigned and tracked
Thank you to @bob @carol @dave and SRE team for quick response!"""

PIN = (("pushpin", ("dave",)),)
WATCH = (("stopwatch", ("dave",)),)
JOINERS = ("bob", "carol", "dave", "erin", "incident-bot")

MESSAGES = (
    m(
        "09:55:02",
        "deploy-bot",
        "Deploying payment-service v2.5 to prod (12 pods) started by @erin",
        channel="deploys",
        kind="deploy",
    ),
    m(
        "09:58:41",
        "deploy-bot",
        "payment-service v2.5 deployed to prod: 12/12 pods healthy",
        channel="deploys",
        kind="deploy",
    ),
    m(
        "10:00:07",
        "pagerduty",
        "",
        channel="incidents",
        kind="alert",
        attachment="Triggered #1043: payment-service: Payment API error rate > 10%",
    ),
    m(
        "10:02:15",
        "heidi",
        'Users reporting "Cannot complete checkout" - 6 tickets in 3 min. Is anyone on this? @here',
        channel="incidents",
        key="report",
    ),
    m(
        "10:03:05",
        "bob",
        "Ack'd the page. Payment API errors at 15% and climbing since ~10:00, "
        "looks related to the v2.5 deploy at 9:55. Pulling in @alice",
        channel="incidents",
        reply_to="report",
    ),
    m("10:04:20", "alice", "", subtype="channel_join"),
    *(m(f"10:04:{30 + i}", who, "", subtype="channel_join") for i, who in enumerate(JOINERS)),
    m(
        "10:04:50",
        "alice",
        "SEV1: Payment API 500s | IC: @alice | Started: 10:00 PST",
        subtype="channel_topic",
    ),
    m(
        "10:05:00",
        "alice",
        DECLARATION,
        kind="declare",
        key="declare",
        pinned_by="dave",
        reactions=(("pushpin", ("dave",)), ("eyes", ("bob", "carol", "erin"))),
    ),
    m(
        "10:05:40",
        "alice",
        "SEV1 declared for payment-service. War room: #incident-2025-01-15-payment"
        " - please keep discussion there.",
        channel="incidents",
        kind="declare",
    ),
    m(
        "10:06:10",
        "dave",
        "Timeline doc started: [INC-20250115-1005 timeline]"
        "(https://docs.acme.example/incidents/INC-20250115-1005). Logging everything with timestamps.",
    ),
    m(
        "10:08:30",
        "carol",
        'Status page posted: *Investigating* - "We are investigating reports of '
        'checkout issues." [status.acme.example](https://status.acme.example/incidents/p7m2x9k4q1zt)',
        kind="status_update",
        reactions=WATCH,
        edited="10:09:12",
    ),
    m(
        "10:12:20",
        "bob",
        "TL finding: DB connection pool at 100% (50/50 in use) on payment-db",
        key="pool",
        file="grafana-payment-db-pool.png",
        reactions=PIN,
    ),
    m(
        "10:13:05",
        "erin",
        "v2.5 touched the refund error path in `PaymentRepository` - I suspect a connection leak there",
        reply_to="pool",
    ),
    m(
        "10:14:10",
        "bob",
        "agree, connections are never released after a 4xx from the processor",
        reply_to="pool",
    ),
    m("10:15:00", "alice", UPDATE_2, kind="update", reactions=WATCH),
    m(
        "10:18:00",
        "alice",
        "Decision: Rollback to v2.4. @bob go ahead: `kubectl rollout undo deployment/payment-service`",
        kind="mitigation",
        reactions=PIN,
    ),
    m(
        "10:18:55",
        "deploy-bot",
        "Rollback of payment-service to v2.4 started by @bob",
        channel="deploys",
        kind="rollback",
    ),
    m(
        "10:23:10",
        "deploy-bot",
        "payment-service v2.4 deployed to prod (rollback): 12/12 pods healthy",
        channel="deploys",
        kind="deploy",
    ),
    m(
        "10:23:20",
        "bob",
        "Rollback completed - v2.4 serving 100% of traffic. Monitoring metrics.",
        kind="rollback",
        reactions=PIN,
    ),
    m("10:30:00", "alice", UPDATE_3, kind="update", reactions=WATCH),
    m("10:45:10", "bob", "Error rate back to <1% (normal) :tada:", kind="message"),
    m(
        "10:45:40",
        "carol",
        'Status page -> *Monitoring*: "The fix has been deployed and checkout functionality is recovering."',
        kind="status_update",
        reactions=WATCH,
    ),
    m(
        "10:46:00",
        "alice",
        "📋 UPDATE #4 - 10:45 AM\n**Status:** Error rate <1%, stable on v2.4\n"
        "**Next:** code review of v2.5 for the leak, fix to follow\n**Next update:** 11:15 AM",
        kind="update",
    ),
    m(
        "11:00:30",
        "erin",
        "Code review: found the connection leak in error handling - "
        "`conn.close()` only runs on the success path. Fix in [PR #1240]"
        "(https://github.example/acme/payment-service/pull/1240) (try/finally).",
        key="fix",
        reactions=PIN,
    ),
    m("11:04:45", "bob", "LGTM - ship it as v2.5.1 & keep the rollback ready", reply_to="fix"),
    m(
        "11:15:00",
        "alice",
        "📋 UPDATE #5 - 11:15 AM\n**Status:** Stable on v2.4. Fix v2.5.1 in CI\n**Next update:** 11:45 AM",
        kind="update",
    ),
    m(
        "11:30:05",
        "deploy-bot",
        "payment-service v2.5.1 deployed to prod by @erin: 12/12 pods healthy",
        channel="deploys",
        kind="deploy",
    ),
    m(
        "11:30:30",
        "erin",
        "Fix deployed (v2.5.1) with proper connection.close()",
        kind="deploy",
        reactions=PIN,
    ),
    m(
        "11:45:00",
        "alice",
        "📋 UPDATE #6 - 11:45 AM\n**Status:** v2.5.1 healthy, pool usage 12/50\n"
        "**Next update:** 12:15 PM or on resolution",
        kind="update",
    ),
    m("12:00:10", "dave", "Monitoring stable, all metrics green", kind="message"),
    m(
        "12:15:00",
        "alice",
        RESOLVED,
        kind="resolve",
        key="resolved",
        pinned_by="dave",
        reactions=(("white_check_mark", ("bob", "carol", "dave", "erin")), ("tada", ("heidi",))),
    ),
    m("12:15:40", "carol", "Status page -> *Resolved*.", kind="status_update", reactions=WATCH),
    m(
        "12:16:30",
        "alice",
        "✅ payment-service SEV1 resolved after 2h 15m. Post-mortem tomorrow "
        "(Jan 16) 2 PM. Details in #incident-2025-01-15-payment",
        channel="incidents",
    ),
    m(
        "12:15:25",
        "pagerduty",
        "",
        channel="incidents",
        kind="resolve",
        attachment="Resolved #1043: payment-service: Payment API error rate > 10%",
    ),
)

PAGING = Paging(
    pd_id="PZ4F9WB",
    number=1043,
    title="payment-service: Payment API error rate > 10%",
    urgency="high",
    priority="P1",
    entries=(
        p("10:00:07", "trigger"),
        p("10:00:12", "notify", "bob", "push_notification"),
        p("10:01:12", "notify", "bob", "sms"),
        p("10:02:40", "acknowledge", "bob", "mobile"),
        p("10:06:30", "annotate", "dave", "War room #incident-2025-01-15-payment, IC Alice Chen, SEV1"),
        p("10:23:40", "annotate", "bob", "Rolled back to v2.4, error rate dropping"),
        p("12:15:20", "resolve", "alice", "web_ui"),
    ),
)

STATUS = StatusIncident(
    sp_id="p7m2x9k4q1zt",
    name="Payment service disruption affecting checkout",
    impact="critical",
    updates=(
        u(
            "10:08:00",
            "investigating",
            "We are investigating reports of checkout issues.\n"
            "Our team is actively working to identify the cause.\n"
            "Updates will be posted here every 15 minutes.",
            payments="major_outage",
            checkout="partial_outage",
        ),
        u(
            "10:15:00",
            "identified",
            "We have identified a database issue affecting checkout.\n"
            "Our team is deploying a fix. Estimated time to resolution: 30 minutes.",
            payments="major_outage",
            checkout="partial_outage",
        ),
        u(
            "10:30:00",
            "identified",
            "A rollback has completed and error rates are dropping. We continue to work on a full fix.",
            payments="partial_outage",
            checkout="degraded_performance",
        ),
        u(
            "10:45:00",
            "monitoring",
            "The fix has been deployed and checkout functionality is "
            "recovering.\nWe are monitoring the situation to ensure stability.",
            payments="operational",
            checkout="operational",
        ),
        u(
            "12:15:00",
            "resolved",
            "The issue has been fully resolved. All systems are operational.\n"
            "Checkout is functioning normally. We sincerely apologize for the inconvenience.\n"
            "If you experienced issues, delayed transactions are now processing automatically.\n"
            "For questions, contact support@acme.example.",
            payments="operational",
            checkout="operational",
        ),
    ),
    postmortem_body="On January 15 between 10:00 AM and 12:15 PM PST about 15% of checkout "
    "attempts failed. A change to our payment service did not release database connections on "
    "an error path, exhausting the connection pool. We rolled the change back at 10:23 AM and "
    "deployed a corrected version at 11:30 AM. We have added connection pool monitoring and "
    "error-path load tests.",
    postmortem_published_at=clock((2025, 1, 17))("15:00"),
)

INCIDENT = Incident(
    incident_id="INC-20250115-1005",
    title="Payment API returning 500 errors",
    service="payment-service",
    declared_severity="SEV1",
    final_severity="SEV1",
    inputs=SeverityInputs(
        revenue_impacted=True,
        percent_users_affected=15,
        core_functionality_down=True,
        workaround_exists=False,
    ),
    commander="alice",
    roles=(("IC", "alice"), ("TL", "bob"), ("Comms", "carol"), ("Scribe", "dave")),
    started_at=t("10:00"),
    detected_at=t("10:00:07"),
    declared_at=t("10:05"),
    acknowledged_at=t("10:02:40"),
    mitigated_at=t("10:23:20"),
    resolved_at=t("12:15"),
    mitigation="rollback",
    channel=WAR_ROOM,
    sources=("slack", "pagerduty", "statuspage", "postmortem"),
    quirks=(
        "the seed's incident: exact seed timeline and verbatim seed messages",
        "deploy v2.5 09:55, alert 10:00, declared 10:05, rollback 10:18-10:23, v2.5.1 11:30",
        "Statuspage identified posted twice (10:15, 10:30); public postmortem published Jan 17",
        "one status-page message edited; Grafana screenshot attached to the TL finding",
    ),
    messages=MESSAGES,
    paging=PAGING,
    status_page=STATUS,
    postmortem_file="2025-01-15-payment-service-outage.md",
    postmortem_at=clock((2025, 1, 16))("14:00"),
)
