"""Summaries per group: counts, open counts, median, p90, mean, seeded bootstrap intervals."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import pytest

from toolkit import durations, summarize
from toolkit.errors import ArgumentError

M = timedelta(minutes=1)


def frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "incident_id": list("abcdef"),
            "severity": ["SEV1", "SEV1", "SEV1", "SEV2", "SEV2", "SEV2"],
            "components": [["api"], ["api", "db"], ["db"], [], ["api"], ["db"]],
            "is_open": [False, False, True, False, False, False],
            "time_to_resolve": [30 * M, 90 * M, None, 10 * M, 20 * M, None],
        }
    )


def test_counts_median_p90_mean_per_severity():
    rows = (
        summarize(frame(), metrics=["time_to_resolve"])
        .select("severity", "n", "n_open", "n_missing", "median_min", "p90_min", "mean_min")
        .rows()
    )
    assert rows == [("SEV1", 2, 1, 0, 60.0, 84.0, 60.0), ("SEV2", 2, 0, 1, 15.0, 19.0, 15.0)]


def test_by_component_counts_an_incident_in_each_of_its_components():
    got = (
        summarize(frame(), "component", metrics=["time_to_resolve"]).select("component", "n", "n_open").rows()
    )
    assert got == [("api", 3, 0), ("db", 1, 1), (None, 1, 0)]


def test_intervals_are_seeded_and_contain_the_estimate(sample):
    d = durations(sample)
    a = summarize(d, seed=7)
    assert a.equals(summarize(d, seed=7))
    assert not a.equals(summarize(d, seed=8))
    sev2 = a.filter((pl.col("severity") == "SEV2") & (pl.col("metric") == "time_to_resolve")).row(
        0, named=True
    )
    lo, hi = sev2["median_ci"]
    assert lo <= sev2["median_min"] <= hi
    lo, hi = sev2["mean_ci"]
    assert lo <= sev2["mean_min"] <= hi


def test_the_sample_counts_its_open_incident(sample):
    got = summarize(durations(sample), None, metrics=["time_to_resolve"]).row(0, named=True)
    assert (got["n"], got["n_open"], got["n_missing"]) == (12, 1, 0)


def test_one_value_has_no_interval():
    one = frame().filter(pl.col("incident_id") == "a")
    row = summarize(one, metrics=["time_to_resolve"]).row(0, named=True)
    assert (row["median_min"], row["median_ci"], row["mean_ci"]) == (30.0, None, None)


def test_group_by_must_be_known():
    with pytest.raises(ArgumentError, match="cannot group by 'team'"):
        summarize(frame(), "team")
