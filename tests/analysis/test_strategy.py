"""Mitigation strategy per incident (the seed's decision matrix) and time to mitigate per strategy."""

from __future__ import annotations

import polars as pl

from toolkit.analysis import mitigation_strategies, time_to_mitigate_by_strategy
from toolkit.samplegen import SCENARIO

MATRIX = {"scale_up": "rate_limit", "restart": "other", "workaround": "other", None: "none"}
"""The scenario's finer labels in the seed's matrix."""


def test_the_sample_strategies_are_the_scenarios(sample):
    got = dict(mitigation_strategies(sample).select("incident_id", "mitigation_strategy").iter_rows())
    want = {i.incident_id: MATRIX.get(i.mitigation, i.mitigation) for i in SCENARIO}
    # the admin console's fix ("killed it") is only in its resolution message: no mitigation event
    assert {k: v for k, v in got.items() if v != want[k]} == {"INC-2025-02-04-admin-console": "none"}


def test_time_to_mitigate_per_strategy(sample):
    rows = time_to_mitigate_by_strategy(sample).filter(pl.col("mitigation_strategy") == "rollback")
    assert rows.select("n", pl.col("median_min").round(2)).row(0) == (2, 27.42)
