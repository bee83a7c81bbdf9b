"""Spectra of real Gaussian (Ginibre) matrices: circular law, edge and real eigenvalues.

For a k x k matrix G of iid N(0, 1) entries, as k grows:

* the eigenvalues of G / sqrt(k) fill the unit disk uniformly (circular law; Bai
  1997, Tao and Vu 2010), so |lambda|^2 / k is Uniform(0, 1);
* the spectral radius rho(G) / sqrt(k) -> 1 almost surely (Geman 1986; Bai and
  Yin 1986);
* the largest singular value sigma_max(G) / sqrt(k) -> 2 almost surely (Geman
  1980), so a spectral-norm-normalized matrix has rho / sigma_max -> 1/2;
* the expected number of real eigenvalues is sqrt(2k/pi) + 1/2 + o(1)
  (Edelman, Kostlan and Shub 1994).

These are limits; the finite-size values set beside the measurements come from
:mod:`eigeninit.theory` (Tracy-Widom for sigma_max, Kostlan's exact complex
Ginibre radius as the reference for rho).

Spectra always come from the full LAPACK ``eigvals``: ARPACK's iterative ``eigs``
lands on wrong eigenvalues because the spectrum is crowded at the disk edge.
"""

from dataclasses import dataclass

import numpy as np

from eigeninit.initializers import batches, member_generator

SPECTRAL_RADIUS_LIMIT = 1.0
"""Large-k limit of rho(G) / sqrt(k) for a standard Gaussian matrix G."""

SIGMA_MAX_LIMIT = 2.0
"""Large-k limit of sigma_max(G) / sqrt(k) for a standard Gaussian matrix G."""


@dataclass(frozen=True)
class SizeMeasurement:
    """Per-matrix spectral measurements for the matrices ``matrices`` of size k.

    Arrays have shape (len(matrices),); ``eigenvalues`` is (len(matrices), k)
    complex128, or None when not kept.
    """

    k: int
    matrices: range
    spectral_radius: np.ndarray
    sigma_max: np.ndarray
    real_eigenvalue_count: np.ndarray
    dominant_is_real: np.ndarray
    eigenvalues: np.ndarray | None = None

    @property
    def scaled_spectral_radius(self) -> np.ndarray:
        """rho / sqrt(k), which tends to 1."""
        return self.spectral_radius / np.sqrt(self.k)

    @property
    def scaled_sigma_max(self) -> np.ndarray:
        """sigma_max / sqrt(k), which tends to 2."""
        return self.sigma_max / np.sqrt(self.k)


def measure_sizes(
    k: int,
    seed_sequence: np.random.SeedSequence,
    matrices: range,
    keep_eigenvalues: bool = False,
) -> SizeMeasurement:
    """Measure the spectra of the N(0, 1) matrices numbered ``matrices``, of size k.

    Matrix i is drawn from its own stream, :func:`member_generator` of
    ``seed_sequence`` and i, so a job measuring part of an ensemble gets
    exactly the values one job measuring all of it gets for those matrices.
    Matrices are decomposed in batches of at most 64 MiB, never all at once.

    A real matrix's real eigenvalues come out of LAPACK with an imaginary part of
    exactly zero (they are read off 1x1 blocks of the real Schur form), so
    ``imag == 0`` counts them exactly. The dominant eigenvalue is real when the
    eigenvalue of largest modulus has ``imag == 0``; otherwise it is one of a
    complex-conjugate pair of equal modulus.
    """
    count = len(matrices)
    spectral_radius = np.empty(count)
    sigma_max = np.empty(count)
    real_count = np.empty(count, dtype=np.int64)
    dominant_is_real = np.empty(count, dtype=bool)
    eigenvalues = (
        np.empty((count, k), dtype=np.complex128) if keep_eigenvalues else None
    )
    for batch in batches(matrices, k):
        rows = slice(batch.start - matrices.start, batch.stop - matrices.start)
        stack = np.stack(
            [member_generator(seed_sequence, i).standard_normal((k, k)) for i in batch]
        )
        spectrum = np.linalg.eigvals(stack).astype(np.complex128, copy=False)
        modulus = np.abs(spectrum)
        dominant = np.argmax(modulus, axis=-1)
        spectral_radius[rows] = np.take_along_axis(
            modulus, dominant[:, np.newaxis], axis=-1
        )[:, 0]
        dominant_imag = np.take_along_axis(
            spectrum.imag, dominant[:, np.newaxis], axis=-1
        )[:, 0]
        dominant_is_real[rows] = dominant_imag == 0
        real_count[rows] = np.count_nonzero(spectrum.imag == 0, axis=-1)
        sigma_max[rows] = np.linalg.svd(stack, compute_uv=False)[:, 0]
        if eigenvalues is not None:
            eigenvalues[rows] = spectrum
    return SizeMeasurement(
        k=k,
        matrices=matrices,
        spectral_radius=spectral_radius,
        sigma_max=sigma_max,
        real_eigenvalue_count=real_count,
        dominant_is_real=dominant_is_real,
        eigenvalues=eigenvalues,
    )
