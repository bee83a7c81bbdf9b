"""Repeated products x(n+1) = A x(n), measured without overflow.

Each step multiplies a unit vector and accumulates log10 of the stretch, so
the recorded norms are exact however far the iteration runs. The long-run
stretch per step is then read from the iterates alone, in the two cases a real
matrix allows: a real dominant eigenvalue (A w stays parallel to w) or a
complex-conjugate dominant pair (w turns inside a fixed plane, where
A^2 w = a A w + b w holds and |l1| = sqrt(-b)).
"""

from dataclasses import dataclass

import numpy as np

from eigeninit.spectrum import COMPLEX_PAIR, REAL

UNDETERMINED = "undetermined"


@dataclass(frozen=True)
class PowerRun:
    """Per-step stretches |x(n)|/|x(n-1)| (|x(0)| at step 0) and unit directions."""

    stretch: np.ndarray
    directions: np.ndarray

    @property
    def log10_norm(self) -> np.ndarray:
        """log10 |x(n)|, accumulated from the stretches: exact at any size."""
        with np.errstate(divide="ignore"):
            return np.cumsum(np.log10(self.stretch))

    @property
    def quotient(self) -> np.ndarray:
        """|x(n)| / |x(n-1)|, measured directly on unit vectors; NaN at step 0."""
        return np.concatenate([[np.nan], self.stretch[1:]])

    @property
    def norm(self) -> np.ndarray:
        """|x(n)|, +inf where it exceeds the float64 range (log10_norm stays exact)."""
        with np.errstate(over="ignore"):
            return 10.0**self.log10_norm


def iterate(matrix: np.ndarray, start: np.ndarray, iterations: int) -> PowerRun:
    """Record ``iterations`` norms: the input and ``iterations - 1`` products."""
    matrix = np.asarray(matrix, dtype=np.float64)
    start = np.asarray(start, dtype=np.float64)
    stretch = np.empty(iterations)
    directions = np.empty((iterations, start.size))
    vector = start
    with np.errstate(divide="ignore", invalid="ignore"):
        for step in range(iterations):
            stretch[step] = np.linalg.norm(vector)
            directions[step] = vector / stretch[step]
            vector = matrix @ directions[step]
    return PowerRun(stretch, directions)


@dataclass(frozen=True)
class StretchEstimates:
    """Per-step estimates of the long-run stretch and how well each model fits.

    ``parallel_residual``: sine of the angle between w and A w (0 when w is a
    real eigenvector). ``plane_residual``: relative misfit of
    A^2 w = a A w + b w (0 when w lies in a 2-D invariant subspace).
    ``plane_modulus``: the largest root modulus of z^2 = a z + b, which is
    sqrt(-b) for a complex pair.
    """

    parallel_residual: np.ndarray
    plane_residual: np.ndarray
    plane_modulus: np.ndarray
    plane_complex: np.ndarray


def estimate_stretch(matrix: np.ndarray, run: PowerRun) -> StretchEstimates:
    """Fit the real and the complex-pair model at every step, vectorized."""
    directions = run.directions
    once = directions @ matrix.T
    twice = once @ matrix.T
    with np.errstate(divide="ignore", invalid="ignore"):
        along = np.einsum("nk,nk->n", directions, once)
        parallel = np.linalg.norm(once - along[:, None] * directions, axis=1)
        parallel_residual = parallel / np.linalg.norm(once, axis=1)
        design = np.stack([once, directions], axis=2)
        coefficients = np.linalg.pinv(design) @ twice[:, :, None]
        misfit = twice - (design @ coefficients)[:, :, 0]
        plane_residual = np.linalg.norm(misfit, axis=1) / np.linalg.norm(twice, axis=1)
        a, b = coefficients[:, 0, 0], coefficients[:, 1, 0]
        discriminant = a**2 + 4 * b
        plane_complex = discriminant < 0
        real_root = (np.abs(a) + np.sqrt(np.abs(discriminant))) / 2
        plane_modulus = np.where(plane_complex, np.sqrt(np.abs(b)), real_root)
    return StretchEstimates(
        parallel_residual, plane_residual, plane_modulus, plane_complex
    )


def classify(estimates: StretchEstimates, tolerance: float) -> str:
    """Decide the dominant structure from the last iterate.

    ``real`` when A w is parallel to w within ``tolerance``; ``complex pair``
    when w lies in a 2-D invariant plane whose fitted roots are complex;
    ``undetermined`` when neither model fits yet (the iteration has not
    converged to the tolerance, e.g. nearly tied moduli).
    """
    if estimates.parallel_residual[-1] <= tolerance:
        return REAL
    if estimates.plane_residual[-1] <= tolerance and estimates.plane_complex[-1]:
        return COMPLEX_PAIR
    return UNDETERMINED


def stretching_estimate(run: PowerRun, estimates: StretchEstimates, dominant: str):
    """Per-step stretch estimate under the decided model.

    Real: the quotient |x(n)|/|x(n-1)| (the post's reading). Otherwise the
    plane fit's root modulus, the only estimate that settles for a pair.
    """
    if dominant == REAL:
        return run.quotient
    return estimates.plane_modulus


def alignment(
    run: PowerRun, dominant_basis: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Fraction of each x(n) inside the dominant invariant subspace, and outside.

    For a real dominant eigenvalue the first is |cos| between x(n) and the
    principal eigenvector; for a pair, the norm of the projection on its plane.
    The second (the sine of the angle) is computed from the residual itself,
    not as sqrt(1 - cos^2), so it stays accurate down to float64 resolution.
    """
    coordinates = run.directions @ dominant_basis
    outside = run.directions - coordinates @ dominant_basis.T
    return np.linalg.norm(coordinates, axis=1), np.linalg.norm(outside, axis=1)


@dataclass(frozen=True)
class Measurement:
    """One run of repeated products with everything measured along it."""

    run: PowerRun
    estimates: StretchEstimates
    dominant: str
    stretching: np.ndarray
    alignment: np.ndarray
    misalignment: np.ndarray


def measure(
    matrix: np.ndarray,
    start: np.ndarray,
    iterations: int,
    dominant_basis: np.ndarray,
    tolerance: float,
) -> Measurement:
    """Iterate, fit both models, decide which holds, and measure alignment."""
    run = iterate(matrix, start, iterations)
    estimates = estimate_stretch(matrix, run)
    dominant = classify(estimates, tolerance)
    inside, outside = alignment(run, dominant_basis)
    return Measurement(
        run=run,
        estimates=estimates,
        dominant=dominant,
        stretching=stretching_estimate(run, estimates, dominant),
        alignment=inside,
        misalignment=outside,
    )
