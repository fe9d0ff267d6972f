"""Clock times, dates, durations and time-zone labels as people write them, for every source.

The one parser of written times: war-room messages (Slack), post-mortem documents and the
timestamp columns of the JSON exports all come through here, so "10:00 AM PST" means the
same instant wherever it is written.

**Zone labels** (``PST``, ``CET``, ``Pacific``) are looked up in one table, the policy's
``[time_zones]`` (:attr:`toolkit.policy.Policy.time_zones`), which maps a label to an IANA
zone or a fixed offset such as ``"UTC+05:30"``. The shipped table maps the North American
and European abbreviations to their IANA zones (``PST``/``PDT``/``PT`` →
America/Los_Angeles, ``CET``/``CEST`` → Europe/Berlin, ...), so daylight saving follows the
date: "10:00 AM PST" on 2025-07-15 is 17:00 UTC, the same as "10:00 AM PDT". Written
offsets (``UTC+2``, ``GMT-5``, ``+05:30``), IANA names (``Europe/Berlin``) and ``UTC`` need
no table. A standard-time label on a summer date (or the reverse) earns a note
(:meth:`Zone.season_note`); a team that means a fixed UTC-8 writes ``PST = "UTC-08:00"``.

*Behaviour change for post-mortems* (issue 9): the post-mortem importer used to read the
abbreviations as fixed offsets (``PST`` always UTC-8), so "10:00 AM PST" written in July
landed an hour after the same words in a Slack war room. Both now follow the table above;
winter dates give the same instants as before.

**Clock times** are read two ways over one :class:`Clock`: :func:`parse_clock` reads a
cell that holds just a time (with an optional date before it and a zone label after it);
:func:`find_clock`, :func:`resolve` and :func:`promised_times` find a time inside free
text and place it on the day that makes it nearest after (a promised "Next update: 10:30
AM") or at/before (a "Started: 10:00 AM" line) a reference instant. Without AM/PM a
12-hour and a 24-hour reading are both tried.

Examples
--------
>>> from datetime import UTC, datetime
>>> from zoneinfo import ZoneInfo
>>> posted = datetime(2025, 1, 15, 18, 15, tzinfo=UTC)  # 10:15 AM PST
>>> resolve(find_clock("Next update: 10:30 AM"), ref=posted, zone=ZoneInfo("America/Los_Angeles"), after=True)
datetime.datetime(2025, 1, 15, 18, 30, tzinfo=datetime.timezone.utc)
>>> find_duration("next update in 15 minutes")
datetime.timedelta(seconds=900)
>>> zones = {"PST": "America/Los_Angeles"}
>>> c = parse_clock("10:00 AM PST", zones=zones)
>>> to_utc(date(2025, 7, 15), c.time, resolve_zone(c.zone, zones))
datetime.datetime(2025, 7, 15, 17, 0, tzinfo=datetime.timezone.utc)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

__all__ = [
    "DAYLIGHT_LABELS",
    "ISO_FORMAT",
    "STANDARD_LABELS",
    "Clock",
    "Zone",
    "find_clock",
    "find_duration",
    "find_zone_label",
    "leading_clock",
    "parse_clock",
    "parse_date",
    "parse_duration",
    "parse_iso_utc",
    "parse_naive_in",
    "parse_range",
    "promised_times",
    "resolve",
    "resolve_zone",
    "stated_zone",
    "to_utc",
    "zone_info",
]

# ---------------------------------------------------------------------------- zones

STANDARD_LABELS = frozenset({"PST", "MST", "CST", "EST", "AKST", "WET", "CET", "EET", "AEST", "NZST"})
"""Winter-time labels: one on a summer date earns a note."""
DAYLIGHT_LABELS = frozenset(
    {"PDT", "MDT", "CDT", "EDT", "AKDT", "WEST", "CEST", "EEST", "AEDT", "NZDT", "BST"}
)
"""Summer-time labels: one on a winter date earns a note."""

_OFFSET_RX = re.compile(r"^(?:UTC|GMT)?\s*([+\-−])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


def _offset_name(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}" if minutes else "UTC"


@lru_cache(maxsize=512)
def zone_info(spec: str) -> tuple[tzinfo, str] | None:
    """The tzinfo and readable name of a zone spec: an IANA name, ``UTC``, or an offset
    (``UTC+05:30``, ``GMT-5``, ``+02:00``); None when it is neither.

    Examples
    --------
    >>> zone_info("UTC-8")[1], zone_info("Europe/Berlin")[1], zone_info("Mars/Olympus")
    ('UTC-08:00', 'Europe/Berlin', None)
    """
    text = spec.strip()
    if text.upper() in ("UTC", "Z", "GMT", "ETC/UTC"):
        return UTC, "UTC"
    m = _OFFSET_RX.match(text)
    if m and (text[:1] in "+-−" or text[:3].upper() in ("UTC", "GMT")):
        hours, minutes = int(m.group(2)), int(m.group(3) or 0)
        if minutes >= 60 or hours * 60 + minutes > 14 * 60:
            return None
        total = (-1 if m.group(1) in "-−" else 1) * (hours * 60 + minutes)
        return (timezone(timedelta(minutes=total)) if total else UTC), _offset_name(total)
    if text[:1].isalpha():
        try:
            return ZoneInfo(text), text
        except (ZoneInfoNotFoundError, ValueError):
            return None
    return None


@dataclass(frozen=True)
class Zone:
    """A resolved time zone: the label as written, the tzinfo used and its readable name."""

    label: str
    tzinfo: tzinfo
    name: str
    """The IANA key (``"America/Los_Angeles"``) or ``"UTC-08:00"`` for a fixed offset."""

    def season_note(self, on: date) -> str | None:
        """A note when a standard/daylight label does not match the zone's season on ``on``."""
        key = self.label.upper()
        if not isinstance(self.tzinfo, ZoneInfo) or key not in STANDARD_LABELS | DAYLIGHT_LABELS:
            return None
        local = datetime.combine(on, time(12), self.tzinfo)
        summer = bool(local.dst())
        if summer == (key in DAYLIGHT_LABELS):
            return None
        offset = _offset_name(int((local.utcoffset() or timedelta(0)).total_seconds() // 60))
        season, kind = ("summer", "winter") if summer else ("winter", "summer")
        return (
            f"{self.label} is a {kind}-time label but {on} falls in {season} time; read as "
            f"{self.name} ({offset} that day); for a fixed offset write it (e.g. 'UTC-8') "
            f"or map {key} to one in the policy's [time_zones]"
        )


def resolve_zone(label: str, zones: Mapping[str, str] | None = None) -> Zone | None:
    """The zone a label names (``zones``: label → spec, as :attr:`Policy.time_zones`), or None.

    Examples
    --------
    >>> resolve_zone("PST", {"PST": "America/Los_Angeles"}).name
    'America/Los_Angeles'
    >>> resolve_zone("UTC+5:30").name, resolve_zone("PST")
    ('UTC+05:30', None)
    """
    text = label.strip()
    spec = (zones or {}).get(text.upper())
    if spec is None and not ("/" in text or _OFFSET_RX.match(text) or text.upper() in ("UTC", "GMT")):
        return None  # a bare word is a zone only through the table
    found = zone_info(spec if spec is not None else text)
    return Zone(text, *found) if found else None


@lru_cache(maxsize=32)
def _label_rx(labels: tuple[str, ...]) -> re.Pattern[str]:
    alt = "|".join(sorted((re.escape(k) for k in labels if k != "Z"), key=len, reverse=True))
    return re.compile(
        rf"(?<![\w/])(?:(?:UTC|GMT)\s*[+\-−]\s*\d{{1,2}}(?::?\d{{2}})?|{alt + '|' if alt else ''}UTC"
        rf"|[A-Z][a-z]+/[A-Z][A-Za-z_]+(?:/[A-Za-z_]+)?)(?![\w/])",
        re.IGNORECASE,
    )


def find_zone_label(text: str, zones: Mapping[str, str] | None = None) -> str | None:
    """The first zone label in ``text`` ("All times PST" → "PST"); short labels (up to five
    letters) count only in upper case, words ("Pacific") only capitalised."""
    for m in _label_rx(tuple(zones or ())).finditer(text):
        word = m.group(0)
        if word.isalpha() and not (word.isupper() or (len(word) > 5 and word[0].isupper())):
            continue
        if resolve_zone(word, zones) is not None:
            return word
    return None


def to_utc(day: date, clock: time, zone: Zone) -> datetime:
    """Local ``day`` + ``clock`` in ``zone`` as an aware UTC datetime."""
    return datetime.combine(day, clock, zone.tzinfo).astimezone(UTC)


# ---------------------------------------------------------------------------- clock times


@dataclass(frozen=True)
class Clock:
    """A written time of day: hour, minute, second, AM/PM, and maybe a date and zone."""

    hour: int
    minute: int
    second: int = 0
    ampm: str | None = None
    """``"A"`` or ``"P"`` as written, else None (the hour is then 0-23 or ambiguous)."""
    day: date | None = None
    zone: str | None = None
    """The zone label written after the time, as written."""

    @property
    def time(self) -> time:
        """The time of day, reading a missing AM/PM as the 24-hour clock."""
        hour = self.hour % 12 + (12 if self.ampm == "P" else 0) if self.ampm else self.hour
        return time(hour, self.minute, self.second)


_TIME_RX = re.compile(
    r"(?<![\d:])(?P<h>\d{1,2})(?::(?P<m>\d{2}))?(?::(?P<s>\d{2}))?(?:[.,]\d+)?\s*"
    r"(?P<ampm>[ap]\.?\s?m\.?(?![a-z]))?",
    re.IGNORECASE,
)
_DATE_PREFIX_RX = re.compile(
    r"^\s*(?P<date>\d{4}-\d{2}-\d{2}|\d{4}/\d{2}/\d{2}|[A-Za-z]{3,9}\.? \d{1,2}(?:st|nd|rd|th)?(?:,? \d{4})?)"
    r"(?:[ T,]+|$)"
)


def _clock_at(raw: str, year: int | None) -> tuple[Clock, int] | None:
    """A (date and) clock time at the start of ``raw``, and where it ends."""
    dm = _DATE_PREFIX_RX.match(raw)
    day = parse_date(dm.group("date"), year=year) if dm else None
    start = dm.end() if dm and day is not None else 0
    m = _TIME_RX.match(raw, start)
    if not m or (m.group("m") is None and m.group("ampm") is None):
        return None
    h, mi, s = int(m.group("h")), int(m.group("m") or 0), int(m.group("s") or 0)
    ampm = (m.group("ampm") or "")[:1].upper() or None
    if mi >= 60 or s >= 60 or (ampm and not 1 <= h <= 12) or h > 23:
        return None
    return Clock(h, mi, s, ampm, day), m.end()


def parse_clock(
    text: str, *, year: int | None = None, zones: Mapping[str, str] | None = None
) -> Clock | None:
    """A cell that holds a time: ``10:00 AM``, ``22:05:30 UTC``, ``2025-01-16 00:30``,
    ``2025-01-15T10:05:00Z``; free text around it gives None.

    Examples
    --------
    >>> parse_clock("12:15 PM PST", zones={"PST": "America/Los_Angeles"})
    Clock(hour=12, minute=15, second=0, ampm='P', day=None, zone='PST')
    """
    raw = text.strip().strip("*_` ").strip()
    got = _clock_at(raw, year)
    if got is None:
        return None
    clock, end = got
    rest = raw[end:].strip().strip("()").strip()
    if not rest:
        return clock
    zone = resolve_zone(rest, zones)
    return Clock(clock.hour, clock.minute, clock.second, clock.ampm, clock.day, zone.label) if zone else None


_LEAD_SEP_RX = re.compile(r"^\s*(?:[-–—|:]+\s*|(?=\S))")


def leading_clock(
    text: str, *, year: int | None = None, zones: Mapping[str, str] | None = None
) -> tuple[Clock, str] | None:
    """A time at the start of a line and the text after it: ``14:02 UTC — alert fired``,
    ``10:00 AM - Alert``, ``2015-10-21 14:51 News reports``.

    Examples
    --------
    >>> leading_clock("14:02 UTC — alert fired")
    (Clock(hour=14, minute=2, second=0, ampm=None, day=None, zone='UTC'), 'alert fired')
    """
    raw = text.strip()
    got = _clock_at(raw, year)
    if got is None:
        return None
    clock, end = got
    if end < len(raw) and not raw[end - 1].isspace() and raw[end] not in " \t-–—|:(":
        return None
    rest = raw[end:].lstrip()
    words = rest.split(None, 1)
    if words:
        label = words[0].strip("(),:")
        if label and (label.isupper() or "/" in label or label[:1] in "+-") and resolve_zone(label, zones):
            clock = Clock(clock.hour, clock.minute, clock.second, clock.ampm, clock.day, label)
            rest = words[1] if len(words) > 1 else ""
    sep = _LEAD_SEP_RX.match(rest)
    return clock, rest[sep.end() if sep else 0 :].strip()


_RANGE_RX = re.compile(r"^(?P<a>.+?)\s*(?:-|–|—|\bto\b|\buntil\b|→)\s*(?P<b>.+)$", re.IGNORECASE)


def parse_range(
    text: str, *, year: int | None = None, zones: Mapping[str, str] | None = None
) -> tuple[Clock, Clock] | None:
    """A range ``10:00 AM - 12:15 PM PST`` (the trailing label applies to both ends). When
    only the end says AM/PM (``10:00 - 11:30 AM``), the start takes the same half of the
    day unless that would put it after the end."""
    m = _RANGE_RX.match(text.strip().strip("()").strip())
    if not m:
        return None
    a = parse_clock(m.group("a"), year=year, zones=zones)
    b = parse_clock(m.group("b"), year=year, zones=zones)
    if a is None or b is None:
        return None
    if a.zone is None and b.zone is not None:
        a = Clock(a.hour, a.minute, a.second, a.ampm, a.day, b.zone)
    if a.ampm is None and b.ampm is not None and 1 <= a.hour <= 12:
        same_half = Clock(a.hour, a.minute, a.second, b.ampm, a.day, a.zone)
        if same_half.time <= b.time:
            a = same_half
    return a, b


# ---------------------------------------------------------------------------- times in free text

_CLOCK = re.compile(
    r"(?:(?P<date>\d{4}-\d{2}-\d{2})[ T])?"
    r"(?<![\d:.])(?P<h>[01]?\d|2[0-3])(?::(?P<m>[0-5]\d))(?::(?P<s>[0-5]\d))?(?![\d:])"
    r"(?:\s*(?P<ampm>[aApP]\.?\s?[mM]\.?)(?![A-Za-z]))?"
    r"(?:\s*(?P<tz>[A-Z]{1,5})\b)?"
)
_HOUR_AMPM = re.compile(
    r"(?<![\d:.])(?P<h>1[0-2]|0?[1-9])\s*(?P<ampm>[aApP]\.?\s?[mM]\.?)(?![A-Za-z])(?:\s*(?P<tz>[A-Z]{1,5})\b)?"
)
_DURATION = re.compile(
    r"(?i)\b(?:in|within)\s+(?:about\s+|~\s*|another\s+)?(?P<n>\d{1,4})\s*"
    r"(?P<unit>m|mins?|minutes?|h|hrs?|hours?)\b"
)


def find_clock(text: str) -> Clock | None:
    """The first clock time in ``text`` ("10:30", "10:30 AM PST", "11 AM", "2025-01-21 15:52")."""
    found = [(m.start(), m) for m in (_CLOCK.search(text), _HOUR_AMPM.search(text)) if m]
    if not found:
        return None
    groups = min(found, key=lambda pair: pair[0])[1].groupdict()
    ampm = groups.get("ampm")
    day = None
    if groups.get("date"):
        try:
            day = date.fromisoformat(groups["date"])
        except ValueError:
            day = None
    return Clock(
        hour=int(groups["h"]),
        minute=int(groups.get("m") or 0),
        second=int(groups.get("s") or 0),
        ampm=ampm[0].upper() if ampm else None,
        day=day,
        zone=groups.get("tz"),
    )


def find_duration(text: str) -> timedelta | None:
    """A relative time ("in 15 minutes", "within 2h") in ``text``, if any."""
    m = _DURATION.search(text)
    if m is None:
        return None
    n = int(m["n"])
    return timedelta(hours=n) if m["unit"].lower().startswith("h") else timedelta(minutes=n)


def _hours(clock: Clock) -> list[int]:
    h = clock.hour
    if clock.ampm == "A":
        return [0 if h == 12 else h]
    if clock.ampm == "P":
        return [h if h == 12 else h + 12]
    if h > 12 or h == 0:
        return [h]
    return sorted({h % 12, h % 12 + 12})


def resolve(clock: Clock, *, ref: datetime, zone: ZoneInfo, after: bool) -> datetime | None:
    """The UTC instant of ``clock`` in ``zone`` nearest after (or at/before) ``ref``.

    A clock with a date is taken on that date. Returns None when no reading exists
    (a time skipped by a daylight-saving change).
    """
    local_ref = ref.astimezone(zone)
    days = [clock.day] if clock.day else [local_ref.date() + timedelta(days=d) for d in (-1, 0, 1)]
    candidates = []
    for day in days:
        for hour in _hours(clock):
            local = datetime.combine(day, time(hour, clock.minute, clock.second)).replace(tzinfo=zone)
            if local.replace(tzinfo=None) != local.astimezone(UTC).astimezone(zone).replace(tzinfo=None):
                continue  # a wall time that does not exist on that day
            candidates.append(local.astimezone(UTC))
    if clock.day:
        return min(candidates, key=lambda c: abs(c - ref)) if candidates else None
    if after:
        later = [c for c in candidates if c >= ref]
        return min(later) if later else None
    earlier = [c for c in candidates if c <= ref]
    return max(earlier) if earlier else None


def stated_zone(text: str, *, known: Mapping[str, str]) -> str | None:
    """The first known zone abbreviation written after a clock time ("10:00 AM PST")."""
    hits = [m for regex in (_CLOCK, _HOUR_AMPM) for m in regex.finditer(text) if m["tz"] and m["tz"] in known]
    return min(hits, key=lambda m: m.start())["tz"] if hits else None


_RX_COLON = (
    r"(?:^|[^\d:.])(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?"
    r"(?:\s*(?P<ap>[aApP])\.?\s?[mM]\.?(?-u:\b))?(?:\s*(?P<tz>[A-Z]{1,5})(?-u:\b))?"
)
_RX_HOUR = (
    r"(?:^|[^\d:.])(?P<h>1[0-2]|0?[1-9])\s*(?P<ap>[aApP])\.?\s?[mM]\.?(?-u:\b)"
    r"(?:\s*(?P<tz>[A-Z]{1,5})(?-u:\b))?"
)
_RX_DURATION = (
    r"(?i)(?-u:\b)(?:in|within)\s+(?:about\s+|~\s*|another\s+)?(?P<n>\d{1,4})\s*"
    r"(?P<unit>m|mins?|minutes?|h|hrs?|hours?)(?-u:\b)"
)


def promised_times(lines: pl.DataFrame, *, known: Mapping[str, str]) -> pl.Series:
    """``due_at`` for promise lines, vectorised (the rules of :func:`find_clock` and :func:`resolve`).

    ``lines`` has ``line`` (the promise text), ``at`` (UTC, when posted) and ``zone`` (the
    IANA zone to read a clock time in when the line names none). A clock time wins over a
    duration; a clock time is the occurrence nearest after ``at``. ``known`` maps zone
    abbreviations written in the line to IANA zones.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"line": ["Next update: 10:30 AM", "next update in 15 minutes"],
    ...                    "at": [datetime(2025, 1, 15, 18, 15, tzinfo=UTC)] * 2,
    ...                    "zone": ["America/Los_Angeles"] * 2})
    >>> promised_times(df, known={}).dt.strftime("%H:%M").to_list()
    ['18:30', '18:30']
    """
    import polars as pl

    line = pl.col("line")
    colon, hour = line.str.extract_groups(_RX_COLON), line.str.extract_groups(_RX_HOUR)
    use_hour = line.str.find(_RX_HOUR).fill_null(1 << 30) < line.str.find(_RX_COLON).fill_null(1 << 30)

    def pick(field: str) -> pl.Expr:
        return pl.when(use_hour).then(hour.struct.field(field)).otherwise(colon.struct.field(field))

    dur = line.str.extract_groups(_RX_DURATION)
    abbr_zone = pick("tz").replace_strict(dict(known), default=None, return_dtype=pl.String)
    df = lines.with_row_index("_i").with_columns(
        _h=pick("h").cast(pl.Int32),
        _m=pl.when(use_hour).then(pl.lit(0)).otherwise(colon.struct.field("m").cast(pl.Int32)),
        _s=pl.when(use_hour).then(pl.lit(0)).otherwise(colon.struct.field("s").cast(pl.Int32).fill_null(0)),
        _ap=pick("ap").str.to_uppercase(),
        _zone=pl.coalesce(abbr_zone, pl.col("zone"), pl.lit("UTC")),
        _rel=pl.when(dur.struct.field("unit").str.to_lowercase().str.starts_with("h"))
        .then(pl.duration(hours=dur.struct.field("n").cast(pl.Int64)))
        .otherwise(pl.duration(minutes=dur.struct.field("n").cast(pl.Int64))),
    )
    h = pl.col("_h")
    df = df.with_columns(
        _h1=pl.when(pl.col("_ap") == "A")
        .then(h % 12)
        .when(pl.col("_ap") == "P")
        .then(h % 12 + 12)
        .when((h > 12) | (h == 0))
        .then(h)
        .otherwise(h % 12),
        _h2=pl.when(pl.col("_ap").is_null() & (h <= 12) & (h > 0)).then(h % 12 + 12),
    )
    parts = []
    for zone in df["_zone"].unique().to_list():
        sub = df.filter(pl.col("_zone") == zone)
        day = pl.col("at").dt.convert_time_zone(zone).dt.date().cast(pl.Datetime("us"))
        candidates = [
            pl.when(cand >= pl.col("at")).then(cand)
            for offset in (0, 1)
            for hours in ("_h1", "_h2")
            for cand in [
                (
                    day
                    + pl.duration(
                        days=offset, hours=pl.col(hours), minutes=pl.col("_m"), seconds=pl.col("_s")
                    )
                )
                .dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
                .dt.convert_time_zone("UTC")
            ]
        ]
        parts.append(
            sub.select("_i", _clock=pl.min_horizontal(*candidates), _after=pl.col("at") + pl.col("_rel"))
        )
    if not parts:
        return pl.Series("due_at", [], dtype=pl.Datetime("us", "UTC"))
    out = pl.concat(parts).sort("_i")
    return out.select(due_at=pl.when(pl.col("_clock").is_not_null()).then("_clock").otherwise("_after"))[
        "due_at"
    ].cast(pl.Datetime("us", "UTC"))


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
_ISO_DATE_RX = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])")
_MDY_RX = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b")
_DMY_RX = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?(?:\s+(\d{4}))?\b")


