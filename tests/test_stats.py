"""Confidence intervals and the uniformity test on data with known answers."""

import json

import numpy as np
import pytest
from scipy import optimize

from eigeninit.stats import mean_ci95, proportion_ci95, summarize_samples


def test_mean_ci95_known_data() -> None:
    """1..5: mean 3, sd sqrt(2.5), t(0.975, 4) = 2.776445, half-width 1.963243."""
    mean, lo, hi = mean_ci95(np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
    assert mean == pytest.approx(3.0)
    half_width = 2.7764451051977987 * np.sqrt(2.5) / np.sqrt(5)
    assert lo == pytest.approx(3.0 - half_width, rel=1e-12)
    assert hi == pytest.approx(3.0 + half_width, rel=1e-12)


def test_mean_ci95_reduces_the_given_axis() -> None:
    samples = np.arange(12.0).reshape(3, 4)
    mean, lo, hi = mean_ci95(samples, axis=0)
    assert mean.shape == lo.shape == hi.shape == (4,)
    np.testing.assert_allclose(mean, [4.0, 5.0, 6.0, 7.0])
    np.testing.assert_allclose(hi - mean, mean - lo)


def test_mean_ci95_constant_samples_have_zero_width() -> None:
    mean, lo, hi = mean_ci95(np.full(6, 2.5))
    assert (mean, lo, hi) == (2.5, 2.5, 2.5)


def test_mean_ci95_single_sample_has_no_interval() -> None:
    mean, lo, hi = mean_ci95(np.array([4.0]))
    assert mean == 4.0
    assert np.isnan(lo) and np.isnan(hi)


def test_mean_ci95_covers_the_true_mean_95_percent_of_the_time() -> None:
    """4000 samples of size 8: coverage 0.95 has binomial sd 0.0034."""
    samples = np.random.default_rng(0).normal(1.0, 2.0, size=(4000, 8))
    _, lo, hi = mean_ci95(samples, axis=1)
    coverage = np.mean((lo <= 1.0) & (1.0 <= hi))
    assert coverage == pytest.approx(0.95, abs=0.015)


def test_summarize_samples_is_json_ready() -> None:
    summary = summarize_samples(np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert summary["mean"] == 2.5
    assert isinstance(summary["mean"], float)
    assert all(isinstance(bound, float) for bound in summary["ci95"])
    assert summary["ci95"][0] < 2.5 < summary["ci95"][1]
    json.dumps(summary)


def test_wilson_interval_inverts_the_score_test() -> None:
    """Its ends are the shares p at which |57/100 - p| = z sqrt(p (1 - p) / 100)."""
    z = 1.959963984540054

    def score_gap(p: float) -> float:
        return abs(0.57 - p) - z * np.sqrt(p * (1 - p) / 100)

    lo = optimize.brentq(score_gap, 0.3, 0.57)
    hi = optimize.brentq(score_gap, 0.57, 0.9)
    result = proportion_ci95(57, 100)
    assert result["mean"] == 0.57
    np.testing.assert_allclose(result["ci95"], [lo, hi], rtol=1e-10)
    # All successes: the interval stays inside [0, 1].
    lo, hi = proportion_ci95(20, 20)["ci95"]
    assert hi == pytest.approx(1.0) and 0.8 < lo < 0.85
