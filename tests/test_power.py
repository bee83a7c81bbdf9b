"""Power iteration measured against exact spectra."""

import numpy as np
import pytest

from eigeninit import power
from eigeninit.spectrum import COMPLEX_PAIR, REAL, analyze
from matrices import block_diagonal, rotation_scaling, similar

TOLERANCE = 1e-6


def measured(matrix, iterations=100, seed=1):
    start = np.random.default_rng(seed).standard_normal(matrix.shape[0])
    spectrum = analyze(matrix)
    return power.measure(matrix, start, iterations, spectrum.dominant_basis, TOLERANCE)


def test_norms_equal_the_naive_products():
    matrix = similar(np.diag([1.3, -0.9, 0.4]))
    start = np.array([0.3, -1.2, 2.0])
    run = power.iterate(matrix, start, 30)
    vector, naive = start, []
    for _ in range(30):
        naive.append(np.linalg.norm(vector))
        vector = matrix @ vector
    np.testing.assert_allclose(run.norm, naive, rtol=1e-12)
    np.testing.assert_allclose(
        run.quotient[1:], np.array(naive[1:]) / naive[:-1], rtol=1e-12
    )
    assert np.isnan(run.quotient[0])


def fitted_rate(errors: np.ndarray, steps: np.ndarray) -> float:
    """exp of the least-squares slope of log(error) against the step."""
    slope = np.polyfit(steps, np.log(errors), 1)[0]
    return float(np.exp(slope))


def test_quotient_error_decays_at_the_predicted_rate():
    matrix = similar(np.diag([3.0, 2.0, 1.0, 0.5]), seed=4)
    result = measured(matrix)
    assert result.dominant == REAL
    steps = np.arange(10, 60)
    error = np.abs(result.stretching[steps] / 3.0 - 1)
    # Predicted: the error shrinks by |l2 / l1| = 2/3 per step.
    assert fitted_rate(error, steps) == pytest.approx(2 / 3, rel=0.02)
    assert fitted_rate(result.misalignment[steps], steps) == pytest.approx(
        2 / 3, rel=0.02
    )
    assert result.stretching[-1] == pytest.approx(3.0, rel=1e-14)
    assert result.alignment[-1] == pytest.approx(1.0, abs=1e-14)


def test_complex_pair_is_detected_and_its_modulus_recovered():
    matrix = similar(block_diagonal(rotation_scaling(2.0, 0.7), np.diag([1.5, -0.5])))
    result = measured(matrix)
    assert result.dominant == COMPLEX_PAIR
    # The quotient keeps oscillating, yet the plane fit recovers |l1| = 2.
    tail = result.run.quotient[-25:]
    assert tail.max() / tail.min() - 1 > 0.05
    assert result.stretching[-1] == pytest.approx(2.0, rel=1e-9)
    steps = np.arange(10, 60)
    error = np.abs(result.stretching[steps] / 2.0 - 1)
    assert fitted_rate(error, steps) == pytest.approx(0.75, rel=0.03)
    assert result.alignment[-1] == pytest.approx(1.0, abs=1e-12)


def test_negative_dominant_eigenvalue_flips_the_sign_each_step():
    matrix = similar(np.diag([-3.0, 1.0, 0.2]))
    result = measured(matrix)
    assert result.dominant == REAL
    last, before = result.run.directions[-1], result.run.directions[-2]
    np.testing.assert_allclose(last, -before, atol=1e-12)
    assert result.stretching[-1] == pytest.approx(3.0, rel=1e-13)


def test_tied_real_moduli_are_reported_undetermined():
    """l = 2 and -2: x(n) alternates between two directions; no single model fits."""
    result = measured(similar(np.diag([2.0, -2.0, 1.0])))
    assert result.dominant == power.UNDETERMINED
    assert result.stretching[-1] == pytest.approx(2.0, rel=1e-9)


def test_slow_convergence_is_not_called_converged():
    """Ratio 0.99 leaves a residual near 0.99^99 = 0.37 after 100 steps."""
    result = measured(similar(np.diag([1.0, 0.99, 0.1])))
    assert result.dominant == power.UNDETERMINED


def test_long_run_at_k_1024_stays_finite():
    rng = np.random.default_rng(2020)
    matrix = rng.standard_normal((1024, 1024))
    run = power.iterate(matrix, rng.standard_normal(1024), 2000)
    # The true norm is about 32^2000 = 10^3000, far past float64's 1.8e308.
    assert run.log10_norm[-1] > 2900
    assert np.isfinite(run.log10_norm).all()
    assert np.isfinite(run.quotient[1:]).all()
    assert np.isinf(run.norm[-1])
    assert run.quotient[-1] == pytest.approx(np.sqrt(1024), rel=0.1)
