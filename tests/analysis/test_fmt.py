"""Durations for people: two units, to the second, no microsecond noise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from toolkit.analysis.fmt import human_duration, human_minutes, human_time


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (timedelta(hours=2, minutes=15, microseconds=77001), "2h 15m"),
        (timedelta(minutes=4, seconds=53, microseconds=51172), "4m 53s"),
        (timedelta(seconds=0.4), "0s"),
        (timedelta(days=7, hours=2, minutes=20), "7d 2h"),
        (timedelta(hours=3), "3h"),
        (timedelta(minutes=-3), "-3m"),
        (None, "—"),
    ],
    ids=["hours", "minutes", "under-a-second", "days", "whole-hours", "negative", "none"],
)
def test_human_duration(value, text):
    assert human_duration(value) == text


def test_minutes_and_times():
    assert human_minutes(135.00128) == "2h 15m"
    assert (
        human_time(datetime(2025, 1, 15, 18, 0, 7, tzinfo=UTC), "America/Los_Angeles")
        == "2025-01-15 10:00 PST"
    )
