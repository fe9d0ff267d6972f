"""The severity policy: response times, update cadences, the decision tree, deadlines.

The shipped default (``data/policy.toml``) carries the seed document's values; a team's
own TOML overrides any part of it and is validated with errors that name the file and key.

``[time_zones]`` is the one table of zone labels every importer reads times with (see
:mod:`toolkit.clock`): label → IANA zone or fixed offset (``PST = "America/Los_Angeles"``,
``IST = "UTC+05:30"``). The old ``[slack.time_zones]`` is refused with an error that names
the new table.

Examples
--------
>>> policy = Policy.default()
>>> policy.severities[Severity.SEV2].update_max_minutes
60
>>> determine_severity(percent_users_affected=15, performance_degradation=60)
<Severity.SEV2: 'SEV2'>
>>> policy.time_zones["PST"]
'America/Los_Angeles'
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from toolkit.clock import zone_info
from toolkit.errors import ArgumentError, PolicyError
from toolkit.schema import Priority, Severity

__all__ = [
    "DEFAULT_POLICY_PATH",
    "Comms",
    "Decision",
    "Policy",
    "SeverityPolicy",
    "SlackRules",
    "Team",
    "determine_severity",
    "explain_severity",
]


def _default_policy_path() -> Path:
    packaged = Path(__file__).parent / "_data" / "policy.toml"
    if packaged.exists():
        return packaged
    return Path(__file__).resolve().parents[1] / "data" / "policy.toml"


DEFAULT_POLICY_PATH = _default_policy_path()
"""The shipped default policy file."""


@dataclass(frozen=True)
class SeverityPolicy:
    """What one severity level demands."""

    severity: Severity
    impact: str
    response: str
    response_minutes: int | None
    """Minutes allowed before response starts; 0 = immediate, None = best effort."""
    update_min_minutes: int | None
    update_max_minutes: int | None
    """Longest allowed gap between updates; None = no cadence."""
    update_on_resolution: bool
    stakeholder_updates: bool
    examples: tuple[str, ...]

    @property
    def response_time(self) -> timedelta | None:
        """``response_minutes`` as a timedelta (None for best effort)."""
        return None if self.response_minutes is None else timedelta(minutes=self.response_minutes)

    @property
    def max_update_gap(self) -> timedelta | None:
        """``update_max_minutes`` as a timedelta (None when no cadence applies)."""
        return None if self.update_max_minutes is None else timedelta(minutes=self.update_max_minutes)


@dataclass(frozen=True)
class Decision:
    """Thresholds of the seed's severity decision tree (percentages 0-100)."""

    sev1_percent_users: float = 25
    sev2_percent_users: float = 10
    sev2_performance_degradation: float = 50
    sev3_percent_users: float = 1


