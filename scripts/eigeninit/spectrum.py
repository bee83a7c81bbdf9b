"""Eigen-analysis of one matrix: the quantities power iteration is compared with."""

from dataclasses import dataclass

import numpy as np

REAL = "real"
COMPLEX_PAIR = "complex pair"


@dataclass(frozen=True)
class Spectrum:
    """Eigenvalues sorted by ascending modulus, with the dominant structure.

    ``dominant_basis`` is a real orthonormal basis (k x 1 or k x 2) of the
    invariant subspace of the dominant eigenvalue (real) or pair (complex):
    power iterates align with it.
    """

    eigenvalues: np.ndarray
    principal_eigenvector: np.ndarray
    dominant_basis: np.ndarray

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
        """Largest modulus below the dominant eigenvalue (or pair), over it.

        Power iteration's error shrinks by this factor per step; a complex pair
        counts as one dominant entry since both members share their modulus.
        """
        dominant_count = self.dominant_basis.shape[1]
        if self.eigenvalues.size <= dominant_count:
            return 0.0
        return float(self.moduli[-1 - dominant_count] / self.spectral_radius)


def analyze(matrix: np.ndarray) -> Spectrum:
    """Full spectrum via LAPACK (``numpy.linalg.eig``) of a real square matrix.

    Ties in modulus are broken by the imaginary part so that a conjugate pair
    ends with its positive-imaginary member, the one reported as principal.
    """
    eigenvalues, eigenvectors = np.linalg.eig(np.asarray(matrix, dtype=np.float64))
    order = np.lexsort((eigenvalues.imag, np.abs(eigenvalues)))
    eigenvalues = eigenvalues[order]
    eigenvectors = eigenvectors[:, order]
    principal = eigenvectors[:, -1].astype(np.complex128)
    # Fix the arbitrary complex phase: largest component real and positive.
    pivot = principal[np.argmax(np.abs(principal))]
    principal = principal * (abs(pivot) / pivot) / np.linalg.norm(principal)
    if eigenvalues[-1].imag != 0:
        plane = np.column_stack([principal.real, principal.imag])
        basis, _ = np.linalg.qr(plane)
    else:
        principal = principal.real.astype(np.complex128)
        basis = principal.real[:, None]
    return Spectrum(eigenvalues, principal, basis)