def parse_date(text: str, *, year: int | None = None) -> date | None:
    """A date at the start of ``text``: ``2025-01-15``, ``2025/01/15``, ``January 15, 2025``,
    ``Jan 15``, ``15 Jan 2025``, ``Wednesday, January 15, 2025``. A missing year takes
    ``year``. Numeric day/month orders (``01/02/2025``) are ambiguous and not read.

    Examples
    --------
    >>> parse_date("Jan 18", year=2025), parse_date("2015-10-21 (all times UTC)")
    (datetime.date(2025, 1, 18), datetime.date(2015, 10, 21))
    """
    raw = _WEEKDAY_RX.sub("", text.strip().strip("*_` ").strip())
    m = _ISO_DATE_RX.match(raw)
    if m:
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    for rx, month_group, day_group in ((_MDY_RX, 1, 2), (_DMY_RX, 2, 1)):
        m = rx.match(raw)
        if m and m.group(month_group).lower() in _MONTHS:
            y = int(m.group(3)) if m.group(3) else year
            month = _MONTHS[m.group(month_group).lower()]
            return None if y is None else _make_date(y, month, int(m.group(day_group)))
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


# ---------------------------------------------------------------------------- timestamp columns

ISO_FORMAT = "%Y-%m-%dT%H:%M:%S%.f%#z"
"""ISO 8601 with an offset or 'Z', with or without fractional seconds."""


