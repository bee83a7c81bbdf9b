"""Eigen-analysis against matrices whose spectra are known exactly."""

import numpy as np
import pytest

from eigeninit.experiments import read_matrix_csv
from eigeninit.spectrum import COMPLEX_PAIR, REAL, analyze
from matrices import block_diagonal, rotation_scaling, similar

POST_PRINTED_MODULI = [
    0.9800787336048253,
    0.9800787336048253,
    1.585503352157554,
    1.585503352157554,
    2.603590423715464,
]


def test_diagonal_matrix():
    spectrum = analyze(similar(np.diag([3.0, -1.0, 0.5, 2.0])))
    np.testing.assert_allclose(spectrum.moduli, [0.5, 1.0, 2.0, 3.0], rtol=1e-12)
    assert spectrum.dominant == REAL
    assert spectrum.spectral_radius == pytest.approx(3.0, rel=1e-12)
    assert spectrum.convergence_ratio == pytest.approx(2 / 3, rel=1e-12)


def test_rotation_scaling_block_is_a_complex_pair():
    matrix = similar(block_diagonal(rotation_scaling(2.0, 0.7), np.diag([1.5, -0.5])))
    spectrum = analyze(matrix)
    assert spectrum.dominant == COMPLEX_PAIR
    assert spectrum.spectral_radius == pytest.approx(2.0, rel=1e-12)
    assert np.angle(spectrum.eigenvalues[-1]) == pytest.approx(0.7, rel=1e-12)
    assert spectrum.convergence_ratio == pytest.approx(0.75, rel=1e-12)
    basis = spectrum.dominant_basis
    np.testing.assert_allclose(basis.T @ basis, np.eye(2), atol=1e-12)
    # Invariant plane: A maps the basis into its own span.
    image = matrix @ basis
    np.testing.assert_allclose(basis @ (basis.T @ image), image, atol=1e-10)


def test_companion_matrix_of_known_roots():
    roots = np.array([4.0, -2.5, 1.0, 0.25])
    coefficients = np.poly(roots)
    companion = np.diag(np.ones(3), -1)
    companion[0, :] = -coefficients[1:]
    spectrum = analyze(companion)
    np.testing.assert_allclose(spectrum.moduli, np.sort(np.abs(roots)), rtol=1e-10)
    vector = spectrum.principal_eigenvector.real
    np.testing.assert_allclose(companion @ vector, 4.0 * vector, atol=1e-10)
    assert np.linalg.norm(vector) == pytest.approx(1.0, rel=1e-12)


def test_published_matrix_gives_the_posts_printed_moduli(published_matrix_file):
    """The post prints A to 8 decimals, so its moduli agree to about 1e-8."""
    spectrum = analyze(read_matrix_csv(published_matrix_file, "matrix"))
    np.testing.assert_allclose(spectrum.moduli, POST_PRINTED_MODULI, atol=1e-7)
    assert spectrum.eigenvalues[-1].real == pytest.approx(-2.60359043, abs=1e-8)


def test_a_real_dominant_with_complex_followers_counts_one_dominant():
    spectrum = analyze(similar(block_diagonal([[5.0]], rotation_scaling(4.0, 1.0))))
    assert spectrum.dominant == REAL
    assert spectrum.dominant_basis.shape == (3, 1)
    assert spectrum.convergence_ratio == pytest.approx(0.8, rel=1e-12)
