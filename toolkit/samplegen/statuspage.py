"""Atlassian Statuspage public API v2 payloads (``incidents.json``, ``incidents/<id>.json``).

Timestamps are rendered in the page's time zone with milliseconds
(``2025-01-15T10:08:00.412-08:00``); ``incident_updates`` are newest first, and the
incident list is newest first, as Statuspage serves them.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ._util import iso_local_ms, rand_id, write_json
from .accounts import COMPONENTS, STATUS_PAGE
from .model import Incident, Scenario, StatusIncident

PAGE_ID = STATUS_PAGE["id"]
COMPONENTS_CREATED = "2023-03-01T09:00:00.000-08:00"


def page_object(updated_at: str) -> dict[str, Any]:
    """The ``page`` object that heads every public API response."""
    return {
        "id": PAGE_ID,
        "name": STATUS_PAGE["name"],
        "url": STATUS_PAGE["url"],
        "time_zone": "America/Los_Angeles",
        "updated_at": updated_at,
    }


def component_object(key: str, status: str, updated_at: str) -> dict[str, Any]:
    """A component as embedded in an incident's ``components``."""
    comp_id, name, position = COMPONENTS[key]
    return {
        "id": comp_id,
        "name": name,
        "status": status,
        "created_at": COMPONENTS_CREATED,
        "updated_at": updated_at,
        "position": position,
        "description": None,
        "showcase": True,
        "start_date": "2023-03-01",
        "group_id": None,
        "page_id": PAGE_ID,
        "group": False,
        "only_show_if_degraded": False,
    }


def update_object(
    *,
    update_id: str,
    incident_id: str,
    status: str,
    body: str,
    at: str,
    affected: list[dict[str, str]] | None,
) -> dict[str, Any]:
    """One element of ``incident_updates``."""
    return {
        "id": update_id,
        "status": status,
        "body": body,
        "incident_id": incident_id,
        "created_at": at,
        "updated_at": at,
        "display_at": at,
        "affected_components": affected,
        "deliver_notifications": True,
        "custom_tweet": None,
        "tweet_id": None,
    }


def incident_object(
    *,
    incident_id: str,
    name: str,
    status: str,
    impact: str,
    created_at: str,
    updated_at: str,
    started_at: str,
    monitoring_at: str | None,
    resolved_at: str | None,
    shortlink: str,
    updates: list[dict[str, Any]],
    components: list[dict[str, Any]],
    postmortem_body: str | None = None,
    postmortem_published_at: str | None = None,
) -> dict[str, Any]:
    """One incident; ``updates`` must already be newest first."""
    return {
        "id": incident_id,
        "name": name,
        "status": status,
        "created_at": created_at,
        "updated_at": updated_at,
        "monitoring_at": monitoring_at,
        "resolved_at": resolved_at,
        "impact": impact,
        "shortlink": shortlink,
        "started_at": started_at,
        "page_id": PAGE_ID,
        "incident_updates": updates,
        "components": components,
        "reminder_intervals": None,
        "postmortem_body": postmortem_body,
        "postmortem_published_at": postmortem_published_at,
    }


def render_incident(inc: Incident, sp: StatusIncident, rng: random.Random) -> dict[str, Any]:
    """The story's Statuspage incident as the public API shows it."""

    def stamp(at: datetime, floor: int = 0) -> tuple[str, int]:
        ms = floor + rng.randrange(1, 400)
        return iso_local_ms(at, ms), ms

    created, ms = stamp(sp.updates[0].at)
    current = {key: "operational" for u in sp.updates for key, _ in u.components}
    rendered = []
    first: dict[str, str] = {}
    for u in sp.updates:
        at, _ = stamp(u.at, ms if u is sp.updates[0] else 0)
        affected = []
        for key, new in u.components:
            affected.append(
                {
                    "code": COMPONENTS[key][0],
                    "name": COMPONENTS[key][1],
                    "old_status": current[key],
                    "new_status": new,
                }
            )
            current[key] = new
        first.setdefault(u.status, at)
        rendered.append(
            update_object(
                update_id=rand_id(rng, "", 12, lower=True),
                incident_id=sp.sp_id,
                status=u.status,
                body=u.body,
                at=at,
                affected=affected or None,
            )
        )
    last_at = sp.updates[-1].at + timedelta(seconds=rng.randrange(1, 4))
    updated, _ = stamp(last_at)
    status: str = sp.updates[-1].status
    published = None
    if sp.postmortem_published_at is not None:
        status = "postmortem"
        published, _ = stamp(sp.postmortem_published_at)
        updated = published
    return incident_object(
        incident_id=sp.sp_id,
        name=sp.name,
        status=status,
        impact=sp.impact,
        created_at=created,
        updated_at=updated,
        started_at=iso_local_ms(inc.started_at, 0),
        monitoring_at=first.get("monitoring"),
        resolved_at=first.get("resolved"),
        shortlink="https://stspg.io/" + rand_id(rng, "", 12, lower=True),
        updates=rendered[::-1],
        components=[component_object(k, v, updated) for k, v in current.items()],
        postmortem_body=sp.postmortem_body,
        postmortem_published_at=published,
    )


def write_statuspage_sample(out_dir: Path, story: Scenario, *, seed: int) -> Path:
    """Write ``out_dir/incidents.json`` with the story's customer-visible incidents."""
    rng = random.Random(seed)
    incidents = [render_incident(i, i.status_page, rng) for i in story.incidents if i.status_page]
    incidents.sort(key=lambda d: d["created_at"], reverse=True)
    page = page_object(max(d["updated_at"] for d in incidents))
    return write_json(out_dir / "incidents.json", {"page": page, "incidents": incidents})
