"""Mitigations in the events: which ones completed, and which strategy each one is.

**Completed** (one definition for every source): an event of kind ``mitigation`` or
``rollback`` whose text reports it done — "Rollback completed", "Flag disabled",
"Failover complete", "Workaround applied", "Scale-up done", "Hotfix live" — and not a
decision, a start or work in progress ("Decision: roll back", "FAILOVER INITIATED",
"Deploying now", "Restarting consumers").

**Strategy**, after the seed's decision matrix: ``rollback``, ``failover``,
``feature_flag`` (flag off, kill switch, circuit breaker), ``rate_limit`` (the seed's
traffic shed: scale up, rate limit, shed or block traffic), ``hotfix``, ``other``
(restart, workaround, anything else); the strategy named first in the text wins, and a
``rollback`` event is a rollback.

Examples
--------
>>> import polars as pl
>>> df = pl.DataFrame({"kind": ["rollback", "mitigation", "mitigation"],
...                    "text": ["Rollback completed - v2.4 serving", "FAILOVER INITIATED", "Restarting & scaling up"]})
>>> df.select(done=completed(), strategy=strategy())["done"].to_list()
[True, False, False]
>>> df.select(strategy=strategy())["strategy"].to_list()
['rollback', 'failover', 'other']
"""

from __future__ import annotations

import polars as pl

__all__ = ["MITIGATION_KINDS", "STRATEGIES", "completed", "strategy"]

MITIGATION_KINDS = ("mitigation", "rollback")
"""Event kinds that are mitigations."""

STRATEGIES = ("rollback", "failover", "feature_flag", "rate_limit", "hotfix", "other", "none")
"""The strategies of the seed's decision matrix (``none``: no mitigation in the events)."""

_DONE = (
    r"(?i)\b(?:complete[ds]?|completed|done|finished|succeeded|successful(?:ly)?|live|in\s+place|applied|"
    r"restored|healthy|recovered|back\s+to|disabled|turned\s+off|switched\s+off|flipped|rolled\s+back|"
    r"reverted|failed\s+over|scaled\s+(?:up|out)|blocked|killed|drained|rebuilt|swapped|deployed|shipped|"
    r"mitigated)\b"
)
_NOT_YET = (
    r"(?i)\b(?:decision|decided|decide|initiat\w*|starting|started|in\s+progress|going\s+to|will|plan\w*|"
    r"propos\w*|eta|deploying|rolling\s+back|restarting|scaling|failing\s+over|ready|go\s+ahead|about\s+to|"
    r"attempt\w*|trying|pending|waiting|should|let's)\b"
)
_STRATEGY = {
    "rollback": r"(?i)\b(?:roll(?:ed|ing)?[\s-]?back|revert\w*)",
    "failover": r"(?i)\bfail(?:ed|ing)?[\s-]?over",
    "feature_flag": r"(?i)\b(?:feature[\s-]?flag|flag|kill[\s-]?switch|circuit[\s-]?breaker|disabl\w+\s+(?:the\s+)?feature)",
    "rate_limit": r"(?i)\b(?:scal(?:e|ed|ing)[\s-]?(?:up|out)|scal(?:e|ed|ing)\s+(?:\S+\s+)?to\s+\d+|replicas|rate[\s-]?limit\w*|shed\w*|throttl\w*|waf\b|block\w*)",
    "hotfix": r"(?i)\b(?:hot[\s-]?fix\w*|patch\w*)",
    "other": r"(?i)\b(?:restart\w*|workaround\w*|reboot\w*|kill\w*|flush\w*|clear\w*)",
}


def completed(text: pl.Expr | None = None) -> pl.Expr:
    """True where the event's text reports the mitigation done (module docs)."""
    t = (text if text is not None else pl.col("text")).fill_null("")
    return t.str.contains(_DONE) & ~t.str.contains(_NOT_YET)


def strategy(text: pl.Expr | None = None, kind: pl.Expr | None = None) -> pl.Expr:
    """The strategy of a mitigation event (module docs): the one its text names first."""
    t = (text if text is not None else pl.col("text")).fill_null("")
    k = kind if kind is not None else pl.col("kind")
    big = 1 << 30
    order = list(_STRATEGY)
    found = pl.concat_list(*(t.str.find(_STRATEGY[n]).fill_null(big) for n in order))
    first = found.list.arg_min()
    positions = found.list.min()
    named = pl.when(positions < big).then(
        first.replace_strict(dict(enumerate(order)), return_dtype=pl.String)
    )
    return pl.when(k == "rollback").then(pl.lit("rollback")).otherwise(named.fill_null("other"))
