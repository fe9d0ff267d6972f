"""Event rules run only where a word they need occurs: the same flags as running every rule everywhere."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.importers.slack.events import _rule_flags
from toolkit.importers.slack.prefilter import matches, required_literals
from toolkit.importers.slack.rules import SlackPolicy
from toolkit.policy import Policy

RULES = SlackPolicy.from_policy(Policy.default())

# id -> (pattern, the strings one of which every match holds, or None)
LITERALS: dict[str, tuple[str, set[str] | None]] = {
    "literal-run": (r"\bsev[- ]?(?P<sev>[1-4])\b[^\n]{0,40}?\bdeclared\b", {"declared"}),
    "alternation": (r"\b(?:marking|calling)\s+(?:it\s+)?resolved", {"resolved"}),
    "alternation-only": (r"(?:deployed|rolled out|released)\b", {"deployed", "rolled out", "released"}),
    "branch-without-literal": (r"(?:deployed|\d+)", None),
    "optional-part": (r"x(?:mitigated)?", None),
    "repeat-at-least-once": (r"(?:mitigated)+", {"mitigated"}),
    "case-insensitive": (r"(?i)resolved", None),
    "case-insensitive-group": (r"(?i:resolved) now", {" now"}),
    "too-short": (r"to\s+sev", {"sev"}),
    "nothing-long-enough": (r"\bto\b", None),
    "back-reference": (r"(ab)\1", None),
    "not-a-pattern": (r"(unclosed", None),
    "verbose": (r"(?x) status \s* page   # a comment", {"status"}),
}


@pytest.mark.parametrize("case", list(LITERALS), ids=list(LITERALS))
def test_required_literals(case: str) -> None:
    pattern, expected = LITERALS[case]
    got = required_literals(pattern)
    assert (set(got) if got is not None else None) == expected


def _plain(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        (
            pl.col("_low").str.contains(r.lowered)
            if r.lowered
            else pl.col("text").fill_null("").str.contains(r.fast)
        ).alias(f"_r{i}")
        for i, r in enumerate(RULES.rules)
    )


_words = st.sampled_from(
    [
        "SEV1",
        "sev-2",
        "declared",
        "Declaring",
        "/incident",
        "start",
        "update",
        "Next",
        "rolled",
        "back",
        "rollback",
        "failover",
        "feature",
        "flag",
        "off",
        "disabled",
        "scaled",
        "to",
        "20",
        "replicas",
        "hotfix",
        "deployed",
        "resolved",
        "RESOLVED",
        "incident",
        "is",
        "now",
        "reopened",
        "postmortem",
        "published",
        "status",
        "page",
        "->",
        "monitoring",
        "mitigated",
        "\n",
        "✅",
        "ſev",
        "the",
        "we'll",
        "in",
        "5",
        "10:30",
        "AM",
    ]
)
_text = st.lists(_words, max_size=12).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.one_of(st.none(), _text), max_size=30))
def test_rule_flags_are_those_of_every_rule_on_every_message(texts: list[str | None]) -> None:
    frame = pl.DataFrame({"text": texts}, schema={"text": pl.String}).with_columns(
        _low=pl.col("text").fill_null("").str.to_lowercase()
    )
    assert _rule_flags(frame, RULES).equals(_plain(frame))


def test_matches_without_strings_or_rows() -> None:
    frame = pl.DataFrame({"t": ["resolved", None, "x"]})
    got = matches(frame, {"a": ("t", "(?i)RESOLVED", None), "b": ("t", "resolved", frozenset({"resolved"}))})
    assert got.rows() == [(True, True), (False, False), (False, False)]
    empty = matches(frame.clear(), {"b": ("t", "resolved", frozenset({"resolved"}))})
    assert empty.height == 0
    assert empty.columns == ["b"]
