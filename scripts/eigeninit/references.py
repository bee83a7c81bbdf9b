"""Finite-size references for part two that no closed form gives, each with its
standard error, from its own seed stream (keyed "reference"): edges of real
Gaussian spectra, and tanh growth through depth with a fresh matrix per layer.
"""

import math

import numpy as np

from eigeninit import theory
from eigeninit.initializers import (
    IID,
    ORTHOGONAL,
    SIGMA_MAX,
    SPECTRAL_RADIUS,
    batches,
    check_scheme,
    job_seed_sequence,
)

SIMULATED, EXTRAPOLATED = "simulated", "extrapolated"

RADIUS_ANCHORS = (16, 64)
"""Sizes always simulated, where the real-matrix correction is measured."""

CORRECTION_DRIFT = 0.003
"""Allowed drift of sqrt(k) times the real-minus-complex gap per doubling of k
beyond the anchors (simulated up to k = 1024 it is 0.0016 +- 0.0008 per doubling)."""

MAX_DRAWS = 100_000

MANY_MORE = 10
"""A simulated reference has at least this many times the draws it is compared
with; otherwise the radius is extrapolated."""


def radius_draw_seconds(k: int) -> float:
    """CPU seconds of one real k x k spectrum (LAPACK eigvals, one thread),
    fitted to 0.006, 0.05, 0.9, 37 and 1160 ms at k = 5, 16, 64, 256, 1024."""
    return 1.8e-9 * k**3 + 1e-7 * k**2 + 3e-6


def sigma_draw_seconds(k: int) -> float:
    """CPU seconds of one bidiagonal sigma_max, fitted up to k = 1024."""
    return 1.0e-6 * k + 5e-6


