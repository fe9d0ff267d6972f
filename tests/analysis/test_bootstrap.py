"""The bootstrap draws: the median's exact order-statistic draws match brute-force resampling."""

from __future__ import annotations

import numpy as np

from toolkit.analysis.bootstrap import EXACT_MEAN_MAX, mean_ci, median_ci, rng_for


def _brute_median_draws(x: np.ndarray, n_draws: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.median(x[rng.integers(0, len(x), size=(n_draws, len(x)))], axis=1)


def test_order_statistic_medians_have_the_resampling_distribution():
    x = np.array([1.0, 2.0, 4.0, 8.0, 16.0, 32.0])  # even n: the average of two order statistics
    brute = _brute_median_draws(x, 40_000, seed=1)
    lo, hi = median_ci(x, seed=1, resamples=40_000, level=0.5)
    assert (lo, hi) == tuple(float(v) for v in np.percentile(brute, [25, 75]))


def test_odd_samples_too():
    x = np.arange(1.0, 8.0)
    brute = _brute_median_draws(x, 40_000, seed=2)
    assert median_ci(x, seed=2, resamples=40_000, level=0.8) == tuple(
        float(v) for v in np.percentile(brute, [10, 90])
    )


def test_the_mean_is_resampled_and_its_normal_limit_used_for_large_samples():
    x = np.linspace(0, 100, 101)
    lo, hi = mean_ci(x, seed=0)
    assert 42 < lo < 50 < hi < 58
    big = np.tile(x, EXACT_MEAN_MAX // 100 + 1)
    lo, hi = mean_ci(big, seed=0)
    assert abs((lo + hi) / 2 - 50) < 0.5
    assert hi - lo < 3


def test_the_same_key_gives_the_same_numbers():
    assert rng_for(0, "SEV1").random() == rng_for(0, "SEV1").random() != rng_for(0, "SEV2").random()
