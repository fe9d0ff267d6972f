"""February 13-19: an off-hours SEV1 that escalated, a rollback, and one still open."""

from __future__ import annotations

from ._kit import clock, messages_on, pages_on, updates_on
from .model import Incident, Paging, SeverityInputs, StatusIncident

PIN = (("pushpin", ("dave",)),)
WATCH = (("stopwatch", ("carol",)),)

# --- 2025-02-13: expired TLS certificate on the API gateway (SEV1, 15-min cadence) ----
D11 = (2025, 2, 13)
W11 = "incident-2025-02-13-api-gateway"
t11, m11, p11, u11 = clock(D11), messages_on(D11, W11), pages_on(D11), updates_on(D11)

CERT_DECLARATION = """\
🚨 SEV1 INCIDENT DECLARED 🚨
**System:** Public API & web (api-gateway)
**Impact:** 100% of API and web requests failing (TLS certificate expired)
**Started:** 6:00 AM PST
**Roles:**
- IC: @alice (Incident Commander - makes decisions)
- TL: @frank (Technical Lead - coordinates debugging)
- Comms: @carol (Status page updates, stakeholder notifications)
- Scribe: @dave (Timeline tracking)
**Status:** Investigating
**ETA:** Next update in 15 minutes (6:40 AM)
**War Room:** #incident-2025-02-13-api-gateway (this channel)
**Zoom Bridge:** https://zoom.us/j/incident-war-room"""

