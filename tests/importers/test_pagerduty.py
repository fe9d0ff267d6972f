"""PagerDuty importer: real example payloads, chain fixtures, Analytics, time zones, bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toolkit
from toolkit import schema
from toolkit.errors import ArgumentError, InputFormatError, PolicyError
from toolkit.importers import detect, get
from toolkit.importers.pagerduty import PagerDutyData, load_pagerduty, sniff
from toolkit.importers.pagerduty.shapes import incident_from_path
from toolkit.policy import Policy
from toolkit.schema import Source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REAL = FIXTURES / "pagerduty" / "realdata"
CHAINS = FIXTURES / "pagerduty" / "chains"
CSV = FIXTURES / "pagerduty" / "analytics_csv" / "raw_incidents.csv"
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "pagerduty"
SHARED_REAL = (
    FIXTURES.parents[1].parent / "shared" / "realdata" / "pagerduty"
)  # beside the repo, when present


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _json(path: Path) -> Any:
    return json.loads(path.read_text())


def _row(df: pl.DataFrame, pid: str) -> dict[str, Any]:
    return df.filter(pl.col("pd_incident_id") == pid).row(0, named=True)


def _validate_tables(data: PagerDutyData) -> None:
    tables = data.tables()
    assert set(tables) == {"pagerduty_log_entries", "events", "incidents", "people", "pagerduty_incidents"}
    for name in ("pagerduty_log_entries", "events", "incidents"):
        schema.validate(name, tables[name])
    schema.validate("rejected", data.rejected)


@pytest.fixture(scope="module")
def real() -> PagerDutyData:
    return load_pagerduty(REAL)


@pytest.fixture(scope="module")
def chains() -> PagerDutyData:
    return load_pagerduty(CHAINS)


# --- the real example payloads --------------------------------------------------------


def test_realdata_fixtures_are_byte_copies() -> None:
    names = sorted(p.name for p in REAL.glob("*.json"))
    assert len(names) == 10
    if SHARED_REAL.exists():
        for name in names:
            assert (REAL / name).read_bytes() == (SHARED_REAL / name).read_bytes()


def test_realdata_counts_match_plain_json(real: PagerDutyData) -> None:
    rest_ids = {i["id"] for i in _json(REAL / "pd_openapi_example_incidents_list.json")["incidents"]}
    rest_ids.add(_json(REAL / "pd_openapi_example_incident_get.json")["incident"]["id"])
    analytics_ids = {r["id"] for r in _json(REAL / "pd_openapi_example_analytics_raw_incidents.json")["data"]}
    analytics_ids.add(_json(REAL / "pd_openapi_example_analytics_raw_incident_get.json")["data"]["id"])
    entry_ids = {e["id"] for e in _json(REAL / "pd_openapi_example_incident_log_entries.json")["log_entries"]}
    entry_ids |= {e["id"] for e in _json(REAL / "pd_openapi_example_log_entries_list.json")["log_entries"]}
    entry_ids.add(_json(REAL / "pd_openapi_example_log_entry_get.json")["log_entry"]["id"])
    alerts = _json(REAL / "pd_openapi_example_incident_alerts.json")["alerts"]
    notes = _json(REAL / "pd_openapi_example_incident_notes.json")["notes"]

    assert sorted(real.pagerduty_incidents["pd_incident_id"]) == sorted(rest_ids | analytics_ids)
    assert real.pagerduty_incidents.height == 4
    assert real.log_entries["entry_id"].to_list() == sorted(entry_ids) == ["Q02JTSNZWHSEKV"]
    # one trigger entry -> alert, one alert of the alerts endpoint -> alert; notes cannot be attributed
    assert real.events.group_by("kind").len().rows() == [("alert", 1 + len(alerts))]
    assert real.rejected.select("file", "record", "field").rows() == [
        (str(REAL / "pd_openapi_example_incident_notes.json"), i, "incident") for i in range(len(notes))
    ]
    assert real.crosscheck.height == 0
    _validate_tables(real)


def test_realdata_incident_pt4khlk(real: PagerDutyData) -> None:
    listed = _json(REAL / "pd_openapi_example_incidents_list.json")["incidents"][0]
    row = _row(real.pagerduty_incidents, "PT4KHLK")
    # list and single GET have the same updated_at; the further status (resolved) wins
    assert row["status"] == listed["status"] == "resolved"
    assert row["incident_number"] == 1234
    assert row["title"] == "The server is on fire."
    assert row["priority"] == "P2"
    assert row["service"] == "My Mail Service"
    assert row["escalation_policy"] == "Another Escalation Policy"
    assert row["teams"] == ["Engineering"]
    assert row["created_at"] == _ts(listed["created_at"])
    assert row["resolved_at"] == _ts(listed["resolved_at"])
    assert (
        row["seconds_to_resolve"] == 461 == (_ts(listed["resolved_at"]) - _ts(listed["created_at"])).seconds
    )
    assert row["first_ack_at"] is None
    assert row["seconds_to_first_ack"] is None
    assert row["escalation_count"] == 0  # its log entries hold one trigger and no escalation
    assert row["incident_key"] == listed["incident_key"]
    assert row["html_url"] == listed["html_url"]
    entry = real.log_entries.row(0, named=True)
    assert (entry["type"], entry["agent"], entry["channel"], entry["agent_kind"]) == (
        "trigger",
        "My Mail Service",
        "api",
        "service",
    )


def test_realdata_analytics_rows_keep_pagerduty_figures(real: PagerDutyData) -> None:
    raw = {r["id"]: r for r in _json(REAL / "pd_openapi_example_analytics_raw_incidents.json")["data"]}
    single = _json(REAL / "pd_openapi_example_analytics_raw_incident_get.json")["data"]
    raw[single["id"]] = single
    for pid, rec in raw.items():
        row = _row(real.pagerduty_incidents, pid)
        assert row["seconds_to_first_ack"] == rec["seconds_to_first_ack"]
        assert row["seconds_to_resolve"] == rec["seconds_to_resolve"]
        assert row["escalation_count"] == rec["escalation_count"]
        assert row["priority"] == rec["priority_name"]
        assert row["assignees"] == rec["assigned_user_names"]
        # offset-less timestamps read as UTC ("2023-05-31T10:05:00"), 'Z' ones as they are
        assert row["created_at"] == _ts(rec["created_at"]).replace(tzinfo=UTC)
    tidy = real.incidents.select("ref", "severity").sort("ref").rows()
    assert tidy == [("PCOOHCY", "SEV2"), ("PJASD33", "SEV1"), ("PT4KHLK", None), ("PYC0H08", None)]


def test_realdata_notes_report(real: PagerDutyData) -> None:
    notes = "\n".join(real.notes)
    assert "Analytics timestamps read as UTC: 6 of them carried no time zone" in notes
    assert "pd_openapi_example_analytics_metrics_incidents_all.json: Analytics aggregate metrics" in notes
    assert "1 incident record(s) appeared more than once" in notes
    assert "2 log entr(ies) appeared more than once" in notes
    assert "PD-PCOOHCY: resolved_at 2023-05-30T10:00:05Z is before created_at 2023-05-31T10:00:00Z" in notes
    assert sum("the page says more" in line for line in real.notes) == 3


def test_realdata_notes_attributed_by_pagerduty_path(tmp_path: Path) -> None:
    target = tmp_path / "incidents" / "PT4KHLK" / "notes.json"
    target.parent.mkdir(parents=True)
    shutil.copyfile(REAL / "pd_openapi_example_incident_notes.json", target)
    shutil.copyfile(REAL / "pd_openapi_example_incident_get.json", tmp_path / "incident.json")
    data = load_pagerduty(tmp_path)
    assert data.rejected.height == 0
    notes = data.events.filter(pl.col("kind") == "note").select("at", "actor", "text", "ref").rows()
    assert notes == [
        (
            _ts("2013-03-06T20:28:42Z"),
            "A Global Event Rule",
            "Initial alert information indicates a 1-alarm fire",
            "note:PCQC25",
        ),
        (_ts("2013-03-06T20:28:51Z"), "Earline Greenholt", "Firefighters are on the scene.", "note:PWL7QXS"),
    ]
    row = _row(data.pagerduty_incidents, "PT4KHLK")
    assert row["status"] == "acknowledged"
    assert row["first_ack_at"] == _ts("2015-11-10T00:32:52Z")
    assert row["acknowledgers"] == row["assignees"] == ["Earline Greenholt"]


# --- chain fixtures ----------------------------------------------------------------------

CHAIN_EXPECTED = {
    # id: (status, created, first ack, resolved, escalations, s to ack, s to resolve)
    "PCHN001": ("resolved", "10:00:00", "10:07:30", "10:42:00", 1, 450, 2520),
    "PCHN002": ("resolved", "11:00:00", "11:03:00", "12:15:00", 1, 180, 4500),
    "PCHN003": ("resolved", "12:00:00", "12:06:00", "13:05:00", 0, 360, 3900),
    "PCHN004": ("resolved", "10:01:10", None, "10:03:30", 0, None, 140),
    "PCHN005": ("resolved", "03:10:00", None, "03:25:00", 0, None, 900),
    "PCHN006": ("triggered", "14:00:00", None, None, 0, None, None),
    "PCHN007": ("acknowledged", "15:00:00", "15:04:00", None, 0, 240, None),
}


def _day(hms: str | None) -> datetime | None:
    return None if hms is None else _ts(f"2025-03-04T{hms}Z")


@pytest.mark.parametrize("pid", sorted(CHAIN_EXPECTED))
def test_chain_milestones(chains: PagerDutyData, pid: str) -> None:
    status, created, ack, resolved, escalations, to_ack, to_resolve = CHAIN_EXPECTED[pid]
    row = _row(chains.pagerduty_incidents, pid)
    assert (row["status"], row["created_at"], row["first_ack_at"], row["resolved_at"]) == (
        status,
        _day(created),
        _day(ack),
        _day(resolved),
    )
    assert (row["escalation_count"], row["seconds_to_first_ack"], row["seconds_to_resolve"]) == (
        escalations,
        to_ack,
        to_resolve,
    )


def _chain_entries() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = _json(CHAINS / "log_entries.json")["log_entries"]
    for e in _json(CHAINS / "incidents" / "PCHN006" / "log_entries.json")["log_entries"]:
        entries.append({**e, "incident": {"id": "PCHN006"}})
    return entries


def test_chain_milestones_match_plain_json(chains: PagerDutyData) -> None:
    by_incident: dict[str, list[dict[str, Any]]] = {}
    for e in _chain_entries():
        by_incident.setdefault(e["incident"]["id"], []).append(e)
    for pid, entries in by_incident.items():
        acks = [_ts(e["created_at"]) for e in entries if e["type"] == "acknowledge_log_entry"]
        resolves = [_ts(e["created_at"]) for e in entries if e["type"] == "resolve_log_entry"]
        escalations = {e["created_at"] for e in entries if e["type"] == "escalate_log_entry"}
        row = _row(chains.pagerduty_incidents, pid)
        assert row["first_ack_at"] == (min(acks) if acks else None)
        assert row["resolved_at"] == (max(resolves) if resolves else None)
        assert row["escalation_count"] == len(escalations)


def test_chain_log_entries_table(chains: PagerDutyData) -> None:
    entries = _chain_entries()
    assert chains.log_entries.height == len(entries) == 41
    assert chains.log_entries.columns == list(schema.TABLES["pagerduty_log_entries"].schema)
    assert chains.log_entries.columns[-3:] == ["agent_kind", "notified_user", "assignees"]
    rows = {r["entry_id"]: r for r in chains.log_entries.iter_rows(named=True)}
    assert rows["R001ESC1"]["escalation_level"] == 2
    assert rows["R001ESC1"]["assignees"] == ["Bob Okafor"]
    assert rows["R001NOT1"]["channel"] == "sms"
    assert rows["R001NOT2"]["channel"] == "push"  # the notification object's type, without '_notification'
    assert rows["R001NOT2"]["notified_user"] == "Bob Okafor"
    assert rows["R002NOT2"]["channel"] == "phone"
    assert rows["R006RBA1"]["type"] == "runbook_automation"  # unknown type kept as it is
    assert rows["R006TRIG"]["pd_incident_id"] == "PCHN006"  # from incidents/PCHN006/log_entries.json
    assert (
        "Kept log entries of types PagerDuty's schema does not list, as they are: runbook_automation (1)"
        in (chains.notes)
    )


def test_chain_events(chains: PagerDutyData) -> None:
    kinds = {
        "trigger": "alert",
        "notify": "page",
        "acknowledge": "acknowledge",
        "unacknowledge": "unacknowledge",
        "escalate": "escalate",
        "assign": "assign",
        "annotate": "note",
        "resolve": "resolve",
    }
    expected: dict[str, int] = {}
    for e in _chain_entries():
        kind = kinds.get(e["type"].removesuffix("_log_entry"))
        if kind:
            expected[kind] = expected.get(kind, 0) + 1
    notes = _json(CHAINS / "incidents" / "PCHN001" / "notes.json")["notes"]
    alerts = _json(CHAINS / "incidents" / "PCHN001" / "alerts.json")["alerts"]
    expected["note"] += len(notes) - 1  # the annotate entry repeats note PNOTE01
    expected["alert"] += len(alerts)
    assert dict(chains.events.group_by("kind").len().rows()) == expected
    assert chains.events.height == 41
    assert set(chains.events["source"]) == {"pagerduty"}
    assert set(chains.events["visibility"]) == {"internal"}
    note = chains.events.filter(pl.col("ref") == "note:PNOTE01").row(0, named=True)
    assert (note["at"], note["actor"], note["text"]) == (
        _day("10:10:00"),
        "Bob Okafor",
        "Rolling back payment-service to v2.4",
    )
    assert "R001ANN1" not in chains.events["ref"].to_list()
    alert = chains.events.filter(pl.col("ref") == "alert:PALRT02").row(0, named=True)
    assert (alert["kind"], alert["actor"], alert["text"]) == (
        "alert",
        "Datadog",
        "p99 latency 4.1s on checkout-api",
    )
    assert chains.events.filter(pl.col("ref") == "R006FVC1").height == 0  # field_value_change: no event
    _validate_tables(chains)


def test_chain_overlap_merge_and_union(chains: PagerDutyData) -> None:
    assert (
        "1 incident record(s) appeared more than once (overlapping pages); kept the latest by updated_at"
        in (chains.notes)
    )
    assert "PD-PCHN004 was merged into PD-PCHN001 (its resolved_at is the merge time)" in chains.notes
    assert (
        "1 annotate log entry repeated a note of the notes endpoint; kept the note's event only"
        in chains.notes
    )
    row = _row(chains.pagerduty_incidents, "PCHN002")
    assert row["assignees"] == ["Dan Whitfield", "Erin Castillo", "Carol Jensen"]
    assert row["acknowledgers"] == ["Carol Jensen", "Dan Whitfield"]
    tidy = chains.incidents.select("incident_id", "severity", "status").sort("incident_id").rows()
    assert tidy[2] == ("PD-PCHN003", "SEV3", "resolved")  # priority "SEV-3" maps cleanly
    assert tidy[0] == ("PD-PCHN001", None, "resolved")  # "P1" does not, by default
    assert tidy[5] == ("PD-PCHN006", None, "open")


def test_chain_crosscheck(chains: PagerDutyData) -> None:
    assert chains.crosscheck.rows() == [
        ("PCHN002", "escalation_count", "1", "2"),
        ("PCHN003", "seconds_to_resolve", "3900", "4200"),
    ]
    assert (
        "Cross-check PD-PCHN002: escalation_count is 1 from log entries but 2 from Analytics" in chains.notes
    )


def test_crosscheck_tolerance_from_policy(tmp_path: Path) -> None:
    policy_file = tmp_path / "team.toml"
    policy_file.write_text(
        '[pagerduty]\ncrosscheck_tolerance_seconds = 300\nseverity_from_priority = { P1 = "SEV1", p2 = "SEV2" }\n'
    )
    data = load_pagerduty(CHAINS, policy=Policy.load(policy_file))
    assert data.crosscheck.rows() == [("PCHN002", "escalation_count", "1", "2")]
    sev = dict(data.incidents.select("ref", "severity").rows())
    assert (sev["PCHN001"], sev["PCHN002"], sev["PCHN003"], sev["PCHN007"]) == ("SEV1", "SEV2", "SEV3", None)


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ("[pagerduty]\nsurprise = 1\n", "pagerduty.surprise"),
        ('[pagerduty]\nanalytics_time_zone = "Mars/Olympus"\n', "pagerduty.analytics_time_zone"),
        ("[pagerduty]\ncrosscheck_tolerance_seconds = -1\n", "pagerduty.crosscheck_tolerance_seconds"),
        ('[pagerduty.severity_from_priority]\nP1 = "critical"\n', "pagerduty.severity_from_priority.P1"),
    ],
    ids=["unknown-key", "bad-zone", "negative-tolerance", "bad-severity"],
)
def test_policy_section_errors(tmp_path: Path, table: str, problem: str) -> None:
    policy_file = tmp_path / "team.toml"
    policy_file.write_text(table)
    with pytest.raises(PolicyError, match=problem.replace(".", r"\.")):
        load_pagerduty(CHAINS, policy=Policy.load(policy_file))


# --- Analytics CSV, time zones ----------------------------------------------------------


def test_analytics_csv_reads_like_json(tmp_path: Path) -> None:
    shutil.copyfile(CHAINS / "log_entries.json", tmp_path / "log_entries.json")
    shutil.copyfile(CSV, tmp_path / "raw_incidents.csv")
    data = load_pagerduty(tmp_path)
    assert data.rejected.height == 0
    assert data.crosscheck.rows() == [("PCHN002", "escalation_count", "1", "2")]
    row = _row(data.pagerduty_incidents, "PCHN002")
    assert row["assignees"] == ["Dan Whitfield", "Erin Castillo", "Carol Jensen"]  # log first, then Analytics
    assert row["teams"] == ["Discovery"]
    assert _row(data.pagerduty_incidents, "PCHN001")["acknowledgers"] == ["Bob Okafor"]
    assert _row(data.pagerduty_incidents, "PCHN005")["priority"] is None
    assert "Analytics timestamps read as UTC: 9 of them carried no time zone" in data.notes[0]


def _tz_export(tmp_path: Path, analytics_created: list[str]) -> Path:
    """An incident created 2025-03-09T14:00:00Z (10:00 in New York, the day DST starts there)."""
    entries = [
        {
            "id": "RTZ1TRIG",
            "type": "trigger_log_entry",
            "created_at": "2025-03-09T14:00:00Z",
            "incident": {"id": "PTZ0001"},
        },
        {
            "id": "RTZ1ACK1",
            "type": "acknowledge_log_entry",
            "created_at": "2025-03-09T14:05:00Z",
            "incident": {"id": "PTZ0001"},
        },
    ]
    (tmp_path / "log_entries.json").write_text(json.dumps({"log_entries": entries}))
    data = [
        {"id": f"PTZ000{i + 1}", "created_at": created, "seconds_to_first_ack": 300, "escalation_count": 0}
        for i, created in enumerate(analytics_created)
    ]
    (tmp_path / "analytics.json").write_text(json.dumps({"data": data, "time_zone": "America/New_York"}))
    return tmp_path


def test_analytics_timezone_new_york(tmp_path: Path) -> None:
    data = load_pagerduty(_tz_export(tmp_path, ["2025-03-09T10:00:00"]), tz="America/New_York")
    assert data.crosscheck.height == 0
    assert "Analytics timestamps read as America/New_York: 1 of them carried no time zone" in data.notes[0]
    assert not any("says time_zone" in line for line in data.notes)


def test_analytics_timezone_default_utc_disagrees(tmp_path: Path) -> None:
    data = load_pagerduty(_tz_export(tmp_path, ["2025-03-09T10:00:00"]))
    assert data.crosscheck.rows() == [
        ("PTZ0001", "created_at", "2025-03-09T14:00:00Z", "2025-03-09T10:00:00Z")
    ]
    assert any(
        "the response says time_zone 'America/New_York', but its timestamps" in line for line in data.notes
    )


def test_analytics_timezone_dst_gap_rejected(tmp_path: Path) -> None:
    export = _tz_export(tmp_path, ["2025-03-09T10:00:00", "2025-03-09T02:30:00"])
    data = load_pagerduty(export, tz="America/New_York")
    assert data.rejected.select("record", "field", "reason").rows() == [
        (
            1,
            "created_at",
            "local time '2025-03-09T02:30:00' does not exist in America/New_York (a daylight-saving gap)",
        )
    ]
    assert load_pagerduty(export).rejected.height == 0  # in UTC that time exists
    with pytest.raises(InputFormatError, match="analytics incident 1: field 'created_at': local time"):
        load_pagerduty(export, tz="America/New_York", strict=True)


def test_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ArgumentError, match="'Mars/Olympus' is not a time zone name"):
        load_pagerduty(CHAINS, tz="Mars/Olympus")


# --- shapes of input ----------------------------------------------------------------------


def test_zip_reads_like_folder(tmp_path: Path, chains: PagerDutyData) -> None:
    archive = tmp_path / "pd-export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(CHAINS.rglob("*.json")):
            zf.write(path, f"pd-export/{path.relative_to(CHAINS).as_posix()}")
    data = load_pagerduty(archive)
    assert data.pagerduty_incidents.equals(chains.pagerduty_incidents)
    assert data.events.equals(chains.events)
    assert data.crosscheck.equals(chains.crosscheck)


def test_array_of_pages_and_bare_records(tmp_path: Path, chains: PagerDutyData) -> None:
    pages = [_json(CHAINS / "incidents_offset0.json"), _json(CHAINS / "incidents_offset4.json")]
    (tmp_path / "pages.json").write_text(json.dumps(pages))
    (tmp_path / "entries.json").write_text(json.dumps(_json(CHAINS / "log_entries.json")["log_entries"]))
    data = load_pagerduty(tmp_path)
    assert data.rejected.height == 0
    expected = chains.pagerduty_incidents.filter(pl.col("pd_incident_id") != "PCHN006").drop("first_ack_at")
    got = data.pagerduty_incidents.filter(pl.col("pd_incident_id") != "PCHN006").drop("first_ack_at")
    assert got.select("pd_incident_id", "status", "resolved_at", "escalation_count").equals(
        expected.select("pd_incident_id", "status", "resolved_at", "escalation_count")
    )


def test_public_names_and_registry(tmp_path: Path) -> None:
    assert toolkit.load_pagerduty is load_pagerduty
    importer = get(Source.pagerduty)
    loaded = importer.load(CHAINS, strict=True, policy=Policy.default())
    assert isinstance(loaded, PagerDutyData)
    _validate_tables(loaded)
    assert detect(CHAINS) == Source.pagerduty


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (REAL, True),
        (REAL / "pd_openapi_example_incident_notes.json", True),
        (REAL / "pd_openapi_example_analytics_raw_incidents.json", True),
        (CHAINS, True),
        (CSV, True),
        (FIXTURES.parent.parent / "pyproject.toml", False),
    ],
    ids=["real-folder", "notes-file", "analytics-file", "chains", "analytics-csv", "other-file"],
)
def test_sniff(path: Path, expected: bool) -> None:
    """Recognises PagerDuty files by their first 64 KiB, never by parsing them whole."""
    score = sniff(path)
    assert 0.0 <= score <= 1.0
    assert (score > 0) is expected
    if expected:
        assert detect(path) == Source.pagerduty


@pytest.mark.parametrize(
    "path",
    [
        "statuspage/openai_incidents.json",
        "statuspage/claude_summary.json",
        "slack/slack-export-viewer_testarchive_2016.zip",
        "slack/slackdump_source_export_2025-01.zip",
    ],
)
def test_sniff_leaves_other_vendors_alone(path: str) -> None:
    """The other vendors' real exports (byte-identical copies in tests/fixtures) are not PagerDuty."""
    assert sniff(FIXTURES / path) == 0.0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("incidents/PT4KHLK/notes.json", "PT4KHLK"),
        ("export/incidents_Q1W2E3R4T5Y6U7_alerts.json", "Q1W2E3R4T5Y6U7"),
        ("PT4KHLK/log_entries-00002.json", "PT4KHLK"),
        ("notes_PT4KHLK.json", "PT4KHLK"),
        ("pd_openapi_example_incident_notes.json", None),
        ("log_entries.json", None),
    ],
)
def test_incident_from_path(name: str, expected: str | None) -> None:
    assert incident_from_path(name) == expected


