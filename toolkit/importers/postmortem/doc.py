"""One post-mortem's Markdown into a :class:`PostmortemDoc` (see :mod:`toolkit.importers.postmortem`)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from toolkit.errors import InputFormatError
from toolkit.importers._base.common import Rejects
from toolkit.importers.postmortem.actions import impact_figures, read_actions, read_impact, read_list
from toolkit.importers.postmortem.header import Header, HeaderTimes, incident_id_for, read_header, times_of
from toolkit.importers.postmortem.md import MdLine, Section, plain, split_sections, title_text
from toolkit.importers.postmortem.time import (
    Zone,
    find_zone_label,
    parse_clock,
    parse_date,
    parse_duration,
    resolve_zone,
    to_utc,
)
from toolkit.importers.postmortem.timeline import TimelineRow, read_timeline, roles_of, split_people
from toolkit.policy import Policy, determine_severity
from toolkit.schema import TABLES, EventKind, Severity, Source
from toolkit.whys.markdown import ParsedWhys, parse_whys
from toolkit.whys.tree import from_parsed

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.whys.tree import Tree

__all__ = ["PostmortemDoc", "parse_postmortem"]

_SEV_RX = re.compile(r"^\s*(?:sev(?:erity)?|s)\s*[-_ ]?\s*([0-9])\b", re.IGNORECASE)
_UTC = resolve_zone("UTC")


_SCHEMAS = {name: TABLES[name].schema for name in ("incidents", "events", "whys", "action_items", "rejected")}
_EMPTY_REJECTED = pl.DataFrame(schema=_SCHEMAS["rejected"])


def empty_frame(name: str) -> pl.DataFrame:
    """An empty table ``name`` of the schema."""
    return pl.DataFrame(schema=_SCHEMAS[name])


def frame_of(name: str, rows: Sequence[Mapping[str, Any]]) -> pl.DataFrame:
    """Rows (dicts) as table ``name`` of the schema."""
    schema = _SCHEMAS[name]
    if not rows:
        return pl.DataFrame(schema=schema)
    return pl.from_dicts(rows, schema=schema)


Rows = dict[str, list[dict[str, Any]]]
"""Table name → rows as dicts (``incidents``, ``events``, ``whys``, ``action_items``)."""


@dataclass(frozen=True)
class PostmortemDoc:
    """One post-mortem document, read.

    ``incident`` holds the header and prose: incident_id, ref, title, date, severity,
    duration, started_at/resolved_at (UTC), timezone (label as written), tz (zone used),
    commander, participants, roles, summary, impact (label → text) with users_affected,
    percent_users_affected, support_tickets and revenue_impacted, root_cause, follow_up,
    service, postmortem_at, fields (every header field as written) and other_sections.
    ``timeline``, ``whys`` and ``action_items`` are frames of the schema's ``events``,
    ``whys`` and ``action_items`` tables (built on first use); the lists keep bold labels
    readably ("Fast detection: Alert fired within 5 min of impact").
    """

    incident: Mapping[str, Any]
    went_well: list[str]
    went_wrong: list[str]
    lessons: list[str]
    rejected: pl.DataFrame
    notes: tuple[str, ...] = ()
    rows: Rows = field(default_factory=dict, repr=False)
    """The tables' rows as dicts; the frames below are built from them."""

    @cached_property
    def timeline(self) -> pl.DataFrame:
        """The timeline, in the ``events`` schema."""
        return frame_of("events", self.rows.get("events", []))

    @cached_property
    def whys(self) -> pl.DataFrame:
        """The 5-Whys nodes, in the ``whys`` schema."""
        return frame_of("whys", self.rows.get("whys", []))

    @cached_property
    def action_items(self) -> pl.DataFrame:
        """The action items, in the ``action_items`` schema."""
        return frame_of("action_items", self.rows.get("action_items", []))

    @cached_property
    def incident_row(self) -> pl.DataFrame:
        """The ``incidents`` table row (empty when the file could not be read at all)."""
        return frame_of("incidents", self.rows.get("incidents", []))

    @property
    def incident_id(self) -> str:
        """The document's incident id (empty when the file could not be read at all)."""
        return str(self.incident.get("incident_id") or "")

    def tables(self) -> dict[str, pl.DataFrame]:
        """The workspace tables: incidents (one row), events, whys, action_items."""
        return {
            "incidents": self.incident_row,
            "events": self.timeline,
            "whys": self.whys,
            "action_items": self.action_items,
        }

    def tree(self, *, policy: Policy | None = None) -> Tree:
        """The 5-Whys as a :class:`toolkit.whys.Tree`, with the root-cause statement."""
        from toolkit.whys.tree import Tree

        return Tree.from_frame(
            self.whys, self.incident_id, policy=policy, root_cause=self.incident.get("root_cause")
        )


