"""The linked-id rule, collisions, pins (stable when a source joins) and renames."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from tests.timeline.records import SAMPLE, at, event, incident, timeline
from toolkit.timeline.ids import war_room_id


@pytest.mark.parametrize(
    ("source_id", "date", "expected"),
    [
        ("INC-2025-01-15-payment", None, "INC-2025-01-15-payment"),
        ("INC-2025-01-30_push-notifications", None, "INC-2025-01-30-push-notifications"),
        ("INC-20250130-Push_Notifications", None, "INC-2025-01-30-push-notifications"),
        ("INC-2025_02_01_db", None, "INC-2025-02-01-db"),
        ("INC-db-42", "2025-03-02", "INC-2025-03-02-db-42"),
        ("INC-Überlast", "2025-03-02", "INC-2025-03-02-uberlast"),
    ],
    ids=["dashes", "inc-underscores", "compact-date", "underscore-date", "no-date", "non-ascii"],
)
def test_war_room_ids(source_id, date, expected):
    assert war_room_id(source_id, date=date) == expected


def test_without_a_war_room_the_date_is_the_teams_and_the_words_the_service():
    # 2025-01-10 02:30 UTC is 2025-01-09 18:30 in Los Angeles, the shipped team zone
    pd = incident("pagerduty", "P1", "PD-P1", service="Notifications", detected_at=at(10, 2, 30))
    tl = timeline([pd], [event("pagerduty", "PD-P1", at(10, 2, 30), "alert")])
    assert tl.incidents["incident_id"].to_list() == ["INC-2025-01-09-notifications"]


def test_a_post_mortem_without_a_war_room_keeps_its_stated_id():
    doc = incident(
        "postmortem", "db.md", "INC-77", title="DB outage", started_at=at(5, 9), resolved_at=at(5, 10)
    )
    derived = incident(
        "postmortem",
        "x.md",
        "INC-2025-01-06-cache-outage",
        title="Cache outage",
        service="cache",
        started_at=at(6, 9),
    )
    tl = timeline([doc, derived], [])
    assert sorted(tl.incidents["incident_id"]) == ["INC-2025-01-06-cache", "INC-77"]


def test_collisions_get_numbers_in_order_of_start():
    recs = [
        incident("pagerduty", f"P{i}", f"PD-P{i}", service="search", detected_at=at(6, 9 + 3 * i))
        for i in (2, 0, 1)
    ]
    tl = timeline(recs, [])
    got = dict(tl.links.select("ref", "incident_id").iter_rows())
    assert got == {
        "P0": "INC-2025-01-06-search",
        "P1": "INC-2025-01-06-search-2",
        "P2": "INC-2025-01-06-search-3",
    }


def test_an_incident_keeps_its_id_when_a_war_room_joins_it_later():
    pd = incident("pagerduty", "P1", "PD-P1", service="auth", detected_at=at(19, 22), resolved_at=at(19, 23))
    room = incident(
        "slack",
        "C1",
        "INC-2025-01-19-sso-login",
        service="sso",
        declared_at=at(19, 22, 10),
        resolved_at=at(19, 23),
    )
    first = timeline([pd], [])
    assert first.incidents["incident_id"].to_list() == ["INC-2025-01-19-auth"]
    pins = first.links.select("source", "ref", "incident_id")
    joined = timeline([pd, room], [], pinned=pins)
    assert joined.incidents["incident_id"].to_list() == ["INC-2025-01-19-auth"]
    assert sorted(joined.links["source"]) == ["pagerduty", "slack"]
    fresh = timeline([pd, room], [])  # a workspace that saw both at once gives the war room's id
    assert fresh.incidents["incident_id"].to_list() == ["INC-2025-01-19-sso-login"]


def test_a_rename_is_a_manual_link_and_the_old_id_stays_an_alias():
    pd = incident("pagerduty", "P1", "PD-P1", service="auth", detected_at=at(19, 22))
    renamed = timeline(
        [pd],
        [],
        links=[{"incident_id": "INC-login-storm", "source": "pagerduty", "ref": "P1", "method": "manual"}],
    )
    assert renamed.incidents["incident_id"].to_list() == ["INC-login-storm"]
    former = renamed.aliases.filter(pl.col("kind") == "former").select("alias", "incident_id").rows()
    assert former == [("INC-2025-01-19-auth", "INC-login-storm")]
    assert renamed.linked_id("INC-2025-01-19-auth") == "INC-login-storm"
    assert renamed.linked_id("PD-P1") == "INC-login-storm"


def test_the_sample_readme_lists_the_workspace_ids(sample):
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| (INC-[\w-]+) \|", readme, flags=re.M)
    assert len(listed) == 13
    assert sample.incidents["incident_id"].to_list() == listed


def test_readme_path_is_the_bundled_sample():
    assert Path(__file__).resolve().parents[2] / "data" / "sample" == SAMPLE


def test_when_an_incident_splits_its_remembered_id_stays_with_the_war_room():
    # the PagerDuty record started first, but the war room keeps the id both were given
    room = incident(
        "slack", "C1", "INC-2025-01-15-payment", service="payment-service", declared_at=at(15, 18, 5)
    )
    pd = incident("pagerduty", "P1", "PD-P1", service="payment-service", detected_at=at(15, 17, 50))
    pins = pl.DataFrame(
        {"source": ["slack", "pagerduty"], "ref": ["C1", "P1"], "incident_id": ["INC-2025-01-15-payment"] * 2}
    )
    unlink = [
        {"incident_id": "INC-2025-01-15-payment", "source": "pagerduty", "ref": "P1", "method": "unlink"}
    ]
    tl = timeline([room, pd], [], pinned=pins, links=unlink)
    assert dict(tl.links.select("ref", "incident_id").iter_rows()) == {
        "C1": "INC-2025-01-15-payment",
        "P1": "INC-2025-01-15-payment-service",
    }
