"""``draft(kind, incident_id, *, workspace, at=None, audience=None)``: one message, from the data.

Examples
--------
>>> sorted(KINDS) == sorted(["declare", "update", "statuspage", "resolve", "exec", "customer",
...                          "support", "escalate", "timeline"])
True
>>> from toolkit.policy import Policy
>>> parse_at("2025-01-15 10:45 PST", policy=Policy.default()).isoformat()
'2025-01-15T18:45:00+00:00'
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import ArgumentError
from toolkit.policy import Policy

if TYPE_CHECKING:
    from toolkit.store import Workspace as Store
    from toolkit.workspace import Workspace

__all__ = ["KINDS", "draft", "parse_at"]

KINDS: Mapping[str, tuple[str, str]] = {
    "declare": ("the SEV declaration for the war room", "slack"),
    "update": ("the war-room update '📋 UPDATE #N - 10:45 AM'", "slack"),
    "statuspage": ("the public status-page post of the current phase", "text"),
    "resolve": ("the resolution announcement", "slack"),
    "exec": ("the summary e-mail to the CEO/CTO", "text"),
    "customer": ("the e-mail to affected customers", "text"),
    "support": ("the talking points for sales and support", "text"),
    "escalate": ("the escalation to leadership", "slack"),
    "timeline": ("the post-mortem's timeline table", "markdown"),
}
"""Draft kinds → (what it is, its default format)."""

_EXAMPLE = "'2025-01-15 10:45 PST', '10:45 AM' or ISO 8601 such as '2025-01-15T18:45:00Z'"


def parse_at(text: str, *, policy: Policy, ref: datetime | None = None) -> datetime:
    """A moment as written (module docs) in UTC; a time without a date is the first after ``ref``.

    A time without a zone is in the team's zone (``[team].time_zone``); labels are read
    with the policy's ``[time_zones]``. Raises :class:`~toolkit.errors.ArgumentError`.
    """
    from toolkit.clock import parse_clock, resolve, resolve_zone, zone_info

    raw = text.strip()
    team = zone_info(policy.team.time_zone)
    assert team is not None  # the policy validated it
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        parsed = None
    if parsed is not None:
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=team[0])).astimezone(UTC)
    clock = parse_clock(raw, zones=policy.time_zones)
    if clock is None:
        raise ArgumentError(f"--at: expected a time like {_EXAMPLE}, got {text!r}")
    zone = resolve_zone(clock.zone, policy.time_zones) if clock.zone else None
    tz = zone.tzinfo if zone else team[0]
    if clock.day is not None:
        return datetime.combine(clock.day, clock.time, tz).astimezone(UTC)
    if ref is None:
        raise ArgumentError(f"--at: {text!r} has no date; write it like {_EXAMPLE}")
    from zoneinfo import ZoneInfo

    if isinstance(tz, ZoneInfo):
        found = resolve(clock, ref=ref, zone=tz, after=True)
        if found is None:
            raise ArgumentError(f"--at: {text!r} does not exist on the clock after {ref:%Y-%m-%d}")
        return found
    day = ref.astimezone(tz).date()
    later = (datetime.combine(d, clock.time, tz).astimezone(UTC) for d in (day, day + timedelta(days=1)))
    return next(m for m in later if m >= ref)


def _workspace(workspace: Workspace | Store | str | Path) -> Workspace:
    from toolkit.workspace import Workspace

    if isinstance(workspace, Workspace):
        return workspace
    if isinstance(workspace, str | Path):
        return Workspace.open(workspace)  # type: ignore[return-value]
    return Workspace(workspace.path, policy=workspace.policy)


def draft(
    kind: str,
    incident_id: str,
    *,
    workspace: Workspace | Store | str | Path,
    at: datetime | str | None = None,
    audience: str | None = None,
    format: str | None = None,
    templates: str | Path | None = None,
) -> str:
    """Draft message ``kind`` for incident ``incident_id`` as it stood at ``at``.

    Parameters
    ----------
    kind
        One of :data:`KINDS`: ``declare``, ``update``, ``statuspage``, ``resolve``,
        ``exec``, ``customer``, ``support``, ``escalate``, ``timeline``.
    incident_id
        The linked id or any per-source id of the incident.
    workspace
        A :class:`toolkit.Workspace` (or its folder).
    at
        The moment (an aware datetime, or text such as ``"2025-01-15 10:45 PST"``); only
        what was recorded by then counts (see :func:`toolkit.comms.facts`). Default: the
        resolution, or now while the incident is open.
    audience
        Whom an e-mail greets (``exec``: "Hi Dana,"; ``customer``: "Dear Dana,").
    format
        ``slack``, ``markdown`` or ``text`` (default: the kind's, see :data:`KINDS`).
    templates
        A folder of the team's own ``<kind>.j2`` templates (before the policy's
        ``[comms].templates`` and the shipped ones).

    Returns
    -------
    str
        The draft; ``[fill in: ...]`` marks what the data does not say.

    Examples
    --------
    >>> import tempfile
    >>> from toolkit.workspace import Workspace
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> _ = ws.ingest("data/sample/slack/acme-slack-export.zip")
    >>> print(draft("update", "INC-2025-01-15-payment", workspace=ws, at="2025-01-15 10:30 PST"))
    📋 UPDATE #3 - 10:30 AM
    **Investigation:**
    - Root cause identified: DB connection pool exhausted
    ...
    """
    from toolkit.comms.facts import facts
    from toolkit.comms.records import read_records
    from toolkit.comms.render import render
    from toolkit.comms.safe import FORMATS

    if kind not in KINDS:
        raise ArgumentError(f"unknown draft kind {kind!r}; expected one of {', '.join(KINDS)}")
    fmt = format or KINDS[kind][1]
    if fmt not in FORMATS:
        raise ArgumentError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    ws = _workspace(workspace)
    tl = ws.timeline()
    iid = tl.linked_id(incident_id)
    if iid is None:
        raise ArgumentError(f"no incident {incident_id!r} in {ws.path}; see `incident-toolkit incidents`")
    inc = tl.incidents.filter(tl.incidents["incident_id"] == iid).row(0, named=True)
    times = [inc[m] for m in ("started_at", "detected_at", "declared_at", "acknowledged_at") if inc[m]]
    begin = min(times) if times else None
    if isinstance(at, str):
        moment = parse_at(at, policy=ws.policy, ref=begin)
    elif isinstance(at, datetime):
        if at.tzinfo is None:
            raise ArgumentError(
                f"at: {at!r} has no time zone; pass an aware datetime or text such as {_EXAMPLE}"
            )
        moment = at.astimezone(UTC)
    elif at is None:
        moment = inc["resolved_at"] or datetime.now(UTC)
    else:
        raise ArgumentError(f"at: expected a datetime or text such as {_EXAMPLE}, got {type(at).__name__}")
    if begin is not None and moment.replace(microsecond=0) < begin.replace(microsecond=0):
        from toolkit.comms.fmt import Zone

        zone = Zone(ws.policy.team.time_zone, ws.policy.comms.zone_label)
        raise ArgumentError(
            f"--at: {zone.stamp(moment)} is before incident {iid} began ({zone.stamp(begin)}); give a later time"
        )
    from toolkit import actions

    known = facts(
        tl,
        iid,
        at=moment,
        policy=ws.policy,
        records=read_records(ws, tl.links, iid),
        items=actions.list_items(ws, incident_id=iid),
    )
    folder = Path(templates) if templates is not None else None
    return render(kind, known, fmt=fmt, policy=ws.policy, templates=folder, audience=audience)
