"""Seeded bootstrap intervals of the median and the mean, cheap at any size.

The median of a resample of ``n`` values is drawn exactly, without building the resample:
a resample is ``x[ceil(n U)]`` for uniform ``U``, so its k-th order statistic is
``x_(ceil(n U_(k)))`` with ``U_(k) ~ Beta(k, n - k + 1)``, and for an even ``n`` the next
one follows as ``U_(k) + (1 - U_(k)) Beta(1, n - k)``. The mean is resampled outright up
to :data:`EXACT_MEAN_MAX` values; above that its resampled means are drawn from their
normal limit ``N(mean, s^2 / n)`` (``s`` with divisor ``n``, the bootstrap's own variance).

Examples
--------
>>> import numpy as np
>>> lo, hi = median_ci(np.array([1.0, 2, 3, 4, 100]), seed=0)
>>> bool(lo <= 3 <= hi)
True
"""

from __future__ import annotations

import zlib

import numpy as np

__all__ = ["EXACT_MEAN_MAX", "RESAMPLES", "mean_ci", "median_ci", "rng_for"]

RESAMPLES = 2000
"""Bootstrap resamples per interval."""

EXACT_MEAN_MAX = 2000
"""Largest sample whose mean is resampled outright (see the module docs)."""


def rng_for(seed: int, *key: object) -> np.random.Generator:
    """A generator for one interval: the same ``seed`` and ``key`` give the same numbers,
    whatever else is computed in the same call."""
    return np.random.default_rng([seed, zlib.crc32(repr(key).encode())])


def _interval(draws: np.ndarray, level: float) -> tuple[float, float]:
    tail = (1 - level) / 2 * 100
    lo, hi = np.percentile(draws, [tail, 100 - tail])
    return float(lo), float(hi)


def median_ci(
    values: np.ndarray,
    *,
    seed: int = 0,
    key: tuple[object, ...] = (),
    level: float = 0.95,
    resamples: int = RESAMPLES,
) -> tuple[float, float] | None:
    """Bootstrap interval of the median of ``values`` (None for fewer than 2 values)."""
    n = len(values)
    if n < 2:
        return None
    x = np.sort(values)
    rng = rng_for(seed, "median", *key)
    k = (n + 1) // 2
    u = rng.beta(k, n - k + 1, size=resamples)
    lo = x[np.clip(np.ceil(n * u).astype(np.int64), 1, n) - 1]
    if n % 2:
        return _interval(lo, level)
    u2 = u + (1 - u) * rng.beta(1, n - k, size=resamples)
    hi = x[np.clip(np.ceil(n * u2).astype(np.int64), 1, n) - 1]
    return _interval((lo + hi) / 2, level)


def mean_ci(
    values: np.ndarray,
    *,
    seed: int = 0,
    key: tuple[object, ...] = (),
    level: float = 0.95,
    resamples: int = RESAMPLES,
) -> tuple[float, float] | None:
    """Bootstrap interval of the mean of ``values`` (None for fewer than 2 values)."""
    n = len(values)
    if n < 2:
        return None
    rng = rng_for(seed, "mean", *key)
    if n > EXACT_MEAN_MAX:
        draws = values.mean() + values.std() / np.sqrt(n) * rng.standard_normal(resamples)
        return _interval(draws, level)
    chunk = max(1, 4_000_000 // n)
    means = np.empty(resamples)
    for start in range(0, resamples, chunk):
        stop = min(resamples, start + chunk)
        idx = rng.integers(0, n, size=(stop - start, n))
        means[start:stop] = values[idx].mean(axis=1)
    return _interval(means, level)
