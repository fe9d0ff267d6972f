"""Statuspage importer: real samples, snapshots, maintenances, phases, bad input.

Fixtures in ``tests/fixtures/statuspage/`` are byte-for-byte copies of the real samples in
``shared/realdata/statuspage/`` (see its PROVENANCE.md): ``openai_incidents.json`` is
``openai_status_incidents_backfill_2026-09-15_junxit-ai-status-archive.json`` (status.openai.com,
served by incident.io, archived with sorted keys and ``_meta``), ``claude_summary.json`` is
``claude_status_summary_2026-10-07_junxit-ai-status-archive.json`` (a summary.json snapshot).
"""

from __future__ import annotations

import collections
import copy
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import orjson
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toolkit
from toolkit import importers, schema
from toolkit.errors import InputFormatError
from toolkit.importers.statuspage import StatuspageData, load_statuspage, sniff, status_phases
from toolkit.policy import Policy
from toolkit.schema import Source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "statuspage"
OPENAI = FIXTURES / "openai_incidents.json"  # incident.io page, archiver's copy: _meta, sorted keys
CLAUDE = FIXTURES / "claude_summary.json"  # Atlassian summary.json snapshot, one open incident
ROOT = Path(__file__).resolve().parents[2]
REOPENED = "01M2D1CZG0862JB4JHVW56QF89"
BACKDATED = "01M2H3J1D6Y7RHAP49GRWGJAY0"


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.UTC)


def raw(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text()))


@pytest.fixture(scope="module")
def openai() -> StatuspageData:
    return load_statuspage(OPENAI)


@pytest.fixture(scope="module")
def claude() -> StatuspageData:
    return load_statuspage(CLAUDE)


@pytest.fixture(scope="module")
def both() -> StatuspageData:
    return load_statuspage(FIXTURES)


# --- the real samples -------------------------------------------------------------------


def test_openai_counts_by_impact_and_status(openai: StatuspageData) -> None:
    doc = raw(OPENAI)
    updates = [u for inc in doc["incidents"] for u in inc["incident_updates"]]
    assert openai.statuspage_incidents.height == len(doc["incidents"]) == 25
    assert openai.updates.height == len(updates) == 103
    impacts = dict(openai.statuspage_incidents.group_by("impact").len().iter_rows())
    assert impacts == dict(collections.Counter(i["impact"] for i in doc["incidents"]))
    assert impacts == {"minor": 18, "none": 5, "major": 2}
    statuses = dict(openai.updates.group_by("status").len().iter_rows())
    assert statuses == dict(collections.Counter(u["status"] for u in updates))
    assert statuses == {"investigating": 26, "identified": 22, "monitoring": 29, "resolved": 26}
    assert openai.statuspage_incidents["status"].to_list() == ["resolved"] * 25
    assert openai.statuspage_incidents["n_updates"].sum() == 103
    assert openai.rejected.is_empty()
    # incident.io serves no components, shortlink, started_at: kept empty, never invented
    assert openai.statuspage_incidents["components"].to_list() == [[]] * 25
    assert (
        openai.statuspage_incidents["shortlink"].null_count()
        == openai.statuspage_incidents["started_at"].null_count()
        == 25
    )
    assert set(openai.statuspage_incidents["page"]) == {"01JMDK9XYNY6RXSED6SDWW50WY"}
    assert openai.components.is_empty()
    assert openai.maintenances.is_empty()


def test_openai_backdated_updates_keep_both_stamps(openai: StatuspageData) -> None:
    doc = raw(OPENAI)
    expected = {
        u["id"]: (utc(u["created_at"]), utc(u["display_at"]))
        for inc in doc["incidents"]
        for u in inc["incident_updates"]
    }
    got = {r[0]: (r[1], r[2]) for r in openai.updates.select("update_id", "at", "display_at").iter_rows()}
    assert got == expected
    backdated = openai.updates.filter(pl.col("display_at") < pl.col("at"))
    assert backdated.height == sum(d < c for c, d in expected.values()) == 11
    assert any("11 update(s) are back-dated" in note for note in openai.notes)


def test_updates_are_stored_in_time_order(openai: StatuspageData) -> None:
    # the file lists them newest first
    first = raw(OPENAI)["incidents"][0]["incident_updates"]
    assert [u["status"] for u in first] == ["resolved", "monitoring", "investigating"]
    per_incident = openai.updates.group_by("incident_ref", maintain_order=True).agg(
        ordered=(pl.col("at").diff().dt.total_microseconds().fill_null(0) >= 0).all()
    )
    assert per_incident["ordered"].all()
    assert openai.updates["incident_ref"].n_unique() == 25


