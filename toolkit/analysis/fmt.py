"""Durations and times for people: ``2h 15m``, ``4m 53s``, ``2025-01-15 10:00 PST`` (no microsecond noise).

Tables keep full precision; only what people read is rounded, to the second at most.

Examples
--------
>>> from datetime import timedelta
>>> human_duration(timedelta(hours=2, minutes=15, microseconds=77001))
'2h 15m'
>>> human_duration(timedelta(minutes=4, seconds=53, microseconds=51172))
'4m 53s'
>>> human_minutes(1500.0), human_minutes(None)
('1d 1h', '—')
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = ["human_duration", "human_minutes", "human_time"]


def human_duration(value: timedelta | None) -> str:
    """``value`` to the second, in its two largest units (``1d 3h``, ``2h 15m``, ``4m 53s``, ``12s``)."""
    if value is None:
        return "—"
    total = round(value.total_seconds())
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [(days, "d"), (hours, "h"), (minutes, "m"), (seconds, "s")]
    while parts and parts[0][0] == 0:
        parts.pop(0)
    if not parts:
        return "0s"
    shown = [f"{n}{u}" for n, u in parts[:2] if n]
    return sign + " ".join(shown)


def human_minutes(value: float | None) -> str:
    """Minutes (a float, as tables hold them) as :func:`human_duration` writes them."""
    return "—" if value is None else human_duration(timedelta(minutes=value))


def human_time(value: datetime | None, zone: str = "UTC") -> str:
    """``value`` in ``zone`` to the minute, with the zone's abbreviation (``2025-01-15 10:00 PST``)."""
    if value is None:
        return "—"
    local = value.astimezone(ZoneInfo(zone))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
