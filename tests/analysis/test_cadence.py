"""Cadence: the sample's payment outage kept every 15-minute internal update; silences counted."""

from __future__ import annotations

import polars as pl
import pytest

from tests.analysis.practice import practice, t
from toolkit import cadence
from toolkit.samplegen import SCENARIO


def test_the_payment_outage_cadence(sample):
    got = {
        r["audience"]: r
        for r in cadence(sample)
        .filter(pl.col("incident_id") == "INC-2025-01-15-payment")
        .iter_rows(named=True)
    }
    internal, public = got["internal"], got["public"]
    assert internal["gaps_min"] == [10.0, 15.0, 16.0, 29.0, 30.0, 30.0]
    assert (internal["compliance"], internal["longest_silence_min"], internal["limit_min"]) == (1.0, 30.0, 30)
    assert public["gaps_min"] == [7.0, 15.0, 15.0, 90.0]
    assert (public["compliance"], public["longest_silence_min"]) == (0.75, 90.0)


def test_every_sample_cadence_is_the_scenarios(sample):
    got = {(r["incident_id"], r["audience"]): r["gaps_min"] for r in cadence(sample).iter_rows(named=True)}
    for truth in SCENARIO:
        if truth.cadence is None:
            continue
        near = lambda gaps: pytest.approx(list(gaps), abs=0.05)  # noqa: E731 - the scenario writes 0.1 min
        assert got[(truth.incident_id, "internal")] == near(truth.cadence.internal_gaps_min), (
            truth.incident_id
        )
        if truth.cadence.public_gaps_min:
            public = got[(truth.incident_id, "public")]
            if truth.is_open:  # the scenario stops at the last update; the silence since counts here
                public = public[:-1]
            assert public == near(truth.cadence.public_gaps_min), truth.incident_id


def test_the_silence_before_the_resolution_counts():
    row = (
        cadence(practice(updates=[t(10, 35)], promise=None))
        .filter(pl.col("audience") == "internal")
        .row(0, named=True)
    )
    assert row["gaps_min"] == [30.0, 55.0]
    assert row["compliance"] == 1.0


def test_an_open_incident_is_silent_until_as_of():
    tl = practice(resolved=None, public_resolved=None, postmortem_at=None, later=t(14, 0))
    row = cadence(tl).filter(pl.col("audience") == "internal").row(0, named=True)
    assert row["is_open"] is True
    assert row["gaps_min"] == [30.0, 30.0, 175.0]
    assert row["longest_silence_min"] == 175.0


def test_sev4_has_no_cadence(sample):
    row = (
        cadence(sample)
        .filter(
            (pl.col("incident_id") == "INC-2025-02-04-admin-console") & (pl.col("audience") == "internal")
        )
        .row(0, named=True)
    )
    assert (row["gaps_min"], row["limit_min"], row["compliance"]) == ([105.0], None, None)