def test_reopened_incident(openai: StatuspageData) -> None:
    inc = openai.statuspage_incidents.filter(pl.col("incident_ref") == REOPENED).row(0, named=True)
    assert openai.statuspage_incidents["reopened"].sum() == 1
    assert inc["reopened"]
    ups = openai.updates.filter(pl.col("incident_ref") == REOPENED)
    assert ups["status"].to_list() == [
        "investigating",
        "identified",
        "identified",
        "resolved",
        "monitoring",
        "resolved",
    ]
    assert inc["resolved_at"] == utc("2026-09-13T09:53:42Z")  # the page's own value: the first resolve
    phase = status_phases(openai).filter(pl.col("incident_ref") == REOPENED).row(0, named=True)
    assert phase["resolved_at"] == utc("2026-09-13T09:53:42Z")
    assert phase["time_to_resolve"] == dt.timedelta(minutes=27, seconds=42)  # 09:26:00 -> 09:53:42
    events = openai.tables()["events"]
    reopen = events.filter(pl.col("kind") == "reopen")
    assert reopen.select("incident_id", "ref", "at").rows() == [
        (
            "SP-01JMDK9XYNY6RXSED6SDWW50WY-" + REOPENED,
            "01M2D33RRBJYCCEKJYQZC9BSSQ",
            utc("2026-09-13T09:55:55Z"),
        )
    ]


def test_claude_summary_open_incident(claude: StatuspageData) -> None:
    inc = claude.statuspage_incidents.row(0, named=True)
    assert claude.statuspage_incidents.height == 1
    assert inc["incident_ref"] == "978mjkgw6mh7"
    assert inc["page"] == "tymt9n04zgry"
    assert inc["status"] == "monitoring"
    assert inc["impact"] == "major"
    assert inc["resolved_at"] is None
    assert inc["n_updates"] == 4
    assert inc["components"] == ["Claude Console (platform.claude.com)"]
    assert inc["started_at"] == utc("2026-10-07T13:25:04.155Z")
    assert inc["monitoring_at"] == utc("2026-10-07T21:44:41.466Z")
    assert inc["shortlink"] == "https://stspg.io/sjkw7njwf0mt"
    assert claude.updates["affected_components"].to_list() == [["Claude Console (platform.claude.com)"]] * 4
    assert claude.updates["status"].to_list() == [
        "investigating",
        "investigating",
        "identified",
        "monitoring",
    ]
    assert claude.components.height == 6
    console = claude.components.filter(pl.col("component_id") == "0qbwn08sd68x").row(0, named=True)
    assert console["status"] == "degraded_performance"
    assert console["position"] == 2
    generic = claude.tables()["incidents"].row(0, named=True)
    assert generic["incident_id"] == "SP-tymt9n04zgry-978mjkgw6mh7"
    assert generic["ref"] == "tymt9n04zgry/978mjkgw6mh7"  # page and incident id, whatever else is imported
    assert generic["status"] == "open"
    assert generic["service"] == "Claude Console (platform.claude.com)"
    assert generic["resolved_at"] is None
    phase = status_phases(claude).row(0, named=True)
    assert phase["resolved_at"] is None
    assert phase["time_to_resolve"] is None
    assert phase["identified_at"] == utc("2026-10-07T17:28:02.568Z")
    assert phase["n_gaps"] == 3
    assert phase["gap_max"] == dt.timedelta(hours=4, minutes=16, seconds=38, milliseconds=898)
    assert claude.rejected.is_empty()  # reminder_intervals is the string "[]" there


def test_tables_fill_the_workspace_schema(both: StatuspageData) -> None:
    tables = both.tables()
    assert set(tables) == {
        "statuspage_updates",
        "events",
        "incidents",
        "statuspage_incidents",
        "statuspage_components",
        "statuspage_maintenances",
    }
    for name, df in tables.items():
        schema.validate(name, df, extra=False)
    assert tables["statuspage_updates"].columns == list(schema.TABLES["statuspage_updates"].schema)
    assert tables["statuspage_incidents"] is both.statuspage_incidents
    incidents = tables["incidents"]
    assert incidents.height == 26
    assert set(incidents["source"]) == {"statuspage"}
    assert dict(incidents.group_by("status").len().iter_rows()) == {"resolved": 25, "open": 1}
    openai = incidents.filter(pl.col("ref") == "01JMDK9XYNY6RXSED6SDWW50WY/" + BACKDATED).row(0, named=True)
    assert openai["started_at"] == utc("2026-09-14T20:30:00Z")  # no started_at: the back-dated first update
    plain = incidents.filter(pl.col("ref") == "01JMDK9XYNY6RXSED6SDWW50WY/" + REOPENED).row(0, named=True)
    assert plain["started_at"] == utc("2026-09-13T09:26:00Z")  # no started_at, no back-dating: created_at
    claude = incidents.filter(pl.col("ref") == "tymt9n04zgry/978mjkgw6mh7").row(0, named=True)
    assert (
        claude["url"]
        == both.statuspage_incidents.filter(pl.col("incident_ref") == "978mjkgw6mh7")["shortlink"][0]
    )
    assert claude["started_at"] == utc("2026-10-07T13:25:04.155Z")  # the page's own started_at
    events = tables["events"]
    assert dict(events.group_by("kind").len().iter_rows()) == {
        "status_update": 107,
        "resolve": 26,
        "reopen": 1,
    }
    assert set(events["visibility"]) == {"public"}
    assert set(events["source"]) == {"statuspage"}
    assert set(events.filter(pl.col("kind") == "status_update")["ref"]) == set(both.updates["update_id"])


