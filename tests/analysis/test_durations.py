"""Durations between milestones: the sample's payment outage, open incidents."""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from tests.analysis.practice import practice
from toolkit import durations
from toolkit.analysis.fmt import human_duration


def test_the_payment_outage_lasts_2h_15m(sample):
    row = durations(sample).filter(pl.col("incident_id") == "INC-2025-01-15-payment").row(0, named=True)
    assert human_duration(row["time_to_resolve"]) == "2h 15m"
    assert row["time_to_resolve"] // timedelta(seconds=1) == 8100  # 10:00 -> 12:15 PST, to the second
    assert human_duration(row["time_to_declare"]) == "4m 53s"  # declared 10:05, alert at 10:00:07
    assert round(row["time_to_declare"] / timedelta(minutes=1)) == 5
    assert human_duration(row["time_to_mitigate"]) == "23m 20s"  # rollback completed 10:23:20
    assert (row["month"], row["is_open"]) == ("2025-01", False)


def test_an_open_incident_has_no_resolution_and_is_observed_until_as_of(sample):
    row = durations(sample).filter(pl.col("incident_id") == "INC-2025-02-19-sso").row(0, named=True)
    assert row["is_open"] is True
    assert row["time_to_resolve"] is None
    assert row["observed"] == sample.as_of - row["started_at"]


def test_public_comms_lag_is_the_first_public_update_after_detection():
    row = durations(practice()).row(0, named=True)
    assert row["public_comms_lag"] == timedelta(minutes=10)
    assert row["time_to_acknowledge"] == timedelta(minutes=2)
