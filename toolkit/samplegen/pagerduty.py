"""PagerDuty REST v2 payloads: ``GET /incidents``, ``GET /log_entries`` and Analytics.

The object builders take plain values so that the scaled generator reuses them; the
``write_pagerduty_sample`` function renders a scenario's :class:`~.model.Paging` objects.
REST timestamps end in ``Z``; Analytics timestamps are UTC without a zone.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ._util import iso_naive, iso_z, rand_hex, rand_id, write_json
from .accounts import ESCALATION_POLICY, PD_SUBDOMAIN, PD_TEAM, ZOOM
from .model import Incident, PageEntry, Scenario

API = "https://api.pagerduty.com"
WEB = f"https://{PD_SUBDOMAIN}.pagerduty.com"
PRIORITIES = {"P1": ("PPRIO01", 1), "P2": ("PPRIO02", 2), "P3": ("PPRIO03", 3)}


@functools.cache
def ref(kind: str, ref_id: str, summary: str) -> dict[str, Any]:
    """A PagerDuty ``*_reference`` object (user, service, team, escalation_policy, ...).

    Cached: the same arguments return the same (never mutated) dict.
    """
    path = {
        "service": "service-directory",
        "user": "users",
        "team": "teams",
        "escalation_policy": "escalation_policies",
    }[kind]
    api_path = "services" if kind == "service" else path
    return {
        "id": ref_id,
        "type": f"{kind}_reference",
        "summary": summary,
        "self": f"{API}/{api_path}/{ref_id}",
        "html_url": f"{WEB}/{path}/{ref_id}",
    }


def team_refs() -> list[dict[str, Any]]:
    """The single ``Engineering`` team."""
    return [ref("team", *PD_TEAM)]


@dataclass(frozen=True, slots=True)
class Actor:
    """Who did something: a user (``user_reference``) or the service itself."""

    kind: str
    ref_id: str
    name: str

    def reference(self) -> dict[str, Any]:
        return ref(self.kind, self.ref_id, self.name)


def log_entry(
    *,
    entry_id: str,
    kind: str,
    at: datetime,
    pd_id: str,
    incident_summary: str,
    service: Actor,
    who: Actor | None,
    detail: str,
    level: int | None = None,
    title: str = "",
) -> dict[str, Any]:
    """One log entry of ``GET /log_entries`` (``kind`` without the ``_log_entry`` suffix).

    ``detail`` is the channel type (``sms``, ``web_ui``, ...) or, for ``annotate``, the note.
    """
    agent = who if who is not None and kind in ("acknowledge", "annotate", "resolve") else service
    summary, channel, extra = _entry_parts(kind, who, detail, level, title)
    entry: dict[str, Any] = {
        "id": entry_id,
        "type": f"{kind}_log_entry",
        "summary": summary,
        "self": f"{API}/log_entries/{entry_id}?incident_id={pd_id}",
        "html_url": f"{WEB}/incidents/{pd_id}/log_entries/{entry_id}",
        "created_at": iso_z(at),
        "agent": agent.reference(),
        "channel": channel,
        "incident": {
            "id": pd_id,
            "type": "incident_reference",
            "summary": incident_summary,
            "self": f"{API}/incidents/{pd_id}",
            "html_url": f"{WEB}/incidents/{pd_id}",
        },
        "teams": team_refs(),
        "contexts": [],
    }
    return entry | extra


def _entry_parts(
    kind: str, who: Actor | None, detail: str, level: int | None, title: str
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    name = who.name if who else ""
    if kind == "trigger":
        return "Triggered through the API", {"type": "api"}, {"event_details": {"description": title}}
    if kind == "notify":
        assert who is not None
        return f"Notified {name}.", {"type": detail}, {"user": who.reference()}
    if kind == "escalate":
        assert who is not None
        assert level is not None
        return (
            f"Escalated to level {level} by timeout.",
            {"type": "timeout"},
            {"assignees": [who.reference()]},
        )
    if kind == "acknowledge":
        return f"Acknowledged by {name}.", {"type": detail}, {"acknowledgement_timeout": 1800}
    if kind == "annotate":
        return detail, {"type": "note"}, {}
    if who is None:
        return "Resolved through the API.", {"type": "api"}, {}
    return f"Resolved by {name}.", {"type": detail}, {}


def incident_object(
    *,
    pd_id: str,
    number: int,
    title: str,
    service: Actor,
    status: str,
    urgency: str,
    priority: str | None,
    created_at: datetime,
    updated_at: datetime,
    last_change_at: datetime,
    last_change_by: Actor,
    resolved_at: datetime | None,
    acked: tuple[datetime, Actor] | None,
    trigger_id: str,
    incident_key: str,
) -> dict[str, Any]:
    """One element of ``GET /incidents`` with the exact key order of PagerDuty's example."""
    open_ = status != "resolved"
    prio = None
    if priority is not None:
        pid = PRIORITIES[priority][0]
        prio = {
            "id": pid,
            "type": "priority_reference",
            "summary": priority,
            "self": f"{API}/priorities/{pid}",
        }
    assignments = []
    acknowledgements = []
    if open_ and acked is not None:
        assignments = [{"at": iso_z(acked[0]), "assignee": acked[1].reference()}]
        acknowledgements = [{"at": iso_z(acked[0]), "acknowledger": acked[1].reference()}]
    return {
        "id": pd_id,
        "type": "incident",
        "summary": f"[#{number}] {title}",
        "self": f"{API}/incidents/{pd_id}",
        "html_url": f"{WEB}/incidents/{pd_id}",
        "incident_number": number,
        "title": title,
        "created_at": iso_z(created_at),
        "updated_at": iso_z(updated_at),
        "status": status,
        "incident_key": incident_key,
        "service": service.reference(),
        "assignments": assignments,
        "assigned_via": "escalation_policy",
        "last_status_change_at": iso_z(last_change_at),
        "resolved_at": iso_z(resolved_at) if resolved_at else None,
        "first_trigger_log_entry": {
            "id": trigger_id,
            "type": "trigger_log_entry_reference",
            "summary": "Triggered through the API",
            "self": f"{API}/log_entries/{trigger_id}?incident_id={pd_id}",
            "html_url": f"{WEB}/incidents/{pd_id}/log_entries/{trigger_id}",
        },
        "alert_counts": {"all": 1, "triggered": int(open_), "resolved": int(not open_)},
        "is_mergeable": True,
        "incident_type": {"name": "incident_default"},
        "escalation_policy": ref("escalation_policy", *ESCALATION_POLICY),
        "teams": team_refs(),
        "pending_actions": [],
        "acknowledgements": acknowledgements,
        "alert_grouping": {
            "grouping_type": "intelligent",
            "started_at": iso_z(created_at),
            "ended_at": None,
            "alert_grouping_active": True,
        },
        "last_status_change_by": last_change_by.reference(),
        "priority": prio,
        "resolve_reason": None,
        "conference_bridge": (
            {"conference_number": "+1-415-555-0199,,,,4242#", "conference_url": ZOOM}
            if priority == "P1"
            else None
        ),
        "incidents_responders": [],
        "responder_requests": [],
        "urgency": urgency,
    }