def test_events_follow_the_time_basis() -> None:
    shown = load_statuspage(OPENAI, time_basis="display_at").tables()["events"]
    posted = load_statuspage(OPENAI).tables()["events"]
    moved = posted.join(shown, on=["ref", "kind"]).filter(pl.col("at") != pl.col("at_right"))
    assert moved.filter(pl.col("kind") == "status_update").height == 11


def test_public_api_and_registry() -> None:
    assert toolkit.load_statuspage is load_statuspage
    assert toolkit.status_phases is status_phases
    assert toolkit.StatuspageData is StatuspageData
    importer = importers.get("statuspage")
    loaded = importer.load(CLAUDE, strict=True, policy=Policy.default())
    assert isinstance(loaded, importers.Loaded)
    assert isinstance(loaded, StatuspageData)
    assert importers.detect(OPENAI) == Source.statuspage


def test_sniff(tmp_path: Path) -> None:
    archive = tmp_path / "status.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(CLAUDE, "archive/anthropic/summary.json")
    assert sniff(OPENAI)
    assert sniff(CLAUDE)
    assert sniff(FIXTURES)
    assert sniff(archive)
    realdata = ROOT.parent / "shared" / "realdata"
    others = [
        *(realdata / "pagerduty").glob("*.json"),
        realdata / "slack" / "slack-export-viewer_testarchive_2016.zip",
        realdata / "statuspage" / "PROVENANCE.md",
    ]
    others = [p for p in others if p.exists()] or [tmp_path / "missing"]
    assert not any(sniff(p) for p in others)
    assert not sniff(tmp_path / "missing")


# --- snapshots of one page over time --------------------------------------------------


def _write(path: Path, doc: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps(doc))
    return path


def test_same_incident_in_several_snapshots_is_one(tmp_path: Path) -> None:
    doc = raw(CLAUDE)
    inc = doc["incidents"][0]
    early = copy.deepcopy(doc)  # 16:40: only the first two updates, still investigating
    early_inc = early["incidents"][0]
    early_inc.update(status="investigating", monitoring_at=None, updated_at="2026-10-07T16:40:00.000Z")
    early_inc["incident_updates"] = inc["incident_updates"][2:]
    later = {"page": doc["page"], "incidents": [copy.deepcopy(inc)]}  # next day: resolved
    done = later["incidents"][0]
    resolve = dict(inc["incident_updates"][0], id="r3s0lv3d0001", status="resolved", body="Resolved.")
    resolve.update(created_at="2026-10-08T09:00:00.000Z", display_at="2026-10-08T09:00:00.000Z")
    done["incident_updates"] = [resolve, *inc["incident_updates"]]
    done.update(
        status="resolved", resolved_at="2026-10-08T09:00:00.000Z", updated_at="2026-10-08T09:00:01.000Z"
    )
    # file order is not time order: the resolved state sorts first, the oldest snapshot last
    _write(tmp_path / "a-incidents.json", later)
    _write(tmp_path / "summary-2026-10-07T2344.json", doc)
    _write(tmp_path / "summary-2026-10-07T2344-copy.json", doc)
    _write(tmp_path / "z-summary-2026-10-07T1640.json", early)
    data = load_statuspage(tmp_path)
    assert data.statuspage_incidents.height == 1
    row = data.statuspage_incidents.row(0, named=True)
    assert row["status"] == "resolved"
    assert row["resolved_at"] == utc("2026-10-08T09:00:00Z")
    assert row["n_updates"] == 5
    assert data.updates["update_id"].to_list() == [
        "c56sq7q6flhm",
        "lkt8xyfbql3f",
        "l3390gw3zj8k",
        "1nnyzdbn2qkg",
        "r3s0lv3d0001",
    ]
    assert data.components.height == 6
    assert any(note.startswith("3 record(s) repeated") for note in data.notes)
    assert data.tables()["incidents"]["status"].to_list() == ["resolved"]


