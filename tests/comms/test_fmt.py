"""Times in the team's or customers' zone with their labels; durations to the minute."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from toolkit.comms.fmt import Zone, duration

PACIFIC = Zone("America/Los_Angeles")


@pytest.mark.parametrize(
    ("zone", "at", "hmz"),
    [
        pytest.param(
            PACIFIC, datetime(2025, 1, 15, 18, 5, 0, 51172, tzinfo=UTC), "10:05 AM PST", id="winter"
        ),
        pytest.param(
            PACIFIC, datetime(2025, 7, 15, 17, 0, 59, tzinfo=UTC), "10:00 AM PDT", id="summer-floored"
        ),
        pytest.param(
            Zone("America/Los_Angeles", "PT"),
            datetime(2025, 7, 15, 17, tzinfo=UTC),
            "10:00 AM PT",
            id="label",
        ),
        pytest.param(
            Zone("UTC-08:00"), datetime(2025, 7, 15, 17, tzinfo=UTC), "9:00 AM UTC-08:00", id="fixed"
        ),
        pytest.param(
            Zone("Europe/Berlin"), datetime(2025, 1, 15, 23, 30, tzinfo=UTC), "12:30 AM CET", id="next-day"
        ),
        pytest.param(Zone("UTC"), datetime(2025, 1, 15, 12, tzinfo=UTC), "12:00 PM UTC", id="noon"),
    ],
)
def test_hmz(zone: Zone, at: datetime, hmz: str) -> None:
    assert zone.hmz(at) == hmz


def test_dates_and_windows() -> None:
    start, end = datetime(2025, 1, 15, 18, tzinfo=UTC), datetime(2025, 1, 15, 20, 15, tzinfo=UTC)
    assert PACIFIC.window(start, end) == "10:00 AM - 12:15 PM PST"
    assert PACIFIC.window(start, end + timedelta(hours=12)) == "Jan 15, 10:00 AM - Jan 16, 12:15 AM PST"
    assert (PACIFIC.day(start), PACIFIC.long_day(start), PACIFIC.weekday(start)) == (
        "Jan 15",
        "January 15",
        "Wed Jan 15",
    )
    assert PACIFIC.day(date(2025, 2, 1)) == "Feb 1"
    assert PACIFIC.stamp(end) == "Jan 15, 12:15 PM PST"
    assert PACIFIC.hm0(datetime(2025, 1, 15, 17, 55, tzinfo=UTC)) == "09:55 AM"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (timedelta(hours=2, minutes=15, microseconds=77001), "2h 15m"),
        (timedelta(minutes=23, seconds=20), "23m"),
        (timedelta(seconds=59), "0m"),
        (timedelta(hours=1), "1h"),
        (timedelta(days=1, hours=3, minutes=5), "1d 3h"),
        (timedelta(days=2, minutes=5), "2d"),
        (timedelta(minutes=-45), "-45m"),
        (None, None),
    ],
)
def test_duration(value: timedelta | None, expected: str | None) -> None:
    assert duration(value) == expected
