"""Finite-size theory for part two, in float64: edges of Gaussian spectra and
growth through depth. G is a k x k matrix of iid N(0, 1) entries; the growth
per layer of a network is (|x(L)| / |x(0)|)^(1/L), averaged over networks.
Each function says whether it is exact (a closed form or numerically exact
integral at the size given) or asymptotic (a large-k law, for context).
"""

from functools import lru_cache
from itertools import accumulate, pairwise, repeat

import numpy as np
from scipy import stats as scipy_stats
from scipy.integrate import quad
from scipy.optimize import brentq
from scipy.special import digamma, gammainc, gammaln

TW1_MEAN = -1.2065335745820
TW1_SD = float(np.sqrt(1.6077810345810))
"""Mean and standard deviation of the GOE Tracy-Widom law F1 (Bornemann 2010)."""


@lru_cache
def sigma_max_tracy_widom(k: int) -> float:
    """Mean of sigma_max(G) / sqrt(k) by Tracy-Widom (asymptotic): Johnstone's
    (2001) centring m and scale of the largest eigenvalue of G^T G, and the
    square root by the delta method, sqrt(m) (1 - v / (8 m^2)). 1.9790 at
    k = 256, within a few 1e-4 of the exact mean; 1.574 at k = 5 (exact 1.631)."""
    if k < 2:
        raise ValueError(f"Tracy-Widom centring needs k >= 2, got {k}")
    a, b = np.sqrt(k - 1.0), np.sqrt(float(k))
    scale = (a + b) * (1.0 / a + 1.0 / b) ** (1.0 / 3.0)
    m, sd = (a + b) ** 2 + scale * TW1_MEAN, scale * TW1_SD
    return float(np.sqrt(m / k) * (1.0 - sd**2 / (8.0 * m**2)))


def _kostlan_cdf(t: float, k: int, tail: bool = False) -> float:
    """P(rho / sqrt(k) <= t) for complex Ginibre, or with ``tail`` 1 minus it (to
    full relative accuracy), from its log, sum_j log P(j, k t^2)."""
    if t <= 0:
        return float(tail)
    with np.errstate(divide="ignore"):
        log_cdf = np.log(gammainc(np.arange(1, k + 1), k * t * t)).sum()
    return float(-np.expm1(log_cdf) if tail else np.exp(log_cdf))


def _check_size(k: int) -> None:
    if k < 1:
        raise ValueError(f"k must be a positive integer, got {k}")


@lru_cache
def complex_spectral_radius(k: int) -> float:
    """Mean of rho / sqrt(k) for a *complex* Ginibre matrix (exact): by Kostlan
    (1992) the squared eigenvalue moduli are independent Gamma(j, 1), j = 1..k.
    Real matrices sit lower (by 0.046 at k = 5, 0.0036 at k = 1024)."""
    _check_size(k)
    return _integral(lambda t: _kostlan_cdf(t, k, tail=True), (0.0, 1.0, np.inf), 200)


@lru_cache
def complex_log_spectral_radius(k: int) -> float:
    """E log(rho / sqrt(k)) for complex Ginibre (exact), as the integral of
    (1 - F(t)) / t above 1 minus that of F(t) / t below."""
    _check_size(k)
    above = _integral(lambda t: _kostlan_cdf(t, k, tail=True) / t, (1.0, np.inf))
    return above - _integral(lambda t: _kostlan_cdf(t, k) / t, (0.0, 1.0), 200)


@lru_cache
def complex_inverse_square_radius(k: int) -> float:
    """E[k / rho^2] for complex Ginibre (exact): the integral of 2 F(t) / t^3,
    finite for k >= 2."""
    if k < 2:
        raise ValueError(f"E[k / rho^2] is infinite at k = 1, got k = {k}")
    pieces = (0.0, 0.5, 1.0, 2.0, np.inf)
    return _integral(lambda t: 2.0 * _kostlan_cdf(t, k) / t**3, pieces, 400)