def test_repeated_update_id_keeps_the_edited_copy(tmp_path: Path) -> None:
    inc = _incident("d2", ("investigating", "2025-01-01T00:00:00Z"), ("resolved", "2025-01-01T01:00:00Z"))
    first, edited = dict(inc["incident_updates"][0]), dict(inc["incident_updates"][0])
    first.update(updated_at="2025-01-01T01:00:00Z", body="v1")
    edited.update(updated_at="2025-01-01T02:00:00Z", body="v2 (edited)")
    inc["incident_updates"] = [edited, first, inc["incident_updates"][1]]
    data = load_statuspage(_write(tmp_path / "incidents.json", {"incidents": [inc]}))
    assert data.updates["body"].to_list() == ["investigating 0", "v2 (edited)"]
    assert data.statuspage_incidents["n_updates"].to_list() == [2]
    assert any(n.startswith("1 update(s) repeated an update id") for n in data.notes)


def _snapshots(doc: dict[str, Any], picks: list[list[bool]]) -> list[dict[str, Any]]:
    """Copies of ``doc`` each holding a subset of every incident's updates (keys sorted)."""
    out = []
    for k, mask in enumerate(picks):
        snap: dict[str, Any] = copy.deepcopy(doc)
        snap["_meta"]["retrieved_at"] = f"snapshot {k}"
        for inc in snap["incidents"]:
            kept = [u for u, keep in zip(inc["incident_updates"], mask, strict=False) if keep]
            inc["incident_updates"] = kept or inc["incident_updates"]
        out.append(snap)
    return out


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    picks=st.lists(st.lists(st.booleans(), min_size=8, max_size=8), min_size=1, max_size=4),
    order=st.randoms(use_true_random=False),
)
def test_snapshot_merge_is_order_free(
    tmp_path_factory: pytest.TempPathFactory, picks: list[list[bool]], order: Any
) -> None:
    doc = raw(OPENAI)
    whole = load_statuspage(OPENAI)
    folder = tmp_path_factory.mktemp("snapshots")
    docs = [*_snapshots(doc, picks), doc]
    order.shuffle(docs)
    for k, snap in enumerate(docs):
        _write(folder / f"snap-{k:02d}.json", snap)
    merged = load_statuspage(folder)
    assert merged.updates.equals(whole.updates)
    assert merged.statuspage_incidents.equals(whole.statuspage_incidents)


# --- quirks ----------------------------------------------------------------------------


def _incident(ident: str, *updates: tuple[str, str], **fields: Any) -> dict[str, Any]:
    """A minimal Statuspage incident; updates are (status, created_at), oldest first."""
    ups = [
        {"id": f"{ident}-u{k}", "status": s, "body": f"{s} {k}", "created_at": at, "display_at": at}
        for k, (s, at) in enumerate(updates)
    ]
    return {
        "id": ident,
        "name": f"Incident {ident}",
        "status": updates[-1][0] if updates else "investigating",
        "impact": "minor",
        "created_at": updates[0][1] if updates else "2025-01-15T10:00:00Z",
        "page_id": "pg1",
        "incident_updates": ups[::-1],
        **fields,
    }


def test_resolved_at_and_monitoring_at_derived_from_updates(tmp_path: Path) -> None:
    inc = _incident(
        "d1",
        ("investigating", "2025-01-15T10:05:00.123-08:00"),
        ("monitoring", "2025-01-15T18:30:00Z"),
        ("resolved", "2025-01-15T19:15:00.5+00:00"),
    )
    data = load_statuspage(_write(tmp_path / "incidents.json", {"incidents": [inc]}))
    row = data.statuspage_incidents.row(0, named=True)
    assert row["resolved_at"] == dt.datetime(2025, 1, 15, 19, 15, 0, 500000, tzinfo=dt.UTC)
    assert row["monitoring_at"] == dt.datetime(2025, 1, 15, 18, 30, tzinfo=dt.UTC)
    assert row["created_at"] == dt.datetime(2025, 1, 15, 18, 5, 0, 123000, tzinfo=dt.UTC)
    assert any("1 resolved incident(s) had no resolved_at" in n for n in data.notes)
    assert data.tables()["incidents"]["resolved_at"].to_list() == [row["resolved_at"]]


