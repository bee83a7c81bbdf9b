"""Ginibre spectra against exact results and large-k limits."""

from fractions import Fraction

import numpy as np
import pytest

from eigeninit.circular_law import measure_sizes
from eigeninit.stats import mean_ci95
from eigeninit.theory import (
    asymptotic_real_eigenvalues,
    disk_uniformity,
    expected_real_eigenvalues,
)


def ensemble(seed: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(seed)


def double_factorial(n: int) -> int:
    """n!! with (-1)!! = 0!! = 1."""
    return 1 if n <= 0 else n * double_factorial(n - 2)


def exact_real_eigenvalues(k: int) -> float:
    """Edelman-Kostlan-Shub in exact rationals: E = base + sqrt(2) * rational_sum."""
    if k % 2 == 0:
        base = 0
        terms = [
            Fraction(double_factorial(4 * j - 1), double_factorial(4 * j))
            for j in range(k // 2)
        ]
    else:
        base = 1
        terms = [
            Fraction(double_factorial(4 * j - 3), double_factorial(4 * j - 2))
            for j in range(1, (k - 1) // 2 + 1)
        ]
    return base + np.sqrt(2) * float(sum(terms, Fraction(0)))


def test_expected_real_eigenvalues_known_values() -> None:
    assert expected_real_eigenvalues(1) == pytest.approx(1.0, abs=1e-14)
    assert expected_real_eigenvalues(2) == pytest.approx(np.sqrt(2), abs=1e-14)
    assert expected_real_eigenvalues(3) == pytest.approx(1 + np.sqrt(2) / 2, abs=1e-14)
    assert expected_real_eigenvalues(4) == pytest.approx(np.sqrt(2) * 11 / 8, abs=1e-14)


@pytest.mark.parametrize("k", range(1, 61))
def test_expected_real_eigenvalues_matches_exact_double_factorials(k: int) -> None:
    assert expected_real_eigenvalues(k) == pytest.approx(
        exact_real_eigenvalues(k), rel=1e-12
    )


def test_expected_real_eigenvalues_asymptote_without_overflow() -> None:
    """E - sqrt(2k/pi) -> 1/2; the correction is O(1/sqrt(k))."""
    for k in (1024, 1025, 100_000):
        excess = expected_real_eigenvalues(k) - asymptotic_real_eigenvalues(k)
        assert excess == pytest.approx(0.5, abs=0.02)


def test_real_count_matches_monte_carlo_at_k16() -> None:
    """4000 matrices: the EKS value lies in the 95% CI widened by 0.05."""
    counts = measure_sizes(16, ensemble(0), range(4000)).real_eigenvalue_count
    _, lo, hi = mean_ci95(counts)
    assert lo - 0.05 <= expected_real_eigenvalues(16) <= hi + 0.05


def test_real_eigenvalues_are_exactly_real_and_complex_ones_pair_up() -> None:
    measurement = measure_sizes(9, ensemble(1), range(200))
    eigenvalues = measurement.eigenvalues
    assert eigenvalues.shape == (200, 9) and eigenvalues.dtype == np.complex128
    assert np.all((9 - measurement.real_eigenvalue_count) % 2 == 0)
    complex_ones = eigenvalues[eigenvalues.imag != 0]
    np.testing.assert_array_equal(
        np.sort_complex(complex_ones), np.sort_complex(complex_ones.conj())
    )


def test_dominant_real_probability_at_k2_is_one_over_sqrt2() -> None:
    """A 2x2 Gaussian matrix has real eigenvalues with probability 1/sqrt(2)
    (Edelman 1997), and then its dominant eigenvalue is real. 20000 draws: the
    binomial sd is 0.0032; the interval is widened by 0.002."""
    dominant_is_real = measure_sizes(2, ensemble(2), range(20000)).dominant_is_real
    _, lo, hi = mean_ci95(dominant_is_real.astype(float))
    assert lo - 0.002 <= 1 / np.sqrt(2) <= hi + 0.002


def test_dominant_real_fraction_at_k5() -> None:
    """Reference 0.5706 +- 0.0016 from 4e5 matrices; 20000 draws have sd 0.0035."""
    dominant_is_real = measure_sizes(5, ensemble(3), range(20000)).dominant_is_real
    _, lo, hi = mean_ci95(dominant_is_real.astype(float))
    assert lo - 0.005 <= 0.5706 <= hi + 0.005


def test_edge_ratios_approach_their_limits() -> None:
    """sigma_max/sqrt(k) increases toward 2 and, past its small-k peak, rho/sqrt(k)
    decreases toward 1 over k = 16, 64, 256.

    E rho/sqrt(k) is not monotone: it rises from E|g| = 0.80 at k = 1 to about
    1.068 near k = 16-32 and then falls slowly (1.056 at 64, 1.038 at 256, 1.024
    at 1024). The standard errors here are about 0.002, 0.0035 and 0.004, below
    the gaps of 0.012 and 0.018.
    """
    measurements = [
        measure_sizes(k, ensemble(k), range(seeds))
        for k, seeds in ((16, 2000), (64, 200), (256, 24))
    ]
    radius = [(m.spectral_radius / np.sqrt(m.k)).mean() for m in measurements]
    sigma = [(m.sigma_max / np.sqrt(m.k)).mean() for m in measurements]
    assert radius[0] > radius[1] > radius[2] > 1.0
    assert radius[2] - 1 < 0.06
    assert sigma[0] < sigma[1] < sigma[2] < 2.0
    assert abs(sigma[2] - 2) < 0.05


def test_measurements_match_direct_linear_algebra() -> None:
    measurement = measure_sizes(7, ensemble(4), range(5))
    # Matrix i is drawn from the i-th child that SeedSequence.spawn gives.
    matrices = np.stack(
        [
            np.random.default_rng(child).standard_normal((7, 7))
            for child in ensemble(4).spawn(5)
        ]
    )
    np.testing.assert_allclose(
        measurement.spectral_radius, np.abs(np.linalg.eigvals(matrices)).max(axis=-1)
    )
    np.testing.assert_allclose(
        measurement.sigma_max, np.linalg.norm(matrices, ord=2, axis=(1, 2))
    )
    np.testing.assert_allclose(measurement.eigenvalues, np.linalg.eigvals(matrices))


def test_a_range_of_matrices_measures_what_the_whole_ensemble_does(
    monkeypatch,
) -> None:
    """With batches of 4 matrices, 40 matrices take ten batches and matrices 13
    to 39 seven, cut elsewhere; the job measuring only those gets the same
    numbers bit for bit."""
    monkeypatch.setattr("eigeninit.initializers.CHUNK_BYTES", 4 * 8 * 12 * 12)
    whole = measure_sizes(12, ensemble(5), range(40))
    part = measure_sizes(12, ensemble(5), range(13, 40))
    np.testing.assert_array_equal(whole.eigenvalues[13:], part.eigenvalues)
    np.testing.assert_array_equal(whole.sigma_max[13:], part.sigma_max)
    np.testing.assert_array_equal(
        whole.real_eigenvalue_count[13:], part.real_eigenvalue_count
    )


def test_size_one() -> None:
    measurement = measure_sizes(1, ensemble(6), range(6))
    np.testing.assert_allclose(
        measurement.spectral_radius,
        [
            abs(np.random.default_rng(child).standard_normal())
            for child in ensemble(6).spawn(6)
        ],
    )
    assert np.all(measurement.real_eigenvalue_count == 1)
    assert np.all(measurement.dominant_is_real)


def test_disk_uniformity() -> None:
    """At k = 256 the pooled |lambda|^2/k are close to uniform (KS distance
    ~0.03, from the blurred edge), while shrinking the disk is rejected."""
    eigenvalues = measure_sizes(256, ensemble(7), range(8)).eigenvalues
    assert disk_uniformity(eigenvalues, 256).statistic < 0.05
    assert disk_uniformity(0.8 * eigenvalues, 256).pvalue < 1e-6
