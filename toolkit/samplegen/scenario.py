"""The bundled story, loaded once from ``toolkit/samplegen/scenario/``: 13 incidents, 2025-01-06 to 02-19.

======================================  ========  ========  ====  =====================================
incident_id                             service   declared  true  quirk
======================================  ========  ========  ====  =====================================
INC-2025-01-06-search                   search    SEV2      SEV2  baseline, war room archived
INC-2025-01-09-notifications            notif.    -         SEV4  PagerDuty only, auto-resolved
INC-2025-01-15-payment                  payment   SEV1      SEV1  the seed's incident, exact timeline
INC-2025-01-21-checkout                 checkout  SEV3      SEV1  mis-declared (30% of users)
INC-2025-01-23-auth                     auth      SEV2      SEV1  upgraded; 50-minute silence
INC-2025-01-28-api-gateway              api-gw    SEV2      SEV2  promised 11:00 update missed
INC-2025-01-30-push-notifications       notif.    SEV2      SEV3  downgraded; ``inc_`` channel
INC-2025-02-04-admin-console            admin     SEV4      SEV4  no updates, Slack thread only
INC-2025-02-06-search-autocomplete      search    SEV3      SEV3  Slack only
INC-2025-02-11-payment-webhooks         payment   SEV2      SEV2  first-time IC
INC-2025-02-13-api-gateway              api-gw    SEV1      SEV1  escalated page, 15-min cadence
INC-2025-02-18-checkout                 checkout  SEV2      SEV2  rollback
INC-2025-02-19-sso                      auth      SEV2      SEV2  still open
======================================  ========  ========  ====  =====================================

Examples
--------
>>> BY_ID["INC-2025-01-21-checkout"].declared_severity, BY_ID["INC-2025-01-21-checkout"].true_severity
(<Severity.SEV3: 'SEV3'>, <Severity.SEV1: 'SEV1'>)
"""

from __future__ import annotations

from datetime import datetime

from .load import load_scenario
from .model import Incident, Message, Scenario

STORY: Scenario = load_scenario()
"""The whole bundled story: people, services, channels, incidents, chatter."""

SCENARIO: tuple[Incident, ...] = STORY.incidents
"""The incidents of the small sample, in the order of their files (by id)."""

BY_ID: dict[str, Incident] = {i.incident_id: i for i in SCENARIO}

CHATTER: tuple[Message, ...] = STORY.chatter
"""Messages outside any incident: #general, unrelated deploys, the #incidents topic."""

EXPORT_AT: datetime = STORY.exported_at
"""When the exports were taken (16:30 PST on 2025-02-19); the open incident is open then."""
