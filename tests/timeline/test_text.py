"""Slugs and words of names."""

from __future__ import annotations

import polars as pl

from toolkit.timeline.text import slug, slug_expr, words, words_expr


def test_slug_and_words_agree_in_python_and_polars():
    df = pl.DataFrame({"t": ["Payment Service Outages", "  API--Gateway  "]})
    assert df.select(slug_expr(pl.col("t")))["t"].to_list() == [slug(t) for t in df["t"]]
    assert df.select(words_expr(pl.col("t")))["t"].to_list() == [
        ["payment", "service", "outage"],
        ["api", "gateway"],
    ]
    assert words("The incident of the payments") == frozenset({"payment"})
