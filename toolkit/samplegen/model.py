"""The story's vocabulary: frozen dataclasses the scenario files are loaded into.

The sample writers only *render* these objects; every time, id and quirk lives in the
scenario files (``toolkit/samplegen/scenario/``, read by :mod:`.load`), so that tests and
notebooks can compare what an importer found with what really happened. All datetimes
are timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from toolkit.policy import explain_severity
from toolkit.schema import ItemStatus, Priority, Severity

Source = Literal["slack", "pagerduty", "statuspage", "postmortem"]
PageEntryType = Literal["trigger", "notify", "escalate", "acknowledge", "annotate", "resolve"]
StatusName = Literal["investigating", "identified", "monitoring", "resolved"]
Impact = Literal["none", "minor", "major", "critical"]


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
class Bot:
    """A Slack integration that posts ``bot_message``s (``user`` only if ``user_id``)."""

    key: str
    bot_id: str
    app_id: str
    name: str
    user_id: str | None = None


@dataclass(frozen=True, slots=True)
class Channel:
    """A Slack channel of the sample workspace (a war room or an ordinary channel)."""

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


@dataclass(frozen=True, slots=True)
class Service:
    """A production service: its PagerDuty service id and Statuspage component key."""

    key: str
    pd_id: str
    display: str
    component: str | None = None


@dataclass(frozen=True, slots=True)
class SeverityInputs:
    """The inputs of the seed's ``determine_severity`` decision tree.

    Defaults are those of :func:`toolkit.policy.explain_severity`.

    Examples
    --------
    >>> SeverityInputs(percent_users_affected=15, performance_degradation=60).severity()
    <Severity.SEV2: 'SEV2'>
    """

    revenue_impacted: bool = False
    data_breach: bool = False
    percent_users_affected: float = 0.0
    core_functionality_down: bool = False
    workaround_exists: bool = False
    performance_degradation: float = 0.0
    critical_customer_affected: bool = False
    non_critical_feature_broken: bool = False

    def explain(self) -> tuple[Severity, str]:
        """Severity by the policy's decision tree and the rule that decided it."""
        return explain_severity(**asdict(self))

    def severity(self) -> Severity:
        """Severity by the policy's decision tree (:func:`toolkit.policy.explain_severity`)."""
        return self.explain()[0]


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
    """One PagerDuty log entry; ``who`` is a person key or ``None`` for the service.

    ``via`` is the channel (``push_notification``, ``sms``, ``phone``, ``mobile``,
    ``web_ui``, ``api``, ``timeout``), ``note`` an annotation's text and ``level`` the
    escalation level reached.
    """

    at: datetime
    type: PageEntryType
    who: str | None = None
    via: str = ""
    note: str = ""
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

    def first(self, kind: PageEntryType) -> PageEntry | None:
        """The first entry of one type, or ``None``."""
        return next((e for e in self.entries if e.type == kind), None)


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
    impact: Impact
    updates: tuple[StatusUpdate, ...]
    postmortem_body: str | None = None
    postmortem_published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Promise:
    """A promised next update ("Next update: 10:30 AM") and whether it was kept.

    ``answered_at`` is the next update or the resolution after ``made_at`` (``None``
    while none came); ``kept`` is whether it came by ``due_at`` plus a 5-minute grace
    (``None`` while pending); ``late_min`` counts from ``due_at`` (0 when on time).
    """

    made_at: datetime
    due_at: datetime
    answered_at: datetime | None
    kept: bool | None
    late_min: float | None


@dataclass(frozen=True, slots=True)
class Cadence:
    """Gaps between updates, in minutes.

    ``internal_gaps_min``: declaration → each war-room update → resolution (open: up to
    the last update). ``public_gaps_min``: between consecutive status-page updates.
    """

    internal_gaps_min: tuple[float, ...] = ()
    public_gaps_min: tuple[float, ...] = ()
    first_public_update: datetime | None = None

    @property
    def longest_internal_silence_min(self) -> float | None:
        """The longest internal gap, or ``None`` without updates."""
        return max(self.internal_gaps_min, default=None)

    @property
    def longest_public_silence_min(self) -> float | None:
        """The longest public gap, or ``None`` with fewer than two public updates."""
        return max(self.public_gaps_min, default=None)


