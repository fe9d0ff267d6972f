"""Events under linked ids, kept once when several sources saw them."""

from __future__ import annotations

import polars as pl

from tests.timeline.records import at, event, frame, incident, timeline
from toolkit.timeline.events import correct_times, dedupe

ROOM = incident("slack", "C1", "INC-2025-01-15-payment", service="payment-service", declared_at=at(15, 18, 5))
DOC = incident(
    "postmortem", "pm.md", "INC-2025-01-15-payment-outage", title="Payment outage", started_at=at(15, 18)
)


def test_one_event_seen_in_two_sources_is_one_row_with_both():
    evs = [
        event(
            "slack",
            "INC-2025-01-15-payment",
            at(15, 18, 23, 20),
            "rollback",
            "Rollback completed",
            ref="C1/1",
        ),
        event(
            "postmortem",
            "INC-2025-01-15-payment-outage",
            at(15, 18, 23),
            "rollback",
            "Rollback completed",
            ref="pm.md:28",
        ),
        event(
            "postmortem",
            "INC-2025-01-15-payment-outage",
            at(15, 18, 25),
            "rollback",
            "Second rollback",
            ref="pm.md:29",
        ),
    ]
    tl = timeline([ROOM, DOC], evs)
    rows = (
        tl.events.filter(pl.col("kind") == "rollback").select("at", "source", "sources", "merged_refs").rows()
    )
    assert rows == [
        (at(15, 18, 23, 20), "slack", ["slack", "postmortem"], ["postmortem:pm.md:28"]),
        (at(15, 18, 25), "postmortem", ["postmortem"], []),
    ]
    assert tl.events["incident_id"].unique().to_list() == ["INC-2025-01-15-payment"]


def test_one_source_never_merges_its_own_events():
    df = frame(
        "events",
        [
            event("slack", "I", at(15, 18), "update", "a", ref="1"),
            event("slack", "I", at(15, 18, 0, 30), "update", "b", ref="2"),
        ],
    )
    assert dedupe(df).height == 2


def test_different_kind_or_visibility_is_another_event():
    df = frame(
        "events",
        [
            event("slack", "I", at(15, 18), "status_update", "relayed", ref="1"),
            event("statuspage", "I", at(15, 18), "status_update", "posted", ref="2"),
            event("postmortem", "I", at(15, 18), "update", "noted", ref="3"),
        ],
    )
    assert dedupe(df).height == 3


def test_a_correction_moves_an_event():
    df = frame("events", [event("slack", "I", at(15, 18), "update", ref="C1/1")])
    fixes = frame(
        "corrections",
        [{"source": "slack", "ref": "C1/1", "field": "at", "at": at(15, 19), "reason": "clock skew"}],
    )
    assert correct_times(df.lazy(), fixes).collect()["at"].to_list() == [at(15, 19)]