def test_empty_string_stamps_are_null_not_rejected(tmp_path: Path) -> None:
    inc = _incident(
        "e1",
        ("investigating", "2025-01-15T10:00:00Z"),
        ("resolved", "2025-01-15T10:30:00Z"),
        resolved_at="",
        started_at="",
    )
    inc["incident_updates"][0]["display_at"] = ""
    data = load_statuspage(_write(tmp_path / "incidents.json", {"incidents": [inc]}))
    assert data.rejected.is_empty()
    row = data.statuspage_incidents.row(0, named=True)
    assert row["started_at"] is None
    assert row["resolved_at"] == utc("2025-01-15T10:30:00Z")
    assert data.updates["display_at"].to_list() == [utc("2025-01-15T10:00:00Z"), None]


def test_postmortem_and_unknown_statuses(tmp_path: Path) -> None:
    inc = _incident(
        "pm",
        ("investigating", "2025-01-15T10:00:00Z"),
        ("degraded", "2025-01-15T10:20:00Z"),
        ("resolved", "2025-01-15T11:00:00Z"),
        ("postmortem", "2025-01-17T09:00:00Z"),
    )
    data = load_statuspage(_write(tmp_path / "incidents.json", {"incidents": [inc]}))
    row = data.statuspage_incidents.row(0, named=True)
    assert row["status"] == "postmortem"
    assert row["postmortem_body"] == "postmortem 3"
    assert row["postmortem_at"] == utc("2025-01-17T09:00:00Z")
    assert "degraded" in data.updates["status"].to_list()  # kept as is
    phase = status_phases(data).row(0, named=True)
    assert phase["postmortem_at"] == utc("2025-01-17T09:00:00Z")
    assert phase["n_gaps"] == 2
    assert phase["gap_max"] == dt.timedelta(minutes=40)
    assert phase["time_to_resolve"] == dt.timedelta(hours=1)
    kinds = data.tables()["events"]["kind"].to_list()
    assert collections.Counter(kinds) == {"status_update": 4, "resolve": 1, "postmortem": 1}
    assert data.tables()["incidents"].row(0, named=True)["postmortem_at"] == utc("2025-01-17T09:00:00Z")


def test_maintenances_never_become_incidents(tmp_path: Path) -> None:
    maint = _incident(
        "m1",
        ("scheduled", "2025-01-10T10:00:00Z"),
        ("in_progress", "2025-01-12T02:00:00Z"),
        ("completed", "2025-01-12T03:00:00Z"),
        impact="maintenance",
        scheduled_for="2025-01-12T02:00:00Z",
        scheduled_until="2025-01-12T04:00:00Z",
        reminder_intervals="[3, 6, 12, 24]",
    )
    listed = _incident("m2", ("scheduled", "2025-01-20T10:00:00Z"), impact="maintenance")
    real = _incident("i1", ("investigating", "2025-01-15T10:00:00Z"), ("resolved", "2025-01-15T10:30:00Z"))
    _write(
        tmp_path / "scheduled-maintenances.json", {"page": {"id": "pg1"}, "scheduled_maintenances": [maint]}
    )
    _write(tmp_path / "incidents.json", {"page": {"id": "pg1"}, "incidents": [real, listed]})
    data = load_statuspage(tmp_path)
    assert data.statuspage_incidents["incident_ref"].to_list() == ["i1"]
    assert data.maintenances["maintenance_ref"].to_list() == ["m1", "m2"]
    m1 = data.maintenances.row(0, named=True)
    assert m1["status"] == "completed"
    assert m1["n_updates"] == 3
    assert m1["scheduled_for"] == utc("2025-01-12T02:00:00Z")
    assert data.maintenance_updates.height == 4
    assert set(data.updates["incident_ref"]) == {"i1"}
    assert data.tables()["incidents"]["ref"].to_list() == ["pg1/i1"]
    assert status_phases(data)["incident_ref"].to_list() == ["i1"]


def test_maintenance_posted_as_an_incident_counts_only_when_asked(tmp_path: Path) -> None:
    posted = _incident(
        "m9",
        ("investigating", "2025-01-20T10:00:00Z"),
        ("resolved", "2025-01-20T10:40:00Z"),
        impact="maintenance",
    )
    scheduled = _incident(
        "m8",
        ("scheduled", "2025-01-19T10:00:00Z"),
        ("completed", "2025-01-19T12:00:00Z"),
        impact="maintenance",
    )
    real = _incident("i1", ("investigating", "2025-01-15T10:00:00Z"), ("resolved", "2025-01-15T10:30:00Z"))
    data = load_statuspage(
        _write(tmp_path / "incidents.json", {"page": {"id": "pg1"}, "incidents": [real, posted, scheduled]})
    )
    assert status_phases(data)["incident_ref"].to_list() == ["i1"]
    both = status_phases(data, include_maintenance=True)
    assert both.select("incident_ref", "impact").rows() == [("i1", "minor"), ("m9", "maintenance")]
    assert both.filter(pl.col("incident_ref") == "m9")["time_to_resolve"].to_list() == [
        dt.timedelta(minutes=40)
    ]


