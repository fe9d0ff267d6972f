"""The contributing-factor taxonomy of 5-Whys nodes: categories and their keyword rules.

The taxonomy is the ``[whys]`` table of the policy TOML (``data/policy.toml`` ships the
defaults: testing, monitoring/alerting, deployment/change, capacity, dependency,
configuration, code review, process/communication, human factors)::

    [whys]
    max_depth = 10                  # deepest allowed why (the first why has depth 1)
    min_depth = 1                   # shallowest acceptable deepest why

    [whys.factors.testing]          # one table per category, in tie-break order
    label = "Testing"
    keywords = ["test*", "happy path", "qa"]

Rule: a text's factor is the category whose keywords occur most often in it; ties go to
the category listed first; no occurrence gives no factor. Keywords are case-insensitive
whole words or phrases, and a trailing ``*`` matches any word ending (``deploy*`` matches
"deploys" and "deployment"). A node is classified on its answer, else on its question.

Examples
--------
>>> tax = Taxonomy.from_policy()
>>> tax.classify("Load tests didn't simulate error scenarios (only happy path).")
'testing'
>>> tax.label("change")
'Deployment / change'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import polars as pl

from toolkit.errors import PolicyError
from toolkit.policy import Policy

__all__ = ["Factor", "Taxonomy", "WhysRules"]

_ID_RX = re.compile(r"^[a-z][a-z0-9_]*$")
_RESERVED = {"auto", "none"}
_META = set(r"\.^$+?{}[]|()")


def _keyword_rx(keyword: str) -> str:
    """One keyword as a regex that Python's ``re`` and polars (Rust regex) read alike."""
    word = keyword.strip().lower()
    prefix = word.endswith("*")
    word = word.rstrip("*").strip()
    body = "".join(f"\\{ch}" if ch in _META or ch == "*" else ch for ch in word)
    body = re.sub(r"\s+", r"\\s+", body)
    return rf"\b{body}\w*" if prefix else rf"\b{body}\b"


@dataclass(frozen=True)
class Factor:
    """One contributing-factor category."""

    id: str
    label: str
    keywords: tuple[str, ...]

    @cached_property
    def pattern(self) -> str | None:
        """The category's regex (case-insensitive), or None when it has no keywords."""
        if not self.keywords:
            return None
        # longer keywords first so that a phrase wins over its first word
        parts = sorted((_keyword_rx(k) for k in self.keywords), key=len, reverse=True)
        return "(?i)(?:" + "|".join(parts) + ")"

    @cached_property
    def regex(self) -> re.Pattern[str] | None:
        """:attr:`pattern`, compiled."""
        return re.compile(self.pattern) if self.pattern else None


@dataclass(frozen=True)
class WhysRules:
    """The ``[whys]`` policy table, validated: depth limits and the factor taxonomy."""

    max_depth: int
    min_depth: int
    taxonomy: Taxonomy


@dataclass(frozen=True)
class Taxonomy:
    """Factor categories in tie-break order, with keyword classification."""

    factors: tuple[Factor, ...]

    @classmethod
    def from_policy(cls, policy: Policy | None = None) -> Taxonomy:
        """The taxonomy of ``policy``'s ``[whys]`` table (default: the shipped policy)."""
        return rules(policy).taxonomy

    @property
    def ids(self) -> tuple[str, ...]:
        """Category ids in order."""
        return tuple(f.id for f in self.factors)

    def label(self, factor_id: str | None) -> str:
        """A category's label ("(no factor)" for None; the id itself when unknown)."""
        if factor_id is None:
            return "(no factor)"
        for f in self.factors:
            if f.id == factor_id:
                return f.label
        return factor_id

    def scores(self, text: str | None) -> dict[str, int]:
        """Keyword occurrences per category in ``text``."""
        if not text:
            return {f.id: 0 for f in self.factors}
        return {f.id: len(f.regex.findall(text)) if f.regex else 0 for f in self.factors}

    def classify(self, text: str | None, *fallback: str | None) -> str | None:
        """The category of ``text`` (else of each ``fallback`` text in turn), or None.

        Examples
        --------
        >>> Taxonomy.from_policy().classify("Payment API returned 500 errors.") is None
        True
        """
        for candidate in (text, *fallback):
            scores = self.scores(candidate)
            best = max(scores.values(), default=0)
            if best > 0:
                return next(k for k, v in scores.items() if v == best)
        return None

    def classify_expr(self, text: pl.Expr) -> pl.Expr:
        """:meth:`classify` as a vectorised polars expression over a string column.

        Examples
        --------
        >>> df = pl.DataFrame({"t": ["Add error scenario to load tests", "Buy cake"]})
        >>> df.select(Taxonomy.from_policy().classify_expr(pl.col("t"))).to_series().to_list()
        ['testing', None]
        """
        scored = [(f.id, text.str.count_matches(f.pattern).fill_null(0)) for f in self.factors if f.pattern]
        if not scored:
            return pl.lit(None, pl.String)
        best = pl.max_horizontal([s for _, s in scored])
        expr: Any = pl.when(best == 0).then(pl.lit(None, pl.String))
        for fid, s in scored:
            expr = expr.when(s == best).then(pl.lit(fid))
        result: pl.Expr = expr.otherwise(pl.lit(None, pl.String))
        return result


