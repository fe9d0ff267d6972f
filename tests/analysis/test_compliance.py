"""Every rule of the practice, kept and broken, on one hand-made incident."""

from __future__ import annotations

import polars as pl
import pytest

from tests.analysis.practice import practice, t
from toolkit.analysis import compliance
from toolkit.analysis.compliance import RULES


def verdicts(**changes: object) -> dict[str, bool | None]:
    return dict(compliance(practice(**changes)).select("rule", "passed").iter_rows())


def test_the_good_incident_keeps_every_rule():
    assert verdicts() == dict.fromkeys(RULES, True)


BROKEN = [
    ("acknowledged_in_time", {"ack": t(10, 45)}),
    ("declared_in_time", {"declared": t(10, 40)}),
    ("internal_cadence", {"updates": [], "promise": None}),
    ("public_cadence", {"public": [t(10, 10)]}),
    ("promises_kept", {"updates": [t(10, 35), t(11, 15)]}),
    ("severity_matches", {"users_pct": 30.0}),
    ("mitigation_stable", {"mitigated": t(11, 20)}),
    ("root_cause_recorded", {"root_cause": False}),
    ("postmortem_on_time", {"postmortem_at": t(12, 0, day=5)}),
    ("review_done", {"items": [("pending", None)], "later": t(9, 0, day=15, month=4)}),
]


@pytest.mark.parametrize(("rule", "change"), BROKEN, ids=[r for r, _ in BROKEN])
def test_each_rule_breaks_alone(rule, change):
    got = verdicts(**change)
    assert got[rule] is False
    assert {r for r, ok in got.items() if ok is False} == {rule}


def test_details_name_the_figures():
    rows = compliance(practice(users_pct=30.0, updates=[])).filter(
        pl.col("rule").is_in(["severity_matches", "internal_cadence"])
    )
    got = dict(rows.select("rule", "detail").iter_rows())
    assert got["severity_matches"] == "declared SEV2, final SEV2, tree SEV1: users affected 30% >= 25%"
    assert got["internal_cadence"] == "0 of 1 gaps within; longest silence 85.0 min"


def test_rules_that_cannot_be_judged_are_null():
    open_incident = practice(resolved=None, public_resolved=None)
    got = dict(compliance(open_incident).select("rule", "passed").iter_rows())
    assert got["mitigation_stable"] is None
    assert got["postmortem_on_time"] is None
    assert got["review_done"] is None
    assert open_incident.incidents["status"].to_list() == ["mitigated"]
