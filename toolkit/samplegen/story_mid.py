"""January 23-30: a SEV1 with a 50-minute silence, a missed promised update, a downgrade."""

from __future__ import annotations

from ._kit import clock, messages_on, pages_on, updates_on
from .model import Incident, Paging, SeverityInputs, StatusIncident

PIN = (("pushpin", ("dave",)),)
WATCH = (("stopwatch", ("carol",)),)

# --- 2025-01-23: auth DB IOPS exhaustion, SEV2 -> SEV1, 50 minutes without an update ---
D5 = (2025, 1, 23)
W5 = "incident-2025-01-23-auth"
t5, m5, p5, u5 = clock(D5), messages_on(D5, W5), pages_on(D5), updates_on(D5)

FAILOVER = """\
🔄 DATABASE FAILOVER INITIATED
Instance: auth-db-primary → auth-db-replica
Reason: Primary unresponsive (disk IOPS exhausted)
ETA: 2-5 minutes
Expected impact: Brief connection interruptions (~30 sec)
Proceeding with failover now."""

AUTH_OUTAGE = Incident(
    incident_id="INC-20250123-0914",
    title="Login failures: auth database IOPS exhausted",
    service="auth",
    declared_severity="SEV2",
    final_severity="SEV1",
    inputs=SeverityInputs(percent_users_affected=40, core_functionality_down=True, workaround_exists=False),
    commander="alice",
    roles=(("IC", "alice"), ("TL", "judy"), ("Comms", "carol"), ("Scribe", "dave"), ("SME", "ivan")),
    started_at=t5("08:52"),
    detected_at=t5("08:55:18"),
    declared_at=t5("09:14"),
    acknowledged_at=t5("09:12:05"),
    mitigated_at=t5("10:29:40"),
    resolved_at=t5("11:48"),
    mitigation="failover",
    channel=W5,
    sources=("slack", "pagerduty", "statuspage", "postmortem"),
    quirks=(
        "declared SEV2, 'Upgrading to SEV1' at 09:27 (40% of logins failing, no workaround)",
        "SEV1 with a 50-minute silence (09:33-10:23); promised 10:00 AM update missed",
        "Statuspage silent for 55 minutes (investigating 09:30 -> identified 10:25)",
        "PagerDuty: no ack in 15 min, escalated to level 2 (Alice) who acknowledged",
        "analytics escalation_count is 2 but the log holds 1 escalate entry (deliberate)",
        "post-mortem has an overdue P1 action item (due 2025-02-07, still ⏳ Pending)",
    ),
    messages=(
        m5(
            "08:55:18",
            "pagerduty",
            "",
            channel="incidents",
            kind="alert",
            attachment="Triggered #1045: auth: Login error rate > 5% for 5 minutes",
        ),
        m5(
            "09:05:12",
            "heidi",
            "Lots of 'unable to sign in' chats coming in since ~8:55",
            channel="incidents",
        ),
        m5("09:12:40", "alice", "Ack'd - Dave's page escalated to me. Looking at auth.", channel="incidents"),
        m5(
            "09:14:00",
            "alice",
            "SEV2 declared - I'm the Incident Commander. Login failures on "
            "auth. War room is #incident-2025-01-23-auth",
            channel="incidents",
            kind="declare",
        ),
        *(
            m5(f"09:14:{30 + i}", who, "", subtype="channel_join")
            for i, who in enumerate(("alice", "judy", "carol", "dave", "ivan"))
        ),
        m5(
            "09:15:10",
            "alice",
            "IC: @alice\nTechnical Lead: @judy\nComms: @carol\nScribe: @dave\nSME (DB): @ivan",
            kind="role_assign",
            pinned_by="dave",
        ),
        m5("09:20:00", "judy", "auth-db-primary write latency 8s, disk queue depth through the roof"),
        m5(
            "09:25:30",
            "judy",
            "Now ~40% of login attempts failing & climbing. No workaround - "
            "expired sessions can't get back in.",
        ),
        m5(
            "09:27:00",
            "alice",
            "Upgrading to SEV1 - 40% of users can't log in and there is no workaround. @lena FYI",
            kind="severity_change",
            reactions=PIN,
        ),
        m5(
            "09:30:30",
            "carol",
            'Status page: *Investigating* - "Users may be unable to log in."',
            kind="status_update",
            reactions=WATCH,
        ),
        m5(
            "09:33:00",
            "alice",
            "📋 UPDATE #1 - 9:33 AM\n**Severity:** SEV1 (upgraded from SEV2)\n"
            "**Impact:** ~40% of logins failing\n**Investigation:** auth-db-primary disk IOPS "
            "exhausted, @ivan evaluating failover\n**Next update:** 10:00 AM",
            kind="update",
        ),
        m5(
            "10:23:00",
            "alice",
            "📋 UPDATE #2 - 10:23 AM\nSorry for the gap - we were heads-down "
            "on the bridge.\n**Mitigation:** failing over auth-db to the replica (ETA 5 min)\n"
            "**Impact:** still ~40% of logins failing\n**Next update:** 10:45 AM",
            kind="update",
        ),
        m5("10:23:10", "ivan", FAILOVER, kind="mitigation", reactions=PIN),
        m5("10:25:20", "carol", "Status page -> *Identified*", kind="status_update"),
        m5(
            "10:29:40",
            "ivan",
            "Failover complete - new primary healthy, write latency 12ms",
            kind="mitigation",
            reactions=PIN,
        ),
        m5("10:40:10", "carol", "Status page -> *Monitoring*", kind="status_update"),
        m5(
            "10:45:00",
            "alice",
            "📋 UPDATE #3 - 10:45 AM\n**Status:** login success back to 99.8% "
            "after the failover\n**Next update:** 11:15 AM",
            kind="update",
        ),
        m5(
            "11:15:00",
            "alice",
            "📋 UPDATE #4 - 11:15 AM\n**Status:** stable for 45 min on the new "
            "primary\n**Next update:** 11:45 AM or on resolution",
            kind="update",
        ),
        m5(
            "11:48:00",
            "alice",
            "✅ INCIDENT RESOLVED - 11:48 AM\n**Duration:** 2h 56m (8:52 AM - "
            "11:48 AM PST)\n**Impact:** ~40% of login attempts failed\n**Root Cause:** auth-db "
            "primary volume hit its provisioned IOPS limit\n**Resolution:** failover to replica\n"
            "**Next Steps:**\n- Post-mortem: Friday (Jan 24) at 3 PM",
            kind="resolve",
        ),
        m5(
            "11:48:35",
            "pagerduty",
            "",
            channel="incidents",
            kind="resolve",
            attachment="Resolved #1045: auth: Login error rate > 5% for 5 minutes",
        ),
        m5("11:50:10", "carol", "Status page -> *Resolved*", kind="status_update"),
    ),
    paging=Paging(
        pd_id="PM2V8JQ",
        number=1045,
        title="auth: Login error rate > 5% for 5 minutes",
        urgency="high",
        priority="P1",
        entries=(
            p5("08:55:18", "trigger"),
            p5("08:55:25", "notify", "dave", "push_notification"),
            p5("09:00:25", "notify", "dave", "sms"),
            p5("09:10:25", "escalate", "alice", "timeout", level=2),
            p5("09:10:30", "notify", "alice", "phone"),
            p5("09:12:05", "acknowledge", "alice", "phone"),
            p5("09:15:00", "annotate", "alice", "SEV2 declared, war room #incident-2025-01-23-auth"),
            p5("10:30:00", "annotate", "judy", "Failover to auth-db-replica complete"),
            p5("11:48:30", "resolve", "judy", "web_ui"),
        ),
        analytics_overrides=(("escalation_count", 2),),
    ),
    status_page=StatusIncident(
        sp_id="a6u1t4h9z2lq",
        name="Login failures for some users",
        impact="critical",
        updates=(
            u5(
                "09:30:00",
                "investigating",
                "We are investigating reports of users being unable to log in.",
                login="major_outage",
            ),
            u5(
                "10:25:00",
                "identified",
                "We have identified a database issue affecting logins and are failing over to a standby.",
                login="major_outage",
            ),
            u5(
                "10:40:00",
                "monitoring",
                "Logins are recovering. We are monitoring the results.",
                login="operational",
            ),
            u5(
                "11:50:00",
                "resolved",
                "This incident has been resolved. Users who were signed out can log in again.",
                login="operational",
            ),
        ),
    ),
    postmortem_file="2025-01-23-auth-login-failures.md",
    postmortem_at=clock((2025, 1, 24))("15:00"),
)

