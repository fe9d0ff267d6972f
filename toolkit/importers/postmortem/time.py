"""Dates, clock times, durations and time-zone labels as post-mortem authors write them.

Time-zone labels map as follows (documented once, here):

* **Labels that name an offset are fixed offsets**, whatever the date: ``UTC``/``GMT``/``Z``
  +0, ``PST`` −8, ``PDT`` −7, ``MST`` −7, ``MDT`` −6, ``CST`` −6 (US Central), ``CDT`` −5,
  ``EST`` −5, ``EDT`` −4, ``AKST`` −9, ``AKDT`` −8, ``HST`` −10, ``WET`` +0, ``WEST`` +1,
  ``BST`` +1 (British Summer Time), ``CET`` +1, ``CEST`` +2, ``EET`` +2, ``EEST`` +3,
  ``MSK`` +3, ``IST`` +5:30 (India), ``SGT``/``HKT``/``AWST`` +8, ``JST``/``KST`` +9,
  ``ACST`` +9:30, ``AEST`` +10, ``AEDT`` +11, ``NZST`` +12, ``NZDT`` +13, and explicit
  offsets such as ``UTC+2``, ``GMT-5`` or ``UTC+05:30``. So ``10:00 PST`` on 2025-01-15
  is 18:00 UTC, and ``10:00 PST`` written in July is still read as UTC−8 (with a note,
  since the author may have meant Pacific time; pass ``tz="America/Los_Angeles"``).
* **Generic labels are IANA zones**, so daylight saving follows the date: ``PT``/``Pacific``
  → America/Los_Angeles, ``MT``/``Mountain`` → America/Denver, ``CT``/``Central`` →
  America/Chicago, ``ET``/``Eastern`` → America/New_York, ``UK`` → Europe/London, and
  any IANA name written out (``Europe/Berlin``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "DAYLIGHT_LABELS",
    "STANDARD_LABELS",
    "Clock",
    "Zone",
    "find_zone_label",
    "parse_clock",
    "parse_date",
    "parse_duration",
    "parse_range",
    "resolve_zone",
    "to_utc",
]

_FIXED: dict[str, float] = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0,
    "PST": -8, "PDT": -7, "MST": -7, "MDT": -6, "CST": -6, "CDT": -5, "EST": -5, "EDT": -4,
    "AKST": -9, "AKDT": -8, "HST": -10,
    "WEST": 1, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
    "IST": 5.5, "SGT": 8, "HKT": 8, "AWST": 8, "JST": 9, "KST": 9, "ACST": 9.5,
    "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
}  # fmt: skip
_GENERIC: dict[str, str] = {
    "PT": "America/Los_Angeles", "PACIFIC": "America/Los_Angeles",
    "MT": "America/Denver", "MOUNTAIN": "America/Denver",
    "CT": "America/Chicago", "CENTRAL": "America/Chicago",
    "ET": "America/New_York", "EASTERN": "America/New_York",
    "UK": "Europe/London",
}  # fmt: skip
STANDARD_LABELS = frozenset({"PST", "MST", "CST", "EST", "AKST", "WET", "CET", "EET", "AEST", "NZST"})
"""Winter-time labels: using one on a summer date earns a note."""
DAYLIGHT_LABELS = frozenset(
    {"PDT", "MDT", "CDT", "EDT", "AKDT", "WEST", "CEST", "EEST", "AEDT", "NZDT", "BST"}
)
"""Summer-time labels: using one on a winter date earns a note."""
_SEASON_ZONE = {
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "MST": "America/Denver", "MDT": "America/Denver",
    "CST": "America/Chicago", "CDT": "America/Chicago",
    "EST": "America/New_York", "EDT": "America/New_York",
    "AKST": "America/Anchorage", "AKDT": "America/Anchorage",
    "WET": "Europe/Lisbon", "WEST": "Europe/Lisbon", "BST": "Europe/London",
    "CET": "Europe/Paris", "CEST": "Europe/Paris", "EET": "Europe/Athens", "EEST": "Europe/Athens",
    "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney",
    "NZST": "Pacific/Auckland", "NZDT": "Pacific/Auckland",
}  # fmt: skip

_OFFSET_RX = re.compile(r"^(?:UTC|GMT)?\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_LABEL_ALT = "|".join(sorted((re.escape(k) for k in [*_FIXED, *_GENERIC] if k != "Z"), key=len, reverse=True))
_LABEL_RX = re.compile(
    rf"(?<![\w/])(?:(?:UTC|GMT)\s*[+-−]\s*\d{{1,2}}(?::?\d{{2}})?|{_LABEL_ALT}|[A-Z][a-z]+/[A-Z][A-Za-z_]+(?:/[A-Za-z_]+)?)(?![\w/])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Zone:
    """A resolved time zone: the label as written, the tzinfo used and its readable name."""

    label: str
    tzinfo: tzinfo
    name: str
    """``"UTC-08:00"`` for fixed offsets, the IANA key otherwise."""

    def season_note(self, on: date) -> str | None:
        """A note when a standard/daylight label does not match the season on ``on``."""
        key = self.label.upper()
        zone = _SEASON_ZONE.get(key)
        if zone is None:
            return None
        dst = datetime.combine(on, time(12), ZoneInfo(zone)).dst() or timedelta(0)
        if key in STANDARD_LABELS and dst:
            return (
                f"{self.label} is a winter-time label but {on} falls in summer time; read as "
                f"{self.name} as written (pass tz='{zone}' if local time was meant)"
            )
        if key in DAYLIGHT_LABELS and not dst:
            return (
                f"{self.label} is a summer-time label but {on} falls in winter time; read as "
                f"{self.name} as written (pass tz='{zone}' if local time was meant)"
            )
        return None


def _fixed(label: str, hours: float) -> Zone:
    delta = timedelta(minutes=round(hours * 60))
    total = int(delta.total_seconds() // 60)
    sign = "-" if total < 0 else "+"
    name = f"UTC{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}" if total else "UTC"
    return Zone(label, timezone(delta) if total else UTC, name)


def resolve_zone(label: str) -> Zone | None:
    """The zone a label names, or None when it is not a zone we know.

    Examples
    --------
    >>> resolve_zone("PST").name
    'UTC-08:00'
    >>> resolve_zone("PT").name
    'America/Los_Angeles'
    >>> resolve_zone("UTC+5:30").name
    'UTC+05:30'
    """
    text = label.strip()
    key = text.upper()
    if key in _FIXED:
        return _fixed(text, _FIXED[key])
    if key in _GENERIC:
        return Zone(text, ZoneInfo(_GENERIC[key]), _GENERIC[key])
    m = _OFFSET_RX.match(text)
    if m and (text[:1] in "+-−" or key[:3] in ("UTC", "GMT")):
        sign = -1 if m.group(1) in "-−" else 1
        hours, minutes = int(m.group(2)), int(m.group(3) or 0)
        if hours > 14 or minutes >= 60:
            return None
        return _fixed(text, sign * (hours + minutes / 60))
    if "/" in text:
        try:
            return Zone(text, ZoneInfo(text), text)
        except (ZoneInfoNotFoundError, ValueError):
            return None
    return None


def find_zone_label(text: str) -> str | None:
    """The first time-zone label in ``text`` ("All times PST" → "PST"), if any."""
    for m in _LABEL_RX.finditer(text):
        if resolve_zone(m.group(0)) is not None:
            word = m.group(0)
            # generic words only count in upper case ("ET", not "et"; "Pacific" as written)
            if word.upper() in _GENERIC and len(word) <= 2 and not word.isupper():
                continue
            if word.upper() in _FIXED and not word.isupper():
                continue
            return word
    return None


def to_utc(day: date, clock: time, zone: Zone) -> datetime:
    """Local ``day`` + ``clock`` in ``zone`` as an aware UTC datetime."""
    return datetime.combine(day, clock, zone.tzinfo).astimezone(UTC)


# ---------------------------------------------------------------------------- clock times

_CLOCK_RX = re.compile(
    r"(?<![\d:])(?P<h>\d{1,2})(?::(?P<m>\d{2}))?(?::(?P<s>\d{2}))?\s*"
    r"(?P<ampm>[ap]\.?\s?m\.?(?![a-z]))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Clock:
    """A clock time read from text: the time, whether it said AM/PM, any zone label, any date."""

    time: time
    meridiem: str | None
    label: str | None
    day: date | None = None


def _clock_from(m: re.Match[str], *, meridiem: str | None = None) -> time | None:
    h, mi, s = int(m.group("h")), int(m.group("m") or 0), int(m.group("s") or 0)
    ampm = (m.group("ampm") or meridiem or "").lower().replace(".", "").replace(" ", "")
    if mi >= 60 or s >= 60:
        return None
    if ampm:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if ampm == "pm" else 0)
    elif h > 23:
        return None
    return time(h, mi, s)


_DATE_PREFIX_RX = re.compile(
    r"^\s*(?P<date>\d{4}-\d{2}-\d{2}|\d{4}/\d{2}/\d{2}|[A-Za-z]{3,9}\.? \d{1,2}(?:st|nd|rd|th)?(?:,? \d{4})?)"
    r"(?:[ T,]+|$)"
)


def parse_clock(text: str, *, year: int | None = None) -> Clock | None:
    """A clock time such as ``10:00 AM``, ``10:00``, ``22:05:30 UTC`` or ``2025-01-16 00:30``.

    A leading date (ISO, or ``Jan 16``) is returned as ``day``. The text must be just the
    time (plus zone label and optional date); free text around it gives None.

    Examples
    --------
    >>> parse_clock("12:15 PM PST")
    Clock(time=datetime.time(12, 15), meridiem='pm', label='PST', day=None)
    """
    raw = text.strip().strip("*_` ").strip()
    day = None
    dm = _DATE_PREFIX_RX.match(raw)
    if dm:
        day = parse_date(dm.group("date"), year=year)
        if day is not None:
            raw = raw[dm.end() :].strip()
    m = _CLOCK_RX.match(raw)
    if not m or (m.group("m") is None and m.group("ampm") is None):
        return None
    clock = _clock_from(m)
    if clock is None:
        return None
    rest = raw[m.end() :].strip().strip("()").strip()
    label = None
    if rest:
        zone = resolve_zone(rest)
        if zone is None:
            return None
        label = zone.label
    ampm = (m.group("ampm") or "").lower().replace(".", "").replace(" ", "") or None
    return Clock(clock, ampm, label, day)


# ---------------------------------------------------------------------------- dates

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ]
    )
    for name in names
}  # fmt: skip
_WEEKDAY_RX = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)
_ISO_DATE_RX = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b")
_MDY_RX = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b")
_DMY_RX = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?(?:\s+(\d{4}))?\b")


def parse_date(text: str, *, year: int | None = None) -> date | None:
    """A calendar date: ``2025-01-15``, ``2025/01/15``, ``January 15, 2025``, ``Jan 15``,
    ``15 Jan 2025``, ``Wednesday, January 15, 2025``. A missing year takes ``year``.

    Numeric day/month orders (``01/02/2025``) are ambiguous and not accepted.

    Examples
    --------
    >>> parse_date("Jan 18", year=2025)
    datetime.date(2025, 1, 18)
    """
    raw = _WEEKDAY_RX.sub("", text.strip().strip("*_` ").strip())
    m = _ISO_DATE_RX.match(raw)
    if m:
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _MDY_RX.match(raw)
    if m and m.group(1).lower() in _MONTHS:
        y = int(m.group(3)) if m.group(3) else year
        return None if y is None else _make_date(y, _MONTHS[m.group(1).lower()], int(m.group(2)))
    m = _DMY_RX.match(raw)
    if m and m.group(2).lower() in _MONTHS:
        y = int(m.group(3)) if m.group(3) else year
        return None if y is None else _make_date(y, _MONTHS[m.group(2).lower()], int(m.group(1)))
    return None


def _make_date(y: int, mo: int, d: int) -> date | None:
    try:
        return date(y, mo, d)
    except ValueError:
        return None


# ---------------------------------------------------------------------------- durations

_DUR_UNIT = {
    "d": 1440, "day": 1440, "days": 1440,
    "h": 60, "hr": 60, "hrs": 60, "hour": 60, "hours": 60,
    "m": 1, "min": 1, "mins": 1, "minute": 1, "minutes": 1,
    "s": 1 / 60, "sec": 1 / 60, "secs": 1 / 60, "second": 1 / 60, "seconds": 1 / 60,
}  # fmt: skip
_DUR_RX = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)", re.IGNORECASE)
_HHMM_RX = re.compile(r"^(\d{1,3}):(\d{2})$")


def parse_duration(text: str) -> timedelta | None:
    """``2h 15m``, ``2 hours 15 minutes``, ``135 min``, ``1.5h`` or ``2:15`` as a timedelta.

    Only the part before any parenthesis is read (``2h 15m (10:00 AM - 12:15 PM PST)``).

    Examples
    --------
    >>> parse_duration("2h 15m (10:00 AM - 12:15 PM PST)")
    datetime.timedelta(seconds=8100)
    """
    head = text.split("(", 1)[0].strip().strip("*_` ~≈").strip()
    if not head:
        return None
    m = _HHMM_RX.match(head)
    if m:
        return timedelta(hours=int(m.group(1)), minutes=int(m.group(2)))
    minutes = 0.0
    end = 0
    for m in _DUR_RX.finditer(head):
        unit = _DUR_UNIT.get(m.group(2).lower())
        if unit is None or head[end : m.start()].strip(" ,and"):
            return None
        minutes += float(m.group(1)) * unit
        end = m.end()
    if end == 0 or head[end:].strip():
        return None
    return timedelta(seconds=round(minutes * 60))


_RANGE_RX = re.compile(r"^(?P<a>.+?)\s*(?:-|–|—|\bto\b|\buntil\b|→)\s*(?P<b>.+)$", re.IGNORECASE)


def parse_range(text: str, *, year: int | None = None) -> tuple[Clock, Clock] | None:
    """A clock range ``10:00 AM - 12:15 PM PST`` (the trailing label applies to both ends).

    When only the end says AM/PM (``10:00 - 11:30 AM``), the start takes the same half of
    the day unless that would put it after the end.
    """
    m = _RANGE_RX.match(text.strip().strip("()").strip())
    if not m:
        return None
    b = parse_clock(m.group("b"), year=year)
    a = parse_clock(m.group("a"), year=year)
    if a is None or b is None:
        return None
    if a.label is None and b.label is not None:
        a = Clock(a.time, a.meridiem, b.label, a.day)
    if a.meridiem is None and b.meridiem is not None and 1 <= a.time.hour <= 12:
        hour = a.time.hour % 12 + (12 if b.meridiem == "pm" else 0)
        same_half = a.time.replace(hour=hour)
        if same_half <= b.time:
            a = Clock(same_half, b.meridiem, a.label, a.day)
    return a, b