@dataclass(frozen=True, slots=True)
class ActionItem:
    """One action item as the post-mortem lists it."""

    priority: Priority
    owner: str
    due: date
    status: ItemStatus


@dataclass(frozen=True, slots=True)
class Postmortem:
    """What a correct importer reads from the incident's post-mortem document.

    ``meeting_at`` is when the post-mortem meeting was held (it is not in the document).
    """

    file: str
    meeting_at: datetime
    severity: Severity
    commander: str
    timeline_rows: int
    timeline_first: datetime
    timeline_last: datetime
    whys: int
    action_items: tuple[ActionItem, ...]


@dataclass(frozen=True, slots=True)
class Incident:
    """Ground truth for one incident of the small sample.

    ``incident_id`` is the id the workspace shows once sources are linked (see the
    sample README). Times are UTC: ``started_at`` (impact began), ``detected_at`` (first
    alert or human report), ``declared_at`` (severity declared in Slack),
    ``acknowledged_at`` (first PagerDuty acknowledgement), ``mitigated_at`` (mitigation
    completed) and ``resolved_at`` (declared resolved; ``None`` while open).
    ``true_severity`` is what the seed's decision tree gives on ``inputs``.
    """

    incident_id: str
    title: str
    service: str
    declared_severity: Severity | None
    final_severity: Severity | None
    true_severity: Severity
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
    war_room: Channel | None
    sources: tuple[Source, ...]
    quirks: tuple[str, ...]
    messages: tuple[Message, ...] = ()
    paging: Paging | None = None
    status_page: StatusIncident | None = None
    postmortem: Postmortem | None = None
    cadence: Cadence = Cadence()
    promises: tuple[Promise, ...] = ()

    @property
    def channel(self) -> str | None:
        """The war room's channel name, or ``None``."""
        return self.war_room.name if self.war_room else None

    @property
    def is_open(self) -> bool:
        """Whether the incident was unresolved when the exports were taken."""
        return self.resolved_at is None

    @property
    def postmortem_file(self) -> str | None:
        """The post-mortem document's file name, or ``None``."""
        return self.postmortem.file if self.postmortem else None

    @property
    def postmortem_at(self) -> datetime | None:
        """When the post-mortem meeting was held, or ``None``."""
        return self.postmortem.meeting_at if self.postmortem else None


@dataclass(frozen=True, slots=True)
class Scenario:
    """The whole story: the cast, the incidents and the chatter between them."""

    people: tuple[Person, ...]
    bots: tuple[Bot, ...]
    services: tuple[Service, ...]
    channels: tuple[Channel, ...]
    """Ordinary channels first, then the war rooms in incident order."""
    incidents: tuple[Incident, ...]
    chatter: tuple[Message, ...]
    exported_at: datetime
    folder: Path
    """Where the scenario was read from; post-mortem documents are in ``folder/postmortems``."""

    def person(self, key: str) -> Person:
        """The person with handle ``key``."""
        return next(p for p in self.people if p.key == key)

    def bot(self, key: str) -> Bot | None:
        """The bot with key ``key``, or ``None`` when ``key`` is a person."""
        return next((b for b in self.bots if b.key == key), None)

    def service(self, key: str) -> Service:
        """The service with key ``key``."""
        return next(s for s in self.services if s.key == key)

    def channel(self, name: str) -> Channel:
        """The channel called ``name``."""
        return next(c for c in self.channels if c.name == name)

    def incident(self, incident_id: str) -> Incident:
        """The incident with id ``incident_id``."""
        return next(i for i in self.incidents if i.incident_id == incident_id)

    def messages(self) -> tuple[Message, ...]:
        """Every Slack message of the sample: the incidents' and the chatter."""
        return tuple(m for i in self.incidents for m in i.messages) + self.chatter
