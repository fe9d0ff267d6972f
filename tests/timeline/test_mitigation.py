"""Completed mitigations and strategies, after the seed's decision matrix."""

from __future__ import annotations

import polars as pl
import pytest

from toolkit.timeline.mitigation import completed, strategy

CASES = [
    ("rollback", "Rollback completed - v2.4 serving 100% of traffic.", True, "rollback"),
    ("rollback", "Decision: Rollback to v2.4. @bob go ahead", False, "rollback"),
    ("mitigation", "Flag disabled, checkout completion recovering", True, "feature_flag"),
    ("mitigation", "Decision: turn the feature flag off.", False, "feature_flag"),
    ("mitigation", "Failover complete - new primary healthy", True, "failover"),
    ("mitigation", "DATABASE FAILOVER INITIATED", False, "failover"),
    ("mitigation", "Scale-up done, p95 back to 450ms", True, "rate_limit"),
    ("mitigation", "Blocked the partner's account at the edge (WAF rule)", True, "rate_limit"),
    ("mitigation", "Hotfix live, EU delivery success 99.6%", True, "hotfix"),
    ("mitigation", "Hotfix ready: v3.8.2. Deploying now.", False, "hotfix"),
    ("mitigation", "Restarting consumers & scaling to 12 replicas", False, "other"),
    ("mitigation", "Workaround applied for all 3 tenants", True, "other"),
    ("mitigation", "Something else entirely", False, "other"),
]


@pytest.mark.parametrize(("kind", "text", "done", "strat"), CASES, ids=[c[1][:24] for c in CASES])
def test_completion_and_strategy(kind, text, done, strat):
    got = pl.DataFrame({"kind": [kind], "text": [text]}).select(done=completed(), strat=strategy()).row(0)
    assert got == (done, strat)
