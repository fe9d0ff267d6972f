"""Kaplan–Meier: resolved by time, open incidents censored."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import pytest

from toolkit import durations, survival
from toolkit.errors import ArgumentError

M = timedelta(minutes=1)


def test_censoring_keeps_the_open_incident_at_risk_until_it_was_last_seen():
    d = pl.DataFrame(
        {
            "severity": ["SEV1"] * 4,
            "time_to_resolve": [10 * M, 30 * M, None, 40 * M],
            "observed": [10 * M, 30 * M, 20 * M, 40 * M],
            "is_open": [False, False, True, False],
        }
    )
    rows = (
        survival(d)
        .select("time_min", "n_at_risk", "n_events", "n_censored", pl.col("survival").round(4))
        .rows()
    )
    assert rows == [
        (0.0, 4, 0, 0, 1.0),
        (10.0, 4, 1, 0, 0.75),
        (20.0, 3, 0, 1, 0.75),
        (30.0, 2, 1, 0, 0.375),
        (40.0, 1, 1, 0, 0.0),
    ]


def test_by_group_and_the_sample(sample):
    curve = survival(durations(sample), by="severity")
    sev2 = curve.filter(pl.col("severity") == "SEV2")
    sso = durations(sample).filter(pl.col("incident_id") == "INC-2025-02-19-sso").row(0, named=True)
    censored = sev2.filter(pl.col("n_censored") > 0)
    assert censored.select("time_min", "n_censored", "n_events").rows() == [(sso["observed"] / M, 1, 0)]
    assert sev2["n_at_risk"].to_list()[0] == 5
    assert curve.filter(pl.col("severity") == "SEV1")["resolved"].max() == 1.0


def test_an_unknown_metric():
    with pytest.raises(ArgumentError, match="no duration 'time_to_lunch'"):
        survival(pl.DataFrame({"time_to_resolve": [M]}), "time_to_lunch")
