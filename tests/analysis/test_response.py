"""Response time per severity, immediate measured as the policy's five minutes."""

from __future__ import annotations

import polars as pl

from tests.analysis.practice import practice, t
from toolkit.analysis import response_times
from toolkit.analysis.response import response_limits
from toolkit.policy import Policy


def test_limits_per_severity():
    assert response_limits(Policy.default()) == {"SEV1": 5, "SEV2": 30, "SEV3": 120, "SEV4": None}


def test_the_sample(sample):
    got = {r["incident_id"]: r for r in response_times(sample).iter_rows(named=True)}
    pay, auth = got["INC-2025-01-15-payment"], got["INC-2025-01-23-auth"]
    assert (pay["acknowledged_in_time"], pay["declared_in_time"]) == (True, True)
    assert (round(auth["time_to_acknowledge_min"] * 60), auth["acknowledged_in_time"]) == (1007, False)
    assert got["INC-2025-02-04-admin-console"]["acknowledged_in_time"] is None  # SEV4: best effort


def test_a_late_acknowledgement():
    row = response_times(practice(ack=t(10, 31))).row(0, named=True)
    assert (row["limit_min"], row["time_to_acknowledge_min"], row["acknowledged_in_time"]) == (
        30,
        31.0,
        False,
    )
    assert response_times(practice()).filter(pl.col("declared_in_time"))["incident_id"].len() == 1