def rules(policy: Policy | None = None) -> WhysRules:
    """The validated ``[whys]`` table of ``policy`` (the shipped one when absent).

    Raises
    ------
    PolicyError
        Unknown keys, bad depth limits, bad category ids, labels or keywords.
    """
    policy = policy or Policy.default()
    raw = policy.section("whys") or Policy.default().section("whys")
    key = (id(raw), policy.source)
    hit = _RULES_CACHE.get(key)
    if hit is None or hit[0] is not raw:
        if len(_RULES_CACHE) > 32:
            _RULES_CACHE.clear()
        hit = _RULES_CACHE[key] = (raw, _build(raw, policy.source))
    return hit[1]


_RULES_CACHE: dict[tuple[int, str], tuple[Mapping[str, Any], WhysRules]] = {}
"""Validated rules per policy table (the table is kept, so its id stays its own)."""


def _build(raw: Mapping[str, Any], src: str) -> WhysRules:
    for key in raw:
        if key not in ("max_depth", "min_depth", "factors"):
            raise PolicyError(
                src, f"whys.{key}", "unknown key; expected one of factors, max_depth, min_depth"
            )
    depths = {}
    for key, default in (("max_depth", 10), ("min_depth", 1)):
        value = raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise PolicyError(src, f"whys.{key}", f"expected a whole number >= 1, got {value!r}")
        depths[key] = value
    if depths["min_depth"] > depths["max_depth"]:
        raise PolicyError(
            src, "whys.min_depth", f"{depths['min_depth']} is above max_depth {depths['max_depth']}"
        )
    table = raw.get("factors", {})
    if not isinstance(table, Mapping):
        raise PolicyError(src, "whys.factors", f"expected a table of categories, got {type(table).__name__}")
    factors = []
    for fid, spec in table.items():
        key = f"whys.factors.{fid}"
        if not _ID_RX.match(fid) or fid in _RESERVED:
            raise PolicyError(
                src, key, "category ids are lower_snake_case words other than 'auto' and 'none'"
            )
        if not isinstance(spec, Mapping):
            raise PolicyError(
                src, key, f"expected a table with label and keywords, got {type(spec).__name__}"
            )
        for k in spec:
            if k not in ("label", "keywords"):
                raise PolicyError(src, f"{key}.{k}", "unknown key; expected label or keywords")
        label = spec.get("label", fid.replace("_", " ").capitalize())
        if not isinstance(label, str) or not label.strip():
            raise PolicyError(src, f"{key}.label", f"expected a non-empty string, got {label!r}")
        words = spec.get("keywords", [])
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip("* ") for w in words):
            raise PolicyError(src, f"{key}.keywords", f"expected a list of non-empty strings, got {words!r}")
        factors.append(Factor(fid, label, tuple(words)))
    return WhysRules(depths["max_depth"], depths["min_depth"], Taxonomy(tuple(factors)))
