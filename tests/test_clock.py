"""toolkit.clock: one reading of clock times and zone labels for every source."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import polars as pl
import pytest

from toolkit import load_slack
from toolkit.clock import (
    Clock,
    find_zone_label,
    leading_clock,
    parse_clock,
    parse_date,
    parse_duration,
    parse_iso_utc,
    parse_naive_in,
    parse_range,
    resolve_zone,
    to_utc,
    zone_info,
)
from toolkit.importers.postmortem import parse_postmortem
from toolkit.policy import Policy

ZONES = dict(Policy.default().time_zones)
JULY_10AM_PACIFIC = datetime(2025, 7, 15, 17, 0, tzinfo=UTC)


def _slack_export(folder: Path) -> Path:
    """A war room on 2025-07-15: a promised update at 9:50 AM PDT, a declaration at 10:05 AM PDT."""
    posted = datetime(2025, 7, 15, 16, 50, tzinfo=UTC).timestamp()  # 9:50 AM PDT
    (folder / "incident-2025-07-15-api").mkdir(parents=True)
    (folder / "channels.json").write_text(
        json.dumps(
            [{"id": "C1", "name": "incident-2025-07-15-api", "created": int(posted), "members": ["U1"]}]
        )
    )
    (folder / "users.json").write_text(
        json.dumps([{"id": "U1", "name": "alice", "real_name": "Alice", "tz": "America/New_York"}])
    )
    messages = [
        {
            "type": "message",
            "user": "U1",
            "ts": f"{posted:.0f}.000100",
            "text": "Investigating. Next update: 10:00 AM PST",
        },
        {
            "type": "message",
            "user": "U1",
            "ts": f"{posted + 900:.0f}.000100",
            "text": "SEV2 declared\nStarted: 10:00 AM PST",
        },
    ]
    (folder / "incident-2025-07-15-api" / "2025-07-15.json").write_text(json.dumps(messages))
    return folder


def test_pst_in_july_is_the_same_instant_in_slack_and_in_a_postmortem(tmp_path: Path) -> None:
    slack = load_slack(_slack_export(tmp_path / "slack"))
    assert slack.incidents["started_at"].to_list() == [JULY_10AM_PACIFIC]  # "Started: 10:00 AM PST"
    promise = slack.events.filter(pl.col("kind") == "update_promise")
    assert promise["due_at"].to_list() == [JULY_10AM_PACIFIC]  # "Next update: 10:00 AM PST"
    doc = parse_postmortem(
        "# Outage\n**Date:** 2025-07-15\n## Timeline\n| Time | Event |\n|--|--|\n| 10:00 AM PST | Alert fired |\n",
        name="pm.md",
    )
    assert doc.timeline["at"].to_list() == [JULY_10AM_PACIFIC]


@pytest.mark.parametrize(
    ("label", "on", "expected"),
    [
        pytest.param("PST", date(2025, 1, 15), "America/Los_Angeles", id="PST"),
        pytest.param("pdt", date(2025, 7, 15), "America/Los_Angeles", id="lower-case-through-the-table"),
        pytest.param("CEST", date(2025, 7, 15), "Europe/Berlin", id="CEST"),
        pytest.param("IST", date(2025, 7, 15), "Asia/Kolkata", id="IST"),
        pytest.param("UTC+5:30", date(2025, 7, 15), "UTC+05:30", id="offset"),
        pytest.param("GMT-5", date(2025, 7, 15), "UTC-05:00", id="gmt-offset"),
        pytest.param("+02:00", date(2025, 7, 15), "UTC+02:00", id="bare-offset"),
        pytest.param("Europe/Lisbon", date(2025, 7, 15), "Europe/Lisbon", id="iana"),
        pytest.param("UTC", date(2025, 7, 15), "UTC", id="utc"),
    ],
)
def test_zone_labels(label: str, on: date, expected: str) -> None:
    zone = resolve_zone(label, ZONES)
    assert zone is not None
    assert zone.name == expected


@pytest.mark.parametrize(
    "label",
    [
        pytest.param("XST", id="unknown-abbreviation"),
        pytest.param("UTC+15", id="offset-out-of-range"),
        pytest.param("Mars/Olympus", id="unknown-iana"),
        pytest.param("EST", id="no-table-no-abbreviations"),
    ],
)
def test_unknown_zone_labels(label: str) -> None:
    assert resolve_zone(label, {} if label == "EST" else ZONES) is None


def test_a_team_can_mean_a_fixed_offset() -> None:
    fixed = {**ZONES, "PST": "UTC-08:00"}
    clock = parse_clock("10:00 AM PST", zones=fixed)
    assert clock is not None
    zone = resolve_zone("PST", fixed)
    assert zone is not None
    assert to_utc(date(2025, 7, 15), clock.time, zone) == datetime(2025, 7, 15, 18, tzinfo=UTC)
    assert zone.season_note(date(2025, 7, 15)) is None  # a fixed offset has no season


def test_season_notes() -> None:
    pst = resolve_zone("PST", ZONES)
    assert pst is not None
    assert pst.season_note(date(2025, 1, 15)) is None
    assert pst.season_note(date(2025, 7, 15)) == (
        "PST is a winter-time label but 2025-07-15 falls in summer time; read as America/Los_Angeles "
        "(UTC-07:00 that day); for a fixed offset write it (e.g. 'UTC-8') or map PST to one in the "
        "policy's [time_zones]"
    )
    bst = resolve_zone("BST", ZONES)
    assert bst is not None
    assert "summer-time label but 2025-01-15 falls in winter time" in (
        bst.season_note(date(2025, 1, 15)) or ""
    )


def test_find_zone_label() -> None:
    assert find_zone_label("Timeline (All times PST)", ZONES) == "PST"
    assert find_zone_label("all times in Pacific time", ZONES) == "Pacific"
    assert find_zone_label("Times are UTC+2", ZONES) == "UTC+2"
    assert find_zone_label("Times in Europe/Berlin", ZONES) == "Europe/Berlin"
    assert find_zone_label("we met at the et cetera", ZONES) is None  # short labels only in capitals
    assert find_zone_label("the central database", ZONES) is None  # words only capitalised


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("10:00 AM", Clock(10, 0, 0, "A"), id="am"),
        pytest.param("12:15 pm PST", Clock(12, 15, 0, "P", None, "PST"), id="pm-label"),
        pytest.param("22:05:30 UTC", Clock(22, 5, 30, None, None, "UTC"), id="seconds"),
        pytest.param("2025-01-16 00:30", Clock(0, 30, 0, None, date(2025, 1, 16)), id="date"),
        pytest.param("2025-01-15T10:05:00Z", Clock(10, 5, 0, None, date(2025, 1, 15), "Z"), id="iso"),
        pytest.param("Jan 16 9:00 a.m.", Clock(9, 0, 0, "A", date(2025, 1, 16)), id="month-day"),
        pytest.param("**14:02**", Clock(14, 2), id="bold"),
        pytest.param("10:00 (CET)", Clock(10, 0, 0, None, None, "CET"), id="label-in-parentheses"),
    ],
)
def test_parse_clock(text: str, expected: Clock) -> None:
    assert parse_clock(text, year=2025, zones=ZONES) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("ten", id="words"),
        pytest.param("10", id="hour-only"),
        pytest.param("25:00", id="hour-out-of-range"),
        pytest.param("10:61", id="minute-out-of-range"),
        pytest.param("13:00 PM", id="pm-hour-out-of-range"),
        pytest.param("10:00 XYZ", id="unknown-label"),
        pytest.param("10:00 alert fired", id="free-text"),
    ],
)
def test_parse_clock_refuses(text: str) -> None:
    assert parse_clock(text, zones=ZONES) is None


def test_clock_time_of_day() -> None:
    assert (Clock(12, 0, 0, "A").time, Clock(12, 0, 0, "P").time, Clock(9, 5).time) == (
        time(0),
        time(12),
        time(9, 5),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "14:02 UTC — alert fired", (Clock(14, 2, 0, None, None, "UTC"), "alert fired"), id="label-dash"
        ),
        pytest.param("10:00 AM - Alert fired", (Clock(10, 0, 0, "A"), "Alert fired"), id="am-dash"),
        pytest.param("14:51 News reports", (Clock(14, 51), "News reports"), id="no-separator"),
        pytest.param("12:40: Resolved", (Clock(12, 40), "Resolved"), id="colon"),
        pytest.param("11:58 | Bob acked", (Clock(11, 58), "Bob acked"), id="pipe"),
        pytest.param("15:01 INCIDENT BEGINS", (Clock(15, 1), "INCIDENT BEGINS"), id="capitals-are-no-zone"),
        pytest.param(
            "2015-10-21 14:51 News", (Clock(14, 51, 0, None, date(2015, 10, 21)), "News"), id="dated"
        ),
    ],
)
def test_leading_clock(text: str, expected: tuple[Clock, str]) -> None:
    assert leading_clock(text, zones=ZONES) == expected


def test_leading_clock_refuses() -> None:
    assert leading_clock("Alert fired at 10:00", zones=ZONES) is None
    assert leading_clock("14:51News", zones=ZONES) is None


def test_dates_durations_ranges() -> None:
    assert parse_date("Wednesday, January 15, 2025") == date(2025, 1, 15)
    assert parse_date("15 Jan 2025") == date(2025, 1, 15)
    assert parse_date("Jan 18") is None  # no year given
    assert parse_date("01/02/2025") is None  # ambiguous
    assert parse_date("2025-02-30") is None
    assert parse_duration("2 hours 15 minutes") == timedelta(hours=2, minutes=15)
    assert parse_duration("2:15") == timedelta(hours=2, minutes=15)
    assert parse_duration("a while") is None
    got = parse_range("10:00 - 11:30 AM PST", zones=ZONES)
    assert got == (Clock(10, 0, 0, "A", None, "PST"), Clock(11, 30, 0, "A", None, "PST"))
    assert parse_range("11:00 - 1:00 PM", zones=ZONES) == (Clock(11, 0), Clock(1, 0, 0, "P"))


def test_timestamp_columns() -> None:
    df = pl.DataFrame({"s": ["2025-01-15T10:05:00Z", "2025-01-15T10:05:00.5+01:00", "nope"]})
    assert df.select(parse_iso_utc(pl.col("s")))["s"].to_list() == [
        datetime(2025, 1, 15, 10, 5, tzinfo=UTC),
        datetime(2025, 1, 15, 9, 5, 0, 500000, tzinfo=UTC),
        None,
    ]
    naive = pl.DataFrame({"s": ["2025-07-15T10:00:00"]}).select(
        parse_naive_in(pl.col("s"), "America/Los_Angeles")
    )
    assert naive["s"].to_list() == [JULY_10AM_PACIFIC]
    assert zone_info("UTC+14:30") is None


def test_importing_the_clock_loads_no_polars() -> None:
    code = "import sys, toolkit.clock; print('polars' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