def test_status_phases_time_basis(openai: StatuspageData) -> None:
    doc = raw(OPENAI)
    inc = next(i for i in doc["incidents"] if i["id"] == BACKDATED)
    ups = sorted(inc["incident_updates"], key=lambda u: u["created_at"])
    posted = status_phases(openai).filter(pl.col("incident_ref") == BACKDATED).row(0, named=True)
    shown = (
        status_phases(openai, time_basis="display_at")
        .filter(pl.col("incident_ref") == BACKDATED)
        .row(0, named=True)
    )
    assert posted["time_to_resolve"] == utc(ups[-1]["created_at"]) - utc(ups[0]["created_at"])
    assert shown["time_to_resolve"] == utc(ups[-1]["display_at"]) - utc(ups[0]["display_at"])
    assert (posted["time_to_resolve"], shown["time_to_resolve"]) == (
        dt.timedelta(minutes=18, seconds=40),
        dt.timedelta(hours=3, minutes=9, seconds=21),
    )
    with pytest.raises(ValueError, match="time_basis must be 'created_at' or 'display_at'"):
        status_phases(openai, time_basis="shown_at")  # type: ignore[arg-type]


def test_status_phases_counts(openai: StatuspageData) -> None:
    phases = status_phases(openai)
    assert phases.height == 25
    first = collections.Counter(
        min(i["incident_updates"], key=lambda u: u["created_at"])["status"] for i in raw(OPENAI)["incidents"]
    )
    assert first == {"investigating": 18, "identified": 5, "monitoring": 2}
    assert phases.filter(pl.col("first_update_at") == pl.col("identified_at")).height == 5
    assert phases.filter(pl.col("first_update_at") == pl.col("monitoring_at")).height == 2
    assert phases["investigating_at"].null_count() == 7
    assert phases["n_gaps"].sum() == 103 - 25
    assert phases["time_to_resolve"].null_count() == 0
    # the same phases from the status_updates table alone (as a workspace stores it)
    from_table = status_phases(openai.tables()["statuspage_updates"]).sort("incident_ref")
    assert from_table.equals(phases.sort("incident_ref"))


def test_folder_and_zip_with_foreign_files(tmp_path: Path) -> None:
    folder = tmp_path / "scrape"
    shutil.copy(OPENAI, _write(folder / "openai" / "incidents.json", {}))
    shutil.copy(CLAUDE, _write(folder / "anthropic" / "summary.json", {}))
    (folder / "README.md").write_text("# scraped status pages\n")
    _write(folder / "ids.json", ["978mjkgw6mh7", "01M2D1CZG0862JB4JHVW56QF89", "x"])
    (folder / "anthropic" / "failed.json").write_bytes(b"")
    archive = tmp_path / "scrape.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(folder.rglob("*")):
            zf.write(path, "scrape/" + path.relative_to(folder).as_posix())
    from_folder, from_zip = load_statuspage(folder), load_statuspage(archive)
    for data, prefix in ((from_folder, f"{folder}/"), (from_zip, f"{archive}:")):
        assert data.statuspage_incidents.height == 26
        assert data.updates.height == 107
        assert data.rejected.select("file", "record", "field").rows() == [
            (prefix + "README.md", None, None),
            (prefix + "anthropic/failed.json", None, None),
            (prefix + "ids.json", None, None),
        ]
        assert data.rejected["reason"].to_list() == [
            "not a JSON file (only Statuspage API responses (.json) are read)",
            "empty file (re-export it or remove it)",
            "not a Statuspage API response: a JSON array of 3 item(s) (string) (expected a Statuspage API v2 "
            "response with 'incidents', 'incident', 'scheduled_maintenances' or 'components'; remove the file "
            "or ingest it with its own importer)",
        ]
    assert from_folder.statuspage_incidents.equals(from_zip.statuspage_incidents)
    assert from_folder.updates.equals(from_zip.updates)
    with pytest.raises(InputFormatError, match=r"README\.md: not a JSON file"):
        load_statuspage(folder, strict=True)


# --- bad input: one table -------------------------------------------------------------

GOOD = _incident("ok", ("investigating", "2025-01-15T10:00:00Z"), ("resolved", "2025-01-15T10:30:00Z"))


def _with(**fields: Any) -> dict[str, Any]:
    inc = copy.deepcopy(GOOD)
    inc["id"] = "bad"
    inc.update(fields)
    return {"page": {"id": "pg1"}, "incidents": [copy.deepcopy(GOOD), inc]}