CERT_EXPIRY = Incident(
    incident_id="INC-20250213-0624",
    title="TLS certificate expired on the API gateway",
    service="api-gateway",
    declared_severity="SEV1",
    final_severity="SEV1",
    inputs=SeverityInputs(
        revenue_impacted=True,
        percent_users_affected=100,
        core_functionality_down=True,
        workaround_exists=False,
    ),
    commander="alice",
    roles=(("IC", "alice"), ("TL", "frank"), ("Comms", "carol"), ("Scribe", "dave")),
    started_at=t11("06:00"),
    detected_at=t11("06:01:10"),
    declared_at=t11("06:24"),
    acknowledged_at=t11("06:19"),
    mitigated_at=t11("06:53"),
    resolved_at=t11("07:30"),
    mitigation="hotfix",
    channel=W11,
    sources=("slack", "pagerduty", "statuspage"),
    quirks=(
        "off-hours page: level 1 (Frank) did not acknowledge, escalated to level 2 after 15 min",
        "SEV1 with a kept 15-minute cadence",
        "no post-mortem document in the sample",
    ),
    messages=(
        m11(
            "06:01:10",
            "pagerduty",
            "",
            channel="incidents",
            kind="alert",
            attachment="Triggered #1049: api-gateway: Synthetic check failed - TLS handshake "
            "errors on api.acme.example",
        ),
        m11(
            "06:21:30",
            "alice",
            "Everything on api.acme.example is failing TLS handshakes, spinning up a war room.",
            channel="incidents",
        ),
        *(
            m11(f"06:23:{40 + i}", who, "", subtype="channel_join")
            for i, who in enumerate(("alice", "frank", "carol", "dave", "lena"))
        ),
        m11(
            "06:24:00",
            "alice",
            CERT_DECLARATION,
            kind="declare",
            key="declare",
            pinned_by="dave",
            reactions=PIN,
        ),
        m11(
            "06:24:30",
            "alice",
            "SEV1 declared: api-gateway TLS - war room #incident-2025-02-13-api-gateway",
            channel="incidents",
            kind="declare",
        ),
        m11(
            "06:27:50",
            "carol",
            "Status page: *Investigating* - all services unavailable",
            kind="status_update",
            reactions=WATCH,
        ),
        m11(
            "06:33:00",
            "frank",
            "Root cause: the *.acme.example certificate expired at 06:00:00. "
            "Auto-renewal has failed silently since the DNS provider change in December.",
        ),
        m11(
            "06:35:00",
            "alice",
            "Decision: hotfix - issue a new cert via ACM & push it to the gateway. @frank go. ETA 20 min",
            kind="mitigation",
            reactions=PIN,
        ),
        m11("06:35:30", "carol", "Status page -> *Identified*", kind="status_update"),
        m11(
            "06:40:00",
            "alice",
            "📋 UPDATE #2 - 6:40 AM\n**Root cause:** expired TLS certificate "
            "on api-gateway\n**Mitigation:** new certificate being issued and deployed (ETA 15 "
            "min)\n**Impact:** 100% of requests failing\n**Next update:** 6:55 AM",
            kind="update",
        ),
        m11("06:45:00", "lena", "Do we know the revenue impact yet?", reply_to="declare"),
        m11(
            "06:47:00",
            "alice",
            "~$40K/hour of orders blocked; numbers in the post-mortem",
            reply_to="declare",
        ),
        m11(
            "06:52:10",
            "deploy-bot",
            "api-gateway cert bundle 2025-02-13 deployed to prod by @frank (36/36 pods)",
            channel="deploys",
            kind="deploy",
        ),
        m11(
            "06:53:00",
            "frank",
            "New cert live on all 36 gateway pods, handshakes succeeding",
            kind="mitigation",
            reactions=PIN,
        ),
        m11(
            "06:55:00",
            "alice",
            "📋 UPDATE #3 - 6:55 AM\n**Mitigation:** new certificate deployed "
            "at 6:53 AM, traffic recovering\n**Impact:** error rate 100% → 2% and falling\n"
            "**Next update:** 7:10 AM",
            kind="update",
        ),
        m11("06:58:20", "carol", "Status page -> *Monitoring*", kind="status_update"),
        m11(
            "07:10:00",
            "alice",
            "📋 UPDATE #4 - 7:10 AM\n**Status:** error rate at baseline for "
            "15 min\n**Next update:** 7:30 AM or on resolution",
            kind="update",
        ),
        m11(
            "07:30:00",
            "alice",
            "✅ INCIDENT RESOLVED - 7:30 AM\n**Duration:** 1h 30m (6:00 AM - "
            "7:30 AM PST)\n**Impact:** 100% of API and web requests failed for 53 min\n"
            "**Root Cause:** expired TLS certificate (auto-renewal broken since a DNS provider "
            "change)\n**Resolution:** hotfix: new certificate deployed",
            kind="resolve",
            pinned_by="dave",
        ),
        m11("07:30:40", "carol", "Status page -> *Resolved*", kind="status_update"),
        m11(
            "07:31:05",
            "pagerduty",
            "",
            channel="incidents",
            kind="resolve",
            attachment="Resolved #1049: api-gateway: Synthetic check failed - TLS handshake "
            "errors on api.acme.example",
        ),
    ),
    paging=Paging(
        pd_id="PH3C6ZA",
        number=1049,
        title="api-gateway: Synthetic check failed - TLS handshake errors on api.acme.example",
        urgency="high",
        priority="P1",
        entries=(
            p11("06:01:10", "trigger"),
            p11("06:01:15", "notify", "frank", "push_notification"),
            p11("06:06:15", "notify", "frank", "phone"),
            p11("06:16:10", "escalate", "alice", "timeout", level=2),
            p11("06:16:15", "notify", "alice", "phone"),
            p11("06:19:00", "acknowledge", "alice", "phone"),
            p11("06:25:00", "annotate", "alice", "SEV1 declared - expired TLS certificate"),
            p11("07:31:00", "resolve", "alice", "web_ui"),
        ),
    ),
    status_page=StatusIncident(
        sp_id="t5l9c2e7r4gj",
        name="Public API and website unavailable",
        impact="critical",
        updates=(
            u11(
                "06:28:00",
                "investigating",
                "Our website and Public API are unavailable. We are investigating.",
                api="major_outage",
                checkout="major_outage",
            ),
            u11(
                "06:35:00",
                "identified",
                "We have identified an expired certificate and are deploying a new one.",
                api="major_outage",
                checkout="major_outage",
            ),
            u11(
                "06:58:00",
                "monitoring",
                "A new certificate has been deployed and services are recovering. We are monitoring.",
                api="operational",
                checkout="operational",
            ),
            u11(
                "07:30:30",
                "resolved",
                "This incident has been resolved.",
                api="operational",
                checkout="operational",
            ),
        ),
    ),
)

# --- 2025-02-18: checkout v4.12.0 latency, rolled back (SEV2) --------------------------
D12 = (2025, 2, 18)
W12 = "incident-2025-02-18-checkout"
t12, m12, p12, u12 = clock(D12), messages_on(D12, W12), pages_on(D12), updates_on(D12)