def _integral(f, bounds: tuple, limit: int = 50) -> float:
    """The integral of ``f`` over consecutive ``bounds``, by quad piece by piece."""
    return float(sum(quad(f, a, b, limit=limit)[0] for a, b in pairwise(bounds)))


def spectral_radius_asymptotic(k: int) -> float | None:
    """Large-k centring of rho / sqrt(k), 1 + sqrt(gamma_k / (4k)) with gamma_k =
    ln(k / (2 pi)) - 2 ln ln k (Rider 2003; Rider and Sinclair 2014), for
    context: it converges slowly (1.017 at k = 1024, where the exact complex
    mean is 1.027). None while gamma_k <= 0 (k below about 200)."""
    if k < 3:
        raise ValueError(f"the asymptotic centring needs k >= 3, got {k}")
    gamma_k = np.log(k / (2.0 * np.pi)) - 2.0 * np.log(np.log(k))
    if gamma_k <= 0:
        return None
    return float(1.0 + np.sqrt(gamma_k / (4.0 * k)))


def expected_real_eigenvalues(k: int) -> float:
    """Expected number of real eigenvalues of G (exact; Edelman, Kostlan and Shub
    1994): k mod 2 plus sqrt(2) times the sum of (2m-1)!!/(2m)!! over m = k-2,
    k-4, ... >= 0, through ``gammaln``."""
    _check_size(k)
    m = np.arange(k % 2, k - 1, 2, dtype=np.float64)
    ratios = np.exp(gammaln(m + 0.5) - gammaln(m + 1.0) - 0.5 * np.log(np.pi))
    return float(k % 2 + np.sqrt(2.0) * ratios.sum())


def asymptotic_real_eigenvalues(k: int) -> float:
    """Leading-order expected real-eigenvalue count sqrt(2k/pi); the exact value
    exceeds it by 1/2 + o(1)."""
    return float(np.sqrt(2.0 * k / np.pi))


def disk_uniformity(eigenvalues: np.ndarray, k: int):
    """KS test of |lambda|^2 / k against Uniform(0, 1), the circular law; the
    eigenvalues of one matrix repel, so the p-value is only indicative."""
    return scipy_stats.kstest(np.abs(np.ravel(eigenvalues)) ** 2 / k, "uniform")


# With a fresh rotation-invariant W per layer the ratios r_l = |x(l)|/|x(l-1)|
# are iid, so the mean growth over L layers is exactly (E r^(1/L))^L, which
# tends to exp(E log r), the large-depth rate (``layers=None``), as L grows.


def _relu_moment(k: int, layers: int | None) -> float:
    """Over the N ~ Bin(k, 1/2) units relu keeps, N = 0 left out: the sum of
    P(N) Gamma(N/2 + a) / Gamma(N/2), a = 1/(2L); for ``layers=None`` the mean of
    digamma(N/2) over N > 0."""
    active = np.arange(1, k + 1, dtype=np.float64)
    weight = scipy_stats.binom.pmf(active, k, 0.5)
    if layers is None:
        return (weight * digamma(active / 2)).sum() / weight.sum()
    a = _power(layers)
    return (weight * np.exp(gammaln(active / 2 + a) - gammaln(active / 2))).sum()


def linear_gaussian_growth(k: int, s: float = 1.0, layers: int | None = None) -> float:
    """Mean growth per layer of linear layers with iid N(0, s^2 / k) entries
    (exact): r^2 is (s^2 / k) chi^2_k, whose moments are Gamma ratios; the rate
    is s exp((psi(k/2) + ln 2 - ln k) / 2) = s exp(-1/(2k) + O(k^-2))."""
    _check_size(k)
    if layers is None:
        return float(s * np.exp((digamma(k / 2) + np.log(2.0) - np.log(k)) / 2))
    a = _power(layers)
    log_moment = a * np.log(2.0) + gammaln(k / 2 + a) - gammaln(k / 2)
    return float(s / np.sqrt(k) * np.exp(layers * log_moment))


