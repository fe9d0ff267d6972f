"""The table rows of one post-mortem: incidents, events, action items, sections."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from typing import Any

from toolkit.clock import Zone, to_utc
from toolkit.importers.postmortem.actions import ActionRow, looks_like_actions
from toolkit.importers.postmortem.facts import LIST_SECTIONS, blocks_of
from toolkit.importers.postmortem.fields import Fields
from toolkit.importers.postmortem.markdown import Document, plain
from toolkit.importers.postmortem.prose import row, section_rows, short
from toolkit.importers.postmortem.sections import Layout
from toolkit.importers.postmortem.timeline import TimelineRow
from toolkit.policy import Policy, determine_severity
from toolkit.schema import Source

__all__ = ["action_rows", "event_rows", "incident_row", "paragraphs", "section_rows_of"]


def section_rows_of(
    doc: Document,
    lay: Layout,
    fields: Fields,
    root: list[tuple[int, str]],
    summary_other: list[tuple[int, str]],
    name: str,
) -> list[dict[str, Any]]:
    """``postmortem_sections`` rows: sections, else the prose fields, else the preamble (summary)."""
    rows: list[dict[str, Any]] = []
    for key in ("summary", "impact", "root_cause", *LIST_SECTIONS, "follow_up"):
        if key == "root_cause":
            got = [row("", key, i, text, f"{name}:{line}") for i, (line, text) in enumerate(root) if text]
        else:
            indexes = lay.of(key)
            if key == "follow_up":
                indexes = [i for i in indexes if not looks_like_actions(doc.sections[i].blocks)]
            got = section_rows(doc, blocks_of(doc, indexes), incident_id="", section=key, file=name)
        f = fields.get(key)
        if not got and f is not None and f.raw:
            got = [row("", key, 0, f.raw, f"{name}:{f.line}")]
        if not got and key == "summary" and summary_other:
            got = [row("", key, 0, "\n".join(t for _, t in summary_other), f"{name}:{summary_other[0][0]}")]
        rows += got
    return rows


def action_rows(
    actions: Sequence[ActionRow], day: date | None, zone: Zone, name: str
) -> list[dict[str, Any]]:
    """``action_items`` rows (ids are set by :func:`~toolkit.importers.postmortem.doc.identified`)."""
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


def event_rows(rows: Sequence[TimelineRow], name: str) -> list[dict[str, Any]]:
    """``events`` rows of the timeline rows that have a date."""
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


def paragraphs(lines: Sequence[tuple[int, str]]) -> str:
    """(line, text) pairs as plain paragraphs (consecutive lines joined)."""
    groups: list[list[str]] = []
    prev = None
    for number, text in lines:
        if prev is None or number != prev + 1:
            groups.append([])
        groups[-1].append(plain(text))
        prev = number
    return "\n\n".join(" ".join(g) for g in groups)


def incident_row(
    incident: dict[str, Any], mile: Any, facts: dict[str, Any], policy: Policy
) -> dict[str, Any]:
    """The ``incidents`` row: milestones, impact facts and the decision tree's severity."""
    pct, revenue, degradation = (
        facts["percent_users_affected"],
        facts["revenue_impacted"],
        facts["degradation_pct"],
    )
    if pct is not None and not 0 <= pct <= 100:
        pct = None  # "120% of baseline" is no share of users
    if degradation is not None:
        degradation = min(degradation, 100.0)  # "300% slower" is as bad as the scale goes
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
