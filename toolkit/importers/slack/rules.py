"""The ``[slack]`` policy table, validated: war-room channels, event rules, roles, zones.

Keys (all optional in a team's TOML; the shipped ``data/policy.toml`` has the defaults):

``incident_channel_pattern``
    Regex on channel names; matching channels are war rooms (default ``^(incident|inc)[-_]``).
``timeline_reactions``
    Reactions that mark any war-room message as a timeline event (``pushpin``, ``stopwatch``).
``roles``
    Table: canonical role -> list of names people write (``IC = ["IC", "Incident Commander"]``).
``time_zones``
    Table: abbreviation written after clock times -> IANA zone (``PST = "America/Los_Angeles"``).
``rules`` / ``extra_rules``
    Arrays of ``{kind, pattern}`` tables: a war-room message whose rendered text matches
    ``pattern`` becomes an event of ``kind`` (an :class:`~toolkit.schema.EventKind`). The
    pattern must compile both in Python's ``re`` and in Rust's ``regex`` (polars runs it over
    the whole column first): no look-around, no back-references. A named group ``sev``
    captures the severity digit. ``rules`` replaces the shipped list, ``extra_rules`` adds
    to it.

Examples
--------
>>> from toolkit.policy import Policy
>>> rules = SlackPolicy.from_policy(Policy.default())
>>> rules.role_of("technical lead"), rules.zone("PST")
('TL', 'America/Los_Angeles')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from toolkit.clock import iana_zones
from toolkit.errors import PolicyError
from toolkit.policy import DEFAULT_POLICY_PATH, Policy
from toolkit.schema import EventKind

__all__ = ["EVENT_RULE_KINDS", "Rule", "SlackPolicy", "ascii_boundaries"]

EVENT_RULE_KINDS = frozenset(EventKind) - {EventKind.role_assign, EventKind.message}
"""Kinds a text rule may produce (roles and reaction marks have their own logic)."""


@dataclass(frozen=True)
class Rule:
    """One event rule: messages matching ``pattern`` become events of ``kind``."""

    kind: EventKind
    pattern: str
    regex: re.Pattern[str]

    @property
    def fast(self) -> str:
        """``pattern`` for polars, with ASCII word boundaries (much faster on non-ASCII text)."""
        return ascii_boundaries(self.pattern)

    @property
    def lowered(self) -> str | None:
        """:attr:`fast` without its ``i`` flag, to run case-sensitively on lower-cased text.

        Only for a pattern whose leading flags include ``i`` and with no upper-case letter
        but in escapes (``\\S``) and named groups; else None. Case-sensitive matching lets
        Rust's regex use its fast literal search.
        """
        plain = self.lowered_plain
        return None if plain is None else ascii_boundaries(plain)

    @property
    def lowered_plain(self) -> str | None:
        """:attr:`lowered` in Python's syntax (``\\b`` as written), for reading its parse tree."""
        m = re.match(r"\(\?([a-zA-Z]+)\)", self.pattern)
        if m is None or "i" not in m[1]:
            return None
        body = self.pattern[m.end() :]
        if re.search(r"(?<!\\)[A-Z]", body.replace("(?P<", "")):
            return None
        flags = m[1].replace("i", "")
        return (f"(?{flags})" if flags else "") + body


def ascii_boundaries(pattern: str) -> str:
    r"""Rewrite unescaped ``\b`` as Rust regex's ASCII ``(?-u:\b)`` (same meaning on ASCII words).

    Examples
    --------
    >>> ascii_boundaries(r"\bsev\\b")
    '(?-u:\\b)sev\\\\b'
    """
    return re.sub(r"(?<!\\)((?:\\\\)*)\\b", r"\1(?-u:\\b)", pattern)


