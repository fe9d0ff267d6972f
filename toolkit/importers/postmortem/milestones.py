"""The incident's milestones: what the fields state, else what the timeline marks.

``started_at`` and ``resolved_at`` come from the Started/Resolved fields or the Duration's
``(10:00 AM - 12:15 PM PST)`` range (an end before the start is on the next day; one end
plus the duration gives the other). Where the fields are silent the timeline decides:
``started_at`` from an ``OUTAGE BEGINS`` marker, else the first alert or page;
``resolved_at`` from ``OUTAGE ENDS``, else ``INCIDENT ENDS``, else the first resolve row;
``declared_at`` from ``INCIDENT BEGINS``, else the first declare row; ``mitigated_at``
only from a marker (``OUTAGE MITIGATED``); ``detected_at`` the first alert or page and
``acknowledged_at`` the first acknowledgement. ``duration`` is the stated one, else
``resolved_at - started_at``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from toolkit.clock import Clock, Zone, parse_clock, parse_date, parse_range, resolve_zone, to_utc
from toolkit.importers.postmortem.fields import Fields
from toolkit.importers.postmortem.timeline import Problem, TimelineRow
from toolkit.schema import EventKind

__all__ = ["Milestones", "StatedTimes", "milestones", "stated_instant", "stated_times"]


@dataclass(frozen=True)
class StatedTimes:
    """Start and end of impact as the fields state them, with what could not be read."""

    started_at: datetime | None
    resolved_at: datetime | None
    problems: tuple[Problem, ...]
    notes: tuple[str, ...]


def _zone_for(clock: Clock, default: Zone, override: Zone | None, zones: Mapping[str, str]) -> Zone:
    if override is not None or clock.zone is None:
        return override or default
    return resolve_zone(clock.zone, zones) or default


def stated_times(
    fields: Fields,
    *,
    day: date | None,
    zone: Zone,
    override: Zone | None,
    duration: timedelta | None,
    zones: Mapping[str, str],
) -> StatedTimes:
    """Start and end of impact from the Started/Resolved fields or the Duration's range."""
    problems: list[Problem] = []
    notes: list[str] = []
    start: Clock | None = None
    end: Clock | None = None
    year = day.year if day else None
    dur = fields.get("duration")
    if dur is not None and "(" in dur.value:
        inner = dur.value[dur.value.index("(") + 1 :].rstrip(")").strip()
        rng = parse_range(inner, year=year, zones=zones)
        if rng is None:
            problems.append(
                (
                    dur.line,
                    dur.key,
                    f"expected a time range like '10:00 AM - 12:15 PM PST' in parentheses, got {inner!r}",
                )
            )
        else:
            start, end = rng
    for name in ("started", "resolved"):
        f = fields.get(name)
        if f is None:
            continue
        clock = parse_clock(f.value, year=year, zones=zones)
        if clock is None:
            problems.append(
                (
                    f.line,
                    f.key,
                    f"expected a time like '10:00 AM PST' or '2025-01-15 10:00 UTC', got {f.value!r}",
                )
            )
        elif name == "started":
            start = clock
        else:
            end = clock
    started = resolved = None
    if start is not None and (start.day or day) is not None:
        started = to_utc(start.day or day, start.time, _zone_for(start, zone, override, zones))  # type: ignore[arg-type]
    if end is not None and (end.day or day) is not None:
        resolved = to_utc(end.day or day, end.time, _zone_for(end, zone, override, zones))  # type: ignore[arg-type]
        if started is not None and end.day is None and resolved < started:
            resolved += timedelta(days=1)
    if (start or end) and day is None and not ((start and start.day) or (end and end.day)):
        notes.append("the header gives clock times but no date; started_at/resolved_at left empty")
    if started is not None and resolved is None and duration is not None:
        resolved = started + duration
    elif resolved is not None and started is None and duration is not None:
        started = resolved - duration
    if (
        started is not None
        and resolved is not None
        and duration is not None
        and resolved - started != duration
    ):
        notes.append(
            f"stated duration {duration} differs from {started:%H:%M}-{resolved:%H:%M} UTC ({resolved - started})"
        )
    return StatedTimes(started, resolved, tuple(problems), tuple(notes))


def stated_instant(
    fields: Fields, key: str, *, zone: Zone, day: date | None, zones: Mapping[str, str]
) -> datetime | None:
    """A field holding a date and maybe a time (``**Post-mortem meeting:** 2025-01-16 15:00 UTC``)."""
    f = fields.get(key)
    if f is None:
        return None
    year = day.year if day else None
    clock = parse_clock(f.value, year=year, zones=zones)
    if clock is not None and clock.day is not None:
        z = (resolve_zone(clock.zone, zones) if clock.zone else None) or zone
        return to_utc(clock.day, clock.time, z)
    d = parse_date(f.value, year=year)
    return to_utc(d, time(0), zone) if d else None


@dataclass(frozen=True)
class Milestones:
    """The incident's milestones (UTC) and its duration."""

    started_at: datetime | None
    detected_at: datetime | None
    declared_at: datetime | None
    acknowledged_at: datetime | None
    mitigated_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    duration: timedelta | None


def milestones(stated: StatedTimes, rows: Sequence[TimelineRow], duration: timedelta | None) -> Milestones:
    """The milestones by the rules of the module docstring."""

    def first(*kinds: EventKind) -> datetime | None:
        return min((r.at for r in rows if r.kind in kinds and r.at is not None), default=None)

    def marked(name: str) -> datetime | None:
        return min((r.at for r in rows if r.milestone == name and r.at is not None), default=None)

    detected = first(EventKind.alert, EventKind.page)
    started = stated.started_at or marked("started") or detected
    closed = marked("closed")
    resolved = stated.resolved_at or marked("resolved") or closed or first(EventKind.resolve)
    if duration is None and started is not None and resolved is not None:
        duration = resolved - started
    return Milestones(
        started_at=started,
        detected_at=detected,
        declared_at=marked("declared") or first(EventKind.declare),
        acknowledged_at=first(EventKind.acknowledge),
        mitigated_at=marked("mitigated"),
        resolved_at=resolved,
        closed_at=closed,
        duration=duration,
    )
