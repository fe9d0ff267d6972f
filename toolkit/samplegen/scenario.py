"""The bundled story, loaded once from ``toolkit/samplegen/scenario/``: 13 incidents, 2025-01-06 to 02-19.

``data/sample/README.md`` (generated) lists them with their sources; each incident's file
(``scenario/incidents/<date>-<name>.toml``) says what it is about in its ``quirks``.

Examples
--------
>>> checkout = BY_ID["INC-2025-01-21-checkout"]
>>> checkout.declared_severity, checkout.true_severity, checkout.inputs.explain()[1]
(<Severity.SEV3: 'SEV3'>, <Severity.SEV1: 'SEV1'>, 'users affected 30% >= 25%')
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