@dataclass(frozen=True)
class SlackPolicy:
    """The validated ``[slack]`` settings the Slack importer works with."""

    incident_channel: re.Pattern[str]
    timeline_reactions: tuple[str, ...]
    rules: tuple[Rule, ...]
    roles: Mapping[str, tuple[str, ...]]
    time_zones: Mapping[str, str]

    @classmethod
    def from_policy(cls, policy: Policy) -> SlackPolicy:
        """Validate ``policy.slack`` (raising :class:`PolicyError` naming the key)."""
        src = policy.source
        extra = dict(policy.slack.extra)
        defaults = Policy.default().slack.extra if src != str(DEFAULT_POLICY_PATH) else extra
        known = {"roles", "rules", "extra_rules"}
        for key in extra:
            if key not in known:
                raise PolicyError(
                    src, f"slack.{key}", f"unknown key; expected one of {', '.join(sorted(known))}"
                )
        raw_rules = extra.get("rules", defaults.get("rules", []))
        rules = _rules(src, "slack.rules", raw_rules) + _rules(
            src, "slack.extra_rules", extra.get("extra_rules", [])
        )
        roles = _roles(src, extra.get("roles", defaults.get("roles", {})))
        zones = iana_zones(policy.time_zones)  # the policy's one [time_zones] table, as polars names them
        return cls(
            incident_channel=re.compile(policy.slack.incident_channel_pattern),
            timeline_reactions=policy.slack.timeline_reactions,
            rules=tuple(rules),
            roles=roles,
            time_zones=zones,
        )

    def role_of(self, written: str) -> str | None:
        """The canonical role for a written role name (case-insensitive), if any."""
        low = " ".join(written.lower().split())
        for role, names in self.roles.items():
            if low in (n.lower() for n in names):
                return role
        return None

    def zone(self, abbreviation: str) -> str | None:
        """The IANA zone for a time-zone abbreviation (case-insensitive), if known."""
        return self.time_zones.get(abbreviation.upper())

    def role_names(self) -> list[str]:
        """Every written role name, longest first (for building patterns)."""
        return sorted({n for names in self.roles.values() for n in names}, key=len, reverse=True)


def _rules(src: str, key: str, raw: Any) -> list[Rule]:
    if not isinstance(raw, list):
        raise PolicyError(
            src, key, f"expected an array of {{kind, pattern}} tables, got {type(raw).__name__}"
        )
    out = []
    kinds = ", ".join(sorted(EVENT_RULE_KINDS))
    for i, item in enumerate(raw):
        where = f"{key}[{i}]"
        if not isinstance(item, Mapping) or set(item) != {"kind", "pattern"}:
            raise PolicyError(src, where, "expected a table with exactly the keys 'kind' and 'pattern'")
        kind, pattern = item["kind"], item["pattern"]
        if kind not in EVENT_RULE_KINDS:
            raise PolicyError(src, f"{where}.kind", f"{kind!r} is not a rule kind; expected one of {kinds}")
        if not isinstance(pattern, str) or not pattern:
            raise PolicyError(src, f"{where}.pattern", "expected a non-empty regular expression string")
        out.append(Rule(EventKind(kind), pattern, _compile_both(src, f"{where}.pattern", pattern)))
    return out


def _compile_both(src: str, key: str, pattern: str) -> re.Pattern[str]:
    """Compile for Python and check that polars (Rust regex) accepts it too."""
    import polars as pl

    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise PolicyError(src, key, f"not a valid regular expression: {exc}") from None
    try:
        pl.select(pl.lit("").str.contains(ascii_boundaries(pattern)))
    except pl.exceptions.ComputeError as exc:
        problem = str(exc).splitlines()[0]
        raise PolicyError(
            src, key, f"polars cannot run this pattern (no look-around or back-references): {problem}"
        ) from None
    return compiled


def _roles(src: str, raw: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, Mapping):
        raise PolicyError(src, "slack.roles", "expected a table of role = [names]")
    out = {}
    for role, names in raw.items():
        if (
            not isinstance(names, list)
            or not names
            or not all(isinstance(n, str) and n.strip() for n in names)
        ):
            raise PolicyError(src, f"slack.roles.{role}", "expected a non-empty list of role names")
        out[str(role)] = tuple(n.strip() for n in names)
    return out