CHECKOUT_LATENCY = Incident(
    incident_id="INC-20250218-1122",
    title="Checkout latency after v4.12.0",
    service="checkout",
    declared_severity="SEV2",
    final_severity="SEV2",
    inputs=SeverityInputs(percent_users_affected=9, performance_degradation=70),
    commander="erin",
    roles=(("IC", "erin"), ("TL", "frank"), ("Comms", "carol")),
    started_at=t12("11:05"),
    detected_at=t12("11:12:20"),
    declared_at=t12("11:22"),
    acknowledged_at=t12("11:14:50"),
    mitigated_at=t12("11:36:30"),
    resolved_at=t12("12:25"),
    mitigation="rollback",
    channel=W12,
    sources=("slack", "pagerduty", "statuspage"),
    quirks=("declaration edited a minute after posting", "Statuspage skips 'identified'"),
    messages=(
        m12(
            "11:02:00",
            "deploy-bot",
            "Deploying checkout v4.12.0 to prod (24 pods) started by @frank",
            channel="deploys",
            kind="deploy",
        ),
        m12(
            "11:04:30",
            "deploy-bot",
            "checkout v4.12.0 deployed to prod: 24/24 pods healthy",
            channel="deploys",
            kind="deploy",
        ),
        m12(
            "11:12:20",
            "pagerduty",
            "",
            channel="incidents",
            kind="alert",
            attachment="Triggered #1050: checkout: p95 latency > 3s",
        ),
        *(
            m12(f"11:21:{30 + i}", who, "", subtype="channel_join")
            for i, who in enumerate(("erin", "frank", "carol"))
        ),
        m12(
            "11:22:00",
            "erin",
            "SEV2 declared - I'm the Incident Commander. Checkout p95 is 3.4s "
            "(normally 1.1s) since the v4.12.0 deploy at 11:04 AM; ~9% of checkouts time out.\n"
            "Technical Lead: @frank\nComms: @carol\nNext update in 30 minutes",
            kind="declare",
            edited="11:23:10",
        ),
        m12(
            "11:22:30",
            "erin",
            "SEV2: checkout latency after v4.12.0 - #incident-2025-02-18-checkout",
            channel="incidents",
            kind="declare",
        ),
        m12(
            "11:28:30",
            "carol",
            "Status page: *Investigating* - slow checkout",
            kind="status_update",
            reactions=WATCH,
        ),
        m12(
            "11:30:00",
            "erin",
            "Decision: roll back checkout to v4.11.3. @frank: `kubectl rollout undo deployment/checkout`",
            kind="mitigation",
            reactions=PIN,
        ),
        m12(
            "11:31:00",
            "deploy-bot",
            "Rollback of checkout to v4.11.3 started by @frank",
            channel="deploys",
            kind="rollback",
        ),
        m12(
            "11:36:00",
            "deploy-bot",
            "checkout v4.11.3 deployed to prod (rollback): 24/24 pods healthy",
            channel="deploys",
            kind="deploy",
        ),
        m12("11:36:30", "frank", "Rollback complete, p95 back to 1.2s", kind="rollback", reactions=PIN),
        m12(
            "11:40:00",
            "erin",
            "Update: rolled back to v4.11.3 at 11:36 AM, latency normal. next update in 30 minutes",
            kind="update",
        ),
        m12("11:40:30", "carol", "Status page -> *Monitoring*", kind="status_update"),
        m12(
            "12:10:00",
            "erin",
            "Update: stable for 30 min. v4.12.0 added an N+1 query on the cart "
            "page; fix tracked in CHK-881. Next update at 12:25 PM or on resolution",
            kind="update",
        ),
        m12(
            "12:25:00",
            "erin",
            "✅ INCIDENT RESOLVED - 12:25 PM\n**Duration:** 1h 20m (11:05 AM - "
            "12:25 PM PST)\n**Impact:** checkout ~3x slower, ~9% of checkouts timed out\n"
            "**Resolution:** rollback to v4.11.3",
            kind="resolve",
        ),
        m12("12:25:40", "carol", "Status page -> *Resolved*", kind="status_update"),
        m12(
            "12:26:05",
            "pagerduty",
            "",
            channel="incidents",
            kind="resolve",
            attachment="Resolved #1050: checkout: p95 latency > 3s",
        ),
    ),
    paging=Paging(
        pd_id="PJ8Q5UV",
        number=1050,
        title="checkout: p95 latency > 3s",
        urgency="high",
        priority="P2",
        entries=(
            p12("11:12:20", "trigger"),
            p12("11:12:25", "notify", "erin", "push_notification"),
            p12("11:14:50", "acknowledge", "erin", "mobile"),
            p12("11:31:00", "annotate", "erin", "Rolling back to v4.11.3"),
            p12("12:26:00", "resolve", "erin", "web_ui"),
        ),
    ),
    status_page=StatusIncident(
        sp_id="k1c4o7t2h8yw",
        name="Slow checkout for some customers",
        impact="minor",
        updates=(
            u12(
                "11:28:00",
                "investigating",
                "Checkout is slower than usual for some customers. We are investigating.",
                checkout="degraded_performance",
            ),
            u12(
                "11:40:00",
                "monitoring",
                "A fix has been implemented and we are monitoring the results.",
                checkout="operational",
            ),
            u12("12:25:30", "resolved", "This incident has been resolved.", checkout="operational"),
        ),
    ),
)

# --- 2025-02-19: enterprise SSO logins, still open at export time ---------------------
D13 = (2025, 2, 19)
W13 = "incident-2025-02-19-sso"
t13, m13, p13, u13 = clock(D13), messages_on(D13, W13), pages_on(D13), updates_on(D13)

