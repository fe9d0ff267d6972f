"""One post-mortem's Markdown into a :class:`~toolkit.importers.postmortem.doc.PostmortemDoc`.

The steps, each in its own module: blocks (:mod:`.markdown`), which section is which
(:mod:`.sections`), fields (:mod:`.fields`), the timeline (:mod:`.timeline`, :mod:`.kinds`)
and milestones (:mod:`.milestones`), 5-Whys (:mod:`toolkit.whys.markdown`), action items
(:mod:`.actions`), prose and impact (:mod:`.prose`), people and roles (:mod:`.people`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, time, timedelta
from pathlib import PurePosixPath
from typing import Any

import polars as pl

from toolkit.clock import Zone, find_zone_label, parse_date, parse_duration, resolve_zone, to_utc
from toolkit.errors import InputFormatError
from toolkit.importers._base.common import Rejects
from toolkit.importers.postmortem.actions import ActionRow, looks_like_actions, read_actions
from toolkit.importers.postmortem.doc import PostmortemDoc, empty_frame, identified
from toolkit.importers.postmortem.fields import (
    Fields,
    clean_title,
    incident_id_for,
    read_fields,
    stated_number,
)
from toolkit.importers.postmortem.kinds import role_handoffs
from toolkit.importers.postmortem.markdown import (
    Block,
    Document,
    ListBlock,
    Paragraph,
    Table,
    parse_markdown,
    plain,
)
from toolkit.importers.postmortem.milestones import milestones, stated_instant, stated_times
from toolkit.importers.postmortem.people import Cast, is_team, roles_of, split_people
from toolkit.importers.postmortem.prose import impact_facts, read_impact, read_list, row, section_rows, short
from toolkit.importers.postmortem.sections import Layout, bold_section, clean_heading, layout
from toolkit.importers.postmortem.timeline import Problem, TimelineRow, read_timeline
from toolkit.policy import Policy, determine_severity
from toolkit.schema import Severity, Source
from toolkit.whys.markdown import ParsedWhys, from_parsed, parse_whys

__all__ = ["parse_postmortem"]

_SEV_RX = re.compile(r"^\s*(?:sev(?:erity)?|s)\s*[-_ ]?\s*([0-9])\b", re.IGNORECASE)
_ZONE_LINE_RX = re.compile(r"(?i)\btimes?\b|\bzone\b|\bwhen\b|\bclock\b")
_ROOT_LABEL_RX = re.compile(
    r"^\s*(?:(?:\*\*|__)\s*root[- ]causes?\s*:?\s*(?:\*\*|__)\s*:?|root[- ]causes?\s*:)\s*", re.IGNORECASE
)
_LIST_SECTIONS = ("went_well", "went_wrong", "lucky", "lessons")
_ITEM_RX = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_UTC = Zone("UTC", UTC, "UTC")


@dataclass
class _Context:
    """Where problems go while one document is read."""

    name: str
    display: str
    rejects: Rejects
    notes: list[str] = field(default_factory=list)

    def reject(self, line: int | None, fld: str | None, reason: str) -> None:
        self.rejects.add(self.display, line, fld, reason, label=f"line {line}" if line is not None else None)

    def reject_all(self, problems: Iterable[Problem]) -> None:
        for line, fld, reason in problems:
            self.reject(line, fld, reason)


def _blocks(doc: Document, indexes: Iterable[int]) -> list[Block]:
    return [b for i in indexes for b in doc.sections[i].blocks]


def _text(blocks: Iterable[Block]) -> str:
    """Paragraphs and list items as plain text, paragraphs separated by a blank line."""
    parts: list[str] = []
    for b in blocks:
        if isinstance(b, Paragraph):
            parts.append(plain(b.raw))
        elif isinstance(b, ListBlock):
            parts.append("\n".join(f"- {plain(i.raw)}" for i in b.items))
    return "\n\n".join(p for p in parts if p)


def _doc_zone(
    doc: Document, lay: Layout, fields: Fields, zones: dict[str, str] | Any
) -> tuple[Zone, str] | None:
    """A Timezone field, else 'All times X' in the timeline (heading, lines, Time column), else
    the label of the Duration/Started/Resolved fields."""
    tz_field = fields.get("timezone")
    if tz_field is not None and (zone := resolve_zone(tz_field.value, zones)) is not None:
        return zone, tz_field.value
    timeline = [doc.sections[i] for i in lay.of("timeline")]
    candidates = [s.title or "" for s in timeline]
    for s in timeline:
        for b in s.blocks:
            if isinstance(b, Paragraph):
                candidates += [ln for ln in b.raw.split("\n") if _ZONE_LINE_RX.search(ln) or parse_date(ln)]
            elif isinstance(b, Table):
                candidates += list(b.header) + [c for _, cells in b.rows[:1] for c in cells[:2]]
            elif isinstance(b, ListBlock) and b.items:
                candidates.append(b.items[0].raw.split("\n")[0][:40])
    candidates += [f.value for name in ("duration", "started", "resolved") if (f := fields.get(name))]
    for text in candidates:
        label = find_zone_label(plain(text), zones)
        zone = resolve_zone(label, zones) if label else None
        if zone is not None:
            return zone, label  # type: ignore[return-value]
    return None


def _date(fields: Fields, title: str, ctx: _Context) -> date | None:
    f = fields.get("date")
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
    return None


def _severity(fields: Fields, ctx: _Context) -> str | None:
    f = fields.get("severity")
    if f is None:
        return None
    m = _SEV_RX.match(f.value)
    if m and m.group(1) in "1234":
        return Severity(f"SEV{m.group(1)}").value
    ctx.reject(f.line, f.key, f"expected a severity SEV1-SEV4, got {f.value!r}")
    return None


def _duration(fields: Fields, ctx: _Context) -> timedelta | None:
    f = fields.get("duration")
    if f is None:
        return None
    duration = parse_duration(f.value)
    if duration is None:
        ctx.reject(f.line, f.key, f"expected a duration like '2h 15m' or '135 min', got {f.value!r}")
    return duration


def _whys(doc: Document, lay: Layout, ctx: _Context) -> tuple[ParsedWhys | None, list[tuple[int, str]]]:
    """The first numbered 5-Whys of the root-cause sections, and every root-cause statement
    and paragraph as (line, Markdown as written)."""
    chosen: ParsedWhys | None = None
    prose: list[tuple[int, str]] = []
    for index in lay.of("whys"):
        section = doc.sections[index]
        parsed = parse_whys(doc.text_lines(section))
        if parsed.nodes and chosen is None:
            chosen = parsed
        elif parsed.nodes:
            ctx.notes.append(
                f"a second 5-Whys list (line {parsed.nodes[0].line}) was not read; keep one per document"
            )
        if parsed.root_cause_line is not None:
            prose.append((parsed.root_cause_line, _statement(doc, parsed.root_cause_line, section.stop)))
        group: list[tuple[int, str]] = []
        for number, text in [*parsed.stray, (-1, "")]:
            if group and (number != group[-1][0] + 1 or not text.strip() or _ITEM_RX.match(text)):
                prose.append((group[0][0], "\n".join(t.strip() for _, t in group)))
                group = []
            if text.strip():
                group.append((number, text))
    return chosen, sorted(prose)


def _statement(doc: Document, line: int, stop: int) -> str:
    out: list[str] = []
    for n in range(line, min(stop, len(doc.lines) + 1)):
        text = doc.lines[n - 1]
        if not text.strip() or (out and re.match(r"^\s*(?:#|\d+[.)]\s|[-*+]\s)", text)):
            break
        out.append(text.strip())
    out[0] = _ROOT_LABEL_RX.sub("", out[0])
    return "\n".join(out).strip()


def _people(
    doc: Document, lay: Layout, fields: Fields, cast: Cast
) -> tuple[list[str], dict[str, str], str | None]:
    """Participants (as written), role → name, and the commander."""
    commander_f = fields.get("commander")
    commander = plain(commander_f.value).lstrip("@") if commander_f else None
    if commander_f is not None and commander:
        cast.role("IC", commander, commander_f.line)
    entries: list[tuple[str, int]] = []
    for key in ("participants", "roles"):
        f = fields.get(key)
        if f is not None:
            entries += [(p, f.line) for p in split_people(f.value)]
    for index in lay.of("people"):
        entries += cast.section(doc.sections[index])
    participants = [p for p, _ in entries]
    cast.entries(entries)
    roles = roles_of(participants)
    authors = fields.get("authors")
    for person in split_people(authors.value) if authors else []:
        cast.person(person)
    return participants, roles, commander or roles.get("IC")


def _lists(doc: Document, lay: Layout, ctx: _Context) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key in (*_LIST_SECTIONS, "follow_up"):
        indexes = [
            i for i in lay.of(key) if not (key == "follow_up" and looks_like_actions(doc.sections[i].blocks))
        ]
        out[key], problems = read_list(_blocks(doc, indexes), section=key)
        ctx.reject_all(problems)
    return out


def _section_rows(
    doc: Document,
    lay: Layout,
    fields: Fields,
    root: list[tuple[int, str]],
    summary_other: list[tuple[int, str]],
    name: str,
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for key in ("summary", "impact", "root_cause", *_LIST_SECTIONS, "follow_up"):
        if key == "root_cause":
            got = [row("", key, i, text, f"{name}:{line}") for i, (line, text) in enumerate(root) if text]
        else:
            indexes = lay.of(key)
            if key == "follow_up":
                indexes = [i for i in indexes if not looks_like_actions(doc.sections[i].blocks)]
            got = section_rows(doc, _blocks(doc, indexes), incident_id="", section=key, file=name)
        f = fields.get(key)
        if not got and f is not None and f.raw:
            got = [row("", key, 0, f.raw, f"{name}:{f.line}")]
        if not got and key == "summary" and summary_other:
            got = [row("", key, 0, "\n".join(t for _, t in summary_other), f"{name}:{summary_other[0][0]}")]
        rows += got
    return rows


def _action_rows(
    actions: Sequence[ActionRow], day: date | None, zone: Zone, name: str
) -> list[dict[str, Any]]:
    created = to_utc(day, time(0), zone) if day else None
    return [
        {
            "item_id": "",
            "incident_id": "",
            "title": a.title,
            "owner": a.owner,
            "priority": a.priority,
            "due_date": a.due_date,
            "status": a.status,
            "kind": a.kind,
            "link": a.link,
            "notes": a.notes,
            "created_at": created,
            "updated_at": None,
            "completed_at": None,
            "version": 1,
            "source": Source.postmortem.value,
            "ref": f"{name}:{a.line}",
        }
        for a in actions
    ]


def _event_rows(rows: Sequence[TimelineRow], name: str) -> list[dict[str, Any]]:
    return [
        {
            "incident_id": "",
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
        if r.at is not None
    ]


def _paragraphs(lines: Sequence[tuple[int, str]]) -> str:
    groups: list[list[str]] = []
    prev = None
    for number, text in lines:
        if prev is None or number != prev + 1:
            groups.append([])
        groups[-1].append(plain(text))
        prev = number
    return "\n\n".join(" ".join(g) for g in groups)


def parse_postmortem(
    text: str,
    *,
    name: str,
    display: str | None = None,
    strict: bool = False,
    tz: str | None = None,
    policy: Policy | None = None,
) -> PostmortemDoc:
    """Read one post-mortem's Markdown ``text``; ``name`` (its path in the export) is used
    in refs (``name:line``) and is the document's ref when it states no id.

    Examples
    --------
    >>> doc = parse_postmortem("# Outage\\n**Date:** 2025-01-15\\n**Severity:** SEV2\\n", name="x.md")
    >>> doc.incident_id, doc.ref, doc.incident["severity"]
    ('INC-2025-01-15-outage', 'x.md', 'SEV2')
    """
    display = display or name
    policy = policy or Policy.default()
    zones = dict(policy.time_zones)
    ctx = _Context(name, display, Rejects(Source.postmortem, strict=strict))
    override = None
    if tz is not None and (override := resolve_zone(tz, zones)) is None:
        raise InputFormatError(
            display, None, "tz", f"unknown time zone {tz!r}",
            hint="use an IANA name such as 'America/Los_Angeles' or a label such as 'PST'",
        )  # fmt: skip
    doc = parse_markdown(text, is_section=bold_section)
    lay = layout(doc)
    prose_sections = [i for k in ("summary", "impact", "narrative") for i in lay.of(k)] + lay.unknown
    fields = read_fields(doc, preamble=lay.preamble, headed=lay.headed, prose=sorted(prose_sections))
    ctx.reject_all(fields.problems)
    title_f = fields.get("title")
    heading = lay.title or ""
    title = plain(title_f.value) if title_f else (clean_title(heading) if heading else None)
    day = _date(fields, heading, ctx)
    severity = _severity(fields, ctx)
    duration = _duration(fields, ctx)
    found = (override, override.label) if override else _doc_zone(doc, lay, fields, zones)
    if found is None:
        ctx.notes.append("no time zone stated; times read as UTC (pass tz=... to choose one)")
    zone: Zone = found[0] if found else _UTC
    label: str | None = found[1] if found else None
    cast = Cast(name)
    participants, roles, commander = _people(doc, lay, fields, cast)
    action_sections = lay.of("action_items") + [
        i for i in lay.of("follow_up") if looks_like_actions(doc.sections[i].blocks)
    ]
    actions, problems, action_notes = read_actions(
        _blocks(doc, sorted(action_sections)), year=day.year if day else None
    )
    names = [re.sub(r"\s*\(.*\)$", "", p) for p in participants]
    names += [commander.split()[0]] if commander else []
    names += [n for n in cast.names.values() if n not in names]
    names += [a.owner for a in actions if a.owner and not is_team(a.owner) and a.owner not in names]
    had_day = day is not None
    rows, timeline_problems, day = read_timeline(
        doc, [doc.sections[i] for i in lay.of("timeline")], day=day, zone=zone, zones=zones,
        roles=roles, names=names, notes=ctx.notes, cell_labels=override is None,
    )  # fmt: skip
    if day is not None and not had_day:
        ctx.notes.append(f"no **Date:** in the header; took {day} from the timeline")
    elif day is None and fields.get("date") is None:
        ctx.reject(None, "Date", "no **Date:** in the header; timeline times cannot be placed on a day")
    if day is not None and override is None and (season := zone.season_note(day)):
        ctx.notes.append(season)
    stated = stated_times(fields, day=day, zone=zone, override=override, duration=duration, zones=zones)
    ctx.reject_all(stated.problems)
    ctx.notes.extend(stated.notes)
    ctx.reject_all(timeline_problems)
    parsed, root_prose = _whys(doc, lay, ctx)
    ctx.notes.extend(action_notes)
    ctx.reject_all(problems)
    lists = _lists(doc, lay, ctx)
    undated = [r for r in rows if r.at is None]
    if undated:
        lines = ", ".join(str(r.line) for r in undated[:10]) + (", ..." if len(undated) > 10 else "")
        ctx.notes.append(
            f"{len(undated)} timeline row(s) (line {lines}) have a time of day but no date: kept in .undated, "
            "not in the events table; add **Date:** YYYY-MM-DD to the header (or a date line above the timeline)"
        )
    for r in rows:
        if r.actor:
            cast.person(r.actor)
    for a in actions:
        if a.owner:
            cast.person(a.owner)
    for r in rows:
        for role, person in role_handoffs(r.text):
            if person in names:
                cast.role(role, person, r.line, r.at)
    if commander is None:  # "names jennifer incident commander" in the timeline
        commander = next((who for role, who, _, _ in cast.roles if role == "IC"), None)
    mile = milestones(stated, rows, duration)
    impact_blocks = _blocks(doc, lay.of("impact"))
    impact, impact_other = read_impact(impact_blocks)
    impact_f = fields.get("impact")
    if impact_f is not None and not impact_blocks:
        impact_other = [impact_f.value]
    facts = impact_facts(impact, impact_other)
    summary_lines = _blocks(doc, lay.of("summary"))
    stated_id = fields.get("incident_id")
    stated_text = plain(stated_id.value).lstrip("#").strip() if stated_id else ""
    stated_text = stated_text or stated_number(heading) or ""
    incident_id = incident_id_for(stated_text or None, day, title or "", PurePosixPath(name).stem)
    ref = stated_text or name
    root_cause = parsed.root_cause if parsed and parsed.root_cause else None
    if root_cause is None and root_prose:
        root_cause = " ".join(plain(_ITEM_RX.sub("", t)) for _, t in root_prose) or None
    if root_cause is None and (rc := fields.get("root_cause")) is not None:
        root_cause = rc.value
    if lay.of("whys") and parsed is None and not root_prose:
        ctx.notes.append("the Root Cause section has no numbered whys")
    whys_rows: list[dict[str, Any]] = []
    if parsed is not None:
        tree = from_parsed(parsed, incident_id=incident_id, policy=policy)
        ctx.notes.extend(f"5 Whys: {p.message}" for p in tree.validate(require_root_cause=False))
        whys_rows = tree.rows()
    other = {
        clean_heading(doc.sections[i].title or ""): _text(doc.sections[i].blocks)
        for i in lay.unknown
        if doc.sections[i].blocks
    }
    for i in lay.unknown:
        s = doc.sections[i]
        if s.blocks:
            ctx.notes.append(
                f"section {clean_heading(s.title or '')!r} (line {s.line}) is not in the template; kept in incident['other_sections']"
            )
    summary_text = _text(summary_lines) or (fields.get("summary").value if fields.get("summary") else "")  # type: ignore[union-attr]
    if not summary_text:
        summary_text = _paragraphs(fields.other)
    if summary_lines and fields.other:
        ctx.notes.append(
            f"text above the first section (line {fields.other[0][0]}) kept in incident['preamble']"
        )
    service_f, status_f, authors_f = fields.get("service"), fields.get("status"), fields.get("authors")
    service = (
        plain(service_f.value)
        if service_f
        else next((v for k, v in impact.items() if re.search(r"(?i)service|system", k)), None)
    )
    incident: dict[str, Any] = {
        "incident_id": incident_id,
        "ref": ref,
        "title": title,
        "date": day,
        "severity": severity,
        "duration": mile.duration,
        "started_at": mile.started_at,
        "resolved_at": mile.resolved_at,
        "closed_at": mile.closed_at,
        "timezone": label,
        "tz": zone.name,
        "commander": commander,
        "participants": participants,
        "authors": split_people(authors_f.value) if authors_f else [],
        "roles": roles,
        "summary": summary_text or None,
        "impact": impact,
        **facts,
        "impact_notes": impact_other,
        "root_cause": root_cause,
        "follow_up": lists["follow_up"],
        "service": service,
        "status": plain(status_f.value) if status_f else None,
        "postmortem_at": stated_instant(fields, "postmortem_at", zone=override or zone, day=day, zones=zones),
        "fields": {f.key: f.value for f in fields.found.values()},
        "narrative": {
            clean_heading(doc.sections[i].title or ""): _text(doc.sections[i].blocks)
            for i in lay.of("narrative")
            if doc.sections[i].blocks
        },
        "other_sections": other,
        "preamble": (_paragraphs(fields.other) or None) if summary_lines else None,
    }
    incident_row = _incident_row(incident, mile, facts, policy)
    all_rows = identified(
        {
            "incidents": [incident_row],
            "events": _event_rows(rows, name),
            "whys": whys_rows,
            "action_items": _action_rows(actions, day, zone, name),
            "roles": cast.role_rows(""),
            "people": cast.people_rows(),
            "postmortem_sections": _section_rows(doc, lay, fields, root_prose, fields.other, name),
        },
        incident_id=incident_id,
        ref=ref,
    )
    rejected = ctx.rejects.frame() if len(ctx.rejects) else empty_frame("rejected")
    if rejected.height:
        rejected = rejected.with_columns(incident_id=pl.lit(incident_id))
    return PostmortemDoc(
        incident=incident,
        went_well=lists["went_well"],
        went_wrong=lists["went_wrong"],
        lessons=lists["lessons"],
        rejected=rejected,
        notes=tuple(ctx.notes),
        rows=all_rows,
        lucky=lists["lucky"],
        undated=tuple(
            {
                "incident_id": incident_id,
                "time": r.clock,
                "kind": r.kind.value,
                "actor": r.actor,
                "text": r.text,
                "ref": f"{name}:{r.line}",
            }
            for r in undated
        ),
        markdown=text,
    )


def _incident_row(
    incident: dict[str, Any], mile: Any, facts: dict[str, Any], policy: Policy
) -> dict[str, Any]:
    pct, revenue, degradation = (
        facts["percent_users_affected"],
        facts["revenue_impacted"],
        facts["degradation_pct"],
    )
    computed = None
    if (
        pct is not None
        or revenue
        or degradation is not None
        or facts["core_down"] is not None
        or facts["data_breach"]
    ):
        computed = determine_severity(
            revenue_impacted=bool(revenue),
            data_breach=bool(facts["data_breach"]),
            percent_users_affected=float(pct or 0),
            core_functionality_down=bool(facts["core_down"]),
            workaround_exists=bool(facts["workaround"]),
            performance_degradation=float(degradation or 0),
            policy=policy,
        ).value
    impact_text = short([f"{k}: {v}" for k, v in incident["impact"].items()] + list(incident["impact_notes"]))
    return {
        "incident_id": incident["incident_id"],
        "source": Source.postmortem.value,
        "ref": incident["ref"],
        "title": incident["title"],
        "severity": incident["severity"],
        "computed_severity": computed,
        "status": "resolved" if mile.resolved_at else None,
        "service": incident["service"],
        "commander": incident["commander"],
        "started_at": mile.started_at,
        "detected_at": mile.detected_at,
        "declared_at": mile.declared_at,
        "acknowledged_at": mile.acknowledged_at,
        "mitigated_at": mile.mitigated_at,
        "resolved_at": mile.resolved_at,
        "postmortem_at": incident["postmortem_at"],
        "impact": impact_text,
        "users_affected_pct": pct,
        "degradation_pct": degradation,
        "revenue_impacted": revenue,
        "core_down": facts["core_down"],
        "workaround": facts["workaround"],
        "data_breach": facts["data_breach"],
        "components": [],
        "url": None,
    }