class _Render:
    """Renders one scenario's incidents; people and services are looked up by key."""

    def __init__(self, story: Scenario) -> None:
        self.story = story
        self.people = {p.key: p for p in story.people}

    def pd_id(self, key: str) -> str | None:
        return self.people[key].pd_id

    def name(self, key: str) -> str:
        return self.people[key].real_name

    def actor(self, key: str) -> Actor:
        p = self.people[key]
        assert p.pd_id is not None, f"{key} has no PagerDuty seat"
        return Actor("user", p.pd_id, p.real_name)

    def service(self, inc: Incident) -> Actor:
        svc = self.story.service(inc.service)
        return Actor("service", svc.pd_id, svc.display)

    def incident(
        self, inc: Incident, rng: random.Random
    ) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
        paging = inc.paging
        assert paging is not None
        service = self.service(inc)
        summary = f"[#{paging.number}] {paging.title}"
        entries = []
        for e in paging.entries:
            who = self.actor(e.who) if e.who else None
            entries.append(
                log_entry(
                    entry_id=rand_id(rng, "R", 14),
                    kind=e.type,
                    at=e.at,
                    pd_id=paging.pd_id,
                    incident_summary=summary,
                    service=service,
                    who=who,
                    detail=e.note if e.type == "annotate" else e.via,
                    level=e.level,
                    title=paging.title,
                )
            )
        first, last = paging.entries[0], paging.entries[-1]
        ack, res = paging.first("acknowledge"), paging.first("resolve")
        changes = [e for e in paging.entries if e.type in ("trigger", "acknowledge", "resolve")]
        changer = self.actor(changes[-1].who) if changes[-1].who else service
        obj = incident_object(
            pd_id=paging.pd_id,
            number=paging.number,
            title=paging.title,
            service=service,
            status=paging.status,
            urgency=paging.urgency,
            priority=paging.priority,
            created_at=first.at,
            updated_at=last.at,
            last_change_at=changes[-1].at,
            last_change_by=changer,
            resolved_at=res.at if res else None,
            acked=(ack.at, self.actor(ack.who)) if ack and ack.who else None,
            trigger_id=entries[0]["id"],
            incident_key=rand_hex(rng, 32),
        )
        return obj, entries, self.analytics(inc, ack, res)

    def analytics(self, inc: Incident, ack: PageEntry | None, res: PageEntry | None) -> dict[str, Any]:
        paging = inc.paging
        assert paging is not None
        pd_id, name = self.pd_id, self.name
        created = paging.entries[0].at
        notified = [e for e in paging.entries if e.type == "notify"]
        users = list(dict.fromkeys(e.who for e in notified if e.who))
        escalations = sum(e.type == "escalate" for e in paging.entries)
        hour = (created.hour - 8) % 24
        bucket = "business_hour" if 9 <= hour < 17 else "sleep_hour" if hour < 8 or hour >= 22 else "off_hour"
        ackers = [ack.who] if ack and ack.who else []
        svc = self.story.service(inc.service)
        prio = PRIORITIES.get(paging.priority or "")
        end = res.at if res else self.story.exported_at
        row: dict[str, Any] = {
            "acknowledged_user_ids": [pd_id(k) for k in ackers],
            "acknowledged_user_names": [name(k) for k in ackers],
            "acknowledgement_count": len(ackers),
            "active_user_count": len(set(users) | set(ackers)),
            "assigned_user_ids": [pd_id(u) for u in users],
            "assigned_user_names": [name(u) for u in users],
            "assignment_count": len(users),
            "auto_resolved": res is not None and res.who is None,
            "business_hour_interruptions": len(notified) if bucket == "business_hour" else 0,
            "created_at": iso_naive(created),
            "updated_at": iso_naive(paging.entries[-1].at),
            "description": paging.title,
            "engaged_seconds": _secs(ack.at, end) if ack else 0,
            "engaged_user_count": len(ackers),
            "escalation_count": escalations,
            "escalation_policy_id": ESCALATION_POLICY[0],
            "escalation_policy_name": ESCALATION_POLICY[1],
            "id": paging.pd_id,
            "incident_number": paging.number,
            "incident_type_id": "PINCTYP",
            "incident_type_name": "incident_default",
            "joined_user_ids": [pd_id(k) for k in ackers],
            "joined_user_names": [name(k) for k in ackers],
            "major": paging.priority == "P1",
            "manual_escalation_count": 0,
            "off_hour_interruptions": len(notified) if bucket == "off_hour" else 0,
            "priority_id": prio[0] if prio else None,
            "priority_name": paging.priority,
            "priority_order": prio[1] if prio else None,
            "reassignment_count": 0,
            "resolved_at": iso_naive(res.at) if res else None,
            "resolved_by_user_id": pd_id(res.who) if res and res.who else None,
            "resolved_by_user_name": name(res.who) if res and res.who else None,
            "seconds_to_engage": _secs(created, ack.at) if ack else None,
            "seconds_to_first_ack": _secs(created, ack.at) if ack else None,
            "seconds_to_mobilize": _secs(created, ack.at) if ack else None,
            "seconds_to_resolve": _secs(created, res.at) if res else None,
            "service_id": svc.pd_id,
            "service_name": svc.display,
            "sleep_hour_interruptions": len(notified) if bucket == "sleep_hour" else 0,
            "snoozed_seconds": 0,
            "status": paging.status,
            "team_id": PD_TEAM[0],
            "team_name": PD_TEAM[1],
            "timeout_escalation_count": escalations,
            "total_interruptions": len(notified),
            "total_notifications": len(notified),
            "urgency": paging.urgency,
            "user_defined_effort_seconds": None,
        }
        for key, value in paging.analytics_overrides:
            row[key] = value
        return row


