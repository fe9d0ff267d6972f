"""What a timeline row says: its kind, its milestone marker, who did it, and roles it hands out.

Kinds are inferred by keyword (first rule that matches): resolve, status_update (public:
"Status page: ..."), severity_change ("Upgraded to SEV1"), declare, escalate, acknowledge,
rollback, alert, page, mitigation, deploy, update, else message. A short label before a
colon decides first, so "Decision: Rollback to v2.4" is an ``update`` while "Rollback
completed" is a ``rollback``.

**Milestone markers** written in capitals, as the SRE book's example does, name the
incident's milestones and set the row's kind: ``OUTAGE BEGINS`` / ``IMPACT STARTS`` (impact
start → ``started_at``), ``INCIDENT BEGINS`` / ``INCIDENT DECLARED`` (``declared_at``,
kind declare), ``OUTAGE MITIGATED`` (``mitigated_at``, kind mitigation), ``OUTAGE ENDS`` /
``IMPACT ENDS`` (impact end → ``resolved_at``, kind resolve) and ``INCIDENT ENDS`` /
``INCIDENT CLOSED`` (the incident closed, kind resolve; ``resolved_at`` when no impact
end is written). Written in lower case, "impact began/ended" and "outage mitigated" count too.

The actor is taken where the row states it: an Actor/Who column, ``IC (Alice)``,
``Alice (IC)``, a role resolved through the participants (``TL identified ...`` → Bob when
"Bob (TL)"), a named person first (``docbrown receives ...``), or ``... by @bob``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from toolkit.schema import EventKind

__all__ = ["ROLE_ALIASES", "event_actor", "event_kind", "milestone", "role_handoffs"]

_KIND_RULES: tuple[tuple[EventKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rx, re.IGNORECASE))
    for kind, rx in (
        (
            EventKind.resolve,
            r"\bresolved\b|\bresolution\b|\bincident (?:closed|over|ended)\b|\ball[- ]clear\b",
        ),
        (
            EventKind.status_update,
            r"\bstatus ?page\b|\bstatuspage\b|\bpublic (?:update|notice)\b|\bcustomers? notified\b",
        ),
        (
            EventKind.severity_change,
            r"\b(?:up|down)grad\w*\b.*\bsev ?[1-4]\b|\b(?:raised|lowered|changed|escalated|bumped)\b.*\bto sev ?[1-4]\b"
            r"|\bsev ?[1-4] ?(?:→|->) ?sev ?[1-4]\b",
        ),
        (EventKind.declare, r"\bdeclared?\b|\bdeclares\b|\bsev ?[1-4] (?:incident )?(?:opened|called)\b"),
        (EventKind.escalate, r"\bescalat\w*"),
        (EventKind.acknowledge, r"\backnowledg\w*|\back(?:ed)?\b"),
        (EventKind.rollback, r"\broll(?:ed|ing)?[- ]?backs?\b|\breverted?\b|\breverting\b"),
        (EventKind.alert, r"\balert(?:s|ed|ing)?\b|\balarms?\b|\bmonitor(?:ing)? (?:fired|triggered)\b"),
        (EventKind.page, r"\bpaged\b|\bpage sent\b|\bon-?call (?:paged|notified)\b|\bpager\b"),
        (
            EventKind.mitigation,
            r"\bfail(?:ed)?[- ]?over\b|\bfeature[- ]flag\b|\bcircuit[- ]breaker\b|\bscaled? (?:up|out)\b"
            r"|\brate[- ]limit|\bhot[- ]?fix\b|\bmitigat\w*|\btraffic (?:shed|shift)\w*|\brestart(?:ed)?\b"
            r"|\bblock(?:ed|ing)?\b|\bdisabled?\b|\bthrottled\b",
        ),
        (EventKind.deploy, r"\bdeploy(?:ed|ment|ing|s)?\b|\breleased?\b|\brolled out\b|\bshipped\b"),
        (
            EventKind.update,
            r"\bupdates?\b|\bhypothes[ie]s\b|\bdecision\b|\bdecided\b|\bidentified\b|\bfound\b|\binvestigat\w*"
            r"|\bmetrics?\b|\bmonitoring\b|\berror rate\b|\bstable\b|\broot cause\b|\breview\b|\bconfirmed\b",
        ),
    )
)
_LABEL_RX = re.compile(r"^\s*(?P<label>[^:]{1,40}):\s+\S")

_MARKERS: tuple[tuple[str, EventKind | None, re.Pattern[str]], ...] = (
    (
        "started",
        None,
        re.compile(
            r"\b(?:OUTAGE|IMPACT|DEGRADATION)\s+(?:BEGINS|BEGAN|STARTS|STARTED)\b"
            r"|(?i:\b(?:impact|outage)\s+(?:begins|began|starts|started)\b)"
        ),
    ),
    ("declared", EventKind.declare, re.compile(r"\bINCIDENT\s+(?:BEGINS|BEGAN|STARTS|STARTED|DECLARED)\b")),
    (
        "mitigated",
        EventKind.mitigation,
        re.compile(
            r"\b(?:OUTAGE|IMPACT|INCIDENT)\s+MITIGATED\b|(?i:\b(?:impact|outage)\s+(?:was\s+)?mitigated\b)"
        ),
    ),
    (
        "resolved",
        EventKind.resolve,
        re.compile(
            r"\b(?:OUTAGE|IMPACT|DEGRADATION)\s+(?:ENDS|ENDED|OVER|RESOLVED)\b"
            r"|(?i:\b(?:impact|outage)\s+(?:ends|ended|is\s+over)\b)"
        ),
    ),
    ("closed", EventKind.resolve, re.compile(r"\bINCIDENT\s+(?:ENDS|ENDED|CLOSED|RESOLVED|OVER)\b")),
)


_MARKER_HINT_RX = re.compile(r"OUTAGE|INCIDENT|IMPACT|DEGRADATION|(?i:impact|outage)")


def milestone(text: str) -> tuple[str, EventKind | None, str] | None:
    """The milestone a row's marker names, the kind it sets, and the text without the marker.

    Examples
    --------
    >>> milestone("OUTAGE BEGINS — Search backends start melting down under load")
    ('started', None, 'Search backends start melting down under load')
    """
    if not _MARKER_HINT_RX.search(text):
        return None
    for name, kind, rx in _MARKERS:
        m = rx.search(text)
        if m:
            rest = (text[: m.start()] + " " + text[m.end() :]).strip(" ,;:—–-")
            return name, kind, " ".join(rest.split())
    return None


def event_kind(text: str) -> EventKind:
    """The kind of a timeline row, by keyword (first matching rule; ``message`` otherwise).

    A short label before a colon decides first ("Decision: Rollback to v2.4" is an
    ``update``, "Status page: ..." a ``status_update``); else the whole text is read.

    Examples
    --------
    >>> event_kind("Decision: Rollback to v2.4"), event_kind("Rollback completed, monitoring metrics")
    (<EventKind.update: 'update'>, <EventKind.rollback: 'rollback'>)
    """
    m = _LABEL_RX.match(text)
    if m:
        for kind, rx in _KIND_RULES:
            if rx.search(m.group("label")):
                return kind
    for kind, rx in _KIND_RULES:
        if rx.search(text):
            return kind
    return EventKind.message


ROLE_ALIASES = {
    "ic": "IC", "incident commander": "IC", "commander": "IC", "incident lead": "IC",
    "incident manager": "IC",
    "tl": "TL", "tech lead": "TL", "technical lead": "TL", "ops lead": "TL", "operations lead": "TL",
    "comms": "Comms", "comms lead": "Comms", "communications lead": "Comms", "communications": "Comms",
    "communication lead": "Comms", "customer liaison": "Comms",
    "scribe": "Scribe", "note taker": "Scribe", "notetaker": "Scribe",
    "sme": "SME", "smes": "SME", "subject matter expert": "SME", "subject matter experts": "SME",
}  # fmt: skip
"""Role names as written (lower case) → canonical role (IC, TL, Comms, Scribe, SME)."""
_ROLE_ALT = "|".join(sorted((re.escape(r) for r in ROLE_ALIASES), key=len, reverse=True))
_ROLE_NAME_RX = re.compile(rf"^(?P<role>{_ROLE_ALT})\s*\(\s*@?(?P<name>[^)]+?)\s*\)", re.IGNORECASE)
_NAME_ROLE_RX = re.compile(
    rf"^@?(?P<name>[A-Z][\w.-]*(?: [A-Z][\w.-]*)?)\s*\(\s*(?P<role>{_ROLE_ALT})\s*\)", re.IGNORECASE
)
_ROLE_LEAD_RX = re.compile(rf"^(?P<role>{_ROLE_ALT})\b", re.IGNORECASE)
_BY_RX = re.compile(r"\bby @?(?P<name>[A-Z][\w.-]*(?: [A-Z][\w.-]*)?|@[\w.-]+)")
_FIRST_RX = re.compile(r"^@?([\w.-]+)")
_HANDOFF_RXS = (
    re.compile(
        rf"\bnam(?:es|ed|ing)\s+@?(?P<name>[\w.-]+)\s+(?:as\s+)?(?:the\s+)?(?P<role>{_ROLE_ALT})\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"@?(?P<name>[\w.-]+)\s+(?:is|as|becomes|became|took\s+over\s+as|takes\s+over\s+as)\s+(?:the\s+)?"
        rf"(?P<role>{_ROLE_ALT})\b",
        re.IGNORECASE,
    ),
)


def event_actor(text: str, roles: Mapping[str, str], names: Sequence[str]) -> str | None:
    """Who did it, where the row says (see the module docstring); ``names`` longest first.

    Examples
    --------
    >>> event_actor("TL identified: DB connection pool at 100%", {"TL": "Bob"}, ["Bob"])
    'Bob'
    >>> event_actor("docbrown receives pager storm", {}, ["docbrown"])
    'docbrown'
    """
    for rx in (_ROLE_NAME_RX, _NAME_ROLE_RX):
        m = rx.match(text)
        if m:
            return m.group("name").strip()
    m = _ROLE_LEAD_RX.match(text)
    if m:
        role = ROLE_ALIASES[m.group("role").lower()]
        return roles.get(role, role)
    folded = text.casefold()
    for name in names:  # longest first: "Priya Patel identified ..."
        if name and folded.startswith(name.casefold()) and not text[len(name) : len(name) + 1].isalnum():
            return text[: len(name)]
    first = _FIRST_RX.match(text)
    if first and first.group(1) in names:
        return first.group(1)
    m = _BY_RX.search(text)
    if m and (m.group("name").startswith("@") or m.group("name").split()[0] in names):
        return m.group("name").lstrip("@")
    return None


_ROLE_HINT_RX = re.compile(rf"(?i)\b(?:{_ROLE_ALT})\b")


def role_handoffs(text: str) -> list[tuple[str, str]]:
    """(role, person) handed out in a row: "names jennifer incident commander", "bob is TL".

    Examples
    --------
    >>> role_handoffs("docbrown declares incident #465, names jennifer incident commander")
    [('IC', 'jennifer')]
    """
    out: list[tuple[str, str]] = []
    if not _ROLE_HINT_RX.search(text):
        return out
    for rx in _HANDOFF_RXS:
        for m in rx.finditer(text):
            name = m.group("name")
            if name.lower() not in ROLE_ALIASES and name.lower() not in ("who", "which", "that", "it"):
                out.append((ROLE_ALIASES[m.group("role").lower()], name))
    return out