# --- bad input: one table --------------------------------------------------------------------

_GOOD_ENTRY = {
    "id": "R1",
    "type": "trigger_log_entry",
    "created_at": "2025-01-01T00:00:00Z",
    "incident": {"id": "P1"},
}
_CSV_HEAD = "id,created_at,seconds_to_resolve,major\n"

# fmt: off
BAD_INPUT = [
    # (id, file name, content, record, field, reason contains, strict label)
    ("empty-file", "x.json", b"", None, None, "empty file", None),
    ("truncated-json", "x.json", b'{"incidents": [', 0, None, "truncated at byte 15: the file ends before incident 0", "incident 0"),
    ("truncated-mid-record", "log_entries.json", b'{"log_entries": [' + json.dumps(_GOOD_ENTRY).encode() + b', {"id": "R2", "ty', 1, None, "log entry 1 (from byte 124) is cut off; the 1 log entry before it was read", "log entry 1"),
    ("stray-byte-at-the-top", "log_entries.json", b"\x00" + json.dumps({"log_entries": [_GOOD_ENTRY]}).encode(), None, "log_entries", "invalid JSON at byte 0 around the 'log_entries' array", None),
    ("broken-json", "x.json", b'{"incidents": [{"id": "P1",, }]}', 0, None, "invalid JSON at byte 27", "incident 0"),
    ("not-utf8-and-no-id", "x.json", b'{"incidents": [{"zz": "\xff"}]}', 0, "id", "missing", "incident 0"),
    ("unknown-document", "x.json", b'{"foo": 1}', None, None, "top-level keys: foo", None),
    ("scalar-document", "x.json", b"42", None, None, "expected a JSON object or an array of pages, got a number", None),
    ("incidents-not-array", "x.json", b'{"incidents": {"id": "P1"}}', None, "incidents", "expected an array of incident objects, got object", None),
    ("incident-not-object", "x.json", b'{"incidents": [7]}', 0, None, "expected an incident object, got a whole number", "incident 0"),
    ("incident-missing-id", "x.json", b'{"incidents": [{"created_at": "2025-01-01T00:00:00Z"}]}', 0, "id", "missing", "incident 0"),
    ("incident-created-at-number", "x.json", b'{"incidents": [{"id": "P1", "created_at": 1736935200}]}', 0, "created_at", "expected text, got a whole number", "incident 0"),
    ("incident-created-at-garbage", "x.json", b'{"incidents": [{"id": "P1", "created_at": "yesterday"}]}', 0, "created_at", "got 'yesterday'", "incident 0"),
    ("incident-created-at-no-zone", "x.json", b'{"incident": {"id": "P1", "created_at": "2025-01-15T10:00:00"}}', 0, "created_at", "with a time zone", "incident 0"),
    ("incident-service-text", "x.json", b'{"incidents": [{"id": "P1", "created_at": "2025-01-01T00:00:00Z", "service": "Checkout"}]}', 0, "service", "expected an object, got text", "incident 0"),
    ("incident-number-text", "x.json", b'{"incidents": [{"id": "P1", "created_at": "2025-01-01T00:00:00Z", "incident_number": "12"}]}', 0, "incident_number", "expected a whole number, got text", "incident 0"),
    ("incident-team-null", "x.json", b'{"incidents": [{"id": "P1", "created_at": "2025-01-01T00:00:00Z", "teams": [null]}]}', 0, "teams[0]", "expected an object, got null", "incident 0"),
    ("incident-bad-ack-time", "x.json", b'{"incidents": [{"id": "P1", "created_at": "2025-01-01T00:00:00Z", "acknowledgements": [{"at": "soon"}]}]}', 0, "acknowledgements", "is not a timestamp", "incident 0"),
    ("log-entry-null", "x.json", b'{"log_entries": [null]}', 0, None, "expected a log entry object, got null", "log entry 0"),
    ("log-entry-missing-type", "x.json", b'{"log_entries": [{"id": "R1", "created_at": "2025-01-01T00:00:00Z", "incident": {"id": "P1"}}]}', 0, "type", "missing", "log entry 0"),
    ("log-entry-no-incident", "log_entries.json", b'{"log_entries": [{"id": "R1", "type": "trigger_log_entry", "created_at": "2025-01-01T00:00:00Z"}]}', 0, "incident", "names no incident", "log entry 0"),
    ("log-entry-second-bad", "x.json", json.dumps({"log_entries": [_GOOD_ENTRY, {**_GOOD_ENTRY, "id": "R2", "agent": ["x"]}]}).encode(), 1, "agent", "expected an object, got array", "log entry 1"),
    ("array-page-not-object", "x.json", b'[{"incidents": []}, 5]', 1, None, "expected a PagerDuty REST v2 page", "page 1"),
    ("array-of-pages-record", "x.json", json.dumps([{"log_entries": [_GOOD_ENTRY]}, {"log_entries": [{**_GOOD_ENTRY, "id": "R2", "type": 3}]}]).encode(), 1, "type", "expected text, got a whole number", "page 1, log entry 1"),
    ("note-no-incident", "notes.json", b'{"notes": [{"id": "N1", "content": "hi", "created_at": "2025-01-01T00:00:00Z"}]}', 0, "incident", "names no incident", "note 0"),
    ("alert-missing-id", "x.json", b'{"alerts": [{"created_at": "2025-01-01T00:00:00Z", "incident": {"id": "P1"}}]}', 0, "id", "missing", "alert 0"),
    ("analytics-data-not-array", "x.json", b'{"data": "nope"}', None, "data", "expected an array of analytics incidents, got string", None),
    ("analytics-seconds-text", "x.json", b'{"data": [{"id": "P1", "created_at": "2025-01-01T00:00:00", "seconds_to_first_ack": "5"}]}', 0, "seconds_to_first_ack", "expected a whole number, got string", "analytics incident 0"),
    ("analytics-seconds-fraction", "x.json", b'{"data": [{"id": "P1", "created_at": "2025-01-01T00:00:00", "seconds_to_resolve": 1.5}]}', 0, "seconds_to_resolve", "expected a whole number, got 1.5", "analytics incident 0"),
    ("analytics-missing-created", "x.json", b'{"data": [{"id": "P1"}]}', 0, "created_at", "missing", "analytics incident 0"),
    ("analytics-bad-timestamp", "x.json", b'{"data": [{"id": "P1", "created_at": "31/05/2023"}]}', 0, "created_at", "got '31/05/2023'", "analytics incident 0"),
    ("analytics-names-not-list", "x.json", b'{"data": [{"id": "P1", "created_at": "2025-01-01T00:00:00", "assigned_user_names": "Jo"}]}', 0, "assigned_user_names", "expected an array of names, got string", "analytics incident 0"),
    ("csv-empty", "x.csv", b"", None, None, "empty file", None),
    ("csv-no-id-column", "x.csv", b"name,created_at\na,2025-01-01T00:00:00\n", None, "id", "no 'id' column", None),
    ("csv-bad-integer", "x.csv", (_CSV_HEAD + "P1,2025-01-01T00:00:00,abc,true\n").encode(), 0, "seconds_to_resolve", "expected a whole number, got 'abc'", "line 2"),
    ("csv-bad-bool", "x.csv", (_CSV_HEAD + "P1,2025-01-01T00:00:00,5,true\nP2,2025-01-01T00:00:00,5,maybe\n").encode(), 1, "major", "expected true or false, got 'maybe'", "line 3"),
]
# fmt: on