# --- 2025-01-28: partner retry storm on the API gateway, promised update missed --------
D6 = (2025, 1, 28)
W6 = "incident-2025-01-28-api-gateway"
t6, m6, p6, u6 = clock(D6), messages_on(D6, W6), pages_on(D6), updates_on(D6)

GW_DECLARATION = """\
🚨 SEV2 INCIDENT DECLARED 🚨
**System:** Public API (api-gateway)
**Impact:** ~12% of API requests failing (429/503)
**Started:** 10:15 AM PST
**Roles:**
- IC: @frank
- TL: @bob
- Comms: @carol
- Scribe: @dave
**Status:** Investigating
**ETA:** Next update in 15 minutes (10:45 AM)
**War Room:** #incident-2025-01-28-api-gateway (this channel)"""

GATEWAY_STORM = Incident(
    incident_id="INC-20250128-1031",
    title="API gateway 5xx from a partner retry storm",
    service="api-gateway",
    declared_severity="SEV2",
    final_severity="SEV2",
    inputs=SeverityInputs(percent_users_affected=12),
    commander="frank",
    roles=(("IC", "frank"), ("TL", "bob"), ("Comms", "carol"), ("Scribe", "dave")),
    started_at=t6("10:15"),
    detected_at=t6("10:18:02"),
    declared_at=t6("10:31"),
    acknowledged_at=t6("10:21:30"),
    mitigated_at=t6("11:22"),
    resolved_at=t6("12:30"),
    mitigation="rate_limit",
    channel=W6,
    sources=("slack", "pagerduty", "statuspage", "postmortem"),
    quirks=(
        "promised 'Next update: 11:00 AM' missed; UPDATE #3 came at 11:40",
        "first mitigation regressed at 11:05 (partner rotated keys)",
        "post-mortem held 2025-01-31, 69.5 h after resolution (> 48 h)",
        "post-mortem action item 🟡 In Progress past its due date",
    ),
    messages=(
        m6(
            "10:18:02",
            "pagerduty",
            "",
            channel="incidents",
            kind="alert",
            attachment="Triggered #1046: api-gateway: 5xx rate > 2%",
        ),
        *(
            m6(f"10:30:{40 + i}", who, "", subtype="channel_join")
            for i, who in enumerate(("frank", "bob", "carol", "dave"))
        ),
        m6("10:31:00", "frank", GW_DECLARATION, kind="declare", pinned_by="dave", reactions=PIN),
        m6(
            "10:36:00",
            "bob",
            "A partner integration (key `pk_live_…9f2`) is retrying in a tight loop: 40k req/s vs 6k normal",
        ),
        m6(
            "10:38:20",
            "carol",
            "Status page: *Investigating* - elevated API error rates",
            kind="status_update",
            reactions=WATCH,
        ),
        m6(
            "10:40:00",
            "frank",
            "Decision: rate limit the partner key + scale the gateway. @bob: "
            "`kubectl scale deployment/api --replicas=20`",
            kind="mitigation",
            reactions=PIN,
        ),
        m6(
            "10:45:00",
            "frank",
            "📋 UPDATE #2 - 10:45 AM\n**Mitigation:** rate limit on the partner "
            "key (100 req/s) + gateway scaled to 20 replicas\n**Impact:** errors down to ~3%\n"
            "**Next update:** 11:00 AM",
            kind="update",
        ),
        m6("10:50:30", "carol", "Status page -> *Identified*", kind="status_update"),
        m6("10:52:00", "bob", "Error rate <0.5% :+1:"),
        m6(
            "11:05:10",
            "bob",
            "Errors climbing again (6%) - the partner rotated to new keys, the limit doesn't apply",
            key="regress",
        ),
        m6("11:06:00", "frank", "can we block the whole account at the edge?", reply_to="regress"),
        m6("11:08:30", "bob", "yes, WAF rule on their ASN, 10 min", reply_to="regress"),
        m6("11:10:20", "carol", "Status page -> *Identified* (errors increased again)", kind="status_update"),
        m6(
            "11:20:00",
            "bob",
            "Blocked the partner's account at the edge (WAF rule) & left the scale-up in place",
            kind="mitigation",
            reactions=PIN,
        ),
        m6("11:22:00", "bob", "5xx back to 0.2% since the WAF rule", kind="mitigation"),
        m6("11:30:20", "carol", "Status page -> *Monitoring*", kind="status_update"),
        m6(
            "11:40:00",
            "frank",
            "📋 UPDATE #3 - 11:40 AM\n(late, sorry - promised 11:00)\n"
            "**Mitigation:** partner account blocked at the edge, 5xx at 0.2%\n**Status:** "
            "monitoring; partner engineering contacted\n**Next update:** 12:30 PM or on resolution",
            kind="update",
        ),
        m6(
            "12:30:00",
            "frank",
            "✅ INCIDENT RESOLVED - 12:30 PM\n**Duration:** 2h 15m (10:15 AM - "
            "12:30 PM PST)\n**Impact:** up to 12% of API requests failed\n**Resolution:** rate "
            "limit + scale up; partner blocked at the edge until their fix ships",
            kind="resolve",
        ),
        m6(
            "12:31:10",
            "pagerduty",
            "",
            channel="incidents",
            kind="resolve",
            attachment="Resolved #1046: api-gateway: 5xx rate > 2%",
        ),
        m6("12:31:40", "carol", "Status page -> *Resolved*", kind="status_update"),
    ),
    paging=Paging(
        pd_id="PR5T3NE",
        number=1046,
        title="api-gateway: 5xx rate > 2%",
        urgency="high",
        priority="P2",
        entries=(
            p6("10:18:02", "trigger"),
            p6("10:18:08", "notify", "frank", "push_notification"),
            p6("10:21:30", "acknowledge", "frank", "mobile"),
            p6("10:32:00", "annotate", "frank", "SEV2 declared, partner retry storm suspected"),
            p6("12:31:05", "resolve", "frank", "web_ui"),
        ),
    ),
    status_page=StatusIncident(
        sp_id="g3w7y1p5n8rb",
        name="Elevated error rates on the Public API",
        impact="major",
        updates=(
            u6(
                "10:38:00",
                "investigating",
                "We are investigating elevated error rates on the Public API.",
                api="partial_outage",
            ),
            u6(
                "10:50:00",
                "identified",
                "We have identified the source of the elevated error rates and applied rate limiting.",
                api="degraded_performance",
            ),
            u6(
                "11:10:00",
                "identified",
                "Error rates increased again. We are applying additional mitigation.",
                api="partial_outage",
            ),
            u6(
                "11:30:00",
                "monitoring",
                "Error rates are back to normal. We are monitoring.",
                api="operational",
            ),
            u6("12:31:30", "resolved", "This incident has been resolved.", api="operational"),
        ),
    ),
    postmortem_file="2025-01-28-api-gateway-errors.md",
    postmortem_at=clock((2025, 1, 31))("10:00"),
)

