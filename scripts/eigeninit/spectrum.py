"""Eigen-analysis of one matrix: the quantities power iteration is compared with."""

from dataclasses import dataclass

import numpy as np

REAL = "real"
COMPLEX_PAIR = "complex pair"
TIE_TOLERANCE = float(np.sqrt(np.finfo(np.float64).eps))
"""Relative gap below which two moduli count as tied. A defective eigenvalue
of multiplicity m comes out of LAPACK split by about eps^(1/m), so sqrt(eps)
keeps a perturbed Jordan block of size 2 together."""


@dataclass(frozen=True)
class Spectrum:
    """Eigenvalues by ascending modulus; ``dominant_basis``, a real orthonormal
    basis of the invariant subspace of every eigenvalue tied with the spectral
    radius, which power iterates align with; ``condition_number`` |u| |v| /
    |u.v| of a single simple nonzero real dominant eigenvalue (else None), the
    scale of the length A / rho settles at from a random start."""

    eigenvalues: np.ndarray
    principal_eigenvector: np.ndarray
    dominant_basis: np.ndarray
    condition_number: float | None = None

    @property
    def moduli(self) -> np.ndarray:
        return np.abs(self.eigenvalues)

    @property
    def spectral_radius(self) -> float:
        return float(self.moduli[-1])

    @property
    def dominant(self) -> str:
        return COMPLEX_PAIR if self.eigenvalues[-1].imag != 0 else REAL

    @property
    def convergence_ratio(self) -> float:
        """Largest modulus below the tied dominant moduli over the spectral
        radius, the factor power iteration's error shrinks by per step (0 when
        every eigenvalue ties)."""
        below = self.moduli[self.moduli < self.spectral_radius * (1 - TIE_TOLERANCE)]
        if below.size == 0:
            return 0.0
        return float(below[-1] / self.spectral_radius)


def analyze(matrix: np.ndarray) -> Spectrum:
    """Full LAPACK spectrum of a real square matrix; a conjugate pair ends with
    its positive-imaginary member, the one reported as principal. The leading
    vectors of an ordered real Schur form span the dominant subspace, also for
    defective eigenvalues."""
    # Imported here: the many jobs that only read spectra skip its import time.
    import scipy.linalg

    matrix = np.asarray(matrix, dtype=np.float64)
    eigenvalues, eigenvectors = np.linalg.eig(matrix)
    order = np.lexsort((eigenvalues.imag, np.abs(eigenvalues)))
    eigenvalues = eigenvalues[order]
    principal = eigenvectors[:, order[-1]].astype(np.complex128)
    # Fix the arbitrary complex phase: largest component real and positive.
    pivot = principal[np.argmax(np.abs(principal))]
    principal = principal * (abs(pivot) / pivot) / np.linalg.norm(principal)
    if eigenvalues[-1].imag == 0:
        principal = principal.real.astype(np.complex128)
    threshold = float(np.abs(eigenvalues).max()) * (1 - TIE_TOLERANCE)
    _, schur_vectors, rank = scipy.linalg.schur(
        matrix, output="real", sort=lambda re, im: np.hypot(re, im) >= threshold
    )
    condition = None
    if rank == 1 and eigenvalues[-1].imag == 0 and eigenvalues[-1] != 0:
        values, left, right = scipy.linalg.eig(matrix, left=True, right=True)
        top = np.argmax(np.abs(values))
        u, v = left[:, top].real, right[:, top].real
        condition = float(np.linalg.norm(u) * np.linalg.norm(v) / abs(u @ v))
    return Spectrum(eigenvalues, principal, schur_vectors[:, :rank], condition)