@pytest.mark.parametrize(
    ("name", "content", "record", "field", "reason", "label"),
    [case[1:] for case in BAD_INPUT],
    ids=[case[0] for case in BAD_INPUT],
)
def test_bad_input(
    tmp_path: Path,
    name: str,
    content: bytes,
    record: int | None,
    field: str | None,
    reason: str,
    label: str | None,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    data = load_pagerduty(tmp_path)
    assert data.rejected.height == 1, data.rejected.rows()
    got = data.rejected.row(0, named=True)
    assert (got["source"], got["file"], got["record"], got["field"]) == (
        "pagerduty",
        str(path),
        record,
        field,
    )
    assert reason in got["reason"]
    with pytest.raises(InputFormatError) as info:
        load_pagerduty(tmp_path, strict=True)
    err = info.value
    assert (err.path, err.record, err.field) == (str(path), label, field)
    assert reason in str(err)


def test_bad_records_do_not_spoil_their_file(tmp_path: Path) -> None:
    entries = [_GOOD_ENTRY, {**_GOOD_ENTRY, "id": "R2", "created_at": 5}, {**_GOOD_ENTRY, "id": "R3"}]
    (tmp_path / "log_entries.json").write_text(json.dumps({"log_entries": entries}))
    data = load_pagerduty(tmp_path)
    assert data.log_entries["entry_id"].to_list() == ["R1", "R3"]
    assert data.rejected.select("record", "field").rows() == [(1, "created_at")]


def test_non_data_files_are_noted_not_rejected(tmp_path: Path) -> None:
    shutil.copyfile(CHAINS / "log_entries.json", tmp_path / "log_entries.json")
    (tmp_path / "README.md").write_text("exported by hand\n")
    data = load_pagerduty(tmp_path)
    assert data.rejected.height == 0
    assert "Skipped 1 file(s) that are not .json or .csv: README.md" in data.notes


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)
_FIELDS = [
    "id",
    "type",
    "created_at",
    "incident",
    "agent",
    "assignees",
    "channel",
    "summary",
    "teams",
    "service",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    records=st.lists(st.dictionaries(st.sampled_from(_FIELDS), _JSON, max_size=5) | _JSON, max_size=4),
    key=st.sampled_from(["incidents", "log_entries", "notes", "alerts"]),
)
def test_any_records_are_kept_or_rejected_never_crash(tmp_path: Path, records: list[Any], key: str) -> None:
    path = tmp_path / "page.json"
    path.write_text(json.dumps({key: records}))
    data = load_pagerduty(path)
    rejected = data.rejected["record"].to_list()
    assert len(rejected) == len(set(rejected)) <= len(records)  # at most one rejection per record
    if key == "log_entries":  # every record is kept (one copy per id) or rejected, never lost
        kept = {(r["incident"]["id"], r["id"]) for i, r in enumerate(records) if i not in rejected}
        assert data.log_entries.height == len(kept)
    _validate_tables(data)
    try:
        load_pagerduty(path, strict=True)
    except InputFormatError:
        assert data.rejected.height > 0
    else:
        assert data.rejected.height == 0


