"""Which messages each event rule can match at all, found for every rule in one pass.

Running every rule's regular expression over every war-room message costs one pass over
the text per rule, and a pass costs about the same whatever the rule. But nearly every
rule needs some word to match ("declared", "rollback", "/incident"):
:func:`required_literals` reads, from a pattern's parse tree, strings at least one of
which occurs in every match. :func:`matches` looks for all the rules' strings at once
(one Aho-Corasick pass), then runs each rule's pattern only on the messages holding one of
its strings. The result is exactly what running every pattern on every message gives: a
rule with no such strings (or matched case-insensitively) runs on every message.

Examples
--------
>>> sorted(required_literals(r"\\bsev[- ]?(?P<sev>[1-4])\\b[^\\n]{0,40}?\\bdeclared\\b"))
['declared']
>>> sorted(required_literals(r"\\b(?:roll(?:ed|ing)?\\s+back|revert(?:ed|ing))\\b"))
['back', 'evert']
>>> required_literals(r"(?i)resolved") is None
True
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

__all__ = ["matches", "required_literals"]

MIN_LENGTH = 3
"""Shorter required strings are not worth a prefilter ("/" or "to" occur everywhere)."""

_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}


def required_literals(pattern: str) -> frozenset[str] | None:
    """Strings (case-sensitive) one of which is in every match of ``pattern``; None if none found.

    Conservative: a pattern this cannot read (case-insensitive parts, back-references,
    anything unusual) gives None, and its rule is run on every message.
    """
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError):
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    found = _sequence(list(parsed))
    if not found or min(map(len, found)) < MIN_LENGTH:
        return None
    return frozenset(found)


def _better(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    """The more selective of two candidate sets: longer shortest string, then fewer strings."""
    if a is None:
        return b
    if b is None:
        return a
    return a if (min(map(len, a)), -len(a)) >= (min(map(len, b)), -len(b)) else b


def _sequence(items: Sequence[tuple[Any, Any]]) -> set[str] | None:
    """What a sequence of nodes requires: its longest literal run, or a required part's set."""
    best: set[str] | None = None
    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            best = _better(best, {"".join(run)})
            run = []
        if op is not None:
            best = _better(best, _node(op, av))
    return best


def _node(op: Any, av: Any) -> set[str] | None:
    """What one non-literal node requires, or None (it may match without any literal)."""
    if op is sre.SUBPATTERN:
        _, add_flags, _, body = av
        return None if add_flags & re.IGNORECASE else _sequence(list(body))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(av))
    if op in _REPEATS:
        low, _, body = av
        return _sequence(list(body)) if low >= 1 else None
    if op is sre.BRANCH:
        union: set[str] = set()
        for alternative in av[1]:
            need = _sequence(list(alternative))
            if need is None:
                return None
            union |= need
        return union
    return None


def matches(
    frame: pl.DataFrame, patterns: Mapping[str, tuple[str, str, frozenset[str] | None]]
) -> pl.DataFrame:
    """One boolean column per pattern: does it match the text in its column (null text: "")?

    ``patterns`` maps an output name to ``(text column, pattern for polars, required
    strings or None)``. The required strings of all patterns on one column are found in
    one pass (a bit per pattern in one integer per row); each pattern then runs only on
    the rows holding one of its strings. The patterns run as one batch of polars
    queries, in parallel.
    """
    n = frame.height
    literal: dict[str, list[str]] = {}
    for name, (column, _, needs) in patterns.items():
        if needs:
            literal.setdefault(column, []).append(name)
    texts = {column: pl.col(column).fill_null("") for column, _, _ in patterns.values()}
    masks: dict[str, pl.Expr] = {}
    bit: dict[str, tuple[str, int]] = {}
    for column, names in literal.items():
        for start in range(0, len(names), _BITS):
            group = names[start : start + _BITS]
            key = f"_mask_{column}_{start}"
            masks[key] = _mask(texts[column], [patterns[name][2] or frozenset() for name in group])
            bit.update({name: (key, 1 << k) for k, name in enumerate(group)})
    base = frame.lazy().select(*texts.values(), **masks).with_row_index("_row")
    queries = []
    for name, (column, pattern, _) in patterns.items():
        if name in bit:
            key, mask = bit[name]
            rows = base.filter((pl.col(key) & mask) != 0)
        else:
            rows = base
        queries.append(rows.select("_row", _hit=pl.col(column).str.contains(pattern)))
    out = []
    for name, hits in zip(patterns, pl.collect_all(queries) if queries else [], strict=True):
        flag = pl.repeat(False, n, dtype=pl.Boolean, eager=True).alias(name)
        if hits.height:
            flag.scatter(hits["_row"], hits["_hit"])
        out.append(flag)
    return pl.DataFrame(out)


_BITS = 63
"""Patterns per pass: one bit each in an Int64."""


def _mask(text: pl.Expr, needs: Sequence[frozenset[str]]) -> pl.Expr:
    """Per row, the bits ``1 << k`` of the patterns ``k`` one of whose strings the text holds."""
    bits: dict[str, int] = {}
    for k, strings in enumerate(needs):
        for lit in strings:
            bits[lit] = bits.get(lit, 0) | (1 << k)
    return (
        text.str.extract_many(sorted(bits), overlapping=True)
        .list.eval(pl.element().replace_strict(bits, return_dtype=pl.Int64).bitwise_or())
        .list.first()
        .fill_null(0)
    )
