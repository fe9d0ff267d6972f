"""The enums of the tidy tables (``StrEnum``: their values are what the tables hold)."""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "EventKind",
    "Impact",
    "IncidentStatus",
    "ItemStatus",
    "Priority",
    "Role",
    "SectionKind",
    "Severity",
    "Source",
    "UpdateStatus",
    "Visibility",
]


class Severity(StrEnum):
    """Incident severity of the seed's table (SEV1 most severe)."""

    SEV1 = "SEV1"
    SEV2 = "SEV2"
    SEV3 = "SEV3"
    SEV4 = "SEV4"


class EventKind(StrEnum):
    """What kind of thing happened on an incident's timeline."""

    alert = "alert"  # monitoring fired / PagerDuty trigger
    page = "page"  # a person was notified
    acknowledge = "acknowledge"
    unacknowledge = "unacknowledge"
    escalate = "escalate"
    assign = "assign"
    declare = "declare"  # incident declared (with a severity)
    role_assign = "role_assign"  # IC, TL, Comms, Scribe, SME named
    severity_change = "severity_change"
    update = "update"  # internal war-room update ("UPDATE #2 - 10:15 AM")
    update_promise = "update_promise"  # "Next update: 10:30 AM" (the promise, due at `due_at`)
    status_update = "status_update"  # public status-page update
    mitigation = "mitigation"  # failover, feature flag off, scale up, rate limit, hotfix
    deploy = "deploy"
    rollback = "rollback"
    resolve = "resolve"
    reopen = "reopen"
    postmortem = "postmortem"
    message = "message"  # a message marked as a timeline event (e.g. by a reaction)
    note = "note"  # annotation / note


class Source(StrEnum):
    """Where a row came from."""

    slack = "slack"
    pagerduty = "pagerduty"
    statuspage = "statuspage"
    postmortem = "postmortem"
    manual = "manual"


class Visibility(StrEnum):
    """Who saw an event: the war room (internal) or customers (public)."""

    internal = "internal"
    public = "public"


class UpdateStatus(StrEnum):
    """Status of a public status-page update (incidents, then scheduled maintenances)."""

    investigating = "investigating"
    identified = "identified"
    monitoring = "monitoring"
    resolved = "resolved"
    postmortem = "postmortem"
    scheduled = "scheduled"
    in_progress = "in_progress"
    verifying = "verifying"
    completed = "completed"


class Impact(StrEnum):
    """Status-page impact of an incident."""

    none = "none"
    minor = "minor"
    major = "major"
    critical = "critical"
    maintenance = "maintenance"


class IncidentStatus(StrEnum):
    """Lifecycle state of an incident."""

    open = "open"
    mitigated = "mitigated"
    resolved = "resolved"


class Priority(StrEnum):
    """Action-item priority (P0 most urgent)."""

    P0 = "P0"
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"


class ItemStatus(StrEnum):
    """Action-item state."""

    pending = "pending"
    in_progress = "in_progress"
    done = "done"
    cancelled = "cancelled"


class Role(StrEnum):
    """Incident roles of the seed's practice."""

    IC = "IC"  # Incident Commander
    TL = "TL"  # Technical Lead
    Comms = "Comms"  # Communications Lead
    Scribe = "Scribe"
    SME = "SME"  # Subject Matter Expert


class SectionKind(StrEnum):
    """What a post-mortem says in prose, section by section."""

    summary = "summary"  # executive summary
    impact = "impact"
    root_cause = "root_cause"  # the root-cause statement (the 5-Whys tree is in `whys`)
    went_well = "went_well"
    went_wrong = "went_wrong"
    lucky = "lucky"  # where we got lucky
    lessons = "lessons"
    follow_up = "follow_up"
