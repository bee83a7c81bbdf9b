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
    """Eigenvalues sorted by ascending modulus, with the dominant structure.

    ``dominant_basis`` is a real orthonormal basis (k x m) of the invariant
    subspace of every eigenvalue whose modulus ties with the spectral radius:
    m = 1 for a single real eigenvalue, 2 for a complex pair, more for ties or
    repeated eigenvalues (k for the identity and for the zero matrix). Power
    iterates align with it.

    ``condition_number`` is |u| |v| / |u.v| for the left and right eigenvectors
    u, v of a single simple real dominant eigenvalue (not a tie, not a
    defective root, not 0), else None: from a random start x(0), A / rho
    iterated settles at a length |u.x(0)| / |u.v| = |z| times it, z standard
    normal.
    """

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
        """Largest modulus below the tied dominant moduli, over the spectral radius.

        Power iteration's error shrinks by this factor per step; a complex pair,
        and any eigenvalues tied with the spectral radius, count as one dominant
        entry. 0 when every eigenvalue ties (nothing left to die out).
        """
        below = self.moduli[self.moduli < _tie_threshold(self.spectral_radius)]
        if below.size == 0:
            return 0.0
        return float(below[-1] / self.spectral_radius)


def analyze(matrix: np.ndarray) -> Spectrum:
    """Full spectrum via LAPACK (``numpy.linalg.eig``) of a real square matrix.

    Ties in modulus are broken by the imaginary part so that a conjugate pair
    ends with its positive-imaginary member, the one reported as principal.
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    eigenvalues, eigenvectors = np.linalg.eig(matrix)
    order = np.lexsort((eigenvalues.imag, np.abs(eigenvalues)))
    eigenvalues = eigenvalues[order]
    eigenvectors = eigenvectors[:, order]
    principal = eigenvectors[:, -1].astype(np.complex128)
    # Fix the arbitrary complex phase: largest component real and positive.
    pivot = principal[np.argmax(np.abs(principal))]
    principal = principal * (abs(pivot) / pivot) / np.linalg.norm(principal)
    if eigenvalues[-1].imag == 0:
        principal = principal.real.astype(np.complex128)
    basis = dominant_subspace(matrix, eigenvalues)
    simple_real = eigenvalues[-1].imag == 0 and eigenvalues[-1] != 0
    condition = (
        condition_number(matrix) if simple_real and basis.shape[1] == 1 else None
    )
    return Spectrum(eigenvalues, principal, basis, condition)


def condition_number(matrix: np.ndarray) -> float:
    """|u| |v| / |u.v| for the left and right eigenvectors of the eigenvalue of
    largest modulus (see :class:`Spectrum`)."""
    import scipy.linalg

    eigenvalues, left, right = scipy.linalg.eig(matrix, left=True, right=True)
    dominant = np.argmax(np.abs(eigenvalues))
    u, v = left[:, dominant].real, right[:, dominant].real
    return float(np.linalg.norm(u) * np.linalg.norm(v) / abs(u @ v))


def _tie_threshold(spectral_radius: float) -> float:
    return spectral_radius * (1 - TIE_TOLERANCE)


def dominant_subspace(matrix: np.ndarray, eigenvalues: np.ndarray) -> np.ndarray:
    """Orthonormal basis of the invariant subspace of the tied largest moduli.

    The leading Schur vectors of a real Schur form ordered to put those
    eigenvalues first span it, also for defective eigenvalues, where
    eigenvectors alone would miss the generalized ones.
    """
    # Imported here: the many jobs that only read spectra skip its import time.
    import scipy.linalg

    threshold = _tie_threshold(float(np.abs(eigenvalues).max()))
    _, vectors, count = scipy.linalg.schur(
        np.asarray(matrix, dtype=np.float64),
        output="real",
        sort=lambda re, im: np.hypot(re, im) >= threshold,
    )
    return vectors[:, :count]
