"""The sample's README (``data/sample/README.md``) and the rule that names its incidents.

The ids are the ones the workspace shows once each incident's sources are linked into
one incident; the timeline layer applies the same rule (:func:`incident_id_for`).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

from .accounts import TEAM_TIME_ZONE
from .model import Incident, Scenario

ID_RULE = """\
Each incident is listed under the id the workspace shows once its sources are linked into
one incident. The war room's name gives the id: `incident-2025-01-15-payment` →
`INC-2025-01-15-payment`, `inc_2025-01-30_push-notifications` →
`INC-2025-01-30-push-notifications` (prefix `INC-`, the date as YYYY-MM-DD, then the rest of
the name as lower-case ASCII words joined by `-`). An incident without a war room takes the
id its post-mortem states, else `INC-<YYYY-MM-DD of its start in the team's time zone>-<slug
of its service>` (the PagerDuty-only notifications incident is `INC-2025-01-09-notifications`)."""

_WAR_ROOM = re.compile(r"(?:incident|inc)[-_](\d{4})[-_](\d\d)[-_](\d\d)(?:[-_](.*))?", re.IGNORECASE)
_WAR_ROOM_NO_DATE = re.compile(r"(?:incident|inc)[-_](.*)", re.IGNORECASE)


def slug(text: str) -> str:
    """Lower-case ASCII words of ``text`` joined by ``-``.

    Examples
    --------
    >>> slug("Push_Notifications (EU)"), slug("Café  ünd Bar")
    ('push-notifications-eu', 'cafe-und-bar')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def incident_id_for(
    war_room: str | None, *, started: datetime, service: str, postmortem_id: str | None = None
) -> str:
    """The id of a linked incident (the rule in the sample README's header).

    A war room whose name carries no date takes the date of ``started`` (in the team's
    time zone), like an incident without a war room.

    Examples
    --------
    >>> from datetime import UTC
    >>> at = datetime(2025, 1, 9, 11, 15, tzinfo=UTC)
    >>> incident_id_for("incident-2025-01-15-payment", started=at, service="payment-service")
    'INC-2025-01-15-payment'
    >>> incident_id_for("inc_2025-01-30_push-notifications", started=at, service="notifications")
    'INC-2025-01-30-push-notifications'
    >>> incident_id_for(None, started=at, service="notifications")
    'INC-2025-01-09-notifications'
    """
    day = started.astimezone(ZoneInfo(TEAM_TIME_ZONE)).strftime("%Y-%m-%d")
    if war_room is not None:
        m = _WAR_ROOM.fullmatch(war_room)
        if m is not None:
            rest = slug(m[4] or "")
            return f"INC-{m[1]}-{m[2]}-{m[3]}" + (f"-{rest}" if rest else "")
        m = _WAR_ROOM_NO_DATE.fullmatch(war_room)
        rest = slug(m[1] if m else war_room)
        return f"INC-{day}" + (f"-{rest}" if rest else "")
    if postmortem_id:
        return postmortem_id
    return f"INC-{day}-{slug(service)}"


def _local(at: datetime | None) -> str:
    if at is None:
        return "open"
    return at.astimezone(ZoneInfo(TEAM_TIME_ZONE)).strftime("%Y-%m-%d %H:%M")


def _row(i: Incident) -> str:
    cells = [
        i.incident_id,
        i.service,
        i.declared_severity or "-",
        i.final_severity or "-",
        i.true_severity,
        _local(i.started_at),
        _local(i.resolved_at),
        i.channel or "-",
        i.paging.pd_id if i.paging else "-",
        i.status_page.sp_id if i.status_page else "-",
        i.postmortem.file if i.postmortem else "-",
    ]
    return "| " + " | ".join(cells) + " |"


def render_readme(story: Scenario) -> bytes:
    """``data/sample/README.md``: how it was made, the id rule, one row per incident."""
    lines = [
        "# Sample exports (generated)",
        "",
        "Written by `incident-toolkit generate data/sample` (the same command as",
        "`python -m toolkit.samplegen data/sample`); do not edit by hand. The story is data:",
        "`toolkit/samplegen/scenario/` holds one TOML file per incident with its ground truth",
        "(`toolkit.samplegen.SCENARIO` in Python). Times below are PST (UTC-8).",
        "",
        ID_RULE,
        "",
        "`declared` is the severity first declared, `final` the one the incident ended with, and",
        "`true` what the seed's decision tree gives on its impact.",
        "",
        "| incident | service | declared | final | true | started | resolved | war room | PagerDuty"
        " | Statuspage | post-mortem |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        *(_row(i) for i in story.incidents),
    ]
    return ("\n".join(lines) + "\n").encode()