# --- 2025-01-30: EU push notifications, SEV2 downgraded to SEV3, 'inc_' channel --------
D7 = (2025, 1, 30)
W7 = "inc_2025-01-30_push-notifications"
t7, m7, p7, u7 = clock(D7), messages_on(D7, W7), pages_on(D7), updates_on(D7)

PUSH_EU = Incident(
    incident_id="INC-20250130-0748",
    title="Push notifications failing in the EU",
    service="notifications",
    declared_severity="SEV2",
    final_severity="SEV3",
    inputs=SeverityInputs(percent_users_affected=4, non_critical_feature_broken=True),
    commander="kenji",
    roles=(("IC", "kenji"), ("TL", "bob"), ("Comms", "carol")),
    started_at=t7("07:30"),
    detected_at=t7("07:41:09"),
    declared_at=t7("07:48"),
    acknowledged_at=t7("07:44:02"),
    mitigated_at=t7("09:12"),
    resolved_at=t7("09:55"),
    mitigation="hotfix",
    channel=W7,
    sources=("slack", "pagerduty", "statuspage"),
    quirks=(
        "'inc_' channel-name variant",
        "declared SEV2, 'downgrading to SEV3' at 08:05 (matches the decision tree)",
        "updates promise 'Next update in 60 minutes' without a clock time",
        "Statuspage skips the monitoring phase",
    ),
    messages=(
        m7(
            "07:41:09",
            "pagerduty",
            "",
            channel="incidents",
            kind="alert",
            attachment="Triggered #1047: notifications: Push delivery success < 90% (eu-west-1)",
        ),
        *(
            m7(f"07:47:{30 + i}", who, "", subtype="channel_join")
            for i, who in enumerate(("kenji", "bob", "carol"))
        ),
        m7(
            "07:48:00",
            "kenji",
            "SEV2 declared - I'm the Incident Commander. Push notifications "
            "failing in the EU (delivery success 62%).\nTechnical Lead: @bob\nComms: @carol\n"
            "Next update in 30 minutes.",
            kind="declare",
        ),
        m7(
            "07:48:30",
            "kenji",
            "SEV2: EU push notifications failing - war room #inc_2025-01-30_push-notifications",
            channel="incidents",
            kind="declare",
        ),
        m7(
            "07:58:00",
            "bob",
            "APNs/FCM cert rotation for eu-west-1 failed overnight: the new cert "
            "is at the wrong path on the EU workers",
        ),
        m7(
            "08:05:00",
            "kenji",
            "Impact is smaller than we thought: EU only, ~4% of users, and the "
            "in-app inbox still works, so downgrading to SEV3.",
            kind="severity_change",
            reactions=PIN,
        ),
        m7(
            "07:56:30",
            "carol",
            "Status page: *Investigating* - delayed push notifications in Europe",
            kind="status_update",
            reactions=WATCH,
        ),
        m7(
            "08:40:00",
            "bob",
            "Hotfix ready: v3.8.2 points the EU workers at the right cert path. Deploying now.",
            kind="mitigation",
        ),
        m7(
            "08:40:30",
            "kenji",
            "Update: hotfix v3.8.2 going out to eu-west-1. Next update in 60 minutes.",
            kind="update",
        ),
        m7("08:41:00", "carol", "Status page -> *Identified*", kind="status_update"),
        m7(
            "09:10:05",
            "deploy-bot",
            "notifications v3.8.2 deployed to eu-west-1 by @bob: 8/8 workers healthy",
            channel="deploys",
            kind="deploy",
        ),
        m7("09:12:00", "bob", "Hotfix live, EU delivery success 99.6%", kind="mitigation", reactions=PIN),
        m7(
            "09:40:00",
            "kenji",
            "Update: EU push delivery normal for 30 min; the backlog of 180k delayed pushes has drained",
            kind="update",
        ),
        m7(
            "09:55:00",
            "kenji",
            "resolved ✅ - EU push notifications back to normal since 9:12 AM",
            kind="resolve",
        ),
        m7("09:56:00", "carol", "Status page -> *Resolved*", kind="status_update"),
        m7(
            "09:56:25",
            "pagerduty",
            "",
            channel="incidents",
            kind="resolve",
            attachment="Resolved #1047: notifications: Push delivery success < 90% (eu-west-1)",
        ),
    ),
    paging=Paging(
        pd_id="PW9G4YS",
        number=1047,
        title="notifications: Push delivery success < 90% (eu-west-1)",
        urgency="high",
        priority="P3",
        entries=(
            p7("07:41:09", "trigger"),
            p7("07:41:15", "notify", "kenji", "push_notification"),
            p7("07:43:15", "notify", "kenji", "phone"),
            p7("07:44:02", "acknowledge", "kenji", "phone"),
            p7("08:06:00", "annotate", "kenji", "Downgraded to SEV3 (EU only, ~4% of users)"),
            p7("09:56:20", "resolve", "kenji", "web_ui"),
        ),
    ),
    status_page=StatusIncident(
        sp_id="n2f6e9k4d1vs",
        name="Delayed push notifications in Europe",
        impact="minor",
        updates=(
            u7(
                "07:56:00",
                "investigating",
                "Some customers in Europe are receiving push notifications late. We are investigating.",
                notifications="degraded_performance",
            ),
            u7(
                "08:41:00",
                "identified",
                "We have identified the issue and are deploying a fix.",
                notifications="degraded_performance",
            ),
            u7(
                "09:55:50",
                "resolved",
                "Push notifications in Europe are delivered normally again.",
                notifications="operational",
            ),
        ),
    ),
)

INCIDENTS = (AUTH_OUTAGE, GATEWAY_STORM, PUSH_EU)
