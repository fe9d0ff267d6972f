"""Clock times written in war rooms ("10:30 AM", "15:52 PST", "in 15 minutes") as UTC instants.

People write wall-clock times without a date and often without a zone. A time is placed
in a zone (the one written after it, else the one the caller knows) and on the day that
makes it the occurrence nearest *after* a reference instant (a promised "Next update:
10:30 AM") or nearest *at or before* it (a "Started: 10:00 AM" line). Without AM/PM a
12-hour reading and a 24-hour reading are both tried.

Examples
--------
>>> from datetime import UTC, datetime
>>> from zoneinfo import ZoneInfo

import polars as pl
>>> posted = datetime(2025, 1, 15, 18, 15, tzinfo=UTC)  # 10:15 AM PST
>>> c = find_clock("Next update: 10:30 AM")
>>> resolve(c, ref=posted, zone=ZoneInfo("America/Los_Angeles"), after=True)
datetime.datetime(2025, 1, 15, 18, 30, tzinfo=datetime.timezone.utc)
>>> find_duration("next update in 15 minutes")
datetime.timedelta(seconds=900)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import polars as pl

__all__ = ["Clock", "find_clock", "find_duration", "promised_times", "resolve", "stated_zone"]

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


@dataclass(frozen=True)
class Clock:
    """A written time of day: hour, minute, second, AM/PM, and maybe a date and zone."""

    hour: int
    minute: int
    second: int = 0
    ampm: str | None = None
    day: date | None = None
    zone: str | None = None


def find_clock(text: str) -> Clock | None:
    """The first clock time in ``text`` ("10:30", "10:30 AM PST", "11 AM", "2025-01-21 15:52")."""
    found = []
    m = _CLOCK.search(text)
    if m:
        found.append((m.start(), m))
    h = _HOUR_AMPM.search(text)
    if h:
        found.append((h.start(), h))
    if not found:
        return None
    _, best = min(found, key=lambda pair: pair[0])
    groups = best.groupdict()
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
            naive = datetime.combine(day, time(hour, clock.minute, clock.second))
            local = naive.replace(tzinfo=zone)
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
    >>> from datetime import UTC, datetime
    >>> df = pl.DataFrame({"line": ["Next update: 10:30 AM", "next update in 15 minutes"],
    ...                    "at": [datetime(2025, 1, 15, 18, 15, tzinfo=UTC)] * 2,
    ...                    "zone": ["America/Los_Angeles"] * 2})
    >>> promised_times(df, known={}).dt.strftime("%H:%M").to_list()
    ['18:30', '18:30']
    """
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