def _secs(a: datetime, b: datetime) -> int:
    return int((b - a).total_seconds())


def write_pagerduty_sample(out_dir: Path, story: Scenario, *, seed: int) -> list[Path]:
    """Write ``incidents.json``, ``log_entries.json`` and ``analytics_raw_incidents.json``."""
    rng = random.Random(seed)
    render = _Render(story)
    incidents, entries, rows = [], [], []
    for inc in story.incidents:
        if inc.paging is None:
            continue
        obj, log, row = render.incident(inc, rng)
        incidents.append(obj)
        entries.extend(log)
        rows.append(row)
    entries.sort(key=lambda e: (e["created_at"], e["incident"]["id"]))
    rows.sort(key=lambda r: r["created_at"], reverse=True)
    analytics = {
        "data": rows,
        "ending_before": None,
        "filters": {
            "created_at_start": "2025-01-01T00:00:00",
            "created_at_end": iso_naive(story.exported_at),
        },
        "first": rows[0]["id"],
        "last": rows[-1]["id"],
        "limit": 100,
        "more": False,
        "order": "desc",
        "order_by": "created_at",
        "starting_after": None,
        "time_zone": "Etc/UTC",
    }
    return [
        write_json(
            out_dir / "incidents.json",
            {"incidents": incidents, "limit": 100, "offset": 0, "more": False, "total": len(incidents)},
        ),
        write_json(
            out_dir / "log_entries.json",
            {"log_entries": entries, "limit": 100, "offset": 0, "more": False, "total": len(entries)},
        ),
        write_json(out_dir / "analytics_raw_incidents.json", analytics),
    ]