def _with_update(index: int, **fields: Any) -> dict[str, Any]:
    doc = _with()
    doc["incidents"][1]["incident_updates"][index].update(fields)
    return doc


def _drop_update_key(index: int, key: str) -> dict[str, Any]:
    doc = _with()
    del doc["incidents"][1]["incident_updates"][index][key]
    return doc


_ONE = orjson.dumps(
    {
        "id": "i1",
        "name": "API errors",
        "status": "resolved",
        "impact": "minor",
        "created_at": "2025-01-01T00:00:00Z",
        "resolved_at": "2025-01-01T01:00:00Z",
        "incident_updates": [
            {"id": "u1", "status": "resolved", "body": "fixed", "created_at": "2025-01-01T01:00:00Z"}
        ],
    }
)

BAD_CASES = [
    # id, file content, (record, field, reason start), incidents still read, updates still read
    ("empty-file", b"", (None, None, "empty file"), 0, 0),
    ("blank-file", b"  \n", (None, None, "empty file"), 0, 0),
    (
        "truncated-json",
        b'{"incidents": [{"id": "x"',
        (0, None, "truncated at byte 25: incident 0 (from byte 15) is cut off"),
        0,
        0,
    ),
    (
        "truncated-after-one",
        b'{"page": {"id": "pg"}, "incidents": [' + _ONE + b', {"id": "y',
        (
            1,
            None,
            "truncated at byte 293: incident 1 (from byte 284) is cut off; the 1 incident before it was read",
        ),
        1,
        1,
    ),
    (
        "not-utf8-not-an-object",
        b'{"incidents": ["\xff"]}',
        (0, None, "expected a JSON object, got string"),
        0,
        0,
    ),
    (
        "list-of-ids",
        ["a", "b"],
        (None, None, "not a Statuspage API response: a JSON array of 2 item(s) (string)"),
        0,
        0,
    ),
    (
        "unrelated-object",
        {"users": []},
        (None, None, "not a Statuspage API response: a JSON object with keys 'users'"),
        0,
        0,
    ),
    ("json-scalar", 42, (None, None, "not a Statuspage API response: a JSON int"), 0, 0),
    (
        "incidents-not-array",
        {"page": {"id": "p"}, "incidents": {"id": "x"}},
        (None, "incidents", "expected an array of incidents, got object"),
        0,
        0,
    ),
    (
        "pagerduty-incidents",
        {"incidents": [{"id": "PT4KHLK", "incident_number": 1234}]},
        (None, "incidents", "looks like a PagerDuty response"),
        0,
        0,
    ),
    (
        "incident-not-object",
        {"incidents": [copy.deepcopy(GOOD), "x"]},
        (1, None, "expected a JSON object, got string"),
        1,
        2,
    ),
    ("incident-without-id", _with(id=None), (1, "id", "expected a non-empty id string, got null"), 1, 2),
    ("incident-id-number", _with(id=17), (1, "id", "expected a non-empty id string, got 17"), 1, 2),
    ("name-not-string", _with(name=["x"]), (1, "name", "expected a string, got array"), 1, 2),
    (
        "impact-unknown",
        _with(impact="severe"),
        (1, "impact", "expected one of none, minor, major, critical, maintenance, got 'severe'"),
        1,
        2,
    ),
    (
        "created-at-garbage",
        _with(created_at="yesterday"),
        (1, "created_at", "expected an ISO 8601 timestamp with a time zone"),
        1,
        2,
    ),
    (
        "created-at-naive",
        _with(created_at="2025-01-15T10:00:00"),
        (1, "created_at", "expected an ISO 8601 timestamp with a time zone"),
        1,
        2,
    ),
    (
        "created-at-number",
        _with(created_at=1736935200),
        (1, "created_at", "expected an ISO 8601 timestamp string, got int"),
        1,
        2,
    ),
    (
        "resolved-at-garbage",
        _with(resolved_at="soon"),
        (1, "resolved_at", "expected an ISO 8601 timestamp with a time zone"),
        1,
        2,
    ),
    (
        "components-not-array",
        _with(components="API"),
        (1, "components", "expected an array of components, got string"),
        1,
        2,
    ),
    (
        "component-without-name",
        _with(components=[{"id": "c1"}]),
        (1, "components[0].name", "expected a string, got null"),
        1,
        2,
    ),
    (
        "updates-not-array",
        _with(incident_updates={"id": "u"}),
        (1, "incident_updates", "expected an array of updates, got object"),
        1,
        2,
    ),
    (
        "update-not-object",
        _with(incident_updates=[None]),
        (1, "incident_updates[0]", "expected an update object, got null"),
        2,
        2,
    ),
    (
        "update-without-id",
        _with_update(1, id=""),
        (1, "incident_updates[1].id", "expected a non-empty id string, got ''"),
        2,
        3,
    ),
    (
        "update-without-created-at",
        _drop_update_key(0, "created_at"),
        (1, "incident_updates[0].created_at", "missing; every update needs its created_at"),
        2,
        3,
    ),
    (
        "update-created-at-garbage",
        _with_update(0, created_at="2025-13-45T99:00:00Z"),
        (1, "incident_updates[0].created_at", "expected an ISO 8601 timestamp with a time zone"),
        2,
        3,
    ),
    (
        "update-display-at-number",
        _with_update(1, display_at=5),
        (1, "incident_updates[1].display_at", "expected an ISO 8601 timestamp string, got int"),
        2,
        3,
    ),
    (
        "update-body-object",
        _with_update(1, body={"text": "x"}),
        (1, "incident_updates[1].body", "expected a string, got object"),
        2,
        3,
    ),
    (
        "affected-not-objects",
        _with_update(0, affected_components=["API"]),
        (1, "incident_updates[0].affected_components[0]", "expected a component object, got string"),
        2,
        3,
    ),
    (
        "affected-as-string",
        _with_update(0, affected_components="[]"),
        (1, "incident_updates[0].affected_components", "expected an array of components, got string"),
        2,
        3,
    ),
    (
        "summary-component-without-id",
        {"page": {"id": "p"}, "components": [{"name": "API"}], "incidents": []},
        (0, "id", "component: expected a non-empty id string"),
        0,
        0,
    ),
    (
        "maintenance-bad-schedule",
        {"page": {"id": "p"}, "scheduled_maintenances": [dict(GOOD, id="m", scheduled_for="next week")]},
        (0, "scheduled_for", "scheduled maintenance: expected an ISO 8601 timestamp"),
        0,
        0,
    ),
]