@pytest.mark.slow
def test_benchmark_small_runs() -> None:
    root = FIXTURES.parents[1]
    out = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "bench_pagerduty.py"), "--small"],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
        timeout=300,
    )
    for contender in ("parse floor", "load_pagerduty", "pandas"):
        assert contender in out.stdout


def test_people_are_everyone_the_chains_name(chains: PagerDutyData) -> None:
    assert chains.people["name"].to_list() == [
        "Alice Moreau",
        "Bob Okafor",
        "Carol Jensen",
        "Dan Whitfield",
        "Erin Castillo",
        "Frank Nakamura",
        "Gina Rossi",
        "Hank Lindqvist",
        "Ivy Chen",
    ]
    assert chains.people.row(0, named=True) == {
        "person_id": "pagerduty:Alice Moreau",
        "source": "pagerduty",
        "ref": "Alice Moreau",
        "name": "Alice Moreau",
        "display_names": ["Alice Moreau"],
        "emails": [],
        "aliases": [],
        "is_bot": False,
    }
    schema.validate("people", chains.people, extra=False)


def test_a_stray_byte_before_the_array_keeps_every_entry(tmp_path: Path) -> None:
    raw = b"\x00" + json.dumps({"log_entries": [_GOOD_ENTRY, {**_GOOD_ENTRY, "id": "R2"}]}).encode()
    (tmp_path / "log_entries.json").write_bytes(raw)
    data = load_pagerduty(tmp_path, progress=False)
    assert sorted(data.log_entries["entry_id"]) == ["R1", "R2"]
    assert data.rejected.select("record", "field").rows() == [(None, "log_entries")]