@dataclass(frozen=True)
class SlackRules:
    """How war-room channels are recognised and which reactions mark timeline events."""

    incident_channel_pattern: str = r"^(incident|inc)[-_]"
    timeline_reactions: tuple[str, ...] = ("pushpin", "stopwatch")
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Further importer-specific settings of the ``[slack]`` table, validated by the importer."""


@dataclass(frozen=True)
class Team:
    """The team the timeline speaks for: its time zone, and other names of its people and services.

    ``people`` and ``services`` map a canonical name to the other names it goes by
    (``"Alice Chen" = ["alice", "Alice"]``; ``auth = ["sso", "Login & SSO"]``). A team's
    own TOML that sets ``[people]`` or ``[services]`` replaces the shipped tables (the
    bundled sample's) instead of adding to them.
    """

    time_zone: str = "UTC"
    """IANA zone of the team: the dates of linked incident ids, months in reports."""
    people: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    services: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Comms:
    """``[comms]``: what communication drafts (:mod:`toolkit.comms`) say about the team.

    Empty strings mean "not set": a draft then shows a ``[fill in: ...]`` marker where the
    value belongs. Team times print in ``[team].time_zone``.
    """

    zone_label: str = ""
    """Label printed after team times (``"PT"``); empty: the zone's abbreviation on that date (PST/PDT)."""
    customer_time_zone: str = ""
    """Zone of customer-facing times (IANA name, offset or ``[time_zones]`` label); empty: the team's."""
    customer_zone_label: str = ""
    """Label printed after customer times; empty: the zone's abbreviation on that date."""
    company: str = ""
    product: str = ""
    """What customers call the service ("our platform" when empty)."""
    support_email: str = ""
    support_phone: str = ""
    status_page_url: str = ""
    bridge_url: str = ""
    """The standing video bridge of war rooms (when a declaration names none)."""
    escalate_to: str = "VP Engineering + Principal Engineers"
    """Whom an escalation pages (the seed's decision matrix)."""
    templates: Path | None = None
    """A team's own folder of draft templates (``<kind>.j2``), relative to the policy file."""


_COMMS_TEXT = ("zone_label", "customer_zone_label", "company", "product", "support_phone", "escalate_to")


def _comms(root: _Reader, zones: Mapping[str, str]) -> Comms:
    """``[comms]`` validated (see :class:`Comms`)."""
    import re

    from toolkit.clock import resolve_zone

    t = root.table("comms", {f.name for f in fields(Comms)})
    values: dict[str, Any] = {k: t.text(k, getattr(Comms, k)).strip() for k in _COMMS_TEXT}
    zone = t.text("customer_time_zone").strip()
    if zone:
        found = resolve_zone(zone, zones)
        if found is None:
            raise PolicyError(
                root.src,
                t.key("customer_time_zone"),
                f"unknown time zone {zone!r}; expected an IANA zone such as 'America/New_York', "
                "an offset such as 'UTC+01:00' or a label of [time_zones]",
            )
        zone = found.name
    email = t.text("support_email").strip()
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise PolicyError(root.src, t.key("support_email"), f"expected an e-mail address, got {email!r}")
    for key in ("status_page_url", "bridge_url"):
        url = t.text(key).strip()
        if url and not re.match(r"https?://\S+$", url):
            raise PolicyError(root.src, t.key(key), f"expected an http(s):// address, got {url!r}")
        values[key] = url
    folder = t.text("templates").strip()
    templates = None
    if folder:
        templates = (Path(root.src).parent / folder).resolve()
        if not templates.is_dir():
            raise PolicyError(
                root.src, t.key("templates"), f"no folder {templates}; give a folder of <kind>.j2 templates"
            )
    return Comms(**values, customer_time_zone=zone, support_email=email, templates=templates)


@dataclass(frozen=True)
class Policy:
    """A whole policy: severities, decision thresholds, deadlines and extraction rules."""

    severities: Mapping[Severity, SeverityPolicy]
    decision: Decision
    postmortem_due_hours: int
    review_days: int
    mitigation_stable_minutes: int
    slack: SlackRules
    source: str
    sections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Raw tables validated by the modules that own them: ``[whys]``, ``[pagerduty]``, ``[statuspage]``."""
    action_due_days: Mapping[Priority, int] = field(default_factory=dict)
    """``[actions.due_days]``: an action item's default due date, in days after its incident's resolution."""
    time_zones: Mapping[str, str] = field(default_factory=dict)
    """Zone labels (upper case) → IANA zone or fixed offset (``"UTC+05:30"``): ``[time_zones]``."""
    team: Team = field(default_factory=Team)
    """``[team]``, ``[people]`` and ``[services]``: see :class:`Team`."""
    promise_grace_minutes: int = 5
    """``[compliance]``: a promised update is kept when it comes by its due time plus this."""
    immediate_response_minutes: int = 5
    """``[compliance]``: what an immediate response (``response_minutes = 0``) allows, measured."""
    comms: Comms = field(default_factory=Comms)
    """``[comms]``: see :class:`Comms`."""

    def section(self, name: str) -> Mapping[str, Any]:
        """The raw ``[name]`` table (empty when absent); its owner module validates it."""
        return self.sections.get(name, {})

    def reader(self, name: str, allowed: set[str]) -> _Reader:
        """Typed, validated access to the ``[name]`` table for the module that owns it.

        Unknown keys and values of the wrong type raise :class:`PolicyError` naming this
        policy's file and the dotted key, exactly as for the tables this module reads.
        """
        return _Reader(self.source, {name: self.section(name)}).table(name, allowed)

    @classmethod
    def default(cls) -> Policy:
        """The shipped default policy (the seed document's values)."""
        return _load_default()

    @classmethod
    def load(cls, path: str | Path) -> Policy:
        """The default policy with ``path``'s values laid over it, validated."""
        path = Path(path)
        raw = _read_toml(path)
        merged = _merge(_read_toml(DEFAULT_POLICY_PATH), raw)
        merged.update({k: raw[k] for k in _REPLACED if k in raw})
        return _build(merged, str(path))

    @property
    def postmortem_due(self) -> timedelta:
        """Time allowed from resolution to post-mortem."""
        return timedelta(hours=self.postmortem_due_hours)

    def replace(self, **changes: Any) -> Policy:
        """A copy with ``changes`` applied (the policy itself is immutable)."""
        return replace(self, **changes)


@cache
def _load_default() -> Policy:
    return _build(_read_toml(DEFAULT_POLICY_PATH), str(DEFAULT_POLICY_PATH))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise PolicyError(path, None, "no such file") from None
    except IsADirectoryError:
        raise PolicyError(path, None, "is a folder, not a policy TOML file") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(path, None, f"not valid TOML: {exc}") from None


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(dict(out[key]), value)
        else:
            out[key] = value
    return out


_TOP_KEYS = {"severity", "decision", "postmortem", "review", "resolution", "slack", "actions", "time_zones"}
_TOP_KEYS |= {"team", "people", "services", "compliance", "comms"}
_REPLACED = ("people", "services")
"""Tables a team's TOML replaces as a whole (the shipped ones name the bundled sample's team)."""
_SECTION_KEYS = {"whys", "pagerduty", "statuspage"}
"""Tables whose keys the module that owns them validates (see ``Policy.section``)."""
_SEV_KEYS = {
    "impact",
    "response",
    "response_minutes",
    "update_min_minutes",
    "update_max_minutes",
    "update_on_resolution",
    "stakeholder_updates",
    "examples",
}


class _Reader:
    """Typed access to a parsed TOML table, raising PolicyError with the dotted key."""

    def __init__(self, src: str, data: Mapping[str, Any], prefix: str = "") -> None:
        self.src, self.data, self.prefix = src, data, prefix

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def table(self, name: str, allowed: set[str] | None = None) -> _Reader:
        value = self.data.get(name, {})
        if not isinstance(value, Mapping):
            raise PolicyError(self.src, self.key(name), f"expected a table, got {type(value).__name__}")
        if allowed is not None:
            for k in value:
                if k not in allowed:
                    raise PolicyError(
                        self.src,
                        f"{self.key(name)}.{k}",
                        f"unknown key; expected one of {', '.join(sorted(allowed))}",
                    )
        return _Reader(self.src, value, f"{self.key(name)}.")

    def minutes(self, name: str, *, required: bool = False, unit: str = "minutes") -> int | None:
        value = self.data.get(name)
        if value is None:
            if required:
                raise PolicyError(self.src, self.key(name), "missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise PolicyError(self.src, self.key(name), f"expected a whole number of {unit}, got {value!r}")
        if value < 0:
            raise PolicyError(self.src, self.key(name), f"must be >= 0, got {value}")
        return value

    def number(self, name: str, *, lo: float, hi: float) -> float:
        value = self.data.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise PolicyError(self.src, self.key(name), f"expected a number, got {value!r}")
        if not lo <= value <= hi:
            raise PolicyError(self.src, self.key(name), f"must be between {lo:g} and {hi:g}, got {value}")
        return float(value)

    def text(self, name: str, default: str = "") -> str:
        value = self.data.get(name, default)
        if not isinstance(value, str):
            raise PolicyError(self.src, self.key(name), f"expected a string, got {value!r}")
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            raise PolicyError(self.src, self.key(name), f"expected true or false, got {value!r}")
        return value

    def zone(self, name: str, default: str = "UTC") -> str:
        """An IANA time-zone name."""
        import zoneinfo

        value = self.text(name, default)
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise PolicyError(
                self.src, self.key(name), f"not a time zone name: {value!r} (use an IANA name such as 'UTC')"
            ) from None
        return value

    def strings(self, name: str) -> tuple[str, ...]:
        value = self.data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise PolicyError(self.src, self.key(name), f"expected a list of strings, got {value!r}")
        return tuple(value)


def _build(data: Mapping[str, Any], src: str) -> Policy:
    for key in data:
        if key not in _TOP_KEYS | _SECTION_KEYS:
            known = ", ".join(sorted(_TOP_KEYS | _SECTION_KEYS))
            raise PolicyError(src, key, f"unknown table; expected one of {known}")
        if key in _SECTION_KEYS and not isinstance(data[key], Mapping):
            raise PolicyError(src, key, f"expected a table, got {type(data[key]).__name__}")
    root = _Reader(src, data)
    sev_tables = root.table("severity", {s.value for s in Severity})
    severities: dict[Severity, SeverityPolicy] = {}
    for sev in Severity:
        if sev.value not in sev_tables.data:
            raise PolicyError(src, f"severity.{sev.value}", "missing; every severity SEV1-SEV4 needs a table")
        t = sev_tables.table(sev.value, _SEV_KEYS)
        lo, hi = t.minutes("update_min_minutes"), t.minutes("update_max_minutes")
        if lo is not None and hi is not None and lo > hi:
            raise PolicyError(src, t.key("update_min_minutes"), f"{lo} is above update_max_minutes {hi}")
        severities[sev] = SeverityPolicy(
            severity=sev,
            impact=t.text("impact"),
            response=t.text("response"),
            response_minutes=t.minutes("response_minutes"),
            update_min_minutes=lo,
            update_max_minutes=hi,
            update_on_resolution=t.flag("update_on_resolution"),
            stakeholder_updates=t.flag("stakeholder_updates", True),
            examples=t.strings("examples"),
        )
    order = [m for s in Severity if (m := severities[s].response_minutes) is not None]
    if order != sorted(order):
        raise PolicyError(
            src, "severity.*.response_minutes", f"must not shrink as severity drops, got {order}"
        )
    d = root.table("decision", set(Decision.__dataclass_fields__))
    decision = Decision(
        **{name: d.number(name, lo=0, hi=100) for name in Decision.__dataclass_fields__ if name in d.data}
    )
    if not decision.sev1_percent_users >= decision.sev2_percent_users >= decision.sev3_percent_users:
        raise PolicyError(src, "decision", "user thresholds must satisfy sev1 >= sev2 >= sev3")
    slack = root.table("slack")
    pattern = slack.text("incident_channel_pattern", SlackRules.incident_channel_pattern)
    _check_regex(src, slack.key("incident_channel_pattern"), pattern)
    if "time_zones" in slack.data:
        raise PolicyError(
            src,
            "slack.time_zones",
            "moved to the top-level [time_zones] table, which every importer reads; "
            "rename [slack.time_zones] to [time_zones]",
        )
    zones = _time_zones(src, root.data.get("time_zones", {}))
    extra = {
        k: v for k, v in slack.data.items() if k not in ("incident_channel_pattern", "timeline_reactions")
    }
    due = root.table("actions", {"due_days"}).table("due_days", {p.value for p in Priority})
    action_due_days = {p: due.minutes(p.value, required=True, unit="days") or 0 for p in Priority}
    return Policy(
        severities=severities,
        decision=decision,
        postmortem_due_hours=root.table("postmortem", {"due_hours"}).minutes(
            "due_hours", required=True, unit="hours"
        )
        or 0,
        review_days=root.table("review", {"days"}).minutes("days", required=True, unit="days") or 0,
        mitigation_stable_minutes=root.table("resolution", {"mitigation_stable_minutes"}).minutes(
            "mitigation_stable_minutes", required=True
        )
        or 0,
        slack=SlackRules(
            incident_channel_pattern=pattern,
            timeline_reactions=tuple(r.strip(":") for r in slack.strings("timeline_reactions")),
            extra=extra,
        ),
        source=src,
        sections={k: data[k] for k in _SECTION_KEYS if k in data},
        action_due_days=action_due_days,
        time_zones=zones,
        team=_team(root),
        promise_grace_minutes=_minutes(root, "compliance", "promise_grace_minutes", 5),
        immediate_response_minutes=_minutes(root, "compliance", "immediate_response_minutes", 5),
        comms=_comms(root, zones),
    )


def _time_zones(src: str, raw: Any) -> dict[str, str]:
    """``[time_zones]`` validated: label → canonical zone name (IANA key or ``UTC±HH:MM``)."""
    if not isinstance(raw, Mapping):
        raise PolicyError(src, "time_zones", 'expected a table of LABEL = "Area/City" or "UTC+05:30"')
    out = {}
    for label, spec in raw.items():
        key = f"time_zones.{label}"
        if not str(label).strip() or any(ch.isspace() for ch in str(label)):
            raise PolicyError(src, key, "a label is one word such as PST or Pacific")
        found = zone_info(spec) if isinstance(spec, str) else None
        if found is None:
            raise PolicyError(
                src,
                key,
                f"unknown time zone {spec!r}; expected an IANA zone such as 'America/Los_Angeles' "
                "or a fixed offset such as 'UTC+05:30'",
            )
        out[str(label).upper()] = found[1]
    return out


def _minutes(root: _Reader, table: str, key: str, default: int) -> int:
    found = root.table(table, {"promise_grace_minutes", "immediate_response_minutes"}).minutes(key)
    return default if found is None else found


def _team(root: _Reader) -> Team:
    """``[team]``, ``[people]`` and ``[services]`` validated (see :class:`Team`)."""
    from zoneinfo import ZoneInfo

    zone = root.table("team", {"time_zone"}).text("time_zone", "UTC")
    try:
        ZoneInfo(zone)
    except (KeyError, ValueError):
        raise PolicyError(
            root.src,
            "team.time_zone",
            f"unknown time zone {zone!r}; expected an IANA zone such as 'America/Los_Angeles'",
        ) from None
    names: dict[str, Mapping[str, tuple[str, ...]]] = {}
    for table in ("people", "services"):
        t = root.table(table)
        seen: dict[str, str] = {}
        out: dict[str, tuple[str, ...]] = {}
        for canonical in t.data:
            for other in (canonical, *t.strings(canonical)):
                key = other.casefold().strip()
                if seen.get(key, canonical) != canonical:
                    raise PolicyError(
                        root.src,
                        f"{table}.{canonical}",
                        f"{other!r} is also listed under {seen[key]!r}; keep it under one",
                    )
                seen[key] = canonical
            out[canonical] = t.strings(canonical)
        names[table] = out
    return Team(time_zone=zone, people=names["people"], services=names["services"])


def _check_regex(src: str, key: str, pattern: str) -> None:
    import re

    try:
        re.compile(pattern)
    except re.error as exc:
        raise PolicyError(src, key, f"not a valid regular expression: {exc}") from None


def explain_severity(
    *,
    revenue_impacted: bool | None = None,
    data_breach: bool | None = None,
    percent_users_affected: float | None = None,
    core_functionality_down: bool | None = None,
    workaround_exists: bool | None = None,
    performance_degradation: float | None = None,
    critical_customer_affected: bool | None = None,
    non_critical_feature_broken: bool | None = None,
    policy: Policy | None = None,
) -> tuple[Severity, str]:
    """The seed's severity decision tree, branch by branch, with the branch that decided.

    Returns the severity and a short reason naming the rule that fired. Percentages are
    0-100 (``performance_degradation=60`` means 60 % slower). An input left as ``None`` is
    not known and counts as absent (false, 0 %); at least one must be given, since with
    no impact at all the tree cannot judge (it would say SEV4).

    Raises
    ------
    ArgumentError
        No input given, a flag that is not a bool, or a percentage outside 0-100.

    Examples
    --------
    >>> explain_severity(percent_users_affected=15, performance_degradation=60)
    (<Severity.SEV2: 'SEV2'>, 'users affected 15% >= 10%')
    """
    _check_inputs(
        {
            "revenue_impacted": revenue_impacted,
            "data_breach": data_breach,
            "core_functionality_down": core_functionality_down,
            "workaround_exists": workaround_exists,
            "critical_customer_affected": critical_customer_affected,
            "non_critical_feature_broken": non_critical_feature_broken,
        },
        {
            "percent_users_affected": percent_users_affected,
            "performance_degradation": performance_degradation,
        },
    )
    d = (policy or Policy.default()).decision
    revenue_impacted, data_breach = bool(revenue_impacted), bool(data_breach)
    core_functionality_down, workaround_exists = bool(core_functionality_down), bool(workaround_exists)
    critical_customer_affected = bool(critical_customer_affected)
    non_critical_feature_broken = bool(non_critical_feature_broken)
    percent_users_affected = float(percent_users_affected or 0)
    performance_degradation = float(performance_degradation or 0)
    # Critical factors
    if revenue_impacted or data_breach:
        return Severity.SEV1, "revenue impacted" if revenue_impacted else "data breach"
    if percent_users_affected >= d.sev1_percent_users:
        return (
            Severity.SEV1,
            f"users affected {percent_users_affected:g}% >= {d.sev1_percent_users:g}%",
        )
    if core_functionality_down and not workaround_exists:
        return Severity.SEV1, "core functionality down with no workaround"
    # Major factors
    if percent_users_affected >= d.sev2_percent_users:
        return (
            Severity.SEV2,
            f"users affected {percent_users_affected:g}% >= {d.sev2_percent_users:g}%",
        )
    if performance_degradation >= d.sev2_performance_degradation:
        return (
            Severity.SEV2,
            f"performance degraded {performance_degradation:g}% >= {d.sev2_performance_degradation:g}%",
        )
    if critical_customer_affected:
        return Severity.SEV2, "critical customer affected"
    # Minor factors
    if percent_users_affected >= d.sev3_percent_users:
        return (
            Severity.SEV3,
            f"users affected {percent_users_affected:g}% >= {d.sev3_percent_users:g}%",
        )
    if non_critical_feature_broken:
        return Severity.SEV3, "non-critical feature broken"
    # Cosmetic
    return Severity.SEV4, "cosmetic: no rule above applies"


def _check_inputs(flags: Mapping[str, object], percents: Mapping[str, object]) -> None:
    """Refuse inputs the decision tree cannot judge, naming what was passed and what is allowed."""
    if all(v is None for v in (*flags.values(), *percents.values())):
        names = ", ".join([*flags, *percents])
        raise ArgumentError(f"no impact given: pass at least one of {names}")
    for name, value in flags.items():
        if value is None:
            continue
        if not isinstance(value, bool):
            raise ArgumentError(f"{name}: expected true or false, got {value!r} ({type(value).__name__})")
    for name, value in percents.items():
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise ArgumentError(
                f"{name}: expected a number from 0 to 100 (a percentage), got {value!r} ({type(value).__name__})"
            )
        if not 0 <= value <= 100:
            raise ArgumentError(f"{name}: expected a number from 0 to 100 (a percentage), got {value:g}")


def determine_severity(
    *,
    revenue_impacted: bool | None = None,
    data_breach: bool | None = None,
    percent_users_affected: float | None = None,
    core_functionality_down: bool | None = None,
    workaround_exists: bool | None = None,
    performance_degradation: float | None = None,
    critical_customer_affected: bool | None = None,
    non_critical_feature_broken: bool | None = None,
    policy: Policy | None = None,
) -> Severity:
    """Severity by the seed's decision tree (see :func:`explain_severity` for the reason).

    Examples
    --------
    >>> determine_severity(revenue_impacted=False, percent_users_affected=15,
    ...                    core_functionality_down=False, performance_degradation=60)
    <Severity.SEV2: 'SEV2'>
    """
    return explain_severity(
        revenue_impacted=revenue_impacted,
        data_breach=data_breach,
        percent_users_affected=percent_users_affected,
        core_functionality_down=core_functionality_down,
        workaround_exists=workaround_exists,
        performance_degradation=performance_degradation,
        critical_customer_affected=critical_customer_affected,
        non_critical_feature_broken=non_critical_feature_broken,
        policy=policy,
    )[0]