@dataclass
class _Context:
    """Where problems go while one document is read."""

    name: str
    display: str
    rejects: Rejects
    notes: list[str] = field(default_factory=list)

    def reject(self, line: int | None, fld: str | None, reason: str) -> None:
        label = f"line {line}" if line is not None else None
        self.rejects.add(self.display, line, fld, reason, label=label)

    def reject_all(self, problems: Sequence[tuple[int, str | None, str]]) -> None:
        for line, fld, reason in problems:
            self.reject(line, fld, reason)


@dataclass(frozen=True)
class _Facts:
    """What the header says, read."""

    incident_id: str
    title: str | None
    day: date | None
    severity: str | None
    duration: timedelta | None
    zone: Zone
    label: str | None
    times: HeaderTimes
    participants: list[str]
    roles: dict[str, str]
    commander: str | None
    postmortem_at: datetime | None


def _paragraphs(lines: Sequence[MdLine]) -> str:
    paras: list[list[str]] = [[]]
    for ln in lines:
        if ln.text.lstrip().startswith("#"):
            continue
        if ln.text.strip():
            paras[-1].append(plain(ln.text))
        elif paras[-1]:
            paras.append([])
    return "\n\n".join(" ".join(p) for p in paras if p)


def _doc_zone(sections: Mapping[str, list[Section]], header: Header) -> tuple[Zone, str | None] | None:
    """'All times X' in the timeline, else the Timezone/Duration/Started/Resolved label."""
    timeline = sections.get("timeline", [])
    candidates = [s.title for s in timeline]
    candidates += [
        ln.text
        for s in timeline
        for ln in s.lines
        if re.search(r"(?i)\btimes?\b|\bzone\b|\bwhen\b|\bclock\b", ln.text)
        and ("|" not in ln.text or ln is next((x for x in s.lines if "|" in x.text), None))
    ]
    tz_field = header.get("timezone")
    if tz_field is not None and resolve_zone(plain(tz_field.value)) is not None:
        return resolve_zone(plain(tz_field.value)), plain(tz_field.value)  # type: ignore[return-value]
    candidates += [f.value for name in ("duration", "started", "resolved") if (f := header.get(name))]
    for text in candidates:
        label = find_zone_label(text)
        zone = resolve_zone(label) if label else None
        if zone is not None:
            return zone, label
    return None


def _date_of(header: Header, title: str, ctx: _Context) -> date | None:
    f = header.get("date")
    if f is not None:
        day = parse_date(f.value)
        if day is None:
            ctx.reject(
                f.line, f.key, f"expected a date like '2025-01-15' or 'January 15, 2025', got {f.value!r}"
            )
        return day
    for where, text in (("title", title), ("file name", ctx.name)):
        m = re.search(r"(\d{4}-\d{2}-\d{2})", text)
        day = parse_date(m.group(1)) if m else None
        if day is not None:
            ctx.notes.append(f"no **Date:** in the header; took {day} from the {where}")
            return day
    ctx.reject(None, "Date", "no **Date:** in the header; timeline times cannot be placed on a day")
    return None


def _stated_instant(header: Header, key: str, zone: Zone, day: date | None) -> datetime | None:
    f = header.get(key)
    if f is None:
        return None
    year = day.year if day else None
    clock = parse_clock(f.value, year=year)
    if clock is not None and clock.day is not None:
        z = (resolve_zone(clock.label) if clock.label else None) or zone
        return to_utc(clock.day, clock.time, z)
    d = parse_date(f.value, year=year)
    return to_utc(d, time(0), zone) if d else None


