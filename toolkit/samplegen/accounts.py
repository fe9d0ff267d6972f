"""Acme's vendor accounts: Slack team, PagerDuty subdomain and team, the status page.

These are the plumbing every generated export shares (the sample and the benchmark
exports alike); the story itself (people, services, channels, incidents) lives in the
scenario files read by :mod:`.load`.
"""

from __future__ import annotations

TEAM_ID = "T0ACME"
SLACK_DOMAIN = "acme"
PD_SUBDOMAIN = "acme"
STATUS_URL = "https://status.acme.example"
ZOOM = "https://zoom.us/j/incident-war-room"

# Statuspage components: key -> (id, name, position)
COMPONENTS: dict[str, tuple[str, str, int]] = {
    "payments": ("p4ym3nts8k2q", "Payments API", 1),
    "checkout": ("ch3ck0ut5n7w", "Checkout", 2),
    "search": ("s3arch9v1x4m", "Search", 3),
    "login": ("l0g1n6s5o2rt", "Login & SSO", 4),
    "notifications": ("n0t1fy3p8z6d", "Notifications", 5),
    "api": ("ap1gw7q2r4ks", "Public API", 6),
}

STATUS_PAGE = {"id": "acm3st4tus01", "name": "Acme", "url": STATUS_URL}

ESCALATION_POLICY = ("PEPPROD", "Production Incidents")
PD_TEAM = ("PTENG01", "Engineering")

TEAM_TIME_ZONE = "America/Los_Angeles"
"""The team's time zone (PST in the sample's January and February)."""
