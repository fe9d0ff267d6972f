"""The metrics bundle: the JSON shape of `incident-toolkit metrics --json`, and tables for people."""

from __future__ import annotations

from datetime import date

import orjson
import pytest

from toolkit import metrics
from toolkit.errors import ArgumentError

INCIDENT_KEYS = {
    "incident_id",
    "title",
    "severity",
    "computed_severity",
    "service",
    "status",
    "sources",
    "started_at",
    "detected_at",
    "acknowledged_at",
    "declared_at",
    "mitigated_at",
    "resolved_at",
    "postmortem_at",
    "time_to_detect_min",
    "time_to_acknowledge_min",
    "time_to_declare_min",
    "time_to_mitigate_min",
    "time_to_resolve_min",
    "public_comms_lag_min",
    "mitigation_strategy",
    "cadence",
    "promises",
}
SUMMARY_KEYS = {
    "severity",
    "metric",
    "n",
    "n_open",
    "n_missing",
    "median_min",
    "p90_min",
    "mean_min",
    "median_ci",
    "mean_ci",
}


def test_the_json_shape(sample):
    doc = orjson.loads(orjson.dumps(metrics(sample).to_dict()))
    assert set(doc) == {"definitions", "incidents", "summary"}
    pay = next(i for i in doc["incidents"] if i["incident_id"] == "INC-2025-01-15-payment")
    assert set(pay) == INCIDENT_KEYS
    assert pay["started_at"] == "2025-01-15T18:00:00Z"
    assert pay["resolved_at"] == "2025-01-15T20:15:00.077001Z"
    assert round(pay["time_to_resolve_min"], 3) == 135.001
    assert pay["mitigation_strategy"] == "rollback"
    assert set(pay["cadence"]) == {"internal", "public"}
    assert pay["cadence"]["internal"] == {
        "gaps_min": [10.0, 15.0, 16.0, 29.0, 30.0, 30.0],
        "compliance": 1.0,
        "longest_silence_min": 30.0,
    }
    assert pay["promises"][2] == {
        "promised_at": "2025-01-15T18:30:00.094237Z",
        "due_at": "2025-01-15T18:45:00Z",
        "kept": True,
        "late_min": 1.0,
    }
    sso = next(i for i in doc["incidents"] if i["incident_id"] == "INC-2025-02-19-sso")
    assert (sso["resolved_at"], sso["time_to_resolve_min"], sso["status"]) == (None, None, "mitigated")
    assert set(doc["summary"][0]) == SUMMARY_KEYS
    assert len(doc["summary"][0]["median_ci"]) == 2
    assert "time_to_resolve" in doc["definitions"]


def test_one_incident_by_any_of_its_ids(sample):
    m = metrics(sample, incident="PD-PZ4F9WB", group_by="month")
    assert m.incidents["incident_id"].to_list() == ["INC-2025-01-15-payment"]
    assert m.summary["month"].unique().to_list() == ["2025-01"]


def test_since_a_date_in_the_teams_zone(sample):
    got = metrics(sample, since=date(2025, 2, 13)).incidents["incident_id"].to_list()
    assert got == ["INC-2025-02-13-api-gateway", "INC-2025-02-18-checkout", "INC-2025-02-19-sso"]


def test_tables_for_people(sample):
    (title, heads, rows), summary, defs = metrics(sample, incident="INC-2025-01-15-payment").tables()
    assert title == "Incidents"
    row = dict(zip(heads, rows[0], strict=True))
    assert (row["started"], row["resolve"], row["declare"], row["mitigate"], row["promises kept"]) == (
        "2025-01-15 10:00 PST",
        "2h 15m",
        "4m 53s",
        "23m 20s",
        "6/6",
    )
    assert (summary[0], defs[0]) == ("Summary", "Definitions")


def test_an_unknown_incident():
    from toolkit.timeline import Timeline

    with pytest.raises(ArgumentError, match="--incident: no incident 'INC-x'"):
        metrics(Timeline.empty(), incident="INC-x")
