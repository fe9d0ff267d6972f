"""The top of a post-mortem: title, header, executive summary and impact.

The header reads the linked incident: its final severity with the declared one and the
decision tree's, status, service and components, duration (``2h 15m``), commander and
participants by display name with their roles, and every source with its own id of the
incident.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.analysis.fmt import human_duration, human_time
from toolkit.reports.blocks import Block, Bullets, Heading, KeyValues, no_data
from toolkit.reports.prose import Prose, ProseList
from toolkit.reports.sections.people import display_names, participants
from toolkit.timeline.model import SOURCE_ORDER

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.reports.postmortem import PostmortemReport

__all__ = ["header", "impact", "severity_text", "source_ids", "summary", "title"]


def title(r: PostmortemReport) -> Heading:
    """The incident's title and linked id as the report's heading."""
    text = r.first("title")
    return Heading(f"{r.say(str(text)) if text else 'Incident'} ({r.incident_id})", level=1)


def severity_text(r: PostmortemReport) -> str:
    """``SEV1 (declared SEV1; decision tree SEV1: revenue impacted)``."""
    final, declared = r.first("severity"), r.first("declared_severity")
    computed, reason = r.first("computed_severity"), r.first("severity_reason")
    tree = f"decision tree {computed}: {reason}" if computed else "decision tree: not enough impact recorded"
    return f"{final or 'not declared'} (declared {declared or 'none'}; {tree})"


def source_ids(r: PostmortemReport) -> list[tuple[str, list[str]]]:
    """``(source, ids)``: each source the incident was seen in, with its own ids of it, war room first."""
    aliases = r.timeline.aliases
    by: dict[str, list[str]] = {}
    for alias, source in aliases.select("alias", "source").iter_rows():
        by.setdefault(source, [])
        if alias not in by[source]:
            by[source].append(alias)
    for source in r.first("sources") or []:
        by.setdefault(source, [])
    rank = {s: i for i, s in enumerate(SOURCE_ORDER)}
    return sorted(by.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))


def _duration(r: PostmortemReport) -> str:
    start, end = r.first("started_at"), r.first("resolved_at")
    if start is None:
        return "unknown"
    if end is None:
        as_of = r.timeline.as_of
        so_far = f" ({human_duration(as_of - start)} so far)" if as_of is not None else ""
        return f"open{so_far}"
    return human_duration(end - start)


def header(r: PostmortemReport) -> KeyValues:
    """Date, severity, status, service(s), duration, commander, participants, sources, audience."""
    zone = r.policy.team.time_zone
    names = display_names(r.timeline)
    people = ", ".join(
        r.say(names.get(pid, pid)) + (f" ({', '.join(roles)})" if roles else "")
        for pid, roles in participants(r.timeline)
    )
    start = r.first("started_at") or r.first("detected_at") or r.first("declared_at")
    commander = r.first("commander")
    cid = r.first("commander_id")
    service = r.first("service")
    components = [c for c in r.first("components") or [] if c]
    services = r.say(str(service)) if service else "unknown"
    if components:
        services += f" (components: {', '.join(r.say(c) for c in components)})"
    sources = "; ".join(f"{s} ({', '.join(ids)})" if ids else s for s, ids in source_ids(r))
    return KeyValues(
        [
            ("Incident", r.incident_id),
            ("Date", start.date() if start is not None else "unknown"),
            ("Started", human_time(start, zone) if start is not None else "unknown"),
            ("Severity", severity_text(r)),
            ("Status", r.first("status") or "unknown"),
            ("Service", services),
            ("Duration", _duration(r)),
            ("Commander", r.say(names.get(cid, commander) if cid else commander) if commander else "unknown"),
            ("Participants", people or "none recorded"),
            ("Sources", sources or "none"),
            ("Audience", r.audience),
        ]
    )


def summary(r: PostmortemReport) -> Block:
    """The document's executive summary, else the incident's title and impact in one line."""
    paras = r.sections_of("summary")
    return Prose("\n".join(paras)) if paras else no_data("no executive summary was written")


def impact(r: PostmortemReport) -> Block:
    """The post-mortem's impact list, else what the sources state (with the share of users affected)."""
    written = r.sections_of("impact")
    if written:
        return ProseList(tuple(written))
    said = r.first("impact")
    stated = [r.say(str(said))] if said else []
    pct = r.first("users_affected_pct")
    if pct is not None:
        stated.append(f"Users affected: {pct:g}%")
    return Bullets(stated) if stated else no_data("no impact statement in any source")