def draws_within(seconds: float, draw_seconds: float) -> int:
    return int(min(MAX_DRAWS, seconds // draw_seconds))


def estimate(values: np.ndarray) -> dict:
    """The mean of simulated ``values`` with its standard error, and their count."""
    values = np.ravel(values)
    se = float(values.std(ddof=1) / math.sqrt(values.size))
    mean = float(values.mean())
    return {"mean": mean, "se": se, "kind": SIMULATED, "draws": values.size}


def edge_estimates(scaled: np.ndarray) -> dict[str, dict]:
    """Of draws of d / sqrt(k): E d/sqrt(k), E log(d/sqrt(k)) and E k/d^2."""
    return {
        "scaled": estimate(scaled),
        "log": estimate(np.log(scaled)),
        "inverse_square": estimate(1.0 / scaled**2),
    }


def radius_draws(k: int, draws: int, seed: int) -> np.ndarray:
    """``draws`` values of rho(G) / sqrt(k), batches of at most 64 MiB."""
    rng = np.random.default_rng(job_seed_sequence(seed, "reference", "radius", k))
    radii = [
        np.abs(np.linalg.eigvals(rng.standard_normal((len(b), k, k)))).max(axis=-1)
        for b in batches(range(draws), k)
    ]
    return np.concatenate(radii) / math.sqrt(k)


def bidiagonal_sigma_max(diag: np.ndarray, superdiag: np.ndarray) -> np.ndarray:
    """Largest singular value of upper bidiagonal matrices (column j of ``diag``
    (k, M) and ``superdiag`` (k - 1, M) is one), O(k) each: Laguerre's
    iteration on det(t I - B^T B) from above the spectrum (Gershgorin), which
    converges to the largest root monotonically and cubically."""
    k = diag.shape[0]
    if k == 1:
        return np.abs(diag[0])
    # Scaled to at most 1, so that B^T B cannot overflow.
    scale = np.maximum(np.abs(diag).max(axis=0), np.abs(superdiag).max(axis=0))
    diag, superdiag = diag / scale, superdiag / scale
    a = diag**2
    a[1:] += superdiag**2
    c2 = (diag[:-1] * superdiag) ** 2
    c = np.sqrt(c2)
    bound = a.copy()
    bound[:-1] += c
    bound[1:] += c
    t = bound.max(axis=0) * (1.0 + 1e-12)
    active = np.arange(t.size)
    while active.size:
        ta = t[active]
        with np.errstate(all="ignore"):
            g_sum, h_sum = _pivot_sums(a[:, active], c2[:, active], ta)
            root = np.sqrt(np.maximum((k - 1.0) * (k * h_sum - g_sum**2), 0.0))
            step = k / (g_sum + np.copysign(root, g_sum))
        # Converged pivots can overflow the sums: the step is then 0 to rounding.
        step = np.where(np.isfinite(step), step, 0.0)
        t[active] = ta - step
        active = active[np.abs(step) > 1e-14 * np.abs(ta)]
    return np.sqrt(t) * scale


def _pivot_sums(a: np.ndarray, c2: np.ndarray, t: np.ndarray):
    """p'/p and -(p'/p)' of p(t) = det(t I - T) by the pivot recurrence
    q_i = t - a_i - c_(i-1)^2 / q_(i-1)."""
    q = t - a[0]
    w = 1.0 / q
    v = np.zeros_like(t)
    g_sum, h_sum = w.copy(), w * w
    for i in range(1, a.shape[0]):
        u = c2[i - 1] / q
        q = t - a[i] - u
        w, v = (1.0 + u * w) / q, u * (v - 2.0 * w * w) / q
        g_sum += w
        h_sum += w * w - v
    return g_sum, h_sum


def _chi(rng: np.random.Generator, dof: np.ndarray, count: int) -> np.ndarray:
    """chi variables, shape (len(dof), count), as sqrt(2 Gamma(dof / 2))."""
    return np.sqrt(2.0 * rng.standard_gamma(np.repeat(dof[:, None] / 2, count, 1)))


def sigma_max_draws(k: int, draws: int, seed: int) -> np.ndarray:
    """``draws`` values of sigma_max(G) / sqrt(k) from the bidiagonal model."""
    rng = np.random.default_rng(job_seed_sequence(seed, "reference", "sigma_max", k))
    values = []
    for n in range(0, draws, 4096):
        count = min(4096, draws - n)
        diag = _chi(rng, np.arange(k, 0, -1.0), count)
        superdiag = _chi(rng, np.arange(k - 1, 0, -1.0), count)
        values.append(bidiagonal_sigma_max(diag, superdiag))
    return np.concatenate(values) / math.sqrt(k)


COMPLEX_EXACT = {
    "scaled": theory.complex_spectral_radius,
    "log": theory.complex_log_spectral_radius,
    "inverse_square": theory.complex_inverse_square_radius,
}
"""Kostlan's exact complex-Ginibre value of each radius quantity."""


def extrapolated_radius(k: int, anchors: dict[int, dict[str, dict]]) -> dict:
    """Real-Ginibre radius quantities at k: the complex exact value plus c/sqrt(k),
    c the inverse-variance mean of sqrt(k) (real - complex) over the anchors;
    the standard error adds :data:`CORRECTION_DRIFT` per doubling of k beyond
    the anchors' centre."""
    sizes = np.array(sorted(anchors), dtype=np.float64)
    result = {}
    for quantity, exact in COMPLEX_EXACT.items():
        real = {a: anchors[a][quantity] for a in sorted(anchors)}
        # sqrt(a) (real - complex) at each anchor, weighted by its precision.
        gaps = np.sqrt(sizes) * [r["mean"] - exact(a) for a, r in real.items()]
        weights = 1.0 / (sizes * np.array([r["se"] for r in real.values()]) ** 2)
        c = float((weights * gaps).sum() / weights.sum())
        centre = float((weights * np.log2(sizes)).sum() / weights.sum())
        drift = CORRECTION_DRIFT * max(0.0, math.log2(k) - centre)
        se = math.hypot(weights.sum() ** -0.5, drift) / math.sqrt(k)
        mean = exact(k) + c / math.sqrt(k)
        result[quantity] = {"mean": mean, "se": se, "kind": EXTRAPOLATED, "draws": 0}
    return result


def layer_scale(
    scheme: str, k: int, g: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """m per network with W x = |x| m g in law, for g (n, k) ~ N(0, I): the entry
    sd for iid entries (taken Gaussian); 1/|g| for Haar W; 1/sigma_max(B) for
    G/sigma_max(G), B the bidiagonalization of G started from x, with B_11 = |g|
    and the rest independent of g."""
    facts = check_scheme(scheme)
    if facts.family == IID:
        return np.full(g.shape[0], facts.entry_std(k))
    if facts.family == ORTHOGONAL:
        return 1.0 / np.linalg.norm(g, axis=1)
    if facts.divisor == SIGMA_MAX:
        dof, count = np.arange(k - 1, 0, -1.0), g.shape[0]
        diag = np.vstack([np.linalg.norm(g, axis=1), _chi(rng, dof, count)])
        return 1.0 / bidiagonal_sigma_max(diag, _chi(rng, dof, count))
    raise ValueError(f"no scalar chain is exact for {scheme}")


def tanh_reference(scheme: str, k: int, layers: int, networks: int, seed: int):
    """Mean tanh growth per layer of ``scheme`` by the chain, with its SE."""
    rng = np.random.default_rng(job_seed_sequence(seed, "reference", "tanh", scheme, k))
    return estimate(chain_growth(scheme, np.tanh, k, layers, networks, rng))


def chain_growth(
    scheme: str, activation, k: int, layers: int, networks: int, rng
) -> np.ndarray:
    """Growth per layer (|x(L)| / |x(0)|)^(1/L) of ``networks`` networks, x(0) ~
    N(0, I) and |x(l+1)| = |f(|x(l)| m g)| with g and m drawn per layer."""
    x = rng.standard_normal((networks, k))
    log_start = np.log(np.linalg.norm(x, axis=1))
    norm = np.exp(log_start)
    for _ in range(layers):
        g = rng.standard_normal((networks, k))
        m = layer_scale(scheme, k, g, rng)
        norm = np.linalg.norm(activation((norm * m)[:, None] * g), axis=1)
    with np.errstate(divide="ignore"):
        return np.exp((np.log(norm) - log_start) / layers)


def compute(
    compared: dict[int, int],
    depth: dict,
    seed: int,
    seconds_per_size: float,
    tanh_networks: int,
) -> dict:
    """Every reference of a config, ``compared`` mapping each size k to the draws
    its references are compared with (see :data:`MANY_MORE`)."""
    radius, sigma = {}, {}
    for k in sorted({*compared, *RADIUS_ANCHORS}):
        draws = draws_within(seconds_per_size, radius_draw_seconds(k))
        if k in RADIUS_ANCHORS or draws >= MANY_MORE * compared.get(k, 0):
            radius[k] = edge_estimates(radius_draws(k, draws, seed))
    anchors = {k: radius[k] for k in RADIUS_ANCHORS}
    for k in sorted(compared):
        if k not in radius:
            radius[k] = extrapolated_radius(k, anchors)
        draws = draws_within(seconds_per_size, sigma_draw_seconds(k))
        sigma[k] = edge_estimates(sigma_max_draws(k, draws, seed))
    # layer_scale has no scalar chain for G / rho(G).
    tanh = {
        scheme: tanh_reference(scheme, depth["k"], depth["layers"], tanh_networks, seed)
        for scheme in depth["schemes"]
        if "tanh" in depth["activations"]
        and check_scheme(scheme).divisor != SPECTRAL_RADIUS
    }
    simulated = [k for k in compared if radius[k]["scaled"]["kind"] == SIMULATED]
    return {
        "seed": seed,
        "seconds_per_size": seconds_per_size,
        "many_more": MANY_MORE,
        "radius_anchors": list(RADIUS_ANCHORS),
        "correction_drift": CORRECTION_DRIFT,
        "largest_simulated_radius": max(simulated, default=None),
        "radius": {str(k): v for k, v in radius.items() if k in compared},
        "sigma_max": {str(k): v for k, v in sigma.items()},
        "tanh": tanh,
    }
