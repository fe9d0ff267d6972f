"""Words of names and titles: ASCII slugs, word sets for naming, normalised person names.

Examples
--------
>>> slug("Login & SSO (Auth) — Überblick")
'login-sso-auth-uberblick'
>>> sorted(words("Payment Service Outages"))
['outage', 'payment', 'service']
"""

from __future__ import annotations

import re
import unicodedata

import polars as pl

__all__ = ["STOP_WORDS", "slug", "slug_expr", "words", "words_expr"]

STOP_WORDS = frozenset({"incident", "inc", "the", "a", "an", "of", "and", "in", "on", "for", "to", "with"})
"""Words that say nothing about which incident a name means."""

_WORD = re.compile(r"[a-z0-9]+")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def slug(text: str | None) -> str:
    """Lower-case ASCII words of ``text`` joined by ``-`` (empty for None or no words)."""
    return "-".join(_WORD.findall(_ascii(text or "")))


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def words(text: str | None) -> frozenset[str]:
    """The words of ``text`` for naming matches: ASCII, lower case, plural ``s`` dropped, no stop words."""
    return frozenset(_stem(w) for w in _WORD.findall(_ascii(text or "")) if w not in STOP_WORDS)


def slug_expr(expr: pl.Expr) -> pl.Expr:
    """:func:`slug` over a string column (ASCII only: other letters are dropped, not transliterated)."""
    return expr.str.to_lowercase().str.replace_all(r"[^a-z0-9]+", "-").str.strip_chars("-").replace("", None)


def words_expr(expr: pl.Expr) -> pl.Expr:
    """:func:`words` over a string column, as a list of unique words (vectorised)."""
    w = pl.element()
    stem = pl.when((w.str.len_chars() > 3) & w.str.ends_with("s") & ~w.str.ends_with("ss")).then(
        w.str.slice(0, w.str.len_chars() - 1)
    )
    return (
        expr.str.to_lowercase()
        .str.extract_all(r"[a-z0-9]+")
        .list.eval(stem.otherwise(w))
        .list.eval(pl.element().filter(~pl.element().is_in(list(STOP_WORDS))))
        .list.unique(maintain_order=True)
    )
