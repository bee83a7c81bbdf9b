"""Spectra of real Gaussian (Ginibre) k x k matrices G of iid N(0, 1) entries,
whose eigenvalues fill the disk of radius sqrt(k) uniformly as k grows (the
circular law; finite-size values in :mod:`eigeninit.theory` and
:mod:`eigeninit.references`). Spectra come from LAPACK's full ``eigvals``:
iterative solvers land on wrong eigenvalues of a spectrum crowded at the edge.
"""

from typing import NamedTuple

import numpy as np

from eigeninit.initializers import batches, largest_singular_values, member_generator

SPECTRAL_RADIUS_LIMIT, SIGMA_MAX_LIMIT = 1.0, 2.0
"""Large-k limits of rho(G) / sqrt(k) and sigma_max(G) / sqrt(k) for a standard
Gaussian matrix G."""


class SizeMeasurement(NamedTuple):
    """Per-matrix measurements of the matrices ``matrices`` of size k, arrays of
    shape (len(matrices),); ``eigenvalues`` (len(matrices), k) complex128."""

    k: int
    matrices: range
    spectral_radius: np.ndarray
    sigma_max: np.ndarray
    real_eigenvalue_count: np.ndarray
    dominant_is_real: np.ndarray
    eigenvalues: np.ndarray


def measure_sizes(
    k: int, seed_sequence: np.random.SeedSequence, matrices: range
) -> SizeMeasurement:
    """Measure the spectra of the N(0, 1) matrices numbered ``matrices``, of size k,
    matrix i from its own stream (:func:`member_generator` of ``seed_sequence``
    and i), in batches of at most 64 MiB. LAPACK's real eigenvalues of a real
    matrix have an imaginary part of exactly zero, so ``imag == 0`` counts them."""
    parts = []
    for batch in batches(matrices, k):
        stack = np.stack(
            [member_generator(seed_sequence, i).standard_normal((k, k)) for i in batch]
        )
        spectrum = np.linalg.eigvals(stack).astype(np.complex128, copy=False)
        dominant = spectrum[np.arange(len(batch)), np.abs(spectrum).argmax(axis=-1)]
        sigma = largest_singular_values(stack)
        real_count = np.count_nonzero(spectrum.imag == 0, axis=-1)
        real = dominant.imag == 0
        parts.append((np.abs(dominant), sigma, real_count, real, spectrum))
    return SizeMeasurement(k, matrices, *map(np.concatenate, zip(*parts, strict=True)))