def test_a_truncated_log_entries_file_keeps_every_complete_entry(tmp_path: Path) -> None:
    """Issue 10: a cut ``log_entries.json`` used to lose all 62 entries; now only the cut one."""
    shutil.copyfile(SAMPLE / "incidents.json", tmp_path / "incidents.json")
    whole = (SAMPLE / "log_entries.json").read_bytes()
    cut = whole.find(b'"type": "', len(whole) // 2)  # inside an entry about half way
    (tmp_path / "log_entries.json").write_bytes(whole[:cut])
    full = load_pagerduty(SAMPLE, progress=False).log_entries
    data = load_pagerduty(tmp_path, progress=False)
    kept = data.log_entries.height
    assert 0 < kept < full.height
    in_file_order = [e["id"] for e in json.loads(whole)["log_entries"]]
    assert sorted(data.log_entries["entry_id"]) == sorted(in_file_order[:kept])
    (row,) = data.rejected.iter_rows(named=True)
    assert (row["file"], row["record"], row["field"]) == (str(tmp_path / "log_entries.json"), kept, None)
    assert row["reason"].startswith("truncated at byte ")
    assert f"the {kept} log entries before it were read" in row["reason"]


def test_a_bad_byte_is_read_as_the_replacement_character_with_a_note(tmp_path: Path) -> None:
    page = json.dumps(
        {"incidents": [{"id": "P1", "created_at": "2025-01-01T00:00:00Z", "title": "caf\u00e9"}]}
    )
    raw = page.encode().replace(b"\\u00e9", b"\xe9")
    (tmp_path / "incidents.json").write_bytes(raw)
    data = load_pagerduty(tmp_path, progress=False)
    assert data.rejected.height == 0
    assert data.pagerduty_incidents["title"].to_list() == ["caf\ufffd"]
    offset = raw.index(b"\xe9")
    assert f"{tmp_path / 'incidents.json'}: 1 byte not UTF-8 (at byte {offset}), read as U+FFFD" in data.notes
