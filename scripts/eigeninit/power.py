"""Repeated products x(n+1) = A x(n), measured without overflow.

Each step multiplies a unit vector and accumulates log10 of the stretch, so
the recorded norms are exact however far the iteration runs. The long-run
stretch per step is then read from the iterates alone, in the two cases a real
matrix allows: a real dominant eigenvalue (A w stays parallel to w) or a
complex-conjugate dominant pair (w turns inside a fixed plane, where
A^2 w = a A w + b w holds and |l1| = sqrt(-b)).

Degenerate matrices get their own answers rather than NaN: an iterate that
becomes exactly zero (the zero matrix, a nilpotent triangular one) ends the
run as ``vanished`` with a stretch of 0; a plane whose two roots coincide (a
defective double eigenvalue such as the Jordan block [[3, 1], [0, 3]], where
the real model converges only like 1/n) is a ``repeated real`` root read from
the plane fit; a tie in modulus between distinct roots (3 and -3) fits
neither model and stays ``undetermined``.
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
        """|x(n)| / |x(n-1)|, measured directly on unit vectors.

        NaN at step 0 and after x(n-1) = 0, where the quotient is 0/0.
        """
        previous_zero = np.concatenate([[True], self.stretch[:-1] == 0])
        return np.where(previous_zero, np.nan, self.stretch)

    @property
    def norm(self) -> np.ndarray:
        """|x(n)|, +inf where it exceeds the float64 range (log10_norm stays exact)."""
        with np.errstate(over="ignore"):
            return 10.0**self.log10_norm


def iterate(matrix: np.ndarray, start: np.ndarray, iterations: int) -> PowerRun:
    """Record ``iterations`` norms: the input and ``iterations - 1`` products.

    Once an iterate is exactly zero every later one is too: their stretches are
    0 and their directions the zero vector.
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    start = np.asarray(start, dtype=np.float64)
    stretch = np.zeros(iterations)
    directions = np.zeros((iterations, start.size))
    vector = start
    for step in range(iterations):
        stretch[step] = np.linalg.norm(vector)
        if stretch[step] == 0:
            break
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
    sqrt(-b) for a complex pair. ``plane_discriminant``: (a^2 + 4 b) / a^2,
    negative for a complex pair, near 0 for a repeated real root (-inf when
    a = 0 and b < 0, a pair turning by a quarter turn).
    """

    parallel_residual: np.ndarray
    plane_residual: np.ndarray
    plane_modulus: np.ndarray
    plane_discriminant: np.ndarray

    @property
    def plane_complex(self) -> np.ndarray:
        return self.plane_discriminant < 0


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
    """Decide the dominant structure from the last iterate.

    ``vanished`` when an iterate is exactly zero; ``real`` when A w is
    parallel to w within ``tolerance``; when w lies in a 2-D invariant plane,
    ``repeated real`` if the plane's two roots coincide within ``tolerance``
    (relative discriminant) and ``complex pair`` if they are complex;
    ``undetermined`` when neither model fits (not converged to the tolerance,
    or two distinct roots tied in modulus, such as 3 and -3).
    """
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
    """Per-step stretch estimate under the decided model.

    Real: the quotient |x(n)|/|x(n-1)| (the post's reading). Vanished: 0,
    the stretch once x(n) = 0. Otherwise the plane fit's root modulus, the only
    estimate that settles for a pair or a repeated root.
    """
    if dominant == REAL:
        return run.quotient
    if dominant == VANISHED:
        return np.where(run.stretch == 0, 0.0, run.quotient)
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
    dominant = classify(run, estimates, tolerance)
    inside, outside = alignment(run, dominant_basis)
    return Measurement(
        run=run,
        estimates=estimates,
        dominant=dominant,
        stretching=stretching_estimate(run, estimates, dominant),
        alignment=inside,
        misalignment=outside,
    )


def rescaling_divisor(spectral_radius: float) -> float:
    """What the rescaled run divides A by: its spectral radius, or 1 when that is 0.

    A matrix whose eigenvalues are all 0 (nilpotent) cannot be divided by its
    spectral radius; its rescaled run then repeats A itself.
    """
    return spectral_radius if spectral_radius > 0 else 1.0


def measure_runs(
    matrix: np.ndarray,
    inputs: dict[str, np.ndarray],
    iterations: int,
    spectral_radius: float,
    dominant_basis: np.ndarray,
    tolerance: float,
) -> tuple[dict[str, Measurement], dict[str, float]]:
    """The raw run (A) and the rescaled run (A / spectral radius), and the divisors."""
    scales = {"raw": 1.0, "rescaled": rescaling_divisor(spectral_radius)}
    measurements = {
        run: measure(matrix / scales[run], start, iterations, dominant_basis, tolerance)
        for run, start in inputs.items()
    }
    return measurements, scales