def _facts(
    header: Header,
    preamble: Section,
    sections: Mapping[str, list[Section]],
    override: Zone | None,
    ctx: _Context,
) -> _Facts:
    title_f = header.get("title")
    title = plain(title_f.value) if title_f else (title_text(preamble.title) if preamble.title else None)
    day = _date_of(header, preamble.title, ctx)
    severity = None
    if (f := header.get("severity")) is not None:
        m = _SEV_RX.match(plain(f.value))
        if m and m.group(1) in "1234":
            severity = Severity(f"SEV{m.group(1)}").value
        else:
            ctx.reject(f.line, f.key, f"expected a severity SEV1-SEV4, got {f.value!r}")
    duration = None
    if (f := header.get("duration")) is not None:
        duration = parse_duration(f.value)
        if duration is None:
            ctx.reject(f.line, f.key, f"expected a duration like '2h 15m' or '135 min', got {f.value!r}")
    found = (override, override.label) if override else _doc_zone(sections, header)
    if found is None:
        ctx.notes.append("no time zone stated; times read as UTC (pass tz=... to choose one)")
        found = (_UTC, None)  # type: ignore[assignment]
    zone, label = found  # type: ignore[misc]
    if day is not None and override is None and (season := zone.season_note(day)):
        ctx.notes.append(season)
    times = times_of(header, day=day, zone=zone, override=override, duration=duration)
    ctx.reject_all(times.problems)
    ctx.notes.extend(times.notes)
    people = header.get("participants")
    participants = split_people(people.value) if people else []
    roles = roles_of(participants)
    commander_f = header.get("commander")
    commander = plain(commander_f.value).lstrip("@") if commander_f else roles.get("IC")
    stated = header.get("incident_id")
    incident_id = incident_id_for(stated.value if stated else None, day, title or "", Path(ctx.name).stem)
    return _Facts(
        incident_id,
        title,
        day,
        severity,
        duration,
        zone,
        label,
        times,
        participants,
        roles,
        commander,
        _stated_instant(header, "postmortem_at", override or zone, day),
    )


def _events(rows: Sequence[TimelineRow], facts: _Facts, name: str) -> list[dict[str, Any]]:
    return [
        {
            "incident_id": facts.incident_id,
            "at": r.at,
            "source": Source.postmortem.value,
            "kind": r.kind.value,
            "actor": r.actor,
            "text": r.text,
            "ref": f"{name}:{r.line}",
            "visibility": r.visibility.value,
            "severity": r.severity,
            "due_at": None,
        }
        for r in rows
    ]


def _whys(
    parsed: ParsedWhys, facts: _Facts, policy: Policy, ctx: _Context, present: bool
) -> list[dict[str, Any]]:
    for line, bad in parsed.stray:
        ctx.reject(line, "whys", f"text outside the numbered whys: {bad.strip()!r}")
    if not parsed.nodes:
        if present:
            ctx.notes.append("the Root Cause section has no numbered whys")
        return []
    tree = from_parsed(parsed, incident_id=facts.incident_id, policy=policy)
    ctx.notes.extend(f"5 Whys: {p.message}" for p in tree.validate(require_root_cause=False))
    return tree.rows()


def _action_items(lines: Sequence[MdLine], facts: _Facts, ctx: _Context) -> list[dict[str, Any]]:
    day = facts.day
    created = to_utc(day, time(0), facts.zone) if day else None
    actions, problems, notes = read_actions(lines, year=day.year if day else None)
    ctx.notes.extend(notes)
    ctx.reject_all(problems)
    return [
        {
            "item_id": f"{facts.incident_id}-AI{a.position}",
            "incident_id": facts.incident_id,
            "title": a.title,
            "owner": a.owner,
            "priority": a.priority,
            "due_date": a.due_date,
            "status": a.status,
            "kind": a.kind,
            "created_at": created,
            "completed_at": None,
            "version": 1,
        }
        for a in actions
    ]


def _incident_row(
    facts: _Facts, rows: Sequence[TimelineRow], incident: Mapping[str, Any], policy: Policy
) -> dict[str, Any]:
    def first(*kinds: EventKind) -> datetime | None:
        return min((r.at for r in rows if r.kind in kinds), default=None)

    computed = None
    pct, revenue = incident["percent_users_affected"], incident["revenue_impacted"]
    if pct is not None or revenue:
        computed = determine_severity(
            revenue_impacted=bool(revenue), percent_users_affected=float(pct or 0), policy=policy
        ).value
    resolved = facts.times.resolved_at
    row = {
        "incident_id": facts.incident_id,
        "source": Source.postmortem.value,
        "ref": incident["ref"],
        "title": facts.title,
        "severity": facts.severity,
        "computed_severity": computed,
        "status": "resolved" if resolved else None,
        "service": incident["service"],
        "commander": facts.commander,
        "started_at": facts.times.started_at,
        "detected_at": first(EventKind.alert, EventKind.page),
        "declared_at": first(EventKind.declare),
        "acknowledged_at": first(EventKind.acknowledge),
        "mitigated_at": None,
        "resolved_at": resolved,
        "postmortem_at": facts.postmortem_at,
    }
    return row