@pytest.mark.parametrize(
    ("content", "expected", "incidents", "updates"), [c[1:] for c in BAD_CASES], ids=[c[0] for c in BAD_CASES]
)
def test_bad_input(
    tmp_path: Path, content: object, expected: tuple[Any, ...], incidents: int, updates: int
) -> None:
    path = tmp_path / "incidents.json"
    path.write_bytes(content if isinstance(content, bytes) else orjson.dumps(content))
    data = load_statuspage(path)
    assert data.rejected.height == 1
    row = data.rejected.row(0, named=True)
    record, field, reason = expected
    assert (row["source"], row["file"], row["record"], row["field"]) == (
        "statuspage",
        str(path),
        record,
        field,
    )
    assert row["reason"].startswith(reason), row["reason"]
    assert (data.statuspage_incidents.height, data.updates.height + data.maintenance_updates.height) == (
        incidents,
        updates,
    )
    for name in ("statuspage_updates", "events", "incidents"):
        schema.validate(name, data.tables()[name])
    with pytest.raises(InputFormatError) as err:
        load_statuspage(path, strict=True)
    assert (err.value.path, err.value.field) == (str(path), field)
    assert err.value.problem.startswith(
        reason.removeprefix("component: ").removeprefix("scheduled maintenance: ")
    )
    assert str(err.value).startswith(f"{path}: ")
    if record is not None:  # the strict error names the record: "incident 1 ('bad')"
        assert re.fullmatch(
            rf"(incident|component|scheduled maintenance) {record}( \('\w+'\))?", str(err.value.record)
        )


def test_invalid_time_basis_for_load() -> None:
    with pytest.raises(ValueError, match="time_basis"):
        load_statuspage(CLAUDE, time_basis="updated_at")  # type: ignore[arg-type]


@pytest.mark.slow
def test_benchmark_small_runs() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_statuspage.py"), "--small", "--incidents", "300"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=300,
    )
    assert "load_statuspage" in out.stdout
    assert "parse floor" in out.stdout
    assert "pandas" in out.stdout


def test_a_bad_byte_is_read_as_the_replacement_character_with_a_note(tmp_path: Path) -> None:
    raw = b'{"page": {"id": "pg"}, "incidents": [' + _ONE.replace(b"fixed", b"fix\xe9d") + b"]}"
    path = tmp_path / "incidents.json"
    path.write_bytes(raw)
    data = load_statuspage(path)
    assert data.rejected.height == 0
    assert data.updates["body"].to_list() == ["fix\ufffdd"]
    offset = raw.index(b"\xe9")
    assert f"{path}: 1 byte not UTF-8 (at byte {offset}), read as U+FFFD" in data.notes
