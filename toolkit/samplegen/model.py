"""The story's vocabulary: frozen dataclasses for people, messages, pages and incidents.

The sample writers only *render* these objects; every time, id and quirk lives here, so
that tests and notebooks can compare what an importer found with what really happened.
All datetimes are timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Severity = Literal["SEV1", "SEV2", "SEV3", "SEV4"]
Source = Literal["slack", "pagerduty", "statuspage", "postmortem"]
PageEntryType = Literal["trigger", "notify", "escalate", "acknowledge", "annotate", "resolve"]
StatusName = Literal["investigating", "identified", "monitoring", "resolved"]


@dataclass(frozen=True, slots=True)
class Person:
    """A member of the Acme workspace (a human or a bot user).

    ``key`` is the short handle used in story text (``@alice``), ``slack_id`` the Slack
    user id, ``pd_id`` the PagerDuty user id (``None`` for people without a PD seat).
    """

    key: str
    slack_id: str
    real_name: str
    title: str
    pd_id: str | None = None
    is_bot: bool = False
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class SeverityInputs:
    """The inputs of the seed's ``determine_severity`` decision tree."""

    revenue_impacted: bool = False
    data_breach: bool = False
    percent_users_affected: float = 0.0
    core_functionality_down: bool = False
    workaround_exists: bool = True
    performance_degradation: float = 0.0
    critical_customer_affected: bool = False
    non_critical_feature_broken: bool = False


def determine_severity(inputs: SeverityInputs) -> Severity:
    """The seed document's severity decision tree, verbatim in logic.

    Examples
    --------
    >>> determine_severity(SeverityInputs(percent_users_affected=15, performance_degradation=60))
    'SEV2'
    """
    if inputs.revenue_impacted or inputs.data_breach:
        return "SEV1"
    if inputs.percent_users_affected >= 25:
        return "SEV1"
    if inputs.core_functionality_down and not inputs.workaround_exists:
        return "SEV1"
    if inputs.percent_users_affected >= 10:
        return "SEV2"
    if inputs.performance_degradation >= 50:
        return "SEV2"
    if inputs.critical_customer_affected:
        return "SEV2"
    if inputs.percent_users_affected >= 1:
        return "SEV3"
    if inputs.non_critical_feature_broken:
        return "SEV3"
    return "SEV4"


@dataclass(frozen=True, slots=True)
class Message:
    """One Slack message of the story.

    ``text`` is written for humans: ``@alice`` becomes a ``<@U…>`` mention, a known
    ``#channel`` a ``<#C…|name>`` reference and ``[label](url)`` a ``<url|label>`` link
    when rendered; ``&``, ``<`` and ``>`` are escaped as Slack does. ``kind`` is the
    ground-truth meaning (an ``events.kind`` value). ``key`` names a message so that a
    reply (``reply_to``) can point at it. ``reactions`` are ``(emoji, (person keys))``.
    Bots post ``bot_message``s; ``as_user`` makes a bot post as its bot user instead
    (``user`` + ``bot_id``, no subtype). ``attachment`` is the alerting bot's attachment
    text (its ``text`` stays empty); ``file`` names an uploaded file.
    """

    at: datetime
    author: str
    text: str
    channel: str
    kind: str = "message"
    key: str | None = None
    reply_to: str | None = None
    reactions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    pinned_by: str | None = None
    edited_at: datetime | None = None
    subtype: str | None = None
    attachment: str | None = None
    file: str | None = None
    as_user: bool = False


@dataclass(frozen=True, slots=True)
class PageEntry:
    """One PagerDuty log entry; ``who`` is a person key or ``None`` for the service."""

    at: datetime
    type: PageEntryType
    who: str | None = None
    detail: str = ""
    level: int | None = None


@dataclass(frozen=True, slots=True)
class Paging:
    """The PagerDuty side of an incident.

    ``analytics_overrides`` lists deliberate disagreements between the Analytics raw
    incident and the log entries, as ``(field, value)`` pairs.
    """

    pd_id: str
    number: int
    title: str
    urgency: Literal["high", "low"]
    priority: str | None
    entries: tuple[PageEntry, ...]
    analytics_overrides: tuple[tuple[str, int], ...] = ()

    @property
    def status(self) -> str:
        """``resolved``, ``acknowledged`` or ``triggered`` from the entries."""
        types = {e.type for e in self.entries}
        if "resolve" in types:
            return "resolved"
        return "acknowledged" if "acknowledge" in types else "triggered"


@dataclass(frozen=True, slots=True)
class StatusUpdate:
    """One public Statuspage update; ``components`` are ``(component key, new status)``."""

    at: datetime
    status: StatusName
    body: str
    components: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class StatusIncident:
    """The Statuspage side of an incident; updates in chronological order."""

    sp_id: str
    name: str
    impact: Literal["none", "minor", "major", "critical"]
    updates: tuple[StatusUpdate, ...]
    postmortem_body: str | None = None
    postmortem_published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Incident:
    """Ground truth for one incident of the small sample.

    Times are UTC: ``started_at`` (impact began), ``detected_at`` (first alert or human
    report), ``declared_at`` (severity declared in Slack), ``acknowledged_at`` (first
    PagerDuty acknowledgement), ``mitigated_at`` (mitigation completed), ``resolved_at``
    (declared resolved; ``None`` while open) and ``postmortem_at`` (post-mortem meeting).
    ``true_severity`` is computed from ``inputs`` by the seed's decision tree and
    ``is_open`` from ``resolved_at``.
    """

    incident_id: str
    title: str
    service: str
    declared_severity: Severity | None
    final_severity: Severity | None
    inputs: SeverityInputs
    commander: str | None
    roles: tuple[tuple[str, str], ...]
    started_at: datetime
    detected_at: datetime
    declared_at: datetime | None
    acknowledged_at: datetime | None
    mitigated_at: datetime | None
    resolved_at: datetime | None
    mitigation: str | None
    channel: str | None
    sources: tuple[Source, ...]
    quirks: tuple[str, ...]
    messages: tuple[Message, ...] = ()
    paging: Paging | None = None
    status_page: StatusIncident | None = None
    postmortem_file: str | None = None
    postmortem_at: datetime | None = None
    true_severity: Severity = field(init=False)
    is_open: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "true_severity", determine_severity(self.inputs))
        object.__setattr__(self, "is_open", self.resolved_at is None)
