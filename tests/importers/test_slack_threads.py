"""Incidents declared in a thread outside the war rooms (toolkit.importers.slack.threads)."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from toolkit.importers.slack import load_slack
from toolkit.importers.slack.threads import thread_incidents

from .test_slack_events import SAMPLE


def _msgs(rows: list[dict[str, object]]) -> pl.DataFrame:
    base = {"channel_id": "C1", "is_thread_reply": False, "reply_count": 0, "thread_ts": None}
    full = [
        {
            **base,
            **r,
            "raw_text": r.get("raw_text", r["text"]),
            "at": datetime(2025, 2, 4, 19, 20, tzinfo=UTC),
        }
        for r in rows
    ]
    return pl.DataFrame(full, infer_schema_length=None)


def test_the_sample_admin_console_thread_is_an_incident():
    data = load_slack(SAMPLE)
    row = data.incidents.filter(pl.col("ref").str.contains("/", literal=True)).row(0, named=True)
    assert (
        row["incident_id"],
        row["title"],
        row["service"],
        row["severity"],
        row["commander"],
        row["status"],
    ) == (
        "INC-2025-02-04-admin-console",
        "admin-console (internal) slow",
        "admin-console",
        "SEV4",
        "grace",
        "resolved",
    )
    assert row["ref"].startswith("C0INCIDENTS/")
    assert row["declared_at"].replace(microsecond=0) == datetime(2025, 2, 4, 19, 20, tzinfo=UTC)
    assert row["resolved_at"].replace(microsecond=0) == datetime(2025, 2, 4, 21, 5, tzinfo=UTC)
    kinds = data.events.filter(pl.col("incident_id") == row["incident_id"])["kind"].to_list()
    assert kinds == ["declare", "role_assign", "resolve"]


ROOT = {
    "ts": "1.1",
    "thread_ts": "1.1",
    "reply_count": 2,
    "text": "SEV3: search slow for EU. I'm IC, tracking here",
}


@pytest.mark.parametrize(
    ("change", "found"),
    [
        ({}, 1),
        ({"reply_count": 0, "thread_ts": None}, 0),
        ({"is_thread_reply": True}, 0),
        ({"text": "is search slow for anyone?"}, 0),
        (
            {
                "text": "SEV3 search slow, see #incident-x",
                "raw_text": "SEV3: search slow, see <#C9|incident-x>",
            },
            0,
        ),
        ({"channel_id": "CROOM"}, 0),
    ],
    ids=["declared", "no-replies", "a-reply", "no-severity", "names-a-war-room", "inside-a-war-room"],
)
def test_which_threads_declare(change, found):
    assert thread_incidents(_msgs([{**ROOT, **change}]), {"CROOM": "INC-x"}, declare=[]).height == found


def test_a_thread_id_taken_by_a_war_room_gets_its_ts():
    got = thread_incidents(_msgs([ROOT]), {"CROOM": "INC-2025-02-04-search"}, declare=[])
    assert got["incident_id"].to_list() == ["INC-2025-02-04-search-1.1"]
