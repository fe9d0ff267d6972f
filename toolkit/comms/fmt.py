"""Times, dates and durations as messages write them: ``10:00 AM PST``, ``Jan 15``, ``2h 15m``.

Times are floored to the minute (a war room's ``10:23:20`` is ``10:23 AM``) and shown in a
zone: the team's (``[team].time_zone``) or the customers' (``[comms].customer_time_zone``),
with the label the policy gives (``[comms].zone_label``) or else the zone's own abbreviation
on that date (``PST`` in January, ``PDT`` in July).

Examples
--------
>>> from datetime import UTC, datetime, timedelta
>>> z = Zone("America/Los_Angeles")
>>> t = datetime(2025, 1, 15, 18, 23, 20, tzinfo=UTC)
>>> z.hm(t), z.hmz(t), z.hm0(datetime(2025, 1, 15, 17, 55, tzinfo=UTC)), z.stamp(t)
('10:23 AM', '10:23 AM PST', '09:55 AM', 'Jan 15, 10:23 AM PST')
>>> z.window(datetime(2025, 1, 15, 18, tzinfo=UTC), datetime(2025, 1, 15, 20, 15, tzinfo=UTC))
'10:00 AM - 12:15 PM PST'
>>> duration(timedelta(hours=2, minutes=15, seconds=0.077)), duration(timedelta(seconds=20))
('2h 15m', '0m')
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import cached_property

__all__ = ["Zone", "duration", "floor_minute"]


def floor_minute(value: datetime) -> datetime:
    """``value`` without its seconds."""
    return value.replace(second=0, microsecond=0)


def duration(value: timedelta | None) -> str | None:
    """``value`` to the minute in its two largest units (``2h 15m``, ``45m``, ``1d 3h``; ``0m``)."""
    if value is None:
        return None
    seconds = value.total_seconds()
    sign, total = ("-" if seconds < 0 else ""), int(abs(seconds) // 60)
    days, rest = divmod(total, 1440)
    units = [(days, "d"), *zip(divmod(rest, 60), ("h", "m"), strict=True)]
    while units and units[0][0] == 0:
        units.pop(0)
    if not units:
        return "0m"
    return sign + " ".join(f"{n}{u}" for n, u in units[:2] if n)


@dataclass(frozen=True)
class Zone:
    """A zone to print times in: an IANA name or ``UTC±HH:MM``, and an optional fixed label."""

    name: str
    label: str = ""
    """Printed after times instead of the zone's abbreviation (empty: the abbreviation)."""

    @cached_property
    def tz(self) -> tzinfo:
        from toolkit.clock import zone_info

        found = zone_info(self.name)
        if found is None:  # the policy validated it; a bad name here is a programming error
            raise ValueError(f"unknown time zone {self.name!r}")
        return found[0]

    def local(self, value: datetime) -> datetime:
        """``value`` in this zone, floored to the minute."""
        return floor_minute(value.astimezone(self.tz))

    def tag(self, value: datetime) -> str:
        """The label of this zone on ``value``'s date (``PST``/``PDT``, or the policy's)."""
        return self.label or value.astimezone(self.tz).tzname() or self.name

    def hm(self, value: datetime) -> str:
        """``10:05 AM`` (no leading zero)."""
        return self.local(value).strftime("%I:%M %p").lstrip("0")

    def hm0(self, value: datetime) -> str:
        """``09:55 AM`` (as the post-mortem's timeline table writes it)."""
        return self.local(value).strftime("%I:%M %p")

    def hmz(self, value: datetime) -> str:
        """``10:05 AM PST``."""
        return f"{self.hm(value)} {self.tag(value)}"

    def day(self, value: datetime | date) -> str:
        """``Jan 15``."""
        d = self.local(value) if isinstance(value, datetime) else value
        return f"{d:%b} {d.day}"

    def long_day(self, value: datetime | date) -> str:
        """``January 15``."""
        d = self.local(value) if isinstance(value, datetime) else value
        return f"{d:%B} {d.day}"

    def weekday(self, value: datetime) -> str:
        """``Fri Jan 17``."""
        return f"{self.local(value):%a} {self.day(value)}"

    def stamp(self, value: datetime) -> str:
        """``Jan 15, 10:05 AM PST`` (the status page's ``Posted:`` line)."""
        return f"{self.day(value)}, {self.hmz(value)}"

    def window(self, start: datetime, end: datetime) -> str:
        """``10:00 AM - 12:15 PM PST``; with the dates when they differ (``Jan 15, 11:00 PM - Jan 16, 1:10 AM PST``)."""
        a, b = self.local(start), self.local(end)
        if a.date() == b.date():
            return f"{self.hm(start)} - {self.hmz(end)}"
        return f"{self.day(start)}, {self.hm(start)} - {self.day(end)}, {self.hmz(end)}"

    def same_day(self, a: datetime, b: datetime) -> bool:
        """Whether ``a`` and ``b`` fall on one local date."""
        return self.local(a).date() == self.local(b).date()