def relu_gaussian_growth(k: int, s: float = 1.0, layers: int | None = None) -> float:
    """Mean growth per layer of relu layers with iid N(0, s^2 / k) entries
    (exact): relu keeps N ~ Bin(k, 1/2) units and, given N, r^2 is (s^2 / k)
    chi^2_N; N = 0 (probability 2^-k) ends the signal with growth 0. The rate
    is that of surviving signals, s / sqrt(2) exp(-5/(4k) + O(k^-2))."""
    _check_size(k)
    moment = _relu_moment(k, layers)
    if layers is None:
        return float(s * np.exp((moment + np.log(2.0) - np.log(k)) / 2))
    return float(s * np.sqrt(2.0 / k) * np.exp(layers * np.log(moment)))


def relu_orthogonal_growth(k: int, layers: int | None = None) -> float:
    """Mean growth per layer of relu layers with Haar weights (exact): W x / |x|
    is uniform on the sphere, so given the N ~ Bin(k, 1/2) units relu keeps,
    r^2 is Beta(N/2, (k - N)/2); N = 0 as in :func:`relu_gaussian_growth`."""
    _check_size(k)
    moment = _relu_moment(k, layers)
    if layers is None:
        return float(np.exp((moment - digamma(k / 2)) / 2))
    moment *= np.exp(gammaln(k / 2) - gammaln(k / 2 + _power(layers)))
    return float(np.exp(layers * np.log(moment)))


def _power(layers: int) -> float:
    if layers < 1:
        raise ValueError(f"layers must be at least 1, got {layers}")
    return 1.0 / (2.0 * layers)


def normalized_log_growth(k: int, activation: str, log_divisor: float) -> float:
    """E log(|f(W x)| / |x|) for W = G / d(G) (exact form): x is independent of
    G, so it is E log|f(G x)| minus ``log_divisor``, E log(d / sqrt(k)). The
    mean growth over L layers exceeds its exp by 1 + O(1 / (kL))."""
    growth = {"linear": linear_gaussian_growth, "relu": relu_gaussian_growth}
    if activation not in growth:
        raise ValueError(f"activation must be linear or relu, got {activation!r}")
    return float(np.log(growth[activation](k))) - log_divisor


def normalized_gain_squared(k: int, inverse_square: float) -> float:
    """s^2 = E|W x|^2 / |x|^2 for W = G / d(G) from ``inverse_square`` = E[k/d^2]:
    (1 - 2/k^2) E[k/d^2], exact for any d with d(cG) = c d(G) (write G = |G|_F U
    with U uniform on the sphere, independent of |G|_F)."""
    if k < 2:
        raise ValueError(f"the gain needs k >= 2, got {k}")
    return float((1.0 - 2.0 / k**2) * inverse_square)


_LEGENDRE_NODES, _LEGENDRE_WEIGHTS = np.polynomial.legendre.leggauss(200)


def tanh_variance_map(q: float, s: float) -> float:
    """One layer of the mean-field map q(l+1) = E tanh(sqrt(s q) g)^2, g ~ N(0, 1),
    exact as k grows for q(l) = |x(l)|^2 / k and entry variance s / k: in u =
    sqrt(s q) g by 200-node Gauss-Legendre on [0, min(40, 12 a)], a = sqrt(s q),
    which resolves the dip at u = 0 that a Hermite rule in g steps over (for
    a >= 1 the smaller 1 - E sech(u)^2)."""
    if q <= 0:
        return 0.0
    a = float(np.sqrt(s * q))
    upper = min(40.0, 12.0 * a)
    u = 0.5 * upper * (_LEGENDRE_NODES + 1.0)
    weights = 0.5 * upper * _LEGENDRE_WEIGHTS * scipy_stats.norm.pdf(u / a) / a
    if a < 1.0:
        return float(2.0 * (weights * np.tanh(u) ** 2).sum())
    return float(1.0 - 2.0 * (weights / np.cosh(u) ** 2).sum())


