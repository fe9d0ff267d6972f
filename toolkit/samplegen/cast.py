"""Who and what the story is about: people, bots, Slack channels, services, components."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Person

TEAM_ID = "T0ACME"
SLACK_DOMAIN = "acme"
PD_SUBDOMAIN = "acme"
STATUS_URL = "https://status.acme.example"
ZOOM = "https://zoom.us/j/incident-war-room"

PEOPLE: tuple[Person, ...] = (
    Person("alice", "U0ALICE", "Alice Chen", "Engineering Manager, IC rotation", "PALICE7"),
    Person("bob", "U0BOB", "Bob Martinez", "Senior SRE", "PBOBM42"),
    Person("carol", "U0CAROL", "Carol Johnson", "Support & Comms Lead", "PCAROL3"),
    Person("dave", "U0DAVE", "Dave Kim", "SRE", "PDAVEK9"),
    Person("erin", "U0ERIN", "Erin O'Brien", "Backend Engineer, Payments", "PERINO5"),
    Person("frank", "U0FRANK", "Frank Osei", "Platform Engineer", "PFRANK8"),
    Person("grace", "U0GRACE", "Grace Liu", "Search Engineer", "PGRACE2"),
    Person("heidi", "U0HEIDI", "Heidi Schmidt", "Customer Support"),
    Person("ivan", "U0IVAN", "Ivan Petrov", "Database Engineer", "PIVANP6"),
    Person("judy", "U0JUDY", "Judy Alvarez", "Identity Team Lead", "PJUDYA4"),
    Person("kenji", "U0KENJI", "Kenji Watanabe", "Mobile Engineer", "PKENJI1"),
    Person("lena", "U0LENA", "Lena Fischer", "VP Engineering", "PLENAF0"),
    Person("oscar", "U0OSCAR", "Oscar Diaz", "Former Engineer", deleted=True),
    Person("incident-bot", "U0INCBOT", "incident-bot", "Incident bot", is_bot=True),
)
PEOPLE_BY_KEY = {p.key: p for p in PEOPLE}


@dataclass(frozen=True, slots=True)
class Bot:
    """A Slack integration that posts ``bot_message``s (``user`` only if ``user_id``)."""

    key: str
    bot_id: str
    app_id: str
    name: str
    user_id: str | None = None


BOTS: tuple[Bot, ...] = (
    Bot("incident-bot", "B0INCBOT", "A0INCBOT", "incident-bot", "U0INCBOT"),
    Bot("pagerduty", "B0PGDUTY", "A0PGDUTY", "PagerDuty"),
    Bot("deploy-bot", "B0DEPLOY", "A0DEPLOY", "deploy-bot"),
)
BOTS_BY_KEY = {b.key: b for b in BOTS}


@dataclass(frozen=True, slots=True)
class Channel:
    """A Slack channel of the sample workspace."""

    name: str
    channel_id: str
    purpose: str
    is_general: bool = False
    archived: bool = False
    creator: str | None = None

    @property
    def war_room(self) -> bool:
        """Whether this is an incident war room (``incident-…`` or ``inc_…``)."""
        return self.name.startswith(("incident-", "inc_"))


CHANNELS: tuple[Channel, ...] = (
    Channel("general", "C0GENERAL", "Company-wide announcements and work-based matters", True),
    Channel("deploys", "C0DEPLOYS", "Production deploy log (deploy-bot)"),
    Channel("incidents", "C0INCIDENTS", "Incident declarations, alerts and coordination"),
    Channel("incident-2025-01-06-search", "C0W0106SRCH", "War room: search latency", archived=True),
    Channel("incident-2025-01-15-payment", "C0W0115PAY", "War room: payment-service outage"),
    Channel(
        "incident-2025-01-21-checkout",
        "C0W0121CHK",
        "War room: checkout errors",
        creator="incident-bot",
    ),
    Channel("incident-2025-01-23-auth", "C0W0123AUTH", "War room: login failures"),
    Channel("incident-2025-01-28-api-gateway", "C0W0128API", "War room: API gateway 5xx"),
    Channel("inc_2025-01-30_push-notifications", "C0W0130NTF", "War room: EU push notifications"),
    Channel("incident-2025-02-06-search-autocomplete", "C0W0206SRCH", "War room: autocomplete"),
    Channel("incident-2025-02-11-payment-webhooks", "C0W0211PAY", "War room: webhook delays"),
    Channel("incident-2025-02-13-api-gateway", "C0W0213API", "War room: TLS certificate expiry"),
    Channel("incident-2025-02-18-checkout", "C0W0218CHK", "War room: checkout latency"),
    Channel("incident-2025-02-19-sso", "C0W0219SSO", "War room: enterprise SSO logins"),
)
CHANNELS_BY_NAME = {c.name: c for c in CHANNELS}


@dataclass(frozen=True, slots=True)
class Service:
    """A production service: its PagerDuty service id and Statuspage component key."""

    key: str
    pd_id: str
    display: str
    component: str | None


SERVICES: tuple[Service, ...] = (
    Service("payment-service", "PSVPAY1", "payment-service", "payments"),
    Service("checkout", "PSVCHK2", "checkout", "checkout"),
    Service("search", "PSVSRC3", "search", "search"),
    Service("auth", "PSVAUT4", "auth", "login"),
    Service("notifications", "PSVNTF5", "notifications", "notifications"),
    Service("api-gateway", "PSVAPI6", "api-gateway", "api"),
    Service("admin-console", "PSVADM7", "admin-console (internal)", None),
)
SERVICES_BY_KEY = {s.key: s for s in SERVICES}

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
