"""What a draft knows: :class:`Facts` about one incident as it stood at one moment.

Templates read these attributes (``f.impact``, ``f.steps`` ...); a team's own templates
can use any of them. Times are aware UTC datetimes (the templates' filters print them in
the team's or the customers' zone); untrusted text is kept as written (the renderer
escapes it for the output format).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from toolkit.comms.records import Post, Row

__all__ = ["PHASES", "ROLE_NAMES", "STRATEGY_LABELS", "Facts", "Item", "Person", "Step", "phase_of"]

PHASES = ("Investigating", "Identified", "Monitoring", "Resolved")
"""The status-page phases, in order."""

ROLE_NAMES: Mapping[str, str] = {
    "IC": "Incident Commander",
    "TL": "Technical Lead",
    "Comms": "Communications Lead",
    "Scribe": "Scribe",
    "SME": "Subject Matter Expert",
}

STRATEGY_LABELS: Mapping[str, str] = {
    "rollback": "Rollback",
    "failover": "Failover",
    "feature_flag": "Feature disabled",
    "rate_limit": "Traffic shed",
    "hotfix": "Hotfix",
    "other": "Mitigation",
    "deploy": "Fix deployed",
}
"""How a step's strategy (:mod:`toolkit.timeline.mitigation`) reads in a message."""


@dataclass(frozen=True)
class Person:
    """Someone named in a draft: their name, and their Slack handle when the war room used one."""

    name: str
    handle: str | None = None


@dataclass(frozen=True)
class Step:
    """A mitigation, rollback or deploy: when, what the war room said, done or not, which strategy."""

    at: datetime
    text: str
    done: bool
    strategy: str

    @property
    def label(self) -> str:
        """``Rollback``, ``Failover`` ... (:data:`STRATEGY_LABELS`)."""
        return STRATEGY_LABELS.get(self.strategy, "Mitigation")


@dataclass(frozen=True)
class Item:
    """An action item."""

    title: str
    owner: str | None
    priority: str | None
    status: str | None
    kind: str | None
    due: date | None


@dataclass(frozen=True)
class Facts:
    """One incident as it stood at :attr:`at` (see :func:`toolkit.comms.facts`).

    Until the incident is resolved, only what was recorded by ``at`` counts: events,
    milestones, roles, status-page posts, fields the war room stated (``**Impact:** ...``).
    From the resolution on (:attr:`retrospective`), what the post-mortem says about the
    incident as a whole counts too: its timeline rows, sections, 5-Whys and action items.
    """

    incident_id: str
    at: datetime
    retrospective: bool
    severity: str | None
    title: str | None
    service: str | None
    components: tuple[str, ...]
    system: str | None
    war_room: str | None
    bridge: str | None
    started_at: datetime | None
    detected_at: datetime | None
    declared_at: datetime | None
    mitigated_at: datetime | None
    resolved_at: datetime | None
    postmortem_at: datetime | None
    phase: str
    roles: Mapping[str, tuple[Person, ...]]
    commander: Person | None
    responders: tuple[Person, ...]
    impact: tuple[str, ...]
    """The impact as the war room last stated it."""
    impact_report: tuple[str, ...]
    """The post-mortem's impact lines (retrospective only)."""
    users_affected_pct: float | None
    update_number: int
    last_update_at: datetime | None
    next_update_at: datetime | None
    next_update_promised: bool
    cadence_minutes: int | None
    stakeholder_updates: bool
    investigation: tuple[str, ...]
    """What the war room last stated under ``**Investigation:**``."""
    mitigation: tuple[str, ...]
    """What the war room last stated under ``**Mitigation:**``."""
    findings: tuple[Row, ...]
    steps: tuple[Step, ...]
    root_cause: str | None
    root_causes: tuple[str, ...]
    resolution: str | None
    outcome: tuple[str, ...]
    next_steps: tuple[str, ...]
    postmortem_said: str | None
    """When the war room said the post-mortem meeting is ("Tomorrow (Jan 16) at 2 PM")."""
    postmortem_due: datetime | None
    stable_minutes: int
    items: tuple[Item, ...]
    posts: tuple[Post, ...]
    public_title: str | None
    public_components: tuple[str, ...]
    public_link: str | None
    public_postmortem: Row | None
    timeline: tuple[Row, ...]
    staff: frozenset[str] = field(default_factory=frozenset)
    """Names, handles and e-mail addresses of the workspace's people (kept out of external drafts)."""

    @property
    def start(self) -> datetime | None:
        """When the impact started (else was detected, else declared)."""
        return self.started_at or self.detected_at or self.declared_at

    @property
    def end(self) -> datetime:
        """The resolution, or :attr:`at` while the incident is open."""
        return self.resolved_at or self.at

    @property
    def duration(self) -> timedelta | None:
        """From :attr:`start` to :attr:`end`."""
        return None if self.start is None else self.end - self.start

    @property
    def fixes(self) -> tuple[Step, ...]:
        """The steps that resolved it: completed mitigations, and deploys after the first of them."""
        first = next((s.at for s in self.steps if s.done and s.strategy != "deploy"), None)
        return tuple(
            s for s in self.steps if s.done and (s.strategy != "deploy" or first is None or s.at >= first)
        )

    @property
    def impact_summary(self) -> str | None:
        """The impact in one line: as the war room last stated it, else the post-mortem's first line."""
        if self.impact:
            return "; ".join(self.impact)
        if self.impact_report:
            return self.impact_report[0]
        if self.users_affected_pct is not None:
            return f"{self.users_affected_pct:g}% of users affected"
        return None

    @property
    def affected(self) -> str | None:
        """What customers saw affected: the status page's components (else the incident's), as words."""
        names = list(self.public_components or self.components)
        if not names:
            return None
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"

    @property
    def affected_are(self) -> bool:
        """Whether :attr:`affected` names several things ("... are recovering")."""
        return len(self.public_components or self.components) > 1

    @property
    def phase_posts(self) -> tuple[Post, ...]:
        """The public posts of the current phase."""
        return tuple(p for p in self.posts if phase_of(p.phase) == self.phase)

    def role(self, name: str) -> Person | None:
        """The (latest) holder of role ``name`` (``IC``, ``TL``, ``Comms``, ``Scribe``)."""
        held = self.roles.get(name, ())
        return held[-1] if held else None


def phase_of(status: str) -> str:
    """The phase (:data:`PHASES`) of a status-page status (``investigating`` ... ``postmortem``)."""
    s = status.strip().casefold()
    if s in ("resolved", "postmortem", "completed"):
        return "Resolved"
    return next((p for p in PHASES if p.casefold() == s), "Investigating")