def tanh_mean_field_variances(s: float, layers: int, q0: float = 1.0) -> np.ndarray:
    """q(0), ..., q(L) of the mean-field map :func:`tanh_variance_map`."""
    if layers < 1:
        raise ValueError(f"layers must be at least 1, got {layers}")
    q = accumulate(repeat(s, layers), tanh_variance_map, initial=q0)
    return np.fromiter(q, dtype=np.float64)


def tanh_mean_field_growth(s: float, layers: int, q0: float = 1.0) -> float:
    """Growth per layer over L layers, (q(L) / q(0))^(1/(2L)), by mean field, s
    being k times the entry variance; a rate only when :func:`tanh_regime`
    says the signal vanishes."""
    q = tanh_mean_field_variances(s, layers, q0)
    return float((q[-1] / q[0]) ** (1.0 / (2.0 * layers)))


def tanh_regime(s: float) -> dict[str, float | str]:
    """How q(L) behaves as L grows (the map is s q - 2 s^2 q^2 + ... for small
    q): s < 1 "vanishes", q(L) ~ s^L and the growth tends to sqrt(s); s = 1
    "critical", q(L) ~ 1 / (2L), an algebraic decay; s > 1 "settles" on the
    map's fixed point q* > 0, the growth tending to 1."""
    if np.isclose(s, 1.0, rtol=1e-12, atol=0.0):
        regime, rate, fixed_point = "critical", 1.0, 0.0
    elif s < 1:
        regime, rate, fixed_point = "vanishes", float(np.sqrt(s)), 0.0
    else:
        # q* lies in (0, 1]: the map is below 1 everywhere, above q near 0.
        regime, rate = "settles", 1.0
        fixed_point = float(
            brentq(lambda q: tanh_variance_map(q, s) - q, 1e-12, 1.0, xtol=1e-14)
        )
    return {"regime": regime, "rate_limit": rate, "fixed_point": fixed_point}


def tanh_critical_variance(layers: int, q0: float = 1.0) -> float:
    """Leading-order q(L) at s = 1: 1 / (2L + 1/q0), from 1/q growing by 2 per layer."""
    return 1.0 / (2.0 * layers + 1.0 / q0)


def depth_law_constants(
    log10_norms: np.ndarray, spectral_radius: np.ndarray, depths: np.ndarray
) -> np.ndarray:
    """C = l (ln g_l - ln rho) per network (rows of ``log10_norms``, (networks,
    L + 1), and of ``spectral_radius``) at each depth l: with one W reused the
    growth over l layers g_l behaves like rho exp(C / l) once the second
    eigenvalue has died out."""
    log_growth = np.log(10.0) * (log10_norms[:, depths] - log10_norms[:, :1])
    return log_growth - depths * np.log(np.asarray(spectral_radius))[:, np.newaxis]


def agreement(
    samples: np.ndarray, theory: float, theory_se: float = 0.0, rtol: float = 1e-12
) -> dict[str, float]:
    """Student-t score of the sample mean against a theory value, (mean - theory)
    / sqrt(se^2 + theory_se^2 + (rtol theory)^2), ``rtol`` absorbing float64
    rounding, and its two-sided p-value with n - 1 degrees of freedom (never
    too small), for this test alone."""
    values = np.ravel(np.asarray(samples, dtype=np.float64))
    n = values.size
    if n < 2:
        raise ValueError("agreement needs at least two samples")
    standard_error = values.std(ddof=1) / np.sqrt(n)
    scale = np.sqrt(standard_error**2 + theory_se**2 + (rtol * theory) ** 2)
    score = (values.mean() - theory) / scale if scale > 0 else 0.0
    pvalue = 2.0 * scipy_stats.t.sf(abs(score), n - 1)
    return {"z_score": float(score), "p_value": float(pvalue)}
