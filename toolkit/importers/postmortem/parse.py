"""One post-mortem's Markdown into a :class:`~toolkit.importers.postmortem.doc.PostmortemDoc`.

The steps, each in its own module: blocks (:mod:`.markdown`), which section is which
(:mod:`.sections`), fields (:mod:`.fields`) and what they state (:mod:`.facts`), the timeline
(:mod:`.timeline`, :mod:`.kinds`) and milestones (:mod:`.milestones`), 5-Whys
(:mod:`toolkit.whys.markdown`), action items (:mod:`.actions`), prose and impact
(:mod:`.prose`), people and roles (:mod:`.people`), and the table rows (:mod:`.rows`).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

import polars as pl

from toolkit.clock import Zone, resolve_zone
from toolkit.errors import InputFormatError
from toolkit.importers._base.common import Rejects
from toolkit.importers.postmortem.actions import looks_like_actions, read_actions
from toolkit.importers.postmortem.doc import PostmortemDoc, empty_frame, identified
from toolkit.importers.postmortem.facts import (
    ITEM_RX,
    UTC_ZONE,
    Context,
    blocks_of,
    date_of,
    doc_zone,
    duration_of,
    lists_of,
    people_of,
    severity_of,
    text_of,
    whys_of,
)
from toolkit.importers.postmortem.fields import clean_title, incident_id_for, read_fields, stated_number
from toolkit.importers.postmortem.kinds import role_handoffs
from toolkit.importers.postmortem.markdown import parse_markdown, plain
from toolkit.importers.postmortem.milestones import milestones, stated_instant, stated_times
from toolkit.importers.postmortem.people import Cast, is_team, split_people
from toolkit.importers.postmortem.prose import impact_facts, read_impact
from toolkit.importers.postmortem.rows import (
    action_rows,
    event_rows,
    incident_row,
    paragraphs,
    section_rows_of,
)
from toolkit.importers.postmortem.sections import bold_section, clean_heading, layout
from toolkit.importers.postmortem.timeline import read_timeline
from toolkit.policy import Policy
from toolkit.schema import Source
from toolkit.whys.tree import from_parsed

__all__ = ["parse_postmortem"]


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
    ctx = Context(name, display, Rejects(Source.postmortem, strict=strict))
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
    day = date_of(fields, heading, ctx)
    severity = severity_of(fields, ctx)
    duration = duration_of(fields, ctx)
    found = (override, override.label) if override else doc_zone(doc, lay, fields, zones)
    if found is None:
        ctx.notes.append("no time zone stated; times read as UTC (pass tz=... to choose one)")
    zone: Zone = found[0] if found else UTC_ZONE
    label: str | None = found[1] if found else None
    cast = Cast(name)
    participants, roles, commander = people_of(doc, lay, fields, cast)
    action_sections = lay.of("action_items") + [
        i for i in lay.of("follow_up") if looks_like_actions(doc.sections[i].blocks)
    ]
    actions, problems, action_notes = read_actions(
        blocks_of(doc, sorted(action_sections)), year=day.year if day else None
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
    parsed, root_prose = whys_of(doc, lay, ctx)
    ctx.notes.extend(action_notes)
    ctx.reject_all(problems)
    lists = lists_of(doc, lay, ctx)
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
    impact_blocks = blocks_of(doc, lay.of("impact"))
    impact, impact_other = read_impact(impact_blocks)
    impact_f = fields.get("impact")
    if impact_f is not None and not impact_blocks:
        impact_other = [impact_f.value]
    facts = impact_facts(impact, impact_other)
    summary_lines = blocks_of(doc, lay.of("summary"))
    stated_id = fields.get("incident_id")
    stated_text = plain(stated_id.value).lstrip("#").strip() if stated_id else ""
    stated_text = stated_text or stated_number(heading) or ""
    incident_id = incident_id_for(stated_text or None, day, title or "", PurePosixPath(name).stem)
    ref = stated_text or name
    root_cause = parsed.root_cause if parsed and parsed.root_cause else None
    if root_cause is None and root_prose:
        root_cause = " ".join(plain(ITEM_RX.sub("", t)) for _, t in root_prose) or None
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
        clean_heading(doc.sections[i].title or ""): text_of(doc.sections[i].blocks)
        for i in lay.unknown
        if doc.sections[i].blocks
    }
    for i in lay.unknown:
        s = doc.sections[i]
        if s.blocks:
            ctx.notes.append(
                f"section {clean_heading(s.title or '')!r} (line {s.line}) is not in the template; kept in incident['other_sections']"
            )
    summary_text = text_of(summary_lines) or (fields.get("summary").value if fields.get("summary") else "")  # type: ignore[union-attr]
    if not summary_text:
        summary_text = paragraphs(fields.other)
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
            clean_heading(doc.sections[i].title or ""): text_of(doc.sections[i].blocks)
            for i in lay.of("narrative")
            if doc.sections[i].blocks
        },
        "other_sections": other,
        "preamble": (paragraphs(fields.other) or None) if summary_lines else None,
    }
    row = incident_row(incident, mile, facts, policy)
    all_rows = identified(
        {
            "incidents": [row],
            "events": event_rows(rows, name),
            "whys": whys_rows,
            "action_items": action_rows(actions, day, zone, name),
            "roles": cast.role_rows(""),
            "people": cast.people_rows(),
            "postmortem_sections": section_rows_of(doc, lay, fields, root_prose, fields.other, name),
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