def parse_postmortem(
    text: str,
    *,
    name: str,
    display: str | None = None,
    strict: bool = False,
    tz: str | None = None,
    policy: Policy | None = None,
) -> PostmortemDoc:
    """Read one post-mortem's Markdown ``text``; ``name`` is used in refs (``name:line``).

    Examples
    --------
    >>> doc = parse_postmortem("# Outage\\n**Date:** 2025-01-15\\n**Severity:** SEV2\\n", name="x.md")
    >>> doc.incident_id, doc.incident["severity"]
    ('INC-2025-01-15-outage', 'SEV2')
    """
    display = display or name
    policy = policy or Policy.default()
    ctx = _Context(name, display, Rejects(Source.postmortem, strict=strict))
    override = None
    if tz is not None and (override := resolve_zone(tz)) is None:
        raise InputFormatError(
            display,
            None,
            "tz",
            f"unknown time zone {tz!r}",
            hint="use an IANA name such as 'America/Los_Angeles' or a label such as 'PST'",
        )
    preamble, found = split_sections(text)
    header = read_header(preamble.lines)
    sections: dict[str, list[Section]] = {}
    other: dict[str, str] = {}
    for s in found:
        if s.key is None:
            other[s.title] = _paragraphs(s.lines)
            ctx.notes.append(
                f"section {s.title!r} (line {s.line}) is not in the template; kept in incident['other_sections']"
            )
        else:
            sections.setdefault(s.key, []).append(s)

    def lines_of(key: str) -> list[MdLine]:
        return [ln for s in sections.get(key, []) for ln in s.lines]

    facts = _facts(header, preamble, sections, override, ctx)
    names = [re.sub(r"\s*\(.*\)$", "", p) for p in facts.participants]
    names += [facts.commander.split()[0]] if facts.commander else []
    rows, problems = read_timeline(
        lines_of("timeline"),
        day=facts.day,
        zone=facts.zone,
        roles=facts.roles,
        names=names,
        notes=ctx.notes,
        cell_labels=override is None,
    )
    ctx.reject_all(problems)
    parsed = parse_whys([(ln.number, ln.text) for ln in lines_of("whys")])
    whys = _whys(parsed, facts, policy, ctx, bool(sections.get("whys")))
    action_items = _action_items(lines_of("action_items"), facts, ctx)
    lists: dict[str, list[str]] = {}
    for key in ("went_well", "went_wrong", "lessons", "follow_up"):
        lists[key], problems = read_list(lines_of(key), section=key)
        ctx.reject_all(problems)
    impact, impact_other = read_impact(lines_of("impact"))
    summary_lines = lines_of("summary")
    service_f = header.get("service")
    status_f = header.get("status")
    incident: dict[str, Any] = {
        "incident_id": facts.incident_id,
        "ref": name,
        "title": facts.title,
        "date": facts.day,
        "severity": facts.severity,
        "duration": facts.duration,
        "started_at": facts.times.started_at,
        "resolved_at": facts.times.resolved_at,
        "timezone": facts.label,
        "tz": facts.zone.name,
        "commander": facts.commander,
        "participants": facts.participants,
        "roles": facts.roles,
        "summary": _paragraphs(summary_lines or header.other) or None,
        "impact": impact,
        **impact_figures(impact),
        "impact_notes": impact_other,
        "root_cause": parsed.root_cause,
        "follow_up": lists["follow_up"],
        "service": plain(service_f.value)
        if service_f
        else next((v for k, v in impact.items() if re.search(r"(?i)service|system", k)), None),
        "status": plain(status_f.value) if status_f else None,
        "postmortem_at": facts.postmortem_at,
        "fields": {f.key: f.value for f in header.fields},
        "other_sections": other,
        "preamble": (_paragraphs(header.other) or None) if summary_lines else None,
    }
    if summary_lines and header.other:
        ctx.notes.append(
            f"text above the first section (line {header.other[0].number}) kept in incident['preamble']"
        )
    return PostmortemDoc(
        incident=incident,
        went_well=lists["went_well"],
        went_wrong=lists["went_wrong"],
        lessons=lists["lessons"],
        rejected=ctx.rejects.frame() if len(ctx.rejects) else _EMPTY_REJECTED,
        notes=tuple(ctx.notes),
        rows={
            "incidents": [_incident_row(facts, rows, incident, policy)],
            "events": _events(rows, facts, name),
            "whys": whys,
            "action_items": action_items,
        },
    )
