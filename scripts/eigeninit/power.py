"""Repeated products x(n+1) = A x(n) of unit vectors, log10 stretches
accumulated so norms never overflow, and the long-run stretch read from the
iterates alone: a real dominant eigenvalue (A w parallel to w) or a complex
pair (w turns in a plane where A^2 w = a A w + b w, |l1| = sqrt(-b)).
"""

from dataclasses import dataclass

import numpy as np

from eigeninit.spectrum import COMPLEX_PAIR, REAL

UNDETERMINED = "undetermined"
VANISHED = "vanished"
REPEATED_REAL = "repeated real"
MEASURED = (REAL, COMPLEX_PAIR, REPEATED_REAL, VANISHED)
"""Decisions that come with a stretching factor the iterates support."""


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
    def vanished(self) -> bool:
        """Whether some x(n) is exactly zero (and so are all after it)."""
        return bool(self.stretch[-1] == 0)

    @property
    def quotient(self) -> np.ndarray:
        """|x(n)| / |x(n-1)|; NaN at step 0 and after x(n-1) = 0."""
        previous_zero = np.concatenate([[True], self.stretch[:-1] == 0])
        return np.where(previous_zero, np.nan, self.stretch)

    @property
    def norm(self) -> np.ndarray:
        """|x(n)|, +inf where it exceeds the float64 range (log10_norm stays exact)."""
        with np.errstate(over="ignore"):
            return 10.0**self.log10_norm


def iterate(matrix: np.ndarray, start: np.ndarray, iterations: int) -> PowerRun:
    """Record ``iterations`` norms, the input's and ``iterations - 1`` products';
    after an exactly zero iterate, stretches and directions are zero."""
    matrix = np.asarray(matrix, dtype=np.float64)
    vector = np.asarray(start, dtype=np.float64)
    stretch = np.zeros(iterations)
    directions = np.zeros((iterations, vector.size))
    for step in range(iterations):
        stretch[step] = np.linalg.norm(vector)
        if stretch[step] == 0:
            break
        directions[step] = vector / stretch[step]
        vector = matrix @ directions[step]
    return PowerRun(stretch, directions)


@dataclass(frozen=True)
class StretchEstimates:
    """Per step: the sine between w and A w (``parallel_residual``); the relative
    misfit of A^2 w = a A w + b w (``plane_residual``); the largest root modulus
    of z^2 = a z + b (``plane_modulus``); and (a^2 + 4 b) / a^2
    (``plane_discriminant``: negative for a complex pair, near 0 for a
    repeated real root)."""

    parallel_residual: np.ndarray
    plane_residual: np.ndarray
    plane_modulus: np.ndarray
    plane_discriminant: np.ndarray


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
        real_root = (np.abs(a) + np.sqrt(np.abs(discriminant))) / 2
        plane_modulus = np.where(discriminant < 0, np.sqrt(np.abs(b)), real_root)
        relative_discriminant = discriminant / a**2
    return StretchEstimates(
        parallel_residual, plane_residual, plane_modulus, relative_discriminant
    )


def classify(run: PowerRun, estimates: StretchEstimates, tolerance: float) -> str:
    """The dominant structure from the last iterate, by the models' fits within
    ``tolerance``: vanished, real, repeated real (the plane's roots coincide,
    as for a Jordan block), complex pair, or undetermined (not converged, or
    distinct roots tied in modulus such as 3 and -3)."""
    if run.vanished:
        return VANISHED
    if estimates.parallel_residual[-1] <= tolerance:
        return REAL
    if estimates.plane_residual[-1] <= tolerance:
        discriminant = estimates.plane_discriminant[-1]
        if abs(discriminant) <= tolerance:
            return REPEATED_REAL
        if discriminant < 0:
            return COMPLEX_PAIR
    return UNDETERMINED


def stretching_estimate(run: PowerRun, estimates: StretchEstimates, dominant: str):
    """Per-step stretch under the decided model: the quotient for real (the
    post's reading), 0 once vanished, else the plane fit's root modulus."""
    if dominant == REAL:
        return run.quotient
    if dominant == VANISHED:
        return np.where(run.stretch == 0, 0.0, run.quotient)
    return estimates.plane_modulus


@dataclass(frozen=True)
class Measurement:
    """One run of repeated products with everything measured along it; per step,
    the norm of x(n)'s projection on the dominant invariant subspace (alignment)
    and of its residual (misalignment: accurate down to float64 resolution,
    unlike sqrt(1 - cos^2))."""

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
    """Iterate, fit both models, decide which holds, and measure alignment
    (``dominant_basis``: an orthonormal basis of the dominant subspace)."""
    run = iterate(matrix, start, iterations)
    estimates = estimate_stretch(matrix, run)
    dominant = classify(run, estimates, tolerance)
    stretching = stretching_estimate(run, estimates, dominant)
    inside = run.directions @ dominant_basis
    outside = run.directions - inside @ dominant_basis.T
    norms = (np.linalg.norm(part, axis=1) for part in (inside, outside))
    return Measurement(run, estimates, dominant, stretching, *norms)


def measure_runs(
    matrix: np.ndarray,
    inputs: dict[str, np.ndarray],
    iterations: int,
    spectral_radius: float,
    dominant_basis: np.ndarray,
    tolerance: float,
) -> tuple[dict[str, Measurement], dict[str, float]]:
    """The raw run (A) and the rescaled run (A / spectral radius, or A when that
    is 0: a nilpotent A), and the divisors."""
    scales = {"raw": 1.0, "rescaled": spectral_radius if spectral_radius > 0 else 1.0}
    measurements = {
        run: measure(matrix / scales[run], start, iterations, dominant_basis, tolerance)
        for run, start in inputs.items()
    }
    return measurements, scales