SSO_OPEN = Incident(
    incident_id="INC-20250219-1435",
    title="SSO logins failing for some enterprise customers",
    service="auth",
    declared_severity="SEV2",
    final_severity="SEV2",
    inputs=SeverityInputs(percent_users_affected=6, critical_customer_affected=True),
    commander="judy",
    roles=(("IC", "judy"), ("TL", "alice"), ("Comms", "carol")),
    started_at=t13("14:10"),
    detected_at=t13("14:22:05"),
    declared_at=t13("14:35"),
    acknowledged_at=t13("14:26:40"),
    mitigated_at=t13("15:48"),
    resolved_at=None,
    mitigation="workaround",
    channel=W13,
    sources=("slack", "pagerduty", "statuspage"),
    quirks=(
        "still open at export time: Statuspage monitoring, PagerDuty acknowledged, no resolution",
        "last update (4:05 PM) lands after midnight UTC, in 2025-02-20.json",
    ),
    messages=(
        m13(
            "14:22:05",
            "pagerduty",
            "",
            channel="incidents",
            kind="alert",
            attachment="Triggered #1051: auth: SAML assertion validation errors > 50/min",
        ),
        *(
            m13(f"14:34:{30 + i}", who, "", subtype="channel_join")
            for i, who in enumerate(("judy", "alice", "carol", "heidi"))
        ),
        m13(
            "14:35:00",
            "judy",
            "SEV2 declared - I'm the Incident Commander. SSO logins failing for "
            "enterprise tenants using Okta SAML (Initech, Umbrella, Globex): ~6% of users, "
            "password login unaffected.\nTechnical Lead: @alice\nComms: @carol\n"
            "Next update: 3:05 PM",
            kind="declare",
            pinned_by="judy",
        ),
        m13(
            "14:42:20",
            "carol",
            "Status page: *Investigating* - SSO login issues for some enterprise customers",
            kind="status_update",
            reactions=WATCH,
        ),
        m13(
            "14:50:00",
            "alice",
            "Okta rolled the signing cert for these 3 tenants at 14:10; our "
            "metadata cache still has the old cert.",
        ),
        m13(
            "15:05:00",
            "judy",
            "📋 UPDATE #2 - 3:05 PM\n**Cause:** stale IdP metadata (signing "
            "cert rollover)\n**Mitigation:** re-importing Okta metadata per tenant\n"
            "**Next update:** 3:35 PM",
            kind="update",
        ),
        m13("15:10:30", "carol", "Status page -> *Identified*", kind="status_update"),
        m13(
            "15:35:00",
            "judy",
            "📋 UPDATE #3 - 3:35 PM\n**Mitigation:** metadata re-imported for "
            "2/3 tenants\n**Next update:** 4:05 PM",
            kind="update",
        ),
        m13(
            "15:48:00",
            "alice",
            "Workaround applied for all 3 tenants: re-imported metadata & "
            "flushed the SAML cache. Logins succeeding.",
            kind="mitigation",
            reactions=(("pushpin", ("judy",)),),
        ),
        m13("15:55:30", "carol", "Status page -> *Monitoring*", kind="status_update"),
        m13(
            "16:05:00",
            "judy",
            "📋 UPDATE #4 - 4:05 PM\n**Status:** SSO logins succeeding for all "
            "3 tenants; checking other tenants with upcoming rollovers before we resolve\n"
            "**Next update:** 5:00 PM",
            kind="update",
        ),
        m13("16:12:00", "heidi", "Globex confirms SSO works again 🙏"),
    ),
    paging=Paging(
        pd_id="PE2Y7MF",
        number=1051,
        title="auth: SAML assertion validation errors > 50/min",
        urgency="high",
        priority="P2",
        entries=(
            p13("14:22:05", "trigger"),
            p13("14:22:10", "notify", "judy", "push_notification"),
            p13("14:26:40", "acknowledge", "judy", "mobile"),
            p13("15:50:00", "annotate", "judy", "Workaround applied for 3 tenants; monitoring"),
        ),
    ),
    status_page=StatusIncident(
        sp_id="s3s6o9q2f5nb",
        name="SSO login issues for some enterprise customers",
        impact="minor",
        updates=(
            u13(
                "14:42:00",
                "investigating",
                "Some enterprise customers cannot log in with SSO. We are investigating.",
                login="partial_outage",
            ),
            u13(
                "15:10:00",
                "identified",
                "We have identified the issue and are applying a fix per affected organisation.",
                login="partial_outage",
            ),
            u13(
                "15:55:00",
                "monitoring",
                "A fix has been applied for all affected organisations. We are monitoring.",
                login="operational",
            ),
        ),
    ),
)

INCIDENTS = (CERT_EXPIRY, CHECKOUT_LATENCY, SSO_OPEN)