def parse_iso_utc(col: pl.Expr) -> pl.Expr:
    """Parse ISO 8601 strings with an offset or 'Z' into UTC; unparseable values become null."""
    import polars as pl

    return col.str.to_datetime(ISO_FORMAT, time_zone="UTC", strict=False, time_unit="us").cast(
        pl.Datetime("us", "UTC")
    )


def parse_naive_in(col: pl.Expr, tz: str) -> pl.Expr:
    """Parse offset-less ISO 8601 strings as local time in ``tz``, converted to UTC."""
    return (
        col.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", strict=False, time_unit="us")
        .dt.replace_time_zone(tz, ambiguous="earliest", non_existent="null")
        .dt.convert_time_zone("UTC")
    )


def iana_zones(zones: Mapping[str, str]) -> dict[str, str]:
    """Zone labels whose zone polars can name: IANA names as they are, whole-hour offsets as
    ``Etc/GMT±N`` (``UTC-08:00`` → ``Etc/GMT+8``); part-hour offsets are left out.

    For vectorised parsing, where a time zone must be a name polars knows.

    Examples
    --------
    >>> iana_zones({"PST": "America/Los_Angeles", "X": "UTC-08:00", "IST": "UTC+05:30", "Z": "UTC"})
    {'PST': 'America/Los_Angeles', 'X': 'Etc/GMT+8', 'Z': 'UTC'}
    """
    out = {}
    for label, name in zones.items():
        if not name.startswith("UTC") or name == "UTC":
            out[label] = name
        elif name.endswith(":00"):
            out[label] = f"Etc/GMT{-int(name[3:6]):+d}"
    return out
