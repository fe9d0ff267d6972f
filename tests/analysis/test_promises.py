"""Promised updates: kept within the grace, missed with late_min, pending while not yet due."""

from __future__ import annotations

import polars as pl
import pytest

from tests.analysis.practice import practice, t
from toolkit import promises
from toolkit.policy import Policy
from toolkit.samplegen import SCENARIO


def test_the_payment_outage_kept_every_promise(sample):
    rows = promises(sample).filter(pl.col("incident_id") == "INC-2025-01-15-payment")
    assert rows["kept"].to_list() == [True] * 6
    assert rows["late_min"].to_list() == [0.0, 0.0, 1.0, 0.0, 0.0, 0.0]  # UPDATE #4 came at 10:46, due 10:45


def test_every_sample_promise_is_the_scenarios(sample):
    got = {
        (r["incident_id"], r["due_at"].replace(microsecond=0)): r
        for r in promises(sample).iter_rows(named=True)
    }
    for truth in SCENARIO:
        for p in truth.promises:
            row = got[(truth.incident_id, p.due_at)]
            assert (row["kept"], row["late_min"]) == (p.kept, p.late_min), (truth.incident_id, p.due_at)


@pytest.mark.parametrize(
    ("answer", "grace", "status", "late"),
    [
        (t(11, 5), 5, "kept", 0.0),
        (t(11, 9), 5, "kept", 4.0),
        (t(11, 11), 5, "missed", 6.0),
        (t(11, 11), 10, "kept", 6.0),
    ],
    ids=["on-time", "within-grace", "late", "a-longer-grace"],
)
def test_the_grace(answer, grace, status, late):
    tl = practice(updates=[t(10, 35), answer])
    row = promises(tl, policy=Policy.default().replace(promise_grace_minutes=grace)).row(0, named=True)
    assert (row["status"], row["late_min"]) == (status, late)


def test_the_resolution_answers_a_promise():
    row = promises(practice(updates=[t(10, 35)], resolved=t(11, 2))).row(0, named=True)
    assert (row["answered_at"], row["status"]) == (t(11, 2), "kept")


def test_an_open_incident_is_pending_then_missed():
    pending = practice(
        updates=[t(10, 35)], resolved=None, public_resolved=None, postmortem_at=None, later=t(11, 8)
    )
    assert promises(pending).select("status", "kept", "late_min").row(0) == ("pending", None, None)
    missed = practice(
        updates=[t(10, 35)], resolved=None, public_resolved=None, postmortem_at=None, later=t(11, 20)
    )
    assert promises(missed).select("status", "kept", "late_min").row(0) == ("missed", False, 15.0)
