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
    its positive-imaginary member, the one reported as principal."""
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
    basis = dominant_subspace(matrix, eigenvalues)
    simple = basis.shape[1] == 1 and eigenvalues[-1].imag == 0 and eigenvalues[-1] != 0
    condition = condition_number(matrix) if simple else None
    return Spectrum(eigenvalues, principal, basis, condition)


def condition_number(matrix: np.ndarray) -> float:
    """|u| |v| / |u.v| for the left and right eigenvectors of the eigenvalue of
    largest modulus (see :class:`Spectrum`)."""
    import scipy.linalg

    eigenvalues, left, right = scipy.linalg.eig(matrix, left=True, right=True)
    dominant = np.argmax(np.abs(eigenvalues))
    u, v = left[:, dominant].real, right[:, dominant].real
    return float(np.linalg.norm(u) * np.linalg.norm(v) / abs(u @ v))


def dominant_subspace(matrix: np.ndarray, eigenvalues: np.ndarray) -> np.ndarray:
    """Orthonormal basis of the invariant subspace of the tied largest moduli:
    leading vectors of an ordered real Schur form, which span it also for
    defective eigenvalues."""
    # Imported here: the many jobs that only read spectra skip its import time.
    import scipy.linalg

    threshold = float(np.abs(eigenvalues).max()) * (1 - TIE_TOLERANCE)
    _, vectors, count = scipy.linalg.schur(
        np.asarray(matrix, dtype=np.float64),
        output="real",
        sort=lambda re, im: np.hypot(re, im) >= threshold,
    )
    return vectors[:, :count]
